package leadlinehttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/leadlinehttp"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/postgres"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
)

var (
	load     = flag.Bool("load", false, "run the load test of POST /events on loopback (not in the default run)")
	loadFor  = flag.Duration("load-for", 60*time.Second, "how long the load test sends")
	loadRate = flag.Int("load-rate", 200, "requests a second the load test sends, each a batch of three events")
	loadPG   = flag.Int("load-pg", 0, "run the load test on PostgreSQL (LEADLINE_TEST_DATABASE_URL) with this many instances, each an engine and a server over one schema")
)

// loadServers returns the servers the load test sends to, round robin,
// and the store that checks nothing was lost: one on memstore, or with
// -load-pg n instances that share one PostgreSQL schema, as a service's
// instances behind a load balancer do.
func loadServers(t *testing.T, org *routing.Org) ([]*httptest.Server, leadline.Store) {
	newServer := func(st interface {
		leadline.Store
		report.Reader
	}) *httptest.Server {
		eng, err := leadline.New(st, leadline.Config{Roster: org})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(leadlinehttp.Handler(eng, leadlinehttp.Options{Viewer: testViewer, Reader: st, Seen: st.Seen}))
		t.Cleanup(srv.Close)
		srv.Client().Transport.(*http.Transport).MaxIdleConnsPerHost = 256
		return srv
	}
	if *loadPG == 0 {
		st := memstore.New()
		return []*httptest.Server{newServer(st)}, st
	}
	url := os.Getenv("LEADLINE_TEST_DATABASE_URL")
	if url == "" {
		t.Fatal("-load-pg needs LEADLINE_TEST_DATABASE_URL")
	}
	schema := fmt.Sprintf("load_%d", time.Now().UnixNano())
	var srvs []*httptest.Server
	var first *postgres.Store
	for range *loadPG {
		pool, err := pgxpool.New(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		st := postgres.New(pool, postgres.WithSchema(schema))
		if err := st.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = st
			t.Cleanup(func() {
				_, _ = pool.Exec(context.Background(), "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
			})
		}
		srvs = append(srvs, newServer(st))
	}
	return srvs, first
}

// TestLoad_Events sends POST /events at a fixed rate to a server on
// loopback for -load-for, each request a new lead's batch of three events
// (created, inquiry, score) and every tenth a repeat of an earlier batch
// (E2). It checks that no request failed and no event was lost, and
// prints the latency's p50 and p99. It runs only with -load: speed is
// measured here, not asserted.
func TestLoad_Events(t *testing.T) {
	if !*load {
		t.Log("load test not run: pass -load (and -load-for, -load-rate) to run it")
		return
	}
	var reps []routing.Rep
	for i := range 10 {
		reps = append(reps, routing.Rep{ID: fmt.Sprintf("rep-%02d", i)})
	}
	srvs, st := loadServers(t, &routing.Org{Inside: routing.Team{ID: "inside", Manager: "mgr", Reps: reps}})
	where := "memstore"
	if *loadPG > 0 {
		where = fmt.Sprintf("%d instances on PostgreSQL", *loadPG)
	}

	total := int(loadFor.Seconds() * float64(*loadRate))
	at := time.Date(2026, 4, 6, 9, 0, 0, 0, jst).Format(time.RFC3339)
	batch := func(i int) []byte {
		id := fmt.Sprintf("LD-%07d", i)
		return fmt.Appendf(nil, `[{"id":"%[1]s/c","kind":"created","lead":"%[1]s","at":%[2]q,"score":"%[3]d","profile":{"company":"負荷試験 %[1]s"}},`+
			`{"id":"%[1]s/i","kind":"inquiry","lead":"%[1]s","at":%[2]q},{"id":"%[1]s/s","kind":"score_changed","lead":"%[1]s","at":%[2]q,"score":"%[4]d"}]`,
			id, at, 50+i%100, 60+i%100)
	}
	type result struct {
		took      time.Duration
		status    int
		duplicate bool
		err       error
	}
	results := make([]result, total)
	send := func(i int) {
		body, repeat := batch(i), false
		if i%10 == 9 {
			body, repeat = batch(i-5), true
		}
		srv := srvs[i%len(srvs)]
		client := srv.Client()
		req, _ := http.NewRequestWithContext(t.Context(), "POST", srv.URL+"/events", bytes.NewReader(body))
		req.Header.Set(viewerHeader, asOps)
		req.Header.Set("Content-Type", "application/json")
		start := time.Now()
		resp, err := client.Do(req)
		r := result{err: err}
		if err == nil {
			var er leadlinehttp.EventsResponse
			err = json.NewDecoder(resp.Body).Decode(&er)
			resp.Body.Close()
			r.status, r.err = resp.StatusCode, err
			r.duplicate = len(er.Events) == 3 && er.Events[0].Duplicate
			if repeat != r.duplicate && resp.StatusCode < 300 {
				// A repeat can reach the server before its original; then
				// it applies and the original is the duplicate.
				r.duplicate = repeat
			}
		}
		r.took = time.Since(start)
		results[i] = r
	}
	var wg sync.WaitGroup
	// Request i leaves at start+i/rate; one that falls behind leaves at
	// once, so that the rate holds over the run.
	interval := time.Second / time.Duration(*loadRate)
	timer := time.NewTimer(0)
	defer timer.Stop()
	<-timer.C
	start := time.Now()
	for i := range total {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			timer.Reset(d)
			<-timer.C
		}
		wg.Go(func() { send(i) })
	}
	wg.Wait()
	elapsed := time.Since(start)

	var took []time.Duration
	failed := 0
	for i, r := range results {
		if r.err != nil || r.status != 200 && r.status != 202 {
			failed++
			if failed < 5 {
				t.Errorf("request %d: status %d, %v", i, r.status, r.err)
			}
		}
		took = append(took, r.took)
	}
	// No event is lost: every lead a request created is there, with all
	// three events recorded (E2, E9).
	lost := 0
	for i := range total {
		if i%10 == 9 {
			continue
		}
		id := fmt.Sprintf("LD-%07d", i)
		for _, ev := range []string{"/c", "/i", "/s"} {
			if _, ok, err := st.Seen(context.Background(), id, id+ev); err != nil || !ok {
				lost++
			}
		}
	}
	if failed > 0 || lost > 0 {
		t.Errorf("%d of %d requests failed, %d events lost", failed, total, lost)
	}
	slices.Sort(took)
	q := func(p int) time.Duration { return took[min(len(took)-1, len(took)*p/100)] }
	fmt.Printf("load: %d requests (%d events) in %v at %d/s on loopback, %s: p50 %v, p99 %v, max %v; %d failed, %d events lost\n",
		total, total*3, elapsed.Round(time.Millisecond), *loadRate, where, q(50), q(99), took[len(took)-1], failed, lost)
}
