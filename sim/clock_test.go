package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/leadline/leadline/sim"
)

func TestClock_movesOnlyWhenTold(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)
	c := sim.NewClock(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("Now() = %v, want %v", got, start)
	}
	c.Add(90 * time.Minute)
	if got, want := c.Since(start), 90*time.Minute; got != want {
		t.Fatalf("Since(start) = %v, want %v", got, want)
	}
	c.Set(start.Add(48 * time.Hour))
	if got, want := c.Until(start.Add(49*time.Hour)), time.Hour; got != want {
		t.Fatalf("Until = %v, want %v", got, want)
	}
	// A million moves cost no real time worth speaking of: no sleeps (E1).
	for range 1_000_000 {
		c.Add(time.Second)
	}
	if got, want := c.Now(), start.Add(48*time.Hour+1_000_000*time.Second); !got.Equal(want) {
		t.Fatalf("after a million seconds Now() = %v, want %v", got, want)
	}
}

func TestClock_timers(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)
	c := sim.NewClock(start)
	tm := c.Timer(time.Hour)
	stopped := c.Timer(time.Hour)
	if !stopped.Stop() {
		t.Fatal("Stop of a pending timer = false, want true")
	}
	tk := c.Ticker(30 * time.Minute)
	ctx, cancel := c.WithTimeout(context.Background(), 2*time.Hour)
	defer cancel()

	c.Add(59 * time.Minute)
	select {
	case <-tm.C:
		t.Fatal("timer fired before its instant")
	default:
	}
	if got := <-tk.C; !got.Equal(start.Add(30 * time.Minute)) {
		t.Fatalf("ticker sent %v, want %v", got, start.Add(30*time.Minute))
	}
	c.Add(time.Minute)
	if got := <-tm.C; !got.Equal(start.Add(time.Hour)) {
		t.Fatalf("timer sent %v, want %v", got, start.Add(time.Hour))
	}
	select {
	case <-stopped.C:
		t.Fatal("a stopped timer fired")
	default:
	}
	if ctx.Err() != nil {
		t.Fatalf("context done before its deadline: %v", ctx.Err())
	}
	tk.Stop()
	c.Add(time.Hour)
	<-ctx.Done()
	if got := c.Now(); !got.Equal(start.Add(2 * time.Hour)) {
		t.Fatalf("Now() = %v, want %v", got, start.Add(2*time.Hour))
	}
}
