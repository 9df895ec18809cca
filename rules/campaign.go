package rules

import (
	"fmt"
	"time"

	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
)

// SaveCampaign returns c as it may be stored over old, the stored
// campaign (nil when c is new), at instant now (M7). The follow-up model
// is agreed at kickoff: once the campaign has started, a save may not
// change it (that takes [routing.Campaign.ChangeModel], which records who
// and why), and the recorded model changes are kept whatever c says. A
// new campaign starts with no recorded changes.
func SaveCampaign(old *routing.Campaign, c routing.Campaign, now time.Time) (routing.Campaign, error) {
	if old == nil {
		c.Changes = nil
		return c, nil
	}
	if started := !old.Start.IsZero() && !now.Before(old.Start); started && c.Model != old.Model {
		return c, &leaderr.FieldError{Field: "campaign.model", Err: fmt.Errorf("%w: campaign %s has started; change its model with ChangeModel, saying who and why (M7)", leaderr.ErrInvalidTransition, c.ID)}
	}
	c.Changes = old.Changes
	return c, nil
}
