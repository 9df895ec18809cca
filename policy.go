package leadline

import (
	"time"

	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

// Policy holds every number and list of SPEC.md that sales-ops tune: the
// approach-request triggers and the touch cadence. The zero value of each
// field means its default, so Policy{} is exactly SPEC.md, and
// [DefaultPolicy] writes the defaults out.
type Policy struct {
	// Triggers are the approach-request rules: the MQL threshold and which
	// activity at which score makes a request of which priority (A1-A3,
	// A7). Defaults to threshold 100 with rows A1, A2, A3.
	Triggers routing.Triggers `json:"triggers"`
	// Cadence is the touch cadence: each stage's window and playbook, the
	// recycle wait, the reassignment limit and the calendar (T1-T12).
	// Defaults to 48h, 48h, 48h, 4 days, a 4-day wait, 2 reassignments and
	// wall-clock time.
	Cadence stage.Policy `json:"cadence"`
	// Routing decides who follows up campaign responses, who sees what,
	// and what a hand-off needs (M1-M10). Defaults to an inside-first
	// organisation with M3's engagement table and the triggers' threshold.
	Routing routing.Rules `json:"routing"`
	// RequestWindow is how long the owner has to approach a lead for a
	// request made while its cadence is already past Untouched (A4): the
	// request is due this long after the trigger, counted on the cadence's
	// calendar. A request that starts a cadence is due at the cadence's
	// Stage1 deadline instead (T1). Defaults to the Stage1 window, 48h.
	RequestWindow time.Duration `json:"request_window"`
	// Retention bounds what a store must keep only for deduplication and
	// audit, so that an in-memory store's memory stays bounded. Defaults
	// to keeping everything (E2, E3).
	Retention Retention `json:"retention"`
}

// Retention says how long a store must keep a lead's history and the ids
// of handled events. A store may keep more; it must not keep less.
type Retention struct {
	// History is how far back a lead's history must reach (E3): a store
	// may drop entries older than this, counted from the lead's latest
	// write. 0 keeps every entry.
	History time.Duration `json:"history"`
	// Events is how long an event id is remembered, so that a repeat
	// changes nothing (E2). A repeat that arrives later than this after
	// the first is handled as new. 0 remembers every id.
	Events time.Duration `json:"events"`
}

// DefaultPolicy returns SPEC.md's policy with every default written out.
func DefaultPolicy() Policy {
	return Policy{}.normalize()
}

// Validate reports the first bad field as a [*FieldError]: a negative
// window, a trigger row without a rule id or with a priority below 1.
func (p *Policy) Validate() error {
	if err := p.Triggers.Validate(); err != nil {
		return err
	}
	if err := p.Routing.Validate(); err != nil {
		return err
	}
	if err := p.Cadence.Validate(); err != nil {
		return prefixField("cadence.", err)
	}
	if p.RequestWindow < 0 {
		return leaderr.Errorf("request_window", "must not be negative, got %v", p.RequestWindow)
	}
	if p.Retention.History < 0 {
		return leaderr.Errorf("retention.history", "must not be negative, got %v", p.Retention.History)
	}
	if p.Retention.Events < 0 {
		return leaderr.Errorf("retention.events", "must not be negative, got %v", p.Retention.Events)
	}
	return nil
}

// normalize fills the defaults in, once, when the engine is built.
func (p Policy) normalize() Policy {
	p.Triggers = p.Triggers.Normalize()
	p.Routing = p.Routing.Normalize(p.Triggers.Threshold)
	p.Cadence = p.Cadence.Normalize()
	if p.RequestWindow == 0 {
		p.RequestWindow = p.Cadence.Window(stage.Stage1)
	}
	return p
}

func prefixField(prefix string, err error) error {
	if fe, ok := err.(*FieldError); ok {
		c := *fe
		c.Field = prefix + c.Field
		return &c
	}
	return err
}
