package postgres_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/postgres"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

var pgSoak = flag.Bool("pgsoak", false, "run TestSoak with 10,000 leads instead of 2,000")

var monday = time.Date(2026, 4, 6, 9, 0, 0, 0, time.FixedZone("JST", 9*60*60))

func team() *routing.Org {
	return &routing.Org{Inside: routing.Team{
		ID: "inside", Manager: "mgr",
		Reps: []routing.Rep{{ID: "rep-a"}, {ID: "rep-b"}, {ID: "rep-c"}},
	}}
}

func leadID(i int) string { return fmt.Sprintf("L-%07d", i) }

// soakEvent is the r-th event of lead l: a deterministic mix of score
// changes, inquiries, downloads, attempts and contacts.
func soakEvent(l, r int) lead.Event {
	ev := lead.Event{ID: fmt.Sprintf("s-%d-%d", l, r), Lead: leadID(l)}
	switch (l + r) % 7 {
	case 0, 1:
		ev.Kind, ev.Score = lead.EventScoreChanged, decimal.New(int64((l*7+r*13)%160), 0)
	case 2:
		ev.Kind = lead.EventInquiry
	case 3:
		ev.Kind = lead.EventDownload
	case 4, 5:
		ev.Kind, ev.Actor, ev.Channels = lead.EventOutbound, "rep-a", stage.Call
	case 6:
		if r%3 == 0 {
			ev.Kind, ev.Actor = lead.EventContact, "rep-a"
		} else {
			ev.Kind = lead.EventInquiry
		}
	}
	return ev
}

// recorder is a notifier that counts the deliveries of each key.
type recorder struct {
	mu   sync.Mutex
	keys map[string]int
}

func (r *recorder) Notify(_ context.Context, n leadline.Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.keys == nil {
		r.keys = make(map[string]int)
	}
	r.keys[n.Key]++
	return nil
}

// transient reports whether err is what a host retries: a lost
// connection, a cancelled statement, a conflict the engine gave up on.
func transient(err error) bool {
	return errors.Is(err, leadline.ErrUnavailable) || errors.Is(err, postgres.ErrTimeout) || errors.Is(err, leadline.ErrConflict)
}

// settled reports whether Handle's err is final: nil, a repeat (the
// event committed before its connection died, E2), or a refusal by the
// rules that a serial run refuses too.
func settled(err error) bool {
	return err == nil || errors.Is(err, leadline.ErrDuplicateEvent) ||
		errors.Is(err, leadline.ErrInvalid) || errors.Is(err, leadline.ErrInvalidTransition)
}

// TestSoak runs 4 engines over one schema, each with its own pool, from
// 8 goroutines that send each lead's events in order while others sweep
// and deliver, and kills every connection of the engines in the middle
// of the run. It checks that the final leads equal a serial replay on
// memstore, that every deadline fired once (E5), and that every
// notification was delivered (E4), none lost to the killed connections.
func TestSoak(t *testing.T) {
	t.Parallel()
	leads, rounds := 2000, 4
	if *pgSoak {
		leads = 10_000
	}
	if testing.Short() {
		leads = 200
	}
	const engines, workers = 4, 8
	ctx := context.Background()
	admin := testPool(t)
	schema := schemaName("soak")
	app := appName + "-" + schema
	t.Cleanup(func() { _ = dropSchema(context.Background(), admin, schema) })

	clk := clock.NewMock()
	clk.Set(monday)
	rec := &recorder{}
	var (
		engs  []*leadline.Engine
		pools []*pgxpool.Pool
	)
	for range engines {
		pool := newPool(t, 4, app)
		t.Cleanup(pool.Close)
		st := postgres.New(pool, postgres.WithSchema(schema))
		if err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		eng, err := leadline.New(st, leadline.Config{Clock: clk, Roster: team(), Notifier: rec, Batch: 64})
		if err != nil {
			t.Fatal(err)
		}
		engs, pools = append(engs, eng), append(pools, pool)
	}
	_ = pools

	serialClock := clock.NewMock()
	serialClock.Set(monday)
	serialStore := memstore.New()
	serialRec := &recorder{}
	serial, err := leadline.New(serialStore, leadline.Config{Clock: serialClock, Roster: team(), Notifier: serialRec})
	if err != nil {
		t.Fatal(err)
	}

	// handle sends ev until it settles, as a host redelivers an event its
	// store failed to take.
	handle := func(eng *leadline.Engine, ev lead.Event) {
		for try := 0; ; try++ {
			err := eng.Handle(ctx, ev)
			if settled(err) {
				return
			}
			if try > 20 {
				t.Errorf("Handle(%s): %v", ev.ID, err)
				return
			}
		}
	}
	var (
		firedMu sync.Mutex
		fired   = map[string]int{}
		handled atomic.Int64
		killed  atomic.Int64
	)
	sweep := func(eng *leadline.Engine) {
		for try := 0; ; try++ {
			res, err := eng.Sweep(ctx)
			firedMu.Lock()
			for _, d := range res.Fired {
				fired[d.Key()]++
			}
			firedMu.Unlock()
			if err == nil {
				return
			}
			if !transient(err) || try > 20 {
				t.Errorf("Sweep: %v", err)
				return
			}
		}
	}
	deliver := func(eng *leadline.Engine) {
		for try := 0; ; try++ {
			_, err := eng.Deliver(ctx)
			if err == nil {
				return
			}
			if !transient(err) || try > 20 {
				t.Errorf("Deliver: %v", err)
				return
			}
		}
	}
	kill := func() {
		var n int64
		err := admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`, app).Scan(&n)
		if err != nil {
			t.Errorf("kill: %v", err)
		}
		killed.Add(n)
	}

	for l := range leads {
		ev := lead.Event{ID: fmt.Sprintf("c-%d", l), Kind: lead.EventCreated, Lead: leadID(l), Owner: "rep-a", Score: decimal.New(120, 0), At: monday}
		if err := serial.Handle(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			eng := engs[w%engines]
			for l := w; l < leads; l += workers {
				handle(eng, lead.Event{ID: fmt.Sprintf("c-%d", l), Kind: lead.EventCreated, Lead: leadID(l), Owner: "rep-a", Score: decimal.New(120, 0), At: monday})
			}
		})
	}
	wg.Wait()

	serialFired := 0
	for r := range rounds {
		now := clk.Now()
		// Each worker sends the events of its leads in order, delivering
		// as it goes; in the middle round one of them kills the engines'
		// connections halfway through.
		for w := range workers {
			wg.Go(func() {
				eng := engs[w%engines]
				for l := w; l < leads; l += workers {
					ev := soakEvent(l, r)
					ev.At = now
					handle(eng, ev)
					if n := handled.Add(1); r == rounds/2 && n == int64(leads*r+leads/2) {
						kill()
					}
					if (l/workers)%64 == 0 {
						deliver(eng)
					}
				}
			})
		}
		wg.Wait()
		for l := range leads {
			ev := soakEvent(l, r)
			ev.At = now
			_ = serial.Handle(ctx, ev)
		}
		clk.Add(29 * time.Hour)
		serialClock.Set(clk.Now())
		// Every worker sweeps and delivers at once; in the middle round
		// the connections die again while they do.
		for w := range workers {
			wg.Go(func() {
				eng := engs[w%engines]
				if r == rounds/2 && w == 0 {
					kill()
				}
				sweep(eng)
				deliver(eng)
			})
		}
		wg.Wait()
		res, err := serial.Sweep(ctx)
		if err != nil {
			t.Fatal(err)
		}
		serialFired += len(res.Fired)
	}
	// Drain: claims lost with the connections lapse after the lease.
	for range 3 {
		clk.Add(time.Hour)
		serialClock.Set(clk.Now())
		for _, eng := range engs {
			sweep(eng)
			deliver(eng)
		}
		if _, err := serial.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := serial.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if killed.Load() == 0 {
		t.Error("the fault killed no connection: the test did not test recovery")
	}

	// Final states equal the serial replay.
	pg := postgres.New(admin, postgres.WithSchema(schema))
	for l := range leads {
		id := leadID(l)
		got, err := pg.Lead(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want, err := serialStore.Lead(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != want.Status || got.Track.Stage != want.Track.Stage || got.Track.Cadence != want.Track.Cadence ||
			got.Track.End != want.Track.End || !got.Score.Equal(want.Score) || got.Request.Seq != want.Request.Seq || got.Request.State != want.Request.State {
			t.Errorf("%s: %v %v c%d score %v request %d %v; serial replay %v %v c%d score %v request %d %v", id,
				got.Status, got.Track.Stage, got.Track.Cadence, got.Score, got.Request.Seq, got.Request.State,
				want.Status, want.Track.Stage, want.Track.Cadence, want.Score, want.Request.Seq, want.Request.State)
		}
	}
	// Every due deadline fired exactly once (E5): no Sweep reported one
	// twice, and each lead's history holds as many entries caused by
	// each deadline as the serial replay's. A deadline may fire in a
	// Handle rather than a Sweep when its claim was lost with a
	// connection, so the history, not the sweeps, is the count.
	total := 0
	for k, n := range fired {
		if n != 1 {
			t.Errorf("deadline %s fired %d times (E5)", k, n)
		}
		total += n
	}
	byDeadline := func(h []lead.Change) map[string]int {
		m := map[string]int{}
		for _, c := range h {
			if strings.Contains(c.Event, "/") { // a deadline's key, not an event id
				m[c.Event]++
			}
		}
		return m
	}
	fromHistory := 0
	for l := range leads {
		id := leadID(l)
		got, err := pg.History(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want, err := serialStore.History(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		g, w := byDeadline(got), byDeadline(want)
		if !maps.Equal(g, w) {
			t.Errorf("%s: history entries per deadline %v, serial replay %v (E5)", id, g, w)
		}
		fromHistory += len(g)
	}
	if left, err := pg.ClaimDue(ctx, clk.Now(), time.Minute, 1); err != nil || len(left) != 0 {
		t.Errorf("ClaimDue after the drain = %v, %v; want no deadline left due", left, err)
	}
	// Every notification key was delivered, the same keys as serially
	// (E4); a redelivery after a lost acknowledgement is allowed.
	if left, err := pg.ClaimOutbox(ctx, clk.Now().Add(time.Hour), time.Minute, 1); err != nil || len(left) != 0 {
		t.Errorf("ClaimOutbox after the drain = %v, %v; want the outbox empty", left, err)
	}
	// Recipients may differ by round-robin timing (M9): keys are compared
	// without their last part, the recipient.
	got, want := recipientless(rec.keys), recipientless(serialRec.keys)
	if !maps.Equal(got, want) {
		t.Errorf("%d keys delivered, %d serially (E4)", len(rec.keys), len(serialRec.keys))
		for k, n := range got {
			if want[k] != n {
				t.Errorf("key %s... delivered for %d notifications, %d serially", k, n, want[k])
				break
			}
		}
	}
	redelivered := 0
	for _, n := range rec.keys {
		redelivered += n - 1
	}
	t.Logf("soak: %d leads, %d events, %d deadlines fired (%d by sweeps), %d keys delivered (%d redelivered), %d connections killed",
		leads, handled.Load()+int64(leads), fromHistory, total, len(rec.keys), redelivered, killed.Load())
}

// recipientless counts keys by all but their last part.
func recipientless(keys map[string]int) map[string]int {
	out := map[string]int{}
	for k := range keys {
		out[k[:max(strings.LastIndexByte(k, '/'), 0)]]++
	}
	return out
}
