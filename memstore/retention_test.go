package memstore

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
	"pgregory.net/rapid"
)

var t0 = time.Date(2025, 4, 7, 9, 0, 0, 0, time.FixedZone("JST", 9*60*60))

// retained returns w written at at with a retention of window for
// history and event ids.
func retained(w leadline.Write, at time.Time, window time.Duration) leadline.Write {
	w.At, w.HistorySince, w.EventsSince = at, at.Add(-window), at.Add(-window)
	return w
}

// TestStore_Apply_forgetsOldEventIDs checks that the lead's ids of writes
// before EventsSince are forgotten on its writes: the store holds a
// window of its ids.
func TestStore_Apply_forgetsOldEventIDs(t *testing.T) {
	const (
		window = 3 * time.Hour
		every  = 10 * time.Minute
		writes = 10 * int(window/every) // ten windows
	)
	st := New()
	l := lead.Lead{ID: "L-1"}
	for i := range writes {
		now := t0.Add(time.Duration(i) * every)
		w := retained(leadline.Write{Event: fmt.Sprintf("ev-%d", i), Lead: l}, now, window)
		if err := st.Apply(t.Context(), w); err != nil {
			t.Fatal(err)
		}
		l.Version++
		if n, max := len(st.leads["L-1"].ids), int(window/every)+1; n > max {
			t.Fatalf("after write %d: %d ids kept, want at most %d (a window)", i, n, max)
		}
	}
	for i := range writes - int(window/every) - 1 {
		if _, seen := st.seenIn(st.leads["L-1"], st.idKey(fmt.Sprintf("ev-%d", i))); seen {
			ev := fmt.Sprintf("ev-%d", i)
			t.Fatalf("Seen(%s) = true, written more than a window before the last write", ev)
		}
	}
}

// TestStore_Apply_trimsHistory checks that a lead's history keeps about a
// window of entries, that its array shrinks with it, and that the codes
// of dropped entries leave the dictionary.
func TestStore_Apply_trimsHistory(t *testing.T) {
	const window = 3 * time.Hour
	st := New()
	l := lead.Lead{ID: "L-1", Owner: "rep-1"}
	for i := range 200 {
		now := t0.Add(time.Duration(i) * time.Hour)
		h := []lead.Change{
			{Lead: "L-1", At: now, Actor: "rep-1", Field: lead.FieldStage, From: fmt.Sprintf("step %d", i), To: fmt.Sprintf("step %d", i+1), Rule: "T3"},
			{Lead: "L-1", At: now, Actor: lead.ActorEngine, Field: lead.FieldRequest, From: "open", To: "done", Rule: "A4", Reason: fmt.Sprintf("reason %d", i)},
		}
		if err := st.Apply(t.Context(), retained(leadline.Write{Lead: l, History: h}, now, window)); err != nil {
			t.Fatal(err)
		}
		l.Version++
		r := st.leads["L-1"]
		if n := len(r.history); n > 2*4 {
			t.Fatalf("after write %d: %d entries, want at most 8 (four writes in the window)", i, n)
		}
		if c := cap(r.history); c > 2*len(r.history)+8 {
			t.Fatalf("after write %d: %d entries in an array of %d", i, len(r.history), c)
		}
		checkDict(t, st)
		// rep-1, leadline, T3, A4, open, done and the keys of four writes.
		if n := len(st.dict.codes); n > 6+4+1 {
			t.Fatalf("after write %d: the dictionary holds %d strings, want at most 11", i, n)
		}
	}
}

// TestStore_retentionBoundsMemory checks that a store written with a
// retention window stops growing: ten days of writes on the same leads
// take about the heap that two days take.
func TestStore_retentionBoundsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 240,000 events")
	}
	const (
		leads  = 1000
		window = 24 * time.Hour
	)
	st := New()
	ls := make([]lead.Lead, leads)
	for i := range ls {
		ls[i] = lead.Lead{ID: fmt.Sprintf("L-%04d", i), Owner: "rep-1", Created: t0}
	}
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	base := heap()
	var atTwo uint64
	for hour := range 10 * 24 {
		now := t0.Add(time.Duration(hour) * time.Hour)
		for i := range ls {
			l := &ls[i]
			ev := fmt.Sprintf("ev-%d-%d", hour, i)
			l.Updated = now
			l.Track = stage.Track{Stage: stage.Stage1, Cadence: 1, Due: stage.InstantOf(now.Add(48 * time.Hour))}
			w := leadline.Write{Event: ev, Lead: *l,
				History:   []lead.Change{{Lead: l.ID, At: now, Actor: "rep-1", Event: ev, Field: lead.FieldStage, From: "stage1", To: "stage1", Rule: "T8", Reason: ev}},
				Deadlines: []lead.Deadline{{Lead: l.ID, Kind: lead.DeadlineCadence, Due: now.Add(48 * time.Hour)}},
			}
			if err := st.Apply(t.Context(), retained(w, now, window)); err != nil {
				t.Fatal(err)
			}
			l.Version++
		}
		if hour == 2*24-1 {
			atTwo = heap() - base
		}
	}
	atTen := heap() - base
	if atTen > atTwo*5/4 {
		t.Fatalf("heap after ten days of writes %d KiB, after two %d KiB: retention does not bound it", atTen>>10, atTwo>>10)
	}
	runtime.KeepAlive(st)
}

// checkDict fails the test unless every code the store's records and
// history entries hold is counted once, and the dictionary's map, strings
// and free codes agree.
func checkDict(tb interface {
	Helper()
	Fatalf(format string, args ...any)
}, s *Store) {
	tb.Helper()
	d := &s.dict
	refs := make([]uint32, len(d.strs))
	for _, r := range s.leads {
		for _, c := range []uint32{r.owner, r.source, r.maSystem, r.reasons, r.subject} {
			refs[c]++
		}
		for _, c := range r.history {
			refs[c.actor]++
			refs[c.from]++
			refs[c.to]++
			refs[c.rule]++
		}
	}
	refs[0] = 0
	for c := range d.strs {
		if refs[c] != d.refs[c] {
			tb.Fatalf("dictionary code %d (%q) counts %d references, the store holds %d", c, d.strs[c], d.refs[c], refs[c])
		}
		if c > 0 && (refs[c] > 0) != (d.strs[c] != "") {
			tb.Fatalf("dictionary code %d (%q) has %d references", c, d.strs[c], refs[c])
		}
		if s := d.strs[c]; s != "" && d.codes[s] != uint32(c) {
			tb.Fatalf("dictionary code %d is %q, whose code is %d", c, s, d.codes[s])
		}
	}
	if n := len(d.codes) + len(d.free) + 1; n != len(d.strs) {
		tb.Fatalf("dictionary holds %d strings and %d free codes of %d", len(d.codes), len(d.free), len(d.strs)-1)
	}
}

// TestStore_dict checks the dictionary's counts after random writes of
// leads and history with and without retention: every code held is
// counted, and strings nobody holds are forgotten.
func TestStore_dict(t *testing.T) {
	words := []string{"", "rep-1", "rep-2", "leadline", "T1", "stage1", "A1,A3"}
	rapid.Check(t, func(rt *rapid.T) {
		st := New()
		versions := map[string]int64{}
		now := t0
		unique := 0
		word := func(rt *rapid.T, label string) string {
			if rapid.IntRange(0, 4).Draw(rt, label+" unique") == 0 {
				unique++
				return fmt.Sprintf("u-%d", unique)
			}
			return rapid.SampledFrom(words).Draw(rt, label)
		}
		rt.Repeat(map[string]func(*rapid.T){
			"Apply": func(rt *rapid.T) {
				id := rapid.SampledFrom([]string{"L-1", "L-2"}).Draw(rt, "lead")
				now = now.Add(time.Duration(rapid.IntRange(0, 3).Draw(rt, "hours")) * time.Hour)
				l := lead.Lead{ID: id, Version: versions[id], Owner: word(rt, "owner"), Updated: now}
				l.Source, l.MASystem, l.Request.Subject = word(rt, "source"), word(rt, "ma"), word(rt, "subject")
				l.Request.Reasons = lead.RuleIDs(word(rt, "reasons"))
				w := leadline.Write{Lead: l, At: now}
				for range rapid.IntRange(0, 3).Draw(rt, "changes") {
					w.History = append(w.History, lead.Change{Lead: id, At: now.Add(-time.Duration(rapid.IntRange(0, 4).Draw(rt, "age")) * time.Hour),
						Actor: word(rt, "actor"), From: word(rt, "from"), To: word(rt, "to"), Rule: word(rt, "rule")})
				}
				if rapid.Bool().Draw(rt, "retention") {
					w = retained(w, now, time.Duration(rapid.IntRange(0, 3).Draw(rt, "window"))*time.Hour)
				}
				if err := st.Apply(rt.Context(), w); err != nil {
					rt.Fatal(err)
				}
				versions[id]++
			},
			"": func(rt *rapid.T) { checkDict(rt, st) },
		})
	})
}
