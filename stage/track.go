package stage

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/leadline/leadline/leaderr"
)

// End says how the most recent cadence of a lead ended.
type End uint8

// The ways a cadence ends. Stored by key; do not reorder.
const (
	EndNone      End = iota // no cadence has ended: none started, or one is running
	EndConnected            // a two-way contact was made (T6)
	EndExhausted            // Stage4 passed its wait with no contact (T7)
	EndStopped              // a person took the lead out of the cadence (S4, S5)
	numEnds
)

var endKeys = [numEnds]string{"", "connected", "exhausted", "stopped"}

// String returns the key: "", "connected", "exhausted" or "stopped".
func (e End) String() string {
	if e < numEnds {
		return endKeys[e]
	}
	return fmt.Sprintf("end(%d)", uint8(e))
}

// MarshalText returns the key.
func (e End) MarshalText() ([]byte, error) {
	if e >= numEnds {
		return nil, leaderr.Errorf("end", "unknown end %d", uint8(e))
	}
	return []byte(endKeys[e]), nil
}

// UnmarshalText parses a key.
func (e *End) UnmarshalText(b []byte) error {
	k := strings.ToLower(strings.TrimSpace(string(b)))
	for i, key := range endKeys {
		if k == key {
			*e = End(i)
			return nil
		}
	}
	return leaderr.Errorf("end", "unknown end %s; want one of connected, exhausted, stopped or empty", leaderr.Quote(string(b)))
}

// Track is one lead's touch cadence: where it stands, when each step
// happened, the pending deadline, late marks and reassignments
// (T1-T10). The zero value is a lead that never had a cadence.
//
// Track is a plain value: the transitions below are methods of [Policy]
// that update a *Track in place and report their [Effects]. They read no
// clock; now is passed in. On error the track is unchanged.
type Track struct {
	// Stage is the touch stage.
	Stage Stage `json:"stage"`
	// End is how the latest cadence ended; EndNone while one runs.
	End End `json:"end,omitzero"`
	// Overdue is set when Due passed without the step being made (T8); the
	// deadline has fired and will not fire again.
	Overdue bool `json:"overdue,omitempty"`
	// Late holds the stages reached after their deadline (T9).
	Late StageSet `json:"late,omitzero"`
	// Missed holds the stages whose deadline fired before they were
	// reached (T8); Stage1 for the untouched window (T1).
	Missed StageSet `json:"missed,omitzero"`
	// Reassignments counts T1 reassignments in this cadence (T10).
	Reassignments uint8 `json:"reassignments,omitempty"`
	// Nags counts the repeated reminders of the missed step (T13).
	Nags uint8 `json:"nags,omitempty"`
	// Nag is when, while the step is overdue, its next repeated reminder
	// or its hand-on is due (T13); zero when none is.
	Nag Instant `json:"nag,omitzero"`
	// Cadence counts the cadences started on this lead; 0 means none yet.
	// A stage only goes back, to Untouched, when Cadence grows.
	Cadence uint32 `json:"cadence,omitempty"`
	// Started is when the current cadence began: the approach request, or
	// the first attempt when there was none.
	Started Instant `json:"started,omitzero"`
	// Reached[i] is when Stage i+1 was reached in this cadence; zero if not
	// yet. Use [Track.At].
	Reached Reached `json:"reached,omitzero"`
	// Ended is when the cadence ended: the contact, the recycle, the stop.
	Ended Instant `json:"ended,omitzero"`
	// Due is the deadline of the next step: the Stage1..Stage4 attempt, or
	// after Stage4 the end of the T7 wait. Zero when none.
	Due Instant `json:"due,omitzero"`
}

// Reached holds when a cadence reached Stage1..Stage4: element i is Stage
// i+1, zero if not reached. In JSON it is an object keyed by stage, the
// stages not reached left out: {"stage1": "2025-09-08T09:00:00Z"}.
type Reached [4]Instant

// MarshalJSON writes the stages reached, by key, as RFC 3339 times.
func (r Reached) MarshalJSON() ([]byte, error) {
	m := make(map[string]Instant, len(r))
	for i, at := range r {
		if !at.IsZero() {
			m[stageKeys[Stage1+Stage(i)]] = at
		}
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads what [Reached.MarshalJSON] writes; a key other than
// stage1..stage4 is an error.
func (r *Reached) UnmarshalJSON(b []byte) error {
	var m map[string]Instant
	if err := json.Unmarshal(b, &m); err != nil {
		return leaderr.Errorf("reached", "want an object of stage times: %v", err)
	}
	var v Reached
	for k, at := range m {
		s, err := ParseStage(k)
		if err != nil || !s.Attempted() {
			return leaderr.Errorf("reached", "%q is not one of stage1..stage4", k)
		}
		v[s-Stage1] = at
	}
	*r = v
	return nil
}

// Active reports whether a cadence is running: started and not ended.
func (t *Track) Active() bool { return t.Cadence > 0 && t.End == EndNone }

// Pending returns the deadline that will fire if nothing happens first,
// and whether there is one. A fired deadline is not pending (T8 fires
// once).
func (t *Track) Pending() (time.Time, bool) {
	if !t.pending() {
		return time.Time{}, false
	}
	return t.next().Time(), true
}

// pending reports a deadline to fire: the step's own or, while the step
// is overdue, its next repeated reminder or hand-on (T13).
func (t *Track) pending() bool { return t.Active() && t.next() != 0 }

// next is the instant of the pending deadline, 0 for none.
func (t *Track) next() Instant {
	if t.Overdue {
		return t.Nag
	}
	return t.Due
}

// Last returns the instant of the track's latest step: the start of the
// cadence, an attempt, or its end. Zero for a track with no steps.
func (t *Track) Last() time.Time {
	last := max(t.Started, t.Ended)
	for _, r := range t.Reached {
		last = max(last, r)
	}
	return last.Time()
}

// At returns when s was reached in the current cadence: Started for
// Untouched, Ended for Connected, zero if s was not reached.
func (t *Track) At(s Stage) time.Time {
	switch {
	case s == Untouched:
		return t.Started.Time()
	case s.Attempted():
		return t.Reached[s-1].Time()
	case s == Connected && t.End == EndConnected:
		return t.Ended.Time()
	}
	return time.Time{}
}

// IsLate reports whether s was reached after its deadline (T9).
func (t *Track) IsLate(s Stage) bool { return t.Late.Has(s) }

// HasMissed reports whether the deadline for reaching s fired (T8).
func (t *Track) HasMissed(s Stage) bool { return t.Missed.Has(s) }

// Effects are what a transition asks the engine to do besides updating
// the track. They are bits; a deadline passing may ask for several.
type Effects uint8

// The effects.
const (
	RemindOwner  Effects = 1 << iota // remind the owner of the missed step (A4, T8)
	AlertManager                     // notify the owner's manager (A4, T8)
	Reassign                         // hand the untouched lead to another rep (T1, T10)
	Escalate                         // hand the untouched lead to the manager (T10)
	Recycle                          // the cadence is exhausted: recycle the lead (T7, S3)
	Late                             // the attempt came after its deadline (T9)
	Repeat                           // a missed step is still not made: remind again, or hand it on (T13)
	numEffects   = 7
)

var effectKeys = [numEffects]string{"remind_owner", "alert_manager", "reassign", "escalate", "recycle", "late", "repeat"}

// Has reports whether every effect of e2 is in e.
func (e Effects) Has(e2 Effects) bool { return e&e2 == e2 }

// String returns the keys joined with "|", "remind_owner|alert_manager",
// or "" for none.
func (e Effects) String() string {
	var b strings.Builder
	for i, k := range effectKeys {
		if e&(1<<i) != 0 {
			if b.Len() > 0 {
				b.WriteByte('|')
			}
			b.WriteString(k)
		}
	}
	return b.String()
}

// Begin starts a new cadence at Untouched with the Stage1 window running
// from now (rule T1): an approach request was made. It refuses, with
// [leaderr.ErrInvalidTransition], while a cadence is running: a further trigger is
// recorded on the running one (A6).
func (p *Policy) Begin(t *Track, now time.Time) error {
	if t.Active() {
		return &leaderr.FieldError{Field: "stage", Err: fmt.Errorf("%w: a cadence is already running at %v", leaderr.ErrInvalidTransition, t.Stage)}
	}
	n := InstantOf(now)
	*t = Track{
		Stage:   Untouched,
		Cadence: t.Cadence + 1,
		Started: n,
		Due:     p.add(n, p.Window(Stage1)),
	}
	return nil
}

// Attempt records one outbound attempt at now, whatever its channels: the
// cadence advances one stage (T2-T5). The next deadline counts
// from now (T3-T5); after Stage4 the T7 wait starts. An attempt after its
// deadline is accepted, advances, and is marked late (T9); a deadline is
// met when the attempt is at or before it (T11). Lateness is judged on
// now, the attempt's own time, even if the deadline already fired: an
// attempt made in time but reported after the reminder is not late.
//
// An attempt on a lead with no running cadence starts one at Stage1: a rep
// may call a lead before any approach request. An attempt at Stage4 is
// accepted and changes nothing: Stage4 is the last stage, and its wait is
// not extended. An attempt on a Connected lead is refused with
// [leaderr.ErrInvalidTransition]: the cadence ended with the contact (T6).
func (p *Policy) Attempt(t *Track, now time.Time) (Effects, error) {
	if t.Stage == Connected {
		return 0, errAttemptConnected()
	}
	n := InstantOf(now)
	if !t.Active() {
		*t = Track{
			Stage:   Stage1,
			Cadence: t.Cadence + 1,
			Started: n,
			Reached: [4]Instant{n},
			Due:     p.add(n, p.Window(Stage2)),
		}
		return 0, nil
	}
	if t.Stage == Stage4 {
		return 0, nil
	}
	next := t.Stage + 1
	var eff Effects
	if n > t.Due {
		t.Late |= 1 << next
		eff = Late
	}
	t.Stage = next
	t.Reached[(next-1)&3] = n
	t.Overdue, t.Nags, t.Nag = false, 0, 0
	d := p.recycleAfter()
	if next < Stage4 {
		d = p.Window(next + 1)
	}
	t.Due = p.add(n, d)
	return eff, nil
}

func errAttemptConnected() error {
	return &leaderr.FieldError{Field: "stage", Err: fmt.Errorf("%w: an outbound attempt on a Connected lead; the cadence ended with the contact (T6)", leaderr.ErrInvalidTransition)}
}

// Contact records a two-way contact at now: an answered call, a reply, a
// meeting. From any stage the lead becomes Connected and the cadence ends
// (rule T6). That includes a cadence that already ended exhausted or
// stopped: a reply to the Stage4 e-mail that comes after the recycle is
// still a contact, and the rep needs to see it (the lead's status is a
// person's call, S4). A contact on a Connected lead changes nothing.
func (p *Policy) Contact(t *Track, now time.Time) Effects {
	if t.Stage == Connected {
		return 0
	}
	t.Stage = Connected
	t.End = EndConnected
	t.Ended = InstantOf(now)
	t.Overdue = false
	t.Due = 0
	return 0
}

// Expire fires the pending deadline if it passed before now, and reports
// what the engine must do (rules T1, T7, T8, T10, T13). A deadline passes
// when now is after it: a step recorded at the deadline itself meets it
// (T11). A fired deadline never fires again.
//
//   - Untouched: remind the owner, alert the manager, and Reassign, or
//     Escalate to the manager once MaxReassignments is reached (T1, T10).
//     After either, the engine calls [Policy.Reassigned].
//   - Stage1..Stage3: remind the owner and alert the manager (T8); the
//     next attempt will be marked late (T9). The step stays overdue, and a
//     repeated reminder is due one [Policy.RepeatInterval] after now, when
//     the reminder went out: after an outage the reminders do not all
//     fire at once (T13, E5).
//   - a repeated reminder: remind and alert again (Repeat), up to
//     [Policy.Repeats] times; one interval after the last, Reassign or
//     Escalate with Repeat, and the engine calls Reassigned (T13).
//   - Stage4: the wait is over without contact; the cadence ends
//     exhausted and the lead is to be recycled (T7, S3).
//
// So a running cadence always has a pending deadline: no lead is
// forgotten mid-cadence (T13).
func (p *Policy) Expire(t *Track, now time.Time) Effects { return p.Lapse(t, now, now) }

// Lapse is [Policy.Expire] for a deadline found late: it fires the
// pending deadline if it passed before asOf, the instant the engine
// applies it as of (an event's own instant, for a deadline that passed
// before the event), while the repeat interval it opens runs from found,
// when the engine finds it and the reminder goes out. A reminder found
// late is never followed by its repeat at once (T13, E5). found before
// asOf counts as asOf.
func (p *Policy) Lapse(t *Track, asOf, found time.Time) Effects {
	now := asOf
	if found.After(asOf) {
		now = found
	}
	at := t.next()
	if !t.pending() || InstantOf(asOf) <= at {
		return 0
	}
	handOn := Reassign
	if int(t.Reassignments) >= p.maxReassignments() {
		handOn = Escalate
	}
	switch {
	case t.Overdue: // a missed step's repeated reminder (T13)
		if int(t.Nags) < p.repeats() {
			t.Nags++
			t.Nag = p.add(InstantOf(now), p.RepeatInterval(t.Stage+1))
			return RemindOwner | AlertManager | Repeat
		}
		t.Nag = 0 // until Reassigned
		return Repeat | handOn
	case t.Stage == Stage4:
		t.End = EndExhausted
		t.Ended = at
		t.Due = 0
		return Recycle
	case t.Stage == Untouched:
		t.Overdue = true
		t.Missed |= 1 << Stage1
		t.Nag = 0 // until Reassigned
		return RemindOwner | AlertManager | handOn
	default:
		t.Overdue = true
		t.Missed |= 1 << (t.Stage + 1)
		t.Nags = 0
		t.Nag = p.add(InstantOf(now), p.RepeatInterval(t.Stage+1))
		return RemindOwner | AlertManager
	}
}

// Reassigned gives the lead's new owner, another rep or the manager, a
// fresh window for the step the lead waits for, from now (rules T10,
// T13). The window runs from the reassignment, not from the missed
// deadline: a rep gets the whole window even when the deadline was found
// late (E5). It refuses with [leaderr.ErrInvalidTransition] unless the
// cadence is running before Stage4.
func (p *Policy) Reassigned(t *Track, now time.Time) error {
	if !t.Active() || t.Stage >= Stage4 {
		return &leaderr.FieldError{Field: "stage", Err: fmt.Errorf("%w: only a lead in a running cadence before Stage4 is handed on, not %v", leaderr.ErrInvalidTransition, t.Stage)}
	}
	if t.Reassignments < 255 {
		t.Reassignments++
	}
	t.Overdue, t.Nags, t.Nag = false, 0, 0
	t.Due = p.add(InstantOf(now), p.Window(t.Stage+1))
	return nil
}

// Stop ends a running cadence at now because a person took the lead out
// of it, for example by setting its status to Customer (S4, S5). Its
// deadline is dropped. Stop on a track with no running cadence does
// nothing.
func (p *Policy) Stop(t *Track, now time.Time) {
	if !t.Active() {
		return
	}
	t.End = EndStopped
	t.Ended = InstantOf(now)
	t.Due = 0
	t.Overdue, t.Nags, t.Nag = false, 0, 0
}
