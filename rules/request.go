package rules

import (
	"slices"
	"strconv"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// This file holds rules A1-A8, M9 at the start of a cadence: approach requests.

func (s *Step) created(ev *lead.Event, at time.Time) error {
	s.Lead = lead.Lead{ID: ev.Lead, Profile: ev.Profile, Score: ev.Score, Created: at}
	s.record(at, ev.Actor, lead.FieldLead, "", lead.StatusNew.Key(), "", why(rLeadCreated, ev.Profile.Source)) // the reason is the lead source
	// Only an account owner owns a lead from its creation (M9). Any other
	// lead gets its owner when a trigger or a route decides whose desk it
	// is (M11): round robin over the inside team for inside sales' leads,
	// field assignment for field sales'.
	if ev.Owner != "" {
		s.setOwner(at, ev.Owner, "M9", why(rAccountOwner))
		s.Lead.AccountOwned = true
	}
	return nil
}

// trigger applies an inquiry or a download. A lead with field sales goes
// on with its field owner, who hears of it (M4); any other takes the
// approach-request path.
func (s *Step) trigger(ev *lead.Event, at time.Time) error {
	a := &s.Lead.Activity
	switch ev.Kind {
	case lead.EventInquiry:
		a.Inquiries++
	case lead.EventDownload:
		a.Downloads++
	default:
		a.PageViews++ // web activity feeds the summary (V1) and triggers what the table says: nothing by default
	}
	a.Last = at
	if ev.Topic != "" {
		a.LastTopic = ev.Topic
	}
	if ev.Kind == lead.EventWebActivity {
		// Web activity feeds the summary; it triggers only what a policy
		// row says, and never pings a field rep page by page (E9).
		if _, ok := s.Policy.Triggers.Match(ev.Kind, s.Lead.Score); !ok || s.Lead.Desk == lead.DeskField {
			return nil
		}
	}
	if s.Lead.Desk == lead.DeskField {
		s.noteFree(NoteActivity, s.Lead.Owner, "M4", ev.Kind.String(), ev.Topic)
		return nil
	}
	return s.triggerByModel(ev.Kind, at)
}

// triggerByModel applies M11: the follow-up model decides every trigger,
// not only campaign responses. A lead a field rep invited or met, or whose
// account owner is a field rep, goes to that rep whatever the event (M4).
// Otherwise an inside-first organisation takes the approach-request path
// (A1-A3); a direct or field-only one sends an MQL trigger to field sales:
// the account owner, else field assignment. Below the threshold a direct
// organisation, which has inside sales, takes the request path (A2); a
// field-only one, which has none, leaves the lead to marketing.
func (s *Step) triggerByModel(kind lead.EventKind, at time.Time) error {
	row, ok := s.Policy.Triggers.Match(kind, s.Lead.Score)
	return s.decide(kind, row, ok, at)
}

// decide carries out M11 for a trigger of kind that matched row (ok) in
// the trigger table, or the row of another rule (A8).
func (s *Step) decide(kind lead.EventKind, row *routing.Trigger, ok bool, at time.Time) error {
	if s.Lead.Status.Protected() {
		return s.requestRow(row, ok, at) // suppressed and recorded there (S5)
	}
	rep, reason, err := s.fieldRepOf(kind)
	if err != nil {
		return err
	}
	if rep != "" {
		return s.triggerToField(kind, rep, "M11", reason, at)
	}
	org := s.Policy.Routing.Organisation
	if org == routing.InsideFirst || org == routing.OrgDefault {
		return s.requestRow(row, ok, at)
	}
	mql := s.Policy.Triggers.Threshold.Reached(s.Lead.Score)
	switch {
	case ok && mql:
		return s.triggerToField(kind, "", "M11", why(rToFieldMQL, kind.String(), row.Rule, org.String()), at)
	case org == routing.Direct:
		return s.requestRow(row, ok, at)
	}
	reason = why(rBelowThreshold, kind.String())
	if !ok {
		reason = why(rNoRequestFieldOnly, kind.String())
	}
	s.record(at, lead.ActorEngine, lead.FieldTrigger, "", kind.String(), "M11", reason)
	return nil
}

// targetJump applies rule A8 after a target account's score changed from
// from: the first change of a day remembers from as the day's opening
// score (the end-of-previous-day score); a score at least the policy's
// rise above it makes an approach request at once, once a day at most,
// through the same model and merging rules as any trigger (A6, M11, S5).
// A lead created that day has no previous day's score, and no jump.
func (s *Step) targetJump(at time.Time, from decimal.Decimal) error {
	j, pol := &s.Lead.Jump, &s.Policy.TargetJump
	zone := s.Policy.zone(s.Now)
	day := at.In(zone).Format(time.DateOnly)
	if j.Day != day {
		j.Day, j.Open = day, from
	}
	if pol.Off || j.Fired == day || s.Lead.Created.In(zone).Format(time.DateOnly) == day {
		return nil
	}
	rise := s.Lead.Score.Sub(j.Open)
	if rise.LessThan(pol.Rise) {
		return nil
	}
	j.Fired = day
	row := routing.Trigger{On: lead.EventScoreChanged, Priority: pol.Priority, Rule: "A8",
		Subject: why(rTargetJump, rise.String())}
	return s.decide(lead.EventScoreChanged, &row, true, at)
}

// fieldRepOf returns the field rep a lead belongs to whatever event comes
// next (M4, M11): the field rep who last invited it, else the one who
// last met it, else its account owner when on the field team; and the
// reason a trigger of kind goes to that rep.
func (s *Step) fieldRepOf(kind lead.EventKind) (rep, reason string, err error) {
	for _, resp := range []lead.ResponseKind{lead.ResponseInvited, lead.ResponseMet} {
		for _, t := range slices.Backward(s.Lead.Responses) {
			if t.Kind != resp || t.By == "" {
				continue
			}
			// A member of the field team, strictly: with no field team
			// nobody's invitation makes a trigger field sales'.
			ok, err := s.Staff.Member(routing.RoleField, t.By)
			if err != nil {
				return "", "", err
			}
			if ok {
				return t.By, why(rToFieldRep, kind.String(), t.Kind.String(), t.By, t.Campaign), nil
			}
		}
	}
	if s.Lead.AccountOwned && s.Lead.Owner != "" {
		ok, err := s.Staff.Member(routing.RoleField, s.Lead.Owner)
		if err != nil {
			return "", "", err
		}
		if ok {
			return s.Lead.Owner, why(rToFieldAccountOwner, kind.String(), s.Lead.Owner), nil
		}
	}
	return "", "", nil
}

// triggerToField puts the lead on the field desk with rep, or with field
// assignment when rep is "", for reason, and tells the rep (M4, M11).
func (s *Step) triggerToField(kind lead.EventKind, rep, rule, reason string, at time.Time) error {
	if rep == "" {
		var err error
		if rep, err = s.Staff.Next(routing.RoleField, nil); err != nil {
			return err
		}
	}
	s.toFieldRep(at, rep, rule, reason, kind.String())
	return nil
}

// request is the approach-request path: A1-A3 by the policy's table (A7)
// for an activity of kind, suppressed on protected statuses (S5),
// re-engaging a recycled lead (A5), merged into an outstanding request
// (A6).
func (s *Step) request(kind lead.EventKind, at time.Time) error {
	row, ok := s.Policy.Triggers.Match(kind, s.Lead.Score)
	return s.requestRow(row, ok, at)
}

// requestRow is the approach-request path for a trigger that matched row
// (ok false: it matched none, and makes no request).
func (s *Step) requestRow(row *routing.Trigger, ok bool, at time.Time) error {
	if !ok {
		return nil
	}
	req := &s.Lead.Request
	switch {
	case s.Lead.Status.Protected():
		// Recorded as a trigger, not as a request "done -> done": the
		// request did not change, the rule decided (S5, E8).
		s.record(at, lead.ActorEngine, lead.FieldTrigger, "", row.Rule, "S5",
			why(rSuppressed, s.Lead.Status.String()))
	case req.Outstanding():
		if !req.Reasons.Has(row.Rule) {
			req.Reasons = req.Reasons.Add(row.Rule)
			req.Subject += "; " + row.Subject
		}
		req.Priority = min(req.Priority, row.Priority)
		// A trigger, not a request "open -> open": the request keeps
		// its state; the entry says which trigger was added to it (E8).
		s.record(at, lead.ActorEngine, lead.FieldTrigger, "", row.Rule, "A6",
			why(rMerged, strconv.Itoa(req.Priority)))
		s.notify(NoteRequestUpdated, s.Lead.Owner, "A6", req.Due, req.Priority, row.Subject)
	default:
		rule := row.Rule
		if s.Lead.Status == lead.StatusRecycled {
			s.setStatus(at, lead.ActorEngine, lead.StatusLead, "A5", why(rReengaged, row.Rule))
			rule = "A5"
			// A re-engaged lead starts a new cadence from Untouched, even
			// when a rep's call on the recycled lead had started one (A5).
			s.Policy.Cadence.Stop(&s.Lead.Track, s.Now)
		}
		if !s.Lead.Track.Active() {
			if err := s.staff(at); err != nil {
				return err
			}
			from := s.Lead.Track.Stage
			// The windows count from when leadline makes the request, not
			// from the event's own instant: an inquiry delivered three
			// weeks late after an outage is not born overdue (T1, A4).
			if err := s.Policy.Cadence.Begin(&s.Lead.Track, s.Now); err != nil {
				return err
			}
			s.Lead.Passed = nil
			s.record(at, lead.ActorEngine, lead.FieldStage, from.Key(), stage.Untouched.Key(), rule, why(rNewCadence))
		}
		from := req.State
		due := s.Policy.Cadence.Add(s.Now, s.Policy.requestWindow())
		if s.Lead.Track.Stage == stage.Untouched {
			due = s.time(s.Lead.Track.Due) // the request is the cadence's T1 window
		}
		*req = lead.Request{
			Seq:      req.Seq + 1,
			State:    lead.RequestOpen,
			Priority: row.Priority,
			Reasons:  lead.RuleIDs(row.Rule),
			Subject:  row.Subject,
			Opened:   s.Now,
			Due:      due,
		}
		s.record(at, lead.ActorEngine, lead.FieldRequest, from.String(), req.State.String(), row.Rule, why(rRequestOpened, row.Subject))
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
	reason := why(rRoundRobin)
	if s.Lead.Owner != "" {
		reason = why(rRoundRobinAway, s.Lead.Owner)
	}
	s.setOwner(at, rep, "M9", reason)
	return nil
}
