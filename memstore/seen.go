package memstore

// seen holds the event ids recorded by Apply (E2) in generations, so that
// ids past the retention window are forgotten a generation at a time,
// without a per-id expiry to keep or a map to sweep.
//
// Each generation is a set of ids with the greatest At of the writes that
// recorded them. A write whose EventsSince is set opens a new generation
// when its At is a window (At - EventsSince) or more past the current
// one's start, and every generation but the current one whose greatest
// At is before EventsSince is dropped: all its ids were recorded by
// writes before EventsSince, which the contract lets the store forget.
// With a steady window an id is kept from one to two windows, and a
// lookup checks two generations. Without EventsSince there is one
// generation, kept for good.
type seen struct {
	// gens are oldest first; the last is the current one.
	gens []generation
}

// generation is one set of event ids.
type generation struct {
	ids map[string]struct{}
	// start is the At of the first write that recorded an id in it; last
	// is the greatest At of those writes, noTime while it holds none.
	start, last instant
}

// maxGenerations caps the generations a lookup checks. When the writes'
// At or windows jump about, a generation that would be opened beyond it
// is not: ids are then kept longer, never shorter.
const maxGenerations = 4

func newSeen() seen {
	return seen{gens: []generation{{ids: make(map[string]struct{}), last: noTime}}}
}

// has reports whether id is recorded.
func (s *seen) has(id string) bool {
	if id == "" {
		return false
	}
	for i := len(s.gens) - 1; i >= 0; i-- {
		if _, ok := s.gens[i].ids[id]; ok {
			return true
		}
	}
	return false
}

// record records id, "" for none, written at at, and with expire set
// forgets the ids recorded by writes before since.
func (s *seen) record(id string, at instant, expire bool, since instant) {
	if expire {
		// At has passed the current generation's start plus the window,
		// At-since, when since has passed that start.
		cur := &s.gens[len(s.gens)-1]
		if len(cur.ids) > 0 && at != noTime && since >= cur.start && len(s.gens) < maxGenerations {
			// Sized as the last one: it will take about as many.
			s.gens = append(s.gens, generation{ids: make(map[string]struct{}, len(cur.ids)), start: at, last: noTime})
		}
		drop := 0
		for drop < len(s.gens)-1 && s.gens[drop].last < since {
			drop++
		}
		if drop > 0 {
			n := copy(s.gens, s.gens[drop:])
			clear(s.gens[n:])
			s.gens = s.gens[:n]
		}
	}
	if id == "" {
		return
	}
	cur := &s.gens[len(s.gens)-1]
	if len(cur.ids) == 0 {
		cur.start = at
	}
	cur.ids[id] = struct{}{}
	cur.last = max(cur.last, at)
}

// len returns the number of ids recorded.
func (s *seen) len() int {
	n := 0
	for _, g := range s.gens {
		n += len(g.ids)
	}
	return n
}
