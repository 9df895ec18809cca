// Package memstore keeps leadline's state in memory: the embedded default
// [leadline.Store], safe for concurrent use.
//
// A [Store] holds everything in one process and loses it when the process
// ends; use it for tests, examples, simulations and single-instance hosts
// that can rebuild their state. Several engine instances sharing one store
// need the postgres package.
//
// # Copies
//
// Values are copied in and out: the store never keeps a slice it was given
// and never returns one it keeps, so callers may mutate what they pass and
// what they get (upspin's rule).
//
// # Costs
//
// One mutex guards the store. [Store.Lead], [Store.Seen],
// [Store.NextTicket] and [Store.Load] cost O(1) per id or rep, and Lead
// allocates nothing for a lead without Passed or Responses.
// [Store.Apply] costs O(log n) in the number of pending deadlines, plus its
// history and outbox. [Store.ClaimDue] costs O((k+e) log n) for k claimed
// and e lapsed claims, whatever the number of leads: pending deadlines sit
// in a min-heap ordered by (Due, Lead, Kind) and claimed ones in a second
// heap ordered by the end of their claim: a claim moves a deadline from
// the first to the second, an expired claim moves it back, and an Apply
// moves the lead's deadlines where they stand or removes them from
// whichever holds them. [Store.ClaimOutbox] walks the outbox oldest first
// and skips what is hidden: O(h+k) for h hidden notifications.
// [Store.Leads] scans every lead and sorts those that match.
//
// The reports' read side ([report.Reader]) reads indexes that Apply keeps
// up to date: the leads with open work per owner ([Store.Open]), every
// lead by its Created instant ([Store.Created]), and history entries by
// instant, score entries apart from the rest ([Store.Changes]). Each
// costs what it returns, not all leads: Open sorts what it found, Created
// only the leads of one instant, and Changes walks the index in order
// and yields each entry as it goes, allocating nothing for the period.
// The instant indexes take 16 bytes an entry and are appended to in
// write order, in blocks of 4,096 entries, so that an index of millions
// grows by a block and never copies itself while a writer waits; the
// first query after an entry written out of order sorts the entries from
// its instant on, not the whole index.
//
// # Memory
//
// A lead takes about 550 bytes with its deadline, and a lead with five
// changes of history, a deadline and a day's event ids about 960
// (BenchmarkMemory), the reports' indexes included: 16 bytes a lead by
// its Created instant, 16 a change of history by its instant, and an
// entry in its owner's set while it has open work. The store does not keep a [lead.Lead] (688 bytes)
// but a 336-byte record: instants as Unix nanoseconds, the strings many
// leads repeat (owner, source, rule ids, subjects) as four-byte codes in
// a counted dictionary, and the fields of routing by engagement (M1-M13) that most leads
// never use behind one pointer, nil for most. A change of history takes
// 64 bytes (a [lead.Change] 144): no lead id, the actor, keys and rule as
// codes. A pending deadline takes 40 bytes, in one arena and two heaps
// that hold no pointers. Strings and scores are immutable and shared with
// the callers that wrote them; slices are copied.
//
// # Retention
//
// Without retention ([leadline.Retention], zero [leadline.Write.HistorySince]
// and [leadline.Write.EventsSince]) history and event ids are kept for the
// life of the store. With it, Apply drops the front of the lead's history
// whose instants are before HistorySince: history is in write order, so an
// older entry written after a newer one waits for the newer one. Event ids
// are kept in generations: a write opens a new one when its At is a window
// (At - EventsSince) past the current one's start, and drops every older
// one whose writes were all before EventsSince. An id is kept for one to
// two windows, never less than the contract asks, and a lookup checks two
// generations.
//
// # Instants
//
// Instants are kept to the nanosecond from 1678 to 2262, and saturate
// outside. A lead's instants, its history's and its deadlines' come back
// in the zone of the lead's Updated time (Created's when Updated is zero),
// without a monotonic reading: the engine, which writes them in its
// clock's zone, reads them in that zone. The instants of responses and
// feedback come back as written.
package memstore

import (
	"context"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
)

var _ leadline.Store = (*Store)(nil)

// Store is an in-memory [leadline.Store]. Its zero value is not usable; call
// [New].
type Store struct {
	mu sync.Mutex
	// leads holds each lead with its history and pending deadlines.
	leads map[string]*record
	// dict interns the strings that records and history entries repeat.
	dict dict
	// seed keys the hashes event ids are kept as.
	seed maphash.Seed
	// hint is the record Lead returned last. An engine reads a lead and
	// then writes it, and the write's id is the very string Lead handed
	// out, so comparing it with the hint's id (a pointer compare when
	// they are the same string) spares Apply a second map lookup.
	hint *record
	// byID holds the records sorted by id, but for those created since
	// it was last sorted, which are in fresh: Leads pages through a
	// million leads by a binary search and a walk, not a scan and a sort
	// of every lead per page.
	byID, fresh []*record
	// idSets holds, for each record with more than manyIDs event ids,
	// its ids by key with their prints (E2): see seen.go.
	idSets map[*record]map[uint64]uint64
	// arena holds the pending deadlines. pending orders the unclaimed ones
	// by (Due, Lead, Kind); claimed orders the claimed ones by the end of
	// their claim. Each deadline of a record is in exactly one of them.
	arena            arena
	pending, claimed schedule
	outbox           outbox
	// tickets holds the next number of each sequence, returned the places
	// given back, ascending (M9).
	tickets  map[string]uint64
	returned map[string][]uint64
	// load counts, per owner, the leads whose cadence is running; owners
	// with none are absent.
	load map[string]int
	// campaigns holds the campaigns by id.
	campaigns map[string]*routing.Campaign
	// reports holds the indexes of the read side the reports run on.
	reports reports
	// claim holds ClaimDue's list of claimed deadlines between calls.
	claim []uint32
	// batch holds ApplyBatch's lists between batches: the writes' ids
	// and what verify found, both empty outside ApplyBatch.
	batch struct {
		ids map[string]int
		ok  []checked
	}
}

// New returns an empty store.
func New() *Store {
	s := &Store{
		leads:    make(map[string]*record),
		dict:     newDict(),
		seed:     maphash.MakeSeed(),
		arena:    newArena(),
		outbox:   outbox{byKey: make(map[string]int)},
		tickets:  make(map[string]uint64),
		returned: make(map[string][]uint64),
		load:     make(map[string]int),

		campaigns: make(map[string]*routing.Campaign),
		reports:   newReports(),
	}
	s.batch.ids = make(map[string]int)
	s.pending = schedule{a: &s.arena}
	s.claimed = schedule{a: &s.arena, byClaim: true}
	return s
}

// Lead returns a copy of the lead with id, or an error wrapping
// [leaderr.ErrNotFound].
func (s *Store) Lead(ctx context.Context, id string) (l lead.Lead, err error) {
	if err := ctx.Err(); err != nil {
		return lead.Lead{}, fmt.Errorf("memstore: lead %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.record(id)
	if r == nil {
		return lead.Lead{}, &notFoundError{id}
	}
	s.hint = r
	s.decode(r, &l)
	return l, nil
}

// notFoundError is Lead's answer for a lead it does not hold: what
// fmt.Errorf("memstore: lead %s: %w", id, leaderr.ErrNotFound) says, in
// one allocation rather than three, since every created event asks
// first (E9).
type notFoundError struct{ id string }

func (e *notFoundError) Error() string {
	return "memstore: lead " + e.id + ": " + leaderr.ErrNotFound.Error()
}

func (e *notFoundError) Unwrap() error { return leaderr.ErrNotFound }

// record returns the record of lead id, nil if none, looking at the hint
// before the map.
func (s *Store) record(id string) *record {
	if h := s.hint; h != nil && h.id == id {
		return h
	}
	return s.leads[id]
}

// Seen reports whether an [Store.Apply] of the lead recorded the event id
// (E2), and the print it was recorded with. It is false for "".
func (s *Store) Seen(ctx context.Context, leadID, eventID string) (uint64, bool, error) {
	if err := ctx.Err(); err != nil {
		return 0, false, fmt.Errorf("memstore: seen %s: %w", eventID, err)
	}
	if eventID == "" {
		return 0, false, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.leads[leadID]
	if r == nil {
		return 0, false, nil
	}
	print, seen := s.seenIn(r, s.idKey(eventID))
	return print, seen, nil
}

// Apply makes one write, all or nothing, as [leadline.Store] says. Besides
// the contract's errors it refuses, with a [*leaderr.FieldError], a lead with
// an empty id and a change or deadline of another lead than w.Lead. With
// w.HistorySince or w.EventsSince it then trims the lead's history and
// forgets old event ids, as the package's Retention section says.
func (s *Store) Apply(ctx context.Context, w leadline.Write) error {
	id := w.Lead.ID
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: apply %s: %w", id, err)
	}
	if err := check(&w); err != nil {
		return fmt.Errorf("memstore: apply %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, key, err := s.verify(&w)
	if err != nil {
		return err
	}
	s.commit(&w, r, key)
	return nil
}

// ApplyBatch makes the writes as one, all or nothing, as
// [leadline.LeadStore] says: every write is checked before any is made.
func (s *Store) ApplyBatch(ctx context.Context, ws []leadline.Write) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: apply batch: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// The lists of the checks are the store's, kept for the next batch
	// under the lock: a sweep's batches allocate none.
	ids, ok := s.batch.ids, s.batch.ok[:0]
	defer func() {
		clear(ids)
		clear(ok)
		s.batch.ok = ok[:0]
	}()
	for i := range ws {
		if err := check(&ws[i]); err != nil {
			return fmt.Errorf("memstore: apply batch: write %d: %w", i, err)
		}
		if j, dup := ids[ws[i].Lead.ID]; dup {
			return fmt.Errorf("memstore: apply batch: write %d: %w", i,
				leaderr.Errorf(fmt.Sprintf("writes[%d].lead", i), "lead %s is written by writes[%d] too; one write per lead", ws[i].Lead.ID, j))
		}
		ids[ws[i].Lead.ID] = i
	}
	for i := range ws {
		r, key, err := s.verify(&ws[i])
		if err != nil {
			return fmt.Errorf("memstore: apply batch: write %d: %w", i, err)
		}
		ok = append(ok, checked{r, key})
	}
	for i := range ws {
		s.commit(&ws[i], ok[i].r, ok[i].key)
	}
	return nil
}

// checked is a write ApplyBatch verified: its record and its event id's
// key.
type checked struct {
	r   *record
	key uint64
}

// verify checks w against the stored state: its event ids and its
// version. It returns w's record (nil for a new lead) and its event id's
// key. Nothing after it can fail, so a refused write changes nothing.
func (s *Store) verify(w *leadline.Write) (*record, uint64, error) {
	id := w.Lead.ID
	r := s.record(id)
	var key uint64
	if w.Event != "" {
		key = s.idKey(w.Event)
		if r != nil {
			if _, seen := s.seenIn(r, key); seen {
				return nil, 0, fmt.Errorf("memstore: apply %s: event %s: %w", id, w.Event, leaderr.ErrDuplicateEvent)
			}
		}
	}
	if r != nil {
		for _, ev := range w.Events {
			if _, seen := s.seenIn(r, s.idKey(ev)); seen {
				return nil, 0, fmt.Errorf("memstore: apply %s: event %s: %w", id, ev, leaderr.ErrDuplicateEvent)
			}
		}
	}

	var stored int64
	if r != nil {
		stored = r.version
	}
	if w.Lead.Version != stored {
		return nil, 0, fmt.Errorf("memstore: apply %s: read version %d, stored %d: %w", id, w.Lead.Version, stored, leaderr.ErrConflict)
	}
	return r, key, nil
}

// commit makes the verified write w.
func (s *Store) commit(w *leadline.Write, r *record, key uint64) {
	var stored int64
	if r != nil {
		stored = r.version
	}
	at := instantOf(w.At)
	b := s.before(r, r == nil)
	if r == nil {
		r = &record{id: w.Lead.ID}
		s.leads[w.Lead.ID] = r
		s.fresh = append(s.fresh, r)
	} else {
		s.count(r, -1)
	}
	if w.Event != "" {
		s.recordID(r, key, w.Print, at, !w.EventsSince.IsZero(), instantOf(w.EventsSince))
	}
	for i, ev := range w.Events {
		var p uint64
		if len(w.Prints) > 0 {
			p = w.Prints[i]
		}
		s.recordID(r, s.idKey(ev), p, at, false, 0)
	}

	s.encode(r, &w.Lead)
	r.version = stored + 1
	s.count(r, +1)
	s.reindex(r, b)

	if !w.HistorySince.IsZero() {
		s.horizon(instantOf(w.HistorySince))
	}
	if len(w.History) > 0 || !w.HistorySince.IsZero() {
		s.writeHistory(r, w.History, !w.HistorySince.IsZero(), instantOf(w.HistorySince))
	}
	if !w.KeepDeadlines {
		s.schedule(r, w.Deadlines)
	}
	for _, n := range w.Outbox {
		s.outbox.push(n)
	}
}

// check refuses a write the store cannot file under its lead
// ([leadline.Write.Check]).
func check(w *leadline.Write) error { return w.Check() }

// count adds delta to the load of r's owner if r's cadence is running.
func (s *Store) count(r *record, delta int) {
	if !r.track.Active() {
		return
	}
	owner := s.dict.str(r.owner)
	n := s.load[owner] + delta
	if n == 0 {
		delete(s.load, owner)
	} else {
		s.load[owner] = n
	}
}

// ClaimDue returns up to limit unclaimed deadlines due before now in
// (Due, Lead, Kind) order and claims them until now+lease. A claim ends
// when now reaches its end. limit <= 0 claims nothing.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]lead.Deadline, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: claim due: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	at := instantOf(now)
	for m := s.claimed.min(); m != nil && m.at <= at; m = s.claimed.min() {
		d := m.d
		s.claimed.pop()
		e := &s.arena.all[d]
		e.claimed = false
		s.pending.push(d, e.due)
	}
	if limit <= 0 {
		return nil, nil
	}
	// The claimed deadlines' numbers first, in a list the store keeps, so
	// that the answer is allocated to fit: a replay sweeps at every
	// instant a deadline passed, one or two due of a batch of 16.
	claim := s.claim[:0]
	until := instantOf(now.Add(lease))
	for m := s.pending.min(); m != nil && m.at < at && len(claim) < limit; m = s.pending.min() {
		d := m.d
		claim = append(claim, d)
		s.pending.pop()
		s.arena.all[d].claimed = true
		s.claimed.push(d, until)
	}
	s.claim = claim[:0]
	if len(claim) == 0 {
		return nil, nil
	}
	out := make([]lead.Deadline, len(claim))
	for i, d := range claim {
		out[i] = s.arena.out(d)
	}
	return out, nil
}

// ReleaseDue ends the claims on ds, as [leadline.LeadStore] says.
func (s *Store) ReleaseDue(ctx context.Context, ds []lead.Deadline) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: release due: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range ds {
		r := s.leads[d.Lead]
		if r == nil {
			continue
		}
		due := instantOf(d.Due)
		for i := range r.deadlines() {
			n := r.deadline(i)
			if e := &s.arena.all[n]; e.claimed && e.kind == d.Kind && e.due == due {
				s.claimed.remove(n)
				e.claimed = false
				s.pending.push(n, due)
			}
		}
	}
	return nil
}

// ClaimOutbox returns up to limit notifications that are not hidden at
// now, oldest first, and hides them until now+lease. limit <= 0 claims
// nothing.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]leadline.Notification, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: claim outbox: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.outbox.claim(now, now.Add(lease), limit), nil
}

// Ack removes the notifications with keys from the outbox; unknown keys
// are ignored.
func (s *Store) Ack(ctx context.Context, keys []string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: ack: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		s.outbox.remove(k)
	}
	s.outbox.unbury(keys)
	return nil
}

// ReleaseOutbox ends the claims made until until on the notifications
// with keys, which a Deliver cut short never handed to its notifier: they
// are claimable at once, and the claim no longer counts in their Attempts
// (E4). A notification claimed again since, acknowledged, dead or
// unknown is left alone.
func (s *Store) ReleaseOutbox(ctx context.Context, keys []string, until time.Time) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: release outbox: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outbox.release(keys, until)
	return nil
}

// NextTicket takes a place of the sequence (M9): the smallest one given
// back, else the next number, from 0.
func (s *Store) NextTicket(ctx context.Context, sequence string) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("memstore: ticket %s: %w", sequence, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if back := s.returned[sequence]; len(back) > 0 {
		n := back[0]
		if len(back) == 1 {
			delete(s.returned, sequence)
		} else {
			s.returned[sequence] = back[1:]
		}
		return n, nil
	}
	n := s.tickets[sequence]
	s.tickets[sequence] = n + 1
	return n, nil
}

// ReturnTickets gives back places taken and not used (E2, M9): the next
// NextTicket calls take them, smallest first. A place never taken, or
// given back already, is ignored.
func (s *Store) ReturnTickets(ctx context.Context, ts []leadline.Ticket) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: return tickets: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range ts {
		back := s.returned[t.Sequence]
		i, found := slices.BinarySearch(back, t.Number)
		if found || t.Number >= s.tickets[t.Sequence] {
			continue
		}
		s.returned[t.Sequence] = slices.Insert(back, i, t.Number)
	}
	return nil
}

// Load returns, for each rep, how many leads they own whose cadence is
// running (M9). The counts are kept up to date by Apply, not counted.
func (s *Store) Load(ctx context.Context, reps []string) ([]int, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: load: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int, len(reps))
	for i, rep := range reps {
		out[i] = s.load[rep]
	}
	return out, nil
}

// Leads returns copies of the leads that match q, ordered by id. It
// finds q.After by a binary search in the leads sorted by id and walks
// on from there until it has q.Limit, so that paging through every lead
// costs each page its own length, not a scan and a sort of them all; a
// filter that few leads match walks further.
func (s *Store) Leads(ctx context.Context, q leadline.Query) ([]lead.Lead, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: leads: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	owner, known := uint32(0), true
	if q.Owner != "" {
		// No lead has an owner the dictionary does not know.
		owner, known = s.dict.codes[q.Owner]
	}
	if !known {
		return []lead.Lead{}, nil
	}
	s.sortIDs()
	// The leads created since the last sort, few, are matched apart and
	// merged in.
	var recent []*record
	for _, r := range s.fresh {
		if r.id > q.After && match(&q, r, owner) {
			recent = append(recent, r)
		}
	}
	slices.SortFunc(recent, byRecordID)
	i, _ := slices.BinarySearchFunc(s.byID, q.After, func(r *record, id string) int { return strings.Compare(r.id, id) })
	if i < len(s.byID) && s.byID[i].id == q.After {
		i++
	}
	var found []*record
	for q.Limit <= 0 || len(found) < q.Limit {
		var r *record
		if i < len(s.byID) && (len(recent) == 0 || s.byID[i].id < recent[0].id) {
			r = s.byID[i]
			i++
			if !match(&q, r, owner) {
				continue
			}
		} else if len(recent) > 0 {
			r, recent = recent[0], recent[1:]
		} else {
			break
		}
		found = append(found, r)
	}
	out := make([]lead.Lead, len(found))
	for i, r := range found {
		s.decode(r, &out[i])
	}
	return out, nil
}

func byRecordID(a, b *record) int { return strings.Compare(a.id, b.id) }

// sortIDs merges the records created since the last sort into byID once
// they are many: a few are cheaper matched apart at each Leads than a
// merge that moves every pointer.
func (s *Store) sortIDs() {
	if len(s.fresh) <= max(1024, len(s.byID)/16) {
		return
	}
	slices.SortFunc(s.fresh, byRecordID)
	merged := make([]*record, 0, len(s.byID)+len(s.fresh))
	a, b := s.byID, s.fresh
	for len(a) > 0 && len(b) > 0 {
		if a[0].id < b[0].id {
			merged, a = append(merged, a[0]), a[1:]
		} else {
			merged, b = append(merged, b[0]), b[1:]
		}
	}
	merged = append(append(merged, a...), b...)
	clear(s.fresh)
	s.byID, s.fresh = merged, s.fresh[:0]
}

// match is [leadline.Query.Match] on a record, reading only what the
// filters need rather than decoding the lead: a scan of a million leads
// touches two of each record's cache lines, not six. owner is the code of
// q.Owner.
func match(q *leadline.Query, r *record, owner uint32) bool {
	if q.Owner != "" && r.owner != owner {
		return false
	}
	if q.Attempted && !(r.track.Active() && r.track.Stage.Attempted()) {
		return false
	}
	if q.Campaign != "" && (r.rare == nil || !slices.ContainsFunc(r.rare.responses, func(t lead.Touch) bool { return t.Campaign == q.Campaign })) {
		return false
	}
	return true
}

// The fields of leadline.Query that match knows: a filter added to Query
// fails to convert here, so that match learns it.
var _ = struct {
	Owner     string
	Attempted bool
	Campaign  string
	After     string
	Limit     int
}(leadline.Query{})

// History returns a copy of the lead's history in the order it was
// written; an empty slice for an unknown lead or one with none.
func (s *Store) History(ctx context.Context, id string) ([]lead.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: history %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.leads[id]
	if r == nil {
		return []lead.Change{}, nil
	}
	out := make([]lead.Change, len(r.history))
	for i := range r.history {
		out[i] = s.decodeChange(r, &r.history[i])
	}
	return out, nil
}

// Campaign returns a copy of the campaign with id, or an error wrapping
// [leaderr.ErrNotFound].
func (s *Store) Campaign(ctx context.Context, id string) (routing.Campaign, error) {
	if err := ctx.Err(); err != nil {
		return routing.Campaign{}, fmt.Errorf("memstore: campaign %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.campaigns[id]
	if c == nil {
		return routing.Campaign{}, fmt.Errorf("memstore: campaign %s: %w", id, leaderr.ErrNotFound)
	}
	return cloneCampaign(c), nil
}

// PutCampaign writes a campaign, compare-and-set on its version, as
// [leadline.Store] says. A campaign with an empty id is refused with a
// [*leaderr.FieldError].
func (s *Store) PutCampaign(ctx context.Context, c routing.Campaign) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: put campaign %s: %w", c.ID, err)
	}
	if c.ID == "" {
		return fmt.Errorf("memstore: put campaign: %w", leaderr.Errorf("campaign.id", "required"))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var stored int64
	if old := s.campaigns[c.ID]; old != nil {
		stored = old.Version
	}
	if c.Version != stored || (stored == 0 && s.campaigns[c.ID] != nil) {
		return fmt.Errorf("memstore: put campaign %s: read version %d, stored %d: %w", c.ID, c.Version, stored, leaderr.ErrConflict)
	}
	c = cloneCampaign(&c)
	c.Version = stored + 1
	s.campaigns[c.ID] = &c
	return nil
}

// Campaigns returns copies of every campaign, ordered by id.
func (s *Store) Campaigns(ctx context.Context) ([]routing.Campaign, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: campaigns: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]routing.Campaign, 0, len(s.campaigns))
	for _, c := range s.campaigns {
		out = append(out, cloneCampaign(c))
	}
	slices.SortFunc(out, func(a, b routing.Campaign) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func cloneCampaign(c *routing.Campaign) routing.Campaign {
	cp := *c
	cp.Changes = slices.Clone(c.Changes)
	return cp
}
