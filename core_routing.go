package leadline

import (
	"fmt"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
)

// This file is the functional core of SPEC section 5: campaign responses
// routed by engagement (M1-M8), BANT and the hand-off to field sales
// (M10), and field feedback (M5). Like core.go it reads nothing but its
// inputs.

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
func (s *step) response(ev *lead.Event, c *routing.Campaign, at time.Time) error {
	by := ""
	switch ev.Response {
	case lead.ResponseInvited:
		by = first(ev.InvitedBy, ev.Actor)
	case lead.ResponseRegistered, lead.ResponseAttended:
		by = first(ev.InvitedBy, s.inviter(c.ID)) // the rep who drove it (M6)
	case lead.ResponseMet:
		by = first(ev.MetBy, ev.Actor)
	}
	s.l.Responses = append(s.l.Responses, lead.Touch{Campaign: c.ID, Kind: ev.Response, At: at, By: by})
	why := c.ID // the history's reason names the campaign, and the rep behind it
	if by != "" {
		why += " by " + by
	}
	s.record(at, ev.Actor, lead.FieldResponse, "", ev.Response.String(), "M6", why)
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
	d := s.pol.Routing.Route(&s.l, c, &resp)
	return s.route(d, ev, c, at)
}

// inviter returns the rep who last invited the lead to campaign, or "".
func (s *step) inviter(campaign string) string {
	for i := len(s.l.Responses) - 1; i >= 0; i-- {
		if t := s.l.Responses[i]; t.Campaign == campaign && t.Kind == lead.ResponseInvited {
			return t.By
		}
	}
	return ""
}

func (s *step) fieldRep(rep string) (bool, error) {
	if rep == "" {
		return false, nil
	}
	return s.who.onField(rep)
}

// route carries out a routing decision. A lead already with field sales
// stays there whatever the decision, and its owner hears of the response:
// once field sales follows a person up, inside sales does not call them
// (M4, the car dealer of the second source text).
func (s *step) route(d routing.Decision, ev *lead.Event, c *routing.Campaign, at time.Time) error {
	rule := d.Rule()
	why := d.Why.String() // the campaign is in the response entry just before
	if s.l.Desk == lead.DeskField && (d.To == routing.Field || d.To == routing.Inside) {
		// M4 names a rep: the one who invited or met the person takes
		// over a field lead that nobody has worked yet (field assignment
		// or the account owner got it first, before the meeting was
		// recorded). A lead already being worked stays with its rep.
		if d.To == routing.Field && d.Owner != "" && d.Owner != s.l.Owner && d.Why&(routing.BecauseInvited|routing.BecauseMet) != 0 &&
			s.l.Handoff == lead.HandoffNone && s.l.Feedback.At.IsZero() {
			s.record(at, lead.ActorEngine, lead.FieldRoute, lead.DeskField.String(), lead.DeskField.String(), "M4", why)
			s.setOwner(at, d.Owner, "M4", why)
			s.notify(NoteFieldFollowUp, d.Owner, "M4", time.Time{}, 0, c.ID)
			return nil
		}
		s.record(at, lead.ActorEngine, lead.FieldRoute, lead.DeskField.String(), lead.DeskField.String(), "M4", why+"; already with field sales")
		s.notify(NoteActivity, s.l.Owner, "M4", time.Time{}, 0, ev.Response.String()+" in "+c.ID)
		return nil
	}
	switch d.To {
	case routing.Nowhere, routing.Nurture:
		s.record(at, lead.ActorEngine, lead.FieldRoute, s.l.Desk.String(), d.To.String(), rule, why)
		return nil
	case routing.Field:
		rep := d.Owner
		if rep == "" {
			var err error
			if rep, err = s.who.fieldOwner(); err != nil {
				return err
			}
		}
		s.toField(at, rep, rule, why)
		s.notify(NoteFieldFollowUp, rep, rule, time.Time{}, 0, c.ID)
		if s.l.Feedback.At.IsZero() && !s.l.Feedback.Target {
			s.l.Feedback = lead.Feedback{Target: true, State: lead.NotStarted}
		}
		return nil
	}
	s.record(at, lead.ActorEngine, lead.FieldRoute, s.l.Desk.String(), lead.DeskInside.String(), rule, why)
	return s.request(triggerKind(c.Type, ev.Response), at)
}

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

// toField moves the lead to the field desk with rep as its owner: its
// inside cadence stops and an outstanding request is cancelled, since
// inside sales no longer calls the person (M4, M10).
func (s *step) toField(at time.Time, rep, rule, why string) {
	if s.l.Track.Active() {
		st := s.l.Track.Stage
		s.pol.Cadence.Stop(&s.l.Track, at)
		s.record(at, lead.ActorEngine, lead.FieldStage, st.Key(), st.Key(), rule, "cadence stopped: with field sales now")
	}
	s.closeRequest(at, lead.ActorEngine, lead.RequestCancelled, rule, "with field sales now")
	s.record(at, lead.ActorEngine, lead.FieldRoute, s.l.Desk.String(), lead.DeskField.String(), rule, why)
	s.l.Desk = lead.DeskField
	if rep != s.l.Owner {
		s.setOwner(at, rep, rule, why)
	}
}

// bant records what inside sales learnt (M10).
func (s *step) bant(ev *lead.Event, at time.Time) {
	from := s.l.BANT.Known()
	s.l.BANT = s.l.BANT.Merge(ev.BANT)
	s.record(at, ev.Actor, lead.FieldBANT, from.String(), s.l.BANT.Known().String(), "M10", "BANT recorded")
}

// handoff hands a qualified lead to field sales as a Pre-SQL (M1, M10):
// the policy's BANT minimum must be known; it goes to the named field rep,
// else the account owner, else field assignment.
func (s *step) handoff(ev *lead.Event, at time.Time) error {
	switch {
	case s.l.Status.Protected():
		return &FieldError{Field: "status", Err: fmt.Errorf("%w: a %v lead is not handed to field sales (S5)", ErrInvalidTransition, s.l.Status)}
	case s.l.Handoff == lead.HandoffPreSQL || s.l.Handoff == lead.HandoffAccepted:
		return &FieldError{Field: "handoff", Err: fmt.Errorf("%w: already handed to %s (%v)", ErrInvalidTransition, s.l.HandedTo, s.l.Handoff)}
	case s.l.Desk == lead.DeskField:
		return &FieldError{Field: "desk", Err: fmt.Errorf("%w: %s is already with field sales (owner %s)", ErrInvalidTransition, s.l.ID, orNobody(s.l.Owner))}
	}
	need, known := s.pol.Routing.Handoff, s.l.BANT.Known()
	if !known.Has(need) {
		return &FieldError{Field: "bant", Err: fmt.Errorf("%w: a hand-off needs %v known, and only %q is (M10)", ErrInvalidTransition, need, known)}
	}
	rep := ev.To
	switch {
	case rep != "":
		if ok, err := s.who.onField(rep); err != nil {
			return err
		} else if !ok {
			return &FieldError{Field: "to", Err: fmt.Errorf("%q is not a field rep", rep)}
		}
	case s.l.AccountOwned && s.l.Owner != "":
		if ok, err := s.who.onField(s.l.Owner); err != nil {
			return err
		} else if ok {
			rep = s.l.Owner
		}
	}
	if rep == "" {
		var err error
		if rep, err = s.who.fieldOwner(); err != nil {
			return err
		}
		if rep == "" {
			return &FieldError{Field: "to", Err: fmt.Errorf("required: no field rep is available to take the Pre-SQL; name one")}
		}
	}
	s.record(at, ev.Actor, lead.FieldHandoff, s.l.Handoff.String(), lead.HandoffPreSQL.String(), "M10",
		fmt.Sprintf("Pre-SQL handed to %s with %v known", rep, known))
	s.l.Handoff, s.l.HandedBy, s.l.HandedTo = lead.HandoffPreSQL, ev.Actor, rep
	s.toField(at, rep, "M10", "Pre-SQL handed off by "+ev.Actor)
	if !s.l.Feedback.Target {
		s.l.Feedback = lead.Feedback{Target: true, State: lead.NotStarted}
	}
	s.notify(NoteHandoff, rep, "M10", time.Time{}, 0, ev.Actor)
	return nil
}

// answerable checks that ev answers an outstanding Pre-SQL, from the rep
// it was handed to or their manager (M10).
func (s *step) answerable(ev *lead.Event) error {
	if s.l.Handoff != lead.HandoffPreSQL {
		return &FieldError{Field: "handoff", Err: fmt.Errorf("%w: %s has no Pre-SQL waiting (it is %v)", ErrInvalidTransition, s.l.ID, s.l.Handoff)}
	}
	if ev.Actor == s.l.HandedTo {
		return nil
	}
	mgr, err := s.who.manager(s.l.HandedTo)
	if err != nil {
		return err
	}
	if mgr == "" || ev.Actor != mgr {
		return &FieldError{Field: "actor", Err: fmt.Errorf("%w: the Pre-SQL was handed to %s; only they or their manager answer it", ErrInvalidTransition, s.l.HandedTo)}
	}
	return nil
}

// accept makes the Pre-SQL an SQL (M10).
func (s *step) accept(ev *lead.Event, at time.Time) error {
	if err := s.answerable(ev); err != nil {
		return err
	}
	s.record(at, ev.Actor, lead.FieldHandoff, s.l.Handoff.String(), lead.HandoffAccepted.String(), "M10", "accepted: an SQL")
	s.l.Handoff = lead.HandoffAccepted
	if s.l.HandedBy != "" {
		s.notify(NoteAccepted, s.l.HandedBy, "M10", time.Time{}, 0, ev.Actor)
	}
	return nil
}

// reject sends the Pre-SQL back to the inside rep who handed it, or to
// marketing as Recycled, with the field rep's reason (M10).
func (s *step) reject(ev *lead.Event, at time.Time) error {
	if err := s.answerable(ev); err != nil {
		return err
	}
	s.record(at, ev.Actor, lead.FieldHandoff, s.l.Handoff.String(), lead.HandoffRejected.String(), "M10", ev.Reason)
	s.l.Handoff = lead.HandoffRejected
	s.record(at, ev.Actor, lead.FieldRoute, lead.DeskField.String(), lead.DeskInside.String(), "M10", "Pre-SQL rejected: "+ev.Reason)
	s.l.Desk = lead.DeskInside
	if s.l.HandedBy != "" && s.l.HandedBy != s.l.Owner {
		s.setOwner(at, s.l.HandedBy, "M10", "Pre-SQL rejected: "+ev.Reason)
	}
	if ev.Status == lead.StatusRecycled && s.l.Status != lead.StatusRecycled {
		if err := lead.PersonTransition(s.l.Status, ev.Status); err != nil {
			return err
		}
		s.setStatus(at, ev.Actor, lead.StatusRecycled, "M10", ev.Reason)
	}
	if s.l.HandedBy != "" {
		s.notify(NoteRejected, s.l.HandedBy, "M10", time.Time{}, 0, ev.Actor+": "+ev.Reason)
	}
	return nil
}

// feedback records field sales' follow-up of a lead routed to it (M5). A
// confirmed opportunity continues through the normal hand-off: the lead
// becomes an accepted SQL of its field owner (M5, M10).
func (s *step) feedback(ev *lead.Event, at time.Time) error {
	if s.l.Desk != lead.DeskField {
		return &FieldError{Field: "lead", Err: fmt.Errorf("%w: %s is not with field sales; feedback is for leads routed to field (M5)", ErrInvalidTransition, s.l.ID)}
	}
	prev := s.l.Feedback
	f := ev.Feedback
	f.By, f.At = ev.Actor, at
	s.l.Feedback = f
	s.record(at, ev.Actor, lead.FieldFeedback, feedbackKey(prev), feedbackKey(f), "M5", f.Comment)
	if f.Opportunity == lead.OutcomeYes && s.l.Handoff != lead.HandoffAccepted {
		s.record(at, ev.Actor, lead.FieldHandoff, s.l.Handoff.String(), lead.HandoffAccepted.String(), "M5",
			"confirmed opportunity continues through the hand-off (M10)")
		s.l.Handoff = lead.HandoffAccepted
		if s.l.HandedTo == "" {
			s.l.HandedTo = s.l.Owner
		}
		if s.l.HandedBy != "" {
			s.notify(NoteAccepted, s.l.HandedBy, "M5", time.Time{}, 0, ev.Actor)
		}
	}
	return nil
}

// feedbackKey writes feedback as history's from and to:
// "target=yes state=in_progress opportunity=yes".
func feedbackKey(f lead.Feedback) string {
	if f.At.IsZero() && !f.Target {
		return ""
	}
	t := "no"
	if f.Target {
		t = "yes"
	}
	return fmt.Sprintf("target=%s state=%v opportunity=%s", t, f.State, orDash(f.Opportunity.String()))
}

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
