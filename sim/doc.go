// Package sim drives a leadline engine through simulated time,
// deterministically: weeks of a sales team's work run in milliseconds and
// tell the same story every time (E1).
//
// A [Sim] owns the engine's clock (a [Clock], which never sleeps) and notifier. The script schedules
// actions at instants with [Sim.At] and [Sim.After]; [Sim.Run] moves the
// clock one [Config.Step] at a time and, at each tick, runs the actions
// due by then in instant order (ties in the order they were scheduled),
// sweeps deadlines, delivers notifications and hands each one to
// [Config.NotifyFunc], then reports every day that ended to
// [Config.DayFunc]. Actions report what people do with [Sim.Handle],
// which gives each event a fresh id.
//
//	s, err := sim.New(sim.Config{Store: memstore.New(), Engine: cfg, Start: monday9am})
//	s.At(monday9am.Add(time.Hour), func(ctx context.Context, at time.Time) error {
//		return s.Handle(ctx, lead.Event{Kind: lead.EventCreated, Lead: "L-1", At: at})
//	})
//	err = s.Run(ctx, monday9am.AddDate(0, 0, 7))
//
// The same script replays a recorded event log: schedule each event at its
// instant and run.
//
// # Determinism
//
// Nothing here reads the wall clock or sleeps, and nothing depends on map
// order. Randomness is the caller's: pass one seeded *rand.Rand (math/rand/v2)
// to the helpers that draw, [Hours] and [Between], and draw in script
// order. Two runs of one script with one seed handle the same events and
// deliver the same notifications ([Sim.Events], [Sim.Notifications]).
//
// # Working hours
//
// People act in working hours. A [Schedule] is a person's working time:
// a [stage.BusinessCalendar], the library's own calendar (T11), less the
// person's absences. It answers when they next work and what instant d of
// their working time after t is. A [Persona] is how a person works the
// leads they are given: how long they take to a first attempt and the
// next, counted in their working hours, whether they mind a deadline and
// whether they leave an inherited lead for later. [Sim.Plan] keeps one
// plan per lead, so a person who reconsiders supersedes the earlier one.
//
// # The people of a script
//
// [Arrivals] draws a run's leads from weighted [Source]s: when each
// arrives (any day or in batches, in windows of the day or trailing off)
// and what it does next ([FollowUp], [Arrivals.Script]). [Marketing] plays
// marketing automation: it creates the leads, reports their inquiries and
// downloads, rescores them and decays quiet ones. A [Desk] of personas
// works the leads through the cadence, prospects answering as [Answers]
// says; a [Caller] is a plainer inside rep. A [Drive] is a hybrid
// campaign's invitation drive and attendance (M6, M4); [Sim.HandOff] and
// [Sim.Answer] hand Pre-SQLs over and answer them (M10); [Sim.SheetTrip]
// takes a field rep's feedback sheet out and back (M5), and [Sim.Watch]
// shows that a refused import changed nothing.
//
// # What happened
//
// A [Tally] counts notifications by kind and rule id, history changes by
// field and rule id, and each person's [Work]: requests, attempts on time
// and late, leads lost and connected. Feed one a day's notifications
// ([Day.Notifications]) and changes ([Sim.Changes]) for the day's report,
// and another the same for the run's. [Notable] picks a day's lines a
// manager wants to see, [Log] keeps a story's moments, [Printer] writes a
// report and [Snapshot] shows that something wrote nothing. [Sim.Routes],
// [Sim.Routed] and [Sim.PrintRoutes] say who got each lead of a campaign
// and why, from [leadline.Engine.Explain]; [Printer.Table] lays out the
// rows of package report; the other Print methods show campaigns, what a
// viewer may see (M2) and each rep's credit (M6).
//
// Commands share their flags through [Flags], [ParseFlags] and [Main].
//
// # Clock and logs
//
// The engine's clock is a [Clock]: it moves only when [Sim.Run] moves
// it and never sleeps, where clock.Mock sleeps a real millisecond per
// move. [Sim.Events] is the run's event log, which package replay writes
// and replays; [EventLog] draws a synthetic log of any length, for
// benchmarks.
//
// Lead generators draw invented people and companies with [Names],
// [Company] and [Domain].
package sim
