package replay_test

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
)

var (
	jst   = time.FixedZone("JST", 9*3600)
	start = time.Date(2026, 4, 6, 9, 0, 0, 0, jst)
)

// team is the roster of the synthetic logs: rep-1 .. rep-8 and a manager.
func team() *routing.Org {
	t := routing.Team{ID: "inside", Manager: "mgr"}
	for i := range 8 {
		t.Reps = append(t.Reps, routing.Rep{ID: fmt.Sprintf("rep-%d", i+1)})
	}
	return &routing.Org{Inside: t}
}

// synth returns a synthetic log of n events drawn with seed.
func synth(n int, seed uint64) iter.Seq[lead.Event] {
	return sim.EventLog(rand.New(rand.NewPCG(seed, seed)), sim.EventLogParams{Events: n, Start: start, PerDay: 200})
}

// ok pairs each event with a nil error, as ReadLog yields a good log.
func ok(evs iter.Seq[lead.Event]) iter.Seq2[lead.Event, error] {
	return func(yield func(lead.Event, error) bool) {
		for ev := range evs {
			if !yield(ev, nil) {
				return
			}
		}
	}
}
