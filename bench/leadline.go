package bench

import (
	"fmt"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// leadline through its public, policy-driven API, as the engine calls it:
// a normalized stage.Policy for W1, routing.Rules normalized once for W2,
// normalized routing.Triggers for W3.

// llLead is one lead's W1 state in leadline: its status and its cadence.
type llLead struct {
	Status lead.Status
	Track  stage.Track
}

// llCadence runs W1 on the default cadence policy (T1-T7: 48h, 48h,
// 48h, 4 days, recycle after 4 days, wall clock).
type llCadence struct {
	policy stage.Policy
	// at are the instants of W1's steps: the approach request (Begin),
	// the four attempts, each in time, and a sweep after Stage4's wait.
	at [6]time.Time
}

func newLLCadence() *llCadence {
	t0 := time.Date(2025, 4, 7, 9, 0, 0, 0, time.FixedZone("JST", 9*60*60))
	c := &llCadence{policy: stage.DefaultPolicy()}
	for i, h := range [6]int{0, 1, 25, 49, 73, 73 + 96 + 1} {
		c.at[i] = t0.Add(time.Duration(h) * time.Hour)
	}
	return c
}

// run takes a fresh lead through W1: Begin (Untouched), four Attempts
// (Stage1..Stage4), Expire after the T7 wait (exhausted, Recycle), and
// the automatic status change to Recycled (S3, S4).
func (c *llCadence) run(l *llLead) error {
	p := &c.policy
	if err := p.Begin(&l.Track, c.at[0]); err != nil {
		return err
	}
	for i := 1; i <= 4; i++ {
		if _, err := p.Attempt(&l.Track, c.at[i]); err != nil {
			return err
		}
	}
	if !p.Expire(&l.Track, c.at[5]).Has(stage.Recycle) {
		return fmt.Errorf("bench: leadline: expire at %v: no recycle", l.Track.Stage)
	}
	if err := lead.AutoTransition(l.Status, lead.StatusRecycled); err != nil {
		return err
	}
	l.Status = lead.StatusRecycled
	return nil
}

// atStage2 returns a lead whose cadence stands at Stage2, for W1-invalid.
func (c *llCadence) atStage2() llLead {
	l := llLead{Status: lead.StatusLead}
	p := &c.policy
	if err := p.Begin(&l.Track, c.at[0]); err != nil {
		panic(err)
	}
	for i := 1; i <= 2; i++ {
		if _, err := p.Attempt(&l.Track, c.at[i]); err != nil {
			panic(err)
		}
	}
	return l
}

// exhaustEarly is W1-invalid in leadline. leadline has no "exhaust" event:
// a cadence ends exhausted only when Expire finds Stage4's wait over
// (T7). Asked to exhaust a lead at Stage2, before its Stage2 deadline,
// Expire refuses by reporting no effects and leaves the track unchanged.
func (c *llCadence) exhaustEarly(l *llLead) stage.Effects {
	return c.policy.Expire(&l.Track, c.at[2].Add(time.Hour))
}

// llState names where l stands, in the hand-written implementation's
// words.
func llState(l *llLead) string {
	if l.Track.End == stage.EndExhausted {
		return "Exhausted"
	}
	return l.Track.Stage.String()
}

// llStatus maps a leadline status to the workloads' by key.
func llStatus(s lead.Status) Status {
	for i, k := range statusKeys {
		if k == s.Key() {
			return Status(i)
		}
	}
	panic(fmt.Sprintf("bench: leadline status %v has no key here", s))
}

// llRouteInput is one W2 input in leadline's types.
type llRouteInput struct {
	Lead     lead.Lead
	Campaign routing.Campaign
	Resp     routing.Response
}

// llRouter is W2: rules routing only Lead (the "status != Lead -> none"
// of W2), otherwise the defaults: inside-first, M3's engagement table,
// threshold 100, web inquiries to inside sales.
type llRouter struct {
	rules routing.Rules
	in    []llRouteInput
}

func newLLRouter(ins []Input) *llRouter {
	r := &llRouter{
		rules: routing.Rules{Statuses: lead.StatusSetOf(lead.StatusLead)}.Normalize(routing.DefaultTriggers().Threshold),
		in:    make([]llRouteInput, len(ins)),
	}
	for i, in := range ins {
		st, err := lead.ParseStatus(in.Status.Key())
		if err != nil {
			panic(err)
		}
		x := &r.in[i]
		x.Lead = lead.Lead{ID: fmt.Sprintf("L-%d", i), Status: st, Score: in.Score}
		x.Campaign = routing.Campaign{ID: "C-1", Type: routing.CampaignType(in.Type)}
		if in.Invited {
			x.Resp.InvitedBy = "field-rep-1"
		}
		if in.Met {
			x.Resp.MetBy = "field-rep-2"
		}
	}
	return r
}

func (r *llRouter) route(i int) routing.Decision {
	x := &r.in[i]
	return r.rules.Route(&x.Lead, &x.Campaign, &x.Resp)
}

func llDest(d routing.Decision) Dest {
	switch d.To {
	case routing.Inside:
		return DestInside
	case routing.Field:
		return DestField
	case routing.Nurture:
		return DestNurture
	}
	return DestNone
}

// llTriggerInput is one W3 input in leadline's types.
type llTriggerInput struct {
	Kind  lead.EventKind
	Score decimal.Decimal
}

// llTrigger is W3: the default triggers (A1-A3), normalized once.
type llTrigger struct {
	triggers routing.Triggers
	in       []llTriggerInput
}

func newLLTrigger(ins []Input) *llTrigger {
	t := &llTrigger{triggers: routing.DefaultTriggers().Normalize(), in: make([]llTriggerInput, len(ins))}
	for i, in := range ins {
		var k lead.EventKind // page_view: leadline has no such event kind, so no row matches
		switch in.Activity {
		case ActInquiry:
			k = lead.EventInquiry
		case ActDownload:
			k = lead.EventDownload
		}
		t.in[i] = llTriggerInput{Kind: k, Score: in.Score}
	}
	return t
}

func (t *llTrigger) match(i int) (*routing.Trigger, bool) {
	x := &t.in[i]
	return t.triggers.Match(x.Kind, x.Score)
}

func llTrig(r *routing.Trigger, ok bool) Trig {
	if !ok {
		return Trig{}
	}
	return Trig{r.Priority, r.Rule}
}
