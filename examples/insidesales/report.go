package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
)

// dayStats collects one day of the run for its report, besides what the
// engine tells.
type dayStats struct {
	new                       sim.Count // new leads by source
	scoreUp, scoreDown, decay int
}

func newDay() *dayStats { return &dayStats{new: sim.Count{}} }

func (s *world) printf(format string, args ...any) { s.out.Printf(format, args...) }

func (s *world) header() {
	s.printf("leadline inside sales: %d days from %s, %d leads, seed %d\n",
		s.opts.days, s.start.Format("Mon 2006-01-02 15:04 MST"), s.opts.leads, s.opts.seed)
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

// closeDay reads the day's history, prints its block and starts the
// next day's stats.
func (s *world) closeDay(ctx context.Context, day sim.Day) error {
	d := s.today
	s.today = newDay()
	changes, err := s.Changes(ctx)
	if err != nil {
		return err
	}
	var t sim.Tally
	t.Note(day.Notifications...)
	t.Change(changes...)
	s.tally.Note(day.Notifications...)
	s.tally.Change(changes...)

	s.printf("%s  day %d\n", day.Start.In(s.loc).Format("Mon 2006-01-02"), day.Index+1)
	quiet := true
	row := func(label string, n int, detail string) {
		quiet = false
		s.out.Row(label, n, detail)
	}
	if n := d.new.Sum(); n > 0 {
		var parts []string
		for _, src := range sources {
			if k := d.new[src.key]; k > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", src.label, k))
			}
		}
		row("new leads", n, strings.Join(parts, ", "))
	}
	if n, merged := t.Notes(leadline.NoteApproachRequest), t.Notes(leadline.NoteRequestUpdated); n > 0 || merged > 0 {
		detail := fmt.Sprintf("A1 %d, A2 %d, A3 %d", t.Notes(leadline.NoteApproachRequest, "A1"),
			t.Notes(leadline.NoteApproachRequest, "A2"), t.Notes(leadline.NoteApproachRequest, "A3"))
		if k := t.Changes(lead.FieldStatus, "A5"); k > 0 {
			detail += fmt.Sprintf(" (%d re-engaging a recycled lead, A5)", k)
		}
		switch {
		case merged == 1:
			detail += "; 1 further trigger merged into an open request (A6)"
		case merged > 1:
			detail += fmt.Sprintf("; %d further triggers merged into open requests (A6)", merged)
		}
		row("approach requests", n, detail)
	}
	if w := t.Total(); w.Attempts > 0 {
		row("touches", w.Attempts, fmt.Sprintf("first attempts %d, late %d (T9)", w.Firsts, w.Late))
	}
	missed := []int{t.Notes(leadline.NoteReminder), t.Notes(leadline.NoteManagerAlert), t.Changes(lead.FieldOwner, "T1"), t.Notes(leadline.NoteEscalated)}
	if missed[0]+missed[1]+missed[2]+missed[3] > 0 {
		row("missed deadlines", -1, fmt.Sprintf("reminders %d, manager alerts %d, reassigned %d (T1), escalated %d (T10)",
			missed[0], missed[1], missed[2], missed[3]))
	}
	outcomes := []int{t.Changes(lead.FieldStage, "T6"), t.Changes(lead.FieldStatus, "T7"), t.Changes(lead.FieldStatus, "S1"), t.Changes(lead.FieldRequest, "S5")}
	if outcomes[0]+outcomes[1]+outcomes[2]+outcomes[3] > 0 {
		row("outcomes", -1, fmt.Sprintf("connected %d (T6), recycled %d (T7), statuses set %d (S1), triggers suppressed %d (S5)",
			outcomes[0], outcomes[1], outcomes[2], outcomes[3]))
	}
	if n := d.scoreUp + d.scoreDown + d.decay; n > 0 {
		detail := fmt.Sprintf("up %d, down %d", d.scoreUp, d.scoreDown)
		if d.decay > 0 {
			detail += fmt.Sprintf(", weekly decay of quiet leads %d", d.decay)
		}
		row("score changes", n, detail)
	}
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
	{Limit: 2, Change: sim.ChangeIs(lead.FieldRequest, "S5")},
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

// summary prints the totals, the rules that fired and the worklists.
func (s *world) summary(ctx context.Context) error {
	now, t := s.Now(), &s.tally
	work := map[string][]lead.Lead{}
	for _, id := range s.order {
		ls, err := s.eng.Leads(ctx, routing.Viewer{Rep: id, Role: routing.RoleInside}, leadline.Query{Owner: id, Attempted: true})
		if err != nil {
			return err
		}
		work[id] = ls
	}

	s.printf("== Summary: %s to %s ==\n", s.start.Format("Mon 01-02"), now.Add(-time.Minute).Format("Mon 01-02"))
	tw := tabwriter.NewWriter(s.out.W, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\trequests\tinherited\tfirst attempts\ttouches\tlate (T9)\tlost (T1/T10)\treminders\tconnected\trecycled\tto connect\t")
	var tot sim.Work
	row := func(id string, r sim.Work, worklist int) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", id, r.Requests, r.Inherited, r.Firsts, r.Attempts, r.Late, r.Lost, r.Reminders, r.Connected, r.Recycled, worklist)
	}
	worklists := 0
	for _, id := range s.order {
		row(id, t.Work(id), len(work[id]))
		tot.Add(t.Work(id))
		worklists += len(work[id])
	}
	row("team", tot, worklists)
	if err := tw.Flush(); err != nil {
		return err
	}
	offDays := 0
	for _, n := range s.Notifications() {
		at := n.At.In(s.loc)
		if n.Kind == leadline.NoteReminder && !s.work.IsOpen(time.Date(at.Year(), at.Month(), at.Day(), 12, 0, 0, 0, s.loc)) {
			offDays++
		}
	}
	s.printf("manager alerts to %s: %d; %d of the %d reminders fired on a weekend or holiday", s.team.Manager, t.Work(s.team.Manager).Alerts, offDays, tot.Reminders)
	if !s.opts.business && offDays > 0 {
		s.printf(" (try -business, T11)")
	}
	s.printf("\n")

	leads, err := s.eng.Leads(ctx, sim.Ops, leadline.Query{})
	if err != nil {
		return err
	}
	statusCount, stageCount := map[lead.Status]int{}, map[stage.Stage]int{}
	for _, l := range leads {
		statusCount[l.Status]++
		if l.Track.Cadence > 0 {
			stageCount[l.Track.Stage]++
		}
	}
	var st, sg []string
	for k := lead.StatusNew; k.Valid(); k++ {
		if n := statusCount[k]; n > 0 {
			st = append(st, fmt.Sprintf("%s %d", k, n))
		}
	}
	for k := stage.Untouched; k.Valid(); k++ {
		if n := stageCount[k]; n > 0 {
			sg = append(sg, fmt.Sprintf("%s %d", k, n))
		}
	}
	s.printf("lead statuses: %s\n", strings.Join(st, ", "))
	s.printf("touch stages of leads that had a cadence: %s\n", strings.Join(sg, ", "))
	ar := leadline.NoteApproachRequest
	fired := []struct {
		rule string
		n    int
	}{
		{"A1", t.Notes(ar, "A1")}, {"A2", t.Notes(ar, "A2")}, {"A3", t.Notes(ar, "A3")},
		{"A5", t.Changes(lead.FieldStatus, "A5")}, {"A6", t.Notes(leadline.NoteRequestUpdated)},
		{"S1", t.Changes(lead.FieldStatus, "S1")}, {"S5", t.Changes(lead.FieldRequest, "S5")},
		{"T1", t.Changes(lead.FieldOwner, "T1")}, {"T6", t.Changes(lead.FieldStage, "T6")},
		{"T7", t.Changes(lead.FieldStatus, "T7")}, {"T8", t.Notes(leadline.NoteReminder, "T8")},
		{"T9", t.Changes(lead.FieldStage, "T9")}, {"T10", t.Notes(leadline.NoteEscalated)},
	}
	var rs []string
	for _, f := range fired {
		rs = append(rs, fmt.Sprintf("%s %d", f.rule, f.n))
	}
	s.printf("rules fired: %s\n\n", strings.Join(rs, ", "))

	for _, id := range s.order {
		s.worklist(id, work[id], now)
	}
	return nil
}

// worklist prints one person's V1 worklist: leads in Stage1-4 of a
// running cadence, next deadline first, with the playbook of the next
// step (T12).
func (s *world) worklist(id string, ls []lead.Lead, now time.Time) {
	if len(ls) == 0 && id == s.team.Manager {
		return
	}
	slices.SortStableFunc(ls, func(a, b lead.Lead) int {
		if c := a.Track.Due.Time().Compare(b.Track.Due.Time()); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	overdue := 0
	for _, l := range ls {
		if l.Track.Overdue || l.Track.Due.Time().Before(now) {
			overdue++
		}
	}
	s.printf("Worklist of %s: %s still to connect with, %d overdue (V1)\n", id, sim.Plural(len(ls), "lead"), overdue)
	if len(ls) == 0 {
		s.printf("\n")
		return
	}
	tw := tabwriter.NewWriter(s.out.W, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  \tlead\tstage\tcompany\tname\tscore\tMA\tactivity\tnext step")
	for _, l := range ls {
		tr := &l.Track
		overdue := tr.Overdue || tr.Due.Time().Before(now)
		var next string
		due := tr.Due.Time().In(s.loc).Format("Mon 01-02 15:04")
		switch {
		case tr.Stage == stage.Stage4:
			next = "recycled " + due + " unless they answer (T7)"
		case overdue:
			pb := s.pol.Cadence.Playbook(tr.Stage + 1)
			next = fmt.Sprintf("%s overdue since %s: %s (%s)", tr.Stage+1, due, pb.Template, pb.Channels)
		default:
			pb := s.pol.Cadence.Playbook(tr.Stage + 1)
			next = fmt.Sprintf("%s by %s: %s (%s)", tr.Stage+1, due, pb.Template, pb.Channels)
		}
		flag := ""
		switch {
		case overdue:
			flag = "OVERDUE"
		case tr.Late != 0:
			flag = "late"
		}
		act := l.Activity.Summary()
		if act == "" {
			act = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", flag, l.ID, tr.Stage, l.Company, l.Name,
			l.Score.StringFixed(2), l.MASystem, act, next)
	}
	tw.Flush()
	s.printf("\n")
}
