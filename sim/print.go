package sim

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
)

// The Print methods write the parts of a simulation's report that any
// routing story tells, as the examples print them; times are in the
// simulation's zone, "Mon 01-02 15:04".

func (s *Sim) when(t time.Time) string { return t.In(s.cfg.Zone).Format("Mon 01-02 15:04") }

// PrintCampaigns lists the campaigns with ids: type, engagement (M3), the
// follow-up model agreed at kickoff, start, inside targets (M6), later
// model changes (M7) and name.
func (s *Sim) PrintCampaigns(ctx context.Context, p *Printer, ids ...string) error {
	pol := s.eng.Policy().Routing
	for _, id := range ids {
		c, err := s.eng.Campaign(ctx, id)
		if err != nil {
			return err
		}
		agreed := c.Model
		if len(c.Changes) > 0 {
			agreed = c.Changes[0].From
		}
		p.Printf("  %-10s  %-19s  %-4v  %-12v  starts %s", c.ID, c.Type, pol.Engagement(&c), agreed, s.when(c.Start))
		if t := c.Targets; t != (routing.Targets{}) {
			p.Printf("  inside targets: %d registrations, %d attendance (M6)", t.Registrations, t.Attendance)
		}
		for _, ch := range c.Changes {
			p.Printf("  changed to %v on %s by %s (M7)", ch.To, s.when(ch.At), ch.By)
		}
		p.Printf("\n              %s\n", c.Name)
	}
	return nil
}

// PrintAccess shows M2 from viewer v's side: the leads v may read, then
// what v gets for foreign, a lead that is not theirs, and for an unknown
// id: the same not-found from Lead, and from Explain; and, with the
// policy's FieldSummary switch on, foreign's campaign responses and
// nothing else.
func (s *Sim) PrintAccess(ctx context.Context, p *Printer, v routing.Viewer, foreign string) error {
	mine, err := s.eng.Leads(ctx, v, leadline.Query{})
	if err != nil {
		return err
	}
	var ids []string
	for _, l := range mine {
		ids = append(ids, l.ID)
	}
	p.Printf("  Leads: %d, every one on the field desk with %s: %s\n", len(mine), v.Rep, strings.Join(ids, " "))
	for _, id := range []string{foreign, "L-9999"} {
		_, err := s.eng.Lead(ctx, v, id)
		p.Printf("  Lead(%q): %v (errors.Is ErrNotFound: %t)\n", id, err, errors.Is(err, leadline.ErrNotFound))
	}
	_, err = s.eng.Explain(ctx, v, foreign)
	p.Printf("  Explain(%q): %v\n", foreign, err)
	sum, err := s.eng.Summary(ctx, v, foreign)
	if err != nil {
		return err
	}
	var rs []string
	for _, t := range sum.Responses {
		rs = append(rs, fmt.Sprintf("%s %v %s", t.Campaign, t.Response, s.when(t.At)))
	}
	p.Printf("  Summary(%q): %s (campaign, response, date: no name, company, score or owner)\n", foreign, strings.Join(rs, "; "))
	return nil
}

// PrintCredits prints each rep's part in campaign as v reads it (M6):
// registrations, attendance, Pre-SQLs and opportunities by rep, grouped by
// team (team names a rep's team), marketing's row for what nobody drove,
// the total, and inside sales' progress against its targets.
func (s *Sim) PrintCredits(ctx context.Context, p *Printer, v routing.Viewer, campaign string, team func(rep string) string) error {
	credits, progress, err := s.eng.Credits(ctx, v, campaign)
	if err != nil {
		return err
	}
	slices.SortStableFunc(credits, func(a, b routing.Credit) int { return cmp.Compare(team(a.Rep), team(b.Rep)) })
	row := "  %-11s %-7s %13v %11v %9v %14v\n"
	p.Printf(row, "rep", "team", "registrations", "attendance", "Pre-SQLs", "opportunities")
	var total routing.Credit
	for _, c := range credits {
		rep, t := c.Rep, team(c.Rep)
		if rep == "" {
			rep, t = "marketing", "-"
		}
		p.Printf(row, rep, t, c.Registrations, c.Attendance, c.PreSQLs, c.Opportunities)
		total.Registrations, total.Attendance = total.Registrations+c.Registrations, total.Attendance+c.Attendance
		total.PreSQLs, total.Opportunities = total.PreSQLs+c.PreSQLs, total.Opportunities+c.Opportunities
	}
	p.Printf(row, "total", "", total.Registrations, total.Attendance, total.PreSQLs, total.Opportunities)
	// Feedback that confirms an opportunity continues through the hand-off
	// (M5) with no inside rep behind it: no Pre-SQL is credited for it, to
	// anyone (Credits). Say so.
	leads, err := s.eng.Leads(ctx, Ops, leadline.Query{Campaign: campaign})
	if err != nil {
		return err
	}
	orphan := 0
	for _, l := range leads {
		if l.Handoff != lead.HandoffNone && l.HandedBy == "" && slices.ContainsFunc(l.Responses, func(t lead.Touch) bool {
			return t.Campaign == campaign && t.Kind != lead.ResponseListed
		}) {
			orphan++
		}
	}
	if orphan > 0 {
		p.Printf("  (%d opportunities field confirmed in its feedback (M5) carry no Pre-SQL: no inside rep handed them off)\n", orphan)
	}
	reached := map[bool]string{true: "reached", false: "not reached"}[progress.Reached()]
	p.Printf("  inside sales against its targets: registrations %d of %d, attendance %d of %d: %s\n",
		progress.Registrations, progress.Targets.Registrations, progress.Attendance, progress.Targets.Attendance, reached)
	return nil
}

// SheetTrip is one field rep's round trip through their feedback sheet
// (M5), as [Sim.SheetTrip] makes it.
type SheetTrip struct {
	Rep      string
	Exported int
	// Bad is a broken first try, if the rep made one, and BadErr what the
	// import said about it; Before and After are the snapshots around it.
	Bad           Sheet
	BadErr        error
	Before, After Snapshot
	Applied       int
}

// SheetTrip makes v's round trip: export the sheet, fill in each row with
// what fill returns (false leaves the row as it was), import it under
// importID plus "/2". With broken, a hurried first try ([Sheet.Broken]) is
// imported first, under importID plus "/1", around [Sim.Watch]; an error
// other than a *routing.ImportError for it is returned.
func (s *Sim) SheetTrip(ctx context.Context, v routing.Viewer, importID string, broken bool, fill func(id string) (lead.Feedback, bool)) (SheetTrip, error) {
	sh, err := s.ExportSheet(ctx, v, "")
	if err != nil {
		return SheetTrip{}, err
	}
	st := SheetTrip{Rep: v.Rep, Exported: len(sh.Rows)}
	for r := range sh.Rows {
		if f, ok := fill(sh.Cell(r, routing.ColLead)); ok {
			sh.Fill(r, f)
		}
	}
	if broken && len(sh.Rows) > 0 {
		st.Bad = sh.Broken()
		st.Before, st.After, err = s.Watch(ctx, func() { _, st.BadErr = s.Import(ctx, v, st.Bad, importID+"/1") })
		if _, ok := errors.AsType[*routing.ImportError](st.BadErr); err != nil || !ok {
			return st, fmt.Errorf("sim: broken sheet of %s imported: %v, want a *routing.ImportError (%v)", v.Rep, st.BadErr, err)
		}
	}
	if st.Applied, err = s.Import(ctx, v, sh, importID+"/2"); err != nil {
		return st, fmt.Errorf("sim: feedback sheet of %s: %w", v.Rep, err)
	}
	return st, nil
}

// Print writes the round trip: rows exported, every problem of a refused
// first try and how many leads it changed (none), rows applied.
func (st SheetTrip) Print(p *Printer) {
	p.Printf("  %s's spreadsheet: exported %d rows (ExportFeedback as %s)\n", st.Rep, st.Exported, st.Rep)
	if ie, ok := errors.AsType[*routing.ImportError](st.BadErr); ok {
		p.Printf("    first import refused, nothing applied:\n")
		for _, fe := range ie.Errs {
			p.Printf("      line %d: %s: %v\n", fe.Line, fe.Field, fe.Err)
		}
		p.Printf("    leads whose version or history the refused sheet changed: %d of %d\n", st.Before.Changed(st.After), len(st.Before))
	}
	p.Printf("    imported: %d rows applied\n", st.Applied)
}

// HandOff is one Pre-SQL an inside rep hands to field sales (M10), as
// [Sim.HandOff] makes it and [HandOff.Answer] answers it.
type HandOff struct {
	Lead, By, To string
	// Refused is a first try the engine refused for missing BANT, if any.
	Refused error
	// Answer is "accepted: an SQL", "rejected: <reason>", or "".
	Answer string
}

// HandOff records at at what rep by learnt of lead id (M10) and hands the
// lead to field rep to d later. An error is the engine's, as it is: a
// hand-off without the BANT minimum is refused with
// [leadline.ErrInvalidTransition].
func (s *Sim) HandOff(ctx context.Context, at time.Time, d time.Duration, id, by, to string, bant lead.BANT) error {
	if err := s.Handle(ctx, lead.Event{Kind: lead.EventBANT, Lead: id, At: at, Actor: by, BANT: bant}); err != nil {
		return err
	}
	return s.Handle(ctx, lead.Event{Kind: lead.EventHandoff, Lead: id, At: at.Add(d), Actor: by, To: to})
}

// Answer returns the action of the field rep accepting h, or rejecting it
// with reason back to inside sales as a Lead (M10).
func (s *Sim) Answer(h *HandOff, reason string) ActionFunc {
	return func(ctx context.Context, at time.Time) error {
		ev := lead.Event{Kind: lead.EventAccept, Lead: h.Lead, At: at, Actor: h.To}
		h.Answer = "accepted: an SQL"
		if reason != "" {
			ev.Kind, ev.Reason, ev.Status = lead.EventReject, reason, lead.StatusLead
			h.Answer = "rejected: " + reason
		}
		return s.Handle(ctx, ev)
	}
}

// Print writes the hand-off on one line: who handed what to whom, why a
// first try was refused, and the answer.
func (h *HandOff) Print(p *Printer) {
	p.Printf("  %s  %s -> %s: ", h.Lead, h.By, h.To)
	if fe, ok := errors.AsType[*leadline.FieldError](h.Refused); ok {
		p.Printf("first refused, %s: %v; then ", fe.Field, fe.Err)
	}
	p.Printf("Pre-SQL, %s\n", cmp.Or(h.Answer, "-"))
}

// PrintRoutes prints, campaign by campaign, every lead a routing decision
// touched ([Sim.Routes]): who has it, the rule ids of its decisions in the
// campaign and its story there, the car dealers marked (M4); and per
// campaign the leads with field sales, with inside sales, nurtured and not
// routed. It returns the first car dealer, "" if none.
func (s *Sim) PrintRoutes(ctx context.Context, p *Printer, field *routing.Team, home func(id string) string, campaigns ...string) (string, error) {
	var dealer string
	for _, cid := range campaigns {
		c, err := s.eng.Campaign(ctx, cid)
		if err != nil {
			return "", err
		}
		routes, unrouted, err := s.Routes(ctx, cid, field, home)
		if err != nil {
			return "", err
		}
		p.Printf("%s  %s\n", c.ID, c.Name)
		n := Count{}
		for _, r := range routes {
			l := &r.Lead
			switch last := r.Decisions[len(r.Decisions)-1]; {
			case l.Desk == lead.DeskField:
				n["field"]++
			case last.To == "inside" || last.To == "nurture":
				n[last.To]++
			}
			if r.CarDealer {
				r.Story += "  <- the car dealer: never inside sales"
				n["dealers"]++
				if l.Desk == lead.DeskField && has(l, cid, lead.ResponseInvited, l.Owner) {
					n["dealers home"]++
				}
				if l.Desk == lead.DeskInside || l.Request.Seq > 0 {
					n["dealers inside"]++
				}
				dealer = cmp.Or(dealer, l.ID)
			}
			p.Printf("  %s  %-44s %4s  -> %-17s %-12s %s\n", l.ID, l.Name+" ("+l.Company+")", l.Score.StringFixed(0), r.Dest, strings.Join(r.Rules, " "), r.Story)
		}
		p.Printf("  -- %d with field sales, %d with inside sales, %d nurtured", n["field"], n["inside"], n["nurture"])
		if unrouted > 0 {
			p.Printf("; %d not routed (listed, invited or registered only: the event decides, M6)", unrouted)
		}
		p.Printf("\n")
		if n["dealers"] > 0 {
			p.Printf("  -- %d car dealers: %d with the field rep who invited them, %d ever with inside sales or given an approach request\n",
				n["dealers"], n["dealers home"], n["dealers inside"])
		}
	}
	return dealer, nil
}

// Reps returns a roster entry for each of ids, with no absences and no
// capacity: a team's Reps.
func Reps(ids ...string) []routing.Rep {
	reps := make([]routing.Rep, len(ids))
	for i, id := range ids {
		reps[i].ID = id
	}
	return reps
}

// TeamOf returns what names the team of a person of org, as
// [routing.Team.Has] tells: "inside", "field", or "other" for anyone else.
func TeamOf(org *routing.Org) func(rep string) string {
	return func(rep string) string {
		switch {
		case org.Inside.Has(rep):
			return "inside"
		case org.Field.Has(rep):
			return "field"
		}
		return "other"
	}
}

// NotesByTeam sums up notes by kind, in kind order, and by the team of
// their recipients (team): "approach_request inside 23; handoff field 3".
func NotesByTeam(notes []leadline.Notification, team func(rep string) string) string {
	kinds := map[leadline.NotificationKind]Count{}
	for _, n := range notes {
		if kinds[n.Kind] == nil {
			kinds[n.Kind] = Count{}
		}
		kinds[n.Kind][team(n.To)]++
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		parts = append(parts, fmt.Sprintf("%v %s", k, kinds[k].List("inside", "field", "other")))
	}
	return strings.Join(parts, "; ")
}
