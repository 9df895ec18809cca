package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// persona is how a rep (or the manager) works: delays are in working
// hours of the team's calendar, since nobody calls at night.
type persona struct {
	sim.Persona
	blurb string
	// off are absences the roster does not know about (a sick day nobody
	// entered): round robin keeps assigning to the rep, who does nothing.
	off []routing.Period
	rep routing.Rep
}

// simLead is what the simulation knows about a lead besides the engine.
type simLead struct {
	id, source string
	kind       companyKind
	reviewed   bool // a rep looked at the lead's data (competitor, customer)
	lastActive time.Time
}

// world is one run: the team, the leads, and the simulation they live in.
type world struct {
	*sim.Sim
	opts       options
	loc        *time.Location
	start, end time.Time
	rng        *rand.Rand
	store      *memstore.Store
	eng        *leadline.Engine
	pol        leadline.Policy
	// work is the team's working calendar: reps act only when it is open,
	// whatever calendar the deadlines count on.
	work   *stage.BusinessCalendar
	team   routing.Team
	people map[string]*persona
	order  []string // the reps in team order, then the manager
	leads  map[string]*simLead
	ids    []string // every lead id, sorted
	today  *dayStats
	out    *sim.Printer
}

// sources are where leads come from, and when they arrive: web forms at
// any hour of any day, partner referrals in office hours, trade-show lists
// imported Monday late morning, seminar attendee lists after the Wednesday
// seminars, downloads trailing off after the Tuesday 10:00 campaign mail.
var sources = []sim.Source{
	{Key: "web", Label: "web form", Weight: 30, Score: [2]int{40, 150},
		Arrive: sim.Arrival{Weekend: 0.25, Windows: []sim.Window{{Share: 0.7, From: 9 * 60, To: 18 * 60}, {From: 7 * 60, To: 23 * 60}}}},
	{Key: "seminar", Label: "seminar", Weight: 20, Score: [2]int{60, 140},
		Arrive: sim.Arrival{Batches: []int{2, 9}, Windows: []sim.Window{{From: 17*60 + 30, To: 17*60 + 50}}}},
	{Key: "download", Label: "document download campaign", Weight: 25, Score: [2]int{40, 140},
		Arrive: sim.Arrival{Batches: []int{1, 8}, Windows: []sim.Window{{From: 10 * 60}}, Tail: 14 * time.Hour}},
	{Key: "list", Label: "list import", Weight: 15, Score: [2]int{0, 60},
		Arrive: sim.Arrival{Batches: []int{0, 7}, Windows: []sim.Window{{From: 11 * 60, To: 11*60 + 10}}}},
	{Key: "partner", Label: "partner referral", Weight: 10, Score: [2]int{100, 170},
		Arrive: sim.Arrival{Windows: []sim.Window{{From: 9 * 60, To: 18 * 60}}}},
}

// answers is how prospects answer: a call picked up at Stage1 or Stage2,
// an e-mail answered at any stage, more often by keen leads.
var answers = sim.Answers{Boost: 1.4, Keen: decimal.NewFromInt(100),
	Call:  [...]float64{stage.Stage1: 0.10, stage.Stage2: 0.07, stage.Stage4: 0},
	Reply: [...]float64{stage.Stage1: 0.06, stage.Stage2: 0.06, stage.Stage3: 0.08, stage.Stage4: 0.08}}

// newWorld builds the team, the engine and the leads' marketing script.
func newWorld(opts options, w io.Writer) (*world, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	loc, _ := sim.LoadZone(opts.Zone)
	work, err := stage.NewBusinessCalendar(stage.BusinessHours{Zone: opts.Zone, Holidays: []string{"jp"}})
	if err != nil {
		return nil, fmt.Errorf("business calendar: %w", err)
	}
	s := &world{opts: opts, loc: loc, out: &sim.Printer{W: w}, work: work, rng: opts.Rand(), store: memstore.New(),
		start:  time.Date(2026, time.April, 6, 9, 0, 0, 0, loc),
		end:    time.Date(2026, time.April, 6+opts.days, 0, 0, 0, 0, loc),
		people: map[string]*persona{}, leads: map[string]*simLead{}, today: newDay()}
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
	s.eng = s.Engine()
	s.pol = s.eng.Policy()
	s.genLeads()
	for d := s.Date(7, 2, 0); d.Before(s.end); d = d.AddDate(0, 0, 7) {
		s.At(d, s.decay) // Mondays 02:00
	}
	return s, nil
}

func (s *world) buildTeam() {
	sick := routing.Period{From: s.day(1), To: s.day(3)}    // Tue and Wed of week 1, not in the roster
	leave := routing.Period{From: s.day(10), To: s.day(12)} // Thu and Fri of week 2, in the roster
	park := func(p sim.Persona) sim.Persona {
		p.Keep, p.Park, p.Parked = 0.85, 0.55, sim.Span{16, 30}
		return p
	}
	ps := []*persona{
		{blurb: "diligent: calls within the hour, follow-ups always before the deadline",
			Persona: sim.Persona{ID: "rep-ito", First: sim.Span{0.2, 1.5}, Next: sim.Span{5, 10}, Keep: 1}},
		{blurb: "steady; takes at most 15 leads in cadence (capacity, M9)", rep: routing.Rep{Capacity: 15},
			Persona: park(sim.Persona{ID: "rep-kato", First: sim.Span{1, 6}, Next: sim.Span{8, 16}})},
		{blurb: "steady; off sick Tue-Wed of week 1 unannounced (round robin still feeds him),\n" +
			"             on leave Thu-Fri of week 2 as the roster knows (M9 skips him)",
			off: []routing.Period{sick}, rep: routing.Rep{Away: []routing.Period{leave}},
			Persona: park(sim.Persona{ID: "rep-suzuki", First: sim.Span{1, 6}, Next: sim.Span{8, 16}})},
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

// handle gives ev a fresh id with prefix and hands it to the engine.
func (s *world) handle(ctx context.Context, prefix string, ev lead.Event) error {
	ev.ID = s.NewID(prefix)
	return s.Handle(ctx, ev)
}

// proto is a lead before it has an id: its arrival and its script of
// marketing events (an event, or a score change by delta when ev is zero).
type proto struct {
	at     time.Time
	src    string
	kind   companyKind
	prof   lead.Profile
	score  decimal.Decimal
	script []scripted
}

type scripted struct {
	at    time.Time
	ev    lead.Event
	delta decimal.Decimal
	why   string
}

// genLeads draws every lead and the marketing events it will produce, and
// queues them. Ids follow arrival order.
func (s *world) genLeads() {
	gen := sim.Arrivals{R: s.rng, Start: s.start, Days: s.opts.days, Sources: sources}
	ps := make([]*proto, 0, s.opts.Leads)
	for range s.opts.Leads {
		src := gen.Source()
		ps = append(ps, s.genLead(src, gen.When(src)))
	}
	slices.SortStableFunc(ps, func(a, b *proto) int { return a.at.Compare(b.at) })
	for i, p := range ps {
		id := fmt.Sprintf("L-%04d", i+1)
		s.leads[id] = &simLead{id: id, source: p.src, kind: p.kind}
		s.ids = append(s.ids, id)
		s.market(id, p.at, lead.Event{Kind: lead.EventCreated, Actor: "marketing", Score: p.score, Profile: p.prof})
		for _, a := range p.script {
			if a.ev.Kind != 0 {
				s.market(id, a.at, a.ev)
				continue
			}
			s.At(a.at, func(ctx context.Context, at time.Time) error { return s.rescore(ctx, id, at, a.delta, a.why) })
		}
	}
}

// genLead draws who a lead of src is and what marketing will see it do.
func (s *world) genLead(src sim.Source, at time.Time) *proto {
	r := s.rng
	p := &proto{src: src.Key, at: at}
	comp, kind := sim.Company(r), prospect
	switch x := r.Float64(); {
	case x < 0.03:
		comp, kind = competitorCompanies[r.IntN(len(competitorCompanies))], competitor
	case x < 0.08:
		comp, kind = customerCompanies[r.IntN(len(customerCompanies))], customer
	case x < 0.10 || (src.Key == "list" && x < 0.20):
		kind = badData
	}
	name, email := sim.JapaneseNames.Person(r, sim.Domain(comp))
	p.kind = kind
	p.prof = lead.Profile{Company: comp, Name: name, Email: email, Source: src.Key, MASystem: maSystems[r.IntN(len(maSystems))]}
	cents := int64(src.Score[0]+r.IntN(src.Score[1]-src.Score[0]+1)) * 100
	switch x := r.Float64(); {
	case x < 0.15 && src.Key != "list": // around the MQL threshold
		p.score = decimal.New(9600+r.Int64N(801), -2)
	case x < 0.45:
		p.score = decimal.New(cents+r.Int64N(100), -2)
	default:
		p.score = decimal.New(cents/100, 0)
	}

	after := func(lo, hi float64) time.Time {
		return p.at.Add(time.Duration((lo + r.Float64()*(hi-lo)) * float64(time.Hour))).Truncate(time.Minute)
	}
	trigger := func(at time.Time, k lead.EventKind, topic string) {
		p.script = append(p.script, scripted{at: at, ev: lead.Event{Kind: k, Actor: "marketing", Topic: topic}})
	}
	inquiry := func(at time.Time) { trigger(at, lead.EventInquiry, inquiryTopics[r.IntN(len(inquiryTopics))]) }
	download := func(at time.Time) { trigger(at, lead.EventDownload, documents[r.IntN(len(documents))]) }
	rescore := func(at time.Time, d decimal.Decimal, why string) {
		p.script = append(p.script, scripted{at: at, delta: d, why: why})
	}
	up := func(lo, hi float64) {
		d := decimal.New(int64(5+r.IntN(21))*100+int64(r.IntN(4))*25, -2)
		rescore(after(lo, hi), d, "engagement")
	}
	chance := func(pr float64) bool { return r.Float64() < pr }
	switch src.Key {
	case "web":
		inquiry(after(0.03, 0.15))
		if chance(0.3) {
			download(after(1, 30))
		}
		if chance(0.2) {
			up(6, 72)
		}
		if chance(0.15) {
			inquiry(after(24, 120))
		}
	case "partner":
		inquiry(after(0.02, 0.3))
		if chance(0.2) {
			download(after(2, 48))
		}
	case "seminar":
		if chance(0.55) {
			trigger(after(12, 60), lead.EventDownload, seminarSlides)
		}
		if chance(0.25) {
			inquiry(after(24, 120))
		}
		if chance(0.25) {
			up(2, 48)
		}
	case "download":
		download(p.at.Add(time.Minute))
		if chance(0.35) {
			download(after(2, 40))
		}
		if chance(0.25) {
			inquiry(after(24, 150))
		}
		if chance(0.25) {
			up(4, 72)
		}
	case "list":
		if chance(0.25) {
			up(24, 150)
		}
		if chance(0.15) {
			inquiry(after(24, 200))
		}
		if chance(0.15) {
			download(after(24, 200))
		}
	}
	if chance(0.15) {
		rescore(after(24, 200), decimal.New(-int64(5+r.IntN(16)), 0), "unsubscribed from the newsletter")
	}
	return p
}

// market schedules a marketing-automation event of lead id at t.
func (s *world) market(id string, t time.Time, ev lead.Event) {
	s.At(t, func(ctx context.Context, at time.Time) error {
		ev.Lead, ev.At = id, at
		sl := s.leads[id]
		if ev.Kind == lead.EventCreated {
			s.today.new[sl.source]++
		}
		sl.lastActive = at
		return s.handle(ctx, "ma", ev)
	})
}

func (s *world) rescore(ctx context.Context, id string, at time.Time, delta decimal.Decimal, why string) error {
	l, err := s.eng.Lead(ctx, sim.Ops, id)
	if err != nil {
		return err
	}
	switch {
	case delta.IsPositive():
		s.today.scoreUp++
		s.leads[id].lastActive = at
	case why == "decay":
		s.today.decay++
	default:
		s.today.scoreDown++
	}
	return s.handle(ctx, "ma", lead.Event{Kind: lead.EventScoreChanged, Lead: id, At: at, Actor: "marketing", Score: l.Score.Add(delta)})
}

// decay lowers by 5 the score of every lead with no activity in the last
// five days, as marketing automation does every week.
func (s *world) decay(ctx context.Context, at time.Time) error {
	for _, id := range s.ids {
		if sl := s.leads[id]; !sl.lastActive.IsZero() && at.Sub(sl.lastActive) >= 5*24*time.Hour {
			if err := s.rescore(ctx, id, at, decimal.NewFromInt(-5), "decay"); err != nil {
				return err
			}
		}
	}
	return nil
}

// followUp queues a later inquiry from a lead whose status a person or the
// engine changed: a protected lead's is suppressed (S5), a recycled lead's
// re-engages it (A5).
func (s *world) followUp(id string, at time.Time, lo, hi float64, topic string) {
	if t := at.Add(sim.Span{lo, hi}.Draw(s.rng)); t.Before(s.end) {
		s.market(id, t, lead.Event{Kind: lead.EventInquiry, Actor: "marketing", Topic: topic})
	}
}

// react lets people act on a notification as it is delivered.
func (s *world) react(ctx context.Context, n leadline.Notification) error {
	switch n.Kind {
	case leadline.NoteApproachRequest, leadline.NoteReassigned, leadline.NoteEscalated:
		return s.planFirst(ctx, n)
	case leadline.NoteRecycled:
		if s.rng.Float64() < 0.35 {
			s.followUp(n.Lead, n.At, 24, 96, "asked for a demo again")
		}
	}
	return nil
}

// planFirst makes the recipient of a new request plan their next attempt:
// the first one on an untouched lead, an earlier one on a lead in cadence.
func (s *world) planFirst(ctx context.Context, n leadline.Notification) error {
	l, err := s.eng.Lead(ctx, sim.Ops, n.Lead)
	p := s.people[n.To]
	if err != nil || p == nil || l.Owner != p.ID || !l.Track.Active() || l.Status.Protected() {
		return err
	}
	due, _ := l.Track.Pending()
	at := p.Attempt(s.rng, sim.AttemptParams{After: n.At, Due: due, First: true, Inherited: n.Kind == leadline.NoteReassigned})
	if pl, ok := s.Planned(l.ID); !ok || pl.By != p.ID || at.Before(pl.At) {
		s.plan(l.ID, p.ID, at)
	}
	return nil
}

// plan schedules rep's next attempt on the lead at at, superseding any
// earlier plan.
func (s *world) plan(id, rep string, at time.Time) {
	s.Plan(id, sim.Plan{By: rep, At: at}, func(ctx context.Context, at time.Time) error { return s.attempt(ctx, at, s.leads[id], rep) })
}

// attempt plays a planned outbound attempt, if it still makes sense: the
// rep still owns the lead, its cadence still runs, nobody disqualified it.
func (s *world) attempt(ctx context.Context, at time.Time, sl *simLead, rep string) error {
	l, err := s.eng.Lead(ctx, sim.Ops, sl.id)
	if err != nil {
		return err
	}
	p, tr := s.people[rep], &l.Track
	switch due, ok := tr.Pending(); {
	case l.Owner != rep, !tr.Active(), l.Status.Protected():
		return nil
	case tr.Stage == stage.Stage4 && !l.Request.Outstanding():
		return nil // the last attempt is made; wait for a reply or the recycle (T7)
	case ok && tr.Stage == stage.Untouched && due.Before(at):
		return nil // the Stage1 window closed first: the lead goes to someone else (T1)
	case p.Work.Absent(at):
		s.plan(sl.id, rep, p.Work.Next(at))
		return nil
	}
	if tr.Stage == stage.Untouched && !sl.reviewed {
		sl.reviewed = true
		switch sl.kind {
		case competitor:
			return s.review(ctx, at, sl.id, rep, lead.StatusDisqualifiedSales, "competitor: works for "+l.Company)
		case customer:
			return s.review(ctx, at, sl.id, rep, lead.StatusCustomer, "already under contract, same company and department")
		}
	}
	ch := s.pol.Cadence.Playbook(min(tr.Stage+1, stage.Stage4)).Channels
	if err := s.handle(ctx, "crm", lead.Event{Kind: lead.EventOutbound, Lead: sl.id, At: at, Actor: rep, Channels: ch}); err != nil {
		return err
	}
	if l, err = s.eng.Lead(ctx, sim.Ops, sl.id); err != nil {
		return err
	}
	if l.Track.Stage == stage.Stage1 && sl.kind == badData {
		s.setStatus(s.work.Add(at, time.Duration(20+s.rng.IntN(60))*time.Minute), sl.id, rep,
			lead.StatusDisqualifiedMktg, "e-mail bounced and the phone number is not in service")
		return nil
	}
	if t, ch, ok := answers.Answer(s.rng, &l, ch, at); ok {
		s.contact(t, l.ID, ch)
	}
	if l.Track.Stage < stage.Stage4 {
		// Stage4 gets four days (T5); everyone lets the Stage3 case
		// studies sink in for twice as long as usual.
		due, _ := l.Track.Pending()
		scale := map[bool]int{true: 2, false: 1}[l.Track.Stage == stage.Stage3]
		s.plan(l.ID, rep, p.Attempt(s.rng, sim.AttemptParams{After: at, Due: due, Scale: scale}))
	}
	return nil
}

// review records what a rep decided from the lead's data alone (S1).
func (s *world) review(ctx context.Context, at time.Time, id, rep string, st lead.Status, why string) error {
	if err := s.handle(ctx, "crm", lead.Event{Kind: lead.EventStatusSet, Lead: id, At: at, Actor: rep, Status: st, Reason: why}); err != nil {
		return err
	}
	if s.rng.Float64() < 0.75 {
		topic := map[bool]string{true: "pricing", false: "support question"}[st == lead.StatusDisqualifiedSales]
		s.followUp(id, at, 24, 96, topic)
	}
	return nil
}

// contact schedules a lead's answer: the cadence ends Connected (T6) and
// the owner qualifies the lead soon after (S1).
func (s *world) contact(t time.Time, id string, ch stage.Channels) {
	s.At(t, func(ctx context.Context, at time.Time) error {
		l, err := s.eng.Lead(ctx, sim.Ops, id)
		if err != nil {
			return err
		}
		tr := &l.Track
		if !tr.Active() || tr.Stage == stage.Untouched || l.Status.Protected() {
			return nil
		}
		if due, ok := tr.Pending(); ok && tr.Stage == stage.Stage4 && due.Before(at) {
			return nil // recycled before the reply came (T7)
		}
		if err := s.handle(ctx, "crm", lead.Event{Kind: lead.EventContact, Lead: id, At: at, Actor: l.Owner, Channels: ch}); err != nil {
			return err
		}
		s.Cancel(id) // no more attempts
		st, why := lead.StatusLead, "qualified: evaluating a tool within 6 months"
		switch x := s.rng.Float64(); {
		case x < 0.20:
			st, why = lead.StatusRecycled, "still gathering information; decision more than 6 months out"
		case x < 0.25:
			st, why = lead.StatusDisqualifiedSales, "job seeker, not a buyer"
		case x < 0.40:
			return nil // talked, not yet classified
		}
		if p := s.people[l.Owner]; p != nil {
			at = s.work.Add(p.Work.Next(at), time.Duration(15+s.rng.IntN(75))*time.Minute)
		}
		s.setStatus(at, id, l.Owner, st, why)
		return nil
	})
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
		if err := s.handle(ctx, "crm", lead.Event{Kind: lead.EventStatusSet, Lead: id, At: at, Actor: rep, Status: st, Reason: why}); err != nil {
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
