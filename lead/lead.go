package lead

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// Profile is what is known about the person behind a lead. Name and Email
// are personal data: leadline never logs them at info level.
type Profile struct {
	Company  string `json:"company,omitempty"`
	Name     string `json:"name,omitempty"`
	Email    string `json:"email,omitempty"`
	Source   string `json:"source,omitempty"`    // lead source: "web", "seminar", "list" (V3)
	MASystem string `json:"ma_system,omitempty"` // the marketing-automation system the prospect uses (V1)
	Account  string `json:"account,omitempty"`   // the CRM account the lead belongs to, if known
	Target   bool   `json:"target,omitempty"`    // the account is a target account (V2)
}

// Lead is one lead's whole state as the engine keeps it: its
// classification, score, owner, touch cadence, approach request and a
// summary of its activity. It is a plain value; stores copy it in and out.
type Lead struct {
	ID string `json:"id"`
	// Version counts the writes of this lead; stores compare-and-set on
	// it. 0 means never written.
	Version int64 `json:"version"`
	Profile
	Status Status          `json:"status"`
	Score  decimal.Decimal `json:"score"`
	// Owner is the rep who follows the lead up, "" when nobody does.
	Owner string `json:"owner,omitempty"`
	// AccountOwned says Owner is the lead's account owner, given when the
	// lead was created: round robin does not replace them at the start of
	// a cadence (M9). A T1 reassignment clears it.
	AccountOwned bool `json:"account_owned,omitempty"`
	// Passed lists the reps this cadence was taken from by T1
	// reassignment, so that it does not go back to them (T10).
	Passed  []string    `json:"passed,omitempty"`
	Created time.Time   `json:"created,omitzero"`
	Updated time.Time   `json:"updated,omitzero"`
	Track   stage.Track `json:"track,omitzero"`
	Request Request     `json:"request,omitzero"`
	// Activity summarises the lead's inquiries and downloads (V1).
	Activity Activity `json:"activity,omitzero"`

	// Desk says who follows the lead up: inside sales (the default) or
	// field sales, once routed there by engagement (M4), the direct model
	// (M1) or a hand-off (M10).
	Desk Desk `json:"desk"`
	// Responses are the lead's campaign responses, oldest first (M2, M6).
	Responses []Touch `json:"responses,omitempty"`
	// BANT is what inside sales has learnt (M10).
	BANT BANT `json:"bant,omitzero"`
	// Handoff is where the lead stands in the hand-off to field sales
	// (M10); HandedBy is the inside rep who handed it, HandedTo the field
	// rep it was handed to.
	Handoff  Handoff `json:"handoff,omitzero"`
	HandedBy string  `json:"handed_by,omitempty"`
	HandedTo string  `json:"handed_to,omitempty"`
	// Feedback is field sales' record of its follow-up (M5).
	Feedback Feedback `json:"feedback,omitzero"`
	// Jump is what rule A8 keeps of a target account's score: kept only
	// for leads whose profile marks a target account.
	Jump Jump `json:"jump,omitzero"`
}

// Jump is what rule A8 needs to know of a target account's score today,
// kept on the lead so that the rule needs no history: the day of its
// latest score change, its score when that day began (the end of the
// previous day), and the last day A8 fired. Days are YYYY-MM-DD in the
// team's time zone.
type Jump struct {
	// Day is the day of the lead's latest score change.
	Day string `json:"day,omitempty"`
	// Open is the lead's score when Day began: its end-of-previous-day
	// score.
	Open decimal.Decimal `json:"open"`
	// Fired is the last day A8 made a request for the lead: once a day at
	// most.
	Fired string `json:"fired,omitempty"`
}

// IsZero reports whether j holds nothing.
func (j Jump) IsZero() bool { return j.Day == "" && j.Fired == "" && j.Open.IsZero() }

// Clone returns a copy of l that shares no memory with it.
func (l Lead) Clone() Lead {
	l.Passed = slices.Clone(l.Passed)
	l.Responses = slices.Clone(l.Responses)
	return l
}

// Deadlines appends the lead's pending deadlines to dst in due order and
// returns the extended slice. A lead has at most two: its cadence's next
// step (T1, T3-T5, T7) and an approach request opened in the middle of a
// cadence (A4). While the cadence is Untouched the request's due date is
// the cadence's own deadline, so it appears once.
func (l *Lead) Deadlines(dst []Deadline) []Deadline {
	n := len(dst)
	if due, ok := l.Track.Pending(); ok {
		dst = append(dst, Deadline{Lead: l.ID, Kind: DeadlineCadence, Due: due})
	}
	if l.Request.State == RequestOpen && !(l.Track.Active() && l.Track.Stage == stage.Untouched) {
		dst = append(dst, Deadline{Lead: l.ID, Kind: DeadlineRequest, Due: l.Request.Due})
		if len(dst)-n == 2 && dst[n+1].Due.Before(dst[n].Due) {
			dst[n], dst[n+1] = dst[n+1], dst[n]
		}
	}
	return dst
}

// DeadlineKind says which of a lead's deadlines a [Deadline] is.
type DeadlineKind uint8

// The deadline kinds. Stored by key; do not reorder.
const (
	DeadlineCadence DeadlineKind = iota + 1 // the cadence's next step or the T7 wait
	DeadlineRequest                         // an approach request's due date (A4)
)

// String returns the key: "cadence" or "request".
func (k DeadlineKind) String() string {
	switch k {
	case DeadlineCadence:
		return "cadence"
	case DeadlineRequest:
		return "request"
	}
	return fmt.Sprintf("deadline(%d)", uint8(k))
}

// MarshalText returns the key.
func (k DeadlineKind) MarshalText() ([]byte, error) {
	if k != DeadlineCadence && k != DeadlineRequest {
		return nil, leaderr.Errorf("deadline.kind", "unknown deadline kind %d", uint8(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText parses a key: "cadence" or "request".
func (k *DeadlineKind) UnmarshalText(b []byte) error {
	return parseKey(b, []string{"cadence", "request"}, "deadline.kind", func(i int) { *k = DeadlineKind(i + 1) })
}

// Deadline is an instant at which the engine must look at a lead again if
// nothing happened first. Deadlines are derived from the lead's state
// ([Lead.Deadlines]); stores index them by Due so that a sweep finds the
// due ones without reading every lead.
type Deadline struct {
	Lead string       `json:"lead"`
	Kind DeadlineKind `json:"kind"`
	Due  time.Time    `json:"due,omitzero"`
}

// Key returns a stable identity for the deadline, "L-1/cadence/<unix µs>",
// used as the base of its notifications' idempotency keys (E4). It counts
// microseconds, the precision every store keeps, so the key of a deadline
// read back from PostgreSQL is the key it was written with.
func (d Deadline) Key() string {
	b := make([]byte, 0, len(d.Lead)+len("/cadence/")+20)
	b = append(b, d.Lead...)
	b = append(b, '/')
	b = append(b, d.Kind.String()...)
	b = append(b, '/')
	b = strconv.AppendInt(b, d.Due.UnixMicro(), 10)
	return string(b)
}

// Less orders deadlines by (Due, Lead, Kind): the order in which they
// fire (E5).
func (d Deadline) Less(o Deadline) bool {
	if c := d.Due.Compare(o.Due); c != 0 {
		return c < 0
	}
	if d.Lead != o.Lead {
		return d.Lead < o.Lead
	}
	return d.Kind < o.Kind
}

// RequestState is where an approach request stands (rule A4).
type RequestState uint8

// The request states. Stored by key; do not reorder.
const (
	RequestNone      RequestState = iota // the lead never had a request
	RequestOpen                          // waiting for the owner's first approach
	RequestDone                          // an approach was recorded
	RequestOverdue                       // the due date passed with no approach (A4)
	RequestCancelled                     // a person took the lead out of the cadence
	numRequestStates
)

var requestKeys = [numRequestStates]string{"none", "open", "done", "overdue", "cancelled"}

// String returns the key: "none", "open", "done", "overdue", "cancelled".
func (s RequestState) String() string {
	if s < numRequestStates {
		return requestKeys[s]
	}
	return fmt.Sprintf("request(%d)", uint8(s))
}

// MarshalText returns the key.
func (s RequestState) MarshalText() ([]byte, error) {
	if s >= numRequestStates {
		return nil, leaderr.Errorf("request.state", "unknown state %d", uint8(s))
	}
	return []byte(requestKeys[s]), nil
}

// UnmarshalText parses a key, in any case.
func (s *RequestState) UnmarshalText(b []byte) error {
	k := strings.ToLower(strings.TrimSpace(string(b)))
	for i, key := range requestKeys {
		if k == key {
			*s = RequestState(i)
			return nil
		}
	}
	return leaderr.Errorf("request.state", "unknown state %s; want one of %s", leaderr.Quote(string(b)), strings.Join(requestKeys[:], ", "))
}

// Request is a lead's latest approach request: a task for inside sales to
// approach the lead (A1-A9). It shows its due date, its state and
// its subject, the reason it was created (A4).
type Request struct {
	// Seq counts the requests made for this lead; 0 means none yet.
	Seq   uint32       `json:"seq,omitempty"`
	State RequestState `json:"state"`
	// Priority is 1 for the most urgent (A1). A further trigger while the
	// request is outstanding raises it to the highest of the two (A6).
	Priority int `json:"priority,omitempty"`
	// Reasons are the rule ids of the triggers recorded on the request, in
	// the order they came: "A1", "A3" (A6).
	Reasons RuleIDs `json:"reasons,omitempty"`
	// Subject says in words why the request exists, one phrase per
	// reason.
	Subject string    `json:"subject,omitempty"`
	Opened  time.Time `json:"opened,omitzero"`
	Due     time.Time `json:"due,omitzero"`
	// Closed is when the request became done or cancelled.
	Closed time.Time `json:"closed,omitzero"`
}

// Outstanding reports whether the request still waits for an approach:
// open or overdue. A lead has at most one outstanding request (A6).
func (r *Request) Outstanding() bool {
	return r.State == RequestOpen || r.State == RequestOverdue
}

// Activity summarises what a lead did, for the worklist (V1).
type Activity struct {
	Inquiries int32 `json:"inquiries,omitempty"`
	Downloads int32 `json:"downloads,omitempty"`
	// PageViews counts web activity: pages viewed and the like (E9).
	PageViews int32     `json:"page_views,omitempty"`
	Last      time.Time `json:"last,omitzero"`
	// LastTopic is the subject of the last inquiry, the name of the last
	// document downloaded or the last page viewed.
	LastTopic string `json:"last_topic,omitempty"`
}

// Summary returns a short line for the worklist: "2 inquiries, 1 download;
// last: pricing.pdf". It is "" when there was no activity.
func (a Activity) Summary() string {
	if a.Inquiries == 0 && a.Downloads == 0 && a.PageViews == 0 {
		return ""
	}
	var b strings.Builder
	plural := func(n int32, one, many string) {
		if n == 0 {
			return
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		if n == 1 {
			fmt.Fprintf(&b, "1 %s", one)
		} else {
			fmt.Fprintf(&b, "%d %s", n, many)
		}
	}
	plural(a.Inquiries, "inquiry", "inquiries")
	plural(a.Downloads, "download", "downloads")
	plural(a.PageViews, "page view", "page views")
	if a.LastTopic != "" {
		fmt.Fprintf(&b, "; last: %s", a.LastTopic)
	}
	return b.String()
}

// RuleIDs is a list of rule ids kept as one string, "A2,A3,A1". A string
// is immutable, so a lead is copied in and out of a store without copying
// its reasons. The zero value is the empty list.
type RuleIDs string

// RuleIDsOf returns the list of ids, in order, without duplicates.
func RuleIDsOf(ids ...string) RuleIDs {
	var r RuleIDs
	for _, id := range ids {
		r = r.Add(id)
	}
	return r
}

// Has reports whether id is in r.
func (r RuleIDs) Has(id string) bool {
	for part := range strings.SplitSeq(string(r), ",") {
		if part == id && id != "" {
			return true
		}
	}
	return false
}

// Add returns r with id at the end, or r itself when id is in it or
// empty.
func (r RuleIDs) Add(id string) RuleIDs {
	switch {
	case id == "" || r.Has(id):
		return r
	case r == "":
		return RuleIDs(id)
	}
	return r + "," + RuleIDs(id)
}

// List returns the ids in order; nil for the empty list.
func (r RuleIDs) List() []string {
	if r == "" {
		return nil
	}
	return strings.Split(string(r), ",")
}

// First returns the first id, "" for the empty list.
func (r RuleIDs) First() string {
	s, _, _ := strings.Cut(string(r), ",")
	return s
}

// MarshalJSON writes the ids as a JSON array.
func (r RuleIDs) MarshalJSON() ([]byte, error) {
	ids := r.List()
	if ids == nil {
		ids = []string{}
	}
	return json.Marshal(ids)
}

// UnmarshalJSON reads a JSON array of ids, or null.
func (r *RuleIDs) UnmarshalJSON(b []byte) error {
	var ids []string
	if err := json.Unmarshal(b, &ids); err != nil {
		return leaderr.Errorf("reasons", "want an array of rule ids: %v", err)
	}
	for i, id := range ids {
		if id == "" || strings.ContainsAny(id, ", ") {
			return leaderr.Errorf(fmt.Sprintf("reasons[%d]", i), "%q is not a rule id", id)
		}
	}
	*r = RuleIDsOf(ids...)
	return nil
}
