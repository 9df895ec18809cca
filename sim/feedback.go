package sim

import (
	"math/rand/v2"

	"github.com/leadline/leadline/lead"
)

// FeedbackComments are what field reps write about a follow-up (M5), by
// how it went: "not a target", "opportunity", "no", "in progress" and
// "not started".
var FeedbackComments = map[string][]string{
	"not a target": {"student, not a buyer", "works for a partner; nothing to sell", "left the company"},
	"opportunity":  {"budget approved, needs security review", "wants a quote for 50 seats", "PoC agreed for May", "商談化: 来月デモ予定"},
	"no":           {"no project this year; keep in touch", "happy with their current tool", "sent the case study, no interest"},
	"in progress":  {"demo booked for next week", "follow-up call done, evaluating in H2", "waiting for the IT director", ""},
	"not started":  {"", "call on Monday"},
}

// DrawFeedback draws a field rep's feedback on a lead routed to them (M5):
// nine in ten are follow-up targets; of those, four in ten are done (a
// little under half of them an opportunity), four in ten in progress and
// the rest not started; the comment is drawn from [FeedbackComments]. It
// draws from r in a fixed order.
func DrawFeedback(r *rand.Rand) lead.Feedback {
	f := lead.Feedback{Target: r.Float64() < 0.9}
	switch x := r.Float64(); {
	case !f.Target:
		f.State, f.Opportunity = lead.Done, lead.OutcomeNo
	case x < 0.4:
		f.State, f.Opportunity = lead.Done, lead.OutcomeNo
		if r.Float64() < 0.45 {
			f.Opportunity = lead.OutcomeYes
		}
	case x < 0.8:
		f.State = lead.InProgress
	}
	key := "not started"
	switch {
	case !f.Target:
		key = "not a target"
	case f.Opportunity == lead.OutcomeYes:
		key = "opportunity"
	case f.State == lead.Done:
		key = "no"
	case f.State == lead.InProgress:
		key = "in progress"
	}
	cs := FeedbackComments[key]
	f.Comment = cs[r.IntN(len(cs))]
	return f
}
