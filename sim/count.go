package sim

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
)

// Count tallies things by key for a report: notifications by kind, leads
// by where they went. Its methods read it in an order they are given or
// by count, never in map order.
type Count map[string]int

// Sum returns the total of the counts.
func (c Count) Sum() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// List formats the counts of keys, in that order and skipping zeros, as
// "web 4, seminar 2"; "none" if every one is zero.
func (c Count) List(keys ...string) string {
	var parts []string
	for _, k := range keys {
		if n := c[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, n))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// Ranked formats every count as "14 to inside sales, 12 nurtured": count
// first, most first, ties in key order.
func (c Count) Ranked() string {
	keys := slices.Sorted(maps.Keys(c))
	slices.SortStableFunc(keys, func(a, b string) int { return cmp.Compare(c[b], c[a]) })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", c[k], k)
	}
	return strings.Join(parts, ", ")
}

// RuleIDs returns the rule ids a text cites, such as a change's Reason:
// "M3", "A1", in order of first mention.
func RuleIDs(text string) []string {
	var ids []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(" ;:,()", r) }) {
		if len(f) >= 2 && len(f) <= 3 && f[0] >= 'A' && f[0] <= 'Z' && strings.Trim(f[1:], "0123456789") == "" && !slices.Contains(ids, f) {
			ids = append(ids, f)
		}
	}
	return ids
}

// Changes returns the history entries written since the previous call, or
// since the start: lead by lead in id order, each lead's oldest first, as
// [Ops] reads them. A report of the day calls it at the end of each day.
func (s *Sim) Changes(ctx context.Context) ([]lead.Change, error) {
	leads, err := s.eng.Leads(ctx, Ops, leadline.Query{})
	if err != nil {
		return nil, fmt.Errorf("sim: changes: %w", err)
	}
	if s.seen == nil {
		s.seen = map[string]int{}
	}
	var out []lead.Change
	for _, l := range leads {
		h, err := s.eng.History(ctx, Ops, l.ID)
		if errors.Is(err, leadline.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("sim: changes of %s: %w", l.ID, err)
		}
		if from := s.seen[l.ID]; from < len(h) {
			out = append(out, h[from:]...)
		}
		s.seen[l.ID] = len(h)
	}
	return out, nil
}
