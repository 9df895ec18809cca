package postgres

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/stage"
)

var _ report.Reader = (*Store)(nil)

// Open returns the leads with open work owned by one of owners, anyone's
// when owners is empty, ordered by owner and id (V1, A9, V6). It reads
// the partial index of open leads.
func (s *Store) Open(ctx context.Context, owners []string) ([]lead.Lead, error) {
	var (
		ls  []lead.Lead
		err error
	)
	if len(owners) == 0 {
		ls, err = s.queryLeads(ctx, s.q.openAll)
	} else {
		ls, err = s.queryLeads(ctx, s.q.open, owners)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	return ls, nil
}

// Created returns the leads created in p, ordered by Created and id (V3,
// V4, V5), from the index on (created, id).
func (s *Store) Created(ctx context.Context, p report.Period) ([]lead.Lead, error) {
	ls, err := s.queryLeads(ctx, s.q.created, p.From, p.To)
	if err != nil {
		return nil, fmt.Errorf("postgres: created: %w", err)
	}
	return ls, nil
}

// Changes yields the history entries of q in (At, lead, write order)
// (V2, V7, V9), streamed from the index on (at, lead, seq): the rows stay
// open, holding a connection, until the loop ends, so the loop must not
// call the store. An error ends the sequence with a zero Change.
func (s *Store) Changes(ctx context.Context, q report.ChangeQuery) iter.Seq2[lead.Change, error] {
	return func(yield func(lead.Change, error) bool) {
		var (
			rows pgx.Rows
			err  error
		)
		if len(q.Fields) == 0 {
			rows, err = s.pool.Query(ctx, s.q.changes, q.From, q.To)
		} else {
			fields := make([]string, len(q.Fields))
			for i, f := range q.Fields {
				fields[i] = f.String()
			}
			rows, err = s.pool.Query(ctx, s.q.changesOf, q.From, q.To, fields)
		}
		if err != nil {
			yield(lead.Change{}, fmt.Errorf("postgres: changes: %w", interpretError(err)))
			return
		}
		defer rows.Close()
		fields := make(map[string]lead.Field)
		for rows.Next() {
			c, err := scanChange(rows, fields)
			if err != nil {
				yield(lead.Change{}, fmt.Errorf("postgres: changes: %w", err))
				return
			}
			if !yield(c, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(lead.Change{}, fmt.Errorf("postgres: changes: %w", interpretError(err)))
		}
	}
}

// historyCols are history's columns of a change, in the order of the
// write's arrays (migration 0004).
const historyCols = `lead, at, field, actor, event, from_key, to_key, rule, reason`

// changeCols are the columns scanChange reads, in its order: a change's
// parts, each a column of history (migration 0004), so that a report's
// month of history comes back as narrow rows and nothing is decoded as
// JSON.
const changeCols = `lead, field, at, actor, event, from_key, to_key, rule, reason`

// pgEpoch is PostgreSQL's epoch, from which a timestamptz counts
// microseconds, as Unix seconds.
const pgEpoch = 946684800

// scanChange reads one row of changeCols into a Change, equal to the
// change written (E3). The instant comes back in the local zone, as pgx
// reads a timestamptz, to the microsecond a timestamptz keeps: Equal to
// the instant written, which a store keeps to the microsecond at least
// ([leadline.Store]). fields caches the parsed field keys across rows.
func scanChange(rows pgx.Rows, fields map[string]lead.Field) (lead.Change, error) {
	v := rows.RawValues()
	if len(v) != 9 {
		return lead.Change{}, fmt.Errorf("stored change: %d columns, want 9", len(v))
	}
	f, ok := fields[string(v[1])]
	if !ok {
		if err := f.UnmarshalText(v[1]); err != nil {
			return lead.Change{}, fmt.Errorf("stored change of %s: %w", v[0], err)
		}
		fields[string(v[1])] = f
	}
	c := lead.Change{Lead: string(v[0]), Field: f, Actor: string(v[3]), Event: string(v[4]),
		From: string(v[5]), To: string(v[6]), Rule: string(v[7]), Reason: string(v[8])}
	if rows.FieldDescriptions()[2].Format == pgx.BinaryFormatCode && len(v[2]) == 8 {
		c.At = pgTime(v[2])
	} else if err := rows.Scan(nil, nil, &c.At, nil, nil, nil, nil, nil, nil); err != nil {
		return lead.Change{}, fmt.Errorf("stored change of %s: at: %w", v[0], err)
	}
	return c, nil
}

// pgTime reads a timestamptz in binary, microseconds since pgEpoch, as
// an instant in the local zone, as pgx reads one.
func pgTime(b []byte) time.Time { return pgMicros(int64(binary.BigEndian.Uint64(b))) }

// pgMicros is the instant us microseconds from pgEpoch, in the local
// zone, as pgx reads a timestamptz.
func pgMicros(us int64) time.Time {
	sec, rem := us/1e6, us%1e6
	if rem < 0 {
		sec, rem = sec-1, rem+1e6
	}
	return time.Unix(pgEpoch+sec, rem*1e3)
}

// LeadsByID returns the leads with ids, ordered by id; unknown ids are
// left out.
func (s *Store) LeadsByID(ctx context.Context, ids []string) ([]lead.Lead, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	ls, err := s.queryLeads(ctx, s.q.leadsByID, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: leads by id: %w", err)
	}
	return ls, nil
}

// ScoreAt returns lead id's score at at, as [report.Reader] says (E8): it
// reads the lead and at most two score entries, the last at or before at
// and the first after it, from the partial index of score entries.
func (s *Store) ScoreAt(ctx context.Context, id string, at time.Time) (decimal.Decimal, bool, error) {
	ls, err := s.queryLeads(ctx, s.q.scoreLead, id)
	if err != nil {
		return decimal.Decimal{}, false, fmt.Errorf("postgres: score of %s: %w", id, err)
	}
	if len(ls) == 0 {
		return decimal.Decimal{}, false, nil
	}
	rows, err := s.pool.Query(ctx, s.q.scoreEntries, id, at)
	if err != nil {
		return decimal.Decimal{}, false, fmt.Errorf("postgres: score of %s: %w", id, interpretError(err))
	}
	defer rows.Close()
	var scores []lead.Change
	fields := make(map[string]lead.Field, 1)
	for rows.Next() {
		c, err := scanChange(rows, fields)
		if err != nil {
			return decimal.Decimal{}, false, fmt.Errorf("postgres: score of %s: %w", id, err)
		}
		scores = append(scores, c)
	}
	if err := rows.Err(); err != nil {
		return decimal.Decimal{}, false, fmt.Errorf("postgres: score of %s: %w", id, interpretError(err))
	}
	d, ok := report.ScoreAt(&ls[0], scores, at)
	return d, ok, nil
}

var _ report.Summarizer = (*Store)(nil)

// summaryCols are the columns scanSummary reads, in its order: the parts
// of a lead [report.Summarizer] names, extracted by the database from the
// stored body so that a report's rows come back narrow and nothing is
// decoded as JSON but a request's reasons. withWork adds the
// parts of the track, request and activity; without it they come back
// null.
func summaryCols(withWork bool) string {
	work := strings.Repeat(`, NULL`, 15)
	if withWork {
		work = `, body->'track'->>'stage', body->'track'->>'end', body->'track'->>'overdue', body->'track'->>'cadence', body->'track'->>'due',
		body->'request'->>'state', body->'request'->>'priority', body->'request'->'reasons', body->'request'->>'subject', body->'request'->>'due',
		body->'activity'->>'inquiries', body->'activity'->>'downloads', body->'activity'->>'page_views', body->'activity'->>'last', body->'activity'->>'last_topic'`
	}
	return `id, owner, body->>'desk', body->>'company', body->>'name', body->>'source', body->>'ma_system',
		body->>'target', body->>'status', body->>'score', body->>'created'` + work
}

// OpenSummaries answers [report.Summarizer]: Open's leads, from the same
// partial index of open leads, as summaries (V1, A9, V6).
func (s *Store) OpenSummaries(ctx context.Context, owners []string) ([]lead.Lead, error) {
	var (
		ls  []lead.Lead
		err error
	)
	if len(owners) == 0 {
		ls, err = s.querySummaries(ctx, s.q.openAllSummaries)
	} else {
		ls, err = s.querySummaries(ctx, s.q.openSummaries, owners)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	return ls, nil
}

// CreatedSummaries answers [report.Summarizer]: Created's leads, from the
// same index on (created, id), as summaries (V3, V4, V5).
func (s *Store) CreatedSummaries(ctx context.Context, p report.Period) ([]lead.Lead, error) {
	ls, err := s.querySummaries(ctx, s.q.createdSummaries, p.From, p.To)
	if err != nil {
		return nil, fmt.Errorf("postgres: created: %w", err)
	}
	return ls, nil
}

func (s *Store) querySummaries(ctx context.Context, sql string, args ...any) ([]lead.Lead, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	out := []lead.Lead{}
	for rows.Next() {
		l, err := scanSummary(rows.RawValues())
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, interpretError(err)
	}
	return out, nil
}

// scanSummary reads one row of summaryCols into a lead, each part equal
// to the stored body's as decoding it whole reads it; a key absent from
// the body leaves its part zero.
func scanSummary(v [][]byte) (lead.Lead, error) {
	if len(v) != 26 {
		return lead.Lead{}, fmt.Errorf("stored lead: %d columns, want 26", len(v))
	}
	l := lead.Lead{ID: string(v[0]), Owner: string(v[1])}
	l.Company, l.Name, l.Source, l.MASystem = string(v[3]), string(v[4]), string(v[5]), string(v[6])
	l.Request.Subject, l.Activity.LastTopic = string(v[19]), string(v[25])
	tr, rq, ac := &l.Track, &l.Request, &l.Activity
	parts := []struct {
		name string
		b    []byte
		into any
	}{
		{"desk", v[2], &l.Desk}, {"target", v[7], &l.Target}, {"status", v[8], &l.Status},
		{"score", v[9], &l.Score}, {"created", v[10], &l.Created},
		{"track.stage", v[11], &tr.Stage}, {"track.end", v[12], &tr.End}, {"track.overdue", v[13], &tr.Overdue},
		{"track.cadence", v[14], &tr.Cadence}, {"track.due", v[15], &tr.Due},
		{"request.state", v[16], &rq.State}, {"request.priority", v[17], &rq.Priority}, {"request.reasons", v[18], &rq.Reasons},
		{"request.due", v[20], &rq.Due},
		{"activity.inquiries", v[21], &ac.Inquiries}, {"activity.downloads", v[22], &ac.Downloads},
		{"activity.page_views", v[23], &ac.PageViews}, {"activity.last", v[24], &ac.Last},
	}
	for _, p := range parts {
		if p.b == nil {
			continue
		}
		if err := scanPart(p.b, p.into); err != nil {
			return lead.Lead{}, fmt.Errorf("stored lead %s: %s: %w", l.ID, p.name, err)
		}
	}
	return l, nil
}

// scanPart parses the text of one part of a stored lead into into, as
// decoding the JSON value would.
func scanPart(b []byte, into any) error {
	switch p := into.(type) {
	case *bool:
		t, err := strconv.ParseBool(string(b))
		*p = t
		return err
	case *int:
		n, err := strconv.Atoi(string(b))
		*p = n
		return err
	case *int32:
		n, err := strconv.ParseInt(string(b), 10, 32)
		*p = int32(n)
		return err
	case *uint32:
		n, err := strconv.ParseUint(string(b), 10, 32)
		*p = uint32(n)
		return err
	case *decimal.Decimal:
		d, err := decimal.NewFromString(string(b))
		*p = d
		return err
	case *time.Time:
		t, err := time.Parse(time.RFC3339Nano, string(b))
		*p = t
		return err
	case *lead.RuleIDs:
		return json.Unmarshal(b, p)
	case interface{ UnmarshalText([]byte) error }:
		return p.UnmarshalText(b)
	}
	return fmt.Errorf("no parser for %T", into)
}

var _ report.StepReader = (*Store)(nil)

// FunnelSteps answers [report.StepReader] (V7) in one statement: the
// period's request, stage, handoff and feedback entries, read from the
// index on (at, lead, seq), grouped by lead, each step the OR of the
// entries that reach it as report.Funnel reads them (the keys are
// history's columns, migration 0004), joined to the leads that still exist for their owner,
// desk and whether they responded to a campaign (the campaigns column).
func (s *Store) FunnelSteps(ctx context.Context, p report.Period) ([]report.LeadSteps, error) {
	tx, err := s.reportTx(ctx, pgx.ReadCommitted)
	if err != nil {
		return nil, fmt.Errorf("postgres: funnel steps: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read only: nothing to undo
	rows, err := tx.Query(ctx, s.q.funnelSteps, p.From, p.To,
		lead.RequestOpen.String(), lead.RequestOverdue.String(), stage.Stage1.Key(), stage.Connected.Key(),
		lead.HandoffPreSQL.String(), lead.HandoffAccepted.String())
	if err != nil {
		return nil, fmt.Errorf("postgres: funnel steps: %w", interpretError(err))
	}
	// The rows are gathered small and copied once into LeadSteps, whose
	// Lead is a large value: appended one by one, a month's hundred
	// thousand of them were copied again at each doubling of the slice.
	type row struct {
		id, owner string
		desk      lead.Desk
		flags     [7]bool // responded, then the six steps
	}
	var (
		got  []row
		r    row
		desk []byte
	)
	_, err = pgx.ForEachRow(rows, []any{&r.id, &r.owner, &desk, &r.flags[0],
		&r.flags[1], &r.flags[2], &r.flags[3], &r.flags[4], &r.flags[5], &r.flags[6]}, func() error {
		r.desk = 0
		if desk != nil {
			if err := r.desk.UnmarshalText(desk); err != nil {
				return fmt.Errorf("stored lead %s: desk: %w", r.id, err)
			}
		}
		got = append(got, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: funnel steps: %w", interpretError(err))
	}
	out := make([]report.LeadSteps, len(got))
	for i, r := range got {
		f := r.flags
		out[i] = report.LeadSteps{Lead: lead.Lead{ID: r.id, Owner: r.owner, Desk: r.desk}, Responded: f[0],
			MQL: f[1], Approached: f[2], Connected: f[3], PreSQL: f[4], Accepted: f[5], Opportunity: f[6]}
	}
	return out, nil
}

var _ report.SLAReader = (*Store)(nil)

// The kinds of entry queries.slaEntries returns for SLACounts, in its
// third column: a kind in the low three bits, flags above.
const (
	slaOwner      = 1  // an owner change: its From and To follow
	slaRequest    = 2  // an approach request opened (not from overdue)
	slaRecycle    = 3  // a recycle (T7)
	slaConnection = 4  // Connected reached
	slaStep       = 5  // Stage1 to Stage4 reached
	slaAnswered   = 6  // a request answered by an attempt (A4): its first attempt
	slaKind       = 7  // the bits of the kind
	slaReassigned = 8  // an owner change by T1 or T13
	slaEscalated  = 16 // an owner change by T10
	slaOnTime     = 32 // a step not late (not T9)
)

// SLACounts answers [report.SLAReader] (V9) in one pass over the
// period's entries that count, which the database returns each reduced
// to its kind (queries.slaEntries), grouped here by lead and put in
// write order, (At, seq); then the owner and desk of their leads in one
// scan of the primary key (queries.slaLeads); the two statements read
// one snapshot. A lead's entries are credited as report.SLA credits
// them: to the owner who held the lead, the From of its first owner
// change in the period, else its owner now; a reassignment or an
// escalation to its From. The counts come ordered by lead.
func (s *Store) SLACounts(ctx context.Context, p report.Period) ([]report.LeadSLA, error) {
	out, err := s.slaCounts(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("postgres: sla counts: %w", err)
	}
	return out, nil
}

// slaEntry is one entry of queries.slaEntries, with no pointer for the
// collector to follow through a month of them: at is the instant in
// microseconds since pgEpoch, lead indexes the leads in the order they
// came, from and to the owners' names.
type slaEntry struct {
	at, seq    int64
	lead, kind int32
	from, to   int32
}

// slaCount is what a lead's entries count for one owner: a
// report.LeadSLA without the lead, which the leads' owner and desk
// complete once read. lead indexes the sorted ids.
type slaCount struct {
	lead                                         int
	owner                                        string
	requests, steps, onTime                      int
	reassigned, escalated, connections, recycles int
	attempts                                     []report.Attempt
}

func (s *Store) slaCounts(ctx context.Context, p report.Period) ([]report.LeadSLA, error) {
	steps := make([]string, 0, 4)
	for st := stage.Stage1; st <= stage.Stage4; st++ {
		steps = append(steps, st.Key())
	}
	tx, err := s.reportTx(ctx, pgx.RepeatableRead)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read only: nothing to undo
	rows, err := tx.Query(ctx, s.q.slaEntries, p.From, p.To,
		lead.RequestOpen.String(), lead.RequestOverdue.String(), stage.Connected.Key(), lead.RequestDone.String(), steps)
	if err != nil {
		return nil, interpretError(err)
	}
	var (
		all    []slaEntry
		leads  []string                 // the leads, in the order their entries came
		leadOf = make(map[string]int32) // the index of each in leads
		names  []string                 // the owners' names
		nameOf = make(map[string]int32) // the index of each in names
	)
	name := func(b []byte) int32 {
		n, ok := nameOf[string(b)]
		if !ok {
			n = int32(len(names))
			names = append(names, string(b))
			nameOf[names[n]] = n
		}
		return n
	}
	for rows.Next() {
		v := rows.RawValues()
		if len(v) != 6 {
			rows.Close()
			return nil, fmt.Errorf("sla entry: %d columns, want 6", len(v))
		}
		e, err := scanSLAEntry(rows, v, name)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("sla entry of %s: %w", v[0], err)
		}
		// A lead's entries often come one after the other.
		if n := len(leads); n > 0 && leads[n-1] == string(v[0]) {
			e.lead = int32(n - 1)
		} else if k, ok := leadOf[string(v[0])]; ok {
			e.lead = k
		} else {
			id := string(v[0])
			e.lead = int32(len(leads))
			leadOf[id] = e.lead
			leads = append(leads, id)
		}
		all = append(all, e)
	}
	if err := rows.Err(); err != nil {
		return nil, interpretError(err)
	}
	// Each lead's entries together (at[k] to at[k+1] in idx), then in
	// write order; the leads in id order.
	at := make([]int32, len(leads)+1)
	for i := range all {
		at[all[i].lead+1]++
	}
	for k := range leads {
		at[k+1] += at[k]
	}
	idx := make([]int32, len(all))
	next := slices.Clone(at[:len(leads)])
	for i := range all {
		k := all[i].lead
		idx[next[k]] = int32(i)
		next[k]++
	}
	writeOrder := func(a, b int32) int {
		return cmp.Or(cmp.Compare(all[a].at, all[b].at), cmp.Compare(all[a].seq, all[b].seq))
	}
	order := make([]int32, len(leads))
	for k := range order {
		order[k] = int32(k)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(leads[a], leads[b]) })
	var (
		counts []slaCount
		ids    []string // the leads counted, sorted
		known  []bool   // whether each changed owner in the period
	)
	for _, k := range order {
		es := idx[at[k]:at[k+1]]
		if !slices.IsSortedFunc(es, writeOrder) {
			slices.SortFunc(es, writeOrder)
		}
		n, start := len(ids), len(counts)
		changed := false
		var held string // for a lead that changed no owner: its owner now, set once read
		for _, i := range es {
			if e := &all[i]; e.kind&slaKind == slaOwner {
				held, changed = names[e.from], true
				break
			}
		}
		credit := func(o string) *slaCount {
			for i := start; i < len(counts); i++ {
				if counts[i].owner == o {
					return &counts[i]
				}
			}
			counts = append(counts, slaCount{lead: n, owner: o})
			return &counts[len(counts)-1]
		}
		var (
			opened int64
			open   bool
		)
		for _, i := range es {
			e := &all[i]
			switch e.kind & slaKind {
			case slaOwner:
				if e.kind&slaReassigned != 0 {
					credit(names[e.from]).reassigned++
				}
				if e.kind&slaEscalated != 0 {
					credit(names[e.from]).escalated++
				}
				held = names[e.to]
			case slaRequest:
				credit(held).requests++
				opened, open = e.at, true
			case slaAnswered:
				if open {
					open = false
					c := credit(held)
					c.attempts = append(c.attempts, report.Attempt{Opened: pgMicros(opened), At: pgMicros(e.at)})
				}
			case slaRecycle:
				credit(held).recycles++
			case slaConnection:
				credit(held).connections++
			case slaStep:
				c := credit(held)
				c.steps++
				if e.kind&slaOnTime != 0 {
					c.onTime++
				}
			}
		}
		if len(counts) > start {
			ids = append(ids, leads[k])
			known = append(known, changed)
		}
	}
	out := make([]report.LeadSLA, len(counts))
	for i := range counts {
		c := &counts[i]
		// Field by field: a LeadSLA holds a whole lead, which a
		// composite literal would build and copy.
		o := &out[i]
		o.Lead.ID, o.Known, o.Owner = ids[c.lead], known[c.lead], c.owner
		o.Requests, o.Steps, o.OnTime = c.requests, c.steps, c.onTime
		o.Reassigned, o.Escalated, o.Connections, o.Recycles = c.reassigned, c.escalated, c.connections, c.recycles
		o.Attempts = c.attempts
	}
	if len(ids) == 0 {
		return out, nil
	}
	// The leads' owner and desk, in the order of ids, the rows' order.
	rows, err = tx.Query(ctx, s.q.slaLeads, ids)
	if err != nil {
		return nil, interpretError(err)
	}
	var (
		i, k      int
		id, owner string
		desk      []byte
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &owner, &desk}, func() error {
		for k < len(ids) && ids[k] < id {
			k++
		}
		if k == len(ids) || ids[k] != id {
			return fmt.Errorf("stored lead %s: not asked for", id)
		}
		var d lead.Desk
		if err := d.UnmarshalText(desk); err != nil {
			return fmt.Errorf("stored lead %s: desk: %w", id, err)
		}
		for i < len(counts) && counts[i].lead < k {
			i++
		}
		for ; i < len(counts) && counts[i].lead == k; i++ {
			c := &out[i]
			c.Exists = true
			c.Lead.Owner, c.Lead.Desk = owner, d
			if !c.Known {
				// A lead that changed no owner in the period counts
				// for its owner now (one count, made for "" until
				// read; "" still for a lead that no longer exists).
				c.Owner = owner
			}
		}
		return nil
	})
	if err != nil {
		return nil, interpretError(err)
	}
	return out, nil
}

// scanSLAEntry reads the instant, seq, kind and owner keys of a row of
// queries.slaEntries, whose raw values are v; name numbers the owners'
// names.
func scanSLAEntry(rows pgx.Rows, v [][]byte, name func([]byte) int32) (slaEntry, error) {
	var e slaEntry
	fd := rows.FieldDescriptions()
	if fd[1].Format == pgx.BinaryFormatCode && len(v[1]) == 8 && fd[2].Format == pgx.BinaryFormatCode && len(v[2]) == 8 &&
		fd[3].Format == pgx.BinaryFormatCode && len(v[3]) == 4 {
		e.at = int64(binary.BigEndian.Uint64(v[1]))
		e.seq = int64(binary.BigEndian.Uint64(v[2]))
		e.kind = int32(binary.BigEndian.Uint32(v[3]))
	} else {
		var (
			at   time.Time
			seq  int64
			kind int32
		)
		if err := rows.Scan(nil, &at, &seq, &kind, nil, nil); err != nil {
			return e, err
		}
		e.at, e.seq, e.kind = at.UnixMicro()-pgEpoch*1e6, seq, kind
	}
	if e.kind&slaKind == slaOwner {
		if v[4] == nil || v[5] == nil {
			return e, fmt.Errorf("owner change with no owner")
		}
		e.from, e.to = name(v[4]), name(v[5])
	}
	return e, nil
}

// reportTx begins the read-only transaction a report's aggregate runs in,
// at isolation level iso (repeatable read for a report of two statements,
// so that both read one snapshot), without JIT compilation: the statements that count a month of history
// in one pass spent a tenth of their time compiling on 1,000,000 leads.
// Its sorts and hashes get 64 MB each (work_mem), so that a
// month of history (about 460,000 entries the SLA sorts, 90,000 leads
// the funnel groups) is sorted and grouped in memory, not spilled to
// temporary files as the default 4 MB makes them. The caller rolls it
// back.
func (s *Store) reportTx(ctx context.Context, iso pgx.TxIsoLevel) (pgx.Tx, error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: iso, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, interpretError(err)
	}
	if _, err := tx.Exec(ctx, `SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`); err != nil {
		_ = tx.Rollback(ctx)
		return nil, interpretError(err)
	}
	return tx, nil
}
