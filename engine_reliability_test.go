package leadline_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

// TestEngine_NotificationKeys_E4_T8 is issue 11's reproduction: an
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
// deadlines fired along with a claimed later one included (issue 11,
// finding 6).
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
			if c.Rule == "T8" || c.Rule == "A4" && c.Field == lead.FieldRequest && c.To == "overdue" || c.Rule == "T7" && c.Field == lead.FieldStage {
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
