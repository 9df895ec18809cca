package leadlinetest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leadlinetest"
	"github.com/leadline/leadline/routing"
	"github.com/shopspring/decimal"
)

// exampleTB stands in for the *testing.T a real test is given and an
// example is not.
type exampleTB struct{ testing.TB }

func (exampleTB) Helper()                  {}
func (exampleTB) Context() context.Context { return context.Background() }
func (exampleTB) Fatal(args ...any)        { panic(fmt.Sprint(args...)) }
func (exampleTB) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf(format, args...))
}

// A lead nobody touches within 48 hours goes to the next rep (T1, T10).
func Example() {
	var t testing.TB = exampleTB{} // in a test: func TestXxx(t *testing.T)
	k := leadlinetest.New(t, leadline.Config{
		Roster: &routing.Org{Inside: routing.Team{ID: "inside", Manager: "mgr",
			Reps: []routing.Rep{{ID: "aiko"}, {ID: "ben"}}}},
	})
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(150)})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"})
	k.Advance(48*time.Hour + time.Minute)
	k.Sweep()
	k.Deliver()
	for _, n := range k.Take() {
		fmt.Println(n.Kind, "to", n.To, "("+n.Rule+")")
	}
	fmt.Println("owner now", k.Lead("L-1").Owner)
	// Output:
	// approach_request to aiko (A1)
	// reminder to aiko (T1)
	// manager_alert to mgr (T1)
	// reassigned to ben (T1)
	// owner now ben
}
