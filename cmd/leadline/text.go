package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/leadline/leadline/replay"
)

// writeOutcome writes a replay's outcome for a person: what was
// replayed, the team's numbers, then a table per rep and per campaign
// (V9's measures, counted from history).
func writeOutcome(w io.Writer, o *replay.Outcome, policy string) error {
	refused := 0
	for _, n := range o.Refused {
		refused += n
	}
	fmt.Fprintf(w, "Replayed %d events under %s (%d refused): %d history entries, %d deadlines fired, %d leads.\n",
		o.Events, policy, refused, o.History, o.Fired, len(o.Leads))
	for _, k := range slices.Sorted(maps.Keys(o.Refused)) {
		fmt.Fprintf(w, "  refused, %s: %d\n", k, o.Refused[k])
	}
	if len(o.Notifications) > 0 {
		fmt.Fprint(w, "Notifications:")
		for _, k := range slices.Sorted(maps.Keys(o.Notifications)) {
			fmt.Fprintf(w, " %s %d", k, o.Notifications[k])
		}
		fmt.Fprintln(w)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := "\trequests\tattempted\tmedian 1st\tlate\treassigned\treminders\tescalated\trecycled\tconnected\tbreaches\thand-offs"
	row := func(name string, r *replay.Row) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", name, r.Requests, r.Attempted, dur(r.FirstAttempt),
			r.Late, r.Reassignments, r.Reminders, r.Escalations, r.Recycles, r.Connections, r.Breaches, r.Handoffs)
	}
	fmt.Fprintln(tw, "rep"+header)
	row("team", &o.Team)
	for _, k := range slices.Sorted(maps.Keys(o.Reps)) {
		name, r := k, o.Reps[k]
		if name == "" {
			if r.Counts == (replay.Counts{}) {
				continue // leads are created with no owner before M9 picks one
			}
			name = "(no owner)"
		}
		row(name, r)
	}
	if len(o.Campaigns) > 0 {
		fmt.Fprintln(tw)
		fmt.Fprintln(tw, "campaign"+header)
		for _, k := range slices.Sorted(maps.Keys(o.Campaigns)) {
			row(k, o.Campaigns[k])
		}
	}
	return tw.Flush()
}

// dur writes a median for a table: "3h12m", "-" for none.
func dur(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	d = d.Round(time.Minute)
	if d < time.Hour {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return fmt.Sprintf("%dh%02dm", d/time.Hour, (d%time.Hour)/time.Minute)
}
