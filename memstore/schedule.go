package memstore

import (
	"time"

	"github.com/leadline/leadline/lead"
)

// deadline is one pending deadline of a lead and its claim.
type deadline struct {
	d lead.Deadline
	// claimed is set while a ClaimDue's claim runs, until until; the
	// deadline is then in Store.claimed rather than Store.pending.
	claimed bool
	until   time.Time
	// index is the deadline's position in the heap that holds it, -1 when
	// in none.
	index int
}

// schedule is an indexed binary min-heap of deadlines, ordered by Due then
// Lead then Kind (E5), or by the end of their claim when byClaim is set.
// Each deadline knows its index, so an Apply removes a lead's old
// deadlines in O(log n) without searching. Each slot carries its key's
// instant, so that sifting through a large heap compares within the slice
// and follows a pointer only on a tie.
type schedule struct {
	heap    []slot
	byClaim bool
}

// slot is one heap entry: the instant it is ordered by, and the deadline.
type slot struct {
	sec  int64
	nsec int32
	e    *deadline
}

// less reports whether a goes before b.
func (h *schedule) less(a, b *slot) bool {
	if a.sec != b.sec {
		return a.sec < b.sec
	}
	if a.nsec != b.nsec {
		return a.nsec < b.nsec
	}
	if h.byClaim {
		return false
	}
	da, db := &a.e.d, &b.e.d
	if da.Lead != db.Lead {
		return da.Lead < db.Lead
	}
	return da.Kind < db.Kind
}

// min returns the least deadline, or nil when the heap is empty.
func (h *schedule) min() *deadline {
	if len(h.heap) == 0 {
		return nil
	}
	return h.heap[0].e
}

func (h *schedule) push(e *deadline) {
	at := e.d.Due
	if h.byClaim {
		at = e.until
	}
	e.index = len(h.heap)
	h.heap = append(h.heap, slot{sec: at.Unix(), nsec: int32(at.Nanosecond()), e: e})
	h.up(e.index)
}

// pop removes the least deadline.
func (h *schedule) pop() { h.remove(h.heap[0].e) }

// remove removes e, which must be in h.
func (h *schedule) remove(e *deadline) {
	i, last := e.index, len(h.heap)-1
	if i != last {
		h.heap[i] = h.heap[last]
		h.heap[i].e.index = i
	}
	h.heap[last] = slot{}
	h.heap = h.heap[:last]
	if i != last && !h.down(i) {
		h.up(i)
	}
	e.index = -1
}

// up moves the slot at i up to its place.
func (h *schedule) up(i int) {
	s := h.heap[i]
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(&s, &h.heap[p]) {
			break
		}
		h.heap[i] = h.heap[p]
		h.heap[i].e.index = i
		i = p
	}
	h.heap[i] = s
	s.e.index = i
}

// down moves the slot at i down to its place and reports whether it
// moved.
func (h *schedule) down(i int) bool {
	start, n, s := i, len(h.heap), h.heap[i]
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && h.less(&h.heap[r], &h.heap[c]) {
			c = r
		}
		if !h.less(&h.heap[c], &s) {
			break
		}
		h.heap[i] = h.heap[c]
		h.heap[i].e.index = i
		i = c
	}
	h.heap[i] = s
	s.e.index = i
	return i > start
}
