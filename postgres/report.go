package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/report"
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

// changeCols are the columns scanChange reads, in its order: the
// change's keys as the database extracts them from the stored body, so
// that a report's month of history comes back as narrow text rows and is
// not decoded as JSON in Go (issue 12). The instant is the body's own
// text, not the at column, so that it keeps its nanoseconds and offset as
// the stored change has them.
const changeCols = `lead, field, body->>'at', body->>'actor', body->>'event', body->>'from', body->>'to', body->>'rule', body->>'reason'`

// scanChange reads one row of changeCols into a Change, equal to the
// stored body decoded (E3); a key absent from the body reads "". fields
// caches the parsed field keys across rows.
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
	if v[2] != nil {
		at, err := time.Parse(time.RFC3339Nano, string(v[2]))
		if err != nil {
			return lead.Change{}, fmt.Errorf("stored change of %s: at: %w", v[0], err)
		}
		c.At = at
	}
	return c, nil
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
	var (
		scores []lead.Change
		body   []byte
	)
	_, err = pgx.ForEachRow(rows, []any{&body}, func() error {
		var c lead.Change
		if err := json.Unmarshal(body, &c); err != nil {
			return fmt.Errorf("stored change: %w", err)
		}
		scores = append(scores, c)
		return nil
	})
	if err != nil {
		return decimal.Decimal{}, false, fmt.Errorf("postgres: score of %s: %w", id, interpretError(err))
	}
	d, ok := report.ScoreAt(&ls[0], scores, at)
	return d, ok, nil
}
