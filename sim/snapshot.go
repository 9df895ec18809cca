package sim

import (
	"context"
	"fmt"

	"github.com/leadline/leadline"
)

// Snapshot is every lead's version and history length at one instant, as
// [Sim.Snapshot] reads them: two equal snapshots mean nothing was written
// in between, which is how a run shows that a refused import or a
// duplicate event changed nothing (E2).
type Snapshot map[string]Mark

// Mark is one lead's place in a [Snapshot].
type Mark struct {
	Version int64
	History int
}

// Snapshot reads every lead's version and history length as [Ops].
func (s *Sim) Snapshot(ctx context.Context) (Snapshot, error) {
	leads, err := s.eng.Leads(ctx, Ops, leadline.Query{})
	if err != nil {
		return nil, fmt.Errorf("sim: snapshot: %w", err)
	}
	snap := make(Snapshot, len(leads))
	for _, l := range leads {
		h, err := s.eng.History(ctx, Ops, l.ID)
		if err != nil {
			return nil, fmt.Errorf("sim: snapshot of %s: %w", l.ID, err)
		}
		snap[l.ID] = Mark{Version: l.Version, History: len(h)}
	}
	return snap, nil
}

// Changed returns how many of the leads in snap are at another mark in
// later, or missing from it.
func (snap Snapshot) Changed(later Snapshot) int {
	n := 0
	for id, m := range snap {
		if lm, ok := later[id]; !ok || lm != m {
			n++
		}
	}
	return n
}
