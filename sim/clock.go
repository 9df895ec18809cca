package sim

import (
	"context"
	"sync"
	"time"

	"github.com/benbjohnson/clock"
)

// Clock is a [clock.Clock] that moves only when told, with [Clock.Set]
// or [Clock.Add], and reads and moves without sleeping (E1). The
// library's mock, clock.Mock, sleeps a real millisecond on every move so
// that goroutines waiting on its timers get to run; a simulation or a
// replay moves its clock hundreds of thousands of times and waits on no
// timer, so it would spend its time asleep.
//
// Timers, tickers, Sleep, After and the deadlines of WithDeadline and
// WithTimeout are honest: they are those of a clock.Mock kept at the
// same instant, made the first time one is asked for, and they fire when
// the clock is moved past them, in order. From then on each move also
// moves that mock, at its own cost of a millisecond: a run that sets no
// timer (package sim, package replay) never pays it.
//
// A Clock is safe for concurrent use; it should be moved from one
// goroutine at a time, as clock.Mock.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	timers *clock.Mock // nil until a timer is asked for
}

var _ clock.Clock = (*Clock)(nil)

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Set moves the clock to t, firing the timers due by then.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	m := c.timers
	c.mu.Unlock()
	if m != nil {
		m.Set(t)
	}
}

// Add moves the clock d forward, firing the timers due by then.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	t := c.now.Add(d)
	c.mu.Unlock()
	c.Set(t)
}

// Now returns the clock's instant.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Since returns the time from t to the clock's instant.
func (c *Clock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }

// Until returns the time from the clock's instant to t.
func (c *Clock) Until(t time.Time) time.Duration { return t.Sub(c.Now()) }

// mock returns the timers' clock, made at the clock's instant on first use.
func (c *Clock) mock() *clock.Mock {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timers == nil {
		c.timers = clock.NewMock()
		c.timers.Set(c.now)
	}
	return c.timers
}

// After returns a channel that receives the clock's instant once it has
// been moved d on.
func (c *Clock) After(d time.Duration) <-chan time.Time { return c.mock().After(d) }

// AfterFunc calls f in its own goroutine once the clock has been moved d
// on, unless the returned timer is stopped first.
func (c *Clock) AfterFunc(d time.Duration, f func()) *clock.Timer { return c.mock().AfterFunc(d, f) }

// Sleep blocks until another goroutine moves the clock d on.
func (c *Clock) Sleep(d time.Duration) { c.mock().Sleep(d) }

// Tick returns the channel of a ticker that cannot be stopped.
func (c *Clock) Tick(d time.Duration) <-chan time.Time { return c.mock().Tick(d) }

// Ticker returns a ticker that ticks every d the clock is moved on.
func (c *Clock) Ticker(d time.Duration) *clock.Ticker { return c.mock().Ticker(d) }

// Timer returns a timer that fires once the clock has been moved d on.
func (c *Clock) Timer(d time.Duration) *clock.Timer { return c.mock().Timer(d) }

// WithDeadline returns a context done once the clock reaches d.
func (c *Clock) WithDeadline(parent context.Context, d time.Time) (context.Context, context.CancelFunc) {
	return c.mock().WithDeadline(parent, d)
}

// WithTimeout returns a context done once the clock has been moved t on.
func (c *Clock) WithTimeout(parent context.Context, t time.Duration) (context.Context, context.CancelFunc) {
	return c.mock().WithTimeout(parent, t)
}
