package leadlinehttp_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/leadline/leadline/leadlinehttp"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
)

// worklistOf returns v's worklist rows as the report computes them (V1),
// to check the dashboard against.
func worklistOf(t testing.TB, tm *team, v routing.Viewer, owners []string) []report.WorklistRow {
	t.Helper()
	pol := tm.eng.Policy()
	rows, err := report.Worklist(context.Background(), tm.st, v, report.WorklistParams{
		Frame:  report.Frame{Now: tm.s.Now(), Zone: jst, Routing: &pol.Routing, Cadence: &pol.Cadence},
		Owners: owners})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

var (
	workRow    = regexp.MustCompile(`<tr class="work( overdue)?" data-lead="([^"]+)">`)
	requestRow = regexp.MustCompile(`<tr class="request( overdue)?" data-lead="([^"]+)">`)
)

// TestDashboard_Top checks the top screen (A9, V1): a rep sees their own
// requests and worklist, overdue rows marked; a manager sees every
// owner's; a field rep sees none of inside sales' leads (M2).
func TestDashboard_Top(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	cases := []struct {
		name   string
		viewer string
		v      routing.Viewer
		owners []string
	}{
		{"inside rep sees their own", asIto, routing.Viewer{Rep: "rep-ito", Role: routing.RoleInside}, []string{"rep-ito"}},
		{"manager sees every owner", asManager, routing.Viewer{Rep: "mgr", Role: routing.RoleManager}, nil},
		{"M2 field rep sees no inside lead", asField, routing.Viewer{Rep: "field-mori", Role: routing.RoleField}, []string{"field-mori"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := call(t, tm.h, "GET", "/dashboard?lang=en", c.viewer, nil)
			if rec.Code != 200 {
				t.Fatalf("GET /dashboard = %d", rec.Code)
			}
			want := worklistOf(t, tm, c.v, c.owners)
			got := workRow.FindAllStringSubmatch(rec.Body.String(), -1)
			if len(got) != len(want) {
				t.Fatalf("%d worklist rows, want %d", len(got), len(want))
			}
			overdue := 0
			for i, m := range got {
				if m[2] != want[i].Lead || (m[1] != "") != want[i].Overdue {
					t.Errorf("row %d: lead %s overdue %v, want %s %v", i, m[2], m[1] != "", want[i].Lead, want[i].Overdue)
				}
				if want[i].Overdue {
					overdue++
				}
			}
			if c.v.Role != routing.RoleField && (len(want) == 0 || overdue == 0 && c.v.Role == routing.RoleManager) {
				t.Errorf("the seeded team should give %s worklist rows and overdue ones: %d rows, %d overdue", c.v.Rep, len(want), overdue)
			}
			if c.v.Role == routing.RoleField && (len(got) != 0 || len(requestRow.FindAllString(rec.Body.String(), -1)) != 0) {
				t.Errorf("field rep sees inside leads")
			}
		})
	}
}

// TestDashboard_Pages checks that every page renders for a manager in
// both languages, with its chart where there is something to draw.
func TestDashboard_Pages(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	for _, page := range []string{"/dashboard", "/dashboard/jumps", "/dashboard/overdue", "/dashboard/funnel", "/dashboard/sla"} {
		for _, lang := range []string{"en", "ja"} {
			rec := call(t, tm.h, "GET", page+"?lang="+lang, asManager, nil)
			body := rec.Body.String()
			if rec.Code != 200 || !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("GET %s?lang=%s = %d", page, lang, rec.Code)
			}
			if page != "/dashboard" && !strings.Contains(body, "<svg class=\"chart\"") {
				t.Errorf("GET %s: no chart", page)
			}
		}
	}
	rec := call(t, tm.h, "GET", "/dashboard", asIto, nil)
	golden(t, "dashboard_top_ito_en", dump(rec))
}

// TestDashboard_Language checks how a page picks its language: ?lang=,
// else Accept-Language, else the policy's language (E10).
func TestDashboard_Language(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	cases := []struct {
		target, accept, want string
	}{
		{"/dashboard", "", "en"},
		{"/dashboard", "ja-JP,ja;q=0.9,en;q=0.8", "ja"},
		{"/dashboard", "en-US,en;q=0.9,ja;q=0.8", "en"},
		{"/dashboard", "fr-FR, ja;q=0.5", "ja"},
		{"/dashboard?lang=en", "ja", "en"},
		{"/dashboard?lang=ja", "en", "ja"},
	}
	for _, c := range cases {
		rec := call(t, tm.h, "GET", c.target, asIto, nil, "Accept-Language", c.accept)
		if got := rec.Header().Get("Content-Language"); got != c.want {
			t.Errorf("GET %s, Accept-Language %q: %s, want %s", c.target, c.accept, got, c.want)
		}
	}
	if rec := call(t, tm.h, "GET", "/dashboard?lang=ja", asIto, nil); !strings.Contains(rec.Body.String(), "ワークリスト") {
		t.Errorf("the Japanese top screen has no ワークリスト heading")
	}
}

// TestAcceptLanguage checks the header's reading: highest quality of the
// supported languages, the earlier on a tie; malformed entries skipped.
func TestAcceptLanguage(t *testing.T) {
	cases := []struct {
		header string
		want   rules.Language
		ok     bool
	}{
		{"", "", false},
		{"fr", "", false},
		{"ja", "ja", true},
		{"en-GB;q=0.8, ja-JP;q=0.9", "ja", true},
		{"ja;q=0.5, en;q=0.5", "ja", true},
		{"ja;q=0, en;q=0.1", "en", true},
		{"ja;q=2, en", "en", true},
		{"*;q=1, JA", "ja", true},
	}
	for _, c := range cases {
		got, ok := leadlinehttp.AcceptLanguage(c.header)
		if got != c.want || ok != c.ok {
			t.Errorf("AcceptLanguage(%q) = %q, %v; want %q, %v", c.header, got, ok, c.want, c.ok)
		}
	}
}

// FuzzAcceptLanguage checks that any header gives a supported language
// or none, and never panics.
func FuzzAcceptLanguage(f *testing.F) {
	for _, s := range []string{"ja-JP,ja;q=0.9,en;q=0.8", "en;q=abc", ";;,,q=", "ja;q=0.5;foo=bar"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		l, ok := leadlinehttp.AcceptLanguage(h)
		if ok != (l == "ja" || l == "en") || !ok && l != "" {
			t.Errorf("AcceptLanguage(%q) = %q, %v", h, l, ok)
		}
	})
}

// FuzzParseWeekday checks week_start's parser: a day or a FieldError,
// and a day's own names read back as that day (V8).
func FuzzParseWeekday(f *testing.F) {
	for _, s := range []string{"mon", "Sunday", "0", "6", "7", "sat ", "thurs"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := leadlinehttp.ParseWeekday(s)
		if err != nil {
			return
		}
		if d < 0 || d > 6 {
			t.Fatalf("ParseWeekday(%q) = %d", s, d)
		}
		if back, err := leadlinehttp.ParseWeekday(d.String()); err != nil || back != d {
			t.Errorf("ParseWeekday(%q) = %v, which reads back as %v, %v", s, d, back, err)
		}
	})
}

// TestDashboard_Lead checks a lead's page: the lead and its decisions
// with rule ids for a viewer who may see it, and for a field rep the
// same 404 page for a hidden lead as for an unknown one (M2).
func TestDashboard_Lead(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	rec := call(t, tm.h, "GET", "/dashboard/leads/L-05?lang=en", asManager, nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `id="decisions"`) || !strings.Contains(rec.Body.String(), "M9") {
		t.Fatalf("L-05's page = %d, want its decisions with M9", rec.Code)
	}
	// The decisions read in the reader's language, whatever the team's
	// (E10): T1's reassignment of L-05 from rep-sato to rep-ito.
	for lang, want := range map[string]string{
		"en": "owner rep-sato -&gt; rep-ito by leadline (T1: no attempt within the Stage1 window (48h); round robin over inside sales, rep-sato excluded)",
		"ja": "T1: Stage1 の期限（48時間）内にアプローチなし。内勤のラウンドロビンで再割り当て（rep-sato を除外）。担当者を rep-sato から rep-ito に変更",
	} {
		page := call(t, tm.h, "GET", "/dashboard/leads/L-05?lang="+lang, asManager, nil)
		if !strings.Contains(page.Body.String(), want) {
			t.Errorf("L-05's page in %s: want the decision %q\n%s", lang, want, page.Body)
		}
	}
	hidden := call(t, tm.h, "GET", "/dashboard/leads/L-05?lang=en", asField, nil)
	unknown := call(t, tm.h, "GET", "/dashboard/leads/L-5x?lang=en", asField, nil)
	if hidden.Code != 404 || unknown.Code != 404 || hidden.Body.String() != unknown.Body.String() {
		t.Errorf("hidden %d, unknown %d; want the same 404 page (M2)\n%s\n%s", hidden.Code, unknown.Code, hidden.Body, unknown.Body)
	}
}
