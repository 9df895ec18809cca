package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/shopspring/decimal"
)

// FollowUp is something a generated lead may do after it arrives, as
// marketing automation sees it: an inquiry, a download or a score change.
type FollowUp struct {
	// Chance is how likely it is; 1 draws nothing.
	Chance float64
	// Kind is lead.EventInquiry or lead.EventDownload; zero for a score
	// change by Delta.
	Kind lead.EventKind
	// After is when it comes, in hours after the arrival; Soon, if
	// positive, is a fixed delay instead, drawing nothing.
	After Span
	Soon  time.Duration
	// Topics are the inquiry's subjects or the documents; one is drawn,
	// unless there is only one.
	Topics []string
	// Delta draws a score change; DeltaFirst draws it before the instant.
	Delta      func(r *rand.Rand) decimal.Decimal
	DeltaFirst bool
	// Why says what a score change is: "engagement", "unsubscribed".
	Why string
}

// Scripted is one follow-up drawn for a lead: an event to report at At,
// or a score change by Delta when Event is zero.
type Scripted struct {
	At    time.Time
	Event lead.Event
	Delta decimal.Decimal
	Why   string
}

// Script draws the follow-ups of a lead of src arriving at at: src.Follow,
// then always, each in order and in a fixed order of draws from R.
func (a *Arrivals) Script(src Source, at time.Time, always ...FollowUp) []Scripted {
	var out []Scripted
	r := a.R
	for _, f := range append(src.Follow[:len(src.Follow):len(src.Follow)], always...) {
		if f.Chance < 1 && r.Float64() >= f.Chance {
			continue
		}
		var sc Scripted
		if f.Kind == 0 && f.DeltaFirst {
			sc.Delta = f.Delta(r)
		}
		if sc.At = at.Add(f.Soon); f.Soon <= 0 {
			sc.At = at.Add(f.After.Draw(r))
		}
		switch {
		case f.Kind != 0:
			sc.Event = lead.Event{Kind: f.Kind, Actor: "marketing", Topic: f.Topics[0]}
			if len(f.Topics) > 1 {
				sc.Event.Topic = f.Topics[r.IntN(len(f.Topics))]
			}
		case !f.DeltaFirst:
			sc.Delta = f.Delta(r)
		}
		sc.Why = f.Why
		out = append(out, sc)
	}
	return out
}

// Marketing is marketing automation as a simulation plays it: it creates
// leads and reports their activity at their instants, rescores them, and
// decays the scores of quiet leads. Today counts what it did since the
// day's report last reset it. Event ids have the prefix "ma".
type Marketing struct {
	Sim   *Sim
	Today MarketingDay

	ids    []string // in the order created
	source map[string]string
	last   map[string]time.Time
}

// MarketingDay is what marketing automation did in a day: new leads by
// source key, and score changes up, down and by decay.
type MarketingDay struct {
	New             Count
	Up, Down, Decay int
}

// Create schedules lead id's creation at t, by ev (a created event without
// id, lead and instant) from source, and its script.
func (m *Marketing) Create(id string, t time.Time, source string, ev lead.Event, script []Scripted) {
	if m.source == nil {
		m.source, m.last = map[string]string{}, map[string]time.Time{}
	}
	m.ids = append(m.ids, id)
	m.source[id] = source
	m.Report(id, t, ev)
	for _, sc := range script {
		if sc.Event.Kind != 0 {
			m.Report(id, sc.At, sc.Event)
			continue
		}
		m.Sim.At(sc.At, func(ctx context.Context, at time.Time) error { return m.rescore(ctx, id, at, sc.Delta, false) })
	}
}

// Report schedules an event of lead id at t: its creation, an inquiry, a
// download. The lead counts as active from then.
func (m *Marketing) Report(id string, t time.Time, ev lead.Event) {
	m.Sim.At(t, func(ctx context.Context, at time.Time) error {
		ev.ID, ev.Lead, ev.At = m.Sim.NewID("ma"), id, at
		if ev.Kind == lead.EventCreated {
			if m.Today.New == nil {
				m.Today.New = Count{}
			}
			m.Today.New[m.source[id]]++
		}
		m.last[id] = at
		return m.Sim.Handle(ctx, ev)
	})
}

// rescore changes lead id's score by delta at at (E8).
func (m *Marketing) rescore(ctx context.Context, id string, at time.Time, delta decimal.Decimal, decay bool) error {
	l, err := m.Sim.eng.Lead(ctx, Ops, id)
	if err != nil {
		return err
	}
	switch {
	case delta.IsPositive():
		m.Today.Up++
		m.last[id] = at
	case decay:
		m.Today.Decay++
	default:
		m.Today.Down++
	}
	return m.Sim.Handle(ctx, lead.Event{ID: m.Sim.NewID("ma"), Kind: lead.EventScoreChanged, Lead: id, At: at, Actor: "marketing", Score: l.Score.Add(delta)})
}

// Decay returns an action that lowers by by the score of every lead with
// no activity for quiet, in the order the leads were created: the weekly
// decay of marketing automation.
func (m *Marketing) Decay(by decimal.Decimal, quiet time.Duration) ActionFunc {
	return func(ctx context.Context, at time.Time) error {
		for _, id := range m.ids {
			if t := m.last[id]; !t.IsZero() && at.Sub(t) >= quiet {
				if err := m.rescore(ctx, id, at, by.Neg(), true); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// Day returns what marketing automation did since the previous call, and
// starts counting the next day.
func (m *Marketing) Day() MarketingDay {
	d := m.Today
	m.Today = MarketingDay{}
	return d
}

// NewRow prints the day's new leads by source in a day's block, labelled
// as sources name them and in their order, if there were any.
func (d MarketingDay) NewRow(p *Printer, sources []Source) bool {
	var parts []string
	for _, src := range sources {
		if k := d.New[src.Key]; k > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", src.Label, k))
		}
	}
	if len(parts) > 0 {
		p.Row("new leads", d.New.Sum(), strings.Join(parts, ", "))
	}
	return len(parts) > 0
}

// ScoreRow prints the day's score changes in a day's block, if there were
// any.
func (d MarketingDay) ScoreRow(p *Printer) bool {
	n := d.Up + d.Down + d.Decay
	if n > 0 {
		detail := fmt.Sprintf("up %d, down %d", d.Up, d.Down)
		if d.Decay > 0 {
			detail += fmt.Sprintf(", weekly decay of quiet leads %d", d.Decay)
		}
		p.Row("score changes", n, detail)
	}
	return n > 0
}
