package routing_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
)

// ExampleTriggers_Match shows rules A1-A3 with the default threshold of
// 100, inclusive and exact whatever the decimal places.
func ExampleTriggers_Match() {
	trig := routing.DefaultTriggers()
	for _, c := range []struct {
		on    lead.EventKind
		score decimal.Decimal
	}{
		{lead.EventInquiry, decimal.New(10000, -2)},
		{lead.EventInquiry, decimal.New(9999, -2)},
		{lead.EventDownload, decimal.NewFromInt(150)},
		{lead.EventDownload, decimal.NewFromInt(99)},
	} {
		row, ok := trig.Match(c.on, c.score)
		if !ok {
			fmt.Printf("%s at %s: no request\n", c.on, c.score)
			continue
		}
		fmt.Printf("%s at %s: %s, priority %d\n", c.on, c.score, row.Rule, row.Priority)
	}
	// Output:
	// inquiry at 100: A1, priority 1
	// inquiry at 99.99: A2, priority 2
	// download at 150: A3, priority 3
	// download at 99: no request
}

// ExampleTeam_Pick assigns five leads by round robin while one rep is out
// of office and another is at capacity (M9).
func ExampleTeam_Pick() {
	now := time.Date(2025, 4, 7, 9, 0, 0, 0, time.FixedZone("JST", 9*3600))
	team := routing.Team{ID: "inside", Manager: "mgr", Reps: []routing.Rep{
		{ID: "aoki"},
		{ID: "baba", Away: []routing.Period{{From: now.Add(-24 * time.Hour), To: now.Add(24 * time.Hour)}}},
		{ID: "chiba", Capacity: 10},
		{ID: "endo", Capacity: 2},
	}}
	load := map[string]int{"chiba": 4, "endo": 2}
	for ticket := range uint64(5) {
		rep, _ := team.Pick(now, ticket, func(rep string) int { return load[rep] }, nil)
		fmt.Println(ticket, rep)
	}
	// Output:
	// 0 aoki
	// 1 chiba
	// 2 aoki
	// 3 chiba
	// 4 aoki
}
