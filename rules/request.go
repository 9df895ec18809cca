package rules

import (
	"fmt"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

// This file holds rules A1-A8, M9 at the start of a cadence: approach requests.

func (s *Step) created(ev *lead.Event, at time.Time) error {
	s.Lead = lead.Lead{ID: ev.Lead, Profile: ev.Profile, Score: ev.Score, Created: at}
	s.record(at, ev.Actor, lead.FieldLead, "", lead.StatusNew.Key(), "", ev.Profile.Source) // the reason is the lead source
	if ev.Owner != "" {
		s.setOwner(at, ev.Owner, "M9", "account owner")
		s.Lead.AccountOwned = true
		return nil
	}
	rep, err := s.Staff.Next(routing.RoleInside, nil)
	if err != nil {
		return err
	}
	if rep != "" {
		s.setOwner(at, rep, "M9", "round robin")
	}
	return nil
}

// trigger applies an inquiry or a download. A lead with field sales goes
// on with its field owner, who hears of it (M4); any other takes the
// approach-request path.
func (s *Step) trigger(ev *lead.Event, at time.Time) error {
	a := &s.Lead.Activity
	if ev.Kind == lead.EventInquiry {
		a.Inquiries++
	} else {
		a.Downloads++
	}
	a.Last = at
	if ev.Topic != "" {
		a.LastTopic = ev.Topic
	}
	if s.Lead.Desk == lead.DeskField {
		s.notify(NoteActivity, s.Lead.Owner, "M4", time.Time{}, 0, ev.Kind.String()+" "+orDash(ev.Topic))
		return nil
	}
	return s.request(ev.Kind, at)
}

// request is the approach-request path: A1-A3 by the policy's table (A7)
// for an activity of kind, suppressed on protected statuses (S5),
// re-engaging a recycled lead (A5), merged into an outstanding request
// (A6).
func (s *Step) request(kind lead.EventKind, at time.Time) error {
	row, ok := s.Policy.Triggers.Match(kind, s.Lead.Score)
	if !ok {
		return nil
	}
	req := &s.Lead.Request
	switch {
	case s.Lead.Status.Protected():
		// Recorded as a trigger, not as a request "done -> done": the
		// request did not change, the rule decided (S5, E8).
		s.record(at, lead.ActorEngine, lead.FieldTrigger, "", row.Rule, "S5",
			fmt.Sprintf("suppressed: status is %v", s.Lead.Status))
	case req.Outstanding():
		if !req.Reasons.Has(row.Rule) {
			req.Reasons = req.Reasons.Add(row.Rule)
			req.Subject += "; " + row.Subject
		}
		req.Priority = min(req.Priority, row.Priority)
		// A trigger, not a request "open -> open": the request keeps
		// its state; the entry says which trigger was added to it (E8).
		s.record(at, lead.ActorEngine, lead.FieldTrigger, "", row.Rule, "A6",
			fmt.Sprintf("recorded on the outstanding request; priority %d", req.Priority))
		s.notify(NoteRequestUpdated, s.Lead.Owner, "A6", req.Due, req.Priority, row.Subject)
	default:
		rule := row.Rule
		if s.Lead.Status == lead.StatusRecycled {
			s.setStatus(at, lead.ActorEngine, lead.StatusLead, "A5", "re-engaged by "+row.Rule)
			rule = "A5"
		}
		if !s.Lead.Track.Active() {
			if err := s.staff(at); err != nil {
				return err
			}
			from := s.Lead.Track.Stage
			if err := s.Policy.Cadence.Begin(&s.Lead.Track, at); err != nil {
				return err
			}
			s.Lead.Passed = nil
			s.record(at, lead.ActorEngine, lead.FieldStage, from.Key(), stage.Untouched.Key(), rule, "new cadence")
		}
		from := req.State
		due := s.Policy.Cadence.Add(at, s.Policy.requestWindow())
		if s.Lead.Track.Stage == stage.Untouched {
			due = s.time(s.Lead.Track.Due) // the request is the cadence's T1 window
		}
		*req = lead.Request{
			Seq:      req.Seq + 1,
			State:    lead.RequestOpen,
			Priority: row.Priority,
			Reasons:  lead.RuleIDs(row.Rule),
			Subject:  row.Subject,
			Opened:   at,
			Due:      due,
		}
		s.record(at, lead.ActorEngine, lead.FieldRequest, from.String(), req.State.String(), row.Rule, row.Subject)
		s.notify(NoteApproachRequest, s.Lead.Owner, rule, due, row.Priority, row.Subject)
	}
	return nil
}

// staff makes sure a cadence about to start has an owner who can work it
// (M9): a lead with no owner, or whose round-robin owner is now out of
// office or at capacity, goes to the next eligible rep. An account owner
// keeps the lead whatever their load: account ownership wins (M9). When
// nobody else is eligible the lead stays where it is; T1 will move it if
// it is not worked.
func (s *Step) staff(at time.Time) error {
	if s.Lead.Owner != "" {
		if s.Lead.AccountOwned {
			return nil
		}
		ok, err := s.Staff.Available(s.Lead.Owner)
		if err != nil || ok {
			return err
		}
	}
	var exclude []string
	if s.Lead.Owner != "" {
		exclude = []string{s.Lead.Owner}
	}
	rep, err := s.Staff.Next(routing.RoleInside, exclude)
	if err != nil || rep == "" {
		return err
	}
	why := "round robin"
	if s.Lead.Owner != "" {
		why = "round robin: " + s.Lead.Owner + " is away or at capacity"
	}
	s.setOwner(at, rep, "M9", why)
	return nil
}
