// Command insidesales simulates an inside-sales team working leads with
// leadline for two weeks on a mock clock (E1). It prints each day's story,
// then the team's reports through package report: worklists (V1), open
// requests (A9), score jumps (V2), leads created (V3-V5), what is overdue
// (V6) and the follow-up service level (V9).
//
// Five reps and a manager share the leads by round robin (M9); the header
// introduces them: one diligent, one with a capacity, one off sick and
// later on leave, one always a day behind (T8, T9), one new who leaves his
// first leads to be reassigned (T1, T10). Package sim draws a few hundred
// leads from five sources with decimal scores (E7); their triggers make
// approach requests (A1-A3, A6), prospects answer (T6) or are recycled
// (T7) and come back (A5), reps set statuses (S1, S4, S5). Deadlines count
// wall-clock hours, or with -business working hours (T11).
//
// Usage:
//
//	go run ./examples/insidesales [-days 14] [-leads 300] [-seed 1] [-tz Asia/Tokyo] [-business] [-events out.jsonl]
//	        [-database-url postgres://user@host:5432/db]
//
// With -database-url the team's leads live in PostgreSQL (package
// postgres) instead of memory, in the schema "insidesales_example", which
// the run empties first so that the same flags print the same story on
// either store.
//
// The same flags always print the same story. With -events the run also
// writes the log of every event the engine handled, in order, one
// lead.Event per line (package replay's format), and beside it
// out.setup.json, the roster and when the engine swept (replay.Setup),
// and out.policy.json, the run's policy file. Replayed with them
// (leadline replay -policy out.policy.json -roster out.setup.json
// out.jsonl), the log writes the same history as the run.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/postgres"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/sim"

	_ "time/tzdata" // -tz works on hosts without a zone database
)

// options are the command's flags.
type options struct {
	sim.Flags
	days     int    // simulated days, from Monday 2026-04-06 09:00
	business bool   // count deadlines in business hours (T11)
	events   string // write the event log here, and its setup beside it
	database string // a PostgreSQL URL: keep the leads there, not in memory
	schema   string // the schema the run empties and uses with database
}

func defaultOptions() options {
	return options{days: 14, Flags: sim.Flags{Leads: 300, Seed: 1, Zone: "Asia/Tokyo", MinLeads: 1, MaxLeads: 5000},
		schema: "insidesales_example"}
}

const maxDays = 60

// validate reports the first bad option, naming its flag.
func (o *options) validate() error {
	if o.days < 1 || o.days > maxDays {
		return fmt.Errorf("-days must be from 1 to %d, got %d", maxDays, o.days)
	}
	return o.Check()
}

func main() {
	var opts options
	sim.Main("insidesales", func(args []string, stderr io.Writer) (err error) {
		opts, err = parseFlags(args, stderr)
		return err
	}, func(w io.Writer) error { return run(w, opts) })
}

// parseFlags parses args into options, writing any complaint and the usage
// to stderr.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	opts := defaultOptions()
	err := sim.ParseFlags("insidesales", args, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&opts.days, "days", opts.days, "days to simulate, from Monday 2026-04-06 09:00")
		opts.Define(fs)
		fs.BoolVar(&opts.business, "business", opts.business, "count deadlines in working hours on the jp business calendar (T11)")
		fs.StringVar(&opts.events, "events", opts.events, "write the log of the events handled to this file (JSON Lines), and its replay setup beside it")
		fs.StringVar(&opts.database, "database-url", opts.database, "keep the leads in this PostgreSQL database (schema "+opts.schema+", emptied first) instead of memory")
	}, opts.validate)
	return opts, err
}

// store is what the team's leads live in: memstore or postgres, each a
// leadline.Store and the reports' report.Reader.
type store interface {
	leadline.Store
	report.Reader
}

// run simulates the team for opts.days and writes the story to w.
func run(w io.Writer, opts options) error {
	ctx := context.Background()
	var st store = memstore.New()
	if opts.database != "" {
		pool, err := pgxpool.New(ctx, opts.database)
		if err != nil {
			return fmt.Errorf("-database-url: %w", err)
		}
		defer pool.Close()
		// The example starts from an empty schema, so that a run prints
		// the same story on PostgreSQL as in memory.
		if _, err := pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{opts.schema}.Sanitize()+" CASCADE"); err != nil {
			return fmt.Errorf("-database-url: empty schema %s: %w", opts.schema, err)
		}
		pg := postgres.New(pool, postgres.WithSchema(opts.schema))
		if err := pg.Migrate(ctx); err != nil {
			return fmt.Errorf("-database-url: %w", err)
		}
		st = pg
	}
	s, err := newWorld(opts, st, w)
	if err != nil {
		return err
	}
	if err := s.run(ctx); err != nil {
		return err
	}
	if opts.events != "" {
		return s.writeLog(opts.events)
	}
	return nil
}
