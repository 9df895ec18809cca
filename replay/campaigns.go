package replay

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/leadline/leadline/routing"
)

// modelChange is one recorded change of a campaign's follow-up model
// (M7), to be made again when the replay's clock reaches it.
type modelChange struct {
	campaign string
	routing.ModelChange
}

// kickoff splits the campaigns of a run, as stored when it ended, into
// the campaigns as they stood before their first recorded change of
// model and the changes to make on the way, in time order (M7). A
// campaign records every change made after its start with its instant,
// who and why, so the replay routes each response under the model it
// met live; a change made before the start is not recorded, and the
// replay routes under the model the campaign started with.
func kickoff(cs []routing.Campaign) ([]routing.Campaign, []modelChange) {
	out := make([]routing.Campaign, 0, len(cs))
	var changes []modelChange
	for _, c := range cs {
		if len(c.Changes) > 0 {
			for _, ch := range c.Changes {
				changes = append(changes, modelChange{campaign: c.ID, ModelChange: ch})
			}
			c.Model = c.Changes[0].From
			c.Changes = nil
		}
		c.Version = 0 // new to the replay's store, whatever the run's store counted
		out = append(out, c)
	}
	slices.SortStableFunc(changes, func(a, b modelChange) int { return a.At.Compare(b.At) })
	return out, changes
}

// nextChange returns the instant of the next change of model to make.
func (d *driver) nextChange() (time.Time, bool) {
	if len(d.changes) == 0 {
		return time.Time{}, false
	}
	return d.changes[0].At, true
}

// change makes the next change of model at its instant, through the
// engine as the person made it live (M7).
func (d *driver) change(ctx context.Context) error {
	ch := d.changes[0]
	d.changes = d.changes[1:]
	if err := d.moveTo(ctx, ch.At); err != nil {
		return err
	}
	if err := d.eng.ChangeModel(ctx, ch.campaign, ch.To, ch.By, ch.Reason); err != nil {
		return fmt.Errorf("replay: campaign %s: model %v -> %v at %s: %w", ch.campaign, ch.From, ch.To, ch.At.Format(time.RFC3339), err)
	}
	return nil
}

// before reports whether a is before b, or at it when inclusive.
func before(a, b time.Time, inclusive bool) bool {
	return a.Before(b) || inclusive && a.Equal(b)
}
