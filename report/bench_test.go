package report_test

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

var big = flag.Bool("big", false, "run the report benchmarks on 1,000,000 leads")

// The shape of bigStore.
const (
	bigLeads    = 1_000_000
	bigDays     = 30
	bigPerDay   = 3_000  // new leads a day
	bigScores   = 20_000 // score changes a day
	bigReps     = 60
	bigCampaign = 20
)

// bigStore is a team's store after 30 days, on memstore: 1,000,000 leads,
// 60 inside reps, 20 campaigns. Built once per process; heap is the heap
// it holds per lead, measured after a GC.
//
//   - 910,000 leads were created before the window, one a minute, and
//     their cadences ended long ago: no open work, no history left.
//   - 3,000 leads a day are created in the window, spread over the day,
//     each with an owner (M9, one of the 60 reps, seven leads at a time), an approach
//     request (A1) and a cadence: Stage1 3 hours after the request (T2),
//     Stage2 after 2 days, Stage3 after 4, Stage4 after 7. Three leads in
//     five connect (T6) 2 hours after Stage1, 2, 3 or 4; the others are
//     recycled (T7) 14 days after the request. So a cadence ends within
//     two weeks and a rep has about 400 open leads. One lead in 20
//     stalls after Stage1: its Stage2 deadline passes (T8) and it stays
//     overdue until it is recycled, so about 1,800 are overdue at the
//     end. One lead in 25 is reassigned untouched after 48 hours (T1)
//     and reaches Stage1 an hour later, late (T9). One connected lead in
//     three is handed off as a Pre-SQL a day after the contact (M10),
//     half of those are accepted a day later, and half of the accepted
//     are reported as opportunities (M5) two days after that. One lead in
//     four responded to one of the campaigns. A lead's history is what
//     happened to it up to the end of the window, 6 to 13 entries.
//   - 20,000 score changes a day (E8), each a write of its own, on leads
//     spread over all 1,000,000 that exist by then.
//
// The frame's Now is the last hour of the 30th day, Tokyo time.
var bigStore = sync.OnceValues(func() (*memstore.Store, bigInfo) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	st, f := buildBig()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return st, bigInfo{f, float64(after.HeapAlloc-before.HeapAlloc) / bigLeads}
})

type bigInfo struct {
	frame report.Frame
	heap  float64 // bytes per lead
}

func buildBig() (*memstore.Store, report.Frame) {
	st := memstore.New()
	ctx := context.Background()
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, jst)
	now := start.Add(bigDays*24*time.Hour - time.Hour)
	for c := range bigCampaign {
		if err := st.PutCampaign(ctx, routing.Campaign{ID: fmt.Sprintf("C-%02d", c)}); err != nil {
			panic(err)
		}
	}
	old := bigLeads - bigDays*bigPerDay
	for i := range bigLeads {
		created := start.Add(-time.Duration(old-i) * time.Minute)
		if i >= old {
			created = start.Add(time.Duration(i-old) * (24 * time.Hour / bigPerDay))
		}
		l := lead.Lead{ID: fmt.Sprintf("L-%07d", i), Created: created, Updated: created, Status: lead.StatusLead,
			Owner: fmt.Sprintf("rep-%02d", i/7%bigReps), Score: decimal.NewFromInt(int64(i % 150)),
			Profile: lead.Profile{Company: "Example KK", Name: "Sato Yui", Source: []string{"web", "list", "seminar"}[i%3]}}
		var hist []lead.Change
		if i < old {
			l.Track = stage.Track{Stage: stage.Stage4, End: stage.EndExhausted, Cadence: 1}
			l.Status = lead.StatusRecycled
		} else {
			hist = bigCadence(&l, i, now)
		}
		if err := st.Apply(ctx, leadline.Write{Lead: l, History: hist, Deadlines: l.Deadlines(nil)}); err != nil {
			panic(err)
		}
	}
	for d := range bigDays {
		for j := range bigScores {
			i := (j*7919 + d*104729) % bigLeads
			at := start.Add(time.Duration(d)*24*time.Hour + time.Duration(j)*(24*time.Hour/bigScores))
			id := fmt.Sprintf("L-%07d", i)
			l, err := st.Lead(ctx, id)
			if err != nil {
				panic(err)
			}
			to := l.Score.Add(decimal.NewFromInt(int64(j%25 - 5)))
			if at.Before(l.Created) || to.Equal(l.Score) {
				continue
			}
			h := []lead.Change{{Lead: id, At: at, Actor: "mkto", Event: "s", Field: lead.FieldScore,
				From: lead.ScoreKey(l.Score), To: lead.ScoreKey(to), Rule: "E8"}}
			l.Score = to
			if err := st.Apply(ctx, leadline.Write{Lead: l, History: h, KeepDeadlines: true}); err != nil {
				panic(err)
			}
		}
	}
	return st, report.Frame{Now: now, Zone: jst}
}

// bigCadence sets lead i, created in the window, as it stands at now and
// returns its history up to now; see bigStore.
func bigCadence(l *lead.Lead, i int, now time.Time) []lead.Change {
	t0 := l.Created
	var hist []lead.Change
	add := func(d time.Duration, f lead.Field, from, to, rule string) bool {
		at := t0.Add(d)
		if at.After(now) {
			return false
		}
		hist = append(hist, lead.Change{Lead: l.ID, At: at, Actor: lead.ActorEngine, Event: "e", Field: f, From: from, To: to, Rule: rule})
		l.Updated = at
		return true
	}
	const day = 24 * time.Hour
	reach := [5]time.Duration{0, 3 * time.Hour, 2 * day, 4 * day, 7 * day}
	owner := l.Owner
	if i%25 == 0 {
		owner = fmt.Sprintf("rep-%02d", (i/7+1)%bigReps)
		reach[1] = 49 * time.Hour
	}
	last := 4 // the last stage reached
	connect := i%5 < 3
	if connect {
		last = 1 + (i/5)%4
	}
	stall := i%20 == 1
	if stall {
		last, connect = 1, false
	}
	end := 14 * day
	if connect {
		end = reach[last] + 2*time.Hour
	}

	add(0, lead.FieldLead, "", "lead", "")
	add(0, lead.FieldOwner, "", l.Owner, "M9")
	add(0, lead.FieldStage, "", "untouched", "A1")
	add(0, lead.FieldRequest, "none", "open", "A1")
	l.Track = stage.Track{Stage: stage.Untouched, Cadence: 1, Started: stage.InstantOf(t0), Due: stage.InstantOf(t0.Add(48 * time.Hour))}
	l.Request = lead.Request{Seq: 1, State: lead.RequestOpen, Priority: 1 + i%3, Reasons: "A1", Subject: "pricing", Opened: t0, Due: t0.Add(48 * time.Hour)}
	if i%25 == 0 && add(48*time.Hour, lead.FieldOwner, l.Owner, owner, "T1") {
		l.Owner = owner
		l.Track.Missed |= 1 << stage.Stage1
	}
	if i%4 == 0 {
		l.Responses = []lead.Touch{{Campaign: fmt.Sprintf("C-%02d", i%bigCampaign), Kind: lead.ResponseRegistered, At: t0}}
	}
	prev := stage.Untouched
	for s := stage.Stage1; s <= stage.Stage(last); s++ {
		rule := "T2"
		if s > stage.Stage1 {
			rule = "T3"
		}
		if s == stage.Stage1 && i%25 == 0 {
			rule = "T9"
		}
		if !add(reach[s], lead.FieldStage, prev.Key(), s.Key(), rule) {
			break
		}
		if s == stage.Stage1 {
			add(reach[s], lead.FieldRequest, "open", "done", "A3")
			l.Request.State, l.Request.Closed = lead.RequestDone, t0.Add(reach[s])
		}
		if rule == "T9" {
			l.Track.Late |= 1 << s
		}
		prev = s
		l.Track.Stage = s
		l.Track.Reached[s-1] = stage.InstantOf(t0.Add(reach[s]))
		l.Track.Due = stage.InstantOf(t0.Add(end))
		if s < stage.Stage4 {
			l.Track.Due = stage.InstantOf(t0.Add(reach[s+1]))
		}
	}
	if stall && t0.Add(reach[2]).Before(now) {
		l.Track.Overdue = true
		l.Track.Missed |= 1 << stage.Stage2
	}
	switch {
	case connect && add(end, lead.FieldStage, prev.Key(), stage.Connected.Key(), "T6"):
		l.Track.Stage, l.Track.End, l.Track.Ended, l.Track.Due = stage.Connected, stage.EndConnected, stage.InstantOf(t0.Add(end)), 0
		if i%3 != 0 {
			break
		}
		if add(end+day, lead.FieldHandoff, "none", lead.HandoffPreSQL.String(), "M10") {
			l.Handoff, l.HandedBy, l.HandedTo = lead.HandoffPreSQL, l.Owner, "field-01"
		}
		if i%2 == 0 && add(end+2*day, lead.FieldHandoff, lead.HandoffPreSQL.String(), lead.HandoffAccepted.String(), "M10") {
			l.Handoff = lead.HandoffAccepted
		}
		if i%4 == 0 && add(end+4*day, lead.FieldFeedback, "", "target=yes state=working opportunity=yes", "M5") {
			l.Feedback = lead.Feedback{Target: true, Opportunity: lead.OutcomeYes, By: "field-01", At: t0.Add(end + 4*day)}
		}
	case !connect && add(end, lead.FieldStage, prev.Key(), prev.Key(), "T7"):
		add(end, lead.FieldStatus, "lead", "recycled", "T7")
		l.Track.End, l.Track.Ended, l.Track.Due, l.Track.Overdue = stage.EndExhausted, stage.InstantOf(t0.Add(end)), 0, false
		l.Status = lead.StatusRecycled
	}
	return hist
}

// BenchmarkReports measures each report on bigStore (the
// targets: V1 and A9 under 1 ms, V2 for a day and V3-V5 under 50 ms, V6
// under 100 ms, V7 and V9 over 30 days under 1 s). Its "heap" case
// reports the heap the store holds per lead (B/lead) and does nothing
// else. Run with -big.
func BenchmarkReports(b *testing.B) {
	if !*big || testing.Short() {
		b.Skip("builds 1,000,000 leads: run with -big")
	}
	st, info := bigStore()
	f := info.frame
	ctx := context.Background()
	month := report.Period{From: f.Now.Add(-30 * 24 * time.Hour), To: f.Now}
	for _, c := range []struct {
		name string
		run  func() (int, error)
	}{
		{"heap", func() (int, error) { return 0, nil }},
		{"V1-one-owner", func() (int, error) {
			r, err := report.Worklist(ctx, st, ops, report.WorklistParams{Frame: f, Owners: []string{"rep-07"}})
			return len(r), err
		}},
		{"A9-one-owner", func() (int, error) {
			r, err := report.Requests(ctx, st, ops, report.RequestsParams{Frame: f, Owners: []string{"rep-07"}})
			return len(r), err
		}},
		{"V2-one-day", func() (int, error) {
			r, err := report.ScoreJumps(ctx, st, ops, report.ScoreJumpsParams{Frame: f})
			return len(r), err
		}},
		{"V3", func() (int, error) {
			r, err := report.CreatedToday(ctx, st, ops, report.CreatedParams{Frame: f})
			return len(r), err
		}},
		{"V4", func() (int, error) {
			r, err := report.CreatedThisWeek(ctx, st, ops, report.CreatedParams{Frame: f})
			return len(r), err
		}},
		{"V5", func() (int, error) {
			r, err := report.CreatedThisMonth(ctx, st, ops, report.CreatedParams{Frame: f})
			return len(r), err
		}},
		{"V6", func() (int, error) {
			r, err := report.Overdue(ctx, st, ops, report.OverdueParams{Frame: f})
			return len(r), err
		}},
		{"V7-30-days", func() (int, error) {
			r, err := report.Funnel(ctx, st, ops, report.FunnelParams{Frame: f, Period: month})
			return len(r), err
		}},
		{"V9-30-days", func() (int, error) {
			r, err := report.SLA(ctx, st, ops, report.SLAParams{Frame: f, Period: month})
			return len(r), err
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			runtime.GC() // the garbage of the build or of the last case is not this one's
			rows := 0
			for b.Loop() {
				n, err := c.run()
				if err != nil {
					b.Fatal(err)
				}
				rows = n
			}
			b.ReportMetric(float64(rows), "rows")
			if c.name == "heap" {
				b.ReportMetric(info.heap, "B/lead")
			}
		})
	}
}
