package leadlinehttp_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/leadlinehttp"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
)

// ExampleHandler serves an engine on memstore: a webhook posts a lead's
// events as one batch (E9), posts them again (a duplicate, E2), and a
// rep reads the lead. The host says who is asking from its own session;
// here a fixed inside rep stands for it (M2).
func ExampleHandler() {
	clk := clock.NewMock()
	clk.Set(time.Date(2026, 4, 6, 9, 0, 0, 0, time.FixedZone("JST", 9*3600)))
	st := memstore.New()
	eng, err := leadline.New(st, leadline.Config{Clock: clk, Roster: &routing.Org{
		Inside: routing.Team{ID: "inside", Manager: "mgr", Reps: []routing.Rep{{ID: "rep-ito"}}}}})
	if err != nil {
		panic(err)
	}
	h := leadlinehttp.Handler(eng, leadlinehttp.Options{
		Viewer: func(r *http.Request) (routing.Viewer, error) {
			if r.Header.Get("Authorization") != "Bearer ito-session" {
				return routing.Viewer{}, errors.New("not signed in")
			}
			return routing.Viewer{Rep: "rep-ito", Role: routing.RoleInside}, nil
		},
		Reader: st, Seen: st.Seen, Clock: clk,
	})
	send := func(method, target, body string) {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer ito-session")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(method, target, rec.Code)
	}
	batch := `[{"id":"mkto-1","kind":"created","lead":"L-1","at":"2026-04-06T09:00:00+09:00","score":"120","profile":{"company":"東都商事"}},
		{"id":"mkto-2","kind":"inquiry","lead":"L-1","at":"2026-04-06T09:00:00+09:00"}]`
	send("POST", "/events", batch)
	send("POST", "/events", batch)
	send("GET", "/leads/L-1", "")
	send("GET", "/leads/L-2", "")
	// Output:
	// POST /events 202
	// POST /events 200
	// GET /leads/L-1 200
	// GET /leads/L-2 404
}
