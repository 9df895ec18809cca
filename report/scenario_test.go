package report_test

import (
	"context"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// jst is the team's zone: the reports' days are Tokyo days (V8).
var jst = time.FixedZone("JST", 9*3600)

// roster is a small inside team and a field rep.
var roster = &routing.Org{
	Inside: routing.Team{ID: "inside", Manager: "mgr", Reps: []routing.Rep{{ID: "rep-a"}, {ID: "rep-b"}}},
	Field:  routing.Team{ID: "field", Manager: "field-mgr", Reps: []routing.Rep{{ID: "field-1"}}},
}

// team runs a week of a small team on a mock clock from Monday
// 2026-04-06 09:00 JST to Friday 10:00, and returns the frame the reports
// read it in: Friday 10:00 in Tokyo. handle applies an event at the
// clock's instant; sweep fires the deadlines that passed.
func team(clk *clock.Mock, handle func(lead.Event) error, sweep func() error) (report.Frame, error) {
	clk.Set(time.Date(2026, 4, 6, 9, 0, 0, 0, jst))
	n := 0
	var err error
	ev := func(kind lead.EventKind, id string, f func(*lead.Event)) {
		if err != nil {
			return
		}
		n++
		e := lead.Event{ID: "ev-" + string(rune('a'+n/26)) + string(rune('a'+n%26)), Kind: kind, Lead: id, At: clk.Now()}
		if f != nil {
			f(&e)
		}
		err = handle(e)
	}
	create := func(id, company, name, source, score string, target bool) {
		ev(lead.EventCreated, id, func(e *lead.Event) {
			e.Actor = "mkto"
			e.Score = decimal.RequireFromString(score)
			e.Profile = lead.Profile{Company: company, Name: name, Source: source, MASystem: "Marketo", Target: target}
		})
	}
	score := func(id, s string) {
		ev(lead.EventScoreChanged, id, func(e *lead.Event) { e.Score = decimal.RequireFromString(s) })
	}
	at := func(day int, hh, mm int) {
		if err == nil {
			clk.Set(time.Date(2026, 4, 6+day, hh, mm, 0, 0, jst))
			err = sweep()
		}
	}
	// Monday.
	create("L-1", "Acme KK", "Sato Hanako", "web", "120", false)
	create("L-2", "Beta Inc", "Suzuki Taro", "seminar", "40", false)
	create("L-3", "Gamma, Ltd.", "Takahashi \"Ken\"", "web", "80", true)
	ev(lead.EventInquiry, "L-1", func(e *lead.Event) { e.Topic = "pricing" })
	ev(lead.EventInquiry, "L-2", func(e *lead.Event) { e.Topic = "demo" })
	create("L-6", "Zeta Corp", "Yamada Mei", "seminar", "130", false)
	ev(lead.EventDownload, "L-6", func(e *lead.Event) { e.Topic = "pricing.pdf" })
	at(0, 12, 0)
	ev(lead.EventOutbound, "L-1", func(e *lead.Event) { e.Actor, e.Channels = "rep-a", stage.Call|stage.Email })
	at(0, 15, 0)
	ev(lead.EventOutbound, "L-6", func(e *lead.Event) { e.Actor, e.Channels = "rep-b", stage.Call|stage.Voicemail })
	// Tuesday.
	at(1, 10, 0)
	score("L-3", "95")
	score("L-2", "45")
	score("L-2", "45.0") // the same score: no history (E8)
	// Wednesday.
	at(2, 9, 0)
	create("L-4", "Delta GK", "Ito Yui", "list", "55", false)
	at(2, 11, 0) // L-2's Stage1 window passed: reassigned (T1)
	at(2, 12, 0)
	ev(lead.EventContact, "L-1", func(e *lead.Event) { e.Actor = "rep-a" })
	// Thursday.
	at(3, 9, 0)
	ev(lead.EventInquiry, "L-3", func(e *lead.Event) { e.Topic = "case studies" })
	ev(lead.EventDownload, "L-4", func(e *lead.Event) { e.Topic = "whitepaper.pdf" })
	at(3, 10, 0)
	score("L-4", "70")
	score("L-1", "150")
	// Friday.
	at(4, 9, 30)
	create("L-5", "Epsilon", "Kato Jun", "web", "10", false)
	at(4, 10, 0)
	return report.Frame{Now: clk.Now(), Zone: jst}, err
}

// newTeam runs [team] on a fresh engine over memstore, for the examples.
func newTeam() (*memstore.Store, report.Frame) {
	clk := clock.NewMock()
	st := memstore.New()
	eng, err := leadline.New(st, leadline.Config{Clock: clk, Roster: roster})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	f, err := team(clk, func(e lead.Event) error { return eng.Handle(ctx, e) },
		func() error { _, err := eng.Sweep(ctx); return err })
	if err != nil {
		panic(err)
	}
	return st, f
}

// ops sees every lead (M2).
var ops = routing.Viewer{Rep: "ops-1", Role: routing.RoleOps}
