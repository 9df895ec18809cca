package leadline

import (
	"fmt"
	"slices"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

// This file is the functional core: the rules of SPEC sections 1-3
// applied to one lead. A step reads no clock, store or global; it is
// given the lead, the event or the instant, the policy, and a chooser for
// owners, and it produces the new lead, its history and its
// notifications. The engine (engine.go) loads, calls and saves.

// The step asks its liveChooser (engine.go) the questions it cannot
// answer from the lead: who takes it next (M9), who manages a rep, who is
// on the field team. The chooser reads the roster and the store's
// round-robin sequence; everything else a step needs is in its fields. It
// is a value inside the step, not an interface or a pointer, so that it
// lives on the stack of Handle and Sweep and costs no allocation.

// step is one application of the rules to one lead.
type step struct {
	pol *Policy
	who liveChooser
	// now is the engine's instant: when notifications are raised.
	now time.Time
	// cause is the event id or the deadline key behind the current change;
	// it makes history traceable and notification keys stable (E4).
	cause string
	// camp is the campaign of a response event, loaded by the engine.
	camp  *routing.Campaign
	l     lead.Lead
	sc    *scratch // the pooled buffers behind hist and notes, if any
	hist  []lead.Change
	notes []Notification
	fired int
}

// event applies ev at instant at to s.l (rules A1-A6, S1-S5, T2-T6, T9).
// exists says whether s.l was loaded; for a created event it is the new
// lead. A returned error is a *FieldError and s must be discarded.
func (s *step) event(ev *lead.Event, at time.Time, exists bool) error {
	s.cause = ev.ID
	if ev.Kind == lead.EventCreated {
		if exists {
			return &FieldError{Field: "lead", Err: fmt.Errorf("lead %q: %w", ev.Lead, ErrExists)}
		}
		return s.created(ev, at)
	}
	if !exists {
		return &FieldError{Field: "lead", Err: fmt.Errorf("no lead %q: %w", ev.Lead, ErrNotFound)}
	}
	switch ev.Kind {
	case lead.EventScoreChanged:
		s.l.Score = ev.Score
	case lead.EventInquiry, lead.EventDownload:
		return s.trigger(ev, at)
	case lead.EventOutbound:
		return s.outbound(ev, at)
	case lead.EventContact:
		s.contact(ev, at)
	case lead.EventStatusSet:
		return s.statusSet(ev, at)
	case lead.EventResponse:
		return s.response(ev, s.camp, at)
	case lead.EventBANT:
		s.bant(ev, at)
	case lead.EventHandoff:
		return s.handoff(ev, at)
	case lead.EventAccept:
		return s.accept(ev, at)
	case lead.EventReject:
		return s.reject(ev, at)
	case lead.EventFeedback:
		return s.feedback(ev, at)
	}
	return nil
}

func (s *step) created(ev *lead.Event, at time.Time) error {
	s.l = lead.Lead{ID: ev.Lead, Profile: ev.Profile, Score: ev.Score, Created: at}
	s.record(at, ev.Actor, lead.FieldLead, "", lead.StatusNew.Key(), "", ev.Profile.Source) // the reason is the lead source
	if ev.Owner != "" {
		s.setOwner(at, ev.Owner, "M9", "account owner")
		s.l.AccountOwned = true
		return nil
	}
	rep, err := s.who.owner(nil)
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
func (s *step) trigger(ev *lead.Event, at time.Time) error {
	a := &s.l.Activity
	if ev.Kind == lead.EventInquiry {
		a.Inquiries++
	} else {
		a.Downloads++
	}
	a.Last = at
	if ev.Topic != "" {
		a.LastTopic = ev.Topic
	}
	if s.l.Desk == lead.DeskField {
		s.notify(NoteActivity, s.l.Owner, "M4", time.Time{}, 0, ev.Kind.String()+" "+orDash(ev.Topic))
		return nil
	}
	return s.request(ev.Kind, at)
}

// request is the approach-request path: A1-A3 by the policy's table (A7)
// for an activity of kind, suppressed on protected statuses (S5),
// re-engaging a recycled lead (A5), merged into an outstanding request
// (A6).
func (s *step) request(kind lead.EventKind, at time.Time) error {
	row, ok := s.pol.Triggers.Match(kind, s.l.Score)
	if !ok {
		return nil
	}
	req := &s.l.Request
	switch {
	case s.l.Status.Protected():
		s.record(at, lead.ActorEngine, lead.FieldRequest, req.State.String(), req.State.String(), "S5",
			fmt.Sprintf("%s trigger suppressed: status is %v", row.Rule, s.l.Status))
	case req.Outstanding():
		if !req.Reasons.Has(row.Rule) {
			req.Reasons = req.Reasons.Add(row.Rule)
			req.Subject += "; " + row.Subject
		}
		req.Priority = min(req.Priority, row.Priority)
		s.record(at, lead.ActorEngine, lead.FieldRequest, req.State.String(), req.State.String(), "A6",
			fmt.Sprintf("%s recorded on the outstanding request; priority %d", row.Rule, req.Priority))
		s.notify(NoteRequestUpdated, s.l.Owner, "A6", req.Due, req.Priority, row.Subject)
	default:
		rule := row.Rule
		if s.l.Status == lead.StatusRecycled {
			s.setStatus(at, lead.ActorEngine, lead.StatusLead, "A5", "re-engaged by "+row.Rule)
			rule = "A5"
		}
		if !s.l.Track.Active() {
			if err := s.staff(at); err != nil {
				return err
			}
			from := s.l.Track.Stage
			if err := s.pol.Cadence.Begin(&s.l.Track, at); err != nil {
				return err
			}
			s.l.Passed = nil
			s.record(at, lead.ActorEngine, lead.FieldStage, from.Key(), stage.Untouched.Key(), rule, "new cadence")
		}
		from := req.State
		due := s.pol.Cadence.Add(at, s.pol.RequestWindow)
		if s.l.Track.Stage == stage.Untouched {
			due = s.time(s.l.Track.Due) // the request is the cadence's T1 window
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
		s.notify(NoteApproachRequest, s.l.Owner, rule, due, row.Priority, row.Subject)
	}
	return nil
}

// staff makes sure a cadence about to start has an owner who can work it
// (M9): a lead with no owner, or whose round-robin owner is now out of
// office or at capacity, goes to the next eligible rep. An account owner
// keeps the lead whatever their load: account ownership wins (M9). When
// nobody else is eligible the lead stays where it is; T1 will move it if
// it is not worked.
func (s *step) staff(at time.Time) error {
	if s.l.Owner != "" {
		if s.l.AccountOwned {
			return nil
		}
		ok, err := s.who.available(s.l.Owner)
		if err != nil || ok {
			return err
		}
	}
	var exclude []string
	if s.l.Owner != "" {
		exclude = []string{s.l.Owner}
	}
	rep, err := s.who.owner(exclude)
	if err != nil || rep == "" {
		return err
	}
	why := "round robin"
	if s.l.Owner != "" {
		why = "round robin: " + s.l.Owner + " is away or at capacity"
	}
	s.setOwner(at, rep, "M9", why)
	return nil
}

// attemptOverdue is the history reason of a missed deadline by the stage
// it was for; the instant is in the change's Event, the deadline's key.
var attemptOverdue = [8]string{stage.Stage1: "Stage1 attempt overdue", stage.Stage2: "Stage2 attempt overdue",
	stage.Stage3: "Stage3 attempt overdue", stage.Stage4: "Stage4 attempt overdue"}

// attemptBy is the history reason of an attempt by each set of channels,
// built once so that recording an attempt formats nothing.
var attemptBy = func() (a [16]string) {
	for c := range a {
		a[c] = "attempt by " + stage.Channels(c).String()
	}
	return a
}()

var stageRules = [...]string{stage.Stage1: "T2", stage.Stage2: "T3", stage.Stage3: "T4", stage.Stage4: "T5"}

// outbound applies an outbound attempt (T2-T5, T9). On a protected lead
// with no running cadence the attempt is recorded but starts none: a call
// to a customer or a partner is account work, not an inside-sales cadence
// with deadlines and alerts (S5).
func (s *step) outbound(ev *lead.Event, at time.Time) error {
	prev := s.l.Track
	if s.l.Status.Protected() && !prev.Active() && prev.Stage != stage.Connected {
		s.record(at, ev.Actor, lead.FieldStage, prev.Stage.Key(), prev.Stage.Key(), "S5",
			"attempt by "+ev.Channels.String()+" recorded; "+s.l.Status.String()+" leads get no cadence")
		return nil
	}
	eff, err := s.pol.Cadence.Attempt(&s.l.Track, at)
	if err != nil {
		return err
	}
	tr := &s.l.Track
	if tr.Cadence != prev.Cadence {
		s.l.Passed = nil
	}
	rule, why := stageRules[tr.Stage], attemptBy[ev.Channels&0xf]
	switch {
	case eff.Has(stage.Late):
		rule, why = "T9", why+"; late, due "+s.stamp(prev.Due.Time())
	case tr.Stage == prev.Stage:
		why += "; Stage4 is the last stage, nothing advances"
	}
	s.record(at, ev.Actor, lead.FieldStage, prev.Stage.Key(), tr.Stage.Key(), rule, why)
	s.closeRequest(at, ev.Actor, lead.RequestDone, "A4", "approach recorded")
	return nil
}

func (s *step) contact(ev *lead.Event, at time.Time) {
	prev := s.l.Track.Stage
	s.pol.Cadence.Contact(&s.l.Track, at)
	if prev != stage.Connected {
		why := "two-way contact"
		if ev.Channels != 0 {
			why += " by " + ev.Channels.String()
		}
		s.record(at, ev.Actor, lead.FieldStage, prev.Key(), stage.Connected.Key(), "T6", why)
	}
	s.closeRequest(at, ev.Actor, lead.RequestDone, "T6", "contact made")
}

// statusSet applies a person's decision (S1, S4). Taking a lead out of
// inside sales' hands, to Recycled or a protected status, stops its
// cadence and cancels its request: nobody is to be reminded about a lead
// marketing nurtures or a competitor.
func (s *step) statusSet(ev *lead.Event, at time.Time) error {
	if err := lead.PersonTransition(s.l.Status, ev.Status); err != nil {
		return err
	}
	if ev.Status == s.l.Status {
		return nil
	}
	s.setStatus(at, ev.Actor, ev.Status, "S1", ev.Reason)
	if !ev.Status.Protected() && ev.Status != lead.StatusRecycled {
		return nil
	}
	rule := "S4"
	if ev.Status.Protected() {
		rule = "S5"
	}
	why := "status set to " + ev.Status.String()
	if s.l.Track.Active() {
		st := s.l.Track.Stage
		s.pol.Cadence.Stop(&s.l.Track, at)
		s.record(at, ev.Actor, lead.FieldStage, st.Key(), st.Key(), rule, "cadence stopped: "+why)
	}
	s.closeRequest(at, ev.Actor, lead.RequestCancelled, rule, why)
	return nil
}

// fire fires the lead's pending deadlines that passed before at and are
// due no later than upTo, in due order (E5), as of instant at.
func (s *step) fire(at, upTo time.Time) error {
	var buf [2]lead.Deadline
	// A lead has at most two pending deadlines; firing one may create
	// another (a T1 reassignment), always after at. The bound only guards
	// against a calendar that returns its input.
	for range 8 {
		ds := s.l.Deadlines(buf[:0])
		if len(ds) == 0 || !ds[0].Due.Before(at) || ds[0].Due.After(upTo) {
			return nil
		}
		if err := s.fireOne(ds[0], at); err != nil {
			return err
		}
		s.fired++
	}
	return nil
}

func (s *step) fireOne(d lead.Deadline, at time.Time) error {
	s.cause = d.Key()
	d.Due = d.Due.In(s.now.Location())
	owner := s.l.Owner
	if d.Kind == lead.DeadlineRequest {
		s.setRequestState(at, lead.RequestOverdue, "A4", "due date passed with no approach")
		s.notify(NoteReminder, owner, "A4", d.Due, s.l.Request.Priority, "")
		return s.alertManager(owner, "A4", d.Due)
	}
	tr := &s.l.Track
	from := tr.Stage
	eff := s.pol.Cadence.Expire(tr, at)
	switch {
	case eff == 0:
		return nil
	case eff.Has(stage.Recycle):
		return s.recycle(at)
	}
	rule, what := "T8", attemptOverdue[(from+1)&7]
	if from == stage.Untouched {
		rule = "T1"
		s.setRequestState(at, lead.RequestOverdue, "A4", "due date passed with no approach")
	}
	s.record(at, lead.ActorEngine, lead.FieldStage, from.Key(), from.Key(), rule, what)
	s.notify(NoteReminder, owner, rule, d.Due, 0, "")
	if err := s.alertManager(owner, rule, d.Due); err != nil {
		return err
	}
	switch {
	case eff.Has(stage.Reassign):
		return s.reassign(at)
	case eff.Has(stage.Escalate):
		return s.escalate(at)
	}
	return nil
}

func (s *step) alertManager(owner, rule string, due time.Time) error {
	mgr, err := s.who.manager(owner)
	if err != nil {
		return err
	}
	s.notify(NoteManagerAlert, mgr, rule, due, s.l.Request.Priority, owner)
	return nil
}

// reassign hands an untouched lead to another inside rep with a fresh
// window (T1, T10), never back to a rep it was taken from while another
// is eligible, and to the manager when nobody else is.
func (s *step) reassign(at time.Time) error {
	old := s.l.Owner
	exclude := append(slices.Clone(s.l.Passed), old)
	rep, err := s.who.owner(exclude)
	if err == nil && rep == "" && len(s.l.Passed) > 0 {
		rep, err = s.who.owner([]string{old})
	}
	if err != nil {
		return err
	}
	if rep == "" || rep == old {
		return s.escalate(at)
	}
	if old != "" {
		s.l.Passed = append(s.l.Passed, old)
	}
	s.setOwner(at, rep, "T1", "untouched past the Stage1 window")
	s.l.AccountOwned = false
	if err := s.pol.Cadence.Reassigned(&s.l.Track, at); err != nil {
		return err
	}
	due := s.time(s.l.Track.Due)
	if s.l.Request.Outstanding() {
		s.l.Request.Due = due
		s.setRequestState(at, lead.RequestOpen, "T10", "fresh window for the new owner, due "+s.stamp(due))
	}
	s.notify(NoteReassigned, rep, "T1", due, s.l.Request.Priority, old)
	return nil
}

// escalate hands an untouched lead to its owner's manager instead of
// looping (T10). The lead keeps no deadline: the manager decides.
func (s *step) escalate(at time.Time) error {
	old := s.l.Owner
	mgr, err := s.who.manager(old)
	if err != nil || mgr == "" || mgr == old {
		return err
	}
	s.setOwner(at, mgr, "T10", fmt.Sprintf("untouched after %d reassignments", s.l.Track.Reassignments))
	s.l.AccountOwned = false
	s.notify(NoteEscalated, mgr, "T10", s.time(s.l.Track.Due), s.l.Request.Priority, old)
	return nil
}

// recycle ends an exhausted cadence: the lead goes back to marketing
// (T7, S3) unless its status is protected (S5).
func (s *step) recycle(at time.Time) error {
	s.record(at, lead.ActorEngine, lead.FieldStage, stage.Stage4.Key(), stage.Stage4.Key(), "T7", "cadence exhausted: no contact after Stage4")
	if err := lead.AutoTransition(s.l.Status, lead.StatusRecycled); err == nil {
		s.setStatus(at, lead.ActorEngine, lead.StatusRecycled, "T7", "no contact after the Stage4 attempt (S3)")
	} else if s.l.Status.Protected() {
		s.record(at, lead.ActorEngine, lead.FieldStatus, s.l.Status.Key(), s.l.Status.Key(), "S5", "protected status is not recycled")
	}
	s.closeRequest(at, lead.ActorEngine, lead.RequestCancelled, "T7", "cadence exhausted")
	s.notify(NoteRecycled, s.l.Owner, "T7", s.time(s.l.Track.Ended), 0, "")
	return nil
}

func (s *step) setOwner(at time.Time, rep, rule, why string) {
	s.record(at, lead.ActorEngine, lead.FieldOwner, s.l.Owner, rep, rule, why)
	s.l.Owner = rep
}

func (s *step) setStatus(at time.Time, actor string, to lead.Status, rule, why string) {
	s.record(at, actor, lead.FieldStatus, s.l.Status.Key(), to.Key(), rule, why)
	s.l.Status = to
}

func (s *step) setRequestState(at time.Time, to lead.RequestState, rule, why string) {
	from := s.l.Request.State
	if from == to {
		return
	}
	s.l.Request.State = to
	s.record(at, lead.ActorEngine, lead.FieldRequest, from.String(), to.String(), rule, why)
}

// closeRequest ends an outstanding request as done or cancelled.
func (s *step) closeRequest(at time.Time, actor string, to lead.RequestState, rule, why string) {
	req := &s.l.Request
	if !req.Outstanding() {
		return
	}
	s.record(at, actor, lead.FieldRequest, req.State.String(), to.String(), rule, why)
	req.State = to
	req.Closed = at
}

func (s *step) record(at time.Time, actor string, f lead.Field, from, to, rule, why string) {
	if s.hist == nil {
		s.hist = make([]lead.Change, 0, 4) // most steps write one to four
	}
	s.hist = append(s.hist, lead.Change{
		Lead: s.l.ID, At: at, Actor: actor, Event: s.cause,
		Field: f, From: from, To: to, Rule: rule, Reason: why,
	})
	if at.After(s.l.Updated) {
		s.l.Updated = at
	}
}

func (s *step) notify(kind NotificationKind, to, rule string, due time.Time, priority int, detail string) {
	if s.notes == nil {
		s.notes = make([]Notification, 0, 2) // an owner and a manager
	}
	s.notes = append(s.notes, Notification{
		Key:  s.cause + "/" + kind.String() + "/" + to,
		Kind: kind, Lead: s.l.ID, To: to, Rule: rule,
		At: s.now, Due: due, Stage: s.l.Track.Stage, Priority: priority, Detail: detail,
	})
}

// time returns a track instant as a time.Time in the zone of the
// engine's clock, as every other instant the engine writes.
func (s *step) time(i stage.Instant) time.Time {
	if i.IsZero() {
		return time.Time{}
	}
	return i.Time().In(s.now.Location())
}

// stamp formats an instant for a subject line in the zone of the
// engine's clock, so that subjects read in the team's time whatever zone
// the instant was stored in.
func (s *step) stamp(t time.Time) string {
	return t.In(s.now.Location()).Format("2006-01-02 15:04 MST")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
