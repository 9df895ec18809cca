package lead

import (
	"fmt"
	"strings"
	"time"

	"github.com/leadline/leadline/leaderr"
)

// ActorEngine is the Actor of a change the engine made on its own: a
// reassignment, a recycle, a suppressed trigger.
const ActorEngine = "leadline"

// ActorMarketing is the Actor of a score change whose event names nobody:
// marketing automation rescored the lead (E8).
const ActorMarketing = "marketing"

// Field names what part of a lead a [Change] changed.
type Field uint8

// The fields history records. Stored by key; do not reorder.
const (
	FieldLead     Field = iota + 1 // the lead was created: from "", to its status
	FieldStatus                    // its status (S1, S3, A5)
	FieldStage                     // its touch stage (section 3)
	FieldOwner                     // its owner (M9, T1, T10)
	FieldRequest                   // its approach request's state (A1-A6, S5)
	FieldResponse                  // a campaign response was recorded (M2, M6)
	FieldRoute                     // a routing decision: its desk, and why (M1-M8)
	FieldBANT                      // what is known of its BANT (M10)
	FieldHandoff                   // its hand-off to field sales (M10)
	FieldFeedback                  // field sales' feedback (M5)
	FieldTrigger                   // a trigger that made no new request: from "", to its rule id; suppressed (S5) or recorded on the open one (A6)
	FieldScore                     // its score, as [ScoreKey]s (E8)
	FieldProfile                   // its profile: from and to name the fields that changed (E9)
	numFields
)

var fieldKeys = [numFields]string{"", "lead", "status", "stage", "owner", "request", "response", "route", "bant", "handoff", "feedback", "trigger", "score", "profile"}

// String returns the key: "lead", "status", "stage", "owner", "request",
// "response", "route", "bant", "handoff", "feedback", "trigger", "score".
func (f Field) String() string {
	if f > 0 && f < numFields {
		return fieldKeys[f]
	}
	return fmt.Sprintf("field(%d)", uint8(f))
}

// MarshalText returns the key.
func (f Field) MarshalText() ([]byte, error) {
	if f == 0 || f >= numFields {
		return nil, leaderr.Errorf("field", "unknown field %d", uint8(f))
	}
	return []byte(fieldKeys[f]), nil
}

// UnmarshalText parses a key.
func (f *Field) UnmarshalText(b []byte) error {
	k := strings.ToLower(strings.TrimSpace(string(b)))
	for i := FieldLead; i < numFields; i++ {
		if k == fieldKeys[i] {
			*f = i
			return nil
		}
	}
	return leaderr.Errorf("field", "unknown field %s; want one of %s", leaderr.Quote(string(b)), strings.Join(fieldKeys[1:], ", "))
}

// Change is one entry of a lead's history: who changed what, when, from
// what to what, and why (rules S1, E3). Reports and audits read it.
type Change struct {
	Lead string    `json:"lead"`
	At   time.Time `json:"at,omitzero"`
	// Actor is who made the change: a person's id, or [ActorEngine].
	Actor string `json:"actor"`
	// Event is the id of the event that caused the change, or the key of
	// the deadline that did ([Deadline.Key]).
	Event string `json:"event"`
	Field Field  `json:"field"`
	// From and To are keys: status keys, stage keys, rep ids, request
	// states.
	From string `json:"from"`
	To   string `json:"to"`
	// Rule is the id of the rule that made the change ("T1"), or ""
	// for a person's decision.
	Rule string `json:"rule,omitempty"`
	// Reason says why: the person's reason (S1) or the engine's
	// explanation.
	Reason string `json:"reason,omitempty"`
}

// String returns one line for logs and examples, without personal data:
// "L-1 stage untouched -> stage1 by rep-2 (T9: late)".
func (c Change) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s -> %s by %s", c.Lead, c.Field, orDash(c.From), orDash(c.To), c.Actor)
	switch {
	case c.Rule != "" && c.Reason != "":
		fmt.Fprintf(&b, " (%s: %s)", c.Rule, c.Reason)
	case c.Rule != "":
		fmt.Fprintf(&b, " (%s)", c.Rule)
	case c.Reason != "":
		fmt.Fprintf(&b, " (%s)", c.Reason)
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
