// Package routing decides who follows a lead up and why: the triggers
// that turn an inquiry or a download into an approach request (A1-A7),
// and owner assignment by round robin over a team (M9). Engagement-based
// routing to field sales (M1-M8, M10) builds on these.
//
// Everything here is pure: decisions are functions of the policy, the
// lead and the instant, so the same inputs always give the same answer.
//
// # Triggers
//
// [Triggers] is a small ordered table, policy rather than code (A7):
//
//	trig := routing.DefaultTriggers()
//	row, ok := trig.Match(lead.EventInquiry, decimal.NewFromInt(120)) // A1, priority 1
//
// # Assignment
//
// [Team.Pick] takes a ticket, a number the store hands out in sequence,
// and returns the ticket-th eligible rep: out-of-office and at-capacity
// reps are skipped, and concurrent assignments stay fair because no two
// share a ticket (M9).
package routing
