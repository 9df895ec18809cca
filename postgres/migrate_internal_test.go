package postgres

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// TestMigrate_ticketsCarryOver checks that migration 0003 carries the
// round-robin sequences' numbers over into PostgreSQL sequences (M9): a
// schema whose team "inside" handed out places 0 to 4, and had place 2
// given back, hands out 2, then 5, then 6.
func TestMigrate_ticketsCarryOver(t *testing.T) {
	url := os.Getenv("LEADLINE_TEST_DATABASE_URL")
	if url == "" {
		t.Skip("LEADLINE_TEST_DATABASE_URL is not set: set it to a PostgreSQL URL (postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run the postgres tests")
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	schema := fmt.Sprintf("mig0003_%d", os.Getpid()) // a test binary of its own
	ident := pgx.Identifier{schema}.Sanitize()
	drop := func() {
		if _, err := pool.Exec(ctx, `DROP SCHEMA IF EXISTS `+ident+` CASCADE`); err != nil {
			t.Fatal(err)
		}
	}
	drop()
	defer drop()
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `CREATE SCHEMA `+ident+`; CREATE TABLE `+ident+`.migrations (version integer PRIMARY KEY, name text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.version >= 3 {
			break
		}
		if _, err := pool.Exec(ctx, strings.ReplaceAll(m.sql, "@schema", ident)); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO `+ident+`.migrations VALUES ($1, $2)`, m.version, m.name); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `INSERT INTO `+ident+`.sequences VALUES ('inside', 5); INSERT INTO `+ident+`.returned VALUES ('inside', 2)`); err != nil {
		t.Fatal(err)
	}
	st := New(pool, WithSchema(schema))
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, want := range []uint64{2, 5, 6} {
		if got, err := st.NextTicket(ctx, "inside"); err != nil || got != want {
			t.Fatalf("NextTicket = %d, %v; want %d", got, err, want)
		}
	}
	if got, err := st.NextTicket(ctx, "field"); err != nil || got != 0 {
		t.Fatalf("NextTicket(field) = %d, %v; want 0, a new sequence", got, err)
	}
}
