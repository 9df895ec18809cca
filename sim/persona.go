package sim

import (
	"math/rand/v2"
	"time"
)

// Span is a range of hours a delay is drawn from: Span{1, 6} is one to
// six hours.
type Span [2]float64

// Draw draws a delay from sp with r, truncated to the minute (see [Hours]).
func (sp Span) Draw(r *rand.Rand) time.Duration { return Hours(r, sp[0], sp[1]) }

// Persona is how one person works the leads they are given, in their
// working hours ([Schedule]): how long they take to make a first attempt
// and the next, whether they mind a deadline, whether they leave a lead
// inherited from a colleague for later, and when they start looking at
// requests at all. [Persona.Attempt] turns it into instants.
type Persona struct {
	// ID is the person's rep id.
	ID string
	// Work is when the person works. Its Calendar is required.
	Work Schedule
	// First is the delay from noticing a request to the first attempt.
	First Span
	// Next is the delay from one attempt to the next.
	Next Span
	// Keep is the chance that the person moves an attempt that would miss
	// the lead's deadline to the last working hours before it: 1 for
	// someone who is never late, 0 for someone who never minds (T8, T9).
	Keep float64
	// Park is the chance that the person leaves a lead inherited from a
	// colleague (T1) at the bottom of the pile, drawing the first delay
	// from Parked instead of First and ignoring its deadline.
	Park   float64
	Parked Span
	// NotBefore is when the person starts looking at requests: a new hire
	// who has not opened the queue yet. Zero for everyone else.
	NotBefore time.Time
}

// AttemptParams says which attempt [Persona.Attempt] plans.
type AttemptParams struct {
	// After is when the person noticed the request, for a first attempt,
	// or made the previous attempt.
	After time.Time
	// Due is the lead's pending deadline; zero if it has none.
	Due time.Time
	// First marks a first attempt on a request; Inherited, one on a lead
	// reassigned from a colleague (T1), which the person may park.
	First, Inherited bool
	// Scale multiplies the drawn delay: 2 lets a step sink in twice as
	// long. Zero means 1.
	Scale int
}

// Attempt returns when the person makes the attempt a describes: a delay
// drawn from First (or Parked) or Next, counted in the person's working
// hours from a.After, or from NotBefore if later. If that misses a.Due
// and the person minds it this time (Keep), it is moved to one of the
// last working quarter hours before the deadline, provided that is more
// than half an hour after a.After. It draws from r in a fixed order, so a
// seeded r makes the same plans.
func (p *Persona) Attempt(r *rand.Rand, a AttemptParams) time.Time {
	from := a.After
	if p.NotBefore.After(from) {
		from = p.NotBefore
	}
	var d time.Duration
	keep := true
	switch {
	case !a.First:
		d = p.Next.Draw(r)
	case a.Inherited:
		d = p.First.Draw(r)
		if r.Float64() < p.Park {
			d, keep = p.Parked.Draw(r), false
		}
	default:
		d = p.First.Draw(r)
	}
	if a.Scale > 1 {
		d *= time.Duration(a.Scale)
	}
	at := p.Work.Add(from, d)
	if !keep || a.Due.IsZero() || !at.After(a.Due) || r.Float64() >= p.Keep {
		return at
	}
	slack := time.Duration(1+r.IntN(10)) * time.Minute
	t := p.Work.LastBefore(a.Due.Add(-slack), 1+r.IntN(16))
	if t.IsZero() || !t.After(from.Add(30*time.Minute)) {
		return at
	}
	return t
}
