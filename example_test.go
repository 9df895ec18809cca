package leadline_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// An inquiry from an MQL makes a priority-1 approach request for the
// lead's owner (A1) and starts its cadence (T1).
func ExampleEngine_Handle() {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(time.Date(2026, 4, 6, 9, 0, 0, 0, time.FixedZone("JST", 9*3600)))
	eng, err := leadline.New(memstore.New(), leadline.Config{
		Clock: clk,
		Roster: &routing.Org{Inside: routing.Team{ID: "inside", Manager: "mgr",
			Reps: []routing.Rep{{ID: "aiko"}, {ID: "ben"}}}},
	})
	if err != nil {
		panic(err)
	}
	events := []lead.Event{
		{ID: "mkto-1", Kind: lead.EventCreated, Lead: "L-1", At: clk.Now(),
			Score: decimal.NewFromInt(120), Profile: lead.Profile{Company: "Acme", Source: "web"}},
		{ID: "mkto-2", Kind: lead.EventInquiry, Lead: "L-1", At: clk.Now(), Topic: "pricing"},
	}
	for _, ev := range events {
		if err := eng.Handle(ctx, ev); err != nil {
			panic(err)
		}
	}
	l, _ := eng.Lead(ctx, routing.Viewer{Rep: "aiko", Role: routing.RoleInside}, "L-1")
	fmt.Println("owner:", l.Owner)
	fmt.Println("request:", l.Request.State, "priority", l.Request.Priority, l.Request.Reasons.List())
	fmt.Println("due:", l.Request.Due.Format("Mon 15:04"))
	fmt.Println("stage:", l.Track.Stage)
	// Output:
	// owner: aiko
	// request: open priority 1 [A1]
	// due: Wed 09:00
	// stage: Untouched
}

// Sweep fires what has passed: here a lead nobody touched within 48 hours
// goes to another rep with a fresh window (T1, T10), and its owner and
// manager hear about it (T8).
func ExampleEngine_Sweep() {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(time.Date(2026, 4, 6, 9, 0, 0, 0, time.FixedZone("JST", 9*3600)))
	eng, err := leadline.New(memstore.New(), leadline.Config{
		Clock: clk,
		Roster: &routing.Org{Inside: routing.Team{ID: "inside", Manager: "mgr",
			Reps: []routing.Rep{{ID: "aiko"}, {ID: "ben"}}}},
		Notifier: leadline.NotifierFunc(func(_ context.Context, n leadline.Notification) error {
			fmt.Println(n.Kind, "to", n.To, "("+n.Rule+")")
			return nil
		}),
	})
	if err != nil {
		panic(err)
	}
	_ = eng.Handle(ctx, lead.Event{ID: "e1", Kind: lead.EventCreated, Lead: "L-1", At: clk.Now(), Score: decimal.NewFromInt(150)})
	_ = eng.Handle(ctx, lead.Event{ID: "e2", Kind: lead.EventInquiry, Lead: "L-1", At: clk.Now()})
	_, _ = eng.Deliver(ctx)

	clk.Add(48*time.Hour + time.Minute)
	res, _ := eng.Sweep(ctx)
	_, _ = eng.Deliver(ctx)
	l, _ := eng.Lead(ctx, routing.Viewer{Rep: "aiko", Role: routing.RoleInside}, "L-1")
	fmt.Println(len(res.Fired), "deadline fired; owner now", l.Owner)
	// Output:
	// approach_request to aiko (A1)
	// reminder to aiko (T1)
	// manager_alert to mgr (T1)
	// reassigned to ben (T1)
	// 1 deadline fired; owner now ben
}

// A business calendar makes "48 hours" mean 48 working hours (T11): a
// request made on Friday evening in Tokyo, before a weekend and a national
// holiday, is due more than a week later.
func ExampleEngine_Handle_businessCalendar() {
	ctx := context.Background()
	jst := time.FixedZone("JST", 9*3600)
	clk := clock.NewMock()
	clk.Set(time.Date(2025, 9, 12, 19, 0, 0, 0, jst)) // Friday evening
	cal := stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo", Holidays: []string{"jp"}})
	eng, _ := leadline.New(memstore.New(), leadline.Config{
		Clock:  clk,
		Policy: leadline.Policy{Cadence: stage.Policy{Calendar: cal}},
	})
	_ = eng.Handle(ctx, lead.Event{ID: "e1", Kind: lead.EventCreated, Lead: "L-1", At: clk.Now(), Score: decimal.NewFromInt(100)})
	_ = eng.Handle(ctx, lead.Event{ID: "e2", Kind: lead.EventInquiry, Lead: "L-1", At: clk.Now()})
	l, _ := eng.Lead(ctx, routing.Viewer{Rep: "aiko", Role: routing.RoleInside}, "L-1")
	fmt.Println("due:", l.Request.Due.In(jst).Format("Mon 2006-01-02 15:04"))
	// Output:
	// due: Wed 2025-09-24 12:00
}

// ExampleLoadPolicy loads a policy file that sales-ops wrote: what it
// leaves out is the rule book's, and a mistake is reported with the
// field's path and line (A7, T1, E6).
func ExampleLoadPolicy() {
	pol, err := leadline.LoadPolicy(strings.NewReader(`{
  "version": 1,
  "cadence": {"stage1": {"within": "24h", "channels": ["call"]}}
}`))
	fmt.Println(pol.Cadence.Stage1.Within, pol.Cadence.Stage2.Within, err)

	_, err = leadline.LoadPolicy(strings.NewReader(`{
  "version": 1,
  "cadence": {"stage3": {"within": "-48h"}}
}`))
	fmt.Println(err)
	// Output:
	// 24h0m0s 48h0m0s <nil>
	// leadline: line 3: cadence.stage3.within: must be positive, got -48h
}
