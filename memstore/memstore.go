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
// [Store.NextTicket] and [Store.Load] cost O(1) per id or rep.
// [Store.Apply] costs O(log n) in the number of pending deadlines, plus its
// history and outbox. [Store.ClaimDue] costs O((k+e) log n) for k claimed
// and e lapsed claims, whatever the number of leads: pending deadlines sit
// in a min-heap ordered by (Due, Lead, Kind) and claimed ones in a second
// heap ordered by the end of their claim: a claim moves a deadline from
// the first to the second, an expired claim moves it back, and an Apply
// removes the lead's old ones from whichever holds them. [Store.ClaimOutbox]
// walks the outbox oldest first and skips what is hidden: O(h+k) for h
// hidden notifications. [Store.Leads] scans and sorts every lead.
//
// A lead with its deadline takes about 1 KiB; each change of history about
// 150 bytes more, and each seen event id about 60. Seen event ids and
// history are kept for the life of the store.
package memstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

var _ leadline.Store = (*Store)(nil)

// Store is an in-memory [leadline.Store]. Its zero value is not usable; call
// [New].
type Store struct {
	mu sync.Mutex
	// leads holds each lead with its history and pending deadlines.
	leads map[string]*record
	// seen holds the event ids recorded by Apply (E2).
	seen map[string]struct{}
	// pending holds the unclaimed deadlines by (Due, Lead, Kind); claimed
	// holds the claimed ones by the end of their claim. Each deadline of
	// a record is in exactly one of them.
	pending, claimed schedule
	outbox           outbox
	// tickets holds the next number of each sequence.
	tickets map[string]uint64
	// load counts, per owner, the leads whose cadence is running; owners
	// with none are absent.
	load map[string]int
	// campaigns holds the campaigns by id.
	campaigns map[string]*routing.Campaign
}

// record is one lead as the store keeps it.
type record struct {
	lead    lead.Lead
	history []lead.Change
	// deadlines are the lead's pending deadlines, each in s.pending or
	// s.claimed.
	deadlines []*deadline
}

// New returns an empty store.
func New() *Store {
	return &Store{
		leads:   make(map[string]*record),
		seen:    make(map[string]struct{}),
		claimed: schedule{byClaim: true},
		outbox:  outbox{byKey: make(map[string]*message)},
		tickets: make(map[string]uint64),
		load:    make(map[string]int),

		campaigns: make(map[string]*routing.Campaign),
	}
}

// Lead returns a copy of the lead with id, or an error wrapping
// [lead.ErrNotFound].
func (s *Store) Lead(ctx context.Context, id string) (lead.Lead, error) {
	if err := ctx.Err(); err != nil {
		return lead.Lead{}, fmt.Errorf("memstore: lead %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.leads[id]
	if r == nil {
		return lead.Lead{}, fmt.Errorf("memstore: lead %s: %w", id, lead.ErrNotFound)
	}
	return r.lead.Clone(), nil
}

// Seen reports whether an [Store.Apply] recorded the event id (E2). It is
// false for "".
func (s *Store) Seen(ctx context.Context, eventID string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("memstore: seen %s: %w", eventID, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.seen[eventID]
	return ok, nil
}

// Apply makes one write, all or nothing, as [leadline.Store] says. Besides
// the contract's errors it refuses, with a [*lead.FieldError], a lead with
// an empty id and a change or deadline of another lead than w.Lead.
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

	// Check everything first: nothing below the checks can fail, so a
	// refused write changes nothing.
	if w.Event != "" {
		if _, ok := s.seen[w.Event]; ok {
			return fmt.Errorf("memstore: apply %s: event %s: %w", id, w.Event, lead.ErrDuplicateEvent)
		}
	}
	r := s.leads[id]
	var stored int64
	if r != nil {
		stored = r.lead.Version
	}
	if w.Lead.Version != stored {
		return fmt.Errorf("memstore: apply %s: read version %d, stored %d: %w", id, w.Lead.Version, stored, lead.ErrConflict)
	}

	if w.Event != "" {
		s.seen[w.Event] = struct{}{}
	}
	if r == nil {
		r = &record{}
		s.leads[id] = r
	} else {
		s.count(&r.lead, -1)
	}
	r.lead = w.Lead.Clone()
	r.lead.Version = stored + 1
	s.count(&r.lead, +1)

	if len(w.History) > 0 {
		n := len(r.history)
		r.history = append(r.history, w.History...)
		for i := n; i < len(r.history); i++ {
			r.history[i].Lead = r.lead.ID // share one copy of the id
		}
	}
	if !w.KeepDeadlines {
		s.schedule(r, w.Deadlines)
	}
	for _, n := range w.Outbox {
		s.outbox.push(n)
	}
	return nil
}

// check refuses a write the store cannot file under its lead.
func check(w *leadline.Write) error {
	if w.Lead.ID == "" {
		return stage.Errorf("id", "a lead needs an id")
	}
	for i, c := range w.History {
		if c.Lead != w.Lead.ID {
			return stage.Errorf(fmt.Sprintf("history[%d].lead", i), "change of lead %q in a write of lead %q", c.Lead, w.Lead.ID)
		}
	}
	for i, d := range w.Deadlines {
		if d.Lead != w.Lead.ID {
			return stage.Errorf(fmt.Sprintf("deadlines[%d].lead", i), "deadline of lead %q in a write of lead %q", d.Lead, w.Lead.ID)
		}
	}
	return nil
}

// count adds delta to the load of l's owner if l's cadence is running.
func (s *Store) count(l *lead.Lead, delta int) {
	if !l.Track.Active() {
		return
	}
	n := s.load[l.Owner] + delta
	if n == 0 {
		delete(s.load, l.Owner)
	} else {
		s.load[l.Owner] = n
	}
}

// schedule replaces r's deadlines with ds, all unclaimed. It reuses the
// old entries, so a lead rescheduled from one deadline to another
// allocates nothing.
func (s *Store) schedule(r *record, ds []lead.Deadline) {
	for _, e := range r.deadlines {
		if e.claimed {
			s.claimed.remove(e)
		} else {
			s.pending.remove(e)
		}
	}
	old := r.deadlines
	r.deadlines = r.deadlines[:0]
	for i, d := range ds {
		var e *deadline
		if i < len(old) {
			e = old[i]
		} else {
			e = new(deadline)
		}
		d.Lead = r.lead.ID // share one copy of the id
		*e = deadline{d: d}
		s.pending.push(e)
		r.deadlines = append(r.deadlines, e)
	}
	if len(r.deadlines) == 0 {
		r.deadlines = nil
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
	for e := s.claimed.min(); e != nil && !now.Before(e.until); e = s.claimed.min() {
		s.claimed.pop()
		e.claimed, e.until = false, time.Time{}
		s.pending.push(e)
	}
	if limit <= 0 {
		return nil, nil
	}
	var out []lead.Deadline
	until := now.Add(lease)
	for e := s.pending.min(); e != nil && e.d.Due.Before(now) && len(out) < limit; e = s.pending.min() {
		if out == nil {
			out = make([]lead.Deadline, 0, min(limit, len(s.pending.heap)))
		}
		s.pending.pop()
		e.claimed, e.until = true, until
		s.claimed.push(e)
		out = append(out, e.d)
	}
	return out, nil
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
	return nil
}

// NextTicket returns the next number of the sequence, from 0 (M9).
func (s *Store) NextTicket(ctx context.Context, sequence string) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("memstore: ticket %s: %w", sequence, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.tickets[sequence]
	s.tickets[sequence] = n + 1
	return n, nil
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

// Leads returns copies of the leads that match q, ordered by id. It scans
// every lead.
func (s *Store) Leads(ctx context.Context, q leadline.Query) ([]lead.Lead, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: leads: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var found []*lead.Lead
	for id, r := range s.leads {
		if id > q.After && q.Match(&r.lead) {
			found = append(found, &r.lead)
		}
	}
	slices.SortFunc(found, func(a, b *lead.Lead) int { return strings.Compare(a.ID, b.ID) })
	if q.Limit > 0 && len(found) > q.Limit {
		found = found[:q.Limit]
	}
	out := make([]lead.Lead, len(found))
	for i, l := range found {
		out[i] = l.Clone()
	}
	return out, nil
}

// History returns a copy of the lead's history in the order it was
// written; an empty slice for an unknown lead or one with none.
func (s *Store) History(ctx context.Context, id string) ([]lead.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: history %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var h []lead.Change
	if r := s.leads[id]; r != nil {
		h = r.history
	}
	return append(make([]lead.Change, 0, len(h)), h...), nil
}

// Campaign returns a copy of the campaign with id, or an error wrapping
// [lead.ErrNotFound].
func (s *Store) Campaign(ctx context.Context, id string) (routing.Campaign, error) {
	if err := ctx.Err(); err != nil {
		return routing.Campaign{}, fmt.Errorf("memstore: campaign %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.campaigns[id]
	if c == nil {
		return routing.Campaign{}, fmt.Errorf("memstore: campaign %s: %w", id, lead.ErrNotFound)
	}
	return cloneCampaign(c), nil
}

// PutCampaign writes a campaign, compare-and-set on its version, as
// [leadline.Store] says. A campaign with an empty id is refused with a
// [*lead.FieldError].
func (s *Store) PutCampaign(ctx context.Context, c routing.Campaign) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: put campaign %s: %w", c.ID, err)
	}
	if c.ID == "" {
		return fmt.Errorf("memstore: put campaign: %w", stage.Errorf("campaign.id", "required"))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var stored int64
	if old := s.campaigns[c.ID]; old != nil {
		stored = old.Version
	}
	if c.Version != stored || (stored == 0 && s.campaigns[c.ID] != nil) {
		return fmt.Errorf("memstore: put campaign %s: read version %d, stored %d: %w", c.ID, c.Version, stored, lead.ErrConflict)
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
