package replay

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
)

// BackfillResult says what a [Backfill] imported.
type BackfillResult struct {
	// Events is how many events of the log were handed to the engine;
	// Refused, how many it refused, by kind, as in [Outcome].
	Events  int
	Refused map[string]int
	// Fired counts the deadlines that passed before the cutoff and fired
	// during the import (T1, T7, T8, A4), recorded as history.
	Fired int
	// Suppressed counts the notifications the import raised, for events
	// and deadlines before the cutoff: taken out of the outbox as handled,
	// never handed to a notifier.
	Suppressed int
}

// Backfill imports a team's past events into the host's store, as when
// it moves to leadline from a CRM: each event is handled at its instant
// and each deadline that passed before cutoff fires as it passed, as
// [Run] replays a log with no grid, so that the store ends with every
// lead's state and history (E3) as a live engine would have left them at
// cutoff. Nobody is told about the past: the notifications the import
// raises are acknowledged in the outbox without calling any notifier,
// and counted in the result; notifications the outbox held before are
// left alone (the import is for leads new to the store: a store skips a
// notification whose key is pending already, and the import would
// acknowledge that one). The deadlines still pending at cutoff stay in the store,
// so an engine over it with the real notifier and clock carries on from
// there (E5): the first Stage1 window to close after cutoff reminds and
// reassigns as usual.
//
// cfg is the engine's configuration for the host: its Policy, Roster
// and Templates apply; its Clock and Notifier are not used. Every event
// must come before cutoff: the first that does not stops the import with
// a [*leaderr.FieldError] for "at", and what came before it stays
// imported (a second Backfill of the same log skips those as duplicates,
// E2). A bad line of the log or a store error stops it too.
func Backfill(ctx context.Context, store leadline.Store, cfg leadline.Config, log iter.Seq2[lead.Event, error], cutoff time.Time) (BackfillResult, error) {
	if store == nil {
		panic("replay: Backfill called with a nil Store")
	}
	if cutoff.IsZero() {
		return BackfillResult{}, leaderr.Errorf("cutoff", "required: the instant the live engine takes over")
	}
	var res BackfillResult
	d, err := newDriver(store, nil, Options{Until: cutoff})
	if err != nil {
		return res, err
	}
	cfg.Clock, cfg.Notifier, cfg.Batch = d.clk, nil, sweepBatch
	if d.eng, err = leadline.New(d.st, cfg); err != nil {
		return res, fmt.Errorf("replay: backfill: %w", err)
	}
	var keys []string
	d.st.onNote = func(n *leadline.Notification) { keys = append(keys, n.Key) }
	d.deliver = func(ctx context.Context) error {
		if len(keys) == 0 {
			return nil
		}
		if err := d.st.Ack(ctx, keys); err != nil {
			return fmt.Errorf("replay: backfill: acknowledge past notifications: %w", err)
		}
		res.Suppressed += len(keys)
		keys = keys[:0]
		return nil
	}
	checked := func(yield func(lead.Event, error) bool) {
		for ev, err := range log {
			if err == nil && !ev.At.Before(cutoff) {
				err = &leaderr.FieldError{Field: "at", Err: fmt.Errorf("event %s at %s is not before the cutoff %s: hand it to the engine",
					ev.ID, ev.At.Format(time.RFC3339), cutoff.Format(time.RFC3339))}
			}
			if !yield(ev, err) || err != nil {
				return
			}
		}
	}
	err = d.run(ctx, checked, nil)
	res.Events, res.Refused, res.Fired = d.stats.Events, d.stats.Refused, d.stats.Fired
	if err != nil {
		// What was imported raised notifications about the past too.
		if aerr := d.deliver(context.WithoutCancel(ctx)); aerr != nil {
			err = fmt.Errorf("%w; %w", err, aerr)
		}
		return res, err
	}
	return res, nil
}
