package postgres_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/postgres"
)

// TestMigrate_schemaNames: a schema name PostgreSQL would cut, or one
// the migrations' dollar-quoted SQL cannot hold, is refused before
// anything is created, naming the schema; the names it keeps work
// whatever their characters.
func TestMigrate_schemaNames(t *testing.T) {
	ctx := context.Background()
	pool := testPool(t)
	for _, name := range []string{"", strings.Repeat("t", 64), "t$f$x", "t$s$x", "t\x00x"} {
		err := postgres.New(pool, postgres.WithSchema(name)).Migrate(ctx)
		if fe, ok := errors.AsType[*leaderr.FieldError](err); !ok || fe.Field != "schema" {
			t.Errorf("Migrate in schema %q = %v; want a FieldError for schema", name, err)
		}
	}
	for _, prefix := range []string{`Tenant "a"; DROP`, "テナント 社"} {
		schema := schemaName(prefix)
		t.Cleanup(func() { _ = dropSchema(context.Background(), pool, schema) })
		st := postgres.New(pool, postgres.WithSchema(schema))
		if err := st.Migrate(ctx); err != nil {
			t.Errorf("Migrate in schema %q = %v", schema, err)
			continue
		}
		mustCreate(t, st, "L-1")
		if _, err := st.NextTicket(ctx, "inside"); err != nil {
			t.Errorf("schema %q: NextTicket = %v", schema, err)
		}
	}
}

// TestReturnTickets_neverTaken: a place past any a sequence gives (2^63 or
// more) was never taken, and is ignored as memstore ignores it, not kept
// to come back as the next place (M9).
func TestReturnTickets_neverTaken(t *testing.T) {
	ctx := context.Background()
	for _, st := range []leadline.Store{newStore(t), memstore.New()} {
		for range 3 {
			if _, err := st.NextTicket(ctx, "inside"); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.ReturnTickets(ctx, []leadline.Ticket{{Sequence: "inside", Number: math.MaxUint64}, {Sequence: "inside", Number: 1 << 63}}); err != nil {
			t.Fatalf("%T: ReturnTickets = %v", st, err)
		}
		if n, err := st.NextTicket(ctx, "inside"); err != nil || n != 3 {
			t.Errorf("%T: NextTicket after places never taken were given back = %d, %v; want 3", st, n, err)
		}
	}
}
