package rules

import (
	"fmt"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
)

// SaveCampaign returns c as it may be stored over old, the stored
// campaign (nil when c is new), at instant now (M7, M13). The follow-up
// model is agreed at kickoff: once the campaign has started, a save may
// not change it (that takes [routing.Campaign.ChangeModel], which records
// who and why), and the recorded model changes are kept whatever c says.
// A new campaign starts with no recorded changes.
//
// The agreement itself is recorded (M13): a campaign may be saved without
// one while it is being planned, but not once it has started (a campaign
// with no Start, an always-on form, has started), since from then on it
// takes responses; and once a started campaign carries an agreement, a
// save keeps it whatever c says.
func SaveCampaign(old *routing.Campaign, c routing.Campaign, now time.Time) (routing.Campaign, error) {
	start := c.Start
	if old != nil {
		start = old.Start
	}
	started := start.IsZero() || !now.Before(start)
	if started && old != nil && old.Agreed() {
		c.AgreedBy, c.AgreedAt = old.AgreedBy, old.AgreedAt
	}
	if started && !c.Agreed() {
		return c, leaderr.Errorf("campaign.agreed_by", "required: campaign %s has started (it takes responses); say who in sales management agreed its model, and when (M13)", c.ID)
	}
	if old == nil {
		c.Changes = nil
		return c, nil
	}
	if started && !c.Start.IsZero() && now.Before(c.Start) {
		// Moving the start of a campaign that has begun into the future
		// would make its model free to change again, unrecorded.
		return c, &leaderr.FieldError{Field: "campaign.start", Err: fmt.Errorf("%w: campaign %s has started (it takes responses); its start may not move after now, %s (M7)", leaderr.ErrInvalidTransition, c.ID, now.Format(time.RFC3339))}
	}
	if started && c.Model != old.Model {
		return c, &leaderr.FieldError{Field: "campaign.model", Err: fmt.Errorf("%w: campaign %s has started; change its model with ChangeModel, saying who and why (M7)", leaderr.ErrInvalidTransition, c.ID)}
	}
	c.Changes = old.Changes
	return c, nil
}

// CheckResponse refuses a response of kind k to campaign c when c has no
// agreed follow-up model (M13): who follows the person up is the model's
// to say. Being put on an invitation list is marketing's working data,
// not a response, and is taken before the agreement, as the reports read
// it (M6, V7).
func CheckResponse(c *routing.Campaign, k lead.ResponseKind) error {
	if k == lead.ResponseListed || c.Agreed() {
		return nil
	}
	return &leaderr.FieldError{Field: "campaign.model", Err: fmt.Errorf("%w: campaign %s has no agreed follow-up model yet: record who in sales management agreed it, and when, before it takes responses (M13)", leaderr.ErrInvalidTransition, c.ID)}
}
