package lead

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// EventKind says what happened to a lead. The zero value is no kind and is
// refused.
type EventKind uint8

// The event kinds. Stored and exchanged by key; do not reorder.
const (
	EventCreated        EventKind = iota + 1 // a lead arrived (from a form, a list, an event)
	EventScoreChanged                        // marketing automation rescored it
	EventInquiry                             // it sent an inquiry (A1, A2)
	EventDownload                            // it downloaded a document (A3)
	EventOutbound                            // its owner made an outbound attempt (section 3)
	EventContact                             // a two-way contact was made (T6)
	EventStatusSet                           // a person set its status (S1)
	EventResponse                            // it responded to a campaign (section 5)
	EventBANT                                // inside sales recorded BANT (M10)
	EventHandoff                             // inside sales handed it to field sales as a Pre-SQL (M10)
	EventAccept                              // field sales accepted the Pre-SQL: an SQL (M10)
	EventReject                              // field sales rejected the Pre-SQL, with a reason (M10)
	EventFeedback                            // field sales recorded its follow-up (M5)
	EventProfileUpdated                      // its profile changed: company, MA system, target account, source (E9)
	EventWebActivity                         // it viewed a page or did something else on the web (V1, E9)
	numEventKinds
)

var eventKeys = [numEventKinds]string{"", "created", "score_changed", "inquiry", "download", "outbound", "contact", "status_set",
	"response", "bant", "handoff", "accept", "reject", "feedback", "profile_updated", "web_activity"}

// String returns the key: "created", "score_changed", "inquiry",
// "download", "outbound", "contact", "status_set".
func (k EventKind) String() string {
	if k > 0 && k < numEventKinds {
		return eventKeys[k]
	}
	return fmt.Sprintf("event(%d)", uint8(k))
}

// Valid reports whether k is one of the declared kinds.
func (k EventKind) Valid() bool { return k > 0 && k < numEventKinds }

// MarshalText returns the key.
func (k EventKind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, leaderr.Errorf("kind", "unknown event kind %d", uint8(k))
	}
	return []byte(eventKeys[k]), nil
}

// UnmarshalText accepts what [ParseEventKind] accepts.
func (k *EventKind) UnmarshalText(b []byte) error {
	for i := EventCreated; i < numEventKinds; i++ {
		if string(b) == eventKeys[i] { // the key as written: no copy of b
			*k = i
			return nil
		}
	}
	v, err := ParseEventKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// ParseEventKind parses a key, ignoring case and surrounding space.
func ParseEventKind(s string) (EventKind, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	for i := EventCreated; i < numEventKinds; i++ {
		if k == eventKeys[i] {
			return i, nil
		}
	}
	return 0, leaderr.Errorf("kind", "unknown event kind %s; want one of %s", leaderr.Quote(s), strings.Join(eventKeys[1:], ", "))
}

// Event is something that happened to a lead, as the host reports it to
// the engine. One struct carries every kind; each kind reads the fields
// its doc names, and a field its kind does not read is refused, not
// ignored (E9), so that nothing a host sends is silently dropped.
//
// Every event has an ID, unique among its lead's events, so that handling
// the same event twice changes nothing the second time (rule E2). Ids are
// scoped per lead: the same id on another lead is another event. Use the
// id of the source record (the marketing-automation activity id, the CRM
// task id).
type Event struct {
	// ID identifies the event among its lead's events for deduplication
	// (E2). Required.
	ID string `json:"id"`
	// Kind says what happened. Required.
	Kind EventKind `json:"kind"`
	// Lead is the id of the lead. Required.
	Lead string `json:"lead"`
	// At is when it happened at the source. Required. A step of the
	// cadence counts at At (but never later than the engine's now), so an
	// attempt reported late is not marked late for the delay.
	At time.Time `json:"at,omitzero"`
	// Actor is who did it: the rep's id for outbound, contact and
	// status_set (required there), "marketing" or a system name
	// otherwise. History records it as "who" (E3).
	Actor string `json:"actor,omitempty"`
	// Score is the initial score (created), the new score
	// (score_changed), or the score sent with an activity (inquiry,
	// download, response, web_activity), as marketing automation sends it
	// with a form fill: it applies before the activity's rules run (E9).
	// Any decimal, negative included (E6). With an activity, zero means
	// none was sent: set a score of 0 with score_changed.
	Score decimal.Decimal `json:"score"`
	// Channels are the channels of an outbound attempt (required there:
	// at least one) or the channel a contact came through (optional).
	Channels stage.Channels `json:"channels,omitempty"`
	// Status is the status a person set (status_set; required, and never
	// New, S4) or the status a rejected Pre-SQL goes back to (reject;
	// required: lead or recycled, M10).
	Status Status `json:"status,omitzero"`
	// Reason is why a person set the status (status_set; required, S1).
	Reason string `json:"reason,omitempty"`
	// Topic is the inquiry's subject, the downloaded document's name, or
	// the page viewed (web_activity).
	Topic string `json:"topic,omitempty"`
	// Profile describes a new lead (created), or replaces the lead's
	// profile as a whole (profile_updated).
	Profile Profile `json:"profile,omitzero"`
	// Owner is the account owner of a new lead, if it has one; account
	// ownership wins over round-robin assignment (created, M9).
	Owner string `json:"owner,omitempty"`

	// Campaign is the campaign responded to (response; required there).
	Campaign string `json:"campaign,omitempty"`
	// Response is what the person did (response; required there).
	Response ResponseKind `json:"response,omitempty"`
	// InvitedBy is the rep who invited the person, MetBy the field rep
	// who met them at the event (response, M4).
	InvitedBy string `json:"invited_by,omitempty"`
	MetBy     string `json:"met_by,omitempty"`
	// Answers are survey answers, question to answer (response, M8).
	Answers map[string]string `json:"answers,omitempty"`
	// BANT is what was learnt (bant); filled fields overwrite, empty ones
	// keep what was known.
	BANT BANT `json:"bant,omitzero"`
	// To is the field rep a Pre-SQL is handed to (handoff); "" means the
	// account owner, else field assignment (M4, M9).
	To string `json:"to,omitempty"`
	// Feedback is field sales' record (feedback, M5).
	Feedback Feedback `json:"feedback,omitzero"`
}

// EarliestYear is the earliest year an event's At may be in. Anything
// before is an unset timestamp in disguise (the Unix epoch, year 1), not
// a lead's activity (E6).
const EarliestYear = 2000

// Validate reports the first missing or malformed field as a
// [*leaderr.FieldError] (rule E6), every string checked against the
// limits of [MaxIDBytes], [MaxNameBytes], [MaxTextBytes] and
// [MaxCommentBytes]. It checks the event on its own; whether it may
// apply to the lead is the engine's business.
func (e *Event) Validate() error {
	switch {
	case e.ID == "":
		return leaderr.Errorf("id", "required: every event needs a unique id (E2)")
	case !e.Kind.Valid():
		if e.Kind == 0 {
			return leaderr.Errorf("kind", "required")
		}
		return leaderr.Errorf("kind", "unknown event kind %d", uint8(e.Kind))
	case e.Lead == "":
		return leaderr.Errorf("lead", "required")
	case e.At.IsZero():
		return leaderr.Errorf("at", "required: when the %s happened", e.Kind)
	case e.At.UTC().Year() < EarliestYear: // the instant's year, whatever offset wrote it
		// The Unix epoch and year 1 are what an integration sends for an
		// unset timestamp; taken as real, they would fire every deadline
		// at once (E6, E9).
		return leaderr.Errorf("at", "%v is before %d: an unset timestamp? send when the %s happened", e.At.UTC().Format(time.RFC3339), EarliestYear, e.Kind)
	}
	if err := e.checkStrings(); err != nil {
		return err
	}
	switch e.Kind {
	case EventOutbound:
		if e.Actor == "" {
			return leaderr.Errorf("actor", "required: the rep who made the attempt")
		}
		if e.Channels == 0 {
			return leaderr.Errorf("channels", "required: at least one of call, email, voicemail, meeting")
		}
	case EventContact:
		if e.Actor == "" {
			return leaderr.Errorf("actor", "required: the rep who made the contact")
		}
	case EventResponse:
		if e.Campaign == "" {
			return leaderr.Errorf("campaign", "required: the campaign responded to")
		}
		if !e.Response.Valid() {
			return leaderr.Errorf("response", "required: one of %s", strings.Join(responseKeys[1:], ", "))
		}
		switch e.Response {
		case ResponseListed, ResponseInvited, ResponseRegistered:
			// These are made before the event: nobody has met the person
			// yet, and the response routes nowhere that met_by could
			// change (M4, E9).
			if e.MetBy != "" {
				return leaderr.Errorf("met_by", "%s %s response does not read it: nobody meets the person before the event; leave it empty (E9)", article(e.Response.String()), e.Response)
			}
		}
	case EventBANT, EventHandoff, EventAccept, EventFeedback:
		if e.Actor == "" {
			return leaderr.Errorf("actor", "required: the rep who %s", map[EventKind]string{
				EventBANT: "recorded BANT", EventHandoff: "hands the lead off", EventAccept: "accepts the Pre-SQL", EventFeedback: "gives the feedback"}[e.Kind])
		}
		if e.Kind == EventBANT && e.BANT.Known() == 0 {
			return leaderr.Errorf("bant", "required: at least one of budget, authority, need, timeline")
		}
		if e.Kind == EventFeedback {
			if err := e.Feedback.Validate(); err != nil {
				return err
			}
		}
	case EventReject:
		if e.Actor == "" {
			return leaderr.Errorf("actor", "required: the field rep who rejects the Pre-SQL")
		}
		if strings.TrimSpace(e.Reason) == "" {
			return leaderr.Errorf("reason", "required: why the Pre-SQL is rejected (M10)")
		}
		if e.Status == StatusNew {
			return leaderr.Errorf("status", "required: lead (back to inside sales) or recycled (M10)")
		}
		if e.Status != StatusLead && e.Status != StatusRecycled {
			return leaderr.Errorf("status", "want lead (back to inside sales) or recycled, got %v (M10)", e.Status)
		}
	case EventStatusSet:
		if e.Actor == "" {
			return leaderr.Errorf("actor", "required: the person who set the status (S1)")
		}
		if e.Status == StatusNew {
			// The zero Status is New, which a person may never set (S4):
			// an event without a status cannot be told from one setting New,
			// and both are refused. The error wraps ErrInvalidTransition
			// too, for a host that branches on S4.
			return &leaderr.FieldError{Field: "status",
				Err: fmt.Errorf("required: the status the person set, not new (S4): %w", leaderr.ErrInvalidTransition)}
		}
		if !e.Status.Valid() {
			return leaderr.Errorf("status", "unknown status %d", uint8(e.Status))
		}
		if strings.TrimSpace(e.Reason) == "" {
			return leaderr.Errorf("reason", "required: why the status changed (S1)")
		}
	}
	if err := e.checkReads(); err != nil {
		return err
	}
	if err := checkScore(e.Score); err != nil {
		return err
	}
	if !e.Channels.Valid() {
		return leaderr.Errorf("channels", "unknown channel bits %#x", uint8(e.Channels))
	}
	return nil
}

// The fields an event may carry beyond its id, kind, lead, time and actor.
const (
	readsScore = 1 << iota
	readsChannels
	readsStatus
	readsReason
	readsTopic
	readsProfile
	readsOwner
	readsResponse // campaign, response, invited_by, met_by, answers
	readsBANT
	readsTo
	readsFeedback
)

// reads says which fields each kind reads (E9).
var reads = [numEventKinds]uint16{
	EventCreated:        readsScore | readsProfile | readsOwner,
	EventScoreChanged:   readsScore,
	EventInquiry:        readsScore | readsTopic,
	EventDownload:       readsScore | readsTopic,
	EventOutbound:       readsChannels,
	EventContact:        readsChannels,
	EventStatusSet:      readsStatus | readsReason,
	EventResponse:       readsScore | readsResponse,
	EventBANT:           readsBANT,
	EventHandoff:        readsTo,
	EventAccept:         readsReason,
	EventReject:         readsStatus | readsReason,
	EventFeedback:       readsFeedback,
	EventProfileUpdated: readsProfile,
	EventWebActivity:    readsScore | readsTopic,
}

// checkReads refuses a field that e's kind does not read (E9): a host
// that sends one expects it to count, and it would not.
func (e *Event) checkReads() error {
	r := reads[e.Kind]
	for _, f := range [...]struct {
		set   bool
		bit   uint16
		field string
	}{
		{!e.Score.IsZero(), readsScore, "score"},
		{e.Channels != 0, readsChannels, "channels"},
		{e.Status != 0, readsStatus, "status"},
		{e.Reason != "", readsReason, "reason"},
		{e.Topic != "", readsTopic, "topic"},
		{e.Profile != (Profile{}), readsProfile, "profile"},
		{e.Owner != "", readsOwner, "owner"},
		{e.Campaign != "", readsResponse, "campaign"},
		{e.Response != 0, readsResponse, "response"},
		{e.InvitedBy != "", readsResponse, "invited_by"},
		{e.MetBy != "", readsResponse, "met_by"},
		{len(e.Answers) > 0, readsResponse, "answers"},
		{e.BANT != (BANT{}), readsBANT, "bant"},
		{e.To != "", readsTo, "to"},
		{e.Feedback != (Feedback{}), readsFeedback, "feedback"},
	} {
		if f.set && r&f.bit == 0 {
			return leaderr.Errorf(f.field, "%s %s event does not read it; leave it empty (E9)", article(e.Kind.String()), e.Kind)
		}
	}
	return nil
}

// UnmarshalJSON reads an event as it marshals, refusing a field the
// format does not know (E9) and a score whose text is too long to be one
// before parsing it ([MaxScoreText]): a megabyte of digits would
// otherwise cost seconds to parse before Validate could refuse it (E6).
func (e *Event) UnmarshalJSON(b []byte) error {
	type plain Event
	in := struct {
		*plain
		Score scoreJSON `json:"score"`
	}{plain: (*plain)(e), Score: scoreJSON{&e.Score}}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(&in)
}

// scoreJSON reads an event's score into d, checking its length first.
type scoreJSON struct{ d *decimal.Decimal }

func (s scoreJSON) UnmarshalJSON(b []byte) error {
	if err := CheckScoreText(b); err != nil {
		return err
	}
	return s.d.UnmarshalJSON(b)
}

// article is the English article before word: "an inquiry", "a download".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
