package leadlinetest_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leadlinetest"
	"github.com/leadline/leadline/routing"
	"github.com/shopspring/decimal"
)

var org = &routing.Org{Inside: routing.Team{ID: "inside", Manager: "mgr",
	Reps: []routing.Rep{{ID: "aiko"}, {ID: "ben"}}}}

// fatalTB records a Fatal instead of ending the test, to check that the
// kit fails a test when it should.
type fatalTB struct {
	testing.TB
	msg string
}

var errFatal = errors.New("fatal called")

func (f *fatalTB) Helper()                  {}
func (f *fatalTB) Context() context.Context { return context.Background() }
func (f *fatalTB) Fatal(args ...any)        { f.msg = fmt.Sprint(args...); panic(errFatal) }
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(errFatal)
}

// fails runs fn with a fatalTB and reports whether it called Fatal.
func fails(fn func(tb testing.TB)) (failed bool, msg string) {
	tb := &fatalTB{}
	defer func() {
		if r := recover(); r != nil {
			if r != errFatal {
				panic(r)
			}
			failed, msg = true, tb.msg
		}
	}()
	fn(tb)
	return false, ""
}

func TestNew(t *testing.T) {
	t.Parallel()
	k := leadlinetest.New(t, leadline.Config{Roster: org})
	if !k.Now().Equal(leadlinetest.Start) || k.Now().Weekday() != time.Monday || k.Now().Hour() != 9 {
		t.Errorf("clock starts at %v, want Monday 09:00 JST (%v)", k.Now(), leadlinetest.Start)
	}
	if k.Engine == nil || k.Store == nil || k.Recorder == nil {
		t.Fatalf("New left a field nil: %+v", k)
	}
}

func TestNew_refusesWhatTheKitOwns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  leadline.Config
	}{
		{"clock", leadline.Config{Clock: clock.NewMock()}},
		{"bad policy", leadline.Config{Policy: leadline.Policy{RequestWindow: -time.Hour}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if failed, _ := fails(func(tb testing.TB) { leadlinetest.New(tb, tt.cfg) }); !failed {
				t.Errorf("New with %s set did not fail the test", tt.name)
			}
		})
	}
}

func TestNew_hostNotifier(t *testing.T) {
	t.Parallel()
	// A test's own notifier is kept: the kit records only what it accepted
	// (E4: a refused notification stays in the outbox).
	refuse := true
	k := leadlinetest.New(t, leadline.Config{Roster: org, Notifier: leadline.NotifierFunc(func(context.Context, leadline.Notification) error {
		if refuse {
			return errors.New("chat is down")
		}
		return nil
	})})
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(150)})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"})
	if res := k.Deliver(); res.Delivered != 0 || res.Failed != 1 || len(k.Notifications()) != 0 {
		t.Fatalf("Deliver with a refusing notifier = %+v, recorded %v; want one failure and nothing recorded", res, k.Notifications())
	}
	refuse = false
	k.Advance(leadline.LeaseDefault)
	if res := k.Deliver(); res.Delivered != 1 || len(k.Notifications()) != 1 {
		t.Fatalf("Deliver after the lease = %+v, recorded %d; want the approach request delivered and recorded", res, len(k.Notifications()))
	}
}

func TestKit_Handle(t *testing.T) {
	t.Parallel()
	k := leadlinetest.New(t, leadline.Config{Roster: org})
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(150)})
	k.Advance(time.Hour)
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"})
	h := k.History("L-1")
	if len(h) == 0 {
		t.Fatal("History(L-1) is empty after two events")
	}
	if got := h[0].At; !got.Equal(leadlinetest.Start) {
		t.Errorf("created at %v, want the clock's %v (zero At is now)", got, leadlinetest.Start)
	}
	if ev := h[len(h)-1].Event; ev != "test-000002" {
		t.Errorf("last change's event = %q, want the generated test-000002", ev)
	}
	if l := k.Lead("L-1"); l.Owner != "aiko" || !l.Request.Outstanding() {
		t.Errorf("L-1: owner %q, request %v; want aiko with an open request (A1)", l.Owner, l.Request.State)
	}

	t.Run("E2 a refused event fails the test", func(t *testing.T) {
		failed, msg := fails(func(tb testing.TB) {
			k2 := leadlinetest.New(tb, leadline.Config{})
			k2.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-404"})
		})
		if !failed || msg == "" {
			t.Errorf("Handle of an unknown lead: failed %t, message %q; want a failure with a message", failed, msg)
		}
	})
}

func TestKit_Advance(t *testing.T) {
	t.Parallel()
	k := leadlinetest.New(t, leadline.Config{})
	k.Advance(49 * time.Hour)
	if want := leadlinetest.Start.Add(49 * time.Hour); !k.Now().Equal(want) {
		t.Errorf("after Advance(49h) Now = %v, want %v", k.Now(), want)
	}
	if failed, _ := fails(func(tb testing.TB) { leadlinetest.New(tb, leadline.Config{}).Advance(-time.Second) }); !failed {
		t.Error("Advance(-1s) did not fail the test")
	}
}

// TestKit_SweepDeliver follows rule T1 through the kit: the request is
// delivered once, the missed window fires once, and Take drains.
func TestKit_SweepDeliver(t *testing.T) {
	t.Parallel()
	k := leadlinetest.New(t, leadline.Config{Roster: org})
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(150)})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"})
	if res := k.Deliver(); res.Delivered != 1 {
		t.Fatalf("Deliver = %+v, want 1 delivered (A1)", res)
	}
	if got := k.Take(); len(got) != 1 || got[0].Kind != leadline.NoteApproachRequest {
		t.Fatalf("Take = %v, want the approach request", got)
	}
	if got := k.Notifications(); len(got) != 0 {
		t.Fatalf("after Take, Notifications = %v, want none", got)
	}
	k.Advance(47 * time.Hour)
	if res := k.Sweep(); len(res.Fired) != 0 {
		t.Fatalf("Sweep at 47h fired %v, want nothing", res.Fired)
	}
	k.Advance(2 * time.Hour)
	if res := k.Sweep(); len(res.Fired) != 1 {
		t.Fatalf("Sweep at 49h fired %v, want the Stage1 deadline (T1)", res.Fired)
	}
	k.Deliver()
	notes := k.Notifications()
	if len(notes) == 0 || notes[len(notes)-1].Kind != leadline.NoteReassigned || notes[len(notes)-1].To != "ben" {
		t.Fatalf("after T1, notifications %v; want the last to reassign L-1 to ben", notes)
	}
	notes[0].To = "changed"
	if k.Notifications()[0].To == "changed" {
		t.Error("Notifications returned the recorder's own slice")
	}
}

func TestRecorder_concurrent(t *testing.T) {
	t.Parallel()
	var r leadlinetest.Recorder
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 50 {
				_ = r.Notify(t.Context(), leadline.Notification{Key: fmt.Sprintf("%d-%d", g, i)})
			}
		})
	}
	wg.Wait()
	if got := len(r.Notifications()); got != 200 {
		t.Fatalf("recorded %d notifications, want 200", got)
	}
	if got := len(r.Take()); got != 200 {
		t.Fatalf("Take returned %d, want 200", got)
	}
	if got := len(r.Take()); got != 0 {
		t.Fatalf("second Take returned %d, want 0", got)
	}
}
