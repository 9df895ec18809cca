// Package leadline runs the lead-handling rules of a B2B sales team inside
// your Go service: which leads get an approach request, who follows each
// one up, how the touch cadence advances and what happens when a deadline
// passes. Your service reports what happened (a lead arrived, it
// inquired, a rep called, a person qualified it); leadline keeps each
// lead's state, fires deadlines, and hands you notifications to deliver.
//
// The rules are those of the rule book, docs/RULES.md, each with an id
// cited in the docs and tests: statuses S1-S5, approach requests A1-A9,
// the touch cadence T1-T14, views V1-V10, routing by engagement M1-M13,
// engine-wide guarantees E1-E10. The book says, for each, the reading we
// chose where the rule leaves room, where it lives and whether it is
// built yet. The rules themselves are pure code in package rules; the
// [Engine] loads a lead, asks them, and saves what they decided.
//
// # A tour
//
// Build an [Engine] over a [Store] (memstore for one process, postgres
// for several) with a [Config]:
//
//	eng, err := leadline.New(memstore.New(), leadline.Config{
//		Roster:   &routing.Org{Inside: routing.Team{ID: "inside", Manager: "mgr", Reps: reps}},
//		Notifier: leadline.NotifierFunc(sendToSlack),
//	})
//
// Report events with [Engine.Handle]. Every event has an id; a repeated id
// changes nothing (E2):
//
//	err = eng.Handle(ctx, lead.Event{ID: "mkto-981", Kind: lead.EventCreated, Lead: "L-1", At: t,
//		Score: decimal.NewFromInt(120), Profile: lead.Profile{Company: "Acme", Source: "web"}})
//	err = eng.Handle(ctx, lead.Event{ID: "mkto-982", Kind: lead.EventInquiry, Lead: "L-1", At: t})
//
// Several events of one lead that arrive together (one webhook call)
// go to [Engine.HandleBatch], which saves them in one write, all or
// nothing (E9).
//
// The inquiry from a lead scoring 100 or more made an approach request of
// priority 1 (A1) and started the lead's cadence: its owner has 48 hours
// for the first attempt (T1). Outbound attempts advance it stage by stage
// (T2-T5); a contact ends it (T6).
//
// Call [Engine.Sweep] to fire deadlines and [Engine.Deliver] to hand the
// resulting notifications to your [Notifier], or let [Engine.Run] do both
// every minute. A missed Stage1 window reassigns the lead (T1, T10); a
// missed later step reminds the owner and alerts the manager (T8), again
// after each further window, and then hands the lead on (T13): no lead is
// forgotten mid-cadence. Four days after the last attempt without
// contact, the lead is recycled (T7). With no Notifier configured the
// notifications wait in the outbox; they are never dropped (E9).
//
// # Why, and what the team sees
//
// [Engine.Explain] lists the decisions the rules made about a lead, each
// with its rule ids ("T1: no attempt within the Stage1 window (48h)"), its reason as
// values, and its text in the team's language and zone; [Decision.TextIn]
// writes it in a reader's. Package
// report computes the team's daily views from the store's read side:
// each owner's worklist (V1) and open requests (A9), score jumps (V2),
// new leads (V3-V5), overdue work (V6), the funnel (V7) and the follow-up
// SLA (V9), in any time zone, as CSV (with a byte-order mark for Excel
// on a Japanese Windows machine) or JSON. Notification text is written
// in the policy's language and time zone, Japanese and English built in
// (E10).
//
// # Routing by engagement
//
// Campaign responses ([lead.EventResponse]) are routed by the policy's
// [routing.Rules] (M1-M8): a high-engagement campaign, or a field rep who
// invited or met the person, sends the lead to field sales, to that rep;
// otherwise the follow-up model decides between inside sales' approach
// requests, field sales and nurture. Every decision is recorded in the
// lead's history with its reasons as rule ids, so "why did this lead go
// to this rep?" has an answer. Inside sales records BANT and hands a
// Pre-SQL to field sales, who accept or reject it (M10); field sales
// records its follow-up (M5), also as a CSV sheet
// ([Engine.ExportFeedback], [Engine.ImportFeedback]).
//
// Every read names a [routing.Viewer], and sees only what the model
// allows (M2): in an inside-first organisation a field rep asking for a
// lead that is not theirs gets [ErrNotFound], exactly as for an unknown
// id.
//
//	l, err := eng.Lead(ctx, routing.Viewer{Rep: "field-2", Role: routing.RoleField}, "L-1")
//
// # Storage and retention
//
// A [Store] keeps every lead, its history, its pending deadlines, the ids
// of handled events, the outbox and the round-robin sequences; writes are
// compare-and-set on a lead's version, all or nothing. memstore keeps
// them in memory for one process; storetest.Run is the contract every
// store passes. By default nothing is forgotten (E2, E3); a policy's
// [Retention] lets a store drop history and event ids older than a
// window, which bounds an in-memory store's size.
//
// # Time
//
// The engine reads time only from Config.Clock (E1). Tests and
// simulations pass clock.NewMock() and move it with Add, then call Sweep
// themselves: weeks of cadence run in milliseconds, the same way every
// time.
//
// # Errors
//
// Errors are defined once, in package leaderr, and re-exported here.
// Compare with errors.Is and errors.AsType; they arrive wrapped:
//
//	error                     meaning                                 what the host does
//	*FieldError (ErrInvalid)  bad input; nothing changed (E6)         fix the input (HTTP 400)
//	ErrInvalidTransition      well formed, not allowed from this      fix the input (HTTP 409)
//	                          state; wrapped in a *FieldError
//	ErrNotFound               no such lead or campaign, or hidden     retry later: the created event may
//	                          from the viewer (E9, M2)                still be on its way (HTTP 404)
//	ErrExists                 a created event for a taken id          treat as done (HTTP 409)
//	ErrDuplicateEvent         the event id was handled before (E2)    treat as done (HTTP 200)
//	ErrConflict               lost a compare-and-set race after       retry (HTTP 503)
//	                          Config.MaxRetries retries
//
// Any other error is the store's or the roster's: retry with backoff.
//
// # Policy
//
// [Policy] holds every number and list of the rule book: the MQL threshold and
// trigger table, each stage's window and playbook, the recycle wait, the
// reassignment limit and repeated reminders (T10, T13), the calendar
// deadlines count on (a business calendar makes "48 hours" mean 48
// working hours, T11), the target-account jump (A8), the team's time
// zone and language (E10). The zero Policy is the rule book, written in
// docs/RULES.md with the reading chosen wherever a rule leaves room.
//
// # Testing
//
// Package leadlinetest gives a test an engine on memstore with a mock
// clock and a recording notifier (a fault-injecting one too); package sim
// drives a whole simulated team on the mock clock, as the examples do.
package leadline
