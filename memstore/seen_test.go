package memstore

import (
	"fmt"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"pgregory.net/rapid"
)

// TestStore_manyEventIDs is a model test of a lead's event ids (E2)
// across the size at which they are also kept as a set: writes of one
// to a hundred events each, with and without a retention window, some
// repeating an id already seen. Every repeat is refused, every Seen
// answers what a plain list of the ids in the window answers, with the
// print it was written with, and the set is there exactly when the ids
// are many.
func TestStore_manyEventIDs(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		st := New()
		l := lead.Lead{ID: "L-1"}
		type kept struct {
			print uint64
			at    time.Time
		}
		model := map[string]kept{}
		next := 0
		now := t0
		window := rapid.SampledFrom([]time.Duration{0, time.Hour, 5 * time.Hour}).Draw(t, "window")
		for w := range rapid.IntRange(1, 40).Draw(t, "writes") {
			now = now.Add(time.Duration(rapid.IntRange(1, 90).Draw(t, "minutes")) * time.Minute)
			var since time.Time
			if window > 0 {
				since = now.Add(-window)
			}
			n := rapid.IntRange(1, 100).Draw(t, "events")
			ids := make([]string, n)
			prints := make([]uint64, n)
			for i := range ids {
				ids[i], prints[i] = fmt.Sprintf("ev-%d", next), uint64(next)*7+1
				next++
			}
			repeat := ""
			if len(model) > 0 && rapid.IntRange(0, 4).Draw(t, "repeat") == 0 {
				for id := range model {
					repeat = id
					break
				}
				ids[rapid.IntRange(0, n-1).Draw(t, "at")] = repeat
			}
			err := st.Apply(t.Context(), leadline.Write{Lead: l, Event: ids[0], Print: prints[0], Events: ids[1:], Prints: prints[1:],
				At: now, EventsSince: since})
			if repeat != "" {
				if err == nil {
					t.Fatalf("write %d repeats %s: applied", w, repeat)
				}
				continue
			}
			if err != nil {
				t.Fatalf("write %d: %v", w, err)
			}
			l.Version++
			// The store forgets on a lead's writes, not on a refused one.
			for id, k := range model {
				if k.at.Before(since) {
					delete(model, id)
				}
			}
			for i, id := range ids {
				model[id] = kept{prints[i], now}
			}
			r := st.leads["L-1"]
			if set := st.idSets[r]; (set != nil) != (len(r.ids) > manyIDs) && !(set != nil && len(r.ids) >= manyIDs/4) {
				t.Fatalf("write %d: %d ids, set kept %v", w, len(r.ids), set != nil)
			}
		}
		for i := range next {
			id := fmt.Sprintf("ev-%d", i)
			print, seen, err := st.Seen(t.Context(), "L-1", id)
			k, want := model[id]
			if err != nil || seen != want || (want && print != k.print) {
				t.Fatalf("Seen(%s) = %d, %v, %v; want %d, %v", id, print, seen, err, k.print, want)
			}
		}
	})
}
