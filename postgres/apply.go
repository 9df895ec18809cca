package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
)

// columns are the statements' array arguments for a set of writes: one
// element per lead, event id, change, deadline or notification, so that
// each statement covers every write of a batch.
type columns struct {
	// leads to update (read version > 0), in id order, and to insert
	// (version 0). The update's plan (a nested loop over the array, a
	// probe of the primary key each) locks the rows in the array's
	// order, so concurrent batches lock their common leads in one order
	// and never deadlock; were one to, PostgreSQL would refuse a batch
	// with a deadlock, which reads as a conflict, retried.
	upd, ins leadRows

	seenLead, seenEvent []string
	seenAt              []time.Time
	seenPrint           []int64

	// history's columns (migration 0004), one element per change:
	// text arrays, with nothing to encode as JSON.
	histLead, histField, histActor, histEvent []string
	histFrom, histTo, histRule, histReason    []string
	histAt                                    []time.Time

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

func (r *leadRows) add(l *lead.Lead, body string) {
	r.id = append(r.id, l.ID)
	r.version = append(r.version, l.Version)
	r.owner = append(r.owner, l.Owner)
	r.created = append(r.created, l.Created)
	r.open = append(r.open, l.Track.Active() || l.Request.Outstanding())
	r.active = append(r.active, l.Track.Active())
	r.attempted = append(r.attempted, l.Track.Active() && l.Track.Stage.Attempted())
	r.desk = append(r.desk, l.Desk.String())
	r.body = append(r.body, body)
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
	// The columns' lengths, so that each is made once: a sweep's batch
	// has thousands of rows of each kind.
	var hist, dls, notes int
	for i := range ws {
		hist += len(ws[i].History)
		dls += len(ws[i].Deadlines)
		notes += len(ws[i].Outbox)
	}
	for _, col := range []*[]string{&c.histLead, &c.histField, &c.histActor, &c.histEvent, &c.histFrom, &c.histTo, &c.histRule, &c.histReason} {
		*col = make([]string, 0, hist)
	}
	c.histAt = make([]time.Time, 0, hist)
	c.dlLead, c.dlKind, c.dlDue = make([]string, 0, dls), make([]string, 0, dls), make([]time.Time, 0, dls)
	c.outKey, c.outBody = make([]string, 0, notes), make([]string, 0, notes)
	type updated struct {
		i    int
		body string
	}
	var (
		upd = make([]updated, 0, len(ws))
		buf []byte // the JSON of a lead or notification, reused
		err error
	)
	keys := make(map[string]struct{}, notes) // the notifications' keys so far
	for i := range ws {
		w := &ws[i]
		l := &w.Lead
		id := l.ID
		if buf, err = encodeLead(buf[:0], l); err != nil {
			return nil, fmt.Errorf("lead %s: %w", id, err)
		}
		body := string(buf)
		if l.Version == 0 {
			c.ins.add(l, body)
		} else {
			upd = append(upd, updated{i, body})
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
			c.histLead = append(c.histLead, id)
			c.histAt = append(c.histAt, h.At)
			c.histField = append(c.histField, h.Field.String())
			c.histActor = append(c.histActor, h.Actor)
			c.histEvent = append(c.histEvent, h.Event)
			c.histFrom = append(c.histFrom, h.From)
			c.histTo = append(c.histTo, h.To)
			c.histRule = append(c.histRule, h.Rule)
			c.histReason = append(c.histReason, h.Reason)
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
			if _, dup := keys[n.Key]; dup {
				continue // the first of a key in the batch wins, as a pending one does
			}
			keys[n.Key] = struct{}{}
			n.Attempts = 0
			if buf, err = encodeNote(buf[:0], &n); err != nil {
				return nil, fmt.Errorf("lead %s: outbox[%d]: %w", id, j, err)
			}
			c.outKey = append(c.outKey, n.Key)
			c.outBody = append(c.outBody, string(buf))
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
	slices.SortFunc(upd, func(a, b updated) int { return strings.Compare(ws[a.i].Lead.ID, ws[b.i].Lead.ID) })
	for _, u := range upd {
		c.upd.add(&ws[u.i].Lead, u.body)
	}
	return c, nil
}

// apply makes the checked writes ws in one transaction and one round
// trip: a pipeline of statements ended by one Sync, which PostgreSQL runs
// as one implicit transaction and commits at the Sync, so the answer the
// client reads is the commit's.
//
// The main statement writes the leads, the event ids (E2), history (E3),
// deadlines (E5) and outbox (E4) in data-modifying CTEs, and its SELECT
// checks what they returned: the first write, in batch order, whose event
// ids were not all recorded (another write recorded one before) or whose
// compare-and-set matched no row makes the server raise, through the
// schema's refuse function, SQLSTATE LLD01 or LLC01, which rolls back the
// whole transaction. A write that is both reads as a duplicate (E2), as
// the event ids are checked first. No statement before the check refuses:
// the compare-and-set updates no row, the insert of the event ids skips
// those recorded before (waiting for a concurrent write of the same id to
// end). A cancelled context or a statement timeout aborts the
// transaction; nothing is half-written.
func (s *Store) apply(ctx context.Context, ws []leadline.Write) error {
	c, err := collect(ws)
	if err != nil {
		return err
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return interpretError(err)
	}
	defer conn.Release()
	if err := ctx.Err(); err != nil {
		return err // nothing sent
	}
	if len(ws) == 1 && c.fitsRows() {
		err = s.sendOne(ctx, conn.Conn(), c, &ws[0])
	} else {
		err = s.sendArrays(ctx, conn.Conn(), c, ws)
	}
	if err != nil {
		if ctx.Err() != nil {
			abandon(ctx, conn.Conn())
		}
		return refusal(ws, err)
	}
	return nil
}

// sendOne sends the one write w, whose columns c holds, as a statement
// of plain values (oneStatement), whose plan PostgreSQL makes once per
// connection and keeps, as a fresh plan would cost the same.
func (s *Store) sendOne(ctx context.Context, conn *pgx.Conn, c *columns, w *leadline.Write) error {
	q := &s.q
	b := &pgx.Batch{}
	sql, args := c.oneStatement(q, w)
	b.Queue(sql, args...)
	if len(c.histPruneLead) > 0 {
		b.Queue(q.pruneHistory, c.histPruneLead, c.histSince)
	}
	if len(c.seenPrune) > 0 {
		b.Queue(q.pruneSeen, c.seenPrune, c.seenSince)
	}
	return conn.SendBatch(ctx, b).Close()
}

// sendArrays sends the writes ws, whose columns c holds, as one
// statement of arrays (statement), prepared once per connection, its
// arrays written by arrayParams.
func (s *Store) sendArrays(ctx context.Context, conn *pgx.Conn, c *columns, ws []leadline.Write) error {
	q := &s.q
	sql, args := c.statement(q, ws)
	sum := sha256.Sum256([]byte(sql))
	sd, err := conn.Prepare(ctx, "leadline_write_"+hex.EncodeToString(sum[:12]), sql)
	if err != nil {
		return err
	}
	values, formats, err := arrayParams(sd.ParamOIDs, args)
	if err != nil {
		return err
	}
	b := &pgconn.Batch{}
	// The statement's plan is made once too, not at each write:
	// planning a write's statement costs the server as much as running
	// it, and PostgreSQL keeps planning afresh when the arrays' lengths
	// make each fresh plan look cheaper. The setting is local to the
	// write's transaction.
	b.ExecParams(q.genericPlan, nil, nil, nil, nil)
	b.ExecStatement(sd, values, formats, nil)
	prune := func(sql string, leads []string, since []time.Time) error {
		values, formats, err := arrayParams([]uint32{oidTextArray, oidTimestamptzArray}, []any{leads, since})
		if err != nil {
			return err
		}
		b.ExecParams(sql, values, []uint32{oidTextArray, oidTimestamptzArray}, formats, nil)
		return nil
	}
	if len(c.histPruneLead) > 0 {
		if err := prune(q.pruneHistory, c.histPruneLead, c.histSince); err != nil {
			return err
		}
	}
	if len(c.seenPrune) > 0 {
		if err := prune(q.pruneSeen, c.seenPrune, c.seenSince); err != nil {
			return err
		}
	}
	// One round trip, one implicit transaction, ended by the batch's
	// Sync.
	_, err = conn.PgConn().ExecBatch(ctx, b).ReadAll()
	return err
}

// abandon cancels what the server still runs of a batch the client gave
// up on when ctx ended, and closes the connection. The batch's Sync is
// sent with it, so the server would commit it once its statements end
// (after a lock wait, say) although the client reported it cut short: the
// cancel request makes the statement fail, which rolls the transaction
// back. Only a batch that ended between the client giving up and the
// cancel's arrival is committed, as when a commit's answer is lost: a
// retry reads as a duplicate (E2). The connection is closed so that a
// late cancel can never reach a later statement on it.
func abandon(ctx context.Context, conn *pgx.Conn) {
	// The cancel must reach the server although ctx is done; it is
	// bounded so that an unreachable server cannot hold the caller.
	cctx, stop := context.WithTimeout(context.WithoutCancel(ctx), cancelWait)
	defer stop()
	_ = conn.PgConn().CancelRequest(cctx)
	_ = conn.Close(cctx)
}

// cancelWait bounds the cancel request of an abandoned write.
const cancelWait = 10 * time.Second

// Refusals of a write raised by the schema's refuse function (migration
// 0003): the SQLSTATEs apply branches on.
const (
	codeDuplicate = "LLD01"
	codeConflict  = "LLC01"
)

// refusal translates the error of a write's batch: a refusal of the
// server names the write, from the error's DETAIL (the write's index, set
// by the refuse function), and wraps [leaderr.ErrDuplicateEvent] or
// [leaderr.ErrConflict] as the SQLSTATE says; any other error is
// interpreted by [interpretError].
func refusal(ws []leadline.Write, err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || (pe.Code != codeDuplicate && pe.Code != codeConflict) {
		return interpretError(err)
	}
	i, perr := strconv.Atoi(pe.Detail)
	if perr != nil || i < 0 || i >= len(ws) {
		// Not a detail the refuse function sets: the kind is still sure.
		if pe.Code == codeDuplicate {
			return fmt.Errorf("%w: %w", leaderr.ErrDuplicateEvent, err)
		}
		return fmt.Errorf("%w: %w", leaderr.ErrConflict, err)
	}
	w := &ws[i]
	if pe.Code == codeDuplicate {
		err = fmt.Errorf("%s: event %s: %w", w.Lead.ID, w.Event, leaderr.ErrDuplicateEvent)
	} else {
		err = fmt.Errorf("%s: read version %d: %w", w.Lead.ID, w.Lead.Version, leaderr.ErrConflict)
	}
	if len(ws) > 1 {
		err = fmt.Errorf("write %d: %w", i, err)
	}
	return err
}

// params are a statement's parameters as it is written.
type params []any

// add adds v as the next parameter and returns its placeholder.
func (p *params) add(v any) string {
	*p = append(*p, v)
	return "$" + strconv.Itoa(len(*p))
}

// statement returns the one statement that makes c's writes and checks
// them (see apply), with its arguments. Its text depends only on which
// parts the writes have (updates, inserts, event ids, history, deadlines,
// notifications), so that a handful of texts cover every write and each
// is prepared once per connection.
func (c *columns) statement(q *queries, ws []leadline.Write) (string, []any) {
	var (
		b    strings.Builder
		args params
	)
	arg := args.add
	lead := func(r *leadRows) []any {
		return []any{arg(r.id), arg(r.version), arg(r.owner), arg(r.created), arg(r.open), arg(r.active), arg(r.attempted), arg(r.desk), arg(r.body)}
	}
	b.WriteString("WITH ")
	var written []string
	if len(c.upd.id) > 0 {
		fmt.Fprintf(&b, q.updateCTE, lead(&c.upd)...)
		written = append(written, "SELECT id FROM upd")
	}
	if len(c.ins.id) > 0 {
		if len(written) > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, q.insertCTE, lead(&c.ins)...)
		written = append(written, "SELECT id FROM ins")
	}
	if len(c.seenLead) > 0 {
		fmt.Fprintf(&b, q.seenCTE, arg(c.seenLead), arg(c.seenEvent), arg(c.seenAt), arg(c.seenPrint))
	} else {
		b.WriteString(q.noSeenCTE)
	}
	if len(c.histLead) > 0 {
		fmt.Fprintf(&b, q.historyCTE, arg(c.histLead), arg(c.histAt), arg(c.histField), arg(c.histActor), arg(c.histEvent),
			arg(c.histFrom), arg(c.histTo), arg(c.histRule), arg(c.histReason))
	}
	if len(c.dropLeads) > 0 {
		fmt.Fprintf(&b, q.dropCTE, arg(c.dropLeads))
	}
	if len(c.dlLead) > 0 {
		fmt.Fprintf(&b, q.deadlinesCTE, arg(c.dlLead), arg(c.dlKind), arg(c.dlDue))
	}
	if len(c.outKey) > 0 {
		fmt.Fprintf(&b, q.outboxCTE, arg(c.outKey), arg(c.outBody))
	}
	ids := make([]string, len(ws))
	want := make([]int32, len(ws))
	for i := range ws {
		ids[i] = ws[i].Lead.ID
		if ws[i].Event != "" {
			want[i] = int32(1 + len(ws[i].Events))
		}
	}
	fmt.Fprintf(&b, ", written AS (%s)", strings.Join(written, " UNION ALL "))
	fmt.Fprintf(&b, q.checkWrites, arg(ids), arg(want))
	return b.String(), args
}

// maxRows is how many rows of each kind (event ids, history entries,
// deadlines, notifications) a single write may have and still be sent as
// plain values (oneStatement) rather than arrays (statement): an event's
// write has a handful, a burst of a lead's web activity tens. Up to here
// plain values cost the server less (a lead's 10 events in one write:
// 24-28k events/s against 18-23k with arrays, BenchmarkHandleBatch,
// alternating runs); at 40 rows arrays cost less. The bound also bounds
// the statement texts, each prepared on each connection.
const maxRows = 16

// fitsRows reports whether c's rows of each kind are few enough for
// oneStatement. c must hold one write.
func (c *columns) fitsRows() bool {
	return len(c.seenLead) <= maxRows && len(c.histLead) <= maxRows &&
		len(c.dlLead) <= maxRows && len(c.outKey) <= maxRows
}

// oneStatement returns the statement that makes the one write w, whose
// columns c holds, and checks it, as statement does for a batch, with
// its arguments: each value a parameter of its own, rows as VALUES, no
// array. Its plan is the same whatever the values, so PostgreSQL settles
// on a generic plan after its first runs on a connection, without the
// per-transaction setting statement needs; a write of an event costs the
// server a sixth less CPU (BenchmarkHandle). Its text depends only on how
// many rows of each kind w has.
func (c *columns) oneStatement(q *queries, w *leadline.Write) (string, []any) {
	var (
		b    strings.Builder
		args params
	)
	arg := args.add
	// rows writes n rows of VALUES, row i's parameters from col(i).
	rows := func(n int, col func(i int) []any) {
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range col(i) {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(arg(v))
			}
			b.WriteByte(')')
		}
	}
	r := &c.upd
	if len(r.id) == 0 {
		r = &c.ins
	}
	if r == &c.upd {
		fmt.Fprintf(&b, q.updateOne, arg(r.id[0]), arg(r.version[0]), arg(r.owner[0]), arg(r.created[0]),
			arg(r.open[0]), arg(r.active[0]), arg(r.attempted[0]), arg(r.desk[0]), arg(r.body[0]))
	} else {
		fmt.Fprintf(&b, q.insertOne, arg(r.id[0]), arg(r.owner[0]), arg(r.created[0]),
			arg(r.open[0]), arg(r.active[0]), arg(r.attempted[0]), arg(r.desk[0]), arg(r.body[0]))
	}
	if n := len(c.seenLead); n > 0 {
		b.WriteString(q.seenRows)
		rows(n, func(i int) []any { return []any{c.seenLead[i], c.seenEvent[i], c.seenAt[i], c.seenPrint[i]} })
		b.WriteString(q.seenRowsEnd)
	} else {
		b.WriteString(q.noSeenCTE)
	}
	if n := len(c.histLead); n > 0 {
		b.WriteString(q.historyRows)
		rows(n, func(i int) []any {
			return []any{c.histLead[i], c.histAt[i], c.histField[i], c.histActor[i], c.histEvent[i],
				c.histFrom[i], c.histTo[i], c.histRule[i], c.histReason[i]}
		})
		b.WriteByte(')')
	}
	if len(c.dropLeads) > 0 {
		fmt.Fprintf(&b, q.dropOne, arg(c.dropLeads[0]))
	}
	if n := len(c.dlLead); n > 0 {
		b.WriteString(q.deadlineRows)
		rows(n, func(i int) []any { return []any{c.dlLead[i], c.dlKind[i], c.dlDue[i]} })
		b.WriteByte(')')
	}
	if n := len(c.outKey); n > 0 {
		b.WriteString(q.outboxRows)
		rows(n, func(i int) []any { return []any{c.outKey[i], c.outBody[i]} })
		b.WriteString(q.outboxRowsEnd)
	}
	want := 0
	if w.Event != "" {
		want = 1 + len(w.Events)
	}
	fmt.Fprintf(&b, q.checkOne, arg(int64(want)))
	return b.String(), args
}
