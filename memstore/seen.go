package memstore

import "hash/maphash"

// A lead's event ids (E2) are kept on its record, in write order, as
// 64-bit hashes with the instant of the write that recorded them. An
// event belongs to one lead, so a repeat is always checked against the
// record the write loads anyway: a short scan of memory in cache, where
// one set of every id in the store would cost a cache miss per event.
// Retention trims a lead's ids on its own writes, as its history.

// seenID is one recorded event id.
type seenID struct {
	key   uint64 // the id's hash, see Store.idKey
	print uint64 // the event's fingerprint (leadline.Write.Print)
	at    instant
}

// idKey hashes an event id with the store's seed. Two ids of one lead
// share a key with probability 2^-64: a lead that kept a million ids
// would see a false repeat with odds of about 3 in 10^8.
func (s *Store) idKey(id string) uint64 { return maphash.String(s.seed, id) }

// manyIDs is the number of ids past which a record's ids are also kept
// in a set by key (Store.idSets): a lead that marketing automation sends
// tens of thousands of page views for would otherwise have each of its
// events checked against all the ones before, its writes costing the
// square of its events.
const manyIDs = 256

// seenIn reports whether r recorded the id with key k, and the print it
// was recorded with.
func (s *Store) seenIn(r *record, k uint64) (print uint64, seen bool) {
	if len(r.ids) > manyIDs {
		if set := s.idSets[r]; set != nil {
			print, seen = set[k]
			return print, seen
		}
	}
	for i := range r.ids {
		if r.ids[i].key == k {
			return r.ids[i].print, true
		}
	}
	return 0, false
}

// recordID appends the id with key k and print p, recorded at at, to r's ids, and
// with expire set first drops the ids recorded before since. The ids are
// in write order, so they go from the front; an older one written after
// a newer one waits for it. A record with more than manyIDs ids keeps
// them in its set too; one back under a quarter of that loses the set.
func (s *Store) recordID(r *record, k, p uint64, at instant, expire bool, since instant) {
	set := s.idSets[r]
	if expire {
		n := 0
		for n < len(r.ids) && r.ids[n].at < since {
			n++
		}
		if n > 0 {
			for _, id := range r.ids[:n] {
				delete(set, id.key)
			}
			r.ids = append(r.ids[:0], r.ids[n:]...)
			if cap(r.ids) > 16 && len(r.ids) < cap(r.ids)/4 {
				r.ids = append([]seenID(nil), r.ids...)
			}
		}
	}
	r.ids = append(r.ids, seenID{key: k, print: p, at: at})
	switch {
	case set != nil && len(r.ids) < manyIDs/4:
		delete(s.idSets, r)
	case set != nil:
		set[k] = p
	case len(r.ids) > manyIDs:
		set = make(map[uint64]uint64, 2*len(r.ids))
		for _, id := range r.ids {
			set[id.key] = id.print
		}
		if s.idSets == nil {
			s.idSets = make(map[*record]map[uint64]uint64)
		}
		s.idSets[r] = set
	}
}
