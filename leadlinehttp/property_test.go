package leadlinehttp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/leadlinehttp"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/report"
	"pgregory.net/rapid"
)

// TestEvents_E2 is a model test of POST /events: whatever mix of new
// events, repeats and batches that mix both a sender posts, each event
// is flagged a duplicate exactly when its id was handled for the lead
// before (E2), the answer is 200 exactly when every event was one and
// 202 otherwise, and the store has recorded every id ever sent (E9).
func TestEvents_E2(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		clk := clock.NewMock()
		clk.Set(time.Date(2026, 4, 6, 9, 0, 0, 0, jst))
		st := memstore.New()
		eng, err := leadline.New(st, leadline.Config{Clock: clk})
		if err != nil {
			rt.Fatal(err)
		}
		// The repeats of a batch are asked one id at a time, or all at
		// once of a Reader that answers SeenEvents.
		var reader report.Reader = st
		if rapid.Bool().Draw(rt, "SeenEvents") {
			reader = manySeen{st}
		}
		h := leadlinehttp.Handler(eng, leadlinehttp.Options{Viewer: testViewer, Reader: reader, Seen: st.Seen, Clock: clk})
		post := func(body string) (int, []leadlinehttp.EventResult) {
			req := httptest.NewRequest("POST", "/events", strings.NewReader(body))
			req.Header.Set(viewerHeader, asOps)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK && rec.Code != http.StatusAccepted {
				rt.Fatalf("POST %s = %d %s", body, rec.Code, rec.Body)
			}
			return rec.Code, results(t, rec.Body.Bytes())
		}
		leads := []string{"L-a", "L-b"}
		seen := map[string][]string{} // lead -> ids handled
		bodies := map[string]string{} // "lead/id" -> the event's JSON
		for _, l := range leads {
			ev := event("c-"+l, "created", l, `,"score":"10"`)
			post(ev)
			seen[l], bodies[l+"/c-"+l] = []string{"c-" + l}, ev
		}
		next := 0
		newEvent := func(l string) (string, string) {
			next++
			id := fmt.Sprintf("e-%d", next)
			return id, event(id, "score_changed", l, fmt.Sprintf(`,"score":"%d"`, next))
		}
		check := func(l string, ids []string, status int, res []leadlinehttp.EventResult) {
			all := true
			for i, r := range res {
				want := slices.Contains(seen[l], ids[i])
				if r.ID != ids[i] || r.Duplicate != want || r.Applied == want {
					rt.Fatalf("result %d %+v: want id %s duplicate %v (E2)", i, r, ids[i], want)
				}
				all = all && want
			}
			if (status == http.StatusOK) != all {
				rt.Fatalf("status %d with every event a repeat: %v", status, all)
			}
			for _, id := range ids {
				if !slices.Contains(seen[l], id) {
					seen[l] = append(seen[l], id)
				}
			}
		}
		rt.Repeat(map[string]func(*rapid.T){
			"new event": func(rt *rapid.T) {
				l := rapid.SampledFrom(leads).Draw(rt, "lead")
				id, ev := newEvent(l)
				bodies[l+"/"+id] = ev
				status, res := post(ev)
				check(l, []string{id}, status, res)
			},
			"repeat": func(rt *rapid.T) {
				l := rapid.SampledFrom(leads).Draw(rt, "lead")
				id := rapid.SampledFrom(seen[l]).Draw(rt, "id")
				status, res := post(bodies[l+"/"+id])
				check(l, []string{id}, status, res)
			},
			"batch": func(rt *rapid.T) {
				l := rapid.SampledFrom(leads).Draw(rt, "lead")
				var ids, evs []string
				for range rapid.IntRange(1, 4).Draw(rt, "size") {
					if rapid.Bool().Draw(rt, "old") {
						id := rapid.SampledFrom(seen[l]).Draw(rt, "id")
						if slices.Contains(ids, id) || strings.HasPrefix(id, "c-") {
							continue
						}
						ids, evs = append(ids, id), append(evs, bodies[l+"/"+id])
						continue
					}
					id, ev := newEvent(l)
					bodies[l+"/"+id] = ev
					ids, evs = append(ids, id), append(evs, ev)
				}
				if len(ids) == 0 {
					return
				}
				status, res := post("[" + strings.Join(evs, ",") + "]")
				check(l, ids, status, res)
			},
			"": func(rt *rapid.T) {
				for _, l := range leads {
					for _, id := range seen[l] {
						if _, ok, err := st.Seen(t.Context(), l, id); err != nil || !ok {
							rt.Fatalf("event %s of %s was answered but is not recorded (E9)", id, l)
						}
					}
				}
			},
		})
	})
}

// manySeen is memstore with SeenEvents, which asks for many ids of a lead
// at once as postgres does: here, from the last id to the first, so that
// an answer put at the wrong place shows.
type manySeen struct{ *memstore.Store }

func (m manySeen) SeenEvents(ctx context.Context, leadID string, ids []string) ([]uint64, []bool, error) {
	prints, seen := make([]uint64, len(ids)), make([]bool, len(ids))
	for i := len(ids) - 1; i >= 0; i-- {
		p, ok, err := m.Seen(ctx, leadID, ids[i])
		if err != nil {
			return nil, nil, err
		}
		prints[i], seen[i] = p, ok
	}
	return prints, seen, nil
}
