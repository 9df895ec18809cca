package leadline_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// sortedLeads is a store that reads many leads at once only as
// LeadsByID does, sorted by id (as postgres does): the sweep finds each
// claimed lead in the answer by binary search.
type sortedLeads struct {
	leadline.Store
	m *memstore.Store
}

func (s sortedLeads) LeadsByID(ctx context.Context, ids []string) ([]lead.Lead, error) {
	return s.m.LeadsByID(ctx, ids)
}

// oneLead is a store that reads one lead at a time: the sweep loads each
// claimed lead with Lead.
type oneLead struct{ leadline.Store }

// TestEngine_SweepLoads_E5 checks that a sweep fires the same deadlines,
// in the same order, with the same notifications, history and
// round-robin places (E5, M9), whichever way its store loads a claimed
// batch's leads: into the sweep's reused slice in claim order
// (memstore's AppendLeadsByID), sorted by id (LeadsByID), or one by one
// (Lead); over random schedules, batch sizes and sweep instants.
func TestEngine_SweepLoads_E5(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		batch := rapid.IntRange(1, 6).Draw(rt, "batch")
		type run struct {
			eng *leadline.Engine
			clk *sim.Clock // sets the instant without the mock's sleep
			st  *memstore.Store
			log []string
		}
		var runs []*run
		for _, wrap := range []func(*memstore.Store) leadline.Store{
			func(m *memstore.Store) leadline.Store { return m },
			func(m *memstore.Store) leadline.Store { return sortedLeads{m, m} },
			func(m *memstore.Store) leadline.Store { return oneLead{m} },
		} {
			r := &run{clk: sim.NewClock(monday), st: memstore.New()}
			var err error
			r.eng, err = leadline.New(wrap(r.st), leadline.Config{Clock: r.clk, Roster: org(), Batch: batch})
			if err != nil {
				rt.Fatal(err)
			}
			runs = append(runs, r)
		}
		do := func(f func(r *run) string) {
			for _, r := range runs {
				r.log = append(r.log, f(r))
			}
		}
		leads := rapid.IntRange(1, 12).Draw(rt, "leads")
		for i := range leads {
			id := fmt.Sprintf("L-%02d", i)
			evs := []lead.Event{{ID: "c-" + id, Kind: lead.EventCreated, Lead: id,
				Score: decimal.NewFromInt(int64(rapid.IntRange(0, 150).Draw(rt, "score"))), Profile: lead.Profile{Company: "Acme", Source: "web"}}}
			if rapid.Bool().Draw(rt, "inquiry") {
				evs = append(evs, lead.Event{ID: "i-" + id, Kind: lead.EventInquiry, Lead: id})
			}
			if rapid.Bool().Draw(rt, "attempt") {
				evs = append(evs, lead.Event{ID: "o-" + id, Kind: lead.EventOutbound, Lead: id,
					Actor: rapid.SampledFrom([]string{"rep-a", "rep-b"}).Draw(rt, "actor"), Channels: stage.Call})
			}
			step := time.Duration(rapid.IntRange(0, 600).Draw(rt, "minutes")) * time.Minute
			for _, ev := range evs {
				do(func(r *run) string {
					r.clk.Add(step)
					ev.At = r.clk.Now()
					return fmt.Sprint(r.eng.Handle(rt.Context(), ev))
				})
			}
		}
		for range rapid.IntRange(1, 6).Draw(rt, "sweeps") {
			wait := time.Duration(rapid.IntRange(0, 200).Draw(rt, "hours")) * time.Hour
			do(func(r *run) string {
				r.clk.Add(wait)
				res, err := r.eng.Sweep(rt.Context())
				return fmt.Sprint(res, err)
			})
		}
		for i := range leads {
			id := fmt.Sprintf("L-%02d", i)
			do(func(r *run) string {
				l, err := r.st.Lead(rt.Context(), id)
				h, herr := r.st.History(rt.Context(), id)
				return fmt.Sprint(l, err, h, herr)
			})
		}
		for i := 1; i < len(runs); i++ {
			if !reflect.DeepEqual(runs[i].log, runs[0].log) {
				for j := range runs[0].log {
					if runs[i].log[j] != runs[0].log[j] {
						rt.Fatalf("store %d differs from memstore at step %d:\n%s\n%s", i, j, runs[i].log[j], runs[0].log[j])
					}
				}
			}
		}
	})
}
