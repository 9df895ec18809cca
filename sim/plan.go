package sim

import (
	"context"
	"time"
)

// Plan is what somebody means to do next about one thing, a lead most
// often: who planned it and when it runs.
type Plan struct {
	By string
	At time.Time
}

type plan struct {
	Plan
	gen uint64
}

// Plan schedules f at p.At as key's plan, superseding key's earlier plan,
// whose action will not run. A plan is done once its action starts: from
// then [Sim.Planned] no longer reports it, and f may plan key again. A
// person who reconsiders the next call to a lead plans it again under the
// lead's id; one who stops working the lead cancels it with [Sim.Cancel].
func (s *Sim) Plan(key string, p Plan, f ActionFunc) {
	if s.plans == nil {
		s.plans = map[string]*plan{}
	}
	s.gen++
	cur := &plan{Plan: p, gen: s.gen}
	s.plans[key] = cur
	s.At(p.At, func(ctx context.Context, at time.Time) error {
		if s.plans[key] != cur {
			return nil // superseded or cancelled
		}
		delete(s.plans, key)
		return f(ctx, at)
	})
}

// Planned returns key's plan that has not run yet, if there is one.
func (s *Sim) Planned(key string) (Plan, bool) {
	if p, ok := s.plans[key]; ok {
		return p.Plan, true
	}
	return Plan{}, false
}

// Cancel drops key's plan, if any: its action will not run.
func (s *Sim) Cancel(key string) { delete(s.plans, key) }
