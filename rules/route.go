package rules

import (
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
)

// This file holds rules M1-M4, M8: campaign responses routed by engagement and follow-up model.

// routesOn reports whether a response of kind k is one the person made at
// or after the campaign, and so is routed: being listed or invited is
// sales' and marketing's doing, and a registration waits for the event
// (M6: after the event, leads route by M4).
func routesOn(k lead.ResponseKind) bool {
	switch k {
	case lead.ResponseListed, lead.ResponseInvited, lead.ResponseRegistered:
		return false
	}
	return true
}

// response records a campaign response (M2, M6) and routes the lead when
// the response calls for it (M1-M8).
func (s *Step) response(ev *lead.Event, c *routing.Campaign, at time.Time) error {
	by := ""
	switch ev.Response {
	case lead.ResponseInvited:
		by = first(ev.InvitedBy, ev.Actor)
	case lead.ResponseRegistered, lead.ResponseAttended:
		by = first(ev.InvitedBy, s.inviter(c.ID)) // the rep who drove it (M6)
	case lead.ResponseMet:
		by = first(ev.MetBy, ev.Actor)
	}
	s.Lead.Responses = append(s.Lead.Responses, lead.Touch{Campaign: c.ID, Kind: ev.Response, At: at, By: by})
	reason := why(rResponse, c.ID) // the history's reason names the campaign, and the rep behind it
	if by != "" {
		reason = why(rResponseBy, c.ID, by)
	}
	s.record(at, ev.Actor, lead.FieldResponse, "", ev.Response.String(), "M6", reason)
	if !routesOn(ev.Response) {
		return nil
	}
	// M4 counts field reps only: an inside rep's invitation call in a
	// hybrid campaign drives attendance (M6) but does not make the lead
	// field's.
	resp := routing.Response{Answers: ev.Answers}
	for _, rep := range []string{ev.InvitedBy, s.inviter(c.ID)} {
		if ok, err := s.fieldRep(rep); err != nil {
			return err
		} else if ok {
			resp.InvitedBy = rep
			break
		}
	}
	met := ev.MetBy
	if ev.Response == lead.ResponseMet {
		met = first(met, ev.Actor)
	}
	if ok, err := s.fieldRep(met); err != nil {
		return err
	} else if ok {
		resp.MetBy = met
	}
	d := s.Policy.Routing.Route(&s.Lead, c, &resp)
	if d.To != routing.Nowhere && s.Lead.Desk != lead.DeskField && d.Why&(routing.BecauseInvited|routing.BecauseMet) == 0 {
		// A lead that belongs to a field rep (invited or met by one at
		// another campaign, or owned by a field account owner) goes to
		// that rep whatever this campaign's model or engagement, as an
		// inquiry would (M11).
		rep, reason, err := s.fieldRepOf(lead.EventResponse)
		if err != nil {
			return err
		}
		if rep != "" && (d.To != routing.Field || d.Owner != rep) {
			s.toFieldRep(at, rep, "M11", reason, c.ID)
			return nil
		}
	}
	return s.route(d, ev, c, at)
}

// inviter returns the rep who last invited the lead to campaign, or "".
func (s *Step) inviter(campaign string) string {
	for i := len(s.Lead.Responses) - 1; i >= 0; i-- {
		if t := s.Lead.Responses[i]; t.Campaign == campaign && t.Kind == lead.ResponseInvited {
			return t.By
		}
	}
	return ""
}

func (s *Step) fieldRep(rep string) (bool, error) {
	if rep == "" {
		return false, nil
	}
	return s.Staff.OnField(rep)
}

// route carries out a routing decision. A lead already with field sales
// stays there whatever the decision, and its owner hears of the response:
// once field sales follows a person up, inside sales does not call them
// (M4: the car dealer of the rule book).
func (s *Step) route(d routing.Decision, ev *lead.Event, c *routing.Campaign, at time.Time) error {
	rule := d.Rule()
	reason := why(rRoute, d.Why.String()) // the campaign is in the response entry just before
	if s.Lead.Desk == lead.DeskField && d.To != routing.Nowhere {
		// M4 names a rep: the one who invited or met the person takes
		// over a field lead that nobody has worked yet (field assignment
		// or the account owner got it first, before the meeting was
		// recorded). A lead already being worked stays with its rep.
		if d.To == routing.Field && d.Owner != "" && d.Owner != s.Lead.Owner && d.Why&(routing.BecauseInvited|routing.BecauseMet) != 0 &&
			s.Lead.Handoff == lead.HandoffNone && s.Lead.Feedback.At.IsZero() {
			s.record(at, lead.ActorEngine, lead.FieldRoute, lead.DeskField.String(), lead.DeskField.String(), "M4", reason)
			s.setOwner(at, d.Owner, "M4", reason)
			s.notify(NoteFieldFollowUp, d.Owner, "M4", time.Time{}, 0, c.ID)
			return nil
		}
		s.record(at, lead.ActorEngine, lead.FieldRoute, lead.DeskField.String(), lead.DeskField.String(), "M4", why(rRouteAlreadyField, d.Why.String()))
		s.notify(NoteActivity, s.Lead.Owner, "M4", time.Time{}, 0, ev.Response.String()+" in "+c.ID)
		return nil
	}
	switch d.To {
	case routing.Nowhere, routing.Nurture:
		s.record(at, lead.ActorEngine, lead.FieldRoute, s.Lead.Desk.String(), d.To.String(), rule, reason)
		return nil
	case routing.Field:
		rep := d.Owner
		if rep != "" && d.Why&routing.BecauseAccountOwner != 0 {
			// The account owner takes a field lead only when in field
			// sales: an inside rep who owns the account would hold a
			// field lead no field rep may see (M4, M11).
			field, err := s.Staff.Member(routing.RoleField, rep)
			if err != nil {
				return err
			}
			if !field {
				rep, reason = "", why(rRouteOwnerNotField, d.Why.String(), rep)
			}
		}
		if rep == "" {
			var err error
			if rep, err = s.Staff.Next(routing.RoleField, nil); err != nil {
				return err
			}
		}
		s.toFieldRep(at, rep, rule, reason, c.ID)
		return nil
	}
	s.record(at, lead.ActorEngine, lead.FieldRoute, s.Lead.Desk.String(), lead.DeskInside.String(), rule, reason)
	kind := triggerKind(c.Type, ev.Response)
	row, ok := s.Policy.Triggers.Match(kind, s.Lead.Score)
	if !ok && kind == lead.EventResponse && d.Why&routing.BecauseInsideType != 0 {
		// Sent to inside sales by its campaign type whatever the score
		// (M1): the policy's first response row makes the request, with
		// the subject saying why, as a below-threshold inquiry makes one
		// (A2).
		for i := range s.Policy.Triggers.Rules {
			if r := s.Policy.Triggers.Rules[i]; r.On == lead.EventResponse {
				r.Subject = insideTypeSubject
				row, ok = &r, true
				break
			}
		}
	}
	return s.requestRow(row, ok, at)
}

// insideTypeSubject is the subject of a request made for a response that
// its campaign's type sends to inside sales below the threshold (M1).
const insideTypeSubject = "Campaign response of a type inside sales follows up"

// triggerKind maps a response routed to inside sales onto the trigger
// table (A1-A3, A7): an inquiry is an inquiry, a download a download,
// whatever the campaign; anything else is a campaign response (M1).
func triggerKind(t routing.CampaignType, k lead.ResponseKind) lead.EventKind {
	switch {
	case k == lead.ResponseInquired || t == routing.WebInquiry:
		return lead.EventInquiry
	case k == lead.ResponseDownloaded || t == routing.DocDownload:
		return lead.EventDownload
	}
	return lead.EventResponse
}

// toFieldRep puts the lead on the field desk with rep for reason, tells
// the rep what it came from (a campaign id, or the kind of the event that
// sent it) and makes it a follow-up target of the rep's feedback (M4, M5,
// M11).
func (s *Step) toFieldRep(at time.Time, rep, rule, reason, from string) {
	s.toField(at, rep, rule, reason)
	s.notify(NoteFieldFollowUp, rep, rule, time.Time{}, 0, from)
	if s.Lead.Feedback.At.IsZero() && !s.Lead.Feedback.Target {
		s.Lead.Feedback = lead.Feedback{Target: true, State: lead.NotStarted}
	}
}

// toField moves the lead to the field desk with rep as its owner: its
// inside cadence stops and an outstanding request is cancelled, since
// inside sales no longer calls the person (M4, M10).
func (s *Step) toField(at time.Time, rep, rule, reason string) {
	if s.Lead.Track.Active() {
		st := s.Lead.Track.Stage
		s.Policy.Cadence.Stop(&s.Lead.Track, at)
		s.record(at, lead.ActorEngine, lead.FieldStage, st.Key(), st.Key(), rule, why(rCadenceStoppedField))
	}
	s.closeRequest(at, lead.ActorEngine, lead.RequestCancelled, rule, why(rWithField))
	s.record(at, lead.ActorEngine, lead.FieldRoute, s.Lead.Desk.String(), lead.DeskField.String(), rule, reason)
	s.Lead.Desk = lead.DeskField
	if rep != s.Lead.Owner {
		s.setOwner(at, rep, rule, reason)
	}
}
