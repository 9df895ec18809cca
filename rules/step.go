package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// Step is one application of the rules to one lead: set its inputs, call
// [Step.Event] or [Step.Fire] once, and read its outputs. Several events
// of the lead may be applied in one Step by calling Event for each, in
// order, with exists true after the first one that made the lead: their
// changes and notifications accumulate, to be saved in one write (E9). It reads no
// clock, store or global; what it cannot know from its inputs it asks
// [Staff]. The engine loads the lead, runs a Step and saves Lead,
// History and Notes in one write.
//
// History and Notes are appended to, so a caller may hand in emptied
// buffers of its own to spare allocations; a Step never keeps them after
// it returns. When Event or Fire returns an error the Step's outputs are
// partial and must be discarded.
type Step struct {
	// Policy is the policy the rules read; it must have been through
	// [Policy.Normalize] (the engine's is). Required.
	Policy *Policy
	// Staff answers the questions about people. Required.
	Staff Staff
	// Now is the instant of the application: when deadlines are judged
	// and notifications raised (E1).
	Now time.Time
	// Lead is the lead's state: the stored lead on input (the zero Lead
	// when it does not exist yet), its new state on output.
	Lead lead.Lead
	// History receives the changes made, in order (E3).
	History []lead.Change
	// Notes receives the notifications raised, in order (E4).
	Notes []Notification
	// Fired counts the deadlines that fired.
	Fired int
	// Expired receives the deadlines that fired, in the order they fired
	// (E5): a sweep that claimed a lead's later deadline fires the earlier
	// ones with it, and reports them all. Appended to, as History.
	Expired []lead.Deadline

	// cause is the event id or the deadline firing behind the current
	// change ([FiringKey]); it makes history traceable and notification
	// keys stable. byEvent says which.
	cause   string
	byEvent bool
}

// Event applies ev to s.Lead (rules A1-A8, S1-S5, T2-T9, M1-M10). exists
// says whether s.Lead was loaded from the store; camp is the campaign of
// a response event, and may be nil for any other.
//
// The event counts at its own instant ev.At, clamped between the
// cadence's latest step and s.Now (T9, T11): an attempt made in time but
// reported after its deadline fired is not late, and events reported out
// of order never move a cadence backwards. The lead's deadlines that
// passed before that instant fire first, in order (E5).
//
// A refused event returns a [*leaderr.FieldError] (bad input, E6), or an
// error wrapping [leaderr.ErrNotFound] when the lead does not exist yet
// (E9); a created event for an existing lead is a FieldError for "lead"
// wrapping [leaderr.ErrExists];
// errors from Staff come back as they are.
func (s *Step) Event(ev *lead.Event, exists bool, camp *routing.Campaign) error {
	s.cause, s.byEvent = ev.ID, true
	if ev.Kind == lead.EventCreated {
		if exists {
			return &leaderr.FieldError{Field: "lead", Err: fmt.Errorf("lead %s: %w", ev.Lead, leaderr.ErrExists)}
		}
		return s.created(ev, s.instant(ev.At))
	}
	if !exists {
		return fmt.Errorf("leadline: lead %s: %w", ev.Lead, leaderr.ErrNotFound)
	}
	if ev.Kind == lead.EventResponse && (camp == nil || camp.ID != ev.Campaign) {
		return leaderr.Errorf("campaign", "the campaign %q of a response must be given", ev.Campaign)
	}
	if ev.Kind == lead.EventResponse {
		if err := CheckResponse(camp, ev.Response); err != nil {
			return err
		}
	}
	at := s.instant(ev.At)
	if err := s.fire(at, at); err != nil {
		return err
	}
	s.cause, s.byEvent = ev.ID, true
	if ev.Kind != lead.EventScoreChanged && !ev.Score.IsZero() {
		// A score sent with an activity, as marketing automation sends
		// it with a form fill, applies before the activity's rules (E9).
		if err := s.setScore(at, ev.Actor, ev.Score); err != nil {
			return err
		}
	}
	switch ev.Kind {
	case lead.EventScoreChanged:
		return s.setScore(at, ev.Actor, ev.Score)
	case lead.EventInquiry, lead.EventDownload, lead.EventWebActivity:
		return s.trigger(ev, at)
	case lead.EventProfileUpdated:
		s.profile(ev, at)
	case lead.EventOutbound:
		return s.outbound(ev, at)
	case lead.EventContact:
		s.contact(ev, at)
	case lead.EventStatusSet:
		return s.statusSet(ev, at)
	case lead.EventResponse:
		return s.response(ev, camp, at)
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

// profile replaces the lead's profile with the event's (E9), recording
// which fields changed; a profile that changes nothing writes nothing.
func (s *Step) profile(ev *lead.Event, at time.Time) {
	old, p := s.Lead.Profile, ev.Profile
	var changed []string
	for _, f := range [...]struct {
		name string
		diff bool
	}{
		{"company", old.Company != p.Company}, {"name", old.Name != p.Name}, {"email", old.Email != p.Email},
		{"source", old.Source != p.Source}, {"ma_system", old.MASystem != p.MASystem},
		{"account", old.Account != p.Account}, {"target", old.Target != p.Target},
	} {
		if f.diff {
			changed = append(changed, f.name)
		}
	}
	if len(changed) == 0 {
		return
	}
	s.Lead.Profile = p
	if !p.Target {
		s.Lead.Jump = lead.Jump{} // A8 tracks target accounts only
	}
	s.record(at, first(ev.Actor, lead.ActorMarketing), lead.FieldProfile, "", strings.Join(changed, ","), "E9", why(rProfileUpdated))
}

// instant is when an event's step counts (T9, T11): its own instant to
// the microsecond, no later than s.Now, no earlier than the cadence's
// latest step or the lead's creation.
func (s *Step) instant(at time.Time) time.Time {
	at = at.Truncate(time.Microsecond)
	if at.After(s.Now) {
		at = s.Now
	}
	if last := s.Lead.Track.Last(); at.Before(last) {
		at = last
	}
	if at.Before(s.Lead.Created) {
		at = s.Lead.Created
	}
	return at
}

// Fire fires the lead's pending deadlines that passed before s.Now and
// are due no later than upTo, in due order (T1, T7, T8, A4, E5). A sweep
// that claimed one deadline passes its due instant as upTo, so that it
// fires that deadline and the earlier ones, never a later one it did not
// claim.
func (s *Step) Fire(upTo time.Time) error {
	return s.fire(s.Now, upTo)
}

func (s *Step) record(at time.Time, actor string, f lead.Field, from, to, rule, reason string) {
	if s.History == nil {
		s.History = make([]lead.Change, 0, 4) // most steps write one to four
	}
	s.History = append(s.History, lead.Change{
		Lead: s.Lead.ID, At: at, Actor: actor, Event: s.cause,
		Field: f, From: from, To: to, Rule: rule, Reason: reason,
	})
	if at.After(s.Lead.Updated) {
		s.Lead.Updated = at
	}
}

func (s *Step) notify(kind NotificationKind, to, rule string, due time.Time, priority int, detail string) {
	if s.Notes == nil {
		s.Notes = make([]Notification, 0, 2) // an owner and a manager
	}
	key := s.noteKey(kind, to)
	s.Notes = append(s.Notes, Notification{
		Key:  key,
		Kind: kind, Lead: s.Lead.ID, To: to, Rule: rule,
		At: s.Now, Due: due, Stage: s.Lead.Track.Stage, Priority: priority, Detail: detail,
	})
}

// noteFree notifies as notify does, with free text a person typed kept in
// the notification's Note, out of its text (M2, E10).
func (s *Step) noteFree(kind NotificationKind, to, rule, detail, free string) {
	s.notify(kind, to, rule, time.Time{}, 0, detail)
	s.Notes[len(s.Notes)-1].Note = free
}

func (s *Step) setOwner(at time.Time, rep, rule, reason string) {
	if rep == s.Lead.Owner {
		return
	}
	s.record(at, lead.ActorEngine, lead.FieldOwner, s.Lead.Owner, rep, rule, reason)
	s.Lead.Owner = rep
}

// setScore records a new score with its instant, so that the score at
// any past instant has an answer (E8). A score equal to the one the lead
// has (compared with Equal: 100 and 100.0 are one score) writes nothing.
// The score a lead was created with is not an entry of its own: it is
// the From of the lead's first score entry (or its score, while it has
// none), from its Created instant on.
func (s *Step) setScore(at time.Time, actor string, to decimal.Decimal) error {
	if to.Equal(s.Lead.Score) {
		return nil
	}
	s.record(at, first(actor, lead.ActorMarketing), lead.FieldScore, lead.ScoreKey(s.Lead.Score), lead.ScoreKey(to), "E8", "")
	from := s.Lead.Score
	s.Lead.Score = to
	if s.Lead.Target {
		return s.targetJump(at, from)
	}
	return nil
}

func (s *Step) setStatus(at time.Time, actor string, to lead.Status, rule, reason string) {
	s.record(at, actor, lead.FieldStatus, s.Lead.Status.Key(), to.Key(), rule, reason)
	s.Lead.Status = to
}

func (s *Step) setRequestState(at time.Time, to lead.RequestState, rule, reason string) {
	from := s.Lead.Request.State
	if from == to {
		return
	}
	s.Lead.Request.State = to
	s.record(at, lead.ActorEngine, lead.FieldRequest, from.String(), to.String(), rule, reason)
}

// closeRequest ends an outstanding request as done or cancelled.
func (s *Step) closeRequest(at time.Time, actor string, to lead.RequestState, rule, reason string) {
	req := &s.Lead.Request
	if !req.Outstanding() {
		return
	}
	s.record(at, actor, lead.FieldRequest, req.State.String(), to.String(), rule, reason)
	req.State = to
	req.Closed = at
}

// time returns a track instant as a time.Time in the zone of the
// engine's clock, as every other instant the engine writes.
func (s *Step) time(i stage.Instant) time.Time {
	if i.IsZero() {
		return time.Time{}
	}
	return i.Time().In(s.Now.Location())
}

// stamp formats an instant for a subject line in the zone of the
// engine's clock, so that subjects read in the team's time whatever zone
// the instant was stored in.
func (s *Step) stamp(t time.Time) string {
	return t.In(s.Now.Location()).Format("2006-01-02 15:04 MST")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
