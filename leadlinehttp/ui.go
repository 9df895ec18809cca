package leadlinehttp

import (
	"bytes"
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
)

//go:embed templates/*.html templates/style.css
var templateFS embed.FS

// ui holds the dashboard's templates, one set per page, each with the
// shared layout, and the stylesheet inlined into every page.
type ui struct {
	pages map[string]*template.Template
	css   template.CSS
}

// pageNames are the dashboard's pages, each a template file.
var pageNames = []string{"top", "jumps", "overdue", "funnel", "sla", "lead"}

func newUI() *ui {
	css, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		panic("leadlinehttp: embedded stylesheet: " + err.Error())
	}
	u := &ui{pages: map[string]*template.Template{}, css: template.CSS(css)}
	layout := template.Must(template.New("layout.html").ParseFS(templateFS, "templates/layout.html"))
	for _, name := range pageNames {
		u.pages[name] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
	}
	return u
}

// PageLanguage reads the dashboard's language for r: ?lang=ja|en, else the
// first of Japanese and English in Accept-Language by preference, else
// def (the policy's language), else English.
func PageLanguage(r *http.Request, def rules.Language) rules.Language {
	switch l := r.URL.Query().Get("lang"); l {
	case "ja", "en":
		return rules.Language(l)
	}
	if l, ok := AcceptLanguage(r.Header.Get("Accept-Language")); ok {
		return l
	}
	if def == rules.Japanese {
		return rules.Japanese
	}
	return rules.English
}

// AcceptLanguage picks Japanese or English from an Accept-Language
// header: the supported tag ("ja", "ja-JP", "en-US") of the highest
// quality, the earlier on a tie; ok is false when it names neither. A
// malformed entry is skipped, never an error: the header is a hint.
func AcceptLanguage(header string) (rules.Language, bool) {
	best, bestQ := rules.Language(""), -1.0
	for part := range strings.SplitSeq(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if (base == "ja" || base == "en") && q > 0 && q > bestQ {
			best, bestQ = rules.Language(base), q
		}
	}
	return best, best != ""
}

// messages are the dashboard's words in English and Japanese.
var messages = map[string][2]string{
	"title":         {"leadline", "leadline"},
	"top":           {"Top screen", "トップ画面"},
	"requests":      {"Open approach requests", "未対応のアプローチ依頼"},
	"worklist":      {"Worklist (Stage1-4)", "ワークリスト（Stage1〜4）"},
	"jumps":         {"Score jumps today", "本日のスコア急上昇"},
	"overdue":       {"Overdue by owner", "担当者別の期限超過"},
	"funnel":        {"Funnel", "ファネル"},
	"sla":           {"Follow-up SLA", "フォローアップSLA"},
	"owner":         {"Owner", "担当者"},
	"lead":          {"Lead", "リード"},
	"company":       {"Company", "会社名"},
	"name":          {"Name", "氏名"},
	"priority":      {"Priority", "優先度"},
	"due":           {"Due", "期限"},
	"state":         {"State", "状態"},
	"subject":       {"Subject", "件名"},
	"stage":         {"Stage", "ステージ"},
	"score":         {"Score", "スコア"},
	"ma":            {"MA system", "MAツール"},
	"activity":      {"Activity", "主な活動"},
	"next":          {"Next step", "次のステップ"},
	"late":          {"Late", "超過"},
	"late_work":     {"Late (working)", "超過（営業時間）"},
	"kind":          {"Kind", "種類"},
	"status":        {"Status", "ステータス"},
	"previous":      {"Yesterday", "前日"},
	"rise":          {"Rise", "上昇"},
	"target":        {"Target account", "ターゲット企業"},
	"date":          {"Date", "日付"},
	"campaign":      {"Campaign", "キャンペーン"},
	"all":           {"All leads", "全リード"},
	"mql":           {"MQL", "MQL"},
	"approached":    {"Approached", "アプローチ済"},
	"connected":     {"Connected", "接続"},
	"pre_sql":       {"Pre-SQL", "Pre-SQL"},
	"accepted":      {"Accepted by field", "フィールド受入"},
	"opportunity":   {"Opportunity", "商談化"},
	"team":          {"Team", "チーム"},
	"received":      {"Requests", "依頼数"},
	"attempted":     {"Attempted", "着手"},
	"first_median":  {"First attempt, median (h)", "初回アプローチ中央値（時間）"},
	"first_p90":     {"First attempt, p90 (h)", "初回アプローチ90%点（時間）"},
	"on_time":       {"On time", "期限内"},
	"reassigned":    {"Reassigned", "再割当"},
	"escalated":     {"Escalated", "エスカレーション"},
	"recycles":      {"Recycled", "リサイクル"},
	"none":          {"Nothing to show.", "表示するものはありません。"},
	"overdue_mark":  {"overdue", "期限超過"},
	"open":          {"open", "未対応"},
	"viewer":        {"Signed in as", "ログイン中"},
	"as_of":         {"As of %s", "%s 時点"}, // %s: the instant and its zone (V8)
	"count":         {"Count", "件数"},
	"hours":         {"h", "時間"},
	"yes":           {"yes", "はい"},
	"on_time_share": {"Steps on time", "期限内のステップ率"},
	"not_found":     {"Not found", "見つかりません"},
	"error":         {"The page could not be shown. Retry later.", "ページを表示できませんでした。しばらくしてから再度お試しください。"},
	"bad_input":     {"The request has a bad parameter", "リクエストのパラメータに誤りがあります"},
	"explain":       {"Why it went where it went", "判断の理由"},
	"at":            {"When", "日時"},
	"rules":         {"Rules", "ルール"},
	"decision":      {"Decision", "判断"},
	"kind_request":  {"request", "アプローチ依頼"},
	"kind_cadence":  {"cadence", "ケイデンス"},
}

// pageData is what every page's template reads.
type pageData struct {
	Lang    rules.Language
	Page    string
	Viewer  routing.Viewer
	AsOf    string
	Zone    string
	CSS     template.CSS
	Nav     []navItem
	Switch  []navItem
	Message string
	Data    any

	pathID string
	lang   string // ?lang= as asked, kept on the page's links
}

// LeadURL links lead id's page, keeping the asked language.
func (d *pageData) LeadURL(id string) string {
	u := "/dashboard/leads/" + url.PathEscape(id)
	if d.lang != "" {
		u += "?lang=" + url.QueryEscape(d.lang)
	}
	return u
}

type navItem struct {
	Label   string
	URL     string
	Current bool
}

// T returns the message key in the page's language.
func (d *pageData) T(key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if d.Lang == rules.Japanese {
		return m[1]
	}
	return m[0]
}

// AsOfLine says when the page's reports were read, in their zone (V8):
// "As of 2026-04-09 17:00 Asia/Tokyo", "2026-04-09 17:00 Asia/Tokyo 時点".
func (d *pageData) AsOfLine() string {
	return fmt.Sprintf(d.T("as_of"), d.AsOf+" "+d.Zone)
}

// Time writes t in the report's zone, as the team reads it (V8).
func (d *pageData) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02 15:04")
}

// Hours writes a duration as hours with one decimal place.
func (d *pageData) Hours(x time.Duration) string {
	return strconv.FormatFloat(x.Hours(), 'f', 1, 64) + d.T("hours")
}

// bar is one bar of an inline SVG chart: its label, its value as text,
// and its length in the chart's units.
type bar struct {
	Label string
	Value string
	Len   int
	Y     int
}

// chart is a horizontal bar chart, drawn by the page as inline SVG.
type chart struct {
	Bars   []bar
	Height int
}

// barWidth is the length of the longest bar, in SVG units.
const barWidth = 300

// newChart scales values to bars, the largest barWidth long.
func newChart(labels []string, values []float64, text func(float64) string) chart {
	top := 0.0
	for _, v := range values {
		top = max(top, v)
	}
	c := chart{Height: 22*len(values) + 4}
	for i, v := range values {
		n := 0
		if top > 0 {
			n = int(v / top * barWidth)
		}
		c.Bars = append(c.Bars, bar{Label: labels[i], Value: text(v), Len: n, Y: 22*i + 2})
	}
	return c
}

func count(v float64) string { return strconv.Itoa(int(v)) }

// pageFunc fills a page's Data for viewer v.
type pageFunc func(ctx context.Context, v routing.Viewer, p *params, d *pageData) error

// pages returns the dashboard's routes.
func (s *server) pages() map[string]pageFunc {
	return map[string]pageFunc{
		"/dashboard":            s.topPage,
		"/dashboard/jumps":      s.jumpsPage,
		"/dashboard/overdue":    s.overduePage,
		"/dashboard/funnel":     s.funnelPage,
		"/dashboard/sla":        s.slaPage,
		"/dashboard/leads/{id}": s.leadPage,
	}
}

// page serves a dashboard page for the asking viewer (M2), in the
// request's language.
func (s *server) page(f pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := PageLanguage(r, s.pol.Language)
		d := &pageData{Lang: lang, CSS: s.ui.css}
		name := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/dashboard"), "/")
		switch {
		case name == "":
			name = "top"
		case strings.HasPrefix(name, "leads/"):
			name = "lead"
		}
		d.Page = name
		v, err := s.resolve(r)
		if errors.Is(err, errNoViewer) {
			s.htmlError(w, r, d, http.StatusUnauthorized, "viewer")
			return
		}
		if err != nil {
			s.log.ErrorContext(r.Context(), "leadlinehttp: viewer", "path", r.URL.Path, "err", err)
			s.htmlError(w, r, d, problemOf(err).Status, "error")
			return
		}
		d.Viewer, d.pathID, d.lang = v, r.PathValue("id"), r.URL.Query().Get("lang")
		p, err := s.parse(r)
		if err == nil {
			d.AsOf, d.Zone = p.frame.Now.Format("2006-01-02 15:04"), p.frame.Zone.String()
			s.nav(r, d)
			err = f(r.Context(), v, p, d)
		}
		if err != nil {
			pr := problemOf(err)
			if pr.Status == http.StatusInternalServerError {
				s.log.ErrorContext(r.Context(), "leadlinehttp: page failed", "path", r.URL.Path, "err", err)
			}
			key := "error"
			if pr.Status == http.StatusBadRequest {
				key = "bad_input"
			}
			s.htmlError(w, r, d, pr.Status, key)
			return
		}
		s.render(w, r, d, http.StatusOK)
	}
}

// nav fills the page's menu and language switch, keeping the query. The
// switch links the page as it was asked for, r.URL.EscapedPath(): the
// decoded Path would turn a lead id's "?", "#", "/" or "%" into the
// link's query, fragment, another path or another byte.
func (s *server) nav(r *http.Request, d *pageData) {
	q := r.URL.Query()
	link := func(path string, set map[string]string) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = slices.Clone(vs)
		}
		for k, x := range set {
			v.Set(k, x)
		}
		if e := v.Encode(); e != "" {
			return path + "?" + e
		}
		return path
	}
	for _, p := range []struct{ path, key, name string }{
		{"/dashboard", "top", "top"}, {"/dashboard/jumps", "jumps", "jumps"}, {"/dashboard/overdue", "overdue", "overdue"},
		{"/dashboard/funnel", "funnel", "funnel"}, {"/dashboard/sla", "sla", "sla"},
	} {
		d.Nav = append(d.Nav, navItem{Label: d.T(p.key), URL: link(p.path, nil), Current: d.Page == p.name})
	}
	self := r.URL.EscapedPath()
	d.Switch = []navItem{
		{Label: "日本語", URL: link(self, map[string]string{"lang": "ja"}), Current: d.Lang == rules.Japanese},
		{Label: "English", URL: link(self, map[string]string{"lang": "en"}), Current: d.Lang == rules.English},
	}
}

// htmlError renders a page that says only what the viewer may know: a
// hidden and an unknown thing read alike (M2), and a failure hides its
// cause.
func (s *server) htmlError(w http.ResponseWriter, r *http.Request, d *pageData, status int, key string) {
	d.Message = d.T(key)
	if status == http.StatusNotFound {
		d.Message = d.T("not_found")
	}
	// The language switch links the asked path, which differs between
	// a hidden and an unknown id; an error page has none, so the two
	// read alike byte for byte.
	d.Data, d.Switch = nil, nil
	s.render(w, r, d, status)
}

// render writes the page's template, or a plain 500 if it fails. A 503
// says when to retry, as the JSON routes' problems do.
func (s *server) render(w http.ResponseWriter, r *http.Request, d *pageData, status int) {
	var b bytes.Buffer
	// Every page's set has the layout; an error page shows only its
	// message, so any set renders it.
	if err := s.ui.pages[d.Page].ExecuteTemplate(&b, "layout.html", d); err != nil {
		s.log.ErrorContext(r.Context(), "leadlinehttp: render", "page", d.Page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(d.Lang))
	h.Set("Vary", "Accept-Language, Cookie")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")
	if status == http.StatusServiceUnavailable {
		h.Set("Retry-After", strconv.Itoa(retryAfter))
	}
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// owners is whose work a page shows: an inside or field rep's own (the
// top screen is theirs, A9), a manager's or ops' every owner unless
// ?owner= names some.
func owners(v routing.Viewer, p *params) []string {
	if len(p.owners) > 0 {
		return p.owners
	}
	if v.Role == routing.RoleInside || v.Role == routing.RoleField {
		return []string{v.Rep}
	}
	return nil
}

// topData is the top screen: open requests (A9) and the worklist (V1).
type topData struct {
	Requests []report.RequestRow
	Worklist []report.WorklistRow
	Overdue  int
}

func (s *server) topPage(ctx context.Context, v routing.Viewer, p *params, d *pageData) error {
	own := owners(v, p)
	reqs, err := report.Requests(ctx, s.opt.Reader, v, report.RequestsParams{Frame: p.frame, Owners: own})
	if err != nil {
		return err
	}
	wl, err := report.Worklist(ctx, s.opt.Reader, v, report.WorklistParams{Frame: p.frame, Owners: own})
	if err != nil {
		return err
	}
	t := &topData{Requests: reqs, Worklist: wl}
	for _, w := range wl {
		if w.Overdue {
			t.Overdue++
		}
	}
	d.Data = t
	return nil
}

func (s *server) jumpsPage(ctx context.Context, v routing.Viewer, p *params, d *pageData) error {
	sp, err := p.scoreJumps() // the JSON route's parameters: days, last, jump (V2)
	if err != nil {
		return err
	}
	rows, err := report.ScoreJumps(ctx, s.opt.Reader, v, sp)
	if err != nil {
		return err
	}
	labels, values := make([]string, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		labels[i] = cmp.Or(r.Company, r.Lead)
		values[i] = r.Rise.InexactFloat64()
	}
	d.Data = struct {
		Rows  []report.ScoreJumpRow
		Chart chart
	}{rows, newChart(labels, values, func(f float64) string { return "+" + strconv.FormatFloat(f, 'f', -1, 64) })}
	return nil
}

// ownerLate is one owner's overdue work (V6).
type ownerLate struct {
	Owner string
	Rows  []report.OverdueRow
}

func (s *server) overduePage(ctx context.Context, v routing.Viewer, p *params, d *pageData) error {
	rows, err := report.Overdue(ctx, s.opt.Reader, v, report.OverdueParams{Frame: p.frame, Owners: owners(v, p)})
	if err != nil {
		return err
	}
	var by []ownerLate
	for _, r := range rows {
		if len(by) == 0 || by[len(by)-1].Owner != r.Owner {
			by = append(by, ownerLate{Owner: r.Owner})
		}
		by[len(by)-1].Rows = append(by[len(by)-1].Rows, r)
	}
	labels, values := make([]string, len(by)), make([]float64, len(by))
	for i, o := range by {
		labels[i], values[i] = cmp.Or(o.Owner, "—"), float64(len(o.Rows))
	}
	d.Data = struct {
		Owners []ownerLate
		Chart  chart
	}{by, newChart(labels, values, count)}
	return nil
}

func (s *server) funnelPage(ctx context.Context, v routing.Viewer, p *params, d *pageData) error {
	fp, err := p.funnel() // the JSON route's period, from and to (V7)
	if err != nil {
		return err
	}
	rows, err := report.Funnel(ctx, s.opt.Reader, v, fp)
	if err != nil {
		return err
	}
	var c chart
	if len(rows) > 0 {
		r := rows[0]
		c = newChart([]string{d.T("mql"), d.T("approached"), d.T("connected"), d.T("pre_sql"), d.T("accepted"), d.T("opportunity")},
			[]float64{float64(r.MQL), float64(r.Approached), float64(r.Connected), float64(r.PreSQL), float64(r.Accepted), float64(r.Opportunity)}, count)
	}
	d.Data = struct {
		Rows  []report.FunnelRow
		Chart chart
	}{rows, c}
	return nil
}

// slaRow is one SLA row with its share of steps on time, as a percent.
type slaRow struct {
	report.SLARow
	OnTimePct string
}

func (s *server) slaPage(ctx context.Context, v routing.Viewer, p *params, d *pageData) error {
	sp, err := s.sla(p) // the JSON route's period, from and to (V9)
	if err != nil {
		return err
	}
	rows, err := report.SLA(ctx, s.opt.Reader, v, sp)
	if err != nil {
		return err
	}
	out := make([]slaRow, len(rows))
	var labels []string
	var values []float64
	for i, r := range rows {
		out[i] = slaRow{SLARow: r, OnTimePct: "—"}
		if r.Steps > 0 {
			pct := float64(r.OnTime) * 100 / float64(r.Steps)
			out[i].OnTimePct = fmt.Sprintf("%.0f%%", pct)
			if r.Owner != "" {
				labels, values = append(labels, r.Owner), append(values, pct)
			}
		}
	}
	d.Data = struct {
		Rows  []slaRow
		Chart chart
	}{out, newChart(labels, values, func(f float64) string { return fmt.Sprintf("%.0f%%", f) })}
	return nil
}

// Status words a lead's status in the page's language, as the rule book
// does (E10): "New", 「新規」.
func (d *pageData) Status(s lead.Status) string {
	return rules.ValueText(lead.FieldStatus, s.Key(), d.Lang)
}

// Channels words a playbook step's channels in the page's language
// (T12, E10).
func (d *pageData) Channels(c stage.Channels) string { return rules.ChannelsText(c, d.Lang) }

// Activities words a lead's main activities in the page's language (V1,
// E10).
func (d *pageData) Activities(a lead.Activity) string { return rules.ActivityText(a, d.Lang) }

// Stage words a cadence stage in the page's language, as the rule book
// does (E10): "Untouched", 「未着手」.
func (d *pageData) Stage(s stage.Stage) string {
	return rules.ValueText(lead.FieldStage, s.Key(), d.Lang)
}

// Kind words what an overdue row was due for (V6): a request (A4) or a
// cadence step.
func (d *pageData) Kind(k lead.DeadlineKind) string {
	return d.T("kind_" + k.String())
}

// Subject words an approach request's subject in the page's language:
// the rule book's own trigger subjects as the rules word them (E10), a
// policy's own as sales ops wrote them. A request a further trigger was
// added to joins their subjects with "; " (A6); each is worded alone.
func (d *pageData) Subject(s string) string { return rules.SubjectText(s, d.Lang) }

// stateName words an approach request's state (A4).
func (d *pageData) State(s lead.RequestState) string {
	if s == lead.RequestOverdue {
		return d.T("overdue_mark")
	}
	return d.T("open")
}

// leadData is a lead's page: the lead and the decisions the rules made
// about it, each with its rule ids ([leadline.Engine.Explain]).
type leadData struct {
	Lead      lead.Lead
	Decisions []leadline.Decision
	Zone      *time.Location
}

// leadPage shows a lead and why it went where it went, to a viewer who
// may see it; to anyone else the same 404 page as for an unknown id
// (M2).
func (s *server) leadPage(ctx context.Context, v routing.Viewer, p *params, d *pageData) error {
	id := d.pathID
	l, err := s.eng.Lead(ctx, v, id)
	if err != nil {
		return err
	}
	ds, err := s.eng.Explain(ctx, v, id)
	if err != nil {
		return err
	}
	for i := range ds {
		ds[i].At = ds[i].At.In(p.frame.Zone)
		ds[i].Text = ds[i].TextIn(d.Lang, p.frame.Zone) // the reader's language (E10)
	}
	d.Data = &leadData{Lead: l, Decisions: ds, Zone: p.frame.Zone}
	return nil
}
