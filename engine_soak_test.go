package leadline_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leadlinetest"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/stage"
)

var soakLarge = flag.Bool("soak", false, "run TestEngine_Soak_E4 with 10 times the leads")

// soakEvent is the i-th event of lead l in round r: a deterministic mix.
func soakEvent(l, r int) lead.Event {
	id := benchID(l)
	ev := lead.Event{ID: fmt.Sprintf("s-%d-%d", l, r), Lead: id}
	switch (l + r) % 7 {
	case 0, 1:
		ev.Kind, ev.Score = lead.EventScoreChanged, score(fmt.Sprint((l*7+r*13)%160))
	case 2:
		ev.Kind = lead.EventInquiry
	case 3:
		ev.Kind = lead.EventDownload
	case 4, 5:
		ev.Kind, ev.Actor, ev.Channels = lead.EventOutbound, "rep-a", stage.Call
	case 6:
		if r%3 == 0 {
			ev.Kind, ev.Actor = lead.EventContact, "rep-a"
		} else {
			ev.Kind = lead.EventInquiry
		}
	}
	return ev
}

// TestEngine_Soak_E4 runs senders, sweepers and deliverers at once on one
// memstore, with a notifier that fails a share of keys and panics on one
// lead, and checks: every key delivered or dead-lettered (only the
// poison), no key for two notifications (E4, T8), at most one open
// request per lead (A6), deadlines fired once (E5), and the leads equal
// to a serial replay. It takes a few seconds; -soak runs a larger one.
func TestEngine_Soak_E4(t *testing.T) {
	leads, rounds, senders, sweepers, deliverers := 120, 12, 4, 2, 2
	if *soakLarge {
		leads = 1200
	}
	poison := benchID(7)
	faults := &leadlinetest.Faults{FailShare: 0.1, FailTimes: 2,
		PanicFunc: func(n leadline.Notification) bool { return n.Lead == poison }}
	cfg := leadline.Config{Roster: team(), Notifier: faults, Batch: 8, DeliveryAttempts: 5}
	k := leadlinetest.New(t, cfg)
	k.Clock.Set(monday)

	serialClock := clock.NewMock()
	serialClock.Set(monday)
	serialStore := memstore.New()
	serial, err := leadline.New(serialStore, leadline.Config{Clock: serialClock, Roster: team()})
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	for l := range leads {
		ev := lead.Event{ID: fmt.Sprintf("c-%d", l), Kind: lead.EventCreated, Lead: benchID(l), Owner: "rep-a", Score: score("120"), At: monday}
		k.Handle(ev)
		if err := serial.Handle(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	events, fired := leads, 0
	var mu sync.Mutex
	for r := range rounds {
		now := k.Clock.Now()
		// Senders and deliverers at once; each sender owns every
		// senders-th lead, so a lead's events keep their order.
		var wg sync.WaitGroup
		for s := range senders {
			wg.Go(func() {
				for l := s; l < leads; l += senders {
					ev := soakEvent(l, r)
					ev.At = now
					if err := k.Engine.Handle(ctx, ev); err != nil && !errorsIsInvalid(err) {
						t.Errorf("Handle(%s): %v", ev.ID, err)
					}
					mu.Lock()
					events++
					mu.Unlock()
				}
			})
		}
		deliver := func() {
			for range 3 {
				if _, err := k.Engine.Deliver(ctx); err != nil {
					t.Errorf("Deliver: %v", err)
				}
			}
		}
		for range deliverers {
			wg.Go(deliver)
		}
		wg.Wait()
		for l := range leads {
			ev := soakEvent(l, r)
			ev.At = now
			_ = serial.Handle(ctx, ev)
		}
		// Sweepers and deliverers at once.
		k.Advance(29 * time.Hour)
		serialClock.Set(k.Clock.Now())
		for range sweepers {
			wg.Go(func() {
				res, err := k.Engine.Sweep(ctx)
				if err != nil {
					t.Errorf("Sweep: %v", err)
				}
				mu.Lock()
				fired += len(res.Fired)
				mu.Unlock()
			})
		}
		for range deliverers {
			wg.Go(deliver)
		}
		wg.Wait()
		if _, err := serial.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Drain: every backoff runs out.
	for range 12 {
		k.Advance(time.Hour)
		k.Deliver()
	}

	// Every written key was delivered or is a dead letter; no key names
	// two notifications.
	byKey := map[string]leadline.Notification{}
	dups := 0
	for _, n := range k.Notifications() {
		if o, ok := byKey[n.Key]; ok {
			o.Attempts, n.Attempts = 0, 0
			if o != n {
				t.Errorf("key %s names two notifications: %v and %v", n.Key, o, n)
			}
			dups++
			continue
		}
		byKey[n.Key] = n
	}
	dead, err := k.Engine.DeadLetters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dead {
		if d.Notification.Lead != poison {
			t.Errorf("dead letter %s is not the poison lead's", d.Notification.Key)
		}
	}
	left, err := k.Store.ClaimOutbox(ctx, k.Clock.Now().Add(time.Hour), time.Minute, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("%d notifications never delivered, the first %s", len(left), left[0].Key)
	}
	for l := range leads {
		id := benchID(l)
		got, want := k.Lead(id), lead.Lead{}
		if want, err = serialStore.Lead(ctx, id); err != nil {
			t.Fatal(err)
		}
		if got.Status != want.Status || got.Track.Stage != want.Track.Stage || got.Track.Cadence != want.Track.Cadence ||
			!got.Score.Equal(want.Score) || got.Request.Seq != want.Request.Seq || got.Request.State != want.Request.State {
			t.Errorf("%s: %v %v c%d score %v request %d %v; serial replay %v %v c%d score %v request %d %v", id,
				got.Status, got.Track.Stage, got.Track.Cadence, got.Score, got.Request.Seq, got.Request.State,
				want.Status, want.Track.Stage, want.Track.Cadence, want.Score, want.Request.Seq, want.Request.State)
		}
		opened := 0
		for _, c := range k.History(id) {
			if c.Field == lead.FieldRequest && c.To == lead.RequestOpen.String() && c.From != lead.RequestOverdue.String() {
				opened++
			}
		}
		if uint32(opened) != got.Request.Seq {
			t.Errorf("%s: %d requests opened, Seq %d: more than one open at once (A6)", id, opened, got.Request.Seq)
		}
	}
	calls, failures, panics := faults.Counts()
	t.Logf("soak: %d events on %d leads, %d senders, %d sweepers, %d deliverers; %d deadlines fired; "+
		"%d keys delivered, %d redeliveries of one key, 0 keys shared, %d lost, %d dead-lettered (poison %s); notifier %d calls, %d failures, %d panics",
		events, leads, senders, sweepers, deliverers, fired, len(byKey), dups, len(left), len(dead), poison, calls, failures, panics)
}

func errorsIsInvalid(err error) bool {
	return err != nil && (errorsIs(err, leadline.ErrInvalid) || errorsIs(err, leadline.ErrInvalidTransition))
}

var errorsIs = errors.Is
