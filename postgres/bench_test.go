package postgres_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/internal/cputime"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/postgres"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

var (
	big   = flag.Bool("big", false, "run the benchmarks on 1,000,000 leads (BenchmarkSweep, BenchmarkReports): minutes of setup")
	reuse = flag.Bool("reuse", false, "with -big: keep the big benchmarks' schemas (bench_sweep, bench_reports) when they end and reuse them at the next run once loaded, so that the minutes of setup are spent once")
	// suffix keeps the schemas of two versions of the store apart, so
	// that one at an older migration can be measured beside a newer.
	suffix = flag.String("reuse-suffix", "", "with -reuse: a suffix of the kept schemas' names")
)

// benchPool opens a pool with the database's own durability (commits
// wait for the disk, as pgbench's do), for conns connections.
func benchPool(b *testing.B, conns int32) *pgxpool.Pool {
	b.Helper()
	cfg, err := pgxpool.ParseConfig(dbURL(b))
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns = conns
	cfg.ConnConfig.RuntimeParams["application_name"] = appName + "-bench"
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	return pool
}

// benchSchema migrates a fresh schema on pool, dropped when b ends.
func benchSchema(b *testing.B, pool *pgxpool.Pool, prefix string) *postgres.Store {
	b.Helper()
	schema := schemaName(prefix)
	st := postgres.New(pool, postgres.WithSchema(schema))
	if err := st.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = dropSchema(context.Background(), pool, schema) })
	return st
}

// cpuTimes returns the CPU time this process and the database's
// processes have used: a benchmark's cost that a machine others load
// leaves as it is while it stretches ns/op. The server's is read from
// /proc, the processes named postgres (the children that ended are in
// the postmaster's cutime and cstime), so it counts only a database on
// this machine, and all its sessions; ok is false without one.
func cpuTimes() (client, server time.Duration, ok bool) {
	client = cputime.Process()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	const tick = 10 * time.Millisecond // USER_HZ, 100 on Linux
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil || !bytes.Contains(b, []byte("(postgres)")) {
			continue
		}
		i := bytes.LastIndexByte(b, ')')
		fs := bytes.Fields(b[i+1:]) // from the state: utime is field 14 of the line, 12 here
		if len(fs) < 15 {
			continue
		}
		n := func(k int) time.Duration {
			v, _ := strconv.ParseInt(string(fs[k]), 10, 64)
			return time.Duration(v) * tick
		}
		server += n(11) + n(12) + n(13) + n(14)
		ok = true
	}
	return client, server, ok
}

// cpuMeter sums the CPU times of cpuTimes between start and stop.
type cpuMeter struct {
	client, server, c0, s0 time.Duration
	ok                     bool
}

func (m *cpuMeter) start() { m.c0, m.s0, m.ok = cpuTimes() }

func (m *cpuMeter) stop() {
	c, s, ok := cpuTimes()
	m.client += c - m.c0
	m.server += s - m.s0
	m.ok = m.ok && ok
}

// reportPer adds the CPU times per unit (an event, say) to b's
// metrics, in µs: n units were measured.
func (m *cpuMeter) reportPer(b *testing.B, n int, unit string) {
	b.ReportMetric(float64(m.client.Microseconds())/float64(n), "client-cpu-µs/"+unit)
	if m.ok {
		b.ReportMetric(float64(m.server.Microseconds())/float64(n), "server-cpu-µs/"+unit)
	}
}

// report adds the CPU times per op to b's metrics.
func (m *cpuMeter) report(b *testing.B) {
	b.ReportMetric(float64(m.client.Milliseconds())/float64(b.N), "client-cpu-ms/op")
	if m.ok {
		b.ReportMetric(float64(m.server.Milliseconds())/float64(b.N), "server-cpu-ms/op")
	}
}

// bigSchema returns the store of a big benchmark, its tables loaded by
// load: a fresh schema dropped when b ends, or, with -reuse, the schema
// name kept between runs, loaded once (a comment on the schema marks it
// loaded) and migrated at each run. reused says load was not called.
func bigSchema(b *testing.B, pool *pgxpool.Pool, name string, load func(st *postgres.Store)) (st *postgres.Store, reused bool) {
	b.Helper()
	if !*reuse {
		st = benchSchema(b, pool, name)
		load(st)
		return st, false
	}
	ctx := context.Background()
	name += *suffix
	const mark = "leadline benchmark: loaded"
	var comment *string
	if err := pool.QueryRow(ctx, `SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = $1`, name).Scan(&comment); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		b.Fatal(err)
	}
	st = postgres.New(pool, postgres.WithSchema(name))
	loaded := comment != nil && *comment == mark
	if !loaded {
		if err := dropSchema(ctx, pool, name); err != nil {
			b.Fatal(err)
		}
	}
	if err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if loaded {
		return st, true
	}
	load(st)
	if _, err := pool.Exec(ctx, `COMMENT ON SCHEMA `+pgx.Identifier{name}.Sanitize()+` IS '`+mark+`'`); err != nil {
		b.Fatal(err)
	}
	return st, false
}

// benchLead is a lead in a running cadence, as the engine writes one.
func benchLead(i int, at time.Time) lead.Lead {
	return lead.Lead{
		ID:      leadID(i),
		Profile: lead.Profile{Company: "Example KK", Name: "山田 花子", Source: "web"},
		Status:  lead.StatusLead,
		Score:   decimal.New(int64(i%200), 0),
		Owner:   fmt.Sprintf("rep-%02d", i%60),
		Created: at,
		Updated: at,
		Track:   stage.Track{Stage: stage.Stage1, Cadence: 1, Started: stage.InstantOf(at), Reached: [4]stage.Instant{stage.InstantOf(at)}, Due: stage.InstantOf(at.Add(48 * time.Hour))},
	}
}

// seedLeads writes n leads with ApplyBatch, 500 a transaction.
func seedLeads(b *testing.B, st *postgres.Store, n int, at time.Time) {
	b.Helper()
	var ws []leadline.Write
	for i := range n {
		l := benchLead(i, at)
		ws = append(ws, leadline.Write{Lead: l, Event: "c-" + l.ID, At: at, Deadlines: l.Deadlines(nil)})
		if len(ws) == 500 || i == n-1 {
			if err := st.ApplyBatch(context.Background(), ws); err != nil {
				b.Fatal(err)
			}
			ws = ws[:0]
		}
	}
}

// BenchmarkHandle measures Engine.Handle on PostgreSQL: 8 goroutines
// send score changes (a write of the lead and a history entry each, one
// transaction per event) to 8,000 leads. Compare events/s with pgbench
// -N -c 8 on the same database (bench/pg.sh).
func BenchmarkHandle(b *testing.B) {
	const leads, workers = 8000, 8
	pool := benchPool(b, workers+2)
	st := benchSchema(b, pool, "bh")
	clk := clock.NewMock()
	clk.Set(monday)
	seedLeads(b, st, leads, monday)
	eng, err := leadline.New(st, leadline.Config{Clock: clk, Roster: team()})
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	b.SetParallelism((workers + 1) / 2) // GOMAXPROCS=2 on the bench machine
	var cpu cpuMeter
	b.ResetTimer()
	cpu.start()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			i := int(next.Add(1))
			ev := lead.Event{ID: fmt.Sprintf("b-%d", i), Kind: lead.EventScoreChanged, Lead: leadID(i % leads),
				Score: decimal.New(int64(i%150), 0), At: monday}
			if err := eng.Handle(ctx, ev); err != nil {
				b.Error(err)
				return
			}
		}
	})
	cpu.stop()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	cpu.reportPer(b, b.N, "event")
}

// BenchmarkHandleBatch measures Engine.HandleBatch: 8 goroutines send
// batches of score changes of one lead, one write each (E2, E9), of 10
// events and of 40: a realistic burst of one lead (a day of its web
// activity, a row of an import). events/s counts events, not batches.
func BenchmarkHandleBatch(b *testing.B) {
	for _, per := range []int{10, 40} {
		b.Run(fmt.Sprintf("events=%d", per), func(b *testing.B) { benchHandleBatch(b, per) })
	}
}

func benchHandleBatch(b *testing.B, per int) {
	const leads, workers = 8000, 8
	pool := benchPool(b, workers+2)
	st := benchSchema(b, pool, "bb")
	clk := clock.NewMock()
	clk.Set(monday)
	seedLeads(b, st, leads, monday)
	eng, err := leadline.New(st, leadline.Config{Clock: clk, Roster: team()})
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	b.SetParallelism((workers + 1) / 2)
	var cpu cpuMeter
	b.ResetTimer()
	cpu.start()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		evs := make([]lead.Event, per)
		for pb.Next() {
			i := int(next.Add(1))
			for j := range evs {
				evs[j] = lead.Event{ID: fmt.Sprintf("b-%d-%d", i, j), Kind: lead.EventScoreChanged, Lead: leadID(i % leads),
					Score: decimal.New(int64((i+j)%150), 0), At: monday}
			}
			if err := eng.HandleBatch(ctx, evs); err != nil {
				b.Error(err)
				return
			}
		}
	})
	cpu.stop()
	b.ReportMetric(float64(b.N*per)/b.Elapsed().Seconds(), "events/s")
	cpu.reportPer(b, b.N*per, "event")
}

// copyLeads loads leads straight into the store's tables with COPY, with
// their pending deadlines: the setup of the big benchmarks, a hundred
// times faster than writing them.
func copyLeads(b *testing.B, pool *pgxpool.Pool, schema string, n int, gen func(i int) lead.Lead) {
	b.Helper()
	ctx := context.Background()
	var l lead.Lead
	i := 0
	_, err := pool.CopyFrom(ctx, pgx.Identifier{schema, "leads"},
		[]string{"id", "version", "owner", "created", "open", "active", "attempted", "desk", "body"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			l = gen(i)
			i++
			l.Version = 1
			body, err := json.Marshal(&l)
			if err != nil {
				return nil, err
			}
			return []any{l.ID, int64(1), l.Owner, l.Created, l.Track.Active() || l.Request.Outstanding(), l.Track.Active(),
				l.Track.Active() && l.Track.Stage.Attempted(), l.Desk.String(), string(body)}, nil
		}))
	if err != nil {
		b.Fatal(err)
	}
	var ds []lead.Deadline
	i = 0
	_, err = pool.CopyFrom(ctx, pgx.Identifier{schema, "deadlines"}, []string{"lead", "kind", "due"},
		pgx.CopyFromFunc(func() ([]any, error) {
			for len(ds) == 0 {
				if i == n {
					return nil, nil
				}
				l := gen(i)
				i++
				ds = l.Deadlines(ds[:0])
			}
			d := ds[0]
			ds = ds[1:]
			return []any{d.Lead, d.Kind.String(), d.Due}, nil
		}))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `ANALYZE `+pgx.Identifier{schema}.Sanitize()+`.leads; ANALYZE `+pgx.Identifier{schema}.Sanitize()+`.deadlines`); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSweep measures a sweep of 10,000 due deadlines among the
// deadlines of 1,000,000 leads (-big): ClaimDue of the 10,000 alone, and
// Engine.Sweep firing them all (T1 reassignments: a lead read and a
// write each), by one engine and by 8 engines at once.
func BenchmarkSweep(b *testing.B) {
	if !*big {
		b.Skip("run with -big: 1,000,000 leads")
	}
	const leads, due = 1_000_000, 10_000
	pool := benchPool(b, 12)
	// One lead in a hundred was created 50 hours ago, untouched: its T1
	// deadline passed. The others are due in the next 48 hours.
	gen := func(i int) lead.Lead {
		if i%(leads/due) == 0 {
			l := benchLead(i, monday.Add(-50*time.Hour))
			l.Track.Stage, l.Track.Reached = stage.Untouched, [4]stage.Instant{}
			return l
		}
		return benchLead(i, monday.Add(time.Duration(i)*100*time.Millisecond))
	}
	st, reused := bigSchema(b, pool, "bench_sweep", func(st *postgres.Store) { copyLeads(b, pool, st.Schema(), leads, gen) })
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(monday)
	q := pgx.Identifier{st.Schema()}.Sanitize()
	// putBack puts the due leads back as they were, unfired and
	// unclaimed.
	putBack := func() {
		var (
			ws  []leadline.Write
			ids []string
		)
		for j := 0; j < leads; j += leads / due {
			l := gen(j)
			ws = append(ws, leadline.Write{Lead: l, Deadlines: l.Deadlines(nil), At: monday})
			ids = append(ids, l.ID)
		}
		for _, table := range []string{"leads WHERE id", "deadlines WHERE lead", "history WHERE lead"} {
			if _, err := pool.Exec(ctx, `DELETE FROM `+q+`.`+table+` = ANY($1)`, ids); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := pool.Exec(ctx, `DELETE FROM `+q+`.outbox`); err != nil {
			b.Fatal(err)
		}
		if err := st.ApplyBatch(ctx, ws); err != nil {
			b.Fatal(err)
		}
	}
	if reused {
		// A run before claimed and fired them, and left the dead rows of
		// its writes, which a database without autovacuum keeps: a run
		// starts from tables as lean as freshly loaded ones.
		if _, err := pool.Exec(ctx, `UPDATE `+q+`.deadlines SET claimed_until = NULL WHERE claimed_until IS NOT NULL`); err != nil {
			b.Fatal(err)
		}
		putBack()
		for _, table := range []string{"leads", "deadlines", "history", "outbox"} {
			if _, err := pool.Exec(ctx, `VACUUM ANALYZE `+q+`.`+table); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("ClaimDue", func(b *testing.B) {
		var cpu cpuMeter
		for i := 0; b.Loop(); i++ {
			// Each claim finds the previous one's lapsed.
			cpu.start()
			ds, err := st.ClaimDue(ctx, monday.Add(time.Duration(i)*time.Minute), time.Minute, due+1)
			cpu.stop()
			if err != nil || len(ds) != due {
				b.Fatalf("ClaimDue = %d, %v; want %d", len(ds), err, due)
			}
		}
		cpu.report(b)
	})
	// One sweeper, one per core of the bench machine, and 8; Config.Batch
	// the default (256), and 1,024 deadlines a claim and a write.
	for _, c := range []struct{ sweepers, batch int }{{1, 0}, {2, 0}, {8, 0}, {1, 1024}, {2, 1024}, {8, 1024}} {
		sweepers, batch := c.sweepers, c.batch
		name := fmt.Sprintf("Engine.Sweep/sweepers=%d", sweepers)
		if batch > 0 {
			name += fmt.Sprintf("/batch=%d", batch)
		}
		b.Run(name, func(b *testing.B) {
			var cpu cpuMeter
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				copySchema := st.Schema()
				putBack()
				// A day on, when the due leads' deadlines have passed and
				// no other lead's has (those fall 48 to 76 hours on): a
				// minute more each round, so that only the 10,000 leads fire.
				clk.Set(monday.Add(24*time.Hour + time.Duration(i)*time.Minute))
				b.StartTimer()
				cpu.start()
				var (
					wg               sync.WaitGroup
					fired, conflicts atomic.Int64
				)
				for range sweepers {
					eng, err := leadline.New(postgres.New(pool, postgres.WithSchema(copySchema)), leadline.Config{Clock: clk, Roster: team(), Batch: batch})
					if err != nil {
						b.Fatal(err)
					}
					wg.Go(func() {
						// Concurrent T1 reassignments race for the team's
						// round-robin places (M9): a sweep that gives up on
						// a conflict is run again, as a host's next tick.
						for try := 0; ; try++ {
							res, err := eng.Sweep(ctx)
							fired.Add(int64(len(res.Fired)))
							if err == nil {
								return
							}
							if !errors.Is(err, leadline.ErrConflict) || try > 100 {
								b.Error(err)
								return
							}
							conflicts.Add(1)
						}
					})
				}
				wg.Wait()
				cpu.stop()
				if fired.Load() < due {
					b.Fatalf("fired %d, want at least %d", fired.Load(), due)
				}
				b.ReportMetric(float64(fired.Load()), "fired")
				b.ReportMetric(float64(conflicts.Load()), "sweeps-given-up")
			}
			b.ReportMetric(float64(due*b.N)/b.Elapsed().Seconds(), "deadlines/s")
			cpu.report(b)
		})
	}
}

// BenchmarkReports runs each report on 1,000,000 leads with 30 days of
// history (-big), the shape of report's own big benchmark: a seed team
// run through a memstore engine (1,000 leads: 910 created a year ago,
// whose cadences never started, and 90 created in the window, with their
// requests, cadences and 600 score changes over all of them), copied a
// thousand times under new ids into the tables.
func BenchmarkReports(b *testing.B) {
	if !*big {
		b.Skip("run with -big: 1,000,000 leads")
	}
	const copies = 1000
	ctx := context.Background()
	pool := benchPool(b, 4)
	leads, hist, now := seedTeam(b)
	st, _ := bigSchema(b, pool, "bench_reports", func(st *postgres.Store) { copyReports(b, pool, st, leads, hist, copies) })
	b.Logf("%d leads, %d history entries", len(leads)*copies, len(hist)*copies)
	f := report.Frame{Now: now, Zone: monday.Location()}
	ops := routing.Viewer{Rep: "ops-1", Role: routing.RoleOps}
	rep := routing.Viewer{Rep: "rep-07", Role: routing.RoleInside}
	for _, c := range []struct {
		name string
		run  func() (int, error)
	}{
		{"Worklist/rep", func() (int, error) {
			rows, err := report.Worklist(ctx, st, rep, report.WorklistParams{Frame: f})
			return len(rows), err
		}},
		{"Worklist/ops", func() (int, error) {
			rows, err := report.Worklist(ctx, st, ops, report.WorklistParams{Frame: f})
			return len(rows), err
		}},
		{"Requests", func() (int, error) {
			rows, err := report.Requests(ctx, st, ops, report.RequestsParams{Frame: f})
			return len(rows), err
		}},
		{"ScoreJumps", func() (int, error) {
			rows, err := report.ScoreJumps(ctx, st, ops, report.ScoreJumpsParams{Frame: f})
			return len(rows), err
		}},
		{"CreatedToday", func() (int, error) {
			rows, err := report.CreatedToday(ctx, st, ops, report.CreatedParams{Frame: f})
			return len(rows), err
		}},
		{"CreatedThisWeek", func() (int, error) {
			rows, err := report.CreatedThisWeek(ctx, st, ops, report.CreatedParams{Frame: f})
			return len(rows), err
		}},
		{"CreatedThisMonth", func() (int, error) {
			rows, err := report.CreatedThisMonth(ctx, st, ops, report.CreatedParams{Frame: f})
			return len(rows), err
		}},
		{"Overdue", func() (int, error) {
			rows, err := report.Overdue(ctx, st, ops, report.OverdueParams{Frame: f})
			return len(rows), err
		}},
		{"Funnel", func() (int, error) {
			rows, err := report.Funnel(ctx, st, ops, report.FunnelParams{Frame: f})
			return len(rows), err
		}},
		{"SLA", func() (int, error) {
			rows, err := report.SLA(ctx, st, ops, report.SLAParams{Frame: f})
			return len(rows), err
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			var cpu cpuMeter
			for b.Loop() {
				var err error
				cpu.start()
				if n, err = c.run(); err != nil {
					b.Fatal(err)
				}
				cpu.stop()
			}
			b.ReportMetric(float64(n), "rows")
			cpu.report(b)
		})
	}
}

// copyReports loads the tables of BenchmarkReports: copies copies of
// leads and of their history hist, under new ids.
func copyReports(b *testing.B, pool *pgxpool.Pool, st *postgres.Store, leads []lead.Lead, hist []lead.Change, copies int) {
	b.Helper()
	ctx := context.Background()
	copyLeads(b, pool, st.Schema(), len(leads)*copies, func(i int) lead.Lead {
		l := leads[i%len(leads)].Clone()
		l.ID = fmt.Sprintf("%s-%04d", l.ID, i/len(leads))
		return l
	})
	var (
		r, k int
	)
	_, err := pool.CopyFrom(ctx, pgx.Identifier{st.Schema(), "history"}, []string{"lead", "at", "field", "actor", "event", "from_key", "to_key", "rule", "reason"},
		pgx.CopyFromFunc(func() ([]any, error) {
			for r < copies && k == len(hist) {
				r, k = r+1, 0
			}
			if r == copies {
				return nil, nil
			}
			c := hist[k]
			k++
			c.Lead = fmt.Sprintf("%s-%04d", c.Lead, r)
			return []any{c.Lead, c.At, c.Field.String(), c.Actor, c.Event, c.From, c.To, c.Rule, c.Reason}, nil
		}))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `ANALYZE `+pgx.Identifier{st.Schema()}.Sanitize()+`.history`); err != nil {
		b.Fatal(err)
	}
}

// seedTeam runs a team of 1,000 leads through a memstore engine and
// returns its leads, their history in write order, and the instant it
// ends at: 910 leads created a year before the window, then 30 days in
// which 3 leads a day arrive with an inquiry and are worked by 60 reps,
// and 20 score changes a day land on leads of all ages.
func seedTeam(b *testing.B) ([]lead.Lead, []lead.Change, time.Time) {
	b.Helper()
	ctx := context.Background()
	mem := memstore.New()
	clk := clock.NewMock()
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, monday.Location())
	clk.Set(start.Add(-365 * 24 * time.Hour))
	var reps []routing.Rep
	for i := range 60 {
		reps = append(reps, routing.Rep{ID: fmt.Sprintf("rep-%02d", i)})
	}
	eng, err := leadline.New(mem, leadline.Config{Clock: clk, Roster: &routing.Org{Inside: routing.Team{ID: "inside", Manager: "mgr", Reps: reps}}})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	n, ev := 0, 0
	handle := func(e lead.Event) {
		ev++
		e.ID, e.At = fmt.Sprintf("e-%d", ev), clk.Now()
		_ = eng.Handle(ctx, e) // the rules may refuse a random step
	}
	for range 910 {
		handle(lead.Event{Kind: lead.EventCreated, Lead: leadID(n), Score: decimal.New(int64(rng.IntN(100)), 0),
			Profile: lead.Profile{Company: "旧顧客", Source: "list"}})
		n++
		clk.Add(9 * time.Hour)
	}
	clk.Set(start)
	var fresh []string
	for day := range 30 {
		for h := range 24 {
			clk.Set(start.Add(time.Duration(day*24+h) * time.Hour))
			if h%8 == 1 {
				id := leadID(n)
				n++
				fresh = append(fresh, id)
				handle(lead.Event{Kind: lead.EventCreated, Lead: id, Score: decimal.New(int64(50+rng.IntN(100)), 0),
					Profile: lead.Profile{Company: "新規", Source: []string{"web", "seminar"}[rng.IntN(2)]}})
				handle(lead.Event{Kind: lead.EventInquiry, Lead: id, Topic: "価格"})
			}
			if len(fresh) > 0 && h%3 == 0 {
				id := fresh[rng.IntN(len(fresh))]
				l, err := mem.Lead(ctx, id)
				if err == nil && l.Owner != "" {
					if rng.IntN(5) == 0 {
						handle(lead.Event{Kind: lead.EventContact, Lead: id, Actor: l.Owner})
					} else {
						handle(lead.Event{Kind: lead.EventOutbound, Lead: id, Actor: l.Owner, Channels: stage.Call})
					}
				}
			}
			if h%24 < 20 {
				handle(lead.Event{Kind: lead.EventScoreChanged, Lead: leadID(rng.IntN(n)), Score: decimal.New(int64(rng.IntN(200)), 0)})
			}
			if _, err := eng.Sweep(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	leads, err := mem.Leads(ctx, leadline.Query{})
	if err != nil {
		b.Fatal(err)
	}
	var hist []lead.Change
	for _, l := range leads {
		h, err := mem.History(ctx, l.ID)
		if err != nil {
			b.Fatal(err)
		}
		hist = append(hist, h...)
	}
	return leads, hist, clk.Now()
}
