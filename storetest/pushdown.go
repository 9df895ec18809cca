package storetest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// referenceReader is a store seen through [report.Reader] alone: its
// optional interfaces ([report.Summarizer], [report.StepReader],
// [report.SLAReader]) hidden, so that a report run on it computes its
// answer from Open, Created, Changes and LeadsByID, the reference.
type referenceReader struct{ report.Reader }

// testPushdown checks that what a store answers through the reports'
// optional interfaces is what the reports compute from its
// [report.Reader] methods: every report, for viewers of every kind, over
// periods that cut the history at its edges (V1-V10, M2). A store with
// none of them passes at once: there is nothing to push down.
func testPushdown(t *testing.T, newStore func(t *testing.T) ReportStore) {
	st := open(t, newStore)
	for _, w := range ReportWrites() {
		mustApply(t, st, w)
	}
	for _, d := range pushdownDiffs(t, st) {
		t.Error(d)
	}
}

// ReportMonth returns the month [ReportWrites] fills: April 2025 in
// Tokyo, from its first instant to the next month's.
func ReportMonth() report.Period {
	return report.Period{From: time.Date(2025, 4, 1, 0, 0, 0, 0, jst), To: time.Date(2025, 5, 1, 0, 0, 0, 0, jst)}
}

// pushdownDiffs runs every report on st and on st seen through
// report.Reader alone, and words each difference.
func pushdownDiffs(tb testing.TB, st report.Reader) []string {
	tb.Helper()
	ctx := context.Background()
	month := ReportMonth()
	from, to := month.From, month.To
	var diffs []string
	ref := referenceReader{st}
	sunday := time.Sunday
	field := routing.Rules{FieldSummary: true}
	teams := []routing.Team{
		{ID: "inside", Manager: "mgr", Reps: []routing.Rep{{ID: "rep-a"}, {ID: "rep-b"}, {ID: "rep-c"}}},
		{ID: "field", Manager: "fmgr", Reps: []routing.Rep{{ID: "fld-1"}, {ID: "fld-2"}}},
	}
	frames := []struct {
		name string
		f    report.Frame
	}{
		{"mid-April", report.Frame{Now: from.Add(15*day + 10*time.Hour), Zone: jst}},
		{"May, weeks from Sunday, field summaries", report.Frame{Now: to.Add(time.Hour), Zone: jst, WeekStart: &sunday, Routing: &field}},
		{"mid-April in UTC", report.Frame{Now: from.Add(15*day + 10*time.Hour), Zone: time.UTC}},
	}
	viewers := []routing.Viewer{
		{Rep: "ops-1", Role: routing.RoleOps},
		{Rep: "rep-a", Role: routing.RoleInside},
		{Rep: "fld-1", Role: routing.RoleField},
		{Rep: "fmgr", Role: routing.RoleFieldManager},
	}
	for _, fr := range frames {
		f := fr.f
		periods := []struct {
			name string
			p    report.Period
		}{
			{"the month", report.Period{From: from, To: to}},
			{"a day", f.Day(from.Add(10 * day))},
			{"this week", f.ThisWeek()},
			{"an empty period", report.Period{From: to.Add(time.Hour), To: to.Add(2 * time.Hour)}},
		}
		for _, v := range viewers {
			reports := []struct {
				name string
				run  func(r report.Reader) (any, error)
			}{
				{"Worklist", func(r report.Reader) (any, error) {
					return report.Worklist(ctx, r, v, report.WorklistParams{Frame: f})
				}},
				{"Worklist of rep-b", func(r report.Reader) (any, error) {
					return report.Worklist(ctx, r, v, report.WorklistParams{Frame: f, Owners: []string{"rep-b"}})
				}},
				{"Requests", func(r report.Reader) (any, error) {
					return report.Requests(ctx, r, v, report.RequestsParams{Frame: f})
				}},
				{"Overdue", func(r report.Reader) (any, error) {
					return report.Overdue(ctx, r, v, report.OverdueParams{Frame: f})
				}},
				{"ScoreJumps", func(r report.Reader) (any, error) {
					return report.ScoreJumps(ctx, r, v, report.ScoreJumpsParams{Frame: f, Days: 7})
				}},
				{"CreatedToday", func(r report.Reader) (any, error) {
					return report.CreatedToday(ctx, r, v, report.CreatedParams{Frame: f})
				}},
				{"CreatedThisWeek", func(r report.Reader) (any, error) {
					return report.CreatedThisWeek(ctx, r, v, report.CreatedParams{Frame: f})
				}},
				{"CreatedThisMonth", func(r report.Reader) (any, error) {
					return report.CreatedThisMonth(ctx, r, v, report.CreatedParams{Frame: f})
				}},
			}
			for _, p := range periods {
				reports = append(reports,
					struct {
						name string
						run  func(r report.Reader) (any, error)
					}{"Funnel/" + p.name, func(r report.Reader) (any, error) {
						return report.Funnel(ctx, r, v, report.FunnelParams{Frame: f, Period: p.p})
					}},
					struct {
						name string
						run  func(r report.Reader) (any, error)
					}{"SLA/" + p.name, func(r report.Reader) (any, error) {
						return report.SLA(ctx, r, v, report.SLAParams{Frame: f, Period: p.p, Teams: teams})
					}},
				)
			}
			for _, rep := range reports {
				got, want := pushdownCSV(tb, rep.run, st), pushdownCSV(tb, rep.run, ref)
				if got != want {
					diffs = append(diffs, fmt.Sprintf("%s, %s, viewer %s %s: the store's own answer\n%s\nthe answer from report.Reader alone\n%s",
						fr.name, rep.name, v.Role, v.Rep, got, want))
				}
			}
		}
	}
	return diffs
}

// pushdownCSV runs a report on r and writes its rows as CSV, every field
// at full precision.
func pushdownCSV(tb testing.TB, run func(report.Reader) (any, error), r report.Reader) string {
	tb.Helper()
	rows, err := run(r)
	if err != nil {
		tb.Fatalf("%T: %v", r, err)
	}
	var b bytes.Buffer
	if err := report.WriteCSV(&b, rows, report.WriteOptions{Zone: jst, LF: true, Places: 10}); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

// ReportWrites returns the writes of a team's month ([ReportMonth]) that
// the Pushdown group reads, for a store's own tests to compare its
// reports with another store's (memstore's, the reference) on the same
// data: leads whose history cuts the month at its edges (an entry at its first
// instant, one at its end, one a microsecond before), a request and its
// first attempt (the entry that answers it, A4) at the same instant, a
// second request before the first attempt, a request made mid-cadence
// and answered by a step past Stage1, reassignments (T1, T13) and
// escalations, field sales' leads with no from, campaign responses, score
// jumps, a lead with no history, a step to Stage1 before any request,
// owners changing back and forth, entries written out of their instants'
// order; then sixty leads drawn from a fixed seed, for everything else.
func ReportWrites() []leadline.Write {
	month := ReportMonth()
	from, to := month.From, month.To
	var (
		open, overdue, done = lead.RequestOpen.String(), lead.RequestOverdue.String(), lead.RequestDone.String()
		untouched, s1, s2   = stage.Untouched.Key(), stage.Stage1.Key(), stage.Stage2.Key()
		connected           = stage.Connected.Key()
		presql, accepted    = lead.HandoffPreSQL.String(), lead.HandoffAccepted.String()
	)
	hr := func(h float64) time.Time { return from.Add(time.Duration(h * float64(time.Hour))) }
	type entry struct {
		at             time.Time
		field          lead.Field
		from, to, rule string
	}
	e := func(at time.Time, f lead.Field, from, to, rule string) entry { return entry{at, f, from, to, rule} }
	type fixture struct {
		l    lead.Lead
		hist []entry
	}
	fixed := []fixture{
		{lead.Lead{ID: "L-01", Owner: "rep-a", Created: hr(-100)}, []entry{
			e(from, lead.FieldRequest, "", open, "A1"),
			e(from, lead.FieldStage, untouched, s1, ""),
			e(from, lead.FieldRequest, open, done, "A4"),
			e(hr(30), lead.FieldStage, s1, s2, "T9"),
			e(hr(31), lead.FieldStage, s2, connected, "T6"),
		}},
		{lead.Lead{ID: "L-02", Owner: "mgr", Created: hr(-50)}, []entry{
			e(hr(1), lead.FieldRequest, "", open, "A2"),
			e(hr(49), lead.FieldOwner, "rep-a", "rep-b", "T1"),
			e(hr(97), lead.FieldOwner, "rep-b", "mgr", "T10"),
			e(hr(97), lead.FieldStage, untouched, s1, ""),
			e(hr(97), lead.FieldRequest, open, done, "A4"),
			e(hr(98), lead.FieldOwner, "mgr", "rep-c", ""),
			e(hr(99), lead.FieldStage, s1, s1, ""),
		}},
		{lead.Lead{ID: "L-03", Owner: "rep-b", Created: hr(-10), Responses: []lead.Touch{
			{Campaign: "C-1", Kind: lead.ResponseRegistered, By: "rep-a"}, {Campaign: "C-2", Kind: lead.ResponseListed}},
			Handoff: lead.HandoffAccepted, HandedBy: "rep-b", HandedTo: "fld-1"}, []entry{
			e(hr(2), lead.FieldRequest, "", open, "A1"),
			e(hr(3), lead.FieldRequest, open, done, ""),
			e(hr(4.5), lead.FieldRequest, done, open, "A3"),
			e(hr(6), lead.FieldRequest, open, overdue, "A4"),
			e(hr(7), lead.FieldRequest, overdue, open, ""),
			e(hr(8.25), lead.FieldStage, untouched, s1, ""),
			e(hr(8.25), lead.FieldRequest, open, done, "A4"),
			e(hr(9), lead.FieldStage, s1, untouched, "T7"),
			e(hr(10), lead.FieldStage, untouched, s1, ""),
			e(hr(11), lead.FieldHandoff, "", presql, "M10"),
			e(hr(12), lead.FieldHandoff, presql, accepted, "M10"),
		}},
		{lead.Lead{ID: "L-04", Owner: "fld-1", Desk: lead.DeskField, Created: hr(-10), Responses: []lead.Touch{
			{Campaign: "C-1", Kind: lead.ResponseAttended, By: "rep-c"}},
			Feedback: lead.Feedback{Opportunity: lead.OutcomeYes}}, []entry{
			e(hr(5), lead.FieldFeedback, "", "opportunity=yes", ""),
			e(hr(6), lead.FieldFeedback, "opportunity=yes", "opportunity=yes;budget=ok", ""),
			e(hr(7), lead.FieldStage, "", s1, ""),
		}},
		{lead.Lead{ID: "L-05", Owner: "rep-a", Created: hr(-300)}, []entry{
			e(hr(-1), lead.FieldRequest, "", open, "A1"),
			e(to, lead.FieldStage, untouched, s1, ""),
			e(to.Add(-time.Microsecond), lead.FieldOwner, "rep-a", "rep-b", "T1"),
		}},
		{lead.Lead{ID: "L-06", Owner: "rep-a", Created: hr(-1)}, nil},
		// Stage1 before any request: a step, no attempt. Then a request
		// made mid-cadence, answered by the step to Stage2 (A4); a
		// recycle (T7) and a late step (T9) with no request open; a
		// second request, done with no attempt (no A4), and a third
		// closed at its instant by a connection (T6, no attempt); then a
		// fourth and its own first attempt, late.
		{lead.Lead{ID: "L-07", Owner: "rep-c", Created: hr(-5)}, []entry{
			e(hr(20), lead.FieldStage, untouched, s1, ""),
			e(hr(21), lead.FieldRequest, "", open, "A1"),
			e(hr(22), lead.FieldStage, s1, s2, ""),
			e(hr(22), lead.FieldRequest, open, done, "A4"),
			e(hr(23), lead.FieldStage, s2, untouched, "T7"),
			e(hr(24), lead.FieldStage, untouched, s1, "T9"),
			e(hr(24.5), lead.FieldRequest, done, open, "A3"),
			e(hr(25), lead.FieldRequest, open, done, ""),
			e(hr(26), lead.FieldRequest, done, open, "A3"),
			e(hr(26), lead.FieldStage, s1, connected, "T6"),
			e(hr(26), lead.FieldRequest, open, done, "T6"),
			e(hr(26.5), lead.FieldRequest, done, open, "A1"),
			e(hr(27), lead.FieldStage, connected, s1, "T9"),
			e(hr(27), lead.FieldRequest, open, done, "A4"),
		}},
		// Owners changing back and forth, entries tied with an owner
		// change (write order decides whose they are), a reassignment, a
		// T13 hand-on and an escalation by an owner who held the lead
		// before.
		{lead.Lead{ID: "L-08", Owner: "rep-c", Created: hr(-5)}, []entry{
			e(hr(40), lead.FieldRequest, "", open, "A1"),
			e(hr(41), lead.FieldOwner, "rep-b", "rep-a", ""),
			e(hr(41), lead.FieldStage, untouched, s1, ""),
			e(hr(41), lead.FieldRequest, open, done, "A4"),
			e(hr(42), lead.FieldOwner, "rep-a", "rep-b", "T1"),
			e(hr(43), lead.FieldStage, s1, s2, "T9"),
			e(hr(44), lead.FieldOwner, "rep-b", "rep-a", "T10"),
			e(hr(45), lead.FieldOwner, "rep-a", "rep-b", "T1"),
			e(hr(46), lead.FieldOwner, "rep-b", "rep-c", "T13"),
		}},
		// Entries written out of their instants' order: the request,
		// written after the attempt, was opened before it.
		{lead.Lead{ID: "L-09", Owner: "rep-b", Created: hr(-5)}, []entry{
			e(hr(60), lead.FieldStage, untouched, s1, ""),
			e(hr(59), lead.FieldRequest, "", open, "A1"),
			e(hr(58), lead.FieldOwner, "rep-a", "rep-b", ""),
			e(hr(60), lead.FieldRequest, open, done, "A4"),
		}},
	}
	r := rand.New(rand.NewPCG(12, 2025))
	pick := func(s ...string) string { return s[r.IntN(len(s))] }
	owners := []string{"rep-a", "rep-b", "rep-c", "mgr", "fld-1", "fld-2"}
	stages := []string{untouched, s1, s2, stage.Stage3.Key(), stage.Stage4.Key(), connected}
	for i := range 60 {
		l := lead.Lead{ID: fmt.Sprintf("L-r%02d", i), Owner: pick(owners...), Status: lead.StatusLead,
			Created: hr(float64(r.IntN(24*40) - 24*7)), Score: decimal.NewFromInt(int64(r.IntN(200))),
			Profile: lead.Profile{Company: pick("Example KK", "=SUM(A1)", "北斗製作所", ""), Name: pick("", "佐藤 花子"), Source: pick("web", "seminar", "list")}}
		if l.Owner == "fld-1" || l.Owner == "fld-2" {
			l.Desk = lead.DeskField
		}
		if r.IntN(2) == 0 {
			st := stage.Stage(r.IntN(int(stage.Stage4) + 1))
			l.Track = stage.Track{Stage: st, Cadence: 1, Started: stage.InstantOf(l.Created),
				Due: stage.InstantOf(hr(float64(r.IntN(24 * 30)))), Overdue: r.IntN(4) == 0}
			for s := stage.Stage1; s <= st && s <= stage.Stage4; s++ {
				l.Track.Reached[s-1] = stage.InstantOf(l.Created.Add(time.Duration(s) * time.Hour))
			}
		}
		if r.IntN(2) == 0 {
			l.Request = lead.Request{Seq: 1, State: []lead.RequestState{lead.RequestOpen, lead.RequestOverdue, lead.RequestDone}[r.IntN(3)],
				Priority: 1 + r.IntN(3), Reasons: lead.RuleIDs(pick("A1", "A2,A3", "A8")), Subject: pick("", "料金"),
				Opened: l.Created, Due: l.Created.Add(48 * time.Hour)}
		}
		if r.IntN(3) == 0 {
			l.Responses = []lead.Touch{{Campaign: pick("C-1", "C-2"), Kind: lead.ResponseAttended, At: l.Created, By: pick("", "rep-a", "fld-1")}}
		}
		var hist []entry
		at := l.Created
		score := l.Score
		for range r.IntN(12) {
			at = at.Add(time.Duration(r.IntN(30*60)) * time.Minute)
			switch r.IntN(6) {
			case 0:
				hist = append(hist, e(at, lead.FieldRequest, pick("", open, overdue, done), pick(open, overdue, done), pick("", "A1", "A4")))
			case 1:
				hist = append(hist, e(at, lead.FieldStage, pick(stages...), pick(stages...), pick("", "T6", "T7", "T9")))
			case 2:
				hist = append(hist, e(at, lead.FieldOwner, pick(owners...), pick(owners...), pick("", "T1", "T10", "T13", "M9")))
			case 3:
				hist = append(hist, e(at, lead.FieldHandoff, pick("", presql), pick(presql, accepted), "M10"))
			case 4:
				hist = append(hist, e(at, lead.FieldFeedback, "", pick("opportunity=yes", "opportunity=no"), ""))
			default:
				next := score.Add(decimal.NewFromInt(int64(r.IntN(80) - 20)))
				hist = append(hist, e(at, lead.FieldScore, score.String(), next.String(), ""))
				score = next
			}
		}
		l.Score = score
		fixed = append(fixed, fixture{l, hist})
	}
	ws := make([]leadline.Write, 0, len(fixed))
	for _, x := range fixed {
		var hist []lead.Change
		for i, h := range x.hist {
			hist = append(hist, lead.Change{Lead: x.l.ID, At: h.at, Actor: lead.ActorEngine, Event: fmt.Sprintf("e-%s-%d", x.l.ID, i),
				Field: h.field, From: h.from, To: h.to, Rule: h.rule})
		}
		ws = append(ws, leadline.Write{Lead: x.l, Event: "c-" + x.l.ID, At: x.l.Created, History: hist, Deadlines: x.l.Deadlines(nil)})
	}
	return ws
}
