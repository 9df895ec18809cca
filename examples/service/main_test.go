package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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

// TestService_postgres checks that -database-url says plainly that this
// build has no PostgreSQL store.
func TestService_postgres(t *testing.T) {
	var out bytes.Buffer
	err := run(t.Context(), &out, []string{"-demo=false", "-database-url", "postgres://127.0.0.1/none"})
	if err == nil || !strings.Contains(err.Error(), "not built with PostgreSQL") {
		t.Errorf("run with -database-url = %v", err)
	}
}
