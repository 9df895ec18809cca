package sim

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

// Schedule is when one person works: the opening hours of a business
// calendar (T11), less the person's absences. A person's absences may be
// ones the roster knows (routing.Rep.Away) and ones it does not (a sick
// day nobody entered): the schedule is what the person does, not what
// the engine is told.
type Schedule struct {
	// Calendar gives the opening hours. Required.
	Calendar *stage.BusinessCalendar
	// Away are the person's absences, each [From, To).
	Away []routing.Period
}

// Works reports whether the person works at t: the calendar is open and
// they are not away.
func (w Schedule) Works(t time.Time) bool { return w.Calendar.IsOpen(t) && !w.Absent(t) }

// Absent reports whether t falls in one of the person's absences.
func (w Schedule) Absent(t time.Time) bool {
	return slices.ContainsFunc(w.Away, func(p routing.Period) bool { return p.Contains(t) })
}

// Next returns the first instant at or after t at which the person works:
// t itself, the end of an absence or the calendar's next opening. It looks
// 60 openings and absences ahead at most, and returns where it got to.
func (w Schedule) Next(t time.Time) time.Time {
	for range 60 {
		if w.Works(t) {
			return t
		}
		for _, p := range w.Away {
			if p.Contains(t) {
				t = p.To
			}
		}
		if !w.Calendar.IsOpen(t) {
			t = w.Calendar.Add(t, time.Minute).Add(-time.Minute) // the next opening
		}
	}
	return t
}

// Add returns the instant d of working time after the person next works
// from t: the calendar counts the hours, so absences after that first
// instant do not stretch d.
func (w Schedule) Add(t time.Time, d time.Duration) time.Time {
	return w.Calendar.Add(w.Next(t), d)
}

// LastBefore steps back from t, truncated to the minute, a quarter of an
// hour at a time, and returns the n-th instant at which the person works,
// looking back a week at most; the zero Time if there is none.
func (w Schedule) LastBefore(t time.Time, n int) time.Time {
	t = t.Truncate(time.Minute)
	for range 7 * 24 * 4 {
		if w.Works(t) {
			if n--; n <= 0 {
				return t
			}
		}
		t = t.Add(-15 * time.Minute)
	}
	return time.Time{}
}

// Hours draws a span of lo to hi hours from r, truncated to the minute.
func Hours(r *rand.Rand, lo, hi float64) time.Duration {
	return time.Duration((lo + r.Float64()*(hi-lo)) * float64(time.Hour)).Truncate(time.Minute)
}

// Between draws a whole minute in [from, to) from r: from plus a whole
// number of minutes. It returns from, drawing nothing, if the span is
// shorter than a minute.
func Between(r *rand.Rand, from, to time.Time) time.Time {
	n := int64(to.Sub(from) / time.Minute)
	if n <= 0 {
		return from
	}
	return from.Add(time.Duration(r.Int64N(n)) * time.Minute)
}
