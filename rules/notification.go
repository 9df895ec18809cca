package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/stage"
)

// NotificationKind says what a [Notification] tells its recipient.
type NotificationKind uint8

// The notification kinds. Stored by key; do not reorder.
const (
	NoteApproachRequest NotificationKind = iota + 1 // a new approach request for the owner (A1-A3, A5)
	NoteRequestUpdated                              // a further trigger on an outstanding request (A6)
	NoteReminder                                    // a deadline passed: remind the owner (A4, T8)
	NoteManagerAlert                                // a deadline passed: tell the owner's manager (A4, T8)
	NoteReassigned                                  // an untouched lead was handed to this rep (T1, T10)
	NoteEscalated                                   // an untouched lead was handed to the manager (T10)
	NoteRecycled                                    // the cadence ended without contact (T7)
	NoteFieldFollowUp                               // a lead routed to this field rep by engagement or model (M4, M1, M8)
	NoteActivity                                    // a lead with field sales responded or inquired again (M4)
	NoteHandoff                                     // a Pre-SQL handed to this field rep (M10)
	NoteAccepted                                    // the field rep accepted this inside rep's Pre-SQL (M10)
	NoteRejected                                    // the field rep rejected this inside rep's Pre-SQL (M10)
	numNotificationKinds
)

var noteKeys = [numNotificationKinds]string{"", "approach_request", "request_updated", "reminder", "manager_alert", "reassigned", "escalated", "recycled",
	"field_follow_up", "activity", "handoff", "accepted", "rejected"}

// String returns the key: "approach_request", "reminder", ...
func (k NotificationKind) String() string {
	if k > 0 && k < numNotificationKinds {
		return noteKeys[k]
	}
	return fmt.Sprintf("notification(%d)", uint8(k))
}

// MarshalText returns the key.
func (k NotificationKind) MarshalText() ([]byte, error) {
	if k == 0 || k >= numNotificationKinds {
		return nil, leaderr.Errorf("kind", "unknown notification kind %d", uint8(k))
	}
	return []byte(noteKeys[k]), nil
}

// UnmarshalText parses a key.
func (k *NotificationKind) UnmarshalText(b []byte) error {
	s := strings.ToLower(strings.TrimSpace(string(b)))
	for i := NoteApproachRequest; i < numNotificationKinds; i++ {
		if s == noteKeys[i] {
			*k = i
			return nil
		}
	}
	return leaderr.Errorf("kind", "unknown notification kind %s; want one of %s", leaderr.Quote(string(b)), strings.Join(noteKeys[1:], ", "))
}

// Notification is a message for one person, raised by the engine and
// delivered through the host's [Notifier] from an outbox (E4). It carries
// ids and rules, never the lead's name or e-mail address: a notifier that
// wants them reads the lead.
type Notification struct {
	// Key is the idempotency key: the same notification always has the
	// same key, so a notifier that sees a key twice can drop the second
	// (delivery is at least once), and two different notifications never
	// share one. It is derived from the lead, the cause (the event id, or
	// the deadline's firing: its kind, cadence, stage and reassignments or
	// request number, and due instant; see [FiringKey]), the kind and the
	// recipient (E4, T8).
	Key  string           `json:"key"`
	Kind NotificationKind `json:"kind"`
	Lead string           `json:"lead"`
	// To is the recipient's id; "" when the lead has no owner, for a
	// host's unassigned queue.
	To string `json:"to"`
	// Rule is the id of the rule (docs/RULES.md) that raised it: "A1", "T1", "T8".
	Rule string `json:"rule"`
	// At is when the engine raised it.
	At time.Time `json:"at"`
	// Due is the deadline concerned: the request's due date, the missed
	// deadline. Zero when none.
	Due time.Time `json:"due,omitzero"`
	// Stage is the lead's touch stage when it was raised.
	Stage stage.Stage `json:"stage"`
	// Priority is the approach request's priority, 0 when not about one.
	Priority int `json:"priority,omitempty"`
	// Detail completes [Notification.Subject]: the trigger's subject for
	// an approach request, the rep who missed a deadline or lost the lead
	// for an alert or a reassignment, the campaign for a field follow-up
	// (or the kind of the lead's own activity that sent it: "inquiry"),
	// the activity for a field lead that is active again, the rep who
	// acted for a hand-off, an acceptance or a rejection. It holds ids and
	// the policy's own words, never what a person or a form typed.
	Detail string `json:"detail,omitempty"`
	// Note is free text a person or a form typed, kept apart from the
	// text so that it reaches a notifier or a log only when the host shows
	// it: an inquiry's topic, a rejection's reason. It may hold personal
	// data (a phone number typed into a topic); Subject, Text and String
	// never include it.
	Note string `json:"note,omitempty"`
	// Text says what happened in the team's language and time zone,
	// rendered by the engine's [Texts] when it hands the notification to
	// the notifier (E10); "" before that. A notifier shows it as it is.
	Text string `json:"text,omitempty"`
	// Attempts counts delivery attempts before this one; set by the store.
	Attempts int `json:"attempts"`
}

// String returns one line without personal data:
// "reminder to rep-1 about L-7 (T8): Stage2 attempt on L-7 overdue since ...".
func (n Notification) String() string {
	return fmt.Sprintf("%s to %s about %s (%s): %s", n.Kind, orNobody(n.To), n.Lead, n.Rule, n.Subject())
}

// Subject says in words what happened, in English, with times in Due's
// zone (the zone of the engine's clock). It is written from the
// notification's fields when asked for, so that raising a notification
// costs no formatting. [Texts] writes it in the team's language and zone
// (E10); the engine puts that in Text when it delivers.
func (n Notification) Subject() string { return englishTexts.Render(n) }

func orNobody(s string) string {
	if s == "" {
		return "(unassigned)"
	}
	return s
}

// FiringKey returns the identity of one firing of deadline d of lead l,
// taken before it fires (E4, T8): what makes this firing differ from
// every other firing of the lead's deadlines, not only its instant. Two
// deadlines may fall on one instant (an attempt reported late and clamped
// to the previous step gives Stage3 the due date Stage2 had, T9), and a
// reassignment chain (T1, T10) fires the Stage1 window once per owner.
//
//   - a cadence deadline: "L-1/cadence/<cadence>/<stage>/<reassignments>/<due µs>";
//     a cadence fires each stage's deadline at most once, and the
//     untouched window once per reassignment;
//   - a request deadline: "L-1/request/<request seq>/<due µs>"; a
//     request's due date fires at most once.
//
// The lead id is escaped ('%' as %25, '/' as %2F) so that no two leads'
// keys meet. The history of the changes a firing made carries it as
// their Event, and every notification key it raises starts with it.
func FiringKey(d lead.Deadline, l *lead.Lead) string {
	var buf [128]byte
	b := appendKeyPart(buf[:0], d.Lead)
	if d.Kind == lead.DeadlineRequest {
		b = append(b, "/request/"...)
		b = strconv.AppendUint(b, uint64(l.Request.Seq), 10)
	} else {
		b = append(b, "/cadence/"...)
		b = strconv.AppendUint(b, uint64(l.Track.Cadence), 10)
		b = append(b, '/')
		b = append(b, l.Track.Stage.Key()...)
		b = append(b, '/')
		b = strconv.AppendUint(b, uint64(l.Track.Reassignments), 10)
	}
	b = append(b, '/')
	b = strconv.AppendInt(b, d.Due.UnixMicro(), 10)
	return string(b)
}

// noteKey returns the idempotency key of a notification of kind to
// recipient to, raised by the step's current cause (E4):
//
//   - by an event: "<lead>/event/<event id>/<kind>/<to>";
//   - by a deadline: "<FiringKey>/<kind>/<to>".
//
// Ids are escaped as in [FiringKey], so the parts never run into each
// other. Should one cause raise two notifications of one kind for one
// recipient, the second gets "/2", the third "/3": the rules are pure,
// so a retried step numbers them the same way.
func (s *Step) noteKey(kind NotificationKind, to string) string {
	var buf [160]byte
	b := buf[:0]
	if s.byEvent {
		b = appendKeyPart(b, s.Lead.ID)
		b = append(b, "/event/"...)
		b = appendKeyPart(b, s.cause)
	} else {
		b = append(b, s.cause...)
	}
	b = append(b, '/')
	b = append(b, kind.String()...)
	b = append(b, '/')
	b = appendKeyPart(b, to)
	n := len(b)
	for i := 2; ; i++ {
		if !s.hasNoteKey(b) {
			return string(b)
		}
		b = append(b[:n], '/')
		b = strconv.AppendInt(b, int64(i), 10)
	}
}

func (s *Step) hasNoteKey(key []byte) bool {
	for i := range s.Notes {
		if s.Notes[i].Key == string(key) {
			return true
		}
	}
	return false
}

// appendKeyPart appends id to b with '%' and '/' escaped, so that a key's
// parts are told apart whatever the ids hold.
func appendKeyPart(b []byte, id string) []byte {
	for i := 0; i < len(id); i++ {
		switch c := id[i]; c {
		case '%':
			b = append(b, "%25"...)
		case '/':
			b = append(b, "%2F"...)
		default:
			b = append(b, c)
		}
	}
	return b
}
