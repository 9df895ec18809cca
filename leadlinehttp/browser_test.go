package leadlinehttp_test

import (
	"context"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/leadline/leadline/leadlinehttp"
	"github.com/leadline/leadline/routing"
)

var shots = flag.String("shots", "", "also write the browser test's screenshots to this directory")

// chromium returns the path of a Chromium or Chrome in PATH, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// queryViewer reads the viewer from ?as=role:rep, as the browser test
// signs in. Tests only: a real host reads its own session (M2).
func queryViewer(r *http.Request) (routing.Viewer, error) {
	r2 := r.Clone(r.Context())
	r2.Header.Set(viewerHeader, r.URL.Query().Get("as"))
	return testViewer(r2)
}

// TestBrowser_Dashboard opens the dashboard in headless Chromium as an
// inside rep and as a manager, checks the worklist rows and their
// overdue marks against the report (V1, A9), switches to Japanese
// (E10), and takes a screenshot. It skips when no Chromium is installed,
// except in CI, where .ci/run installs one.
func TestBrowser_Dashboard(t *testing.T) {
	path := chromium()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no chromium, chromium-browser or google-chrome in PATH; .ci/run installs Debian's chromium")
		}
		t.Skip("no chromium, chromium-browser or google-chrome in PATH: install Debian's chromium to run the browser test")
	}
	tm := newTeam(t, leadlinehttp.Options{Viewer: queryViewer})
	srv := httptest.NewServer(tm.h)
	defer srv.Close()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 900),
	}
	// A bound, not an assertion: a browser that hangs fails the test
	// instead of the run.
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	dir := t.TempDir()
	for _, c := range []struct {
		name string
		as   string
		v    routing.Viewer
		own  []string
	}{
		{"rep", asIto, routing.Viewer{Rep: "rep-ito", Role: routing.RoleInside}, []string{"rep-ito"}},
		{"manager", asManager, routing.Viewer{Rep: "mgr", Role: routing.RoleManager}, nil},
	} {
		want := worklistOf(t, tm, c.v, c.own)
		wantOverdue := 0
		for _, r := range want {
			if r.Overdue {
				wantOverdue++
			}
		}
		if err := chromedp.Do(bctx,
			chromedp.Navigate(srv.URL+"/dashboard?lang=en&as="+c.as),
			chromedp.WaitVisible(chromedp.CSS("#worklist")),
		); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		rows := evaluate[int](t, bctx, `document.querySelectorAll("#worklist tbody tr").length`)
		overdue := evaluate[int](t, bctx, `document.querySelectorAll("#worklist tbody tr.overdue").length`)
		marks := evaluate[int](t, bctx, `document.querySelectorAll("#worklist tbody tr.overdue .mark").length`)
		leads := evaluate[[]string](t, bctx, `Array.from(document.querySelectorAll("#worklist tbody tr")).map(r => r.dataset.lead)`)
		h1 := evaluate[string](t, bctx, `document.querySelector("h1").textContent`)
		if rows != len(want) || overdue != wantOverdue || marks != wantOverdue {
			t.Errorf("%s: %d rows, %d overdue, %d marks; the report has %d rows, %d overdue", c.name, rows, overdue, marks, len(want), wantOverdue)
		}
		for i := range min(len(leads), len(want)) {
			if leads[i] != want[i].Lead {
				t.Errorf("%s: row %d is %s, want %s", c.name, i, leads[i], want[i].Lead)
			}
		}
		if h1 != "Top screen" {
			t.Errorf("%s: heading %q, want Top screen", c.name, h1)
		}
		// Switch language with the page's own link (E10).
		if err := chromedp.Do(bctx,
			chromedp.Click(chromedp.CSS(`a.lang[href*="lang=ja"]`)),
			chromedp.WaitVisible(chromedp.CSS(`html[lang="ja"] h1`)),
		); err != nil {
			t.Fatalf("%s in Japanese: %v", c.name, err)
		}
		h1 = evaluate[string](t, bctx, `document.querySelector("h1").textContent`)
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("%s: screenshot: %v", c.name, err)
		}
		if h1 != "トップ画面" {
			t.Errorf("%s: Japanese heading %q, want トップ画面", c.name, h1)
		}
		if len(png) == 0 {
			t.Errorf("%s: empty screenshot", c.name)
		}
		for _, d := range []string{dir, *shots} {
			if d == "" {
				continue
			}
			if err := os.WriteFile(filepath.Join(d, "dashboard-"+c.name+".png"), png, 0o644); err != nil {
				t.Error(err)
			}
		}
	}
	// The manager's overdue page draws its chart (V6).
	if err := chromedp.Do(bctx,
		chromedp.Navigate(srv.URL+"/dashboard/overdue?lang=ja&as="+asManager),
		chromedp.WaitVisible(chromedp.CSS("svg.chart")),
	); err != nil {
		t.Fatal(err)
	}
	bars := evaluate[int](t, bctx, `document.querySelectorAll("svg.chart rect").length`)
	if bars == 0 {
		t.Error("the overdue page's chart has no bars")
	}
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Errorf("the test server is not on loopback: %s", srv.URL)
	}
}

// evaluate runs a script in the page and returns its value.
func evaluate[T any](t *testing.T, ctx context.Context, script string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](script))
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return v
}
