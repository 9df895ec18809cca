package replay

import (
	"context"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
)

// watch is the store a replay's engine writes to: the host's or a fresh
// memstore, passed through, with every successful write seen on the way,
// so that the replay knows the next due deadline without asking the
// store (the Store interface can claim due deadlines, not peek at them)
// and reads each history entry once, as it is written (E3).
type watch struct {
	leadline.Store
	due dueHeap
	gen map[string]uint32 // lead -> generation of its pending deadlines
	// fresh says due's first entry is of its lead's current generation:
	// next checked it, and no write or pop moved it since, so the next
	// next need not look its lead up again (issue 13).
	fresh  bool
	notes  bool // a write since the last delivery raised notifications
	onHist func(lead.Change)
	onNote func(*leadline.Notification) // each notification written, if set
}

func newWatch(s leadline.Store, onHist func(lead.Change)) *watch {
	return &watch{Store: s, gen: map[string]uint32{}, onHist: onHist}
}

// Apply implements [leadline.LeadStore].
func (w *watch) Apply(ctx context.Context, wr leadline.Write) error {
	if err := w.Store.Apply(ctx, wr); err != nil {
		return err
	}
	w.saw(&wr)
	return nil
}

// ApplyBatch implements [leadline.LeadStore].
func (w *watch) ApplyBatch(ctx context.Context, ws []leadline.Write) error {
	if err := w.Store.ApplyBatch(ctx, ws); err != nil {
		return err
	}
	for i := range ws {
		w.saw(&ws[i])
	}
	return nil
}

func (w *watch) saw(wr *leadline.Write) {
	if len(wr.Outbox) > 0 {
		w.notes = true
	}
	if w.onNote != nil {
		for i := range wr.Outbox {
			w.onNote(&wr.Outbox[i])
		}
	}
	if !wr.KeepDeadlines {
		id := wr.Lead.ID
		g := w.gen[id] + 1
		w.gen[id] = g
		if w.fresh && w.due[0].lead == id {
			w.fresh = false
		}
		for _, d := range wr.Deadlines {
			w.due.push(dueAt{due: d.Due, lead: id, gen: g})
			w.fresh = w.fresh && w.due[0].lead != id
		}
	}
	if w.onHist != nil {
		for _, c := range wr.History {
			w.onHist(c)
		}
	}
}

// next returns the earliest pending deadline's instant, if any.
func (w *watch) next() (time.Time, bool) {
	for len(w.due) > 0 {
		d := w.due[0]
		if w.fresh || w.gen[d.lead] == d.gen {
			w.fresh = true
			return d.due, true
		}
		w.due.pop()
	}
	return time.Time{}, false
}

// drop forgets pending deadlines due before t: a sweep at t fired them,
// or the store holds them under a claim the engine will not fire (a
// guard: the replay never sweeps the same instant forever).
func (w *watch) drop(t time.Time) {
	for len(w.due) > 0 && w.due[0].due.Before(t) {
		w.due.pop()
		w.fresh = false
	}
}

type dueAt struct {
	due  time.Time
	lead string
	gen  uint32
}

// dueHeap is a min-heap of deadlines by due instant, kept by hand rather
// than with container/heap, whose interface would allocate every entry.
type dueHeap []dueAt

func (h *dueHeap) push(x dueAt) {
	*h = append(*h, x)
	q := *h
	for i := len(q) - 1; i > 0; {
		p := (i - 1) / 2
		if !q[i].due.Before(q[p].due) {
			break
		}
		q[i], q[p] = q[p], q[i]
		i = p
	}
}

func (h *dueHeap) pop() {
	q := *h
	n := len(q) - 1
	q[0] = q[n]
	q[n] = dueAt{}
	q = q[:n]
	*h = q
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && q[l].due.Before(q[m].due) {
			m = l
		}
		if r := l + 1; r < n && q[r].due.Before(q[m].due) {
			m = r
		}
		if m == i {
			return
		}
		q[i], q[m] = q[m], q[i]
		i = m
	}
}
