package main

import (
	"cmp"
	"context"
	"errors"
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

// dayStats collects one day of the run for its report.
type dayStats struct {
	newBySource map[string]int
	scoreUp     int
	scoreDown   int
	decay       int
	notes       []leadline.Notification
}

func (s *world) newDay() *dayStats { return &dayStats{newBySource: map[string]int{}} }

func (s *world) printf(format string, args ...any) { fmt.Fprintf(s.w, format, args...) }

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

// tally counts what happened: notifications and history changes.
type tally struct {
	requests      map[string]int // A1, A2, A3
	merged        int            // A6
	reengaged     int            // A5
	suppressed    int            // S5
	touches, late int            // T2-T5, T9
	firsts        int            // first attempts
	reminders     int
	alerts        int
	reassigned    int // T1
	escalated     int // T10
	connected     int // T6
	recycled      int // T7
	statuses      int // S1
}

func (t *tally) note(n leadline.Notification) {
	switch n.Kind {
	case leadline.NoteApproachRequest:
		t.requests[n.Rule]++
	case leadline.NoteRequestUpdated:
		t.merged++
	case leadline.NoteReminder:
		t.reminders++
	case leadline.NoteManagerAlert:
		t.alerts++
	case leadline.NoteEscalated:
		t.escalated++
	}
}

func (t *tally) change(c lead.Change) {
	switch c.Field {
	case lead.FieldStage:
		switch c.Rule {
		case "T2", "T3", "T4", "T5", "T9":
			if c.Actor != lead.ActorEngine {
				t.touches++
				if c.Rule == "T9" {
					t.late++
				}
				if c.From == stage.Untouched.Key() {
					t.firsts++
				}
			}
		case "T6":
			t.connected++
		}
	case lead.FieldOwner:
		if c.Rule == "T1" {
			t.reassigned++
		}
	case lead.FieldStatus:
		switch c.Rule {
		case "T7":
			t.recycled++
		case "A5":
			t.reengaged++
		case "S1":
			t.statuses++
		}
	case lead.FieldRequest:
		if c.Rule == "S5" {
			t.suppressed++
		}
	}
}

// closeDay reads the day's history, prints its block and starts the
// next day's stats.
func (s *world) closeDay(ctx context.Context, day sim.Day) error {
	d := s.today
	s.today = s.newDay()
	t := tally{requests: map[string]int{}}
	for _, n := range d.notes {
		t.note(n)
	}
	changes, err := s.Changes(ctx)
	if err != nil {
		return err
	}
	for _, c := range changes {
		t.change(c)
	}

	s.printf("%s  day %d\n", day.Start.In(s.loc).Format("Mon 2006-01-02"), day.Index+1)
	quiet := true
	line := func(label string, n int, detail string) {
		quiet = false
		if n < 0 {
			s.printf("  %-18s     %s\n", label, detail)
			return
		}
		s.printf("  %-18s %3d  %s\n", label, n, detail)
	}
	if n := sum(d.newBySource); n > 0 {
		var parts []string
		for _, src := range sources {
			if k := d.newBySource[src.key]; k > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", src.label, k))
			}
		}
		line("new leads", n, strings.Join(parts, ", "))
	}
	if n := sum(t.requests); n > 0 || t.merged > 0 {
		detail := fmt.Sprintf("A1 %d, A2 %d, A3 %d", t.requests["A1"], t.requests["A2"], t.requests["A3"])
		if t.reengaged > 0 {
			detail += fmt.Sprintf(" (%d re-engaging a recycled lead, A5)", t.reengaged)
		}
		switch {
		case t.merged == 1:
			detail += "; 1 further trigger merged into an open request (A6)"
		case t.merged > 1:
			detail += fmt.Sprintf("; %d further triggers merged into open requests (A6)", t.merged)
		}
		line("approach requests", n, detail)
	}
	if t.touches > 0 {
		line("touches", t.touches, fmt.Sprintf("first attempts %d, late %d (T9)", t.firsts, t.late))
	}
	if t.reminders+t.alerts+t.reassigned+t.escalated > 0 {
		line("missed deadlines", -1, fmt.Sprintf("reminders %d, manager alerts %d, reassigned %d (T1), escalated %d (T10)",
			t.reminders, t.alerts, t.reassigned, t.escalated))
	}
	if t.connected+t.recycled+t.statuses+t.suppressed > 0 {
		line("outcomes", -1, fmt.Sprintf("connected %d (T6), recycled %d (T7), statuses set %d (S1), triggers suppressed %d (S5)",
			t.connected, t.recycled, t.statuses, t.suppressed))
	}
	if n := d.scoreUp + d.scoreDown + d.decay; n > 0 {
		detail := fmt.Sprintf("up %d, down %d", d.scoreUp, d.scoreDown)
		if d.decay > 0 {
			detail += fmt.Sprintf(", weekly decay of quiet leads %d", d.decay)
		}
		line("score changes", n, detail)
	}
	if quiet {
		s.printf("  quiet day: nothing happened\n")
	}
	if err := s.pipeline(ctx, day.Start); err != nil {
		return err
	}
	if lines := s.notable(d, changes); len(lines) > 0 {
		s.printf("  notable\n")
		for _, l := range lines {
			s.printf("    %s\n", l)
		}
	}
	s.printf("\n")
	return nil
}

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

// notable picks a handful of the day's lines a manager wants to see.
func (s *world) notable(d *dayStats, changes []lead.Change) []string {
	type pick struct {
		at   time.Time
		rank int
		text string
	}
	var picks []pick
	taken := map[int]int{}
	add := func(rank, limit int, at time.Time, text string) {
		if taken[rank] < limit {
			taken[rank]++
			picks = append(picks, pick{at, rank, text})
		}
	}
	for _, n := range d.notes {
		switch {
		case n.Kind == leadline.NoteEscalated:
			add(0, 3, n.At, n.String())
		case n.Kind == leadline.NoteReassigned:
			add(4, 2, n.At, n.String())
		case n.Kind == leadline.NoteRecycled:
			add(5, 1, n.At, n.String())
		case n.Kind == leadline.NoteManagerAlert && n.Rule == "T8":
			add(6, 1, n.At, n.String())
		case n.Kind == leadline.NoteRequestUpdated:
			add(7, 1, n.At, n.String())
		case n.Kind == leadline.NoteApproachRequest && n.Priority == 1:
			add(8, 1, n.At, n.String())
		}
	}
	for _, c := range changes {
		switch {
		case c.Field == lead.FieldStatus && c.Rule == "A5":
			add(1, 2, c.At, c.String())
		case c.Field == lead.FieldRequest && c.Rule == "S5":
			add(2, 2, c.At, c.String())
		case c.Field == lead.FieldStatus && c.Rule == "S1":
			add(3, 2, c.At, c.String())
		}
	}
	slices.SortStableFunc(picks, func(a, b pick) int { return cmp.Compare(a.rank, b.rank) })
	picks = picks[:min(len(picks), 8)]
	slices.SortStableFunc(picks, func(a, b pick) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.rank, b.rank)
	})
	out := make([]string, len(picks))
	for i, p := range picks {
		out[i] = p.at.In(s.loc).Format("15:04") + "  " + p.text
	}
	return out
}

// repStats is one person's line of the summary.
type repStats struct {
	requests, inherited, firsts, touches, late int
	lost, reminders, alerts, connected         int
	recycled, worklist                         int
}

// summary prints the totals, the rules that fired and the worklists.
func (s *world) summary(ctx context.Context) error {
	now := s.Now()
	notes := s.Notifications()
	per := map[string]*repStats{}
	for _, id := range s.order {
		per[id] = &repStats{}
	}
	get := func(id string) *repStats {
		if r := per[id]; r != nil {
			return r
		}
		return &repStats{} // nobody's: discarded
	}
	for _, n := range notes {
		r := get(n.To)
		switch n.Kind {
		case leadline.NoteApproachRequest:
			r.requests++
		case leadline.NoteReassigned, leadline.NoteEscalated:
			r.inherited++
		case leadline.NoteReminder:
			r.reminders++
		case leadline.NoteManagerAlert:
			r.alerts++
		}
	}
	statusCount := map[lead.Status]int{}
	stageCount := map[stage.Stage]int{}
	for _, id := range s.ids {
		h, err := s.eng.History(ctx, sim.Ops, id)
		if errors.Is(err, leadline.ErrNotFound) {
			continue // not arrived yet
		}
		if err != nil {
			return err
		}
		owner := ""
		for _, c := range h {
			switch {
			case c.Field == lead.FieldOwner:
				if c.Rule == "T1" || c.Rule == "T10" {
					get(c.From).lost++
				}
				owner = c.To
			case c.Field == lead.FieldStage && c.Actor != lead.ActorEngine && c.Rule != "T6" && c.Rule != "" && c.From != c.To:
				r := get(c.Actor)
				r.touches++
				if c.Rule == "T9" {
					r.late++
				}
				if c.From == stage.Untouched.Key() {
					r.firsts++
				}
			case c.Field == lead.FieldStage && c.Rule == "T6":
				get(owner).connected++
			case c.Field == lead.FieldStatus && c.Rule == "T7":
				get(owner).recycled++
			}
		}
		l, err := s.eng.Lead(ctx, sim.Ops, id)
		if err != nil {
			return err
		}
		statusCount[l.Status]++
		if l.Track.Cadence > 0 {
			stageCount[l.Track.Stage]++
		}
	}
	work := map[string][]lead.Lead{}
	for _, id := range s.order {
		ls, err := s.eng.Leads(ctx, routing.Viewer{Rep: id, Role: routing.RoleInside}, leadline.Query{Owner: id, Attempted: true})
		if err != nil {
			return err
		}
		work[id] = ls
		per[id].worklist = len(ls)
	}

	s.printf("== Summary: %s to %s ==\n", s.start.Format("Mon 01-02"), now.Add(-time.Minute).Format("Mon 01-02"))
	tw := tabwriter.NewWriter(s.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\trequests\tinherited\tfirst attempts\ttouches\tlate (T9)\tlost (T1/T10)\treminders\tconnected\trecycled\tto connect\t")
	var tot repStats
	for _, id := range s.order {
		r := per[id]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", id, r.requests, r.inherited, r.firsts, r.touches, r.late, r.lost, r.reminders, r.connected, r.recycled, r.worklist)
		tot.requests += r.requests
		tot.inherited += r.inherited
		tot.firsts += r.firsts
		tot.touches += r.touches
		tot.late += r.late
		tot.lost += r.lost
		tot.reminders += r.reminders
		tot.connected += r.connected
		tot.recycled += r.recycled
		tot.worklist += r.worklist
	}
	fmt.Fprintf(tw, "team\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", tot.requests, tot.inherited, tot.firsts, tot.touches, tot.late, tot.lost, tot.reminders, tot.connected, tot.recycled, tot.worklist)
	if err := tw.Flush(); err != nil {
		return err
	}
	offDays := 0
	for _, n := range notes {
		at := n.At.In(s.loc)
		if n.Kind == leadline.NoteReminder && !s.work.IsOpen(time.Date(at.Year(), at.Month(), at.Day(), 12, 0, 0, 0, s.loc)) {
			offDays++
		}
	}
	s.printf("manager alerts to %s: %d; %d of the %d reminders fired on a weekend or holiday", s.team.Manager, per[s.team.Manager].alerts, offDays, tot.reminders)
	if !s.opts.business && offDays > 0 {
		s.printf(" (try -business, T11)")
	}
	s.printf("\n")

	var st []string
	for k := lead.StatusNew; k.Valid(); k++ {
		if n := statusCount[k]; n > 0 {
			st = append(st, fmt.Sprintf("%s %d", k, n))
		}
	}
	s.printf("lead statuses: %s\n", strings.Join(st, ", "))
	var sg []string
	for k := stage.Untouched; k.Valid(); k++ {
		if n := stageCount[k]; n > 0 {
			sg = append(sg, fmt.Sprintf("%s %d", k, n))
		}
	}
	s.printf("touch stages of leads that had a cadence: %s\n", strings.Join(sg, ", "))

	counts, err := s.countRules(ctx)
	if err != nil {
		return err
	}
	var rs []string
	for _, r := range []string{"A1", "A2", "A3", "A5", "A6", "S1", "S5", "T1", "T6", "T7", "T8", "T9", "T10"} {
		rs = append(rs, fmt.Sprintf("%s %d", r, counts[r]))
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
	s.printf("Worklist of %s: %s still to connect with, %d overdue (V1)\n", id, plural(len(ls), "lead"), overdue)
	if len(ls) == 0 {
		s.printf("\n")
		return
	}
	tw := tabwriter.NewWriter(s.w, 0, 0, 2, ' ', 0)
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

func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// ---- counting ----

// ruleCounts tallies the rules that fired, from the delivered
// notifications and the leads' histories (E3): how the summary and the
// tests see the run.
type ruleCounts map[string]int

// countRules reads every lead's history through the engine.
func (s *world) countRules(ctx context.Context) (ruleCounts, error) {
	c := ruleCounts{}
	for _, n := range s.Notifications() {
		switch n.Kind {
		case leadline.NoteApproachRequest:
			c[n.Rule]++ // A1, A2, A3
		case leadline.NoteRequestUpdated:
			c["A6"]++
		case leadline.NoteReminder:
			c["reminder "+n.Rule]++
			if n.Rule == "T8" {
				c["T8"]++
			}
		case leadline.NoteManagerAlert:
			c["manager alert"]++
		case leadline.NoteEscalated:
			c["T10"]++
		}
	}
	for _, id := range s.ids {
		h, err := s.eng.History(ctx, sim.Ops, id)
		if err != nil {
			if errors.Is(err, leadline.ErrNotFound) {
				continue
			}
			return nil, err
		}
		for _, ch := range h {
			countChange(c, ch)
		}
	}
	return c, nil
}

func countChange(c ruleCounts, ch lead.Change) {
	switch {
	case ch.Field == lead.FieldLead:
		c["created"]++
	case ch.Field == lead.FieldOwner && ch.Rule == "T1":
		c["T1"]++
	case ch.Field == lead.FieldStage && ch.Rule == "T9":
		c["T9"]++
	case ch.Field == lead.FieldStage && ch.Rule == "T6":
		c["T6"]++
	case ch.Field == lead.FieldStatus && ch.Rule == "T7":
		c["T7"]++
	case ch.Field == lead.FieldStatus && ch.Rule == "A5":
		c["A5"]++
	case ch.Field == lead.FieldStatus && ch.Rule == "S1":
		c["S1"]++
	case ch.Field == lead.FieldRequest && ch.Rule == "S5":
		c["S5"]++
	}
}
