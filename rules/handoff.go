package rules

import (
	"fmt"
	"slices"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
)

// This file holds rules M5, M10: BANT, the hand-off to field sales and field feedback.

// bant records what inside sales learnt (M10).
func (s *Step) bant(ev *lead.Event, at time.Time) {
	from := s.Lead.BANT.Known()
	merged := s.Lead.BANT.Merge(ev.BANT)
	if merged == s.Lead.BANT {
		return // nothing new: no history entry for a change that changed nothing (E8)
	}
	s.Lead.BANT = merged
	s.record(at, ev.Actor, lead.FieldBANT, from.String(), s.Lead.BANT.Known().String(), "M10", why(rBANTRecorded))
}

// handoff hands a qualified lead to field sales as a Pre-SQL (M1, M10):
// the policy's BANT minimum must be known; it goes to the named field rep,
// else the account owner, else field assignment.
func (s *Step) handoff(ev *lead.Event, at time.Time) error {
	switch {
	case s.Lead.Status.Protected():
		return &leaderr.FieldError{Field: "status", Err: fmt.Errorf("%w: a %v lead is not handed to field sales (S5)", leaderr.ErrInvalidTransition, s.Lead.Status)}
	case s.Lead.Handoff == lead.HandoffPreSQL || s.Lead.Handoff == lead.HandoffAccepted:
		return &leaderr.FieldError{Field: "handoff", Err: fmt.Errorf("%w: already handed to %s (%v)", leaderr.ErrInvalidTransition, s.Lead.HandedTo, s.Lead.Handoff)}
	case s.Lead.Desk == lead.DeskField:
		return &leaderr.FieldError{Field: "desk", Err: fmt.Errorf("%w: %s is already with field sales (owner %s)", leaderr.ErrInvalidTransition, s.Lead.ID, orNobody(s.Lead.Owner))}
	}
	need, known := s.Policy.Routing.Handoff, s.Lead.BANT.Known()
	if !known.Has(need) {
		return &leaderr.FieldError{Field: "bant", Err: fmt.Errorf("%w: a hand-off needs %v known, and only %q is (M10)", leaderr.ErrInvalidTransition, need, known)}
	}
	rep := ev.To
	switch {
	case rep != "":
		if ok, err := s.Staff.OnField(rep); err != nil {
			return err
		} else if !ok {
			return &leaderr.FieldError{Field: "to", Err: fmt.Errorf("%q is not a field rep", rep)}
		}
	case s.Lead.AccountOwned && s.Lead.Owner != "":
		if ok, err := s.Staff.OnField(s.Lead.Owner); err != nil {
			return err
		} else if ok {
			rep = s.Lead.Owner
		}
	}
	if rep == "" {
		var err error
		if rep, err = s.Staff.Next(routing.RoleField, nil); err != nil {
			return err
		}
		if rep == "" {
			return &leaderr.FieldError{Field: "to", Err: fmt.Errorf("required: no field rep is available to take the Pre-SQL; name one")}
		}
	}
	s.record(at, ev.Actor, lead.FieldHandoff, s.Lead.Handoff.String(), lead.HandoffPreSQL.String(), "M10",
		why(rPreSQLHanded, rep, known.String()))
	s.Lead.Handoff, s.Lead.HandedBy, s.Lead.HandedTo = lead.HandoffPreSQL, ev.Actor, rep
	s.toField(at, rep, "M10", why(rPreSQLHandedOff, ev.Actor))
	if !s.Lead.Feedback.Target {
		s.Lead.Feedback = lead.Feedback{Target: true, State: lead.NotStarted}
	}
	s.notify(NoteHandoff, rep, "M10", time.Time{}, 0, ev.Actor)
	return nil
}

// answerable checks that ev answers an outstanding Pre-SQL, from the rep
// it was handed to or their manager (M10).
func (s *Step) answerable(ev *lead.Event) error {
	if s.Lead.Handoff != lead.HandoffPreSQL {
		return &leaderr.FieldError{Field: "handoff", Err: fmt.Errorf("%w: %s has no Pre-SQL waiting (it is %v)", leaderr.ErrInvalidTransition, s.Lead.ID, s.Lead.Handoff)}
	}
	if ev.Actor == s.Lead.HandedTo {
		return nil
	}
	mgr, err := s.Staff.Manager(s.Lead.HandedTo)
	if err != nil {
		return err
	}
	if mgr == "" || ev.Actor != mgr {
		return &leaderr.FieldError{Field: "actor", Err: fmt.Errorf("%w: the Pre-SQL was handed to %s; only they or their manager answer it", leaderr.ErrInvalidTransition, s.Lead.HandedTo)}
	}
	return nil
}

// accept makes the Pre-SQL an SQL (M10).
func (s *Step) accept(ev *lead.Event, at time.Time) error {
	if err := s.answerable(ev); err != nil {
		return err
	}
	reason := why(rPreSQLAccepted)
	if ev.Reason != "" {
		reason = why(rPreSQLAcceptedWhy, ev.Reason) // what field sales said, kept as a rejection's is (E9)
	}
	s.record(at, ev.Actor, lead.FieldHandoff, s.Lead.Handoff.String(), lead.HandoffAccepted.String(), "M10", reason)
	s.Lead.Handoff = lead.HandoffAccepted
	if s.Lead.HandedBy != "" {
		s.notify(NoteAccepted, s.Lead.HandedBy, "M10", time.Time{}, 0, ev.Actor)
	}
	return nil
}

// reject sends the Pre-SQL back to the inside rep who handed it, or to
// marketing as Recycled, with the field rep's reason (M10).
func (s *Step) reject(ev *lead.Event, at time.Time) error {
	if err := s.answerable(ev); err != nil {
		return err
	}
	s.record(at, ev.Actor, lead.FieldHandoff, s.Lead.Handoff.String(), lead.HandoffRejected.String(), "M10", why(rPreSQLRejected, ev.Reason))
	s.Lead.Handoff = lead.HandoffRejected
	s.record(at, ev.Actor, lead.FieldRoute, lead.DeskField.String(), lead.DeskInside.String(), "M10", why(rPreSQLRejectedBack, ev.Reason))
	s.Lead.Desk = lead.DeskInside
	if s.Lead.HandedBy != "" && s.Lead.HandedBy != s.Lead.Owner {
		s.setOwner(at, s.Lead.HandedBy, "M10", why(rPreSQLRejectedBack, ev.Reason))
	}
	switch {
	case ev.Status == lead.StatusRecycled && s.Lead.Status != lead.StatusRecycled:
		if err := lead.PersonTransition(s.Lead.Status, ev.Status); err != nil {
			return err
		}
		s.setStatus(at, ev.Actor, lead.StatusRecycled, "M10", why(rRejectedRecycled, ev.Reason))
	case ev.Status == lead.StatusLead && s.Lead.Status == lead.StatusRecycled:
		// Back to inside sales, who work leads in Lead (S2): a recycled
		// lead handed off comes back as marketing's no longer.
		s.setStatus(at, ev.Actor, lead.StatusLead, "M10", why(rRejectedLead, ev.Reason))
	}
	if s.Lead.HandedBy != "" {
		s.noteFree(NoteRejected, s.Lead.HandedBy, "M10", ev.Actor, ev.Reason)
	}
	return nil
}

// feedback records field sales' follow-up of a lead routed to it (M5). A
// confirmed opportunity continues through the normal hand-off: the lead
// becomes an accepted SQL of its field owner (M5, M10).
func (s *Step) feedback(ev *lead.Event, at time.Time) error {
	if err := CheckFeedback(&s.Lead); err != nil {
		return err
	}
	prev := s.Lead.Feedback
	f := ev.Feedback
	if f.Target == prev.Target && f.State == prev.State && f.Opportunity == prev.Opportunity && f.Comment == prev.Comment && !prev.At.IsZero() {
		return nil // the same feedback again: nothing changed (E8)
	}
	f.By, f.At = ev.Actor, at
	s.Lead.Feedback = f
	s.record(at, ev.Actor, lead.FieldFeedback, feedbackKey(prev), feedbackKey(f), "M5", why(rFeedback, f.Comment))
	if f.Opportunity == lead.OutcomeYes && s.Lead.Handoff != lead.HandoffAccepted {
		s.record(at, ev.Actor, lead.FieldHandoff, s.Lead.Handoff.String(), lead.HandoffAccepted.String(), "M5",
			why(rOpportunityConfirmed))
		s.Lead.Handoff = lead.HandoffAccepted
		if s.Lead.HandedTo == "" {
			s.Lead.HandedTo = s.Lead.Owner
		}
		if s.Lead.HandedBy != "" {
			s.notify(NoteAccepted, s.Lead.HandedBy, "M5", time.Time{}, 0, ev.Actor)
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

// FeedbackRows returns the rows of the field feedback sheet (M5) for
// leads, in their order: one per lead with field sales, limited to leads
// that responded to campaign unless it is "". A row's campaign and
// response date are those of the response that brought the lead to field
// sales, else of its latest response of the campaign (a Pre-SQL from a
// no-show).
func FeedbackRows(leads []lead.Lead, campaign string) []routing.FeedbackRow {
	var rows []routing.FeedbackRow
	for _, l := range leads {
		if l.Desk != lead.DeskField {
			continue
		}
		row := routing.FeedbackRow{Lead: l.ID, Company: l.Company, Owner: l.Owner, Feedback: l.Feedback}
		for _, routed := range []bool{true, false} {
			for _, t := range slices.Backward(l.Responses) {
				if (routesOn(t.Kind) || !routed && t.Kind != lead.ResponseListed) && (campaign == "" || t.Campaign == campaign) {
					row.Campaign, row.Responded = t.Campaign, t.At
					break
				}
			}
			if row.Campaign != "" {
				break
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// FeedbackImporter checks that v may import a field feedback sheet (M5):
// feedback is field sales' (or a manager's or ops'), so an inside rep is
// refused with a [*leaderr.FieldError] for "viewer.role". It returns the
// actor the sheet's rows are recorded by.
func FeedbackImporter(v routing.Viewer) (string, error) {
	if v.Role == routing.RoleInside {
		return "", &leaderr.FieldError{Field: "viewer.role", Err: fmt.Errorf("%w: feedback is field sales' (M5)", leaderr.ErrInvalidTransition)}
	}
	return first(v.Rep, v.Role.String()), nil
}

// CheckFeedback reports whether feedback may be recorded on l: only on a
// lead with field sales (M5). The error is a [*leaderr.FieldError] for
// "lead" wrapping [leaderr.ErrInvalidTransition].
func CheckFeedback(l *lead.Lead) error {
	if l.Desk != lead.DeskField {
		return &leaderr.FieldError{Field: "lead", Err: fmt.Errorf("%w: %s is not with field sales; feedback is for leads routed to field (M5)", leaderr.ErrInvalidTransition, l.ID)}
	}
	return nil
}
