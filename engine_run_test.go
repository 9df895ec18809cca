package leadline_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leadlinetest"
	"github.com/leadline/leadline/memstore"
)

// conflicting is a store whose next n writes lose a compare-and-set race.
type conflicting struct {
	*memstore.Store
	n atomic.Int32
}

func (s *conflicting) Apply(ctx context.Context, w leadline.Write) error {
	if s.n.Add(-1) >= 0 {
		return fmt.Errorf("conflicting: %w", leadline.ErrConflict)
	}
	return s.Store.Apply(ctx, w)
}

func TestEngine_ConflictRetry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		conflicts int32
		wantErr   error
	}{
		{"a lost race is retried", 3, nil},
		{"retries are bounded by MaxRetries", 5, leadline.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := &conflicting{Store: memstore.New()}
			h := newHarness(t, leadline.Config{})
			eng, err := leadline.New(store, leadline.Config{Clock: h.clk, Roster: team(), MaxRetries: 4})
			if err != nil {
				t.Fatal(err)
			}
			ev := lead.Event{ID: "e1", Kind: lead.EventCreated, Lead: "L-1", At: monday, Score: score("120")}
			if err := eng.Handle(t.Context(), ev); err != nil {
				t.Fatal(err)
			}
			store.n.Store(tt.conflicts)
			err = eng.Handle(t.Context(), lead.Event{ID: "e2", Kind: lead.EventInquiry, Lead: "L-1", At: monday})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("Handle with %d conflicts = %v, want %v", tt.conflicts, err, tt.wantErr)
			}
			l, _ := store.Lead(t.Context(), "L-1")
			if wantOpen := tt.wantErr == nil; (l.Request.State == lead.RequestOpen) != wantOpen {
				t.Fatalf("request %v after the retries", l.Request.State)
			}
			// M9: a retried assignment takes its round-robin place only when
			// its write commits, so the next lead staffed (at its first
			// trigger, M11) goes to the next rep; an assignment that never
			// committed took no turn, and the next lead gets rep-a's.
			want := "rep-b"
			if tt.wantErr != nil {
				want = "rep-a"
			}
			if err := eng.Handle(t.Context(), lead.Event{ID: "e3", Kind: lead.EventCreated, Lead: "L-2", At: monday, Score: score("120")}); err != nil {
				t.Fatal(err)
			}
			if err := eng.Handle(t.Context(), lead.Event{ID: "e4", Kind: lead.EventInquiry, Lead: "L-2", At: monday}); err != nil {
				t.Fatal(err)
			}
			if l2, _ := store.Lead(t.Context(), "L-2"); l2.Owner != want {
				t.Fatalf("second lead's owner %s, want %s", l2.Owner, want)
			}
		})
	}
}

func TestEngine_Concurrent(t *testing.T) {
	t.Parallel()
	h := newHarness(t, leadline.Config{})
	h.create(t, "L-1", score("120"), "rep-a")
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				kind := lead.EventInquiry
				if i%2 == 1 {
					kind = lead.EventDownload
				}
				ev := lead.Event{ID: fmt.Sprintf("w%d-%d", w, i), Kind: kind, Lead: "L-1", At: monday}
				if err := h.eng.Handle(t.Context(), ev); err != nil {
					errs <- err
				}
			}
		})
	}
	waitGroup(t, &wg, "concurrent Handle calls")
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent Handle: %v", err)
	}
	l := h.lead(t, "L-1")
	if got := l.Activity.Inquiries + l.Activity.Downloads; got != workers*each {
		t.Fatalf("%d activities recorded, want %d: an update was lost", got, workers*each)
	}
	// A6: one request for all of them.
	if l.Request.Seq != 1 || l.Request.Priority != 1 {
		t.Fatalf("request seq %d priority %d, want one request at priority 1", l.Request.Seq, l.Request.Priority)
	}
}

func TestEngine_Run(t *testing.T) {
	t.Parallel()
	delivered := make(chan leadline.Notification, 16)
	h := newHarness(t, leadline.Config{
		Interval: time.Minute,
		Notifier: leadline.NotifierFunc(func(_ context.Context, n leadline.Notification) error {
			delivered <- n
			return nil
		}),
	})
	h.create(t, "L-1", score("120"), "rep-a")
	h.inquiry(t, "L-1")

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- h.eng.Run(ctx) }()

	// Run delivers at once, then on every tick of the engine's clock.
	if n := receive(t, delivered, "the approach request's delivery"); n.Kind != leadline.NoteApproachRequest {
		t.Fatalf("first delivery %v, want the approach request", n)
	}
	h.clk.Add(48*time.Hour + time.Minute) // the ticker fires; Run sweeps T1
	got := map[leadline.NotificationKind]bool{}
	for len(got) < 3 {
		got[receive(t, delivered, "the deliveries after the tick").Kind] = true
	}
	if !got[leadline.NoteReminder] || !got[leadline.NoteManagerAlert] || !got[leadline.NoteReassigned] {
		t.Fatalf("after the tick got %v, want reminder, manager alert and reassignment", got)
	}
	cancel()
	if err := receive(t, done, "Run to return after cancel"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
}

// runTimeout bounds every wait of these tests on the engine's goroutines:
// generous, since a test that waits this long has hung.
const runTimeout = 10 * time.Second

// receive returns the next value from ch, failing tb if none comes within
// runTimeout; what says what was awaited.
func receive[T any](tb testing.TB, ch <-chan T, what string) T {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(runTimeout):
		tb.Fatalf("no %s after %v", what, runTimeout)
		panic("unreachable")
	}
}

// waitGroup waits for wg, failing tb if it has not finished within
// runTimeout.
func waitGroup(tb testing.TB, wg *sync.WaitGroup, what string) {
	tb.Helper()
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(runTimeout):
		tb.Fatalf("%s have not returned after %v", what, runTimeout)
	}
}

// utcOutbox is a store that hands notifications back with their
// instants in UTC, as a database does that keeps instants without their
// zone.
type utcOutbox struct{ *memstore.Store }

func (s utcOutbox) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]leadline.Notification, error) {
	ns, err := s.Store.ClaimOutbox(ctx, now, lease, limit)
	for i := range ns {
		ns[i].At, ns[i].Due = ns[i].At.UTC(), ns[i].Due.UTC()
	}
	return ns, err
}

// TestEngine_Deliver_teamZone_E10: a notification reads its instants in
// the team's zone (here the clock's) whatever zone the store hands them
// back in: "due ... 10:00 JST", not "01:00 UTC".
func TestEngine_Deliver_teamZone_E10(t *testing.T) {
	t.Parallel()
	rec := &leadlinetest.Recorder{}
	clk := clock.NewMock()
	clk.Set(monday)
	eng, err := leadline.New(utcOutbox{memstore.New()}, leadline.Config{Clock: clk, Roster: team(), Notifier: rec})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []lead.Event{
		{ID: "c", Kind: lead.EventCreated, Lead: "L-1", At: monday, Score: score("120")},
		{ID: "i", Kind: lead.EventInquiry, Lead: "L-1", At: monday},
	} {
		if err := eng.Handle(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := eng.Deliver(t.Context()); err != nil {
		t.Fatal(err)
	}
	ns := rec.Notifications()
	if len(ns) == 0 {
		t.Fatal("nothing delivered")
	}
	for _, n := range ns {
		if n.At.Location() != jst || !strings.Contains(n.Text, "JST") || strings.Contains(n.Text, "UTC") {
			t.Errorf("notification %s at %v: %q, want it read in JST", n.Key, n.At, n.Text)
		}
	}
}
