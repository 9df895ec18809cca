package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
)

// report writes what happened, read back from the engine.
type report struct {
	s *world
	*sim.Printer
}

// report prints the week: the set-up, the log, who got each lead and why,
// what a field rep may see, the feedback sheet and the credits.
func (s *world) report(ctx context.Context, w io.Writer) error {
	r := &report{s: s, Printer: &sim.Printer{W: w}}
	for _, section := range []func(context.Context) error{r.header, r.week, r.routes, r.handoffs, r.visibility, r.feedback, r.credits} {
		if err := section(ctx); err != nil {
			return err
		}
		if err := r.Err(); err != nil {
			return err
		}
	}
	return nil
}

// when formats an instant for the report, in the company's zone.
func (s *world) when(t time.Time) string { return t.In(s.loc).Format("Mon 01-02 15:04") }

func (r *report) header(ctx context.Context) error {
	s := r.s
	pol := s.eng.Policy().Routing
	r.Printf("leadline event routing: the week of %s, %d leads, seed %d\n",
		s.start.Format("Mon 2006-01-02 15:04 MST"), s.opts.leads, s.opts.seed)
	summary := "off"
	if pol.FieldSummary {
		summary = "on: field reps see a summary of every campaign response"
	}
	r.Printf("organisation: %v (M1); M2 switch %s; a hand-off needs %v known (M10)\n", pol.Organisation, summary, pol.Handoff)
	r.Printf("  inside  manager %s: %s\n", s.org.Inside.Manager, strings.Join(insideReps, ", "))
	r.Printf("  field   manager %s: %s (%s keep their feedback in a spreadsheet, M5)\n",
		s.org.Field.Manager, strings.Join(fieldReps, ", "), strings.Join(sheetReps, " and "))
	r.Printf("campaigns, each with the follow-up model agreed at kickoff (M7) and engagement by type (M3):\n")
	for _, id := range []string{confID, webID, ocsID} {
		c, err := s.eng.Campaign(ctx, id)
		if err != nil {
			return err
		}
		agreed := c.Model
		if len(c.Changes) > 0 {
			agreed = c.Changes[0].From
		}
		r.Printf("  %-10s  %-19s  %-4v  %-12v  starts %s", c.ID, c.Type, pol.Engagement(&c), agreed, s.when(c.Start))
		if t := c.Targets; t != (routing.Targets{}) {
			r.Printf("  inside targets: %d registrations, %d attendance (M6)", t.Registrations, t.Attendance)
		}
		for _, ch := range c.Changes {
			r.Printf("  changed to %v on %s by %s (M7)", ch.To, s.when(ch.At), ch.By)
		}
		r.Printf("\n              %s\n", c.Name)
	}
	return nil
}

func (r *report) week(context.Context) error {
	s := r.s
	r.Printf("\nthe week\n")
	for _, l := range s.log.Sorted() {
		r.Printf("  %s  %s\n", s.when(l.At), l.Text)
	}
	r.Printf("  inside reps worked their approach requests: %d calls, %d contacts (T6); deadlines fired: %d\n",
		s.worked["attempts"], s.worked["contacts"], len(s.Fired()))
	kinds := map[leadline.NotificationKind]map[string]int{}
	for _, n := range s.Notifications() {
		if kinds[n.Kind] == nil {
			kinds[n.Kind] = map[string]int{}
		}
		kinds[n.Kind][s.team(n.To)]++
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		parts = append(parts, fmt.Sprintf("%v %s", k, sim.Count(kinds[k]).List("inside", "field", "other")))
	}
	r.Printf("  notifications delivered, by kind and team: %s\n", strings.Join(parts, "; "))
	return nil
}

// team names the team of rep: "inside", "field" or "other".
func (s *world) team(rep string) string {
	switch {
	case s.org.Inside.Has(rep):
		return "inside"
	case s.org.Field.Has(rep):
		return "field"
	}
	return "other"
}

// routes prints, campaign by campaign, every lead a routing decision
// touched: who has it and why, the why being the rule ids of its routing
// history (the Rule of each route entry, then those its Reason cites).
func (r *report) routes(ctx context.Context) error {
	s := r.s
	r.Printf("\nwho got each lead, and why (rule ids from each lead's routing history)\n")
	var dealer string
	dealers, dealersHome, dealersInside := 0, 0, 0
	for _, cid := range []string{confID, webID, ocsID} {
		c, err := s.eng.Campaign(ctx, cid)
		if err != nil {
			return err
		}
		r.Printf("%s  %s\n", c.ID, c.Name)
		var unrouted, toField, toInside, nurtured int
		for _, id := range s.ids {
			l, err := s.eng.Lead(ctx, sim.Ops, id)
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(l.Responses, func(t lead.Touch) bool { return t.Campaign == cid }) {
				continue
			}
			h, err := s.eng.History(ctx, sim.Ops, id)
			if err != nil {
				return err
			}
			routes := s.routesFor(h, s.people[id], cid)
			if len(routes) == 0 {
				unrouted++
				continue
			}
			var rules []string
			for _, c := range routes {
				rules = appendNew(rules, c.Rule)
			}
			for _, c := range routes {
				rules = appendNew(rules, sim.RuleIDs(c.Reason)...)
			}
			dest, story := s.explain(&l, cid, routes[len(routes)-1])
			switch {
			case l.Desk == lead.DeskField:
				toField++
			case routes[len(routes)-1].To == "inside":
				toInside++
			case routes[len(routes)-1].To == "nurture":
				nurtured++
			}
			if isCarDealer(&l, cid, &s.org.Field) {
				story += "  <- the car dealer: never inside sales"
				dealers++
				if l.Desk == lead.DeskField && slices.ContainsFunc(l.Responses, func(t lead.Touch) bool {
					return t.Campaign == cid && t.Kind == lead.ResponseInvited && t.By == l.Owner
				}) {
					dealersHome++
				}
				if l.Desk == lead.DeskInside || l.Request.Seq > 0 {
					dealersInside++
				}
				if dealer == "" {
					dealer = id
				}
			}
			r.Printf("  %s  %-44s %4s  -> %-17s %-12s %s\n", id, l.Name+" ("+l.Company+")", l.Score.StringFixed(0),
				dest, strings.Join(rules, " "), story)
		}
		r.Printf("  -- %d with field sales, %d with inside sales, %d nurtured", toField, toInside, nurtured)
		if unrouted > 0 {
			r.Printf("; %d not routed (listed, invited or registered only: the event decides, M6)", unrouted)
		}
		r.Printf("\n")
		if dealers > 0 {
			r.Printf("  -- %d car dealers: %d with the field rep who invited them, %d ever with inside sales or given an approach request\n",
				dealers, dealersHome, dealersInside)
			dealers = 0
		}
	}
	if dealer == "" {
		r.Printf("\nno car dealer this run\n")
		return nil
	}
	r.Printf("\nthe car dealer's customer: a person a field rep invited, who came and met that rep,\n"+
		"is followed up by that rep and never called by inside sales (M4). Why did %s go where it did?\n", dealer)
	h, err := s.eng.History(ctx, sim.Ops, dealer)
	if err != nil {
		return err
	}
	for _, c := range h {
		r.Printf("  %s  %-8v %s -> %s by %s", s.when(c.At), c.Field, orDash(c.From), orDash(c.To), c.Actor)
		switch {
		case c.Rule != "":
			r.Printf(": %s %s", c.Rule, c.Reason)
		case c.Reason != "":
			r.Printf(": %s", c.Reason)
		}
		r.Printf("\n")
	}
	return nil
}

// routesFor returns the route entries of h that belong to campaign: those
// caused by its response events, and for the lead's home campaign those
// of its hand-offs (M10).
func (s *world) routesFor(h []lead.Change, p *prospect, campaign string) []lead.Change {
	var out []lead.Change
	for _, c := range h {
		if c.Field != lead.FieldRoute {
			continue
		}
		if cc, ok := s.evCampaign[c.Event]; ok && cc == campaign || !ok && p.home == campaign {
			out = append(out, c)
		}
	}
	return out
}

// explain says where l is and tells its story in campaign, from the
// engine's state: its responses, desk, owner, request and hand-off.
func (s *world) explain(l *lead.Lead, campaign string, last lead.Change) (dest, story string) {
	var steps []string
	came := false
	for _, t := range l.Responses {
		if t.Campaign != campaign {
			continue
		}
		switch t.Kind {
		case lead.ResponseListed:
		case lead.ResponseInvited:
			steps = append(steps, "invited by "+t.By)
		case lead.ResponseMet:
			steps = append(steps, "met "+t.By)
		case lead.ResponseVisited:
			steps = append(steps, "watched the replay")
		case lead.ResponseAttended:
			came = true
			steps = append(steps, "attended")
			if t.By != "" && !slices.ContainsFunc(l.Responses, func(u lead.Touch) bool { return u.Campaign == campaign && u.Kind == lead.ResponseInvited }) {
				steps = append(steps, "invited by "+t.By)
			}
		default:
			steps = append(steps, t.Kind.String())
		}
	}
	if campaign == confID && !came {
		steps = append(steps, "did not come")
	}
	story = strings.Join(steps, ", ")
	note := ""
	switch {
	case l.Desk == lead.DeskField:
		dest = l.Owner
		switch {
		case last.From == "field" && last.To == "field" && s.evCampaign[last.Event] == campaign && !slices.ContainsFunc(l.Responses, func(t lead.Touch) bool {
			return t.Campaign == campaign && t.Kind == lead.ResponseMet
		}):
			note = "already with " + l.Owner + ": told, inside not asked"
		case l.Handoff != lead.HandoffNone && l.HandedBy != "":
			note = fmt.Sprintf("Pre-SQL from %s, %v", l.HandedBy, l.Handoff)
		case l.AccountOwned:
			note = "account owner"
		case last.Rule == "M1":
			note = "MQL, direct model"
		case !slices.ContainsFunc(l.Responses, func(t lead.Touch) bool { return t.Campaign == campaign && t.By == l.Owner }):
			note = "no rep known: field assignment (M9)"
		}
	case l.Handoff == lead.HandoffRejected:
		dest = l.Owner + " (inside)"
		note = fmt.Sprintf("Pre-SQL to %s rejected, back to %s", l.HandedTo, l.Owner)
	case last.To == "inside":
		dest = l.Owner + " (inside)"
		note = fmt.Sprintf("MQL: approach request P%d (%s), %s", l.Request.Priority, strings.Join(l.Request.Reasons.List(), ", "), cadence(l))
	default:
		dest = last.To
		if last.To == "nurture" {
			note = "below the threshold"
		}
	}
	if note != "" {
		story += "; " + note
	}
	return dest, story
}

// cadence says how far inside sales got with a lead's cadence.
func cadence(l *lead.Lead) string {
	if l.Track.Stage == stage.Connected {
		return "contacted (T6)"
	}
	return "cadence at " + l.Track.Stage.Key()
}

// isCarDealer reports whether a field rep invited l to campaign, l came,
// and met that same rep there: the car dealer's customer (M4).
func isCarDealer(l *lead.Lead, campaign string, field *routing.Team) bool {
	invited, met := map[string]bool{}, map[string]bool{}
	came := false
	for _, t := range l.Responses {
		if t.Campaign != campaign {
			continue
		}
		switch t.Kind {
		case lead.ResponseInvited:
			invited[t.By] = field.Has(t.By)
		case lead.ResponseMet:
			met[t.By] = field.Has(t.By)
		case lead.ResponseAttended:
			came = true
		}
	}
	for rep := range invited {
		if invited[rep] && met[rep] && came {
			return true
		}
	}
	return false
}

// appendNew appends the elements of vs that are not in ss yet.
func appendNew(ss []string, vs ...string) []string {
	for _, v := range vs {
		if v != "" && !slices.Contains(ss, v) {
			ss = append(ss, v)
		}
	}
	return ss
}

func (r *report) handoffs(context.Context) error {
	s := r.s
	r.Printf("\nhand-offs from inside to field sales (M10: BANT first, then field accepts or rejects with a reason)\n")
	if len(s.handoffs) == 0 {
		r.Printf("  none this run\n")
	}
	for _, h := range s.handoffs {
		r.Printf("  %s  %s -> %s: ", h.lead, h.by, h.to)
		if fe, ok := errors.AsType[*leadline.FieldError](h.refused); ok {
			r.Printf("first refused, %s: %v; then ", fe.Field, fe.Err)
		}
		r.Printf("Pre-SQL, %s\n", orDash(h.answer))
	}
	return nil
}

// visibility shows M2 from a field rep's side: a lead that is not theirs
// does not exist for them, whatever its id, and with the switch on they
// see its campaign responses and nothing else.
func (r *report) visibility(ctx context.Context) error {
	s := r.s
	const rep = "fs-ikeda"
	v := routing.Viewer{Rep: rep, Team: s.org.Field.ID, Role: routing.RoleField}
	r.Printf("\nwhat a field rep may see (M2, inside-first, switch on), as %s\n", rep)
	mine, err := s.eng.Leads(ctx, v, leadline.Query{})
	if err != nil {
		return err
	}
	var ids []string
	for _, l := range mine {
		ids = append(ids, l.ID)
	}
	r.Printf("  Leads: %d, every one on the field desk with %s: %s\n", len(mine), rep, strings.Join(ids, " "))
	all, err := s.eng.Leads(ctx, sim.Ops, leadline.Query{Campaign: webID})
	if err != nil {
		return err
	}
	var target string
	for _, l := range all {
		if l.Desk == lead.DeskInside && l.Request.Seq > 0 {
			target = l.ID
			break
		}
	}
	if target == "" {
		r.Printf("  no inside lead to ask for this run\n")
		return nil
	}
	for _, id := range []string{target, "L-9999"} {
		_, err := s.eng.Lead(ctx, v, id)
		r.Printf("  Lead(%q): %v (errors.Is ErrNotFound: %t)\n", id, err, errors.Is(err, leadline.ErrNotFound))
	}
	_, err = s.eng.History(ctx, v, target)
	r.Printf("  History(%q): %v\n", target, err)
	sum, err := s.eng.Summary(ctx, v, target)
	if err != nil {
		return err
	}
	var rs []string
	for _, t := range sum.Responses {
		rs = append(rs, fmt.Sprintf("%s %v %s", t.Campaign, t.Response, s.when(t.At)))
	}
	r.Printf("  Summary(%q): %s (campaign, response, date: no name, company, score or owner)\n", target, strings.Join(rs, "; "))
	return nil
}

func (r *report) feedback(ctx context.Context) error {
	s := r.s
	r.Printf("\nfield feedback (M5)\n")
	r.Printf("  recorded in the CRM (feedback events): %s\n", sim.Count(s.feedbackBy).List(fieldReps...))
	for _, st := range s.sheets {
		r.Printf("  %s's spreadsheet: exported %d rows (ExportFeedback as %s)\n", st.rep, st.exported, st.rep)
		if st.bad != "" {
			r.Printf("    first import refused, nothing applied:\n")
			if ie, ok := errors.AsType[*routing.ImportError](st.badErr); ok {
				for _, fe := range ie.Errs {
					r.Printf("      line %d: %s: %v\n", fe.Line, fe.Field, fe.Err)
				}
			}
			r.Printf("    leads whose version or history the refused sheet changed: %d of %d\n", st.before.Changed(st.after), len(st.before))
		}
		r.Printf("    imported: %d rows applied\n", st.applied)
	}
	v := routing.Viewer{Rep: fieldMgr, Team: s.org.Field.ID, Role: routing.RoleManager}
	r.Printf("  the field team's sheet, as %s exports it:\n", fieldMgr)
	var b strings.Builder
	if _, err := s.eng.ExportFeedback(ctx, v, &b, ""); err != nil {
		return err
	}
	r.Lines("    ", b.String())
	return nil
}

// credits prints each rep's part in the hybrid conference (M6).
func (r *report) credits(ctx context.Context) error {
	s := r.s
	credits, progress, err := s.eng.Credits(ctx, routing.Viewer{Rep: insideMgr, Role: routing.RoleManager}, confID)
	if err != nil {
		return err
	}
	slices.SortStableFunc(credits, func(a, b routing.Credit) int { return cmp.Compare(s.team(a.Rep), s.team(b.Rep)) })
	r.Printf("\ncredit per rep for %s (M6: inside drives registrations and attendance, field makes opportunities)\n", confID)
	r.Printf("  %-11s %-7s %13s %11s %9s %14s\n", "rep", "team", "registrations", "attendance", "Pre-SQLs", "opportunities")
	var total routing.Credit
	for _, c := range credits {
		rep, team := c.Rep, s.team(c.Rep)
		if rep == "" {
			rep, team = "marketing", "-"
		}
		r.Printf("  %-11s %-7s %13d %11d %9d %14d\n", rep, team, c.Registrations, c.Attendance, c.PreSQLs, c.Opportunities)
		total.Registrations += c.Registrations
		total.Attendance += c.Attendance
		total.PreSQLs += c.PreSQLs
		total.Opportunities += c.Opportunities
	}
	r.Printf("  %-11s %-7s %13d %11d %9d %14d\n", "total", "", total.Registrations, total.Attendance, total.PreSQLs, total.Opportunities)
	// Feedback that confirms an opportunity continues through the hand-off
	// (M5) and leaves the lead Accepted with no inside rep behind it; the
	// library credits such a lead with a Pre-SQL to nobody, the marketing
	// row. Say so rather than let the row read as marketing's work.
	leads, err := s.eng.Leads(ctx, sim.Ops, leadline.Query{Campaign: confID})
	if err != nil {
		return err
	}
	orphan := 0
	for _, l := range leads {
		if l.Handoff != lead.HandoffNone && l.HandedBy == "" && slices.ContainsFunc(l.Responses, func(t lead.Touch) bool {
			return t.Campaign == confID && t.Kind != lead.ResponseListed
		}) {
			orphan++
		}
	}
	if orphan > 0 {
		r.Printf("  (marketing's %d Pre-SQLs are opportunities field confirmed in its feedback (M5), which no inside rep handed off)\n", orphan)
	}
	reached := "not reached"
	if progress.Reached() {
		reached = "reached"
	}
	r.Printf("  inside sales against its targets: registrations %d of %d, attendance %d of %d: %s\n",
		progress.Registrations, progress.Targets.Registrations, progress.Attendance, progress.Targets.Attendance, reached)
	return nil
}

// countRoute counts lead id under where it was routed.
func (s *world) countRoute(ctx context.Context, c sim.Count, id string) error {
	k, err := s.routed(ctx, id)
	c[k]++
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
