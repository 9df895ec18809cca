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
	"github.com/leadline/leadline/sim"
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
