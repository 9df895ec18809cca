package replay_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/replay"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestRun_equalsEngineRun drives a live engine as Engine.Run would, a
// sweep every minute on the grid and each event at its own instant, and
// checks that the replay of its log with that grid writes every lead's
// history entry for entry (E3, E5).
func TestRun_equalsEngineRun(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	evs := slices.Collect(synth(3000, 5))
	st := memstore.New()
	clk := sim.NewClock(start)
	eng, err := leadline.New(st, leadline.Config{Roster: team(), Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	tick := leadline.IntervalDefault
	grid := start
	for _, ev := range evs {
		for next := grid.Add(tick); next.Before(ev.At); next = next.Add(tick) {
			grid = next
			clk.Set(grid)
			if _, err := eng.Sweep(ctx); err != nil {
				t.Fatal(err)
			}
		}
		clk.Set(ev.At)
		if err := eng.Handle(ctx, ev); err != nil && !refused(err) {
			t.Fatalf("live Handle(%s): %v", ev.ID, err)
		}
	}
	until := grid.Add(tick)
	clk.Set(until)
	if _, err := eng.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	out, err := replay.Run(ctx, ok(slices.Values(evs)), replay.Options{Roster: team(), Tick: tick, Start: start, Until: until})
	if err != nil {
		t.Fatal(err)
	}
	sameHistories(t, st, out)
}

func refused(err error) bool {
	return errors.Is(err, leadline.ErrInvalid) || errors.Is(err, leadline.ErrNotFound) || errors.Is(err, leadline.ErrDuplicateEvent)
}

// sameHistories checks that every lead of the live store has the same
// history in the replay, and no other lead is there.
func sameHistories(tb testing.TB, live leadline.Store, out *replay.Outcome) {
	tb.Helper()
	ctx := context.Background()
	ls, err := live.Leads(ctx, leadline.Query{})
	if err != nil {
		tb.Fatal(err)
	}
	if len(ls) != len(out.Leads) {
		tb.Fatalf("replay has %d leads, live %d", len(out.Leads), len(ls))
	}
	for _, l := range ls {
		want, err := live.History(ctx, l.ID)
		if err != nil {
			tb.Fatal(err)
		}
		got, err := out.Engine().History(ctx, sim.Ops, l.ID)
		if err != nil {
			tb.Fatal(err)
		}
		if len(got) != len(want) {
			tb.Fatalf("lead %s: replay wrote %d history entries, live %d", l.ID, len(got), len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			if !g.At.Equal(w.At) || g.String() != w.String() || g.Event != w.Event {
				tb.Fatalf("lead %s entry %d:\n got %v at %v (%s)\nwant %v at %v (%s)", l.ID, i, g, g.At, g.Event, w, w.At, w.Event)
			}
		}
	}
}

// TestRun_deadlinesAsTheyPass: with no grid a deadline fires the
// microsecond after its due instant, as a sweeper that never sleeps
// would fire it (T1, T10, E5).
func TestRun_deadlinesAsTheyPass(t *testing.T) {
	t.Parallel()
	t0 := start
	log := []lead.Event{
		{ID: "e1", Kind: lead.EventCreated, Lead: "L-1", At: t0, Score: decimal.NewFromInt(120)},
		{ID: "e2", Kind: lead.EventInquiry, Lead: "L-1", At: t0.Add(time.Minute)},
	}
	out, err := replay.Run(t.Context(), ok(slices.Values(log)), replay.Options{Roster: team(), Until: t0.Add(50 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	h, err := out.Engine().History(t.Context(), sim.Ops, "L-1")
	if err != nil {
		t.Fatal(err)
	}
	due := t0.Add(time.Minute + 48*time.Hour)
	var moved *lead.Change
	for i := range h {
		if h[i].Field == lead.FieldOwner && h[i].Rule == "T1" {
			moved = &h[i]
		}
	}
	if moved == nil {
		t.Fatalf("no T1 reassignment in the history:\n%v", h)
	}
	if want := due.Add(time.Microsecond); !moved.At.Equal(want) {
		t.Errorf("T1 reassignment at %v, want %v (the microsecond after the Stage1 deadline)", moved.At, want)
	}
	if out.Team.Reassignments != 1 || out.Team.Requests != 1 || out.Notifications["reassigned"] != 1 {
		t.Errorf("outcome: %+v, notifications %v; want one request and one reassignment", out.Team.Counts, out.Notifications)
	}
}

func TestRun_refusedEventsAreCounted(t *testing.T) {
	t.Parallel()
	log := []lead.Event{
		{ID: "e1", Kind: lead.EventInquiry, Lead: "L-9", At: start},
		{ID: "e2", Kind: lead.EventCreated, Lead: "L-1", At: start},
		{ID: "e2", Kind: lead.EventCreated, Lead: "L-1", At: start},
	}
	out, err := replay.Run(t.Context(), ok(slices.Values(log)), replay.Options{Roster: team()})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"not found": 1, "duplicate": 1}; !reflect.DeepEqual(out.Refused, want) {
		t.Errorf("Refused = %v, want %v", out.Refused, want)
	}
}

func TestRun_stopsAtABadLine(t *testing.T) {
	t.Parallel()
	log := func(yield func(lead.Event, error) bool) {
		if yield(lead.Event{ID: "e1", Kind: lead.EventCreated, Lead: "L-1", At: start}, nil) {
			yield(lead.Event{}, &leadline.FieldError{Field: "kind", Line: 2, Err: errors.New("unknown")})
		}
	}
	_, err := replay.Run(t.Context(), log, replay.Options{})
	if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Line != 2 {
		t.Fatalf("Run = %v, want the FieldError of line 2", err)
	}
}

// TestRun_properties: any log replays the same way twice, and the
// outcome's parts add up to the team's (V9).
func TestRun_properties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 400).Draw(t, "events")
		seed := rapid.Uint64().Draw(t, "seed")
		tick := rapid.SampledFrom([]time.Duration{0, time.Minute, 30 * time.Minute}).Draw(t, "tick")
		batched := tick > 0 && rapid.Bool().Draw(t, "batched")
		evs := slices.Collect(synth(n, seed))
		opts := replay.Options{Roster: team(), Tick: tick, Batched: batched, Start: start, Until: evs[len(evs)-1].At.Add(10 * 24 * time.Hour)}
		a, err := replay.Run(context.Background(), ok(slices.Values(evs)), opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := replay.Run(context.Background(), ok(slices.Values(evs)), opts)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a.Leads, b.Leads) || !reflect.DeepEqual(a.Team, b.Team) {
			t.Fatalf("two replays of one log differ (E1)")
		}
		if c := replay.Diff(*a, *b); len(c.Leads) != 0 || len(c.Team) != 0 || len(c.Policy) != 0 {
			t.Fatalf("Diff of two equal replays: %+v", c)
		}
		var leads, reps replay.Counts
		for _, l := range a.Leads {
			add(&leads, &l.Counts)
		}
		for _, r := range a.Reps {
			add(&reps, &r.Counts)
		}
		if leads != a.Team.Counts || reps != a.Team.Counts {
			t.Fatalf("team %+v, leads add up to %+v, reps to %+v", a.Team.Counts, leads, reps)
		}
		if got, want := a.Team.Reminders, a.Notifications["reminder"]; got != want {
			t.Fatalf("history counts %d reminders, %d reminder notifications were delivered (A4, T8, T13)", got, want)
		}
		if got, want := a.Team.Reassignments, a.Notifications["reassigned"]; got != want {
			t.Fatalf("history counts %d reassignments, %d notifications (T1, T10)", got, want)
		}
		if a.Team.Attempted > a.Team.Requests {
			t.Fatalf("%d requests attempted of %d (V9)", a.Team.Attempted, a.Team.Requests)
		}
		if a.Events != n {
			t.Fatalf("replayed %d events of %d", a.Events, n)
		}
	})
}

func add(c, o *replay.Counts) {
	c.Requests += o.Requests
	c.Attempted += o.Attempted
	c.Late += o.Late
	c.Reassignments += o.Reassignments
	c.Reminders += o.Reminders
	c.Escalations += o.Escalations
	c.Recycles += o.Recycles
	c.Connections += o.Connections
	c.Breaches += o.Breaches
	c.Handoffs += o.Handoffs
}

// TestRun_countsAsTheSLAReport: a replay's Counts are counted as the
// follow-up SLA report counts them (V9), so that the two agree. A request
// made mid-cadence is attempted at the next attempt, whatever stage it
// makes (A4); T13's hand-ons are reassignments of the rep the lead was
// taken from (T10), and the hand-on to the manager once MaxReassignments
// are spent an escalation (T10).
func TestRun_countsAsTheSLAReport(t *testing.T) {
	t.Parallel()
	t0 := start
	log := []lead.Event{
		{ID: "e1", Kind: lead.EventCreated, Lead: "L-1", At: t0, Score: decimal.NewFromInt(120), Owner: "rep-1"},
		{ID: "e2", Kind: lead.EventInquiry, Lead: "L-1", At: t0},
		{ID: "e3", Kind: lead.EventOutbound, Lead: "L-1", At: t0.Add(time.Hour), Actor: "rep-1", Channels: stage.Call},
		// At Stage1, a second request, answered by the Stage2 attempt
		// two hours later.
		{ID: "e4", Kind: lead.EventInquiry, Lead: "L-1", At: t0.Add(24 * time.Hour), Topic: "again"},
		{ID: "e5", Kind: lead.EventOutbound, Lead: "L-1", At: t0.Add(26 * time.Hour), Actor: "rep-1", Channels: stage.Call},
		// Then nobody works it: each owner gets the Stage3 deadline
		// (T8), two reminders (T13) and loses it 8 days after the step.
	}
	out, err := replay.Run(t.Context(), ok(slices.Values(log)), replay.Options{Roster: team(), Until: t0.Add(30 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	h, err := out.Engine().History(t.Context(), sim.Ops, "L-1")
	if err != nil {
		t.Fatal(err)
	}
	var moves []string
	for _, c := range h {
		if c.Field == lead.FieldOwner {
			moves = append(moves, c.Rule)
		}
	}
	if want := []string{"M9", "T13", "T13", "T10"}; !slices.Equal(moves, want) {
		t.Fatalf("owner changes by %q, want %q", moves, want)
	}
	want := replay.Counts{Requests: 2, Attempted: 2, Reassignments: 2, Escalations: 1}
	got := out.Team.Counts
	got.Reminders, got.Breaches = 0, 0 // not the point here
	if got != want || out.Team.FirstAttempt != time.Hour {
		t.Errorf("team %+v, median first attempt %v; want %+v, 1h (1h and 2h)", out.Team.Counts, out.Team.FirstAttempt, want)
	}
	if r := out.Reps["rep-1"]; r == nil || r.Requests != 2 || r.Attempted != 2 || r.Reassignments != 1 || r.Escalations != 0 {
		t.Errorf("rep-1: %+v; want 2 requests, 2 attempted, 1 reassignment", r)
	}
	sameAsSLA(t, out)
}

// TestRun_countsAgreeWithTheSLAReport: on a synthetic log, the replay's
// counts per rep are the SLA report's over the same history (V9).
func TestRun_countsAgreeWithTheSLAReport(t *testing.T) {
	t.Parallel()
	evs := slices.Collect(synth(1500, 5))
	out, err := replay.Run(t.Context(), ok(slices.Values(evs)), replay.Options{Roster: team(), Until: evs[len(evs)-1].At.Add(20 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Team.Reassignments == 0 || out.Team.Escalations == 0 || out.Team.Attempted == 0 {
		t.Fatalf("the log counts too little to compare: %+v", out.Team.Counts)
	}
	sameAsSLA(t, out)
}

// sameAsSLA runs report.SLA over the history of out's leads, copied into
// a memstore, and checks that each rep's numbers are out's.
func sameAsSLA(t *testing.T, out *replay.Outcome) {
	t.Helper()
	ctx := t.Context()
	ls, err := out.Engine().Leads(ctx, sim.Ops, leadline.Query{})
	if err != nil {
		t.Fatal(err)
	}
	st := memstore.New()
	var last time.Time
	for _, l := range ls {
		h, err := out.Engine().History(ctx, sim.Ops, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range h {
			if c.At.After(last) {
				last = c.At
			}
		}
		l.Version = 0
		if err := st.Apply(ctx, leadline.Write{Lead: l, Event: "copy-" + l.ID, At: l.Created, History: h}); err != nil {
			t.Fatal(err)
		}
	}
	p := report.Period{From: start.Add(-time.Hour), To: last.Add(time.Hour)}
	rows, err := report.SLA(ctx, st, sim.Ops, report.SLAParams{Frame: report.Frame{Now: p.To, Zone: jst}, Period: p})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 {
		t.Fatalf("the SLA report has %d rows, want the reps' and the team's", len(rows))
	}
	// The reps' rows, then the team's, the last.
	for i, r := range rows {
		rep := out.Reps[r.Owner]
		if i == len(rows)-1 {
			rep = &out.Team
		}
		if rep == nil {
			rep = &replay.Row{}
		}
		got := [7]int64{int64(rep.Requests), int64(rep.Attempted), int64(rep.Reassignments), int64(rep.Escalations),
			int64(rep.Connections), int64(rep.Recycles), int64(rep.FirstAttempt)}
		want := [7]int64{int64(r.Requests), int64(r.Attempted), int64(r.Reassigned), int64(r.Escalated),
			int64(r.Connections), int64(r.Recycles), int64(r.FirstMedian)}
		if got != want {
			t.Errorf("row %d, rep %q: replay counts requests, attempted, reassigned, escalated, connections, recycles, median %v; the SLA report %v",
				i, r.Owner, got, want)
		}
	}
}
