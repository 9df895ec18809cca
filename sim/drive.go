package sim

import (
	"context"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

// Drive is the invitation drive of a hybrid campaign (M6): field reps
// invite the people they know ([Drive.Invite]), inside reps call the rest
// from the campaign's call list ([Drive.CallList], [Drive.CallsDone]) and invite
// those they reach, and the invited register ([Drive.Register]) by the
// time registration closes. The engine credits whoever invited them. The
// drive logs its days to Log.
type Drive struct {
	Sim      *Sim
	R        *rand.Rand
	Work     *stage.BusinessCalendar // people act in its working hours
	Log      *Log
	Campaign string
	// Manager pulls the call list; Callers share it out in turn; Field
	// are the field reps, in the order the log names them.
	Manager routing.Viewer
	Callers []string
	Field   []string
	// Close is when registration closes: later registrations come then.
	Close time.Time
	// FieldRegister is the chance that a person a field rep invited
	// registers, 2 to 20 working hours later; Reach, that an inside call
	// gets through; CallRegister, that a person reached registers, 1 to
	// 16 working hours later.
	FieldRegister, Reach, CallRegister float64

	field, inside       map[string]string // who invited whom
	registered, reached map[string]bool
	calls, reachedToday int
}

func (d *Drive) init() {
	if d.field == nil {
		d.field, d.inside, d.registered, d.reached = map[string]string{}, map[string]string{}, map[string]bool{}, map[string]bool{}
	}
}

// Registered reports whether lead id registered.
func (d *Drive) Registered(id string) bool { return d.registered[id] }

// InvitedBy returns the field rep and the inside rep who invited lead id,
// "" for none.
func (d *Drive) InvitedBy(id string) (field, inside string) { return d.field[id], d.inside[id] }

func (d *Drive) respond(ctx context.Context, at time.Time, id string, kind lead.ResponseKind, by string) error {
	return d.Sim.Handle(ctx, lead.Event{Kind: lead.EventResponse, Lead: id, At: at, Campaign: d.Campaign, Response: kind, Actor: by})
}

// registerAt schedules id's registration after delay, or at Close.
func (d *Drive) registerAt(at time.Time, delay time.Duration, id string) {
	t := d.Work.Add(at, delay)
	if t.After(d.Close) {
		t = d.Close
	}
	d.Sim.At(t, d.Register(id))
}

// Invite returns the action of field rep rep inviting lead id (M4). The
// person registers with chance FieldRegister, or surely if sure.
func (d *Drive) Invite(id, rep string, sure bool) ActionFunc {
	return func(ctx context.Context, at time.Time) error {
		d.init()
		d.field[id] = rep
		if err := d.respond(ctx, at, id, lead.ResponseInvited, rep); err != nil {
			return err
		}
		if sure || d.R.Float64() < d.FieldRegister {
			d.registerAt(at, Hours(d.R, 2, 20), id)
		}
		return nil
	}
}

// InvitesDone logs how many people each field rep invited.
func (d *Drive) InvitesDone(_ context.Context, at time.Time) error {
	d.init()
	by := Count{}
	for _, rep := range d.field {
		by[rep]++
	}
	d.Log.Addf(at, "%s: field reps invited %d of them personally (M4): %s", d.Campaign, by.Sum(), by.List(d.Field...))
	return nil
}

// Register returns the action of lead id registering, once.
func (d *Drive) Register(id string) ActionFunc {
	return func(ctx context.Context, at time.Time) error {
		d.init()
		if d.registered[id] {
			return nil
		}
		d.registered[id] = true
		return d.respond(ctx, at, id, lead.ResponseRegistered, "marketing")
	}
}

// CallList is the action of the manager pulling the call list (M6): the
// people no field rep invited who have not registered. Those no inside rep
// reached yet are shared out among Callers, to be called from a quarter
// of an hour on until 17:30.
func (d *Drive) CallList(ctx context.Context, at time.Time) error {
	d.init()
	list, err := d.Sim.eng.CallList(ctx, d.Manager, d.Campaign)
	if err != nil {
		return err
	}
	by, closing := Count{}, time.Date(at.Year(), at.Month(), at.Day(), 17, 30, 0, 0, at.Location())
	for _, l := range list {
		if !d.reached[l.ID] {
			rep := d.Callers[by.Sum()%len(d.Callers)]
			by[rep]++
			d.Sim.At(Between(d.R, at.Add(15*time.Minute), closing), d.call(rep, l.ID))
		}
	}
	d.Log.Addf(at, "%s: call list for inside sales (CallList, M6): %d not invited by field and not registered; %d to call (%s)",
		d.Campaign, len(list), by.Sum(), by.List(d.Callers...))
	return nil
}

// call: an inside rep calls a person on the list; reached, with chance
// Reach, they are invited, and some register.
func (d *Drive) call(rep, id string) ActionFunc {
	return func(ctx context.Context, at time.Time) error {
		if d.calls++; d.registered[id] || d.R.Float64() >= d.Reach {
			return nil
		}
		d.reached[id], d.inside[id] = true, rep
		d.reachedToday++
		if err := d.respond(ctx, at, id, lead.ResponseInvited, rep); err != nil {
			return err
		}
		if d.R.Float64() < d.CallRegister {
			d.registerAt(at, Hours(d.R, 1, 16), id)
		}
		return nil
	}
}

// CallsDone logs a day of inside calls and the registrations so far, by
// who drove them: field, inside, or marketing when nobody did (M6).
func (d *Drive) CallsDone(_ context.Context, at time.Time) error {
	d.init()
	regs := Count{}
	for id := range d.registered {
		switch {
		case d.field[id] != "":
			regs["field"]++
		case d.inside[id] != "":
			regs["inside"]++
		default:
			regs["marketing"]++
		}
	}
	d.Log.Addf(at, "%s: inside calls today %d, reached and invited %d; registered so far: %s",
		d.Campaign, d.calls, d.reachedToday, regs.List("field", "inside", "marketing"))
	d.calls, d.reachedToday = 0, 0
	return nil
}

// Attend returns the action of uploading the attendance after the event
// (M3, M4): for each registered lead, in id order, came says whether they
// came and which field rep, if any, met them at the event. Those who came
// check in at a minute drawn in checkIn, the scan of who met them
// travelling with it, so that the first routing decision knows (M4); the
// meeting is recorded at a minute drawn in meet. It logs the counts.
func (d *Drive) Attend(checkIn, meet [2]time.Time, came func(id string) (bool, string)) ActionFunc {
	return func(ctx context.Context, at time.Time) error {
		d.init()
		var n, met int
		for _, id := range slices.Sorted(maps.Keys(d.registered)) {
			ok, metBy := came(id)
			if !ok {
				continue
			}
			n++
			ev := lead.Event{Kind: lead.EventResponse, Lead: id, At: Between(d.R, checkIn[0], checkIn[1]), Campaign: d.Campaign,
				Response: lead.ResponseAttended, Actor: "event-app", MetBy: metBy}
			if err := d.Sim.Handle(ctx, ev); err != nil {
				return err
			}
			if metBy != "" {
				met++
				if err := d.respond(ctx, Between(d.R, meet[0], meet[1]), id, lead.ResponseMet, metBy); err != nil {
					return err
				}
			}
		}
		d.Log.Addf(at, "%s: attendance uploaded: %d of %d registered came, %d met a field rep; every attendee routed to field (M3, M4)",
			d.Campaign, n, len(d.registered), met)
		return nil
	}
}
