package leadlinetest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/leadlinetest"
)

func TestFaults_FailShare(t *testing.T) {
	f := &leadlinetest.Faults{FailShare: 0.25, FailTimes: 2}
	failing := 0
	for i := range 1000 {
		n := leadline.Notification{Key: fmt.Sprintf("k-%d", i)}
		err := f.Notify(t.Context(), n)
		if f.Failing(n.Key) != (err != nil) {
			t.Fatalf("Notify(%s) = %v, Failing = %v", n.Key, err, f.Failing(n.Key))
		}
		if err != nil {
			if !errors.Is(err, leadlinetest.ErrInjected) {
				t.Fatalf("Notify(%s) = %v, want ErrInjected", n.Key, err)
			}
			failing++
			if err := f.Notify(t.Context(), n); err == nil {
				t.Fatalf("second attempt of %s passed, want FailTimes 2 failures", n.Key)
			}
			if err := f.Notify(t.Context(), n); err != nil {
				t.Fatalf("third attempt of %s = %v, want it through after FailTimes", n.Key, err)
			}
		}
	}
	if failing < 200 || failing > 300 {
		t.Fatalf("%d of 1000 keys failed, want about 250", failing)
	}
	again := &leadlinetest.Faults{FailShare: 0.25}
	for i := range 1000 {
		if k := fmt.Sprintf("k-%d", i); again.Failing(k) != f.Failing(k) {
			t.Fatalf("Failing(%s) differs between two Faults: not deterministic", k)
		}
	}
}

func TestFaults_Panic(t *testing.T) {
	f := &leadlinetest.Faults{PanicFunc: func(n leadline.Notification) bool { return n.Key == "poison" }}
	if err := f.Notify(t.Context(), leadline.Notification{Key: "fine"}); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("Notify(poison) did not panic")
			}
		}()
		_ = f.Notify(t.Context(), leadline.Notification{Key: "poison"})
	}()
	if calls, failures, panics := f.Counts(); calls != 2 || failures != 0 || panics != 1 {
		t.Fatalf("Counts() = %d, %d, %d; want 2, 0, 1", calls, failures, panics)
	}
}

func TestFaults_Hold(t *testing.T) {
	rec := new(leadlinetest.Recorder)
	f := &leadlinetest.Faults{Next: rec}
	f.Hold()
	done := make(chan error, 1)
	go func() { done <- f.Notify(context.Background(), leadline.Notification{Key: "k"}) }()
	deadline := time.After(10 * time.Second)
	for f.Waiting() == 0 {
		select {
		case <-deadline:
			t.Fatal("Notify never blocked")
		default:
		}
		waitABit()
	}
	if len(rec.Notifications()) != 0 {
		t.Fatal("a held Notify went through")
	}
	f.Release()
	select {
	case err := <-done:
		if err != nil || len(rec.Notifications()) != 1 {
			t.Fatalf("released Notify = %v with %d recorded; want nil and 1", err, len(rec.Notifications()))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Release did not unblock Notify")
	}

	f.Hold()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { done <- f.Notify(ctx, leadline.Notification{Key: "k2"}) }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("held Notify with a cancelled ctx = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled ctx did not unblock Notify")
	}
	f.Release()
}

// waitABit yields to other goroutines without sleeping.
func waitABit() {
	ch := make(chan struct{})
	go close(ch)
	<-ch
}
