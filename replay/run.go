package replay

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/sim"
)

// Options says how [Run] replays a log.
type Options struct {
	// Policy is the policy to replay under: the one the log was handled
	// with, or a what-if. The zero Policy is the rule book.
	Policy rules.Policy
	// Roster is the team the engine assigns from (M9) and alerts (A4,
	// T8); replay it with the roster of the run, a [routing.Org] or a
	// [Setup]'s. Nil means no team, as [leadline.Config.Roster].
	Roster leadline.Roster
	// Campaigns are stored before the first event, so that the log's
	// responses find them (M1-M13): each as it stood before the first
	// change of model it records, the changes then made again at their
	// instants, so that every response is routed under the model it met
	// live (M7).
	Campaigns []routing.Campaign
	// Progress, if set, is called with the number of events handled so
	// far, every [ProgressEvery] events and once at the end.
	Progress func(done int)
	// Notify, if set, receives every notification the replay delivers,
	// in order: a recorder. Nothing leaves the process either way.
	Notify func(leadline.Notification)
	// Tick, Batched, Start and Until say when the engine swept and
	// handled events; see [Setup].
	Tick    time.Duration
	Batched bool
	Start   time.Time
	Until   time.Time
	// Zone is the zone of the live engine's clock, in which the engine
	// writes instants and subject lines when the policy names no
	// TimeZone (E10). Nil keeps each event's own offset.
	Zone *time.Location
	// Templates are the engine's notification templates, as
	// [leadline.Config.Templates].
	Templates map[string]string
}

// ProgressEvery is how many events pass between two calls of
// Options.Progress.
const ProgressEvery = 10_000

// Setup is what a replay needs besides the events and the policy to
// reproduce a run: the roster, the campaigns, and when the engine swept.
// Package sim's runs write it beside their log (insidesales -events), as
// JSON.
//
// How the live engine was driven decides the instants of its history,
// so a replay must drive it the same way:
//
//   - Tick zero: a host that handled each event as it came, at the
//     event's instant, with a sweeper that fired each deadline as soon as
//     it passed. The replay handles each event at its At (never before
//     the previous one) after sweeping every deadline due before it,
//     each at the microsecond after its due instant, in due order (E5).
//   - Tick above zero: a sweeper on a grid, every Tick from Start, as
//     [leadline.Engine.Run] sweeps every Config.Interval: a deadline fires
//     at the first grid instant after it is due. Events are handled at
//     their own instants, and one at a grid instant before that
//     instant's sweep.
//   - Tick above zero and Batched: a host that also gathered events and
//     handled them on the grid, as [sim.Sim.Run] does: an event is
//     handled at the first grid instant after Start at or after its At
//     (never before the previous event's), then that instant's sweep
//     runs.
//
// Either way a grid instant with nothing due is skipped, since its sweep
// would change nothing. Until is when the run stopped: deadlines due
// before it fire, after the last event (on the grid, or at Until
// itself). Zero stops at the last event.
type Setup struct {
	// Roster is the run's team (M9): who was assigned, alerted and
	// reassigned to. Nil means no team.
	Roster *routing.Org `json:"roster,omitempty"`
	// Campaigns are the run's campaigns, as stored when it ended (M7,
	// M13); the changes of model they record are made again at their
	// instants.
	Campaigns []routing.Campaign `json:"campaigns,omitempty"`
	// Tick is the sweeper's grid, zero for none; Batched says events too
	// were handled on it; Start is the grid's origin, required with a
	// tick.
	Tick    Duration  `json:"tick,omitzero"`
	Batched bool      `json:"batched,omitempty"`
	Start   time.Time `json:"start,omitzero"`
	// Until is when the run stopped; zero stops at the last event.
	Until time.Time `json:"until,omitzero"`
	// Zone is the IANA name of the zone of the run's clock, "Asia/Tokyo"
	// (see Options.Zone); "" keeps the events' offsets.
	Zone string `json:"zone,omitempty"`
}

// Options returns the options of a replay of the run s describes, under
// pol.
func (s *Setup) Options(pol rules.Policy) Options {
	o := Options{Policy: pol, Campaigns: s.Campaigns, Tick: time.Duration(s.Tick), Batched: s.Batched, Start: s.Start, Until: s.Until}
	if s.Zone != "" {
		o.Zone, _ = time.LoadLocation(s.Zone) // ReadSetup checked it
	}
	if s.Roster != nil {
		o.Roster = s.Roster
	}
	return o
}

// Run replays the event log under opts from an empty memstore, on a
// clock that never sleeps ([sim.Clock]): each event is handled at its
// instant, the deadlines that passed in between are swept as the live
// engine's sweeper swept them (see [Setup]), and the notifications are
// delivered to a recorder. The replay of a log that an engine wrote, with
// the policy, roster and Setup of its run, writes the same history entry
// for entry (E3, E5).
//
// An event the engine refuses under the replay's policy (an attempt on a
// lead that policy already recycled, say) is counted in Outcome.Refused
// and the replay goes on; a bad line of the log, a store error or ctx's
// end stops it with an error. It returns the outcome counted from the
// history entries written, the source the reports read (V9).
func Run(ctx context.Context, log iter.Seq2[lead.Event, error], opts Options) (*Outcome, error) {
	st := memstore.New()
	out := newOutcome()
	d, err := newDriver(st, out, opts)
	if err != nil {
		return nil, err
	}
	cfg := leadline.Config{Policy: opts.Policy, Roster: opts.Roster, Templates: opts.Templates, Clock: d.clk, Batch: sweepBatch}
	if opts.Notify != nil {
		// A recorder sees each notification as a notifier would, its
		// text rendered in the team's language (E10).
		cfg.Notifier = leadline.NotifierFunc(func(_ context.Context, n leadline.Notification) error {
			out.Notifications[n.Kind.String()]++
			opts.Notify(n)
			return nil
		})
	}
	if d.eng, err = leadline.New(d.st, cfg); err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	if opts.Notify == nil {
		// Nobody reads the texts: the outbox is counted and emptied
		// without rendering them, a fifth of a replay's time.
		d.deliver = d.drain(func(n *leadline.Notification) { out.Notifications[n.Kind.String()]++ })
	}
	var campaigns []routing.Campaign
	campaigns, d.changes = kickoff(opts.Campaigns)
	for _, c := range campaigns {
		if err := st.PutCampaign(ctx, c); err != nil {
			return nil, fmt.Errorf("replay: campaign %s: %w", c.ID, err)
		}
	}
	if err := d.run(ctx, log, out.response); err != nil {
		return nil, err
	}
	out.finish(&d.stats)
	out.eng = d.eng
	out.Policy = d.eng.Policy()
	return out, nil
}

// sweepBatch is the replay engine's Config.Batch: a replay sweeps at
// every instant a deadline passed, where a handful are due, and
// memstore's ClaimDue makes room for a whole batch each time.
const sweepBatch = 16

// stats are a driver's counts of what it did.
type stats struct {
	Events  int
	Refused map[string]int // by the error's kind: "invalid transition", "not found", ...
	Fired   int
	Sweeps  int
}

// driver moves a clock over a log, handling events and sweeping as a
// live engine would (see [Setup]).
type driver struct {
	clk      *sim.Clock
	st       *watch
	eng      *leadline.Engine
	tick     time.Duration
	batched  bool
	start    time.Time
	until    time.Time
	zone     *time.Location
	progress func(int)
	// deliver empties the outbox after each instant: the engine's
	// Deliver, or Backfill's acknowledgement.
	deliver func(context.Context) error
	stats   stats
	moved   bool // the clock was set to the first instant
	// changes are the campaigns' recorded changes of model still to
	// make, in time order (M7).
	changes []modelChange
}

func newDriver(store leadline.Store, out *Outcome, opts Options) (*driver, error) {
	if opts.Tick < 0 {
		return nil, leaderr.Errorf("tick", "must not be negative, got %v", opts.Tick)
	}
	if opts.Tick > 0 && opts.Start.IsZero() {
		return nil, leaderr.Errorf("start", "required with a tick: the instant the sweep grid starts at")
	}
	d := &driver{clk: sim.NewClock(opts.Start), st: newWatch(store, out), tick: opts.Tick, batched: opts.Batched, zone: opts.Zone,
		start: opts.Start, until: opts.Until, progress: opts.Progress, stats: stats{Refused: map[string]int{}}}
	d.deliver = func(ctx context.Context) error {
		if !d.st.notes {
			return nil
		}
		d.st.notes = false
		if _, err := d.eng.Deliver(ctx); err != nil {
			return fmt.Errorf("replay: deliver at %s: %w", d.clk.Now().Format(time.RFC3339), err)
		}
		return nil
	}
	return d, nil
}

// drain returns a deliver function that empties the outbox straight
// from the store, each notification handed to f and acknowledged without
// calling any notifier (E4: it leaves the outbox only once handled).
func (d *driver) drain(f func(*leadline.Notification)) func(context.Context) error {
	var keys []string
	return func(ctx context.Context) error {
		if !d.st.notes {
			return nil
		}
		d.st.notes = false
		for {
			ns, err := d.st.ClaimOutbox(ctx, d.clk.Now(), time.Minute, 1024)
			if err != nil {
				return fmt.Errorf("replay: outbox: %w", err)
			}
			keys = keys[:0]
			for i := range ns {
				f(&ns[i])
				keys = append(keys, ns[i].Key)
			}
			if err := d.st.Ack(ctx, keys); err != nil {
				return fmt.Errorf("replay: outbox: %w", err)
			}
			if len(ns) < 1024 {
				return nil
			}
		}
	}
}

// run replays log; each response event's lead and campaign go to seen
// before it is handled (passing the event itself would move every event
// to the heap).
func (d *driver) run(ctx context.Context, log iter.Seq2[lead.Event, error], seen func(leadID, campaign string)) error {
	for ev, err := range log {
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("replay: after %d events: %w", d.stats.Events, err)
		}
		at := d.handleAt(ev.At)
		if err := d.advance(ctx, at, true); err != nil {
			return err
		}
		if err := d.moveTo(ctx, at); err != nil {
			return err
		}
		if err := d.eng.Handle(ctx, ev); err != nil {
			kind := refusal(err)
			if kind == "" {
				return fmt.Errorf("replay: event %d (%s): %w", d.stats.Events+1, ev.ID, err)
			}
			d.stats.Refused[kind]++
		} else if seen != nil && ev.Kind == lead.EventResponse {
			// Only a response the engine took: a refused one (an unknown
			// lead or campaign) responded to nothing.
			seen(ev.Lead, ev.Campaign)
		}
		d.stats.Events++
		if d.progress != nil && d.stats.Events%ProgressEvery == 0 {
			d.progress(d.stats.Events)
		}
	}
	if err := d.finish(ctx); err != nil {
		return err
	}
	if d.progress != nil {
		d.progress(d.stats.Events)
	}
	return nil
}

// refusal names the kind of an error the engine returns for an event it
// will not apply, "" for any other error (the store's).
func refusal(err error) string {
	switch {
	case errors.Is(err, leaderr.ErrDuplicateEvent):
		return "duplicate"
	case errors.Is(err, leaderr.ErrInvalidTransition):
		return "invalid transition"
	case errors.Is(err, leaderr.ErrExists):
		return "exists"
	case errors.Is(err, leaderr.ErrNotFound):
		return "not found"
	case errors.Is(err, leaderr.ErrInvalid):
		return "invalid"
	}
	return ""
}

// handleAt is the instant the live engine handled an event at: its own,
// or when batched the first grid instant at or after it; never before
// the clock's instant.
func (d *driver) handleAt(at time.Time) time.Time {
	at = at.Truncate(time.Microsecond)
	if d.tick > 0 && d.batched {
		at = d.gridAtOrAfter(at)
	}
	if now := d.clk.Now(); d.moved && at.Before(now) {
		return now
	}
	return at
}

// gridAtOrAfter returns the first grid instant after Start at or after t.
func (d *driver) gridAtOrAfter(t time.Time) time.Time {
	k := int64(1)
	if off := t.Sub(d.start); off > 0 {
		k = max(1, int64((off+d.tick-1)/d.tick))
	}
	return d.start.Add(time.Duration(k) * d.tick)
}

// sweepAfter is when the live sweeper fired a deadline due at due: the
// next grid instant strictly after it, or the microsecond after it.
func (d *driver) sweepAfter(due time.Time) time.Time {
	if d.tick > 0 {
		return d.gridAtOrAfter(due.Add(time.Nanosecond))
	}
	return due.Add(time.Microsecond)
}

// sweepBefore sweeps every instant before t at which a deadline fired,
// and makes the changes of campaign models recorded before t, or at t
// when an event is handled at t (a person's change comes before an event
// or a sweep of its own instant), all in time order.
func (d *driver) sweepBefore(ctx context.Context, t time.Time) error {
	return d.advance(ctx, t, false)
}

func (d *driver) advance(ctx context.Context, t time.Time, atToo bool) error {
	for {
		var at time.Time
		due, sweep := d.st.next()
		if sweep {
			at = d.sweepAfter(due)
			if now := d.clk.Now(); at.Before(now) {
				at = now
			}
			sweep = at.Before(t)
		}
		if c, ok := d.nextChange(); ok && before(c, t, atToo) && (!sweep || !at.Before(c)) {
			if err := d.change(ctx); err != nil {
				return err
			}
			continue
		}
		if !sweep {
			return nil
		}
		if err := d.sweepAt(ctx, at); err != nil {
			return err
		}
	}
}

// sweepAt moves the clock to t and sweeps.
func (d *driver) sweepAt(ctx context.Context, t time.Time) error {
	if err := d.moveTo(ctx, t); err != nil {
		return err
	}
	res, err := d.eng.Sweep(ctx)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	d.stats.Sweeps++
	d.stats.Fired += len(res.Fired)
	d.st.drop(t)
	return nil
}

// moveTo delivers what the current instant raised, then moves the clock
// to t if it is later.
func (d *driver) moveTo(ctx context.Context, t time.Time) error {
	if d.moved && !t.After(d.clk.Now()) {
		return nil
	}
	if d.moved {
		if err := d.deliver(ctx); err != nil {
			return err
		}
	}
	if d.zone != nil {
		t = t.In(d.zone)
	}
	d.clk.Set(t)
	d.moved = true
	return nil
}

// finish sweeps the instant of the last event, then every instant up to
// Until at which a deadline fired, and delivers what they raised.
func (d *driver) finish(ctx context.Context) error {
	if d.moved {
		if err := d.sweepAt(ctx, d.clk.Now()); err != nil {
			return err
		}
	}
	if !d.until.IsZero() {
		if err := d.sweepBefore(ctx, d.until.Add(time.Nanosecond)); err != nil {
			return err
		}
		if d.until.After(d.clk.Now()) {
			if err := d.sweepAt(ctx, d.until); err != nil {
				return err
			}
		}
	}
	for len(d.changes) > 0 { // after the last event: the campaigns end as they ended live
		if err := d.change(ctx); err != nil {
			return err
		}
	}
	return d.deliver(ctx)
}
