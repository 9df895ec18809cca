package main

import (
	"context"
	"errors"
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

// options are the command's flags.
type options struct {
	leads int    // leads across the three campaigns
	seed  uint64 // seeds the PCG source: same seed, same story
	tz    string // IANA zone of the company
}

func defaultOptions() options {
	return options{leads: 120, seed: 1, tz: "Asia/Tokyo"}
}

const (
	// minLeads leaves every campaign enough people for its part of the
	// story (a car dealer, no-shows to qualify, replay viewers).
	minLeads = 40
	maxLeads = 2000
)

// validate reports the first bad option, naming its flag.
func (o options) validate() error {
	switch {
	case o.leads < minLeads || o.leads > maxLeads:
		return fmt.Errorf("-leads must be from %d to %d, got %d", minLeads, maxLeads, o.leads)
	case o.tz == "" || o.tz == "Local":
		return fmt.Errorf("-tz must name an IANA zone such as Asia/Tokyo, got %q", o.tz)
	}
	if _, err := time.LoadLocation(o.tz); err != nil {
		return fmt.Errorf("-tz %q is not a known time zone", o.tz)
	}
	return nil
}

// run simulates the week and writes the story to w.
func run(w io.Writer, opts options) error {
	s, err := newWorld(opts)
	if err != nil {
		return err
	}
	ctx := context.Background()
	if err := s.Run(ctx, s.end); err != nil {
		return err
	}
	return s.report(ctx, w)
}

// The people. Ids are what the engine records; the roster is a
// routing.Org.
const (
	insideMgr = "mgr-inoue"
	fieldMgr  = "mgr-ishii"
)

var (
	insideReps = []string{"is-aoki", "is-baba", "is-chiba"}
	fieldReps  = []string{"fs-endo", "fs-fujii", "fs-goto", "fs-hara", "fs-ikeda"}
	// sheetReps keep their feedback in a spreadsheet (M5); the other
	// field reps record it in the CRM, one lead at a time.
	sheetReps = []string{"fs-goto", "fs-hara"}
)

// accountRep returns the field rep whose account company i is.
func accountRep(i int) string { return fieldReps[i%len(fieldReps)] }

// The campaigns of the week, with the follow-up model agreed at kickoff
// (M7). Start times are filled in by newSim in the -tz zone.
const (
	confID = "uc-2026"
	webID  = "media-0414"
	ocsID  = "ocs-april"
)

// prospect is what the simulation knows about a person besides the
// engine: who they are and what they will do.
type prospect struct {
	id, name, company string
	account           string // the field rep whose account the company is
	home              string // the campaign the lead came from
	score             int
	accountOwned      bool // created with its account rep as owner (M4, M9)
	// conference
	fieldInvite  string // the field rep who invited them (M4)
	insideInvite string // the inside rep whose call invited them (M6)
	selfRegister bool   // registers from the marketing e-mail, invited by nobody
	registered   bool
	reached      bool // an inside rep got through on the phone
	// webinar
	replay bool // watched the webinar's replay instead of the live session
}

// handoffStory is one Pre-SQL of the week (M10), for the report.
type handoffStory struct {
	lead, by, to string
	refused      error  // a hand-off refused first for missing BANT, if any
	answer       string // "accepted", "rejected: <reason>", or "" if unanswered
}

// sheetStory is one field rep's round trip through the feedback
// spreadsheet (M5).
type sheetStory struct {
	rep      string
	exported int
	bad      string // the first, broken sheet; "" if the rep made none
	badErr   error  // what ImportFeedback said about it
	// before and after are every lead's version and history length, read
	// from the engine around the refused import: equal if it changed
	// nothing.
	before, after sim.Snapshot
	applied       int
}

// world is one run: the organisation, the people, and the simulation
// they live in.
type world struct {
	*sim.Sim
	opts       options
	loc        *time.Location
	start, end time.Time
	rng        *rand.Rand
	eng        *leadline.Engine
	org        routing.Org
	work       *stage.BusinessCalendar // 09:00-18:00, Monday to Friday
	campaigns  []routing.Campaign      // as saved at kickoff, by id
	people     map[string]*prospect
	ids        []string          // every lead id, sorted
	evCampaign map[string]string // event id -> campaign of a response event
	log        sim.Log
	handoffs   []handoffStory
	sheets     []sheetStory
	feedbackBy map[string]int // feedback recorded in the CRM, by rep
	worked     map[string]int // inside work on approach requests: "attempts", "contacts"
}

// newWorld builds the organisation, the engine, the campaigns and the
// people, and scripts the week.
func newWorld(opts options) (*world, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(opts.tz)
	if err != nil {
		return nil, fmt.Errorf("-tz: %w", err)
	}
	work, err := stage.NewBusinessCalendar(stage.BusinessHours{Zone: opts.tz})
	if err != nil {
		return nil, fmt.Errorf("working hours: %w", err)
	}
	s := &world{
		opts:       opts,
		loc:        loc,
		start:      time.Date(2026, time.April, 13, 9, 0, 0, 0, loc),
		end:        time.Date(2026, time.April, 18, 0, 0, 0, 0, loc),
		rng:        rand.New(rand.NewPCG(opts.seed, opts.seed)),
		work:       work,
		people:     make(map[string]*prospect),
		evCampaign: make(map[string]string),
		feedbackBy: make(map[string]int),
		worked:     make(map[string]int),
	}
	s.org.Inside = routing.Team{ID: "inside", Manager: insideMgr}
	for _, id := range insideReps {
		s.org.Inside.Reps = append(s.org.Inside.Reps, routing.Rep{ID: id})
	}
	s.org.Field = routing.Team{ID: "field", Manager: fieldMgr}
	for _, id := range fieldReps {
		s.org.Field.Reps = append(s.org.Field.Reps, routing.Rep{ID: id})
	}
	// An inside-first organisation (M1), the rule book's defaults, with M2's
	// switch on: field reps see a summary of every campaign response.
	pol := leadline.Policy{Routing: routing.Rules{FieldSummary: true}}
	s.Sim, err = sim.New(sim.Config{Store: memstore.New(), Start: s.start,
		Engine: leadline.Config{Policy: pol, Roster: &s.org}, NotifyFunc: s.react})
	if err != nil {
		return nil, err
	}
	s.eng = s.Engine()
	nConf := opts.leads / 2
	nWeb := opts.leads * 3 / 10
	nOcs := opts.leads - nConf - nWeb
	s.campaigns = []routing.Campaign{
		{ID: confID, Name: "Leadline User Conference 2026", Type: routing.OwnEvent, Model: routing.Hybrid,
			Start:   s.Date(3, 10, 0),
			Targets: routing.Targets{Registrations: nConf / 3, Attendance: nConf / 4}},
		{ID: ocsID, Name: "Content syndication, April batch", Type: routing.ContentSyndication, Model: routing.InsideFirst,
			Start: s.Date(2, 10, 0)},
		{ID: webID, Name: "Media webinar: lead management for enterprises", Type: routing.ExternalSeminar, Model: routing.InsideFirst,
			Start: s.Date(1, 14, 0)},
	}
	for _, c := range s.campaigns {
		if err := s.eng.SaveCampaign(context.Background(), c); err != nil {
			return nil, fmt.Errorf("kickoff: %w", err)
		}
	}
	s.genPeople(nConf, nWeb, nOcs)
	s.script()
	return s, nil
}

// genPeople draws every person of the week. Ids follow the order leads
// reach the CRM: the conference's invitation list, the webinar's
// attendees and replay viewers, the syndication batch.
func (s *world) genPeople(nConf, nWeb, nOcs int) {
	add := func(home string, lo, hi int) *prospect {
		name := names.Name(s.rng)
		company, ci := companyName(s.rng)
		p := &prospect{id: leadID(len(s.ids) + 1), name: name, company: company, account: accountRep(ci),
			home: home, score: lo + s.rng.IntN(hi-lo+1)}
		s.people[p.id] = p
		s.ids = append(s.ids, p.id)
		return p
	}
	owned := min(6, nConf-1)
	for i := range nConf {
		p := add(confID, 20, 160)
		switch {
		case i == owned:
			// An account of a field rep, in the CRM with its owner; the
			// person registers from the marketing e-mail.
			p.accountOwned, p.selfRegister = true, true
		case i < 2 || s.rng.Float64() < 0.33:
			p.fieldInvite = p.account
		default:
			p.selfRegister = s.rng.Float64() < 0.1
		}
	}
	nReplay := max(3, nWeb/4)
	for i := range nWeb {
		p := add(webID, 30, 170)
		switch {
		case i == 0:
			p.fieldInvite = p.account // a client the rep sent to the webinar (M4)
			p.score = 140
		case i >= nWeb-nReplay:
			p.replay = true
		}
	}
	for range nOcs {
		add(ocsID, 10, 150)
	}
}

// handle gives ev a fresh id, remembers a response's campaign by it, and
// hands ev to the engine.
func (s *world) handle(ctx context.Context, ev lead.Event) error {
	ev.ID = s.NewID("ev")
	if ev.Kind == lead.EventResponse {
		s.evCampaign[ev.ID] = ev.Campaign
	}
	return s.Handle(ctx, ev)
}

// respond reports a campaign response.
func (s *world) respond(ctx context.Context, at time.Time, id, campaign string, kind lead.ResponseKind, actor string, set func(*lead.Event)) error {
	ev := lead.Event{Kind: lead.EventResponse, Lead: id, At: at, Campaign: campaign, Response: kind, Actor: actor}
	if set != nil {
		set(&ev)
	}
	return s.handle(ctx, ev)
}

func (s *world) create(ctx context.Context, at time.Time, p *prospect, source string) error {
	ev := lead.Event{Kind: lead.EventCreated, Lead: p.id, At: at, Actor: "marketing",
		Score:   decimal.NewFromInt(int64(p.score)),
		Profile: lead.Profile{Name: p.name, Company: p.company, Source: source}}
	if p.accountOwned {
		ev.Owner = p.account // account ownership wins over round robin (M4, M9)
	}
	return s.handle(ctx, ev)
}

// ---- the week ----

// script queues the week's scripted moments; the rest follows from them.
func (s *world) script() {
	s.At(s.Date(0, 9, 0), s.loadList)
	for _, id := range s.ids {
		p := s.people[id]
		switch {
		case p.home == confID && p.fieldInvite != "":
			s.At(s.within(s.Date(0, 10, 0), s.Date(0, 12, 0)), s.fieldInvitation(p))
		case p.home == confID && p.accountOwned:
			s.At(s.Date(0, 10, 30), s.register(p))
		case p.home == confID && p.selfRegister:
			s.At(s.within(s.Date(0, 10, 0), s.Date(2, 17, 0)), s.register(p))
		}
	}
	s.At(s.Date(0, 12, 0), s.fieldInvitesDone)
	s.At(s.Date(0, 14, 0), s.callList)
	s.At(s.Date(1, 9, 30), s.callList)
	s.At(s.Date(2, 9, 30), s.callList)
	for d := range 3 {
		s.At(s.Date(d, 18, 0), s.callsDone)
	}
	s.At(s.Date(1, 16, 0), s.webinarUpload)
	s.At(s.Date(2, 10, 0), s.syndicationBatch)
	s.At(s.Date(2, 11, 0), s.changeWebinarModel)
	s.At(s.Date(3, 10, 0), s.replayUpload)
	s.At(s.Date(3, 15, 0), s.webinarPreSQL)
	s.At(s.Date(3, 18, 0), s.conferenceUpload)
	s.At(s.Date(4, 9, 0), s.feedbackInCRM)
	s.At(s.Date(4, 9, 30), s.noShowPreSQLs)
	s.At(s.Date(4, 16, 0), s.feedbackSheets)
}

// loadList puts the conference's invitation list in the CRM (M6).
func (s *world) loadList(ctx context.Context, at time.Time) error {
	n, owned := 0, ""
	for _, id := range s.ids {
		p := s.people[id]
		if p.home != confID {
			continue
		}
		if err := s.create(ctx, at, p, "customer list"); err != nil {
			return err
		}
		if err := s.respond(ctx, at, id, confID, lead.ResponseListed, "marketing", nil); err != nil {
			return err
		}
		n++
		if p.accountOwned {
			owned = fmt.Sprintf("; %s is an account of %s, created with %s as owner", id, p.account, p.account)
		}
	}
	s.log.Addf(at, "%s: %d people on the invitation list%s", confID, n, owned)
	return nil
}

// fieldInvitation: a field rep invites a person they know (M4), who
// will most likely register.
func (s *world) fieldInvitation(p *prospect) func(context.Context, time.Time) error {
	return func(ctx context.Context, at time.Time) error {
		if err := s.respond(ctx, at, p.id, confID, lead.ResponseInvited, p.fieldInvite, nil); err != nil {
			return err
		}
		// The first two on the list always register (and come, see
		// conferenceUpload), so every run has its car dealer.
		if s.ids[0] == p.id || s.ids[1] == p.id || s.rng.Float64() < 0.8 {
			s.At(s.registrationTime(s.work.Add(at, s.hours(2, 20))), s.register(p))
		}
		return nil
	}
}

// registrationTime closes registration on Wednesday evening.
func (s *world) registrationTime(t time.Time) time.Time {
	if last := s.Date(2, 18, 0); t.After(last) {
		return last
	}
	return t
}

func (s *world) fieldInvitesDone(_ context.Context, at time.Time) error {
	by := map[string]int{}
	n := 0
	for _, p := range s.people {
		if p.home == confID && p.fieldInvite != "" {
			by[p.fieldInvite]++
			n++
		}
	}
	s.log.Addf(at, "%s: field reps invited %d of them personally (M4): %s", confID, n, sim.Count(by).List(fieldReps...))
	return nil
}

// register: the person registers on the event site; the engine credits
// whoever invited them (M6).
func (s *world) register(p *prospect) func(context.Context, time.Time) error {
	return func(ctx context.Context, at time.Time) error {
		if p.registered {
			return nil
		}
		p.registered = true
		return s.respond(ctx, at, p.id, confID, lead.ResponseRegistered, "marketing", nil)
	}
}

// callList: the inside manager pulls the call list (M6), the people no
// field rep invited who have not registered, and shares it out. People an
// inside rep already reached are not called again.
func (s *world) callList(ctx context.Context, at time.Time) error {
	list, err := s.eng.CallList(ctx, routing.Viewer{Rep: insideMgr, Role: routing.RoleManager}, confID)
	if err != nil {
		return err
	}
	var todo []*prospect
	for _, l := range list {
		if p := s.people[l.ID]; !p.reached {
			todo = append(todo, p)
		}
	}
	by := map[string]int{}
	closing := time.Date(at.Year(), at.Month(), at.Day(), 17, 30, 0, 0, s.loc)
	for i, p := range todo {
		rep := insideReps[i%len(insideReps)]
		by[rep]++
		s.At(s.within(at.Add(15*time.Minute), closing), s.call(rep, p))
	}
	s.log.Addf(at, "%s: call list for inside sales (CallList, M6): %d not invited by field and not registered; %d to call (%s)",
		confID, len(list), len(todo), sim.Count(by).List(insideReps...))
	return nil
}

// call: an inside rep calls a person on the list; reached, they are
// invited, and some register (M6).
func (s *world) call(rep string, p *prospect) func(context.Context, time.Time) error {
	return func(ctx context.Context, at time.Time) error {
		s.worked["calls"]++
		if p.registered {
			return nil
		}
		if s.rng.Float64() >= 0.55 {
			return nil
		}
		p.reached, p.insideInvite = true, rep
		s.worked["reached and invited"]++
		if err := s.respond(ctx, at, p.id, confID, lead.ResponseInvited, rep, nil); err != nil {
			return err
		}
		if s.rng.Float64() < 0.6 {
			s.At(s.registrationTime(s.work.Add(at, s.hours(1, 16))), s.register(p))
		}
		return nil
	}
}

// callsDone reports a day of inside calls and the registrations so far,
// by who drove them (M6).
func (s *world) callsDone(_ context.Context, at time.Time) error {
	calls, reached := s.worked["calls"], s.worked["reached and invited"]
	s.worked["calls"], s.worked["reached and invited"] = 0, 0
	regs := map[string]int{}
	for _, p := range s.people {
		if p.home != confID || !p.registered {
			continue
		}
		switch {
		case p.fieldInvite != "":
			regs["field"]++
		case p.insideInvite != "":
			regs["inside"]++
		default:
			regs["marketing"]++
		}
	}
	s.log.Addf(at, "%s: inside calls today %d, reached and invited %d; registered so far: %s",
		confID, calls, reached, sim.Count(regs).List("field", "inside", "marketing"))
	return nil
}

// routed classifies what the last routing decision did with a lead.
func (s *world) routed(ctx context.Context, id string) (string, error) {
	l, err := s.eng.Lead(ctx, sim.Ops, id)
	if err != nil {
		return "", err
	}
	r, ok, err := s.lastRoute(ctx, id)
	if err != nil || !ok {
		return "not routed", err
	}
	switch {
	case r.Rule == "M4" && r.From == "field" && r.To == "field":
		return "stayed with its field rep (M4)", nil
	case r.To == "field":
		return fmt.Sprintf("to field sales (%s)", r.Rule), nil
	case r.To == "inside" && l.Request.Outstanding():
		return fmt.Sprintf("to inside sales as approach requests P%d (%s)", l.Request.Priority, l.Request.Reasons.First()), nil
	case r.To == "nurture":
		return fmt.Sprintf("nurtured (%s)", r.Rule), nil
	}
	return fmt.Sprintf("%s (%s)", r.To, r.Rule), nil
}

// lastRoute returns the lead's last routing entry.
func (s *world) lastRoute(ctx context.Context, id string) (lead.Change, bool, error) {
	h, err := s.eng.History(ctx, sim.Ops, id)
	if err != nil {
		return lead.Change{}, false, err
	}
	for _, c := range slices.Backward(h) {
		if c.Field == lead.FieldRoute {
			return c, true, nil
		}
	}
	return lead.Change{}, false, nil
}

// webinarUpload: the media company sends the live webinar's attendees.
func (s *world) webinarUpload(ctx context.Context, at time.Time) error {
	got := sim.Count{}
	for _, id := range s.ids {
		p := s.people[id]
		if p.home != webID || p.replay {
			continue
		}
		if err := s.create(ctx, at, p, "media webinar"); err != nil {
			return err
		}
		err := s.respond(ctx, at, id, webID, lead.ResponseAttended, "media-partner", func(e *lead.Event) { e.InvitedBy = p.fieldInvite })
		if err != nil {
			return err
		}
		if err := s.countRoute(ctx, got, id); err != nil {
			return err
		}
	}
	s.log.Addf(at, "%s: %d live attendees uploaded: %s", webID, got.Sum(), got.Ranked())
	return nil
}

// syndicationBatch: the syndication vendor delivers the April batch; the
// webinar's field-invited client downloaded the white paper too.
func (s *world) syndicationBatch(ctx context.Context, at time.Time) error {
	got := sim.Count{}
	for _, id := range s.ids {
		p := s.people[id]
		if p.home != ocsID {
			continue
		}
		if err := s.create(ctx, at, p, "content syndication"); err != nil {
			return err
		}
		if err := s.respond(ctx, at, id, ocsID, lead.ResponseDownloaded, "syndication-vendor", nil); err != nil {
			return err
		}
		if err := s.countRoute(ctx, got, id); err != nil {
			return err
		}
	}
	for _, id := range s.ids {
		if p := s.people[id]; p.home == webID && p.fieldInvite != "" {
			if err := s.respond(ctx, at, id, ocsID, lead.ResponseDownloaded, "syndication-vendor", nil); err != nil {
				return err
			}
			if err := s.countRoute(ctx, got, id); err != nil {
				return err
			}
		}
	}
	s.log.Addf(at, "%s: %d downloads delivered: %s", ocsID, got.Sum(), got.Ranked())
	return nil
}

// changeWebinarModel: after the webinar, sales management moves its
// replay viewers to field sales directly (M7).
func (s *world) changeWebinarModel(ctx context.Context, at time.Time) error {
	const why = "agreed with mgr-inoue: replay viewers are mostly named accounts; field follows MQLs up directly"
	if err := s.eng.ChangeModel(ctx, webID, routing.Direct, fieldMgr, why); err != nil {
		return err
	}
	c, err := s.eng.Campaign(ctx, webID)
	if err != nil {
		return err
	}
	ch := c.Changes[len(c.Changes)-1]
	s.log.Addf(at, "%s: model %v -> %v after the start, by %s: %q (M7, recorded on the campaign)", webID, ch.From, ch.To, ch.By, ch.Reason)
	return nil
}

// replayUpload: the media company sends the replay viewers.
func (s *world) replayUpload(ctx context.Context, at time.Time) error {
	got := sim.Count{}
	for _, id := range s.ids {
		p := s.people[id]
		if !p.replay {
			continue
		}
		if err := s.create(ctx, at, p, "media webinar replay"); err != nil {
			return err
		}
		if err := s.respond(ctx, at, id, webID, lead.ResponseVisited, "media-partner", nil); err != nil {
			return err
		}
		if err := s.countRoute(ctx, got, id); err != nil {
			return err
		}
	}
	s.log.Addf(at, "%s: %d replay viewers uploaded, now under the direct model: %s", webID, got.Sum(), got.Ranked())
	return nil
}

// conferenceUpload: after the conference the attendance and the booth
// scans are uploaded, and every attendee routes by M3/M4.
func (s *world) conferenceUpload(ctx context.Context, at time.Time) error {
	noShows := 0 // inside-invited registrants forced to stay away, for the M10 story
	var came, met, regs int
	for _, id := range s.ids {
		p := s.people[id]
		if p.home != confID || !p.registered {
			continue
		}
		regs++
		var attend bool
		metBy := ""
		switch {
		case p.fieldInvite != "":
			attend = s.ids[0] == id || s.ids[1] == id || s.rng.Float64() < 0.85
			if attend && (s.ids[0] == id || s.rng.Float64() < 0.7) {
				metBy = p.fieldInvite // the car dealer: the rep who invited them shows them round
			}
		case p.accountOwned:
			attend = true
		case p.insideInvite != "" && noShows < 2:
			noShows++
		case p.insideInvite != "":
			attend = s.rng.Float64() < 0.7
		default:
			attend = s.rng.Float64() < 0.6
		}
		if attend && metBy == "" && !p.accountOwned && s.rng.Float64() < 0.2 {
			metBy = fieldReps[s.rng.IntN(len(fieldReps))] // met at the booth
		}
		if !attend {
			continue
		}
		came++
		checkIn := s.within(s.Date(3, 9, 30), s.Date(3, 11, 0))
		// The booth scan travels with the attendance record, so the
		// first routing decision knows who met the person (M4).
		err := s.respond(ctx, checkIn, id, confID, lead.ResponseAttended, "event-app", func(e *lead.Event) { e.MetBy = metBy })
		if err != nil {
			return err
		}
		if metBy != "" {
			met++
			if err := s.respond(ctx, s.within(s.Date(3, 11, 0), s.Date(3, 17, 0)), id, confID, lead.ResponseMet, metBy, nil); err != nil {
				return err
			}
		}
	}
	s.log.Addf(at, "%s: attendance uploaded: %d of %d registered came, %d met a field rep; every attendee routed to field (M3, M4)",
		confID, came, regs, met)
	return nil
}

// react lets inside reps work the approach requests delivered: a first
// call within hours, then a call a day until contact.
func (s *world) react(_ context.Context, n leadline.Notification) error {
	if n.Kind == leadline.NoteApproachRequest && slices.Contains(insideReps, n.To) {
		s.At(s.work.Add(s.Now(), s.hours(0.5, 3)), s.attempt(n.Lead, n.To, 1))
	}
	return nil
}

// hours draws a span of lo to hi hours, to the minute.
func (s *world) hours(lo, hi float64) time.Duration { return sim.Hours(s.rng, lo, hi) }

// within draws a minute in [from, to).
func (s *world) within(from, to time.Time) time.Time { return sim.Between(s.rng, from, to) }

// workable reports whether rep still works l's cadence: it is theirs, on
// the inside desk, and not yet connected.
func workable(l *lead.Lead, rep string) bool {
	return l.Desk == lead.DeskInside && l.Owner == rep && l.Track.Active()
}

func (s *world) attempt(id, rep string, n int) func(context.Context, time.Time) error {
	return func(ctx context.Context, at time.Time) error {
		l, err := s.eng.Lead(ctx, sim.Ops, id)
		if err != nil || !workable(&l, rep) {
			return err
		}
		s.worked["attempts"]++
		if err := s.handle(ctx, lead.Event{Kind: lead.EventOutbound, Lead: id, At: at, Actor: rep, Channels: stage.Call | stage.Email}); err != nil {
			return err
		}
		switch {
		case s.rng.Float64() < 0.55:
			s.At(s.work.Add(at, s.hours(1, 5)), s.contact(id, rep))
		case n < 3:
			s.At(s.work.Add(at, s.hours(7, 9)), s.attempt(id, rep, n+1))
		}
		return nil
	}
}

func (s *world) contact(id, rep string) func(context.Context, time.Time) error {
	return func(ctx context.Context, at time.Time) error {
		l, err := s.eng.Lead(ctx, sim.Ops, id)
		if err != nil || !workable(&l, rep) {
			return err
		}
		s.worked["contacts"]++
		return s.handle(ctx, lead.Event{Kind: lead.EventContact, Lead: id, At: at, Actor: rep, Channels: stage.Call})
	}
}

// webinarPreSQL: an inside rep who reached a webinar MQL qualifies it and
// hands it to the account's field rep (M1, M10), who accepts on Friday.
func (s *world) webinarPreSQL(ctx context.Context, at time.Time) error {
	leads, err := s.eng.Leads(ctx, sim.Ops, leadline.Query{Campaign: webID})
	if err != nil {
		return err
	}
	for _, l := range leads {
		if l.Desk != lead.DeskInside || l.Track.Stage != stage.Connected || l.Owner == "" {
			continue
		}
		p := s.people[l.ID]
		bant := lead.BANT{Budget: "FY2026 budget for an MA-SFA link", Need: "MQLs lost between marketing and sales", Timeline: "decision by June"}
		if err := s.handle(ctx, lead.Event{Kind: lead.EventBANT, Lead: l.ID, At: at, Actor: l.Owner, BANT: bant}); err != nil {
			return err
		}
		if err := s.handle(ctx, lead.Event{Kind: lead.EventHandoff, Lead: l.ID, At: at.Add(10 * time.Minute), Actor: l.Owner, To: p.account}); err != nil {
			return err
		}
		h := handoffStory{lead: l.ID, by: l.Owner, to: p.account}
		s.handoffs = append(s.handoffs, h)
		s.At(s.Date(4, 11, 0), s.answer(len(s.handoffs)-1, "", lead.StatusLead))
		s.log.Addf(at, "%s: %s qualified %s (BANT), handed it to %s as a Pre-SQL (M10)", webID, l.Owner, l.ID, p.account)
		return nil
	}
	s.log.Addf(at, "%s: no webinar MQL reached yet; no Pre-SQL from it this week", webID)
	return nil
}

// noShowPreSQLs: inside reps call the people they invited who registered
// but did not come; two are qualified and handed to field (M6, M10).
func (s *world) noShowPreSQLs(ctx context.Context, at time.Time) error {
	leads, err := s.eng.Leads(ctx, sim.Ops, leadline.Query{Campaign: confID})
	if err != nil {
		return err
	}
	var noShows []lead.Lead
	for _, l := range leads {
		p := s.people[l.ID]
		if p.insideInvite != "" && p.registered && l.Desk == lead.DeskInside && !attended(&l, confID) {
			noShows = append(noShows, l)
		}
	}
	if len(noShows) < 2 {
		s.log.Addf(at, "%s: fewer than two no-shows to qualify this run", confID)
		return nil
	}
	for i, l := range noShows[:2] {
		p := s.people[l.ID]
		rep := p.insideInvite
		t := at.Add(time.Duration(i) * 20 * time.Minute)
		if err := s.handle(ctx, lead.Event{Kind: lead.EventContact, Lead: l.ID, At: t, Actor: rep, Channels: stage.Call}); err != nil {
			return err
		}
		h := handoffStory{lead: l.ID, by: rep, to: p.account}
		reason := ""
		if i == 0 {
			// Need only: the hand-off is refused (M10: need and timeline).
			if err := s.handle(ctx, lead.Event{Kind: lead.EventBANT, Lead: l.ID, At: t, Actor: rep, BANT: lead.BANT{Need: "routing of event leads to field"}}); err != nil {
				return err
			}
			h.refused = s.handle(ctx, lead.Event{Kind: lead.EventHandoff, Lead: l.ID, At: t.Add(5 * time.Minute), Actor: rep, To: p.account})
			if !errors.Is(h.refused, leadline.ErrInvalidTransition) {
				return fmt.Errorf("hand-off of %s without a timeline = %v, want refused (M10)", l.ID, h.refused)
			}
			if err := s.handle(ctx, lead.Event{Kind: lead.EventBANT, Lead: l.ID, At: t.Add(10 * time.Minute), Actor: rep, BANT: lead.BANT{Timeline: "next fiscal year"}}); err != nil {
				return err
			}
			reason = "no budget before FY2027; inside to keep in touch"
		} else {
			bant := lead.BANT{Budget: "approved", Authority: "IT director", Need: "field follow-up of event leads", Timeline: "this quarter"}
			if err := s.handle(ctx, lead.Event{Kind: lead.EventBANT, Lead: l.ID, At: t, Actor: rep, BANT: bant}); err != nil {
				return err
			}
		}
		if err := s.handle(ctx, lead.Event{Kind: lead.EventHandoff, Lead: l.ID, At: t.Add(15 * time.Minute), Actor: rep, To: p.account}); err != nil {
			return err
		}
		s.handoffs = append(s.handoffs, h)
		s.At(s.Date(4, 14+i, 0), s.answer(len(s.handoffs)-1, reason, lead.StatusLead))
		s.log.Addf(t, "%s: %s reached no-show %s, qualified it and handed it to %s as a Pre-SQL (M10)", confID, rep, l.ID, p.account)
	}
	return nil
}

// answer: the field rep accepts the Pre-SQL, or rejects it with reason
// back to inside sales (M10).
func (s *world) answer(i int, reason string, back lead.Status) func(context.Context, time.Time) error {
	return func(ctx context.Context, at time.Time) error {
		h := &s.handoffs[i]
		ev := lead.Event{Kind: lead.EventAccept, Lead: h.lead, At: at, Actor: h.to}
		h.answer = "accepted: an SQL"
		if reason != "" {
			ev.Kind, ev.Reason, ev.Status = lead.EventReject, reason, back
			h.answer = "rejected: " + reason
		}
		return s.handle(ctx, ev)
	}
}

// attended reports whether l attended campaign.
func attended(l *lead.Lead, campaign string) bool {
	return slices.ContainsFunc(l.Responses, func(t lead.Touch) bool { return t.Campaign == campaign && t.Kind == lead.ResponseAttended })
}

// drawFeedback draws a field rep's feedback on a lead (M5).
func (s *world) drawFeedback() lead.Feedback {
	f := lead.Feedback{Target: s.rng.Float64() < 0.9}
	switch x := s.rng.Float64(); {
	case !f.Target:
		f.State, f.Opportunity = lead.Done, lead.OutcomeNo
	case x < 0.4:
		f.State, f.Opportunity = lead.Done, lead.OutcomeNo
		if s.rng.Float64() < 0.45 {
			f.Opportunity = lead.OutcomeYes
		}
	case x < 0.8:
		f.State = lead.InProgress
	}
	cs := feedbackComments[commentKey(f)]
	f.Comment = cs[s.rng.IntN(len(cs))]
	return f
}

// feedbackInCRM: the field reps who use the CRM record their follow-up
// of the leads routed to them, one lead at a time (M5).
func (s *world) feedbackInCRM(ctx context.Context, at time.Time) error {
	leads, err := s.eng.Leads(ctx, sim.Ops, leadline.Query{})
	if err != nil {
		return err
	}
	for _, l := range leads {
		if l.Desk != lead.DeskField || l.Handoff != lead.HandoffNone || slices.Contains(sheetReps, l.Owner) || s.rng.Float64() >= 0.85 {
			continue
		}
		f := s.drawFeedback()
		id, rep := l.ID, l.Owner
		s.At(s.within(at, s.Date(4, 17, 0)), func(ctx context.Context, at time.Time) error {
			s.feedbackBy[rep]++
			return s.handle(ctx, lead.Event{Kind: lead.EventFeedback, Lead: id, At: at, Actor: rep, Feedback: f})
		})
	}
	return nil
}
