package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// TestService_demo builds the demo service and reads its dashboard and
// API as a rep and a manager through the demo sign-in (V1, A9, M2).
func TestService_demo(t *testing.T) {
	svc, err := newService(t.Context(), options{demo: true, log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.close()
	srv := httptest.NewServer(svc.handler)
	defer srv.Close()
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := get("/dashboard?as=inside:rep-ito")
	if resp.StatusCode != 200 || !strings.Contains(body, `class="work`) || !strings.Contains(body, `<html lang="ja">`) {
		t.Fatalf("rep's dashboard: %d, no worklist rows or not in the policy's Japanese", resp.StatusCode)
	}
	if c := resp.Header.Get("Set-Cookie"); !strings.HasPrefix(c, demoCookie+"=") {
		t.Errorf("?as= sets no demo cookie: %q", c)
	}
	if resp, body = get("/reports/overdue?as=manager:mgr"); resp.StatusCode != 200 || !strings.Contains(body, `"kind": "cadence"`) {
		t.Errorf("manager's overdue report: %d %.200s", resp.StatusCode, body)
	}
	if resp, _ = get("/worklist"); resp.StatusCode != 401 {
		t.Errorf("no viewer: %d, want 401", resp.StatusCode)
	}
}

// TestService_postgres serves the demo on PostgreSQL: the demo seeds an
// empty schema, and a second start on the same schema keeps its leads
// and seeds nothing. It skips without LEADLINE_TEST_DATABASE_URL.
func TestService_postgres(t *testing.T) {
	url := os.Getenv("LEADLINE_TEST_DATABASE_URL")
	if url == "" {
		t.Skip("LEADLINE_TEST_DATABASE_URL is not set: no PostgreSQL to serve from")
	}
	const schema = "service_test"
	pool, err := pgxpool.New(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	drop := func() {
		if _, err := pool.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Fatal(err)
		}
	}
	drop()
	defer drop()
	for i, want := range []string{"seeded", "kept"} {
		svc, err := newService(t.Context(), options{demo: true, databaseURL: url, schema: schema, log: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatalf("start %d: %v", i+1, err)
		}
		srv := httptest.NewServer(svc.handler)
		resp, err := srv.Client().Get(srv.URL + "/leads/L-001?as=ops:ops")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
		svc.close()
		if resp.StatusCode != 200 {
			t.Errorf("start %d (%s): GET /leads/L-001 = %d", i+1, want, resp.StatusCode)
		}
	}
}
