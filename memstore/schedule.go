package memstore

import (
	"github.com/leadline/leadline/lead"
)

// deadline is one pending deadline of a lead and its claim.
type deadline struct {
	// r is the lead's record, nil for a free entry.
	r   *record
	due instant
	// index is the deadline's position in the heap that holds it.
	index int32
	kind  lead.DeadlineKind
	// claimed is set while a ClaimDue's claim runs: the deadline is then
	// in Store.claimed rather than Store.pending, keyed by the claim's
	// end.
	claimed bool
}

// arena holds every pending deadline in one slice, 24 bytes each, named
// by their position: a record holds the numbers of its deadlines and a
// heap slot the number of one. A sift through a heap of a million
// deadlines updates their indexes within 24 MB, not across the records,
// and the heaps hold no pointers for the garbage collector to follow.
type arena struct {
	// all[0] is never used: number 0 names no deadline.
	all  []deadline
	free []uint32
}

func newArena() arena { return arena{all: make([]deadline, 1)} }

// alloc returns the number of a free entry.
func (a *arena) alloc() uint32 {
	if n := len(a.free); n > 0 {
		d := a.free[n-1]
		a.free = a.free[:n-1]
		return d
	}
	a.all = append(a.all, deadline{})
	return uint32(len(a.all) - 1)
}

// release frees entry d.
func (a *arena) release(d uint32) {
	a.all[d] = deadline{}
	a.free = append(a.free, d)
}

// out returns deadline d as the contract's value.
func (a *arena) out(d uint32) lead.Deadline {
	e := &a.all[d]
	return lead.Deadline{Lead: e.r.id, Kind: e.kind, Due: e.due.time(e.r.loc)}
}

// schedule is an indexed binary min-heap of deadlines, ordered by Due then
// Lead then Kind (E5), or by the end of their claim when byClaim is set.
// Each deadline knows its index, so an Apply moves or removes a lead's
// deadlines in O(log n) without searching. Each 16-byte slot carries its
// key, so that sifting compares within the slice and reads the arena only
// on a tie.
type schedule struct {
	heap    []slot
	byClaim bool
	a       *arena
}

// slot is one heap entry: the instant it is ordered by, and the number
// of its deadline.
type slot struct {
	at instant
	d  uint32
}

// less reports whether a goes before b.
func (h *schedule) less(a, b *slot) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	if h.byClaim {
		return false
	}
	ea, eb := &h.a.all[a.d], &h.a.all[b.d]
	if ea.r != eb.r {
		return ea.r.id < eb.r.id
	}
	return ea.kind < eb.kind
}

// min returns the least slot, or nil when the heap is empty.
func (h *schedule) min() *slot {
	if len(h.heap) == 0 {
		return nil
	}
	return &h.heap[0]
}

// push adds deadline d, keyed by at.
func (h *schedule) push(d uint32, at instant) {
	n := len(h.heap)
	h.heap = append(h.heap, slot{at: at, d: d})
	h.up(n)
}

// pop removes the least deadline.
func (h *schedule) pop() { h.remove(h.heap[0].d) }

// remove removes deadline d, which must be in h.
func (h *schedule) remove(d uint32) {
	i, last := int(h.a.all[d].index), len(h.heap)-1
	if i != last {
		h.heap[i] = h.heap[last]
		h.a.all[h.heap[i].d].index = int32(i)
	}
	h.heap = h.heap[:last]
	if i != last {
		h.fix(i)
	}
}

// rekey gives deadline d, which must be in h, the key at and moves it to
// its place: one sift where a remove and a push take two.
func (h *schedule) rekey(d uint32, at instant) {
	i := h.a.all[d].index
	h.heap[i].at = at
	h.fix(int(i))
}

// fix moves the slot at i to its place.
func (h *schedule) fix(i int) {
	if !h.down(i) {
		h.up(i)
	}
}

// up moves the slot at i up to its place.
func (h *schedule) up(i int) {
	all, s := h.a.all, h.heap[i]
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(&s, &h.heap[p]) {
			break
		}
		h.heap[i] = h.heap[p]
		all[h.heap[i].d].index = int32(i)
		i = p
	}
	h.heap[i] = s
	all[s.d].index = int32(i)
}

// down moves the slot at i down to its place and reports whether it
// moved.
func (h *schedule) down(i int) bool {
	all, start, n, s := h.a.all, i, len(h.heap), h.heap[i]
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
		all[h.heap[i].d].index = int32(i)
		i = c
	}
	h.heap[i] = s
	all[s.d].index = int32(i)
	return i > start
}

// deadline returns the number of r's i-th deadline, which must exist.
func (r *record) deadline(i int) uint32 {
	if i < len(r.dl) {
		return r.dl[i]
	}
	return r.rare.more[i-len(r.dl)]
}

// deadlines returns the number of r's deadlines.
func (r *record) deadlines() int {
	n := int(r.ndl)
	if r.rare != nil {
		n += len(r.rare.more)
	}
	return n
}

// schedule replaces r's deadlines with ds, all unclaimed. A deadline that
// takes the place of an unclaimed one is rekeyed where it stands; the
// others are removed from their heap and pushed. Rescheduling a lead to
// as many deadlines as it had allocates nothing.
func (s *Store) schedule(r *record, ds []lead.Deadline) {
	n := r.deadlines()
	for i := len(ds); i < n; i++ {
		d := r.deadline(i)
		s.unschedule(d)
		s.arena.release(d)
	}
	if extra := len(ds) - len(r.dl); extra > 0 {
		if r.rare == nil {
			r.rare = new(rare)
		}
		r.rare.more = append(r.rare.more, make([]uint32, max(extra-len(r.rare.more), 0))...)[:extra]
	} else if r.rare != nil && r.rare.more != nil {
		r.rare.more = nil
		if r.rare.empty() && r.flags&flagPriority == 0 {
			r.rare = nil
		}
	}
	r.ndl = uint8(min(len(ds), len(r.dl)))
	for i := range ds {
		due := instantOf(ds[i].Due)
		if i < n {
			d := r.deadline(i)
			e := &s.arena.all[d]
			e.kind = ds[i].Kind
			if !e.claimed {
				e.due = due
				s.pending.rekey(d, due)
				continue
			}
			s.claimed.remove(d)
			e.due, e.claimed = due, false
			s.pending.push(d, due)
			continue
		}
		d := s.arena.alloc()
		s.arena.all[d] = deadline{r: r, due: due, kind: ds[i].Kind}
		if i < len(r.dl) {
			r.dl[i] = d
		} else {
			r.rare.more[i-len(r.dl)] = d
		}
		s.pending.push(d, due)
	}
	for i := len(ds); i < len(r.dl); i++ {
		r.dl[i] = 0
	}
}

// unschedule removes deadline d from the heap that holds it.
func (s *Store) unschedule(d uint32) {
	if s.arena.all[d].claimed {
		s.claimed.remove(d)
	} else {
		s.pending.remove(d)
	}
}

// empty reports whether x holds nothing but perhaps a priority that
// record.flags does not call for.
func (x *rare) empty() bool {
	f := &x.feedback
	return len(x.passed) == 0 && len(x.responses) == 0 && x.bant == (lead.BANT{}) &&
		x.handedBy == "" && x.handedTo == "" && x.jump.IsZero() &&
		!f.Target && f.State == 0 && f.Opportunity == 0 && f.Comment == "" && f.By == "" && f.At.IsZero() &&
		len(x.more) == 0
}
