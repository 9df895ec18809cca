package leadlinetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
)

// JST is Japan Standard Time as a fixed zone, so that tests read the same
// on every host.
var JST = time.FixedZone("JST", 9*3600)

// Start is where a [Kit]'s clock starts: Monday 2026-04-06 09:00 JST.
var Start = time.Date(2026, time.April, 6, 9, 0, 0, 0, JST)

// Ops is the viewer the kit reads leads as: operations, who see every
// lead (M2).
var Ops = routing.Viewer{Rep: "leadlinetest", Role: routing.RoleOps}

// Kit is an engine on memstore with a mock clock and a notification
// recorder, built for one test by [New]. Its fields may be used directly;
// its methods fail the test on an error.
type Kit struct {
	// Engine runs on Store, Clock and Recorder.
	Engine *leadline.Engine
	// Clock is the engine's clock; it starts at [Start].
	Clock *clock.Mock
	// Store is the engine's store, fresh for the test.
	Store *memstore.Store
	// Recorder keeps what the engine delivered: every notification Deliver
	// handed over and, when the test set a notifier of its own, that
	// notifier accepted.
	Recorder *Recorder

	tb  testing.TB
	ids int
}

// New returns a kit whose engine runs with cfg on a new memstore, a mock
// clock at [Start] and a new [Recorder]. The kit owns the clock: New fails
// the test if cfg.Clock is set, or if the engine refuses cfg. A test that
// sets cfg.Notifier (one that fails or blocks, say) keeps it: the engine
// delivers to it, and the Recorder keeps what it accepted. A test that needs another start instant calls
// k.Clock.Set before its first event.
func New(tb testing.TB, cfg leadline.Config) *Kit {
	tb.Helper()
	if cfg.Clock != nil {
		tb.Fatal("leadlinetest: New: cfg.Clock is set; the kit owns the clock: leave it nil and use Kit.Clock")
	}
	k := &Kit{Clock: clock.NewMock(), Store: memstore.New(), Recorder: new(Recorder), tb: tb}
	k.Clock.Set(Start)
	cfg.Clock = k.Clock
	if host := cfg.Notifier; host != nil {
		cfg.Notifier = leadline.NotifierFunc(func(ctx context.Context, n leadline.Notification) error {
			if err := host.Notify(ctx, n); err != nil {
				return err
			}
			return k.Recorder.Notify(ctx, n)
		})
	} else {
		cfg.Notifier = k.Recorder
	}
	eng, err := leadline.New(k.Store, cfg)
	if err != nil {
		tb.Fatalf("leadlinetest: New: %v", err)
	}
	k.Engine = eng
	return k
}

// Now returns the clock's instant.
func (k *Kit) Now() time.Time { return k.Clock.Now() }

// Handle hands ev to the engine and fails the test if it is refused.
// An empty ev.ID is filled with a fresh one ("test-000001", ...), and a
// zero ev.At with the clock's instant.
func (k *Kit) Handle(ev lead.Event) {
	k.tb.Helper()
	if ev.ID == "" {
		k.ids++
		ev.ID = fmt.Sprintf("test-%06d", k.ids)
	}
	if ev.At.IsZero() {
		ev.At = k.Clock.Now()
	}
	if err := k.Engine.Handle(k.tb.Context(), ev); err != nil {
		k.tb.Fatalf("Handle(%s %s of %s): %v", ev.Kind, ev.ID, ev.Lead, err)
	}
}

// Advance moves the clock d forward; call [Kit.Sweep] to fire the
// deadlines that passed. clock.Mock yields to its timers with a real
// millisecond's sleep at each move, so a test of a thousand moves takes
// about a second, whatever d.
func (k *Kit) Advance(d time.Duration) {
	k.tb.Helper()
	if d < 0 {
		k.tb.Fatalf("Advance(%v): the clock only moves forward", d)
	}
	k.Clock.Set(k.Clock.Now().Add(d))
}

// Sweep fires the deadlines that passed (see [leadline.Engine.Sweep]) and
// fails the test on an error.
func (k *Kit) Sweep() leadline.SweepResult {
	k.tb.Helper()
	res, err := k.Engine.Sweep(k.tb.Context())
	if err != nil {
		k.tb.Fatalf("Sweep at %s: %v", k.Clock.Now().Format(time.DateTime), err)
	}
	return res
}

// Deliver hands the outbox to the [Recorder] (see [leadline.Engine.Deliver])
// and fails the test on an error.
func (k *Kit) Deliver() leadline.DeliverResult {
	k.tb.Helper()
	res, err := k.Engine.Deliver(k.tb.Context())
	if err != nil {
		k.tb.Fatalf("Deliver at %s: %v", k.Clock.Now().Format(time.DateTime), err)
	}
	return res
}

// Notifications returns what the recorder received, in order, as a copy.
func (k *Kit) Notifications() []leadline.Notification { return k.Recorder.Notifications() }

// Take returns what the recorder received, in order, and empties it.
func (k *Kit) Take() []leadline.Notification { return k.Recorder.Take() }

// Lead returns the lead with id as operations see it, failing the test if
// there is none.
func (k *Kit) Lead(id string) lead.Lead {
	k.tb.Helper()
	l, err := k.Engine.Lead(k.tb.Context(), Ops, id)
	if err != nil {
		k.tb.Fatalf("Lead(%q): %v", id, err)
	}
	return l
}

// History returns the lead's history, oldest first, failing the test if
// there is no such lead.
func (k *Kit) History(id string) []lead.Change {
	k.tb.Helper()
	h, err := k.Engine.History(k.tb.Context(), Ops, id)
	if err != nil {
		k.tb.Fatalf("History(%q): %v", id, err)
	}
	return h
}

// Recorder is a [leadline.Notifier] that keeps every notification it is
// handed, in order. The zero value is ready to use, and it is safe for
// concurrent use. It accepts every notification, repeats included: a test
// of at-least-once delivery (E4) sees each attempt.
type Recorder struct {
	mu    sync.Mutex
	notes []leadline.Notification
}

var _ leadline.Notifier = (*Recorder)(nil)

// Notify records n and returns nil.
func (r *Recorder) Notify(_ context.Context, n leadline.Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notes = append(r.notes, n)
	return nil
}

// Notifications returns a copy of what was recorded, in the order Notify
// was called.
func (r *Recorder) Notifications() []leadline.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.notes)
}

// Take returns what was recorded, in order, and forgets it.
func (r *Recorder) Take() []leadline.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	notes := r.notes
	r.notes = nil
	return notes
}
