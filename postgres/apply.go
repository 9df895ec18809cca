package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
)

// columns are the statements' array arguments for a set of writes: one
// element per lead, event id, change, deadline or notification, so that
// each statement covers every write of a batch.
type columns struct {
	// leads to update (read version > 0) and to insert (version 0).
	upd, ins leadRows
	// lockIDs are the leads to update, sorted: locked in this order so
	// that concurrent batches never deadlock.
	lockIDs []string

	seenLead, seenEvent []string
	seenAt              []time.Time
	seenPrint           []int64

	histLead  []string
	histAt    []time.Time
	histField []string
	histBody  []string

	dropLeads                []string
	dlLead, dlKind           []string
	dlDue                    []time.Time
	outKey, outBody          []string
	histPruneLead, seenPrune []string
	histSince, seenSince     []time.Time
}

// leadRows are the columns of the leads table, one element per lead.
type leadRows struct {
	id                      []string
	version                 []int64
	owner                   []string
	created                 []time.Time
	open, active, attempted []bool
	desk                    []string
	body                    []string
}

func (r *leadRows) add(l *lead.Lead, body []byte) {
	r.id = append(r.id, l.ID)
	r.version = append(r.version, l.Version)
	r.owner = append(r.owner, l.Owner)
	r.created = append(r.created, l.Created)
	r.open = append(r.open, l.Track.Active() || l.Request.Outstanding())
	r.active = append(r.active, l.Track.Active())
	r.attempted = append(r.attempted, l.Track.Active() && l.Track.Stage.Attempted())
	r.desk = append(r.desk, l.Desk.String())
	r.body = append(r.body, string(body))
}

func (r *leadRows) args() []any {
	return []any{r.id, r.version, r.owner, r.created, r.open, r.active, r.attempted, r.desk, r.body}
}

// encode marshals a value kept as JSON.
func encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return b, nil
}

// collect builds the arguments of ws's statements.
func collect(ws []leadline.Write) (*columns, error) {
	c := &columns{}
	for i := range ws {
		w := &ws[i]
		l := w.Lead
		id := l.ID
		body, err := encode(&l)
		if err != nil {
			return nil, fmt.Errorf("lead %s: %w", id, err)
		}
		if l.Version == 0 {
			c.ins.add(&l, body)
		} else {
			c.upd.add(&l, body)
			c.lockIDs = append(c.lockIDs, id)
		}
		if w.Event != "" {
			for j, ev := range append([]string{w.Event}, w.Events...) {
				print := w.Print
				if j > 0 && len(w.Prints) > 0 {
					print = w.Prints[j-1]
				} else if j > 0 {
					print = 0
				}
				c.seenLead = append(c.seenLead, id)
				c.seenEvent = append(c.seenEvent, ev)
				c.seenAt = append(c.seenAt, w.At)
				c.seenPrint = append(c.seenPrint, int64(print)) // the bits as they are
			}
		}
		for j := range w.History {
			h := &w.History[j]
			b, err := encode(h)
			if err != nil {
				return nil, fmt.Errorf("lead %s: history[%d]: %w", id, j, err)
			}
			c.histLead = append(c.histLead, id)
			c.histAt = append(c.histAt, h.At)
			c.histField = append(c.histField, h.Field.String())
			c.histBody = append(c.histBody, string(b))
		}
		if !w.KeepDeadlines {
			if l.Version != 0 {
				c.dropLeads = append(c.dropLeads, id)
			}
			for _, d := range w.Deadlines {
				c.dlLead = append(c.dlLead, id)
				c.dlKind = append(c.dlKind, d.Kind.String())
				c.dlDue = append(c.dlDue, d.Due)
			}
		}
		for j := range w.Outbox {
			n := w.Outbox[j]
			if slices.Contains(c.outKey, n.Key) {
				continue // the first of a key in the write wins, as a pending one does
			}
			n.Attempts = 0
			b, err := encode(&n)
			if err != nil {
				return nil, fmt.Errorf("lead %s: outbox[%d]: %w", id, j, err)
			}
			c.outKey = append(c.outKey, n.Key)
			c.outBody = append(c.outBody, string(b))
		}
		if !w.HistorySince.IsZero() {
			c.histPruneLead = append(c.histPruneLead, id)
			c.histSince = append(c.histSince, w.HistorySince)
		}
		if !w.EventsSince.IsZero() {
			c.seenPrune = append(c.seenPrune, id)
			c.seenSince = append(c.seenSince, w.EventsSince)
		}
	}
	slices.Sort(c.lockIDs)
	return c, nil
}

// apply makes the checked writes ws in one transaction: a batch of
// statements sent at once, whose results say which write, if any, is
// refused. No statement of the batch fails on a refusal: the
// compare-and-set updates no row, the insert of the event ids skips those
// recorded before (waiting for a concurrent write of the same id to end),
// a place of a sequence moves no row. So every write is checked in full,
// and a redelivery reads as a duplicate even when its version is stale
// too (E2); then the transaction commits, or rolls back if any write is
// refused.
func (s *Store) apply(ctx context.Context, ws []leadline.Write) (err error) {
	c, err := collect(ws)
	if err != nil {
		return err
	}
	q := &s.q
	b := &pgx.Batch{}
	type step int
	const (
		stepLock step = iota
		stepUpdate
		stepInsert
		stepSeen
		stepOther
	)
	var steps []step
	queue := func(st step, sql string, args ...any) {
		b.Queue(sql, args...)
		steps = append(steps, st)
	}
	if len(c.lockIDs) > 1 {
		queue(stepLock, q.lockLeads, c.lockIDs)
	}
	if len(c.upd.id) > 0 {
		queue(stepUpdate, q.updateLeads, c.upd.args()...)
	}
	if len(c.ins.id) > 0 {
		queue(stepInsert, q.insertLeads, c.ins.args()...)
	}
	if len(c.seenLead) > 0 {
		queue(stepSeen, q.insertSeen, c.seenLead, c.seenEvent, c.seenAt, c.seenPrint)
	}
	if len(c.histLead) > 0 {
		queue(stepOther, q.insertHistory, c.histLead, c.histAt, c.histField, c.histBody)
	}
	if len(c.dropLeads) > 0 {
		queue(stepOther, q.dropDeadlines, c.dropLeads)
	}
	if len(c.dlLead) > 0 {
		queue(stepOther, q.insertDeadlines, c.dlLead, c.dlKind, c.dlDue)
	}
	if len(c.outKey) > 0 {
		queue(stepOther, q.insertOutbox, c.outKey, c.outBody)
	}
	if len(c.histPruneLead) > 0 {
		queue(stepOther, q.pruneHistory, c.histPruneLead, c.histSince)
	}
	if len(c.seenPrune) > 0 {
		queue(stepOther, q.pruneSeen, c.seenPrune, c.seenSince)
	}

	// The transaction opens in the batch itself, so that a write costs
	// two round trips (the batch, then COMMIT) rather than three. A
	// connection released inside a transaction, after an error, is closed
	// by the pool, which rolls it back.
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return interpretError(err)
	}
	defer conn.Release()
	defer func() {
		if err != nil && conn.Conn().PgConn().TxStatus() != 'I' {
			// The rollback must reach the server even when ctx is done;
			// if it cannot, the connection is closed, which rolls back.
			if _, rerr := conn.Exec(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
				_ = conn.Conn().Close(context.WithoutCancel(ctx))
			}
		}
	}()
	steps = append([]step{stepLock}, steps...)
	b.QueuedQueries = append([]*pgx.QueuedQuery{{SQL: "BEGIN"}}, b.QueuedQueries...)
	written := make(map[string]bool) // leads whose compare-and-set held
	recorded := make(map[string]int) // event ids recorded per lead
	br := conn.SendBatch(ctx, b)
	for _, st := range steps {
		switch st {
		case stepLock, stepOther:
			_, err = br.Exec()
		case stepUpdate, stepInsert, stepSeen:
			var rows pgx.Rows
			rows, err = br.Query()
			if err == nil {
				var id string
				_, err = pgx.ForEachRow(rows, []any{&id}, func() error {
					switch st {
					case stepSeen:
						recorded[id]++
					default:
						written[id] = true
					}
					return nil
				})
			}
		}
		if err != nil {
			_ = br.Close()
			return interpretError(err)
		}
	}
	if err = br.Close(); err != nil {
		return interpretError(err)
	}
	for i := range ws {
		w := &ws[i]
		id := w.Lead.ID
		want := 0
		if w.Event != "" {
			want = 1 + len(w.Events)
		}
		if recorded[id] < want {
			err = fmt.Errorf("%s: event %s: %w", id, w.Event, leaderr.ErrDuplicateEvent)
			if len(ws) > 1 {
				err = fmt.Errorf("write %d: %w", i, err)
			}
			return err
		}
		if !written[id] {
			err = fmt.Errorf("%s: read version %d: %w", id, w.Lead.Version, leaderr.ErrConflict)
			if len(ws) > 1 {
				err = fmt.Errorf("write %d: %w", i, err)
			}
			return err
		}
	}
	tag, err := conn.Exec(ctx, "COMMIT")
	if err != nil {
		return interpretError(err)
	}
	if tag.String() != "COMMIT" {
		err = fmt.Errorf("the database rolled the transaction back (%s)", tag)
		return err
	}
	return nil
}
