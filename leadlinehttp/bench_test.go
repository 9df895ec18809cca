package leadlinehttp_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/leadlinehttp"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
)

// BenchmarkHandler_PostEvents measures POST /events in process: a new
// lead's batch of created, inquiry and score (E9), one write.
func BenchmarkHandler_PostEvents(b *testing.B) {
	clk := clock.NewMock()
	st := memstore.New()
	eng, err := leadline.New(st, leadline.Config{Clock: clk, Roster: &routing.Org{
		Inside: routing.Team{ID: "inside", Manager: "mgr", Reps: []routing.Rep{{ID: "a"}, {ID: "b"}, {ID: "c"}}}}})
	if err != nil {
		b.Fatal(err)
	}
	h := leadlinehttp.Handler(eng, leadlinehttp.Options{Viewer: testViewer, Reader: st, Seen: st.Seen, Clock: clk})
	i := 0
	for b.Loop() {
		i++
		l := fmt.Sprintf("B-%d", i)
		body := "[" + event(l+"/c", "created", l, `,"score":"120"`) + "," + event(l+"/i", "inquiry", l, "") + "," +
			event(l+"/s", "score_changed", l, `,"score":"130"`) + "]"
		rec := call(b, h, "POST", "/events", asOps, []byte(body))
		if rec.Code != 202 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkHandler_Reads measures the seeded team's worklist as JSON and
// CSV (V1, V8) and the manager's top screen (A9, V1).
func BenchmarkHandler_Reads(b *testing.B) {
	tm := newTeam(b, leadlinehttp.Options{})
	for _, target := range []string{"/worklist", "/worklist?format=csv", "/dashboard?lang=ja"} {
		b.Run(strings.TrimPrefix(target, "/"), func(b *testing.B) {
			for b.Loop() {
				if rec := call(b, tm.h, "GET", target, asManager, nil); rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
