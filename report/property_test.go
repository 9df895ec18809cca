package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// drawStore fills a memstore with random leads over two weeks: desks,
// owners, cadences, requests and score histories.
func drawStore(t *rapid.T) (*memstore.Store, time.Time) {
	st := memstore.New()
	start := time.Date(2026, 4, 1, 0, 0, 0, 0, jst)
	n := rapid.IntRange(0, 25).Draw(t, "leads")
	owners := []string{"rep-a", "rep-b", "field-1", "field-2", ""}
	for i := range n {
		created := start.Add(time.Duration(rapid.IntRange(0, 14*24*60).Draw(t, "created")) * time.Minute)
		l := lead.Lead{ID: fmt.Sprintf("L-%02d", i), Created: created, Updated: created,
			Owner:  rapid.SampledFrom(owners).Draw(t, "owner"),
			Desk:   lead.Desk(rapid.IntRange(0, 1).Draw(t, "desk")),
			Status: lead.Status(rapid.IntRange(0, 6).Draw(t, "status")),
			Score:  decimal.NewFromInt(int64(rapid.IntRange(-10, 200).Draw(t, "score"))),
			Profile: lead.Profile{Source: rapid.SampledFrom([]string{"web", "list", ""}).Draw(t, "source"),
				Target: rapid.Bool().Draw(t, "target")}}
		if rapid.Bool().Draw(t, "cadence") {
			due := created.Add(time.Duration(rapid.IntRange(1, 96).Draw(t, "window")) * time.Hour)
			l.Track = stage.Track{Stage: stage.Stage(rapid.IntRange(0, 4).Draw(t, "stage")), Cadence: 1,
				Started: stage.InstantOf(created), Due: stage.InstantOf(due), Overdue: rapid.Bool().Draw(t, "overdue")}
			l.Request = lead.Request{Seq: 1, State: lead.RequestState(rapid.IntRange(1, 3).Draw(t, "request")), Priority: 1,
				Opened: created, Due: due}
		}
		// A score history: the changes after creation, in order (E8).
		var hist []lead.Change
		score, at := l.Score, created
		for range rapid.IntRange(0, 4).Draw(t, "changes") {
			at = at.Add(time.Duration(rapid.IntRange(1, 40*60).Draw(t, "gap")) * time.Minute)
			to := score.Add(decimal.NewFromInt(int64(rapid.IntRange(-15, 25).Draw(t, "delta"))))
			if to.Equal(score) {
				continue
			}
			hist = append(hist, lead.Change{Lead: l.ID, At: at, Actor: "mkto", Event: fmt.Sprintf("s-%d", len(hist)),
				Field: lead.FieldScore, From: lead.ScoreKey(score), To: lead.ScoreKey(to), Rule: "E8"})
			score = to
		}
		l.Score = score
		if err := st.Apply(context.Background(), leadline.Write{Lead: l, History: hist}); err != nil {
			t.Fatal(err)
		}
	}
	return st, start.Add(15 * 24 * time.Hour)
}

func TestReports_properties(t *testing.T) {
	rules := &routing.Rules{Organisation: routing.InsideFirst}
	t.Run("V10 no report shows a viewer a lead Access refuses them", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			st, now := drawStore(t)
			v := rapid.SampledFrom([]routing.Viewer{{Rep: "field-1", Role: routing.RoleField}, {Rep: "field-2", Role: routing.RoleField},
				{Rep: "rep-a", Role: routing.RoleInside}}).Draw(t, "viewer")
			f := report.Frame{Now: now, Zone: jst, Routing: rules}
			period := report.Period{From: now.Add(-20 * 24 * time.Hour), To: now}
			ctx := context.Background()
			var ids []string
			w, _ := report.Worklist(ctx, st, v, report.WorklistParams{Frame: f})
			for _, r := range w {
				ids = append(ids, r.Lead)
			}
			q, _ := report.Requests(ctx, st, v, report.RequestsParams{Frame: f})
			for _, r := range q {
				ids = append(ids, r.Lead)
			}
			j, _ := report.ScoreJumps(ctx, st, v, report.ScoreJumpsParams{Frame: f, Days: 20, Jump: decimal.NewFromInt(1)})
			for _, r := range j {
				ids = append(ids, r.Lead)
			}
			c, _ := report.CreatedThisWeek(ctx, st, v, report.CreatedParams{Frame: f, Period: period})
			for _, r := range c {
				ids = append(ids, r.Lead)
			}
			o, _ := report.Overdue(ctx, st, v, report.OverdueParams{Frame: f})
			for _, r := range o {
				ids = append(ids, r.Lead)
			}
			ls, err := st.LeadsByID(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			for i := range ls {
				if a := rules.Access(v, &ls[i]); a != routing.FullAccess {
					t.Fatalf("a report showed %s to %+v, whose access is %v (M2, V10)", ls[i].ID, v, a)
				}
			}
		})
	})
	t.Run("V3 V4 V5 every lead created in a period is in each report once", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			st, now := drawStore(t)
			from := now.Add(-time.Duration(rapid.IntRange(0, 16*24).Draw(t, "from")) * time.Hour)
			p := report.Period{From: from, To: from.Add(time.Duration(rapid.IntRange(0, 10*24).Draw(t, "length")) * time.Hour)}
			f := report.Frame{Now: now, Zone: jst}
			ctx := context.Background()
			all, _ := st.Leads(ctx, leadline.Query{})
			want := map[string]bool{}
			for _, l := range all {
				if p.Contains(l.Created) {
					want[l.ID] = true
				}
			}
			for name, run := range map[string]func(context.Context, report.Reader, routing.Viewer, report.CreatedParams) ([]report.CreatedRow, error){
				"V3": report.CreatedToday, "V4": report.CreatedThisWeek, "V5": report.CreatedThisMonth,
			} {
				rows, err := run(ctx, st, ops, report.CreatedParams{Frame: f, Period: p})
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]int{}
				for _, r := range rows {
					got[r.Lead]++
				}
				if len(rows) != len(want) || len(got) != len(want) {
					t.Fatalf("%s over %v: %d rows of %d leads, want the %d leads created in it once each", name, p, len(rows), len(got), len(want))
				}
				for id := range want {
					if got[id] != 1 {
						t.Fatalf("%s: lead %s in %d rows, want 1", name, id, got[id])
					}
				}
			}
		})
	})
	t.Run("V2 equals a recomputation from the score history", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			st, now := drawStore(t)
			jump := decimal.NewFromInt(int64(rapid.IntRange(1, 20).Draw(t, "jump")))
			f := report.Frame{Now: now, Zone: jst}
			ctx := context.Background()
			rows, err := report.ScoreJumps(ctx, st, ops, report.ScoreJumpsParams{Frame: f, Days: 16, Jump: jump})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, r := range rows {
				got[r.Date+" "+r.Lead] = true
			}
			// Brute force: every lead, every day, the score at the end of
			// the day before against the end of the day, from ScoreAt.
			all, _ := st.Leads(ctx, leadline.Query{})
			want := map[string]bool{}
			for d := 15; d >= 0; d-- {
				day := f.Day(now.AddDate(0, 0, -d))
				for _, l := range all {
					prev, ok1, _ := st.ScoreAt(ctx, l.ID, day.From.Add(-time.Nanosecond))
					end, ok2, _ := st.ScoreAt(ctx, l.ID, day.To.Add(-time.Nanosecond))
					if ok1 && ok2 && end.Sub(prev).GreaterThanOrEqual(jump) {
						want[day.From.Format(time.DateOnly)+" "+l.ID] = true
					}
				}
			}
			if len(got) != len(want) {
				t.Fatalf("ScoreJumps listed %v, a recomputation %v", got, want)
			}
			for k := range want {
				if !got[k] {
					t.Fatalf("ScoreJumps missed %s (listed %v)", k, got)
				}
			}
		})
	})
}
