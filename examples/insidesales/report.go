package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
)

func (s *world) printf(format string, args ...any) { s.out.Printf(format, args...) }

func (s *world) header() {
	s.printf("leadline inside sales: %d days from %s, %d leads, seed %d\n",
		s.opts.days, s.start.Format("Mon 2006-01-02 15:04 MST"), s.opts.Leads, s.opts.Seed)
	if s.opts.business {
		s.printf("deadlines count working hours only (T11): 09:00-18:00 Mon-Fri, jp holidays;\n" +
			"48h is 48 working hours (5 1/3 working days), the 4-day recycle wait 96 (10 2/3 days)\n")
	} else {
		s.printf("deadlines count wall-clock hours (T11): 48h after Friday 16:00 is Sunday 16:00\n")
	}
	s.printf("team %q, manager %s; everyone works 09:00-18:00 on working days\n", s.team.ID, s.team.Manager)
	for _, id := range s.order {
		s.printf("  %-11s %s\n", id, s.people[id].blurb)
	}
	s.printf("all but rep-ito leave a lead inherited from a colleague (T1) for later, often too late (T10)\n\n")
}

// closeDay reads the day's history and prints its block: what marketing
// did, what the engine told, each rep's load and the notable moments.
func (s *world) closeDay(ctx context.Context, day sim.Day) error {
	ma := s.ma.Day()
	changes, err := s.Changes(ctx)
	if err != nil {
		return err
	}
	var t sim.Tally
	t.Note(day.Notifications...)
	t.Change(changes...)
	s.printf("%s  day %d\n", day.Start.In(s.loc).Format("Mon 2006-01-02"), day.Index+1)
	quiet := !ma.NewRow(s.out, sources)
	quiet = !t.Rows(s.out) && quiet
	quiet = !ma.ScoreRow(s.out) && quiet
	if quiet {
		s.printf("  quiet day: nothing happened\n")
	}
	if err := s.pipeline(ctx, day.Start); err != nil {
		return err
	}
	if lines := notable.Select(day.Notifications, changes); len(lines) > 0 {
		s.printf("  notable\n")
		for _, l := range lines {
			s.printf("    %s  %s\n", l.At.In(s.loc).Format("15:04"), l.Text)
		}
	}
	s.printf("\n")
	return nil
}

// notable picks a handful of the day's lines a manager wants to see,
// most important first.
var notable = sim.Notable{Max: 8, Picks: []sim.Pick{
	{Limit: 3, Note: sim.NoteIs(leadline.NoteEscalated)},
	{Limit: 2, Change: sim.ChangeIs(lead.FieldStatus, "A5")},
	{Limit: 2, Change: sim.ChangeIs(lead.FieldTrigger, "S5")},
	{Limit: 2, Note: sim.NoteIs(leadline.NoteApproachRequest, "A8")},
	{Limit: 2, Note: sim.NoteIs(leadline.NoteReminder, "T13")},
	{Limit: 2, Change: sim.ChangeIs(lead.FieldStatus, "S1")},
	{Limit: 2, Note: sim.NoteIs(leadline.NoteReassigned)},
	{Limit: 1, Note: sim.NoteIs(leadline.NoteRecycled)},
	{Limit: 1, Note: sim.NoteIs(leadline.NoteManagerAlert, "T8")},
	{Limit: 1, Note: sim.NoteIs(leadline.NoteRequestUpdated)},
	{Limit: 1, Note: func(n leadline.Notification) bool { return n.Kind == leadline.NoteApproachRequest && n.Priority == 1 }},
}}

// pipeline prints each rep's leads in a running cadence: the load M9
// compares with a capacity.
func (s *world) pipeline(ctx context.Context, day time.Time) error {
	ids := make([]string, len(s.team.Reps))
	for i, r := range s.team.Reps {
		ids[i] = r.ID
	}
	load, err := s.store.Load(ctx, ids)
	if err != nil {
		return err
	}
	noon := time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, s.loc)
	parts := make([]string, len(ids))
	for i, r := range s.team.Reps {
		parts[i] = fmt.Sprintf("%s %d", strings.TrimPrefix(r.ID, "rep-"), load[i])
		if r.Capacity > 0 {
			parts[i] += fmt.Sprintf("/%d", r.Capacity)
			if load[i] >= r.Capacity {
				parts[i] += " full"
			}
		}
		if r.AwayAt(noon) {
			parts[i] += " (on leave)"
		}
	}
	s.printf("  %-18s     %s\n", "in cadence", strings.Join(parts, ", "))
	return nil
}

// reports prints the team's reports at the end of the run, as the
// manager reads them through package report (V10): each rep's worklist
// (V1), the open requests (A9), the score jumps of the run's days (V2),
// the leads created today, this week and this month (V3-V5), what is
// overdue (V6) and the follow-up service level of the run (V9).
func (s *world) reports(ctx context.Context) error {
	v := routing.Viewer{Rep: s.team.Manager, Team: s.team.ID, Role: routing.RoleManager}
	f := report.Frame{Now: s.end.Add(-time.Minute), Zone: s.loc, Routing: &s.pol.Routing, Cadence: &s.pol.Cadence}
	o := report.WriteOptions{Zone: s.loc}
	s.printf("== Reports at %s, as %s (package report) ==\n", f.Now.Format("Mon 2006-01-02 15:04"), v.Rep)
	offDays := 0
	for _, n := range s.Notifications() {
		if at := n.At.In(s.loc); n.Kind == leadline.NoteReminder && !s.work.IsOpen(time.Date(at.Year(), at.Month(), at.Day(), 12, 0, 0, 0, s.loc)) {
			offDays++
		}
	}
	s.printf("%d reminders fired on a weekend or holiday", offDays)
	if !s.opts.business && offDays > 0 {
		s.printf(" (try -business, T11)")
	}
	s.printf("\n")

	work, err1 := report.Worklist(ctx, s.store, v, report.WorklistParams{Frame: f})
	reqs, err2 := report.Requests(ctx, s.store, v, report.RequestsParams{Frame: f})
	jumps, err3 := report.ScoreJumps(ctx, s.store, v, report.ScoreJumpsParams{Frame: f, Days: s.opts.days})
	late, err4 := report.Overdue(ctx, s.store, v, report.OverdueParams{Frame: f})
	sla, err5 := report.SLA(ctx, s.store, v, report.SLAParams{Frame: f, Period: report.Period{From: s.start, To: s.end}, Teams: []routing.Team{s.team}})
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		return err
	}
	s.printf("\nV1 worklists: leads in Stage1-4 of a running cadence, overdue first, with the next step's playbook (T12)\n")
	s.out.Table("  ", work, o, "owner", "lead", "stage", "company", "score", "due", "overdue", "late_hours", "next_template", "next_channels")
	s.printf("\nA9 open approach requests, by owner, priority and due date\n")
	s.out.Table("  ", reqs, o, "owner", "priority", "due", "state", "lead", "company", "reasons")
	s.printf("\nV2 score jumps of %s or more against the day before, day by day\n", report.JumpDefault)
	s.out.Table("  ", jumps, o, "date", "status", "lead", "company", "target", "previous", "score", "rise", "owner")
	s.printf("\nleads created, by group (V3 today by source, V4 this week by score band, V5 this month by status)\n")
	for _, c := range []struct {
		name string
		f    func(context.Context, report.Reader, routing.Viewer, report.CreatedParams) ([]report.CreatedRow, error)
	}{{"V3 today", report.CreatedToday}, {"V4 this week", report.CreatedThisWeek}, {"V5 this month", report.CreatedThisMonth}} {
		rows, err := c.f(ctx, s.store, v, report.CreatedParams{Frame: f})
		if err != nil {
			return err
		}
		n, groups := sim.Count{}, []string{}
		for _, r := range rows {
			if n[r.Group]++; n[r.Group] == 1 {
				groups = append(groups, r.Group)
			}
		}
		s.printf("  %-14s %3d  %s\n", c.name, len(rows), n.List(groups...))
	}
	s.printf("\nV6 overdue requests and stage deadlines, late in wall-clock and working hours (T11)\n")
	s.out.Table("  ", late, o, "owner", "lead", "kind", "stage", "due", "late_hours", "late_working_hours", "company")
	s.printf("\nV9 follow-up service level of the run, per owner and for the team (times in hours)\n")
	s.out.Table("  ", sla, o, "team", "owner", "requests", "attempted", "first_attempt_median_hours", "first_attempt_p90_hours",
		"first_attempt_median_working_hours", "steps", "on_time", "reassigned", "escalated", "connections", "recycles")
	return nil
}
