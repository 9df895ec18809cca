package sim_test

import (
	"context"
	"fmt"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// A rep who calls back within the hour every time: the script answers each
// approach request by scheduling an outbound attempt, and the simulation
// runs two days on the mock clock in an instant.
func Example() {
	ctx := context.Background()
	jst := time.FixedZone("JST", 9*3600)
	start := time.Date(2026, time.April, 6, 9, 0, 0, 0, jst)
	var s *sim.Sim
	s, err := sim.New(sim.Config{
		Store: memstore.New(),
		Start: start,
		Engine: leadline.Config{Roster: &routing.Org{Inside: routing.Team{ID: "inside", Manager: "mgr",
			Reps: []routing.Rep{{ID: "aiko"}}}}},
		NotifyFunc: func(ctx context.Context, n leadline.Notification) error {
			fmt.Println(n.At.Format("Mon 15:04"), n.Kind, "to", n.To, "("+n.Rule+")")
			if n.Kind == leadline.NoteApproachRequest {
				s.After(45*time.Minute, func(ctx context.Context, at time.Time) error {
					return s.Handle(ctx, lead.Event{Kind: lead.EventOutbound, Lead: n.Lead, At: at, Actor: n.To, Channels: stage.Call})
				})
			}
			return nil
		},
		DayFunc: func(ctx context.Context, d sim.Day) error {
			fmt.Println("end of day", d.Index+1)
			return nil
		},
	})
	if err != nil {
		panic(err)
	}
	s.At(start.Add(10*time.Minute), func(ctx context.Context, at time.Time) error {
		if err := s.Handle(ctx, lead.Event{Kind: lead.EventCreated, Lead: "L-1", At: at, Score: decimal.NewFromInt(120)}); err != nil {
			return err
		}
		return s.Handle(ctx, lead.Event{Kind: lead.EventInquiry, Lead: "L-1", At: at})
	})
	if err := s.Run(ctx, s.Date(2, 0, 0)); err != nil {
		panic(err)
	}
	l, _ := s.Engine().Lead(ctx, sim.Ops, "L-1")
	fmt.Println(len(s.Events()), "events; L-1 at", l.Track.Stage)
	// Output:
	// Mon 09:30 approach_request to aiko (A1)
	// end of day 1
	// end of day 2
	// 3 events; L-1 at Stage1
}
