package leadline_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/internal/cputime"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// benchEngine returns an engine on a fresh memstore with n leads created
// and the mock clock at monday. Notifications are dropped by the default
// notifier; the benchmarks measure Handle, not delivery.
func benchEngine(b *testing.B, n int) (*leadline.Engine, *clock.Mock, *memstore.Store) {
	b.Helper()
	clk := clock.NewMock()
	clk.Set(monday)
	st := memstore.New()
	eng, err := leadline.New(st, leadline.Config{Clock: clk, Roster: org()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := eng.SaveCampaign(ctx, webinar); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		ev := lead.Event{ID: "c-" + strconv.Itoa(i), Kind: lead.EventCreated, Lead: benchID(i), At: monday,
			Score: decimal.NewFromInt(int64(i % 150)), Profile: lead.Profile{Company: "Acme", Source: "web"}}
		if err := eng.Handle(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
	return eng, clk, st
}

func benchID(i int) string { return fmt.Sprintf("L-%07d", i) }

// benchIDs and benchScores are built once, so that the benchmarks
// measure Handle, not the construction of their events.
var (
	benchIDs = sync.OnceValue(func() []string {
		ids := make([]string, 100_000)
		for i := range ids {
			ids[i] = benchID(i)
		}
		return ids
	})
	benchScores = sync.OnceValue(func() []decimal.Decimal {
		ss := make([]decimal.Decimal, 200)
		for i := range ss {
			ss[i] = decimal.NewFromInt(int64(i))
		}
		return ss
	})
)

// eventIDs returns 2^21 distinct event ids, built once outside the
// timed loops so that the benchmarks measure Handle, not Itoa.
var eventIDs = sync.OnceValue(func() []string {
	ids := make([]string, 1<<21)
	for i := range ids {
		ids[i] = "e-" + strconv.Itoa(i)
	}
	return ids
})

// eventID returns the i-th event id: from ids while they last, built
// after that.
func eventID(ids []string, i int) string {
	if i < len(ids) {
		return ids[i]
	}
	return "e-" + strconv.Itoa(i)
}

// BenchmarkHandle measures Engine.Handle on memstore for each event kind,
// over 10,000 leads (target: 1,000,000 events per second, at most 4
// allocations per event).
func BenchmarkHandle(b *testing.B) {
	const leads = 10_000
	kinds := []struct {
		name string
		ev   func(i int) lead.Event
	}{
		{"created", func(i int) lead.Event {
			return lead.Event{Kind: lead.EventCreated, Lead: "N-" + strconv.Itoa(i), Score: decimal.NewFromInt(42)}
		}},
		{"score_changed", func(i int) lead.Event {
			return lead.Event{Kind: lead.EventScoreChanged, Lead: benchIDs()[i%leads], Score: benchScores()[i%200]}
		}},
		{"inquiry", func(i int) lead.Event { return lead.Event{Kind: lead.EventInquiry, Lead: benchIDs()[i%leads]} }},
		{"download", func(i int) lead.Event { return lead.Event{Kind: lead.EventDownload, Lead: benchIDs()[i%leads]} }},
		{"outbound", func(i int) lead.Event {
			return lead.Event{Kind: lead.EventOutbound, Lead: benchIDs()[i%leads], Actor: "rep-a", Channels: stage.Call}
		}},
		{"contact", func(i int) lead.Event {
			return lead.Event{Kind: lead.EventContact, Lead: benchIDs()[i%leads], Actor: "rep-a"}
		}},
		{"status_set", func(i int) lead.Event {
			st := []lead.Status{lead.StatusLead, lead.StatusRecycled}[i%2]
			return lead.Event{Kind: lead.EventStatusSet, Lead: benchIDs()[i%leads], Actor: "rep-a", Status: st, Reason: "reviewed"}
		}},
		{"response", func(i int) lead.Event {
			return lead.Event{Kind: lead.EventResponse, Lead: benchIDs()[i%leads], Campaign: webinar.ID, Response: lead.ResponseAttended}
		}},
	}
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			eng, _, _ := benchEngine(b, leads)
			ctx := context.Background()
			ids := eventIDs()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				ev := k.ev(i)
				ev.ID = eventID(ids, i)
				ev.At = monday
				if err := eng.Handle(ctx, ev); err != nil && k.name != "outbound" {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkHandleMix measures Engine.Handle over a day's mix of events, as
// marketing automation and a sales team send them: most are score
// changes, then activity, attempts, contacts and decisions. The leads are
// a working set of 10,000 (a day's active leads of a large team) or
// 100,000 (a working set well beyond the caches). Run it with -cpu 1 for
// the target's "events per second on one core".
//
// Each lead count also runs "baseline": a map and a mutex doing the writes
// Handle makes for the same events (the lead record, its event id, its
// history entry, a notification for an activity, a deadline pushed on a
// heap for an attempt) and none of the rules, so that the engine's cost
// over the bare writes reads as a ratio measured in one run (target:
// within 3x).
func BenchmarkHandleMix(b *testing.B) {
	for _, leads := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("leads=%d", leads), func(b *testing.B) { benchMix(b, leads) })
		b.Run(fmt.Sprintf("baseline/leads=%d", leads), func(b *testing.B) { benchBaseline(b, leads) })
	}
}

// mixKinds returns the event kinds of a day's mix, out of every 100.
func mixKinds() []lead.EventKind {
	mix := make([]lead.EventKind, 0, 100)
	for kind, n := range map[lead.EventKind]int{
		lead.EventScoreChanged: 70, lead.EventDownload: 10, lead.EventInquiry: 4,
		lead.EventOutbound: 10, lead.EventContact: 3, lead.EventStatusSet: 2, lead.EventResponse: 1,
	} {
		for range n {
			mix = append(mix, kind)
		}
	}
	slices.Sort(mix)
	return mix
}

// baseline is the hand-written store of benchBaseline: what a team would
// write without leadline, one map under one mutex.
type baseline struct {
	mu     sync.Mutex
	leads  map[string]*baseRecord
	outbox []leadline.Notification
	due    baseHeap
}

type baseRecord struct {
	lead    lead.Lead
	ids     []string
	history []lead.Change
}

type baseDue struct {
	at   time.Time
	lead string
}

// baseHeap is a binary min-heap of deadlines by instant.
type baseHeap []baseDue

func (h *baseHeap) push(d baseDue) {
	*h = append(*h, d)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s[i].at.Before(s[p].at) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (s *baseline) handle(ev *lead.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.leads[ev.Lead]
	if r == nil {
		return leadline.ErrNotFound
	}
	if slices.Contains(r.ids, ev.ID) {
		return leadline.ErrDuplicateEvent
	}
	l := r.lead
	c := lead.Change{Lead: l.ID, At: ev.At, Actor: ev.Actor, Event: ev.ID}
	switch ev.Kind {
	case lead.EventScoreChanged:
		c.Field, c.From, c.To = lead.FieldScore, l.Score.String(), ev.Score.String()
		l.Score = ev.Score
	case lead.EventDownload, lead.EventInquiry, lead.EventResponse:
		l.Activity.Downloads++
		c.Field, c.To, c.Rule = lead.FieldRequest, "open", "A1"
		s.outbox = append(s.outbox, leadline.Notification{Key: ev.ID, Lead: l.ID, To: l.Owner, At: ev.At})
	case lead.EventOutbound:
		c.Field, c.To, c.Rule = lead.FieldStage, "stage1", "T2"
		s.due.push(baseDue{at: ev.At.Add(48 * time.Hour), lead: l.ID})
	default:
		c.Field, c.To = lead.FieldStatus, "lead"
		l.Status = lead.StatusLead
	}
	l.Version++
	l.Updated = ev.At
	r.lead = l
	r.ids = append(r.ids, ev.ID)
	r.history = append(r.history, c)
	return nil
}

func benchBaseline(b *testing.B, leads int) {
	s := &baseline{leads: make(map[string]*baseRecord, leads)}
	for i := range leads {
		id := benchID(i)
		s.leads[id] = &baseRecord{lead: lead.Lead{ID: id, Owner: "rep-a", Created: monday, Score: decimal.NewFromInt(int64(i % 150))}}
	}
	ids, lids, scores := eventIDs(), benchIDs(), benchScores()
	mix := mixKinds()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ev := lead.Event{ID: eventID(ids, i), Kind: mix[(i*37)%100], Lead: lids[(i*7919)%leads], At: monday, Score: scores[i%200]}
		if err := s.handle(&ev); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func benchMix(b *testing.B, leads int) {
	eng, _, _ := benchEngine(b, leads)
	ctx := context.Background()
	ids, lids, scores := eventIDs(), benchIDs(), benchScores()
	mix := mixKinds()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ev := lead.Event{ID: eventID(ids, i), Kind: mix[(i*37)%100], Lead: lids[(i*7919)%leads], At: monday}
		switch ev.Kind {
		case lead.EventScoreChanged:
			ev.Score = scores[i%200]
		case lead.EventOutbound:
			ev.Actor, ev.Channels = "rep-a", stage.Call|stage.Email
		case lead.EventContact:
			ev.Actor = "rep-a"
		case lead.EventStatusSet:
			ev.Actor, ev.Status, ev.Reason = "rep-a", lead.StatusLead, "reviewed"
		case lead.EventResponse:
			ev.Campaign, ev.Response = webinar.ID, lead.ResponseAttended
		}
		// An attempt on a connected lead is refused; the rest must pass.
		if err := eng.Handle(ctx, ev); err != nil && ev.Kind != lead.EventOutbound {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// The sizes of BenchmarkSweep: deadlines scheduled, and of them due.
const sweepScheduled, sweepDue = 1_000_000, 10_000

// BenchmarkSweep measures a sweep that fires 10,000 due deadlines among
// 1,000,000 scheduled (target: under 10 ms). Each iteration sweeps once;
// putting the fired deadlines back for the next is untimed.
//
// "baseline" runs the same sweep hand-written (sweepBase): a map and a
// mutex, a heap of deadlines, and the writes each firing makes (the lead,
// a history entry with its reason, two notifications with their keys,
// the next deadline) without the rules, so that the engine's cost over
// the bare writes reads as a ratio measured in one run.
func BenchmarkSweep(b *testing.B) {
	if testing.Short() {
		b.Skip("builds 1,000,000 leads")
	}
	b.Run("engine", benchSweep)
	b.Run("baseline", benchSweepBase)
}

func benchSweep(b *testing.B) {
	const scheduled, due = sweepScheduled, sweepDue
	clk := clock.NewMock()
	clk.Set(monday)
	st := memstore.New()
	eng, err := leadline.New(st, leadline.Config{Clock: clk, Roster: org(), Batch: 1024,
		Notifier: leadline.NotifierFunc(func(context.Context, leadline.Notification) error { return nil })})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	// Leads whose Stage2 deadline is 48h after their Stage1 attempt,
	// attempted a second apart as a team's attempts are: the first `due`
	// from monday on, the rest a week later.
	for i := range scheduled {
		l := lead.Lead{ID: benchID(i), Status: lead.StatusLead, Owner: "rep-a", Created: monday}
		at := monday.Add(time.Duration(i) * time.Second)
		if i >= due {
			at = at.Add(7 * 24 * time.Hour)
		}
		pol := stage.DefaultPolicy()
		if _, err := pol.Attempt(&l.Track, at); err != nil {
			b.Fatal(err)
		}
		// The history a lead has by its first attempt: created, owner,
		// approach request, stage.
		hist := []lead.Change{
			{Lead: l.ID, At: monday, Actor: "marketing", Event: "c-" + l.ID, Field: lead.FieldLead, To: "new", Reason: "web"},
			{Lead: l.ID, At: monday, Actor: lead.ActorEngine, Event: "c-" + l.ID, Field: lead.FieldOwner, To: "rep-a", Rule: "M9", Reason: "round robin"},
			{Lead: l.ID, At: monday, Actor: lead.ActorEngine, Event: "i-" + l.ID, Field: lead.FieldRequest, From: "none", To: "open", Rule: "A1"},
			{Lead: l.ID, At: at, Actor: "rep-a", Event: "o-" + l.ID, Field: lead.FieldStage, From: "untouched", To: "stage1", Rule: "T2"},
		}
		if err := st.Apply(ctx, leadline.Write{Lead: l, History: hist, Deadlines: l.Deadlines(nil)}); err != nil {
			b.Fatal(err)
		}
	}
	clk.Add(48*time.Hour + due*time.Second)
	b.ReportAllocs()
	fired := 0
	var cpu time.Duration
	for b.Loop() {
		cpu0 := cputime.Process()
		res, err := eng.Sweep(ctx)
		if err != nil {
			b.Fatal(err)
		}
		cpu += cputime.Process() - cpu0
		fired += len(res.Fired)
		b.StopTimer()
		// Run delivers after every sweep; so does the benchmark, untimed.
		if _, err := eng.Deliver(ctx); err != nil {
			b.Fatal(err)
		}
		// Put the fired deadlines back for the next iteration: each lead's
		// Stage2 deadline pending again, at its old instant.
		if len(res.Fired) > 0 {
			for _, d := range res.Fired {
				l, _ := st.Lead(ctx, d.Lead)
				l.Track.Overdue = false
				if err := st.Apply(ctx, leadline.Write{Lead: l, Deadlines: l.Deadlines(nil)}); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StartTimer()
	}
	if fired != due*b.N {
		b.Fatalf("fired %d deadlines over %d sweeps, want %d each", fired, b.N, due)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/due, "ns/deadline")
	// The process's CPU time a sweep took, collector included, which a
	// machine that others load leaves as it is while it stretches ns/op.
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
}

// sweepBase is the hand-written store of benchSweepBase: what a team
// would write without leadline to fire its overdue Stage2 attempts (T8).
type sweepBase struct {
	mu     sync.Mutex
	leads  map[string]*baseRecord
	due    baseHeap
	outbox []leadline.Notification
}

// sweep fires every deadline due before now: the lead marked overdue
// with its next reminder due, a history entry saying why, a reminder to
// the owner and an alert to the manager, the reminder pushed on the heap.
// An entry the lead no longer has due at its instant is stale and
// skipped.
func (s *sweepBase) sweep(now time.Time, fired []lead.Deadline) []lead.Deadline {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.due) > 0 && s.due[0].at.Before(now) {
		d := s.due.pop()
		r := s.leads[d.lead]
		if r == nil || r.lead.Track.Due != stage.InstantOf(d.at) || r.lead.Track.Overdue {
			continue
		}
		l := r.lead
		nag := d.at.Add(49 * time.Hour)
		l.Track.Overdue, l.Track.Missed, l.Track.Due, l.Track.Nag = true, stage.StageSetOf(stage.Stage2), stage.InstantOf(nag), stage.InstantOf(nag)
		l.Version++
		l.Updated = now
		due := d.at.In(tokyo).Format("2006-01-02 15:04 MST")
		r.history = append(r.history, lead.Change{Lead: l.ID, At: now, Actor: lead.ActorEngine, Field: lead.FieldStage,
			From: "stage1", To: "stage1", Rule: "T8", Reason: "Stage2 attempt overdue: no attempt within 48h, due " + due})
		key := l.ID + "/cadence/1/stage1/0/" + strconv.FormatInt(d.at.UnixMicro(), 10)
		s.outbox = append(s.outbox,
			leadline.Notification{Key: key + "/reminder/" + l.Owner, Kind: leadline.NoteReminder, Lead: l.ID, To: l.Owner, Rule: "T8", At: now, Due: d.at},
			leadline.Notification{Key: key + "/manager_alert/mgr", Kind: leadline.NoteManagerAlert, Lead: l.ID, To: "mgr", Rule: "T8", At: now, Due: d.at, Detail: l.Owner})
		r.lead = l
		s.due.push(baseDue{at: nag, lead: l.ID})
		fired = append(fired, lead.Deadline{Lead: l.ID, Kind: lead.DeadlineCadence, Due: d.at})
	}
	return fired
}

// pop removes and returns the earliest deadline.
func (h *baseHeap) pop() baseDue {
	s := *h
	top, n := s[0], len(s)-1
	s[0] = s[n]
	s = s[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && s[c+1].at.Before(s[c].at) {
			c++
		}
		if !s[c].at.Before(s[i].at) {
			break
		}
		s[i], s[c] = s[c], s[i]
		i = c
	}
	*h = s
	return top
}

var tokyo = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		return time.FixedZone("JST", 9*60*60)
	}
	return loc
}()

func benchSweepBase(b *testing.B) {
	const scheduled, due = sweepScheduled, sweepDue
	s := &sweepBase{leads: make(map[string]*baseRecord, scheduled)}
	for i := range scheduled {
		l := lead.Lead{ID: benchID(i), Status: lead.StatusLead, Owner: "rep-a", Created: monday}
		at := monday.Add(time.Duration(i) * time.Second)
		if i >= due {
			at = at.Add(7 * 24 * time.Hour)
		}
		l.Track = stage.Track{Stage: stage.Stage1, Cadence: 1, Started: stage.InstantOf(at), Due: stage.InstantOf(at.Add(48 * time.Hour))}
		// The history of benchSweep's leads.
		hist := []lead.Change{
			{Lead: l.ID, At: monday, Actor: "marketing", Event: "c-" + l.ID, Field: lead.FieldLead, To: "new", Reason: "web"},
			{Lead: l.ID, At: monday, Actor: lead.ActorEngine, Event: "c-" + l.ID, Field: lead.FieldOwner, To: "rep-a", Rule: "M9", Reason: "round robin"},
			{Lead: l.ID, At: monday, Actor: lead.ActorEngine, Event: "i-" + l.ID, Field: lead.FieldRequest, From: "none", To: "open", Rule: "A1"},
			{Lead: l.ID, At: at, Actor: "rep-a", Event: "o-" + l.ID, Field: lead.FieldStage, From: "untouched", To: "stage1", Rule: "T2"},
		}
		s.leads[l.ID] = &baseRecord{lead: l, history: hist}
		s.due.push(baseDue{at: at.Add(48 * time.Hour), lead: l.ID})
	}
	now := monday.Add(48*time.Hour + due*time.Second)
	b.ReportAllocs()
	n := 0
	var fired []lead.Deadline
	for b.Loop() {
		fired = s.sweep(now, fired[:0])
		n += len(fired)
		b.StopTimer()
		clear(s.outbox)
		s.outbox = s.outbox[:0]
		for _, d := range fired {
			r := s.leads[d.Lead]
			r.lead.Track.Overdue, r.lead.Track.Due = false, stage.InstantOf(d.Due)
			s.due.push(baseDue{at: d.Due, lead: d.Lead})
		}
		b.StartTimer()
	}
	if n != due*b.N {
		b.Fatalf("fired %d deadlines over %d sweeps, want %d each", n, b.N, due)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/due, "ns/deadline")
}

var _ = routing.Viewer{}

// BenchmarkHandleBatch_busyLead measures a lead that marketing
// automation sends tens of thousands of page views for, with no
// retention (E2, E9): each iteration sends one more batch of 1,000 and
// then the batch before it again, a webhook's retry. The cost of an
// event must not grow with the events the lead had before it: ns/event
// stays flat as b.N, and with it the lead's ids, grows.
func BenchmarkHandleBatch_busyLead(b *testing.B) {
	clk := clock.NewMock()
	clk.Set(monday)
	eng, err := leadline.New(memstore.New(), leadline.Config{Clock: clk, Roster: org()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := eng.Handle(ctx, lead.Event{ID: "c", Kind: lead.EventCreated, Lead: "L-busy", At: monday, Score: decimal.NewFromInt(10)}); err != nil {
		b.Fatal(err)
	}
	const batch = 1000
	var prev []lead.Event
	n := 0
	for b.Loop() {
		evs := make([]lead.Event, batch)
		for i := range evs {
			evs[i] = lead.Event{ID: "pv-" + strconv.Itoa(n), Kind: lead.EventWebActivity, Lead: "L-busy", At: monday, Topic: "/pricing"}
			n++
		}
		if err := eng.HandleBatch(ctx, evs); err != nil {
			b.Fatal(err)
		}
		if prev != nil {
			if err := eng.HandleBatch(ctx, prev); !errors.Is(err, leadline.ErrDuplicateEvent) {
				b.Fatalf("the batch again = %v, want a duplicate", err)
			}
		}
		prev = evs
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*n), "ns/event")
}
