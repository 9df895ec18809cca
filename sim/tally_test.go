package sim_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func note(kind leadline.NotificationKind, rule, to string) leadline.Notification {
	return leadline.Notification{Kind: kind, Rule: rule, To: to, Lead: "L-1", At: start}
}

func change(id string, f lead.Field, rule, actor, from, to string) lead.Change {
	return lead.Change{Lead: id, Field: f, Rule: rule, Actor: actor, From: from, To: to, At: start}
}

func TestTally(t *testing.T) {
	t.Parallel()
	untouched, s1, s2 := stage.Untouched.Key(), stage.Stage1.Key(), stage.Stage2.Key()
	tests := []struct {
		name    string
		notes   []leadline.Notification
		changes []lead.Change
		person  string
		want    sim.Work
	}{
		{name: "A1 request and T8 reminder count for the recipient", person: "aiko",
			notes: []leadline.Notification{note(leadline.NoteApproachRequest, "A1", "aiko"), note(leadline.NoteReminder, "T8", "aiko"), note(leadline.NoteApproachRequest, "A1", "ben")},
			want:  sim.Work{Requests: 1, Reminders: 1}},
		{name: "T1 and T10 are inherited by the new owner", person: "ben",
			notes: []leadline.Notification{note(leadline.NoteReassigned, "T1", "ben"), note(leadline.NoteEscalated, "T10", "ben")},
			want:  sim.Work{Inherited: 2}},
		{name: "T2 first attempt, T9 late attempt", person: "aiko",
			changes: []lead.Change{change("L-1", lead.FieldStage, "T2", "aiko", untouched, s1), change("L-1", lead.FieldStage, "T9", "aiko", s1, s2)},
			want:    sim.Work{Attempts: 2, Firsts: 1, Late: 1}},
		{name: "the engine's stage changes are not attempts", person: lead.ActorEngine,
			changes: []lead.Change{change("L-1", lead.FieldStage, "T7", lead.ActorEngine, s2, s2), change("L-1", lead.FieldStage, "A1", lead.ActorEngine, "", untouched)}},
		{name: "T1 loses the lead, T6 connects for the owner of the time", person: "aiko",
			changes: []lead.Change{
				change("L-1", lead.FieldOwner, "M9", lead.ActorEngine, "", "aiko"),
				change("L-2", lead.FieldOwner, "M9", lead.ActorEngine, "", "aiko"),
				change("L-1", lead.FieldStage, "T6", "aiko", s1, "connected"),
				change("L-2", lead.FieldOwner, "T1", lead.ActorEngine, "aiko", "ben"),
				change("L-2", lead.FieldStatus, "T7", lead.ActorEngine, "new", "recycled"),
			},
			want: sim.Work{Connected: 1, Lost: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var tl sim.Tally
			tl.Note(tt.notes...)
			tl.Change(tt.changes...)
			if got := tl.Work(tt.person); got != tt.want {
				t.Errorf("Work(%q) = %+v, want %+v", tt.person, got, tt.want)
			}
			var sum sim.Work
			for _, p := range []string{"aiko", "ben", lead.ActorEngine} {
				sum.Add(tl.Work(p))
			}
			if got := tl.Total(); got != sum {
				t.Errorf("Total = %+v, want the sum of everyone's work %+v", got, sum)
			}
		})
	}
}

func TestTally_byRule(t *testing.T) {
	t.Parallel()
	var tl sim.Tally
	tl.Note(note(leadline.NoteApproachRequest, "A1", "aiko"), note(leadline.NoteApproachRequest, "A2", "aiko"), note(leadline.NoteApproachRequest, "A5", "ben"))
	tl.Change(change("L-1", lead.FieldStatus, "A5", lead.ActorEngine, "recycled", "lead"), change("L-1", lead.FieldStatus, "S1", "aiko", "new", "lead"))
	tests := []struct {
		name      string
		got, want int
	}{
		{"A1 requests", tl.Notes(leadline.NoteApproachRequest, "A1"), 1},
		{"A1 or A2 requests", tl.Notes(leadline.NoteApproachRequest, "A1", "A2"), 2},
		{"every request", tl.Notes(leadline.NoteApproachRequest), 3},
		{"no reminders", tl.Notes(leadline.NoteReminder), 0},
		{"A5 status changes", tl.Changes(lead.FieldStatus, "A5"), 1},
		{"every status change", tl.Changes(lead.FieldStatus), 2},
		{"no owner change", tl.Changes(lead.FieldOwner, "T1"), 0},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

func TestNotable_Select(t *testing.T) {
	t.Parallel()
	at := func(h int) time.Time { return start.Add(time.Duration(h) * time.Hour) }
	notes := []leadline.Notification{
		{Kind: leadline.NoteReassigned, Rule: "T1", Lead: "L-1", To: "ben", At: at(3)},
		{Kind: leadline.NoteEscalated, Rule: "T10", Lead: "L-2", To: "mgr", At: at(5)},
		{Kind: leadline.NoteReassigned, Rule: "T1", Lead: "L-3", To: "chie", At: at(1)},
		{Kind: leadline.NoteReassigned, Rule: "T1", Lead: "L-4", To: "aiko", At: at(2)},
	}
	changes := []lead.Change{change("L-5", lead.FieldStatus, "S1", "aiko", "new", "lead")}
	changes[0].At = at(4)
	picks := []sim.Pick{
		{Limit: 1, Note: sim.NoteIs(leadline.NoteEscalated)},
		{Limit: 1, Change: sim.ChangeIs(lead.FieldStatus, "S1")},
		{Limit: 2, Note: sim.NoteIs(leadline.NoteReassigned, "T1")},
	}
	tests := []struct {
		name string
		max  int
		want []string // lead ids, in the order of the lines
	}{
		{"each pick up to its limit, by instant", 0, []string{"L-3", "L-1", "L-5", "L-2"}},
		{"Max keeps the most important", 2, []string{"L-5", "L-2"}},
		{"Max above the picks changes nothing", 9, []string{"L-3", "L-1", "L-5", "L-2"}},
	}
	for _, tt := range tests {
		lines := sim.Notable{Picks: picks, Max: tt.max}.Select(notes, changes)
		var got []string
		for _, l := range lines {
			i := strings.Index(l.Text, "L-")
			got = append(got, l.Text[i:i+3])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: Select = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestLog_Sorted(t *testing.T) {
	t.Parallel()
	var l sim.Log
	l.Addf(start.Add(time.Hour), "second %d", 2)
	l.Addf(start, "first")
	l.Addf(start.Add(time.Hour), "third")
	var got []string
	for _, line := range l.Sorted() {
		got = append(got, line.Text)
	}
	if want := []string{"first", "second 2", "third"}; !slices.Equal(got, want) {
		t.Errorf("Sorted = %v, want %v", got, want)
	}
}

func TestPrinter(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	p := &sim.Printer{W: &b}
	p.Row("touches", 3, "first attempts 3")
	p.Row("outcomes", -1, "connected 1 (T6)")
	p.Lines("    ", "a,b\nc,d\n")
	want := "  touches              3  first attempts 3\n  outcomes               connected 1 (T6)\n    a,b\n    c,d\n"
	if b.String() != want || p.Err() != nil {
		t.Errorf("printed %q (err %v), want %q", b.String(), p.Err(), want)
	}
	if got := sim.Plural(1, "lead") + ", " + sim.Plural(2, "lead"); got != "1 lead, 2 leads" {
		t.Errorf("Plural = %q", got)
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	draw := func(seed uint64) []string {
		r := rand.New(rand.NewPCG(seed, seed))
		var out []string
		for range 50 {
			c := sim.Company(r)
			name, email := sim.JapaneseNames.Person(r, sim.Domain(c))
			out = append(out, c, name, email, sim.JapaneseNames.Name(r))
		}
		return out
	}
	a, b := draw(1), draw(1)
	if !slices.Equal(a, b) {
		t.Fatal("one seed drew different people")
	}
	for i := 0; i < len(a); i += 4 {
		c, email := a[i], a[i+2]
		if !strings.HasSuffix(c, " KK") || !strings.HasSuffix(email, "@"+sim.Domain(c)) || strings.ContainsAny(email, " ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Errorf("company %q, e-mail %q: want a KK and a lower-case address at its domain", c, email)
		}
	}
	if got := sim.Domain("Midori Software KK"); got != "midori-software.example" {
		t.Errorf("Domain = %q", got)
	}
}

func TestPersona_Attempt(t *testing.T) {
	t.Parallel()
	cal := stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo", Holidays: []string{"jp"}})
	work := sim.Schedule{Calendar: cal}
	mon := time.Date(2026, time.April, 13, 9, 0, 0, 0, jst)
	due := mon.Add(5 * time.Hour) // Monday 14:00
	tests := []struct {
		name  string
		p     sim.Persona
		a     sim.AttemptParams
		check func(at time.Time) bool
	}{
		{"First counts working hours", sim.Persona{First: sim.Span{2, 2}},
			sim.AttemptParams{After: mon.Add(-16 * time.Hour), First: true}, // Sunday 17:00
			func(at time.Time) bool { return at.Equal(mon.Add(2 * time.Hour)) }},
		{"Keep 1 moves a late attempt before the deadline (T8)", sim.Persona{Next: sim.Span{8, 8}, Keep: 1},
			sim.AttemptParams{After: mon, Due: due},
			func(at time.Time) bool { return at.Before(due) && at.After(mon.Add(30*time.Minute)) }},
		{"Keep 0 is late (T9)", sim.Persona{Next: sim.Span{8, 8}, Keep: 0},
			sim.AttemptParams{After: mon, Due: due},
			func(at time.Time) bool { return at.Equal(cal.Add(mon, 8*time.Hour)) }},
		{"Scale stretches the delay", sim.Persona{Next: sim.Span{1, 1}},
			sim.AttemptParams{After: mon, Scale: 3},
			func(at time.Time) bool { return at.Equal(mon.Add(3 * time.Hour)) }},
		{"an inherited lead parked ignores its deadline (T1)", sim.Persona{First: sim.Span{1, 1}, Park: 1, Parked: sim.Span{20, 20}, Keep: 1},
			sim.AttemptParams{After: mon, Due: due, First: true, Inherited: true},
			func(at time.Time) bool { return at.Equal(cal.Add(mon, 20*time.Hour)) }},
		{"NotBefore delays the first look", sim.Persona{First: sim.Span{1, 1}, NotBefore: mon.AddDate(0, 0, 3)},
			sim.AttemptParams{After: mon, First: true},
			func(at time.Time) bool { return at.Equal(mon.AddDate(0, 0, 3).Add(time.Hour)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.p.Work = work
			for seed := range uint64(20) {
				at := tt.p.Attempt(rand.New(rand.NewPCG(seed, 0)), tt.a)
				if !tt.check(at) || !work.Works(at) && !at.Equal(cal.Add(tt.a.After, 0)) {
					t.Fatalf("seed %d: Attempt = %v", seed, at.Format(time.DateTime))
				}
			}
		})
	}
}

// TestSim_Plan checks plans as a state machine: whatever is planned,
// superseded and cancelled, only each key's last plan runs, once, at its
// instant, and Planned reports exactly the plans that have not run.
func TestSim_Plan(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		s := newSim(rt, sim.Config{Step: time.Hour})
		keys := []string{"L-1", "L-2", "L-3"}
		want := map[string]sim.Plan{} // the plans that should run
		ran := map[string][]sim.Plan{}
		seq := 0
		rt.Repeat(map[string]func(*rapid.T){
			"plan": func(rt *rapid.T) {
				key := rapid.SampledFrom(keys).Draw(rt, "key")
				seq++
				p := sim.Plan{By: string(rune('a' + seq%26)), At: s.Now().Add(time.Duration(rapid.IntRange(0, 6).Draw(rt, "hours")) * time.Hour)}
				want[key] = p
				s.Plan(key, p, func(_ context.Context, at time.Time) error {
					ran[key] = append(ran[key], p)
					if !at.Equal(p.At) {
						rt.Fatalf("plan of %s ran at %v, planned for %v", key, at, p.At)
					}
					return nil
				})
			},
			"cancel": func(rt *rapid.T) {
				key := rapid.SampledFrom(keys).Draw(rt, "key")
				delete(want, key)
				s.Cancel(key)
			},
			"run": func(rt *rapid.T) {
				until := s.Now().Add(time.Duration(rapid.IntRange(1, 3).Draw(rt, "hours")) * time.Hour)
				if err := s.Run(context.Background(), until); err != nil {
					rt.Fatal(err)
				}
				for key, p := range want {
					if !p.At.After(until) {
						if got := ran[key]; len(got) == 0 || got[len(got)-1] != p {
							rt.Fatalf("%s: ran %v, want its last plan %v to have run", key, got, p)
						}
						delete(want, key)
					}
				}
			},
			"": func(rt *rapid.T) {
				for _, key := range keys {
					got, ok := s.Planned(key)
					p, wantOK := want[key]
					if ok != wantOK || got != p {
						rt.Fatalf("Planned(%s) = %v, %t; want %v, %t", key, got, ok, p, wantOK)
					}
				}
				for key, ps := range ran {
					for i, p := range ps[:max(0, len(ps)-1)] {
						if ps[i+1] == p {
							rt.Fatalf("%s: plan %v ran twice", key, p)
						}
					}
				}
			},
		})
	})
}

func TestSim_Snapshot(t *testing.T) {
	t.Parallel()
	s := newSim(t, sim.Config{Engine: leadline.Config{Roster: org}})
	ctx := t.Context()
	if err := s.Handle(ctx, lead.Event{Kind: lead.EventCreated, Lead: "L-1", At: start}); err != nil {
		t.Fatal(err)
	}
	before, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := s.Snapshot(ctx)
	if n := before.Changed(again); n != 0 || len(before) != 1 {
		t.Fatalf("nothing written: Changed = %d over %d leads, want 0 over 1", n, len(before))
	}
	if err := s.Handle(ctx, lead.Event{Kind: lead.EventInquiry, Lead: "L-1", At: start}); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Snapshot(ctx)
	if n := before.Changed(after); n != 1 {
		t.Fatalf("after an inquiry Changed = %d, want 1", n)
	}
}

func TestSim_DayNotifications(t *testing.T) {
	t.Parallel()
	var days []sim.Day
	s := newSim(t, sim.Config{Engine: leadline.Config{Roster: org}, DayFunc: func(_ context.Context, d sim.Day) error {
		days = append(days, d)
		return nil
	}})
	s.At(s.Date(1, 10, 0), func(ctx context.Context, at time.Time) error {
		if err := s.Handle(ctx, lead.Event{Kind: lead.EventCreated, Lead: "L-1", At: at, Score: decimal.NewFromInt(120)}); err != nil {
			return err
		}
		return s.Handle(ctx, lead.Event{Kind: lead.EventInquiry, Lead: "L-1", At: at})
	})
	if err := s.Run(t.Context(), s.Date(3, 0, 0)); err != nil {
		t.Fatal(err)
	}
	var got []int
	total := 0
	for _, d := range days {
		got = append(got, len(d.Notifications))
		total += len(d.Notifications)
	}
	if got[0] != 0 || got[1] == 0 || total != len(s.Notifications()) {
		t.Errorf("notifications by day %v, want none on day 0, some on day 1, %d in all", got, len(s.Notifications()))
	}
}
