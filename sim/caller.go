package sim

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
)

// Caller is a plain way for inside reps to work their approach requests:
// the first call within First working hours of the request, answered with
// chance Answer within Reply working hours (T6), else called again after
// Again working hours, Tries calls at most. A rep stops once the lead is
// no longer theirs on the inside desk or its cadence ended. Calls and
// Contacts count what they did.
type Caller struct {
	Sim                 *Sim
	R                   *rand.Rand
	Work                *stage.BusinessCalendar
	Reps                []string
	First, Reply, Again Span
	Answer              float64
	Tries               int
	Calls, Contacts     int
}

// Notify starts the calls on an approach request to one of Reps; use it
// from [Config.NotifyFunc].
func (c *Caller) Notify(_ context.Context, n leadline.Notification) error {
	if n.Kind == leadline.NoteApproachRequest && slices.Contains(c.Reps, n.To) {
		c.Sim.At(c.Work.Add(c.Sim.Now(), c.First.Draw(c.R)), c.call(n.Lead, n.To, 1))
	}
	return nil
}

// working reports whether rep still works lead id's cadence.
func (c *Caller) working(ctx context.Context, id, rep string) (bool, error) {
	l, err := c.Sim.eng.Lead(ctx, Ops, id)
	return err == nil && l.Desk == lead.DeskInside && l.Owner == rep && l.Track.Active(), err
}

func (c *Caller) call(id, rep string, n int) ActionFunc {
	return func(ctx context.Context, at time.Time) error {
		if ok, err := c.working(ctx, id, rep); !ok {
			return err
		}
		c.Calls++
		if err := c.Sim.Handle(ctx, lead.Event{Kind: lead.EventOutbound, Lead: id, At: at, Actor: rep, Channels: stage.Call | stage.Email}); err != nil {
			return err
		}
		switch {
		case c.R.Float64() < c.Answer:
			c.Sim.At(c.Work.Add(at, c.Reply.Draw(c.R)), func(ctx context.Context, at time.Time) error {
				if ok, err := c.working(ctx, id, rep); !ok {
					return err
				}
				c.Contacts++
				return c.Sim.Handle(ctx, lead.Event{Kind: lead.EventContact, Lead: id, At: at, Actor: rep, Channels: stage.Call})
			})
		case n < c.Tries:
			c.Sim.At(c.Work.Add(at, c.Again.Draw(c.R)), c.call(id, rep, n+1))
		}
		return nil
	}
}
