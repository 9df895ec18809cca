package sim_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

var (
	jst   = time.FixedZone("JST", 9*3600)
	start = time.Date(2026, time.April, 6, 9, 0, 0, 0, jst) // a Monday
	org   = &routing.Org{Inside: routing.Team{ID: "inside", Manager: "mgr",
		Reps: []routing.Rep{{ID: "aiko"}, {ID: "ben"}, {ID: "chie"}}}}
)

// fataler is what newSim needs of a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatal(args ...any)
}

func newSim(tb fataler, cfg sim.Config) *sim.Sim {
	tb.Helper()
	cfg.Store = memstore.New()
	if cfg.Start.IsZero() {
		cfg.Start = start
	}
	s, err := sim.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestNew_errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cfg   sim.Config
		field string
	}{
		{"no start", sim.Config{}, "start"},
		{"negative step", sim.Config{Start: start, Step: -time.Minute}, "step"},
		{"clock set", sim.Config{Start: start, Engine: leadline.Config{Clock: clock.NewMock()}}, "engine.clock"},
		{"notifier set", sim.Config{Start: start, Engine: leadline.Config{Notifier: leadline.NotifierFunc(nil)}}, "engine.notifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.Store = memstore.New()
			_, err := sim.New(tt.cfg)
			fe, ok := errors.AsType[*leadline.FieldError](err)
			if !ok || fe.Field != tt.field || !errors.Is(err, leadline.ErrInvalid) {
				t.Fatalf("New(%s) = %v, want a *FieldError for %q", tt.name, err, tt.field)
			}
		})
	}
}

// TestSim_order checks the scheduler's one promise as a property: actions
// run in instant order, ties in the order they were scheduled, each at the
// first tick at or after its instant, including actions scheduled by
// actions.
func TestSim_order(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		step := time.Duration(rapid.IntRange(15, 90).Draw(rt, "step minutes")) * time.Minute
		s := newSim(rt, sim.Config{Step: step})
		type ran struct {
			at, tick, when time.Time // when: the clock's instant when it was scheduled
			seq            int
		}
		var got []ran
		var want []ran
		seq := 0
		var schedule func(at time.Time, children int)
		schedule = func(at time.Time, children int) {
			seq++
			me := seq
			when := s.Now()
			want = append(want, ran{at: at, seq: me})
			kids := make([]int, children)
			for i := range kids {
				kids[i] = rapid.IntRange(-60, 300).Draw(rt, "child offset minutes")
			}
			s.At(at, func(_ context.Context, a time.Time) error {
				got = append(got, ran{at: a, tick: s.Now(), when: when, seq: me})
				for _, k := range kids {
					schedule(s.Now().Add(time.Duration(k)*time.Minute), 0)
				}
				return nil
			})
		}
		for range rapid.IntRange(0, 30).Draw(rt, "actions") {
			off := rapid.SampledFrom([]int{0, 5, 30, 30, 61, 600, 1000}).Draw(rt, "offset minutes")
			schedule(start.Add(time.Duration(off)*time.Minute), rapid.IntRange(0, 2).Draw(rt, "children"))
		}
		if err := s.Run(context.Background(), start.Add(26*time.Hour)); err != nil {
			rt.Fatal(err)
		}
		if s.Pending() != 0 {
			rt.Fatalf("%d actions left after the run", s.Pending())
		}
		if len(got) != len(want) {
			rt.Fatalf("%d actions ran, want %d", len(got), len(want))
		}
		for i := 1; i < len(got); i++ {
			a, b := got[i-1], got[i]
			if b.tick.Before(a.tick) {
				rt.Fatalf("action %d ran at tick %v after action %d at tick %v", b.seq, b.tick, a.seq, a.tick)
			}
			if a.tick.Equal(b.tick) && a.at.Equal(b.at) && b.seq < a.seq {
				rt.Fatalf("tie at %v: action %d ran after %d, which was scheduled later", a.at, a.seq, b.seq)
			}
			if a.tick.Equal(b.tick) && b.at.Before(a.at) && !b.when.After(a.when) {
				rt.Fatalf("action %d at %v ran after action %d at %v", b.seq, b.at, a.seq, a.at)
			}
		}
		for _, r := range got {
			if r.tick.Before(r.at) {
				rt.Fatalf("action %d for %v ran early, at tick %v", r.seq, r.at, r.tick)
			}
			if r.tick.Sub(r.at) >= step && r.at.After(r.when) {
				rt.Fatalf("action %d for %v ran late, at tick %v with step %v", r.seq, r.at, r.tick, step)
			}
		}
	})
}

// TestSim_tiesInInsertionOrder pins the tie rule on a plain case.
func TestSim_tiesInInsertionOrder(t *testing.T) {
	t.Parallel()
	s := newSim(t, sim.Config{})
	var order []string
	at := func(d time.Duration, name string) {
		s.At(start.Add(d), func(context.Context, time.Time) error { order = append(order, name); return nil })
	}
	at(time.Hour, "c1")
	at(time.Minute, "a")
	at(time.Hour, "c2")
	at(59*time.Minute, "b")
	at(time.Hour, "c3")
	if err := s.Run(t.Context(), start.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b", "c1", "c2", "c3"}; !slices.Equal(order, want) {
		t.Fatalf("ran %v, want %v", order, want)
	}
}

// script plays a small team at random from seed: leads arrive, reps call
// back after a random delay, some leads answer.
func script(tb testing.TB, seed uint64) *sim.Sim {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, seed))
	var s *sim.Sim
	s = newSim(tb, sim.Config{Engine: leadline.Config{Roster: org},
		NotifyFunc: func(ctx context.Context, n leadline.Notification) error {
			if n.Kind != leadline.NoteApproachRequest && n.Kind != leadline.NoteReassigned {
				return nil
			}
			s.After(sim.Hours(r, 1, 60), func(ctx context.Context, at time.Time) error {
				err := s.Handle(ctx, lead.Event{Kind: lead.EventOutbound, Lead: n.Lead, At: at, Actor: n.To, Channels: stage.Call})
				if errors.Is(err, leadline.ErrInvalidTransition) {
					return nil
				}
				if err == nil && r.Float64() < 0.3 {
					return s.Handle(ctx, lead.Event{Kind: lead.EventContact, Lead: n.Lead, At: at, Actor: n.To, Channels: stage.Call})
				}
				return err
			})
			return nil
		}})
	for i := range 40 {
		id := fmt.Sprintf("L-%02d", i)
		t := sim.Between(r, start, start.Add(96*time.Hour))
		score := decimal.NewFromInt(int64(60 + r.IntN(100)))
		s.At(t, func(ctx context.Context, at time.Time) error {
			if err := s.Handle(ctx, lead.Event{Kind: lead.EventCreated, Lead: id, At: at, Score: score}); err != nil {
				return err
			}
			return s.Handle(ctx, lead.Event{ID: s.NewID("ma"), Kind: lead.EventInquiry, Lead: id, At: at})
		})
	}
	if err := s.Run(tb.Context(), start.Add(10*24*time.Hour)); err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestSim_deterministic: one script, one seed, the same event log and the
// same notifications (E1).
func TestSim_deterministic(t *testing.T) {
	t.Parallel()
	a, b := script(t, 7), script(t, 7)
	if len(a.Events()) < 80 || len(a.Notifications()) == 0 || len(a.Fired()) == 0 {
		t.Fatalf("the script did little: %d events, %d notifications, %d deadlines fired",
			len(a.Events()), len(a.Notifications()), len(a.Fired()))
	}
	if !reflect.DeepEqual(a.Events(), b.Events()) {
		t.Error("two runs with seed 7 handled different events")
	}
	if !reflect.DeepEqual(a.Notifications(), b.Notifications()) {
		t.Error("two runs with seed 7 delivered different notifications")
	}
	if c := script(t, 8); reflect.DeepEqual(a.Events(), c.Events()) {
		t.Error("seeds 7 and 8 told the same story; the seed is not used")
	}
}

func TestSim_Handle(t *testing.T) {
	t.Parallel()
	s := newSim(t, sim.Config{})
	ctx := t.Context()
	if err := s.Handle(ctx, lead.Event{Kind: lead.EventCreated, Lead: "L-1", At: start}); err != nil {
		t.Fatal(err)
	}
	err := s.Handle(ctx, lead.Event{Kind: lead.EventContact, Lead: "L-404", At: start, Actor: "aiko", Channels: stage.Call})
	if !errors.Is(err, leadline.ErrNotFound) {
		t.Fatalf("Handle(contact of an unknown lead) = %v, want ErrNotFound through the wrapping", err)
	}
	evs := s.Events()
	if len(evs) != 1 || evs[0].ID != "ev-000001" {
		t.Fatalf("Events = %+v, want the created event with id ev-000001", evs)
	}
	if got := []string{s.NewID("crm"), s.NewID("crm"), s.NewID("ev")}; !slices.Equal(got, []string{"crm-000001", "crm-000002", "ev-000003"}) {
		t.Errorf("NewID = %v, want counters per prefix", got)
	}
}

func TestSim_DayFunc(t *testing.T) {
	t.Parallel()
	var days []sim.Day
	s := newSim(t, sim.Config{Step: 7 * time.Hour, DayFunc: func(_ context.Context, d sim.Day) error {
		days = append(days, d)
		return nil
	}})
	if err := s.Run(t.Context(), s.Date(3, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if len(days) != 3 {
		t.Fatalf("DayFunc called for %d days, want 3", len(days))
	}
	for i, d := range days {
		if d.Index != i || !d.End.Equal(s.Date(i+1, 0, 0)) {
			t.Errorf("day %d = %+v, want index %d ending at %v", i, d, i, s.Date(i+1, 0, 0))
		}
	}
	if !days[0].Start.Equal(start) || !days[1].Start.Equal(s.Date(1, 0, 0)) {
		t.Errorf("days start at %v and %v, want the run's start and the first midnight", days[0].Start, days[1].Start)
	}
	if !s.Now().Equal(s.Date(3, 0, 0)) {
		t.Errorf("Run stopped at %v, want exactly at until", s.Now())
	}
}

func TestSim_Run_stops(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	s := newSim(t, sim.Config{})
	s.At(start.Add(time.Hour), func(context.Context, time.Time) error { return boom })
	if err := s.Run(t.Context(), start.Add(5*time.Hour)); !errors.Is(err, boom) {
		t.Fatalf("Run = %v, want the action's error", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.Run(ctx, start.Add(5*time.Hour)); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestSchedule(t *testing.T) {
	t.Parallel()
	cal := stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo", Holidays: []string{"jp"}})
	fri := time.Date(2026, time.April, 10, 17, 0, 0, 0, jst)
	mon := time.Date(2026, time.April, 13, 9, 0, 0, 0, jst)
	sick := routing.Period{From: mon, To: mon.Add(27 * time.Hour)} // Monday and Tuesday until noon
	w := sim.Schedule{Calendar: cal, Away: []routing.Period{sick}}
	tests := []struct {
		name string
		got  time.Time
		want time.Time
	}{
		{"Next in hours is now", w.Next(fri), fri},
		{"Next skips the weekend and the absence", w.Next(fri.Add(2 * time.Hour)), mon.Add(27 * time.Hour)},
		{"Add counts working hours only (T11)", w.Add(fri, 2*time.Hour), mon.Add(time.Hour)},
		{"Add starts when the person is back", w.Add(mon, time.Hour), mon.Add(28 * time.Hour)},
		{"LastBefore steps back to working time", w.LastBefore(mon.Add(3*time.Hour), 1), fri.Add(45 * time.Minute)},
	}
	for _, tt := range tests {
		if !tt.got.Equal(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if w.Works(mon.Add(time.Hour)) || !w.Absent(mon.Add(time.Hour)) || !w.Works(fri) {
		t.Error("Works/Absent disagree with the calendar and the absence")
	}
}

func TestCount(t *testing.T) {
	t.Parallel()
	c := sim.Count{"web": 4, "seminar": 2, "list": 0, "partner": 2}
	if got, want := c.List("seminar", "web", "list"), "seminar 2, web 4"; got != want {
		t.Errorf("List = %q, want %q", got, want)
	}
	if got := c.List("list"); got != "none" {
		t.Errorf("List of zeros = %q, want none", got)
	}
	if got, want := c.Ranked(), "4 web, 0 list"; got[:5] != want[:5] {
		t.Errorf("Ranked = %q, want it to start %q", got, want[:5])
	}
	if got, want := c.Ranked(), "4 web, 2 partner, 2 seminar, 0 list"; got != want {
		t.Errorf("Ranked = %q, want %q", got, want)
	}
	if c.Sum() != 8 {
		t.Errorf("Sum = %d, want 8", c.Sum())
	}
	if got, want := sim.RuleIDs("M4 M3 high-engagement campaign; M4 invited (A1), T10"), []string{"M4", "M3", "A1", "T10"}; !slices.Equal(got, want) {
		t.Errorf("RuleIDs = %v, want %v", got, want)
	}
}
