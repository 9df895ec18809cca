package leadlinehttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/leadlinehttp"
	"github.com/leadline/leadline/memstore"
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

// TestDashboard_asOfLine checks the line every page has under its menu:
// when its reports were read, in their zone (V8), "As of 2026-04-09
// 17:00 Asia/Tokyo" in English and the instant first in Japanese.
func TestDashboard_asOfLine(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	cases := []struct {
		target, want string
	}{
		{"/dashboard?lang=en", "As of 2026-04-09 17:00 Asia/Tokyo"},
		{"/dashboard?lang=ja", "2026-04-09 17:00 Asia/Tokyo 時点"},
		{"/dashboard/sla?lang=en", "As of 2026-04-09 17:00 Asia/Tokyo"},
		{"/dashboard/jumps?lang=ja", "2026-04-09 17:00 Asia/Tokyo 時点"},
		{"/dashboard/leads/L-05?lang=en", "As of 2026-04-09 17:00 Asia/Tokyo"},
		{"/dashboard?lang=en&tz=UTC", "As of 2026-04-09 08:00 UTC"}, // the asked zone (V8)
	}
	who := regexp.MustCompile(`<p class="who">.*</p>`)
	for _, c := range cases {
		rec := call(t, tm.h, "GET", c.target, asManager, nil)
		line := who.FindString(rec.Body.String())
		if rec.Code != 200 || !strings.HasSuffix(line, " · "+c.want+"</p>") || strings.Contains(line, "%!") {
			t.Errorf("GET %s = %d, line %q; want it to end %q", c.target, rec.Code, line, c.want)
		}
	}
}

// TestDashboard_leadPageWords checks that a lead's page titles its
// decisions in the page's language (E10), not with the dashboard's
// message keys.
func TestDashboard_leadPageWords(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	cases := []struct {
		lang string
		want []string
	}{
		{"en", []string{"<h2>Why it went where it went</h2>", "<th>When</th><th>Rules</th><th>Decision</th>"}},
		{"ja", []string{"<h2>判断の理由</h2>", "<th>日時</th><th>ルール</th><th>判断</th>"}},
	}
	for _, c := range cases {
		body := call(t, tm.h, "GET", "/dashboard/leads/L-05?lang="+c.lang, asManager, nil).Body.String()
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("lang=%s: the lead page has no %s", c.lang, w)
			}
		}
		for _, key := range []string{">explain<", ">at<", ">rules<", ">decision<"} {
			if strings.Contains(body, key) {
				t.Errorf("lang=%s: the lead page shows the message key %s", c.lang, key)
			}
		}
	}
}

// createLead creates lead id as ops, with an inquiry so that it is on
// the reports, and fails the test if it cannot.
func createLead(t *testing.T, tm *team, id string) {
	t.Helper()
	body := "[" + event(id+"/c", "created", id, `,"score":"20","profile":{"company":"東都商事","name":"山田 太郎","source":"web"}`) + "," +
		event(id+"/i", "inquiry", id, `,"topic":"価格"`) + "]"
	if rec := call(t, tm.h, "POST", "/events", asOps, []byte(body)); rec.Code != 202 {
		t.Fatalf("create %s: %d %s", id, rec.Code, rec.Body)
	}
}

// TestDashboard_languageSwitchLink checks that a page's language switch
// links the same page in each language, for a lead whose id a path must
// escape: an id is any printable ASCII without a space (lead.CheckID,
// E6), so "?", "#", "/" and "%" are ids' characters.
func TestDashboard_languageSwitchLink(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	switchLink := regexp.MustCompile(`<a href="([^"]*)" class="lang"`)
	for _, id := range []string{"L-q?lang=ja", "L-h#top", "L-s/history", "L-p%41", "L-plain"} {
		createLead(t, tm, id)
		target := "/dashboard/leads/" + url.PathEscape(id) + "?lang=en&tz=UTC"
		rec := call(t, tm.h, "GET", target, asManager, nil)
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d", target, rec.Code)
		}
		links := switchLink.FindAllStringSubmatch(rec.Body.String(), -1)
		if len(links) != 2 {
			t.Fatalf("%s: %d language links, want 日本語 and English", id, len(links))
		}
		for i, lang := range []string{"ja", "en"} {
			href := html.UnescapeString(links[i][1])
			next := call(t, tm.h, "GET", href, asManager, nil)
			if next.Code != 200 || next.Header().Get("Content-Language") != lang ||
				!strings.Contains(next.Body.String(), `data-lead="`+html.EscapeString(id)+`"`) ||
				!strings.Contains(next.Body.String(), "2026-04-09 08:00 UTC") {
				t.Errorf("%s: the %s link %q answers %d %s, not the lead's page in UTC", id, lang, href, next.Code, next.Header().Get("Content-Language"))
			}
		}
	}
}

// TestDashboard_unavailable checks that a page the store cannot serve
// answers 503 with Retry-After, as the JSON routes do (package doc), and
// says nothing of the cause.
func TestDashboard_unavailable(t *testing.T) {
	st := downStore{memstore.New()}
	eng, err := leadline.New(st, leadline.Config{})
	if err != nil {
		t.Fatal(err)
	}
	h := leadlinehttp.Handler(eng, leadlinehttp.Options{Viewer: testViewer, Reader: st})
	want := call(t, h, "GET", "/worklist", asOps, nil).Header().Get("Retry-After")
	if want == "" {
		t.Fatal("GET /worklist on a store that is down has no Retry-After")
	}
	for _, target := range []string{"/dashboard", "/dashboard/overdue?lang=ja", "/dashboard/leads/L-1"} {
		rec := call(t, h, "GET", target, asOps, nil)
		if rec.Code != 503 || rec.Header().Get("Retry-After") != want || strings.Contains(rec.Body.String(), "db.internal") {
			t.Errorf("GET %s = %d, Retry-After %q (want %q)", target, rec.Code, rec.Header().Get("Retry-After"), want)
		}
	}
}

// TestDashboard_pageTakesItsReportParameters checks that a page renders
// the report its JSON route gives for the same query (package doc: "the
// pages under it render the same reports as HTML"): the funnel's and the
// SLA's period, from and to inclusive (V7, V9), and the score jumps'
// days, last and jump (V2). A value the route refuses with 400 (E6) the
// page refuses too, as an HTML page.
func TestDashboard_pageTakesItsReportParameters(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	cells := regexp.MustCompile(`<td class="num">([^<]*)</td>`)
	for _, c := range []struct {
		name, route, page string
		want              func(rows []map[string]any) []string // the page's table cells, from the route's rows
		pageRows          *regexp.Regexp
	}{
		{"V7 funnel", "/reports/funnel", "/dashboard/funnel", func(rows []map[string]any) []string {
			var out []string
			for _, r := range rows {
				for _, k := range []string{"mql", "approached", "connected", "pre_sql", "accepted", "opportunity"} {
					out = append(out, fmt.Sprint(r[k]))
				}
			}
			return out
		}, regexp.MustCompile(`(?s)<table id="funnel">.*</table>`)},
		{"V9 SLA", "/reports/sla", "/dashboard/sla", func(rows []map[string]any) []string {
			var out []string
			for _, r := range rows {
				out = append(out, fmt.Sprint(r["requests"]), fmt.Sprint(r["attempted"]))
			}
			return out
		}, nil},
	} {
		for _, q := range []string{"", "?from=2026-04-06&to=2026-04-06", "?from=2026-04-06&to=2026-04-07"} {
			rec := call(t, tm.h, "GET", c.route+q, asManager, nil)
			var rows []map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &rows); err != nil || rec.Code != 200 || len(rows) == 0 {
				t.Fatalf("GET %s%s: %d %s (%v)", c.route, q, rec.Code, rec.Body, err)
			}
			page := call(t, tm.h, "GET", c.page+q, asManager, nil, "Accept-Language", "en")
			var got []string
			switch c.page {
			case "/dashboard/funnel":
				for _, m := range cells.FindAllStringSubmatch(c.pageRows.FindString(page.Body.String()), -1) {
					got = append(got, m[1])
				}
			case "/dashboard/sla":
				// Requests and Attempted, the first two numbers of each row.
				for _, row := range regexp.MustCompile(`<tr(?: class="team")?><td>[^<]*</td><td>[^<]*</td>(.*)</tr>`).FindAllStringSubmatch(page.Body.String(), -1) {
					m := cells.FindAllStringSubmatch(row[1], 2)
					got = append(got, m[0][1], m[1][1])
				}
			}
			if want := c.want(rows); page.Code != 200 || !slices.Equal(got, want) {
				t.Errorf("%s: GET %s%s = %d showing %v; GET %s%s gives %v", c.name, c.page, q, page.Code, got, c.route, q, want)
			}
		}
	}
	// V2: the page lists the route's leads, in its order.
	for _, q := range []string{"", "?days=3", "?days=3&jump=20", "?last=2026-04-08"} {
		rec := call(t, tm.h, "GET", "/reports/score-jumps"+q, asManager, nil)
		var rows []struct{ Lead string }
		if err := json.Unmarshal(rec.Body.Bytes(), &rows); err != nil {
			t.Fatalf("GET /reports/score-jumps%s: %d %s", q, rec.Code, rec.Body)
		}
		var want, got []string
		for _, r := range rows {
			want = append(want, r.Lead)
		}
		page := call(t, tm.h, "GET", "/dashboard/jumps"+q, asManager, nil)
		for _, m := range regexp.MustCompile(`<tr data-lead="([^"]*)">`).FindAllStringSubmatch(page.Body.String(), -1) {
			got = append(got, m[1])
		}
		if page.Code != 200 || !slices.Equal(got, want) {
			t.Errorf("GET /dashboard/jumps%s = %d showing %v; GET /reports/score-jumps%s gives %v", q, page.Code, got, q, want)
		}
	}
	// E6: what the route refuses, the page refuses, in HTML.
	for _, c := range []struct{ route, page string }{
		{"/reports/funnel?from=2026-13-01&to=2026-04-30", "/dashboard/funnel?from=2026-13-01&to=2026-04-30"},
		{"/reports/funnel?from=2026-04-01", "/dashboard/funnel?from=2026-04-01"},
		{"/reports/sla?from=2026-04-30&to=2026-04-01", "/dashboard/sla?from=2026-04-30&to=2026-04-01"},
		{"/reports/score-jumps?days=0", "/dashboard/jumps?days=0"},
		{"/reports/score-jumps?days=32", "/dashboard/jumps?days=32"},
		{"/reports/score-jumps?jump=-5", "/dashboard/jumps?jump=-5"},
		{"/reports/score-jumps?last=yesterday", "/dashboard/jumps?last=yesterday"},
	} {
		route := call(t, tm.h, "GET", c.route, asManager, nil)
		page := call(t, tm.h, "GET", c.page+"&lang=en", asManager, nil)
		if route.Code != 400 || page.Code != 400 || !strings.HasPrefix(page.Header().Get("Content-Type"), "text/html") ||
			!strings.Contains(page.Body.String(), "The request has a bad parameter") {
			t.Errorf("GET %s = %d, GET %s = %d %s; want both 400, the page in HTML", c.route, route.Code, c.page, page.Code, page.Header().Get("Content-Type"))
		}
	}
}

// TestDashboard_topScreenSubjectsInJapanese checks the Japanese top
// screen's request subjects (A9, E10): the rule book's own trigger rows
// read in Japanese, as Explain and the notifications word them, each
// part of a request a further trigger joined (A6) on its own.
func TestDashboard_topScreenSubjectsInJapanese(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	// L-m: an MQL's inquiry (A1), then its download joins the open
	// request (A6).
	body := "[" + event("m/c", "created", "L-m", `,"score":"150","profile":{"company":"東都商事"}`) + "," +
		event("m/i", "inquiry", "L-m", `,"topic":"価格"`) + "," + event("m/d", "download", "L-m", `,"topic":"事例集"`) + "]"
	if rec := call(t, tm.h, "POST", "/events", asOps, []byte(body)); rec.Code != 202 {
		t.Fatalf("L-m: %d %s", rec.Code, rec.Body)
	}
	subject := func(lang, id string) string {
		t.Helper()
		page := call(t, tm.h, "GET", "/dashboard?lang="+lang, asManager, nil).Body.String()
		m := regexp.MustCompile(`(?s)<tr class="request[^"]*" data-lead="` + id + `">.*?<td>([^<]*)</td></tr>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("/dashboard?lang=%s has no request row for %s", lang, id)
		}
		return html.UnescapeString(m[1])
	}
	for _, c := range []struct{ id, en, ja string }{
		{"L-10", "Inquiry from an MQL (score at or above the threshold)", "MQL からの問い合わせ（スコアが閾値以上）"},
		{"L-m", "Inquiry from an MQL (score at or above the threshold); Document download by an MQL",
			"MQL からの問い合わせ（スコアが閾値以上）; MQL による資料ダウンロード"},
	} {
		if got := subject("en", c.id); got != c.en {
			t.Errorf("%s's subject in English: %q, want %q", c.id, got, c.en)
		}
		if got := subject("ja", c.id); got != c.ja {
			t.Errorf("%s's subject in Japanese: %q, want %q", c.id, got, c.ja)
		}
	}
}

// TestDashboard_scoresExact checks that the dashboard writes a score as
// the decimal it is (E7): 99.5 is below the threshold of 100 (A1, A2),
// and a page that rounded it to "100" would show an MQL that is not one.
func TestDashboard_scoresExact(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	body := "[" + event("h/c", "created", "L-h", `,"score":"99.5","profile":{"company":"東都商事","name":"山田 太郎"}`) + "," +
		event("h/i", "inquiry", "L-h", `,"topic":"価格"`) + "]"
	if rec := call(t, tm.h, "POST", "/events", asOps, []byte(body)); rec.Code != 202 {
		t.Fatalf("L-h: %d %s", rec.Code, rec.Body)
	}
	lead := call(t, tm.h, "GET", "/dashboard/leads/L-h?lang=en", asManager, nil).Body.String()
	if m := regexp.MustCompile(`<th>Score</th><td class="num">([^<]*)</td>`).FindStringSubmatch(lead); m == nil || m[1] != "99.5" {
		t.Errorf("L-h (score 99.5) shows score %v on its page, want 99.5", m)
	}
	// L-11 rose today from 109, at the end of yesterday, to 122 (V2), and
	// is on rep-sato's worklist (V1): at 119.5 its rise is 10.5.
	if rec := call(t, tm.h, "POST", "/events", asOps, []byte(event("h/s", "score_changed", "L-11", `,"score":"119.5"`))); rec.Code != 202 {
		t.Fatalf("L-11: %d %s", rec.Code, rec.Body)
	}
	jumps := call(t, tm.h, "GET", "/dashboard/jumps?lang=en", asManager, nil).Body.String()
	row := regexp.MustCompile(`<tr data-lead="L-11">.*</tr>`).FindString(jumps)
	if !strings.Contains(row, `<td class="num">109</td><td class="num">119.5</td><td class="num">+10.5</td>`) {
		t.Errorf("L-11's score jump (109 to 119.5) reads %q, want 109, 119.5, +10.5", row)
	}
	top := call(t, tm.h, "GET", "/dashboard?lang=en", asManager, nil).Body.String()
	row = regexp.MustCompile(`(?s)<tr class="work[^"]*" data-lead="L-11">.*?</tr>`).FindString(top)
	if !strings.Contains(row, `<td class="num">119.5</td>`) {
		t.Errorf("L-11's worklist row (score 119.5) reads %q", row)
	}
}

// TestDashboard_leadPageValuesInJapanese checks that a lead's page words
// its status and stage in the page's language (E10): the rule book's
// words on a Japanese page, New and Untouched on an English one.
func TestDashboard_leadPageValuesInJapanese(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	createLead(t, tm, "L-u") // New, and Untouched: nobody has called it
	for _, c := range []struct{ lang, status, stage string }{
		{"en", "New", "Untouched"},
		{"ja", "新規", "未着手"},
	} {
		body := call(t, tm.h, "GET", "/dashboard/leads/L-u?lang="+c.lang, asManager, nil).Body.String()
		for _, want := range []string{"<td>" + c.status + "</td><th>", "<td>" + c.stage + "</td><th>"} {
			if !strings.Contains(body, want) {
				t.Errorf("L-u's page in %s has no %s", c.lang, want)
			}
		}
	}
	// The other pages word them alike: the score jumps' statuses (V2),
	// and what an overdue row was due for (V6).
	for _, c := range []struct{ target, ja, en string }{
		{"/dashboard/jumps?lang=ja&days=3", "<td>新規</td>", "<td>New</td>"},
		{"/dashboard/overdue?lang=ja", "<td>ケイデンス</td>", "<td>cadence</td>"},
	} {
		body := call(t, tm.h, "GET", c.target, asManager, nil).Body.String()
		if !strings.Contains(body, c.ja) || strings.Contains(body, c.en) {
			t.Errorf("%s shows %s, want %s", c.target, c.en, c.ja)
		}
	}
}

// TestDashboard_worklistActivityInJapanese: the worklist's main
// activities read in the page's language (V1, E10).
func TestDashboard_worklistActivityInJapanese(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	ja := call(t, tm.h, "GET", "/dashboard?lang=ja", asManager, nil).Body.String()
	en := call(t, tm.h, "GET", "/dashboard?lang=en", asManager, nil).Body.String()
	if !strings.Contains(en, " inquir") {
		t.Fatalf("the English worklist shows no inquiry; the team's leads changed")
	}
	if !regexp.MustCompile(`問い合わせ\d+件`).MatchString(ja) || strings.Contains(ja, "1 inquiry") || strings.Contains(ja, "; last: ") {
		t.Errorf("the Japanese worklist's activities are not in Japanese")
	}
}
