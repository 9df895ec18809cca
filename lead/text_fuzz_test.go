package lead_test

import (
	"testing"

	"github.com/leadline/leadline/internal/texttest"
	"github.com/leadline/leadline/lead"
)

// FuzzUnmarshalText fuzzes every text form an event or a stored lead
// carries (E6, E9): statuses, kinds, fields, deadline kinds, request
// states, desks, responses, hand-offs, follow-up states, outcomes, the
// status and BANT sets, the MQL threshold and a change's rule ids. None
// panics; each refusal says why; what each accepts writes back in a form
// it reads again to the same text.
func FuzzUnmarshalText(f *testing.F) {
	for _, s := range []string{
		"", "new", "lead", "disqualified_sales", "created", "score_changed", "web_activity",
		"owner", "stage", "stage2_due", "reminder", "open", "overdue", "field", "inside",
		"registered", "attended", "listed", "pre_sql", "accepted", "in_progress", "yes", "no",
		"new,lead,recycled", "lead, customer", "budget,authority,need,timeline", "b+n",
		"100", "99.5", "-1", "1e3", "NEW", " lead ", "lead,,lead", "\x00", "新規",
		`["A1","T13"]`, `[]`, `null`, `["A1",`, `[1]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		texttest.RoundTrip[lead.Status](t, b)
		texttest.RoundTrip[lead.EventKind](t, b)
		texttest.RoundTrip[lead.Field](t, b)
		texttest.RoundTrip[lead.DeadlineKind](t, b)
		texttest.RoundTrip[lead.RequestState](t, b)
		texttest.RoundTrip[lead.StatusSet](t, b)
		texttest.RoundTrip[lead.Desk](t, b)
		texttest.RoundTrip[lead.ResponseKind](t, b)
		texttest.RoundTrip[lead.BANTSet](t, b)
		texttest.RoundTrip[lead.Handoff](t, b)
		texttest.RoundTrip[lead.FollowState](t, b)
		texttest.RoundTrip[lead.Outcome](t, b)
		texttest.RoundTrip[lead.Threshold](t, b)
		texttest.RoundTripJSON[lead.RuleIDs](t, b)
	})
}
