package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

// This file holds rules T1-T10: the touch cadence, its deadlines, reassignment, escalation and recycling.

// attemptBy is the history reason of an attempt by each set of channels
// (T2-T5), built once from the catalogue so that recording an attempt
// formats nothing.
var attemptBy = func() (a [16]string) {
	for c := range a {
		a[c] = why(rAttempt, stage.Channels(c).String())
	}
	return a
}()

// channelText is each set of channels as history writes it, "call,email",
// built once for the same reason.
var channelText = func() (a [16]string) {
	for c := range a {
		a[c] = stage.Channels(c).String()
	}
	return a
}()

var stageRules = [...]string{stage.Stage1: "T2", stage.Stage2: "T3", stage.Stage3: "T4", stage.Stage4: "T5"}

// outbound applies an outbound attempt (T2-T5, T9). On a protected lead
// with no running cadence the attempt is recorded but starts none: a call
// to a customer or a partner is account work, not an inside-sales cadence
// with deadlines and alerts (S5).
func (s *Step) outbound(ev *lead.Event, at time.Time) error {
	// Who made it first: a name the roster does not know is refused
	// whatever the lead's status (T2, E6).
	if err := s.knownActor(ev.Actor); err != nil {
		return err
	}
	prev := s.Lead.Track
	if s.Lead.Status.Protected() && !prev.Active() && prev.Stage != stage.Connected {
		s.record(at, ev.Actor, lead.FieldStage, prev.Stage.Key(), prev.Stage.Key(), "S5",
			why(rAttemptProtected, ev.Channels.String(), s.Lead.Status.String()))
		return nil
	}
	eff, err := s.Policy.Cadence.Attempt(&s.Lead.Track, at)
	if err != nil {
		return err
	}
	tr := &s.Lead.Track
	if tr.Cadence != prev.Cadence {
		s.Lead.Passed = nil
	}
	rule, reason := stageRules[tr.Stage], attemptBy[ev.Channels&0xf]
	switch {
	case eff.Has(stage.Late):
		rule, reason = "T9", why(rAttemptLate, channelText[ev.Channels&0xf], s.stamp(prev.Due.Time()))
	case tr.Stage == prev.Stage:
		reason = why(rAttemptLastStage, channelText[ev.Channels&0xf])
	}
	s.record(at, ev.Actor, lead.FieldStage, prev.Stage.Key(), tr.Stage.Key(), rule, reason)
	s.closeRequest(at, ev.Actor, lead.RequestDone, "A4", why(rApproachRecorded))
	return nil
}

// knownActor checks who made an outbound attempt (T2-T5, E9): the
// owner, a member of the inside or field team (a colleague covering), or
// the owner's manager. Anyone else is refused with a FieldError for
// "actor": a name the roster does not know advancing a cadence is almost
// always an integration's mapping error, and the attempt would count for
// nobody. With no roster at all the engine cannot tell, and accepts.
func (s *Step) knownActor(actor string) error {
	if actor == s.Lead.Owner {
		return nil
	}
	for _, role := range [...]routing.Role{routing.RoleInside, routing.RoleField} {
		ok, err := s.Staff.Member(role, actor)
		if err != nil || ok {
			return err
		}
	}
	mgr, err := s.Staff.Manager(s.Lead.Owner)
	if err != nil || mgr == "" || mgr == actor {
		return err
	}
	return &leaderr.FieldError{Field: "actor", Err: fmt.Errorf("%w: %q is neither the owner (%s), on the roster, nor the owner's manager; an attempt counts for the rep who made it", leaderr.ErrInvalidTransition, actor, orNobody(s.Lead.Owner))}
}

func (s *Step) contact(ev *lead.Event, at time.Time) {
	prev := s.Lead.Track.Stage
	s.Policy.Cadence.Contact(&s.Lead.Track, at)
	if prev != stage.Connected {
		reason := why(rContact)
		if ev.Channels != 0 {
			reason = why(rContactBy, ev.Channels.String())
		}
		s.record(at, ev.Actor, lead.FieldStage, prev.Key(), stage.Connected.Key(), "T6", reason)
	}
	s.closeRequest(at, ev.Actor, lead.RequestDone, "T6", why(rContactMade))
}

// overdue is the history reason of a missed deadline for stage next, due
// at due, with the window that set it (T1, T8, T11): "Stage1 attempt
// overdue: no attempt within 48h, due 2026-12-09 10:00 JST".
func (s *Step) overdue(next stage.Stage, due time.Time) string {
	return why(rAttemptOverdue, next.String(), s.window(s.Policy.Cadence.Window(next)), s.stamp(due))
}

// window words a policy's duration as the cadence counts it (T11): "48h"
// on the wall clock, "48h of working time" on a business calendar.
func (s *Step) window(d time.Duration) string {
	h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
	var w string
	switch {
	case d%time.Minute != 0:
		w = d.String()
	default:
		// "48h", "30m", "1h30m", as %dh%dm would write them, in one
		// allocation: a sweep words a window for every deadline.
		var buf [48]byte
		b := buf[:0]
		if h != 0 || m == 0 {
			b = append(strconv.AppendInt(b, h, 10), 'h')
		}
		if m != 0 {
			b = append(strconv.AppendInt(b, m, 10), 'm')
		}
		w = string(b)
	}
	switch s.Policy.Cadence.Calendar.(type) {
	case nil, stage.WallClock:
		return w
	}
	return w + " of working time"
}

// fire fires the lead's pending deadlines that passed before at and are
// due no later than upTo, in due order (E5), as of instant at.
func (s *Step) fire(at, upTo time.Time) error {
	var buf [2]lead.Deadline
	// A lead has at most two pending deadlines; firing one may create
	// another (a T1 reassignment), always after at. The bound only guards
	// against a calendar that returns its input.
	for range 8 {
		ds := s.Lead.Deadlines(buf[:0])
		if len(ds) == 0 || !ds[0].Due.Before(at) || ds[0].Due.After(upTo) {
			return nil
		}
		if err := s.fireOne(ds[0], at); err != nil {
			return err
		}
		s.Fired++
		s.Expired = append(s.Expired, ds[0])
	}
	return nil
}

func (s *Step) fireOne(d lead.Deadline, at time.Time) error {
	s.cause, s.byEvent = FiringKey(d, &s.Lead), false
	d.Due = d.Due.In(s.Now.Location())
	owner := s.Lead.Owner
	if d.Kind == lead.DeadlineRequest {
		s.setRequestState(at, lead.RequestOverdue, "A4", why(rRequestOverdue))
		s.notify(NoteReminder, owner, "A4", d.Due, s.Lead.Request.Priority, "")
		return s.alertManager(owner, "A4", d.Due)
	}
	tr := &s.Lead.Track
	from := tr.Stage
	// The deadline lapses as of at; the windows its firing opens (a
	// repeat's interval, a new owner's window) run from s.Now, when the
	// engine found it and the notifications go out (T10, T13, E5).
	eff := s.Policy.Cadence.Lapse(tr, at, s.Now)
	switch {
	case eff == 0:
		return nil
	case eff.Has(stage.Recycle):
		return s.recycle(at)
	}
	rule, what := "T8", s.overdue(from+1, d.Due)
	switch {
	case eff.Has(stage.Repeat):
		rule = "T13"
		what = why(rAttemptReminder, (from + 1).String(), s.window(s.Policy.Cadence.Window(from+1)), s.stamp(d.Due),
			strconv.Itoa(int(tr.Nags)), strconv.Itoa(s.Policy.Cadence.Repeats), s.window(s.Policy.Cadence.RepeatInterval(from+1)))
		if !eff.Has(stage.RemindOwner) {
			what = why(rAttemptHandedOn, (from + 1).String())
		}
	case from == stage.Untouched:
		rule = "T1"
		s.setRequestState(at, lead.RequestOverdue, "A4", why(rRequestOverdue))
	}
	s.record(at, lead.ActorEngine, lead.FieldStage, from.Key(), from.Key(), rule, what)
	if eff.Has(stage.RemindOwner) {
		due := d.Due
		if eff.Has(stage.Repeat) {
			due = s.time(tr.Due) // a repeat is about the step's own deadline, missed since then (T13)
		}
		s.notify(NoteReminder, owner, rule, due, 0, "")
		if err := s.alertManager(owner, rule, due); err != nil {
			return err
		}
	}
	switch {
	case eff.Has(stage.Reassign):
		return s.reassign(at, rule)
	case eff.Has(stage.Escalate):
		return s.escalate(at, rule)
	}
	return nil
}

func (s *Step) alertManager(owner, rule string, due time.Time) error {
	mgr, err := s.Staff.Manager(owner)
	if err != nil {
		return err
	}
	if mgr == owner && owner != "" {
		return nil // the manager holds the lead (T10) and was reminded
	}
	s.notify(NoteManagerAlert, mgr, rule, due, s.Lead.Request.Priority, owner)
	return nil
}

// reassign hands an untouched lead to another inside rep with a fresh
// window (T1, T10), never back to a rep it was taken from while another
// is eligible, and to the manager when nobody else is.
func (s *Step) reassign(at time.Time, rule string) error {
	old := s.Lead.Owner
	exclude := append(slices.Clone(s.Lead.Passed), old)
	rep, err := s.Staff.Next(routing.RoleInside, exclude)
	if err == nil && rep == "" && len(s.Lead.Passed) > 0 {
		rep, err = s.Staff.Next(routing.RoleInside, []string{old})
	}
	if err != nil {
		return err
	}
	if rep == "" || rep == old {
		return s.escalate(at, rule)
	}
	if old != "" {
		s.Lead.Passed = append(s.Lead.Passed, old)
	}
	reason := why(rReassigned, s.window(s.Policy.Cadence.Window(stage.Stage1)), strings.Join(exclude, ", "))
	if rule == "T13" {
		reason = why(rReassignedAfterReminders, (s.Lead.Track.Stage + 1).String(), strings.Join(exclude, ", "))
	}
	s.setOwner(at, rep, rule, reason)
	s.Lead.AccountOwned = false
	due, err := s.freshWindow(at)
	if err != nil {
		return err
	}
	s.notify(NoteReassigned, rep, rule, due, s.Lead.Request.Priority, old)
	return nil
}

// freshWindow gives the lead's new owner a fresh window for the step it
// waits for, and an outstanding request the same due date (T10, T13).
func (s *Step) freshWindow(at time.Time) (time.Time, error) {
	if err := s.Policy.Cadence.Reassigned(&s.Lead.Track, s.Now); err != nil {
		return time.Time{}, err
	}
	due := s.time(s.Lead.Track.Due)
	if s.Lead.Request.Outstanding() {
		s.Lead.Request.Due = due
		s.setRequestState(at, lead.RequestOpen, "T10", why(rFreshWindow, s.stamp(due)))
	}
	return due, nil
}

// escalate hands an untouched lead to its owner's manager instead of
// looping (T10). The lead keeps no deadline: the manager decides.
func (s *Step) escalate(at time.Time, rule string) error {
	old := s.Lead.Owner
	mgr, err := s.Staff.Manager(old)
	if err != nil {
		return err
	}
	if mgr != "" && mgr != old {
		s.setOwner(at, mgr, "T10", why(rEscalated, strconv.Itoa(int(s.Lead.Track.Reassignments)), rule, orDash(old)))
		s.Lead.AccountOwned = false
	}
	// The manager, or an owner nobody can take the lead from, gets a fresh
	// window too: a running cadence always has a deadline, so the lead is
	// never forgotten (T13).
	due, err := s.freshWindow(at)
	if err != nil {
		return err
	}
	if mgr != "" && mgr != old {
		s.notify(NoteEscalated, mgr, "T10", due, s.Lead.Request.Priority, old)
	}
	return nil
}

// recycle ends an exhausted cadence: the lead goes back to marketing
// (T7, S3) unless its status is protected (S5).
func (s *Step) recycle(at time.Time) error {
	s.record(at, lead.ActorEngine, lead.FieldStage, stage.Stage4.Key(), stage.Stage4.Key(), "T7", why(rCadenceExhaustedStage))
	if err := lead.AutoTransition(s.Lead.Status, lead.StatusRecycled); err == nil {
		s.setStatus(at, lead.ActorEngine, lead.StatusRecycled, "T7", why(rRecycled))
	} else if s.Lead.Status.Protected() {
		s.record(at, lead.ActorEngine, lead.FieldStatus, s.Lead.Status.Key(), s.Lead.Status.Key(), "S5", why(rProtectedNotRecycled))
	}
	s.closeRequest(at, lead.ActorEngine, lead.RequestCancelled, "T7", why(rCadenceExhausted))
	s.notify(NoteRecycled, s.Lead.Owner, "T7", s.time(s.Lead.Track.Ended), 0, "")
	return nil
}
