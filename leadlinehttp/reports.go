package leadlinehttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
)

// params are a report request's query parameters, parsed (V8).
type params struct {
	frame  report.Frame
	csv    bool
	bom    bool
	owners []string
	q      url.Values
}

// weekdays are the names week_start takes, Sunday first as time.Weekday.
var weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseWeekday reads a week_start value (V8): a day's English name or
// its first three letters in any case ("mon", "Monday"), or its number,
// 0 for Sunday to 6 for Saturday. A bad value is a *FieldError for
// "week_start".
func ParseWeekday(s string) (time.Weekday, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	if n, err := strconv.Atoi(l); err == nil && n >= 0 && n <= 6 {
		return time.Weekday(n), nil
	}
	for i, d := range weekdays {
		if len(l) >= 3 && strings.HasPrefix(strings.ToLower(time.Weekday(i).String()), l) && l[:3] == d {
			return time.Weekday(i), nil
		}
	}
	return 0, leaderr.Errorf("week_start", "want a day such as mon or sun, or 0 (Sunday) to 6, got %s", leaderr.Quote(s))
}

// parse reads the parameters every report shares: tz, week_start,
// format, bom and owner (V8).
func (s *server) parse(r *http.Request) (*params, error) {
	q := r.URL.Query()
	p := &params{bom: true, q: q, owners: q["owner"]}
	zone := s.zone
	if tz := q.Get("tz"); tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil || tz == "Local" {
			return nil, leaderr.Errorf("tz", "unknown time zone %s; name one such as Asia/Tokyo", leaderr.Quote(tz))
		}
		zone = loc
	}
	week := s.opt.WeekStart
	if ws := q.Get("week_start"); ws != "" {
		d, err := ParseWeekday(ws)
		if err != nil {
			return nil, err
		}
		week = &d
	}
	switch f := q.Get("format"); f {
	case "", "json":
	case "csv":
		p.csv = true
	default:
		return nil, leaderr.Errorf("format", "want json or csv, got %s", leaderr.Quote(f))
	}
	switch b := q.Get("bom"); b {
	case "", "1", "true":
	case "0", "false":
		p.bom = false
	default:
		return nil, leaderr.Errorf("bom", "want 1 or 0, got %s", leaderr.Quote(b))
	}
	p.frame = report.Frame{Now: s.clk.Now().In(zone), Zone: zone, WeekStart: week,
		Routing: &s.pol.Routing, Cadence: &s.pol.Cadence}
	return p, nil
}

// period reads from and to, days in the frame's zone, to inclusive; a
// zero Period when neither is given (the report's own default).
func (p *params) period() (report.Period, error) {
	from, to := p.q.Get("from"), p.q.Get("to")
	if from == "" && to == "" {
		return report.Period{}, nil
	}
	if from == "" {
		return report.Period{}, leaderr.Errorf("from", "required with to: give both from and to")
	}
	if to == "" {
		return report.Period{}, leaderr.Errorf("to", "required with from: give both from and to")
	}
	f, err := time.ParseInLocation(time.DateOnly, from, p.frame.Zone)
	if err != nil {
		return report.Period{}, leaderr.Errorf("from", "want a date such as 2026-04-01, got %s", leaderr.Quote(from))
	}
	t, err := time.ParseInLocation(time.DateOnly, to, p.frame.Zone)
	if err != nil {
		return report.Period{}, leaderr.Errorf("to", "want a date such as 2026-04-30, got %s", leaderr.Quote(to))
	}
	if t.Before(f) {
		return report.Period{}, leaderr.Errorf("to", "%s is before from %s", to, from)
	}
	return report.Period{From: f, To: t.AddDate(0, 0, 1)}, nil
}

// positive reads an integer parameter of at least 1 and at most max, or
// def when absent.
func (p *params) positive(name string, def, max int) (int, error) {
	s := p.q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, leaderr.Errorf(name, "want a whole number from 1 to %d, got %s", max, leaderr.Quote(s))
	}
	return n, nil
}

// reportFunc computes a report's rows, a slice of one of package
// report's row types (or of this package's), for viewer v.
type reportFunc func(ctx context.Context, v routing.Viewer, p *params) (any, error)

// reports returns the report routes: V1, A9, V2-V7, V9 and M6.
func (s *server) reports() map[string]reportFunc {
	rd := s.opt.Reader
	return map[string]reportFunc{
		"/worklist": func(ctx context.Context, v routing.Viewer, p *params) (any, error) {
			return report.Worklist(ctx, rd, v, report.WorklistParams{Frame: p.frame, Owners: p.owners})
		},
		"/requests": func(ctx context.Context, v routing.Viewer, p *params) (any, error) {
			return report.Requests(ctx, rd, v, report.RequestsParams{Frame: p.frame, Owners: p.owners})
		},
		"/reports/score-jumps": s.scoreJumps,
		"/reports/created": func(ctx context.Context, v routing.Viewer, p *params) (any, error) {
			per, err := p.period()
			if err != nil {
				return nil, err
			}
			cp := report.CreatedParams{Frame: p.frame, Period: per}
			switch pr := p.q.Get("period"); pr {
			case "", "day":
				return report.CreatedToday(ctx, rd, v, cp)
			case "week":
				return report.CreatedThisWeek(ctx, rd, v, cp)
			case "month":
				return report.CreatedThisMonth(ctx, rd, v, cp)
			default:
				return nil, leaderr.Errorf("period", "want day, week or month, got %s", leaderr.Quote(pr))
			}
		},
		"/reports/overdue": func(ctx context.Context, v routing.Viewer, p *params) (any, error) {
			return report.Overdue(ctx, rd, v, report.OverdueParams{Frame: p.frame, Owners: p.owners})
		},
		"/reports/funnel": func(ctx context.Context, v routing.Viewer, p *params) (any, error) {
			fp, err := p.funnel()
			if err != nil {
				return nil, err
			}
			return report.Funnel(ctx, rd, v, fp)
		},
		"/reports/sla": func(ctx context.Context, v routing.Viewer, p *params) (any, error) {
			sp, err := s.sla(p)
			if err != nil {
				return nil, err
			}
			return report.SLA(ctx, rd, v, sp)
		},
		"/reports/credits": s.credits,
	}
}

// funnel reads V7's parameters: the period, from and to. The JSON route
// and the dashboard's page both read them here, so that a page shows the
// rows its route gives and refuses what it refuses.
func (p *params) funnel() (report.FunnelParams, error) {
	per, err := p.period()
	if err != nil {
		return report.FunnelParams{}, err
	}
	return report.FunnelParams{Frame: p.frame, Period: per}, nil
}

// sla reads V9's parameters: the period, from and to, over the host's
// teams. The JSON route and the dashboard's page both read them here.
func (s *server) sla(p *params) (report.SLAParams, error) {
	per, err := p.period()
	if err != nil {
		return report.SLAParams{}, err
	}
	return report.SLAParams{Frame: p.frame, Period: per, Teams: s.opt.Teams}, nil
}

// scoreJumps reads V2's parameters: days (1 to 31, default 1)
// ending with last (a date, default today), rises of at least jump
// (default 10). The JSON route and the dashboard's page both read them
// here.
func (p *params) scoreJumps() (report.ScoreJumpsParams, error) {
	days, err := p.positive("days", 1, 31)
	if err != nil {
		return report.ScoreJumpsParams{}, err
	}
	sp := report.ScoreJumpsParams{Frame: p.frame, Days: days}
	if j := p.q.Get("jump"); j != "" {
		d, err := lead.ParseScore(j) // one rule for a score's text (E6)
		if err != nil || !d.IsPositive() {
			return report.ScoreJumpsParams{}, leaderr.Errorf("jump", "want a positive score rise such as 10, got %s", leaderr.Quote(j))
		}
		sp.Jump = d
	}
	if l := p.q.Get("last"); l != "" {
		t, err := time.ParseInLocation(time.DateOnly, l, p.frame.Zone)
		if err != nil {
			return report.ScoreJumpsParams{}, leaderr.Errorf("last", "want a date such as 2026-04-17, got %s", leaderr.Quote(l))
		}
		sp.Last = t.Add(12 * time.Hour)
	}
	return sp, nil
}

// scoreJumps is V2, with the parameters of [params.scoreJumps].
func (s *server) scoreJumps(ctx context.Context, v routing.Viewer, p *params) (any, error) {
	sp, err := p.scoreJumps()
	if err != nil {
		return nil, err
	}
	return report.ScoreJumps(ctx, s.opt.Reader, v, sp)
}

// CreditRow is one rep's credit for a campaign (M6), or, with Rep
// "(inside)", inside sales' registrations and attendance against the
// campaign's targets.
type CreditRow struct {
	Campaign            string `json:"campaign"`
	Rep                 string `json:"rep"`
	Registrations       int    `json:"registrations"`
	Attendance          int    `json:"attendance"`
	PreSQLs             int    `json:"pre_sqls"`
	Opportunities       int    `json:"opportunities"`
	RegistrationsTarget int    `json:"registrations_target"`
	AttendanceTarget    int    `json:"attendance_target"`
}

// credits is M6: each rep's credit for ?campaign=, then inside sales'
// progress against its targets.
func (s *server) credits(ctx context.Context, v routing.Viewer, p *params) (any, error) {
	c := p.q.Get("campaign")
	if c == "" {
		return nil, leaderr.Errorf("campaign", "required: the campaign to credit")
	}
	cs, prog, err := s.eng.Credits(ctx, v, c)
	if errors.Is(err, leadline.ErrNotFound) {
		return nil, leaderr.Errorf("campaign", "no campaign %s", leaderr.Quote(c))
	}
	if err != nil {
		return nil, err
	}
	rows := make([]CreditRow, 0, len(cs)+1)
	for _, cr := range cs {
		rows = append(rows, CreditRow{Campaign: c, Rep: cr.Rep, Registrations: cr.Registrations, Attendance: cr.Attendance,
			PreSQLs: cr.PreSQLs, Opportunities: cr.Opportunities})
	}
	rows = append(rows, CreditRow{Campaign: c, Rep: "(inside)", Registrations: prog.Registrations, Attendance: prog.Attendance,
		RegistrationsTarget: prog.Targets.Registrations, AttendanceTarget: prog.Targets.Attendance})
	return rows, nil
}

// report serves one report as JSON or CSV (V8), for the asking viewer
// (M2, V10).
func (s *server) report(f reportFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, ok := s.viewer(w, r)
		if !ok {
			return
		}
		p, err := s.parse(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rows, err := f(r.Context(), v, p)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var b bytes.Buffer
		o := report.WriteOptions{Zone: p.frame.Zone, BOM: p.csv && p.bom}
		h := w.Header()
		if p.csv {
			err = report.WriteCSV(&b, rows, o)
			h.Set("Content-Type", "text/csv; charset=utf-8")
			name := strings.ReplaceAll(strings.TrimPrefix(r.URL.Path, "/"), "/", "-")
			name = strings.TrimPrefix(name, "reports-")
			h.Set("Content-Disposition", attachment(name+"-"+p.frame.Now.Format(time.DateOnly)+".csv"))
		} else {
			err = report.WriteJSON(&b, rows, o)
			h.Set("Content-Type", "application/json")
		}
		if err != nil {
			h.Del("Content-Disposition")
			s.fail(w, r, err)
			return
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		w.Write(b.Bytes())
	}
}

// getFeedback handles GET /feedback?campaign=: the field feedback sheet
// as CSV (M5), with a byte-order mark for Excel unless bom=0.
func (s *server) getFeedback(w http.ResponseWriter, r *http.Request) {
	v, ok := s.viewer(w, r)
	if !ok {
		return
	}
	p, err := s.parse(r)
	if err == nil && r.URL.Query().Get("format") == "json" {
		err = leaderr.Errorf("format", "the feedback sheet is CSV only (M5): leave format out or send format=csv")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if p.bom {
		b.WriteString("\uFEFF")
	}
	campaign := r.URL.Query().Get("campaign")
	if err := s.writeFeedback(r.Context(), v, &b, campaign, p); err != nil {
		s.fail(w, r, err)
		return
	}
	name := "feedback"
	if campaign != "" {
		name += "-" + campaign
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", attachment(name+"-"+p.frame.Now.Format(time.DateOnly)+".csv"))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(b.Bytes())
}

// writeFeedback writes v's feedback sheet for campaign to w, as
// [leadline.Engine.ExportFeedback] does (its rows from Engine.FeedbackRows), with each row's responded_at in
// the asked zone when the request names one (tz, V8: "RFC 3339 in the
// zone"); without tz each instant keeps its own zone, as before.
func (s *server) writeFeedback(ctx context.Context, v routing.Viewer, w io.Writer, campaign string, p *params) error {
	rows, err := s.eng.FeedbackRows(ctx, v, campaign)
	if err != nil {
		return err
	}
	if p.q.Get("tz") != "" {
		for i := range rows {
			if !rows[i].Responded.IsZero() {
				rows[i].Responded = rows[i].Responded.In(p.frame.Zone)
			}
		}
	}
	if err := routing.WriteFeedbackCSV(w, rows); err != nil {
		return fmt.Errorf("leadlinehttp: export feedback: %w", err)
	}
	return nil
}

// attachment is the Content-Disposition of a download named name: its
// ASCII letters, digits, '-', '_' and '.' as the plain file name, and the
// whole name, Japanese campaign ids included, as the UTF-8 one that
// browsers and Excel's users see (RFC 6266, RFC 8187).
func attachment(name string) string {
	v := fmt.Sprintf(`attachment; filename="%s"`, safeName(name))
	if safeName(name) != name {
		v += "; filename*=UTF-8''" + extValue(strings.NewReplacer("/", "-", "\\", "-").Replace(name))
	}
	return v
}

// extValue percent-encodes s for an RFC 8187 ext-value: every byte but
// an attr-char (ALPHA, DIGIT and !#$&+-.^_`|~) becomes %XX, in upper-case
// hex. url.PathEscape is not that: it leaves ':', '=', '@' and others as
// they are.
func extValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// safeName keeps the letters, digits, '-', '_' and '.' of s, for a file
// name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return -1
	}, s)
}

// FeedbackResponse is the body of a successful POST /feedback: how many
// rows were applied (0 for a re-run of an import that succeeded, E2).
type FeedbackResponse struct {
	Import  string `json:"import"`
	Applied int    `json:"applied"`
}

// postFeedback handles POST /feedback?import=ID: an edited feedback
// sheet, imported all rows or none (M5); a bad sheet answers 400 naming
// every bad line and column. The import id (or an Idempotency-Key
// header) makes a retried upload change nothing (E2). It is an id
// ([lead.CheckID]), checked before the sheet is read, and each row is
// recorded as the event id ID+"/"+lead_id, itself an id of at most
// [lead.MaxIDBytes]: an import id too long for a row's lead id answers
// 400 naming "import" too, with the length that would fit (E6).
func (s *server) postFeedback(w http.ResponseWriter, r *http.Request) {
	v, ok := s.viewer(w, r)
	if !ok {
		return
	}
	id := r.URL.Query().Get("import")
	if id == "" {
		id = r.Header.Get("Idempotency-Key")
	}
	if id == "" {
		s.fail(w, r, leaderr.Errorf("import", "required: an id for this upload (?import= or an Idempotency-Key header), so that a retry changes nothing (E2)"))
		return
	}
	if err := lead.CheckID("import", id); err != nil {
		s.fail(w, r, err)
		return
	}
	// Read the sheet whole first, so that one over the limit answers 413
	// rather than a malformed row where the reader stopped.
	sheet, err := io.ReadAll(r.Body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := checkImportRows(id, sheet); err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.eng.ImportFeedback(r.Context(), v, bytes.NewReader(sheet), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, FeedbackResponse{Import: id, Applied: n})
}

// checkImportRows refuses an import id that leaves a row of sheet no
// room: each row is recorded as the event id importID+"/"+lead_id, an id
// of at most [lead.MaxIDBytes] (E6), and a shorter import id is the fix,
// not the row. A sheet that does not read is left to the import, which
// names its bad lines and columns (M5).
func checkImportRows(importID string, sheet []byte) error {
	rows, err := routing.ReadFeedbackCSV(bytes.NewReader(sheet))
	if err != nil {
		return nil
	}
	longest := -1
	for i := range rows {
		if longest < 0 || len(rows[i].Lead) > len(rows[longest].Lead) {
			longest = i
		}
	}
	if longest < 0 {
		return nil
	}
	row := rows[longest]
	room := lead.MaxIDBytes - 1 - len(row.Lead) // the longest import id this sheet allows
	if room < 1 {
		// No import id fits: the fix is not the import's.
		return &routing.ImportError{Errs: []*leaderr.FieldError{{Field: routing.ColLead, Line: row.Line,
			Err: fmt.Errorf("%d bytes: too long for a sheet, whose row is recorded as the event id import/lead_id of at most %d bytes; post this lead's feedback as an event", len(row.Lead), lead.MaxIDBytes)}}}
	}
	if n := len(importID) + 1 + len(row.Lead); n > lead.MaxIDBytes {
		return leaderr.Errorf("import", "%d bytes, too long for line %d: its row is recorded as the event id import/lead_id, %d bytes with lead %s, and an id holds at most %d; use an import id of at most %d bytes for this sheet",
			len(importID), row.Line, n, leaderr.Quote(row.Lead), lead.MaxIDBytes, room)
	}
	return nil
}
