package leadline_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
)

// org is the tests' organisation for section 5: the inside team of
// team() and a field team of three reps with their own manager.
func org() *routing.Org {
	o := team()
	o.Field = routing.Team{ID: "field", Manager: "fmgr",
		Reps: []routing.Rep{{ID: "field-1"}, {ID: "field-2"}, {ID: "field-3"}}}
	return o
}

// The campaigns of the tests.
var (
	userConf = routing.Campaign{ID: "uc-2026", Name: "User Conference", Type: routing.OwnEvent, Start: monday.Add(48 * time.Hour), AgreedBy: "mgr", AgreedAt: kickoff}
	webinar  = routing.Campaign{ID: "media-webinar", Name: "Media webinar", Type: routing.ExternalSeminar, AgreedBy: "mgr", AgreedAt: kickoff}
	synd     = routing.Campaign{ID: "ocs-q2", Name: "Content syndication", Type: routing.ContentSyndication, AgreedBy: "mgr", AgreedAt: kickoff}
	webForm  = routing.Campaign{ID: "web", Name: "Inquiry form", Type: routing.WebInquiry, AgreedBy: "mgr", AgreedAt: kickoff}
)

// kickoff is when sales management agreed the test campaigns' models (M13).
var kickoff = monday.AddDate(0, 0, -14)

func newRouting(tb testing.TB, cfg leadline.Config, campaigns ...routing.Campaign) *harness {
	tb.Helper()
	if cfg.Roster == nil {
		cfg.Roster = org()
	}
	h := newHarness(tb, cfg)
	if len(campaigns) == 0 {
		campaigns = []routing.Campaign{userConf, webinar, synd, webForm}
	}
	for _, c := range campaigns {
		if err := h.eng.SaveCampaign(tb.Context(), c); err != nil {
			tb.Fatalf("SaveCampaign(%s): %v", c.ID, err)
		}
	}
	return h
}

func (h *harness) respond(tb testing.TB, id, campaign string, kind lead.ResponseKind, set func(*lead.Event)) {
	tb.Helper()
	ev := lead.Event{Kind: lead.EventResponse, Lead: id, Campaign: campaign, Response: kind, Actor: "marketing"}
	if set != nil {
		set(&ev)
	}
	h.must(tb, ev)
}

// routeOf returns the lead's last routing entry.
func (h *harness) routeOf(tb testing.TB, id string) lead.Change {
	tb.Helper()
	rs := changes(h.history(tb, id), lead.FieldRoute, "")
	if len(rs) == 0 {
		tb.Fatalf("%s has no routing decision in its history", id)
	}
	return rs[len(rs)-1]
}

func TestEngine_RoutingCarDealer(t *testing.T) {
	t.Parallel()
	// M4 (docs/RULES.md, the car dealer): a person a field rep invited, who came
	// to the showroom and met that rep, is called back by that rep, never
	// by a call centre.
	for _, sc := range []string{"20", "150"} {
		t.Run("M4 invited, attended and met field-2 at score "+sc, func(t *testing.T) {
			t.Parallel()
			h := newRouting(t, leadline.Config{})
			h.create(t, "L-1", score(sc), "")
			h.inquiry(t, "L-1") // a web inquiry first: inside sales had it
			h.respond(t, "L-1", userConf.ID, lead.ResponseInvited, func(e *lead.Event) { e.Actor = "field-2" })
			h.respond(t, "L-1", userConf.ID, lead.ResponseRegistered, nil)
			h.respond(t, "L-1", userConf.ID, lead.ResponseAttended, nil)
			h.respond(t, "L-1", userConf.ID, lead.ResponseMet, func(e *lead.Event) { e.Actor = "field-2" })
			h.inquiry(t, "L-1") // and again after the event
			l := h.lead(t, "L-1")
			if l.Desk != lead.DeskField || l.Owner != "field-2" || l.Track.Active() || l.Request.Outstanding() {
				t.Fatalf("desk %v owner %s cadence %v request %v; want field, field-2, no cadence, no request", l.Desk, l.Owner, l.Track.Active(), l.Request.State)
			}
			if r := h.routeOf(t, "L-1"); r.To != "field" || r.Rule != "M4" {
				t.Fatalf("last route %v, want field by M4", r)
			}
			h.advance(t, 10*24*time.Hour)
			for _, n := range h.delivered(0) {
				if n.Kind == leadline.NoteApproachRequest && n.At.After(monday) {
					t.Fatalf("inside sales was asked to approach after the event: %v", n)
				}
				if n.To == "rep-a" || n.To == "rep-b" || n.To == "rep-c" {
					if n.Kind != leadline.NoteApproachRequest {
						t.Fatalf("an inside rep was told about a field lead: %v", n)
					}
				}
			}
			if len(h.delivered(leadline.NoteActivity)) == 0 {
				t.Fatal("field-2 was not told of the inquiry after the event (M4)")
			}
		})
	}
}

func TestEngine_Routing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		policy    routing.Rules
		campaign  routing.Campaign
		score     string
		owner     string // the account owner, if any
		response  lead.ResponseKind
		set       func(*lead.Event)
		wantDesk  lead.Desk
		wantOwner string // "*" for any field rep
		wantRule  string // the first rule of the route entry
		wantTo    string
		wantReq   int    // the priority of an inside request, 0 for none
		wantWhy   string // a rule the route's reason must also name
	}{
		{name: "M3 M4 high-engagement with no rep known goes to field assignment", campaign: userConf, score: "10", response: lead.ResponseAttended,
			wantDesk: lead.DeskField, wantOwner: "*", wantRule: "M3", wantTo: "field"},
		{name: "M4 high-engagement goes to the account owner", campaign: userConf, score: "10", owner: "field-3", response: lead.ResponseAttended,
			wantDesk: lead.DeskField, wantOwner: "field-3", wantRule: "M3", wantTo: "field"},
		{name: "M4 met by a field rep at a low-engagement seminar", campaign: webinar, score: "10", response: lead.ResponseAttended,
			set: func(e *lead.Event) { e.MetBy = "field-1" }, wantDesk: lead.DeskField, wantOwner: "field-1", wantRule: "M4", wantTo: "field"},
		{name: "M4 an inside rep's invitation does not make the lead field's", campaign: webinar, score: "10", response: lead.ResponseAttended,
			set: func(e *lead.Event) { e.InvitedBy = "rep-b" }, wantDesk: lead.DeskInside, wantRule: "M1", wantTo: "nurture"},
		{name: "M1 inside-first: an MQL's webinar attendance is an inside request", campaign: webinar, score: "120", response: lead.ResponseAttended,
			wantDesk: lead.DeskInside, wantRule: "M1", wantTo: "inside", wantReq: 2},
		{name: "M1 inside-first: below the threshold marketing nurtures", campaign: synd, score: "99.99", response: lead.ResponseDownloaded,
			wantDesk: lead.DeskInside, wantRule: "M1", wantTo: "nurture"},
		{name: "A3 a syndicated download by an MQL is a download request", campaign: synd, score: "100", response: lead.ResponseDownloaded,
			wantDesk: lead.DeskInside, wantRule: "M1", wantTo: "inside", wantReq: 3},
		{name: "A2 a web inquiry goes to inside sales whatever the score", campaign: webForm, score: "5", response: lead.ResponseInquired,
			wantDesk: lead.DeskInside, wantRule: "M1", wantTo: "inside", wantReq: 2},
		{name: "M1 direct: MQLs go straight to field sales", policy: routing.Rules{Organisation: routing.Direct}, campaign: webinar, score: "100", response: lead.ResponseAttended,
			wantDesk: lead.DeskField, wantOwner: "*", wantRule: "M1", wantTo: "field"},
		{name: "M1 direct: the rest is nurtured", policy: routing.Rules{Organisation: routing.Direct}, campaign: webinar, score: "60", response: lead.ResponseAttended,
			wantDesk: lead.DeskInside, wantRule: "M1", wantTo: "nurture"},
		{name: "M7 a campaign agreed as direct in an inside-first organisation", campaign: withModel(webinar, routing.Direct), score: "130", response: lead.ResponseAttended,
			wantDesk: lead.DeskField, wantOwner: "*", wantRule: "M1", wantTo: "field", wantWhy: "M7"},
		{name: "M8 field-only: an ordinary seminar follows a qualifying survey", policy: fieldOnly(), campaign: webinar, score: "10", response: lead.ResponseSurveyed,
			set: func(e *lead.Event) { e.Answers = map[string]string{"timeline": "Within 3 months"} }, wantDesk: lead.DeskField, wantOwner: "*", wantRule: "M8", wantTo: "field"},
		{name: "M8 field-only: a survey that does not qualify is nurtured", policy: fieldOnly(), campaign: webinar, score: "500", response: lead.ResponseSurveyed,
			set: func(e *lead.Event) { e.Answers = map[string]string{"timeline": "just looking"} }, wantDesk: lead.DeskInside, wantRule: "M8", wantTo: "nurture"},
		{name: "M8 field-only: a high-engagement seminar follows every lead", policy: fieldOnly(), campaign: userConf, score: "0", response: lead.ResponseAttended,
			wantDesk: lead.DeskField, wantOwner: "*", wantRule: "M3", wantTo: "field"},
		{name: "S5 a protected lead is not routed", campaign: userConf, score: "10", response: lead.ResponseAttended,
			set: func(e *lead.Event) { e.Lead = "L-customer" }, wantDesk: lead.DeskInside, wantRule: "S5", wantTo: "nowhere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newRouting(t, leadline.Config{Policy: leadline.Policy{Routing: tt.policy}}, tt.campaign)
			h.create(t, "L-1", score(tt.score), tt.owner)
			h.create(t, "L-customer", score(tt.score), "")
			h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-customer", Status: lead.StatusCustomer, Actor: "rep-a", Reason: "signed"})
			ev := lead.Event{Kind: lead.EventResponse, Lead: "L-1", Campaign: tt.campaign.ID, Response: tt.response}
			if tt.set != nil {
				tt.set(&ev)
			}
			h.must(t, ev)
			l := h.lead(t, ev.Lead)
			if l.Desk != tt.wantDesk {
				t.Fatalf("desk %v, want %v", l.Desk, tt.wantDesk)
			}
			if tt.wantOwner == "*" && !strings.HasPrefix(l.Owner, "field-") || tt.wantOwner != "*" && tt.wantOwner != "" && l.Owner != tt.wantOwner {
				t.Fatalf("owner %q, want %q", l.Owner, tt.wantOwner)
			}
			r := h.routeOf(t, ev.Lead)
			if r.Rule != tt.wantRule || r.To != tt.wantTo || r.Reason == "" || !strings.Contains(r.Reason, tt.wantWhy) {
				t.Fatalf("route %v, want to %s by %s with a reason naming %q", r, tt.wantTo, tt.wantRule, tt.wantWhy)
			}
			got := 0
			if l.Request.Outstanding() {
				got = l.Request.Priority
			}
			if got != tt.wantReq {
				t.Fatalf("request priority %d (%v), want %d", got, l.Request.State, tt.wantReq)
			}
		})
	}
}

func withModel(c routing.Campaign, m routing.Model) routing.Campaign {
	c.Model = m
	return c
}

func fieldOnly() routing.Rules {
	return routing.Rules{Organisation: routing.FieldOnly, Survey: []routing.Predicate{
		{Question: "timeline", AnyOf: []string{"within 3 months", "within 6 months"}},
	}}
}

func TestEngine_CampaignModel(t *testing.T) {
	t.Parallel()
	h := newRouting(t, leadline.Config{}, userConf)
	ctx := t.Context()
	// M7: before the start the model changes freely.
	if err := h.eng.ChangeModel(ctx, userConf.ID, routing.Hybrid, "", ""); err != nil {
		t.Fatalf("ChangeModel before the start = %v", err)
	}
	c, _ := h.eng.Campaign(ctx, userConf.ID)
	if c.Model != routing.Hybrid || len(c.Changes) != 0 {
		t.Fatalf("model %v changes %v, want hybrid and nothing recorded", c.Model, c.Changes)
	}
	h.clk.Add(72 * time.Hour) // the conference has started
	err := h.eng.ChangeModel(ctx, userConf.ID, routing.Direct, "mgr", "")
	if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != "reason" {
		t.Fatalf("ChangeModel after the start without a reason = %v, want a FieldError for reason (M7)", err)
	}
	c, _ = h.eng.Campaign(ctx, userConf.ID)
	c.Model = routing.Direct
	if err := h.eng.SaveCampaign(ctx, c); !errors.Is(err, leadline.ErrInvalidTransition) {
		t.Fatalf("SaveCampaign with a new model after the start = %v, want ErrInvalidTransition (M7)", err)
	}
	if err := h.eng.ChangeModel(ctx, userConf.ID, routing.Direct, "mgr", "field has capacity this quarter"); err != nil {
		t.Fatal(err)
	}
	c, _ = h.eng.Campaign(ctx, userConf.ID)
	if want := (routing.ModelChange{At: h.clk.Now(), By: "mgr", From: routing.Hybrid, To: routing.Direct, Reason: "field has capacity this quarter"}); len(c.Changes) != 1 ||
		c.Changes[0].By != want.By || c.Changes[0].From != want.From || c.Changes[0].To != want.To || !c.Changes[0].At.Equal(want.At) {
		t.Fatalf("changes %+v, want [%+v]", c.Changes, want)
	}
	c.Name = "User Conference 2026"
	if err := h.eng.SaveCampaign(ctx, c); err != nil {
		t.Fatalf("SaveCampaign of a rename = %v", err)
	}
	if c, _ = h.eng.Campaign(ctx, userConf.ID); len(c.Changes) != 1 {
		t.Fatalf("a save lost the recorded model change: %+v", c.Changes)
	}
	ev := lead.Event{Kind: lead.EventResponse, Lead: "L-1", Campaign: "no-such", Response: lead.ResponseAttended}
	h.create(t, "L-1", score("10"), "")
	if err := h.handle(t, ev); !errors.Is(err, leadline.ErrNotFound) || errors.Is(err, leadline.ErrInvalid) {
		t.Fatalf("a response to an unknown campaign = %v, want a plain ErrNotFound, retryable once the campaign is saved (E9)", err)
	}
}

func TestEngine_Visibility(t *testing.T) {
	t.Parallel()
	// M2: an access rule, not a display filter.
	setup := func(t *testing.T, rules routing.Rules) (*harness, []string) {
		h := newRouting(t, leadline.Config{Policy: leadline.Policy{Routing: rules}})
		ids := []string{"L-inside", "L-mql", "L-f1", "L-f2", "L-presql"}
		for _, id := range ids {
			h.create(t, id, score("120"), "")
		}
		h.inquiry(t, "L-mql")
		h.respond(t, "L-mql", webinar.ID, lead.ResponseAttended, nil)
		h.respond(t, "L-f1", userConf.ID, lead.ResponseAttended, func(e *lead.Event) { e.MetBy = "field-1" })
		h.respond(t, "L-f2", userConf.ID, lead.ResponseAttended, func(e *lead.Event) { e.MetBy = "field-2" })
		h.must(t, lead.Event{Kind: lead.EventBANT, Lead: "L-presql", Actor: "rep-a", BANT: lead.BANT{Need: "routing", Timeline: "Q3"}})
		h.must(t, lead.Event{Kind: lead.EventHandoff, Lead: "L-presql", Actor: "rep-a", To: "field-1"})
		return h, ids
	}
	visible := func(t *testing.T, h *harness, v routing.Viewer, ids []string) []string {
		var seen []string
		for _, id := range append(ids, "L-unknown") {
			l, err := h.eng.Lead(t.Context(), v, id)
			_, herr := h.eng.History(t.Context(), v, id)
			switch {
			case err == nil && herr == nil:
				if l.ID != id {
					t.Fatalf("Lead(%s) returned %s", id, l.ID)
				}
				seen = append(seen, id)
			case errors.Is(err, leadline.ErrNotFound) && errors.Is(herr, leadline.ErrNotFound):
				if l.ID != "" || l.Name != "" || l.Company != "" {
					t.Fatalf("Lead(%s) refused but returned data: %+v", id, l)
				}
			default:
				t.Fatalf("Lead(%s) = %v, History = %v: want both visible or both ErrNotFound", id, err, herr)
			}
		}
		ls, err := h.eng.Leads(t.Context(), v, leadline.Query{})
		if err != nil {
			t.Fatal(err)
		}
		var listed []string
		for _, l := range ls {
			listed = append(listed, l.ID)
		}
		slices.Sort(seen)
		if !slices.Equal(listed, seen) {
			t.Fatalf("Leads lists %v but Lead shows %v", listed, seen)
		}
		return seen
	}
	t.Run("M2 each role's side in inside-first", func(t *testing.T) {
		t.Parallel()
		h, ids := setup(t, routing.Rules{})
		all := slices.Sorted(slices.Values(ids))
		for _, c := range []struct {
			v    routing.Viewer
			want []string
		}{
			{routing.Viewer{Rep: "rep-b", Role: routing.RoleInside}, all},
			{routing.Viewer{Rep: "mgr", Role: routing.RoleManager}, all},
			{routing.Viewer{Role: routing.RoleOps}, all},
			{routing.Viewer{Rep: "field-1", Role: routing.RoleField}, []string{"L-f1", "L-presql"}},
			{routing.Viewer{Rep: "field-2", Role: routing.RoleField}, []string{"L-f2"}},
			{routing.Viewer{Rep: "field-3", Role: routing.RoleField}, nil},
		} {
			if got := visible(t, h, c.v, ids); !slices.Equal(got, c.want) {
				t.Errorf("%s (%v) sees %v, want %v", c.v.Rep, c.v.Role, got, c.want)
			}
		}
	})
	t.Run("M2 a field rep probing every id learns nothing, summary off", func(t *testing.T) {
		t.Parallel()
		h, ids := setup(t, routing.Rules{})
		v := routing.Viewer{Rep: "field-3", Role: routing.RoleField}
		for _, id := range append(ids, "L-unknown") {
			if _, err := h.eng.Summary(t.Context(), v, id); !errors.Is(err, leadline.ErrNotFound) {
				t.Fatalf("Summary(%s) = %v, want ErrNotFound", id, err)
			}
		}
	})
	t.Run("M2 with the switch on field sees responses and nothing else", func(t *testing.T) {
		t.Parallel()
		h, ids := setup(t, routing.Rules{FieldSummary: true})
		v := routing.Viewer{Rep: "field-3", Role: routing.RoleField}
		if got := visible(t, h, v, ids); len(got) != 0 {
			t.Fatalf("field-3 sees %v in full, want nothing", got)
		}
		s, err := h.eng.Summary(t.Context(), v, "L-mql")
		if err != nil || len(s.Responses) != 1 || s.Responses[0].Campaign != webinar.ID || s.Responses[0].Response != lead.ResponseAttended {
			t.Fatalf("Summary(L-mql) = %+v, %v; want the webinar attendance", s, err)
		}
		_, unknown := h.eng.Summary(t.Context(), v, "L-unknown")
		if !errors.Is(unknown, leadline.ErrNotFound) {
			t.Fatalf("Summary(unknown) = %v", unknown)
		}
		// A lead with no response to show answers exactly as a missing
		// id: a field rep cannot probe which ids exist (M2).
		_, bare := h.eng.Summary(t.Context(), v, "L-inside")
		if !errors.Is(bare, leadline.ErrNotFound) || strings.ReplaceAll(bare.Error(), "L-inside", "L-unknown") != unknown.Error() {
			t.Fatalf("Summary(a lead with no response) = %v; want what an unknown id gets, %v", bare, unknown)
		}
	})
	t.Run("M2 direct organisations show field everything", func(t *testing.T) {
		t.Parallel()
		h, ids := setup(t, routing.Rules{Organisation: routing.Direct})
		if got := visible(t, h, routing.Viewer{Rep: "field-3", Role: routing.RoleField}, ids); len(got) != len(ids) {
			t.Fatalf("field-3 sees %v in a direct organisation, want all", got)
		}
	})
	t.Run("M2 a viewer without a role is refused", func(t *testing.T) {
		t.Parallel()
		h, _ := setup(t, routing.Rules{})
		_, err := h.eng.Lead(t.Context(), routing.Viewer{Rep: "x"}, "L-inside")
		if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != "viewer.role" {
			t.Fatalf("Lead with no role = %v, want a FieldError for viewer.role", err)
		}
	})
}

func TestEngine_Handoff(t *testing.T) {
	t.Parallel()
	newQualified := func(t *testing.T) *harness {
		h := newRouting(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.attempt(t, "L-1")
		h.must(t, lead.Event{Kind: lead.EventContact, Lead: "L-1", Actor: "rep-a"})
		return h
	}
	t.Run("M10 a hand-off needs the policy's BANT minimum", func(t *testing.T) {
		t.Parallel()
		h := newQualified(t)
		h.must(t, lead.Event{Kind: lead.EventBANT, Lead: "L-1", Actor: "rep-a", BANT: lead.BANT{Need: "lead routing"}})
		before := h.snapshot(t, "L-1")
		err := h.handle(t, lead.Event{Kind: lead.EventHandoff, Lead: "L-1", Actor: "rep-a", To: "field-2"})
		if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != "bant" || !errors.Is(err, leadline.ErrInvalidTransition) {
			t.Fatalf("hand-off with need only = %v, want a FieldError for bant", err)
		}
		if after := h.snapshot(t, "L-1"); !after.same(before) {
			t.Fatal("a refused hand-off changed the lead")
		}
		h.must(t, lead.Event{Kind: lead.EventBANT, Lead: "L-1", Actor: "rep-a", BANT: lead.BANT{Timeline: "this quarter"}})
		h.must(t, lead.Event{Kind: lead.EventHandoff, Lead: "L-1", Actor: "rep-a", To: "field-2"})
		l := h.lead(t, "L-1")
		if l.Handoff != lead.HandoffPreSQL || l.Desk != lead.DeskField || l.Owner != "field-2" || l.HandedBy != "rep-a" || l.BANT.Need != "lead routing" {
			t.Fatalf("after hand-off: %v desk %v owner %s by %s bant %+v", l.Handoff, l.Desk, l.Owner, l.HandedBy, l.BANT)
		}
		if got := kinds(h.take(t)); !slices.Contains(got, "handoff:field-2") {
			t.Fatalf("delivered %v, want the hand-off to field-2", got)
		}
		err = h.handle(t, lead.Event{Kind: lead.EventHandoff, Lead: "L-1", Actor: "rep-a", To: "field-3"})
		if !errors.Is(err, leadline.ErrInvalidTransition) {
			t.Fatalf("a second hand-off = %v, want ErrInvalidTransition", err)
		}
	})
	t.Run("M10 accept makes an SQL and tells the inside rep", func(t *testing.T) {
		t.Parallel()
		h := newQualified(t)
		h.must(t, lead.Event{Kind: lead.EventBANT, Lead: "L-1", Actor: "rep-a", BANT: lead.BANT{Need: "x", Timeline: "y"}})
		h.must(t, lead.Event{Kind: lead.EventHandoff, Lead: "L-1", Actor: "rep-a"}) // no rep named: field assignment
		l := h.lead(t, "L-1")
		err := h.handle(t, lead.Event{Kind: lead.EventAccept, Lead: "L-1", Actor: "field-9"})
		if !errors.Is(err, leadline.ErrInvalidTransition) {
			t.Fatalf("accept by another rep = %v, want ErrInvalidTransition", err)
		}
		h.must(t, lead.Event{Kind: lead.EventAccept, Lead: "L-1", Actor: l.HandedTo})
		if l = h.lead(t, "L-1"); l.Handoff != lead.HandoffAccepted {
			t.Fatalf("handoff %v, want accepted", l.Handoff)
		}
		if got := kinds(h.take(t)); !slices.Contains(got, "accepted:rep-a") {
			t.Fatalf("delivered %v, want accepted to rep-a", got)
		}
	})
	for _, back := range []lead.Status{lead.StatusLead, lead.StatusRecycled} {
		t.Run(fmt.Sprintf("M10 reject sends it back as %v with the reason", back), func(t *testing.T) {
			t.Parallel()
			h := newQualified(t)
			h.must(t, lead.Event{Kind: lead.EventBANT, Lead: "L-1", Actor: "rep-a", BANT: lead.BANT{Need: "x", Timeline: "y"}})
			h.must(t, lead.Event{Kind: lead.EventHandoff, Lead: "L-1", Actor: "rep-a", To: "field-1"})
			h.must(t, lead.Event{Kind: lead.EventReject, Lead: "L-1", Actor: "fmgr", Status: back, Reason: "no budget until next year"})
			l := h.lead(t, "L-1")
			wantStatus := lead.StatusNew
			if back == lead.StatusRecycled {
				wantStatus = lead.StatusRecycled
			}
			if l.Handoff != lead.HandoffRejected || l.Desk != lead.DeskInside || l.Owner != "rep-a" || l.Status != wantStatus {
				t.Fatalf("after reject: %v desk %v owner %s status %v", l.Handoff, l.Desk, l.Owner, l.Status)
			}
			hs := changes(h.history(t, "L-1"), lead.FieldHandoff, "M10")
			if last := hs[len(hs)-1]; last.To != "rejected" || last.Reason != "no budget until next year" || last.Actor != "fmgr" {
				t.Fatalf("reject history %v", last)
			}
			if v := (routing.Viewer{Rep: "field-1", Role: routing.RoleField}); !errors.Is(func() error { _, err := h.eng.Lead(t.Context(), v, "L-1"); return err }(), leadline.ErrNotFound) {
				t.Fatal("field-1 still sees the rejected lead (M2)")
			}
		})
	}
}

func TestEngine_Feedback(t *testing.T) {
	t.Parallel()
	h := newRouting(t, leadline.Config{})
	h.create(t, "L-1", score("10"), "")
	h.create(t, "L-2", score("10"), "")
	h.respond(t, "L-1", userConf.ID, lead.ResponseMet, func(e *lead.Event) { e.Actor = "field-1" })
	if l := h.lead(t, "L-1"); !l.Feedback.Target || l.Feedback.State != lead.NotStarted {
		t.Fatalf("feedback %+v, want a not-started follow-up target (M5)", l.Feedback)
	}
	err := h.handle(t, lead.Event{Kind: lead.EventFeedback, Lead: "L-2", Actor: "field-1", Feedback: lead.Feedback{Target: true}})
	if !errors.Is(err, leadline.ErrInvalidTransition) {
		t.Fatalf("feedback on an inside lead = %v, want ErrInvalidTransition (M5)", err)
	}
	h.must(t, lead.Event{Kind: lead.EventFeedback, Lead: "L-1", Actor: "field-1",
		Feedback: lead.Feedback{Target: true, State: lead.Done, Opportunity: lead.OutcomeYes, Comment: "PoC agreed"}})
	l := h.lead(t, "L-1")
	if l.Feedback.State != lead.Done || l.Feedback.By != "field-1" || l.Handoff != lead.HandoffAccepted || l.HandedTo != "field-1" {
		t.Fatalf("feedback %+v handoff %v to %s; want done by field-1, an accepted SQL of field-1 (M5, M10)", l.Feedback, l.Handoff, l.HandedTo)
	}
}

func TestEngine_FieldRoundRobin(t *testing.T) {
	t.Parallel()
	// M9 over the field team: high-engagement leads with no rep known.
	h := newRouting(t, leadline.Config{})
	count := map[string]int{}
	for i := range 9 {
		id := fmt.Sprintf("L-%d", i)
		h.create(t, id, score("10"), "")
		h.respond(t, id, userConf.ID, lead.ResponseAttended, nil)
		count[h.lead(t, id).Owner]++
	}
	if count["field-1"] != 3 || count["field-2"] != 3 || count["field-3"] != 3 {
		t.Fatalf("field assignment %v, want 3 each", count)
	}
}

func TestEngine_FeedbackSheet(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T) *harness {
		h := newRouting(t, leadline.Config{})
		for _, id := range []string{"L-1", "L-2", "L-3"} {
			h.create(t, id, score("10"), "")
		}
		h.respond(t, "L-1", userConf.ID, lead.ResponseMet, func(e *lead.Event) { e.Actor = "field-1" })
		h.respond(t, "L-2", userConf.ID, lead.ResponseMet, func(e *lead.Event) { e.Actor = "field-1" })
		return h
	}
	field1 := routing.Viewer{Rep: "field-1", Role: routing.RoleField}
	t.Run("M5 export, edit in a spreadsheet, import", func(t *testing.T) {
		t.Parallel()
		h := setup(t)
		var sheet strings.Builder
		n, err := h.eng.ExportFeedback(t.Context(), field1, &sheet, userConf.ID)
		if err != nil || n != 2 {
			t.Fatalf("ExportFeedback = %d, %v; want 2 rows", n, err)
		}
		lines := strings.Split(strings.TrimSpace(sheet.String()), "\n")
		lines[1] = strings.Replace(lines[1], ",yes,not_started,,", ",yes,done,yes,\"demo 12/3, PoC\"", 1)
		applied, err := h.eng.ImportFeedback(t.Context(), field1, strings.NewReader(strings.Join(lines, "\n")+"\n"), "sheet-1")
		if err != nil || applied != 2 {
			t.Fatalf("ImportFeedback = %d, %v; want 2", applied, err)
		}
		l := h.lead(t, "L-1")
		if l.Feedback.State != lead.Done || l.Feedback.Opportunity != lead.OutcomeYes || l.Feedback.Comment != "demo 12/3, PoC" || l.Feedback.By != "field-1" {
			t.Fatalf("L-1 feedback %+v", l.Feedback)
		}
		again, err := h.eng.ImportFeedback(t.Context(), field1, strings.NewReader(strings.Join(lines, "\n")+"\n"), "sheet-1")
		if err != nil || again != 0 {
			t.Fatalf("the same import again = %d, %v; want nothing applied (E2)", again, err)
		}
	})
	t.Run("M5 a bad row anywhere applies nothing and names every bad line", func(t *testing.T) {
		t.Parallel()
		h := setup(t)
		sheet := "lead_id,follow_up_target,follow_up_state,opportunity,comment\n" +
			"L-1,yes,done,yes,ok\n" +
			"L-3,yes,done,,inside lead\n" +
			"L-404,yes,done,,unknown\n" +
			"L-2,yes,in_progress,,fine\n"
		before := h.snapshot(t, "L-1")
		n, err := h.eng.ImportFeedback(t.Context(), field1, strings.NewReader(sheet), "sheet-2")
		ie, ok := errors.AsType[*routing.ImportError](err)
		if !ok || n != 0 || len(ie.Errs) != 2 || ie.Errs[0].Line != 3 || ie.Errs[1].Line != 4 || ie.Errs[0].Field != "lead_id" {
			t.Fatalf("ImportFeedback = %d, %v; want an ImportError for lines 3 and 4", n, err)
		}
		if !errors.Is(err, leadline.ErrNotFound) || !errors.Is(err, leadline.ErrInvalid) {
			t.Fatalf("ImportFeedback error %v should match ErrNotFound and ErrInvalid", err)
		}
		if after := h.snapshot(t, "L-1"); !after.same(before) {
			t.Fatal("a refused import changed L-1")
		}
	})
	t.Run("M5 M2 a field rep cannot import onto another rep's lead", func(t *testing.T) {
		t.Parallel()
		h := setup(t)
		sheet := "lead_id,follow_up_target,follow_up_state,opportunity,comment\nL-1,no,done,no,\n"
		_, err := h.eng.ImportFeedback(t.Context(), routing.Viewer{Rep: "field-2", Role: routing.RoleField}, strings.NewReader(sheet), "sheet-3")
		if !errors.Is(err, leadline.ErrNotFound) {
			t.Fatalf("ImportFeedback by field-2 = %v, want ErrNotFound for L-1", err)
		}
	})
}

func TestEngine_Hybrid(t *testing.T) {
	t.Parallel()
	// M6: inside sales calls the list field sales cannot cover and is
	// credited with registrations, attendance and Pre-SQLs; field sales
	// with opportunities.
	conf := userConf
	conf.Model, conf.Targets = routing.Hybrid, routing.Targets{Registrations: 2, Attendance: 1}
	h := newRouting(t, leadline.Config{}, conf, webinar)
	for _, id := range []string{"L-1", "L-2", "L-3", "L-4", "L-5"} {
		h.create(t, id, score("10"), "")
		h.respond(t, id, conf.ID, lead.ResponseListed, nil)
	}
	h.respond(t, "L-1", conf.ID, lead.ResponseInvited, func(e *lead.Event) { e.Actor = "field-1" })
	callList := func() []string {
		ls, err := h.eng.CallList(t.Context(), routing.Viewer{Rep: "rep-a", Role: routing.RoleInside}, conf.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, l := range ls {
			ids = append(ids, l.ID)
		}
		return ids
	}
	if got, want := callList(), []string{"L-2", "L-3", "L-4", "L-5"}; !slices.Equal(got, want) {
		t.Fatalf("call list %v, want %v (L-1 is field's)", got, want)
	}
	if _, err := h.eng.CallList(t.Context(), routing.Viewer{Rep: "field-1", Role: routing.RoleField}, conf.ID); !errors.Is(err, leadline.ErrInvalidTransition) {
		t.Fatalf("a field rep's CallList = %v, want refused", err)
	}
	// Inside reps call the list; two register, one attends.
	h.respond(t, "L-2", conf.ID, lead.ResponseInvited, func(e *lead.Event) { e.Actor = "rep-a" })
	h.respond(t, "L-3", conf.ID, lead.ResponseInvited, func(e *lead.Event) { e.Actor = "rep-b" })
	h.respond(t, "L-2", conf.ID, lead.ResponseRegistered, nil)
	h.respond(t, "L-3", conf.ID, lead.ResponseRegistered, nil)
	h.respond(t, "L-1", conf.ID, lead.ResponseRegistered, nil)
	if got, want := callList(), []string{"L-4", "L-5"}; !slices.Equal(got, want) {
		t.Fatalf("call list after registrations %v, want %v", got, want)
	}
	h.clk.Add(48 * time.Hour) // the event
	h.respond(t, "L-2", conf.ID, lead.ResponseAttended, nil)
	h.respond(t, "L-1", conf.ID, lead.ResponseAttended, nil)
	// After the event leads route by M4: L-1 to field-1, L-2 is a
	// high-engagement attendee too, to field assignment.
	if l := h.lead(t, "L-1"); l.Desk != lead.DeskField || l.Owner != "field-1" {
		t.Fatalf("L-1 desk %v owner %s, want field-1", l.Desk, l.Owner)
	}
	h.must(t, lead.Event{Kind: lead.EventFeedback, Lead: "L-1", Actor: "field-1", Feedback: lead.Feedback{Target: true, State: lead.Done, Opportunity: lead.OutcomeYes}})
	// L-3 registered but did not come; inside qualifies it from the
	// webinar and hands it off.
	h.must(t, lead.Event{Kind: lead.EventBANT, Lead: "L-3", Actor: "rep-b", BANT: lead.BANT{Need: "n", Timeline: "t"}})
	h.must(t, lead.Event{Kind: lead.EventHandoff, Lead: "L-3", Actor: "rep-b", To: "field-2"})
	credits, progress, err := h.eng.Credits(t.Context(), routing.Viewer{Rep: "mgr", Role: routing.RoleManager}, conf.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]routing.Credit{}
	for _, c := range credits {
		got[c.Rep] = c
	}
	if c := got["rep-a"]; c.Registrations != 1 || c.Attendance != 1 {
		t.Errorf("rep-a credit %+v, want 1 registration, 1 attendance", c)
	}
	if c := got["rep-b"]; c.Registrations != 1 || c.PreSQLs != 1 {
		t.Errorf("rep-b credit %+v, want 1 registration, 1 Pre-SQL", c)
	}
	if c := got["field-1"]; c.Registrations != 1 || c.Attendance != 1 || c.Opportunities != 1 {
		t.Errorf("field-1 credit %+v, want 1 registration, 1 attendance, 1 opportunity", c)
	}
	if progress.Registrations != 2 || progress.Attendance != 1 || !progress.Reached() {
		t.Errorf("inside progress %+v, want 2 registrations and 1 attendance, targets reached", progress)
	}
}

// batchFault is a store whose ApplyBatch runs before first, then fails
// with err if it is set.
type batchFault struct {
	*memstore.Store
	before func()
	err    error
}

func (s *batchFault) ApplyBatch(ctx context.Context, ws []leadline.Write) error {
	if f := s.before; f != nil {
		s.before = nil
		f()
	}
	if s.err != nil {
		return s.err
	}
	return s.Store.ApplyBatch(ctx, ws)
}

// TestEngine_ImportFeedbackAtomic_M5 is the partial import: a
// sheet is applied whole or not at all, a lead changed in between makes
// it start over from the current state, and a re-run with the same id
// after a failure applies it (E2).
func TestEngine_ImportFeedbackAtomic_M5(t *testing.T) {
	h := newRouting(t, leadline.Config{})
	for _, id := range []string{"L-1", "L-2"} {
		h.create(t, id, score("10"), "")
		h.respond(t, id, userConf.ID, lead.ResponseMet, func(e *lead.Event) { e.Actor = "field-1" })
	}
	field1 := routing.Viewer{Rep: "field-1", Role: routing.RoleField}
	sheet := routing.ColLead + "," + routing.ColTarget + "," + routing.ColState + "," + routing.ColOpportunity + "," + routing.ColComment + "\n" +
		"L-1,yes,done,yes,first\nL-2,yes,in_progress,,second\n"
	st := &batchFault{Store: h.store, err: errors.New("rejected in between")}
	eng, err := leadline.New(st, leadline.Config{Clock: h.clk, Roster: org()})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := eng.ImportFeedback(t.Context(), field1, strings.NewReader(sheet), "sheet-1"); err == nil || n != 0 {
		t.Fatalf("ImportFeedback with a failing write = %d, %v; want 0 and an error", n, err)
	}
	for _, id := range []string{"L-1", "L-2"} {
		if fb := h.lead(t, id).Feedback; fb.Comment != "" {
			t.Fatalf("%s has feedback %+v after a failed import; want none (all or nothing)", id, fb)
		}
	}
	// A lead changed between the check and the write: the import starts
	// over and applies every row on the current state.
	st.err = nil
	st.before = func() { h.must(t, lead.Event{Kind: lead.EventScoreChanged, Lead: "L-2", Score: score("20")}) }
	if n, err := eng.ImportFeedback(t.Context(), field1, strings.NewReader(sheet), "sheet-1"); err != nil || n != 2 {
		t.Fatalf("ImportFeedback after a failure, same id = %d, %v; want 2 (E2: nothing was applied)", n, err)
	}
	if l := h.lead(t, "L-2"); l.Feedback.Comment != "second" || !l.Score.Equal(score("20")) {
		t.Fatalf("L-2 = feedback %q score %v; want both changes kept", l.Feedback.Comment, l.Score)
	}
	if n, err := eng.ImportFeedback(t.Context(), field1, strings.NewReader(sheet), "sheet-1"); err != nil || n != 0 {
		t.Fatalf("ImportFeedback re-run after a success = %d, %v; want 0, nil (E2)", n, err)
	}
}

// M12, M13 through the engine: a campaign saved during planning without
// its kickoff agreement takes no responses and cannot be saved once
// started without one; once agreed, a seminar where sales invited 30% of
// the registrants routes as high engagement.
func TestEngine_CampaignAgreement_M12_M13(t *testing.T) {
	t.Parallel()
	seminar := routing.Campaign{ID: "media-sem", Name: "Media seminar", Type: routing.ExternalSeminar, Start: monday.Add(48 * time.Hour)}
	h := newRouting(t, leadline.Config{}, seminar)
	ctx := t.Context()
	h.create(t, "L-1", score("10"), "")
	h.create(t, "L-2", score("10"), "")

	// M13: no agreed model, no responses.
	err := h.handle(t, lead.Event{Kind: lead.EventResponse, Lead: "L-1", Campaign: seminar.ID, Response: lead.ResponseAttended, Actor: "marketing"})
	if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != "campaign.model" || !errors.Is(err, leadline.ErrInvalidTransition) {
		t.Fatalf("a response to a campaign with no agreed model = %v, want a FieldError for campaign.model wrapping ErrInvalidTransition (M13)", err)
	}
	if l := h.lead(t, "L-1"); len(l.Responses) != 0 {
		t.Fatalf("the refused response was recorded: %v", l.Responses)
	}
	// The invitation list is no response: it is taken before the agreement.
	h.respond(t, "L-2", seminar.ID, lead.ResponseListed, nil)

	// M13: once started, a save needs the agreement.
	h.clk.Add(72 * time.Hour)
	c, _ := h.eng.Campaign(ctx, seminar.ID)
	if err := h.eng.SaveCampaign(ctx, c); !errors.Is(err, leadline.ErrInvalid) {
		t.Fatalf("saving a started campaign with no agreement = %v, want ErrInvalid (M13)", err)
	}
	c.AgreedBy, c.AgreedAt = "mgr", monday
	c.Registrants, c.Invited = 10, 3 // M12: sales invited 30% of the registrants
	if err := h.eng.SaveCampaign(ctx, c); err != nil {
		t.Fatalf("SaveCampaign with the agreement = %v", err)
	}
	h.respond(t, "L-1", seminar.ID, lead.ResponseAttended, nil)
	if r := h.routeOf(t, "L-1"); r.Rule != "M12" || r.To != "field" {
		t.Fatalf("route = %+v, want M12 to field", r)
	}
	// A later save keeps the recorded agreement (M13).
	c, _ = h.eng.Campaign(ctx, seminar.ID)
	c.AgreedBy = "someone-else"
	if err := h.eng.SaveCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	if c, _ = h.eng.Campaign(ctx, seminar.ID); c.AgreedBy != "mgr" || !c.AgreedAt.Equal(monday) {
		t.Fatalf("agreement after a save = %q at %v, want mgr at %v", c.AgreedBy, c.AgreedAt, monday)
	}
}

// countedLeads counts the store's Leads calls.
type countedLeads struct {
	*memstore.Store
	calls int
}

func (s *countedLeads) Leads(ctx context.Context, q leadline.Query) ([]lead.Lead, error) {
	s.calls++
	return s.Store.Leads(ctx, q)
}

// TestEngine_Leads_fewVisible checks that a field rep who sees one lead
// among 5,000 inside leads gets it, in pages of one, with a few reads of
// the store rather than one per hidden lead (M2): the pages it reads
// grow while they show too few.
func TestEngine_Leads_fewVisible(t *testing.T) {
	st := &countedLeads{Store: memstore.New()}
	for i := range 5000 {
		l := lead.Lead{ID: fmt.Sprintf("L-%04d", i), Owner: "rep-a", Desk: lead.DeskInside}
		if i == 4321 {
			l.Owner, l.Desk = "field-1", lead.DeskField
		}
		if err := st.Apply(t.Context(), leadline.Write{Lead: l}); err != nil {
			t.Fatal(err)
		}
	}
	eng, err := leadline.New(st, leadline.Config{Roster: org()})
	if err != nil {
		t.Fatal(err)
	}
	field := routing.Viewer{Rep: "field-1", Role: routing.RoleField}
	var listed []string
	for q := (leadline.Query{Limit: 1}); ; {
		page, err := eng.Leads(t.Context(), field, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range page {
			listed = append(listed, l.ID)
		}
		if len(page) < q.Limit {
			break
		}
		q.After = page[0].ID
	}
	// Each call reads pages of 1, 2, ... 1,024 leads (2,047 in 11
	// reads), then 1,024 at a time: 14 reads to L-4321, 11 more to the
	// end after it. Pages of one lead each would take 5,000.
	if !slices.Equal(listed, []string{"L-4321"}) || st.calls > 30 {
		t.Fatalf("listed %v in %d reads of the store; want L-4321 in at most 30", listed, st.calls)
	}
}

// TestEngine_Leads_negativeLimit: a limit below zero caps nothing, as
// Query.Limit 0 does, on an empty store and on a full one.
func TestEngine_Leads_negativeLimit(t *testing.T) {
	for _, n := range []int{0, 3} {
		st := memstore.New()
		for i := range n {
			if err := st.Apply(t.Context(), leadline.Write{Lead: lead.Lead{ID: fmt.Sprintf("L-%d", i), Owner: "rep-a"}}); err != nil {
				t.Fatal(err)
			}
		}
		eng, err := leadline.New(st, leadline.Config{Roster: org()})
		if err != nil {
			t.Fatal(err)
		}
		got, err := eng.Leads(t.Context(), ops, leadline.Query{Limit: -1})
		if err != nil || len(got) != n {
			t.Errorf("%d leads: Leads(Limit -1) = %d leads, %v; want all %d", n, len(got), err, n)
		}
	}
}
