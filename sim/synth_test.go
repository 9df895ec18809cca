package sim_test

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/sim"
)

func TestEventLog(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)
	draw := func() []lead.Event {
		return slices.Collect(sim.EventLog(rand.New(rand.NewPCG(4, 4)), sim.EventLogParams{Events: 5000, Start: start}))
	}
	evs := draw()
	if len(evs) != 5000 {
		t.Fatalf("EventLog drew %d events, want 5000", len(evs))
	}
	if !reflect.DeepEqual(evs, draw()) {
		t.Fatal("two logs from one seed differ (E1)")
	}
	kinds := map[lead.EventKind]int{}
	ids := map[string]bool{}
	for i, ev := range evs {
		if err := ev.Validate(); err != nil {
			t.Fatalf("event %d is invalid: %v", i, err)
		}
		if i > 0 && ev.At.Before(evs[i-1].At) {
			t.Fatalf("event %d at %v comes before event %d at %v", i, ev.At, i-1, evs[i-1].At)
		}
		if ids[ev.ID] {
			t.Fatalf("id %s twice (E2)", ev.ID)
		}
		ids[ev.ID] = true
		kinds[ev.Kind]++
	}
	for _, k := range []lead.EventKind{lead.EventCreated, lead.EventInquiry, lead.EventDownload, lead.EventScoreChanged,
		lead.EventOutbound, lead.EventContact, lead.EventStatusSet} {
		if kinds[k] == 0 {
			t.Errorf("no %v event in the log: %v", k, kinds)
		}
	}
}
