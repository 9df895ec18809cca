package report_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leadlinetest"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// kitTeam runs the week of [team] on a leadlinetest kit.
func kitTeam(t *testing.T) (*leadlinetest.Kit, report.Frame) {
	t.Helper()
	k := leadlinetest.New(t, leadline.Config{Roster: roster})
	f, err := team(k.Clock, func(e lead.Event) error { return k.Engine.Handle(t.Context(), e) },
		func() error { _, err := k.Engine.Sweep(t.Context()); return err })
	if err != nil {
		t.Fatal(err)
	}
	return k, f
}

// TestReports_golden writes every report of the week in CSV and JSON and
// compares them with testdata/*.golden; -update rewrites them. The
// expected rows were checked against the rule book (see each case).
func TestReports_golden(t *testing.T) {
	k, f := kitTeam(t)
	ctx, st := t.Context(), k.Store
	for _, c := range []struct {
		name string
		run  func() (any, error)
	}{
		// L-6 reached Stage1 Monday 15:00; Stage2 was due 48h later (T3)
		// and is 43h late on Friday 10:00.
		{"V1 worklist", func() (any, error) { return report.Worklist(ctx, st, ops, report.WorklistParams{Frame: f}) }},
		// L-2 was reassigned on Wednesday 11:00 with a fresh 48h window
		// (T1, T10); L-3's request was made Thursday 09:00.
		{"A9 requests", func() (any, error) { return report.Requests(ctx, st, ops, report.RequestsParams{Frame: f}) }},
		// Tuesday L-3 80 -> 95; Thursday L-1 120 -> 150 and L-4 55 -> 70
		// (created Wednesday, so it had a score the day before); L-2's
		// +5 is below the jump.
		{"V2 score jumps", func() (any, error) {
			return report.ScoreJumps(ctx, st, ops, report.ScoreJumpsParams{Frame: f, Days: 5})
		}},
		{"V3 created today", func() (any, error) { return report.CreatedToday(ctx, st, ops, report.CreatedParams{Frame: f}) }},
		{"V4 created this week", func() (any, error) { return report.CreatedThisWeek(ctx, st, ops, report.CreatedParams{Frame: f}) }},
		{"V5 created this month", func() (any, error) { return report.CreatedThisMonth(ctx, st, ops, report.CreatedParams{Frame: f}) }},
		{"V6 overdue", func() (any, error) { return report.Overdue(ctx, st, ops, report.OverdueParams{Frame: f}) }},
		// Four requests (L-1, L-2, L-3, L-6), two first attempts, one
		// contact.
		{"V7 funnel", func() (any, error) { return report.Funnel(ctx, st, ops, report.FunnelParams{Frame: f}) }},
		// rep-a: L-1 attempted 3h after its request; rep-b: L-6 after 6h,
		// and L-2 taken from rep-b by T1.
		{"V9 follow-up SLA", func() (any, error) {
			return report.SLA(ctx, st, ops, report.SLAParams{Frame: f, Teams: []routing.Team{roster.Inside}})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows, err := c.run()
			if err != nil {
				t.Fatal(err)
			}
			var csvOut, jsonOut bytes.Buffer
			if err := report.WriteCSV(&csvOut, rows, report.WriteOptions{Zone: f.Zone}); err != nil {
				t.Fatal(err)
			}
			if err := report.WriteJSON(&jsonOut, rows, report.WriteOptions{Zone: f.Zone}); err != nil {
				t.Fatal(err)
			}
			golden(t, c.name[:2]+".csv", csvOut.Bytes())
			golden(t, c.name[:2]+".json", jsonOut.Bytes())
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n got:\n%s\nwant:\n%s\n(rewrite with -update and review the diff)", name, path, got, want)
	}
}

func TestWriteCSV_V8(t *testing.T) {
	rows := []report.CreatedRow{{Group: "web", Lead: "L-1", Company: "株式会社サンプル, 東京", Score: decimal.RequireFromString("99.5"),
		Created: time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC)}}
	var b bytes.Buffer
	if err := report.WriteCSV(&b, rows, report.WriteOptions{Zone: jst, BOM: true}); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFgroup,lead,created,company,name,source,status,score,owner\r\n" +
		"web,L-1,2026-04-06T09:00:00+09:00,\"株式会社サンプル, 東京\",,,new,99.50,\r\n"
	if b.String() != want {
		t.Errorf("WriteCSV with BOM =\n%q\nwant\n%q", b.String(), want)
	}
	// CSV injection: text from a web form never runs as a formula in the
	// reader's Excel; a negative score is a number and stays one.
	b.Reset()
	rows = []report.CreatedRow{
		{Lead: "L-2", Company: `=HYPERLINK("http://evil.example","開く")`, Name: "@SUM(A1)", Source: "+81 3", Score: decimal.RequireFromString("-12.5")},
		{Lead: "L-3", Company: "-", Name: "\tx", Source: "'=x"},
	}
	if err := report.WriteCSV(&b, rows, report.WriteOptions{LF: true}); err != nil {
		t.Fatal(err)
	}
	want = "group,lead,created,company,name,source,status,score,owner\n" +
		`,L-2,,"'=HYPERLINK(""http://evil.example"",""開く"")",'@SUM(A1),'+81 3,new,-12.50,` + "\n" +
		",L-3,,'-,'\tx,''=x,new,0.00,\n"
	if b.String() != want {
		t.Errorf("WriteCSV of formula-like text =\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	if err := report.WriteJSON(&b, []report.CreatedRow{}, report.WriteOptions{}); err != nil || b.String() != "[]\n" {
		t.Errorf("WriteJSON(no rows) = %q, %v; want []", b.String(), err)
	}
}

func TestScoreJumps_dayBoundaries(t *testing.T) {
	t.Run("V2 a change at 23:59:59 and one at 00:00:00 Tokyo time land on different days", func(t *testing.T) {
		k := leadlinetest.New(t, leadline.Config{})
		k.Clock.Set(time.Date(2026, 4, 6, 12, 0, 0, 0, jst))
		k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(50)})
		k.Clock.Set(time.Date(2026, 4, 7, 23, 59, 59, 0, jst))
		k.Handle(lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: decimal.NewFromInt(60)})
		k.Clock.Set(time.Date(2026, 4, 8, 0, 0, 0, 0, jst))
		k.Handle(lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: decimal.NewFromInt(70)})
		f := report.Frame{Now: k.Now(), Zone: jst}
		rows, err := report.ScoreJumps(t.Context(), k.Store, ops, report.ScoreJumpsParams{Frame: f, Days: 3})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.Date+" "+r.Previous.String()+">"+r.Score.String())
		}
		want := []string{"2026-04-07 50>60", "2026-04-08 60>70"}
		if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("ScoreJumps = %q, want %q", got, want)
		}
		// In UTC both changes are on April 7 (14:59:59 and 15:00): one
		// day, a rise of 20 (V8: the day is the report's zone's).
		f.Zone = time.UTC
		rows, err = report.ScoreJumps(t.Context(), k.Store, ops, report.ScoreJumpsParams{Frame: f, Days: 2})
		if err != nil || len(rows) != 1 || rows[0].Date != "2026-04-07" || !rows[0].Rise.Equal(decimal.NewFromInt(20)) {
			t.Errorf("ScoreJumps in UTC = %+v, %v; want one row of April 7 rising 20", rows, err)
		}
	})
}

func TestFrame_V8(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	sunday := time.Sunday
	for _, c := range []struct {
		name      string
		f         report.Frame
		today     time.Duration
		week      [2]string
		weekHours time.Duration
		month     [2]string
	}{
		{"V8 a week that spans a month end", report.Frame{Now: time.Date(2026, 4, 30, 23, 0, 0, 0, jst)}, 24 * time.Hour,
			[2]string{"2026-04-27T00:00:00+09:00", "2026-05-04T00:00:00+09:00"}, 168 * time.Hour,
			[2]string{"2026-04-01T00:00:00+09:00", "2026-05-01T00:00:00+09:00"}},
		{"V8 New York spring forward: today is 23 hours", report.Frame{Now: time.Date(2026, 3, 8, 12, 0, 0, 0, ny)}, 23 * time.Hour,
			[2]string{"2026-03-02T00:00:00-05:00", "2026-03-09T00:00:00-04:00"}, 167 * time.Hour,
			[2]string{"2026-03-01T00:00:00-05:00", "2026-04-01T00:00:00-04:00"}},
		{"V8 New York spring forward, weeks from Sunday", report.Frame{Now: time.Date(2026, 3, 8, 1, 0, 0, 0, ny), WeekStart: &sunday}, 23 * time.Hour,
			[2]string{"2026-03-08T00:00:00-05:00", "2026-03-15T00:00:00-04:00"}, 167 * time.Hour,
			[2]string{"2026-03-01T00:00:00-05:00", "2026-04-01T00:00:00-04:00"}},
		{"V8 New York fall back: today is 25 hours", report.Frame{Now: time.Date(2026, 11, 1, 23, 30, 0, 0, ny)}, 25 * time.Hour,
			[2]string{"2026-10-26T00:00:00-04:00", "2026-11-02T00:00:00-05:00"}, 169 * time.Hour,
			[2]string{"2026-11-01T00:00:00-04:00", "2026-12-01T00:00:00-05:00"}},
		{"V8 the frame's zone, not the instant's", report.Frame{Now: time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC), Zone: ny}, 25 * time.Hour,
			[2]string{"2026-10-26T00:00:00-04:00", "2026-11-02T00:00:00-05:00"}, 169 * time.Hour,
			[2]string{"2026-11-01T00:00:00-04:00", "2026-12-01T00:00:00-05:00"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			today, week, month := c.f.Today(), c.f.ThisWeek(), c.f.ThisMonth()
			if d := today.To.Sub(today.From); d != c.today || !today.Contains(c.f.Now) {
				t.Errorf("Today() = %v, %v long; want %v, containing now", today, d, c.today)
			}
			f := func(t time.Time) string { return t.Format(time.RFC3339) }
			if got := [2]string{f(week.From), f(week.To)}; got != c.week || week.To.Sub(week.From) != c.weekHours {
				t.Errorf("ThisWeek() = %v, want %v (%v)", got, c.week, c.weekHours)
			}
			if got := [2]string{f(month.From), f(month.To)}; got != c.month {
				t.Errorf("ThisMonth() = %v, want %v", got, c.month)
			}
		})
	}
}

// TestSLA_firstAttemptAnswersTheRequest: V9 times a request to its first
// attempt, and A4 says which attempt that is: the one that answers it. A
// request made while the cadence is past Untouched is answered by the
// next attempt, whatever stage it makes, the last stage's included; it is
// attempted and timed as a request that starts a cadence is.
func TestSLA_firstAttemptAnswersTheRequest(t *testing.T) {
	mon := func(d, h int) time.Time { return time.Date(2026, 4, 6+d, h, 0, 0, 0, jst) }
	for _, c := range []struct {
		name string
		// attempts at these instants, then a second inquiry at ask and
		// an attempt at answer
		attempts    []time.Time
		ask, answer time.Time
		want        string
	}{
		{"V9 A4 a request at Stage1, answered by the Stage2 attempt (T3)", []time.Time{mon(0, 10)}, mon(1, 9), mon(1, 11),
			// 09:00 -> 10:00 and Tuesday 09:00 -> 11:00: median 1h, p90 2h.
			"rep-a/req2/att2/1h0m0s/2h0m0s/steps2/2"},
		{"V9 A4 a request at Stage4, answered by an attempt that stays there (T5)",
			[]time.Time{mon(0, 10), mon(1, 10), mon(2, 10), mon(3, 10)}, mon(3, 12), mon(3, 15),
			"rep-a/req2/att2/1h0m0s/3h0m0s/steps4/4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			k := leadlinetest.New(t, leadline.Config{Roster: roster})
			k.Clock.Set(mon(0, 9))
			k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(120), Owner: "rep-a"})
			k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1", Topic: "first"})
			attempt := func(at time.Time) {
				k.Clock.Set(at)
				k.Handle(lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: "rep-a", Channels: stage.Call})
			}
			for _, at := range c.attempts {
				attempt(at)
			}
			k.Clock.Set(c.ask)
			k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1", Topic: "second"})
			attempt(c.answer)
			f := report.Frame{Now: c.answer.Add(time.Hour), Zone: jst}
			rows, err := report.SLA(t.Context(), k.Store, ops, report.SLAParams{Frame: f})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, fmt.Sprintf("%s/req%d/att%d/%v/%v/steps%d/%d", r.Owner, r.Requests, r.Attempted, r.FirstMedian, r.FirstP90, r.Steps, r.OnTime))
			}
			// The owner's row, then the team's (the same numbers).
			want := []string{c.want, strings.TrimPrefix(c.want, "rep-a")}
			if !slices.Equal(got, want) {
				t.Errorf("SLA =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				for _, h := range k.History("L-1") {
					t.Logf("%s", h)
				}
			}
		})
	}
}

// TestSLA_T13HandOns: a lead nobody works after Stage1 is handed on by
// T13 (reassigned as in T10: another rep with a fresh window) and, once
// MaxReassignments (2) are spent, handed to the manager (T10). V9 counts
// each hand-on as a lead lost to reassignment by the rep it was taken
// from, and the last as an escalation, as replay.Counts count them.
func TestSLA_T13HandOns(t *testing.T) {
	k := leadlinetest.New(t, leadline.Config{Roster: roster})
	k.Clock.Set(time.Date(2026, 4, 1, 9, 0, 0, 0, jst))
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(120), Owner: "rep-a"})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"})
	k.Advance(time.Hour)
	k.Handle(lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: "rep-a", Channels: stage.Call})
	// Swept twice a day: for each owner the Stage2 deadline (T8), two
	// reminders 48h apart (T13), the hand-on 48h after the last.
	for range 70 {
		k.Advance(12 * time.Hour)
		k.Sweep()
	}
	var moves []string
	for _, c := range k.History("L-1") {
		if c.Field == lead.FieldOwner {
			moves = append(moves, c.From+">"+c.To+" "+c.Rule)
		}
	}
	if want := []string{">rep-a M9", "rep-a>rep-b T13", "rep-b>rep-a T13", "rep-a>mgr T10"}; !slices.Equal(moves, want) {
		t.Fatalf("owner changes %q, want %q", moves, want)
	}
	f := report.Frame{Now: k.Now(), Zone: jst}
	p := report.Period{From: time.Date(2026, 4, 1, 0, 0, 0, 0, jst), To: k.Now()}
	rows, err := report.SLA(t.Context(), k.Store, ops, report.SLAParams{Frame: f, Period: p, Teams: []routing.Team{roster.Inside}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s/%s/req%d/att%d/re%d/esc%d", r.Team, r.Owner, r.Requests, r.Attempted, r.Reassigned, r.Escalated))
	}
	want := []string{"inside/rep-a/req1/att1/re1/esc1", "inside/rep-b/req0/att0/re1/esc0", "inside//req1/att1/re2/esc1"}
	if !slices.Equal(got, want) {
		t.Errorf("SLA =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestWriteCSV_lineBreaksInCells: free text may hold line breaks (E6);
// RFC 4180 allows CR and LF in a quoted field (V8). A lone CR is kept, a
// lone LF is written as the file's line end, CRLF stays CRLF, and a cell
// that starts with one is still escaped as a formula.
func TestWriteCSV_lineBreaksInCells(t *testing.T) {
	for _, c := range []struct {
		name, text string
		lf         bool
		want       string
	}{
		{"V8 a lone CR is kept (CRLF)", "見積\rお願い", false, "\"見積\rお願い\"\r\n"},
		{"V8 a lone CR is kept (LF)", "見積\rお願い", true, "\"見積\rお願い\"\n"},
		{"V8 CR CR LF", "a\r\r\nb", false, "\"a\r\r\nb\"\r\n"},
		{"V8 LF is the line end (CRLF)", "a\nb", false, "\"a\r\nb\"\r\n"},
		{"V8 LF is the line end (LF)", "a\nb", true, "\"a\nb\"\n"},
		{"V8 CRLF stays CRLF", "a\r\nb", false, "\"a\r\nb\"\r\n"},
		{"V8 a leading CR is escaped and kept", "\rx", false, "\"'\rx\"\r\n"},
		{"V8 quotes doubled around a CR", "\"a\"\r\"b\"", false, "\"\"\"a\"\"\r\"\"b\"\"\"\r\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			rows := []report.CreatedRow{{Lead: "L-1", Name: c.text, Score: decimal.NewFromInt(1)}}
			if err := report.WriteCSV(&b, rows, report.WriteOptions{LF: c.lf}); err != nil {
				t.Fatal(err)
			}
			end := "\r\n"
			if c.lf {
				end = "\n"
			}
			want := "group,lead,created,company,name,source,status,score,owner" + end + ",L-1,,," + strings.TrimSuffix(c.want, end) + ",,new,1.00," + end
			if b.String() != want {
				t.Errorf("WriteCSV =\n%q\nwant\n%q", b.String(), want)
			}
		})
	}
}

// TestCreatedToday_sourceNamedNone: V3 groups by source, a lead with no
// source last as "(none)". A source that is the text "(none)" is a source
// like any other, in its alphabetical place; it is not the leads with
// none.
func TestCreatedToday_sourceNamedNone(t *testing.T) {
	k := leadlinetest.New(t, leadline.Config{Roster: roster})
	at := time.Date(2026, 4, 6, 9, 0, 0, 0, jst)
	for i, l := range []struct{ id, source string }{
		{"L-1", ""}, {"L-2", "(none)"}, {"L-3", "web"}, {"L-4", ""}, {"L-5", "セミナー"}, {"L-6", "Ads"}, {"L-7", "(none)"},
	} {
		k.Clock.Set(at.Add(time.Duration(i) * time.Minute))
		k.Handle(lead.Event{Kind: lead.EventCreated, Lead: l.id, Score: decimal.NewFromInt(1), Profile: lead.Profile{Source: l.source}})
	}
	rows, err := report.CreatedToday(t.Context(), k.Store, ops, report.CreatedParams{Frame: report.Frame{Now: at.Add(time.Hour), Zone: jst}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Group+":"+r.Lead+":"+r.Source)
	}
	// "(" sorts before "A"; the leads with no source come last, in order
	// of creation.
	want := []string{"(none):L-2:(none)", "(none):L-7:(none)", "Ads:L-6:Ads", "web:L-3:web", "セミナー:L-5:セミナー", "(none):L-1:", "(none):L-4:"}
	if !slices.Equal(got, want) {
		t.Errorf("V3 =\n%q\nwant\n%q", got, want)
	}
}

// TestCreatedThisWeek_bandsFollowTheThreshold: V4's top band is the MQLs,
// by the policy's one threshold (A7), whatever it is.
func TestCreatedThisWeek_bandsFollowTheThreshold(t *testing.T) {
	k := leadlinetest.New(t, leadline.Config{Roster: roster})
	at := time.Date(2026, 4, 6, 9, 0, 0, 0, jst)
	for i, score := range []int64{90, 79, 50, 49, 120, 30} {
		k.Clock.Set(at.Add(time.Duration(i) * time.Minute))
		k.Handle(lead.Event{Kind: lead.EventCreated, Lead: fmt.Sprintf("L-%d", score), Score: decimal.NewFromInt(score)})
	}
	for _, c := range []struct {
		threshold int64
		want      []string
	}{
		{0, []string{"<50:L-49", "<50:L-30", "50-99:L-90", "50-99:L-79", "50-99:L-50", ">=100:L-120"}}, // no policy: the rule book's 100
		{80, []string{"<50:L-49", "<50:L-30", "50-79:L-79", "50-79:L-50", ">=80:L-120", ">=80:L-90"}},
		{40, []string{"<40:L-30", ">=40:L-120", ">=40:L-90", ">=40:L-79", ">=40:L-50", ">=40:L-49"}},
	} {
		f := report.Frame{Now: at.Add(time.Hour), Zone: jst}
		if c.threshold != 0 {
			pol := rules.Policy{Triggers: routing.Triggers{Threshold: lead.NewThreshold(decimal.NewFromInt(c.threshold))}}.Normalize()
			f.Routing = &pol.Routing
		}
		rows, err := report.CreatedThisWeek(t.Context(), k.Store, ops, report.CreatedParams{Frame: f})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.Group+":"+r.Lead)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("threshold %d: V4 = %q, want %q", c.threshold, got, c.want)
		}
	}
}
