package memstore_test

import (
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
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
			if _, ok := errors.AsType[*leaderr.FieldError](err); !ok || !errors.Is(err, leaderr.ErrInvalid) {
				t.Fatalf("Apply = %v, want a *FieldError", err)
			}
			if _, err := st.Lead(t.Context(), c.w.Lead.ID); !errors.Is(err, leaderr.ErrNotFound) {
				t.Fatalf("Lead(%q) after a refused write = %v, want ErrNotFound", c.w.Lead.ID, err)
			}
		})
	}
}

// TestStore_keepsTheZone checks memstore's reading of the contract's
// instants: a store keeps the instant, and memstore gives a lead's
// instants, its history's and its deadlines' back in the zone of its
// Updated, so that the engine, which writes them in its clock's zone,
// reads them in that zone.
func TestStore_keepsTheZone(t *testing.T) {
	ctx := t.Context()
	st := memstore.New()
	l := benchLead(1)
	due := t0.Add(48 * time.Hour)
	err := st.Apply(ctx, leadline.Write{Lead: l, At: t0,
		History:   []lead.Change{{Lead: l.ID, At: t0, Actor: "rep-1", Field: lead.FieldLead, To: "lead"}},
		Deadlines: []lead.Deadline{{Lead: l.ID, Kind: lead.DeadlineCadence, Due: due}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Lead(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	h, err := st.History(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := st.ClaimDue(ctx, due.Add(time.Hour), time.Minute, 1)
	if err != nil || len(ds) != 1 {
		t.Fatalf("ClaimDue = %v, %v; want the lead's deadline", ds, err)
	}
	for _, c := range []struct {
		name string
		got  time.Time
	}{
		{"Lead().Created", got.Created},
		{"Lead().Request.Due", got.Request.Due},
		{"History()[0].At", h[0].At},
		{"ClaimDue()[0].Due", ds[0].Due},
	} {
		if c.got.Location() != t0.Location() {
			t.Errorf("%s = %v, want it in %v", c.name, c.got, t0.Location())
		}
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
// id, history or notification: without retention those accumulate for the
// life of the store, and b.N of them would measure the growth of the heap
// rather than the write. BenchmarkApplyRetained writes them with a
// retention window.
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

// BenchmarkApplyRetained updates one of 10,000 leads per iteration as the
// engine handles an event: the write carries an event id, a change of
// history and the lead's next deadline, with a retention of one second of
// history and event ids while At advances 10µs per write. Each lead is
// written every 0.1s and keeps about ten changes; the store keeps one to
// two seconds of event ids. The heap stays the same size however long it
// runs, so B/op is the write's own cost.
func BenchmarkApplyRetained(b *testing.B) {
	const (
		n      = 10_000
		window = time.Second
		step   = 10 * time.Microsecond
	)
	st := memstore.New()
	ids := fill(b, st, n, func(i int) time.Time { return t0.Add(time.Duration(i) * time.Second) })
	events := make([]string, 1<<20) // reused after 10s, long forgotten
	for i := range events {
		events[i] = fmt.Sprintf("ev-%d", i)
	}
	ws := make([]leadline.Write, n)
	for i, id := range ids {
		l, err := st.Lead(b.Context(), id)
		if err != nil {
			b.Fatal(err)
		}
		ws[i] = leadline.Write{
			Lead:      l,
			History:   []lead.Change{{Lead: id, Actor: l.Owner, Field: lead.FieldStage, From: "stage1", To: "stage2", Rule: "T3"}},
			Deadlines: []lead.Deadline{{Lead: id, Kind: lead.DeadlineCadence}},
		}
	}
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w := &ws[i%n]
		at := t0.Add(time.Duration(i) * step)
		w.Event = events[i%len(events)]
		w.At, w.HistorySince, w.EventsSince = at, at.Add(-window), at.Add(-window)
		w.History[0].At, w.History[0].Event = at, w.Event
		w.Deadlines[0].Due = at.Add(48 * time.Hour)
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

// BenchmarkLeads_allPages pages through 100,000 leads, 100 at a time,
// as a host exporting its leads does: per page, a binary search and a
// walk of the page, not a scan and a sort of every lead.
func BenchmarkLeads_allPages(b *testing.B) {
	const n, page = 100_000, 100
	st := memstore.New()
	fill(b, st, n, func(i int) time.Time { return t0 })
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		q, seen := leadline.Query{Limit: page}, 0
		for {
			ls, err := st.Leads(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			seen += len(ls)
			if len(ls) < page {
				break
			}
			q.After = ls[len(ls)-1].ID
		}
		if seen != n {
			b.Fatalf("paged %d leads, want %d", seen, n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n*page, "ns/page")
}

// BenchmarkLeads reads a page of one rep's worklist among 100,000 leads of
// 50 reps, as a worklist view does: a walk from the first lead until the
// page is full.
func BenchmarkLeads(b *testing.B) {
	const n = 100_000
	st := memstore.New()
	fill(b, st, n, func(i int) time.Time { return t0 })
	ctx := b.Context()
	q := leadline.Query{Owner: "rep-7", Attempted: true, Limit: 50}
	b.ReportAllocs()
	for b.Loop() {
		ls, err := st.Leads(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		if len(ls) != q.Limit {
			b.Fatalf("Leads(%+v) = %d leads, want %d", q, len(ls), q.Limit)
		}
	}
}

// BenchmarkMemory reports the heap a store holds per lead (B/lead): the
// heap after a GC, less the heap before the store was filled, divided by
// the leads. It counts what the store keeps and what it shares with its
// callers (ids, event ids, scores). The budget is 1 KiB per lead, history
// included.
//
//   - lead: 100,000 leads, each created once with its deadline, no event
//     or history.
//   - cadence: 100,000 leads, each written as the engine does over a
//     cadence: created, then three attempts, every write with an event id
//     and one change of history and the next deadline, and no retention:
//     every id and change is kept for good (E2, E3).
//   - window: the goal. 200,000 leads written over ten simulated days
//     with a day's retention of history and event ids, see [fillWindow].
func BenchmarkMemory(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
		fill func(tb testing.TB, st *memstore.Store, n int)
	}{
		{"lead", 100_000, func(tb testing.TB, st *memstore.Store, n int) { fillCadence(tb, st, n, 1, false) }},
		{"cadence", 100_000, func(tb testing.TB, st *memstore.Store, n int) { fillCadence(tb, st, n, 4, true) }},
		{"window", 200_000, fillWindow},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				st := memstore.New()
				c.fill(b, st, c.n)
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(c.n), "B/lead")
				runtime.KeepAlive(st)
			}
		})
	}
}

// fillCadence writes n leads with writes writes each, with an event id
// and a change of history when event is set.
func fillCadence(tb testing.TB, st *memstore.Store, n int, writes int64, event bool) {
	tb.Helper()
	for i := range n {
		l := benchLead(i)
		for v := range writes {
			l.Version = v
			w := leadline.Write{
				Lead:      l,
				Deadlines: []lead.Deadline{{Lead: l.ID, Kind: lead.DeadlineCadence, Due: t0.Add(time.Duration(v) * time.Hour)}},
			}
			if event {
				w.Event = fmt.Sprintf("ev-%07d-%d", i, v)
				w.History = []lead.Change{{Lead: l.ID, At: t0, Actor: l.Owner, Event: w.Event, Field: lead.FieldStage, From: "stage1", To: "stage2", Rule: "T3"}}
			}
			if err := st.Apply(tb.Context(), w); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// fillWindow writes n leads as the engine would over ten days, with a
// retention of a day for history and event ids (Policy.Retention), so
// that only the last day's writes must be kept. A tenth of the leads is
// activated each day; each lead is written three times, each time with
// an event id:
//
//   - three days before, imported from a list: created as new, one
//     change;
//   - at 09:00-11:00 on its day, an inquiry makes it a lead with an
//     owner, a running cadence, an open approach request and a deadline:
//     four changes (status, owner, stage, request); the import's change,
//     three days old, is trimmed;
//   - at 13:00-15:00, the owner's first attempt: the cadence reaches
//     Stage1 and the request is done; one change, the next deadline.
//
// At the end every lead has a running cadence with a pending deadline and
// five changes of history; the event ids of the days before the last are
// forgotten.
func fillWindow(tb testing.TB, st *memstore.Store, n int) {
	tb.Helper()
	const (
		days   = 10
		window = 24 * time.Hour
	)
	perDay := n / days
	step := 2 * time.Hour / time.Duration(perDay)
	ctx := tb.Context()
	apply := func(w leadline.Write) {
		w.HistorySince, w.EventsSince = w.At.Add(-window), w.At.Add(-window)
		if err := st.Apply(ctx, w); err != nil {
			tb.Fatal(err)
		}
	}
	leads := make([]lead.Lead, n)
	for d := -3; d < days; d++ {
		day := t0.Add(time.Duration(d) * 24 * time.Hour)
		// Import the leads of day d+3.
		if d+3 < days {
			for j := range perDay {
				i := (d+3)*perDay + j
				at := day.Add(8*time.Hour + time.Duration(j)*step/2)
				l := lead.Lead{ID: fmt.Sprintf("L-%07d", i), Profile: lead.Profile{Company: "Example KK", Source: "list"}, Status: lead.StatusNew, Created: at, Updated: at}
				ev := fmt.Sprintf("imp-%07d", i)
				apply(leadline.Write{Event: ev, Lead: l, At: at, History: []lead.Change{
					{Lead: l.ID, At: at, Actor: "import", Event: ev, Field: lead.FieldLead, To: "new", Reason: "list"},
				}})
				l.Version = 1
				leads[i] = l
			}
		}
		if d < 0 {
			continue
		}
		// Activate the leads of day d.
		for j := range perDay {
			i := d*perDay + j
			l := &leads[i]
			at := day.Add(9*time.Hour + time.Duration(j)*step)
			due := at.Add(48 * time.Hour)
			owner := fmt.Sprintf("rep-%d", i%50)
			ev := fmt.Sprintf("inq-%07d", i)
			l.Status, l.Score, l.Owner, l.Updated = lead.StatusLead, decimal.New(int64(100+i%100), 0), owner, at
			l.Track = stage.Track{Stage: stage.Untouched, Cadence: 1, Started: stage.InstantOf(at), Due: stage.InstantOf(due)}
			l.Request = lead.Request{Seq: 1, State: lead.RequestOpen, Priority: 2, Reasons: "A1", Subject: "pricing inquiry", Opened: at, Due: due}
			l.Activity = lead.Activity{Inquiries: 1, Last: at, LastTopic: "pricing"}
			change := func(f lead.Field, from, to, rule string) lead.Change {
				return lead.Change{Lead: l.ID, At: at, Actor: lead.ActorEngine, Event: ev, Field: f, From: from, To: to, Rule: rule}
			}
			apply(leadline.Write{Event: ev, Lead: *l, At: at,
				History: []lead.Change{
					change(lead.FieldStatus, "new", "lead", "A1"),
					change(lead.FieldOwner, "", owner, "M9"),
					change(lead.FieldStage, "", "untouched", "T1"),
					change(lead.FieldRequest, "none", "open", "A1"),
				},
				Deadlines: []lead.Deadline{{Lead: l.ID, Kind: lead.DeadlineCadence, Due: due}},
			})
			l.Version++
		}
		// The owners' first attempts.
		for j := range perDay {
			i := d*perDay + j
			l := &leads[i]
			at := day.Add(13*time.Hour + time.Duration(j)*step)
			due := at.Add(48 * time.Hour)
			ev := fmt.Sprintf("call-%07d", i)
			l.Updated = at
			l.Track.Stage, l.Track.Reached[0], l.Track.Due = stage.Stage1, stage.InstantOf(at), stage.InstantOf(due)
			l.Request.State, l.Request.Closed = lead.RequestDone, at
			apply(leadline.Write{Event: ev, Lead: *l, At: at,
				History: []lead.Change{
					{Lead: l.ID, At: at, Actor: l.Owner, Event: ev, Field: lead.FieldStage, From: "untouched", To: "stage1", Rule: "T2", Reason: "call"},
				},
				Deadlines: []lead.Deadline{{Lead: l.ID, Kind: lead.DeadlineCadence, Due: due}},
			})
			l.Version++
		}
	}
	if h, err := st.History(ctx, leads[0].ID); err != nil || len(h) != 5 {
		tb.Fatalf("History(%s) = %d changes, %v; want 5", leads[0].ID, len(h), err)
	}
}

// TestAppendLeadsByID checks the sweep's form of LeadsByID (E5, issue
// 12): the known leads of ids, in the order of ids, appended to dst.
func TestAppendLeadsByID(t *testing.T) {
	ctx := t.Context()
	st := memstore.New()
	for _, id := range []string{"L-1", "L-2", "L-3"} {
		if err := st.Apply(ctx, leadline.Write{Lead: lead.Lead{ID: id, Status: lead.StatusLead}}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		dst  []string
		ids  []string
		want []string
	}{
		{"the order of ids, not of the ids", nil, []string{"L-3", "L-1", "L-2"}, []string{"L-3", "L-1", "L-2"}},
		{"unknown ids left out", nil, []string{"L-404", "L-2", "L-0"}, []string{"L-2"}},
		{"appended after dst", []string{"kept"}, []string{"L-1"}, []string{"kept", "L-1"}},
		{"none", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var dst []lead.Lead
			for _, id := range tt.dst {
				dst = append(dst, lead.Lead{ID: id})
			}
			got, err := st.AppendLeadsByID(ctx, dst, tt.ids)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, l := range got {
				ids = append(ids, l.ID)
				if l.ID != "kept" && (l.Version != 1 || l.Status != lead.StatusLead) {
					t.Errorf("lead %s = version %d, status %v; want the stored lead", l.ID, l.Version, l.Status)
				}
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.want) {
				t.Errorf("AppendLeadsByID(%v) = %v, want %v", tt.ids, ids, tt.want)
			}
		})
	}
}

// BenchmarkOutbox_afterOutage writes, claims and acknowledges a
// notification while 20,000 others lie in the dead-letter list after a
// day of a notifier's outage, as a host that has not retried them yet
// runs (E4, E9): each write and each acknowledgement asks whether its
// key is a dead letter, in a set, not a search of the list.
func BenchmarkOutbox_afterOutage(b *testing.B) {
	const dead = 20_000
	st := memstore.New()
	ctx := b.Context()
	l := lead.Lead{ID: "L-1"}
	note := func(key string) leadline.Notification {
		return leadline.Notification{Key: key, Kind: leadline.NoteReminder, Lead: "L-1", To: "rep-a"}
	}
	for i := range dead {
		if err := st.Apply(ctx, leadline.Write{Lead: l, Outbox: []leadline.Notification{note(fmt.Sprintf("down-%d", i))}}); err != nil {
			b.Fatal(err)
		}
		l.Version++
	}
	for _, n := range mustClaim(b, st, dead) {
		if err := st.Fail(ctx, leadline.DeliveryFailure{Key: n.Key, Dead: true, At: t0, Err: "503"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := st.Apply(ctx, leadline.Write{Lead: l, Outbox: []leadline.Notification{note(fmt.Sprintf("up-%d", i))}}); err != nil {
			b.Fatal(err)
		}
		l.Version++
		ns := mustClaim(b, st, 1)
		if err := st.Ack(ctx, []string{ns[0].Key}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// mustClaim claims n notifications of st's outbox, failing unless it
// gets them.
func mustClaim(tb testing.TB, st *memstore.Store, n int) []leadline.Notification {
	tb.Helper()
	ns, err := st.ClaimOutbox(tb.Context(), t0, time.Minute, n)
	if err != nil || len(ns) != n {
		tb.Fatalf("ClaimOutbox = %d, %v; want %d", len(ns), err, n)
	}
	return ns
}

// TestStore_rareFieldsSurviveFewerDeadlines: a write that leaves a lead
// with two deadlines or fewer, after more, keeps every field it wrote,
// A8's day and opening score among them (the record's rare block is not
// dropped while it holds one).
func TestStore_rareFieldsSurviveFewerDeadlines(t *testing.T) {
	ctx := t.Context()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	st := memstore.New()
	l := lead.Lead{ID: "L-1", Owner: "rep-1", Created: t0, Updated: t0, Profile: lead.Profile{Target: true},
		Jump: lead.Jump{Day: "2026-03-02", Open: decimal.NewFromInt(30), Fired: "2026-03-01"}}
	three := []lead.Deadline{
		{Lead: "L-1", Kind: lead.DeadlineCadence, Due: t0.Add(time.Hour)},
		{Lead: "L-1", Kind: lead.DeadlineRequest, Due: t0.Add(2 * time.Hour)},
		{Lead: "L-1", Kind: lead.DeadlineCadence, Due: t0.Add(3 * time.Hour)},
	}
	if err := st.Apply(ctx, leadline.Write{Lead: l, Deadlines: three, At: t0}); err != nil {
		t.Fatal(err)
	}
	l.Version = 1
	if err := st.Apply(ctx, leadline.Write{Lead: l, Deadlines: three[:2], At: t0}); err != nil {
		t.Fatal(err)
	}
	got, err := st.Lead(ctx, "L-1")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Jump.Open.Equal(l.Jump.Open) || got.Jump.Day != l.Jump.Day || got.Jump.Fired != l.Jump.Fired {
		t.Errorf("Jump = %+v after a write of %+v with two deadlines; want it kept (A8)", got.Jump, l.Jump)
	}
}
