// Command insidesales simulates an inside-sales team working leads with
// leadline on the in-memory store for two weeks, on a mock clock (E1), and
// prints what happened day by day, then a summary and each rep's worklist
// with the playbook of the next step (V1, T12).
//
// Five reps and a manager share the leads by round robin (M9). rep-ito is
// diligent. rep-kato is steady and has a capacity. rep-suzuki is steady,
// off sick for two days nobody entered in the roster (round robin keeps
// feeding him) and later on leave as the roster knows (M9 skips him).
// rep-tanaka is always a day behind: his follow-ups come after the
// deadline (T9), after a reminder and a manager alert (T8). rep-yamada is
// new and does not open the request queue until Thursday, so his first
// leads are reassigned (T1); leads that three owners in a row leave
// untouched go to the manager (T10).
//
// A few hundred leads arrive from web forms, seminars, a document download
// campaign, list imports and partner referrals, with decimal scores (E7)
// that rise, fall and decay. Their inquiries and downloads make approach
// requests (A1, A2, A3), or are merged into an open one (A6). Some leads
// answer a call or an e-mail (T6); the others are recycled four days
// after Stage4 (T7) and may come back with a new inquiry (A5). Reps set
// statuses with reasons (S1, S4): competitors, customers and bad data are
// taken out of the cadence, and their later inquiries are suppressed (S5).
//
// By default deadlines count wall-clock hours, weekends included; with
// -business they count working hours on a Japanese business calendar
// (T11), and the weekend stops firing reminders.
//
// Usage:
//
//	go run ./examples/insidesales [-days 14] [-leads 300] [-seed 1] [-tz Asia/Tokyo] [-business]
//
// The same flags always print the same story.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	_ "time/tzdata" // -tz works on hosts without a zone database
)

func main() {
	opts, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		os.Exit(2)
	}
	w := bufio.NewWriter(os.Stdout)
	err = run(w, opts)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "insidesales:", err)
		os.Exit(1)
	}
}

// parseFlags parses args into options, writing any complaint and the usage
// to stderr.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	opts := defaultOptions()
	fs := flag.NewFlagSet("insidesales", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&opts.days, "days", opts.days, "days to simulate, from Monday 2026-04-06 09:00")
	fs.IntVar(&opts.leads, "leads", opts.leads, "leads arriving over the period")
	fs.Uint64Var(&opts.seed, "seed", opts.seed, "random seed: the same seed tells the same story")
	fs.StringVar(&opts.tz, "tz", opts.tz, "IANA time zone of the team")
	fs.BoolVar(&opts.business, "business", opts.business, "count deadlines in working hours on the jp business calendar (T11)")
	if err := fs.Parse(args); err != nil {
		return opts, err
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected argument %q", fs.Arg(0))
		fmt.Fprintln(stderr, "insidesales:", err)
		fs.Usage()
		return opts, err
	}
	if err := opts.validate(); err != nil {
		fmt.Fprintln(stderr, "insidesales:", err)
		return opts, err
	}
	return opts, nil
}
