package memstore_test

import (
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/stage"
	"github.com/leadline/leadline/storetest"
	"github.com/shopspring/decimal"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) leadline.Store { return memstore.New() })
}

// TestStore_Apply_refusesMisfiledRecords checks memstore's own rule: a
// change or deadline of another lead than the one written is bad input.
func TestStore_Apply_refusesMisfiledRecords(t *testing.T) {
	for _, c := range []struct {
		name string
		w    leadline.Write
	}{
		{"empty id", leadline.Write{}},
		{"change of another lead", leadline.Write{Lead: lead.Lead{ID: "L-1"}, History: []lead.Change{{Lead: "L-2"}}}},
		{"deadline of another lead", leadline.Write{Lead: lead.Lead{ID: "L-1"}, Deadlines: []lead.Deadline{{Lead: "L-2", Kind: lead.DeadlineCadence, Due: t0}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := memstore.New()
			err := st.Apply(t.Context(), c.w)
			if _, ok := errors.AsType[*lead.FieldError](err); !ok || !errors.Is(err, lead.ErrInvalid) {
				t.Fatalf("Apply = %v, want a *FieldError", err)
			}
			if _, err := st.Lead(t.Context(), c.w.Lead.ID); !errors.Is(err, lead.ErrNotFound) {
				t.Fatalf("Lead(%q) after a refused write = %v, want ErrNotFound", c.w.Lead.ID, err)
			}
		})
	}
}

var t0 = time.Date(2025, 4, 7, 9, 0, 0, 0, time.FixedZone("JST", 9*60*60))

// benchLead returns a lead in a running cadence, as the engine writes it.
func benchLead(i int) lead.Lead {
	return lead.Lead{
		ID:      fmt.Sprintf("L-%07d", i),
		Profile: lead.Profile{Company: "Example KK", Source: "web"},
		Status:  lead.StatusLead,
		Score:   decimal.New(int64(i%200), 0),
		Owner:   fmt.Sprintf("rep-%d", i%50),
		Created: t0,
		Updated: t0,
		Track:   stage.Track{Stage: stage.Stage1, Cadence: 1, Started: stage.InstantOf(t0), Reached: [4]stage.Instant{stage.InstantOf(t0)}, Due: stage.InstantOf(t0.Add(48 * time.Hour))},
		Request: lead.Request{Seq: 1, State: lead.RequestDone, Priority: 2, Reasons: "A1", Subject: "pricing inquiry", Opened: t0, Due: t0.Add(48 * time.Hour), Closed: t0},
	}
}

// fill writes n leads, each with one cadence deadline due(i), and returns
// their ids.
func fill(tb testing.TB, st *memstore.Store, n int, due func(i int) time.Time) []string {
	tb.Helper()
	ids := make([]string, n)
	for i := range n {
		l := benchLead(i)
		ids[i] = l.ID
		w := leadline.Write{Lead: l, Deadlines: []lead.Deadline{{Lead: l.ID, Kind: lead.DeadlineCadence, Due: due(i)}}}
		if err := st.Apply(tb.Context(), w); err != nil {
			tb.Fatal(err)
		}
	}
	return ids
}

// BenchmarkApply updates one of 10,000 leads per iteration, as a sweep
// does: the lead and its deadline are replaced. The write carries no event
// id, history or notification: those accumulate for the life of the store,
// and b.N of them would measure the growth of the heap rather than the
// write.
func BenchmarkApply(b *testing.B) {
	const n = 10_000
	st := memstore.New()
	ids := fill(b, st, n, func(i int) time.Time { return t0.Add(time.Duration(i) * time.Second) })
	ws := make([]leadline.Write, n)
	for i, id := range ids {
		l, err := st.Lead(b.Context(), id)
		if err != nil {
			b.Fatal(err)
		}
		ws[i] = leadline.Write{Lead: l, Deadlines: []lead.Deadline{{Lead: id, Kind: lead.DeadlineCadence}}}
	}
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w := &ws[i%n]
		w.Deadlines[0].Due = t0.Add(time.Duration(i) * time.Second)
		if err := st.Apply(ctx, *w); err != nil {
			b.Fatal(err)
		}
		w.Lead.Version++
		i++
	}
}

// BenchmarkClaimDue claims 10,000 due deadlines out of 1,000,000 pending,
// in one call.
//
// Every iteration must find the same 10,000 due, so iteration i claims
// at now+i*lease: the claims of iteration i-1 have just lapsed and the
// 990,000 others stay far in the future. An iteration therefore does what
// a sweeper's ClaimDue does when the previous sweeper died: it returns the
// 10,000 lapsed claims to the pending heap and claims them again, 20,000
// O(log n) heap moves. A sweep whose Applies end the claims (the normal
// case) does half of that in ClaimDue and the rest in Apply.
func BenchmarkClaimDue(b *testing.B) {
	const (
		scheduled = 1_000_000
		due       = 10_000
		lease     = time.Minute
	)
	st := memstore.New()
	// One lead in a hundred is due, in the quarter hour before t0; the
	// others fall due over the year after next month, later than any now
	// the loop reaches.
	fill(b, st, scheduled, func(i int) time.Time {
		if i%(scheduled/due) == 0 {
			return t0.Add(-time.Duration(i+1) * time.Millisecond)
		}
		return t0.Add(30*24*time.Hour + time.Duration(i)*30*time.Second)
	})
	ctx := b.Context()
	now := t0
	b.ReportAllocs()
	for b.Loop() {
		ds, err := st.ClaimDue(ctx, now, lease, due+1)
		if err != nil {
			b.Fatal(err)
		}
		if len(ds) != due {
			b.Fatalf("ClaimDue claimed %d, want %d", len(ds), due)
		}
		now = now.Add(lease)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/due, "ns/deadline")
}

// BenchmarkLead reads one of 10,000 leads per iteration.
func BenchmarkLead(b *testing.B) {
	const n = 10_000
	st := memstore.New()
	ids := fill(b, st, n, func(i int) time.Time { return t0 })
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := st.Lead(ctx, ids[i%n]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkMemory reports the heap a store holds per lead (B/lead), for
// 100,000 leads. The budget is about 1 KiB per lead, history included.
//
//   - lead: each lead created once with its deadline, no event or history.
//   - cadence: each lead written as the engine does over a cadence:
//     created, then three attempts, every write with an event id (kept
//     for good, E2), one change of history and the next deadline.
func BenchmarkMemory(b *testing.B) {
	const n = 100_000
	for _, c := range []struct {
		name   string
		writes int64
		event  bool
	}{
		{"lead", 1, false},
		{"cadence", 4, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				st := memstore.New()
				for i := range n {
					l := benchLead(i)
					for v := range c.writes {
						l.Version = v
						w := leadline.Write{
							Lead:      l,
							Deadlines: []lead.Deadline{{Lead: l.ID, Kind: lead.DeadlineCadence, Due: t0.Add(time.Duration(v) * time.Hour)}},
						}
						if c.event {
							w.Event = fmt.Sprintf("ev-%07d-%d", i, v)
							w.History = []lead.Change{{Lead: l.ID, At: t0, Actor: l.Owner, Event: w.Event, Field: lead.FieldStage, From: "stage1", To: "stage2", Rule: "T3"}}
						}
						if err := st.Apply(b.Context(), w); err != nil {
							b.Fatal(err)
						}
					}
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/lead")
				runtime.KeepAlive(st)
			}
		})
	}
}
