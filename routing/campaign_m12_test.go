package routing_test

import (
	"errors"
	"testing"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
	"github.com/shopspring/decimal"
)

func withShare(c routing.Campaign, registrants, invited int) routing.Campaign {
	c.Registrants, c.Invited = registrants, invited
	return c
}

func TestRules_Engagement_M12(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		rules routing.Rules
		camp  routing.Campaign
		want  routing.Engagement
		share bool
	}{
		{name: "M12 30% invited makes a third-party seminar high (default ratio)", camp: withShare(thirdParty, 10, 3), want: routing.High, share: true},
		{name: "M12 just below 30% leaves it to the type", camp: withShare(thirdParty, 1000, 299), want: routing.Low},
		{name: "M12 no registrants leaves it to the type", camp: withShare(thirdParty, 0, 0), want: routing.Low},
		{name: "M12 every registrant invited", camp: withShare(syndicated, 7, 7), want: routing.High, share: true},
		{name: "M12 a high type stays high with a low share", camp: withShare(ownEvent, 100, 0), want: routing.High},
		{name: "M12 the policy's ratio: 50% needs half", rules: routing.Rules{InvitedPercent: 50}, camp: withShare(thirdParty, 10, 4), want: routing.Low},
		{name: "M12 the policy's ratio: 50% met", rules: routing.Rules{InvitedPercent: 50}, camp: withShare(thirdParty, 10, 5), want: routing.High, share: true},
		{name: "M12 the policy's ratio: 100%", rules: routing.Rules{InvitedPercent: 100}, camp: withShare(thirdParty, 3, 3), want: routing.High, share: true},
		{name: "M12 the campaign's own override beats the share", camp: withShare(withEngagement(thirdParty, routing.Low), 10, 9), want: routing.Low, share: true},
		{name: "M12 the share beats the policy's type table", rules: routing.Rules{Types: map[routing.CampaignType]routing.Engagement{routing.IndustrySeminar: routing.Low}},
			camp: withShare(industry, 10, 3), want: routing.High, share: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range []routing.Rules{tt.rules, tt.rules.Normalize(lead.Threshold{})} {
				if got := r.Engagement(&tt.camp); got != tt.want {
					t.Errorf("Engagement = %v, want %v", got, tt.want)
				}
				if got := r.InvitedShare(&tt.camp); got != tt.share {
					t.Errorf("InvitedShare = %v, want %v", got, tt.share)
				}
			}
		})
	}
}

func TestRules_Route_M12(t *testing.T) {
	t.Parallel()
	s0 := decimal.Zero
	byShare := routing.BecauseHighEngagement | routing.BecauseInvitedShare
	checkRoute(t, []routeCase{
		{name: "M12 a seminar where sales invited 40% of registrants goes to field", lead: ld(lead.StatusLead, s0), camp: withShare(thirdParty, 10, 4),
			want: routing.Decision{To: routing.Field, Why: byShare | routing.BecauseFieldAssignment}},
		{name: "M12 and to the account owner", lead: accountOwned(ld(lead.StatusLead, s0), "field-9"), camp: withShare(syndicated, 10, 3),
			want: routing.Decision{To: routing.Field, Owner: "field-9", Why: byShare | routing.BecauseAccountOwner}},
		{name: "M12 below the share it nurtures as its type says", lead: ld(lead.StatusLead, s0), camp: withShare(thirdParty, 10, 2),
			want: routing.Decision{To: routing.Nurture, Why: routing.BecauseInsideFirst | routing.BecauseBelowThreshold}},
		{name: "M12 a policy ratio of 20%", rules: routing.Rules{InvitedPercent: 20}, lead: ld(lead.StatusLead, s0), camp: withShare(thirdParty, 10, 2),
			want: routing.Decision{To: routing.Field, Why: byShare | routing.BecauseFieldAssignment}},
		{name: "M12 a protected lead still goes nowhere", lead: ld(lead.StatusCustomer, s0), camp: withShare(thirdParty, 10, 9),
			want: routing.Decision{To: routing.Nowhere, Why: routing.BecauseProtected}},
	})
	d := routing.Decision{To: routing.Field, Why: byShare | routing.BecauseFieldAssignment}
	if got := d.Rule(); got != "M12" {
		t.Errorf("Rule() of a decision by the share = %q, want M12", got)
	}
}

func TestCountRegistrants_M12(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)
	touch := func(c string, k lead.ResponseKind, by string) lead.Touch {
		return lead.Touch{Campaign: c, Kind: k, At: at, By: by}
	}
	leads := []lead.Lead{
		{ID: "a", Responses: []lead.Touch{touch("c", lead.ResponseInvited, "field-1"), touch("c", lead.ResponseRegistered, "field-1")}},
		{ID: "b", Responses: []lead.Touch{touch("c", lead.ResponseRegistered, "")}},
		{ID: "c", Responses: []lead.Touch{touch("c", lead.ResponseRegistered, "inside-1"), touch("c", lead.ResponseAttended, "inside-1")}},
		{ID: "d", Responses: []lead.Touch{touch("c", lead.ResponseAttended, "")}},              // a walk-in
		{ID: "e", Responses: []lead.Touch{touch("c", lead.ResponseInvited, "field-2")}},        // invited, never registered
		{ID: "f", Responses: []lead.Touch{touch("other", lead.ResponseRegistered, "field-1")}}, // another campaign
		{ID: "g", Responses: []lead.Touch{touch("c", lead.ResponseListed, ""), touch("c", lead.ResponseRegistered, "")}},
	}
	tests := []struct {
		name                 string
		campaign             string
		registrants, invited int
	}{
		{name: "M12 registrants and those sales invited", campaign: "c", registrants: 5, invited: 2},
		{name: "M12 another campaign counts its own", campaign: "other", registrants: 1, invited: 1},
		{name: "M12 a campaign nobody registered for", campaign: "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, i := routing.CountRegistrants(tt.campaign, leads)
			if r != tt.registrants || i != tt.invited {
				t.Errorf("CountRegistrants(%s) = %d, %d; want %d, %d", tt.campaign, r, i, tt.registrants, tt.invited)
			}
		})
	}
}

func TestCampaign_Validate_M12_M13(t *testing.T) {
	t.Parallel()
	ok := routing.Campaign{ID: "c", Type: routing.OwnEvent, AgreedBy: "mgr", AgreedAt: kickoff, Registrants: 10, Invited: 3}
	tests := []struct {
		name  string
		edit  func(*routing.Campaign)
		field string // "" for valid
	}{
		{name: "M13 an agreement with who and when", edit: func(*routing.Campaign) {}},
		{name: "M13 no agreement (planning)", edit: func(c *routing.Campaign) { c.AgreedBy, c.AgreedAt = "", time.Time{} }},
		{name: "M13 who without when", edit: func(c *routing.Campaign) { c.AgreedAt = time.Time{} }, field: "campaign.agreed_at"},
		{name: "M13 when without who", edit: func(c *routing.Campaign) { c.AgreedBy = "" }, field: "campaign.agreed_by"},
		{name: "M13 who is blank", edit: func(c *routing.Campaign) { c.AgreedBy = "  " }, field: "campaign.agreed_by"},
		{name: "M12 no figures", edit: func(c *routing.Campaign) { c.Registrants, c.Invited = 0, 0 }},
		{name: "M12 negative registrants", edit: func(c *routing.Campaign) { c.Registrants, c.Invited = -1, 0 }, field: "campaign.registrants"},
		{name: "M12 negative invited", edit: func(c *routing.Campaign) { c.Invited = -1 }, field: "campaign.invited"},
		{name: "M12 more invited than registrants", edit: func(c *routing.Campaign) { c.Invited = 11 }, field: "campaign.invited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			err := c.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var fe *leaderr.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("Validate = %v, want a FieldError for %s", err, tt.field)
			}
		})
	}
	if c := ok; !c.Agreed() {
		t.Error("Agreed() = false with who and when")
	}
	if c := (routing.Campaign{ID: "c", AgreedBy: "mgr"}); c.Agreed() {
		t.Error("Agreed() = true without when")
	}
}

func TestRules_Validate_M12(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		pct int
		ok  bool
	}{{0, true}, {1, true}, {30, true}, {100, true}, {-1, false}, {101, false}} {
		r := routing.Rules{InvitedPercent: tt.pct}
		err := r.Validate()
		var fe *leaderr.FieldError
		if tt.ok != (err == nil) || (err != nil && (!errors.As(err, &fe) || fe.Field != "routing.invited_percent")) {
			t.Errorf("Validate(InvitedPercent %d) = %v, want ok %v", tt.pct, err, tt.ok)
		}
	}
	if got := (routing.Rules{}).Normalize(lead.Threshold{}).InvitedPercent; got != 30 {
		t.Errorf("Normalize().InvitedPercent = %d, want 30", got)
	}
}
