package report

import (
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

// Frame is what every report reads besides its own parameters: the
// instant it is read at and the zone and week it reads days in (V8), and
// the policy that decides what its viewer may see (M2, V10), the
// playbook (T12) and the calendar of working hours (T11). Reports read no
// clock: Now is the engine's.
type Frame struct {
	// Now is the instant the report is read at: the engine's clock
	// (E1). Required.
	Now time.Time
	// Zone is the time zone "today", "this week" and "this month" are
	// days of, and the zone of the times a report writes (V8). Defaults
	// to Now's zone.
	Zone *time.Location
	// WeekStart is the day a week starts on (V8). Defaults to Monday; use
	// new(time.Sunday) for weeks that start on Sunday.
	WeekStart *time.Weekday
	// Routing is the policy's routing rules, which decide what the
	// viewer may see (M2). Defaults to the zero routing.Rules:
	// inside-first, no summary for field reps.
	Routing *routing.Rules
	// Cadence is the policy's cadence: the playbook a worklist shows
	// (T12) and the calendar working hours are counted on (T11).
	// Defaults to stage.DefaultPolicy(): wall-clock hours.
	Cadence *stage.Policy
}

var defaultCadence = stage.DefaultPolicy()

func (f *Frame) check(v routing.Viewer) error {
	if f.Now.IsZero() {
		return leaderr.Errorf("frame.now", "required: the engine's instant")
	}
	return v.Validate()
}

func (f *Frame) zone() *time.Location {
	if f.Zone != nil {
		return f.Zone
	}
	return f.Now.Location()
}

func (f *Frame) cadence() *stage.Policy {
	if f.Cadence != nil {
		return f.Cadence
	}
	return &defaultCadence
}

func (f *Frame) rules() *routing.Rules {
	if f.Routing != nil {
		return f.Routing
	}
	return &routing.Rules{}
}

func (f *Frame) sees(v routing.Viewer, l *lead.Lead) bool {
	return f.rules().Access(v, l) == routing.FullAccess
}

// Day returns the day of t in the frame's zone, midnight to midnight: 23
// or 25 hours on a day the clocks change (V8).
func (f *Frame) Day(t time.Time) Period {
	t = t.In(f.zone())
	y, m, d := t.Date()
	return Period{From: time.Date(y, m, d, 0, 0, 0, 0, f.zone()), To: time.Date(y, m, d+1, 0, 0, 0, 0, f.zone())}
}

// Today returns the day of Now in the frame's zone (V3, V8).
func (f *Frame) Today() Period { return f.Day(f.Now) }

// ThisWeek returns the week of Now in the frame's zone, from midnight of
// its first day (WeekStart) for seven days (V4, V8).
func (f *Frame) ThisWeek() Period {
	start := time.Monday
	if f.WeekStart != nil {
		start = *f.WeekStart
	}
	t := f.Now.In(f.zone())
	back := (int(t.Weekday()) - int(start) + 7) % 7
	y, m, d := t.Date()
	return Period{From: time.Date(y, m, d-back, 0, 0, 0, 0, f.zone()), To: time.Date(y, m, d-back+7, 0, 0, 0, 0, f.zone())}
}

// ThisMonth returns the calendar month of Now in the frame's zone (V5,
// V8).
func (f *Frame) ThisMonth() Period {
	t := f.Now.In(f.zone())
	y, m, _ := t.Date()
	return Period{From: time.Date(y, m, 1, 0, 0, 0, 0, f.zone()), To: time.Date(y, m+1, 1, 0, 0, 0, 0, f.zone())}
}

// in returns t in the frame's zone, the zero time as it is.
func (f *Frame) in(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(f.zone())
}

// or returns p, or def when p is zero.
func or(p Period, def Period) Period {
	if p.From.IsZero() && p.To.IsZero() {
		return def
	}
	return p
}
