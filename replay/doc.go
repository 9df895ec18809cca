// Package replay answers "what would this change have done?": it runs a
// policy over a recorded event log, compares two runs, and imports a
// team's past into a store.
//
// # The event log
//
// A log is JSON Lines: one [lead.Event] per line, exactly as
// encoding/json marshals it, in the order the events were handled (E2).
// [WriteLog] writes one, [ReadLog] reads one strictly, naming the line
// and the field of a bad event (E6, E9). What a replay needs besides the
// events (the roster, campaigns, the clock's zone, when the engine
// swept) is a [Setup], kept beside the log as JSON; package sim's
// examples write both (insidesales -events out.jsonl).
//
// # Replay and what-if
//
// [Run] replays a log under a policy from an empty memstore, on a clock
// that never sleeps, sweeping deadlines exactly when the live engine's
// sweeper did (E5; see [Setup]), so that the replay of a run's log with
// its policy writes the run's history, entry for entry (E3). Under
// another policy it says what that policy would have done: an
// [Outcome] counts approach requests, first attempts, reassignments,
// reminders, escalations, recycles, connections, SLA breaches and
// hand-offs, per team, rep, campaign and lead, from the history entries,
// as the follow-up SLA report counts them (V9).
//
//	out, err := replay.Run(ctx, replay.ReadLog(f), setup.Options(policy))
//
// [Diff] compares two outcomes and their policies, and
// [Comparison.WriteText] says it as a sales manager reads it, in English
// or Japanese (E10): "Stage3 window 48h -> 24h: 16 more late steps, 7
// more reassignments, 65 more reminders, 21 more SLA breaches, median
// first attempt unchanged".
//
// # Backfill
//
// [Backfill] imports a team's past events into the host's store when it
// moves to leadline: state and history as a live engine would have left
// them at a cutoff, the past's notifications recorded and acknowledged
// but never delivered (E4), and the deadlines still ahead left for the
// live engine.
//
// cmd/leadline's replay, diff and explain subcommands run these from the
// command line.
package replay
