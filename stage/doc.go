// Package stage implements the touch cadence of rule book section 3: the stages
// Untouched, Stage1..Stage4 and Connected, the deadline of each step, what
// happens when one passes, and the calendars deadlines are counted on.
//
// Everything here is pure: a [Track] is a plain value, a [Policy] holds the
// numbers, and each transition takes the instant it happens at. Nothing
// reads a clock.
//
// # The cadence
//
// An approach request starts a cadence ([Policy.Begin]); the owner has 48
// hours to make the first attempt (T1). Each outbound attempt, whatever its
// channels, advances one stage ([Policy.Attempt]), and the next deadline
// counts from it: 48h to Stage2 (T3), 48h to Stage3 (T4), 4 days to Stage4
// (T5). A two-way contact at any stage ends the cadence as Connected
// ([Policy.Contact], T6). Four days after Stage4 with no contact the
// cadence ends exhausted and the lead is recycled (T7).
//
//	pol := stage.DefaultPolicy()
//	var tr stage.Track
//	_ = pol.Begin(&tr, requested)
//	eff, err := pol.Attempt(&tr, requested.Add(50*time.Hour)) // Stage1, late (T9)
//
// # Deadlines
//
// [Policy.Expire] fires a deadline once it has passed (T8, T11): the
// returned [Effects] say to remind the owner, alert the manager, reassign
// or escalate an untouched lead (T1, T10), or recycle it (T7). Deadlines
// are instants computed on the policy's [Calendar]: [WallClock] by default,
// or a [BusinessCalendar] that counts only working hours.
package stage
