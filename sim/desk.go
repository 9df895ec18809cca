package sim

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
)

// Desk is an inside-sales desk: people who work the leads they own through
// the touch cadence at the pace of their [Persona]. A request, a
// reassignment (T1) or an escalation (T10) delivered to one of them makes
// them plan a first attempt; each attempt, made with the stage's playbook
// channels (T12), makes them plan the next, until the prospect answers
// ([Answers], T6), the lead leaves them or the cadence ends. A person who
// is away when an attempt comes due moves it to their return. The hooks
// let a script say what else people do.
type Desk struct {
	Sim    *Sim
	R      *rand.Rand
	People map[string]*Persona
	// Answers is how prospects answer an attempt; nil means nobody does.
	Answers *Answers
	// Review is asked before a person's first attempt on a lead, once per
	// lead: true means they dealt with it another way (set a status, S1)
	// and make no attempt. Nil reviews nothing.
	Review func(ctx context.Context, at time.Time, l *lead.Lead, rep string) (bool, error)
	// Attempted is told of each attempt, with the lead after it: true
	// means the person stops there (bad data found) and plans no more.
	Attempted func(at time.Time, l *lead.Lead, rep string) bool
	// Scale is the delay scale of the attempt after one that reached st
	// (see [AttemptParams]); nil means 1.
	Scale func(st stage.Stage) int
	// Answered is told of a prospect's answer once the engine recorded
	// the contact (T6) and the person's plans for the lead were dropped.
	Answered func(ctx context.Context, at time.Time, l *lead.Lead) error

	reviewed map[string]bool
}

// Notify plans the recipient's first attempt when n is an approach
// request, a reassignment or an escalation of a lead they own in a running
// cadence, unless they planned an earlier one; use it from
// [Config.NotifyFunc]. Other notifications are left alone.
func (d *Desk) Notify(ctx context.Context, n leadline.Notification) error {
	if n.Kind != leadline.NoteApproachRequest && n.Kind != leadline.NoteReassigned && n.Kind != leadline.NoteEscalated {
		return nil
	}
	l, err := d.Sim.eng.Lead(ctx, Ops, n.Lead)
	p := d.People[n.To]
	if err != nil || p == nil || l.Owner != p.ID || !l.Track.Active() || l.Status.Protected() {
		return err
	}
	due, _ := l.Track.Pending()
	at := p.Attempt(d.R, AttemptParams{After: n.At, Due: due, First: true, Inherited: n.Kind == leadline.NoteReassigned})
	if pl, ok := d.Sim.Planned(l.ID); !ok || pl.By != p.ID || at.Before(pl.At) {
		d.plan(l.ID, p.ID, at)
	}
	return nil
}

// plan schedules rep's next attempt on lead id at at, superseding any
// earlier plan.
func (d *Desk) plan(id, rep string, at time.Time) {
	d.Sim.Plan(id, Plan{By: rep, At: at}, func(ctx context.Context, at time.Time) error { return d.attempt(ctx, at, id, rep) })
}

// attempt plays a planned attempt, if it still makes sense: the rep still
// owns the lead, its cadence still runs, nobody disqualified it.
func (d *Desk) attempt(ctx context.Context, at time.Time, id, rep string) error {
	l, err := d.Sim.eng.Lead(ctx, Ops, id)
	if err != nil {
		return err
	}
	p, tr := d.People[rep], &l.Track
	switch due, ok := tr.Pending(); {
	case l.Owner != rep, !tr.Active(), l.Status.Protected():
		return nil
	case tr.Stage == stage.Stage4 && !l.Request.Outstanding():
		return nil // the last attempt is made; wait for a reply or the recycle (T7)
	case ok && tr.Stage == stage.Untouched && due.Before(at):
		return nil // the Stage1 window closed first: the lead goes to someone else (T1)
	case p.Work.Absent(at):
		d.plan(id, rep, p.Work.Next(at))
		return nil
	}
	if tr.Stage == stage.Untouched && !d.reviewed[id] && d.Review != nil {
		if d.reviewed == nil {
			d.reviewed = map[string]bool{}
		}
		d.reviewed[id] = true
		if done, err := d.Review(ctx, at, &l, rep); done || err != nil {
			return err
		}
	}
	pol := d.Sim.eng.Policy()
	ch := pol.Cadence.Playbook(min(tr.Stage+1, stage.Stage4)).Channels
	if err := d.Sim.Handle(ctx, lead.Event{ID: d.Sim.NewID("crm"), Kind: lead.EventOutbound, Lead: id, At: at, Actor: rep, Channels: ch}); err != nil {
		return err
	}
	if l, err = d.Sim.eng.Lead(ctx, Ops, id); err != nil {
		return err
	}
	if d.Attempted != nil && d.Attempted(at, &l, rep) {
		return nil
	}
	if d.Answers != nil {
		if t, how, ok := d.Answers.Answer(d.R, &l, ch, at); ok {
			d.Sim.At(t, func(ctx context.Context, at time.Time) error { return d.contact(ctx, at, id, how) })
		}
	}
	if l.Track.Stage < stage.Stage4 {
		due, _ := l.Track.Pending()
		scale := 1
		if d.Scale != nil {
			scale = d.Scale(l.Track.Stage)
		}
		d.plan(id, rep, p.Attempt(d.R, AttemptParams{After: at, Due: due, Scale: scale}))
	}
	return nil
}

// contact records a prospect's answer (T6), unless the cadence ended
// first, and drops the owner's plans for the lead.
func (d *Desk) contact(ctx context.Context, at time.Time, id string, ch stage.Channels) error {
	l, err := d.Sim.eng.Lead(ctx, Ops, id)
	if err != nil {
		return err
	}
	tr := &l.Track
	if !tr.Active() || tr.Stage == stage.Untouched || l.Status.Protected() {
		return nil
	}
	if due, ok := tr.Pending(); ok && tr.Stage == stage.Stage4 && due.Before(at) {
		return nil // recycled before the reply came (T7)
	}
	if err := d.Sim.Handle(ctx, lead.Event{ID: d.Sim.NewID("crm"), Kind: lead.EventContact, Lead: id, At: at, Actor: l.Owner, Channels: ch}); err != nil {
		return err
	}
	d.Sim.Cancel(id)
	if d.Answered == nil {
		return nil
	}
	return d.Answered(ctx, at, &l)
}
