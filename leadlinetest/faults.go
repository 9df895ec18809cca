package leadlinetest

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"

	"github.com/leadline/leadline"
)

// ErrInjected is the error a [Faults] notifier returns for a failure it
// injected.
var ErrInjected = errors.New("leadlinetest: injected notifier failure")

// Faults is a [leadline.Notifier] that injects faults, deterministically,
// in front of another notifier: it fails a share of the keys, panics on
// chosen notifications, and blocks while held. Set its fields before the
// first Notify; its methods are safe for concurrent use. The zero value
// accepts everything.
//
//	f := &leadlinetest.Faults{FailShare: 0.2, FailTimes: 3,
//		PanicFunc: func(n leadline.Notification) bool { return n.Lead == "L-13" }}
//	k := leadlinetest.New(t, leadline.Config{Notifier: f})
type Faults struct {
	// Next receives what gets through; nil accepts it.
	Next leadline.Notifier
	// FailShare is the share of keys, from 0 to 1, whose attempts fail
	// with [ErrInjected]. Which keys fail depends on the key alone (a hash
	// of it), so the same keys fail on every run.
	FailShare float64
	// FailTimes is how many attempts of a failing key fail before it goes
	// through; 0 fails it for ever.
	FailTimes int
	// PanicFunc, when set, says which notifications Notify panics on,
	// every time.
	PanicFunc func(n leadline.Notification) bool

	mu       sync.Mutex
	tries    map[string]int
	calls    int
	failures int
	panics   int
	hold     chan struct{} // non-nil while held: Notify waits for it to close
	waiting  int
}

var _ leadline.Notifier = (*Faults)(nil)

// Notify counts the call, then blocks while f is held (until [Faults.Release]
// or ctx ends, returning ctx's error), panics if PanicFunc says so, fails
// if the key is in FailShare, and else hands n to Next.
func (f *Faults) Notify(ctx context.Context, n leadline.Notification) error {
	f.mu.Lock()
	f.calls++
	hold := f.hold
	if hold != nil {
		f.waiting++
	}
	f.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
			f.mu.Lock()
			f.waiting--
			f.mu.Unlock()
		case <-ctx.Done():
			f.mu.Lock()
			f.waiting--
			f.mu.Unlock()
			return ctx.Err()
		}
	}
	if f.PanicFunc != nil && f.PanicFunc(n) {
		f.mu.Lock()
		f.panics++
		f.mu.Unlock()
		panic(fmt.Sprintf("leadlinetest: injected panic on %s", n.Key))
	}
	if f.Failing(n.Key) {
		f.mu.Lock()
		if f.tries == nil {
			f.tries = make(map[string]int)
		}
		f.tries[n.Key]++
		fail := f.FailTimes == 0 || f.tries[n.Key] <= f.FailTimes
		if fail {
			f.failures++
		}
		f.mu.Unlock()
		if fail {
			return fmt.Errorf("notify %s: %w", n.Key, ErrInjected)
		}
	}
	if f.Next == nil {
		return nil
	}
	return f.Next.Notify(ctx, n)
}

// Failing reports whether key is among the FailShare of keys that fail.
func (f *Faults) Failing(key string) bool {
	if f.FailShare <= 0 {
		return false
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	return float64(h.Sum64()%10_000) < f.FailShare*10_000
}

// Hold makes every later Notify block until [Faults.Release] (or its ctx
// ends). Holding a held Faults does nothing.
func (f *Faults) Hold() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.hold == nil {
		f.hold = make(chan struct{})
	}
}

// Release lets every blocked Notify go on, and later ones pass.
func (f *Faults) Release() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.hold != nil {
		close(f.hold)
		f.hold = nil
	}
}

// Waiting returns how many Notify calls are blocked now.
func (f *Faults) Waiting() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.waiting
}

// Counts returns how many times Notify was called, failed and panicked.
func (f *Faults) Counts() (calls, failures, panics int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls, f.failures, f.panics
}
