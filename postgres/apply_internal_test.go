package postgres

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
)

// TestApply_shapesBeyondTheBound checks the bound on the single writes'
// statement texts a store keeps (maxShapes), which bounds the statements
// it prepares on each connection: a write of a shape beyond them is made
// all the same, as arrays, and adds no text; a write of a kept shape
// still uses its text.
func TestApply_shapesBeyondTheBound(t *testing.T) {
	pool, schema := migratedTo(t, "shapes", math.MaxInt)
	st := New(pool, WithSchema(schema))
	ctx := context.Background()
	at := time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)
	texts := func() int {
		st.textsMu.RLock()
		defer st.textsMu.RUnlock()
		return len(st.texts)
	}
	l := lead.Lead{ID: "L-1", Owner: "rep-a", Created: at, Updated: at}
	if err := st.Apply(ctx, leadline.Write{Lead: l, Event: "e-1", At: at}); err != nil {
		t.Fatal(err)
	}
	if n := texts(); n != 1 {
		t.Fatalf("after one write: %d texts; want 1", n)
	}
	// As if maxShapes shapes were kept: shapes no write has (255
	// notifications) beside the first write's.
	st.textsMu.Lock()
	for i := range maxShapes - 1 {
		st.texts[oneShape{notes: 255, seen: uint8(i), hist: uint8(i >> 8)}] = &oneText{}
	}
	st.textsMu.Unlock()
	const kept = maxShapes
	write := func(w leadline.Write) {
		t.Helper()
		cur, err := st.Lead(ctx, "L-1")
		if err != nil {
			t.Fatal(err)
		}
		w.Lead = cur
		w.At, w.KeepDeadlines = at, true
		if err := st.Apply(ctx, w); err != nil {
			t.Fatalf("write of events %s %v: %v", w.Event, w.Events, err)
		}
		for _, ev := range append([]string{w.Event}, w.Events...) {
			if _, seen, err := st.Seen(ctx, "L-1", ev); err != nil || !seen {
				t.Fatalf("event %s after its write: seen %v, %v", ev, seen, err)
			}
		}
	}
	// Another shape: two event ids and a change.
	write(leadline.Write{Event: "e-2", Events: []string{"e-3"},
		History: []lead.Change{{Lead: "L-1", At: at, Actor: "ma", Field: lead.FieldScore, From: "0", To: "5"}}})
	if n := texts(); n != kept {
		t.Errorf("a write beyond the bound kept a text: %d texts; want %d", n, kept)
	}
	// The kept shape, an insert with one event id, still has its text.
	w := leadline.Write{Lead: lead.Lead{ID: "L-2", Owner: "rep-a", Created: at, Updated: at}, Event: "e-1", At: at}
	c, err := collect([]leadline.Write{w})
	if err != nil {
		t.Fatal(err)
	}
	if st.oneText(c) == nil {
		t.Error("the kept shape's text is gone beyond the bound")
	}
	if err := st.Apply(ctx, w); err != nil {
		t.Fatal(err)
	}
	if n := texts(); n != kept {
		t.Errorf("after a write of the kept shape: %d texts; want %d", n, kept)
	}
	got, err := st.Lead(ctx, "L-1")
	if err != nil || got.Version != 2 {
		t.Errorf("the lead after two writes: version %d, %v; want 2", got.Version, err)
	}
}
