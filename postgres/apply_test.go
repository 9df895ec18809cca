package postgres_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
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
