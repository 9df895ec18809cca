package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// demoLeads is how many leads the demo's week brings.
const demoLeads = 40

// seedDemo simulates the demo team's week on st, Monday 2026-04-06 09:00
// to Friday 17:00 in Tokyo, and returns the instant it stopped at. Leads
// arrive through the week from three sources and inquire (A1, A2); a
// day later marketing rescores them (V2, A8 for target accounts); their
// owners, by round robin (M9), call them every day or three until they
// answer (T2-T6), and leave some alone, which T1 reassigns and V6 shows
// as overdue.
func seedDemo(ctx context.Context, st leadline.Store, pol leadline.Policy) (time.Time, error) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		return time.Time{}, err
	}
	s, err := sim.New(sim.Config{Store: st, Engine: leadline.Config{Roster: roster, Policy: pol},
		Start: time.Date(2026, 4, 6, 9, 0, 0, 0, tokyo)})
	if err != nil {
		return time.Time{}, err
	}
	r := rand.New(rand.NewPCG(14, 14))
	for i := range demoLeads {
		id, day := fmt.Sprintf("L-%03d", i+1), i*5/demoLeads
		at := s.Date(day, 9, 0).Add(sim.Hours(r, 0, 8))
		name, email := sim.JapaneseNames.Person(r, "example.jp")
		prof := lead.Profile{Company: sim.Company(r), Name: name, Email: email, MASystem: "Marketo",
			Source: []string{"ウェブ", "セミナー", "資料請求"}[i%3], Target: i%6 == 0}
		score := decimal.NewFromInt(int64(40 + r.IntN(100)))
		answers := 2 + r.IntN(5)
		do := func(at time.Time, e lead.Event) {
			s.At(at, func(ctx context.Context, at time.Time) error { e.Lead, e.At = id, at; return s.Handle(ctx, e) })
		}
		do(at, lead.Event{Kind: lead.EventCreated, Actor: "marketing", Score: score, Profile: prof})
		do(at, lead.Event{Kind: lead.EventInquiry, Actor: "marketing", Topic: []string{"料金", "導入事例", "デモ依頼"}[i%3]})
		do(at.Add(sim.Hours(r, 20, 30)), lead.Event{Kind: lead.EventScoreChanged, Actor: "marketing",
			Score: score.Add(decimal.NewFromInt(int64(r.IntN(35))))})
		if i%7 == 6 {
			continue // nobody calls: T1 reassigns it, and it shows overdue
		}
		var call func(n int) sim.ActionFunc
		call = func(n int) sim.ActionFunc {
			return func(ctx context.Context, at time.Time) error {
				l, err := s.Engine().Lead(ctx, sim.Ops, id)
				if err != nil || !l.Track.Active() || l.Track.Stage == stage.Stage4 {
					return err
				}
				ev := lead.Event{Kind: lead.EventOutbound, Lead: id, At: at, Actor: l.Owner, Channels: stage.Call | stage.Email}
				if n == answers {
					ev.Kind = lead.EventContact
				}
				s.After(sim.Hours(r, 24, 72), call(n+1))
				return s.Handle(ctx, ev)
			}
		}
		s.At(at.Add(sim.Hours(r, 1, 30)), call(1))
	}
	if err := s.Run(ctx, s.Date(4, 17, 0)); err != nil {
		return time.Time{}, err
	}
	return s.Now(), nil
}
