// Package postgres keeps leadline's state in PostgreSQL: a
// [leadline.Store] and a report.Reader that several engine instances, in
// one process or many, share.
//
// # Use
//
// The host owns the pool; the store never closes it. Migrate once at
// start (every instance may: it is idempotent and serialized by an
// advisory lock), then build the engine over the store:
//
//	st := postgres.New(pool, postgres.WithSchema("sales"))
//	if err := st.Migrate(ctx); err != nil { ... }
//	eng, err := leadline.New(st, cfg)
//
// # Tables
//
// The tables live in one schema ([WithSchema], default "leadline"); every
// statement names them qualified, so no statement depends on
// search_path, and every value is a parameter. A lead is one row of
// leads, its [lead.Lead] as JSON beside the columns the queries filter
// and order on (owner, created, open work, running cadence, worklist,
// desk, campaigns) and the version of its compare-and-set. Its history
// (E3), pending deadlines (E5), handled event ids (E2) and notifications
// (E4) have a table each; so do the places given back to the round-robin
// sequences (M9), each of which is a PostgreSQL sequence, and campaigns
// (M7). A history entry is a row of columns, one per part of its
// [lead.Change] (lead, at, field, actor, event, from_key, to_key, rule,
// reason; migration 0004), not JSON: a write sends them as text arrays
// and a report reads the parts it compares without decoding anything. A
// notification's body is json, kept as written (migration 0005): no
// statement reads into it. The index of the leads' campaigns holds only
// the leads that responded to one (migration 0005), so that a write that
// moves another lead's row (an owner change does) updates one index
// less.
// Ids, owners and a change's keys use the "C" collation, so
// the database orders them as Go compares strings.
//
// # Writes
//
// Every [Store.Apply] and [Store.ApplyBatch] is one transaction in one
// round trip: a pipeline of statements ended by one Sync, which the
// server runs as one implicit transaction and commits at the Sync. One
// statement makes every write: for a batch, with arrays (sent in
// PostgreSQL's binary format, written by the store); for a single write
// of a few rows (an event's), with a parameter per value (written by the
// store too), whose plan the server then keeps. The compare-and-set of the
// leads (an UPDATE on id and version; an INSERT for version 0), the
// event ids, history, deadlines and outbox, each a data-modifying CTE,
// and checks what they did: the first write, in batch order, whose event
// ids were recorded before (E2, first) or whose lead was not written
// makes the server raise SQLSTATE LLD01 or LLC01 (the refuse function of
// migration 0003), which rolls it all back (a single write's repeated
// event id fails its insert into seen first, a unique violation read as
// the same duplicate); then retention. A cancelled
// context, a statement timeout or a lost connection rolls it all back
// too: a write whose context ends while the server still runs it is
// cancelled on the server, as its commit is already on the way.
// The write statements are prepared on each connection (named
// statements: a handful of texts for batches, and one for each shape of
// a single write, so many rows of each kind, up to 512 shapes a store,
// beyond which a single write goes as a batch does): behind a connection
// pooler in transaction mode, use one that keeps prepared statements
// (PgBouncer 1.21 or later, with max_prepared_statements set). A lead's
// and a notification's JSON are written and a lead's read field by
// field, as encoding/json writes and reads them; a stored body the
// reader does not know (from another writer, say) is read by
// encoding/json.
// Driver errors are translated in one place by SQLSTATE: no rows is
// leaderr.ErrNotFound, a unique violation, serialization failure or
// deadlock is leaderr.ErrConflict (but one on seen, a single write's
// event id, leaderr.ErrDuplicateEvent; and LLD01 leaderr.ErrDuplicateEvent,
// LLC01 leaderr.ErrConflict, naming the write), a cancelled statement [ErrTimeout], a
// lost connection [leaderr.ErrUnavailable], text PostgreSQL cannot hold (a NUL
// byte) [ErrText].
//
// # Claims
//
// [Store.ClaimDue] and [Store.ClaimOutbox] claim with one statement each,
// selecting FOR UPDATE SKIP LOCKED and stamping the claim's end, so
// concurrent sweepers and deliverers share the work without waiting on
// each other. The engine's instant is a parameter: no statement reads the
// database's clock. A claim of deadlines commits without waiting for the
// disk: it is a lease, which a crash of the database may lose, leaving
// the deadlines claimable as a lapsed lease does; the sweep's write of
// their effects waits for the disk. Instants are timestamptz, kept to the microsecond,
// the precision the engine writes; a deadline's Due and a change's At
// come back in the local zone (Equal to the instant written), a lead's
// instants at the UTC offset they were written with (Equal too, but a
// fixed offset: the zone's name and its daylight-saving rules are not
// kept; the engine writes texts and reports in the policy's zone).
//
// # Reports
//
// The report.Reader methods are SQL over indexes: open leads by owner
// (a partial index), leads by creation instant, history by (at, lead,
// seq) streamed through the iterator of [Store.Changes], score entries
// by lead (a partial index, E8). None loads every lead.
//
// The rows come back narrow: a change's parts are columns, and the
// database extracts the parts of a lead a report shows from the stored
// JSON, so that a report decodes no whole body (report.Summarizer for the worklist,
// requests, overdue and created lists). The funnel's steps
// (report.StepReader, V7) are counted in SQL, one pass over the
// period's history, in a read-only transaction without JIT. The SLA's
// counts (report.SLAReader, V9) take one scan of the period's history,
// which returns only the entries that count, each reduced to its kind,
// walked once per lead in Go, and one scan of the primary key for the
// leads' owners and desks, both in one repeatable-read snapshot.
// memstore counts both in Go from the history, the reference the tests
// compare with.
package postgres
