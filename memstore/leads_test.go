package memstore

import (
	"fmt"
	"slices"
	"testing"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
	"pgregory.net/rapid"
)

// TestStore_Leads_pages is a model test of Leads over a store that grows
// between pages, past the sizes at which the leads created since the
// last sort are merged in: every page is what filtering and sorting
// every lead gives, and walking the pages visits each matching lead
// once, in order (V10: a host pages its leads to list or export them).
func TestStore_Leads_pages(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		st := New()
		owners := []string{"rep-a", "rep-b", "rep-c"}
		model := map[string]lead.Lead{}
		for step := range rapid.IntRange(1, 12).Draw(t, "steps") {
			for range rapid.IntRange(0, 1500).Draw(t, "created") {
				l := lead.Lead{ID: fmt.Sprintf("L-%05d", rapid.IntRange(0, 99999).Draw(t, "id")), Owner: rapid.SampledFrom(owners).Draw(t, "owner")}
				if _, ok := model[l.ID]; ok {
					continue
				}
				if rapid.Bool().Draw(t, "attempted") {
					l.Track = stage.Track{Stage: stage.Stage1, Cadence: 1}
				}
				if err := st.Apply(t.Context(), leadline.Write{Lead: l}); err != nil {
					t.Fatal(err)
				}
				model[l.ID] = l
			}
			q := leadline.Query{Limit: rapid.IntRange(0, 50).Draw(t, "limit"), Attempted: rapid.Bool().Draw(t, "filter attempted")}
			if rapid.Bool().Draw(t, "filter owner") {
				q.Owner = rapid.SampledFrom(append(owners, "rep-nobody")).Draw(t, "owner filter")
			}
			var want []string
			for id, l := range model {
				if q.Owner != "" && l.Owner != q.Owner || q.Attempted && !(l.Track.Active() && l.Track.Stage.Attempted()) {
					continue
				}
				want = append(want, id)
			}
			slices.Sort(want)
			var got []string
			for pages := 0; ; pages++ {
				page, err := st.Leads(t.Context(), q)
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range page {
					got = append(got, l.ID)
				}
				if q.Limit == 0 || len(page) < q.Limit {
					break
				}
				q.After = page[len(page)-1].ID
			}
			if !slices.Equal(got, want) {
				t.Fatalf("step %d, %+v: paged %d leads, want %d\ngot  %v\nwant %v", step, q, len(got), len(want), got, want)
			}
		}
	})
}
