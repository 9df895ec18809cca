package routing

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/shopspring/decimal"
)

// Band says which scores a [Trigger] matches, relative to the policy's
// threshold.
type Band uint8

// The bands. Stored by key; do not reorder.
const (
	AnyScore Band = iota // every score
	AtLeast              // score >= threshold: an MQL (A1, A3)
	Below                // score < threshold (A2)
	numBands
)

var bandKeys = [numBands]string{"any", "at_least", "below"}

// String returns the key: "any", "at_least", "below".
func (b Band) String() string {
	if b < numBands {
		return bandKeys[b]
	}
	return fmt.Sprintf("band(%d)", uint8(b))
}

// MarshalText returns the key.
func (b Band) MarshalText() ([]byte, error) {
	if b >= numBands {
		return nil, leaderr.Errorf("band", "unknown band %d", uint8(b))
	}
	return []byte(bandKeys[b]), nil
}

// UnmarshalText parses a key.
func (b *Band) UnmarshalText(text []byte) error {
	k := strings.ToLower(strings.TrimSpace(string(text)))
	for i, key := range bandKeys {
		if k == key {
			*b = Band(i)
			return nil
		}
	}
	return leaderr.Errorf("band", "unknown band %s; want one of %s", leaderr.Quote(string(text)), strings.Join(bandKeys[:], ", "))
}

// Trigger is one row of the approach-request rules (A1-A7): an
// activity, a score band, and the priority and rule id of the request it
// creates.
type Trigger struct {
	// On is the activity: [lead.EventInquiry], [lead.EventDownload],
	// [lead.EventWebActivity] (no default row: web activity makes no
	// request unless a policy row says so, E9), or
	// [lead.EventResponse] for a campaign response routed to inside sales
	// that is neither an inquiry nor a download (M1).
	On lead.EventKind `json:"on"`
	// Score is the band of scores the row matches.
	Score Band `json:"score"`
	// Priority of the request; 1 is the most urgent. At least 1.
	Priority int `json:"priority"`
	// Rule is the id recorded as the request's reason: "A1".
	Rule string `json:"rule"`
	// Subject says the reason in words, shown with the request (A4).
	Subject string `json:"subject"`
}

// Triggers are the approach-request rules (A1-A3) as policy (A7). The
// rows are tried in order and the first that matches wins; an activity no
// row matches creates no request.
//
// The zero value is the rule book's: threshold 100 and rows A1, A2, A3, and a
// fourth row for campaign responses that routing sends to inside sales:
// an MQL's response (a seminar attended, a booth visited) is priority 2
// (M1: our decision; we put it beside A2: a
// response from an MQL is worth a call, after an MQL's own inquiry).
type Triggers struct {
	// Threshold is the MQL threshold, inclusive: a score at or above it is
	// "at least". Defaults to 100 (A1). A zero [lead.Threshold] is unset;
	// lead.NewThreshold(decimal.Zero) is a threshold of 0.
	Threshold lead.Threshold `json:"threshold"`
	// Rules are the rows. Nil means the rule book's rows (A1-A3, M1).
	Rules []Trigger `json:"rules"`
}

// DefaultTriggers returns the rule book's triggers written out: inquiry with score
// >= 100 is priority 1 (A1), inquiry below 100 priority 2 (A2), document
// download with score >= 100 priority 3 (A3), and a campaign response
// with score >= 100 routed to inside sales priority 2 (M1).
func DefaultTriggers() Triggers {
	return Triggers{}.Normalize()
}

func defaultTriggerRows() []Trigger {
	return []Trigger{
		{On: lead.EventInquiry, Score: AtLeast, Priority: 1, Rule: "A1", Subject: "Inquiry from an MQL (score at or above the threshold)"},
		{On: lead.EventInquiry, Score: Below, Priority: 2, Rule: "A2", Subject: "Inquiry (score below the threshold)"},
		{On: lead.EventDownload, Score: AtLeast, Priority: 3, Rule: "A3", Subject: "Document download by an MQL"},
		{On: lead.EventResponse, Score: AtLeast, Priority: 2, Rule: "M1", Subject: "Campaign response from an MQL"},
	}
}

// Normalize returns t with its defaults written out; the engine calls it
// once when it is built.
func (t Triggers) Normalize() Triggers {
	if !t.Threshold.IsSet() {
		t.Threshold = defaultThreshold
	}
	if t.Rules == nil {
		t.Rules = defaultTriggerRows()
	} else {
		// The rows are the engine's own from here: a caller who edits
		// the policy it passed, or the one Engine.Policy returned, does
		// not change the running engine's (A7).
		t.Rules = slices.Clone(t.Rules)
	}
	return t
}

// Validate reports every bad row, and a threshold no score could be
// compared with, as [*leaderr.FieldError]s naming them
// ("triggers.rules[1].priority"), joined with errors.Join.
func (t *Triggers) Validate() error {
	var errs []error
	if t.Threshold.IsSet() {
		if err := lead.CheckScore("triggers.threshold", t.Threshold.Decimal()); err != nil {
			errs = append(errs, err)
		}
	}
	for i, r := range t.Rules {
		f := fmt.Sprintf("triggers.rules[%d]", i)
		var err error
		switch {
		case r.On != lead.EventInquiry && r.On != lead.EventDownload && r.On != lead.EventResponse && r.On != lead.EventWebActivity:
			err = leaderr.Errorf(f+".on", "want inquiry, download, response or web_activity, got %v", r.On)
		case r.Score >= numBands:
			err = leaderr.Errorf(f+".score", "unknown band %d", uint8(r.Score))
		case r.Priority < 1:
			err = leaderr.Errorf(f+".priority", "must be 1 or more, got %d", r.Priority)
		case strings.TrimSpace(r.Rule) == "":
			err = leaderr.Errorf(f+".rule", "required: the rule id recorded as the request's reason")
		case strings.ContainsAny(r.Rule, ", \t"):
			err = leaderr.Errorf(f+".rule", "%q: a rule id has no commas or spaces", r.Rule)
		default:
			// Both are written on every request the row makes, so they
			// follow the one rule of strings a store keeps (E6).
			if err = lead.CheckID(f+".rule", r.Rule); err == nil {
				err = lead.CheckText(f+".subject", r.Subject, lead.MaxTextBytes)
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Match returns the first row that matches activity on with score, and
// whether one did (A1-A3, A7). It does not allocate. Call it on a
// normalized Triggers; on the zero value it matches nothing.
func (t *Triggers) Match(on lead.EventKind, score decimal.Decimal) (*Trigger, bool) {
	reached, known := false, false
	for i := range t.Rules {
		r := &t.Rules[i]
		if r.On != on {
			continue
		}
		if r.Score != AnyScore && !known {
			reached, known = t.Threshold.Reached(score), true
		}
		switch {
		case r.Score == AnyScore,
			r.Score == AtLeast && reached,
			r.Score == Below && !reached:
			return r, true
		}
	}
	return nil, false
}
