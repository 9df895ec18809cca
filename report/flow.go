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
)

// FunnelParams are the parameters of [Funnel] (V7).
type FunnelParams struct {
	Frame
	// Period is the period counted. Defaults to this month.
	Period Period
}

// FunnelRow counts the leads that reached each step of the funnel in the
// period (V7), for every campaign (Campaign "") or for one campaign's
// respondents, with the credit of each side (M6).
type FunnelRow struct {
	Campaign    string `json:"campaign"`
	Engagement  string `json:"engagement"`
	MQL         int    `json:"mql"`
	Approached  int    `json:"approached"`
	Connected   int    `json:"connected"`
	PreSQL      int    `json:"pre_sql"`
	Accepted    int    `json:"accepted"`
	Opportunity int    `json:"opportunity"`
	// InsidePreSQLs and FieldOpportunities credit each side for its part
	// (M6), each lead once, for what it reached in the period: the
	// Pre-SQLs an inside rep handed off, and the opportunities of field
	// sales (a feedback that turned it to yes, or a Pre-SQL accepted), as
	// [routing.Credits] credits them, among the row's leads.
	InsidePreSQLs      int `json:"inside_pre_sqls"`
	FieldOpportunities int `json:"field_opportunities"`
	// SQLCampaigns and HighEngagementSQLCampaigns, on the row of every
	// campaign, count the campaigns with a lead accepted as an SQL in the
	// period and those of them that are high engagement (M12).
	SQLCampaigns               int `json:"sql_campaigns"`
	HighEngagementSQLCampaigns int `json:"high_engagement_sql_campaigns"`
}

type steps struct{ mql, approached, connected, presql, accepted, opportunity bool }

// Funnel implements rule V7: how many leads reached each step in the
// period, counted from history: MQL (an approach request opened, A1-A5,
// M1), approached (Stage1 reached, T2), connected (T6), Pre-SQL (handed
// off, M10), accepted by field sales (M10) and opportunity (M5). A lead
// counts once per step. The first row is every lead; then one row per
// campaign the counted leads responded to, by campaign id. The viewer
// counts only the leads they may see (M2).
func Funnel(ctx context.Context, r Reader, v routing.Viewer, p FunnelParams) ([]FunnelRow, error) {
	if err := p.check(v); err != nil {
		return nil, err
	}
	period := or(p.Period, p.ThisMonth())
	var (
		by  map[string]*steps
		ls  []lead.Lead
		err error
	)
	if sr, ok := r.(StepReader); ok {
		by, ls, err = funnelSteps(ctx, r, sr, period)
	} else {
		by, ls, err = funnelChanges(ctx, r, period)
	}
	if err != nil {
		return nil, fmt.Errorf("report: funnel: %w", err)
	}
	camps, err := r.Campaigns(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: funnel: %w", err)
	}
	rules := p.rules()
	all := FunnelRow{}
	per := make(map[string]*FunnelRow)
	count := func(row *FunnelRow, s *steps, l *lead.Lead) {
		row.MQL += b2i(s.mql)
		row.Approached += b2i(s.approached)
		row.Connected += b2i(s.connected)
		row.PreSQL += b2i(s.presql)
		row.Accepted += b2i(s.accepted)
		row.Opportunity += b2i(s.opportunity)
		row.InsidePreSQLs += b2i(s.presql && l.HandedBy != "")
		row.FieldOpportunities += b2i(s.opportunity || s.accepted)
	}
	seesAll := p.rules().SeesAll(v)
	for i := range ls {
		l := &ls[i]
		if !seesAll && !p.sees(v, l) {
			continue
		}
		s := by[l.ID]
		count(&all, s, l)
		var seen []string
		for _, t := range l.Responses {
			if t.Kind == lead.ResponseListed || slices.Contains(seen, t.Campaign) {
				continue
			}
			seen = append(seen, t.Campaign)
			row := per[t.Campaign]
			if row == nil {
				row = &FunnelRow{Campaign: t.Campaign}
				per[t.Campaign] = row
			}
			count(row, s, l)
		}
	}
	rows := []FunnelRow{all}
	for _, id := range slices.Sorted(mapsKeys(per)) {
		row := per[id]
		if i, ok := slices.BinarySearchFunc(camps, id, func(c routing.Campaign, id string) int { return strings.Compare(c.ID, id) }); ok {
			e := rules.Engagement(&camps[i])
			row.Engagement = e.String()
			if row.Accepted > 0 {
				rows[0].SQLCampaigns++
				rows[0].HighEngagementSQLCampaigns += b2i(e == routing.High)
			}
		}
		rows = append(rows, *row)
	}
	return rows, nil
}

// funnelChanges is Funnel's first pass on r.Changes: the steps each lead
// reached in period, and the leads, whole (V7).
func funnelChanges(ctx context.Context, r Reader, period Period) (map[string]*steps, []lead.Lead, error) {
	by := make(map[string]*steps)
	var ids []string
	for c, err := range r.Changes(ctx, ChangeQuery{Period: period,
		Fields: []lead.Field{lead.FieldRequest, lead.FieldStage, lead.FieldHandoff, lead.FieldFeedback}}) {
		if err != nil {
			return nil, nil, err
		}
		s := by[c.Lead]
		if s == nil {
			s = new(steps)
			by[c.Lead] = s
			ids = append(ids, c.Lead)
		}
		switch {
		case c.Field == lead.FieldRequest && c.To == keyRequestOpen && c.From != keyRequestOverdue:
			s.mql = true
		case c.Field == lead.FieldStage && c.To == keyStage1 && c.From != c.To:
			s.approached = true
		case c.Field == lead.FieldStage && c.To == keyConnected && c.From != c.To:
			s.connected = true
		case c.Field == lead.FieldHandoff && c.To == lead.HandoffPreSQL.String():
			s.presql = true
		case c.Field == lead.FieldHandoff && c.To == lead.HandoffAccepted.String():
			s.accepted = true
		case c.Field == lead.FieldFeedback && strings.Contains(c.To, "opportunity=yes") && !strings.Contains(c.From, "opportunity=yes"):
			s.opportunity = true
		}
	}
	ls, err := r.LeadsByID(ctx, ids)
	return by, ls, err
}

// funnelSteps is Funnel's first pass on a StepReader: the same steps,
// and the leads that responded to a campaign whole, the others as their
// ID, Owner and Desk, all the funnel reads of them (V7, M2, M6).
func funnelSteps(ctx context.Context, r Reader, sr StepReader, period Period) (map[string]*steps, []lead.Lead, error) {
	all, err := sr.FunnelSteps(ctx, period)
	if err != nil {
		return nil, nil, err
	}
	by := make(map[string]*steps, len(all))
	// Sized once: a month's funnel reads some hundred thousand leads, and
	// a lead is a large value to copy again at each doubling.
	ls := make([]lead.Lead, 0, len(all))
	var whole []string
	for i := range all {
		a := &all[i]
		by[a.Lead.ID] = &steps{mql: a.MQL, approached: a.Approached, connected: a.Connected,
			presql: a.PreSQL, accepted: a.Accepted, opportunity: a.Opportunity}
		if a.Responded {
			whole = append(whole, a.Lead.ID)
		} else {
			ls = append(ls, a.Lead)
		}
	}
	if len(whole) > 0 {
		wl, err := r.LeadsByID(ctx, whole)
		if err != nil {
			return nil, nil, err
		}
		ls = append(ls, wl...)
	}
	return by, ls, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// SLAParams are the parameters of [SLA] (V9).
type SLAParams struct {
	Frame
	// Period is the period measured. Defaults to this month.
	Period Period
	// Teams group reps into the team rows; a rep in none counts in the
	// team "". Defaults to one team row, "", of everyone.
	Teams []routing.Team
}

// SLARow is one owner's, or one team's, follow-up service level over the
// period (V9). Team rows have Owner "" and come after the owners.
type SLARow struct {
	Team  string `json:"team"`
	Owner string `json:"owner"`
	// Requests counts the approach requests the owner received (A1-A5,
	// M1; a T10 fresh window is not a new request).
	Requests int `json:"requests"`
	// Attempted counts those whose first attempt came in the period: the
	// attempt that answered the request (A4), whatever stage it made, so
	// a request made mid-cadence is answered by the cadence's next step.
	// The times to it are the median and 90th percentile, in wall-clock
	// and working hours (T11).
	Attempted      int           `json:"attempted"`
	FirstMedian    time.Duration `json:"first_attempt_median_hours"`
	FirstP90       time.Duration `json:"first_attempt_p90_hours"`
	FirstMedianBiz time.Duration `json:"first_attempt_median_working_hours"`
	FirstP90Biz    time.Duration `json:"first_attempt_p90_working_hours"`
	// Steps counts the stage steps made; OnTime those not late (T9).
	Steps  int `json:"steps"`
	OnTime int `json:"on_time"`
	// Reassigned counts leads taken from the owner and handed to another
	// rep: untouched (T1, T10) or after the last reminder of a missed
	// step (T13). Escalated counts those handed to the manager instead
	// (T10), at a missed window or at the end of T13's reminders.
	Reassigned  int `json:"reassigned"`
	Escalated   int `json:"escalated"`
	Connections int `json:"connections"`
	Recycles    int `json:"recycles"`

	waits, bizWaits []time.Duration
}

// SLA implements rule V9: per owner and per team, over the period, the
// approach requests received, the time from a request to its first
// attempt (median and 90th percentile, wall-clock and working hours), the
// share of stage steps on time (T9), leads lost to reassignment (T1,
// T10, T13), escalations to the manager (T10), connections (T6) and
// recycles (T7). It reads the period's history. A change is the owner's
// who held the lead when it was made; a request's first attempt is the
// one that answered it (A4), at whatever stage, and the two both fall in
// the period to be timed. The viewer counts only the leads they may see
// (M2).
func SLA(ctx context.Context, r Reader, v routing.Viewer, p SLAParams) ([]SLARow, error) {
	if err := p.check(v); err != nil {
		return nil, err
	}
	q := ChangeQuery{Period: or(p.Period, p.ThisMonth()), Fields: []lead.Field{lead.FieldRequest, lead.FieldStage, lead.FieldOwner}}
	if sr, ok := r.(SLAReader); ok {
		return slaCounted(ctx, sr, v, &p, q.Period)
	}
	// A change is the owner's who held the lead when it was made: the
	// From of the lead's first owner change in the period, else its
	// owner now. So the period's history is read twice: first for the
	// leads and their first owner change, then to count. A viewer who
	// sees every lead (M2) reads only the leads that changed no owner in
	// the period.
	type held struct {
		owner          string
		known, visible bool
		opened         time.Time
		open           bool
	}
	by := make(map[string]*held)
	var ids, unknown []string
	for c, err := range r.Changes(ctx, q) {
		if err != nil {
			return nil, fmt.Errorf("report: sla: %w", err)
		}
		h := by[c.Lead]
		if h == nil {
			h = new(held)
			by[c.Lead] = h
			ids = append(ids, c.Lead)
		}
		if c.Field == lead.FieldOwner && !h.known {
			h.owner, h.known = c.From, true
		}
	}
	all := p.rules().SeesAll(v)
	read := ids
	if all {
		for _, id := range ids {
			h := by[id]
			h.visible = h.known // the others once read, if they still exist
			if !h.known {
				unknown = append(unknown, id)
			}
		}
		read = unknown
	}
	ls, err := r.LeadsByID(ctx, read)
	if err != nil {
		return nil, fmt.Errorf("report: sla: %w", err)
	}
	for i := range ls {
		l := &ls[i]
		h := by[l.ID]
		h.visible = all || p.sees(v, l)
		if !h.known {
			h.owner = l.Owner
		}
	}
	cal := p.cadence().Calendar
	rows := make(map[string]*SLARow)
	row := func(o string) *SLARow {
		if rows[o] == nil {
			rows[o] = &SLARow{Owner: o}
		}
		return rows[o]
	}
	for c, err := range r.Changes(ctx, q) {
		if err != nil {
			return nil, fmt.Errorf("report: sla: %w", err)
		}
		h := by[c.Lead]
		if h == nil || !h.visible {
			continue
		}
		o := h.owner
		switch c.Field {
		case lead.FieldOwner:
			switch c.Rule {
			case "T1", "T13":
				row(c.From).Reassigned++
			case "T10":
				row(c.From).Escalated++
			}
			h.owner = c.To
		case lead.FieldRequest:
			switch {
			case c.To == keyRequestOpen && c.From != keyRequestOverdue:
				row(o).Requests++
				h.opened, h.open = c.At, true
			case h.open && c.To == keyRequestDone && c.Rule == "A4":
				// The request's first attempt: the one that answered it
				// (A4), whatever stage it made, Stage1 for a request
				// that started the cadence, the next step for one made
				// mid-cadence.
				h.open = false
				rw := row(o)
				rw.Attempted++
				rw.waits = append(rw.waits, c.At.Sub(h.opened))
				rw.bizWaits = append(rw.bizWaits, stage.Working(cal, h.opened, c.At))
			}
		case lead.FieldStage:
			switch {
			case c.Rule == "T7":
				row(o).Recycles++
			case c.To == keyConnected && c.From != c.To:
				row(o).Connections++
			case c.From != c.To && isStep(c.To):
				rw := row(o)
				rw.Steps++
				if c.Rule != "T9" {
					rw.OnTime++
				}
			}
		}
	}
	return slaRows(p.Teams, rows), nil
}

// slaCounted is SLA on an SLAReader: the same rows from the counts it
// returns per lead and owner (V9, M2).
func slaCounted(ctx context.Context, sr SLAReader, v routing.Viewer, p *SLAParams, period Period) ([]SLARow, error) {
	counts, err := sr.SLACounts(ctx, period)
	if err != nil {
		return nil, fmt.Errorf("report: sla: %w", err)
	}
	all := p.rules().SeesAll(v)
	cal := p.cadence().Calendar
	rows := make(map[string]*SLARow)
	for i := range counts {
		c := &counts[i]
		if all && !c.Known && !c.Exists || !all && (!c.Exists || !p.sees(v, &c.Lead)) {
			continue
		}
		rw := rows[c.Owner]
		if rw == nil {
			rw = &SLARow{Owner: c.Owner}
			rows[c.Owner] = rw
		}
		rw.Requests += c.Requests
		rw.Attempted += len(c.Attempts)
		rw.Steps += c.Steps
		rw.OnTime += c.OnTime
		rw.Reassigned += c.Reassigned
		rw.Escalated += c.Escalated
		rw.Connections += c.Connections
		rw.Recycles += c.Recycles
		for _, a := range c.Attempts {
			rw.waits = append(rw.waits, a.At.Sub(a.Opened))
			rw.bizWaits = append(rw.bizWaits, stage.Working(cal, a.Opened, a.At))
		}
	}
	return slaRows(p.Teams, rows), nil
}

// slaRows orders the owners' rows by team and owner and adds the team
// rows (V9).
func slaRows(teams []routing.Team, rows map[string]*SLARow) []SLARow {
	team := make(map[string]string)
	for _, t := range teams {
		for _, rep := range t.Reps {
			team[rep.ID] = t.ID
		}
		if t.Manager != "" {
			if _, ok := team[t.Manager]; !ok {
				team[t.Manager] = t.ID
			}
		}
	}
	var out []SLARow
	totals := make(map[string]*SLARow)
	for _, o := range slices.Sorted(mapsKeys(rows)) {
		rw := rows[o]
		rw.Team = team[o]
		t := totals[rw.Team]
		if t == nil {
			t = &SLARow{Team: rw.Team}
			totals[rw.Team] = t
		}
		t.Requests += rw.Requests
		t.Attempted += rw.Attempted
		t.Steps += rw.Steps
		t.OnTime += rw.OnTime
		t.Reassigned += rw.Reassigned
		t.Escalated += rw.Escalated
		t.Connections += rw.Connections
		t.Recycles += rw.Recycles
		t.waits = append(t.waits, rw.waits...)
		t.bizWaits = append(t.bizWaits, rw.bizWaits...)
		out = append(out, rw.done())
	}
	slices.SortStableFunc(out, func(a, b SLARow) int {
		return cmp.Or(strings.Compare(a.Team, b.Team), strings.Compare(a.Owner, b.Owner))
	})
	for _, t := range slices.Sorted(mapsKeys(totals)) {
		out = append(out, totals[t].done())
	}
	return out
}

// The keys history entries hold (E3).
var (
	keyRequestOpen    = lead.RequestOpen.String()
	keyRequestOverdue = lead.RequestOverdue.String()
	keyRequestDone    = lead.RequestDone.String()
	keyConnected      = stage.Connected.Key()
	keyStage1         = stage.Stage1.Key()
)

// isStep reports whether key is the key of an attempted stage, Stage1 to
// Stage4: a step of the cadence (T2-T5).
func isStep(key string) bool {
	for s := stage.Stage1; s <= stage.Stage4; s++ {
		if key == s.Key() {
			return true
		}
	}
	return false
}

func (r *SLARow) done() SLARow {
	r.FirstMedian, r.FirstP90 = quantile(r.waits, 50), quantile(r.waits, 90)
	r.FirstMedianBiz, r.FirstP90Biz = quantile(r.bizWaits, 50), quantile(r.bizWaits, 90)
	out := *r
	out.waits, out.bizWaits = nil, nil
	return out
}

// quantile returns the q-th percentile of ds by nearest rank; 0 for none.
func quantile(ds []time.Duration, q int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	i := (q*len(s)+99)/100 - 1
	return s[max(i, 0)]
}
