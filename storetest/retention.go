package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
)

// window is the retention the Retention cases write with.
const window = 3 * time.Hour

// retained returns w written at at, with a retention of window for the
// history and the event ids, as the engine writes it.
func retained(w leadline.Write, at time.Time) leadline.Write {
	w.At, w.HistorySince, w.EventsSince = at, at.Add(-window), at.Add(-window)
	return w
}

// testRetention checks what Write.HistorySince and Write.EventsSince must
// leave: a store may forget more than the writes before them, and need
// not, so the cases check only what must be kept.
func testRetention(t *testing.T, newStore func(t *testing.T) leadline.Store) {
	cases(t, newStore, map[string]func(t *testing.T, st leadline.Store){
		"ids of writes at or after EventsSince are still seen and still duplicates": func(t *testing.T, st leadline.Store) {
			// Twelve writes an hour apart, over three leads: the window
			// of the last reaches back to the ninth.
			ls := []lead.Lead{newLead("L-1", "rep-1"), newLead("L-2", "rep-1"), newLead("L-3", "rep-1")}
			var last time.Time
			for i := range 12 {
				l := &ls[i%3]
				last = at(time.Duration(i) * time.Hour)
				mustApply(t, st, retained(leadline.Write{Event: fmt.Sprintf("ev-%d", i), Lead: *l}, last))
				l.Version++
			}
			since := last.Add(-window)
			for i := range 12 {
				ev := fmt.Sprintf("ev-%d", i)
				if at(time.Duration(i) * time.Hour).Before(since) {
					continue // may be forgotten
				}
				l := ls[i%3]
				if !mustSeen(t, st, l.ID, ev) {
					t.Fatalf("Seen(%s, %s) = false; written at +%dh, at or after EventsSince +%v (E2)", l.ID, ev, i, since.Sub(t0))
				}
				err := st.Apply(t.Context(), retained(leadline.Write{Event: ev, Lead: l}, last))
				wantErr(t, fmt.Sprintf("Apply(%s, %s again within the window)", l.ID, ev), err, leaderr.ErrDuplicateEvent)
			}
			for _, l := range ls {
				if got := mustLead(t, st, l.ID).Version; got != l.Version {
					t.Fatalf("Lead(%s).Version = %d after refused repeats, want %d", l.ID, got, l.Version)
				}
			}
		},

		"an id is kept by the At of its write, not by the order of writing": func(t *testing.T, st leadline.Store) {
			l := newLead("L-1", "rep-1")
			// A later event written with a wider window (the policy
			// changed), then an older one that comes late; then a write
			// whose window drops the older ones only.
			late := retained(leadline.Write{Event: "ev-late", Lead: l}, at(10*time.Hour))
			late.EventsSince = at(-time.Hour)
			for _, w := range []leadline.Write{
				retained(leadline.Write{Event: "ev-first", Lead: l}, at(0)),
				late,
				retained(leadline.Write{Event: "ev-early", Lead: l}, at(time.Hour)),
				retained(leadline.Write{Event: "ev-now", Lead: l}, at(12*time.Hour)),
			} {
				w.Lead.Version = l.Version
				mustApply(t, st, w)
				l.Version++
			}
			if !mustSeen(t, st, "L-1", "ev-late") {
				t.Fatal("Seen(ev-late) = false; written at +10h, EventsSince is +9h (E2)")
			}
			err := st.Apply(t.Context(), retained(leadline.Write{Event: "ev-late", Lead: l}, at(12*time.Hour)))
			wantErr(t, "Apply(ev-late again)", err, leaderr.ErrDuplicateEvent)
		},

		"a refused write forgets nothing": func(t *testing.T, st leadline.Store) {
			l := newLead("L-1", "rep-1")
			mustApply(t, st, leadline.Write{Event: "ev-1", Lead: l, At: t0,
				History: []lead.Change{change("L-1", "ev-1", lead.FieldLead, "", "lead", t0)}})
			// A stale write whose window would drop everything.
			err := st.Apply(t.Context(), retained(leadline.Write{Event: "ev-2", Lead: l}, at(far)))
			wantErr(t, "Apply(stale version)", err, leaderr.ErrConflict)
			if !mustSeen(t, st, "L-1", "ev-1") {
				t.Fatal("Seen(ev-1) = false after a refused write")
			}
			if h := mustHistory(t, st, "L-1"); len(h) != 1 {
				t.Fatalf("History(L-1) has %d entries after a refused write, want 1", len(h))
			}
		},

		"zero HistorySince and EventsSince keep everything": func(t *testing.T, st leadline.Store) {
			l := newLead("L-1", "rep-1")
			var want []lead.Change
			for i := range 5 {
				when := at(time.Duration(i) * 30 * day)
				ev := fmt.Sprintf("ev-%d", i)
				h := []lead.Change{change("L-1", ev, lead.FieldStage, "", fmt.Sprintf("step %d", i), when)}
				mustApply(t, st, leadline.Write{Event: ev, Lead: l, History: h, At: when})
				want = append(want, h...)
				l.Version++
			}
			for i := range 5 {
				if ev := fmt.Sprintf("ev-%d", i); !mustSeen(t, st, "L-1", ev) {
					t.Fatalf("Seen(%s) = false without retention (E2)", ev)
				}
			}
			checkHistory(t, "History(L-1)", mustHistory(t, st, "L-1"), want)
		},

		"history at or after HistorySince is kept, in write order": func(t *testing.T, st leadline.Store) {
			l := newLead("L-1", "rep-1")
			var written []lead.Change
			var since time.Time
			for i := range 12 {
				now := at(time.Duration(i) * time.Hour)
				h := []lead.Change{change("L-1", "", lead.FieldStage, "", fmt.Sprintf("step %d", i), now)}
				if i%4 == 3 {
					// An entry of an event that happened earlier, written
					// late: older than entries before it in the history.
					h = append(h, change("L-1", "", lead.FieldStatus, "", fmt.Sprintf("late %d", i), now.Add(-4*time.Hour)))
				}
				mustApply(t, st, retained(leadline.Write{Lead: l, History: h}, now))
				written = append(written, h...)
				since = now.Add(-window)
				l.Version++
			}
			checkRetained(t, "History(L-1)", mustHistory(t, st, "L-1"), written, since)
		},

		"a write trims only its own lead's history": func(t *testing.T, st leadline.Store) {
			other := newLead("L-2", "rep-1")
			want := []lead.Change{change("L-2", "", lead.FieldLead, "", "lead", t0)}
			mustApply(t, st, leadline.Write{Lead: other, History: want, At: t0})
			l := newLead("L-1", "rep-1")
			mustApply(t, st, retained(leadline.Write{Lead: l, History: []lead.Change{change("L-1", "", lead.FieldLead, "", "lead", at(far))}}, at(far)))
			checkHistory(t, "History(L-2) after a write of L-1", mustHistory(t, st, "L-2"), want)
		},
	})
}

// checkRetained fails the test unless got is written, in order, less
// some entries whose At is before since.
func checkRetained(tb testing.TB, call string, got, written []lead.Change, since time.Time) {
	tb.Helper()
	j := 0
	for i, w := range written {
		if j < len(got) && diff(got[j], w) == "" {
			j++
			continue
		}
		if !w.At.Before(since) {
			tb.Fatalf("%s lacks written entry %d (%s at %v), at or after HistorySince %v (E3)", call, i, w.To, w.At.Sub(t0), since.Sub(t0))
		}
	}
	if j < len(got) {
		tb.Fatalf("%s has %d entries; entry %d (%s) is not among those written, or out of order", call, len(got), j, got[j].To)
	}
}
