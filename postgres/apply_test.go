package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/postgres"
)

// TestApplyBatch_refusedOnServer checks the refusals the server raises
// inside a write's one round trip (migration 0003): a batch with a
// refused write writes nothing at all (ApplyBatch: all or nothing), its
// error names the first refused write in batch order ("write %d:"), and a
// write that both repeats an event id and read a stale version is a
// duplicate (E2), not a conflict.
func TestApplyBatch_refusedOnServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// write is a step of lead id read at version, recording event with
	// a change, a new deadline and a notification.
	write := func(id string, version int64, event string) leadline.Write {
		l := lead.Lead{ID: id, Version: version, Owner: "rep-b", Created: monday, Updated: monday.Add(time.Hour), Score: decimal.New(50, 0)}
		return leadline.Write{Lead: l, Event: event, At: monday.Add(time.Hour),
			History:   []lead.Change{{Lead: id, At: monday.Add(time.Hour), Actor: "rep-b", Field: lead.FieldOwner, From: "rep-a", To: "rep-b"}},
			Deadlines: []lead.Deadline{{Lead: id, Kind: lead.DeadlineCadence, Due: monday.Add(5 * time.Hour)}},
			Outbox:    []leadline.Notification{{Kind: leadline.NoteReminder, Key: "n-" + event, Lead: id, To: "rep-b", At: monday.Add(time.Hour)}},
		}
	}
	for _, c := range []struct {
		name       string
		ws         []leadline.Write
		want       error
		notWant    error
		wantPrefix string
	}{
		{"a stale version in the second of three writes", []leadline.Write{
			write("L-1", 1, "e-1"), write("L-2", 7, "e-2"), write("L-3", 1, "e-3"),
		}, leadline.ErrConflict, leadline.ErrDuplicateEvent, "write 1:"},
		{"a stale version in the last of three writes", []leadline.Write{
			write("L-1", 1, "e-1"), write("L-2", 1, "e-2"), write("L-3", 2, "e-3"),
		}, leadline.ErrConflict, leadline.ErrDuplicateEvent, "write 2:"},
		{"a repeated event id with a stale version: a duplicate", []leadline.Write{
			write("L-1", 1, "e-1"), write("L-2", 7, "ev-L-2"), write("L-3", 1, "e-3"),
		}, leadline.ErrDuplicateEvent, leadline.ErrConflict, "write 1:"},
		{"a repeated event id with the version read: a duplicate", []leadline.Write{
			write("L-1", 1, "e-1"), write("L-2", 1, "e-2"), write("L-3", 1, "ev-L-3"),
		}, leadline.ErrDuplicateEvent, leadline.ErrConflict, "write 2:"},
		{"a stale write before a repeated one: the first in batch order", []leadline.Write{
			write("L-1", 3, "e-1"), write("L-2", 1, "e-2"), write("L-3", 1, "ev-L-3"),
		}, leadline.ErrConflict, leadline.ErrDuplicateEvent, "write 0:"},
		{"a new lead whose id exists: a conflict", []leadline.Write{
			write("L-1", 1, "e-1"), write("L-2", 0, "e-2"), write("L-3", 1, "e-3"),
		}, leadline.ErrConflict, leadline.ErrDuplicateEvent, "write 1:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			st := newStore(t)
			for _, id := range []string{"L-1", "L-2", "L-3"} {
				mustCreate(t, st, id)
			}
			err := st.ApplyBatch(ctx, c.ws)
			if !errors.Is(err, c.want) || errors.Is(err, c.notWant) {
				t.Fatalf("ApplyBatch = %v; want %v, not %v", err, c.want, c.notWant)
			}
			if !strings.Contains(err.Error(), c.wantPrefix) {
				t.Errorf("ApplyBatch = %v; want it to name %q", err, c.wantPrefix)
			}
			// Nothing of any write is stored: each lead is as created.
			for _, w := range c.ws {
				id := w.Lead.ID
				if l, err := st.Lead(ctx, id); err != nil || l.Version != 1 || l.Owner != "rep-a" {
					t.Errorf("Lead(%s) = version %d, owner %q, %v; want version 1 of rep-a", id, l.Version, l.Owner, err)
				}
				if w.Event != "ev-"+id {
					if _, seen, err := st.Seen(ctx, id, w.Event); seen || err != nil {
						t.Errorf("Seen(%s, %s) = %v, %v; want not recorded", id, w.Event, seen, err)
					}
				}
				if h, err := st.History(ctx, id); len(h) != 1 || err != nil {
					t.Errorf("History(%s) = %d entries, %v; want the one of its creation", id, len(h), err)
				}
			}
			ds, err := st.ClaimDue(ctx, monday.Add(10*time.Hour), time.Minute, 10)
			if err != nil || len(ds) != 3 {
				t.Errorf("ClaimDue = %v, %v; want the 3 deadlines of the creations", ds, err)
			}
			for _, d := range ds {
				if !d.Due.Equal(monday.Add(time.Hour)) {
					t.Errorf("deadline %v; want the creation's, due %v", d, monday.Add(time.Hour))
				}
			}
			if ns, err := st.ClaimOutbox(ctx, monday, time.Minute, 10); err != nil || len(ns) != 3 {
				t.Errorf("ClaimOutbox = %d notifications, %v; want the 3 of the creations", len(ns), err)
			}
		})
	}
}

// TestApply_refusedOnServer checks one write's refusals: the error names
// the lead, not a write of a batch.
func TestApply_refusedOnServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := newStore(t)
	mustCreate(t, st, "L-1")
	l := lead.Lead{ID: "L-1", Version: 4, Owner: "rep-b", Created: monday, Updated: monday}
	err := st.Apply(ctx, leadline.Write{Lead: l, Event: "e-9", At: monday})
	if !errors.Is(err, leadline.ErrConflict) || strings.Contains(err.Error(), "write ") || !strings.Contains(err.Error(), "L-1") {
		t.Errorf("Apply(stale) = %v; want ErrConflict naming L-1 and no write index", err)
	}
	err = st.Apply(ctx, leadline.Write{Lead: l, Event: "ev-L-1", At: monday})
	if !errors.Is(err, leadline.ErrDuplicateEvent) || errors.Is(err, leadline.ErrConflict) {
		t.Errorf("Apply(repeat, stale) = %v; want ErrDuplicateEvent only", err)
	}
}

// TestNextTickets checks that taking n places at once takes what n
// NextTicket calls would (M9): the places given back first, smallest
// first, then the next numbers.
func TestNextTickets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := newStore(t)
	for want := range uint64(10) {
		if got, err := st.NextTicket(ctx, "inside"); err != nil || got != want {
			t.Fatalf("NextTicket = %d, %v; want %d", got, err, want)
		}
	}
	if err := st.ReturnTickets(ctx, []leadline.Ticket{{Sequence: "inside", Number: 7}, {Sequence: "inside", Number: 3}}); err != nil {
		t.Fatal(err)
	}
	if got, err := st.NextTickets(ctx, "inside", 4); err != nil || !slices.Equal(got, []uint64{3, 7, 10, 11}) {
		t.Fatalf("NextTickets(4) = %v, %v; want [3 7 10 11]", got, err)
	}
	if got, err := st.NextTicket(ctx, "inside"); err != nil || got != 12 {
		t.Fatalf("NextTicket = %d, %v; want 12", got, err)
	}
	if got, err := st.NextTickets(ctx, "field", 3); err != nil || !slices.Equal(got, []uint64{0, 1, 2}) {
		t.Fatalf("NextTickets(field, 3) = %v, %v; want [0 1 2], a new sequence", got, err)
	}
}

// TestApply_oneWriteAsBatch checks that a single write, sent as a
// statement of plain values when its rows are few (up to 16 of each
// kind), stores exactly what the same write stores as part of a batch,
// sent as arrays: the lead, its event ids with their prints, its history
// in order, its deadlines and its notifications in order, the first of
// a repeated key kept. A stale version is a conflict and a repeated
// event id a duplicate, duplicate first (E2), on both paths.
func TestApply_oneWriteAsBatch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	at := monday.Add(time.Hour)
	// Text PostgreSQL stores: the engine refuses a NUL byte at its entry.
	text := rapid.StringMatching(`[a-zA-Z0-9 '\\;%_日本語]{0,12}`)
	rapid.Check(t, func(rt *rapid.T) {
		// Rows up to 20 of a kind: either side of the 16 of plain values.
		n := func(label string) int { return rapid.IntRange(0, 20).Draw(rt, label) }
		update := rapid.Bool().Draw(rt, "update")
		id := "L-1"
		l := lead.Lead{ID: id, Owner: "rep-" + rapid.StringMatching(`[a-c]`).Draw(rt, "owner"), Created: monday, Updated: at,
			Score: decimal.New(rapid.Int64Range(0, 200).Draw(rt, "score"), 0), Profile: lead.Profile{Company: text.Draw(rt, "company")}}
		w := leadline.Write{Lead: l, At: at, KeepDeadlines: rapid.Bool().Draw(rt, "keep")}
		if events := rapid.IntRange(0, 20).Draw(rt, "events"); events > 0 {
			w.Event, w.Print = "e-0", 7
			for i := 1; i < events; i++ {
				w.Events = append(w.Events, fmt.Sprintf("e-%d", i))
				w.Prints = append(w.Prints, uint64(i))
			}
		}
		for i := range n("history") {
			w.History = append(w.History, lead.Change{Lead: id, At: at.Add(time.Duration(i%3) * time.Minute), Actor: "rep-a", Event: "e-0",
				Field: lead.FieldOwner, From: fmt.Sprint(i), To: text.Draw(rt, "to"), Rule: "T1", Reason: "r"})
		}
		for i := range rapid.IntRange(0, 3).Draw(rt, "deadlines") {
			w.Deadlines = append(w.Deadlines, lead.Deadline{Lead: id, Kind: lead.DeadlineKind(1 + i%2), Due: at.Add(time.Duration(i+1) * time.Hour)})
		}
		for i := range n("notifications") {
			key := fmt.Sprintf("k-%d", rapid.IntRange(0, i).Draw(rt, "key")) // repeats some
			w.Outbox = append(w.Outbox, leadline.Notification{Kind: leadline.NoteReminder, Key: key, Lead: id, To: fmt.Sprintf("rep-%d", i), At: at})
		}
		stale := update && rapid.Bool().Draw(rt, "stale")
		repeat := update && w.Event != "" && rapid.Bool().Draw(rt, "repeat")
		if repeat {
			w.Event = "ev-" + id // mustCreate's event
		}

		// stored reads back what a store holds of L-1.
		stored := func(st *postgres.Store) string {
			var b strings.Builder
			got, err := st.Lead(ctx, id)
			fmt.Fprintf(&b, "lead %+v %v\n", got, err)
			h, err := st.History(ctx, id)
			fmt.Fprintf(&b, "history %+v %v\n", h, err)
			for _, ev := range append([]string{w.Event, "ev-" + id}, w.Events...) {
				p, ok, err := st.Seen(ctx, id, ev)
				fmt.Fprintf(&b, "seen %s %d %v %v\n", ev, p, ok, err)
			}
			ds, err := st.ClaimDue(ctx, monday.Add(100*time.Hour), time.Minute, 100)
			fmt.Fprintf(&b, "deadlines %v %v\n", ds, err)
			ns, err := st.ClaimOutbox(ctx, at, time.Minute, 100)
			fmt.Fprintf(&b, "outbox %+v %v\n", ns, err)
			return b.String()
		}
		var answers [2]string
		for i, one := range []bool{true, false} {
			c := openStore(t, testPool(t))
			defer c.Close()
			if update {
				mustCreate(t, c.Store, id)
				w.Lead.Version = 1
				if stale {
					w.Lead.Version = 2
				}
			}
			var err error
			if one {
				err = c.Apply(ctx, w)
			} else {
				// A second lead's write makes a batch, sent as arrays.
				other := leadline.Write{Lead: lead.Lead{ID: "L-other", Owner: "rep-a", Created: monday, Updated: at}, At: at}
				err = c.ApplyBatch(ctx, []leadline.Write{w, other})
			}
			switch {
			case repeat:
				if !errors.Is(err, leadline.ErrDuplicateEvent) {
					rt.Fatalf("one write %v: repeated event: %v; want a duplicate", one, err)
				}
			case stale:
				if !errors.Is(err, leadline.ErrConflict) {
					rt.Fatalf("one write %v: stale version: %v; want a conflict", one, err)
				}
			case err != nil:
				rt.Fatalf("one write %v: %v", one, err)
			}
			answers[i] = stored(c.Store)
		}
		if answers[0] != answers[1] {
			rt.Fatalf("a single write stored\n%s\nthe same write in a batch\n%s", answers[0], answers[1])
		}
	})
}

// TestApply_oneWriteGenericPlan checks what oneStatement is for: on a
// connection, PostgreSQL plans a single write's statement a few times,
// then keeps one generic plan, with no setting sent, instead of planning
// each write afresh.
func TestApply_oneWriteGenericPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := newPool(t, 1, appName) // one connection: every write on it
	defer pool.Close()
	c := openStore(t, pool)
	defer c.Close()
	mustCreate(t, c.Store, "L-1")
	for i := range 12 {
		l, err := c.Lead(ctx, "L-1")
		if err != nil {
			t.Fatal(err)
		}
		l.Score = decimal.New(int64(i), 0)
		w := leadline.Write{Lead: l, Event: fmt.Sprintf("e-%d", i), At: monday, KeepDeadlines: true,
			History: []lead.Change{{Lead: "L-1", At: monday, Actor: "ma", Field: lead.FieldScore, From: "1", To: "2"}}}
		if err := c.Apply(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	var generic, custom int64
	err := pool.QueryRow(ctx, `SELECT generic_plans, custom_plans FROM pg_prepared_statements
		WHERE statement LIKE 'WITH w AS (UPDATE%' AND statement LIKE '%INSERT INTO %.history%'`).Scan(&generic, &custom)
	if err != nil {
		t.Fatalf("the single write's prepared statement: %v", err)
	}
	if generic < 6 || custom > 6 {
		t.Errorf("12 writes ran %d generic plans and %d custom ones; want the generic plan from the 7th write on", generic, custom)
	}
}

// TestStore_LeadSeen checks that LeadSeen, the read of a batch of
// events (HandleBatch), answers what Lead and SeenEvents answer, for a
// lead with some of the ids recorded (E2), with none asked, and for a
// missing lead.
func TestStore_LeadSeen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := newStore(t)
	mustCreate(t, st, "L-1")
	l, err := st.Lead(ctx, "L-1")
	if err != nil {
		t.Fatal(err)
	}
	w := leadline.Write{Lead: l, Event: "e-2", Print: 42, Events: []string{"e-3"}, Prints: []uint64{1 << 63}, At: monday, KeepDeadlines: true}
	if err := st.Apply(ctx, w); err != nil {
		t.Fatal(err)
	}
	for _, ids := range [][]string{{"e-3", "nope", "ev-L-1", "e-2", ""}, {}, {"nope"}} {
		got, prints, seen, err := st.LeadSeen(ctx, "L-1", ids)
		if err != nil {
			t.Fatalf("LeadSeen(%q) = %v", ids, err)
		}
		want, err := st.Lead(ctx, "L-1")
		if err != nil {
			t.Fatal(err)
		}
		wantPrints, wantSeen, err := st.SeenEvents(ctx, "L-1", ids)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) || !slices.Equal(prints, wantPrints) || !slices.Equal(seen, wantSeen) {
			t.Errorf("LeadSeen(%q) = %+v, %v, %v; Lead and SeenEvents say %+v, %v, %v", ids, got, prints, seen, want, wantPrints, wantSeen)
		}
	}
	if _, _, seen, err := st.LeadSeen(ctx, "L-1", []string{"e-3", "e-9"}); err != nil || !seen[0] || seen[1] {
		t.Errorf("LeadSeen(e-3, e-9) = %v, %v; want e-3 recorded, e-9 not", seen, err)
	}
	if _, _, _, err := st.LeadSeen(ctx, "L-missing", []string{"e-1"}); !errors.Is(err, leadline.ErrNotFound) {
		t.Errorf("LeadSeen(missing) = %v; want ErrNotFound", err)
	}
}

// TestApply_retentionDeletes checks that a write's retention deletes
// what it lets go of (E2, E3), where the store contract only says what
// must be kept: twelve writes of a lead an hour apart, each keeping the
// event ids and history of the three hours before it, leave exactly the
// rows of the last four (at or after the last write's window), so that
// a lead's rows stay bounded. A single write and a batch store their
// rows' instants alike.
func TestApply_retentionDeletes(t *testing.T) {
	t.Parallel()
	for _, batch := range []bool{false, true} {
		t.Run(map[bool]string{false: "single writes", true: "batches"}[batch], func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := newStore(t)
			l := lead.Lead{ID: "L-1", Owner: "rep-a", Created: monday, Updated: monday}
			for i := range 12 {
				at := monday.Add(time.Duration(i) * time.Hour)
				ev := fmt.Sprintf("ev-%d", i)
				w := leadline.Write{Lead: l, Event: ev, At: at, KeepDeadlines: true,
					HistorySince: at.Add(-3 * time.Hour), EventsSince: at.Add(-3 * time.Hour),
					History: []lead.Change{{Lead: "L-1", At: at, Actor: "ma", Event: ev, Field: lead.FieldScore, From: "0", To: "1"}}}
				var err error
				if batch {
					// A second lead in the batch makes it a batch's
					// statement, not a single write's.
					other := lead.Lead{ID: fmt.Sprintf("L-other-%d", i), Owner: "rep-a", Created: at, Updated: at}
					err = st.ApplyBatch(ctx, []leadline.Write{w, {Lead: other, At: at}})
				} else {
					err = st.Apply(ctx, w)
				}
				if err != nil {
					t.Fatal(err)
				}
				l.Version++
			}
			var seen, history int
			q := quote(st.Schema())
			err := testPool(t).QueryRow(ctx, `SELECT (SELECT count(*) FROM `+q+`.seen WHERE lead = 'L-1'),
				(SELECT count(*) FROM `+q+`.history WHERE lead = 'L-1')`).Scan(&seen, &history)
			if err != nil {
				t.Fatal(err)
			}
			if seen != 4 || history != 4 {
				t.Errorf("after 12 writes an hour apart, each keeping 3 hours: %d event ids and %d history entries stored; want 4 of each (+8h to +11h)", seen, history)
			}
		})
	}
}
