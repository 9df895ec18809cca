package main

import (
	"context"
	"errors"
	"fmt"
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

// The people: ids are what the engine records; the roster is a routing.Org.
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

// The campaigns of the week.
const (
	confID = "uc-2026"
	webID  = "media-0414"
	ocsID  = "ocs-april"
)

// prospect is who a person is and what they will do.
type prospect struct {
	id, name, company string
	account           string // the field rep whose account the company is
	home              string // the campaign the lead came from
	score             int
	accountOwned      bool   // created with its account rep as owner (M4, M9)
	fieldInvite       string // the field rep who will invite them (M4)
	selfRegister      bool   // registers from the marketing e-mail
	replay            bool   // watched the webinar's replay, not the live session
}

// world is one run.
type world struct {
	*sim.Sim
	opts       sim.Flags
	loc        *time.Location
	start, end time.Time
	rng        *rand.Rand
	eng        *leadline.Engine
	org        routing.Org
	work       *stage.BusinessCalendar // 09:00-18:00, Monday to Friday
	people     map[string]*prospect
	ids        []string // every lead id, sorted
	log        sim.Log
	handoffs   []*sim.HandOff
	sheets     []sim.SheetTrip
	feedbackBy sim.Count  // feedback recorded in the CRM, by rep
	drive      sim.Drive  // the conference's invitation drive (M6)
	calls      sim.Caller // inside reps calling their approach requests
}

// newWorld builds the organisation, the engine, the campaigns and the
// people, and scripts the week.
func newWorld(opts sim.Flags) (*world, error) {
	if err := opts.Check(); err != nil {
		return nil, err
	}
	loc, _ := sim.LoadZone(opts.Zone)
	work, err := stage.NewBusinessCalendar(stage.BusinessHours{Zone: opts.Zone})
	if err != nil {
		return nil, fmt.Errorf("working hours: %w", err)
	}
	s := &world{opts: opts, loc: loc, rng: opts.Rand(), work: work,
		start:  time.Date(2026, time.April, 13, 9, 0, 0, 0, loc),
		end:    time.Date(2026, time.April, 18, 0, 0, 0, 0, loc),
		people: map[string]*prospect{}, feedbackBy: sim.Count{}}
	s.org.Inside = routing.Team{ID: "inside", Manager: insideMgr, Reps: sim.Reps(insideReps...)}
	s.org.Field = routing.Team{ID: "field", Manager: fieldMgr, Reps: sim.Reps(fieldReps...)}
	// Inside-first (M1); field reps see a summary of every response (M2).
	pol := leadline.Policy{Routing: routing.Rules{FieldSummary: true}}
	s.Sim, err = sim.New(sim.Config{Store: memstore.New(), Start: s.start,
		Engine: leadline.Config{Policy: pol, Roster: &s.org}, NotifyFunc: s.calls.Notify})
	if err != nil {
		return nil, err
	}
	s.eng = s.Engine()
	s.drive = sim.Drive{Sim: s.Sim, R: s.rng, Work: work, Log: &s.log, Campaign: confID, Callers: insideReps, Field: fieldReps,
		Manager: routing.Viewer{Rep: insideMgr, Role: routing.RoleManager}, Close: s.Date(2, 18, 0),
		FieldRegister: 0.8, Reach: 0.55, CallRegister: 0.6}
	// Inside reps call a request within hours, then daily, thrice at most.
	s.calls = sim.Caller{Sim: s.Sim, R: s.rng, Work: work, Reps: insideReps,
		First: sim.Span{0.5, 3}, Answer: 0.55, Reply: sim.Span{1, 5}, Again: sim.Span{7, 9}, Tries: 3}
	nConf, nWeb := opts.Leads/2, opts.Leads*3/10
	for _, c := range []routing.Campaign{
		{ID: confID, Name: "Leadline User Conference 2026", Type: routing.OwnEvent, Model: routing.Hybrid,
			Start: s.Date(3, 10, 0), Targets: routing.Targets{Registrations: nConf / 3, Attendance: nConf / 4},
			AgreedBy: fieldMgr, AgreedAt: s.Date(0, 9, 0)},
		{ID: ocsID, Name: "Content syndication, April batch", Type: routing.ContentSyndication, Model: routing.InsideFirst, Start: s.Date(2, 10, 0),
			AgreedBy: insideMgr, AgreedAt: s.Date(0, 9, 0)},
		{ID: webID, Name: "Media webinar: lead management for enterprises", Type: routing.ExternalSeminar, Model: routing.InsideFirst, Start: s.Date(1, 14, 0),
			AgreedBy: insideMgr, AgreedAt: s.Date(0, 9, 0)},
	} {
		if err := s.eng.SaveCampaign(context.Background(), c); err != nil {
			return nil, fmt.Errorf("kickoff: %w", err)
		}
	}
	s.genPeople(nConf, nWeb, opts.Leads-nConf-nWeb)
	s.script()
	return s, nil
}

// genPeople draws every person of the week, in the order their leads
// reach the CRM.
func (s *world) genPeople(nConf, nWeb, nOcs int) {
	add := func(home string, lo, hi int) *prospect {
		name, ci := names.Name(s.rng), s.rng.IntN(len(companies))
		p := &prospect{id: fmt.Sprintf("L-%04d", len(s.ids)+1), name: name, company: companies[ci], account: fieldReps[ci%len(fieldReps)],
			home: home, score: lo + s.rng.IntN(hi-lo+1)}
		s.people[p.id] = p
		s.ids = append(s.ids, p.id)
		return p
	}
	owned := min(6, nConf-1)
	for i := range nConf {
		p := add(confID, 20, 160)
		switch {
		case i == owned: // an account of a field rep, registering from the marketing e-mail
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
		case i == 0: // a client the rep sent to the webinar (M4)
			p.fieldInvite, p.score = p.account, 140
		case i >= nWeb-nReplay:
			p.replay = true
		}
	}
	for range nOcs {
		add(ocsID, 10, 150)
	}
}

// script queues the week's scripted moments; the rest follows from them.
func (s *world) script() {
	s.At(s.Date(0, 9, 0), s.loadList)
	for _, id := range s.ids {
		switch p := s.people[id]; {
		case p.home == confID && p.fieldInvite != "":
			// The first two on the list always register (and come), so
			// every run has its car dealer.
			s.At(sim.Between(s.rng, s.Date(0, 10, 0), s.Date(0, 12, 0)), s.drive.Invite(id, p.fieldInvite, id == s.ids[0] || id == s.ids[1]))
		case p.home == confID && p.accountOwned:
			s.At(s.Date(0, 10, 30), s.drive.Register(id))
		case p.home == confID && p.selfRegister:
			s.At(sim.Between(s.rng, s.Date(0, 10, 0), s.Date(2, 17, 0)), s.drive.Register(id))
		}
	}
	s.At(s.Date(0, 12, 0), s.drive.InvitesDone)
	for d, t := range []time.Time{s.Date(0, 14, 0), s.Date(1, 9, 30), s.Date(2, 9, 30)} {
		s.At(t, s.drive.CallList)
		s.At(s.Date(d, 18, 0), s.drive.CallsDone)
	}
	s.At(s.Date(1, 16, 0), s.upload("live attendees uploaded", webID, "media webinar", lead.ResponseAttended, "media-partner",
		func(p *prospect) bool { return p.home == webID && !p.replay }))
	s.At(s.Date(2, 10, 0), s.upload("downloads delivered", ocsID, "content syndication", lead.ResponseDownloaded, "syndication-vendor",
		func(p *prospect) bool { return p.home == ocsID }))
	s.At(s.Date(2, 11, 0), s.changeWebinarModel)
	s.At(s.Date(3, 10, 0), s.upload("replay viewers uploaded, now under the direct model", webID, "media webinar replay",
		lead.ResponseVisited, "media-partner", func(p *prospect) bool { return p.replay }))
	s.At(s.Date(3, 15, 0), s.webinarPreSQL)
	s.At(s.Date(3, 18, 0), s.drive.Attend([2]time.Time{s.Date(3, 9, 30), s.Date(3, 11, 0)}, [2]time.Time{s.Date(3, 11, 0), s.Date(3, 17, 0)}, s.attends()))
	s.At(s.Date(4, 9, 0), s.feedbackInCRM)
	s.At(s.Date(4, 9, 30), s.noShowPreSQLs)
	s.At(s.Date(4, 16, 0), s.feedbackSheets)
}

// create puts p in the CRM, with its account rep as owner if it has one
// (account ownership wins over round robin, M4, M9).
func (s *world) create(ctx context.Context, at time.Time, p *prospect, source string) error {
	ev := lead.Event{Kind: lead.EventCreated, Lead: p.id, At: at, Actor: "marketing", Score: decimal.NewFromInt(int64(p.score)),
		Profile: lead.Profile{Name: p.name, Company: p.company, Source: source}}
	if p.accountOwned {
		ev.Owner = p.account
	}
	return s.Handle(ctx, ev)
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
		if err := s.Handle(ctx, lead.Event{Kind: lead.EventResponse, Lead: id, At: at, Campaign: confID, Response: lead.ResponseListed, Actor: "marketing"}); err != nil {
			return err
		}
		if n++; p.accountOwned {
			owned = fmt.Sprintf("; %s is an account of %s, created with %s as owner", id, p.account, p.account)
		}
	}
	s.log.Addf(at, "%s: %d people on the invitation list%s", confID, n, owned)
	return nil
}

// upload: a vendor sends the responses to campaign of the people keep
// accepts, new leads from source, and the log says where each was routed
// (sim.Routed); the webinar's field-invited client downloads the white
// paper too, already a lead.
func (s *world) upload(what, campaign, source string, kind lead.ResponseKind, actor string, keep func(*prospect) bool) sim.ActionFunc {
	return func(ctx context.Context, at time.Time) error {
		got := sim.Count{}
		for _, fresh := range []bool{true, false} {
			for _, id := range s.ids {
				p := s.people[id]
				if fresh && !keep(p) || !fresh && (campaign != ocsID || p.home != webID || p.fieldInvite == "") {
					continue
				}
				if fresh {
					if err := s.create(ctx, at, p, source); err != nil {
						return err
					}
				}
				ev := lead.Event{Kind: lead.EventResponse, Lead: id, At: at, Campaign: campaign, Response: kind, Actor: actor}
				if kind == lead.ResponseAttended {
					ev.InvitedBy = p.fieldInvite
				}
				if err := s.Handle(ctx, ev); err != nil {
					return err
				}
				where, err := s.Routed(ctx, id)
				if err != nil {
					return err
				}
				got[where]++
			}
		}
		s.log.Addf(at, "%s: %d %s: %s", campaign, got.Sum(), what, got.Ranked())
		return nil
	}
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

// attends says whether a registrant came to the conference and who met
// them: the car dealers' reps show them round, others meet a rep at the
// booth; two inside-invited registrants stay away, for the M10 story.
func (s *world) attends() func(id string) (bool, string) {
	noShows := 0
	return func(id string) (attend bool, metBy string) {
		p := s.people[id]
		switch _, inside := s.drive.InvitedBy(id); {
		case p.fieldInvite != "":
			attend = s.ids[0] == id || s.ids[1] == id || s.rng.Float64() < 0.85
			if attend && (s.ids[0] == id || s.rng.Float64() < 0.7) {
				metBy = p.fieldInvite
			}
		case p.accountOwned:
			attend = true
		case inside != "" && noShows < 2:
			noShows++
		case inside != "":
			attend = s.rng.Float64() < 0.7
		default:
			attend = s.rng.Float64() < 0.6
		}
		if attend && metBy == "" && !p.accountOwned && s.rng.Float64() < 0.2 {
			metBy = fieldReps[s.rng.IntN(len(fieldReps))]
		}
		return attend, metBy
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
		if err := s.HandOff(ctx, at, 10*time.Minute, l.ID, l.Owner, p.account, bant); err != nil {
			return err
		}
		h := &sim.HandOff{Lead: l.ID, By: l.Owner, To: p.account}
		s.handoffs = append(s.handoffs, h)
		s.At(s.Date(4, 11, 0), s.Answer(h, ""))
		s.log.Addf(at, "%s: %s qualified %s (BANT), handed it to %s as a Pre-SQL (M10)", webID, l.Owner, l.ID, p.account)
		return nil
	}
	s.log.Addf(at, "%s: no webinar MQL reached yet; no Pre-SQL from it this week", webID)
	return nil
}

// noShowPreSQLs: inside reps call the people they invited who registered
// but did not come; two are qualified and handed to field (M6, M10). The
// first hand-off, with the need only, is refused (M10: need and
// timeline), then made again once the timeline is known, and rejected.
func (s *world) noShowPreSQLs(ctx context.Context, at time.Time) error {
	leads, err := s.eng.Leads(ctx, sim.Ops, leadline.Query{Campaign: confID})
	if err != nil {
		return err
	}
	var noShows []lead.Lead
	for _, l := range leads {
		if _, inside := s.drive.InvitedBy(l.ID); inside != "" && s.drive.Registered(l.ID) && l.Desk == lead.DeskInside { // every attendee went to field (M3, M4)
			noShows = append(noShows, l)
		}
	}
	if len(noShows) < 2 {
		s.log.Addf(at, "%s: fewer than two no-shows to qualify this run", confID)
		return nil
	}
	for i, l := range noShows[:2] {
		p := s.people[l.ID]
		_, rep := s.drive.InvitedBy(l.ID)
		t := at.Add(time.Duration(i) * 20 * time.Minute)
		if err := s.Handle(ctx, lead.Event{Kind: lead.EventContact, Lead: l.ID, At: t, Actor: rep, Channels: stage.Call}); err != nil {
			return err
		}
		h := &sim.HandOff{Lead: l.ID, By: rep, To: p.account}
		bant, reason := lead.BANT{Budget: "approved", Authority: "IT director", Need: "field follow-up of event leads", Timeline: "this quarter"}, ""
		from, d := t, 15*time.Minute
		if i == 0 {
			h.Refused = s.HandOff(ctx, t, 5*time.Minute, l.ID, rep, p.account, lead.BANT{Need: "routing of event leads to field"})
			if !errors.Is(h.Refused, leadline.ErrInvalidTransition) {
				return fmt.Errorf("hand-off of %s without a timeline = %v, want refused (M10)", l.ID, h.Refused)
			}
			bant, reason = lead.BANT{Timeline: "next fiscal year"}, "no budget before FY2027; inside to keep in touch"
			from, d = t.Add(10*time.Minute), 5*time.Minute
		}
		if err := s.HandOff(ctx, from, d, l.ID, rep, p.account, bant); err != nil {
			return err
		}
		s.handoffs = append(s.handoffs, h)
		s.At(s.Date(4, 14+i, 0), s.Answer(h, reason))
		s.log.Addf(t, "%s: %s reached no-show %s, qualified it and handed it to %s as a Pre-SQL (M10)", confID, rep, l.ID, p.account)
	}
	return nil
}

// feedbackInCRM: the other field reps record their follow-up in the CRM (M5).
func (s *world) feedbackInCRM(ctx context.Context, at time.Time) error {
	leads, err := s.eng.Leads(ctx, sim.Ops, leadline.Query{})
	if err != nil {
		return err
	}
	for _, l := range leads {
		if l.Desk != lead.DeskField || l.Handoff != lead.HandoffNone || slices.Contains(sheetReps, l.Owner) || s.rng.Float64() >= 0.85 {
			continue
		}
		id, rep, f := l.ID, l.Owner, sim.DrawFeedback(s.rng)
		s.At(sim.Between(s.rng, at, s.Date(4, 17, 0)), func(ctx context.Context, at time.Time) error {
			s.feedbackBy[rep]++
			return s.Handle(ctx, lead.Event{Kind: lead.EventFeedback, Lead: id, At: at, Actor: rep, Feedback: f})
		})
	}
	return nil
}

// feedbackSheets: each spreadsheet rep exports their sheet, fills it in
// and imports it (M5), leaving a Pre-SQL (answered by accepting or
// rejecting it, M10) and rows not got round to as they were. fs-goto's
// first try has typos and a pasted row: refused whole, it changes nothing.
func (s *world) feedbackSheets(ctx context.Context, at time.Time) error {
	for i, rep := range sheetReps {
		v := routing.Viewer{Rep: rep, Team: s.org.Field.ID, Role: routing.RoleField}
		st, err := s.SheetTrip(ctx, v, fmt.Sprintf("sheet/%s/%s", rep, at.Format("0102")), i == 0, func(id string) (lead.Feedback, bool) {
			if slices.ContainsFunc(s.handoffs, func(h *sim.HandOff) bool { return h.Lead == id }) || s.rng.Float64() < 0.15 {
				return lead.Feedback{}, false
			}
			return sim.DrawFeedback(s.rng), true
		})
		if err != nil {
			return err
		}
		s.sheets = append(s.sheets, st)
	}
	return nil
}
