package memstore

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/report"
	"github.com/shopspring/decimal"
)

var _ report.Reader = (*Store)(nil)

// index lists records by an instant: their Created, or the instants of
// their history entries. Entries are appended as writes come, which is
// nearly in order; an entry out of order marks the index unsorted and the
// next query sorts the entries from its instant on, so a write never
// moves entries. An entry may be stale (its history entry dropped by
// retention, its Created changed): a query checks the record itself.
//
// The entries sit in blocks of a fixed size, every block full but the
// last, so that an index of millions of entries grows by one block and
// never copies itself under the store's lock: a write that crossed the
// capacity of one flat slice would copy tens of megabytes, and every
// other caller would wait for it.
type index struct {
	blocks [][]entry
	// lo is the position in blocks[0] of the first entry; the ones
	// before it were dropped.
	lo int
	// n counts the entries.
	n int
	// sorted is false from the first entry added out of order to the
	// next sort; clean is then the number of entries before it, which
	// are in order.
	sorted bool
	clean  int
	// mark is the length at which a store with retention next sorts the
	// index and drops what is before its horizon.
	mark int
}

type entry struct {
	at instant
	r  *record
}

// blockBits sets the entries of a block: 4,096 of 16 bytes.
const (
	blockBits = 12
	blockSize = 1 << blockBits
)

// at returns the i-th entry, 0 <= i < x.n.
func (x *index) at(i int) *entry {
	j := x.lo + i
	return &x.blocks[j>>blockBits][j&(blockSize-1)]
}

func (x *index) add(at instant, r *record) {
	if x.n == 0 {
		x.sorted = true
	} else if x.sorted && at < x.at(x.n-1).at {
		x.sorted, x.clean = false, x.n
	}
	last := len(x.blocks) - 1
	if last < 0 || len(x.blocks[last]) == blockSize {
		x.blocks = append(x.blocks, make([]entry, 0, blockSize))
		last++
	}
	x.blocks[last] = append(x.blocks[last], entry{at, r})
	x.n++
}

// search returns the position of the first entry at or after t; the
// index must be sorted.
func (x *index) search(t instant) int {
	return sort.Search(x.n, func(i int) bool { return x.at(i).at >= t })
}

// segments calls f with the entries from position i to j, block by
// block, until f returns false.
func (x *index) segments(i, j int, f func([]entry) bool) {
	for i < j {
		k := x.lo + i
		b := x.blocks[k>>blockBits]
		off := k & (blockSize - 1)
		seg := b[off:min(len(b), off+j-i)]
		if !f(seg) {
			return
		}
		i += len(seg)
	}
}

// sort orders the index by instant, then write order, and drops its
// entries before since (noTime keeps all).
//
// Only the entries from the earliest instant added since the index was
// last in order are sorted: the ones before it stay where they are. A
// write ten minutes late costs a sort of the last ten minutes' entries,
// not of the index: 2.8 µs against 63 ms for a whole index of 4,000,000.
func (x *index) sort(since instant) {
	if !x.sorted {
		least := maxTime
		x.segments(x.clean, x.n, func(seg []entry) bool {
			for _, e := range seg {
				least = min(least, e.at)
			}
			return true
		})
		// The first clean entry after least: those before it, least's
		// equals included, were written first and stay first.
		lo := sort.Search(x.clean, func(i int) bool { return x.at(i).at > least })
		tail := make([]entry, 0, x.n-lo)
		x.segments(lo, x.n, func(seg []entry) bool { tail = append(tail, seg...); return true })
		slices.SortStableFunc(tail, func(a, b entry) int { return cmp.Compare(a.at, b.at) })
		x.segments(lo, x.n, func(seg []entry) bool { tail = tail[copy(seg, tail):]; return true })
		x.sorted = true
	}
	if since != noTime {
		x.drop(x.search(since))
	}
	x.mark = 2 * max(x.n, 1024)
}

// drop removes the first k entries, giving back the blocks they filled.
func (x *index) drop(k int) {
	if k <= 0 {
		return
	}
	x.segments(0, k, func(seg []entry) bool { clear(seg); return true })
	x.lo += k
	x.n -= k
	full := x.lo >> blockBits
	if x.n == 0 {
		full = len(x.blocks)
	}
	clear(x.blocks[:full])
	x.blocks = x.blocks[full:]
	x.lo -= full << blockBits
	if x.n == 0 {
		x.blocks, x.lo = nil, 0
	}
}

// span returns the positions [i, j) of the entries whose instant is in
// [from, to); the index must be sorted.
func (x *index) span(from, to instant) (i, j int) {
	i, j = x.search(from), x.search(to)
	return i, max(i, j)
}

// remove drops the entry of r at at, if there is one, moving the entries
// after it down by one.
func (x *index) remove(at instant, r *record) {
	for i := x.n - 1; i >= 0; i-- {
		if e := x.at(i); e.r == r && e.at == at {
			if i < x.clean {
				x.clean--
			}
			for ; i < x.n-1; i++ {
				*x.at(i) = *x.at(i + 1)
			}
			*x.at(x.n - 1) = entry{}
			x.n--
			last := len(x.blocks) - 1
			x.blocks[last] = x.blocks[last][:len(x.blocks[last])-1]
			if len(x.blocks[last]) == 0 {
				x.blocks = x.blocks[:last]
			}
			if x.n == 0 {
				x.blocks, x.lo = nil, 0
			}
			return
		}
	}
}

// cursor walks the entries of an index from position i to end.
type cursor struct {
	x      *index
	i, end int
}

// cursor returns a cursor over the entries in [from, to); the index
// must be sorted.
func (x *index) cursor(from, to instant) cursor {
	i, j := x.span(from, to)
	return cursor{x, i, j}
}

func (c *cursor) more() bool   { return c.i < c.end }
func (c *cursor) peek() *entry { return c.x.at(c.i) }

// reports holds the indexes of the read side (report.Reader).
type reports struct {
	// open holds, per owner, the records with open work: a running
	// cadence or an outstanding request.
	open map[string]map[*record]struct{}
	// created lists every record by its Created instant.
	created index
	// scores lists score entries (E8), changes every other entry, by At.
	scores, changes index
	// since is the latest retention horizon a write named: entries
	// before it may be gone.
	since instant
}

func newReports() reports {
	return reports{open: make(map[string]map[*record]struct{}), since: noTime}
}

// isOpen reports whether r has open work (report.Reader.Open).
func isOpen(r *record) bool {
	return r.track.Active() || r.reqState == lead.RequestOpen || r.reqState == lead.RequestOverdue
}

// before is what the indexes need to know of a record before a write
// changes it.
type before struct {
	open    bool
	owner   string
	created instant
	isNew   bool
}

func (s *Store) before(r *record, isNew bool) before {
	if isNew {
		return before{isNew: true}
	}
	return before{open: isOpen(r), owner: s.dict.str(r.owner), created: r.created}
}

// reindex updates the open and created indexes after a write of r.
func (s *Store) reindex(r *record, b before) {
	x := &s.reports
	open, owner := isOpen(r), s.dict.str(r.owner)
	if b.open != open || b.owner != owner {
		if b.open {
			if set := x.open[b.owner]; set != nil {
				delete(set, r)
				if len(set) == 0 {
					delete(x.open, b.owner)
				}
			}
		}
		if open {
			set := x.open[owner]
			if set == nil {
				set = make(map[*record]struct{})
				x.open[owner] = set
			}
			set[r] = struct{}{}
		}
	}
	switch {
	case b.isNew:
		x.created.add(r.created, r)
	case b.created != r.created:
		x.created.remove(b.created, r)
		x.created.add(r.created, r)
	}
}

// indexChange lists a history entry of r just written.
func (s *Store) indexChange(r *record, c *change) {
	x := &s.reports
	ix := &x.changes
	if c.field == lead.FieldScore {
		ix = &x.scores
	}
	ix.add(c.at, r)
	if x.since != noTime && ix.n >= ix.mark {
		ix.sort(x.since)
	}
}

// horizon notes a write's retention horizon.
func (s *Store) horizon(since instant) {
	if since > s.reports.since {
		s.reports.since = since
	}
}

// Open returns copies of the leads with open work owned by one of owners
// (anyone's when owners is empty), ordered by owner and id. It reads the
// open leads of those owners only.
func (s *Store) Open(ctx context.Context, owners []string) ([]lead.Lead, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: open: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	type owned struct {
		owner string
		r     *record
	}
	var found []owned
	add := func(owner string) {
		for r := range s.reports.open[owner] {
			found = append(found, owned{owner, r})
		}
	}
	if len(owners) == 0 {
		for owner := range s.reports.open {
			add(owner)
		}
	} else {
		for _, o := range slices.Compact(slices.Sorted(slices.Values(owners))) {
			add(o)
		}
	}
	slices.SortFunc(found, func(a, b owned) int {
		return cmp.Or(strings.Compare(a.owner, b.owner), strings.Compare(a.r.id, b.r.id))
	})
	out := make([]lead.Lead, len(found))
	for i, f := range found {
		s.decode(f.r, &out[i])
	}
	return out, nil
}

// Created returns copies of the leads created in p, ordered by Created
// and id. It reads the index of creation instants over p only.
func (s *Store) Created(ctx context.Context, p report.Period) ([]lead.Lead, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: created: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	x := &s.reports.created
	x.sort(noTime)
	i, j := x.span(instantOf(p.From), instantOf(p.To))
	found := make([]*record, 0, j-i)
	x.segments(i, j, func(es []entry) bool {
		for _, e := range es {
			if e.r.created == e.at {
				found = append(found, e.r)
			}
		}
		return true
	})
	// The index is in order of instant: sort the runs of one instant by id.
	for i := 0; i < len(found); {
		j := i + 1
		for j < len(found) && found[j].created == found[i].created {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(found[i:j], func(a, b *record) int { return strings.Compare(a.id, b.id) })
		}
		i = j
	}
	out := make([]lead.Lead, len(found))
	for i, r := range found {
		s.decode(r, &out[i])
	}
	return out, nil
}

// Changes yields copies of the history entries in q, ordered by At, lead
// id and write order, holding the store's lock until the loop ends. It
// reads the index of score entries, of the other entries or both, as
// q.Fields asks, over q's period, and each lead named there.
func (s *Store) Changes(ctx context.Context, q report.ChangeQuery) iter.Seq2[lead.Change, error] {
	return func(yield func(lead.Change, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(lead.Change{}, fmt.Errorf("memstore: changes: %w", err))
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.changes(&q, func(r *record, c *change) bool { return yield(s.decodeChange(r, c), nil) })
	}
}

// changes calls f with q's entries in order until f returns false.
func (s *Store) changes(q *report.ChangeQuery, f func(*record, *change) bool) {
	from, to := instantOf(q.From), instantOf(q.To)
	var a, b cursor
	if q.Has(lead.FieldScore) {
		s.reports.scores.sort(s.reports.since)
		a = s.reports.scores.cursor(from, to)
	}
	if len(q.Fields) == 0 || slices.ContainsFunc(q.Fields, func(f lead.Field) bool { return f != lead.FieldScore }) {
		s.reports.changes.sort(s.reports.since)
		b = s.reports.changes.cursor(from, to)
	}
	// Walk both spans by instant, one instant at a time: the records
	// with entries at it, by id, each with its entries of that instant in
	// write order. An index entry names a record and an instant, so a
	// record with several entries at one instant is named several times,
	// and one whose entry retention dropped is named for nothing.
	var run []*record
	for a.more() || b.more() {
		at := maxTime
		if a.more() {
			at = a.peek().at
		}
		if b.more() && b.peek().at < at {
			at = b.peek().at
		}
		run = run[:0]
		for a.more() && a.peek().at == at {
			run = append(run, a.peek().r)
			a.i++
		}
		for b.more() && b.peek().at == at {
			run = append(run, b.peek().r)
			b.i++
		}
		if len(run) > 1 {
			slices.SortFunc(run, func(x, y *record) int { return strings.Compare(x.id, y.id) })
			run = slices.Compact(run)
		}
		for _, r := range run {
			for i := range r.history {
				if c := &r.history[i]; c.at == at && q.Has(c.field) && !f(r, c) {
					return
				}
			}
		}
	}
}

// AppendLeadsByID appends copies of the leads with ids to dst, in the
// order of ids, and returns the extended slice; unknown ids are left
// out. It is [Store.LeadsByID] for a caller that reuses its slice: an
// engine's sweep loads each claimed batch's leads this way, allocating
// nothing once its slice has grown (E5).
func (s *Store) AppendLeadsByID(ctx context.Context, dst []lead.Lead, ids []string) ([]lead.Lead, error) {
	if err := ctx.Err(); err != nil {
		return dst, fmt.Errorf("memstore: leads: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if r := s.leads[id]; r != nil {
			dst = append(dst, lead.Lead{})
			s.decode(r, &dst[len(dst)-1])
		}
	}
	return dst, nil
}

// LeadsByID returns copies of the leads with ids, ordered by id; unknown
// ids are left out.
func (s *Store) LeadsByID(ctx context.Context, ids []string) ([]lead.Lead, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: leads: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	out := make([]lead.Lead, 0, len(ids))
	for _, id := range ids {
		if r := s.leads[id]; r != nil {
			out = append(out, lead.Lead{})
			s.decode(r, &out[len(out)-1])
		}
	}
	return out, nil
}

// ScoreAt returns lead id's score at at, as [report.Reader] says (E8).
func (s *Store) ScoreAt(ctx context.Context, id string, at time.Time) (decimal.Decimal, bool, error) {
	if err := ctx.Err(); err != nil {
		return decimal.Decimal{}, false, fmt.Errorf("memstore: score of %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.leads[id]
	if r == nil {
		return decimal.Decimal{}, false, nil
	}
	var l lead.Lead
	s.decode(r, &l)
	var scores []lead.Change
	for i := range r.history {
		if c := &r.history[i]; c.field == lead.FieldScore {
			scores = append(scores, s.decodeChange(r, c))
		}
	}
	d, ok := report.ScoreAt(&l, scores, at)
	return d, ok, nil
}
