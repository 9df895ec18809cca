package replay_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leadlinetest"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/replay"
	"github.com/leadline/leadline/sim"
)

// TestBackfill imports the first part of a log into a host's store: no
// notification reaches the host's notifier, the store holds what a plain
// replay up to the cutoff holds, and an engine over it with the real
// notifier carries on from the cutoff (E3, E4, E5).
func TestBackfill(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	evs := slices.Collect(synth(3000, 21))
	cutoff := evs[len(evs)*2/3].At.Truncate(time.Hour).Add(time.Hour)
	past := slices.DeleteFunc(slices.Clone(evs), func(ev lead.Event) bool { return !ev.At.Before(cutoff) })

	st := memstore.New()
	host := &leadlinetest.Recorder{}
	res, err := replay.Backfill(ctx, st, leadline.Config{Roster: team(), Notifier: host}, ok(slices.Values(past)), cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(host.Notifications()); n != 0 {
		t.Fatalf("the host's notifier got %d notifications about the past", n)
	}
	if res.Events != len(past) || res.Fired == 0 || res.Suppressed == 0 {
		t.Errorf("Backfill = %+v, want %d events, some deadlines fired and notifications suppressed", res, len(past))
	}
	plain, err := replay.Run(ctx, ok(slices.Values(past)), replay.Options{Roster: team(), Until: cutoff})
	if err != nil {
		t.Fatal(err)
	}
	sameHistories(t, st, plain)
	if got, want := res.Suppressed, total(plain.Notifications); got != want {
		t.Errorf("Backfill suppressed %d notifications, a plain replay delivers %d", got, want)
	}

	// The live engine takes over at the cutoff: nothing from the past is
	// left to deliver, and the next deadlines fire and reach the host.
	clk := sim.NewClock(cutoff)
	eng, err := leadline.New(st, leadline.Config{Roster: team(), Notifier: host, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	if sw, err := eng.Sweep(ctx); err != nil || len(sw.Fired) != 0 {
		t.Fatalf("Sweep at the cutoff fired %v (%v), want nothing: the past was swept", sw.Fired, err)
	}
	if dr, err := eng.Deliver(ctx); err != nil || dr.Delivered != 0 {
		t.Fatalf("Deliver at the cutoff delivered %d (%v), want none", dr.Delivered, err)
	}
	clk.Add(72 * time.Hour)
	if _, err := eng.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	ns := host.Notifications()
	if len(ns) == 0 {
		t.Fatal("no deadline after the cutoff reached the host")
	}
	for _, n := range ns {
		if n.At.Before(cutoff) {
			t.Fatalf("notification %s raised at %v, before the cutoff %v", n.Key, n.At, cutoff)
		}
	}
}

func total(m map[string]int) (n int) {
	for _, v := range m {
		n += v
	}
	return n
}

func TestBackfill_refusesEventsAfterTheCutoff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	log := []lead.Event{
		{ID: "e1", Kind: lead.EventCreated, Lead: "L-1", At: start},
		{ID: "e2", Kind: lead.EventInquiry, Lead: "L-1", At: start.Add(2 * time.Hour)},
	}
	st := memstore.New()
	res, err := replay.Backfill(ctx, st, leadline.Config{Roster: team()}, ok(slices.Values(log)), start.Add(time.Hour))
	if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != "at" {
		t.Fatalf("Backfill = %v, want a FieldError for at", err)
	}
	if res.Events != 1 {
		t.Errorf("Backfill imported %d events before stopping, want 1", res.Events)
	}
	if _, err := st.Lead(ctx, "L-1"); err != nil {
		t.Errorf("the event before the cutoff was not kept: %v", err)
	}
}
