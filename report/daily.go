package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// WorklistParams are the parameters of [Worklist] (V1).
type WorklistParams struct {
	Frame
	// Owners limits the worklist to these reps; empty lists every owner's.
	Owners []string
}

// WorklistRow is one lead of an owner's worklist (V1).
type WorklistRow struct {
	Owner    string          `json:"owner"`
	Lead     string          `json:"lead"`
	Stage    stage.Stage     `json:"stage"`
	Company  string          `json:"company"`
	Name     string          `json:"name"`
	Score    decimal.Decimal `json:"score"`
	MASystem string          `json:"ma_system"`
	Activity string          `json:"activity"`
	// Activities are the counts Activity sums up in English, for a host
	// that words them in the team's language
	// ([github.com/leadline/leadline/rules.ActivityText], E10).
	Activities lead.Activity `json:"-"`
	// Due is the deadline of the next step; Overdue says it passed, and
	// Late by how much, in wall-clock time (T8, T9).
	Due     time.Time     `json:"due"`
	Overdue bool          `json:"overdue"`
	Late    time.Duration `json:"late_hours"`
	// Next is the next stage's playbook (T12): its template and channels;
	// "" after Stage4.
	Next         string         `json:"next_template"`
	NextChannels stage.Channels `json:"next_channels"`
}

// Worklist implements rule V1: the leads in Stage1 to Stage4 with a
// running cadence, per owner, with what the next step needs (T12); within
// an owner, overdue first, then by deadline. The viewer sees only the
// leads routing's Access gives them in full (M2, V10).
func Worklist(ctx context.Context, r Reader, v routing.Viewer, p WorklistParams) ([]WorklistRow, error) {
	if err := p.check(v); err != nil {
		return nil, err
	}
	ls, err := open(ctx, r, p.Owners)
	if err != nil {
		return nil, fmt.Errorf("report: worklist: %w", err)
	}
	pol := p.cadence()
	var rows []WorklistRow
	for i := range ls {
		l := &ls[i]
		if !l.Track.Active() || !l.Track.Stage.Attempted() || !p.sees(v, l) {
			continue
		}
		row := WorklistRow{Owner: l.Owner, Lead: l.ID, Stage: l.Track.Stage, Company: l.Company, Name: l.Name,
			Score: l.Score, MASystem: l.MASystem, Activity: l.Activity.Summary(), Activities: l.Activity}
		if !l.Track.Due.IsZero() {
			row.Due = p.in(l.Track.Due.Time())
			row.Overdue = l.Track.Overdue || row.Due.Before(p.Now)
			if row.Overdue {
				row.Late = p.Now.Sub(row.Due)
			}
		}
		if l.Track.Stage < stage.Stage4 {
			step := pol.Playbook(l.Track.Stage + 1)
			row.Next, row.NextChannels = step.Template, step.Channels
		}
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, func(a, b WorklistRow) int {
		return cmp.Or(strings.Compare(a.Owner, b.Owner), -cmpBool(a.Overdue, b.Overdue), a.Due.Compare(b.Due), strings.Compare(a.Lead, b.Lead))
	})
	return rows, nil
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// RequestsParams are the parameters of [Requests] (A9).
type RequestsParams struct {
	Frame
	// Owners limits the list to these reps; empty lists every owner's.
	Owners []string
}

// RequestRow is one open approach request on an owner's top screen (A9).
type RequestRow struct {
	Owner    string    `json:"owner"`
	Priority int       `json:"priority"`
	Due      time.Time `json:"due"`
	// State is "open" or "overdue": overdue once the due date passed
	// with no approach, even before a sweep marked it (A4).
	State   lead.RequestState `json:"state"`
	Lead    string            `json:"lead"`
	Company string            `json:"company"`
	Name    string            `json:"name"`
	Reasons lead.RuleIDs      `json:"reasons"`
	Subject string            `json:"subject"`
}

// Requests implements rule A9: each owner's outstanding approach
// requests with due date, state, subject and priority, ordered by owner,
// priority, due date and lead (A4, A6). The viewer sees only the leads
// routing's Access gives them in full (M2, V10).
func Requests(ctx context.Context, r Reader, v routing.Viewer, p RequestsParams) ([]RequestRow, error) {
	if err := p.check(v); err != nil {
		return nil, err
	}
	ls, err := open(ctx, r, p.Owners)
	if err != nil {
		return nil, fmt.Errorf("report: requests: %w", err)
	}
	var rows []RequestRow
	for i := range ls {
		l := &ls[i]
		q := &l.Request
		if !q.Outstanding() || !p.sees(v, l) {
			continue
		}
		state := q.State
		if q.Due.Before(p.Now) {
			state = lead.RequestOverdue
		}
		rows = append(rows, RequestRow{Owner: l.Owner, Priority: q.Priority, Due: p.in(q.Due), State: state,
			Lead: l.ID, Company: l.Company, Name: l.Name, Reasons: q.Reasons, Subject: q.Subject})
	}
	slices.SortStableFunc(rows, func(a, b RequestRow) int {
		return cmp.Or(strings.Compare(a.Owner, b.Owner), cmp.Compare(a.Priority, b.Priority), a.Due.Compare(b.Due), strings.Compare(a.Lead, b.Lead))
	})
	return rows, nil
}

// ScoreJumpsParams are the parameters of [ScoreJumps] (V2).
type ScoreJumpsParams struct {
	Frame
	// Last is an instant of the last day reported, in the frame's zone.
	// Defaults to today.
	Last time.Time
	// Days is how many days are reported, ending with Last's. Defaults
	// to 1.
	Days int
	// Jump is the least rise reported (V2, A8). Defaults to 10.
	Jump decimal.Decimal
}

// JumpDefault is the score rise V2 lists by default.
var JumpDefault = decimal.NewFromInt(10)

// ScoreJumpRow is one lead whose end-of-day score rose by the jump or
// more against the day before (V2).
type ScoreJumpRow struct {
	Date     string          `json:"date"`
	Status   lead.Status     `json:"status"`
	Lead     string          `json:"lead"`
	Company  string          `json:"company"`
	Name     string          `json:"name"`
	Target   bool            `json:"target"`
	Previous decimal.Decimal `json:"previous"`
	Score    decimal.Decimal `json:"score"`
	Rise     decimal.Decimal `json:"rise"`
	Owner    string          `json:"owner"`
}

// ScoreJumps implements rule V2: for each day, the leads whose score at
// the end of the day (in the frame's zone) is at least Jump above their
// score at the end of the day before, by date and by lead status (its
// status now), the largest rise first; target accounts are flagged (A8).
// Only a lead whose score changed on the day can have jumped, so it reads
// the day's score entries (E8); a lead created on the day had no score
// the day before and is not listed (it is in V3).
func ScoreJumps(ctx context.Context, r Reader, v routing.Viewer, p ScoreJumpsParams) ([]ScoreJumpRow, error) {
	if err := p.check(v); err != nil {
		return nil, err
	}
	jump := p.Jump
	if jump.IsZero() {
		jump = JumpDefault
	}
	last := p.Last
	if last.IsZero() {
		last = p.Now
	}
	var rows []ScoreJumpRow
	for d := max(p.Days, 1) - 1; d >= 0; d-- {
		l := last.In(p.zone())
		day := p.Day(time.Date(l.Year(), l.Month(), l.Day()-d, 12, 0, 0, 0, p.zone()))
		rs, err := scoreJumps(ctx, r, v, &p.Frame, day, jump)
		if err != nil {
			return nil, err
		}
		rows = append(rows, rs...)
	}
	return rows, nil
}

func scoreJumps(ctx context.Context, r Reader, v routing.Viewer, f *Frame, day Period, jump decimal.Decimal) ([]ScoreJumpRow, error) {
	// A lead's first entry of the day holds its score at the end of the
	// day before, its last its score at the end of the day (E8). Only the
	// leads that rose by the jump are read.
	type span struct {
		from, to string
		prev     decimal.Decimal
		rise     decimal.Decimal
		end      decimal.Decimal
	}
	spans := make(map[string]*span)
	var ids []string
	for c, err := range r.Changes(ctx, ChangeQuery{Period: day, Fields: []lead.Field{lead.FieldScore}}) {
		if err != nil {
			return nil, fmt.Errorf("report: score jumps: %w", err)
		}
		if s := spans[c.Lead]; s != nil {
			s.to = c.To
			continue
		}
		spans[c.Lead] = &span{from: c.From, to: c.To}
		ids = append(ids, c.Lead)
	}
	jumped := ids[:0]
	for _, id := range ids {
		s := spans[id]
		prev, err1 := lead.ParseScore(s.from)
		end, err2 := lead.ParseScore(s.to)
		if err1 != nil || err2 != nil {
			continue
		}
		if rise := end.Sub(prev); rise.GreaterThanOrEqual(jump) {
			s.prev, s.end, s.rise = prev, end, rise
			jumped = append(jumped, id)
		}
	}
	ls, err := r.LeadsByID(ctx, jumped)
	if err != nil {
		return nil, fmt.Errorf("report: score jumps: %w", err)
	}
	rows := make([]ScoreJumpRow, 0, len(ls))
	for i := range ls {
		l := &ls[i]
		s := spans[l.ID]
		if !l.Created.Before(day.From) || !f.sees(v, l) {
			continue
		}
		rows = append(rows, ScoreJumpRow{Date: day.From.Format(time.DateOnly), Status: l.Status, Lead: l.ID,
			Company: l.Company, Name: l.Name, Target: l.Target, Previous: s.prev, Score: s.end, Rise: s.rise, Owner: l.Owner})
	}
	slices.SortFunc(rows, func(a, b ScoreJumpRow) int {
		return cmp.Or(cmp.Compare(a.Status, b.Status), -a.Rise.Cmp(b.Rise), strings.Compare(a.Lead, b.Lead))
	})
	return rows, nil
}

// CreatedParams are the parameters of [CreatedToday], [CreatedThisWeek]
// and [CreatedThisMonth] (V3, V4, V5).
type CreatedParams struct {
	Frame
	// Period overrides the report's own: today (V3), this week (V4), this
	// month (V5).
	Period Period
	// Bands are the lower bounds of [CreatedThisWeek]'s score bands after
	// the first, ascending (V4). Defaults to 50 and the MQL threshold of
	// Frame.Routing (100 without one): below 50, 50 to 99, 100 or more,
	// the top band the MQLs whatever the threshold (A7).
	Bands []decimal.Decimal
}

// CreatedRow is one lead created in the report's period, in its group: a
// lead source (V3), a score band (V4) or a status (V5).
type CreatedRow struct {
	Group   string          `json:"group"`
	Lead    string          `json:"lead"`
	Created time.Time       `json:"created"`
	Company string          `json:"company"`
	Name    string          `json:"name"`
	Source  string          `json:"source"`
	Status  lead.Status     `json:"status"`
	Score   decimal.Decimal `json:"score"`
	Owner   string          `json:"owner"`
}

// CreatedToday implements rule V3: the leads created today in the
// frame's zone, by lead source (sources in order, "" last as "(none)"),
// then by creation instant. A source typed as "(none)" is a source like
// any other, sorted with them, not the leads with none.
func CreatedToday(ctx context.Context, r Reader, v routing.Viewer, p CreatedParams) ([]CreatedRow, error) {
	return created(ctx, r, v, &p, or(p.Period, p.Today()), func(l *lead.Lead) (string, int) {
		if l.Source == "" {
			return "(none)", 1 // the one group of order 1: last
		}
		return l.Source, 0
	}, nil)
}

// BandsDefault are V4's band bounds under the rule book's threshold:
// below 50, 50 to 99, 100 or more.
var BandsDefault = []decimal.Decimal{decimal.NewFromInt(50), decimal.NewFromInt(100)}

// defaultBands are V4's band bounds under rules: below 50, 50 up to the
// MQL threshold, and the threshold or more, so that the top band holds
// the MQLs (A7: one threshold; 100 by default). A threshold at or below
// 50 leaves two bands: below it, and it or more.
func defaultBands(r *routing.Rules) []decimal.Decimal {
	if r == nil {
		return BandsDefault
	}
	t := r.Threshold().Decimal()
	if t.LessThanOrEqual(BandsDefault[0]) {
		return []decimal.Decimal{t}
	}
	return []decimal.Decimal{BandsDefault[0], t}
}

// CreatedThisWeek implements rule V4: the leads created this week
// (Frame.WeekStart, the frame's zone), by score band, lowest band first,
// and by score within a band, highest first.
func CreatedThisWeek(ctx context.Context, r Reader, v routing.Viewer, p CreatedParams) ([]CreatedRow, error) {
	bands := p.Bands
	if len(bands) == 0 {
		bands = defaultBands(p.Routing)
	}
	return created(ctx, r, v, &p, or(p.Period, p.ThisWeek()), func(l *lead.Lead) (string, int) {
		i, _ := slices.BinarySearchFunc(bands, l.Score, func(b, s decimal.Decimal) int {
			if b.LessThanOrEqual(s) {
				return -1
			}
			return 1
		})
		return bandLabel(bands, i), i
	}, func(a, b *CreatedRow) int { return -a.Score.Cmp(b.Score) })
}

// bandLabel names band i of bounds: "<50", "50-99", ">=100"; a band with
// a bound that is not whole reads "50-<99.5".
func bandLabel(bounds []decimal.Decimal, i int) string {
	switch {
	case i == 0:
		return "<" + bounds[0].String()
	case i == len(bounds):
		return ">=" + bounds[i-1].String()
	}
	lo, hi := bounds[i-1], bounds[i]
	if lo.IsInteger() && hi.IsInteger() {
		return lo.String() + "-" + hi.Sub(decimal.NewFromInt(1)).String()
	}
	return lo.String() + "-<" + hi.String()
}

// CreatedThisMonth implements rule V5: the leads created this month in
// the frame's zone, by lead status in the rule book's order (New, Lead,
// Recycled, ...), then by creation instant.
func CreatedThisMonth(ctx context.Context, r Reader, v routing.Viewer, p CreatedParams) ([]CreatedRow, error) {
	return created(ctx, r, v, &p, or(p.Period, p.ThisMonth()), func(l *lead.Lead) (string, int) {
		return l.Status.Key(), int(l.Status)
	}, nil)
}

// created returns the leads created in period, grouped. group returns a
// lead's group label and the group's order: groups go by order, then
// label, and one label of two orders is two groups (V3's leads with no
// source, "(none)" of order 1, are not those of a source so named).
// within, if not nil, orders the rows of a group.
func created(ctx context.Context, r Reader, v routing.Viewer, p *CreatedParams, period Period,
	group func(*lead.Lead) (string, int), within func(a, b *CreatedRow) int) ([]CreatedRow, error) {
	if err := p.check(v); err != nil {
		return nil, err
	}
	ls, err := createdIn(ctx, r, period)
	if err != nil {
		return nil, fmt.Errorf("report: created: %w", err)
	}
	// ls come in order of Created, then id: placing each lead after the
	// earlier ones of its group keeps that order within a group, and only
	// V4's order within a band needs a sort. The rows are counted per
	// group first and written once, in place.
	type key struct {
		group string
		order int
	}
	type bucket struct {
		key
		// n counts the group's rows, then next is where its next row goes.
		n, next int
	}
	var buckets []*bucket
	byGroup := make(map[key]*bucket)
	in := make([]*bucket, len(ls))
	for i := range ls {
		l := &ls[i]
		if !p.sees(v, l) {
			continue
		}
		g, order := group(l)
		k := key{g, order}
		bk := byGroup[k]
		if bk == nil {
			bk = &bucket{key: k}
			byGroup[k] = bk
			buckets = append(buckets, bk)
		}
		bk.n++
		in[i] = bk
	}
	slices.SortFunc(buckets, func(a, b *bucket) int {
		return cmp.Or(cmp.Compare(a.order, b.order), strings.Compare(a.group, b.group))
	})
	n := 0
	for _, bk := range buckets {
		bk.next = n
		n += bk.n
	}
	rows := make([]CreatedRow, n)
	for i := range ls {
		bk := in[i]
		if bk == nil {
			continue
		}
		l := &ls[i]
		rows[bk.next] = CreatedRow{Group: bk.group, Lead: l.ID, Created: p.in(l.Created), Company: l.Company, Name: l.Name,
			Source: l.Source, Status: l.Status, Score: l.Score, Owner: l.Owner}
		bk.next++
	}
	if within != nil {
		for _, bk := range buckets {
			// bk.next is now the end of the group's rows.
			g := rows[bk.next-bk.n : bk.next]
			slices.SortStableFunc(g, func(a, b CreatedRow) int { return within(&a, &b) })
		}
	}
	return rows, nil
}

// OverdueParams are the parameters of [Overdue] (V6).
type OverdueParams struct {
	Frame
	// Owners limits the list to these reps; empty lists every owner's.
	Owners []string
}

// OverdueRow is one approach request or stage deadline that passed with
// no step (V6).
type OverdueRow struct {
	Owner string `json:"owner"`
	Lead  string `json:"lead"`
	// Kind is "request" (A4) or "cadence" (T1, T8).
	Kind    lead.DeadlineKind `json:"kind"`
	Stage   stage.Stage       `json:"stage"`
	Due     time.Time         `json:"due"`
	Late    time.Duration     `json:"late_hours"`
	Working time.Duration     `json:"late_working_hours"`
	Company string            `json:"company"`
	Name    string            `json:"name"`
}

// Overdue implements rule V6: the outstanding approach requests and the
// running cadences whose deadline passed with no step, by owner, then
// due date, with how late in wall-clock time and in working hours on the
// policy's calendar (T11). While a cadence is Untouched its request is
// due at the cadence's deadline, so the lead shows once, as a cadence
// row. It reads the leads with open work only.
func Overdue(ctx context.Context, r Reader, v routing.Viewer, p OverdueParams) ([]OverdueRow, error) {
	if err := p.check(v); err != nil {
		return nil, err
	}
	ls, err := open(ctx, r, p.Owners)
	if err != nil {
		return nil, fmt.Errorf("report: overdue: %w", err)
	}
	cal := p.cadence().Calendar
	var rows []OverdueRow
	add := func(l *lead.Lead, kind lead.DeadlineKind, due time.Time) {
		rows = append(rows, OverdueRow{Owner: l.Owner, Lead: l.ID, Kind: kind, Stage: l.Track.Stage, Due: p.in(due),
			Late: p.Now.Sub(due), Working: stage.Working(cal, due, p.Now), Company: l.Company, Name: l.Name})
	}
	for i := range ls {
		l := &ls[i]
		if !p.sees(v, l) {
			continue
		}
		tr := &l.Track
		untouched := tr.Active() && tr.Stage == stage.Untouched
		if q := &l.Request; q.Outstanding() && !untouched && (q.State == lead.RequestOverdue || q.Due.Before(p.Now)) && !q.Due.IsZero() {
			add(l, lead.DeadlineRequest, q.Due)
		}
		if tr.Active() && !tr.Due.IsZero() && (tr.Overdue || tr.Due.Time().Before(p.Now)) {
			add(l, lead.DeadlineCadence, tr.Due.Time())
		}
	}
	slices.SortStableFunc(rows, func(a, b OverdueRow) int {
		return cmp.Or(strings.Compare(a.Owner, b.Owner), a.Due.Compare(b.Due), strings.Compare(a.Lead, b.Lead), cmp.Compare(a.Kind, b.Kind))
	})
	return rows, nil
}
