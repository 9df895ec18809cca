package replay_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/replay"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
)

// A log of two leads: one inquires and is never called, the other is
// called and answers.
const exampleLog = `{"id":"ma-1","kind":"created","lead":"L-1","at":"2026-04-06T09:00:00+09:00","score":"120"}
{"id":"ma-2","kind":"inquiry","lead":"L-1","at":"2026-04-06T09:05:00+09:00"}
{"id":"ma-3","kind":"created","lead":"L-2","at":"2026-04-06T10:00:00+09:00","score":"80"}
{"id":"ma-4","kind":"inquiry","lead":"L-2","at":"2026-04-06T10:01:00+09:00"}
{"id":"crm-1","kind":"outbound","lead":"L-2","at":"2026-04-06T15:00:00+09:00","actor":"rep-b","channels":"call,email"}
{"id":"crm-2","kind":"contact","lead":"L-2","at":"2026-04-06T15:10:00+09:00","actor":"rep-b","channels":"call"}
`

var exampleTeam = &routing.Org{Inside: routing.Team{ID: "inside", Manager: "mgr",
	Reps: []routing.Rep{{ID: "rep-a"}, {ID: "rep-b"}}}}

func ExampleRun() {
	jst := time.FixedZone("JST", 9*3600)
	out, err := replay.Run(context.Background(), replay.ReadLog(strings.NewReader(exampleLog)), replay.Options{
		Roster: exampleTeam,
		Until:  time.Date(2026, 4, 9, 9, 0, 0, 0, jst), // three days on: L-1's Stage1 window closed (T1)
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	t := out.Team
	fmt.Printf("%d events, %d requests, %d attempted (median %v), %d connected, %d reassigned\n",
		out.Events, t.Requests, t.Attempted, t.FirstAttempt, t.Connections, t.Reassignments)
	fmt.Println("L-1 is now", out.Leads["L-1"].Owner+"'s")
	// Output:
	// 6 events, 2 requests, 1 attempted (median 4h59m0s), 1 connected, 1 reassigned
	// L-1 is now rep-b's
}

func ExampleDiff() {
	ctx := context.Background()
	until := time.Date(2026, 4, 9, 9, 0, 0, 0, time.FixedZone("JST", 9*3600))
	base, _ := replay.Run(ctx, replay.ReadLog(strings.NewReader(exampleLog)), replay.Options{Roster: exampleTeam, Until: until})
	var pol rules.Policy
	pol.Cadence.Stage1.Within = 72 * time.Hour // a longer first window (T1)
	whatIf, _ := replay.Run(ctx, replay.ReadLog(strings.NewReader(exampleLog)), replay.Options{Policy: pol, Roster: exampleTeam, Until: until})
	c := replay.Diff(*base, *whatIf)
	c.WriteText(os.Stdout, rules.English, 0)
	c.WriteText(os.Stdout, rules.Japanese, 0)
	// Output:
	// Stage1 window 48h -> 3d: 1 fewer reassignment, 1 fewer reminder, 1 fewer SLA breach, median first attempt unchanged
	// By rep:
	//   rep-a: 1 fewer reassignment, 1 fewer reminder, 1 fewer SLA breach
	// Leads whose outcome differs: 1
	//   L-1: owner rep-b -> rep-a; reassignments 1 -> 0; reminders 1 -> 0; SLA breaches 1 -> 0
	// Stage1 の期限 48時間 → 3日: 再割り当て 1 件減、リマインダー 1 件減、SLA 違反 1 件減、初回アプローチまでの時間の中央値は変わらず
	// 担当者別:
	//   rep-a: 再割り当て 1 件減、リマインダー 1 件減、SLA 違反 1 件減
	// 結果が変わったリード: 1 件
	//   L-1: 担当 rep-b → rep-a; 再割り当て 1 → 0; リマインダー 1 → 0; SLA 違反 1 → 0
}

func ExampleBackfill() {
	ctx := context.Background()
	jst := time.FixedZone("JST", 9*3600)
	cutoff := time.Date(2026, 4, 9, 9, 0, 0, 0, jst) // the live engine takes over here
	st := memstore.New()
	res, err := replay.Backfill(ctx, st, leadline.Config{Roster: exampleTeam}, replay.ReadLog(strings.NewReader(exampleLog)), cutoff)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("events imported: %d, past deadlines fired: %d, notifications recorded and not sent: %d\n",
		res.Events, res.Fired, res.Suppressed)
	l, _ := st.Lead(ctx, "L-1")
	fmt.Println("L-1 is now", l.Owner+"'s, due", l.Request.Due.In(jst).Format("Jan 2 15:04"))
	// Output:
	// events imported: 6, past deadlines fired: 1, notifications recorded and not sent: 5
	// L-1 is now rep-b's, due Apr 10 09:05
}
