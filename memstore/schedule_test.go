package memstore

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/leadline/leadline/lead"
	"pgregory.net/rapid"
)

// TestSchedule checks the indexed heap against a sorted slice: after any
// sequence of pushes, pops and removals from the middle, the least
// deadline is the model's, every index is right, and every parent is
// no greater than its children.
func TestSchedule(t *testing.T) {
	t0 := time.Date(2025, 4, 7, 9, 0, 0, 0, time.UTC)
	rapid.Check(t, func(rt *rapid.T) {
		h := schedule{}
		var model []*deadline
		n := 0
		rt.Repeat(map[string]func(*rapid.T){
			"push": func(rt *rapid.T) {
				n++
				e := &deadline{d: lead.Deadline{
					Lead: fmt.Sprintf("L-%d", rapid.IntRange(0, 5).Draw(rt, "lead")),
					Kind: lead.DeadlineKind(rapid.IntRange(1, 2).Draw(rt, "kind")),
					Due:  t0.Add(time.Duration(rapid.IntRange(0, 20).Draw(rt, "due")) * time.Minute),
				}}
				h.push(e)
				model = append(model, e)
			},
			"pop": func(rt *rapid.T) {
				if len(model) == 0 {
					rt.Skip("empty")
				}
				e := h.min()
				h.pop()
				model = slices.DeleteFunc(model, func(m *deadline) bool { return m == e })
			},
			"remove": func(rt *rapid.T) {
				if len(model) == 0 {
					rt.Skip("empty")
				}
				i := rapid.IntRange(0, len(model)-1).Draw(rt, "i")
				h.remove(model[i])
				if model[i].index != -1 {
					rt.Fatalf("removed deadline has index %d, want -1", model[i].index)
				}
				model = slices.Delete(model, i, i+1)
			},
			"": func(rt *rapid.T) {
				if len(h.heap) != len(model) {
					rt.Fatalf("heap holds %d, want %d", len(h.heap), len(model))
				}
				for i := range h.heap {
					s := &h.heap[i]
					if s.e.index != i {
						rt.Fatalf("heap[%d].index = %d", i, s.e.index)
					}
					if !s.e.d.Due.Equal(time.Unix(s.sec, int64(s.nsec))) {
						rt.Fatalf("heap[%d] is keyed %d.%09d, its deadline is due %v", i, s.sec, s.nsec, s.e.d.Due)
					}
					if p := (i - 1) / 2; i > 0 && h.less(s, &h.heap[p]) {
						rt.Fatalf("heap[%d] %v is less than its parent %v", i, s.e.d, h.heap[p].e.d)
					}
				}
				if len(model) > 0 {
					least := slices.MinFunc(model, func(a, b *deadline) int {
						if a.d.Less(b.d) {
							return -1
						}
						if b.d.Less(a.d) {
							return 1
						}
						return 0
					})
					if got := h.min(); least.d.Less(got.d) {
						rt.Fatalf("min() = %v, want %v", got.d, least.d)
					}
				}
			},
		})
	})
}
