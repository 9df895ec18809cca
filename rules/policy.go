package rules

import (
	"errors"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// Policy holds every number and list of the rule book that sales-ops
// tune: the approach-request triggers, the touch cadence, the routing by
// engagement, and how long a store keeps history. The zero value of each
// field means its default, so Policy{} is exactly the rule book, and
// [DefaultPolicy] writes the defaults out.
//
// A value that derives from another is never written out: there is one
// MQL threshold, Triggers.Threshold, which routing reads too (A7), and a
// zero RequestWindow reads the Stage1 window whatever that is. So no
// edit of a default policy can leave two values disagreeing.
type Policy struct {
	// Triggers are the approach-request rules: the MQL threshold, the one
	// every rule that says "MQL" reads, and which activity at which score
	// makes a request of which priority (A1-A3, A7). Defaults to
	// threshold 100 with rows A1, A2, A3.
	Triggers routing.Triggers `json:"triggers"`
	// Cadence is the touch cadence: each stage's window and playbook, the
	// recycle wait, the reassignment limit and the calendar (T1-T12).
	// Defaults to 48h, 48h, 48h, 4 days, a 4-day wait, 2 reassignments and
	// wall-clock time.
	Cadence stage.Policy `json:"cadence"`
	// Routing decides who follows up campaign responses, who sees what,
	// and what a hand-off needs (M1-M10). Defaults to an inside-first
	// organisation with M3's engagement table; its MQL threshold is
	// Triggers.Threshold.
	Routing routing.Rules `json:"routing"`
	// RequestWindow is how long the owner has to approach a lead for a
	// request made while its cadence is already past Untouched (A4): the
	// request is due this long after the trigger, counted on the cadence's
	// calendar. A request that starts a cadence is due at the cadence's
	// Stage1 deadline instead (T1). Zero, the default, means the Stage1
	// window (48h unless the cadence says otherwise).
	RequestWindow time.Duration `json:"request_window,omitempty"`
	// Retention bounds what a store must keep only for deduplication and
	// audit, so that an in-memory store's memory stays bounded. Defaults
	// to keeping everything (E2, E3).
	Retention Retention `json:"retention"`
	// TargetJump is rule A8: a target account whose score rises this much
	// above its end-of-previous-day score is approached at once. Defaults
	// to a rise of 10 (the V2 jump) and priority 2.
	TargetJump TargetJump `json:"target_jump,omitzero"`
	// TimeZone is the IANA name of the team's time zone, such as
	// "Asia/Tokyo": where a day begins for A8, and the zone of notification
	// text (E10). "Local" is refused: the rules must not depend on the
	// host. Defaults to the zone of the engine's clock.
	TimeZone string `json:"time_zone,omitempty"`
	// Language is the language notification text is written in (E10):
	// "en" or "ja" built in, another with templates of its own (see
	// [NewTexts]). Defaults to English.
	Language Language `json:"language,omitempty"`

	loc *time.Location // TimeZone, loaded by Normalize; nil: the clock's zone
}

// TargetJump is the policy of rule A8.
type TargetJump struct {
	// Rise is how far above its end-of-previous-day score a target
	// account's score must reach, inclusive. Zero means the default, 10.
	Rise decimal.Decimal `json:"rise"`
	// Priority is the request's priority. Zero means the default, 2.
	Priority int `json:"priority,omitempty"`
	// Off turns A8 off.
	Off bool `json:"off,omitempty"`
}

// The defaults of [TargetJump] (A8).
const (
	TargetJumpRiseDefault     = 10
	TargetJumpPriorityDefault = 2
)

// Retention says how long a store must keep a lead's history and the ids
// of handled events. A store may keep more; it must not keep less.
type Retention struct {
	// History is how far back a lead's history must reach (E3): a store
	// may drop entries older than this, counted from the lead's latest
	// write. 0 keeps every entry.
	History time.Duration `json:"history,omitempty"`
	// Events is how long an event id is remembered, so that a repeat
	// changes nothing (E2). A repeat that arrives later than this after
	// the first is handled as new. 0 remembers every id.
	Events time.Duration `json:"events,omitempty"`
}

// DefaultPolicy returns the rule book's policy with every default that
// has a value of its own written out.
func DefaultPolicy() Policy {
	return Policy{}.Normalize()
}

// Validate reports every bad field, each a [*leaderr.FieldError] (a
// negative window, a trigger row without a rule id or with a priority
// below 1, a threshold finer than a score), joined with errors.Join;
// within the cadence and the routing rules, the first of each (E6).
func (p *Policy) Validate() error {
	var errs []error
	add := func(err error) { errs = append(errs, leaderr.Flat(err)...) }
	add(p.Triggers.Validate())
	add(p.Routing.Validate())
	if err := p.Cadence.Validate(); err != nil {
		add(leaderr.Prefix("cadence.", err))
	}
	if p.RequestWindow < 0 || p.RequestWindow > stage.MaxWindow {
		add(leaderr.Errorf("request_window", "must be from 0 (the Stage1 window) to %v, got %v", stage.MaxWindow, p.RequestWindow))
	}
	if p.Retention.History < 0 {
		add(leaderr.Errorf("retention.history", "must not be negative, got %v", p.Retention.History))
	}
	if p.Retention.Events < 0 {
		add(leaderr.Errorf("retention.events", "must not be negative, got %v", p.Retention.Events))
	}
	if p.TargetJump.Rise.IsNegative() {
		add(leaderr.Errorf("target_jump.rise", "must not be negative, got %v", p.TargetJump.Rise))
	} else {
		add(lead.CheckScore("target_jump.rise", p.TargetJump.Rise)) // a difference of scores, read by their rule (A7, E6)
	}
	if p.TargetJump.Priority < 0 {
		add(leaderr.Errorf("target_jump.priority", "must be 1 or more (0 for the default), got %d", p.TargetJump.Priority))
	}
	if p.Language != "" && p.Language != English && p.Language != Japanese && !validLanguage(p.Language) {
		add(leaderr.Errorf("language", "want an ISO 639-1 code such as %q or %q, got %q", English, Japanese, p.Language))
	}
	if p.TimeZone != "" {
		if p.TimeZone == "Local" {
			add(leaderr.Errorf("time_zone", "%q depends on the host; name a zone such as Asia/Tokyo", p.TimeZone))
		} else if _, err := time.LoadLocation(p.TimeZone); err != nil {
			add(leaderr.Errorf("time_zone", "unknown zone %s: name an IANA zone such as Asia/Tokyo; on a host without a zone database (a scratch container), import _ \"time/tzdata\" in your main package", leaderr.Quote(p.TimeZone)))
		}
	}
	return errors.Join(errs...)
}

// Normalize returns p with its defaults filled in, as the rules read it;
// the engine calls it once, when it is built. It is idempotent, and it
// derives Routing's threshold from Triggers every time, so a policy
// normalized, edited and normalized again stays consistent (A7).
func (p Policy) Normalize() Policy {
	p.Triggers = p.Triggers.Normalize()
	p.Routing = p.Routing.Normalize(p.Triggers.Threshold)
	p.Cadence = p.Cadence.Normalize()
	if p.TargetJump.Rise.IsZero() {
		p.TargetJump.Rise = decimal.NewFromInt(TargetJumpRiseDefault)
	}
	if p.TargetJump.Priority == 0 {
		p.TargetJump.Priority = TargetJumpPriorityDefault
	}
	p.loc = nil
	if p.TimeZone != "" {
		p.loc, _ = time.LoadLocation(p.TimeZone) // Validate refuses a bad one
	}
	return p
}

// Zone returns the team's time zone, TimeZone, or nil when the policy
// names none (each instant then keeps the zone of the engine's clock).
func (p *Policy) Zone() *time.Location { return p.loc }

func validLanguage(l Language) bool {
	if len(l) != 2 {
		return false
	}
	for _, r := range l {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// zone returns the team's time zone: TimeZone, or now's zone.
func (p *Policy) zone(now time.Time) *time.Location {
	if p.loc != nil {
		return p.loc
	}
	return now.Location()
}

// requestWindow is RequestWindow, or the Stage1 window when it is zero.
func (p *Policy) requestWindow() time.Duration {
	if p.RequestWindow > 0 {
		return p.RequestWindow
	}
	return p.Cadence.Window(stage.Stage1)
}
