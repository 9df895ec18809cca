package memstore

import (
	"math"
	"slices"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// instant is a time.Time as Unix nanoseconds: eight bytes and no pointer
// where a time.Time takes twenty-four and holds its zone. Instants order
// as their times do: the zero time.Time is noTime, below every other, and
// times outside 1678-2262 saturate to the ends of the range. A time comes
// back in UTC, without a monotonic reading; the store keeps the instant,
// as the contract asks.
type instant int64

const (
	noTime  instant = math.MinInt64
	minTime instant = math.MinInt64 + 1
	maxTime instant = math.MaxInt64
	// The seconds whose every nanosecond fits in an int64.
	minSec = math.MinInt64/1_000_000_000 + 1
	maxSec = math.MaxInt64/1_000_000_000 - 1
)

// instantOf returns t as an instant.
func instantOf(t time.Time) instant {
	if t.IsZero() {
		return noTime
	}
	switch sec := t.Unix(); {
	case sec < minSec:
		return minTime
	case sec > maxSec:
		return maxTime
	default:
		return instant(sec*1e9 + int64(t.Nanosecond()))
	}
}

// time returns i as a time.Time in loc; noTime gives the zero time.Time.
func (i instant) time(loc *time.Location) time.Time {
	if i == noTime {
		return time.Time{}
	}
	return time.Unix(0, int64(i)).In(loc)
}

// zone returns the zone a lead's instants come back in: its Updated's, or
// Created's when Updated is zero.
func zone(l *lead.Lead) *time.Location {
	if l.Updated.IsZero() {
		return l.Created.Location()
	}
	return l.Updated.Location()
}

// record is one lead as the store keeps it: the fields of a [lead.Lead],
// its history and its pending deadlines, in about half the memory of a
// lead.Lead (688 bytes). Instants are [instant]s; the strings many leads
// share are [dict] codes; the fields of routing by engagement (M1-M13) that most leads
// never use are behind rare, nil for most leads. Strings and the score's
// decimal are immutable and shared with the caller; slices are copied.
//
// A record is allocated once per lead and updated in place; the arena's
// entries for its deadlines point to it.
type record struct {
	id      string
	version int64
	// loc is the zone the instants come back in, see zone.
	loc *time.Location

	company, name, email string

	score decimal.Decimal

	created, updated, opened, due, closed, last instant

	track stage.Track

	// Codes in Store.dict: strings that repeat across leads.
	owner, source, maSystem, reasons, subject, account, lastTopic uint32

	priority             int32 // see flagPriority
	seq                  uint32
	inquiries, downloads int32
	pageViews            int32

	status   lead.Status
	reqState lead.RequestState
	desk     lead.Desk
	handoff  lead.Handoff
	flags    uint8
	// ndl counts the deadlines in dl; the ones after them are in
	// rare.more.
	ndl uint8

	rare *rare

	// history is the lead's history in write order.
	history []change
	// ids are the lead's recorded event ids in write order (E2).
	ids []seenID
	// dl are the numbers in Store.arena of the lead's first two pending
	// deadlines; 0 for none.
	dl [2]uint32
}

// The bits of record.flags.
const (
	flagTarget       = 1 << iota // Profile.Target
	flagAccountOwned             // Lead.AccountOwned
	flagPriority                 // Request.Priority does not fit record.priority; it is in rare.priority
)

// rare holds what a lead seldom has: the fields of routing by engagement, a
// priority beyond int32, and deadlines beyond the second.
type rare struct {
	passed    []string
	responses []lead.Touch
	bant      lead.BANT
	handedBy  string
	handedTo  string
	feedback  lead.Feedback
	jump      lead.Jump
	priority  int
	// more are the lead's deadlines after the two in record.dl.
	more []uint32
}

// needsRare reports whether l has a value rare must hold.
func needsRare(l *lead.Lead) bool {
	f := &l.Feedback
	return len(l.Passed) > 0 || len(l.Responses) > 0 || l.BANT != (lead.BANT{}) ||
		l.HandedBy != "" || l.HandedTo != "" || !l.Jump.IsZero() ||
		f.Target || f.State != 0 || f.Opportunity != 0 || f.Comment != "" || f.By != "" || !f.At.IsZero() ||
		int(int32(l.Request.Priority)) != l.Request.Priority
}

// encode writes l into r, all but the version, the history and the
// deadlines.
func (s *Store) encode(r *record, l *lead.Lead) {
	d := &s.dict
	r.company, r.name, r.email = l.Company, l.Name, l.Email
	r.score = l.Score
	r.loc = zone(l)
	r.created, r.updated = instantOf(l.Created), instantOf(l.Updated)
	r.opened, r.due, r.closed = instantOf(l.Request.Opened), instantOf(l.Request.Due), instantOf(l.Request.Closed)
	r.last = instantOf(l.Activity.Last)
	r.track = l.Track
	r.owner = d.swap(r.owner, l.Owner)
	r.source = d.swap(r.source, l.Source)
	r.maSystem = d.swap(r.maSystem, l.MASystem)
	r.reasons = d.swap(r.reasons, string(l.Request.Reasons))
	r.subject = d.swap(r.subject, l.Request.Subject)
	r.account = d.swap(r.account, l.Account)
	r.lastTopic = d.swap(r.lastTopic, l.Activity.LastTopic)
	r.seq, r.priority = l.Request.Seq, int32(l.Request.Priority)
	r.inquiries, r.downloads, r.pageViews = l.Activity.Inquiries, l.Activity.Downloads, l.Activity.PageViews
	r.status, r.reqState, r.desk, r.handoff = l.Status, l.Request.State, l.Desk, l.Handoff
	var flags uint8
	if l.Target {
		flags |= flagTarget
	}
	if l.AccountOwned {
		flags |= flagAccountOwned
	}
	if int(r.priority) != l.Request.Priority {
		flags |= flagPriority
	}
	r.flags = flags

	if !needsRare(l) {
		if x := r.rare; x != nil {
			if len(x.more) == 0 {
				r.rare = nil
			} else {
				*x = rare{more: x.more}
			}
		}
		return
	}
	x := r.rare
	if x == nil {
		x = new(rare)
		r.rare = x
	}
	x.passed = overwrite(x.passed, l.Passed)
	x.responses = overwrite(x.responses, l.Responses)
	x.bant, x.handedBy, x.handedTo, x.feedback, x.jump = l.BANT, l.HandedBy, l.HandedTo, l.Feedback, l.Jump
	x.priority = l.Request.Priority
}

// overwrite returns dst with src's elements, reusing dst's array when it
// is large enough; nil when src is empty.
func overwrite[T any](dst, src []T) []T {
	if len(src) == 0 {
		return nil
	}
	if cap(dst) < len(src) {
		return slices.Clone(src)
	}
	n := len(dst)
	dst = append(dst[:0], src...)
	if n > len(dst) {
		clear(dst[len(dst):n])
	}
	return dst
}

// decode writes the lead r holds into l, which must be zero: it sets the
// fields one by one rather than build a lead.Lead and copy its 688 bytes.
// It allocates only for copies of the slices of a lead that has them.
func (s *Store) decode(r *record, l *lead.Lead) {
	d, loc := &s.dict, r.loc
	l.ID, l.Version = r.id, r.version
	l.Company, l.Name, l.Email, l.Account = r.company, r.name, r.email, d.str(r.account)
	l.Source, l.MASystem = d.str(r.source), d.str(r.maSystem)
	l.Target = r.flags&flagTarget != 0
	l.Status, l.Score, l.Owner = r.status, r.score, d.str(r.owner)
	l.AccountOwned = r.flags&flagAccountOwned != 0
	l.Created, l.Updated = r.created.time(loc), r.updated.time(loc)
	l.Track = r.track
	q := &l.Request
	q.Seq, q.State, q.Priority = r.seq, r.reqState, int(r.priority)
	q.Reasons, q.Subject = lead.RuleIDs(d.str(r.reasons)), d.str(r.subject)
	q.Opened, q.Due, q.Closed = r.opened.time(loc), r.due.time(loc), r.closed.time(loc)
	a := &l.Activity
	a.Inquiries, a.Downloads, a.PageViews, a.Last, a.LastTopic = r.inquiries, r.downloads, r.pageViews, r.last.time(loc), d.str(r.lastTopic)
	l.Desk, l.Handoff = r.desk, r.handoff
	x := r.rare
	if x == nil {
		return
	}
	l.Passed, l.Responses = slices.Clone(x.passed), slices.Clone(x.responses)
	l.BANT, l.HandedBy, l.HandedTo, l.Feedback, l.Jump = x.bant, x.handedBy, x.handedTo, x.feedback, x.jump
	if r.flags&flagPriority != 0 {
		l.Request.Priority = x.priority
	}
}
