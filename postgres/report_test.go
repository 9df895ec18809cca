package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/leadline/leadline/storetest"
)

// summary is l with only the parts report.Summarizer names filled in:
// those of OpenSummaries when work, else those of CreatedSummaries.
func summary(l lead.Lead, work bool) lead.Lead {
	s := lead.Lead{ID: l.ID, Owner: l.Owner, Desk: l.Desk, Status: l.Status, Score: l.Score, Created: l.Created}
	s.Company, s.Name, s.Source, s.MASystem, s.Target = l.Company, l.Name, l.Source, l.MASystem, l.Target
	if work {
		s.Activity = l.Activity
		s.Track = stage.Track{Stage: l.Track.Stage, End: l.Track.End, Overdue: l.Track.Overdue, Cadence: l.Track.Cadence, Due: l.Track.Due}
		s.Request = lead.Request{State: l.Request.State, Priority: l.Request.Priority, Reasons: l.Request.Reasons,
			Subject: l.Request.Subject, Due: l.Request.Due}
	}
	return s
}

// TestStore_summaries checks the summaries the reports read in place of
// whole leads (V1, V3-V6, A9) against the whole leads the same store
// returns: every named part equal, in the same order, with ties on an
// instant, period edges, instants with nanoseconds in Tokyo's zone and
// leads with no track, request or activity.
func TestStore_summaries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := newStore(t)
	tokyo := time.FixedZone("JST", 9*60*60)
	from := time.Date(2026, 4, 6, 0, 0, 0, 0, tokyo) // a Monday in Tokyo
	to := from.AddDate(0, 0, 7)
	nano := from.Add(26*time.Hour + 123456789*time.Nanosecond)
	track := stage.Track{Stage: stage.Stage2, Overdue: true, Cadence: 3, Started: stage.InstantOf(from),
		Reached: [4]stage.Instant{stage.InstantOf(from), stage.InstantOf(nano)}, Due: stage.InstantOf(nano.Add(48 * time.Hour)), Nags: 2}
	leads := []lead.Lead{
		// Created at the period's start: in it. No track, request or activity.
		{ID: "L-b", Owner: "rep-a", Created: from, Status: lead.StatusNew},
		// Created at the same instant: after L-b by id.
		{ID: "L-a0", Profile: lead.Profile{Company: "会社 \"A\"\\\n", Name: "山田 花子", Email: "h@example.com", Source: "web",
			MASystem: "ma", Account: "acct", Target: true}, Score: decimal.RequireFromString("12.50"), Owner: "rep-b",
			Created: from, Desk: lead.DeskField, Status: lead.StatusLead},
		// A running, overdue cadence with an open request and activity.
		{ID: "L-c", Owner: "rep-a", Created: nano, Status: lead.StatusLead, Score: decimal.New(75, 0), Track: track,
			Request: lead.Request{Seq: 2, State: lead.RequestOpen, Priority: 2, Reasons: lead.RuleIDsOf("A1", "A3"),
				Subject: "価格", Opened: nano, Due: nano.Add(time.Hour).In(time.UTC)},
			Activity: lead.Activity{Inquiries: 2, Downloads: 1, PageViews: 7, Last: nano, LastTopic: "pricing.pdf"}},
		// Created at the period's end: outside it. An overdue request, no track.
		{ID: "L-d", Owner: "rep-b", Created: to, Status: lead.StatusLead,
			Request: lead.Request{Seq: 1, State: lead.RequestOverdue, Priority: 1, Reasons: lead.RuleIDsOf("A2"), Due: from}},
		// An ended cadence and a done request: no open work.
		{ID: "L-e", Owner: "rep-a", Created: to.Add(-time.Nanosecond), Status: lead.StatusRecycled,
			Track:   stage.Track{Stage: stage.Stage4, End: stage.EndExhausted, Cadence: 1},
			Request: lead.Request{Seq: 1, State: lead.RequestDone, Due: from, Closed: from}},
	}
	var ws []leadline.Write
	for _, l := range leads {
		ws = append(ws, leadline.Write{Lead: l, Event: "c-" + l.ID, At: from, Deadlines: l.Deadlines(nil)})
	}
	if err := st.ApplyBatch(ctx, ws); err != nil {
		t.Fatal(err)
	}
	ids := func(ls []lead.Lead) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.ID)
		}
		return out
	}
	for _, c := range []struct {
		name    string
		whole   func() ([]lead.Lead, error)
		summary func() ([]lead.Lead, error)
		work    bool
		want    []string
	}{
		{"Open of everyone: by owner, then id (V1, A9)", func() ([]lead.Lead, error) { return st.Open(ctx, nil) },
			func() ([]lead.Lead, error) { return st.OpenSummaries(ctx, nil) }, true, []string{"L-c", "L-d"}},
		{"Open of one owner", func() ([]lead.Lead, error) { return st.Open(ctx, []string{"rep-b"}) },
			func() ([]lead.Lead, error) { return st.OpenSummaries(ctx, []string{"rep-b"}) }, true, []string{"L-d"}},
		{"Open of nobody's", func() ([]lead.Lead, error) { return st.Open(ctx, []string{"rep-z"}) },
			func() ([]lead.Lead, error) { return st.OpenSummaries(ctx, []string{"rep-z"}) }, true, nil},
		{"Created in a Tokyo week: ties by id, From in, To out (V4, V8)", func() ([]lead.Lead, error) {
			return st.Created(ctx, report.Period{From: from, To: to})
		}, func() ([]lead.Lead, error) {
			return st.CreatedSummaries(ctx, report.Period{From: from, To: to})
		}, false, []string{"L-a0", "L-b", "L-c", "L-e"}},
		{"Created in an empty period", func() ([]lead.Lead, error) {
			return st.Created(ctx, report.Period{From: to.Add(time.Second), To: to.Add(time.Hour)})
		}, func() ([]lead.Lead, error) {
			return st.CreatedSummaries(ctx, report.Period{From: to.Add(time.Second), To: to.Add(time.Hour)})
		}, false, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			whole, err := c.whole()
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.summary()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(whole), c.want) {
				t.Fatalf("whole leads %v, want %v", ids(whole), c.want)
			}
			if len(got) != len(whole) {
				t.Fatalf("%d summaries %v, want %d %v", len(got), ids(got), len(whole), ids(whole))
			}
			for i := range whole {
				if want := summary(whole[i], c.work); !reflect.DeepEqual(got[i], want) {
					t.Errorf("summary %d:\n got %+v\nwant %+v", i, got[i], want)
				}
			}
		})
	}
}

// TestReports_pushdown runs the funnel and the SLA, which postgres counts
// in SQL (report.StepReader, report.SLAReader), and memstore, which
// counts them in Go from Changes, on the same leads and history, the
// month storetest's Pushdown group reads (storetest.ReportWrites): the
// rows must be the same (V7, V9, M2, M6). Its history holds each step and
// count of both reports, entries tied on one instant (write order
// decides), entries at the period's From (in) and To (out), a second
// request before the first attempt, a request made mid-cadence and
// answered by a step past Stage1 (A4), a step to Stage1 before any
// request, reassignments (T1, T13), escalations and a lead that changed
// owner, back and forth, entries written out of their instants' order, a lead with no
// history, keys absent from a change, field-desk leads for field viewers
// (M2), and sixty leads drawn from a seed.
func TestReports_pushdown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pg := newStore(t)
	mem := memstore.New()
	for _, w := range storetest.ReportWrites() {
		for _, st := range []leadline.Store{pg, mem} {
			if err := st.Apply(ctx, w); err != nil {
				t.Fatal(err)
			}
		}
	}
	month := storetest.ReportMonth()
	from, to := month.From, month.To
	tokyo := from.Location()
	at := func(h float64) time.Time { return from.Add(time.Duration(h * float64(time.Hour))) }
	f := report.Frame{Now: to.Add(time.Hour), Zone: tokyo}
	sunday := time.Sunday
	teams := []routing.Team{{ID: "inside", Manager: "mgr", Reps: []routing.Rep{{ID: "rep-a"}, {ID: "rep-b"}, {ID: "rep-c"}}}}
	for _, v := range []routing.Viewer{{Rep: "ops-1", Role: routing.RoleOps}, {Rep: "fld-1", Role: routing.RoleField},
		{Rep: "fmgr", Role: routing.RoleFieldManager}} {
		for _, p := range []struct {
			name string
			p    report.Period
		}{
			{"April in Tokyo", report.Period{From: from, To: to}},
			{"an empty period", report.Period{From: to.Add(time.Hour), To: to.Add(2 * time.Hour)}},
			{"a Tokyo day", f.Day(at(100))},
			{"a Tokyo week from Sunday (V8)", (&report.Frame{Now: at(100), Zone: tokyo, WeekStart: &sunday}).ThisWeek()},
		} {
			t.Run(fmt.Sprintf("%s/%s", v.Role, p.name), func(t *testing.T) {
				for _, rep := range []struct {
					name string
					run  func(r report.Reader) string
				}{
					{"Funnel", func(r report.Reader) string {
						rows, err := report.Funnel(ctx, r, v, report.FunnelParams{Frame: f, Period: p.p})
						return reportCSV(t, tokyo, rows, err)
					}},
					{"SLA", func(r report.Reader) string {
						rows, err := report.SLA(ctx, r, v, report.SLAParams{Frame: f, Period: p.p, Teams: teams})
						return reportCSV(t, tokyo, rows, err)
					}},
				} {
					if got, want := rep.run(pg), rep.run(mem); got != want {
						t.Errorf("%s: postgres:\n%s\nmemstore:\n%s", rep.name, got, want)
					}
				}
			})
		}
	}
}
