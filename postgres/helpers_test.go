package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/leadline/leadline/postgres"
	"github.com/leadline/leadline/report"
)

// envURL names the variable that points the tests at a database. CI sets
// it and fails on any skip; without it the tests skip, saying so.
const envURL = "LEADLINE_TEST_DATABASE_URL"

// appName is the application_name of the tests' connections, so that the
// fault tests kill only theirs.
const appName = "leadline-postgres-test"

// pools holds one pool per test binary, opened on first use.
type pools struct {
	once sync.Once
	pool *pgxpool.Pool
	err  error
	n    atomic.Int64
}

var shared pools

// dbURL returns the test database's URL, skipping t when it is unset.
func dbURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(envURL)
	if url == "" {
		t.Skipf("%s is not set: set it to a PostgreSQL URL (postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run the postgres tests", envURL)
	}
	return url
}

// newPool opens a pool on the test database with the tests'
// application_name and up to maxConns connections.
func newPool(t testing.TB, maxConns int32, app string) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dbURL(t))
	if err != nil {
		t.Fatalf("%s: %v", envURL, err)
	}
	cfg.MaxConns = maxConns
	cfg.ConnConfig.RuntimeParams["application_name"] = app
	// The tests need no durability; without it a commit waits for no
	// disk, and the suite runs in half the time.
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open pool: %v", err)
	}
	return pool
}

// testPool returns the pool the tests share.
func testPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	url := dbURL(t)
	shared.once.Do(func() {
		cfg, err := pgxpool.ParseConfig(url)
		if err != nil {
			shared.err = err
			return
		}
		cfg.MaxConns = 24
		cfg.ConnConfig.RuntimeParams["application_name"] = appName + "-shared"
		cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
		shared.pool, shared.err = pgxpool.NewWithConfig(context.Background(), cfg)
	})
	if shared.err != nil {
		t.Fatalf("open pool: %v", shared.err)
	}
	return shared.pool
}

// schemaName returns a schema name no other test of this run uses.
func schemaName(prefix string) string {
	return fmt.Sprintf("%s_%d_%d", prefix, os.Getpid(), shared.n.Add(1))
}

// dropSchema drops schema and everything in it.
func dropSchema(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	_, err := pool.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
	return err
}

// closing is a store that empties its schema when closed, as storetest
// asks of a database store, and hands it to the next test: creating the
// tables of a schema costs a hundred times what emptying them does, and
// the rapid model makes a store per check.
type closing struct {
	*postgres.Store
	pool *pgxpool.Pool
}

// Close empties the store's tables and puts its schema on the free list.
func (c closing) Close() error {
	ctx := context.Background()
	q := pgx.Identifier{c.Schema()}.Sanitize()
	b := &pgx.Batch{}
	for _, table := range []string{"leads", "history", "deadlines", "seen", "outbox", "returned", "campaigns"} {
		b.Queue(`DELETE FROM ` + q + `.` + table)
	}
	// The round-robin sequences are sequences of the schema (migration
	// 0003): drop them, so that the next store's start from 0.
	b.Queue(`DO $$ DECLARE r record; BEGIN
		FOR r IN SELECT c.oid::regclass AS seq FROM pg_class c WHERE c.relkind = 'S'
			AND c.relnamespace = '` + strings.ReplaceAll(q, `'`, `''`) + `'::regnamespace AND c.relname LIKE 'ticket\_%' LOOP
			EXECUTE format('DROP SEQUENCE %s', r.seq);
		END LOOP; END $$`)
	if err := c.pool.SendBatch(ctx, b).Close(); err != nil {
		return dropSchema(ctx, c.pool, c.Schema())
	}
	free.mu.Lock()
	free.schemas = append(free.schemas, c.Schema())
	free.mu.Unlock()
	return nil
}

// free holds the emptied schemas of closed stores, dropped when the
// test binary ends (TestMain).
var free struct {
	mu      sync.Mutex
	schemas []string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.pool != nil {
		for _, s := range free.schemas {
			_ = dropSchema(context.Background(), shared.pool, s)
		}
		shared.pool.Close()
	}
	os.Exit(code)
}

// newStore returns a migrated store in a schema of its own, dropped when
// t ends.
func newStore(t testing.TB) *postgres.Store {
	t.Helper()
	c := openStore(t, testPool(t))
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("drop schema %s: %v", c.Schema(), err)
		}
	})
	return c.Store
}

// openStore returns a migrated store in a schema of its own over pool;
// the caller closes it.
func openStore(t testing.TB, pool *pgxpool.Pool) closing {
	t.Helper()
	free.mu.Lock()
	schema := schemaName("t")
	if n := len(free.schemas); n > 0 {
		schema = free.schemas[n-1]
		free.schemas = free.schemas[:n-1]
	}
	free.mu.Unlock()
	st := postgres.New(pool, postgres.WithSchema(schema))
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return closing{st, pool}
}

// reportCSV writes a report's rows as CSV with times in zone, failing t
// on the report's error: the form in which two stores' answers are
// compared.
func reportCSV(t *testing.T, zone *time.Location, rows any, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.WriteCSV(&b, rows, report.WriteOptions{Zone: zone, LF: true}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
