package leadline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
)

// Roster tells the engine who can own leads. The engine asks it at every
// assignment and every manager alert, so a host that keeps availability
// in its own system (an HR calendar, a CRM) sees changes at once.
// [routing.Org] is a static Roster.
type Roster interface {
	// Team returns the team of role, or an empty Team if there is none.
	Team(ctx context.Context, role routing.Role) (routing.Team, error)
}

// Config holds the engine's long-lived settings. The zero value of every
// field means its default.
type Config struct {
	// Policy is what sales-ops tune: triggers, cadence, routing and
	// retention. Defaults to [DefaultPolicy], the rule book.
	Policy Policy
	// Clock is where time comes from (E1): tests and simulations pass
	// clock.NewMock(). The engine reads it once per Handle, Sweep and
	// Deliver. Defaults to the wall clock, clock.New().
	Clock clock.Clock
	// Logger receives the engine's logs; lead names and e-mail addresses
	// are never logged. Defaults to discarding everything.
	Logger *slog.Logger
	// Notifier delivers notifications from the outbox (E4). With none,
	// notifications stay in the outbox (E9): [Engine.Deliver] delivers
	// nothing and [Engine.Run] only sweeps, so that forgetting this field
	// loses nothing; set it, and the backlog is delivered in order.
	Notifier Notifier
	// Roster supplies the inside team for round-robin assignment (M9) and
	// the managers who receive alerts (A4, T8). Defaults to no team at
	// all: leads stay unowned and notifications go to "" (an unassigned
	// queue).
	Roster Roster
	// MaxRetries is how many times Handle and Sweep retry a lead whose
	// write lost a compare-and-set race before giving up with
	// [ErrConflict]. A write loses one when another write changed the
	// lead since it was read, or took the round-robin place it read
	// (M9): every lost race is another write's success, so the engine
	// as a whole always progresses. Defaults to 32.
	MaxRetries int
	// Batch is how many deadlines Sweep claims, and notifications Deliver
	// claims, at a time. Defaults to 256.
	Batch int
	// Lease is how long a claimed deadline or notification stays hidden
	// from other sweepers and deliverers before it can be claimed again:
	// how long a process may take to fire or deliver it before another
	// one may. Defaults to 1 minute.
	Lease time.Duration
	// RetryBackoff is how long [Engine.Deliver] waits before it tries a
	// notification the notifier refused (or panicked on) again; the wait
	// doubles with each further failure of that notification, up to
	// RetryBackoffMax (E4). Each notification keeps its own count, so one
	// that keeps failing does not hold back the others. Defaults to 1
	// minute.
	RetryBackoff time.Duration
	// RetryBackoffMax caps the wait between two attempts of one
	// notification. It must not be below RetryBackoff. Defaults to 1 hour.
	RetryBackoffMax time.Duration
	// DeliveryAttempts is how many times Deliver tries a notification
	// before it sets it aside in the dead-letter list ([Engine.DeadLetters],
	// [Engine.Retry]), so that the rest of the outbox flows: with the
	// default backoff, 10 attempts span about 4 hours (1+2+4+...+60+60+60
	// minutes). Defaults to 10.
	DeliveryAttempts int
	// Interval is how often [Engine.Run] sweeps and delivers. Defaults to
	// 1 minute.
	Interval time.Duration
	// Templates replace the built-in notification texts of the policy's
	// language, keyed by notification kind ("reminder"), as Go
	// text/template over a [rules.TextData] (E10). A language that is not
	// built in needs one for every kind. Defaults to none: the built-in
	// English or Japanese texts.
	Templates map[string]string
}

// The defaults of [Config]'s numbers.
const (
	MaxRetriesDefault = 32
	BatchDefault      = 256
	LeaseDefault      = time.Minute
	IntervalDefault   = time.Minute

	RetryBackoffDefault     = time.Minute
	RetryBackoffMaxDefault  = time.Hour
	DeliveryAttemptsDefault = 10
)

// names reports whether err, or one of the errors it joins, is a
// [*FieldError] for field.
func names(err error, field string) bool {
	return slices.ContainsFunc(leaderr.Flat(err), func(e error) bool {
		fe, ok := e.(*FieldError)
		return ok && fe.Field == field
	})
}

// Validate reports every bad field of c, each a [*FieldError] named as
// in a configuration file ("config.lease", "policy.cadence.stage2.within"),
// joined with errors.Join; nil when c is good. Zero means the default;
// a negative number is refused, never replaced by the default.
func (c *Config) Validate() error {
	var errs []error
	if err := c.Policy.Validate(); err != nil {
		errs = append(errs, leaderr.Flat(leaderr.Prefix("policy.", err))...) // one list of every field
	}
	if o, ok := c.Roster.(*routing.Org); ok && o != nil {
		// A static roster is checked once here; any roster's teams are
		// checked again each time the engine reads them.
		for _, team := range [...]struct {
			name string
			t    routing.Team
		}{{"inside", o.Inside}, {"field", o.Field}} {
			// Named by the roster's own field, not by the team's id too.
			t := team.t
			id := t.ID
			t.ID = ""
			if err := lead.CheckID("config.roster."+team.name+".id", id); err != nil {
				errs = append(errs, err)
			} else if err := t.Validate(); err != nil {
				errs = append(errs, leaderr.Prefix("config.roster."+team.name+".", err))
			}
		}
	}
	if c.MaxRetries < 0 {
		errs = append(errs, leaderr.Errorf("config.max_retries", "must not be negative, got %d", c.MaxRetries))
	}
	if c.Batch < 0 {
		errs = append(errs, leaderr.Errorf("config.batch", "must not be negative, got %d", c.Batch))
	}
	if c.Lease < 0 {
		errs = append(errs, leaderr.Errorf("config.lease", "must not be negative, got %v", c.Lease))
	}
	if c.Interval < 0 {
		errs = append(errs, leaderr.Errorf("config.interval", "must not be negative, got %v", c.Interval))
	}
	if perr := c.Policy.Validate(); !names(perr, "language") && !names(perr, "time_zone") {
		// The texts need the policy's language and zone, and nothing
		// else of it: a bad template is reported beside a bad window.
		pol := c.Policy.Normalize()
		if _, err := rules.NewTexts(pol.Language, pol.Zone(), c.Templates); err != nil {
			errs = append(errs, leaderr.Prefix("config.", err))
		}
	}
	if c.RetryBackoff < 0 {
		errs = append(errs, leaderr.Errorf("config.retry_backoff", "must not be negative, got %v", c.RetryBackoff))
	}
	if c.RetryBackoffMax < 0 {
		errs = append(errs, leaderr.Errorf("config.retry_backoff_max", "must not be negative, got %v", c.RetryBackoffMax))
	} else if lo := cmp.Or(c.RetryBackoff, RetryBackoffDefault); c.RetryBackoffMax > 0 && c.RetryBackoffMax < lo {
		errs = append(errs, leaderr.Errorf("config.retry_backoff_max", "must be at least config.retry_backoff (%v), got %v", lo, c.RetryBackoffMax))
	}
	if c.DeliveryAttempts < 0 {
		errs = append(errs, leaderr.Errorf("config.delivery_attempts", "must not be negative, got %d", c.DeliveryAttempts))
	}
	return errors.Join(errs...)
}

// Engine runs the lead-handling rules over a [Store]: [Engine.Handle]
// applies events, [Engine.Sweep] fires deadlines, [Engine.Deliver]
// empties the outbox, [Engine.Run] does the last two in the background.
// An Engine is safe for concurrent use, and several engines (in several
// processes) may share one store that supports it.
//
// The zero Engine is not usable (it has no store); build one with [New].
// The engine loads, asks package rules, and saves: every rule is decided
// there, none here.
type Engine struct {
	store    Store
	pol      Policy
	clock    clock.Clock
	log      *slog.Logger
	notifier Notifier
	roster   Roster
	retries  int
	batch    int
	lease    time.Duration
	interval time.Duration
	texts    *rules.Texts
	backoff  [2]time.Duration // first and longest wait between attempts
	attempts int
	// scratch recycles the history and notification buffers of steps:
	// a store copies what it is given (the Store contract), so the
	// buffers are free again once Apply returns.
	scratch sync.Pool
	// batches recycles the lists of fireBatch the same way.
	batches sync.Pool
}

// scratch is the reusable memory of one rule application: the step's
// buffers and the staff it asks, so that Handle and Sweep allocate
// nothing of their own.
type scratch struct {
	step  rules.Step
	staff liveChooser
	// dl holds the deadlines of the step's write: a lead has at most
	// two, and the store copies them.
	dl [2]lead.Deadline
}

// newStep returns a step for l with buffers from the engine's pool; give
// them back with done.
func (e *Engine) newStep(ctx context.Context, now time.Time, l lead.Lead) *scratch {
	sc, _ := e.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{step: rules.Step{History: make([]lead.Change, 0, 4), Notes: make([]Notification, 0, 2),
			Expired: make([]lead.Deadline, 0, 2)}}
	}
	sc.staff = liveChooser{e: e, ctx: ctx, now: now}
	sc.staff.tickets = sc.staff.buf[:0]
	// A pooled step is a zero Step but for its empty buffers (done), so
	// only what differs is written: under a collection every pointer
	// written to the heap costs a barrier, and a Lead holds many.
	sc.step.Policy, sc.step.Staff, sc.step.Now = &e.pol, &sc.staff, now
	if l.ID != "" {
		sc.step.Lead = l // Handle starts from the zero Lead, already there
	}
	return sc
}

// again starts the step of sc over on l, after a lost compare-and-set
// race: the round-robin places already taken are used again, so that a
// retried step takes the same places in the sequence and skips no rep.
func (sc *scratch) again(l lead.Lead) {
	clear(sc.step.History)
	clear(sc.step.Notes)
	clear(sc.step.Expired)
	sc.step = rules.Step{Policy: sc.step.Policy, Staff: sc.step.Staff, Now: sc.step.Now, Lead: l,
		History: sc.step.History[:0], Notes: sc.step.Notes[:0], Expired: sc.step.Expired[:0]}
	sc.staff.used = 0
}

// done clears the step's buffers, so that they hold no lead's data, and
// returns them to the pool. sc must not be used after it.
func (e *Engine) done(sc *scratch) {
	if cap(sc.step.History) > 64 || cap(sc.step.Notes) > 64 || cap(sc.step.Expired) > 64 {
		return
	}
	clear(sc.step.History)
	clear(sc.step.Notes)
	clear(sc.step.Expired)
	sc.step = rules.Step{History: sc.step.History[:0], Notes: sc.step.Notes[:0], Expired: sc.step.Expired[:0]}
	sc.staff = liveChooser{}
	sc.dl = [2]lead.Deadline{}
	e.scratch.Put(sc)
}

// New returns an engine over store. It panics if store is nil, a
// programmer's error, and returns [Config.Validate]'s error if cfg is
// invalid. Zero fields of cfg take their defaults.
func New(store Store, cfg Config) (*Engine, error) {
	if store == nil {
		panic("leadline: New called with a nil Store")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &Engine{
		store:    store,
		pol:      cfg.Policy.Normalize(),
		clock:    cfg.Clock,
		log:      cfg.Logger,
		notifier: cfg.Notifier,
		roster:   cfg.Roster,
		retries:  cmp.Or(cfg.MaxRetries, MaxRetriesDefault),
		batch:    cmp.Or(cfg.Batch, BatchDefault),
		lease:    cmp.Or(cfg.Lease, LeaseDefault),
		interval: cmp.Or(cfg.Interval, IntervalDefault),
		backoff:  [2]time.Duration{cmp.Or(cfg.RetryBackoff, RetryBackoffDefault), cmp.Or(cfg.RetryBackoffMax, RetryBackoffMaxDefault)},
		attempts: cmp.Or(cfg.DeliveryAttempts, DeliveryAttemptsDefault),
	}
	if e.clock == nil {
		e.clock = clock.New()
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	texts, err := rules.NewTexts(e.pol.Language, e.pol.Zone(), cfg.Templates)
	if err != nil {
		return nil, leaderr.Prefix("config.", err) // Validate saw it; kept for safety
	}
	e.texts = texts
	return e, nil
}

// now reads the clock once for a Handle, Sweep or Deliver, to the
// microsecond: every instant the engine writes is one a store keeps
// exactly, so deadline keys and history read back the same from any store.
func (e *Engine) now() time.Time { return e.clock.Now().Truncate(time.Microsecond) }

// Policy returns the engine's policy with its defaults written out: a
// copy, whose lists a caller may edit without changing the engine's.
func (e *Engine) Policy() Policy {
	p := e.pol
	p.Triggers = p.Triggers.Normalize() // each clones its lists
	p.Routing = p.Routing.Normalize(p.Triggers.Threshold)
	return p
}

// Handle applies one event (E2, E6):
//
//   - created: stores a new lead with status New, owned by the account
//     owner if the event names one and by nobody else yet: the owner is
//     decided when a trigger or a route decides whose desk it is (M9, M11);
//   - score_changed: stores the new score;
//   - inquiry, download: may create an approach request (A1-A7) and start
//     a cadence (T1);
//   - outbound: advances the cadence one stage (T2-T5, T9);
//   - contact: ends the cadence as Connected (T6);
//   - status_set: a person's classification (S1, S4), which stops the
//     cadence when it takes the lead from inside sales.
//
// Deadlines of the lead that passed before the event fire first, in
// order (E5). The event's At is when its step counts, clamped between the
// cadence's latest step and the engine's now: an attempt made in time but
// reported after its deadline fired is not late (T9, T11), and events
// reported out of order never move a cadence backwards.
//
// Bad input is refused with a [*FieldError] naming the field, and nothing
// is stored. An event for a lead that does not exist yet returns an error
// wrapping [ErrNotFound], and no FieldError: the host retries it once the
// lead's created event is in (E9). A created event for an existing lead
// is a FieldError for "lead" wrapping [ErrExists]. An event id seen before returns
// [ErrDuplicateEvent] and changes nothing. A lost compare-and-set race is retried up to
// Config.MaxRetries times.
func (e *Engine) Handle(ctx context.Context, ev lead.Event) error {
	if err := ev.Validate(); err != nil {
		return err
	}
	now := e.now()
	sc := e.newStep(ctx, now, lead.Lead{})
	defer e.done(sc)
	for attempt := 0; ; attempt++ {
		err := e.handleOnce(ctx, &ev, sc)
		if !errors.Is(err, ErrConflict) || attempt >= e.retries {
			e.settle(ctx, sc, err == nil)
			return err
		}
		runtime.Gosched() // let the write that won finish before reading again
	}
}

func (e *Engine) handleOnce(ctx context.Context, ev *lead.Event, sc *scratch) error {
	err := e.handleStep(ctx, ev, sc)
	_, bad := errors.AsType[*FieldError](err)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errRedelivered) || errors.Is(err, ErrDuplicateEvent) || bad:
		// A repeat: found before the step took a round-robin turn, refused
		// by the store's write, or refused against the state the first
		// delivery left (a created lead that now exists). It is reported
		// as a repeat, not as bad input, when its payload is the one
		// handled; as a reused id when it is not (E2).
		print, seen, serr := e.store.Seen(ctx, ev.Lead, ev.ID)
		switch {
		case serr != nil && !bad:
			return fmt.Errorf("leadline: event %s: %w", ev.ID, serr)
		case seen:
			return repeated(ev, print)
		}
	}
	return err
}

// repeated is the answer to event ev whose id was handled before with
// the payload whose fingerprint is print (E2): a duplicate, success, when
// it is ev's own; else a [*FieldError] for "id" wrapping [ErrEventReused].
func repeated(ev *lead.Event, print uint64) error {
	if print != ev.Print() {
		return &FieldError{Field: "id", Err: fmt.Errorf(
			"event %s of lead %s was handled before with another payload; this event was not applied: give it an id of its own: %w",
			ev.ID, ev.Lead, ErrEventReused)}
	}
	return fmt.Errorf("leadline: event %s: %w", ev.ID, ErrDuplicateEvent)
}

func (e *Engine) handleStep(ctx context.Context, ev *lead.Event, sc *scratch) error {
	cur, err := e.store.Lead(ctx, ev.Lead)
	exists := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("leadline: handle event %s: %w", ev.ID, err)
	}
	sc.again(cur)
	sc.staff.lead, sc.staff.event = ev.Lead, ev.ID
	camp, err := e.campaignOf(ctx, ev, exists)
	if err != nil {
		return err
	}
	if err := sc.step.Event(ev, exists, camp); err != nil {
		return err
	}
	w := e.write(sc, &cur)
	w.Event, w.Print = ev.ID, ev.Print()
	return e.save(ctx, &w)
}

// HandleBatch applies several events of one lead, in order, as one write
// (E2, E9): the events one webhook call maps to (a form fill that creates
// a lead, sets its score and records an inquiry) either all apply or none
// does. Each event is handled as [Engine.Handle] handles it, in one
// [rules.Step] over the lead as loaded, and the result is saved by one
// [LeadStore.Apply] that records every applied event's id.
//
// Every event must name the same lead, else the batch is refused with a
// [*FieldError] for "events[i].lead"; an event that fails
// [lead.Event.Validate] is refused with a FieldError naming
// "events[i].<field>", and two events with one id with a FieldError for
// "events[i].id". An event the rules refuse refuses the whole batch: its
// FieldError names "events[i].<field>" too, and nothing is stored. An
// event whose lead does not exist yet (no created event before it, in the
// batch or the store) returns an error wrapping [ErrNotFound].
//
// An event id already handled for the lead is skipped, not refused, and
// the others apply: a partly redelivered batch applies what is new. When
// every event was handled before, HandleBatch returns an error wrapping
// [ErrDuplicateEvent] and changes nothing. A lost compare-and-set race,
// or an event handled by another process meanwhile, is retried up to
// Config.MaxRetries times. An empty batch does nothing.
func (e *Engine) HandleBatch(ctx context.Context, evs []lead.Event) error {
	if len(evs) == 0 {
		return nil
	}
	ids := make(map[string]int, len(evs))
	for i := range evs {
		ev := &evs[i]
		if err := ev.Validate(); err != nil {
			return leaderr.Prefix(fmt.Sprintf("events[%d].", i), err)
		}
		if ev.Lead != evs[0].Lead {
			return leaderr.Errorf(fmt.Sprintf("events[%d].lead", i),
				"lead %s in a batch of lead %s: a batch is one lead's events", ev.Lead, evs[0].Lead)
		}
		if j, dup := ids[ev.ID]; dup {
			return leaderr.Errorf(fmt.Sprintf("events[%d].id", i), "event %s is events[%d] too", ev.ID, j)
		}
		ids[ev.ID] = i
	}
	now := e.now()
	sc := e.newStep(ctx, now, lead.Lead{})
	defer e.done(sc)
	for attempt := 0; ; attempt++ {
		err := e.batchStep(ctx, evs, sc)
		retry := errors.Is(err, ErrConflict) || errors.Is(err, ErrDuplicateEvent) && !errors.Is(err, errAllSeen)
		if !retry || attempt >= e.retries {
			e.settle(ctx, sc, err == nil)
			return err
		}
		runtime.Gosched()
	}
}

// seenEvents is what a store that looks up many event ids of a lead in
// one call offers (postgres implements it): [LeadStore.Seen] for each of
// ids, in order. HandleBatch then checks a batch's ids at once (E2).
type seenEvents interface {
	SeenEvents(ctx context.Context, leadID string, ids []string) (prints []uint64, seen []bool, err error)
}

// leadSeen is what a store that reads a lead and looks up many of its
// event ids in one call offers (postgres implements it, in one round
// trip): [LeadStore.Lead], then seenEvents' SeenEvents.
type leadSeen interface {
	LeadSeen(ctx context.Context, leadID string, ids []string) (l lead.Lead, prints []uint64, seen []bool, err error)
}

// errAllSeen marks a batch whose events were all handled before: a
// repeat to report, not a race to retry.
var errAllSeen = errors.New("every event of the batch was handled before")

// batchStep loads the lead, applies the batch's new events in one step
// and saves them in one write.
func (e *Engine) batchStep(ctx context.Context, evs []lead.Event, sc *scratch) error {
	id := evs[0].Lead
	ids := make([]string, len(evs))
	for i := range evs {
		ids[i] = evs[i].ID
	}
	// A store that looks up many event ids at once answers for the whole
	// batch in one call, with the lead where it can: one round trip to a
	// database, not one an event.
	var (
		cur         lead.Lead
		err         error
		early       []uint64
		earlySeen   []bool
		lookedAhead bool
	)
	if st, ok := e.store.(leadSeen); ok {
		cur, early, earlySeen, err = st.LeadSeen(ctx, id, ids)
		lookedAhead = err == nil
	} else {
		cur, err = e.store.Lead(ctx, id)
	}
	exists := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("leadline: handle batch of lead %s: %w", id, err)
	}
	sc.again(cur)
	var applied []string
	var prints []uint64
	if st, ok := e.store.(seenEvents); ok && exists && !lookedAhead {
		if early, earlySeen, err = st.SeenEvents(ctx, id, ids); err != nil {
			return fmt.Errorf("leadline: handle batch of lead %s: %w", id, err)
		}
		lookedAhead = true
	}
	for i := range evs {
		ev := &evs[i]
		if exists {
			print, seen := uint64(0), false
			if lookedAhead {
				print, seen = early[i], earlySeen[i]
			} else if print, seen, err = e.store.Seen(ctx, id, ev.ID); err != nil {
				return fmt.Errorf("leadline: handle batch: event %s: %w", ev.ID, err)
			}
			if seen {
				if err := repeated(ev, print); !errors.Is(err, ErrDuplicateEvent) {
					return leaderr.Prefix(fmt.Sprintf("events[%d].", i), err)
				}
				continue // handled before: the rest of the batch is what is new (E2)
			}
		}
		camp, err := e.campaignOf(ctx, ev, exists)
		if err != nil {
			return err
		}
		if err := sc.step.Event(ev, exists, camp); err != nil {
			return leaderr.Prefix(fmt.Sprintf("events[%d].", i), err)
		}
		exists = true // a created event made the lead; any other needed it
		applied = append(applied, ev.ID)
		prints = append(prints, ev.Print())
	}
	if len(applied) == 0 {
		return fmt.Errorf("leadline: batch of lead %s: %w: %w", id, errAllSeen, ErrDuplicateEvent)
	}
	w := e.write(sc, &cur)
	w.Event, w.Print = applied[0], prints[0]
	w.Events, w.Prints = applied[1:], prints[1:]
	return e.save(ctx, &w)
}

// campaignOf loads the campaign a response event names, or returns nil
// for any other event (or a lead not yet created, which the rules refuse
// first). An unknown campaign is a plain not-found, like an unknown lead,
// not bad input: the campaign may be saved after its first responses
// arrive (E9).
func (e *Engine) campaignOf(ctx context.Context, ev *lead.Event, exists bool) (*routing.Campaign, error) {
	if ev.Kind != lead.EventResponse || !exists {
		return nil, nil
	}
	c, err := e.store.Campaign(ctx, ev.Campaign)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("leadline: event %s: campaign %s: %w", ev.ID, ev.Campaign, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("leadline: handle event %s: %w", ev.ID, err)
	}
	return &c, nil
}

// save makes w as one atomic change.
func (e *Engine) save(ctx context.Context, w *Write) error {
	if err := e.store.Apply(ctx, *w); err != nil {
		return fmt.Errorf("leadline: save lead %s: %w", w.Lead.ID, err)
	}
	return nil
}

// write returns the result of sc's step as one write of the lead read as
// old, with the round-robin places the step used (M9); the caller sets
// the event ids it records.
func (e *Engine) write(sc *scratch, old *lead.Lead) Write {
	var w Write
	e.writeTo(&w, sc, old)
	return w
}

// writeTo is write into *w, which must be zero: a sweep's batch fills
// its writes in place rather than copying each.
func (e *Engine) writeTo(w *Write, sc *scratch, old *lead.Lead) {
	s := &sc.step
	s.Lead.Version = old.Version
	w.Lead = s.Lead
	w.History = s.History
	w.Outbox = s.Notes
	w.At = s.Now
	if r := e.pol.Retention.History; r > 0 {
		w.HistorySince = s.Now.Add(-r)
	}
	if r := e.pol.Retention.Events; r > 0 {
		w.EventsSince = s.Now.Add(-r)
	}
	var was, is [2]lead.Deadline
	if now := s.Lead.Deadlines(is[:0]); old.Version > 0 && slices.Equal(old.Deadlines(was[:0]), now) {
		w.KeepDeadlines = true
	} else {
		w.Deadlines = append(sc.dl[:0:len(sc.dl)], now...) // the store copies them
	}
}

// SweepResult says what a [Engine.Sweep] did.
type SweepResult struct {
	// Fired are the deadlines that fired, in the order they fired: each
	// deadline this Sweep claimed and fired, and the lead's earlier ones
	// that fired with it (E5), each reported by the one Sweep whose write
	// fired it, whatever the number of concurrent sweepers.
	Fired []lead.Deadline
	// Notifications counts the notifications the fired deadlines raised.
	Notifications int
}

// Sweep fires every deadline that passed before the clock's now, once
// each, in deadline order (T1, T7, T8, A4, E5): deadlines missed while no
// process ran fire when one next runs. It returns what fired. Several
// engines may sweep one store at once; the store's claims keep them from
// firing a deadline twice.
//
// Sweep claims Config.Batch deadlines at a time and fires each claimed
// batch in one write of the leads it holds ([LeadStore.ApplyBatch], one
// transaction in a database store). When a lead of the batch changed
// since it was read, the batch is fired lead by lead instead, each write
// retried on its own.
//
// When ctx ends or a write fails mid-batch, Sweep gives back the claims
// of the deadlines it claimed and did not fire ([LeadStore.ReleaseDue]),
// so that the next Sweep fires them first, in deadline order (E5), rather
// than later ones while their claims run out.
func (e *Engine) Sweep(ctx context.Context) (SweepResult, error) {
	now := e.now()
	var res SweepResult
	for {
		ds, err := e.store.ClaimDue(ctx, now, e.lease, e.batch)
		if err != nil {
			return res, fmt.Errorf("leadline: sweep: %w", err)
		}
		batched, err := e.fireBatch(ctx, ds, now, &res)
		if err != nil {
			if rerr := e.store.ReleaseDue(context.WithoutCancel(ctx), ds); rerr != nil {
				e.log.WarnContext(ctx, "deadline claims not released", "err", rerr)
			}
			return res, fmt.Errorf("leadline: sweep: %w", err)
		}
		if batched {
			if len(ds) < e.batch {
				return res, nil
			}
			continue
		}
		// The batch lost a race: fire its deadlines one lead at a time,
		// each write retried on its own.
		for i, d := range ds {
			err := ctx.Err()
			if err == nil {
				err = e.fireDeadline(ctx, d, now, &res)
			}
			if err != nil {
				// The claims must go back even though ctx is done.
				if rerr := e.store.ReleaseDue(context.WithoutCancel(ctx), ds[i:]); rerr != nil {
					e.log.WarnContext(ctx, "deadline claims not released", "err", rerr)
				}
				return res, fmt.Errorf("leadline: sweep: %w", err)
			}
		}
		if len(ds) < e.batch {
			return res, nil
		}
	}
}

// fireBatch fires the claimed deadlines ds in one write of every lead
// they are of ([LeadStore.ApplyBatch]): one transaction for a batch of a
// sweep, not one per lead. The deadlines fire in the order they were
// claimed, which is due order (E5), each with the lead's earlier pending
// ones; a lead with several is written once, after them all. It reports false,
// having written nothing and given back the round-robin places its steps
// took (M9), when a lead changed since it was read, so that the caller
// fires the batch one lead at a time.
func (e *Engine) fireBatch(ctx context.Context, ds []lead.Deadline, now time.Time, res *SweepResult) (fired bool, err error) {
	if len(ds) == 0 {
		return true, nil
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	b := e.newBatch()
	defer func() {
		for _, sc := range b.steps {
			e.settle(ctx, sc, fired && err == nil)
			e.done(sc)
		}
		e.doneBatch(b)
	}()
	// The batch's leads in the order of their first claimed deadline.
	for _, d := range ds {
		if _, ok := b.index[d.Lead]; !ok {
			b.index[d.Lead] = len(b.order)
			b.order = append(b.order, d.Lead)
		}
	}
	// The batch's leads, in one call where the store reads many at once:
	// in order's order (next walks them), or sorted by id (found by
	// binary search).
	var loaded []lead.Lead
	next, walk, sorted := 0, false, false
	switch st := e.store.(type) {
	case leadsAppender:
		if b.leads, err = st.AppendLeadsByID(ctx, b.leads[:0], b.order); err != nil {
			return false, fmt.Errorf("leads: %w", err)
		}
		loaded, walk = b.leads, true
	case leadsByID:
		if loaded, err = st.LeadsByID(ctx, b.order); err != nil {
			return false, fmt.Errorf("leads: %w", err)
		}
		if !slices.IsSortedFunc(loaded, byID) {
			slices.SortFunc(loaded, byID)
		}
		sorted = true
	}
	// A store that takes many round-robin places at once serves the
	// batch's reassignments in one call (M9).
	var spare *spareTickets
	if _, ok := e.store.(ticketsAtOnce); ok {
		spare = &spareTickets{by: make(map[string][]uint64)}
		defer e.giveBack(ctx, spare)
	}
	for _, id := range b.order {
		var (
			cur  *lead.Lead
			lerr error
		)
		switch {
		case sorted:
			if j, ok := slices.BinarySearchFunc(loaded, id, func(l lead.Lead, id string) int { return strings.Compare(l.ID, id) }); ok {
				cur = &loaded[j]
			} else {
				lerr = ErrNotFound
			}
		case walk:
			if next < len(loaded) && loaded[next].ID == id {
				cur = &loaded[next]
				next++
			} else {
				lerr = ErrNotFound
			}
		default:
			var l lead.Lead
			l, lerr = e.store.Lead(ctx, id)
			cur = &l
		}
		if errors.Is(lerr, ErrNotFound) {
			b.of, b.read = append(b.of, nil), append(b.read, nil)
			continue // the lead is gone; its deadlines with it
		}
		if lerr != nil {
			return false, fmt.Errorf("lead %s: %w", id, lerr)
		}
		sc := e.newStep(ctx, now, *cur)
		sc.staff.spare = spare
		b.steps = append(b.steps, sc)
		b.of, b.read = append(b.of, sc), append(b.read, cur)
	}
	// The deadlines fire in the order they were claimed, due order across
	// the batch's leads (E5): a lead's later deadline fires after another
	// lead's earlier one, and takes its round-robin place after it (M9).
	for j, d := range ds {
		sc := b.of[b.index[d.Lead]]
		if sc == nil {
			continue
		}
		if spare != nil {
			spare.left = len(ds) - j
		}
		n := len(sc.step.Expired)
		if err := sc.step.Fire(d.Due); err != nil {
			return false, fmt.Errorf("lead %s: %w", d.Lead, err)
		}
		b.fired = append(b.fired, sc.step.Expired[n:]...)
	}
	for i, sc := range b.of {
		if sc == nil || sc.step.Fired == 0 {
			continue // gone, fired by another sweeper, or moved by an event since the claim
		}
		b.writes = append(b.writes, Write{})
		e.writeTo(&b.writes[len(b.writes)-1], sc, b.read[i])
	}
	if len(b.writes) == 0 {
		return true, nil
	}
	err = e.store.ApplyBatch(ctx, b.writes)
	if errors.Is(err, ErrConflict) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if n := len(res.Fired) + len(b.fired); n > cap(res.Fired) {
		// Room for the batch at least, doubling: append's growth of a
		// long list by a quarter would copy a sweep's answer five times
		// over.
		res.Fired = slices.Grow(res.Fired, max(n, 2*cap(res.Fired))-len(res.Fired))
	}
	res.Fired = append(res.Fired, b.fired...)
	for _, sc := range b.steps {
		if sc.step.Fired > 0 {
			res.Notifications += len(sc.step.Notes)
		}
	}
	if e.log.Enabled(ctx, slog.LevelDebug) {
		e.log.DebugContext(ctx, "deadlines fired", "leads", len(b.writes))
	}
	return true, nil
}

func byID(a, b lead.Lead) int { return strings.Compare(a.ID, b.ID) }

// batch is the reusable memory of one fireBatch: a sweep of many
// batches, and the sweeps after it, fire them without allocating their
// lists again.
type batch struct {
	leads  []lead.Lead    // the leads of order, as a leadsAppender read them
	index  map[string]int // lead id -> its place in order
	order  []string       // the batch's leads, in the order of their first deadline
	of     []*scratch     // the step of each lead of order; nil for a lead gone
	read   []*lead.Lead   // each lead of order as read; nil for a lead gone
	fired  []lead.Deadline
	steps  []*scratch
	writes []Write
}

// newBatch returns empty batch buffers from the engine's pool; give them
// back with doneBatch.
func (e *Engine) newBatch() *batch {
	if b, _ := e.batches.Get().(*batch); b != nil {
		return b
	}
	return &batch{index: make(map[string]int)}
}

// doneBatch clears b, so that it holds no lead's data, and returns it to
// the pool. A batch grown far beyond the engine's Config.Batch is left
// to the collector.
func (e *Engine) doneBatch(b *batch) {
	if cap(b.writes) > 4*e.batch+64 {
		return
	}
	clear(b.leads)
	clear(b.index)
	clear(b.order)
	clear(b.steps)
	clear(b.of)
	clear(b.read)
	clear(b.fired)
	clear(b.writes)
	b.leads, b.order, b.steps, b.writes = b.leads[:0], b.order[:0], b.steps[:0], b.writes[:0]
	b.of, b.read, b.fired = b.of[:0], b.read[:0], b.fired[:0]
	e.batches.Put(b)
}

// leadsByID is what a store that reads many leads in one call offers
// (report.Reader has it; memstore and postgres implement it): a sweep
// then loads a claimed batch's leads at once, one round trip to a
// database instead of one a lead.
type leadsByID interface {
	LeadsByID(ctx context.Context, ids []string) ([]lead.Lead, error)
}

// leadsAppender is what a store offers that reads many leads into a
// slice it is given, in the order of their ids (memstore): a sweep's
// batches then reuse one slice rather than allocate a batch of leads
// each.
type leadsAppender interface {
	AppendLeadsByID(ctx context.Context, dst []lead.Lead, ids []string) ([]lead.Lead, error)
}

func (e *Engine) fireDeadline(ctx context.Context, d lead.Deadline, now time.Time, res *SweepResult) error {
	sc := e.newStep(ctx, now, lead.Lead{})
	written := false
	defer func() {
		e.settle(ctx, sc, written)
		e.done(sc)
	}()
	for attempt := 0; ; attempt++ {
		cur, err := e.store.Lead(ctx, d.Lead)
		if errors.Is(err, ErrNotFound) {
			return nil // the lead is gone; its deadlines with it
		}
		if err != nil {
			return fmt.Errorf("leadline: sweep %s: %w", d.Key(), err)
		}
		sc.again(cur)
		if err := sc.step.Fire(d.Due); err != nil {
			return fmt.Errorf("leadline: sweep %s: %w", d.Key(), err)
		}
		if sc.step.Fired == 0 {
			// Already fired by another sweeper, or moved by an event since
			// the claim: nothing to do. The claim lapses on its own.
			return nil
		}
		w := e.write(sc, &cur)
		err = e.save(ctx, &w)
		switch {
		case err == nil:
			written = true
			res.Fired = append(res.Fired, sc.step.Expired...)
			res.Notifications += len(sc.step.Notes)
			if e.log.Enabled(ctx, slog.LevelDebug) {
				e.log.DebugContext(ctx, "deadline fired", "lead", d.Lead, "kind", d.Kind.String(), "due", d.Due)
			}
			return nil
		case errors.Is(err, ErrConflict) && attempt < e.retries:
			runtime.Gosched()
			continue
		default:
			return fmt.Errorf("leadline: sweep: %w", err)
		}
	}
}

// DeliverResult says what a [Engine.Deliver] did.
type DeliverResult struct {
	Delivered int // notifications the notifier accepted; each left the outbox at once
	Failed    int // attempts the notifier refused or panicked on; retried after a backoff
	Dead      int // of Failed, those set aside in the dead-letter list
}

// Deliver hands every notification due in the outbox to the notifier and
// removes each one it accepts as soon as it accepts it (E4, E9).
//
// A notification the notifier refuses, or panics on (the panic is
// recovered and counts as a refusal), stays and is tried again after
// Config.RetryBackoff, doubling with each failure up to
// Config.RetryBackoffMax; after Config.DeliveryAttempts attempts it is
// set aside in the dead-letter list ([Engine.DeadLetters]) until a host
// retries it ([Engine.Retry]). Each notification keeps its own count, so
// one that keeps failing never holds back the others.
//
// Delivery is at least once: a crash between the notifier's success and
// the removal delivers again, with the same [Notification.Key].
//
// When ctx ends, Deliver stops at once: it calls the notifier no more,
// still removes what was delivered, and returns ctx's error. The
// notifications it had claimed and not tried are claimed again after
// Config.Lease.
//
// With no Config.Notifier, Deliver delivers nothing and returns a zero
// result: the notifications stay in the outbox until an engine with a
// notifier delivers them (E9).
func (e *Engine) Deliver(ctx context.Context) (DeliverResult, error) {
	if e.notifier == nil {
		return DeliverResult{}, nil
	}
	now := e.now()
	// Acknowledgements and failures are written even when ctx has ended:
	// what was delivered must leave the outbox.
	keep := context.WithoutCancel(ctx)
	var res DeliverResult
	for {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("leadline: deliver: %w", err)
		}
		ns, err := e.store.ClaimOutbox(ctx, now, e.lease, e.batch)
		if err != nil {
			return res, fmt.Errorf("leadline: deliver: %w", err)
		}
		for i := range ns {
			if err := ctx.Err(); err != nil {
				e.release(keep, ns[i:], now.Add(e.lease))
				return res, fmt.Errorf("leadline: deliver: %w", err)
			}
			if err := e.deliverOne(ctx, keep, &ns[i], now, &res); err != nil {
				// ns[i] was handed to the notifier: that attempt counts.
				e.release(keep, ns[i+1:], now.Add(e.lease))
				return res, err
			}
		}
		if len(ns) < e.batch {
			return res, nil
		}
	}
}

// release ends the claims, made until until, on ns, which a Deliver cut
// short claimed and never handed to the notifier, where the store can
// (outboxReleaser): they are delivered at the next Deliver, and the claim
// does not count against them (E4). A store that cannot leaves them
// hidden until until, counted.
func (e *Engine) release(ctx context.Context, ns []Notification, until time.Time) {
	r, ok := e.store.(outboxReleaser)
	if !ok || len(ns) == 0 {
		return
	}
	keys := make([]string, len(ns))
	for i := range ns {
		keys[i] = ns[i].Key
	}
	if err := r.ReleaseOutbox(ctx, keys, until); err != nil {
		e.log.WarnContext(ctx, "outbox claims not released", "err", err)
	}
}

// outboxReleaser is what a store offers that ends a Deliver's claims on
// notifications it never handed to the notifier, uncounted (memstore,
// postgres).
type outboxReleaser interface {
	ReleaseOutbox(ctx context.Context, keys []string, until time.Time) error
}

// deliverOne hands n to the notifier and records the outcome.
func (e *Engine) deliverOne(ctx, keep context.Context, n *Notification, now time.Time, res *DeliverResult) error {
	nerr := e.notify(ctx, n)
	if nerr == nil {
		if err := e.store.Ack(keep, []string{n.Key}); err != nil {
			return fmt.Errorf("leadline: deliver: acknowledge %s: %w", n.Key, err)
		}
		res.Delivered++
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		// Cancelled, not refused: nothing is recorded, and the claim
		// lapses after the lease. It counts as an attempt, as a host
		// that crashed in the notifier's call would: a notification that
		// brings its host down is set aside in the end.
		return fmt.Errorf("leadline: deliver: %w", cerr)
	}
	res.Failed++
	attempts := n.Attempts + 1
	f := DeliveryFailure{Key: n.Key, At: now, Err: nerr.Error()}
	if attempts >= e.attempts {
		f.Dead = true
		res.Dead++
		e.log.ErrorContext(ctx, "notification set aside in the dead-letter list", "key", n.Key, "attempts", attempts, "err", nerr)
	} else {
		f.Retry = now.Add(e.backoffAfter(attempts))
		e.log.WarnContext(ctx, "notification not delivered", "key", n.Key, "attempts", attempts, "retry", f.Retry, "err", nerr)
	}
	if err := e.store.Fail(keep, f); err != nil {
		return fmt.Errorf("leadline: deliver: record the failure of %s: %w", n.Key, err)
	}
	return nil
}

// backoffAfter returns the wait after a notification's attempts-th
// failure: Config.RetryBackoff doubled attempts-1 times, at most
// Config.RetryBackoffMax.
func (e *Engine) backoffAfter(attempts int) time.Duration {
	d := e.backoff[0]
	for i := 1; i < attempts && d < e.backoff[1]; i++ {
		d *= 2
	}
	return min(d, e.backoff[1])
}

// notify calls the notifier, recovering a panic as an error: one poison
// notification must not kill the host's Run (E4).
func (e *Engine) notify(ctx context.Context, n *Notification) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("leadline: notifier panicked on %s: %v", n.Key, r)
		}
	}()
	// Instants come back from a store in whatever zone it keeps them; a
	// notification reads them in the team's zone, else the clock's (E10).
	loc := e.pol.Zone()
	if loc == nil {
		loc = e.clock.Now().Location()
	}
	n.At = n.At.In(loc)
	if !n.Due.IsZero() {
		n.Due = n.Due.In(loc)
	}
	n.Text = e.texts.Render(*n) // in the team's language and zone (E10)
	return e.notifier.Notify(ctx, *n)
}

// DeadLetters returns the notifications set aside after
// Config.DeliveryAttempts failed attempts, oldest first, with the last
// error of each (E4, E9). They stay until [Engine.Retry] puts them back,
// or a delivery acknowledges them.
func (e *Engine) DeadLetters(ctx context.Context) ([]DeadLetter, error) {
	ds, err := e.store.DeadLetters(ctx)
	if err != nil {
		return nil, fmt.Errorf("leadline: dead letters: %w", err)
	}
	return ds, nil
}

// Retry puts the dead letters with keys back in the outbox with a fresh
// count of attempts, for the next [Engine.Deliver]: once the notifier is
// fixed, say. Keys that are not dead letters are ignored.
func (e *Engine) Retry(ctx context.Context, keys ...string) error {
	if err := e.store.Revive(ctx, keys); err != nil {
		return fmt.Errorf("leadline: retry dead letters: %w", err)
	}
	return nil
}

// Run sweeps and delivers at once and then every Config.Interval on the
// engine's clock, until ctx ends; it returns ctx's error. Failures are
// logged and retried at the next tick; a notifier that panics fails that
// delivery, never Run. Hosts that drive the engine
// themselves (tests, simulations, a cron job) call Sweep and Deliver
// instead.
func (e *Engine) Run(ctx context.Context) error {
	t := e.clock.Ticker(e.interval)
	defer t.Stop()
	for {
		if _, err := e.Sweep(ctx); err != nil && ctx.Err() == nil {
			e.log.ErrorContext(ctx, "sweep failed", "err", err)
		}
		if _, err := e.Deliver(ctx); err != nil && ctx.Err() == nil {
			e.log.ErrorContext(ctx, "deliver failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// liveChooser answers a step's questions from the roster and the store.
// It serves one Handle, or one deadline of a Sweep, and keeps the
// round-robin places it took across conflict retries, so that a retried
// step takes the same places in the sequence and skips no rep (M9). When
// the step's write does not happen (the event was a repeat, was refused
// or cancelled, or lost every race), the engine gives its places back
// ([Engine.settle]), so that such an event takes no turn (E2).
type liveChooser struct {
	e   *Engine
	ctx context.Context
	now time.Time
	// tickets are the places taken, in the order the step asked for
	// them; they live in buf. used counts those the current attempt used.
	tickets []Ticket
	buf     [2]Ticket
	used    int
	// lead and event name the event being handled, "" for a sweep: a
	// redelivered event must take no round-robin turn (E2, M9).
	lead, event string
	// spare, in a sweep's batch, holds the places taken at once for the
	// batch's steps; nil elsewhere.
	spare *spareTickets
}

// ticketsAtOnce is what a store that takes many places of a sequence in
// one call offers (postgres implements it): n places, as n NextTicket
// calls would take them (M9), smallest first.
type ticketsAtOnce interface {
	NextTickets(ctx context.Context, sequence string, n int) ([]uint64, error)
}

// spareTickets are the round-robin places a sweep's batch took at once
// (M9): a batch's reassignments take one each, so the first step to ask
// for a sequence's place takes one for each step left in the batch, in
// one call to the store rather than one a step. The places no step used
// are given back when the batch ends, so they take no turn.
type spareTickets struct {
	left int                 // steps of the batch not run yet, the one asking included
	by   map[string][]uint64 // places taken and not handed out, by sequence, smallest first
}

// take hands out the smallest spare place of seq, taking places from
// store first when none is left.
func (t *spareTickets) take(ctx context.Context, store Store, seq string) (uint64, error) {
	if len(t.by[seq]) == 0 {
		st, ok := store.(ticketsAtOnce)
		if !ok || t.left < 2 {
			return store.NextTicket(ctx, seq)
		}
		ns, err := st.NextTickets(ctx, seq, t.left)
		if err != nil {
			return 0, err
		}
		if len(ns) == 0 {
			return store.NextTicket(ctx, seq)
		}
		t.by[seq] = ns
	}
	n := t.by[seq][0]
	t.by[seq] = t.by[seq][1:]
	return n, nil
}

// giveBack returns the places no step used to the store (M9).
func (e *Engine) giveBack(ctx context.Context, t *spareTickets) {
	var back []Ticket
	for seq, ns := range t.by {
		for _, n := range ns {
			back = append(back, Ticket{Sequence: seq, Number: n})
		}
	}
	if len(back) == 0 {
		return
	}
	if err := e.store.ReturnTickets(context.WithoutCancel(ctx), back); err != nil {
		e.log.WarnContext(ctx, "round-robin places not given back", "err", err)
	}
}

// errRedelivered stops a step that would take a round-robin place for
// an event handled before; Handle answers ErrDuplicateEvent, or
// ErrEventReused for an id handled with another payload.
var errRedelivered = errors.New("leadline: event handled before")

// ticket returns the step's next place of sequence seq: the one an
// earlier attempt of the step took, else a new one from the store.
func (c *liveChooser) ticket(seq string) (uint64, error) {
	if c.used < len(c.tickets) && c.tickets[c.used].Sequence == seq {
		c.used++
		return c.tickets[c.used-1].Number, nil
	}
	if err := c.ctx.Err(); err != nil {
		return 0, fmt.Errorf("leadline: round robin: %w", err) // a cancelled event takes no turn
	}
	if c.event != "" && len(c.tickets) == 0 {
		// Only a step that takes a turn pays for this look-up: a
		// redelivery is refused before it takes a place (E2, M9). Two
		// copies handled at once both pass it; the second's write is
		// refused as a repeat and its place given back.
		_, seen, err := c.e.store.Seen(c.ctx, c.lead, c.event)
		if err != nil {
			return 0, fmt.Errorf("leadline: round robin: %w", err)
		}
		if seen {
			return 0, errRedelivered
		}
	}
	var (
		n   uint64
		err error
	)
	if c.spare != nil {
		n, err = c.spare.take(c.ctx, c.e.store, seq)
	} else {
		n, err = c.e.store.NextTicket(c.ctx, seq)
	}
	if err != nil {
		return 0, fmt.Errorf("leadline: round robin: %w", err)
	}
	c.tickets = slices.Insert(c.tickets, c.used, Ticket{Sequence: seq, Number: n})
	c.used++
	return n, nil
}

// settle ends sc's step: with its write made, it gives back the places
// an earlier attempt took and the last did not use; without, every place
// the step took (E2, M9). The places go back even when ctx has ended,
// and a failure to give them back costs a turn, never a lead: it is
// logged.
func (e *Engine) settle(ctx context.Context, sc *scratch, written bool) {
	c := &sc.staff
	back := c.tickets
	if written {
		back = c.tickets[c.used:]
	}
	if len(back) == 0 {
		return
	}
	if err := e.store.ReturnTickets(context.WithoutCancel(ctx), back); err != nil {
		e.log.WarnContext(ctx, "round-robin places not given back", "err", err)
	}
	c.tickets = c.tickets[:0]
	c.used = 0
}

func (c *liveChooser) team(role routing.Role) (routing.Team, error) {
	if c.e.roster == nil {
		return routing.Team{}, nil
	}
	t, err := c.e.roster.Team(c.ctx, role)
	if err != nil {
		return routing.Team{}, fmt.Errorf("leadline: roster: %w", err)
	}
	// A roster that lists a rep twice would give them a double share
	// (M9): the engine checks each team it is handed, at no allocation.
	if err := t.Validate(); err != nil {
		return routing.Team{}, fmt.Errorf("leadline: roster: %v team: fix the roster: %w", role, err)
	}
	return t, nil
}

var _ rules.Staff = (*liveChooser)(nil)

// Next implements [rules.Staff]: the next round-robin place of role's
// team, one sequence per team in the store (M9).
func (c *liveChooser) Next(role routing.Role, exclude []string) (string, error) {
	t, err := c.team(role)
	if err != nil || len(t.Reps) == 0 {
		return "", err
	}
	n, err := c.ticket(t.ID) // one sequence per team (M9)
	if err != nil {
		return "", err
	}
	load, err := c.load(&t)
	if err != nil {
		return "", err
	}
	rep, _ := t.Pick(c.now, n, load, exclude)
	return rep, nil
}

// load returns the reps' current loads when any rep has a capacity, and
// nil (no limit to check) otherwise.
func (c *liveChooser) load(t *routing.Team) (func(string) int, error) {
	capped := false
	for _, r := range t.Reps {
		capped = capped || r.Capacity > 0
	}
	if !capped {
		return nil, nil
	}
	ids := make([]string, len(t.Reps))
	for i, r := range t.Reps {
		ids[i] = r.ID
	}
	loads, err := c.e.store.Load(c.ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("leadline: rep load: %w", err)
	}
	if len(ids) > 32 {
		// Pick asks for every rep: a large team's loads by a map, so
		// that an assignment costs the team's size, not its square.
		by := make(map[string]int, len(ids))
		for i, id := range ids[:min(len(ids), len(loads))] {
			by[id] = loads[i]
		}
		return func(rep string) int { return by[rep] }, nil
	}
	return func(rep string) int {
		for i, id := range ids {
			if id == rep && i < len(loads) {
				return loads[i]
			}
		}
		return 0
	}, nil
}

// Available implements [rules.Staff].
func (c *liveChooser) Available(rep string) (bool, error) {
	t, err := c.team(routing.RoleInside)
	if err != nil || !t.Has(rep) {
		return false, err
	}
	load, err := c.load(&t)
	if err != nil {
		return false, err
	}
	return t.Eligible(rep, c.now, load), nil
}

// OnField implements [rules.Staff].
func (c *liveChooser) OnField(rep string) (bool, error) {
	t, err := c.team(routing.RoleField)
	if err != nil {
		return false, err
	}
	return rules.OnFieldTeam(&t, rep), nil
}

// Member implements [rules.Staff].
func (c *liveChooser) Member(role routing.Role, rep string) (bool, error) {
	t, err := c.team(role)
	if err != nil {
		return false, err
	}
	return t.Has(rep), nil
}

// Manager implements [rules.Staff].
func (c *liveChooser) Manager(rep string) (string, error) {
	var field routing.Team
	if rep != "" {
		f, err := c.team(routing.RoleField)
		if err != nil {
			return "", err
		}
		field = f
	}
	inside, err := c.team(routing.RoleInside)
	if err != nil {
		return "", err
	}
	return rules.ManagerOf(&inside, &field, rep), nil
}
