package leadlinehttp_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/leadlinehttp"
	"github.com/leadline/leadline/routing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The viewers of the tests, as viewerHeader spells them.
const (
	asOps     = "ops:ops-1"
	asManager = "manager:mgr"
	asIto     = "inside:rep-ito"
	asField   = "field:field-mori"
	// asFieldManager is the field team's manager, whom the engine scopes
	// to the field desk (M2).
	asFieldManager = "manager:field-mgr:field"
)

// call sends a request as viewer ("" for nobody) and returns the answer.
func call(t testing.TB, h http.Handler, method, target, viewer string, body []byte, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	if viewer != "" {
		req.Header.Set(viewerHeader, viewer)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// golden compares got with testdata/name.golden, or rewrites it with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file (run go test -update and review the diff)\ngot:\n%s", name, got)
	}
}

// dump is an answer as its golden file keeps it: status, the headers
// that matter, body.
func dump(rec *httptest.ResponseRecorder) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d\n", rec.Code)
	for _, k := range []string{"Content-Type", "Content-Disposition", "Retry-After"} {
		if v := rec.Header().Get(k); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	b.Write(rec.Body.Bytes())
	return b.Bytes()
}

// TestHandler_Routes checks every read route's answer against its golden
// file: reports as JSON and CSV (V1-V9, A9, V8), a lead, its history and
// its explanation, and the problems for bad input (E6).
func TestHandler_Routes(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	cases := []struct {
		name, target, viewer string
		status               int
	}{
		{"worklist_V1", "/worklist", asOps, 200},
		{"worklist_V1_csv", "/worklist?format=csv&tz=Asia/Tokyo", asOps, 200},
		{"worklist_V1_ito", "/worklist?owner=rep-ito", asIto, 200},
		{"requests_A9", "/requests", asManager, 200},
		{"score_jumps_V2", "/reports/score-jumps?days=3", asOps, 200},
		{"score_jumps_V2_csv_nobom", "/reports/score-jumps?days=3&format=csv&bom=0", asOps, 200},
		{"created_V3", "/reports/created?period=day", asOps, 200},
		{"created_V4", "/reports/created?period=week&week_start=sun", asOps, 200},
		{"created_V5_csv", "/reports/created?period=month&format=csv", asOps, 200},
		{"overdue_V6", "/reports/overdue", asManager, 200},
		{"funnel_V7", "/reports/funnel?from=2026-04-01&to=2026-04-30", asOps, 200},
		{"sla_V9", "/reports/sla", asManager, 200},
		{"sla_V9_utc_csv", "/reports/sla?tz=UTC&format=csv", asManager, 200},
		{"worklist_V1_field_M2", "/worklist", asField, 200},
		{"lead", "/leads/L-01", asOps, 200},
		{"history_E3", "/leads/L-05/history", asOps, 200},
		{"explain", "/leads/L-05/explain", asOps, 200},
		{"feedback_M5_field", "/feedback", asField, 200},
		{"bad_tz_E6", "/worklist?tz=Mars/Olympus", asOps, 400},
		{"bad_week_start_E6", "/reports/created?period=week&week_start=someday", asOps, 400},
		{"bad_format_E6", "/reports/overdue?format=xml", asOps, 400},
		{"bad_period_E6", "/reports/created?period=year", asOps, 400},
		{"bad_from_E6", "/reports/funnel?from=2026-13-01&to=2026-04-30", asOps, 400},
		{"score_jumps_V2_jump", "/reports/score-jumps?jump=12.5", asOps, 200},
		{"bad_jump_E6", "/reports/score-jumps?jump=-3", asOps, 400},
		{"jump_too_long_E6", "/reports/score-jumps?jump=1" + strings.Repeat("0", 100_000), asOps, 400},
		{"credits_M6_unknown", "/reports/credits?campaign=none", asOps, 400},
		{"no_viewer", "/worklist", "", 401},
		{"no_route", "/nowhere", asOps, 404},
		{"wrong_method", "/events", asOps, 405},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := call(t, tm.h, "GET", c.target, c.viewer, nil)
			if rec.Code != c.status {
				t.Fatalf("GET %s = %d, want %d\n%s", c.target, rec.Code, c.status, rec.Body)
			}
			golden(t, c.name, dump(rec))
		})
	}
}

// TestHandler_CSVForExcel checks that CSV starts with a byte-order mark
// by default, for Excel on a Japanese Windows machine (V8), and keeps
// Japanese text as UTF-8.
func TestHandler_CSVForExcel(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	rec := call(t, tm.h, "GET", "/worklist?format=csv", asOps, nil)
	if !bytes.HasPrefix(rec.Body.Bytes(), []byte("\uFEFFowner,lead,")) {
		t.Fatalf("worklist CSV starts %q, want a BOM and the header", rec.Body.String()[:min(20, rec.Body.Len())])
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	rec = call(t, tm.h, "GET", "/feedback?bom=0", asField, nil)
	if bytes.HasPrefix(rec.Body.Bytes(), []byte("\uFEFF")) {
		t.Errorf("feedback with bom=0 starts with a BOM")
	}
}

// TestHandler_M2 checks that a lead a field rep, or the field team's
// manager, may not see and a lead that does not exist answer alike, status, headers and body byte for
// byte, on every lead route (M2).
func TestHandler_M2(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	for _, route := range []string{"/leads/%s", "/leads/%s/history", "/leads/%s/explain", "/leads/%s/summary"} {
		t.Run(strings.TrimPrefix(fmt.Sprintf(route, ""), "/leads/"), func(t *testing.T) {
			if rec := call(t, tm.h, "GET", fmt.Sprintf(route, "L-01"), asOps, nil); rec.Code != 200 {
				t.Fatalf("ops reads L-01: %d, want 200", rec.Code)
			}
			for _, viewer := range []string{asField, asFieldManager} {
				checkSame404(t, tm, fmt.Sprintf(route, "L-01"), fmt.Sprintf(route, "L-01x"), viewer)
			}
		})
	}
	// A field rep's reports list none of inside sales' leads (M2, V10).
	for _, target := range []string{"/worklist", "/requests", "/reports/overdue", "/reports/score-jumps?days=3"} {
		for _, viewer := range []string{asField, asFieldManager} {
			if rec := call(t, tm.h, "GET", target, viewer, nil); rec.Body.String() != "[]\n" {
				t.Errorf("%s GET %s = %s, want []", viewer, target, rec.Body)
			}
		}
	}
}

// checkSame404 checks that viewer gets the same 404 for hidden and
// unknown: status, the headers that matter, and body (M2).
func checkSame404(t *testing.T, tm *team, hiddenTarget, unknownTarget, viewer string) {
	t.Helper()
	hidden := call(t, tm.h, "GET", hiddenTarget, viewer, nil)
	unknown := call(t, tm.h, "GET", unknownTarget, viewer, nil)
	if hidden.Code != 404 || unknown.Code != 404 {
		t.Fatalf("hidden %d, unknown %d; want 404 for both", hidden.Code, unknown.Code)
	}
	if !bytes.Equal(hidden.Body.Bytes(), unknown.Body.Bytes()) {
		t.Errorf("bodies differ:\nhidden  %s\nunknown %s", hidden.Body, unknown.Body)
	}
	for _, k := range []string{"Content-Type", "Content-Length", "Cache-Control", "Retry-After", "X-Content-Type-Options"} {
		if hidden.Header().Get(k) != unknown.Header().Get(k) {
			t.Errorf("%s: hidden %q, unknown %q", k, hidden.Header().Get(k), unknown.Header().Get(k))
		}
	}
	if !slices.Equal(sortedKeys(hidden.Header()), sortedKeys(unknown.Header())) {
		t.Errorf("header names differ: %v, %v", sortedKeys(hidden.Header()), sortedKeys(unknown.Header()))
	}
}

func sortedKeys(h http.Header) []string {
	var ks []string
	for k := range h {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// TestHandler_Viewer checks that Handler refuses to start without a
// viewer function: there is no default that trusts a header (M2).
func TestHandler_Viewer(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	defer func() {
		if recover() == nil {
			t.Error("Handler without Options.Viewer did not panic")
		}
	}()
	leadlinehttp.Handler(tm.eng, leadlinehttp.Options{Reader: tm.st})
}

// TestHandler_BadViewer checks that a viewer the host's function
// returns without a role answers 401, not a read (M2).
func TestHandler_BadViewer(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{Viewer: func(*http.Request) (routing.Viewer, error) {
		return routing.Viewer{Rep: "x"}, nil
	}})
	rec := call(t, tm.h, "GET", "/leads/L-01", "", nil)
	if rec.Code != 401 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("GET with a role-less viewer = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var p map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p["status"] != 401.0 || p["type"] == "" || p["title"] == "" {
		t.Errorf("problem = %s (%v)", rec.Body, err)
	}
}

// TestHandler_ExplainLanguage checks that GET /leads/{id}/explain writes
// its texts in the asked language (E10): ?lang= first, then
// Accept-Language, then the policy's; an unknown language is bad input
// naming its parameter (E6).
func TestHandler_ExplainLanguage(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	texts := func(target string, hdr ...string) (int, string) {
		rec := call(t, tm.h, "GET", target, asOps, nil, hdr...)
		if rec.Code != 200 {
			return rec.Code, rec.Body.String()
		}
		var ds []leadline.Decision
		if err := json.Unmarshal(rec.Body.Bytes(), &ds); err != nil || len(ds) == 0 {
			t.Fatalf("%s: %v, %d decisions: %s", target, err, len(ds), rec.Body)
		}
		var b strings.Builder
		for _, d := range ds {
			b.WriteString(d.Text + "\n")
		}
		return rec.Code, b.String()
	}
	for _, c := range []struct {
		name, target, accept string
		want, not            string
	}{
		{"ja by query", "/leads/L-05/explain?lang=ja", "en", "ラウンドロビン", "round robin"},
		{"en by query", "/leads/L-05/explain?lang=en", "ja", "round robin", "ラウンドロビン"},
		{"ja by Accept-Language", "/leads/L-05/explain", "ja-JP,ja;q=0.9", "ラウンドロビン", "round robin"},
		{"en by Accept-Language", "/leads/L-05/explain", "en-US", "round robin", "ラウンドロビン"},
		{"team zone", "/leads/L-05/explain?lang=en", "", " JST", " UTC"},
	} {
		var hdr []string
		if c.accept != "" {
			hdr = []string{"Accept-Language", c.accept}
		}
		code, got := texts(c.target, hdr...)
		if code != 200 || !strings.Contains(got, c.want) || strings.Contains(got, c.not) {
			t.Errorf("%s: %d, want %q and no %q in:\n%s", c.name, code, c.want, c.not, got)
		}
	}
	for _, c := range []struct{ target, field string }{
		{"/leads/L-05/explain?lang=fr", "lang"},
	} {
		rec := call(t, tm.h, "GET", c.target, asOps, nil)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"field":"`+c.field+`"`) {
			t.Errorf("%s: %d %s, want 400 naming %s", c.target, rec.Code, rec.Body, c.field)
		}
	}
}
