package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/report"
)

// TestMigrate_ticketsCarryOver checks that migration 0003 carries the
// round-robin sequences' numbers over into PostgreSQL sequences (M9): a
// schema whose team "inside" handed out places 0 to 4, and had place 2
// given back, hands out 2, then 5, then 6.
func TestMigrate_ticketsCarryOver(t *testing.T) {
	ctx := context.Background()
	pool, schema := migratedTo(t, "mig0003", 2)
	ident := pgx.Identifier{schema}.Sanitize()
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

// migratedTo returns a pool and a schema of this test binary's own,
// named after prefix, with the migrations up to version applied, as a
// store of that version left it; the schema is dropped when t ends.
func migratedTo(t *testing.T, prefix string, version int) (*pgxpool.Pool, string) {
	t.Helper()
	url := os.Getenv("LEADLINE_TEST_DATABASE_URL")
	if url == "" {
		t.Skip("LEADLINE_TEST_DATABASE_URL is not set: set it to a PostgreSQL URL (postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run the postgres tests")
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	schema := fmt.Sprintf("%s_%d", prefix, os.Getpid()) // a test binary of its own
	ident := pgx.Identifier{schema}.Sanitize()
	drop := func() {
		if _, err := pool.Exec(ctx, `DROP SCHEMA IF EXISTS `+ident+` CASCADE`); err != nil {
			t.Fatal(err)
		}
	}
	drop()
	t.Cleanup(drop)
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `CREATE SCHEMA `+ident+`; CREATE TABLE `+ident+`.migrations (version integer PRIMARY KEY, name text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.version > version {
			break
		}
		if _, err := pool.Exec(ctx, strings.ReplaceAll(m.sql, "@schema", ident)); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO `+ident+`.migrations VALUES ($1, $2)`, m.version, m.name); err != nil {
			t.Fatal(err)
		}
	}
	return pool, schema
}

// TestMigrate_historyColumns checks that migration 0004 carries history
// written as JSON bodies (as a store at 0003 wrote it: the change
// encoded whole, its instant in the at column too) over into columns
// (E3): History, Changes and ScoreAt read back the entries
// written, in write order, a key absent from a body ("rule" and "reason"
// are left out when empty) as "", free text byte for byte, and an
// instant with a zone offset Equal to the one written.
func TestMigrate_historyColumns(t *testing.T) {
	ctx := context.Background()
	pool, schema := migratedTo(t, "mig0004", 3)
	ident := pgx.Identifier{schema}.Sanitize()
	jst := time.FixedZone("JST", 9*60*60)
	at := time.Date(2026, 4, 6, 9, 30, 0, 123456000, jst)
	hostile := "'; DROP TABLE history; -- \\ \"quoted\" 株式会社 👩‍💼\t\n" + strings.Repeat("長い", 1000)
	want := []lead.Change{
		{Lead: "L-1", At: at, Actor: "rep-1", Event: "e-1", Field: lead.FieldStage, From: "untouched", To: "stage1", Rule: "T9", Reason: hostile},
		{Lead: "L-1", At: at.Add(time.Minute), Actor: lead.ActorEngine, Event: "e-2", Field: lead.FieldOwner, From: "rep-1", To: "rep-2", Rule: "T1"},
		{Lead: "L-1", At: at.Add(time.Hour), Actor: "rep-2", Event: "e-3", Field: lead.FieldScore, From: "30", To: "40"},
		{Lead: "L-2", At: at.Add(time.Microsecond).UTC(), Actor: "rep-3", Event: "e-4", Field: lead.FieldStatus, From: "", To: "working", Reason: "first call"},
	}
	for _, c := range want {
		body, err := json.Marshal(&c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO `+ident+`.history (lead, at, field, body) VALUES ($1, $2, $3, $4::jsonb)`,
			c.Lead, c.At, c.Field.String(), string(body)); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"L-1", "L-2"} {
		body, err := json.Marshal(&lead.Lead{ID: id, Owner: "rep-2", Created: at, Updated: at})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO `+ident+`.leads (id, version, owner, created, open, active, attempted, desk, body)
			VALUES ($1, 1, 'rep-2', $2, false, false, false, 'inside', $3::jsonb)`, id, at, string(body)); err != nil {
			t.Fatal(err)
		}
	}
	st := New(pool, WithSchema(schema))
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	same := func(what string, got, want []lead.Change) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries, want %d", what, len(got), len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			if !g.At.Equal(w.At) {
				t.Errorf("%s[%d]: At = %v, want %v", what, i, g.At, w.At)
			}
			g.At, w.At = time.Time{}, time.Time{}
			if g != w {
				t.Errorf("%s[%d] = %+v, want %+v", what, i, g, w)
			}
		}
	}
	for _, id := range []string{"L-1", "L-2"} {
		h, err := st.History(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var w []lead.Change
		for _, c := range want {
			if c.Lead == id {
				w = append(w, c)
			}
		}
		same("History("+id+")", h, w)
	}
	var got []lead.Change
	for c, err := range st.Changes(ctx, report.ChangeQuery{Period: report.Period{From: at, To: at.Add(2 * time.Hour)}}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c)
	}
	// In (At, lead, write order): L-2's entry is a microsecond after L-1's first.
	same("Changes", got, []lead.Change{want[0], want[3], want[1], want[2]})
	if d, ok, err := st.ScoreAt(ctx, "L-1", at.Add(2*time.Hour)); err != nil || !ok || !d.Equal(decimal.RequireFromString("40")) {
		t.Errorf("ScoreAt = %v, %v, %v; want 40 (the score entry carried over)", d, ok, err)
	}
	// A change written after the migration reads back beside them.
	more := lead.Change{Lead: "L-2", At: at.Add(time.Hour), Actor: "rep-3", Event: "e-5", Field: lead.FieldStatus, From: "working", To: "nurturing"}
	l, err := st.Lead(ctx, "L-2")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Apply(ctx, leadline.Write{Lead: l, Event: "e-5", At: more.At, History: []lead.Change{more}}); err != nil {
		t.Fatal(err)
	}
	h, err := st.History(ctx, "L-2")
	if err != nil {
		t.Fatal(err)
	}
	same("History(L-2) after a write", h, []lead.Change{want[3], more})
}

// TestMigrate_leanerWrites checks migration 0005: the notifications of
// a schema at 0004, one pending and one dead, read back the same once
// their bodies are json, and the leads of a campaign are found (M6)
// through the index that now holds only the leads with campaigns, among
// leads with none.
func TestMigrate_leanerWrites(t *testing.T) {
	ctx := context.Background()
	pool, schema := migratedTo(t, "mig0005", 4)
	ident := pgx.Identifier{schema}.Sanitize()
	jst := time.FixedZone("JST", 9*60*60)
	at := time.Date(2026, 4, 6, 9, 30, 0, 123456000, jst)
	notes := []leadline.Notification{
		{Key: "L-1/e-1/reminder/rep-1", Kind: leadline.NoteReminder, Lead: "L-1", To: "rep-1", Rule: "T8", At: at, Due: at.Add(-time.Hour),
			Detail: "'; DROP TABLE outbox; -- \\ \"quoted\" 株式会社 👩‍💼\t\n"},
		{Key: "L-2/e-2/reassigned/rep-2", Kind: leadline.NoteReassigned, Lead: "L-2", To: "rep-2", Rule: "T1", At: at.UTC(), Priority: 2},
	}
	for i, n := range notes {
		body, err := json.Marshal(&n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO `+ident+`.outbox (key, body, dead, dead_seq, dead_at, err, attempts)
			VALUES ($1, $2::jsonb, $3, CASE WHEN $3 THEN 1 END, CASE WHEN $3 THEN $4::timestamptz END, CASE WHEN $3 THEN 'refused' END, $5)`,
			n.Key, string(body), i == 1, at, 3*i); err != nil {
			t.Fatal(err)
		}
	}
	for i, id := range []string{"L-1", "L-2", "L-3"} {
		l := lead.Lead{ID: id, Owner: "rep-1", Created: at, Updated: at}
		if i == 1 {
			l.Responses = []lead.Touch{{Campaign: "C-1", Kind: lead.ResponseRegistered}}
		}
		body, err := json.Marshal(&l)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO `+ident+`.leads (id, version, owner, created, open, active, attempted, desk, body)
			VALUES ($1, 1, 'rep-1', $2, false, false, false, 'inside', $3::jsonb)`, id, at, string(body)); err != nil {
			t.Fatal(err)
		}
	}
	st := New(pool, WithSchema(schema))
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	same := func(what string, got, want leadline.Notification) {
		t.Helper()
		if !got.At.Equal(want.At) || !got.Due.Equal(want.Due) {
			t.Errorf("%s: At, Due = %v, %v; want %v, %v", what, got.At, got.Due, want.At, want.Due)
		}
		got.At, got.Due, want.At, want.Due = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if got != want {
			t.Errorf("%s = %+v, want %+v", what, got, want)
		}
	}
	claimed, err := st.ClaimOutbox(ctx, at, time.Minute, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("ClaimOutbox = %d notifications, %v; want 1", len(claimed), err)
	}
	same("ClaimOutbox", claimed[0], notes[0])
	dead, err := st.DeadLetters(ctx)
	if err != nil || len(dead) != 1 {
		t.Fatalf("DeadLetters = %d, %v; want 1", len(dead), err)
	}
	want := notes[1]
	want.Attempts = 3
	same("DeadLetters", dead[0].Notification, want)
	if !dead[0].At.Equal(at) || dead[0].Err != "refused" {
		t.Errorf("dead letter set aside at %v for %q, want %v for %q", dead[0].At, dead[0].Err, at, "refused")
	}
	// A notification written after the migration reads back beside them.
	more := leadline.Notification{Key: "L-3/e-3/reminder/rep-1", Kind: leadline.NoteReminder, Lead: "L-3", To: "rep-1", Rule: "A4", At: at}
	l, err := st.Lead(ctx, "L-3")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Apply(ctx, leadline.Write{Lead: l, Event: "e-3", At: at, Outbox: []leadline.Notification{more}}); err != nil {
		t.Fatal(err)
	}
	claimed, err = st.ClaimOutbox(ctx, at.Add(time.Hour), time.Minute, 10)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("ClaimOutbox after a write = %d notifications, %v; want 2", len(claimed), err)
	}
	same("ClaimOutbox after a write", claimed[1], more)
	ls, err := st.Leads(ctx, leadline.Query{Campaign: "C-1"})
	if err != nil || len(ls) != 1 || ls[0].ID != "L-2" {
		t.Fatalf("Leads(campaign C-1) = %v, %v; want L-2", ls, err)
	}
	// The planner may use the index for the store's query of a campaign.
	var plan string
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `EXPLAIN (COSTS OFF) SELECT id FROM `+ident+`.leads WHERE campaigns @> '["C-1"]'::jsonb AND campaigns <> '[]'::jsonb`)
		if err != nil {
			return err
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		plan = strings.Join(lines, "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "leads_campaigns") {
		t.Errorf("plan of a campaign's leads: %s; want a scan of leads_campaigns", plan)
	}
}
