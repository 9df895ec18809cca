// Command reports runs a small inside-sales team for two weeks on the mock
// clock (E1) and writes every report (V1-V7, V9, A9) as CSV and JSON (V8),
// to stdout under each file's name, or to files in -dir. Three reps in
// Tokyo share 40 leads (M9) and call each a few times until it answers
// (T6); the reports read the days in -tz.
//
//	go run ./examples/reports [-dir out] [-tz Asia/Tokyo] [-week-start mon] [-bom]
//
// -bom starts each CSV with a byte-order mark, for Excel on Japanese Windows.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"

	_ "time/tzdata" // -tz works on hosts without a zone database
)

// tokyo is the team's zone; -tz is the zone its reports are read in.
var tokyo = time.FixedZone("JST", 9*3600)

var roster = &routing.Org{
	Inside: routing.Team{ID: "inside", Manager: "mgr", Reps: []routing.Rep{{ID: "rep-ito"}, {ID: "rep-kato"}, {ID: "rep-sato"}}},
	Field:  routing.Team{ID: "field", Manager: "field-mgr", Reps: []routing.Rep{{ID: "field-mori"}}},
}

func main() {
	if err := run(context.Background(), os.Stdout, os.Args[1:]); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "reports:", err)
		os.Exit(2)
	}
}

// run parses args, simulates the team and writes each report to stdout or
// to -dir.
func run(ctx context.Context, stdout io.Writer, args []string) error {
	fs := flag.NewFlagSet("reports", flag.ContinueOnError)
	dir := fs.String("dir", "", "write each report to a file in this directory, not to stdout")
	tz := fs.String("tz", "Asia/Tokyo", "IANA time zone of the reports' days (V8)")
	weekStart := fs.String("week-start", "monday", "the day weeks start on (V8)")
	bom := fs.Bool("bom", false, "start each CSV with a UTF-8 byte-order mark (Excel on Japanese Windows)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	zone, err := time.LoadLocation(*tz)
	if err != nil {
		return err
	}
	week := slices.IndexFunc([]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}, func(d string) bool {
		return strings.HasPrefix(strings.ToLower(*weekStart), d) && len(*weekStart) >= 3
	})
	if week < 0 {
		return fmt.Errorf("-week-start: unknown day %q", *weekStart)
	}
	st := memstore.New()
	s, err := sim.New(sim.Config{Store: st, Engine: leadline.Config{Roster: roster}, Start: time.Date(2026, 4, 6, 9, 0, 0, 0, tokyo)})
	if err != nil {
		return err
	}
	script(s, rand.New(rand.NewPCG(1, 2)))
	if err := s.Run(ctx, s.Date(11, 18, 0)); err != nil {
		return err
	}
	f := report.Frame{Now: s.Now(), Zone: zone, WeekStart: new(time.Weekday(week))}
	v, teams := sim.Ops, []routing.Team{roster.Inside, roster.Field}
	if *dir != "" {
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			return err
		}
	}
	for _, r := range []struct {
		name string
		rows func() (any, error)
	}{
		{"V1", func() (any, error) { return report.Worklist(ctx, st, v, report.WorklistParams{Frame: f}) }},
		{"A9", func() (any, error) { return report.Requests(ctx, st, v, report.RequestsParams{Frame: f}) }},
		{"V2", func() (any, error) { return report.ScoreJumps(ctx, st, v, report.ScoreJumpsParams{Frame: f, Days: 7}) }},
		{"V3", func() (any, error) { return report.CreatedToday(ctx, st, v, report.CreatedParams{Frame: f}) }},
		{"V4", func() (any, error) { return report.CreatedThisWeek(ctx, st, v, report.CreatedParams{Frame: f}) }},
		{"V5", func() (any, error) { return report.CreatedThisMonth(ctx, st, v, report.CreatedParams{Frame: f}) }},
		{"V6", func() (any, error) { return report.Overdue(ctx, st, v, report.OverdueParams{Frame: f}) }},
		{"V7", func() (any, error) { return report.Funnel(ctx, st, v, report.FunnelParams{Frame: f}) }},
		{"V9", func() (any, error) { return report.SLA(ctx, st, v, report.SLAParams{Frame: f, Teams: teams}) }},
	} {
		rows, err := r.rows()
		for _, ext := range []string{".csv", ".json"} {
			if err == nil {
				err = write(stdout, *dir, r.name+ext, rows, report.WriteOptions{Zone: zone, BOM: *bom && ext == ".csv"})
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
	}
	return nil
}

// write writes rows to the file name in dir, or to stdout under a line
// that names it.
func write(stdout io.Writer, dir, name string, rows any, o report.WriteOptions) (err error) {
	w := stdout
	if dir == "" {
		_, err = fmt.Fprintf(w, "==> %s <==\n", name)
	} else if f, ferr := os.Create(filepath.Join(dir, name)); ferr != nil {
		return ferr
	} else {
		defer func() { err = cmp.Or(err, f.Close()) }()
		w = f
	}
	if write := report.WriteJSON; err == nil {
		if strings.HasSuffix(name, ".csv") {
			write = report.WriteCSV
		}
		err = write(w, rows, o)
	}
	return err
}

// script schedules four leads a weekday for ten weekdays, their inquiry,
// a change of score and their owner's calls, drawing from r in order.
func script(s *sim.Sim, r *rand.Rand) {
	for i := range 40 {
		id, day := fmt.Sprintf("L-%02d", i+1), i/4+i/20*2
		at := s.Date(day, 9, 0).Add(sim.Hours(r, 0, 8))
		name, email := sim.JapaneseNames.Person(r, "example.jp")
		prof := lead.Profile{Company: sim.Company(r), Name: name, Email: email, Source: []string{"web", "seminar", "list"}[i%3],
			MASystem: "Marketo", Target: i%6 == 0}
		score, rise := decimal.NewFromInt(int64(20+r.IntN(100))), decimal.NewFromInt(int64(r.IntN(40)-10))
		answers := 1 + r.IntN(6) // the call they answer; 5 and 6 never come
		do := func(at time.Time, e lead.Event) {
			s.At(at, func(ctx context.Context, at time.Time) error { e.Lead, e.At = id, at; return s.Handle(ctx, e) })
		}
		do(at, lead.Event{Kind: lead.EventCreated, Actor: "marketing", Score: score, Profile: prof})
		do(at, lead.Event{Kind: lead.EventInquiry, Actor: "marketing", Topic: "pricing"})
		do(at.Add(sim.Hours(r, 20, 70)), lead.Event{Kind: lead.EventScoreChanged, Actor: "marketing", Score: score.Add(rise)})
		var call func(n int) sim.ActionFunc
		call = func(n int) sim.ActionFunc {
			return func(ctx context.Context, at time.Time) error {
				l, err := s.Engine().Lead(ctx, sim.Ops, id)
				if err != nil || !l.Track.Active() || l.Track.Stage == stage.Stage4 {
					return err
				}
				ev := lead.Event{Kind: lead.EventOutbound, Lead: id, At: at, Actor: l.Owner, Channels: stage.Call}
				if n == answers {
					ev.Kind = lead.EventContact
				}
				s.After(sim.Hours(r, 20, 80), call(n+1))
				return s.Handle(ctx, ev)
			}
		}
		s.At(at.Add(sim.Hours(r, 1, 60)), call(1))
	}
}
