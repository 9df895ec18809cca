package leadline_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
)

// noInsideWork fails t when lead id runs an inside cadence, has an
// outstanding request, or one of ns is an approach request about it:
// what a lead that belongs to a field rep never gets (M11).
func noInsideWork(t *testing.T, h *harness, id string, ns []leadline.Notification) {
	t.Helper()
	l := h.lead(t, id)
	if l.Track.Active() || l.Request.Outstanding() {
		t.Errorf("%s: cadence active %v (stage %v), request %v; want no inside cadence and no request (M11)", id, l.Track.Active(), l.Track.Stage, l.Request.State)
	}
	for _, n := range ns {
		if n.Lead == id && n.Kind == leadline.NoteApproachRequest {
			t.Errorf("%s: approach request sent to %q (M11)", id, n.To)
		}
	}
}

// TestEngine_M11_responseStaysWithFieldRep: a lead that belongs to a field
// rep (owned by a field account owner, or invited by a field rep to
// another campaign) stays with that rep whatever event comes next,
// campaign responses included (M11), in every organisation; and its owner
// may read it (M2).
func TestEngine_M11_responseStaysWithFieldRep(t *testing.T) {
	for _, c := range []struct {
		name  string
		org   routing.Model
		owner string // the account owner at creation
		invit string // the field rep who invited the lead to userConf
		want  string
		rule  string // of the route: M1 where the model alone names the rep
	}{
		{"field account owner, inside-first", routing.InsideFirst, "field-1", "", "field-1", "M11"},
		{"field account owner, direct", routing.Direct, "field-1", "", "field-1", "M1"},
		{"invited to another campaign, inside-first", routing.InsideFirst, "", "field-2", "field-2", "M11"},
		{"invited to another campaign, direct", routing.Direct, "", "field-2", "field-2", "M11"},
		{"invited beats the field account owner", routing.InsideFirst, "field-1", "field-2", "field-2", "M11"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newRouting(t, leadline.Config{Policy: leadline.Policy{Routing: routing.Rules{Organisation: c.org}}})
			h.create(t, "L-1", score("150"), c.owner) // an MQL
			if c.invit != "" {
				h.respond(t, "L-1", userConf.ID, lead.ResponseInvited, func(e *lead.Event) { e.Actor = c.invit })
			}
			h.take(t)
			// A low-engagement webinar, attended before the event the
			// lead was invited to: alone it would go to inside sales
			// (inside-first) or field assignment (direct).
			h.respond(t, "L-1", webinar.ID, lead.ResponseAttended, nil)
			l := h.lead(t, "L-1")
			if l.Desk != lead.DeskField || l.Owner != c.want {
				t.Errorf("desk %v owner %q; want field, %s (M11)", l.Desk, l.Owner, c.want)
			}
			ns := h.take(t)
			noInsideWork(t, h, "L-1", ns)
			if r := h.routeOf(t, "L-1"); r.Rule != c.rule || r.To != "field" {
				t.Errorf("route entry %s -> %s (%s, %q); want -> field by %s", r.From, r.To, r.Rule, r.Reason, c.rule)
			}
			if len(ns) != 1 || ns[0].Kind != leadline.NoteFieldFollowUp || ns[0].To != c.want || ns[0].Detail != webinar.ID {
				t.Errorf("notifications %v; want one field follow-up to %s naming %s", ns, c.want, webinar.ID)
			}
			if _, err := h.eng.Lead(t.Context(), routing.Viewer{Rep: c.want, Role: routing.RoleField}, "L-1"); err != nil {
				t.Errorf("%s, the lead's owner, cannot read it: %v (M2)", c.want, err)
			}
		})
	}
}

// TestEngine_M4_fieldLeadStaysOnNurtureResponse: a lead with field sales
// stays there on a response the model would leave to marketing, and its
// owner hears of it (M4).
func TestEngine_M4_fieldLeadStaysOnNurtureResponse(t *testing.T) {
	h := newRouting(t, leadline.Config{})
	h.create(t, "L-1", score("10"), "")
	h.respond(t, "L-1", userConf.ID, lead.ResponseMet, func(e *lead.Event) { e.Actor = "field-1" })
	h.take(t)
	h.respond(t, "L-1", synd.ID, lead.ResponseDownloaded, nil) // below the threshold, low engagement: nurture
	l := h.lead(t, "L-1")
	if l.Desk != lead.DeskField || l.Owner != "field-1" {
		t.Fatalf("desk %v owner %q; want field, field-1", l.Desk, l.Owner)
	}
	if r := h.routeOf(t, "L-1"); r.From != "field" || r.To != "field" || r.Rule != "M4" {
		t.Errorf("route entry %s -> %s (%s, %q); want field -> field by M4", r.From, r.To, r.Rule, r.Reason)
	}
	ns := h.take(t)
	if len(ns) != 1 || ns[0].Kind != leadline.NoteActivity || ns[0].To != "field-1" {
		t.Errorf("notifications %v; want field-1 told of the response (M4)", ns)
	}
}

// TestEngine_M10_rejectAndAcceptReasons: an acceptance's reason is kept
// in history (E9: a field the kind reads is never dropped), and a
// rejection back to inside sales of a recycled lead makes it a Lead
// again, as inside sales works it (M10, S2).
func TestEngine_M10_rejectAndAcceptReasons(t *testing.T) {
	handOff := func(t *testing.T, h *harness, recycled bool) {
		t.Helper()
		h.create(t, "L-1", score("120"), "")
		if recycled {
			h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Actor: "rep-a", Status: lead.StatusRecycled, Reason: "evaluating next year"})
		}
		h.must(t, lead.Event{Kind: lead.EventBANT, Lead: "L-1", Actor: "rep-a", BANT: lead.BANT{Need: "n", Timeline: "t"}})
		h.must(t, lead.Event{Kind: lead.EventHandoff, Lead: "L-1", Actor: "rep-a", To: "field-1"})
	}
	t.Run("accept with a reason", func(t *testing.T) {
		h := newRouting(t, leadline.Config{})
		handOff(t, h, false)
		h.must(t, lead.Event{Kind: lead.EventAccept, Lead: "L-1", Actor: "field-1", Reason: "予算承認済み"})
		hs := h.history(t, "L-1")
		last := hs[len(hs)-1]
		if last.Field != lead.FieldHandoff || last.To != lead.HandoffAccepted.String() || !strings.HasSuffix(last.Reason, ": 予算承認済み") {
			t.Errorf("last entry %+v; want the acceptance with its reason (E9, M10)", last)
		}
	})
	t.Run("reject a recycled lead back to inside", func(t *testing.T) {
		h := newRouting(t, leadline.Config{})
		handOff(t, h, true)
		h.must(t, lead.Event{Kind: lead.EventReject, Lead: "L-1", Actor: "field-1", Status: lead.StatusLead, Reason: "call them back first"})
		l := h.lead(t, "L-1")
		if l.Desk != lead.DeskInside || l.Owner != "rep-a" || l.Status != lead.StatusLead {
			t.Errorf("desk %v owner %q status %v; want inside, rep-a, Lead (M10)", l.Desk, l.Owner, l.Status)
		}
		hs := h.history(t, "L-1")
		if last := hs[len(hs)-1]; last.Field != lead.FieldStatus || last.To != "lead" || last.Rule != "M10" || last.Reason != "call them back first" {
			t.Errorf("last entry %+v; want the status back to lead by M10 with the field rep's reason", last)
		}
	})
}

// TestEngine_M7_startedCampaignKeepsItsModel: once a campaign has
// started, a save changes neither its model (always-on forms included)
// nor moves its start after now, which would free the model again; the
// model changes only through ChangeModel, recorded (M7).
func TestEngine_M7_startedCampaignKeepsItsModel(t *testing.T) {
	t.Run("always-on", func(t *testing.T) {
		h := newRouting(t, leadline.Config{}, webForm) // no Start: started
		c, err := h.eng.Campaign(t.Context(), webForm.ID)
		if err != nil {
			t.Fatal(err)
		}
		c.Model = routing.Direct
		err = h.eng.SaveCampaign(t.Context(), c)
		if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != "campaign.model" || !errors.Is(err, leadline.ErrInvalidTransition) {
			t.Errorf("SaveCampaign changing an always-on campaign's model = %v; want a FieldError for campaign.model (M7)", err)
		}
	})
	t.Run("start moved after now", func(t *testing.T) {
		h := newRouting(t, leadline.Config{}, userConf) // starts monday+48h
		h.clk.Add(72 * time.Hour)
		c, err := h.eng.Campaign(t.Context(), userConf.ID)
		if err != nil {
			t.Fatal(err)
		}
		c.Start = h.clk.Now().Add(24 * time.Hour)
		err = h.eng.SaveCampaign(t.Context(), c)
		if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != "campaign.start" {
			t.Errorf("SaveCampaign moving a started campaign's start after now = %v; want a FieldError for campaign.start (M7)", err)
		}
		// Its start may still move within the past: it stays started.
		c.Start = monday.Add(24 * time.Hour)
		if err := h.eng.SaveCampaign(t.Context(), c); err != nil {
			t.Errorf("SaveCampaign moving a started campaign's start earlier = %v", err)
		}
	})
}

// TestEngine_E6_campaignStrings: a campaign's strings follow the one rule
// of every string that enters (E6): refused with a FieldError naming the
// field, nothing stored.
func TestEngine_E6_campaignStrings(t *testing.T) {
	base := routing.Campaign{ID: "sem-1", Name: "セミナー", Type: routing.ExternalSeminar, AgreedBy: "mgr", AgreedAt: kickoff}
	for _, c := range []struct {
		field string
		set   func(*routing.Campaign)
	}{
		{"campaign.id", func(c *routing.Campaign) { c.ID = "sem\x00-1" }},
		{"campaign.id", func(c *routing.Campaign) { c.ID = strings.Repeat("c", lead.MaxIDBytes+1) }},
		{"campaign.id", func(c *routing.Campaign) { c.ID = "sem 1\n" }},
		{"campaign.name", func(c *routing.Campaign) { c.Name = "セミナー\x00" }},
		{"campaign.name", func(c *routing.Campaign) { c.Name = strings.Repeat("あ", lead.MaxNameBytes/3+1) }},
		{"campaign.agreed_by", func(c *routing.Campaign) { c.AgreedBy = "m\x00gr" }},
	} {
		h := newRouting(t, leadline.Config{})
		cp := base
		c.set(&cp)
		err := h.eng.SaveCampaign(t.Context(), cp)
		if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != c.field {
			t.Errorf("SaveCampaign(%q, %q, %q) = %v; want a FieldError for %s (E6)", cp.ID, cp.Name, cp.AgreedBy, err, c.field)
		}
		if _, err := h.eng.Campaign(t.Context(), cp.ID); !errors.Is(err, leadline.ErrNotFound) {
			t.Errorf("a refused campaign was stored: %v", err)
		}
	}
	h := newRouting(t, leadline.Config{}, webinar) // no start: a change is recorded
	for _, c := range []struct{ field, by, reason string }{
		{"by", "m\x00gr", "field capacity"},
		{"reason", "mgr", "field\x00 capacity"},
		{"reason", "mgr", strings.Repeat("x", lead.MaxTextBytes+1)},
	} {
		err := h.eng.ChangeModel(t.Context(), webinar.ID, routing.Direct, c.by, c.reason)
		if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != c.field {
			t.Errorf("ChangeModel(by %q, reason %.20q) = %v; want a FieldError for %s (E6)", c.by, c.reason, err, c.field)
		}
	}
	if got, _ := h.eng.Campaign(t.Context(), webinar.ID); got.Model != webinar.Model || len(got.Changes) != 0 {
		t.Errorf("refused model changes were stored: %v %v", got.Model, got.Changes)
	}
}

// TestEngine_E9_metByBeforeTheEvent: a response made before the event
// (listed, invited, registered) does not read met_by, so it is refused
// rather than dropped (E9).
func TestEngine_E9_metByBeforeTheEvent(t *testing.T) {
	h := newRouting(t, leadline.Config{})
	h.create(t, "L-1", score("10"), "")
	before := h.snapshot(t, "L-1")
	for _, k := range []lead.ResponseKind{lead.ResponseListed, lead.ResponseInvited, lead.ResponseRegistered} {
		err := h.handle(t, lead.Event{Kind: lead.EventResponse, Lead: "L-1", Campaign: userConf.ID, Response: k, Actor: "marketing", MetBy: "field-3"})
		if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != "met_by" {
			t.Errorf("%s response with met_by = %v; want a FieldError for met_by (E9)", k, err)
		}
	}
	if after := h.snapshot(t, "L-1"); !after.same(before) {
		t.Errorf("refused responses changed the lead")
	}
}

// TestEngine_E10_fieldFollowUpText: a field follow-up says what sent the
// lead, a campaign or the lead's own inquiry, in the team's language; an
// approach request words the rule book's own subject in Japanese too.
func TestEngine_E10_fieldFollowUpText(t *testing.T) {
	for _, c := range []struct {
		lang           rules.Language
		campaign, want string
	}{
		{rules.English, "", "Follow up L-1 from an inquiry"},
		{rules.Japanese, "", "問い合わせのリード L-1 をフォローしてください"},
		{rules.English, userConf.ID, "Follow up L-1 from campaign uc-2026"},
		{rules.Japanese, userConf.ID, "キャンペーン「uc-2026」のリード L-1 をフォローしてください"},
	} {
		h := newRouting(t, leadline.Config{Policy: leadline.Policy{Language: c.lang, TimeZone: "Asia/Tokyo"}})
		h.create(t, "L-1", score("10"), "field-3") // a field account owner
		if c.campaign != "" {
			h.respond(t, "L-1", c.campaign, lead.ResponseAttended, nil)
		} else {
			h.inquiry(t, "L-1")
		}
		ns := h.take(t)
		if len(ns) != 1 || ns[0].Kind != leadline.NoteFieldFollowUp || ns[0].Text != c.want {
			t.Errorf("%s %q: notifications %v; want one field follow-up %q", c.lang, c.campaign, ns, c.want)
		}
	}
	h := newRouting(t, leadline.Config{Policy: leadline.Policy{Language: rules.Japanese, TimeZone: "Asia/Tokyo"}})
	h.create(t, "L-1", score("150"), "")
	h.inquiry(t, "L-1")
	ns := h.take(t)
	if len(ns) != 1 || !strings.Contains(ns[0].Text, "MQL からの問い合わせ（スコアが閾値以上）") {
		t.Errorf("Japanese approach request %v; want the A1 subject in Japanese (E10)", ns)
	}
}

// TestEngine_M1_insideTypeMakesARequest: a response that its campaign's
// type sends to inside sales below the threshold makes an approach
// request, as M1 says of any response the model sends there, with the
// policy's response row's priority and a subject that says why.
func TestEngine_M1_insideTypeMakesARequest(t *testing.T) {
	pol := leadline.DefaultPolicy()
	pol.Routing.InsideTypes = []routing.CampaignType{routing.WebInquiry, routing.ExternalSeminar}
	pol.Language = rules.Japanese
	h := newRouting(t, leadline.Config{Policy: pol})
	h.create(t, "L-1", score("40"), "")
	h.respond(t, "L-1", webinar.ID, lead.ResponseAttended, nil)
	l := h.lead(t, "L-1")
	if !l.Request.Outstanding() || l.Request.Priority != 2 || l.Owner == "" || l.Track.Stage != stage.Untouched {
		t.Fatalf("request %+v owner %q stage %v; want an open priority-2 request, an owner and a cadence from Untouched (M1, T1)", l.Request, l.Owner, l.Track.Stage)
	}
	ns := h.take(t)
	if len(ns) != 1 || ns[0].Kind != leadline.NoteApproachRequest || !strings.Contains(ns[0].Text, "内勤がフォローする種別のキャンペーン反応") {
		t.Errorf("notifications %v; want the approach request, its subject in Japanese", ns)
	}
}
