package main

import (
	"context"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
)

// report prints the week as the engine tells it.
func (s *world) report(ctx context.Context, w io.Writer) error {
	p := &sim.Printer{W: w}
	for _, section := range []func(context.Context, *sim.Printer) error{s.header, s.week, s.routes, s.handoffsSeen, s.visibility, s.feedback, s.credits} {
		if err := section(ctx, p); err != nil {
			return err
		}
	}
	return p.Err()
}

// when formats an instant in the company's zone.
func (s *world) when(t time.Time) string { return t.In(s.loc).Format("Mon 01-02 15:04") }

func (s *world) header(ctx context.Context, p *sim.Printer) error {
	pol := s.eng.Policy().Routing
	p.Printf("leadline event routing: the week of %s, %d leads, seed %d\n", s.start.Format("Mon 2006-01-02 15:04 MST"), s.opts.Leads, s.opts.Seed)
	p.Printf("organisation: %v (M1); M2 switch on: field reps see a summary of every campaign response; a hand-off needs %v known (M10)\n",
		pol.Organisation, pol.Handoff)
	p.Printf("  inside  manager %s: %s\n", insideMgr, strings.Join(insideReps, ", "))
	p.Printf("  field   manager %s: %s (%s keep their feedback in a spreadsheet, M5)\n", fieldMgr, strings.Join(fieldReps, ", "), strings.Join(sheetReps, " and "))
	p.Printf("campaigns, each with the follow-up model agreed at kickoff (M7) and engagement by type (M3):\n")
	return s.PrintCampaigns(ctx, p, confID, webID, ocsID)
}

func (s *world) week(_ context.Context, p *sim.Printer) error {
	p.Printf("\nthe week\n")
	for _, l := range s.log.Sorted() {
		p.Printf("  %s  %s\n", s.when(l.At), l.Text)
	}
	p.Printf("  inside reps worked their approach requests: %d calls, %d contacts (T6); deadlines fired: %d\n",
		s.calls.Calls, s.calls.Contacts, len(s.Fired()))
	p.Printf("  notifications delivered, by kind and team: %s\n", sim.NotesByTeam(s.Notifications(), sim.TeamOf(&s.org)))
	return nil
}

// routes prints who got each lead and why, then the car dealer's decisions.
func (s *world) routes(ctx context.Context, p *sim.Printer) error {
	p.Printf("\nwho got each lead, and why (rule ids from each lead's routing decisions, Engine.Explain)\n")
	dealer, err := s.PrintRoutes(ctx, p, &s.org.Field, func(id string) string { return s.people[id].home }, confID, webID, ocsID)
	if err != nil || dealer == "" {
		p.Printf("\nno car dealer this run\n")
		return err
	}
	p.Printf("\nthe car dealer's customer: a person a field rep invited, who came and met that rep,\n"+
		"is followed up by that rep and never called by inside sales (M4). Why did %s go where it did? (Engine.Explain)\n", dealer)
	ds, err := s.eng.Explain(ctx, sim.Ops, dealer)
	for _, d := range ds {
		p.Printf("  %s  %-12s %s\n", s.when(d.At), strings.Join(d.Rules, " "), d.Text)
	}
	return err
}

func (s *world) handoffsSeen(_ context.Context, p *sim.Printer) error {
	p.Printf("\nhand-offs from inside to field sales (M10: BANT first, then field accepts or rejects with a reason)\n")
	if len(s.handoffs) == 0 {
		p.Printf("  none this run\n")
	}
	for _, h := range s.handoffs {
		h.Print(p)
	}
	return nil
}

// visibility shows M2 as a field rep, asking for an inside webinar lead.
func (s *world) visibility(ctx context.Context, p *sim.Printer) error {
	const rep = "fs-ikeda"
	p.Printf("\nwhat a field rep may see (M2, inside-first, switch on), as %s\n", rep)
	all, err := s.eng.Leads(ctx, sim.Ops, leadline.Query{Campaign: webID})
	i := slices.IndexFunc(all, func(l lead.Lead) bool { return l.Desk == lead.DeskInside && l.Request.Seq > 0 })
	if err != nil || i < 0 {
		p.Printf("  no inside lead to ask for this run\n")
		return err
	}
	return s.PrintAccess(ctx, p, routing.Viewer{Rep: rep, Team: s.org.Field.ID, Role: routing.RoleField}, all[i].ID)
}

func (s *world) feedback(ctx context.Context, p *sim.Printer) error {
	p.Printf("\nfield feedback (M5)\n")
	p.Printf("  recorded in the CRM (feedback events): %s\n", s.feedbackBy.List(fieldReps...))
	for _, st := range s.sheets {
		st.Print(p)
	}
	p.Printf("  the field team's sheet, as %s exports it:\n", fieldMgr)
	var b strings.Builder
	_, err := s.eng.ExportFeedback(ctx, routing.Viewer{Rep: fieldMgr, Team: s.org.Field.ID, Role: routing.RoleManager}, &b, "")
	p.Lines("    ", b.String())
	return err
}

// credits prints each rep's part in the hybrid conference (M6).
func (s *world) credits(ctx context.Context, p *sim.Printer) error {
	p.Printf("\ncredit per rep for %s (M6: inside drives registrations and attendance, field makes opportunities)\n", confID)
	return s.PrintCredits(ctx, p, routing.Viewer{Rep: insideMgr, Role: routing.RoleManager}, confID, sim.TeamOf(&s.org))
}
