package sim

import (
	"container/heap"
	"fmt"
	"iter"
	"math/rand/v2"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// EventLogParams describes a synthetic event log ([EventLog]).
type EventLogParams struct {
	// Events is how many events the log has, at least one.
	Events int
	// Start is the first lead's arrival.
	Start time.Time
	// PerDay is how many leads arrive a day. Defaults to 500.
	PerDay int
	// Reps are the inside reps who make attempts and set statuses; they
	// must be on the roster the log is replayed with (E9). Defaults to
	// rep-1 .. rep-8.
	Reps []string
}

// EventLog returns a synthetic event log, drawn from r: leads arrive around
// the clock, PerDay a day, with decimal scores (E7); most inquire or
// download (A1-A3), some are rescored, and a rep works each request
// through the cadence, a day or two between attempts, often late (T9),
// sometimes reached (T6) and then classified (S1), sometimes given up
// (S4) or left to recycle after Stage4 (T7). Attempts are made by a rep
// drawn for the lead, who is not always its owner (T1 and T10 then
// move it). Events come in instant order, each with a fresh id
// ("syn-00000001"); a lead's events after its cadence ends may be
// refused by the engine, as a real team's stray attempts are.
//
// The log is generated as it is read, from a heap of the leads still
// active, so that a log of a million events costs little memory: it
// feeds package replay's benchmark. It is the same for the same
// r's seed and p.
func EventLog(r *rand.Rand, p EventLogParams) iter.Seq[lead.Event] {
	if p.PerDay <= 0 {
		p.PerDay = 500
	}
	if len(p.Reps) == 0 {
		for i := range 8 {
			p.Reps = append(p.Reps, fmt.Sprintf("rep-%d", i+1))
		}
	}
	return func(yield func(lead.Event) bool) {
		gap := 24 * time.Hour / time.Duration(p.PerDay)
		var q synthQueue
		next, n := p.Start, 0
		leads := 0
		for n < p.Events {
			// Arrivals first while they come before the earliest step.
			if len(q) == 0 || next.Before(q[0].at) {
				leads++
				heap.Push(&q, &synthLead{id: fmt.Sprintf("S-%07d", leads), at: next})
				next = next.Add(time.Duration(float64(gap) * (0.5 + r.Float64())))
				continue
			}
			l := q[0]
			ev, more := l.step(r, &p)
			n++
			ev.ID = fmt.Sprintf("syn-%08d", n)
			if !yield(ev) {
				return
			}
			if more {
				heap.Fix(&q, 0)
			} else {
				heap.Pop(&q)
			}
		}
	}
}

// synthLead is one lead of a synthetic log: where it is in its script.
type synthLead struct {
	id       string
	at       time.Time // its next event
	n        int       // events so far
	attempts int
	rep      string
	asked    bool // it inquired or downloaded
	reached  bool // an attempt got through: a contact comes next
	done     bool // in contact: a status_set comes next, then nothing
}

// step returns the lead's next event and whether it has another.
func (l *synthLead) step(r *rand.Rand, p *EventLogParams) (lead.Event, bool) {
	ev := lead.Event{Lead: l.id, At: l.at}
	l.n++
	hours := func(lo, hi float64) time.Duration { return Hours(r, lo, hi) }
	switch {
	case l.n == 1:
		ev.Kind, ev.Actor = lead.EventCreated, "marketing"
		ev.Score = decimal.New(int64(4000+r.IntN(11000)), -2)
		ev.Profile = lead.Profile{Company: Company(r), Source: []string{"web", "seminar", "download", "list", "partner"}[r.IntN(5)]}
		l.at = l.at.Add(hours(0.01, 4))
		return ev, true
	case l.reached && !l.done:
		ev.Kind, ev.Actor, ev.Channels = lead.EventContact, l.rep, stage.Call
		l.done = true
		l.at = l.at.Add(hours(1, 24))
		return ev, true
	case l.done:
		ev.Kind, ev.Actor = lead.EventStatusSet, l.rep
		ev.Status = []lead.Status{lead.StatusLead, lead.StatusLead, lead.StatusRecycled, lead.StatusDisqualifiedSales}[r.IntN(4)]
		ev.Reason = "reviewed after the conversation"
		return ev, false
	case !l.asked:
		l.asked = true
		switch x := r.Float64(); {
		case x < 0.55:
			ev.Kind, ev.Actor, ev.Topic = lead.EventInquiry, "marketing", "pricing"
		case x < 0.85:
			ev.Kind, ev.Actor, ev.Topic = lead.EventDownload, "marketing", "whitepaper.pdf"
		default:
			ev.Kind, ev.Actor = lead.EventScoreChanged, "marketing"
			ev.Score = decimal.New(int64(9000+r.IntN(6000)), -2)
		}
		l.rep = p.Reps[r.IntN(len(p.Reps))]
		l.at = l.at.Add(hours(0.5, 60))
		return ev, true
	case l.attempts < 4 && r.Float64() < 0.92:
		l.attempts++
		ev.Kind, ev.Actor = lead.EventOutbound, l.rep
		ev.Channels = []stage.Channels{stage.Call | stage.Email | stage.Voicemail, stage.Call | stage.Email, stage.Email, stage.Email}[l.attempts-1]
		l.at = l.at.Add(hours(8, 70))
		if r.Float64() < 0.18 {
			l.reached = true // the contact comes soon after, then a status
			l.at = ev.At.Add(hours(0.1, 3))
		}
		return ev, true
	case l.attempts > 0 && !l.done && r.Float64() < 0.3:
		ev.Kind, ev.Actor, ev.Channels = lead.EventContact, l.rep, stage.Email
		l.done = true
		l.at = l.at.Add(hours(1, 24))
		return ev, true
	}
	switch {
	case l.attempts == 0:
		// The rep finds bad data before the first call (S1): no cadence.
		ev.Kind, ev.Actor, ev.Status, ev.Reason = lead.EventStatusSet, l.rep, lead.StatusDisqualifiedMktg, "the address bounces"
		return ev, false
	case l.attempts < 4:
		// The rep gives up before Stage4 and hands the lead back to
		// marketing (S1, S4): its cadence stops.
		ev.Kind, ev.Actor, ev.Status, ev.Reason = lead.EventStatusSet, l.rep, lead.StatusRecycled, "no answer; back to nurturing"
		return ev, false
	}
	// Nothing more from sales: a last rescore days later (after Stage4 the
	// engine recycles the lead itself, T7).
	ev.Kind, ev.Actor = lead.EventScoreChanged, "marketing"
	ev.Score = decimal.New(int64(2000+r.IntN(12000)), -2)
	return ev, false
}

// synthQueue is a min-heap of leads by their next event's instant, then id.
type synthQueue []*synthLead

func (q synthQueue) Len() int { return len(q) }
func (q synthQueue) Less(i, j int) bool {
	if c := q[i].at.Compare(q[j].at); c != 0 {
		return c < 0
	}
	return q[i].id < q[j].id
}
func (q synthQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *synthQueue) Push(x any)   { *q = append(*q, x.(*synthLead)) }
func (q *synthQueue) Pop() any {
	old := *q
	l := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return l
}
