// Command eventrouting simulates one week of a B2B company's campaigns
// with leadline on the in-memory store and a mock clock (E1), and prints
// who follows up each lead and why: routing by engagement (M1-M10 in
// docs/RULES.md).
//
// The company is inside-first (M1): three inside reps qualify MQLs with
// BANT and hand Pre-SQLs to five field reps (M10). Its three campaigns of
// the week each carry the follow-up model agreed at kickoff (M7):
//
//   - uc-2026, its annual user conference: high engagement (M3), run as a
//     hybrid (M6). Field reps invite the people they know; inside reps
//     call the rest from the call list (Engine.CallList) against
//     registration and attendance targets. Every attendee then routes to
//     field sales (M4): to the rep who invited them, else the one who met
//     them, else the account owner, else field assignment. The car
//     dealer's customer, invited by a field rep who then met them, stays
//     with that rep and is never called by inside sales.
//   - media-0414, a third-party webinar: low engagement. Its MQLs become
//     approach requests for inside sales (M1, A1-A7), the rest is
//     nurtured; after the webinar its model changes to direct, recorded
//     with who and why (Engine.ChangeModel, M7).
//   - ocs-april, a content-syndication batch: mostly nurture, MQL
//     downloads to inside sales (A3); a person already with field sales
//     stays there (M4).
//
// Inside reps call their requests, qualify a webinar MQL and two
// conference no-shows and hand them off; field reps accept one, reject one
// with a reason, and a hand-off without the BANT minimum is refused (M10).
// Field reps record feedback (M5) in the CRM or in a spreadsheet exported
// and imported as CSV, whose first try is refused whole.
//
// The report lists who got each lead with the rule ids of its routing
// decisions, and asks Engine.Explain why the car dealer's customer went
// where it did; it shows what a field rep may see (M2), prints the
// field team's feedback sheet and credits each rep for the conference (M6).
//
// Usage:
//
//	go run ./examples/eventrouting [-leads 120] [-seed 1] [-tz Asia/Tokyo]
//
// The same flags always print the same story.
package main

import (
	"context"
	"io"

	"github.com/leadline/leadline/sim"

	_ "time/tzdata" // -tz works on hosts without a zone database
)

func main() {
	var opts sim.Flags
	sim.Main("eventrouting", func(args []string, stderr io.Writer) (err error) {
		opts, err = parseFlags(args, stderr)
		return err
	}, func(w io.Writer) error { return run(w, opts) })
}

// defaultOptions are the flags' defaults. minLeads leaves every campaign
// enough people for its part of the story (a car dealer, no-shows to
// qualify, replay viewers).
func defaultOptions() sim.Flags {
	return sim.Flags{Leads: 120, Seed: 1, Zone: "Asia/Tokyo", MinLeads: 40, MaxLeads: 2000}
}

// parseFlags parses args, writing any complaint and the usage to stderr.
func parseFlags(args []string, stderr io.Writer) (sim.Flags, error) {
	opts := defaultOptions()
	err := sim.ParseFlags("eventrouting", args, stderr, opts.Define, opts.Check)
	return opts, err
}

// run simulates the week and writes the story to w.
func run(w io.Writer, opts sim.Flags) error {
	s, err := newWorld(opts)
	if err != nil {
		return err
	}
	ctx := context.Background()
	if err := s.Run(ctx, s.end); err != nil {
		return err
	}
	return s.report(ctx, w)
}
