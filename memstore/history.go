package memstore

import (
	"github.com/leadline/leadline/lead"
)

// change is one entry of a lead's history: a [lead.Change] in 64 bytes
// rather than 144. The lead's id is its record's; the actor, the keys and
// the rule, which repeat from lead to lead, are codes in Store.dict; the
// event id and the reason, which mostly do not, are strings.
type change struct {
	at     instant
	event  string
	reason string
	actor  uint32
	from   uint32
	to     uint32
	rule   uint32
	field  lead.Field
}

// writeHistory appends add to r's history and, when trim is set, drops
// the entries at its front whose instant is before since. History is in
// write order, not in order of At, so only that prefix goes: an older
// entry written after a newer one stays until the newer one goes. An
// entry of add that would be dropped at once is not written.
func (s *Store) writeHistory(r *record, add []lead.Change, trim bool, since instant) {
	old := r.history
	drop, skip := 0, 0
	if trim {
		for drop < len(old) && old[drop].at < since {
			drop++
		}
		if drop == len(old) {
			for skip < len(add) && instantOf(add[skip].At) < since {
				skip++
			}
		}
	}
	if drop == 0 && skip == len(add) {
		return
	}
	for i := range old[:drop] {
		s.release(&old[i])
	}
	keep := len(old) - drop
	n := keep + len(add) - skip
	h := old
	switch {
	case n == 0:
		h = nil
	case n > cap(old) || cap(old) > 2*n+8:
		// Grow, or shrink after a large trim. Histories are short and
		// a lead is written a few times a day: the array is allocated
		// to fit up to 8 entries, then with a quarter to spare.
		c := n
		if c > 8 {
			c += n / 4
		}
		h = make([]change, keep, c)
		copy(h, old[drop:])
	case drop > 0:
		copy(h, old[drop:])
		clear(h[keep:])
		h = h[:keep]
	}
	for i := range add[skip:] {
		h = append(h, s.encodeChange(&add[skip+i]))
		s.indexChange(r, &h[len(h)-1])
	}
	r.history = h
}

// encodeChange returns c as an entry, counting its codes.
func (s *Store) encodeChange(c *lead.Change) change {
	d := &s.dict
	return change{
		at:     instantOf(c.At),
		event:  c.Event,
		reason: c.Reason,
		actor:  d.intern(c.Actor),
		from:   d.intern(c.From),
		to:     d.intern(c.To),
		rule:   d.intern(c.Rule),
		field:  c.Field,
	}
}

// release drops the codes of an entry that leaves the history.
func (s *Store) release(c *change) {
	d := &s.dict
	d.release(c.actor)
	d.release(c.from)
	d.release(c.to)
	d.release(c.rule)
}

// decodeChange returns an entry of r as a lead.Change.
func (s *Store) decodeChange(r *record, c *change) lead.Change {
	d := &s.dict
	return lead.Change{
		Lead:   r.id,
		At:     c.at.time(r.loc),
		Actor:  d.str(c.actor),
		Event:  c.event,
		Field:  c.field,
		From:   d.str(c.from),
		To:     d.str(c.to),
		Rule:   d.str(c.rule),
		Reason: c.reason,
	}
}
