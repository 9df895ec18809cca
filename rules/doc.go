// Package rules is leadline's functional core: every rule of the rule
// book (docs/RULES.md) that decides what happens to a lead, as pure
// code. A rule application takes the lead, the event or the instant, the
// policy, the campaign, and a [Staff] port for the questions about people
// (who is next in round robin, who manages a rep, who is on the field
// team, who is available), and produces the lead's new state, its history
// entries and its notifications. Nothing here reads a clock, a store, a
// context or a global, so every rule is tested without a store, and a
// replay of an event log under another policy runs the very same code.
//
// The engine in package leadline is the shell around it: it loads a lead,
// runs a [Step], and saves the result in one write; it answers Staff from
// its roster and its store. [Directory] answers Staff from memory, for
// tests and replays.
//
// # Where each rule lives
//
//	step.go          E8, E9  a step: an event or a firing, its history, scores, notifications
//	request.go       A1-A8   approach requests: triggers, priorities, merging, re-engagement,
//	                         target-account jumps; M11 the follow-up model of every trigger;
//	                         M9 staffing when a cadence starts; S5 suppression
//	status.go        S1-S5   a person's status decisions, protected statuses
//	cadence.go       T1-T14  attempts, contact, deadlines, reassignment, escalation, recycling
//	                         (S3), repeated reminders; A4 request deadlines; E5 firing order
//	route.go         M1-M4, M8, M11  campaign responses routed by engagement and follow-up model
//	handoff.go       M5, M10 BANT, the hand-off to field sales, field feedback and its sheet
//	calllist.go      M6      inside sales' call list of a hybrid campaign
//	campaign.go      M7, M13 the follow-up model agreed at kickoff, and who agreed it
//	notification.go  E4      notifications, their kinds and idempotency keys
//	text.go          E10     notification texts in the team's language and zone
//	reason.go        E3, E10 the reason catalogue: every kind of decision history records,
//	                         its values, its English (stored) and Japanese texts
//	staff.go         M9      the Staff port, managers (A4, T8) and Directory
//	policy.go        A7      the policy: one MQL threshold, derived values never written out
//
// # A rule application
//
//	s := rules.Step{Policy: &pol, Staff: &rules.Directory{Org: org, Now: now}, Now: now, Lead: l}
//	if err := s.Event(&ev, true, nil); err != nil {
//		return err // nothing to save
//	}
//	save(s.Lead, s.History, s.Notes)
package rules
