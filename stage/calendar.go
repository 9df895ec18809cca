package stage

import "time"

// Calendar turns a span of counted time into an absolute deadline (rule
// T11). Deadlines are instants; a calendar decides which hours count.
//
// Implementations must be safe for concurrent use and deterministic: the
// same t and d always give the same instant, and the result is never
// before t.
type Calendar interface {
	// Add returns the instant at which d of counted time has passed since
	// t. A d of zero or less returns t.
	Add(t time.Time, d time.Duration) time.Time
}

// CalendarFunc adapts a function to [Calendar].
type CalendarFunc func(t time.Time, d time.Duration) time.Time

// Add calls f(t, d).
func (f CalendarFunc) Add(t time.Time, d time.Duration) time.Time { return f(t, d) }

// WallClock counts every hour of every day: 48h after Friday 18:00 is
// Sunday 18:00. It is the default calendar (rule T11).
type WallClock struct{}

// Add returns t+d, or t when d <= 0.
func (WallClock) Add(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	return t.Add(d)
}

// Working returns how much counted time of c passes from from to to: the
// wall-clock time for [WallClock] (and a nil c), the working time for a
// [*BusinessCalendar], and for any other calendar the wall-clock time;
// 0 when to is not after from. Reports use it to say how late a step is in
// the hours a deadline counts (V6, V9).
func Working(c Calendar, from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if b, ok := c.(*BusinessCalendar); ok && b != nil {
		return b.working(from, to)
	}
	return to.Sub(from)
}
