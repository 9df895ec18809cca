package sim

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
)

// StepDefault is how far [Sim.Run] moves the clock between sweeps unless
// [Config.Step] says otherwise.
const StepDefault = 30 * time.Minute

// Ops is the viewer a simulation reads leads as: it plays everyone, so it
// reads as operations, who see every lead (M2).
var Ops = routing.Viewer{Rep: "simulation", Role: routing.RoleOps}

// ActionFunc is something the script does at an instant: at is the instant
// it was scheduled for, at or a little before the clock's now (the tick
// that runs it). An error stops [Sim.Run], which returns it.
type ActionFunc func(ctx context.Context, at time.Time) error

// Day is one calendar day of a run, in [Config.Zone].
type Day struct {
	// Index counts days from the day the run starts, 0.
	Index int
	// Start is the day's midnight, or the run's start on its first day.
	Start time.Time
	// End is the next midnight.
	End time.Time
	// Notifications are those delivered since the previous day was
	// reported, in order: the day's, and those of the tick at its end.
	Notifications []leadline.Notification
}

// Config holds a simulation's settings.
type Config struct {
	// Store is where the engine keeps its state: memstore.New() for a
	// simulation in memory. Required.
	Store leadline.Store
	// Engine is the engine's configuration. Its Clock and Notifier must be
	// nil: the simulation sets them to its mock clock and to its inbox.
	Engine leadline.Config
	// Start is the instant the clock starts at. Required.
	Start time.Time
	// Step is how far [Sim.Run] moves the clock between sweeps; actions
	// run at the first tick at or after their instant. Defaults to
	// [StepDefault], 30 minutes.
	Step time.Duration
	// Zone is the time zone days begin in, for [Config.DayFunc] and
	// [Sim.Date]. Defaults to Start's location.
	Zone *time.Location
	// NotifyFunc is handed each notification delivered at a tick, in the
	// order of delivery, after that tick's Deliver. It may schedule
	// actions and handle events. Defaults to doing nothing; the
	// notifications are kept for [Sim.Notifications] either way.
	NotifyFunc func(ctx context.Context, n leadline.Notification) error
	// DayFunc is called at the first tick at or after each midnight, once
	// per day that ended, after that tick's actions, sweep and
	// notifications. Defaults to doing nothing.
	DayFunc func(ctx context.Context, d Day) error
}

// Sim is one simulation run: an engine on a mock clock, the actions to
// come, and what happened so far. Build it with [New]. A Sim is not safe
// for concurrent use; actions run one at a time on the goroutine of
// [Sim.Run].
type Sim struct {
	cfg    Config
	clk    *Clock
	eng    *leadline.Engine
	queue  queue
	seq    uint64
	ids    map[string]int
	inbox  []leadline.Notification
	notes  []leadline.Notification
	events []lead.Event
	byID   map[string]int // event id -> index in events
	fired  []lead.Deadline
	day    Day
	dayAt  int // index in notes of the day's first notification
	plans  map[string]*plan
	gen    uint64
	seen   map[string]int // history entries Changes returned, by lead
}

// New builds the engine over cfg.Store with cfg.Engine, the simulation's
// mock clock at cfg.Start and its inbox as notifier. It panics if
// cfg.Store is nil, a programmer's error. A missing Start, a negative
// Step or a Clock or Notifier in cfg.Engine is a [*leadline.FieldError];
// so is a policy the engine refuses.
func New(cfg Config) (*Sim, error) {
	if cfg.Store == nil {
		panic("sim: New called with a nil Config.Store")
	}
	var errs []error
	bad := func(field, why string) {
		errs = append(errs, &leadline.FieldError{Field: field, Err: errors.New(why)})
	}
	if cfg.Start.IsZero() {
		bad("start", "required: the instant the simulation starts at")
	}
	if cfg.Step < 0 {
		bad("step", fmt.Sprintf("must be positive, got %v", cfg.Step))
	}
	if cfg.Engine.Clock != nil {
		bad("engine.clock", "must be nil: the simulation sets its own mock clock")
	}
	if cfg.Engine.Notifier != nil {
		bad("engine.notifier", "must be nil: use Config.NotifyFunc to see notifications")
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	if cfg.Step == 0 {
		cfg.Step = StepDefault
	}
	if cfg.Zone == nil {
		cfg.Zone = cfg.Start.Location()
	}
	s := &Sim{cfg: cfg, clk: NewClock(cfg.Start), ids: map[string]int{}}
	ecfg := cfg.Engine
	ecfg.Clock = s.clk
	ecfg.Notifier = leadline.NotifierFunc(func(_ context.Context, n leadline.Notification) error {
		s.inbox = append(s.inbox, n)
		return nil
	})
	eng, err := leadline.New(cfg.Store, ecfg)
	if err != nil {
		return nil, fmt.Errorf("sim: engine: %w", err)
	}
	s.eng = eng
	s.day = Day{Index: 0, Start: cfg.Start, End: s.Date(1, 0, 0)}
	return s, nil
}

// Engine returns the simulation's engine.
func (s *Sim) Engine() *leadline.Engine { return s.eng }

// Clock returns the engine's clock, a [Clock] that never sleeps. [Sim.Run]
// moves it; a script should only read it.
func (s *Sim) Clock() *Clock { return s.clk }

// Now returns the clock's instant: the current tick.
func (s *Sim) Now() time.Time { return s.clk.Now() }

// Start returns the instant the simulation started at.
func (s *Sim) Start() time.Time { return s.cfg.Start }

// Zone returns the time zone days begin in.
func (s *Sim) Zone() *time.Location { return s.cfg.Zone }

// Date returns hh:mm on the i-th day of the run in the simulation's zone,
// counting the start's day as 0: Date(1, 0, 0) is the first midnight.
func (s *Sim) Date(i, hh, mm int) time.Time {
	y, m, d := s.cfg.Start.In(s.cfg.Zone).Date()
	return time.Date(y, m, d+i, hh, mm, 0, 0, s.cfg.Zone)
}

// At schedules f at t. Actions run in the order of their instants, and
// actions at one instant in the order they were scheduled. An action
// scheduled before the clock's now runs at the next tick.
func (s *Sim) At(t time.Time, f ActionFunc) {
	s.seq++
	heap.Push(&s.queue, &action{at: t, seq: s.seq, do: f})
}

// After schedules f d after the clock's now.
func (s *Sim) After(d time.Duration, f ActionFunc) { s.At(s.clk.Now().Add(d), f) }

// Pending returns how many actions are scheduled and have not run.
func (s *Sim) Pending() int { return len(s.queue) }

// NewID returns a fresh event id with prefix: "crm-000001", then
// "crm-000002"; each prefix counts on its own.
func (s *Sim) NewID(prefix string) string {
	s.ids[prefix]++
	return fmt.Sprintf("%s-%06d", prefix, s.ids[prefix])
}

// Handle hands ev to the engine, first giving it an id from [Sim.NewID]
// with prefix "ev" if it has none. A handled event is kept for
// [Sim.Events]. An error names the event and wraps the engine's, so
// errors.Is and errors.AsType see [leadline.ErrInvalidTransition] or a
// [*leadline.FieldError] through it.
func (s *Sim) Handle(ctx context.Context, ev lead.Event) error {
	if ev.ID == "" {
		ev.ID = s.NewID("ev")
	}
	if err := s.eng.Handle(ctx, ev); err != nil {
		return fmt.Errorf("sim: %s %s of %s at %s: %w", ev.Kind, ev.ID, ev.Lead, ev.At.Format(time.DateTime), err)
	}
	if s.byID == nil {
		s.byID = map[string]int{}
	}
	s.byID[ev.ID] = len(s.events)
	s.events = append(s.events, ev)
	return nil
}

// Event returns the event with id that the engine accepted through
// [Sim.Handle]: the campaign of the response that a route entry names, say.
func (s *Sim) Event(id string) (lead.Event, bool) {
	i, ok := s.byID[id]
	if !ok {
		return lead.Event{}, false
	}
	return s.events[i], true
}

// Events returns the events the engine accepted through [Sim.Handle], in
// order: the run's event log, which replays it.
func (s *Sim) Events() []lead.Event { return slices.Clone(s.events) }

// Notifications returns every notification delivered so far, in order.
func (s *Sim) Notifications() []leadline.Notification { return slices.Clone(s.notes) }

// Fired returns every deadline the sweeps fired so far, in order.
func (s *Sim) Fired() []lead.Deadline { return slices.Clone(s.fired) }

// Run moves the clock a step at a time until it reaches until. At each
// tick it runs the actions due by then (those they schedule for the tick
// or earlier included), sweeps the deadlines that passed, delivers the
// notifications, hands them to [Config.NotifyFunc] and reports the days
// that ended to [Config.DayFunc]. The last tick is at until. Run returns
// the first error of an action, the engine or a hook, or ctx's error; a
// later Run goes on from where it stopped.
func (s *Sim) Run(ctx context.Context, until time.Time) error {
	for now := s.clk.Now(); now.Before(until); {
		if err := ctx.Err(); err != nil {
			return err
		}
		now = now.Add(s.cfg.Step)
		if now.After(until) {
			now = until
		}
		s.clk.Set(now)
		if err := s.tick(ctx, now); err != nil {
			return err
		}
	}
	return nil
}

// tick plays one step of Run at now.
func (s *Sim) tick(ctx context.Context, now time.Time) error {
	for len(s.queue) > 0 && !s.queue[0].at.After(now) {
		a := heap.Pop(&s.queue).(*action)
		if err := a.do(ctx, a.at); err != nil {
			return err
		}
	}
	res, err := s.eng.Sweep(ctx)
	if err != nil {
		return fmt.Errorf("sim: sweep at %s: %w", now.Format(time.DateTime), err)
	}
	s.fired = append(s.fired, res.Fired...)
	if _, err := s.eng.Deliver(ctx); err != nil {
		return fmt.Errorf("sim: deliver at %s: %w", now.Format(time.DateTime), err)
	}
	inbox := s.inbox
	s.inbox = nil
	s.notes = append(s.notes, inbox...)
	if f := s.cfg.NotifyFunc; f != nil {
		for _, n := range inbox {
			if err := f(ctx, n); err != nil {
				return err
			}
		}
	}
	for !now.Before(s.day.End) {
		s.day.Notifications = slices.Clone(s.notes[s.dayAt:])
		s.dayAt = len(s.notes)
		if f := s.cfg.DayFunc; f != nil {
			if err := f(ctx, s.day); err != nil {
				return err
			}
		}
		next := s.day.Index + 1
		s.day = Day{Index: next, Start: s.day.End, End: s.Date(next+1, 0, 0)}
	}
	return nil
}

// action is something due to happen at an instant; seq breaks ties.
type action struct {
	at  time.Time
	seq uint64
	do  ActionFunc
}

// queue is a min-heap of actions by (at, seq).
type queue []*action

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if c := q[i].at.Compare(q[j].at); c != 0 {
		return c < 0
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(*action)) }
func (q *queue) Pop() any {
	old := *q
	a := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return a
}
