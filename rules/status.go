package rules

import (
	"time"

	"github.com/leadline/leadline/lead"
)

// This file holds rules S1-S5: a person's status decisions as the engine applies them.

// statusSet applies a person's decision (S1, S4). Taking a lead out of
// inside sales' hands, to Recycled or a protected status, stops its
// cadence and cancels its request: nobody is to be reminded about a lead
// marketing nurtures or a competitor.
func (s *Step) statusSet(ev *lead.Event, at time.Time) error {
	if err := lead.PersonTransition(s.Lead.Status, ev.Status); err != nil {
		return err
	}
	if ev.Status == s.Lead.Status {
		return nil
	}
	s.setStatus(at, ev.Actor, ev.Status, "S1", why(rStatusSet, ev.Reason))
	if !ev.Status.Protected() && ev.Status != lead.StatusRecycled {
		return nil
	}
	rule := "S4"
	if ev.Status.Protected() {
		rule = "S5"
	}
	if s.Lead.Track.Active() {
		st := s.Lead.Track.Stage
		s.Policy.Cadence.Stop(&s.Lead.Track, at)
		s.record(at, ev.Actor, lead.FieldStage, st.Key(), st.Key(), rule, why(rCadenceStoppedStatus, ev.Status.String()))
	}
	s.closeRequest(at, ev.Actor, lead.RequestCancelled, rule, why(rStatusSetTo, ev.Status.String()))
	return nil
}
