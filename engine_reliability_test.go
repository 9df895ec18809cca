package leadline_test

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leadlinetest"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

// TestEngine_NotificationKeys_E4_T8 is the reproduction: an
// attempt reported late is clamped to the previous step, so the Stage3
// deadline falls on the instant the Stage2 one had. The two firings are
// two notifications each, with four keys, and each fires once.
func TestEngine_NotificationKeys_E4_T8(t *testing.T) {
	h := newHarness(t, leadline.Config{})
	t0 := h.clk.Now()
	h.create(t, "L-1", score("120"), "rep-a")
	h.inquiry(t, "L-1")
	h.must(t, lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: "rep-a", Channels: stage.Call, At: t0})
	first := h.advance(t, 49*time.Hour)
	h.must(t, lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: "rep-a", Channels: stage.Call, At: t0})
	second := h.sweep(t)
	if len(first.Fired) != 1 || len(second.Fired) != 1 {
		t.Fatalf("Sweeps fired %v then %v; want one deadline each (Stage2, then Stage3)", first.Fired, second.Fired)
	}
	if !first.Fired[0].Due.Equal(second.Fired[0].Due) {
		t.Fatalf("the reproduction needs equal due instants, got %v and %v", first.Fired[0].Due, second.Fired[0].Due)
	}
	keys := map[string]leadline.Notification{}
	reminders := 0
	for _, n := range h.delivered(0) {
		if o, dup := keys[n.Key]; dup {
			t.Fatalf("key %q shared by %v and %v (E4)", n.Key, o, n)
		}
		keys[n.Key] = n
		if n.Kind == leadline.NoteReminder {
			reminders++
		}
	}
	if reminders != 2 {
		t.Fatalf("delivered %d reminders, want 2 (Stage2 and Stage3, T8)", reminders)
	}
}

// TestEngine_NotificationKeys_T1Chain_E4 checks that a reassignment chain
// (T1, T10) gives every firing of the untouched window its own keys, and
// that the same event id on two leads gives two keys.
func TestEngine_NotificationKeys_T1Chain_E4(t *testing.T) {
	h := newHarness(t, leadline.Config{})
	for _, id := range []string{"L-1", "L/2"} {
		h.create(t, id, score("120"), "")
		h.must(t, lead.Event{ID: "same-id", Kind: lead.EventInquiry, Lead: id})
	}
	for range 4 {
		h.advance(t, 49*time.Hour)
	}
	keys := map[string]leadline.Notification{}
	for _, n := range h.delivered(0) {
		if o, dup := keys[n.Key]; dup {
			t.Fatalf("key %q shared by %v and %v (E4)", n.Key, o, n)
		}
		keys[n.Key] = n
	}
	if got := len(h.delivered(leadline.NoteApproachRequest)); got != 2 {
		t.Fatalf("delivered %d approach requests, want one per lead: event ids are per lead (E2, E4)", got)
	}
	if got := len(h.delivered(leadline.NoteReassigned)); got < 4 {
		t.Fatalf("delivered %d reassignments, want at least 2 per lead (T1, T10)", got)
	}
}

// TestEngine_SweepFiredConcurrent_E5 checks that with several sweepers
// every deadline that fired is reported by exactly one Sweep, earlier
// deadlines fired along with a claimed later one included (a
// reliability finding).
func TestEngine_SweepFiredConcurrent_E5(t *testing.T) {
	h := newHarness(t, leadline.Config{Batch: 3})
	const leads = 60
	for i := range leads {
		id := benchID(i)
		h.create(t, id, score("120"), "rep-a")
		h.inquiry(t, id)
		h.attempt(t, id) // Stage1: the Stage2 deadline, and a request due later
		h.inquiry(t, id) // an open request mid-cadence: a second deadline
	}
	h.clk.Add(30 * 24 * time.Hour)
	var (
		mu    sync.Mutex
		fired = map[string]int{}
		wg    sync.WaitGroup
	)
	for range 4 {
		wg.Go(func() {
			res, err := h.eng.Sweep(context.Background())
			if err != nil {
				t.Errorf("Sweep: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, d := range res.Fired {
				fired[d.Key()]++
			}
		})
	}
	wg.Wait()
	var want int
	for i := range leads {
		for _, c := range h.history(t, benchID(i)) {
			if c.Rule == "T8" || c.Rule == "A4" && c.Field == lead.FieldRequest && c.To == "overdue" ||
				(c.Rule == "T7" || c.Rule == "T13" || c.Rule == "T1") && c.Field == lead.FieldStage {
				want++
			}
		}
	}
	total := 0
	for k, n := range fired {
		if n != 1 {
			t.Errorf("deadline %s reported %d times", k, n)
		}
		total += n
	}
	if total != want || total == 0 {
		t.Fatalf("Sweeps reported %d deadlines, history shows %d fired", total, want)
	}
}

// TestEngine_SweepCancelled_E5 checks that a Sweep cancelled mid-batch
// gives its claims back, so that the next Sweep fires the earliest
// deadline first (E5).
func TestEngine_SweepCancelled_E5(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var once sync.Once
	armed := false
	h := newHarness(t, leadline.Config{Batch: 2, Roster: rosterFunc(func(c context.Context, r routing.Role) (routing.Team, error) {
		if armed {
			once.Do(cancel) // the first deadline's write fails: the Sweep is cancelled mid-batch
		}
		return team().Team(c, r)
	})})
	for i := range 4 {
		id := benchID(i)
		h.create(t, id, score("120"), "rep-a")
		h.inquiry(t, id)
		h.clk.Add(time.Minute)
	}
	h.clk.Add(49 * time.Hour)
	armed = true
	if res, err := h.eng.Sweep(ctx); err == nil || len(res.Fired) != 0 {
		t.Fatalf("Sweep cancelled mid-batch = %v, %v; want an error and nothing fired", res.Fired, err)
	}
	h.clk.Add(time.Second) // within the lease
	res := h.sweep(t)
	if len(res.Fired) != 4 {
		t.Fatalf("fired %v, want 4 deadlines", res.Fired)
	}
	for i := 1; i < len(res.Fired); i++ {
		if res.Fired[i].Less(res.Fired[i-1]) {
			t.Fatalf("fired out of order after a cancelled Sweep: %v (E5)", res.Fired)
		}
	}
}

// rosterFunc adapts a function to [leadline.Roster].
type rosterFunc func(ctx context.Context, role routing.Role) (routing.Team, error)

func (f rosterFunc) Team(ctx context.Context, role routing.Role) (routing.Team, error) {
	return f(ctx, role)
}

// raise writes n approach requests, one per new lead, and returns the
// kit that will deliver them through f.
func raise(t *testing.T, n int, cfg leadline.Config) *leadlinetest.Kit {
	t.Helper()
	if cfg.Roster == nil {
		cfg.Roster = team()
	}
	k := leadlinetest.New(t, cfg)
	for i := range n {
		id := benchID(i)
		k.Handle(lead.Event{Kind: lead.EventCreated, Lead: id, Score: score("120"), Owner: "rep-a"})
		k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: id})
	}
	return k
}

// TestEngine_DeliverPoison_E4 is the poison notification: a
// notifier that panics on one of 80 (batch 16) delivers the other 79 once
// each, acknowledged one by one, and sets the poison aside in the
// dead-letter list after Config.DeliveryAttempts attempts, from where
// Retry puts it back.
func TestEngine_DeliverPoison_E4(t *testing.T) {
	poison := benchID(13)
	f := &leadlinetest.Faults{PanicFunc: func(n leadline.Notification) bool { return n.Lead == poison }}
	k := raise(t, 80, leadline.Config{Notifier: f, Batch: 16, DeliveryAttempts: 4, RetryBackoff: time.Minute, RetryBackoffMax: 3 * time.Minute})
	var total leadline.DeliverResult
	var gaps []time.Duration
	last := k.Now()
	for range 20 {
		res := k.Deliver()
		if res.Failed > 0 {
			gaps = append(gaps, k.Now().Sub(last))
			last = k.Now()
		}
		total.Delivered += res.Delivered
		total.Failed += res.Failed
		total.Dead += res.Dead
		k.Advance(time.Minute)
	}
	if total.Delivered != 79 || total.Failed != 4 || total.Dead != 1 {
		t.Fatalf("delivered %d, failed %d, dead %d; want 79, 4, 1", total.Delivered, total.Failed, total.Dead)
	}
	seen := map[string]int{}
	for _, n := range k.Notifications() {
		if seen[n.Key]++; seen[n.Key] > 1 {
			t.Fatalf("%s delivered twice", n.Key)
		}
	}
	// Backoff: 1, 2, then 3 minutes (capped) between the attempts.
	if want := []time.Duration{0, time.Minute, 2 * time.Minute, 3 * time.Minute}; !slices.Equal(gaps, want) {
		t.Fatalf("attempts of the poison came after %v, want %v (growing backoff)", gaps, want)
	}
	dead, err := k.Engine.DeadLetters(t.Context())
	if err != nil || len(dead) != 1 || dead[0].Notification.Lead != poison || dead[0].Notification.Attempts != 4 || dead[0].Err == "" {
		t.Fatalf("DeadLetters() = %+v, %v; want the poison after 4 attempts, with its error", dead, err)
	}
	f.PanicFunc = nil // the notifier is fixed
	if err := k.Engine.Retry(t.Context(), dead[0].Notification.Key); err != nil {
		t.Fatal(err)
	}
	if res := k.Deliver(); res.Delivered != 1 {
		t.Fatalf("Deliver after Retry = %+v, want the poison delivered", res)
	}
	if dead, _ := k.Engine.DeadLetters(t.Context()); len(dead) != 0 {
		t.Fatalf("DeadLetters() after a delivered Retry = %v, want none", dead)
	}
}

// TestEngine_DeliverCancelled_E4 is the cancelled Deliver: it
// stops at once, returns ctx's error, and acknowledges what was delivered,
// so nothing is delivered twice.
func TestEngine_DeliverCancelled_E4(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	calls := 0
	notifier := leadline.NotifierFunc(func(c context.Context, n leadline.Notification) error {
		if calls++; calls == 10 {
			cancel()
		}
		return c.Err()
	})
	k := raise(t, 40, leadline.Config{Notifier: notifier, Batch: 16})
	res, err := k.Engine.Deliver(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Deliver on a cancelled ctx = %v, want context.Canceled", err)
	}
	if res.Delivered != 9 || res.Failed != 0 || calls != 10 {
		t.Fatalf("Deliver = %+v after %d calls; want 9 delivered, no failure, 10 calls", res, calls)
	}
	k.Advance(leadline.LeaseDefault)
	if res := k.Deliver(); res.Delivered != 31 {
		t.Fatalf("next Deliver = %+v, want the 31 left (the 9 were acknowledged)", res)
	}
	if got := len(k.Notifications()); got != 40 {
		t.Fatalf("recorded %d deliveries, want 40: none twice", got)
	}
}

// TestEngine_DeliverCancelledReleases_E4: a Deliver cut short in the
// notifier's call gives back the claims on what it never handed over:
// the next Deliver takes them at once, with the claim uncounted, while the
// notification whose call was cut short waits for its lease and counts
// that call as an attempt (E4).
func TestEngine_DeliverCancelledReleases_E4(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	attempts := map[string][]int{}
	var cut bool
	notifier := leadline.NotifierFunc(func(c context.Context, n leadline.Notification) error {
		attempts[n.Lead] = append(attempts[n.Lead], n.Attempts)
		if !cut {
			cut = true
			cancel() // the host shuts down during the first call
			return c.Err()
		}
		return nil
	})
	k := raise(t, 3, leadline.Config{Notifier: notifier, DeliveryAttempts: 2})
	if _, err := k.Engine.Deliver(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Deliver = %v, want context.Canceled", err)
	}
	if res := k.Deliver(); res.Delivered != 2 {
		t.Fatalf("Deliver at once = %+v; want the 2 never handed over", res)
	}
	k.Advance(leadline.LeaseDefault)
	if res := k.Deliver(); res.Delivered != 1 || res.Dead != 0 {
		t.Fatalf("Deliver after the lease = %+v; want the one cut short, delivered", res)
	}
	want := map[string][]int{benchID(0): {0, 1}, benchID(1): {0}, benchID(2): {0}}
	for id, w := range want {
		if !slices.Equal(attempts[id], w) {
			t.Errorf("%s: the notifier saw Attempts %v; want %v", id, attempts[id], w)
		}
	}
}

// TestEngine_RunSurvivesPanic_E4 runs Run with a notifier that panics on
// every notification: Run keeps going until its ctx ends.
func TestEngine_RunSurvivesPanic_E4(t *testing.T) {
	f := &leadlinetest.Faults{PanicFunc: func(leadline.Notification) bool { return true }}
	k := raise(t, 3, leadline.Config{Notifier: f})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- k.Engine.Run(ctx) }()
	timeout := time.After(30 * time.Second)
	for {
		if _, _, panics := f.Counts(); panics >= 3 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("Run returned %v while its ctx was live", err)
		case <-timeout:
			t.Fatal("Run never delivered")
		default:
			runtime.Gosched()
		}
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run = %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestConfig_DeliveryValidate_E4(t *testing.T) {
	for _, c := range []struct {
		name  string
		cfg   leadline.Config
		field string
	}{
		{"negative backoff", leadline.Config{RetryBackoff: -time.Second}, "config.retry_backoff"},
		{"negative max backoff", leadline.Config{RetryBackoffMax: -time.Second}, "config.retry_backoff_max"},
		{"max below first", leadline.Config{RetryBackoff: time.Hour, RetryBackoffMax: time.Minute}, "config.retry_backoff_max"},
		{"negative attempts", leadline.Config{DeliveryAttempts: -1}, "config.delivery_attempts"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.cfg.Validate()
			fe, ok := errors.AsType[*leadline.FieldError](err)
			if !ok || fe.Field != c.field {
				t.Fatalf("Validate() = %v, want a FieldError for %s", err, c.field)
			}
		})
	}
}

// TestEngine_InputLimits_E6 is the accepted input that later broke
// an export: each is refused where it enters, and nothing is written.
func TestEngine_InputLimits_E6(t *testing.T) {
	h := newHarness(t, leadline.Config{})
	h.create(t, "L-1", score("10"), "rep-a")
	long := strings.Repeat("x", lead.MaxCommentBytes+1)
	for _, c := range []struct {
		name  string
		ev    lead.Event
		field string
	}{
		{"E6 leading space in a lead id", lead.Event{Kind: lead.EventCreated, Lead: " F-9"}, "lead"},
		{"E6 invalid UTF-8 in a lead id", lead.Event{Kind: lead.EventCreated, Lead: "F-\xff"}, "lead"},
		{"E6 a newline in a lead id", lead.Event{Kind: lead.EventCreated, Lead: "F-9\n"}, "lead"},
		{"E6 an id over the limit", lead.Event{Kind: lead.EventCreated, Lead: strings.Repeat("F", lead.MaxIDBytes+1)}, "lead"},
		{"E6 a control character in an event id", lead.Event{ID: "e\t1", Kind: lead.EventCreated, Lead: "F-1"}, "id"},
		{"E6 a company name over the limit", lead.Event{Kind: lead.EventCreated, Lead: "F-2", Profile: lead.Profile{Company: strings.Repeat("c", lead.MaxNameBytes+1)}}, "profile.company"},
		{"E6 M5 a comment over the limit", lead.Event{Kind: lead.EventFeedback, Lead: "L-1", Actor: "rep-a", Feedback: lead.Feedback{Comment: long}}, "feedback.comment"},
		{"E6 M5 a comment not UTF-8", lead.Event{Kind: lead.EventFeedback, Lead: "L-1", Actor: "rep-a", Feedback: lead.Feedback{Comment: "\xff"}}, "feedback.comment"},
		{"E6 a reason over the limit", lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Actor: "rep-a", Status: lead.StatusCustomer, Reason: strings.Repeat("r", lead.MaxTextBytes+1)}, "reason"},
		{"E6 a topic not UTF-8", lead.Event{Kind: lead.EventInquiry, Lead: "L-1", Topic: "\xfe"}, "topic"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := h.snapshot(t, "L-1")
			err := h.handle(t, c.ev)
			fe, ok := errors.AsType[*leadline.FieldError](err)
			if !ok || fe.Field != c.field {
				t.Fatalf("Handle = %v, want a FieldError for %s", err, c.field)
			}
			if after := h.snapshot(t, "L-1"); !after.same(before) {
				t.Fatal("a refused event changed the lead (E6)")
			}
		})
	}
}

// TestEngine_RosterDuplicateRep_M9 checks that a roster listing a rep
// twice is refused: at New for a static Org, at use for any Roster.
func TestEngine_RosterDuplicateRep_M9(t *testing.T) {
	dup := &routing.Org{Inside: routing.Team{ID: "inside", Manager: "mgr", Reps: []routing.Rep{{ID: "rep-a"}, {ID: "rep-b"}, {ID: "rep-a"}}}}
	cfg := leadline.Config{Roster: dup}
	if err := cfg.Validate(); !errors.Is(err, leadline.ErrInvalid) {
		t.Fatalf("Config.Validate with a rep listed twice = %v, want a FieldError", err)
	}
	h := newHarness(t, leadline.Config{Roster: rosterFunc(func(c context.Context, r routing.Role) (routing.Team, error) { return dup.Team(c, r) })})
	// The roster is read when a trigger decides the desk and picks an
	// owner (M11), not at creation.
	h.must(t, lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: score("120")})
	if err := h.handle(t, lead.Event{Kind: lead.EventInquiry, Lead: "L-1"}); err == nil {
		t.Fatal("Handle with a roster listing a rep twice = nil, want an error (M9)")
	}
}
