package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/postgres"
)

func TestMigrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testPool(t)
	count := func(t *testing.T, st *postgres.Store) int {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM `+quote(st.Schema())+`.migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	t.Run("twice is a no-op", func(t *testing.T) {
		t.Parallel()
		st := newStore(t)
		before := count(t, st)
		mustCreate(t, st, "L-1")
		if err := st.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate = %v", err)
		}
		if after := count(t, st); after != before || before == 0 {
			t.Fatalf("migrations recorded: %d, then %d after a second Migrate", before, after)
		}
		if _, err := st.Lead(ctx, "L-1"); err != nil {
			t.Fatalf("Lead after a second Migrate = %v", err)
		}
	})
	t.Run("two at once on a fresh schema both succeed", func(t *testing.T) {
		t.Parallel()
		schema := schemaName("mig")
		t.Cleanup(func() { _ = dropSchema(context.Background(), pool, schema) })
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() { errs[i] = postgres.New(pool, postgres.WithSchema(schema)).Migrate(ctx) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("Migrate %d = %v", i, err)
			}
		}
		st := postgres.New(pool, postgres.WithSchema(schema))
		mustCreate(t, st, "L-1")
	})
	t.Run("a schema name that needs quoting", func(t *testing.T) {
		t.Parallel()
		schema := schemaName(`Tenant "a"; DROP TABLE x; --`)
		t.Cleanup(func() { _ = dropSchema(context.Background(), pool, schema) })
		st := postgres.New(pool, postgres.WithSchema(schema))
		if err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		mustCreate(t, st, "L-1")
		if _, err := st.Lead(ctx, "L-1"); err != nil {
			t.Fatal(err)
		}
	})
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// mustCreate writes a new lead with a pending deadline and a change.
func mustCreate(t *testing.T, st *postgres.Store, id string) {
	t.Helper()
	l := lead.Lead{ID: id, Owner: "rep-a", Created: monday, Updated: monday, Score: decimal.New(10, 0)}
	w := leadline.Write{Lead: l, Event: "ev-" + id, At: monday,
		History:   []lead.Change{{Lead: id, At: monday, Actor: "rep-a", Field: lead.FieldLead, To: "new"}},
		Deadlines: []lead.Deadline{{Lead: id, Kind: lead.DeadlineCadence, Due: monday.Add(time.Hour)}},
		Outbox:    []leadline.Notification{{Kind: leadline.NoteReminder, Key: "k-" + id, Lead: id, To: "rep-a", At: monday}},
	}
	if err := st.Apply(context.Background(), w); err != nil {
		t.Fatal(err)
	}
}

// TestStore_hostileStrings checks that what people and integrations type
// comes back byte for byte: quotes, SQL, backslashes, Japanese, emoji,
// and a megabyte.
func TestStore_hostileStrings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := newStore(t)
	for i, s := range []string{
		`'; DROP TABLE leads; --`,
		`"quoted" 'single' \back\slash \\ \u0000 \n`,
		"株式会社テスト 営業部 ｶﾀｶﾅ 〜①髙﨑",
		"emoji 👩‍💼 and combining é",
		"tab\tnewline\nreturn\r",
		"$1 $$ %s %d {{.}} ${x}",
		strings.Repeat("長い", 1<<20/6), // a megabyte of UTF-8
	} {
		// An id, event id, key or owner is indexed, and an index row
		// holds at most about 2,700 bytes: those take the string's first
		// kilobyte, the free text all of it.
		id := s
		if len(id) > 1000 {
			id = id[:999]
		}
		l := lead.Lead{ID: id, Owner: id, Created: monday, Updated: monday,
			Profile:  lead.Profile{Name: s, Company: s},
			Feedback: lead.Feedback{Comment: s},
		}
		w := leadline.Write{Lead: l, Event: id, At: monday,
			History: []lead.Change{{Lead: id, At: monday, Actor: s, Field: lead.FieldStatus, From: s, To: s, Reason: s}},
			Outbox:  []leadline.Notification{{Kind: leadline.NoteReminder, Key: id, Lead: id, To: s, Note: s, At: monday}},
		}
		if err := st.Apply(ctx, w); err != nil {
			t.Fatalf("string %d: Apply = %v", i, err)
		}
		got, err := st.Lead(ctx, id)
		if err != nil {
			t.Fatalf("string %d: Lead = %v", i, err)
		}
		if got.ID != id || got.Owner != id || got.Name != s || got.Company != s || got.Feedback.Comment != s {
			t.Errorf("string %d: the lead came back changed", i)
		}
		h, err := st.History(ctx, id)
		if err != nil || len(h) != 1 || h[0].Reason != s || h[0].Actor != s || h[0].From != s {
			t.Errorf("string %d: History = %d entries, %v; want the change back", i, len(h), err)
		}
		if _, seen, err := st.Seen(ctx, id, id); err != nil || !seen {
			t.Errorf("string %d: Seen = %v, %v", i, seen, err)
		}
		ns, err := st.ClaimOutbox(ctx, monday, time.Minute, 10)
		if err != nil || len(ns) != 1 || ns[0].Key != id || ns[0].Note != s || ns[0].To != s {
			t.Errorf("string %d: ClaimOutbox = %d, %v; want the notification back", i, len(ns), err)
		}
		if err := st.Ack(ctx, []string{id}); err != nil {
			t.Fatal(err)
		}
		ls, err := st.Leads(ctx, leadline.Query{Owner: id})
		if err != nil || len(ls) != 1 || ls[0].ID != id {
			t.Errorf("string %d: Leads(owner) = %d leads, %v", i, len(ls), err)
		}
	}
}

// TestStore_nulByte checks that a NUL byte, which PostgreSQL text cannot
// hold, is refused with a plain error wrapping ErrText, not a panic or a
// FieldError, and writes nothing.
func TestStore_nulByte(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := newStore(t)
	for name, w := range map[string]leadline.Write{
		"in a name":     {Lead: lead.Lead{ID: "L-1", Profile: lead.Profile{Name: "a\x00b"}}},
		"in an id":      {Lead: lead.Lead{ID: "L-\x00"}},
		"in an event":   {Lead: lead.Lead{ID: "L-2"}, Event: "e\x00"},
		"in a reason":   {Lead: lead.Lead{ID: "L-3"}, History: []lead.Change{{Lead: "L-3", Field: lead.FieldStatus, Reason: "\x00"}}},
		"in a note key": {Lead: lead.Lead{ID: "L-4"}, Outbox: []leadline.Notification{{Kind: leadline.NoteReminder, Key: "\x00"}}},
	} {
		err := st.Apply(ctx, w)
		if !errors.Is(err, postgres.ErrText) {
			t.Errorf("%s: Apply = %v, want ErrText", name, err)
		}
		if _, ok := errors.AsType[*leaderr.FieldError](err); ok {
			t.Errorf("%s: Apply = %v, a FieldError", name, err)
		}
		if _, err := st.Lead(ctx, w.Lead.ID); !errors.Is(err, leaderr.ErrNotFound) && !errors.Is(err, postgres.ErrText) {
			t.Errorf("%s: Lead after the refusal = %v, want not found", name, err)
		}
	}
}

// TestStore_longID checks that an id too long for an index is refused
// with ErrTooLong, and writes nothing.
func TestStore_longID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := newStore(t)
	id := strings.Repeat("x", 1<<20)
	err := st.Apply(ctx, leadline.Write{Lead: lead.Lead{ID: id}})
	if !errors.Is(err, postgres.ErrTooLong) {
		t.Fatalf("Apply(a 1 MB id) = %.200v, want ErrTooLong", err)
	}
	if _, err := st.Lead(ctx, id); !errors.Is(err, leaderr.ErrNotFound) {
		t.Fatalf("Lead(a 1 MB id) = %.200v, want not found", err)
	}
}

// TestStore_interruptedWrite checks that a write cut short by a
// cancelled context or a statement_timeout leaves nothing: it blocks the
// write on a row lock held by another transaction, so that it is always
// cut in the middle, after some of its statements ran.
func TestStore_interruptedWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	admin := testPool(t)
	for _, how := range []string{"cancelled context", "statement timeout"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			st := newStore(t)
			mustCreate(t, st, "L-1")
			l, err := st.Lead(ctx, "L-1")
			if err != nil {
				t.Fatal(err)
			}
			app := appName + "-" + st.Schema()
			pool := newPool(t, 2, app)
			t.Cleanup(pool.Close)
			if how == "statement timeout" {
				pool.Close()
				cfg := pool.Config()
				cfg.ConnConfig.RuntimeParams["statement_timeout"] = "100ms"
				if pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(pool.Close)
			}
			writer := postgres.New(pool, postgres.WithSchema(st.Schema()))

			// Hold the lead's row.
			tx, err := admin.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx)
			if _, err := tx.Exec(ctx, `SELECT 1 FROM `+quote(st.Schema())+`.leads WHERE id = 'L-1' FOR UPDATE`); err != nil {
				t.Fatal(err)
			}
			w := leadline.Write{Lead: l, Event: "ev-2", At: monday,
				History:   []lead.Change{{Lead: "L-1", At: monday, Field: lead.FieldStatus, To: "lead"}},
				Deadlines: []lead.Deadline{{Lead: "L-1", Kind: lead.DeadlineCadence, Due: monday.Add(9 * time.Hour)}},
				Outbox:    []leadline.Notification{{Kind: leadline.NoteReminder, Key: "k-2", Lead: "L-1", At: monday}},
			}
			wctx, cancel := context.WithCancel(ctx)
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- writer.Apply(wctx, w) }()
			if how == "cancelled context" {
				// Cancel once the write waits on the lock.
				for {
					var waiting bool
					err := admin.QueryRow(ctx, `SELECT count(*) > 0 FROM pg_stat_activity
						WHERE application_name = $1 AND wait_event_type = 'Lock'`, app).Scan(&waiting)
					if err != nil {
						t.Fatal(err)
					}
					if waiting {
						break
					}
				}
				cancel()
			}
			err = <-done
			switch {
			case err == nil:
				t.Fatal("Apply = nil, want it cut short")
			case how == "statement timeout" && !errors.Is(err, postgres.ErrTimeout):
				t.Errorf("Apply = %v, want ErrTimeout", err)
			case how == "cancelled context" && !errors.Is(err, context.Canceled) && !errors.Is(err, postgres.ErrTimeout):
				t.Errorf("Apply = %v, want context.Canceled", err)
			}
			if err := tx.Rollback(ctx); err != nil {
				t.Fatal(err)
			}
			// A cancelled statement may still be running when Apply
			// returns: the cancel request and the closing of the
			// connection reach the server after the lock is released.
			// Its transaction is never committed; wait until the server
			// has rolled it back, so that SKIP LOCKED sees its rows.
			for {
				var open int
				err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
					WHERE application_name = $1 AND xact_start IS NOT NULL`, app).Scan(&open)
				if err != nil {
					t.Fatal(err)
				}
				if open == 0 {
					break
				}
			}
			if got, err := st.Lead(ctx, "L-1"); err != nil || got.Version != 1 {
				t.Fatalf("Lead = version %d, %v; want version 1, untouched", got.Version, err)
			}
			if _, seen, _ := st.Seen(ctx, "L-1", "ev-2"); seen {
				t.Error("Seen(ev-2) = true after an interrupted write")
			}
			if h, _ := st.History(ctx, "L-1"); len(h) != 1 {
				t.Errorf("History = %d entries, want 1", len(h))
			}
			if ns, _ := st.ClaimOutbox(ctx, monday, time.Minute, 10); len(ns) != 1 {
				t.Errorf("ClaimOutbox = %d notifications, want 1", len(ns))
			}
			if ds, _ := st.ClaimDue(ctx, monday.Add(10*time.Hour), time.Minute, 10); len(ds) != 1 || !ds[0].Due.Equal(monday.Add(time.Hour)) {
				t.Errorf("ClaimDue = %v, want the first deadline only", ds)
			}
			// And the write goes through once the row is free.
			if err := writer.Apply(ctx, w); err != nil {
				t.Fatalf("Apply after the interruption = %v", err)
			}
		})
	}
}
