package sim

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
)

// Line is one timed line of a story: a notable event of the day, an
// entry of a [Log].
type Line struct {
	At   time.Time
	Text string
}

// Log collects the notable moments of a run as they happen, in any order.
type Log []Line

// Addf adds a line at at, formatted as by fmt.Sprintf.
func (l *Log) Addf(at time.Time, format string, args ...any) {
	*l = append(*l, Line{At: at, Text: fmt.Sprintf(format, args...)})
}

// Sorted returns the lines by instant, lines at one instant in the order
// they were added.
func (l Log) Sorted() []Line {
	out := slices.Clone(l)
	slices.SortStableFunc(out, func(a, b Line) int { return a.At.Compare(b.At) })
	return out
}

// Pick is one kind of event [Notable] looks for: notifications Note
// accepts, or history changes Change accepts (either may be nil), at most
// Limit of them a day.
type Pick struct {
	Limit  int
	Note   func(leadline.Notification) bool
	Change func(lead.Change) bool
}

// NoteIs returns a [Pick.Note] that accepts notifications of kind under
// any of rules, or under any rule if none is given.
func NoteIs(kind leadline.NotificationKind, rules ...string) func(leadline.Notification) bool {
	return func(n leadline.Notification) bool {
		return n.Kind == kind && (len(rules) == 0 || slices.Contains(rules, n.Rule))
	}
}

// ChangeIs returns a [Pick.Change] that accepts changes of field under
// any of rules, or under any rule if none is given.
func ChangeIs(field lead.Field, rules ...string) func(lead.Change) bool {
	return func(c lead.Change) bool {
		return c.Field == field && (len(rules) == 0 || slices.Contains(rules, c.Rule))
	}
}

// Notable picks the handful of a day's events a manager wants to see.
type Notable struct {
	// Picks are the kinds of event wanted, most important first.
	Picks []Pick
	// Max caps the lines: the most important are kept. 0 means no cap.
	Max int
}

// Select returns the notable events among notes and changes, each
// formatted by its String method: each event counts for the first pick
// that accepts it, in the order given (notifications first), up to the
// pick's Limit; of those, the Max most important, ties in that order.
// The lines come by instant, ties by importance.
func (nb Notable) Select(notes []leadline.Notification, changes []lead.Change) []Line {
	type pick struct {
		Line
		rank int
	}
	var picks []pick
	taken := make([]int, len(nb.Picks))
	add := func(at time.Time, text string, ok func(p Pick) bool) {
		for i, p := range nb.Picks {
			if ok(p) {
				if taken[i] < p.Limit {
					taken[i]++
					picks = append(picks, pick{Line{at, text}, i})
				}
				return
			}
		}
	}
	for _, n := range notes {
		add(n.At, n.String(), func(p Pick) bool { return p.Note != nil && p.Note(n) })
	}
	for _, c := range changes {
		add(c.At, c.String(), func(p Pick) bool { return p.Change != nil && p.Change(c) })
	}
	slices.SortStableFunc(picks, func(a, b pick) int { return cmp.Compare(a.rank, b.rank) })
	if nb.Max > 0 {
		picks = picks[:min(len(picks), nb.Max)]
	}
	slices.SortStableFunc(picks, func(a, b pick) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.rank, b.rank)
	})
	out := make([]Line, len(picks))
	for i, p := range picks {
		out[i] = p.Line
	}
	return out
}
