package lead

import (
	"fmt"
	"strings"

	"github.com/leadline/leadline/leaderr"
)

// Status is a lead's classification (S1-S5). The zero value is
// [StatusNew]: not yet reviewed by inside sales.
//
// Statuses are stored and exchanged by key ("disqualified_mktg"), never by
// number; the numbers may change between releases.
type Status uint8

// The statuses of the rule book, docs/RULES.md section 1.
const (
	StatusNew               Status = iota // not yet reviewed by inside sales
	StatusLead                            // inside sales works it (S2)
	StatusRecycled                        // long-term nurturing by marketing
	StatusCustomer                        // already under contract, same company and department
	StatusPartner                         // contact at a partner company
	StatusDisqualifiedMktg                // bad data, or out of marketing scope
	StatusDisqualifiedSales               // out of sales scope: a competitor, a job seeker
	numStatuses
)

var statusKeys = [numStatuses]string{"new", "lead", "recycled", "customer", "partner", "disqualified_mktg", "disqualified_sales"}
var statusNames = [numStatuses]string{"New", "Lead", "Recycled", "Customer", "Partner", "Disqualified (mktg)", "Disqualified (sales)"}

// String returns the display name of the rule book: "Lead",
// "Disqualified (mktg)".
func (s Status) String() string {
	if s < numStatuses {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Key returns the stable lower-case key used in text, JSON and storage:
// "lead", "disqualified_mktg".
func (s Status) Key() string {
	if s < numStatuses {
		return statusKeys[s]
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// Valid reports whether s is one of the declared statuses.
func (s Status) Valid() bool { return s < numStatuses }

// Protected reports whether the engine must leave a lead of status s
// alone: Customer, Partner and both Disqualified statuses never receive
// automatic approach requests and never change automatically (rule S5).
func (s Status) Protected() bool {
	return s >= StatusCustomer && s <= StatusDisqualifiedSales
}

// Worked reports whether inside sales works leads of status s: Lead, and
// New before review (rule S2).
func (s Status) Worked() bool { return s == StatusNew || s == StatusLead }

// MarshalText returns the key.
func (s Status) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, leaderr.Errorf("status", "unknown status %d", uint8(s))
	}
	return []byte(statusKeys[s]), nil
}

// UnmarshalText accepts what [ParseStatus] accepts.
func (s *Status) UnmarshalText(b []byte) error {
	for i := range numStatuses {
		if string(b) == statusKeys[i] { // the key as written: no copy of b
			*s = i
			return nil
		}
	}
	v, err := ParseStatus(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseStatus parses a key ("disqualified_mktg") or a display name
// ("Disqualified (mktg)"), ignoring case and surrounding space. Anything
// else is a [*leaderr.FieldError] for "status" that lists the keys.
func ParseStatus(s string) (Status, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	for i := range numStatuses {
		if k == statusKeys[i] || k == strings.ToLower(statusNames[i]) {
			return i, nil
		}
	}
	return 0, leaderr.Errorf("status", "unknown status %s; want one of %s", leaderr.Quote(s), strings.Join(statusKeys[:], ", "))
}

// PersonTransition reports whether a person may change a lead's status
// from from to to (rules S1, S4): any status may be set from any other,
// except back to New once the lead has been reviewed. Setting the status a
// lead already has is allowed and changes nothing. The error is a
// [*leaderr.FieldError] for "status" wrapping [leaderr.ErrInvalidTransition].
func PersonTransition(from, to Status) error {
	if !to.Valid() {
		return leaderr.Errorf("status", "unknown status %d", uint8(to))
	}
	if to == StatusNew && from != StatusNew {
		return &leaderr.FieldError{Field: "status", Err: fmt.Errorf("%w: %v cannot go back to New (S4)", leaderr.ErrInvalidTransition, from)}
	}
	return nil
}

// AutoTransition reports whether the engine may change a lead's status on
// its own from from to to (rule S4): New or Lead to Recycled when a cadence
// ends without contact (T7, S3), and Recycled to Lead when a trigger
// re-engages the lead (A5). Nothing else; in particular a protected status
// never changes automatically (S5).
func AutoTransition(from, to Status) error {
	switch {
	case to == StatusRecycled && from.Worked(),
		to == StatusLead && from == StatusRecycled:
		return nil
	}
	return &leaderr.FieldError{Field: "status", Err: fmt.Errorf("%w: the engine does not move %v to %v on its own (S4)", leaderr.ErrInvalidTransition, from, to)}
}
