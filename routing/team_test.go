package routing_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
)

var zoneJST = time.FixedZone("JST", 9*3600)

// assignAt is Monday 7 April 2025, 09:00 JST.
var assignAt = time.Date(2025, 4, 7, 9, 0, 0, 0, zoneJST)

// team returns a team of reps with the given ids, in order.
func team(ids ...string) routing.Team {
	t := routing.Team{ID: "inside", Manager: "mgr"}
	for _, id := range ids {
		t.Reps = append(t.Reps, routing.Rep{ID: id})
	}
	return t
}

// picks returns the reps Pick chooses for tickets 0..n-1.
func picks(tb testing.TB, t *routing.Team, n int, load func(string) int, exclude []string) []string {
	tb.Helper()
	var got []string
	for ticket := range uint64(n) {
		rep, ok := t.Pick(assignAt, ticket, load, exclude)
		if !ok {
			got = append(got, "-")
			continue
		}
		got = append(got, rep)
	}
	return got
}

func TestTeam_Pick(t *testing.T) {
	t.Parallel()
	away := func(id string, from, to time.Time) routing.Rep {
		return routing.Rep{ID: id, Away: []routing.Period{{From: from, To: to}}}
	}
	capped := func(id string, c int) routing.Rep { return routing.Rep{ID: id, Capacity: c} }
	loads := map[string]int{"a": 3, "b": 1, "c": 5}
	load := func(rep string) int { return loads[rep] }
	tests := []struct {
		name    string
		reps    []routing.Rep
		load    func(string) int
		exclude []string
		want    string // picks for tickets 0..5
	}{
		{name: "M9 round robin in team order", reps: team("a", "b", "c").Reps, want: "a b c a b c"},
		{name: "M9 one rep takes every lead", reps: team("a").Reps, want: "a a a a a a"},
		{name: "M9 away now is skipped", reps: []routing.Rep{{ID: "a"}, away("b", assignAt.Add(-time.Hour), assignAt.Add(time.Hour)), {ID: "c"}}, want: "a c a c a c"},
		{name: "M9 away from exactly now is skipped", reps: []routing.Rep{{ID: "a"}, away("b", assignAt, assignAt.Add(time.Hour)), {ID: "c"}}, want: "a c a c a c"},
		{name: "M9 back exactly now is eligible", reps: []routing.Rep{{ID: "a"}, away("b", assignAt.Add(-time.Hour), assignAt), {ID: "c"}}, want: "a b c a b c"},
		{name: "M9 away later is eligible", reps: []routing.Rep{{ID: "a"}, away("b", assignAt.Add(time.Nanosecond), assignAt.Add(time.Hour)), {ID: "c"}}, want: "a b c a b c"},
		{name: "M9 one of several absences", reps: []routing.Rep{{ID: "a", Away: []routing.Period{
			{From: assignAt.Add(-48 * time.Hour), To: assignAt.Add(-24 * time.Hour)},
			{From: assignAt.Add(-time.Minute), To: assignAt.Add(time.Minute)},
		}}, {ID: "b"}}, want: "b b b b b b"},
		{name: "M9 at capacity is skipped", reps: []routing.Rep{capped("a", 3), capped("b", 2), capped("c", 6)}, load: load, want: "b c b c b c"},
		{name: "M9 capacity 0 is no limit", reps: []routing.Rep{capped("a", 0), capped("b", 1), {ID: "c"}}, load: load, want: "a c a c a c"},
		{name: "M9 capacities with no load function", reps: []routing.Rep{capped("a", 1), capped("b", 1)}, want: "a b a b a b"},
		{name: "T10 excluded reps are skipped", reps: team("a", "b", "c").Reps, exclude: []string{"a", "c"}, want: "b b b b b b"},
		{name: "M9 a rep with no id is never picked", reps: team("a", "", "c").Reps, want: "a c a c a c"},
		{name: "M9 nobody eligible", reps: []routing.Rep{capped("a", 3), away("b", assignAt, assignAt.Add(time.Hour))}, load: load, want: "- - - - - -"},
		{name: "M9 everybody excluded", reps: team("a", "b").Reps, exclude: []string{"b", "a"}, want: "- - - - - -"},
		{name: "M9 empty team", want: "- - - - - -"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tm := routing.Team{ID: "inside", Reps: tt.reps}
			got := strings.Join(picks(t, &tm, 6, tt.load, tt.exclude), " ")
			if got != tt.want {
				t.Errorf("Pick(tickets 0..5) = %s, want %s", got, tt.want)
			}
			if again := strings.Join(picks(t, &tm, 6, tt.load, tt.exclude), " "); again != got {
				t.Errorf("M9 Pick is not deterministic: %s then %s", got, again)
			}
		})
	}
}

func TestTeam_Pick_loadOnlyForCapacity(t *testing.T) {
	t.Parallel()
	tm := routing.Team{Reps: []routing.Rep{{ID: "a"}, {ID: "b", Capacity: 2}, {ID: "c"}}}
	var asked []string
	load := func(rep string) int {
		asked = append(asked, rep)
		return 0
	}
	if _, ok := tm.Pick(assignAt, 7, load, nil); !ok {
		t.Fatal("Pick found nobody")
	}
	for _, rep := range asked {
		if rep != "b" {
			t.Errorf("Pick called load(%q) for a rep with no capacity", rep)
		}
	}
	if len(asked) == 0 {
		t.Error("Pick never asked the load of the rep with a capacity")
	}
}

// TestTeam_Pick_loadChangesDuringPick checks that Pick stays correct when
// the load it reads changes while it runs, as it does when another
// assignment commits concurrently (M9: fair under concurrency): Pick reads
// each rep's load once, so it returns a rep that was eligible when read.
func TestTeam_Pick_loadChangesDuringPick(t *testing.T) {
	t.Parallel()
	tm := routing.Team{Reps: []routing.Rep{{ID: "a", Capacity: 1}, {ID: "b", Capacity: 1}, {ID: "c", Capacity: 1}}}
	calls := map[string]int{}
	load := func(rep string) int {
		calls[rep]++
		if rep == "c" && calls[rep] > 1 {
			return 1 // c took a lead from another assignment in the meantime
		}
		return 0
	}
	rep, ok := tm.Pick(assignAt, 2, load, nil)
	if !ok || rep != "c" {
		t.Errorf("Pick(ticket 2) with c filling up after its read = %q, %v; want c, true (eligible when read)", rep, ok)
	}
	for _, r := range []string{"a", "b", "c"} {
		if calls[r] != 1 {
			t.Errorf("load(%s) called %d times, want once", r, calls[r])
		}
	}
}

var pickSink string

// TestTeam_Pick_allocs checks the doc's promise: Pick does not allocate.
func TestTeam_Pick_allocs(t *testing.T) {
	tm := routing.Team{Reps: []routing.Rep{
		{ID: "a", Capacity: 5},
		{ID: "b", Away: []routing.Period{{From: assignAt.Add(-time.Hour), To: assignAt.Add(time.Hour)}}},
		{ID: "c"},
	}}
	load := func(string) int { return 1 }
	exclude := []string{"x"}
	var ticket uint64
	if n := testing.AllocsPerRun(100, func() {
		ticket++
		pickSink, _ = tm.Pick(assignAt, ticket, load, exclude)
	}); n != 0 {
		t.Errorf("Pick allocates %v times per call, want 0", n)
	}
}

// fairness fails unless each eligible rep got n/k leads, within one, and
// nobody else got any (M9).
func fairness(tb fatalfer, counts map[string]int, eligible []string, n int) {
	tb.Helper()
	k := len(eligible)
	total := 0
	for _, id := range eligible {
		c := counts[id]
		total += c
		if c < n/k || c > (n+k-1)/k {
			tb.Fatalf("M9 rep %s got %d of %d leads over %d eligible reps, want %d..%d (counts %v)", id, c, n, k, n/k, (n+k-1)/k, counts)
		}
	}
	if total != n {
		tb.Fatalf("M9 %d of %d leads went to ineligible reps: %v", n-total, n, counts)
	}
}

// TestTeam_Pick_fair checks rule M9: over n successive tickets each of k
// eligible reps gets n/k leads within one, whoever is away.
func TestTeam_Pick_fair(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		size := rapid.IntRange(1, 12).Draw(t, "reps")
		tm := routing.Team{ID: "inside"}
		var eligible []string
		for i := range size {
			r := routing.Rep{ID: fmt.Sprintf("rep-%02d", i)}
			if rapid.Bool().Draw(t, "away") {
				r.Away = []routing.Period{{From: assignAt.Add(-time.Hour), To: assignAt.Add(time.Hour)}}
			} else {
				eligible = append(eligible, r.ID)
			}
			tm.Reps = append(tm.Reps, r)
		}
		n := rapid.IntRange(0, 200).Draw(t, "tickets")
		// Tickets never wrap around: a uint64 counter does not reach 2^64.
		start := rapid.Uint64Range(0, math.MaxUint64-200).Draw(t, "first ticket")
		counts := map[string]int{}
		for i := range n {
			rep, ok := tm.Pick(assignAt, start+uint64(i), nil, nil)
			if ok != (len(eligible) > 0) {
				t.Fatalf("Pick = %q, %v with %d eligible reps", rep, ok, len(eligible))
			}
			counts[rep]++
		}
		if len(eligible) == 0 {
			return
		}
		fairness(t, counts, eligible, n)
	})
}

// TestTeam_Pick_concurrent checks rule M9 under concurrency: callers that
// take tickets from one shared counter and pick at the same time share the
// leads as fairly as one caller does.
func TestTeam_Pick_concurrent(t *testing.T) {
	t.Parallel()
	tm := team("a", "b", "c", "d", "e", "f", "g")
	tm.Reps[2].Away = []routing.Period{{From: assignAt.Add(-time.Hour), To: assignAt.Add(time.Hour)}}
	eligible := []string{"a", "b", "d", "e", "f", "g"}
	const goroutines, perGoroutine = 16, 250
	var next atomic.Uint64
	results := make([]map[string]int, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		results[g] = map[string]int{}
		wg.Go(func() {
			for range perGoroutine {
				rep, ok := tm.Pick(assignAt, next.Add(1)-1, nil, nil)
				if !ok {
					rep = "-"
				}
				results[g][rep]++
			}
		})
	}
	wg.Wait()
	counts := map[string]int{}
	for _, r := range results {
		for rep, c := range r {
			counts[rep] += c
		}
	}
	fairness(t, counts, eligible, goroutines*perGoroutine)
}

func TestTeam_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		reps       []routing.Rep
		wantSuffix string // "" means valid; else the end of the field path
		first      int    // of a rep listed twice, the first place it is listed
	}{
		{name: "empty team", reps: nil},
		{name: "valid", reps: []routing.Rep{{ID: "a", Capacity: 3}, {ID: "b"}}},
		{name: "empty id", reps: []routing.Rep{{ID: "a"}, {ID: ""}}, wantSuffix: "reps[1].id"},
		{name: "duplicate id", reps: []routing.Rep{{ID: "a"}, {ID: "b"}, {ID: "a"}}, wantSuffix: "reps[2].id"},
		{name: "negative capacity", reps: []routing.Rep{{ID: "a", Capacity: -1}}, wantSuffix: "reps[0].capacity"},
		{name: "department of 500", reps: manyReps(500, -1, -1)},
		{name: "department with a rep listed twice", reps: manyReps(500, 17, 431), wantSuffix: "reps[431].id", first: 17},
		{name: "33 reps, the last listed twice", reps: manyReps(33, 0, 32), wantSuffix: "reps[32].id"},
	}
	for _, tt := range tests {
		tm := routing.Team{ID: "inside", Reps: tt.reps}
		err := tm.Validate()
		if err != nil && strings.Contains(err.Error(), "duplicate") && !strings.Contains(err.Error(), fmt.Sprintf("listed as reps[%d] too", tt.first)) {
			t.Errorf("%s: %v does not say the rep is listed first as reps[%d]", tt.name, err, tt.first)
		}
		if tt.wantSuffix == "" {
			if err != nil {
				t.Errorf("%s: Validate() = %v, want nil", tt.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: Validate() = nil, want an error for %s", tt.name, tt.wantSuffix)
			continue
		}
		fe := wantFieldErrorSuffix(t, err, tt.wantSuffix)
		if !strings.Contains(fe, "inside") {
			t.Errorf("%s: field %q does not name the team", tt.name, fe)
		}
	}
}

// manyReps returns a team of n reps, with rep at copies the id of rep
// first (none when at is -1).
func manyReps(n, first, at int) []routing.Rep {
	reps := make([]routing.Rep, n)
	for i := range reps {
		reps[i].ID = fmt.Sprintf("rep-%03d", i)
	}
	if at >= 0 {
		reps[at].ID = reps[first].ID
	}
	return reps
}

// wantFieldErrorSuffix checks a *FieldError whose field ends in suffix and
// returns the field.
func wantFieldErrorSuffix(tb fatalfer, err error, suffix string) string {
	tb.Helper()
	fe, ok := errors.AsType[*leaderr.FieldError](err)
	if !ok {
		tb.Fatalf("err = %v (%T), want a *FieldError", err, err)
	}
	if !strings.HasSuffix(fe.Field, suffix) {
		tb.Fatalf("FieldError.Field = %q, want it to end in %q", fe.Field, suffix)
	}
	wantFieldError(tb, err, fe.Field)
	return fe.Field
}

func TestTeam_Has(t *testing.T) {
	t.Parallel()
	tm := team("a", "b")
	for rep, want := range map[string]bool{"a": true, "b": true, "mgr": true, "c": false, "": false} {
		if got := tm.Has(rep); got != want {
			t.Errorf("Has(%q) = %v, want %v", rep, got, want)
		}
	}
	noMgr := routing.Team{Reps: []routing.Rep{{ID: "a"}}}
	if noMgr.Has("") {
		t.Error(`Has("") = true on a team with no manager`)
	}
}

func TestPeriod_Contains(t *testing.T) {
	t.Parallel()
	p := routing.Period{From: assignAt, To: assignAt.Add(time.Hour)}
	tests := []struct {
		at   time.Time
		want bool
	}{
		{assignAt.Add(-time.Nanosecond), false},
		{assignAt, true},
		{assignAt.UTC(), true},
		{assignAt.Add(59 * time.Minute), true},
		{assignAt.Add(time.Hour - time.Nanosecond), true},
		{assignAt.Add(time.Hour), false},
	}
	for _, tt := range tests {
		if got := p.Contains(tt.at); got != tt.want {
			t.Errorf("[%v, %v).Contains(%v) = %v, want %v", p.From, p.To, tt.at, got, tt.want)
		}
	}
}

func TestRole_Text(t *testing.T) {
	t.Parallel()
	for r, key := range map[routing.Role]string{routing.RoleInside: "inside", routing.RoleField: "field", routing.RoleManager: "manager", routing.RoleOps: "ops", routing.RoleFieldManager: "field_manager"} {
		b, err := r.MarshalText()
		if r.String() != key || err != nil || string(b) != key {
			t.Errorf("Role %d: String %q, MarshalText %q, %v; want %q", uint8(r), r.String(), b, err, key)
		}
		var got routing.Role
		if err := got.UnmarshalText([]byte(" " + strings.ToUpper(key))); err != nil || got != r {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", strings.ToUpper(key), got, err, r)
		}
	}
	for _, r := range []routing.Role{0, 6} {
		_, err := r.MarshalText()
		wantFieldError(t, err, "role")
	}
	var got routing.Role
	wantFieldError(t, got.UnmarshalText([]byte("sdr")), "role")
	wantFieldError(t, got.UnmarshalText([]byte("")), "role")
}

func TestOrg_Team(t *testing.T) {
	t.Parallel()
	org := routing.Org{Inside: team("i1", "i2"), Field: team("f1")}
	org.Field.ID = "field"
	tests := []struct {
		role    routing.Role
		wantID  string
		wantLen int
	}{
		{routing.RoleInside, "inside", 2},
		{routing.RoleField, "field", 1},
		{routing.RoleManager, "", 0},
		{routing.RoleOps, "", 0},
		{0, "", 0},
	}
	for _, tt := range tests {
		got, err := org.Team(t.Context(), tt.role)
		if err != nil || got.ID != tt.wantID || len(got.Reps) != tt.wantLen {
			t.Errorf("Org.Team(%v) = %q with %d reps, %v; want %q with %d", tt.role, got.ID, len(got.Reps), err, tt.wantID, tt.wantLen)
		}
	}
}

// TestTeam_Validate_teamID: a team's id names its round-robin sequence
// in the store, so it follows the one rule for ids (E6, M9).
func TestTeam_Validate_teamID(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"in\x00side", "inside\n", " inside", "in\xffside", strings.Repeat("x", 200)} {
		tm := routing.Team{ID: id, Manager: "m", Reps: []routing.Rep{{ID: "a"}}}
		if fe, ok := errors.AsType[*leaderr.FieldError](tm.Validate()); !ok || fe.Field != "id" {
			t.Errorf("team id %q: Validate() = %v, want a FieldError for id", id, tm.Validate())
		}
	}
	for _, id := range []string{"", "inside", "内勤チーム"} {
		tm := routing.Team{ID: id, Manager: "m", Reps: []routing.Rep{{ID: "a"}}}
		if err := tm.Validate(); err != nil {
			t.Errorf("team id %q: Validate() = %v, want nil", id, err)
		}
	}
}
