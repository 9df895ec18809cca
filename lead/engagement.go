package lead

import (
	"fmt"
	"strings"
	"time"

	"github.com/leadline/leadline/leaderr"
)

// This file holds what routing by engagement (M1-M13) adds to a lead: who follows it up,
// its campaign responses, its BANT and hand-off, and field feedback.

// StatusSet is a set of statuses, for policies that name several.
type StatusSet uint8

// StatusSetOf returns the set of ss.
func StatusSetOf(ss ...Status) StatusSet {
	var s StatusSet
	for _, st := range ss {
		if st.Valid() {
			s |= 1 << st
		}
	}
	return s
}

// Valid reports whether s holds statuses only: no bit past the last
// status, which a set decoded from a number rather than from keys could
// carry and which no lead could ever match.
func (s StatusSet) Valid() bool { return s < 1<<numStatuses }

// Has reports whether st is in s.
func (s StatusSet) Has(st Status) bool { return st < numStatuses && s&(1<<st) != 0 }

// String returns the keys joined with commas: "new,lead,recycled".
func (s StatusSet) String() string {
	var keys []string
	for st := range numStatuses {
		if s.Has(st) {
			keys = append(keys, statusKeys[st])
		}
	}
	return strings.Join(keys, ",")
}

// MarshalText returns [StatusSet.String].
func (s StatusSet) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses statuses (keys or display names) separated by
// commas.
func (s *StatusSet) UnmarshalText(b []byte) error {
	var set StatusSet
	for part := range strings.SplitSeq(string(b), ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		st, err := ParseStatus(part)
		if err != nil {
			return err
		}
		set |= 1 << st
	}
	*s = set
	return nil
}

// Desk says who follows a lead up.
type Desk uint8

// The desks. Stored by key; do not reorder.
const (
	DeskInside Desk = iota // inside sales: approach requests and the cadence (the default)
	DeskField              // field sales: routed by M4 or the direct model, or handed a Pre-SQL (M10)
	numDesks
)

var deskKeys = [numDesks]string{"inside", "field"}

// String returns the key: "inside" or "field".
func (d Desk) String() string {
	if d < numDesks {
		return deskKeys[d]
	}
	return fmt.Sprintf("desk(%d)", uint8(d))
}

// MarshalText returns the key.
func (d Desk) MarshalText() ([]byte, error) {
	if d >= numDesks {
		return nil, leaderr.Errorf("desk", "unknown desk %d", uint8(d))
	}
	return []byte(deskKeys[d]), nil
}

// UnmarshalText parses a key.
func (d *Desk) UnmarshalText(b []byte) error {
	return parseKey(b, deskKeys[:], "desk", func(i int) { *d = Desk(i) })
}

// ResponseKind is what a person did in a campaign.
type ResponseKind uint8

// The response kinds. Stored by key; do not reorder.
const (
	ResponseListed     ResponseKind = iota + 1 // on the campaign's invitation list (M6)
	ResponseInvited                            // a rep invited them (M4, M6)
	ResponseRegistered                         // registered for the event (M6)
	ResponseAttended                           // attended the event (M6)
	ResponseMet                                // met a field rep at the event (M4)
	ResponseVisited                            // visited a booth or a campaign page
	ResponseDownloaded                         // downloaded the campaign's content
	ResponseInquired                           // inquired through the campaign
	ResponseSurveyed                           // answered the campaign's survey (M8)
	numResponseKinds
)

var responseKeys = [numResponseKinds]string{"", "listed", "invited", "registered", "attended", "met", "visited", "downloaded", "inquired", "surveyed"}

// String returns the key: "invited", "attended", ...
func (k ResponseKind) String() string {
	if k > 0 && k < numResponseKinds {
		return responseKeys[k]
	}
	return fmt.Sprintf("response(%d)", uint8(k))
}

// Valid reports whether k is one of the declared kinds.
func (k ResponseKind) Valid() bool { return k > 0 && k < numResponseKinds }

// MarshalText returns the key.
func (k ResponseKind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, leaderr.Errorf("response", "unknown response %d", uint8(k))
	}
	return []byte(responseKeys[k]), nil
}

// UnmarshalText parses a key.
func (k *ResponseKind) UnmarshalText(b []byte) error {
	return parseKey(b, responseKeys[1:], "response", func(i int) { *k = ResponseKind(i + 1) })
}

// Touch is one campaign response of a lead, kept on the lead for the
// response summary field sales may see (M2) and for crediting (M6).
type Touch struct {
	Campaign string       `json:"campaign"`
	Kind     ResponseKind `json:"kind"`
	At       time.Time    `json:"at,omitzero"`
	// By is the rep behind the response: who invited the person
	// (invited), who drove the registration or attendance (the inviter,
	// M6), who met them (met). "" when nobody did.
	By string `json:"by,omitempty"`
}

// BANT is what inside sales has learnt of a lead's budget, authority,
// need and timeline (M10). An empty field is not known yet; a filled one
// says what was learnt: Budget "5M yen approved for FY2026".
type BANT struct {
	Budget    string `json:"budget,omitempty"`
	Authority string `json:"authority,omitempty"`
	Need      string `json:"need,omitempty"`
	Timeline  string `json:"timeline,omitempty"`
}

// Known returns the set of fields that are filled.
func (b BANT) Known() BANTSet {
	var s BANTSet
	for i, v := range [...]string{b.Budget, b.Authority, b.Need, b.Timeline} {
		if strings.TrimSpace(v) != "" {
			s |= 1 << i
		}
	}
	return s
}

// Merge returns b with every filled field of o written over it.
func (b BANT) Merge(o BANT) BANT {
	if o.Budget != "" {
		b.Budget = o.Budget
	}
	if o.Authority != "" {
		b.Authority = o.Authority
	}
	if o.Need != "" {
		b.Need = o.Need
	}
	if o.Timeline != "" {
		b.Timeline = o.Timeline
	}
	return b
}

// BANTSet is a set of BANT fields, for the hand-off minimum (M10).
type BANTSet uint8

// The BANT fields.
const (
	BANTBudget BANTSet = 1 << iota
	BANTAuthority
	BANTNeed
	BANTTimeline
	numBANT = 4
)

var bantKeys = [numBANT]string{"budget", "authority", "need", "timeline"}

// Valid reports whether s holds only the four fields.
func (s BANTSet) Valid() bool { return s < 1<<numBANT }

// Has reports whether every field of s2 is in s.
func (s BANTSet) Has(s2 BANTSet) bool { return s&s2 == s2 }

// String returns the keys joined with commas: "need,timeline".
func (s BANTSet) String() string {
	var keys []string
	for i, k := range bantKeys {
		if s&(1<<i) != 0 {
			keys = append(keys, k)
		}
	}
	return strings.Join(keys, ",")
}

// MarshalText returns [BANTSet.String].
func (s BANTSet) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses keys separated by commas.
func (s *BANTSet) UnmarshalText(b []byte) error {
	var set BANTSet
	for part := range strings.SplitSeq(string(b), ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		var f BANTSet
		if err := parseKey([]byte(part), bantKeys[:], "bant", func(i int) { f = 1 << i }); err != nil {
			return err
		}
		set |= f
	}
	*s = set
	return nil
}

// Handoff is where a lead stands in the hand-off from inside sales to
// field sales (M1, M10).
type Handoff uint8

// The hand-off states. Stored by key; do not reorder.
const (
	HandoffNone     Handoff = iota // not handed off
	HandoffPreSQL                  // inside sales handed it to a field rep, who has not answered
	HandoffAccepted                // the field rep accepted it: an SQL
	HandoffRejected                // the field rep rejected it, with a reason
	numHandoffs
)

var handoffKeys = [numHandoffs]string{"none", "pre_sql", "accepted", "rejected"}

// String returns the key: "none", "pre_sql", "accepted", "rejected".
func (h Handoff) String() string {
	if h < numHandoffs {
		return handoffKeys[h]
	}
	return fmt.Sprintf("handoff(%d)", uint8(h))
}

// MarshalText returns the key.
func (h Handoff) MarshalText() ([]byte, error) {
	if h >= numHandoffs {
		return nil, leaderr.Errorf("handoff", "unknown hand-off state %d", uint8(h))
	}
	return []byte(handoffKeys[h]), nil
}

// UnmarshalText parses a key.
func (h *Handoff) UnmarshalText(b []byte) error {
	return parseKey(b, handoffKeys[:], "handoff", func(i int) { *h = Handoff(i) })
}

// FollowState is how far field sales has got with following a lead up
// (M5).
type FollowState uint8

// The follow-up states. Stored by key; do not reorder.
const (
	NotStarted FollowState = iota
	InProgress
	Done
	numFollowStates
)

var followKeys = [numFollowStates]string{"not_started", "in_progress", "done"}

// String returns the key: "not_started", "in_progress", "done".
func (s FollowState) String() string {
	if s < numFollowStates {
		return followKeys[s]
	}
	return fmt.Sprintf("follow(%d)", uint8(s))
}

// MarshalText returns the key.
func (s FollowState) MarshalText() ([]byte, error) {
	if s >= numFollowStates {
		return nil, leaderr.Errorf("follow_up_state", "unknown follow-up state %d", uint8(s))
	}
	return []byte(followKeys[s]), nil
}

// UnmarshalText parses a key; "not started" and "in progress" with a
// space are accepted as spreadsheets write them.
func (s *FollowState) UnmarshalText(b []byte) error {
	k := strings.ReplaceAll(strings.TrimSpace(string(b)), " ", "_")
	return parseKey([]byte(k), followKeys[:], "follow_up_state", func(i int) { *s = FollowState(i) })
}

// Outcome is the result of a field follow-up: is there an opportunity?
type Outcome uint8

// The outcomes. Stored by key; do not reorder.
const (
	OutcomeUnknown Outcome = iota // not known yet
	OutcomeYes                    // an opportunity (M5: continues through the hand-off)
	OutcomeNo                     // no opportunity
	numOutcomes
)

var outcomeKeys = [numOutcomes]string{"", "yes", "no"}

// String returns the key: "", "yes", "no".
func (o Outcome) String() string {
	if o < numOutcomes {
		return outcomeKeys[o]
	}
	return fmt.Sprintf("outcome(%d)", uint8(o))
}

// MarshalText returns the key.
func (o Outcome) MarshalText() ([]byte, error) {
	if o >= numOutcomes {
		return nil, leaderr.Errorf("opportunity", "unknown outcome %d", uint8(o))
	}
	return []byte(outcomeKeys[o]), nil
}

// UnmarshalText parses "yes", "no" or "" (also "y", "n", "true",
// "false", in any case).
func (o *Outcome) UnmarshalText(b []byte) error {
	switch strings.ToLower(strings.TrimSpace(string(b))) {
	case "":
		*o = OutcomeUnknown
	case "yes", "y", "true":
		*o = OutcomeYes
	case "no", "n", "false":
		*o = OutcomeNo
	default:
		return leaderr.Errorf("opportunity", "want yes, no or empty, got %q", string(b))
	}
	return nil
}

// Feedback is what field sales records about a lead routed to it (M5):
// whether it is a follow-up target, how far the follow-up has got, its
// result and a comment.
type Feedback struct {
	Target      bool        `json:"target"`
	State       FollowState `json:"state"`
	Opportunity Outcome     `json:"opportunity"`
	Comment     string      `json:"comment,omitempty"`
	// By and At say who recorded it last, and when.
	By string    `json:"by,omitempty"`
	At time.Time `json:"at,omitzero"`
}

// Validate reports an unknown state or outcome as a [*leaderr.FieldError].
func (f *Feedback) Validate() error {
	switch {
	case f.State >= numFollowStates:
		return leaderr.Errorf("follow_up_state", "unknown follow-up state %d", uint8(f.State))
	case f.Opportunity >= numOutcomes:
		return leaderr.Errorf("opportunity", "unknown outcome %d", uint8(f.Opportunity))
	}
	if err := CheckText("comment", f.Comment, MaxCommentBytes); err != nil {
		return err
	}
	return CheckID("by", f.By)
}

// parseKey finds b, trimmed and lower-cased, among keys and calls set
// with its index, or returns a *leaderr.FieldError for field listing the keys.
func parseKey(b []byte, keys []string, field string, set func(int)) error {
	k := strings.ToLower(strings.TrimSpace(string(b)))
	for i, key := range keys {
		if k == key {
			set(i)
			return nil
		}
	}
	return leaderr.Errorf(field, "unknown %s %q; want one of %s", field, string(b), strings.Join(keys, ", "))
}
