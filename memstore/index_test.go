package memstore

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestIndex checks the blocked index of the reports against a flat
// slice: after any sequence of appends (in order or not, many at once so
// that blocks fill and new ones start), sorts that drop the entries
// before a horizon, and removals, it holds the model's entries in the
// model's order, every block but the last is full, and a span finds the
// entries of a period.
func TestIndex(t *testing.T) {
	records := make([]*record, 4)
	for i := range records {
		records[i] = &record{id: fmt.Sprintf("L-%d", i)}
	}
	rapid.Check(t, func(rt *rapid.T) {
		var x index
		var model []entry
		sorted := true
		last := instant(0)
		rt.Repeat(map[string]func(*rapid.T){
			"add": func(rt *rapid.T) {
				// Mostly in order, as writes come, now and then before the
				// last; sometimes thousands, to cross blocks.
				n := rapid.SampledFrom([]int{1, 3, blockSize - 1, blockSize + 5}).Draw(rt, "n")
				back := rapid.IntRange(0, 3).Draw(rt, "back") == 0
				r := rapid.SampledFrom(records).Draw(rt, "record")
				for i := range n {
					at := last + instant(i%7)
					if back && i == 0 {
						at = last - 5
					}
					if len(model) > 0 && at < model[len(model)-1].at {
						sorted = false
					}
					x.add(at, r)
					model = append(model, entry{at, r})
				}
				last += instant(n % 11)
			},
			"sort": func(rt *rapid.T) {
				since := noTime
				if rapid.Bool().Draw(rt, "trim") {
					since = last - instant(rapid.IntRange(-5, 20).Draw(rt, "since"))
				}
				x.sort(since)
				if !sorted {
					slices.SortStableFunc(model, func(a, b entry) int { return cmp.Compare(a.at, b.at) })
					sorted = true
				}
				if since != noTime {
					i := 0
					for i < len(model) && model[i].at < since {
						i++
					}
					model = slices.Delete(model, 0, i)
				}
				// A span is the model's entries in the period.
				from := last - instant(rapid.IntRange(0, 30).Draw(rt, "from"))
				to := from + instant(rapid.IntRange(-2, 30).Draw(rt, "to"))
				var want, got []entry
				for _, e := range model {
					if e.at >= from && e.at < to {
						want = append(want, e)
					}
				}
				i, j := x.span(from, to)
				x.segments(i, j, func(seg []entry) bool { got = append(got, seg...); return true })
				for c := x.cursor(from, to); c.more(); c.i++ {
					if e := *c.peek(); e != got[c.i-i] {
						rt.Fatalf("cursor at %d = %v, segments %v", c.i, e, got[c.i-i])
					}
				}
				if !slices.Equal(got, want) {
					rt.Fatalf("span [%d, %d) = %d entries, want %d", from, to, len(got), len(want))
				}
			},
			"remove": func(rt *rapid.T) {
				if len(model) == 0 {
					return
				}
				e := model[rapid.IntRange(0, len(model)-1).Draw(rt, "i")]
				x.remove(e.at, e.r)
				for i := len(model) - 1; i >= 0; i-- {
					if model[i] == e {
						model = slices.Delete(model, i, i+1)
						break
					}
				}
			},
			"": func(rt *rapid.T) {
				if x.n != len(model) {
					rt.Fatalf("index holds %d entries, model %d", x.n, len(model))
				}
				for i, b := range x.blocks {
					if i < len(x.blocks)-1 && len(b) != blockSize {
						rt.Fatalf("block %d of %d holds %d entries, want %d", i, len(x.blocks), len(b), blockSize)
					}
				}
				if x.n > 0 && x.lo >= blockSize {
					rt.Fatalf("the first block starts at %d, past its end", x.lo)
				}
				var got []entry
				x.segments(0, x.n, func(seg []entry) bool { got = append(got, seg...); return true })
				if !slices.Equal(got, model) {
					i := 0
					for i < len(got) && i < len(model) && got[i] == model[i] {
						i++
					}
					rt.Fatalf("entries differ from the model at %d of %d", i, len(model))
				}
			},
		})
	})
}

// BenchmarkIndexAdd measures the reports' index of history entries as it
// grows to 8,000,000 entries (a large team's year): the mean cost of an
// entry, and the slowest single append, which a writer holding the
// store's lock makes everyone wait for. In one flat slice the slowest
// was the copy of the whole index at a growth: 138-848 ms here, against
// 7-15 ms in blocks, and 175-257 ns an entry against 125-136.
func BenchmarkIndexAdd(b *testing.B) {
	const n = 8_000_000
	r := &record{}
	var worst time.Duration
	for b.Loop() {
		var x index
		for i := range n {
			t0 := time.Now()
			x.add(instant(i), r)
			if d := time.Since(t0); d > worst {
				worst = d
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/entry")
	b.ReportMetric(float64(worst.Microseconds())/1e3, "worst-ms/entry")
}
