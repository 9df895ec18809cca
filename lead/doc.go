// Package lead holds a lead's state and what can happen to it: the
// statuses of docs/RULES.md section 1 and their transitions (S1-S5), the [Lead]
// value with its approach [Request] and touch [stage.Track], the [Event]s
// a host reports, the history of changes (E3), scores as decimals (E7),
// and the checks every string and score takes where it enters (E6); the
// errors they return are in package leaderr.
//
// # Statuses
//
// A person may set any status from any other except back to New
// ([PersonTransition], S4). The engine itself only recycles a New or Lead
// lead whose cadence ended without contact (T7, S3) and re-engages a
// Recycled one on a trigger (A5) ([AutoTransition]). Customer, Partner and
// both Disqualified statuses are [Status.Protected]: nothing automatic
// touches them (S5).
//
// # Scores
//
// Scores are decimal.Decimal, compared exactly. A [Threshold] prepares a
// policy's threshold once so that comparing a score against it never
// allocates, whatever the two exponents.
package lead
