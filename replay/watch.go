package replay

import (
	"context"
	"time"

	"github.com/leadline/leadline"
)

// watch is the store a replay's engine writes to: the host's or a fresh
// memstore, passed through, with every successful write seen on the way,
// so that the replay knows the next due deadline without asking the
// store (the Store interface can claim due deadlines, not peek at them)
// and reads each history entry once, as it is written (E3).
type watch struct {
	leadline.Store
	due dueHeap
	// leads holds each written lead's generation of pending deadlines: a
	// deadline in due whose generation is older was moved or dropped. It
	// is the Outcome's state when one counts the history.
	leads  map[string]*leadState
	notes  bool // a write since the last delivery raised notifications
	out    *Outcome
	onNote func(*leadline.Notification) // each notification written, if set
}

// newWatch returns a watch of s that counts the history it sees in out,
// if not nil.
func newWatch(s leadline.Store, out *Outcome) *watch {
	w := &watch{Store: s, leads: map[string]*leadState{}, out: out}
	if out != nil {
		w.leads = out.state
	}
	return w
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
	var st *leadState // the lead's entry, looked up once for the write
	if !wr.KeepDeadlines {
		st = stateOf(w.leads, wr.Lead.ID)
		st.gen++
		for _, d := range wr.Deadlines {
			w.due.push(dueAt{due: d.Due, lead: st, gen: st.gen})
		}
	}
	if w.out != nil && len(wr.History) > 0 {
		if st == nil {
			st = stateOf(w.leads, wr.Lead.ID)
		}
		w.out.last = st
		for i := range wr.History {
			if c := &wr.History[i]; c.Lead == st.id {
				w.out.count(st, c)
			} else {
				w.out.change(*c)
			}
		}
	}
}

// next returns the earliest pending deadline's instant, if any.
func (w *watch) next() (time.Time, bool) {
	for len(w.due) > 0 {
		if d := w.due[0]; d.lead.gen == d.gen {
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
	}
}

type dueAt struct {
	due  time.Time
	lead *leadState
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
