package sim

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
)

// Route is where a lead's routing decisions in one campaign left it: a
// line of "who got each lead, and why".
type Route struct {
	Lead lead.Lead
	// Decisions are the lead's routing decisions ([leadline.Engine.Explain])
	// that belong to the campaign: those its responses to it caused and,
	// for the campaign the lead came from, those no response caused (a
	// hand-off, M10). Rules are their rule ids, each once, in order.
	Decisions []leadline.Decision
	Rules     []string
	// Dest is who has the lead: its field owner, "rep (inside)", or where
	// the last decision sent it ("nurture").
	Dest string
	// Story is what the lead did in the campaign (invited by, registered,
	// attended, met, watched the replay) and why it is where it is.
	Story string
	// CarDealer marks a lead a field rep invited, who came and met that
	// same rep (M4).
	CarDealer bool
}

// Routes returns the route in campaign of every lead that responded to it
// and that a routing decision of the campaign touched, by lead id, and how
// many responded with no such decision. home says which campaign a lead
// came from; field is the field team.
func (s *Sim) Routes(ctx context.Context, campaign string, field *routing.Team, home func(id string) string) ([]Route, int, error) {
	leads, err := s.eng.Leads(ctx, Ops, leadline.Query{Campaign: campaign})
	if err != nil {
		return nil, 0, err
	}
	var out []Route
	unrouted := 0
	for _, l := range leads {
		ds, err := s.eng.Explain(ctx, Ops, l.ID)
		if err != nil {
			return nil, 0, err
		}
		r := Route{Lead: l}
		for _, d := range ds {
			ev, ok := s.Event(d.Event)
			resp := ok && ev.Kind == lead.EventResponse
			if d.Field == lead.FieldRoute && (resp && ev.Campaign == campaign || !resp && home(l.ID) == campaign) {
				r.Decisions = append(r.Decisions, d)
				for _, id := range d.Rules {
					if !slices.Contains(r.Rules, id) {
						r.Rules = append(r.Rules, id)
					}
				}
			}
		}
		if len(r.Decisions) == 0 {
			unrouted++
			continue
		}
		r.CarDealer = InvitedAndMet(&l, campaign, field)
		r.Dest, r.Story = s.story(&l, campaign, r.Decisions[len(r.Decisions)-1])
		out = append(out, r)
	}
	return out, unrouted, nil
}

// InvitedAndMet reports whether a field rep invited l to campaign, l came,
// and met that same rep there: the car dealer's customer, whom that rep
// follows up (M4).
func InvitedAndMet(l *lead.Lead, campaign string, field *routing.Team) bool {
	return has(l, campaign, lead.ResponseAttended, "") && slices.ContainsFunc(l.Responses, func(inv lead.Touch) bool {
		return inv.Campaign == campaign && inv.Kind == lead.ResponseInvited && field.Has(inv.By) && has(l, campaign, lead.ResponseMet, inv.By)
	})
}

// has reports whether l has a response to campaign of kind (any if zero)
// by by (anyone if "").
func has(l *lead.Lead, campaign string, kind lead.ResponseKind, by string) bool {
	return slices.ContainsFunc(l.Responses, func(t lead.Touch) bool {
		return t.Campaign == campaign && (kind == 0 || t.Kind == kind) && (by == "" || t.By == by)
	})
}

// story says where l is and tells its story in campaign, from the
// engine's state: its responses, desk, owner, request and hand-off.
func (s *Sim) story(l *lead.Lead, campaign string, last leadline.Decision) (dest, story string) {
	var steps []string
	for _, t := range l.Responses {
		switch {
		case t.Campaign != campaign || t.Kind == lead.ResponseListed:
		case t.Kind == lead.ResponseInvited:
			steps = append(steps, "invited by "+t.By)
		case t.Kind == lead.ResponseMet:
			steps = append(steps, "met "+t.By)
		case t.Kind == lead.ResponseVisited:
			steps = append(steps, "watched the replay")
		case t.Kind == lead.ResponseAttended:
			steps = append(steps, "attended")
			if t.By != "" && !has(l, campaign, lead.ResponseInvited, "") {
				steps = append(steps, "invited by "+t.By)
			}
		default:
			steps = append(steps, t.Kind.String())
		}
	}
	if has(l, campaign, lead.ResponseRegistered, "") && !has(l, campaign, lead.ResponseAttended, "") {
		steps = append(steps, "did not come")
	}
	note := ""
	switch {
	case l.Desk == lead.DeskField:
		dest = l.Owner
		switch ev, _ := s.Event(last.Event); {
		case last.From == "field" && last.To == "field" && ev.Campaign == campaign && !has(l, campaign, lead.ResponseMet, ""):
			note = "already with " + l.Owner + ": told, inside not asked"
		case l.Handoff != lead.HandoffNone && l.HandedBy != "":
			note = fmt.Sprintf("Pre-SQL from %s, %v", l.HandedBy, l.Handoff)
		case l.AccountOwned:
			note = "account owner"
		case last.Rules[0] == "M1":
			note = "MQL, direct model"
		case !has(l, campaign, 0, l.Owner):
			note = "no rep known: field assignment (M9)"
		}
	case l.Handoff == lead.HandoffRejected:
		dest, note = l.Owner+" (inside)", fmt.Sprintf("Pre-SQL to %s rejected, back to %s", l.HandedTo, l.Owner)
	case last.To == "inside":
		cadence := "cadence at " + l.Track.Stage.Key()
		if l.Track.Stage.Key() == "connected" {
			cadence = "contacted (T6)"
		}
		dest, note = l.Owner+" (inside)", fmt.Sprintf("MQL: approach request P%d (%s), %s", l.Request.Priority, strings.Join(l.Request.Reasons.List(), ", "), cadence)
	default:
		dest = last.To
		if last.To == "nurture" {
			note = "below the threshold"
		}
	}
	if story = strings.Join(steps, ", "); note != "" {
		story += "; " + note
	}
	return dest, story
}

// Routed says where the last routing decision of lead id sent it: "to field
// sales (M4)", "nurtured (M1)", "to inside sales as approach requests P2
// (M1)", "stayed with its field rep (M4)", or "not routed".
func (s *Sim) Routed(ctx context.Context, id string) (string, error) {
	l, err := s.eng.Lead(ctx, Ops, id)
	if err != nil {
		return "", err
	}
	ds, err := s.eng.Explain(ctx, Ops, id)
	if err != nil {
		return "", err
	}
	for _, d := range slices.Backward(ds) {
		if d.Field != lead.FieldRoute {
			continue
		}
		switch {
		case d.Rules[0] == "M4" && d.From == "field" && d.To == "field":
			return "stayed with its field rep (M4)", nil
		case d.To == "field":
			return "to field sales (" + d.Rules[0] + ")", nil
		case d.To == "inside" && l.Request.Outstanding():
			return fmt.Sprintf("to inside sales as approach requests P%d (%s)", l.Request.Priority, l.Request.Reasons.First()), nil
		case d.To == "nurture":
			return "nurtured (" + d.Rules[0] + ")", nil
		}
		return d.To + " (" + d.Rules[0] + ")", nil
	}
	return "not routed", nil
}
