// Command eventrouting simulates one week of a B2B company's campaigns
// with leadline on the in-memory store and a mock clock (E1), and prints
// who follows up each lead and why: routing by engagement (M1-M10).
//
// The company is an inside-first organisation (M1): three inside reps
// qualify MQLs with BANT and hand Pre-SQLs to five field reps (M10). In
// the same week it runs three campaigns, each with the follow-up model
// agreed with sales management at kickoff (M7):
//
//   - uc-2026, its annual user conference: a high-engagement campaign
//     (M3) run as a hybrid (M6). Field reps invite the people they know
//     on the invitation list; inside reps call the rest from the call
//     list (Engine.CallList) against registration and attendance targets.
//     After the event every attendee routes to field sales (M3, M4): to
//     the rep who invited them, else the one who met them at the booth,
//     else the account owner, else field assignment. The car dealer of
//     M4 is here: a person a field rep invited, who came and met that
//     rep, is followed up by that rep and never called by inside sales.
//   - media-0414, a third-party webinar: low engagement. Its MQLs become
//     approach requests for inside sales (M1, A1-A7) and the rest is
//     nurtured, except a client a field rep sent there (M4). After the
//     webinar its model changes to direct, recorded with who and why
//     (Engine.ChangeModel, M7), and the replay viewers who are MQLs go
//     straight to field sales.
//   - ocs-april, a content-syndication batch: mostly nurture, MQL
//     downloads to inside sales (A3); a person already with field sales
//     stays there (M4).
//
// Inside reps call their approach requests; one qualifies a webinar MQL
// and two call conference no-shows, and hand Pre-SQLs to field reps, who
// accept one and reject another with a reason (M10); a hand-off without
// the BANT minimum is refused. Field reps record their follow-up (M5),
// some in the CRM and two in a spreadsheet exported and imported as CSV,
// the first try of which is refused whole with every bad line named.
//
// The report lists, campaign by campaign, who got each lead and the rule
// ids from its routing history; shows what a field rep may see of a lead
// that is not theirs (M2: ErrNotFound, or with the policy switch on, the
// response summary); prints the field team's feedback sheet as CSV; and
// credits each rep for the conference (M6).
//
// Usage:
//
//	go run ./examples/eventrouting [-leads 120] [-seed 1] [-tz Asia/Tokyo]
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
		fmt.Fprintln(os.Stderr, "eventrouting:", err)
		os.Exit(1)
	}
}

// parseFlags parses args into options, writing any complaint and the usage
// to stderr.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	opts := defaultOptions()
	fs := flag.NewFlagSet("eventrouting", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&opts.leads, "leads", opts.leads, fmt.Sprintf("leads across the three campaigns, %d to %d", minLeads, maxLeads))
	fs.Uint64Var(&opts.seed, "seed", opts.seed, "random seed: the same seed tells the same story")
	fs.StringVar(&opts.tz, "tz", opts.tz, "IANA time zone of the company")
	if err := fs.Parse(args); err != nil {
		return opts, err
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected argument %q", fs.Arg(0))
		fmt.Fprintln(stderr, "eventrouting:", err)
		fs.Usage()
		return opts, err
	}
	if err := opts.validate(); err != nil {
		fmt.Fprintln(stderr, "eventrouting:", err)
		return opts, err
	}
	return opts, nil
}
