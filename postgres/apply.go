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

// carve makes the columns of n leads from the shared arrays (see carve).
func (r *leadRows) carve(n int, strs *[]string, times *[]time.Time, bools *[]bool, ints *[]int64) {
	r.id, r.owner, r.desk, r.body = carve(strs, n), carve(strs, n), carve(strs, n), carve(strs, n)
	r.created, r.version = carve(times, n), carve(ints, n)
	r.open, r.active, r.attempted = carve(bools, n), carve(bools, n), carve(bools, n)
}

// carve returns the next n elements of *shared as an empty column of
// capacity n, and moves *shared past them: a write's columns of a type
// share one array, so that they cost one allocation, not one each.
func carve[T any](shared *[]T, n int) []T {
	col := (*shared)[:0:n]
	*shared = (*shared)[n:]
	return col
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
	// has thousands of rows of each kind, an event's write a few, and
	// the columns of a type share one array.
	var ins, seen, hist, dls, notes int
	for i := range ws {
		w := &ws[i]
		if w.Lead.Version == 0 {
			ins++
		}
		if w.Event != "" {
			seen += 1 + len(w.Events)
		}
		hist += len(w.History)
		dls += len(w.Deadlines)
		notes += len(w.Outbox)
	}
	strs := make([]string, 4*len(ws)+2*seen+8*hist+2*dls+2*notes)
	times := make([]time.Time, len(ws)+seen+hist+dls)
	bools := make([]bool, 3*len(ws))
	ints := make([]int64, len(ws)+seen)
	c.ins.carve(ins, &strs, &times, &bools, &ints)
	c.upd.carve(len(ws)-ins, &strs, &times, &bools, &ints)
	c.seenLead, c.seenEvent, c.seenAt, c.seenPrint = carve(&strs, seen), carve(&strs, seen), carve(&times, seen), carve(&ints, seen)
	for _, col := range []*[]string{&c.histLead, &c.histField, &c.histActor, &c.histEvent, &c.histFrom, &c.histTo, &c.histRule, &c.histReason} {
		*col = carve(&strs, hist)
	}
	c.histAt = carve(&times, hist)
	c.dlLead, c.dlKind, c.dlDue = carve(&strs, dls), carve(&strs, dls), carve(&times, dls)
	c.outKey, c.outBody = carve(&strs, notes), carve(&strs, notes)
	type updated struct {
		i    int
		body string
	}
	var (
		upd = make([]updated, 0, len(ws)-ins)
		// The JSON of a lead or notification, reused: room for a lead's.
		buf = make([]byte, 0, 1024)
		err error
	)
	// The notifications' keys so far, in a set when a linear search of
	// them would cost more.
	var keys map[string]struct{}
	if notes > 16 {
		keys = make(map[string]struct{}, notes)
	}
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
			for j := range 1 + len(w.Events) {
				ev, print := w.Event, w.Print
				if j > 0 {
					ev, print = w.Events[j-1], 0
					if len(w.Prints) > 0 {
						print = w.Prints[j-1]
					}
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
			// The first of a key in the batch wins, as a pending one does.
			if keys != nil {
				if _, dup := keys[n.Key]; dup {
					continue
				}
				keys[n.Key] = struct{}{}
			} else if slices.Contains(c.outKey, n.Key) {
				continue
			}
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
// end). A single write's statement (oneStatement) inserts its event ids
// plainly instead, and one recorded before fails the insert, before the
// check, with a unique violation that refusal reads as the duplicate. A
// cancelled context or a statement timeout aborts the transaction;
// nothing is half-written.
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
	var one *oneText
	if len(ws) == 1 && c.fitsRows() {
		one = s.oneText(c)
	}
	if one != nil {
		err = s.sendOne(ctx, conn.Conn(), c, one)
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

// sendOne sends the one write whose columns c holds as the statement
// of plain values of its shape (oneStatement, its text t), prepared once
// per connection, its parameters written by scalarParams.
func (s *Store) sendOne(ctx context.Context, conn *pgx.Conn, c *columns, t *oneText) error {
	sd, err := conn.Prepare(ctx, t.name, t.sql)
	if err != nil {
		return err
	}
	r := c.one()
	// Room for the lead's JSON and the rest, a few hundred bytes, and
	// for every parameter (see oneStatement).
	n := 11 + 2*len(c.seenLead) + 8*len(c.histLead) + 2*len(c.dlLead) + 2*len(c.outKey)
	p := scalarParams{buf: make([]byte, 0, len(r.body[0])+1024), ends: make([]int, 0, n), types: make([]uint32, 0, n)}
	c.oneStatement(&s.q, &p, nil)
	values, formats, err := p.values(sd.ParamOIDs)
	if err != nil {
		return err
	}
	b := &pgconn.Batch{}
	b.ExecStatement(sd, values, formats, nil)
	return s.sendWith(ctx, conn, b, c)
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
	return s.sendWith(ctx, conn, b, c)
}

// sendWith sends the batch b, which holds a write's statement, with the
// statements that prune what c's writes let go of (history and event ids
// past their retention), in one round trip and one implicit transaction,
// ended by the batch's Sync.
func (s *Store) sendWith(ctx context.Context, conn *pgx.Conn, b *pgconn.Batch, c *columns) error {
	q := &s.q
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
	_, err := conn.PgConn().ExecBatch(ctx, b).ReadAll()
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
	// codeUniqueViolation on the seen table is a single write's refusal
	// as a duplicate (oneStatement).
	codeUniqueViolation = "23505"
)

// refusal translates the error of a write's batch: a refusal of the
// server names the write, from the error's DETAIL (the write's index, set
// by the refuse function), and wraps [leaderr.ErrDuplicateEvent] or
// [leaderr.ErrConflict] as the SQLSTATE says; a unique violation on the
// event ids of a single write is that write's duplicate (E2); any other
// error is interpreted by [interpretError].
func refusal(ws []leadline.Write, err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return interpretError(err)
	}
	code, i := pe.Code, -1
	switch {
	case code == codeDuplicate || code == codeConflict:
		if n, perr := strconv.Atoi(pe.Detail); perr == nil {
			i = n
		}
	case code == codeUniqueViolation && pe.TableName == "seen" && len(ws) == 1:
		// A single write's event id recorded before (oneStatement).
		code, i = codeDuplicate, 0
	default:
		return interpretError(err)
	}
	if i < 0 || i >= len(ws) {
		// Not a detail the refuse function sets: the kind is still sure.
		if code == codeDuplicate {
			return fmt.Errorf("%w: %w", leaderr.ErrDuplicateEvent, err)
		}
		return fmt.Errorf("%w: %w", leaderr.ErrConflict, err)
	}
	w := &ws[i]
	if code == codeDuplicate {
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

// oneStatement writes the parameters of the statement that makes the
// one write whose columns c holds, and checks it, as statement does
// for a batch, into p, and, when sql is not nil, the statement's text
// into sql: each value a parameter of its own, rows as VALUES, no array.
// The lead's id, and the instant its event ids are recorded at, are one
// parameter each, whatever the rows that repeat them. The text depends
// only on c's shape, so a store writes it once a shape (oneText) and
// then only the parameters.
//
// The plan is the same whatever the values, so PostgreSQL settles on a
// generic plan after its first runs on a connection, without the
// per-transaction setting statement needs; a write of an event costs the
// server a sixth less CPU (BenchmarkHandle).
func (c *columns) oneStatement(q *queries, p *scalarParams, sql *strings.Builder) {
	// text writes s into the statement's text, when it is wanted.
	text := func(s string) {
		if sql != nil {
			sql.WriteString(s)
		}
	}
	// rows writes n rows of VALUES, row i's values by row(i, put), which
	// puts each value's placeholder.
	rows := func(n int, row func(i int, put func(string))) {
		j := 0 // the place of the next value in its row
		put := func(ph string) {
			if j > 0 {
				text(", ")
			}
			text(ph)
			j++
		}
		for i := range n {
			if i > 0 {
				text(", ")
			}
			text("(")
			j = 0
			row(i, put)
			text(")")
		}
	}
	printf := func(format string, a ...any) {
		if sql != nil {
			fmt.Fprintf(sql, format, a...)
		}
	}
	p.named = sql != nil
	r := c.one()
	id := p.text(r.id[0])
	if r == &c.upd {
		printf(q.updateOne, id, p.int8(r.version[0]), p.text(r.owner[0]), p.timestamptz(r.created[0]),
			p.boolean(r.open[0]), p.boolean(r.active[0]), p.boolean(r.attempted[0]), p.text(r.desk[0]), p.text(r.body[0]))
	} else {
		printf(q.insertOne, id, p.text(r.owner[0]), p.timestamptz(r.created[0]),
			p.boolean(r.open[0]), p.boolean(r.active[0]), p.boolean(r.attempted[0]), p.text(r.desk[0]), p.text(r.body[0]))
	}
	if n := len(c.seenLead); n > 0 {
		text(q.seenRows)
		at := p.timestamptz(c.seenAt[0]) // the write's instant, every row's
		rows(n, func(i int, put func(string)) {
			put(id)
			put(p.text(c.seenEvent[i]))
			put(at)
			put(p.int8(c.seenPrint[i]))
		})
		text(q.seenRowsEnd)
	} else {
		text(q.noSeenCTE)
	}
	if n := len(c.histLead); n > 0 {
		text(q.historyRows)
		rows(n, func(i int, put func(string)) {
			put(id)
			put(p.timestamptz(c.histAt[i]))
			for _, v := range [...]string{c.histField[i], c.histActor[i], c.histEvent[i], c.histFrom[i], c.histTo[i], c.histRule[i], c.histReason[i]} {
				put(p.text(v))
			}
		})
		text(")")
	}
	if len(c.dropLeads) > 0 {
		printf(q.dropOne, id)
	}
	if n := len(c.dlLead); n > 0 {
		text(q.deadlineRows)
		rows(n, func(i int, put func(string)) {
			put(id)
			put(p.text(c.dlKind[i]))
			put(p.timestamptz(c.dlDue[i]))
		})
		text(")")
	}
	if n := len(c.outKey); n > 0 {
		text(q.outboxRows)
		rows(n, func(i int, put func(string)) {
			put(p.text(c.outKey[i]))
			put(p.text(c.outBody[i]))
		})
		text(q.outboxRowsEnd)
	}
	text(q.checkOne)
}

// one returns the row of c's one write's lead: to update, else to insert.
func (c *columns) one() *leadRows {
	if len(c.upd.id) > 0 {
		return &c.upd
	}
	return &c.ins
}

// oneShape is what the text of a single write's statement depends on
// (oneStatement): whether it updates or inserts the lead and replaces
// its deadlines, and how many rows of each kind it writes.
type oneShape struct {
	insert, drop           bool
	seen, hist, dls, notes uint8
}

// shape returns the shape of c's one write, which fitsRows accepted.
func (c *columns) shape() oneShape {
	return oneShape{insert: len(c.upd.id) == 0, drop: len(c.dropLeads) > 0,
		seen: uint8(len(c.seenLead)), hist: uint8(len(c.histLead)), dls: uint8(len(c.dlLead)), notes: uint8(len(c.outKey))}
}

// oneText is the text of a single write's statement of one shape, and
// the name it is prepared under on each connection: a digest of the
// text, so that stores of different schemas sharing a pool never mix
// theirs.
type oneText struct{ name, sql string }

// maxShapes bounds the shapes of single writes a store keeps a text of,
// and so the statements it prepares on each connection: a write of a
// shape beyond them is sent as arrays (sendArrays), as a batch is. The
// events of a team come in a few dozen shapes.
const maxShapes = 512

// oneText returns the text of the statement of c's one write, written
// once for its shape, or nil when the store keeps maxShapes others.
func (s *Store) oneText(c *columns) *oneText {
	shape := c.shape()
	s.textsMu.RLock()
	t, ok := s.texts[shape]
	full := len(s.texts) >= maxShapes
	s.textsMu.RUnlock()
	if ok || full {
		return t
	}
	var (
		p   scalarParams
		sql strings.Builder
	)
	c.oneStatement(&s.q, &p, &sql)
	sum := sha256.Sum256([]byte(sql.String()))
	s.textsMu.Lock()
	defer s.textsMu.Unlock()
	if t, ok := s.texts[shape]; ok || len(s.texts) >= maxShapes {
		return t // written meanwhile by another write, or no room left
	}
	if s.texts == nil {
		s.texts = make(map[oneShape]*oneText)
	}
	t = &oneText{name: "leadline_one_" + hex.EncodeToString(sum[:12]), sql: sql.String()}
	s.texts[shape] = t
	return t
}
