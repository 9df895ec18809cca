package postgres_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/shopspring/decimal"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

var reportEvents = flag.Int("pgreport", 2000, "events in TestReports_equalMemstore; CI may run 10000")

// TestEngine_outage72h stops an engine for 72 simulated hours with
// deadlines pending, then starts it: one Sweep fires every missed
// deadline once, in deadline order (E5), as memstore's engine does.
func TestEngine_outage72h(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pg := newStore(t)
	mem := memstore.New()
	clk := clock.NewMock()
	clk.Set(monday)
	engs := make([]*leadline.Engine, 2)
	for i, st := range []leadline.Store{pg, mem} {
		eng, err := leadline.New(st, leadline.Config{Clock: clk, Roster: team(), Batch: 16})
		if err != nil {
			t.Fatal(err)
		}
		engs[i] = eng
	}
	const leads = 60
	for l := range leads {
		// Leads created over the first day, some with an inquiry: their
		// cadences and requests fall due at different instants.
		evs := []lead.Event{{ID: fmt.Sprintf("c-%d", l), Kind: lead.EventCreated, Lead: leadID(l), Score: decimal.New(int64(60+l%100), 0)}}
		if l%3 != 0 {
			evs = append(evs, lead.Event{ID: fmt.Sprintf("i-%d", l), Kind: lead.EventInquiry, Lead: leadID(l)})
		}
		for _, ev := range evs {
			ev.At = clk.Now()
			for _, eng := range engs {
				if err := eng.Handle(ctx, ev); err != nil {
					t.Fatal(err)
				}
			}
		}
		clk.Add(23 * time.Minute)
	}
	clk.Add(72 * time.Hour) // nobody sweeps
	var fired [2][]lead.Deadline
	for i, eng := range engs {
		res, err := eng.Sweep(ctx)
		if err != nil {
			t.Fatal(err)
		}
		fired[i] = res.Fired
	}
	got, want := fired[0], fired[1]
	if len(got) == 0 {
		t.Fatal("nothing fired after 72 hours")
	}
	for i := 1; i < len(got); i++ {
		if got[i].Less(got[i-1]) {
			t.Fatalf("fired %v after %v: not in deadline order (E5)", got[i], got[i-1])
		}
	}
	keys := map[string]bool{}
	for _, d := range got {
		if keys[d.Key()] {
			t.Fatalf("deadline %s fired twice (E5)", d.Key())
		}
		keys[d.Key()] = true
	}
	if !slices.EqualFunc(got, want, func(a, b lead.Deadline) bool { return a.Key() == b.Key() }) {
		t.Fatalf("postgres fired %d deadlines, memstore %d: %v vs %v", len(got), len(want), got, want)
	}
	if again, err := engs[0].Sweep(ctx); err != nil || len(again.Fired) != 0 {
		t.Fatalf("a second Sweep fired %v, %v; want nothing", again.Fired, err)
	}
	// The reassignments took the team's round-robin places in the same
	// order, however many a batch took at once, and the places the batches
	// took and did not use were given back (M9): the same owners, and the
	// same next place.
	for l := range leads {
		p, perr := pg.Lead(ctx, leadID(l))
		m, merr := mem.Lead(ctx, leadID(l))
		if perr != nil || merr != nil || p.Owner != m.Owner {
			t.Errorf("lead %s: postgres owner %q (%v), memstore %q (%v)", leadID(l), p.Owner, perr, m.Owner, merr)
		}
	}
	pn, perr := pg.NextTicket(ctx, "inside")
	mn, merr := mem.NextTicket(ctx, "inside")
	if perr != nil || merr != nil || pn != mn {
		t.Errorf("next place: postgres %d (%v), memstore %d (%v); want the same", pn, perr, mn, merr)
	}
	t.Logf("%d deadlines fired after 72 hours, in order; next place %d", len(got), pn)
}

// TestReports_equalMemstore drives a memstore engine and a postgres one
// with the same random event stream and clock, then runs every report
// over both stores: the rows must be the same (V1-V10, E8).
func TestReports_equalMemstore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pg := newStore(t)
	mem := memstore.New()
	clk := clock.NewMock()
	clk.Set(monday)
	roster := &routing.Org{Inside: routing.Team{ID: "inside", Manager: "mgr",
		Reps: []routing.Rep{{ID: "rep-a"}, {ID: "rep-b"}, {ID: "rep-c"}}}}
	engs := make([]*leadline.Engine, 2)
	for i, st := range []leadline.Store{pg, mem} {
		eng, err := leadline.New(st, leadline.Config{Clock: clk, Roster: roster})
		if err != nil {
			t.Fatal(err)
		}
		engs[i] = eng
	}
	rng := rand.New(rand.NewPCG(12, 34))
	n, leads := *reportEvents, 0
	for i := range n {
		var ev lead.Event
		if leads == 0 || rng.IntN(6) == 0 {
			ev = lead.Event{Kind: lead.EventCreated, Lead: leadID(leads), Score: decimal.New(int64(rng.IntN(200)), 0),
				Profile: lead.Profile{Company: "会社" + fmt.Sprint(leads%17), Source: []string{"web", "seminar", "list"}[rng.IntN(3)], Target: rng.IntN(5) == 0}}
			leads++
		} else {
			ev.Lead = leadID(rng.IntN(leads))
			switch rng.IntN(6) {
			case 0, 1:
				ev.Kind, ev.Score = lead.EventScoreChanged, decimal.New(int64(rng.IntN(200)), 0)
			case 2:
				ev.Kind, ev.Topic = lead.EventInquiry, "価格について"
			case 3:
				ev.Kind = lead.EventDownload
			case 4:
				ev.Kind, ev.Actor, ev.Channels = lead.EventOutbound, []string{"rep-a", "rep-b", "rep-c"}[rng.IntN(3)], stage.Call
			case 5:
				ev.Kind, ev.Actor = lead.EventContact, []string{"rep-a", "rep-b", "rep-c"}[rng.IntN(3)]
			}
		}
		ev.ID, ev.At = fmt.Sprintf("e-%d", i), clk.Now()
		var errs [2]error
		for j, eng := range engs {
			errs[j] = eng.Handle(ctx, ev)
		}
		if (errs[0] == nil) != (errs[1] == nil) {
			t.Fatalf("event %d (%v): postgres %v, memstore %v", i, ev.Kind, errs[0], errs[1])
		}
		clk.Add(time.Duration(rng.IntN(90)) * time.Minute)
		if rng.IntN(20) == 0 {
			for _, eng := range engs {
				if _, err := eng.Sweep(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	jst := monday.Location()
	f := report.Frame{Now: clk.Now(), Zone: jst}
	ops := routing.Viewer{Rep: "ops-1", Role: routing.RoleOps}
	rep := routing.Viewer{Rep: "rep-b", Role: routing.RoleInside}
	month := report.Period{From: monday, To: clk.Now()}
	for _, c := range []struct {
		name string
		run  func(r report.Reader) string
	}{
		{"Worklist", func(r report.Reader) string {
			rows, err := report.Worklist(ctx, r, ops, report.WorklistParams{Frame: f})
			return reportCSV(t, jst, rows, err)
		}},
		{"Worklist of a rep", func(r report.Reader) string {
			rows, err := report.Worklist(ctx, r, rep, report.WorklistParams{Frame: f})
			return reportCSV(t, jst, rows, err)
		}},
		{"Requests", func(r report.Reader) string {
			rows, err := report.Requests(ctx, r, ops, report.RequestsParams{Frame: f})
			return reportCSV(t, jst, rows, err)
		}},
		{"ScoreJumps", func(r report.Reader) string {
			rows, err := report.ScoreJumps(ctx, r, ops, report.ScoreJumpsParams{Frame: f, Days: 30})
			return reportCSV(t, jst, rows, err)
		}},
		{"CreatedThisMonth", func(r report.Reader) string {
			rows, err := report.CreatedThisMonth(ctx, r, ops, report.CreatedParams{Frame: f})
			return reportCSV(t, jst, rows, err)
		}},
		{"CreatedThisWeek", func(r report.Reader) string {
			rows, err := report.CreatedThisWeek(ctx, r, ops, report.CreatedParams{Frame: f})
			return reportCSV(t, jst, rows, err)
		}},
		{"Overdue", func(r report.Reader) string {
			rows, err := report.Overdue(ctx, r, ops, report.OverdueParams{Frame: f})
			return reportCSV(t, jst, rows, err)
		}},
		{"Funnel", func(r report.Reader) string {
			rows, err := report.Funnel(ctx, r, ops, report.FunnelParams{Frame: f, Period: month})
			return reportCSV(t, jst, rows, err)
		}},
		{"SLA", func(r report.Reader) string {
			rows, err := report.SLA(ctx, r, ops, report.SLAParams{Frame: f, Period: month, Teams: []routing.Team{roster.Inside}})
			return reportCSV(t, jst, rows, err)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, want := c.run(pg), c.run(mem)
			if got != want {
				t.Errorf("postgres:\n%s\nmemstore:\n%s", head(got), head(want))
			}
			if bytes.Count([]byte(want), []byte("\n")) < 2 {
				t.Logf("%s has no rows: a weak check", c.name)
			}
		})
	}
	t.Logf("%d events on %d leads", n, leads)
}

// head returns the first lines of s.
func head(s string) string {
	lines := bytes.SplitN([]byte(s), []byte("\n"), 12)
	return string(bytes.Join(lines[:min(len(lines), 11)], []byte("\n")))
}
