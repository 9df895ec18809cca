package routing_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
)

// kickoff is the campaign's kickoff meeting; confStart the event's start.
var (
	kickoff   = time.Date(2025, 4, 7, 10, 0, 0, 0, zoneJST)
	confStart = time.Date(2025, 6, 12, 10, 0, 0, 0, zoneJST)
)

func TestCampaign_ChangeModel_M7(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		from, to    routing.Model
		now         time.Time
		by, reason  string
		wantField   string // "" means no error
		wantModel   routing.Model
		wantChanges []routing.ModelChange
	}{
		{name: "M7 before the start: free and not recorded", from: routing.InsideFirst, to: routing.Hybrid, now: kickoff,
			wantModel: routing.Hybrid},
		{name: "M7 a nanosecond before the start: still free", from: routing.InsideFirst, to: routing.Direct, now: confStart.Add(-time.Nanosecond),
			wantModel: routing.Direct},
		{name: "M7 at the start: recorded with who and why", from: routing.InsideFirst, to: routing.Direct, now: confStart, by: "mgr-yamada", reason: "field asked to follow every lead",
			wantModel:   routing.Direct,
			wantChanges: []routing.ModelChange{{At: confStart, By: "mgr-yamada", From: routing.InsideFirst, To: routing.Direct, Reason: "field asked to follow every lead"}}},
		{name: "M7 after the start: recorded", from: routing.OrgDefault, to: routing.Hybrid, now: confStart.Add(48 * time.Hour), by: "mgr-yamada", reason: "inside calls the no-shows",
			wantModel:   routing.Hybrid,
			wantChanges: []routing.ModelChange{{At: confStart.Add(48 * time.Hour), By: "mgr-yamada", From: routing.OrgDefault, To: routing.Hybrid, Reason: "inside calls the no-shows"}}},
		{name: "M7 after the start: who is required", from: routing.InsideFirst, to: routing.Direct, now: confStart.Add(time.Hour), reason: "why",
			wantField: "by", wantModel: routing.InsideFirst},
		{name: "M7 after the start: why is required", from: routing.InsideFirst, to: routing.Direct, now: confStart.Add(time.Hour), by: "mgr-yamada", reason: "  ",
			wantField: "reason", wantModel: routing.InsideFirst},
		{name: "M7 after the start: the same model is no change", from: routing.Direct, to: routing.Direct, now: confStart.Add(time.Hour),
			wantModel: routing.Direct},
		{name: "M7 an unknown model", from: routing.InsideFirst, to: routing.Model(42), now: kickoff,
			wantField: "model", wantModel: routing.InsideFirst},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := routing.Campaign{ID: "conf-2025", Type: routing.OwnEvent, Model: tt.from, Start: confStart}
			err := c.ChangeModel(tt.to, tt.now, tt.by, tt.reason)
			if tt.wantField != "" {
				wantFieldError(t, err, tt.wantField)
			} else if err != nil {
				t.Fatalf("ChangeModel(%v) = %v, want nil", tt.to, err)
			}
			if c.Model != tt.wantModel {
				t.Errorf("Model = %v, want %v", c.Model, tt.wantModel)
			}
			if !slices.EqualFunc(c.Changes, tt.wantChanges, func(a, b routing.ModelChange) bool {
				return a.At.Equal(b.At) && a.By == b.By && a.From == b.From && a.To == b.To && a.Reason == b.Reason
			}) {
				t.Errorf("Changes = %+v, want %+v", c.Changes, tt.wantChanges)
			}
		})
	}
}

// TestCampaign_ChangeModel_M7_history checks that every change after the
// start is kept, oldest first.
func TestCampaign_ChangeModel_M7_history(t *testing.T) {
	t.Parallel()
	c := routing.Campaign{ID: "conf-2025", Type: routing.OwnEvent, Start: confStart}
	steps := []struct {
		to  routing.Model
		now time.Time
	}{
		{routing.Hybrid, kickoff},
		{routing.Direct, confStart.Add(time.Hour)},
		{routing.InsideFirst, confStart.Add(2 * time.Hour)},
	}
	for _, s := range steps {
		if err := c.ChangeModel(s.to, s.now, "mgr", "agreed again"); err != nil {
			t.Fatalf("ChangeModel(%v): %v", s.to, err)
		}
	}
	want := []routing.Model{routing.Hybrid, routing.Direct, routing.Direct, routing.InsideFirst}
	if len(c.Changes) != 2 {
		t.Fatalf("M7 %d changes recorded, want 2 (the ones after the start): %+v", len(c.Changes), c.Changes)
	}
	got := []routing.Model{c.Changes[0].From, c.Changes[0].To, c.Changes[1].From, c.Changes[1].To}
	if !slices.Equal(got, want) {
		t.Errorf("M7 changes from/to = %v, want %v", got, want)
	}
}

// TestCampaign_ChangeModel_M7_noStart checks that a campaign with no
// start date (an always-on web form) has no "before the start": every
// change of its model needs who and why, and is recorded (M7).
func TestCampaign_ChangeModel_M7_noStart(t *testing.T) {
	t.Parallel()
	c := routing.Campaign{ID: "web-form", Type: routing.WebInquiry, Model: routing.InsideFirst}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate() = %v; a campaign may have no start", err)
	}
	err := c.ChangeModel(routing.Direct, confStart, "", "")
	if fe, ok := errors.AsType[*leaderr.FieldError](err); !ok || fe.Field != "by" || c.Model != routing.InsideFirst {
		t.Fatalf("ChangeModel(no start, no who) = %v, model %v; want a FieldError for by and no change", err, c.Model)
	}
	if err := c.ChangeModel(routing.Direct, confStart, "mgr-1", "field team took over web leads"); err != nil || len(c.Changes) != 1 {
		t.Fatalf("ChangeModel(no start) = %v, changes %v; want it recorded", err, c.Changes)
	}
}

func TestRules_ModelOf_M7(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		org, own routing.Model
		want     routing.Model
	}{
		{name: "M1 default organisation is inside-first", org: routing.OrgDefault, own: routing.OrgDefault, want: routing.InsideFirst},
		{name: "M7 a campaign follows its organisation", org: routing.Direct, own: routing.OrgDefault, want: routing.Direct},
		{name: "M7 a campaign's agreed model wins: direct", org: routing.InsideFirst, own: routing.Direct, want: routing.Direct},
		{name: "M7 a campaign's agreed model wins: hybrid", org: routing.Direct, own: routing.Hybrid, want: routing.Hybrid},
		{name: "M7 a campaign's agreed model wins over the default organisation", org: routing.OrgDefault, own: routing.Hybrid, want: routing.Hybrid},
		{name: "M8 a field-only organisation wins: inside-first campaign", org: routing.FieldOnly, own: routing.InsideFirst, want: routing.FieldOnly},
		{name: "M8 a field-only organisation wins: hybrid campaign", org: routing.FieldOnly, own: routing.Hybrid, want: routing.FieldOnly},
		{name: "M8 a field-only organisation wins: direct campaign", org: routing.FieldOnly, own: routing.Direct, want: routing.FieldOnly},
	}
	for _, tt := range tests {
		r := routing.Rules{Organisation: tt.org}
		c := routing.Campaign{ID: "c", Type: routing.OwnEvent, Model: tt.own}
		if got := r.ModelOf(&c); got != tt.want {
			t.Errorf("%s: ModelOf(org %v, campaign %v) = %v, want %v", tt.name, tt.org, tt.own, got, tt.want)
		}
	}
}

func TestCampaign_Validate(t *testing.T) {
	t.Parallel()
	good := func() routing.Campaign {
		return routing.Campaign{ID: "conf-2025", Name: "User Conference 2025", Type: routing.OwnEvent, Model: routing.Hybrid,
			Start: confStart, Targets: routing.Targets{Registrations: 300, Attendance: 200}}
	}
	with := func(f func(*routing.Campaign)) routing.Campaign { c := good(); f(&c); return c }
	tests := []struct {
		name      string
		c         routing.Campaign
		wantField string
	}{
		{name: "valid", c: good()},
		{name: "M3 user-defined type", c: with(func(c *routing.Campaign) { c.Type = "partner_summit_2" })},
		{name: "id required", c: with(func(c *routing.Campaign) { c.ID = "" }), wantField: "campaign.id"},
		{name: "M3 type required", c: with(func(c *routing.Campaign) { c.Type = "" }), wantField: "campaign.type"},
		{name: "M3 type is a key", c: with(func(c *routing.Campaign) { c.Type = "Own Event" }), wantField: "campaign.type"},
		{name: "M3 type key at most 40", c: with(func(c *routing.Campaign) { c.Type = routing.CampaignType(make41()) }), wantField: "campaign.type"},
		{name: "M3 unknown engagement", c: with(func(c *routing.Campaign) { c.Engagement = 3 }), wantField: "campaign.engagement"},
		{name: "M7 unknown model", c: with(func(c *routing.Campaign) { c.Model = 9 }), wantField: "campaign.model"},
		{name: "M6 negative registration target", c: with(func(c *routing.Campaign) { c.Targets.Registrations = -1 }), wantField: "campaign.targets.registrations"},
		{name: "M6 negative attendance target", c: with(func(c *routing.Campaign) { c.Targets.Attendance = -1 }), wantField: "campaign.targets.attendance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.c.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			wantFieldError(t, err, tt.wantField)
		})
	}
}

func make41() string {
	b := make([]byte, 41)
	for i := range b {
		b[i] = 'a'
	}
	return string(b)
}

// TestCampaign_Validate_fieldOnlyModel checks that field-only is an
// organisation's model (M8), not one a campaign agrees (M7: inside-first,
// direct, hybrid).
func TestCampaign_Validate_fieldOnlyModel(t *testing.T) {
	t.Parallel()
	c := routing.Campaign{ID: "c", Type: routing.ExternalSeminar, Model: routing.FieldOnly}
	if fe, ok := errors.AsType[*leaderr.FieldError](c.Validate()); !ok || fe.Field != "campaign.model" {
		t.Fatalf("Validate(field_only campaign) = %v, want a FieldError for campaign.model", c.Validate())
	}
	c.Model = routing.InsideFirst
	if err := c.ChangeModel(routing.FieldOnly, confStart, "mgr-1", "no inside sales"); err == nil || c.Model != routing.InsideFirst {
		t.Fatalf("ChangeModel(field_only) = %v, model %v; want refused", err, c.Model)
	}
}

func TestRules_Engagement_M3(t *testing.T) {
	t.Parallel()
	rules := routing.Rules{Types: map[routing.CampaignType]routing.Engagement{
		"partner_summit": routing.High, "newsletter": routing.Low, routing.UserGroup: routing.Low,
	}}
	tests := []struct {
		name  string
		rules routing.Rules
		c     routing.Campaign
		want  routing.Engagement
	}{
		{name: "M3 built-in: own event high", c: ownEvent, want: routing.High},
		{name: "M3 built-in: user group high", c: userGroup, want: routing.High},
		{name: "M3 built-in: industry seminar high", c: industry, want: routing.High},
		{name: "M3 built-in: third-party seminar low", c: thirdParty, want: routing.Low},
		{name: "M3 built-in: content syndication low", c: syndicated, want: routing.Low},
		{name: "M3 built-in: web inquiry low", c: webForm, want: routing.Low},
		{name: "M3 built-in: document download low", c: download, want: routing.Low},
		{name: "M3 unknown type is low", c: routing.Campaign{Type: "podcast"}, want: routing.Low},
		{name: "M3 policy: user-defined high", rules: rules, c: routing.Campaign{Type: "partner_summit"}, want: routing.High},
		{name: "M3 policy: user-defined low", rules: rules, c: routing.Campaign{Type: "newsletter"}, want: routing.Low},
		{name: "M3 policy overrides a built-in", rules: rules, c: userGroup, want: routing.Low},
		{name: "M3 policy leaves other built-ins", rules: rules, c: ownEvent, want: routing.High},
		{name: "M3 campaign override beats the policy", rules: rules, c: withEngagement(userGroup, routing.High), want: routing.High},
		{name: "M3 campaign override beats the built-in", c: withEngagement(ownEvent, routing.Low), want: routing.Low},
		{name: "M3 campaign override on an unknown type", c: routing.Campaign{Type: "podcast", Engagement: routing.High}, want: routing.High},
	}
	for _, tt := range tests {
		if got := tt.rules.Engagement(&tt.c); got != tt.want {
			t.Errorf("%s: Engagement(%s, override %v) = %v, want %v", tt.name, tt.c.Type, tt.c.Engagement, got, tt.want)
		}
	}
	if !rules.Known("partner_summit") || !rules.Known(routing.OwnEvent) || rules.Known("podcast") {
		t.Errorf("M3 Known: partner_summit %v, own_event %v, podcast %v; want true, true, false",
			rules.Known("partner_summit"), rules.Known(routing.OwnEvent), rules.Known("podcast"))
	}
}

func TestRules_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		r         routing.Rules
		wantField string
	}{
		{name: "zero is the rule book", r: routing.Rules{}},
		{name: "normalized", r: routing.Rules{}.Normalize(lead.Threshold{})},
		{name: "full", r: routing.Rules{Organisation: routing.FieldOnly,
			Types:       map[routing.CampaignType]routing.Engagement{"partner_summit": routing.High},
			InsideTypes: []routing.CampaignType{routing.WebInquiry, routing.DocDownload},
			Survey:      []routing.Predicate{{Question: "timeline", AnyOf: []string{"soon"}}},
			Handoff:     lead.BANTBudget | lead.BANTNeed}},
		{name: "M1 organisation hybrid is a campaign's model", r: routing.Rules{Organisation: routing.Hybrid}, wantField: "routing.organisation"},
		{name: "M1 organisation unknown", r: routing.Rules{Organisation: 9}, wantField: "routing.organisation"},
		{name: "M3 type key malformed", r: routing.Rules{Types: map[routing.CampaignType]routing.Engagement{"Partner Summit": routing.High}}, wantField: "routing.types"},
		{name: "M3 type engagement by_type", r: routing.Rules{Types: map[routing.CampaignType]routing.Engagement{"partner_summit": routing.ByType}}, wantField: "routing.types.partner_summit"},
		{name: "M3 type engagement unknown", r: routing.Rules{Types: map[routing.CampaignType]routing.Engagement{"partner_summit": 7}}, wantField: "routing.types.partner_summit"},
		{name: "M1 inside type malformed", r: routing.Rules{InsideTypes: []routing.CampaignType{routing.WebInquiry, "Web Form"}}, wantField: "routing.inside_types[1]"},
		{name: "M8 survey question required", r: routing.Rules{Survey: []routing.Predicate{{Question: "a", AnyOf: []string{"x"}}, {Question: " ", AnyOf: []string{"x"}}}}, wantField: "routing.survey[1].question"},
		{name: "M8 survey answers required", r: routing.Rules{Survey: []routing.Predicate{{Question: "timeline"}}}, wantField: "routing.survey[0].any_of"},
		{name: "S5 routed statuses unknown bit", r: routing.Rules{Statuses: lead.StatusSetOf(lead.StatusLead) | 1<<7}, wantField: "routing.statuses"},
		{name: "S5 routed statuses every status", r: routing.Rules{Statuses: 1<<7 - 1}},
		{name: "M10 hand-off BANT bits", r: routing.Rules{Handoff: 1 << 5}, wantField: "routing.handoff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.r.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			wantFieldError(t, err, tt.wantField)
		})
	}
}

func TestRules_Normalize(t *testing.T) {
	t.Parallel()
	t.Run("defaults are the rule book's", func(t *testing.T) {
		t.Parallel()
		n := routing.Rules{}.Normalize(lead.Threshold{})
		if n.Organisation != routing.InsideFirst {
			t.Errorf("M1 Organisation = %v, want inside_first", n.Organisation)
		}
		if th := n.Threshold(); !th.IsSet() || !th.Decimal().Equal(decimal.NewFromInt(100)) {
			t.Errorf("A1 Threshold() = %v, want 100", th)
		}
		if want := lead.StatusSetOf(lead.StatusNew, lead.StatusLead, lead.StatusRecycled); n.Statuses != want {
			t.Errorf("Statuses = %v, want %v", n.Statuses, want)
		}
		if !slices.Equal(n.InsideTypes, []routing.CampaignType{routing.WebInquiry}) {
			t.Errorf("InsideTypes = %v, want [web_inquiry]", n.InsideTypes)
		}
		if n.Handoff != lead.BANTNeed|lead.BANTTimeline {
			t.Errorf("M10 Handoff = %v, want need,timeline", n.Handoff)
		}
		if n.FieldSummary || len(n.Survey) != 0 {
			t.Errorf("M2 FieldSummary %v, M8 Survey %v; want off and none", n.FieldSummary, n.Survey)
		}
	})
	t.Run("A7 the one threshold is the triggers'", func(t *testing.T) {
		t.Parallel()
		n := routing.Rules{}.Normalize(lead.NewThreshold(decimal.NewFromInt(80)))
		if th := n.Threshold(); !th.Decimal().Equal(decimal.NewFromInt(80)) {
			t.Errorf("Threshold() = %v, want 80", th)
		}
		n = n.Normalize(lead.NewThreshold(decimal.NewFromInt(60)))
		if th := n.Threshold(); !th.Decimal().Equal(decimal.NewFromInt(60)) {
			t.Errorf("normalized again with 60: Threshold() = %v, want 60 (A7: routing has no threshold of its own)", th)
		}
	})
	t.Run("set values are kept", func(t *testing.T) {
		t.Parallel()
		r := routing.Rules{Organisation: routing.Direct,
			Statuses: lead.StatusSetOf(lead.StatusLead), InsideTypes: []routing.CampaignType{}, Handoff: lead.BANTBudget,
			Types: map[routing.CampaignType]routing.Engagement{"x": routing.High}}
		n := r.Normalize(lead.NewThreshold(decimal.NewFromInt(80)))
		if n.Organisation != routing.Direct || n.Statuses != r.Statuses ||
			n.InsideTypes == nil || len(n.InsideTypes) != 0 || n.Handoff != lead.BANTBudget {
			t.Errorf("Normalize changed set values: %+v", n)
		}
		n.Types["y"] = routing.Low
		if _, shared := r.Types["y"]; shared {
			t.Errorf("Normalize shares its Types map with the original")
		}
	})
}

func TestEngagementModel_Text(t *testing.T) {
	t.Parallel()
	for _, e := range []routing.Engagement{routing.ByType, routing.Low, routing.High} {
		b, err := e.MarshalText()
		if err != nil {
			t.Fatalf("Engagement(%d).MarshalText: %v", e, err)
		}
		var back routing.Engagement
		if err := back.UnmarshalText(b); err != nil || back != e {
			t.Errorf("Engagement %v: round trip through %q gave %v, %v", e, b, back, err)
		}
	}
	for m := range routing.Model(5) {
		b, err := m.MarshalText()
		if err != nil {
			t.Fatalf("Model(%d).MarshalText: %v", m, err)
		}
		var back routing.Model
		if err := back.UnmarshalText(b); err != nil || back != m {
			t.Errorf("Model %v: round trip through %q gave %v, %v", m, b, back, err)
		}
	}
	var m routing.Model
	if err := m.UnmarshalText([]byte(" Inside_First ")); err != nil || m != routing.InsideFirst {
		t.Errorf("Model.UnmarshalText(\" Inside_First \") = %v, %v; want inside_first", m, err)
	}
	var e routing.Engagement
	wantFieldError(t, e.UnmarshalText([]byte("medium")), "engagement")
	wantFieldError(t, m.UnmarshalText([]byte("outsourced")), "model")
	if _, err := routing.Engagement(9).MarshalText(); !errors.Is(err, leaderr.ErrInvalid) {
		t.Errorf("Engagement(9).MarshalText error %v, want ErrInvalid", err)
	}
	if err := e.UnmarshalText([]byte(" ")); err != nil || e != routing.ByType {
		t.Errorf("Engagement.UnmarshalText(\" \") = %v, %v; want by_type", e, err)
	}
	if _, err := routing.Model(9).MarshalText(); !errors.Is(err, leaderr.ErrInvalid) {
		t.Errorf("Model(9).MarshalText error %v, want ErrInvalid", err)
	}

	// A campaign travels as JSON by key (M7).
	c := routing.Campaign{ID: "conf-2025", Type: routing.OwnEvent, Engagement: routing.High, Model: routing.Hybrid, Start: confStart}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	var back routing.Campaign
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("json.Unmarshal(%s): %v", b, err)
	}
	if back.Model != routing.Hybrid || back.Engagement != routing.High || !back.Start.Equal(confStart) {
		t.Errorf("campaign JSON round trip = %+v, want %+v", back, c)
	}
}
