package routing_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
)

// ExampleRules_Route routes the car dealer's customer (M4) and
// two people from a third-party webinar. A field rep,
// sato, invited the first to the annual user conference and met him
// there: sato follows him up, not inside sales, whatever his score (M3,
// M4). The webinar is low-engagement: an MQL goes to inside sales (M1),
// the rest to nurturing.
func ExampleRules_Route() {
	rules := routing.Rules{}.Normalize(lead.Threshold{}) // the defaults: inside-first, threshold 100
	conf := routing.Campaign{ID: "conf-2025", Type: routing.OwnEvent}
	webinar := routing.Campaign{ID: "media-webinar", Type: routing.ExternalSeminar}

	visitor := lead.Lead{ID: "L-1", Status: lead.StatusLead, Score: decimal.NewFromInt(140)}
	fmt.Println(rules.Route(&visitor, &conf, &routing.Response{InvitedBy: "sato", MetBy: "sato"}))

	mql := lead.Lead{ID: "L-2", Status: lead.StatusLead, Score: decimal.NewFromInt(120)}
	fmt.Println(rules.Route(&mql, &webinar, &routing.Response{}))

	cold := lead.Lead{ID: "L-3", Status: lead.StatusNew, Score: decimal.NewFromInt(35)}
	fmt.Println(rules.Route(&cold, &webinar, &routing.Response{}))
	// Output:
	// field to sato (M3 high-engagement campaign; M4 invited by a field rep)
	// inside (A1 MQL: score at or above the threshold; M1 inside-first model)
	// nurture (M1 below the threshold: nurture; M1 inside-first model)
}

// ExampleWriteFeedbackCSV writes the field feedback sheet of M5 and reads
// back what the field team filled in.
func ExampleWriteFeedbackCSV() {
	jst := time.FixedZone("JST", 9*3600)
	at := time.Date(2025, 6, 12, 10, 30, 0, 0, jst)
	rows := []routing.FeedbackRow{
		{Lead: "L-1", Company: "アクメ株式会社", Campaign: "conf-2025", Responded: at, Owner: "sato",
			Feedback: lead.Feedback{Target: true, State: lead.InProgress, Comment: "試乗済み, visit next week"}},
		{Lead: "L-4", Company: "Beta", Campaign: "conf-2025", Responded: at.Add(time.Hour), Owner: "sato"},
	}
	if err := routing.WriteFeedbackCSV(os.Stdout, rows); err != nil {
		fmt.Println(err)
	}

	// The sheet as the field team saves it back from Excel.
	sheet := "\ufefflead_id,follow_up_target,follow_up_state,opportunity,comment\r\n" +
		"L-1,yes,done,yes,\"商談化\r\nquote sent\"\r\n" +
		"L-4,no,Not started,,\r\n"
	back, err := routing.ReadFeedbackCSV(strings.NewReader(sheet))
	if err != nil {
		fmt.Println(err)
	}
	for _, r := range back {
		fmt.Printf("%s: target %v, %v, opportunity %q, %q\n", r.Lead, r.Feedback.Target, r.Feedback.State, r.Feedback.Opportunity, r.Feedback.Comment)
	}
	// Output:
	// lead_id,company,campaign,responded_at,owner,follow_up_target,follow_up_state,opportunity,comment
	// L-1,アクメ株式会社,conf-2025,2025-06-12T10:30:00+09:00,sato,yes,in_progress,,"試乗済み, visit next week"
	// L-4,Beta,conf-2025,2025-06-12T11:30:00+09:00,sato,no,not_started,,
	// L-1: target true, done, opportunity "yes", "商談化\nquote sent"
	// L-4: target false, not_started, opportunity "", ""
}
