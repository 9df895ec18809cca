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
// sequence of pushes, pops, rekeys and removals from the middle, the least
// deadline is the model's, every index is right, and every parent is no
// greater than its children.
func TestSchedule(t *testing.T) {
	t0 := time.Date(2025, 4, 7, 9, 0, 0, 0, time.UTC)
	records := make([]*record, 6)
	for i := range records {
		records[i] = &record{id: fmt.Sprintf("L-%d", i), loc: time.UTC}
	}
	rapid.Check(t, func(rt *rapid.T) {
		a := newArena()
		h := schedule{a: &a}
		// model holds the deadlines in the heap, in no order.
		var model []uint32
		due := func(rt *rapid.T) instant {
			return instantOf(t0.Add(time.Duration(rapid.IntRange(0, 20).Draw(rt, "due")) * time.Minute))
		}
		cmp := func(x, y uint32) int {
			if a.out(x).Less(a.out(y)) {
				return -1
			}
			if a.out(y).Less(a.out(x)) {
				return 1
			}
			return 0
		}
		rt.Repeat(map[string]func(*rapid.T){
			"push": func(rt *rapid.T) {
				d := a.alloc()
				a.all[d] = deadline{
					r:    rapid.SampledFrom(records).Draw(rt, "lead"),
					kind: lead.DeadlineKind(rapid.IntRange(1, 2).Draw(rt, "kind")),
					due:  due(rt),
				}
				h.push(d, a.all[d].due)
				model = append(model, d)
			},
			"pop": func(rt *rapid.T) {
				if len(model) == 0 {
					rt.Skip("empty")
				}
				d := h.min().d
				h.pop()
				a.release(d)
				model = slices.DeleteFunc(model, func(m uint32) bool { return m == d })
			},
			"remove": func(rt *rapid.T) {
				if len(model) == 0 {
					rt.Skip("empty")
				}
				j := rapid.IntRange(0, len(model)-1).Draw(rt, "j")
				h.remove(model[j])
				a.release(model[j])
				model = slices.Delete(model, j, j+1)
			},
			"rekey": func(rt *rapid.T) {
				if len(model) == 0 {
					rt.Skip("empty")
				}
				d := model[rapid.IntRange(0, len(model)-1).Draw(rt, "j")]
				a.all[d].due = due(rt)
				h.rekey(d, a.all[d].due)
			},
			"": func(rt *rapid.T) {
				if len(h.heap) != len(model) {
					rt.Fatalf("heap holds %d, want %d", len(h.heap), len(model))
				}
				for i := range h.heap {
					s := &h.heap[i]
					e := &a.all[s.d]
					if !slices.Contains(model, s.d) {
						rt.Fatalf("heap[%d] is deadline %d, not scheduled", i, s.d)
					}
					if int(e.index) != i {
						rt.Fatalf("heap[%d].index = %d", i, e.index)
					}
					if s.at != e.due {
						rt.Fatalf("heap[%d] is keyed %d, its deadline is due %d", i, s.at, e.due)
					}
					if p := (i - 1) / 2; i > 0 && h.less(s, &h.heap[p]) {
						rt.Fatalf("heap[%d] %v is less than its parent %v", i, a.out(s.d), a.out(h.heap[p].d))
					}
				}
				if len(model) > 0 {
					least := slices.MinFunc(model, cmp)
					if got := h.min().d; cmp(got, least) != 0 {
						rt.Fatalf("min() = %v, want %v", a.out(got), a.out(least))
					}
				}
			},
		})
	})
}
