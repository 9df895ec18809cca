package routing_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
)

// score parses a decimal score for a test.
func score(tb testing.TB, s string) decimal.Decimal {
	tb.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		tb.Fatalf("score %q: %v", s, err)
	}
	return d
}

// routeCase is one routing decision: the policy, the lead, the campaign,
// the response and the decision wanted, reasons included.
type routeCase struct {
	name  string
	rules routing.Rules
	mql   lead.Threshold // the policy's one MQL threshold (A7); zero is 100
	lead  lead.Lead
	camp  routing.Campaign
	resp  routing.Response
	want  routing.Decision
}

// checkRoute runs Route on each case with the policy as given and as
// Normalize writes it out, which must decide alike.
func checkRoute(t *testing.T, tests []routeCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			norm := tt.rules.Normalize(tt.mql)
			rs := []*routing.Rules{&tt.rules, &norm}
			if tt.mql.IsSet() {
				rs = rs[1:] // only Normalize hands routing the threshold
			}
			for _, r := range rs {
				got := r.Route(&tt.lead, &tt.camp, &tt.resp)
				if got != tt.want {
					t.Errorf("Route = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// The campaigns of the examples, one of each built-in type.
var (
	ownEvent   = routing.Campaign{ID: "conf-2025", Type: routing.OwnEvent}
	userGroup  = routing.Campaign{ID: "ug-osaka", Type: routing.UserGroup}
	industry   = routing.Campaign{ID: "mfg-seminar", Type: routing.IndustrySeminar}
	thirdParty = routing.Campaign{ID: "media-webinar", Type: routing.ExternalSeminar}
	syndicated = routing.Campaign{ID: "ocs-q2", Type: routing.ContentSyndication}
	webForm    = routing.Campaign{ID: "web", Type: routing.WebInquiry}
	download   = routing.Campaign{ID: "whitepaper", Type: routing.DocDownload}
)

// builtinCampaigns are the campaigns above.
var builtinCampaigns = []routing.Campaign{ownEvent, userGroup, industry, thirdParty, syndicated, webForm, download}

// withModel returns c with its agreed follow-up model (M7).
func withModel(c routing.Campaign, m routing.Model) routing.Campaign {
	c.Model = m
	return c
}

// withEngagement returns c with its engagement overridden (M3).
func withEngagement(c routing.Campaign, e routing.Engagement) routing.Campaign {
	c.Engagement = e
	return c
}

// lead at status st with score s.
func ld(st lead.Status, s decimal.Decimal) lead.Lead {
	return lead.Lead{ID: "L-1", Status: st, Score: s}
}

// accountOwned returns l owned by its account owner rep.
func accountOwned(l lead.Lead, rep string) lead.Lead {
	l.Owner, l.AccountOwned = rep, true
	return l
}

func TestRules_Route_M1(t *testing.T) {
	t.Parallel()
	s100, s99, s150, s0 := score(t, "100"), score(t, "99.99"), score(t, "150"), decimal.Zero
	direct := routing.Rules{Organisation: routing.Direct}
	checkRoute(t, []routeCase{
		{name: "M1 inside-first: an MQL goes to inside sales", lead: ld(lead.StatusLead, s100), camp: thirdParty,
			want: routing.Decision{To: routing.Inside, Why: routing.BecauseInsideFirst | routing.BecauseMQL}},
		{name: "M1 inside-first: the threshold is inclusive whatever the places", lead: ld(lead.StatusNew, score(t, "100.00")), camp: syndicated,
			want: routing.Decision{To: routing.Inside, Why: routing.BecauseInsideFirst | routing.BecauseMQL}},
		{name: "M1 inside-first: below the threshold, marketing nurtures", lead: ld(lead.StatusLead, s99), camp: thirdParty,
			want: routing.Decision{To: routing.Nurture, Why: routing.BecauseInsideFirst | routing.BecauseBelowThreshold}},
		{name: "M1 inside-first: a web inquiry goes to inside sales whatever the score", lead: ld(lead.StatusLead, s0), camp: webForm,
			want: routing.Decision{To: routing.Inside, Why: routing.BecauseInsideFirst | routing.BecauseInsideType}},
		{name: "M1 inside-first: a download below the threshold is nurtured", lead: ld(lead.StatusRecycled, s99), camp: download,
			want: routing.Decision{To: routing.Nurture, Why: routing.BecauseInsideFirst | routing.BecauseBelowThreshold}},
		{name: "M1 inside-first: no inside types in the policy", rules: routing.Rules{InsideTypes: []routing.CampaignType{}}, lead: ld(lead.StatusLead, s0), camp: webForm,
			want: routing.Decision{To: routing.Nurture, Why: routing.BecauseInsideFirst | routing.BecauseBelowThreshold}},
		{name: "M1 inside-first: the policy's threshold", mql: lead.NewThreshold(decimal.NewFromInt(50)), lead: ld(lead.StatusLead, score(t, "50")), camp: thirdParty,
			want: routing.Decision{To: routing.Inside, Why: routing.BecauseInsideFirst | routing.BecauseMQL}},
		{name: "M1 direct: an MQL goes straight to field sales, to be assigned", rules: direct, lead: ld(lead.StatusLead, s150), camp: syndicated,
			want: routing.Decision{To: routing.Field, Why: routing.BecauseDirect | routing.BecauseMQL | routing.BecauseFieldAssignment}},
		{name: "M1 direct: an MQL goes to its account owner", rules: direct, lead: accountOwned(ld(lead.StatusLead, s150), "kato"), camp: thirdParty,
			want: routing.Decision{To: routing.Field, Owner: "kato", Why: routing.BecauseDirect | routing.BecauseMQL | routing.BecauseAccountOwner}},
		{name: "M1 direct: an inside owner who is not the account owner is not kept", rules: direct,
			lead: lead.Lead{Status: lead.StatusLead, Score: s150, Owner: "ito"}, camp: thirdParty,
			want: routing.Decision{To: routing.Field, Why: routing.BecauseDirect | routing.BecauseMQL | routing.BecauseFieldAssignment}},
		{name: "M1 direct: below the threshold, marketing nurtures", rules: direct, lead: ld(lead.StatusLead, s99), camp: thirdParty,
			want: routing.Decision{To: routing.Nurture, Why: routing.BecauseDirect | routing.BecauseBelowThreshold}},
		{name: "M1 direct: a web inquiry below the threshold is nurtured, there is no inside desk", rules: direct, lead: ld(lead.StatusLead, s0), camp: webForm,
			want: routing.Decision{To: routing.Nurture, Why: routing.BecauseDirect | routing.BecauseBelowThreshold}},
		{name: "M1 M6 hybrid campaign: an MQL goes to inside sales", lead: ld(lead.StatusLead, s100), camp: withModel(thirdParty, routing.Hybrid),
			want: routing.Decision{To: routing.Inside, Why: routing.BecauseCampaignModel | routing.BecauseHybrid | routing.BecauseMQL}},
		{name: "M1 M6 hybrid campaign: below the threshold nurtured", lead: ld(lead.StatusLead, s99), camp: withModel(thirdParty, routing.Hybrid),
			want: routing.Decision{To: routing.Nurture, Why: routing.BecauseCampaignModel | routing.BecauseHybrid | routing.BecauseBelowThreshold}},
	})
}

func TestRules_Route_M3(t *testing.T) {
	t.Parallel()
	s0, s120 := decimal.Zero, score(t, "120")
	toField := routing.Decision{To: routing.Field, Why: routing.BecauseHighEngagement | routing.BecauseFieldAssignment}
	custom := routing.Rules{Types: map[routing.CampaignType]routing.Engagement{
		"partner_summit":          routing.High,
		routing.ExternalSeminar:   routing.High,
		routing.IndustrySeminar:   routing.Low,
		routing.CampaignType("x"): routing.Low,
	}}
	checkRoute(t, []routeCase{
		{name: "M3 own annual event is high-engagement", lead: ld(lead.StatusLead, s0), camp: ownEvent, want: toField},
		{name: "M3 user group is high-engagement", lead: ld(lead.StatusNew, s0), camp: userGroup, want: toField},
		{name: "M3 industry seminar is high-engagement", lead: ld(lead.StatusRecycled, s120), camp: industry, want: toField},
		{name: "M3 third-party seminar is low-engagement", lead: ld(lead.StatusLead, s120), camp: thirdParty,
			want: routing.Decision{To: routing.Inside, Why: routing.BecauseInsideFirst | routing.BecauseMQL}},
		{name: "M3 content syndication is low-engagement", lead: ld(lead.StatusLead, s0), camp: syndicated,
			want: routing.Decision{To: routing.Nurture, Why: routing.BecauseInsideFirst | routing.BecauseBelowThreshold}},
		{name: "M3 a campaign overrides its type: high", lead: ld(lead.StatusLead, s0), camp: withEngagement(thirdParty, routing.High), want: toField},
		{name: "M3 a campaign overrides its type: low", lead: ld(lead.StatusLead, s120), camp: withEngagement(ownEvent, routing.Low),
			want: routing.Decision{To: routing.Inside, Why: routing.BecauseInsideFirst | routing.BecauseMQL}},
		{name: "M3 a user-defined type the policy calls high", rules: custom, lead: ld(lead.StatusLead, s0),
			camp: routing.Campaign{ID: "ps", Type: "partner_summit"}, want: toField},
		{name: "M3 the policy overrides a built-in type: high", rules: custom, lead: ld(lead.StatusLead, s0), camp: thirdParty, want: toField},
		{name: "M3 the policy overrides a built-in type: low", rules: custom, lead: ld(lead.StatusLead, s0), camp: industry,
			want: routing.Decision{To: routing.Nurture, Why: routing.BecauseInsideFirst | routing.BecauseBelowThreshold}},
		{name: "M3 the campaign's override beats the policy's", rules: custom, lead: ld(lead.StatusLead, s0), camp: withEngagement(thirdParty, routing.Low),
			want: routing.Decision{To: routing.Nurture, Why: routing.BecauseInsideFirst | routing.BecauseBelowThreshold}},
		{name: "M3 an unknown type is low", lead: ld(lead.StatusLead, s0), camp: routing.Campaign{ID: "pod", Type: "podcast"},
			want: routing.Decision{To: routing.Nurture, Why: routing.BecauseInsideFirst | routing.BecauseBelowThreshold}},
	})
}

func TestRules_Route_M4(t *testing.T) {
	t.Parallel()
	s0, s150 := decimal.Zero, score(t, "150")
	checkRoute(t, []routeCase{
		{name: "M4 invited by a field rep: to that rep, not inside, even an MQL of a low campaign", lead: ld(lead.StatusLead, s150), camp: thirdParty,
			resp: routing.Response{InvitedBy: "sato"},
			want: routing.Decision{To: routing.Field, Owner: "sato", Why: routing.BecauseInvited}},
		{name: "M4 met by a field rep: to that rep", lead: ld(lead.StatusLead, s150), camp: syndicated,
			resp: routing.Response{MetBy: "suzuki"},
			want: routing.Decision{To: routing.Field, Owner: "suzuki", Why: routing.BecauseMet}},
		{name: "M4 invited by one rep and met by another: the inviter", lead: ld(lead.StatusLead, s0), camp: ownEvent,
			resp: routing.Response{InvitedBy: "sato", MetBy: "suzuki"},
			want: routing.Decision{To: routing.Field, Owner: "sato", Why: routing.BecauseHighEngagement | routing.BecauseInvited}},
		{name: "M4 the inviter beats the account owner", lead: accountOwned(ld(lead.StatusLead, s0), "kato"), camp: ownEvent,
			resp: routing.Response{InvitedBy: "sato"},
			want: routing.Decision{To: routing.Field, Owner: "sato", Why: routing.BecauseHighEngagement | routing.BecauseInvited}},
		{name: "M4 the rep who met them beats the account owner", lead: accountOwned(ld(lead.StatusLead, s0), "kato"), camp: userGroup,
			resp: routing.Response{MetBy: "suzuki"},
			want: routing.Decision{To: routing.Field, Owner: "suzuki", Why: routing.BecauseHighEngagement | routing.BecauseMet}},
		{name: "M4 D high-engagement, no rep: the account owner", lead: accountOwned(ld(lead.StatusLead, s0), "kato"), camp: industry,
			want: routing.Decision{To: routing.Field, Owner: "kato", Why: routing.BecauseHighEngagement | routing.BecauseAccountOwner}},
		{name: "M4 D high-engagement, no rep, no account owner: field assignment", lead: ld(lead.StatusLead, s150), camp: ownEvent,
			want: routing.Decision{To: routing.Field, Why: routing.BecauseHighEngagement | routing.BecauseFieldAssignment}},
		{name: "M4 an owner who is not the account owner is not the field owner",
			lead: lead.Lead{Status: lead.StatusLead, Owner: "ito"}, camp: ownEvent,
			want: routing.Decision{To: routing.Field, Why: routing.BecauseHighEngagement | routing.BecauseFieldAssignment}},
		{name: "M4 invited beats the web inquiry's inside type", lead: ld(lead.StatusLead, s0), camp: webForm,
			resp: routing.Response{InvitedBy: "sato"},
			want: routing.Decision{To: routing.Field, Owner: "sato", Why: routing.BecauseInvited}},
		{name: "M4 invited in a direct organisation below the threshold: followed, not nurtured",
			rules: routing.Rules{Organisation: routing.Direct}, lead: ld(lead.StatusLead, s0), camp: thirdParty,
			resp: routing.Response{InvitedBy: "sato"},
			want: routing.Decision{To: routing.Field, Owner: "sato", Why: routing.BecauseInvited}},
		{name: "M4 M6 hybrid campaign after the event: engaged leads route to field",
			lead: ld(lead.StatusLead, s150), camp: withModel(ownEvent, routing.Hybrid),
			resp: routing.Response{MetBy: "suzuki"},
			want: routing.Decision{To: routing.Field, Owner: "suzuki", Why: routing.BecauseCampaignModel | routing.BecauseHighEngagement | routing.BecauseMet | routing.BecauseHybrid}},
	})
}

func TestRules_Route_M7(t *testing.T) {
	t.Parallel()
	s150, s0 := score(t, "150"), decimal.Zero
	checkRoute(t, []routeCase{
		{name: "M7 a campaign agreed direct in an inside-first organisation: MQL to field",
			lead: ld(lead.StatusLead, s150), camp: withModel(thirdParty, routing.Direct),
			want: routing.Decision{To: routing.Field, Why: routing.BecauseCampaignModel | routing.BecauseDirect | routing.BecauseMQL | routing.BecauseFieldAssignment}},
		{name: "M7 a campaign agreed inside-first in a direct organisation: MQL to inside",
			rules: routing.Rules{Organisation: routing.Direct}, lead: ld(lead.StatusLead, s150), camp: withModel(thirdParty, routing.InsideFirst),
			want: routing.Decision{To: routing.Inside, Why: routing.BecauseCampaignModel | routing.BecauseInsideFirst | routing.BecauseMQL}},
		{name: "M7 a campaign that keeps the organisation's model gives no campaign reason",
			rules: routing.Rules{Organisation: routing.Direct}, lead: ld(lead.StatusLead, s150), camp: thirdParty,
			want: routing.Decision{To: routing.Field, Why: routing.BecauseDirect | routing.BecauseMQL | routing.BecauseFieldAssignment}},
		{name: "M7 M8 a field-only organisation has no inside sales, whatever the campaign says",
			rules: routing.Rules{Organisation: routing.FieldOnly}, lead: ld(lead.StatusLead, s150), camp: withModel(thirdParty, routing.InsideFirst),
			want: routing.Decision{To: routing.Nurture, Why: routing.BecauseFieldOnly | routing.BecauseSurveyFailed}},
		{name: "M7 the campaign's model counts even at its high-engagement event",
			lead: ld(lead.StatusLead, s0), camp: withModel(ownEvent, routing.Direct),
			want: routing.Decision{To: routing.Field, Why: routing.BecauseCampaignModel | routing.BecauseHighEngagement | routing.BecauseFieldAssignment}},
	})
}

func TestRules_Route_M8(t *testing.T) {
	t.Parallel()
	s0, s500 := decimal.Zero, score(t, "500")
	fieldOnly := routing.Rules{Organisation: routing.FieldOnly, Survey: []routing.Predicate{
		{Question: "timeline", AnyOf: []string{"within 3 months", "within 6 months"}},
		{Question: "role", AnyOf: []string{"decision maker"}},
	}}
	qualifies := map[string]string{"timeline": "  Within 3 Months ", "role": "DECISION MAKER", "other": "x"}
	followed := routing.BecauseFieldOnly | routing.BecauseSurvey
	nurtured := routing.Decision{To: routing.Nurture, Why: routing.BecauseFieldOnly | routing.BecauseSurveyFailed}
	checkRoute(t, []routeCase{
		{name: "M8 ordinary seminar: survey answers qualify, followed", rules: fieldOnly, lead: ld(lead.StatusLead, s0), camp: thirdParty,
			resp: routing.Response{Answers: qualifies},
			want: routing.Decision{To: routing.Field, Why: followed | routing.BecauseFieldAssignment}},
		{name: "M8 ordinary seminar: qualified, to the account owner", rules: fieldOnly, lead: accountOwned(ld(lead.StatusLead, s0), "kato"), camp: syndicated,
			resp: routing.Response{Answers: qualifies},
			want: routing.Decision{To: routing.Field, Owner: "kato", Why: followed | routing.BecauseAccountOwner}},
		{name: "M8 ordinary seminar: one answer does not qualify", rules: fieldOnly, lead: ld(lead.StatusLead, s500), camp: thirdParty,
			resp: routing.Response{Answers: map[string]string{"timeline": "next year", "role": "decision maker"}}, want: nurtured},
		{name: "M8 ordinary seminar: a question not answered", rules: fieldOnly, lead: ld(lead.StatusLead, s500), camp: thirdParty,
			resp: routing.Response{Answers: map[string]string{"timeline": "within 6 months"}}, want: nurtured},
		{name: "M8 ordinary seminar: no answers", rules: fieldOnly, lead: ld(lead.StatusLead, s500), camp: thirdParty, want: nurtured},
		{name: "M8 no survey in the policy qualifies nobody, whatever the score", rules: routing.Rules{Organisation: routing.FieldOnly},
			lead: ld(lead.StatusLead, s500), camp: thirdParty, resp: routing.Response{Answers: qualifies}, want: nurtured},
		{name: "M8 a web inquiry in a field-only organisation follows the survey too", rules: fieldOnly, lead: ld(lead.StatusLead, s500), camp: webForm, want: nurtured},
		{name: "M8 high-engagement seminar: every lead is followed", rules: fieldOnly, lead: ld(lead.StatusLead, s0), camp: industry,
			want: routing.Decision{To: routing.Field, Why: routing.BecauseFieldOnly | routing.BecauseHighEngagement | routing.BecauseFieldAssignment}},
		{name: "M8 high-engagement seminar: to the account owner", rules: fieldOnly, lead: accountOwned(ld(lead.StatusNew, s0), "kato"), camp: userGroup,
			want: routing.Decision{To: routing.Field, Owner: "kato", Why: routing.BecauseFieldOnly | routing.BecauseHighEngagement | routing.BecauseAccountOwner}},
		{name: "M8 M4 invited in a field-only organisation: to the inviter, no survey needed", rules: fieldOnly, lead: ld(lead.StatusLead, s0), camp: thirdParty,
			resp: routing.Response{InvitedBy: "sato"},
			want: routing.Decision{To: routing.Field, Owner: "sato", Why: routing.BecauseFieldOnly | routing.BecauseInvited}},
	})
}

func TestRules_Route_S5(t *testing.T) {
	t.Parallel()
	all := lead.StatusSetOf(lead.StatusNew, lead.StatusLead, lead.StatusRecycled, lead.StatusCustomer, lead.StatusPartner,
		lead.StatusDisqualifiedMktg, lead.StatusDisqualifiedSales)
	var tests []routeCase
	for _, st := range []lead.Status{lead.StatusCustomer, lead.StatusPartner, lead.StatusDisqualifiedMktg, lead.StatusDisqualifiedSales} {
		for _, rules := range []routing.Rules{{}, {Statuses: all}, {Organisation: routing.FieldOnly}, {Organisation: routing.Direct}} {
			tests = append(tests, routeCase{
				name:  fmt.Sprintf("S5 %s goes nowhere, even invited to an own event (statuses %v, %v)", st.Key(), rules.Statuses, rules.Organisation),
				rules: rules, lead: accountOwned(ld(st, decimal.NewFromInt(500)), "kato"), camp: ownEvent,
				resp: routing.Response{InvitedBy: "sato", MetBy: "sato"},
				want: routing.Decision{To: routing.Nowhere, Why: routing.BecauseProtected},
			})
		}
	}
	leadOnly := routing.Rules{Statuses: lead.StatusSetOf(lead.StatusLead)}
	tests = append(tests,
		routeCase{name: "S2 a status the policy does not route goes nowhere", rules: leadOnly, lead: ld(lead.StatusRecycled, decimal.NewFromInt(500)),
			camp: ownEvent, resp: routing.Response{InvitedBy: "sato"}, want: routing.Decision{To: routing.Nowhere, Why: routing.BecauseStatus}},
		routeCase{name: "S2 New, Lead and Recycled are routed by default", lead: ld(lead.StatusRecycled, decimal.NewFromInt(500)), camp: thirdParty,
			want: routing.Decision{To: routing.Inside, Why: routing.BecauseInsideFirst | routing.BecauseMQL}},
	)
	checkRoute(t, tests)
}

// TestRules_Route_carDealer is the car dealer's customer
// (M4): a person a field rep invited, who came and met that same rep, is
// followed up by that rep and never by inside sales (the "call centre"
// that asks how the visit went), whatever the score, the campaign's type,
// engagement or model, and the organisation; only a protected status
// (S5) stops it, and a status the policy does not route at all.
func TestRules_Route_carDealer(t *testing.T) {
	t.Parallel()
	const rep = "sato"
	resp := routing.Response{InvitedBy: rep, MetBy: rep, Answers: map[string]string{"timeline": "no plans"}}
	campaigns := slices.Clone(builtinCampaigns)
	campaigns = append(campaigns, routing.Campaign{ID: "pod", Type: "podcast"})
	var policies []routing.Rules
	for _, org := range []routing.Model{routing.OrgDefault, routing.InsideFirst, routing.Direct, routing.FieldOnly} {
		policies = append(policies,
			routing.Rules{Organisation: org},
			routing.Rules{Organisation: org, InsideTypes: []routing.CampaignType{routing.OwnEvent, routing.ExternalSeminar}}.Normalize(lead.NewThreshold(decimal.Zero)),
			routing.Rules{Organisation: org, Types: map[routing.CampaignType]routing.Engagement{routing.OwnEvent: routing.Low, routing.UserGroup: routing.Low},
				Survey: []routing.Predicate{{Question: "timeline", AnyOf: []string{"soon"}}}},
		)
	}
	scores := []string{"-20", "0", "99.99", "100", "100.00", "100.01", "5000"}
	n := 0
	for _, rules := range policies {
		for _, c := range campaigns {
			for _, m := range []routing.Model{routing.OrgDefault, routing.InsideFirst, routing.Direct, routing.Hybrid} {
				for _, e := range []routing.Engagement{routing.ByType, routing.Low, routing.High} {
					camp := withEngagement(withModel(c, m), e)
					for _, s := range scores {
						for st := range lead.Status(7) {
							for _, owned := range []bool{false, true} {
								l := ld(st, score(t, s))
								if owned {
									l = accountOwned(l, "kato")
								}
								got := rules.Route(&l, &camp, &resp)
								n++
								switch {
								case st.Protected():
									if got.To != routing.Nowhere || got.Why != routing.BecauseProtected {
										t.Fatalf("S5 %v lead: Route = %v, want nowhere (S5)", st, got)
									}
								case got.To != routing.Field || got.Owner != rep || !got.Why.Has(routing.BecauseInvited):
									t.Fatalf("M4 car dealer: %v lead, score %s, campaign %s (%v, %v), organisation %v: Route = %v, want field to %s",
										st, s, camp.Type, e, m, rules.Organisation, got, rep)
								}
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d decisions", n)

	// A status the policy does not route goes nowhere, and still not
	// to inside sales.
	leadOnly := routing.Rules{Statuses: lead.StatusSetOf(lead.StatusLead)}
	l := ld(lead.StatusRecycled, decimal.NewFromInt(500))
	if got := leadOnly.Route(&l, &thirdParty, &resp); got.To != routing.Nowhere {
		t.Errorf("M4 car dealer, status not routed: Route = %v, want nowhere", got)
	}
}

// w2 is the benchmarks' W2 routing decision, written out by hand.
func w2(st lead.Status, typ routing.CampaignType, invited, met bool, s decimal.Decimal) routing.Destination {
	switch {
	case st != lead.StatusLead:
		return routing.Nowhere
	case typ == routing.OwnEvent || typ == routing.UserGroup || typ == routing.IndustrySeminar || invited || met:
		return routing.Field
	case s.GreaterThanOrEqual(decimal.NewFromInt(100)) || typ == routing.WebInquiry:
		return routing.Inside
	}
	return routing.Nurture
}

// TestRules_Route_W2 checks Route against the benchmarks' W2 table on its
// inputs: 1,024 seeded pseudo-random leads, half with whole scores and
// half with two places, one in eight near 100, half of them Lead, and a
// boundary grid.
func TestRules_Route_W2(t *testing.T) {
	t.Parallel()
	rules := routing.Rules{Statuses: lead.StatusSetOf(lead.StatusLead)}
	types := []routing.CampaignType{routing.WebInquiry, routing.DocDownload, routing.ExternalSeminar, routing.ContentSyndication,
		routing.OwnEvent, routing.UserGroup, routing.IndustrySeminar}
	check := func(st lead.Status, typ routing.CampaignType, invited, met bool, s decimal.Decimal) {
		t.Helper()
		l := lead.Lead{ID: "L", Status: st, Score: s}
		c := routing.Campaign{ID: "c", Type: typ}
		var resp routing.Response
		if invited {
			resp.InvitedBy = "sato"
		}
		if met {
			resp.MetBy = "suzuki"
		}
		want := w2(st, typ, invited, met, s)
		if got := rules.Route(&l, &c, &resp); got.To != want {
			t.Errorf("W2 status %v, type %s, invited %v, met %v, score %s: Route = %v, want %v", st, typ, invited, met, s, got, want)
		}
	}
	rng := rand.New(rand.NewPCG(2025, 4))
	for range 1024 {
		var s decimal.Decimal
		switch {
		case rng.IntN(8) == 0:
			s = decimal.New(9998+rng.Int64N(5), -2) // 99.98..100.02
		case rng.IntN(2) == 0:
			s = decimal.New(rng.Int64N(400)-50, 0)
		default:
			s = decimal.New(rng.Int64N(40000)-5000, -2)
		}
		st := lead.StatusLead
		if rng.IntN(2) == 0 {
			st = lead.Status(rng.IntN(7))
		}
		check(st, types[rng.IntN(len(types))], rng.IntN(4) == 0, rng.IntN(4) == 0, s)
	}
	for _, s := range []string{"99", "99.99", "100", "100.00", "100.01", "-1", "-100", "0"} {
		for _, typ := range types {
			for st := range lead.Status(7) {
				for _, inv := range []bool{false, true} {
					check(st, typ, inv, false, score(t, s))
					check(st, typ, false, inv, score(t, s))
				}
			}
		}
	}
}

func TestDecision_String(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    routing.Decision
		want string
	}{
		{name: "M4 with an owner", d: routing.Decision{To: routing.Field, Owner: "sato", Why: routing.BecauseHighEngagement | routing.BecauseInvited},
			want: "field to sato (M3 high-engagement campaign; M4 invited by a field rep)"},
		{name: "A1 without an owner", d: routing.Decision{To: routing.Inside, Why: routing.BecauseInsideFirst | routing.BecauseMQL},
			want: "inside (A1 MQL: score at or above the threshold; M1 inside-first model)"},
		{name: "S5", d: routing.Decision{Why: routing.BecauseProtected}, want: "nowhere (S5 protected status)"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%s: String() = %q, want %q", tt.name, got, tt.want)
		}
	}
	for d, want := range map[routing.Destination]string{routing.Nowhere: "nowhere", routing.Inside: "inside", routing.Field: "field", routing.Nurture: "nurture"} {
		if b, err := d.MarshalText(); err != nil || string(b) != want || d.String() != want {
			t.Errorf("Destination %d: MarshalText = %q, %v; String = %q; want %q", uint8(d), b, err, d.String(), want)
		}
	}
	if _, err := routing.Destination(9).MarshalText(); err == nil {
		t.Errorf("Destination(9).MarshalText() = nil error, want one")
	}
	why := routing.BecauseHighEngagement | routing.BecauseInvited | routing.BecauseMet | routing.BecauseMQL
	if got, want := why.Rules(), []string{"M3", "M4", "A1"}; !slices.Equal(got, want) {
		t.Errorf("Reasons.Rules() = %q, want %q", got, want)
	}
	if !why.Has(routing.BecauseInvited|routing.BecauseMet) || why.Has(routing.BecauseProtected) {
		t.Errorf("Reasons.Has is wrong for %v", why)
	}
}

// routeInput is one drawn input of Route.
type routeInput struct {
	rules routing.Rules
	mql   lead.Threshold // the policy's one threshold, handed in by Normalize (A7)
	lead  lead.Lead
	camp  routing.Campaign
	resp  routing.Response
}

var drawnTypes = []routing.CampaignType{routing.OwnEvent, routing.UserGroup, routing.IndustrySeminar, routing.ExternalSeminar,
	routing.ContentSyndication, routing.WebInquiry, routing.DocDownload, "partner_summit", "podcast"}

// drawRouteInput draws a policy, a lead, a campaign and a response. With
// answers false the response has no survey answers; with normalized true
// the policy is as the engine holds it, Normalize'd.
func drawRouteInput(t *rapid.T, answers, normalized bool) routeInput {
	var in routeInput
	r := &in.rules
	r.Organisation = rapid.SampledFrom([]routing.Model{routing.OrgDefault, routing.InsideFirst, routing.Direct, routing.FieldOnly}).Draw(t, "organisation")
	if rapid.Bool().Draw(t, "types") {
		r.Types = map[routing.CampaignType]routing.Engagement{
			rapid.SampledFrom(drawnTypes).Draw(t, "type key"): rapid.SampledFrom([]routing.Engagement{routing.Low, routing.High}).Draw(t, "type engagement"),
		}
	}
	mql := &in.mql
	if rapid.Bool().Draw(t, "threshold set") {
		*mql = lead.NewThreshold(decimal.New(rapid.Int64Range(-100, 20000).Draw(t, "threshold"), -int32(rapid.IntRange(0, 2).Draw(t, "threshold places"))))
		normalized = true // only Normalize hands routing a threshold (A7)
	}
	r.Statuses = lead.StatusSet(rapid.Uint8Range(0, 127).Draw(t, "statuses"))
	if rapid.Bool().Draw(t, "inside types") {
		r.InsideTypes = []routing.CampaignType{rapid.SampledFrom(drawnTypes).Draw(t, "inside type")}
	}
	if rapid.Bool().Draw(t, "survey") {
		r.Survey = []routing.Predicate{{Question: "timeline", AnyOf: []string{"soon", "this year"}}}
	}
	if normalized {
		*r = r.Normalize(*mql)
	}
	in.lead = lead.Lead{
		ID:     "L-1",
		Status: lead.Status(rapid.IntRange(0, 7).Draw(t, "status")),
		Score:  decimal.New(rapid.Int64Range(-1000, 1_000_000).Draw(t, "score"), int32(rapid.IntRange(-12, 12).Draw(t, "exponent"))),
		Owner:  rapid.SampledFrom([]string{"", "kato", "ito"}).Draw(t, "owner"),
		Desk:   lead.Desk(rapid.IntRange(0, 1).Draw(t, "desk")),
	}
	in.lead.AccountOwned = in.lead.Owner != "" && rapid.Bool().Draw(t, "account owned")
	in.camp = routing.Campaign{
		ID:         "c",
		Type:       rapid.SampledFrom(drawnTypes).Draw(t, "type"),
		Engagement: routing.Engagement(rapid.IntRange(0, 2).Draw(t, "engagement")),
		Model:      routing.Model(rapid.IntRange(0, 3).Draw(t, "model")),
	}
	in.resp = routing.Response{
		InvitedBy: rapid.SampledFrom([]string{"", "", "sato"}).Draw(t, "invited by"),
		MetBy:     rapid.SampledFrom([]string{"", "", "suzuki"}).Draw(t, "met by"),
	}
	if answers && rapid.Bool().Draw(t, "answers") {
		in.resp.Answers = map[string]string{"timeline": rapid.SampledFrom([]string{"soon", "later", " SOON "}).Draw(t, "timeline")}
	}
	return in
}

var routeSink routing.Decision

// TestRules_Route_properties checks what holds for every routing
// decision, on drawn policies, leads, campaigns and responses.
func TestRules_Route_properties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		in := drawRouteInput(t, true, false)
		before := in.lead.Clone()
		d := in.rules.Route(&in.lead, &in.camp, &in.resp)

		// Pure: the same inputs give the same decision, and the policy
		// as Normalize writes it out decides alike.
		l2, c2, r2 := in.lead.Clone(), in.camp, in.resp
		if again := in.rules.Route(&l2, &c2, &r2); again != d {
			t.Fatalf("Route is not a function of its inputs: %v, then %v", d, again)
		}
		norm := in.rules.Normalize(in.mql)
		if n := norm.Route(&in.lead, &in.camp, &in.resp); n != d {
			t.Fatalf("Route on the normalized policy = %v, want %v", n, d)
		}
		if in.lead.Owner != before.Owner || in.lead.Status != before.Status || !in.lead.Score.Equal(before.Score) || in.lead.Desk != before.Desk {
			t.Fatalf("Route changed the lead")
		}

		// Every decision has a reason.
		if d.Why == 0 {
			t.Fatalf("decision %v has no reason", d)
		}
		if d.To == routing.Field && in.resp.InvitedBy != "" && d.Owner != in.resp.InvitedBy {
			t.Fatalf("M4 field decision %v for a lead invited by %s", d, in.resp.InvitedBy)
		}
		if d.To == routing.Field && d.Owner == "" && !d.Why.Has(routing.BecauseFieldAssignment) {
			t.Fatalf("M4 field decision %v without an owner or field assignment", d)
		}
		if in.lead.Status.Protected() && (d.To != routing.Nowhere || d.Why != routing.BecauseProtected) {
			t.Fatalf("S5 %v lead routed: %v", in.lead.Status, d)
		}
		high := in.rules.Engagement(&in.camp) == routing.High
		if (high || in.resp.InvitedBy != "" || in.resp.MetBy != "") && (d.To == routing.Inside || d.To == routing.Nurture) {
			t.Fatalf("M3 M4 engaged lead (high %v, invited %q, met %q) went %v", high, in.resp.InvitedBy, in.resp.MetBy, d)
		}
		if d.To == routing.Inside && in.rules.ModelOf(&in.camp) == routing.FieldOnly {
			t.Fatalf("M8 a field-only organisation sent a lead to inside sales: %v", d)
		}
		if d.To == routing.Nowhere && !in.lead.Status.Protected() && !d.Why.Has(routing.BecauseStatus) {
			t.Fatalf("a routed status went nowhere: %v", d)
		}
	})
}

// TestRules_Route_allocs checks Route's promise that it does not
// allocate, on drawn inputs without survey answers and a policy the
// engine has normalized.
func TestRules_Route_allocs(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := drawRouteInput(t, false, true)
		if n := testing.AllocsPerRun(20, func() { routeSink = in.rules.Route(&in.lead, &in.camp, &in.resp) }); n != 0 {
			t.Fatalf("Route allocates %v times per call on score %s", n, in.lead.Score)
		}
	})
}

// TestRules_Route_allocsZeroRules checks that Route does not allocate on
// the zero (not normalized) Rules either, which is the rule book's default: hosts and
// benchmarks route with Rules literals.
func TestRules_Route_allocsZeroRules(t *testing.T) {
	var zero routing.Rules
	for _, s := range []decimal.Decimal{decimal.New(9999, -2), decimal.New(1, 3), {}} {
		l := ld(lead.StatusLead, s)
		resp := routing.Response{}
		if n := testing.AllocsPerRun(50, func() { routeSink = zero.Route(&l, &thirdParty, &resp) }); n != 0 {
			t.Errorf("Route on the zero Rules allocates %v times per call on score %s, want 0", n, s)
		}
	}
}
