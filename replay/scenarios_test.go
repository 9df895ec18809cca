package replay_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/replay"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

var tokyo, _ = time.LoadLocation("Asia/Tokyo")

// scenarioLog is a small log in UTC offsets, as a webhook log is often
// written: an MQL worked late, one left mid-cadence (T8, T13), a
// duplicate (E2), an event out of order, and a target account whose
// score jumps across a Tokyo midnight (A8).
func scenarioLog() []lead.Event {
	t0 := start.UTC()
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	n120 := decimal.NewFromInt(120)
	return []lead.Event{
		{ID: "e1", Kind: lead.EventCreated, Lead: "L-1", At: at(0), Score: n120},
		{ID: "e2", Kind: lead.EventInquiry, Lead: "L-1", At: at(0)},
		{ID: "e3", Kind: lead.EventCreated, Lead: "L-2", At: at(time.Minute), Score: n120},
		{ID: "e4", Kind: lead.EventInquiry, Lead: "L-2", At: at(time.Minute)},
		{ID: "e2", Kind: lead.EventInquiry, Lead: "L-1", At: at(0)}, // a duplicate (E2)
		{ID: "e5", Kind: lead.EventOutbound, Lead: "L-2", At: at(2 * time.Hour), Actor: "rep-2", Channels: stage.Call},
		{ID: "e7", Kind: lead.EventCreated, Lead: "L-T", At: at(time.Hour), Score: decimal.NewFromInt(50), Profile: lead.Profile{Target: true, Company: "T"}},
		{ID: "e6", Kind: lead.EventCreated, Lead: "L-3", At: at(30 * time.Minute), Score: decimal.NewFromInt(40)}, // out of order
		// 2026-04-07 08:30 JST = 04-06 23:30 UTC; 09:30 JST = 04-07 00:30 UTC.
		{ID: "e8", Kind: lead.EventScoreChanged, Lead: "L-T", At: time.Date(2026, 4, 6, 23, 30, 0, 0, time.UTC), Score: decimal.NewFromInt(55)},
		{ID: "e9", Kind: lead.EventScoreChanged, Lead: "L-T", At: time.Date(2026, 4, 7, 0, 30, 0, 0, time.UTC), Score: decimal.NewFromInt(62)},
		{ID: "e10", Kind: lead.EventOutbound, Lead: "L-1", At: at(30 * time.Hour), Actor: "rep-1", Channels: stage.Call | stage.Email},
	}
}

// live runs log on an engine whose clock is in Tokyo, sweeping every
// minute as Engine.Run does, and returns its store and the grid's end.
func liveStore(t *testing.T, log []lead.Event, pol rules.Policy, until time.Time) *memstore.Store {
	t.Helper()
	ctx := context.Background()
	st := memstore.New()
	clk := sim.NewClock(start.In(tokyo))
	eng, err := leadline.New(st, leadline.Config{Roster: team(), Clock: clk, Policy: pol})
	if err != nil {
		t.Fatal(err)
	}
	tick := time.Minute
	grid := start
	sweepTo := func(t2 time.Time) {
		for next := grid.Add(tick); next.Before(t2); next = next.Add(tick) {
			grid = next
			clk.Set(grid.In(tokyo))
			if _, err := eng.Sweep(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, ev := range log {
		sweepTo(ev.At)
		if ev.At.After(clk.Now()) {
			clk.Set(ev.At.In(tokyo))
		}
		if err := eng.Handle(ctx, ev); err != nil && !refused(err) {
			t.Fatalf("live Handle(%s): %v", ev.ID, err)
		}
	}
	sweepTo(until.Add(time.Nanosecond))
	return st
}

// Replaying a recorded log under its own policy, with its setup (the
// clock's zone Asia/Tokyo, the one-minute grid), writes the same history.
func TestScenario_ReplaySamePolicyZone(t *testing.T) {
	log := scenarioLog()
	until := start.Add(10 * 24 * time.Hour)
	st := liveStore(t, log, rules.Policy{}, until)
	// The live run made an A8 request for L-T: its score rose 12 over its
	// end of Monday in Tokyo.
	h, err := st.History(context.Background(), "L-T")
	if err != nil {
		t.Fatal(err)
	}
	a8 := false
	for _, c := range h {
		if c.Rule == "A8" {
			a8 = true
		}
	}
	if !a8 {
		t.Fatalf("live run made no A8 request for L-T:\n%v", h)
	}
	setup := replay.Setup{Roster: team(), Tick: replay.Duration(time.Minute), Start: start, Until: until, Zone: "Asia/Tokyo"}
	out, err := replay.Run(context.Background(), ok(slices.Values(log)), setup.Options(rules.Policy{}))
	if err != nil {
		t.Fatal(err)
	}
	sameHistories(t, st, out)
	if out.Refused["duplicate"] != 1 {
		t.Errorf("refused = %v; want the one duplicate", out.Refused)
	}
}

// A what-if with a 24h Stage1 window: L-1, attempted 30h after its
// request, is now reassigned (T1) before the attempt; the difference is
// explained on L-1's line, and L-1 only.
func TestScenario_ReplayWhatIf(t *testing.T) {
	log := scenarioLog()
	until := start.Add(10 * 24 * time.Hour)
	setup := replay.Setup{Roster: team(), Tick: replay.Duration(time.Minute), Start: start, Until: until, Zone: "Asia/Tokyo"}
	ctx := context.Background()
	a, err := replay.Run(ctx, ok(slices.Values(log)), setup.Options(rules.Policy{}))
	if err != nil {
		t.Fatal(err)
	}
	pol := leadline.DefaultPolicy()
	pol.Cadence.Stage1.Within = 24 * time.Hour
	b, err := replay.Run(ctx, ok(slices.Values(log)), setup.Options(pol))
	if err != nil {
		t.Fatal(err)
	}
	c := replay.Diff(*a, *b)
	if len(c.Policy) != 1 || c.Policy[0].Path != "cadence.stage1.within" || c.Policy[0].From != "48h" || c.Policy[0].To != "24h" {
		t.Errorf("policy changes = %+v; want cadence.stage1.within 48h -> 24h", c.Policy)
	}
	var l1 *replay.LeadChange
	for i := range c.Leads {
		if c.Leads[i].ID == "L-1" {
			l1 = &c.Leads[i]
		}
	}
	if l1 == nil {
		t.Fatalf("L-1 not among the changed leads: %+v", c.Leads)
	}
	// Baseline: rep-1 attempts at 30h, then misses Stage2: T8, two T13
	// repeats, the hand-on. What-if: one T1 reassignment more first.
	if l1.A.Reassignments != 1 || l1.B.Reassignments != 2 || l1.A.Breaches != 1 || l1.B.Breaches != 2 ||
		l1.A.Reminders != 3 || l1.B.Reminders != 4 || l1.A.FirstAttempt != 30*time.Hour || l1.B.FirstAttempt != 30*time.Hour {
		t.Errorf("L-1: a %+v\n b %+v", *l1.A, *l1.B)
	}
	var buf bytes.Buffer
	if err := c.WriteText(&buf, rules.English, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "L-1:") {
		t.Errorf("text does not explain L-1:\n%s", buf.String())
	}
	t.Log(buf.String())
}

// A response the engine refused (its lead or campaign unknown) is no
// response: Outcome.Leads holds the leads the replay has, and a
// campaign's row adds up the leads that responded to it.
func TestScenario_ReplayRefusedResponse(t *testing.T) {
	t0 := start
	log := []lead.Event{
		{ID: "e1", Kind: lead.EventCreated, Lead: "L-1", At: t0, Score: decimal.NewFromInt(120)},
		{ID: "e2", Kind: lead.EventInquiry, Lead: "L-1", At: t0},
		{ID: "e3", Kind: lead.EventResponse, Lead: "L-1", At: t0.Add(time.Minute), Campaign: "C-x", Response: lead.ResponseAttended},
		{ID: "e4", Kind: lead.EventResponse, Lead: "L-9", At: t0.Add(time.Minute), Campaign: "C-x", Response: lead.ResponseAttended},
	}
	out, err := replay.Run(context.Background(), ok(slices.Values(log)), replay.Options{Roster: team()})
	if err != nil {
		t.Fatal(err)
	}
	if out.Refused["not found"] != 2 {
		t.Fatalf("refused = %v; want both responses not found", out.Refused)
	}
	if _, ok := out.Leads["L-9"]; ok || len(out.Leads) != 1 {
		t.Errorf("Leads = %v; want L-1 only (L-9 does not exist)", sortedKeys(out.Leads))
	}
	if r := out.Campaigns["C-x"]; r != nil {
		t.Errorf("campaign C-x row = %+v; want none: nobody responded to it", *r)
	}
	if l := out.Leads["L-1"]; l != nil && len(l.Campaigns) != 0 {
		t.Errorf("L-1 campaigns = %v; want none", l.Campaigns)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// An unknown kind in a log is refused with its line and the field "kind",
// and the replay stops there (E6, E9).
func TestScenario_ReplayUnknownKind(t *testing.T) {
	src := `{"id":"e1","kind":"created","lead":"L-1","at":"2026-04-06T09:00:00+09:00","score":"120"}
{"id":"e2","kind":"teleported","lead":"L-1","at":"2026-04-06T09:01:00+09:00","score":"0"}
`
	var lines []int
	var fields []string
	for _, err := range replay.ReadLog(strings.NewReader(src)) {
		if err != nil {
			var fe *leaderrFieldError
			if asFieldError(err, &fe) {
				lines = append(lines, fe.Line)
				fields = append(fields, fe.Field)
			}
		}
	}
	if len(lines) != 1 || lines[0] != 2 || fields[0] != "kind" {
		t.Errorf("errors at lines %v fields %v; want line 2, field kind", lines, fields)
	}
	_, err := replay.Run(context.Background(), replay.ReadLog(strings.NewReader(src)), replay.Options{Roster: team()})
	if err == nil {
		t.Errorf("Run of a log with an unknown kind: no error")
	}
}

type leaderrFieldError = leaderr.FieldError

func asFieldError(err error, target **leaderr.FieldError) bool { return errors.As(err, target) }
