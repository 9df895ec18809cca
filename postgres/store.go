package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
)

var _ leadline.Store = (*Store)(nil)

// DefaultSchema is the schema a [Store] uses without [WithSchema].
const DefaultSchema = "leadline"

// Store is a [leadline.Store] and a report.Reader in PostgreSQL tables of
// one schema, over a pool the host owns. Several Stores, in one process
// or many, may share a schema: they share its leads, deadlines and outbox,
// and every write is a transaction. Call [Store.Migrate] once before use.
type Store struct {
	pool   *pgxpool.Pool
	schema string
	q      queries
	// texts holds the text of a single write's statement by its shape,
	// written once, up to maxShapes of them (oneText).
	textsMu sync.RWMutex
	texts   map[oneShape]*oneText
}

// Option configures a [Store].
type Option func(*Store)

// WithSchema keeps the store's tables in schema instead of
// [DefaultSchema], so that tenants, and tests, can share one database.
// The name is quoted as an identifier, never spliced as SQL. It must be
// 1 to 63 bytes, as PostgreSQL cuts longer names (two tenants whose
// names differ only after byte 63 would share tables), without NUL or
// '$' (the migrations' function bodies are dollar-quoted); [Store.Migrate]
// refuses any other name.
func WithSchema(schema string) Option {
	return func(s *Store) { s.schema = schema }
}

// New returns a store over pool, whose lifetime the host owns: the store
// never closes it. Switching an engine from memstore is one line:
//
//	eng, err := leadline.New(postgres.New(pool), cfg)
func New(pool *pgxpool.Pool, opts ...Option) *Store {
	s := &Store{pool: pool, schema: DefaultSchema}
	for _, o := range opts {
		o(s)
	}
	s.q = newQueries(pgx.Identifier{s.schema}.Sanitize())
	return s
}

// Schema returns the schema the store's tables are in.
func (s *Store) Schema() string { return s.schema }

// Lead returns the lead with id, or an error wrapping
// [leaderr.ErrNotFound].
func (s *Store) Lead(ctx context.Context, id string) (lead.Lead, error) {
	var (
		version int64
		body    []byte
	)
	err := s.pool.QueryRow(ctx, s.q.lead, id).Scan(&version, &body)
	if err != nil {
		return lead.Lead{}, fmt.Errorf("postgres: lead %s: %w", id, interpretError(err))
	}
	l, err := decodeLead(version, body)
	if err != nil {
		return lead.Lead{}, fmt.Errorf("postgres: lead %s: %w", id, err)
	}
	return l, nil
}

// Seen reports whether a write of the lead recorded the event id, and
// the fingerprint of the payload it was recorded with (E2). It is false
// for "". The fingerprint is kept in a bigint column, its 64 bits as they
// are.
func (s *Store) Seen(ctx context.Context, leadID, eventID string) (uint64, bool, error) {
	if eventID == "" {
		if err := ctx.Err(); err != nil {
			return 0, false, fmt.Errorf("postgres: seen %s: %w", eventID, err)
		}
		return 0, false, nil
	}
	var print int64
	err := s.pool.QueryRow(ctx, s.q.seen, leadID, eventID).Scan(&print)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("postgres: seen %s: %w", eventID, interpretError(err))
	}
	return uint64(print), true, nil
}

// SeenEvents is [Store.Seen] for each of ids, in one query: whether a
// write of the lead recorded each id, and its fingerprint (E2). The
// engine's HandleBatch checks a batch's event ids with it in one round
// trip instead of one an event.
func (s *Store) SeenEvents(ctx context.Context, leadID string, ids []string) ([]uint64, []bool, error) {
	if len(ids) == 0 {
		return make([]uint64, 0), make([]bool, 0), ctx.Err()
	}
	rows, err := s.pool.Query(ctx, s.q.seenMany, leadID, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: seen events of %s: %w", leadID, interpretError(err))
	}
	return seenOf(rows, leadID, ids)
}

// LeadSeen is [Store.Lead] and [Store.SeenEvents] in one round trip: the
// lead with id, and whether a write of it recorded each of ids, with
// its fingerprint (E2). The engine's HandleBatch reads a batch's lead and
// checks its event ids with it: a burst of a lead's events costs two
// round trips, this read and the write, as one event does. A missing
// lead is an error wrapping [leaderr.ErrNotFound].
func (s *Store) LeadSeen(ctx context.Context, id string, ids []string) (lead.Lead, []uint64, []bool, error) {
	b := &pgx.Batch{}
	b.Queue(s.q.lead, id)
	b.Queue(s.q.seenMany, id, ids)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	var (
		version int64
		body    []byte
	)
	if err := br.QueryRow().Scan(&version, &body); err != nil {
		return lead.Lead{}, nil, nil, fmt.Errorf("postgres: lead %s: %w", id, interpretError(err))
	}
	l, err := decodeLead(version, body)
	if err != nil {
		return lead.Lead{}, nil, nil, fmt.Errorf("postgres: lead %s: %w", id, err)
	}
	rows, err := br.Query()
	if err != nil {
		return lead.Lead{}, nil, nil, fmt.Errorf("postgres: seen events of %s: %w", id, interpretError(err))
	}
	prints, seen, err := seenOf(rows, id, ids)
	if err != nil {
		return lead.Lead{}, nil, nil, err
	}
	return l, prints, seen, br.Close()
}

// seenOf reads the rows of queries.seenMany into the fingerprints and
// recorded flags of ids, in their order.
func seenOf(rows pgx.Rows, leadID string, ids []string) ([]uint64, []bool, error) {
	prints := make([]uint64, len(ids))
	seen := make([]bool, len(ids))
	at := make(map[string]int64, len(ids))
	var (
		event string
		print int64
	)
	if _, err := pgx.ForEachRow(rows, []any{&event, &print}, func() error {
		at[event] = print
		return nil
	}); err != nil {
		return nil, nil, fmt.Errorf("postgres: seen events of %s: %w", leadID, interpretError(err))
	}
	for i, id := range ids {
		if p, ok := at[id]; ok && id != "" {
			prints[i], seen[i] = uint64(p), true
		}
	}
	return prints, seen, nil
}

// Apply makes one write in one transaction, as [leadline.LeadStore] says:
// the duplicate check first (E2), then the compare-and-set of the lead,
// its history, deadlines, event ids, outbox and retention. A cancelled
// context or a statement timeout rolls it all back.
func (s *Store) Apply(ctx context.Context, w leadline.Write) error {
	if err := check(&w); err != nil {
		return fmt.Errorf("postgres: apply %s: %w", w.Lead.ID, err)
	}
	if err := s.apply(ctx, []leadline.Write{w}); err != nil {
		return fmt.Errorf("postgres: apply %s: %w", w.Lead.ID, err)
	}
	return nil
}

// ApplyBatch makes the writes ws in one transaction, all or nothing, as
// [leadline.LeadStore] says (E2, E9): each statement covers every write
// at once, with arrays, so a batch of a hundred writes costs the round
// trips of one.
func (s *Store) ApplyBatch(ctx context.Context, ws []leadline.Write) error {
	ids := make(map[string]int, len(ws))
	for i := range ws {
		if err := check(&ws[i]); err != nil {
			return fmt.Errorf("postgres: apply batch: write %d: %w", i, err)
		}
		if j, dup := ids[ws[i].Lead.ID]; dup {
			return fmt.Errorf("postgres: apply batch: write %d: %w", i,
				leaderr.Errorf(fmt.Sprintf("writes[%d].lead", i), "lead %s is written by writes[%d] too; one write per lead", ws[i].Lead.ID, j))
		}
		ids[ws[i].Lead.ID] = i
	}
	if len(ws) == 0 {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("postgres: apply batch: %w", err)
		}
		return nil
	}
	if err := s.apply(ctx, ws); err != nil {
		return fmt.Errorf("postgres: apply batch: %w", err)
	}
	return nil
}

// check refuses a write the store cannot file under its lead
// ([leadline.Write.Check]).
func check(w *leadline.Write) error { return w.Check() }

// ClaimDue claims up to limit unclaimed deadlines due before now, in
// (Due, Lead, Kind) order (E5), until now+lease. Concurrent sweepers
// skip each other's locked rows (FOR UPDATE SKIP LOCKED) rather than
// wait. now is a parameter: the SQL never reads the database's clock.
//
// The claim commits without waiting for the disk (see claimTx): a claim
// is a lease, and one a crash of the database loses leaves its
// deadlines claimable, as a lease that ran out does.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]lead.Deadline, error) {
	if limit < 1 {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("postgres: claim due: %w", err)
		}
		return nil, nil
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim due: %w", interpretError(err))
	}
	defer conn.Release()
	br := s.claimTx(ctx, conn, s.q.claimDue, now, limit, now.Add(lease))
	defer br.Close() //nolint:errcheck // the error is the rows' or Close's below
	if _, err := br.Exec(); err != nil {
		return nil, fmt.Errorf("postgres: claim due: %w", interpretError(err))
	}
	rows, err := br.Query()
	if err != nil {
		return nil, fmt.Errorf("postgres: claim due: %w", interpretError(err))
	}
	var out []lead.Deadline
	for rows.Next() {
		var (
			d    lead.Deadline
			kind string
		)
		if err := rows.Scan(&d.Lead, &kind, &d.Due); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: claim due: %w", interpretError(err))
		}
		if err := d.Kind.UnmarshalText([]byte(kind)); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: claim due: deadline of %s: %w", d.Lead, err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: claim due: %w", interpretError(err))
	}
	if err := br.Close(); err != nil {
		return nil, fmt.Errorf("postgres: claim due: %w", interpretError(err))
	}
	slices.SortFunc(out, func(a, b lead.Deadline) int {
		switch {
		case a.Less(b):
			return -1
		case b.Less(a):
			return 1
		}
		return 0
	})
	return out, nil
}

// claimTx sends sql with args in a transaction of its own that commits
// without waiting for the disk (synchronous_commit off, local to it), in
// one round trip: a pipeline of the setting and the statement, ended by
// one Sync. It is for the claims of deadlines, which are leases: a crash
// of the database that loses one leaves the deadlines claimable, as a
// lease that ran out does, and a later write that waits for the disk
// (a sweep's, of the deadlines' effects) makes the claims before it
// durable with it. The batch's first result is the setting's.
func (s *Store) claimTx(ctx context.Context, conn *pgxpool.Conn, sql string, args ...any) pgx.BatchResults {
	b := &pgx.Batch{}
	b.Queue(s.q.asyncCommit)
	b.Queue(sql, args...)
	return conn.SendBatch(ctx, b)
}

// ReleaseDue ends the claims on ds, as [leadline.LeadStore] says (E5),
// committing without waiting for the disk, as ClaimDue does.
func (s *Store) ReleaseDue(ctx context.Context, ds []lead.Deadline) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("postgres: release due: %w", err)
	}
	if len(ds) == 0 {
		return nil
	}
	leads := make([]string, len(ds))
	kinds := make([]string, len(ds))
	dues := make([]time.Time, len(ds))
	for i, d := range ds {
		leads[i], kinds[i], dues[i] = d.Lead, d.Kind.String(), d.Due
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: release due: %w", interpretError(err))
	}
	defer conn.Release()
	if err := s.claimTx(ctx, conn, s.q.releaseDue, leads, kinds, dues).Close(); err != nil {
		return fmt.Errorf("postgres: release due: %w", interpretError(err))
	}
	return nil
}

// NextTicket takes a place of the round-robin sequence (M9): the
// smallest place given back, else the next number, from 0. It is one
// statement in a transaction of its own, and the next number comes from a
// PostgreSQL sequence (migration 0003), which holds no lock until the
// taker commits: concurrent engines take places without queueing on one
// another, and a place needs a wait for the disk once in 32. A crash of
// the database may skip up to 32 places (a rep or a few skipped once);
// it never hands one out twice.
func (s *Store) NextTicket(ctx context.Context, sequence string) (uint64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, s.q.takeTicket, sequence).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: ticket %s: %w", sequence, interpretError(err))
	}
	return uint64(n), nil
}

// NextTickets takes n places of the round-robin sequence at once, as n
// NextTicket calls would (M9), smallest first, in one statement: the
// engine's sweep takes the places of a batch's reassignments with it and
// gives back those it does not use.
func (s *Store) NextTickets(ctx context.Context, sequence string, n int) ([]uint64, error) {
	if n < 1 {
		return nil, ctx.Err()
	}
	rows, err := s.pool.Query(ctx, s.q.takeTickets, sequence, n)
	if err != nil {
		return nil, fmt.Errorf("postgres: tickets %s: %w", sequence, interpretError(err))
	}
	out := make([]uint64, 0, n)
	var p int64
	if _, err := pgx.ForEachRow(rows, []any{&p}, func() error {
		out = append(out, uint64(p))
		return nil
	}); err != nil {
		return nil, fmt.Errorf("postgres: tickets %s: %w", sequence, interpretError(err))
	}
	slices.Sort(out)
	return out, nil
}

// ReturnTickets gives back places taken and not used (E2, M9), for
// NextTicket to take first. A place never taken, or given back already,
// is ignored.
func (s *Store) ReturnTickets(ctx context.Context, ts []leadline.Ticket) error {
	if len(ts) == 0 {
		return ctx.Err()
	}
	names := make([]string, len(ts))
	numbers := make([]int64, 0, len(ts))
	names = names[:0]
	for _, t := range ts {
		if t.Number > math.MaxInt64 {
			continue // past any place a sequence gives: never taken
		}
		names, numbers = append(names, t.Sequence), append(numbers, int64(t.Number))
	}
	if _, err := s.pool.Exec(ctx, s.q.giveBack, names, numbers); err != nil {
		return fmt.Errorf("postgres: return tickets: %w", interpretError(err))
	}
	return nil
}

// Load returns, for each rep, how many leads they own whose cadence is
// running (M9), counted on the partial index of running cadences.
func (s *Store) Load(ctx context.Context, reps []string) ([]int, error) {
	out := make([]int, len(reps))
	if len(reps) == 0 {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("postgres: load: %w", err)
		}
		return out, nil
	}
	rows, err := s.pool.Query(ctx, s.q.load, reps)
	if err != nil {
		return nil, fmt.Errorf("postgres: load: %w", interpretError(err))
	}
	counts := make(map[string]int, len(reps))
	for rows.Next() {
		var (
			owner string
			n     int
		)
		if err := rows.Scan(&owner, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: load: %w", interpretError(err))
		}
		counts[owner] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: load: %w", interpretError(err))
	}
	for i, r := range reps {
		out[i] = counts[r]
	}
	return out, nil
}

// Leads returns the leads that match q, ordered by id, paging by key
// (id > After ORDER BY id LIMIT). Each filter of [leadline.Query] is a
// condition on an indexed column.
func (s *Store) Leads(ctx context.Context, q leadline.Query) ([]lead.Lead, error) {
	var (
		b    strings.Builder
		args = []any{q.After}
	)
	b.WriteString(s.q.leadsBase)
	if q.Owner != "" {
		args = append(args, q.Owner)
		fmt.Fprintf(&b, " AND owner = $%d", len(args))
	}
	if q.Attempted {
		b.WriteString(" AND attempted")
	}
	if q.Campaign != "" {
		c, err := json.Marshal([]string{q.Campaign})
		if err != nil {
			return nil, fmt.Errorf("postgres: leads: %w", err)
		}
		args = append(args, string(c))
		// The index of campaigns holds the leads with one (migration
		// 0005): the second condition, which the first implies, lets
		// the planner use it.
		fmt.Fprintf(&b, " AND campaigns @> $%d::jsonb AND campaigns <> '[]'::jsonb", len(args))
	}
	b.WriteString(" ORDER BY id")
	if q.Limit > 0 {
		args = append(args, q.Limit)
		fmt.Fprintf(&b, " LIMIT $%d", len(args))
	}
	ls, err := s.queryLeads(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: leads: %w", err)
	}
	return ls, nil
}

// The fields of leadline.Query that Leads knows: a filter added to Query
// fails to convert here, so that Leads learns it.
var _ = struct {
	Owner     string
	Attempted bool
	Campaign  string
	After     string
	Limit     int
}(leadline.Query{})

// queryLeads runs a query whose rows are (version, body) and decodes them.
func (s *Store) queryLeads(ctx context.Context, sql string, args ...any) ([]lead.Lead, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	out := []lead.Lead{}
	for rows.Next() {
		var (
			version int64
			body    []byte
		)
		if err := rows.Scan(&version, &body); err != nil {
			return nil, interpretError(err)
		}
		l, err := decodeLead(version, body)
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

// History returns the lead's history in write order; an empty slice for
// an unknown lead or one with none (E3).
func (s *Store) History(ctx context.Context, id string) ([]lead.Change, error) {
	rows, err := s.pool.Query(ctx, s.q.history, id)
	if err != nil {
		return nil, fmt.Errorf("postgres: history %s: %w", id, interpretError(err))
	}
	defer rows.Close()
	out := []lead.Change{}
	fields := make(map[string]lead.Field)
	for rows.Next() {
		c, err := scanChange(rows, fields)
		if err != nil {
			return nil, fmt.Errorf("postgres: history %s: %w", id, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: history %s: %w", id, interpretError(err))
	}
	return out, nil
}

// Campaign returns the campaign with id, or an error wrapping
// [leaderr.ErrNotFound] (M7).
func (s *Store) Campaign(ctx context.Context, id string) (routing.Campaign, error) {
	var (
		version int64
		body    []byte
	)
	if err := s.pool.QueryRow(ctx, s.q.campaign, id).Scan(&version, &body); err != nil {
		return routing.Campaign{}, fmt.Errorf("postgres: campaign %s: %w", id, interpretError(err))
	}
	c, err := decodeCampaign(version, body)
	if err != nil {
		return routing.Campaign{}, fmt.Errorf("postgres: campaign %s: %w", id, err)
	}
	return c, nil
}

// PutCampaign writes a campaign, compare-and-set on its version (M7): an
// insert for version 0, a version-checked update otherwise; no row
// written is an error wrapping [leaderr.ErrConflict].
func (s *Store) PutCampaign(ctx context.Context, c routing.Campaign) error {
	if c.ID == "" {
		return fmt.Errorf("postgres: put campaign: %w", leaderr.Errorf("campaign.id", "required"))
	}
	read := c.Version
	c.Version++
	body, err := encode(c)
	if err != nil {
		return fmt.Errorf("postgres: put campaign %s: %w", c.ID, err)
	}
	sql := s.q.updateCampaign
	if read == 0 {
		sql = s.q.insertCampaign
	}
	tag, err := s.pool.Exec(ctx, sql, c.ID, read, body)
	if err != nil {
		return fmt.Errorf("postgres: put campaign %s: %w", c.ID, interpretError(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: put campaign %s: read version %d: %w", c.ID, read, leaderr.ErrConflict)
	}
	return nil
}

// Campaigns returns every campaign, ordered by id (M7, V7).
func (s *Store) Campaigns(ctx context.Context) ([]routing.Campaign, error) {
	rows, err := s.pool.Query(ctx, s.q.campaigns)
	if err != nil {
		return nil, fmt.Errorf("postgres: campaigns: %w", interpretError(err))
	}
	defer rows.Close()
	out := []routing.Campaign{}
	for rows.Next() {
		var (
			version int64
			body    []byte
		)
		if err := rows.Scan(&version, &body); err != nil {
			return nil, fmt.Errorf("postgres: campaigns: %w", interpretError(err))
		}
		c, err := decodeCampaign(version, body)
		if err != nil {
			return nil, fmt.Errorf("postgres: campaigns: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: campaigns: %w", interpretError(err))
	}
	return out, nil
}

func decodeCampaign(version int64, body []byte) (routing.Campaign, error) {
	var c routing.Campaign
	if err := json.Unmarshal(body, &c); err != nil {
		return routing.Campaign{}, fmt.Errorf("stored campaign: %w", err)
	}
	c.Version = version
	return c, nil
}

func decodeLead(version int64, body []byte) (lead.Lead, error) {
	var l lead.Lead
	if !readLead(body, &l) {
		l = lead.Lead{}
		if err := json.Unmarshal(body, &l); err != nil {
			return lead.Lead{}, fmt.Errorf("stored lead: %w", err)
		}
	}
	l.Version = version
	return l, nil
}
