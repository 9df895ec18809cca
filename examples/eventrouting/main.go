// Command eventrouting simulates a week of a B2B company's campaigns on a
// mock clock (E1) and prints who follows up each lead and why (M1-M10,
// Engine.Explain); README.md tells its story.
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

// defaultOptions are the flags' defaults; 40 leads leave every campaign
// enough people for its part of the story.
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
