package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/policyfile"
	"github.com/leadline/leadline/replay"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// persona is how a rep (or the manager) works, in working hours of the
// team's calendar, since nobody calls at night. off are absences the
// roster does not know (a sick day nobody entered): round robin keeps
// assigning to the rep, who does nothing.
type persona struct {
	sim.Persona
	blurb string
	off   []routing.Period
	rep   routing.Rep
}

// world is one run: the team, the leads, and the simulation they live in.
type world struct {
	*sim.Sim
	opts       options
	loc        *time.Location
	start, end time.Time
	rng        *rand.Rand
	store      store
	eng        *leadline.Engine
	pol        leadline.Policy
	work       *stage.BusinessCalendar // reps act only when it is open, whatever deadlines count on
	team       routing.Team
	people     map[string]*persona
	order      []string // the reps in team order, then the manager
	kinds      map[string]companyKind
	ma         sim.Marketing
	desk       sim.Desk
	out        *sim.Printer
}

// sources are where leads come from, when they arrive and what they do
// next: web forms at any hour of any day, partner referrals in office
// hours, trade-show lists imported Monday late morning, seminar attendee
// lists after the Wednesday seminars, downloads trailing off after the
// Tuesday 10:00 campaign mail.
var sources = []sim.Source{
	{Key: "web", Label: "web form", Weight: 30, Score: [2]int{40, 150},
		Arrive: sim.Arrival{Weekend: 0.25, Windows: []sim.Window{{Share: 0.7, From: 9 * 60, To: 18 * 60}, {From: 7 * 60, To: 23 * 60}}},
		Follow: []sim.FollowUp{inquiry(1, 0.03, 0.15), download(0.3, 1, 30), rise(0.2, 6, 72), inquiry(0.15, 24, 120)}},
	{Key: "seminar", Label: "seminar", Weight: 20, Score: [2]int{60, 140},
		Arrive: sim.Arrival{Batches: []int{2, 9}, Windows: []sim.Window{{From: 17*60 + 30, To: 17*60 + 50}}},
		Follow: []sim.FollowUp{{Chance: 0.55, Kind: lead.EventDownload, After: sim.Span{12, 60}, Topics: []string{seminarSlides}},
			inquiry(0.25, 24, 120), rise(0.25, 2, 48)}},
	{Key: "download", Label: "document download campaign", Weight: 25, Score: [2]int{40, 140},
		Arrive: sim.Arrival{Batches: []int{1, 8}, Windows: []sim.Window{{From: 10 * 60}}, Tail: 14 * time.Hour},
		Follow: []sim.FollowUp{{Chance: 1, Kind: lead.EventDownload, Soon: time.Minute, Topics: sim.Documents},
			download(0.35, 2, 40), inquiry(0.25, 24, 150), rise(0.25, 4, 72)}},
	{Key: "list", Label: "list import", Weight: 15, Score: [2]int{0, 60},
		Arrive: sim.Arrival{Batches: []int{0, 7}, Windows: []sim.Window{{From: 11 * 60, To: 11*60 + 10}}},
		Follow: []sim.FollowUp{rise(0.25, 24, 150), inquiry(0.15, 24, 200), download(0.15, 24, 200)}},
	{Key: "partner", Label: "partner referral", Weight: 10, Score: [2]int{100, 170},
		Arrive: sim.Arrival{Windows: []sim.Window{{From: 9 * 60, To: 18 * 60}}},
		Follow: []sim.FollowUp{inquiry(1, 0.02, 0.3), download(0.2, 2, 48)}},
}

func inquiry(p, lo, hi float64) sim.FollowUp {
	return sim.FollowUp{Chance: p, Kind: lead.EventInquiry, After: sim.Span{lo, hi}, Topics: sim.InquiryTopics}
}
func download(p, lo, hi float64) sim.FollowUp {
	return sim.FollowUp{Chance: p, Kind: lead.EventDownload, After: sim.Span{lo, hi}, Topics: sim.Documents}
}
func rise(p, lo, hi float64) sim.FollowUp {
	return sim.FollowUp{Chance: p, After: sim.Span{lo, hi}, DeltaFirst: true, Why: "engagement", Delta: func(r *rand.Rand) decimal.Decimal {
		return decimal.New(int64(5+r.IntN(21))*100+int64(r.IntN(4))*25, -2)
	}}
}

// unsubscribe: some leads of every source leave the newsletter.
var unsubscribe = sim.FollowUp{Chance: 0.15, After: sim.Span{24, 200}, Why: "unsubscribed from the newsletter",
	Delta: func(r *rand.Rand) decimal.Decimal { return decimal.New(-int64(5+r.IntN(16)), 0) }}

// answers is how prospects answer: a call picked up at Stage1 or Stage2,
// an e-mail answered at any stage, more often by keen leads.
var answers = sim.Answers{Boost: 1.4, Keen: decimal.NewFromInt(100),
	Call:  [...]float64{stage.Stage1: 0.10, stage.Stage2: 0.07, stage.Stage4: 0},
	Reply: [...]float64{stage.Stage1: 0.06, stage.Stage2: 0.06, stage.Stage3: 0.08, stage.Stage4: 0.08}}

// newWorld builds the team, the engine and the leads' marketing script.
func newWorld(opts options, st store, w io.Writer) (*world, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	loc, _ := sim.LoadZone(opts.Zone)
	work, err := stage.NewBusinessCalendar(stage.BusinessHours{Zone: opts.Zone, Holidays: []string{"jp"}})
	if err != nil {
		return nil, fmt.Errorf("business calendar: %w", err)
	}
	s := &world{opts: opts, loc: loc, out: &sim.Printer{W: w}, work: work, rng: opts.Rand(), store: st,
		start: time.Date(2026, time.April, 6, 9, 0, 0, 0, loc), end: time.Date(2026, time.April, 6+opts.days, 0, 0, 0, 0, loc),
		people: map[string]*persona{}, kinds: map[string]companyKind{}}
	if opts.business {
		s.pol.Cadence.Calendar = work
	}
	s.buildTeam()
	s.Sim, err = sim.New(sim.Config{Store: s.store, Start: s.start,
		Engine:     leadline.Config{Policy: s.pol, Roster: &routing.Org{Inside: s.team}},
		NotifyFunc: s.react, DayFunc: s.closeDay})
	if err != nil {
		return nil, err
	}
	s.eng, s.pol, s.ma.Sim = s.Engine(), s.Engine().Policy(), s.Sim
	s.desk = sim.Desk{Sim: s.Sim, R: s.rng, People: map[string]*sim.Persona{}, Answers: &answers,
		Review: s.review, Attempted: s.badData, Answered: s.qualify,
		Scale: func(st stage.Stage) int { return map[bool]int{true: 2, false: 1}[st == stage.Stage3] }} // case studies sink in twice as long
	for id, p := range s.people {
		s.desk.People[id] = &p.Persona
	}
	s.genLeads()
	for d := s.Date(7, 2, 0); d.Before(s.end); d = d.AddDate(0, 0, 7) {
		s.At(d, s.ma.Decay(decimal.NewFromInt(5), 5*24*time.Hour)) // Mondays 02:00
	}
	return s, nil
}

func (s *world) buildTeam() {
	sick := routing.Period{From: s.day(1), To: s.day(3)}    // Tue and Wed of week 1, not in the roster
	leave := routing.Period{From: s.day(10), To: s.day(12)} // Thu and Fri of week 2, in the roster
	steady := func(id string) sim.Persona {
		return sim.Persona{ID: id, First: sim.Span{1, 6}, Next: sim.Span{8, 16}, Keep: 0.85, Park: 0.55, Parked: sim.Span{16, 30}}
	}
	ps := []*persona{
		{blurb: "diligent: calls within the hour, follow-ups always before the deadline",
			Persona: sim.Persona{ID: "rep-ito", First: sim.Span{0.2, 1.5}, Next: sim.Span{5, 10}, Keep: 1}},
		{blurb: "steady; takes at most 15 leads in cadence (capacity, M9)", rep: routing.Rep{Capacity: 15}, Persona: steady("rep-kato")},
		{blurb: "steady; off sick Tue-Wed of week 1 unannounced (round robin still feeds him),\n" +
			"             on leave Thu-Fri of week 2 as the roster knows (M9 skips him)",
			off: []routing.Period{sick}, rep: routing.Rep{Away: []routing.Period{leave}}, Persona: steady("rep-suzuki")},
		{blurb: "always a day behind: follow-ups land after the deadline (T8, T9)",
			Persona: sim.Persona{ID: "rep-tanaka", First: sim.Span{3, 12}, Next: sim.Span{20, 30}, Keep: 0.1, Park: 0.7, Parked: sim.Span{18, 32}}},
		{blurb: "new on the team: does not open the request queue until Thursday (T1)",
			Persona: sim.Persona{ID: "rep-yamada", First: sim.Span{1, 8}, Next: sim.Span{8, 18}, Keep: 0.7, Park: 0.55, Parked: sim.Span{16, 30},
				NotBefore: s.day(3).Add(9 * time.Hour)}},
		{blurb: "manager: gets the alerts, works escalated leads herself",
			Persona: sim.Persona{ID: "mgr-sato", First: sim.Span{1, 4}, Next: sim.Span{8, 16}, Keep: 0.9}},
	}
	s.team = routing.Team{ID: "inside", Manager: "mgr-sato"}
	for _, p := range ps {
		p.rep.ID = p.ID
		p.Work = sim.Schedule{Calendar: s.work, Away: append(slices.Clip(p.off), p.rep.Away...)}
		if p.ID != s.team.Manager {
			s.team.Reps = append(s.team.Reps, p.rep)
		}
		s.people[p.ID] = p
		s.order = append(s.order, p.ID)
	}
}

// day returns midnight of the i-th day of the run, counting from 0.
func (s *world) day(i int) time.Time {
	return time.Date(s.start.Year(), s.start.Month(), s.start.Day()+i, 0, 0, 0, 0, s.loc)
}

func (s *world) run(ctx context.Context) error {
	s.header()
	if err := s.Run(ctx, s.end); err != nil {
		return err
	}
	if err := s.reports(ctx); err != nil {
		return err
	}
	return s.out.Err()
}

// genLeads draws every lead, who it is and what marketing will see it do,
// and queues it. Ids follow arrival order.
func (s *world) genLeads() {
	type proto struct {
		at     time.Time
		src    string
		kind   companyKind
		ev     lead.Event
		script []sim.Scripted
	}
	gen := sim.Arrivals{R: s.rng, Start: s.start, Days: s.opts.days, Sources: sources}
	ps := make([]proto, 0, s.opts.Leads)
	for i := range s.opts.Leads {
		src := gen.Source()
		p, r := proto{src: src.Key, at: gen.When(src), kind: prospect}, s.rng
		comp := sim.Company(r)
		switch x := r.Float64(); {
		case x < 0.03:
			comp, p.kind = competitorCompanies[r.IntN(len(competitorCompanies))], competitor
		case x < 0.08:
			comp, p.kind = customerCompanies[r.IntN(len(customerCompanies))], customer
		case x < 0.10 || (src.Key == "list" && x < 0.20):
			p.kind = badData
		}
		name, email := sim.JapaneseNames.Person(r, sim.Domain(comp))
		p.ev = lead.Event{Kind: lead.EventCreated, Actor: "marketing",
			Profile: lead.Profile{Company: comp, Name: name, Email: email, Source: src.Key, MASystem: sim.MASystems[r.IntN(len(sim.MASystems))]}}
		p.ev.Profile.Target = p.kind == prospect && i%10 == 3 // a target account: a score jump is approached at once (A8)
		cents := int64(src.Score[0]+r.IntN(src.Score[1]-src.Score[0]+1)) * 100
		switch x := r.Float64(); {
		case x < 0.15 && src.Key != "list": // around the MQL threshold
			p.ev.Score = decimal.New(9600+r.Int64N(801), -2)
		case x < 0.45:
			p.ev.Score = decimal.New(cents+r.Int64N(100), -2)
		default:
			p.ev.Score = decimal.New(cents/100, 0)
		}
		p.script = gen.Script(src, p.at, unsubscribe)
		ps = append(ps, p)
	}
	slices.SortStableFunc(ps, func(a, b proto) int { return a.at.Compare(b.at) })
	for i, p := range ps {
		id := fmt.Sprintf("L-%04d", i+1)
		s.kinds[id] = p.kind
		s.ma.Create(id, p.at, p.src, p.ev, p.script)
	}
}

// followUp queues a later inquiry from a lead whose status a person or the
// engine changed: a protected lead's is suppressed (S5), a recycled lead's
// re-engages it (A5).
func (s *world) followUp(id string, at time.Time, lo, hi float64, topic string) {
	if t := at.Add(sim.Span{lo, hi}.Draw(s.rng)); t.Before(s.end) {
		s.ma.Report(id, t, lead.Event{Kind: lead.EventInquiry, Actor: "marketing", Topic: topic})
	}
}

// react lets people act on a notification as it is delivered.
func (s *world) react(ctx context.Context, n leadline.Notification) error {
	if n.Kind == leadline.NoteRecycled && s.rng.Float64() < 0.35 {
		s.followUp(n.Lead, n.At, 24, 96, "asked for a demo again")
	}
	return s.desk.Notify(ctx, n)
}

// review is what a rep decides from the lead's data alone before the
// first call (S1): a competitor or a customer is taken out of the cadence.
func (s *world) review(ctx context.Context, at time.Time, l *lead.Lead, rep string) (bool, error) {
	st, why, topic := lead.StatusDisqualifiedSales, "competitor: works for "+l.Company, "pricing"
	switch s.kinds[l.ID] {
	case customer:
		st, why, topic = lead.StatusCustomer, "already under contract, same company and department", "support question"
	case prospect, badData:
		return false, nil
	}
	if err := s.Handle(ctx, lead.Event{ID: s.NewID("crm"), Kind: lead.EventStatusSet, Lead: l.ID, At: at, Actor: rep, Status: st, Reason: why}); err != nil {
		return true, err
	}
	if s.rng.Float64() < 0.75 {
		s.followUp(l.ID, at, 24, 96, topic)
	}
	return true, nil
}

// badData: the first attempt on a lead with bad data bounces, and the rep
// disqualifies it (S1).
func (s *world) badData(at time.Time, l *lead.Lead, rep string) bool {
	if l.Track.Stage != stage.Stage1 || s.kinds[l.ID] != badData {
		return false
	}
	s.setStatus(s.work.Add(at, time.Duration(20+s.rng.IntN(60))*time.Minute), l.ID, rep,
		lead.StatusDisqualifiedMktg, "e-mail bounced and the phone number is not in service")
	return true
}

// qualify: once a prospect answered (T6), the owner qualifies the lead
// soon after (S1), or leaves it unclassified for now.
func (s *world) qualify(_ context.Context, at time.Time, l *lead.Lead) error {
	st, why := lead.StatusLead, "qualified: evaluating a tool within 6 months"
	switch x := s.rng.Float64(); {
	case x < 0.20:
		st, why = lead.StatusRecycled, "still gathering information; decision more than 6 months out"
	case x < 0.25:
		st, why = lead.StatusDisqualifiedSales, "job seeker, not a buyer"
	case x < 0.40:
		return nil
	}
	if p := s.people[l.Owner]; p != nil {
		at = s.work.Add(p.Work.Next(at), time.Duration(15+s.rng.IntN(75))*time.Minute)
	}
	s.setStatus(at, l.ID, l.Owner, st, why)
	return nil
}

// setStatus schedules a rep's classification (S1, S4) and what the lead
// does later: a protected lead may inquire again (suppressed, S5), a
// recycled one may come back (A5).
func (s *world) setStatus(t time.Time, id, rep string, st lead.Status, why string) {
	s.At(t, func(ctx context.Context, at time.Time) error {
		l, err := s.eng.Lead(ctx, sim.Ops, id)
		if err != nil || l.Status == st || l.Status.Protected() {
			return err
		}
		if err := s.Handle(ctx, lead.Event{ID: s.NewID("crm"), Kind: lead.EventStatusSet, Lead: id, At: at, Actor: rep, Status: st, Reason: why}); err != nil {
			return err
		}
		s.Cancel(id)
		switch {
		case st == lead.StatusRecycled && s.rng.Float64() < 0.45:
			s.followUp(id, at, 48, 144, "asked for a demo again")
		case st.Protected() && s.rng.Float64() < 0.5:
			s.followUp(id, at, 24, 96, "pricing")
		}
		return nil
	})
}

// writeLog writes the run's event log to path and, beside it, its replay
// setup (path less its extension plus ".setup.json": the roster, and the
// grid of ticks the simulation handled events and swept on) and its
// policy file (".policy.json", with the business calendar of -business).
func (s *world) writeLog(path string) error {
	pol, err := policyfile.Marshal(s.pol)
	if err != nil {
		return err
	}
	if err := os.WriteFile(PolicyPath(path), pol, 0o644); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = replay.WriteLog(f, slices.Values(s.Events()))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	f, err = os.Create(SetupPath(path))
	if err != nil {
		return err
	}
	err = replay.WriteSetup(f, &replay.Setup{Roster: &routing.Org{Inside: s.team}, Tick: replay.Duration(sim.StepDefault), Batched: true,
		Start: s.start, Until: s.end, Zone: s.opts.Zone})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// PolicyPath returns where the policy of the log at path goes.
func PolicyPath(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".policy.json"
}

// SetupPath returns where the setup of the log at path goes.
func SetupPath(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".setup.json"
}
