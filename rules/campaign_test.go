package rules_test

import (
	"errors"
	"testing"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
)

func TestCheckResponse_M13(t *testing.T) {
	t.Parallel()
	agreed := routing.Campaign{ID: "c", Type: routing.OwnEvent, Start: monday, AgreedBy: "mgr", AgreedAt: monday.AddDate(0, 0, -7)}
	planned := routing.Campaign{ID: "c", Type: routing.OwnEvent, Start: monday}
	tests := []struct {
		name   string
		camp   routing.Campaign
		kind   lead.ResponseKind
		refuse bool
	}{
		{name: "M13 an agreed campaign takes an attendance", camp: agreed, kind: lead.ResponseAttended},
		{name: "M13 an agreed campaign takes an invitation", camp: agreed, kind: lead.ResponseInvited},
		{name: "M13 no model: an attendance is refused", camp: planned, kind: lead.ResponseAttended, refuse: true},
		{name: "M13 no model: a registration is refused", camp: planned, kind: lead.ResponseRegistered, refuse: true},
		{name: "M13 no model: an invitation is refused", camp: planned, kind: lead.ResponseInvited, refuse: true},
		{name: "M13 no model: an inquiry is refused", camp: planned, kind: lead.ResponseInquired, refuse: true},
		{name: "M13 no model: the invitation list is no response", camp: planned, kind: lead.ResponseListed},
		{name: "M13 who without when is no agreement", camp: routing.Campaign{ID: "c", AgreedBy: "mgr"}, kind: lead.ResponseAttended, refuse: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rules.CheckResponse(&tt.camp, tt.kind)
			if !tt.refuse {
				if err != nil {
					t.Fatalf("CheckResponse = %v, want nil", err)
				}
				return
			}
			var fe *leaderr.FieldError
			if !errors.As(err, &fe) || fe.Field != "campaign.model" || !errors.Is(err, leaderr.ErrInvalidTransition) {
				t.Fatalf("CheckResponse = %v, want a FieldError for campaign.model wrapping ErrInvalidTransition", err)
			}
		})
	}
}

func TestStep_M13_noResponseWithoutAModel(t *testing.T) {
	t.Parallel()
	w := newWorld(t, rules.Policy{})
	w.create("40", "")
	s := w.step(monday)
	planned := routing.Campaign{ID: "conf", Type: routing.OwnEvent, Start: monday}
	ev := lead.Event{ID: "r-1", Kind: lead.EventResponse, Lead: "L-1", At: monday, Campaign: "conf", Response: lead.ResponseAttended, Actor: "marketing"}
	err := s.Event(&ev, true, &planned)
	if !errors.Is(err, leaderr.ErrInvalidTransition) {
		t.Fatalf("a response to a campaign with no agreed model = %v, want ErrInvalidTransition (M13)", err)
	}
	if len(s.Lead.Responses) != 0 {
		t.Fatalf("the refused response was recorded: %v", s.Lead.Responses)
	}
}

func TestSaveCampaign_M13(t *testing.T) {
	t.Parallel()
	agreedAt := monday.AddDate(0, 0, -7)
	planned := routing.Campaign{ID: "c", Type: routing.OwnEvent, Start: monday}
	agreed := planned
	agreed.AgreedBy, agreed.AgreedAt = "mgr", agreedAt
	agreedOld := agreed
	agreedOld.Version = 1
	alwaysOn := routing.Campaign{ID: "web", Type: routing.WebInquiry}
	before, after := monday.Add(-time.Hour), monday.Add(time.Hour)
	tests := []struct {
		name    string
		old     *routing.Campaign
		c       routing.Campaign
		now     time.Time
		wantErr bool
		wantBy  string
	}{
		{name: "M13 a planned campaign saves before its start without an agreement", c: planned, now: before},
		{name: "M13 a new campaign saved after its start needs an agreement", c: planned, now: after, wantErr: true},
		{name: "M13 a new campaign saved at its start with one", c: agreed, now: monday, wantBy: "mgr"},
		{name: "M13 an always-on campaign needs one at once", c: alwaysOn, now: before, wantErr: true},
		{name: "M13 an update of a started campaign keeps the agreement", old: &agreedOld, c: planned, now: after, wantBy: "mgr"},
		{name: "M13 and may not rewrite it", old: &agreedOld, c: func() routing.Campaign { c := agreed; c.AgreedBy = "someone"; return c }(), now: after, wantBy: "mgr"},
		{name: "M13 before the start the agreement may be redone", old: &agreedOld, c: func() routing.Campaign { c := agreed; c.AgreedBy = "vp"; return c }(), now: before, wantBy: "vp"},
		{name: "M13 a started campaign with none is refused on update", old: &planned, c: planned, now: after, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rules.SaveCampaign(tt.old, tt.c, tt.now)
			if tt.wantErr {
				var fe *leaderr.FieldError
				if !errors.As(err, &fe) || fe.Field != "campaign.agreed_by" {
					t.Fatalf("SaveCampaign = %v, want a FieldError for campaign.agreed_by", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("SaveCampaign = %v", err)
			}
			if got.AgreedBy != tt.wantBy {
				t.Fatalf("AgreedBy = %q, want %q", got.AgreedBy, tt.wantBy)
			}
		})
	}
}
