package stage

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leadline/leadline/leaderr"
)

// Policy is the cadence (T1-T12) as sales-ops tune it: how long
// each stage may take, what each stage's attempt does, how long to wait for
// a contact after the last attempt, and how often an untouched lead may be
// handed on.
//
// The zero value of every field means its default, so Policy{} is exactly
// the rule book's; [DefaultPolicy] returns it with the defaults written out. A
// Policy is read-only once in use and safe for concurrent use.
type Policy struct {
	// Stage1 is the first attempt. Its Within counts from the approach
	// request: if the owner has not made the attempt by then, the lead is
	// reassigned (rule T1). Defaults to 48h; call, e-mail and voicemail
	// asking for 10 minutes (T2).
	Stage1 Step `json:"stage1"`
	// Stage2 is due within 48h of Stage1 by default; it asks whether the
	// lead saw the voicemail and e-mail (rule T3).
	Stage2 Step `json:"stage2"`
	// Stage3 is due within 48h of Stage2 by default; it sends same-industry
	// case studies and content matched to the company (rule T4).
	Stage3 Step `json:"stage3"`
	// Stage4 is due within 4 days (96h) of Stage3 by default; it asks
	// whether they need any information (rule T5).
	Stage4 Step `json:"stage4"`
	// RecycleAfter is how long after the Stage4 attempt the engine waits
	// for a contact before the cadence ends and the lead is Recycled (rules
	// T7 and S3). Defaults to 4 days (96h).
	RecycleAfter time.Duration `json:"recycle_after"`
	// MaxReassignments is how many times an untouched lead is handed to
	// another rep when its Stage1 deadline passes before it goes to the
	// manager instead (rule T10). Defaults to 2; [NoReassignment] sends it
	// to the manager at the first missed deadline.
	MaxReassignments int `json:"max_reassignments"`
	// Repeats is how many times a missed Stage1-3 step is reminded again
	// (owner and manager) before the lead is handed on as in T10: to
	// another rep with a fresh window, or to the manager once
	// MaxReassignments is reached (rule T13). Defaults to 2; [NoRepeat]
	// hands the lead on one interval after the first reminder.
	Repeats int `json:"repeats,omitempty"`
	// RepeatAfter is the interval between a missed step's reminders, and
	// from the last to the hand-on (rule T13). Zero, the default, is the
	// missed stage's own window.
	RepeatAfter time.Duration `json:"repeat_after,omitempty"`
	// Calendar decides which hours count towards every Within and
	// RecycleAfter (rule T11). nil, the default, is wall-clock time, as
	// [WallClock]; use [BusinessCalendar] for working hours, weekends and
	// holidays.
	Calendar Calendar `json:"-"`
}

// NoRepeat as [Policy.Repeats] reminds a missed step once (T8) and hands
// the lead on one interval later, with no repeated reminder (T13).
const NoRepeat = -1

// MaxWindow is the longest window or wait a policy may hold: a year.
// A longer one is refused when the policy is validated, since no cadence
// waits that long, and a deadline that far out on a business calendar
// (or past time.Time's range) would land somewhere meaningless (E6).
const MaxWindow = 366 * 24 * time.Hour

// NoReassignment as [Policy.MaxReassignments] sends an untouched lead to
// the manager at its first missed deadline, with no reassignment.
const NoReassignment = -1

// Step is one stage of the cadence: its deadline and its playbook (rule
// T12). The playbook is shown with the worklist; the engine does not send
// the messages itself.
type Step struct {
	// Within is how long the owner has to make this stage's attempt,
	// counted on the policy's calendar from the previous step (from the
	// approach request for Stage1). Zero means the stage's default.
	Within time.Duration `json:"within"`
	// Channels are the channels the attempt uses. Zero means the default.
	Channels Channels `json:"channels"`
	// Template names the message template to send. Empty means the
	// default.
	Template string `json:"template"`
	// Goal says in a sentence what the attempt is for. Empty means the
	// default.
	Goal string `json:"goal"`
}

var defaultSteps = [4]Step{
	{48 * time.Hour, Call | Email | Voicemail, "stage1-intro",
		"Call and e-mail; if nobody answers, leave a voicemail asking for 10 minutes of their time."},
	{48 * time.Hour, Call | Email, "stage2-follow-up",
		"Ask whether they saw the voicemail and the e-mail."},
	{48 * time.Hour, Email, "stage3-case-studies",
		"E-mail same-industry case studies and content matched to the company and its web history."},
	{96 * time.Hour, Email, "stage4-anything-needed",
		"E-mail asking whether they need any information."},
}

const (
	defaultRecycleAfter     = 96 * time.Hour
	defaultMaxReassignments = 2
	defaultRepeats          = 2
)

// DefaultPolicy returns the rule book's cadence with every default written
// out: 48h, 48h, 48h and 4 days for Stage1..Stage4 (T1, T3-T5), recycle 4
// days after Stage4 (T7), two reassignments (T10), wall-clock time (T11,
// a nil Calendar).
func DefaultPolicy() Policy {
	return Policy{
		Stage1:           defaultSteps[0],
		Stage2:           defaultSteps[1],
		Stage3:           defaultSteps[2],
		Stage4:           defaultSteps[3],
		RecycleAfter:     defaultRecycleAfter,
		MaxReassignments: defaultMaxReassignments,
		Repeats:          defaultRepeats,
	}
}

// Normalize returns p with every zero field replaced by its default. The
// transitions read defaults themselves; Normalize is for showing a policy.
func (p Policy) Normalize() Policy {
	for s := Stage1; s <= Stage4; s++ {
		*p.stepPtr(s) = p.Playbook(s)
	}
	if p.RecycleAfter == 0 {
		p.RecycleAfter = defaultRecycleAfter
	}
	if p.MaxReassignments == 0 {
		p.MaxReassignments = defaultMaxReassignments
	}
	if p.Repeats == 0 {
		p.Repeats = defaultRepeats
	}
	return p
}

// Validate reports the first bad field as a [*leaderr.FieldError]: a negative
// Within or RecycleAfter, a MaxReassignments or Repeats out of range (see
// [MaxCount]), or a channel set with unknown bits. Zero fields are valid: they mean the
// default.
func (p *Policy) Validate() error {
	for s := Stage1; s <= Stage4; s++ {
		st := p.step(s)
		if st.Within < 0 {
			return leaderr.Errorf(s.Key()+".within", "must not be negative, got %v", st.Within)
		}
		if st.Within > MaxWindow {
			return leaderr.Errorf(s.Key()+".within", "must be at most %v (a year), got %v", MaxWindow, st.Within)
		}
		if !st.Channels.Valid() {
			return leaderr.Errorf(s.Key()+".channels", "unknown channel bits %#x", uint8(st.Channels))
		}
		if strings.IndexByte(st.Template, 0) >= 0 || !utf8.ValidString(st.Template) {
			return leaderr.Errorf(s.Key()+".template", "holds a NUL byte or is not UTF-8, which no store keeps: name the template in plain text")
		}
	}
	if c, ok := p.Calendar.(*BusinessCalendar); ok && c == nil {
		return leaderr.Errorf("calendar", "a nil *BusinessCalendar: leave Calendar nil for wall-clock hours, or build one with NewBusinessCalendar")
	}
	if p.RecycleAfter < 0 {
		return leaderr.Errorf("recycle_after", "must not be negative, got %v", p.RecycleAfter)
	}
	if p.RecycleAfter > MaxWindow {
		return leaderr.Errorf("recycle_after", "must be at most %v (a year), got %v", MaxWindow, p.RecycleAfter)
	}
	if p.Repeats < NoRepeat || p.Repeats > MaxCount {
		return leaderr.Errorf("repeats", "must be from %d (none) to %d, got %d", NoRepeat, MaxCount, p.Repeats)
	}
	if p.RepeatAfter < 0 || p.RepeatAfter > MaxWindow {
		return leaderr.Errorf("repeat_after", "must be from 0 (the stage's window) to %v, got %v", MaxWindow, p.RepeatAfter)
	}
	if p.MaxReassignments < NoReassignment || p.MaxReassignments > MaxCount {
		return leaderr.Errorf("max_reassignments", "must be from %d (none) to %d, got %d", NoReassignment, MaxCount, p.MaxReassignments)
	}
	return nil
}

// MaxCount bounds [Policy.Repeats] and [Policy.MaxReassignments]: a
// lead's cadence counts both in a byte, and a count it could never reach
// would reassign or remind a lead forever and never hand it to the
// manager (T10, T13).
const MaxCount = 100

// Playbook returns the step of s with defaults filled in (rule T12). It
// returns the zero Step for Untouched and Connected, which have none.
func (p *Policy) Playbook(s Stage) Step {
	if !s.Attempted() {
		return Step{}
	}
	st := p.step(s)
	d := defaultSteps[s-1]
	if st.Within == 0 {
		st.Within = d.Within
	}
	if st.Channels == 0 {
		st.Channels = d.Channels
	}
	if st.Template == "" {
		st.Template = d.Template
	}
	if st.Goal == "" {
		st.Goal = d.Goal
	}
	return st
}

// Window returns how long the attempt that reaches s may take after the
// previous step, with the default applied; 0 for Untouched and
// Connected, which no attempt reaches.
func (p *Policy) Window(s Stage) time.Duration {
	var w time.Duration
	switch s {
	case Stage1:
		w = p.Stage1.Within
	case Stage2:
		w = p.Stage2.Within
	case Stage3:
		w = p.Stage3.Within
	case Stage4:
		w = p.Stage4.Within
	default:
		return 0
	}
	if w == 0 {
		w = defaultWindows[s&7]
	}
	return w
}

// defaultWindows are the default Within of each stage, by stage.
var defaultWindows = [8]time.Duration{Stage1: 48 * time.Hour, Stage2: 48 * time.Hour, Stage3: 48 * time.Hour, Stage4: 96 * time.Hour}

func (p *Policy) recycleAfter() time.Duration {
	if p.RecycleAfter != 0 {
		return p.RecycleAfter
	}
	return defaultRecycleAfter
}

func (p *Policy) repeats() int {
	if p.Repeats != 0 {
		return max(p.Repeats, 0)
	}
	return defaultRepeats
}

// RepeatInterval returns the interval between the reminders of missed
// stage s, and from the last to the hand-on (T13).
func (p *Policy) RepeatInterval(s Stage) time.Duration {
	if p.RepeatAfter > 0 {
		return p.RepeatAfter
	}
	return p.Window(s)
}

func (p *Policy) maxReassignments() int {
	if p.MaxReassignments != 0 {
		return max(p.MaxReassignments, 0)
	}
	return defaultMaxReassignments
}

// Add returns the instant d of counted time after t on the policy's
// calendar (T11): t+d on the default wall clock.
func (p *Policy) Add(t time.Time, d time.Duration) time.Time {
	switch p.Calendar.(type) {
	case nil, WallClock:
		return WallClock{}.Add(t, d)
	}
	return p.Calendar.Add(t, d)
}

// add is Add on instants: integer arithmetic on the wall clock, small
// enough to inline on the cadence's hot path; other calendars go through
// addOn.
//
// d is positive: windows and waits are validated and defaulted.
func (p *Policy) add(t Instant, d time.Duration) Instant {
	if p.Calendar == nil {
		return t + Instant(d)
	}
	return p.addOn(t, d)
}

func (p *Policy) addOn(t Instant, d time.Duration) Instant {
	if _, wall := p.Calendar.(WallClock); wall {
		return t + Instant(d)
	}
	return InstantOf(p.Calendar.Add(t.Time(), d))
}

func (p *Policy) step(s Stage) Step { return *p.stepPtr(s) }

func (p *Policy) stepPtr(s Stage) *Step {
	switch s {
	case Stage1:
		return &p.Stage1
	case Stage2:
		return &p.Stage2
	case Stage3:
		return &p.Stage3
	case Stage4:
		return &p.Stage4
	}
	panic(fmt.Sprintf("stage: no step for %v", s))
}
