package routing

import (
	"cmp"
	"slices"

	"github.com/leadline/leadline/lead"
)

// Credit is what one rep did for one campaign (rule M6): the
// registrations and attendance they drove, the Pre-SQLs they handed to
// field sales and the opportunities they own. Rep "" is marketing: the
// registrations and attendance nobody drove.
type Credit struct {
	Rep                                               string
	Registrations, Attendance, PreSQLs, Opportunities int
}

// zero reports whether the credit counts nothing.
func (c *Credit) zero() bool {
	return c.Registrations == 0 && c.Attendance == 0 && c.PreSQLs == 0 && c.Opportunities == 0
}

// Credits computes the credit per rep for campaign from the leads that
// responded to it (rule M6: in a hybrid campaign inside sales maximises
// attendance and field sales opportunities, and reports credit each side
// for its part). A lead responded to the campaign when it has a
// [lead.Touch] of it other than [lead.ResponseListed]: an invitation
// list is marketing's working data, not a response, as for [Summarize].
// Each lead counts at most once in each column:
//
//   - Registrations and attendance: a touch of the campaign of kind
//     [lead.ResponseRegistered] or [lead.ResponseAttended] credits its By,
//     the rep who drove it (the engine fills By with the lead's inviter
//     for that campaign); By "" credits the marketing row, Rep "". A lead
//     with several such touches is credited to the first, oldest first.
//   - Pre-SQLs: a lead that responded and was handed off (its
//     [lead.Handoff] is PreSQL, Accepted or Rejected: whatever field sales
//     made of it, the inside rep created it) credits [lead.Lead.HandedBy].
//   - Opportunities: a lead that responded and is an opportunity (its
//     [lead.Feedback.Opportunity] is [lead.OutcomeYes], or its Pre-SQL was
//     accepted) credits the field rep who owns it: its Owner when it is on
//     the field desk, else HandedTo.
//
// So field reps are credited with opportunities, inside reps with
// attendance and Pre-SQLs (M6); a field rep who invited people is
// credited with their registrations and attendance too. The result has a
// row for every rep credited with something, sorted by rep id (marketing,
// "", first), and is nil when nobody is. Credits is pure and keeps no
// reference to leads.
func Credits(campaign string, leads []lead.Lead) []Credit {
	byRep := map[string]*Credit{}
	credit := func(rep string) *Credit {
		c, ok := byRep[rep]
		if !ok {
			c = &Credit{Rep: rep}
			byRep[rep] = c
		}
		return c
	}
	for i := range leads {
		l := &leads[i]
		// The oldest registration and attendance, whatever order they
		// were recorded in (a late delivery appends an older one).
		responded := false
		var registered, attended *lead.Touch
		for j := range l.Responses {
			t := &l.Responses[j]
			if t.Campaign != campaign || t.Kind == lead.ResponseListed {
				continue
			}
			responded = true
			switch {
			case t.Kind == lead.ResponseRegistered && (registered == nil || t.At.Before(registered.At)):
				registered = t
			case t.Kind == lead.ResponseAttended && (attended == nil || t.At.Before(attended.At)):
				attended = t
			}
		}
		if registered != nil {
			credit(registered.By).Registrations++
		}
		if attended != nil {
			credit(attended.By).Attendance++
		}
		if !responded {
			continue
		}
		switch l.Handoff {
		case lead.HandoffPreSQL, lead.HandoffAccepted, lead.HandoffRejected:
			// An opportunity field sales confirmed itself (M5) was
			// accepted with no inside rep behind it: no Pre-SQL.
			if l.HandedBy != "" {
				credit(l.HandedBy).PreSQLs++
			}
		}
		if l.Feedback.Opportunity == lead.OutcomeYes || l.Handoff == lead.HandoffAccepted {
			owner := l.HandedTo
			if l.Desk == lead.DeskField {
				owner = l.Owner
			}
			credit(owner).Opportunities++
		}
	}
	if len(byRep) == 0 {
		return nil
	}
	out := make([]Credit, 0, len(byRep))
	for _, c := range byRep {
		if !c.zero() {
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b Credit) int { return cmp.Compare(a.Rep, b.Rep) })
	return out
}

// Progress compares the inside team's registrations and attendance with
// the campaign's targets (rule M6: inside sales calls the lists field
// sales cannot cover, against registration and attendance targets set
// before the event).
type Progress struct {
	Registrations, Attendance int
	Targets                   Targets
}

// Reached reports whether both targets are met. A target of 0 is met.
func (p Progress) Reached() bool {
	return p.Registrations >= p.Targets.Registrations && p.Attendance >= p.Targets.Attendance
}

// InsideProgress sums the registrations and attendance of credits (from
// [Credits] for c) that the inside team drove, its reps and its manager,
// and sets c's targets beside them (M6). Marketing's row, Rep "", and
// field reps' rows do not count. A nil inside team counts nothing.
func InsideProgress(c *Campaign, credits []Credit, inside *Team) Progress {
	p := Progress{Targets: c.Targets}
	if inside == nil {
		return p
	}
	for _, cr := range credits {
		if inside.Has(cr.Rep) {
			p.Registrations += cr.Registrations
			p.Attendance += cr.Attendance
		}
	}
	return p
}

// CountRegistrants counts the figures of M12 for campaign from the leads
// that responded to it: registrants are the leads with a touch of the
// campaign of kind [lead.ResponseRegistered] or [lead.ResponseAttended]
// (a walk-in registers at the door), and invited those of them that a
// sales rep, inside or field, invited to it (a [lead.ResponseInvited]
// touch of the campaign, or a registration or attendance with a By, the
// rep who drove it). Each lead counts at most once. Set the results on
// [Campaign.Registrants] and [Campaign.Invited]; routing and the reports
// read the campaign's figures, so that they agree.
func CountRegistrants(campaign string, leads []lead.Lead) (registrants, invited int) {
	for i := range leads {
		registered, inv := false, false
		for _, t := range leads[i].Responses {
			if t.Campaign != campaign {
				continue
			}
			switch t.Kind {
			case lead.ResponseInvited:
				inv = true
			case lead.ResponseRegistered, lead.ResponseAttended:
				registered = true
				inv = inv || t.By != ""
			}
		}
		if registered {
			registrants++
			if inv {
				invited++
			}
		}
	}
	return registrants, invited
}
