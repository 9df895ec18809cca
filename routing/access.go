package routing

import (
	"fmt"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
)

// Viewer is who is reading: every read of a lead names one, and sees
// only what the follow-up model allows (M2).
type Viewer struct {
	Rep  string `json:"rep"`
	Team string `json:"team,omitempty"`
	Role Role   `json:"role"`
}

// Validate reports a missing role, or a rep-level role without a rep, as
// a [*leaderr.FieldError].
func (v Viewer) Validate() error {
	switch {
	case v.Role == 0 || v.Role >= numRoles:
		return leaderr.Errorf("viewer.role", "required: one of inside, field, manager, ops, field_manager")
	case (v.Role == RoleInside || v.Role == RoleField) && v.Rep == "":
		return leaderr.Errorf("viewer.rep", "required for role %v", v.Role)
	}
	return nil
}

// Access is how much of a lead a viewer may see.
type Access uint8

// The access levels.
const (
	NoAccess      Access = iota // the lead does not exist for the viewer
	SummaryAccess               // only its campaign responses: campaign, response, date (M2)
	FullAccess                  // everything
)

// String returns "none", "summary" or "full".
func (a Access) String() string {
	switch a {
	case NoAccess:
		return "none"
	case SummaryAccess:
		return "summary"
	case FullAccess:
		return "full"
	}
	return fmt.Sprintf("access(%d)", uint8(a))
}

// Access returns what v may see of l (rule M2). It is an access rule, not
// a display filter: a lead v may not see does not exist for v.
//
// Inside reps, managers of inside sales and ops see every lead. In an
// inside-first organisation a field rep sees a lead fully only when it is
// on the field desk with them as its owner: routed to them by M4 or the
// direct model, or handed to them as a Pre-SQL (M10); a field manager
// ([RoleFieldManager]) sees every lead on the field desk, whoever owns
// it. With [Rules.FieldSummary] on, field sales see every other lead's
// campaign responses and nothing else; a lead with no response to show
// does not exist for them. In direct and field-only organisations there
// is no inside desk to protect, and field sales see every lead.
//
// A [RoleManager] viewer is read as sales management over inside sales;
// resolve a manager against the teams first ([ScopeManager]), so that a
// field team's manager reads as RoleFieldManager.
func (r *Rules) Access(v Viewer, l *lead.Lead) Access {
	if r.SeesAll(v) {
		return FullAccess
	}
	switch {
	case v.Role == RoleFieldManager && l.Desk == lead.DeskField:
		return FullAccess
	case v.Role == RoleFieldManager:
	case v.Role != RoleField:
		return NoAccess
	case v.Rep != "" && l.Desk == lead.DeskField && l.Owner == v.Rep:
		return FullAccess
	}
	if r.FieldSummary && hasSummary(l) {
		return SummaryAccess
	}
	return NoAccess
}

// hasSummary reports whether l has anything the summary shows: a campaign
// response other than a place on an invitation list. A lead with nothing
// to show answers exactly as a missing id, so that a field rep cannot
// probe which ids exist (M2).
func hasSummary(l *lead.Lead) bool {
	for _, t := range l.Responses {
		if t.Kind != lead.ResponseListed {
			return true
		}
	}
	return false
}

// SeesAll reports whether v sees every lead in full, whatever it holds
// (rule M2): inside reps, managers and ops, and field reps in a direct or
// field-only organisation. A report for such a viewer need not read a
// lead to know it may show it.
func (r *Rules) SeesAll(v Viewer) bool {
	switch v.Role {
	case RoleInside, RoleManager, RoleOps:
		return true
	case RoleField, RoleFieldManager:
		return r.Organisation == Direct || r.Organisation == FieldOnly
	}
	return false
}

// FieldSide reports whether v reads as field sales (M2): a field rep or
// a field manager, whose view of an inside-first organisation is the
// field desk's.
func (v Viewer) FieldSide() bool { return v.Role == RoleField || v.Role == RoleFieldManager }

// ScopeManager resolves a manager viewer against the organisation's two
// teams (M2): a manager sees what their team may see. v.Team names the
// team; when it is empty, the team v.Rep manages does. A manager of the
// field team reads as [RoleFieldManager]; a manager of the inside team,
// or one who names no team and manages none (sales management over
// both), reads as RoleManager, who sees every lead. A Team that is
// neither team's id is refused with a [*leaderr.FieldError] for
// "viewer.team", so that a typo never widens what a viewer sees. Any
// other viewer is returned as it is.
func ScopeManager(v Viewer, inside, field *Team) (Viewer, error) {
	if v.Role != RoleManager {
		return v, nil
	}
	switch {
	case v.Team != "" && field.ID != "" && v.Team == field.ID:
		v.Role = RoleFieldManager
	case v.Team != "" && inside.ID != "" && v.Team == inside.ID:
	case v.Team != "":
		return v, leaderr.Errorf("viewer.team", "%q is neither the inside team (%q) nor the field team (%q): name the team the manager manages",
			v.Team, inside.ID, field.ID)
	case v.Rep != "" && v.Rep == field.Manager && v.Rep != inside.Manager:
		v.Role = RoleFieldManager
	}
	return v, nil
}

// Summary is the part of a lead that field sales may see under the M2
// policy switch: which campaigns it responded to, how, and when.
type Summary struct {
	Lead      string            `json:"lead"`
	Responses []ResponseSummary `json:"responses"`
}

// ResponseSummary is one campaign response without its details.
type ResponseSummary struct {
	Campaign string            `json:"campaign"`
	Response lead.ResponseKind `json:"response"`
	At       time.Time         `json:"at"`
}

// Summarize returns l's response summary (M2). Invitation lists are
// marketing's working data, not responses, and are left out.
func Summarize(l *lead.Lead) Summary {
	s := Summary{Lead: l.ID, Responses: make([]ResponseSummary, 0, len(l.Responses))}
	for _, t := range l.Responses {
		if t.Kind == lead.ResponseListed {
			continue
		}
		s.Responses = append(s.Responses, ResponseSummary{Campaign: t.Campaign, Response: t.Kind, At: t.At})
	}
	return s
}

// Recording is [Rules.MayRecord]'s answer: whether a viewer may post an
// event, and if not, how to answer.
type Recording uint8

// The answers of MayRecord.
const (
	// RecordAllowed: the event may be handled.
	RecordAllowed Recording = iota
	// RecordHidden: the lead is one v may not see, or one that does not
	// exist and v may not create; answer exactly as for a missing lead,
	// so that posting cannot tell the two apart.
	RecordHidden
	// RecordNotYours: a rep names another actor; a rep records only
	// their own work.
	RecordNotYours
)

// MayRecord says whether v may post an event naming actor (empty when
// the event names none) on l, nil when the lead does not exist: who may
// write, M2 applied to writes.
//
//   - A viewer who sees every lead ([Rules.SeesAll]: inside sales,
//     managers with that view, ops, the viewer a marketing system's
//     webhook posts as) may post any event, a lead's created event
//     included.
//   - Anyone else may post only on a lead they see in full; a lead they
//     may not see and a new one are RecordHidden.
//   - An inside or field rep records their own work: an actor other
//     than the rep is RecordNotYours, whatever the lead. Managers and ops
//     may post for their reps.
func (r *Rules) MayRecord(v Viewer, l *lead.Lead, actor string) Recording {
	if actor != "" && v.Rep != "" && actor != v.Rep && (v.Role == RoleInside || v.Role == RoleField) {
		return RecordNotYours
	}
	if r.SeesAll(v) || l != nil && r.Access(v, l) == FullAccess {
		return RecordAllowed
	}
	return RecordHidden
}
