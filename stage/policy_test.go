package stage_test

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/leadline/leadline/stage"
)

func TestPolicy_Validate(t *testing.T) {
	t.Parallel()
	const bad = stage.Channels(0x10)
	tests := []struct {
		name      string
		pol       stage.Policy
		wantField string // "" means valid
	}{
		{name: "zero policy is the rule book's", pol: stage.Policy{}},
		{name: "DefaultPolicy", pol: stage.DefaultPolicy()},
		{name: "T10 NoReassignment", pol: stage.Policy{MaxReassignments: stage.NoReassignment}},
		{name: "T10 many reassignments", pol: stage.Policy{MaxReassignments: 100}},
		{name: "T11 custom calendar", pol: stage.Policy{Calendar: stage.CalendarFunc(func(t time.Time, _ time.Duration) time.Time { return t })}},
		{name: "all channels", pol: stage.Policy{Stage1: stage.Step{Channels: stage.Call | stage.Email | stage.Voicemail | stage.Meeting}}},
		{name: "T1 negative Stage1 window", pol: stage.Policy{Stage1: stage.Step{Within: -48 * oneHour}}, wantField: "stage1.within"},
		{name: "T3 negative Stage2 window", pol: stage.Policy{Stage2: stage.Step{Within: -time.Nanosecond}}, wantField: "stage2.within"},
		{name: "T4 negative Stage3 window", pol: stage.Policy{Stage3: stage.Step{Within: -oneHour}}, wantField: "stage3.within"},
		{name: "T5 negative Stage4 window", pol: stage.Policy{Stage4: stage.Step{Within: -oneDay}}, wantField: "stage4.within"},
		{name: "T12 unknown Stage1 channel bits", pol: stage.Policy{Stage1: stage.Step{Channels: bad}}, wantField: "stage1.channels"},
		{name: "T12 unknown Stage2 channel bits", pol: stage.Policy{Stage2: stage.Step{Channels: stage.Call | bad}}, wantField: "stage2.channels"},
		{name: "T12 unknown Stage3 channel bits", pol: stage.Policy{Stage3: stage.Step{Channels: 0x80}}, wantField: "stage3.channels"},
		{name: "T12 unknown Stage4 channel bits", pol: stage.Policy{Stage4: stage.Step{Channels: 0xff}}, wantField: "stage4.channels"},
		{name: "T7 negative RecycleAfter", pol: stage.Policy{RecycleAfter: -96 * oneHour}, wantField: "recycle_after"},
		{name: "T10 MaxReassignments -2", pol: stage.Policy{MaxReassignments: -2}, wantField: "max_reassignments"},
		{name: "E6 a year's window is allowed", pol: stage.Policy{Stage4: stage.Step{Within: stage.MaxWindow}, RecycleAfter: stage.MaxWindow}},
		{name: "E6 a window past a year is refused", pol: stage.Policy{Stage2: stage.Step{Within: stage.MaxWindow + time.Nanosecond}}, wantField: "stage2.within"},
		{name: "E6 T7 a recycle wait that would overflow is refused", pol: stage.Policy{RecycleAfter: math.MaxInt64}, wantField: "recycle_after"},
		{name: "first bad field wins", pol: stage.Policy{Stage3: stage.Step{Within: -oneHour}, RecycleAfter: -oneHour}, wantField: "stage3.within"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.pol.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			wantFieldError(t, err, tt.wantField)
		})
	}
}

// TestPolicy_Normalize_zero checks that the zero Policy is exactly
// DefaultPolicy, field by field (Calendar by type).
func TestPolicy_Normalize_zero(t *testing.T) {
	t.Parallel()
	got, want := stage.Policy{}.Normalize(), stage.DefaultPolicy()
	steps := []struct {
		s         stage.Stage
		got, want stage.Step
	}{
		{stage.Stage1, got.Stage1, want.Stage1},
		{stage.Stage2, got.Stage2, want.Stage2},
		{stage.Stage3, got.Stage3, want.Stage3},
		{stage.Stage4, got.Stage4, want.Stage4},
	}
	for _, st := range steps {
		if st.got != st.want {
			t.Errorf("Policy{}.Normalize().%v = %+v, want %+v", st.s, st.got, st.want)
		}
	}
	if got.RecycleAfter != want.RecycleAfter {
		t.Errorf("RecycleAfter = %v, want %v", got.RecycleAfter, want.RecycleAfter)
	}
	if got.MaxReassignments != want.MaxReassignments {
		t.Errorf("MaxReassignments = %d, want %d", got.MaxReassignments, want.MaxReassignments)
	}
	if reflect.TypeOf(got.Calendar) != reflect.TypeOf(want.Calendar) {
		t.Errorf("Calendar is %T, want %T", got.Calendar, want.Calendar)
	}
	if want.Calendar != nil {
		t.Errorf("DefaultPolicy().Calendar is %T, want nil: wall-clock time (T11)", want.Calendar)
	}
}

func TestDefaultPolicy_ruleBook(t *testing.T) {
	t.Parallel()
	p := stage.DefaultPolicy()
	tests := []struct {
		rule string
		got  time.Duration
		want time.Duration
	}{
		{"T1 Stage1 within 48h of the request", p.Stage1.Within, 48 * oneHour},
		{"T3 Stage2 within 48h of Stage1", p.Stage2.Within, 48 * oneHour},
		{"T4 Stage3 within 48h of Stage2", p.Stage3.Within, 48 * oneHour},
		{"T5 Stage4 within 4 days of Stage3", p.Stage4.Within, 4 * oneDay},
		{"T7 recycle 4 days after Stage4", p.RecycleAfter, 4 * oneDay},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: DefaultPolicy() has %v, want %v", tt.rule, tt.got, tt.want)
		}
	}
	if p.MaxReassignments != 2 {
		t.Errorf("T10 DefaultPolicy().MaxReassignments = %d, want 2", p.MaxReassignments)
	}
	if p.Stage1.Channels != stage.Call|stage.Email|stage.Voicemail {
		t.Errorf("T2 DefaultPolicy().Stage1.Channels = %v, want call,email,voicemail", p.Stage1.Channels)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("DefaultPolicy().Validate() = %v", err)
	}
}

func TestPolicy_Normalize_keepsSettings(t *testing.T) {
	t.Parallel()
	cal := stage.CalendarFunc(func(t time.Time, d time.Duration) time.Time { return t.Add(d) })
	p := stage.Policy{
		Stage2:           stage.Step{Within: 24 * oneHour, Template: "mine"},
		RecycleAfter:     7 * oneDay,
		MaxReassignments: stage.NoReassignment,
		Calendar:         cal,
	}
	got := p.Normalize()
	def := stage.DefaultPolicy()
	want2 := def.Stage2
	want2.Within, want2.Template = 24*oneHour, "mine"
	if got.Stage2 != want2 {
		t.Errorf("Normalize().Stage2 = %+v, want %+v", got.Stage2, want2)
	}
	if got.Stage1 != def.Stage1 || got.Stage3 != def.Stage3 || got.Stage4 != def.Stage4 {
		t.Errorf("Normalize() changed untouched steps: %+v", got)
	}
	if got.RecycleAfter != 7*oneDay || got.MaxReassignments != stage.NoReassignment {
		t.Errorf("Normalize() = RecycleAfter %v, MaxReassignments %d; want 168h, -1", got.RecycleAfter, got.MaxReassignments)
	}
	if _, ok := got.Calendar.(stage.CalendarFunc); !ok {
		t.Errorf("Normalize().Calendar is %T, want the policy's own CalendarFunc", got.Calendar)
	}
	if p.Stage1 != (stage.Step{}) || p.Calendar == nil {
		t.Errorf("Normalize modified its receiver: %+v", p)
	}
}

func TestPolicy_Window(t *testing.T) {
	t.Parallel()
	custom := stage.Policy{Stage1: stage.Step{Within: oneHour}, Stage4: stage.Step{Within: 2 * oneDay}}
	tests := []struct {
		name string
		pol  stage.Policy
		s    stage.Stage
		want time.Duration
	}{
		{"T1 default Stage1", stage.Policy{}, stage.Stage1, 48 * oneHour},
		{"T3 default Stage2", stage.Policy{}, stage.Stage2, 48 * oneHour},
		{"T4 default Stage3", stage.Policy{}, stage.Stage3, 48 * oneHour},
		{"T5 default Stage4", stage.Policy{}, stage.Stage4, 96 * oneHour},
		{"custom Stage1", custom, stage.Stage1, oneHour},
		{"default Stage2 beside a custom Stage1", custom, stage.Stage2, 48 * oneHour},
		{"custom Stage4", custom, stage.Stage4, 2 * oneDay},
	}
	for _, tt := range tests {
		if got := tt.pol.Window(tt.s); got != tt.want {
			t.Errorf("%s: Window(%v) = %v, want %v", tt.name, tt.s, got, tt.want)
		}
	}
	for _, s := range []stage.Stage{stage.Untouched, stage.Connected, stage.Stage(9)} {
		p := stage.DefaultPolicy()
		if got := p.Window(s); got != 0 {
			t.Errorf("Window(%v) = %v, want 0: no attempt reaches it", s, got)
		}
	}
}

func TestPolicy_Playbook_T12(t *testing.T) {
	t.Parallel()
	def := stage.Policy{}
	tests := []struct {
		s            stage.Stage
		wantChannels stage.Channels
		wantTemplate string
		wantWithin   time.Duration
	}{
		{stage.Stage1, stage.Call | stage.Email | stage.Voicemail, "stage1-intro", 48 * oneHour},
		{stage.Stage2, stage.Call | stage.Email, "stage2-follow-up", 48 * oneHour},
		{stage.Stage3, stage.Email, "stage3-case-studies", 48 * oneHour},
		{stage.Stage4, stage.Email, "stage4-anything-needed", 96 * oneHour},
	}
	for _, tt := range tests {
		got := def.Playbook(tt.s)
		if got.Channels != tt.wantChannels || got.Template != tt.wantTemplate || got.Within != tt.wantWithin || got.Goal == "" {
			t.Errorf("T12 Playbook(%v) = %+v, want channels %v, template %q, within %v and a goal", tt.s, got, tt.wantChannels, tt.wantTemplate, tt.wantWithin)
		}
		if want := stage.DefaultPolicy(); got != want.Playbook(tt.s) {
			t.Errorf("Policy{}.Playbook(%v) = %+v, DefaultPolicy().Playbook = %+v", tt.s, got, want.Playbook(tt.s))
		}
	}
	for _, s := range []stage.Stage{stage.Untouched, stage.Connected, stage.Stage(7)} {
		if got := def.Playbook(s); got != (stage.Step{}) {
			t.Errorf("Playbook(%v) = %+v, want the zero Step", s, got)
		}
	}

	override := stage.Policy{Stage3: stage.Step{Channels: stage.Call | stage.Meeting, Template: "webinar-invite"}}
	got := override.Playbook(stage.Stage3)
	want := def.Playbook(stage.Stage3)
	want.Channels, want.Template = stage.Call|stage.Meeting, "webinar-invite"
	if got != want {
		t.Errorf("T12 Playbook(Stage3) with an override = %+v, want %+v", got, want)
	}
	if g := override.Playbook(stage.Stage2); g != def.Playbook(stage.Stage2) {
		t.Errorf("an override of Stage3 changed Playbook(Stage2) to %+v", g)
	}
}

// TestPolicy_Add_nilCalendar checks that Policy{} and DefaultPolicy() count
// time the same way, as "Policy{} is exactly the rule book" promises, including
// the Calendar contract that a d of zero or less returns t.
func TestPolicy_Add_nilCalendar(t *testing.T) {
	t.Parallel()
	zero, def := stage.Policy{}, stage.DefaultPolicy()
	for _, d := range []time.Duration{48 * oneHour, time.Nanosecond, 0, -oneHour} {
		got, want := zero.Add(requestedAt, d), def.Add(requestedAt, d)
		if !got.Equal(want) {
			t.Errorf("Policy{}.Add(t, %v) = %v, DefaultPolicy().Add = %v; want the same", d, got, want)
		}
		if d <= 0 && !got.Equal(requestedAt) {
			t.Errorf("Policy{}.Add(t, %v) = %v, want t (Calendar: a d of zero or less returns t)", d, got)
		}
	}
}
