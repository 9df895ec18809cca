package replay

import (
	"container/heap"
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
	due    dueHeap
	gen    map[string]uint32 // lead -> generation of its pending deadlines
	notes  bool              // a write since the last delivery raised notifications
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
		for _, d := range wr.Deadlines {
			heap.Push(&w.due, dueAt{due: d.Due, lead: id, gen: g})
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
		if w.gen[d.lead] == d.gen {
			return d.due, true
		}
		heap.Pop(&w.due)
	}
	return time.Time{}, false
}

// drop forgets pending deadlines due before t: a sweep at t fired them,
// or the store holds them under a claim the engine will not fire (a
// guard: the replay never sweeps the same instant forever).
func (w *watch) drop(t time.Time) {
	for len(w.due) > 0 && w.due[0].due.Before(t) {
		heap.Pop(&w.due)
	}
}

type dueAt struct {
	due  time.Time
	lead string
	gen  uint32
}

type dueHeap []dueAt

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(dueAt)) }
func (h *dueHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
