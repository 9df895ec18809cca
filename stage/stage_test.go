package stage_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/stage"
)

// allStages lists every declared stage in cadence order.
var allStages = []stage.Stage{stage.Untouched, stage.Stage1, stage.Stage2, stage.Stage3, stage.Stage4, stage.Connected}

// fatalfer is the part of testing.TB the error helpers need; *rapid.T has
// it too.
type fatalfer interface {
	Helper()
	Fatalf(format string, args ...any)
}

// wantFieldError fails unless err is a *leaderr.FieldError for field that
// matches leaderr.ErrInvalid (rule E6).
func wantFieldError(tb fatalfer, err error, field string) *leaderr.FieldError {
	tb.Helper()
	if err == nil {
		tb.Fatalf("err = nil, want a *leaderr.FieldError for %q", field)
	}
	fe, ok := errors.AsType[*leaderr.FieldError](err)
	if !ok {
		tb.Fatalf("err = %v (%T), want a *leaderr.FieldError for %q", err, err, field)
	}
	if fe.Field != field {
		tb.Fatalf("leaderr.FieldError.Field = %q, want %q (err: %v)", fe.Field, field, err)
	}
	if !errors.Is(err, leaderr.ErrInvalid) {
		tb.Fatalf("errors.Is(%v, leaderr.ErrInvalid) = false, want true (E6)", err)
	}
	return fe
}

func TestStage_String(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s        stage.Stage
		wantName string
		wantKey  string
	}{
		{stage.Untouched, "Untouched", "untouched"},
		{stage.Stage1, "Stage1", "stage1"},
		{stage.Stage2, "Stage2", "stage2"},
		{stage.Stage3, "Stage3", "stage3"},
		{stage.Stage4, "Stage4", "stage4"},
		{stage.Connected, "Connected", "connected"},
		{stage.Stage(6), "Stage(6)", "stage(6)"},
		{stage.Stage(255), "Stage(255)", "stage(255)"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.wantName {
			t.Errorf("Stage(%d).String() = %q, want %q", uint8(tt.s), got, tt.wantName)
		}
		if got := tt.s.Key(); got != tt.wantKey {
			t.Errorf("Stage(%d).Key() = %q, want %q", uint8(tt.s), got, tt.wantKey)
		}
	}
}

func TestStage_Valid(t *testing.T) {
	t.Parallel()
	for i := range 256 {
		s := stage.Stage(i)
		wantValid := i <= int(stage.Connected)
		wantAttempted := s >= stage.Stage1 && s <= stage.Stage4
		if got := s.Valid(); got != wantValid {
			t.Errorf("Stage(%d).Valid() = %v, want %v", i, got, wantValid)
		}
		if got := s.Attempted(); got != wantAttempted {
			t.Errorf("Stage(%d).Attempted() = %v, want %v (V1)", i, got, wantAttempted)
		}
	}
}

// TestStage_TextRoundTrip checks that every stage survives each of its text
// forms: the key, the display name, MarshalText and UnmarshalText.
func TestStage_TextRoundTrip(t *testing.T) {
	t.Parallel()
	for _, s := range allStages {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatalf("%v.MarshalText() error = %v", s, err)
		}
		if string(b) != s.Key() {
			t.Errorf("%v.MarshalText() = %q, want the key %q", s, b, s.Key())
		}
		var got stage.Stage = 99
		if err := got.UnmarshalText(b); err != nil || got != s {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v, nil", b, got, err, s)
		}
		for _, text := range []string{s.Key(), s.String()} {
			if got, err := stage.ParseStage(text); err != nil || got != s {
				t.Errorf("ParseStage(%q) = %v, %v; want %v, nil", text, got, err, s)
			}
		}
	}
}

func TestStage_MarshalText_invalid(t *testing.T) {
	t.Parallel()
	b, err := stage.Stage(6).MarshalText()
	if b != nil {
		t.Errorf("Stage(6).MarshalText() = %q, want nil", b)
	}
	wantFieldError(t, err, "stage")
}

func TestStage_UnmarshalText_keepsValueOnError(t *testing.T) {
	t.Parallel()
	s := stage.Stage3
	err := s.UnmarshalText([]byte("stage9"))
	wantFieldError(t, err, "stage")
	if s != stage.Stage3 {
		t.Errorf("after a failed UnmarshalText the stage is %v, want Stage3 unchanged", s)
	}
}

func TestStage_JSON(t *testing.T) {
	t.Parallel()
	type row struct {
		Stage stage.Stage `json:"stage"`
	}
	b, err := json.Marshal(row{stage.Stage2})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"stage":"stage2"}`; string(b) != want {
		t.Errorf("json.Marshal = %s, want %s", b, want)
	}
	var got row
	if err := json.Unmarshal([]byte(`{"stage":"Touch Stage 3"}`), &got); err != nil || got.Stage != stage.Stage3 {
		t.Errorf("json.Unmarshal(Touch Stage 3) = %v, %v; want Stage3, nil", got.Stage, err)
	}
	err = json.Unmarshal([]byte(`{"stage":"stage5"}`), &got)
	wantFieldError(t, err, "stage")
}

func TestParseStage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    stage.Stage
		wantErr bool
	}{
		{name: "key", in: "stage2", want: stage.Stage2},
		{name: "display name", in: "Stage2", want: stage.Stage2},
		{name: "upper case", in: "STAGE4", want: stage.Stage4},
		{name: "mixed case", in: "cOnNeCtEd", want: stage.Connected},
		{name: "surrounding space", in: " \tuntouched\n", want: stage.Untouched},
		{name: "CRM spelling with a space", in: "Stage 2", want: stage.Stage2},
		{name: "CRM spelling with Touch", in: "Touch Stage2", want: stage.Stage2},
		{name: "Touch and a space", in: "touch stage 1", want: stage.Stage1},
		{name: "Touch upper case", in: "TOUCH STAGE3", want: stage.Stage3},
		{name: "Untouched display name", in: "Untouched", want: stage.Untouched},
		{name: "empty", in: "", wantErr: true},
		{name: "blank", in: "   ", wantErr: true},
		{name: "no stage 5", in: "stage5", wantErr: true},
		{name: "no stage 0", in: "Stage 0", wantErr: true},
		{name: "number alone", in: "2", wantErr: true},
		{name: "dash", in: "stage-2", wantErr: true},
		{name: "underscore", in: "stage_2", wantErr: true},
		{name: "Touch alone", in: "Touch", wantErr: true},
		{name: "Touch prefix without stage", in: "Touch ", wantErr: true},
		{name: "prefix", in: "stage", wantErr: true},
		{name: "trailing junk", in: "stage2!", wantErr: true},
		{name: "Go syntax of an invalid stage", in: "Stage(6)", wantErr: true},
		{name: "touched", in: "touched", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := stage.ParseStage(tt.in)
			if tt.wantErr {
				wantFieldError(t, err, "stage")
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseStage(%q) = %v, %v; want %v, nil", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestParseStage_onlyDocumentedSpellings checks the rest of ParseStage's
// doc: besides keys and display names in any case with surrounding space,
// only "Stage 2" and "Touch Stage2" are accepted; "anything else is a
// *leaderr.FieldError".
func TestParseStage_onlyDocumentedSpellings(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"s t a g e 2", "Con nected", "Un touched", "Touch Connected", "touch untouched"} {
		if got, err := stage.ParseStage(in); err == nil {
			t.Errorf("ParseStage(%q) = %v, nil; want a *leaderr.FieldError: not a documented spelling", in, got)
		}
	}
}

func TestChannels_String(t *testing.T) {
	t.Parallel()
	tests := []struct {
		c    stage.Channels
		want string
	}{
		{0, ""},
		{stage.Call, "call"},
		{stage.Email, "email"},
		{stage.Voicemail, "voicemail"},
		{stage.Meeting, "meeting"},
		{stage.Call | stage.Email, "call,email"},
		{stage.Voicemail | stage.Call, "call,voicemail"},
		{stage.Call | stage.Email | stage.Voicemail | stage.Meeting, "call,email,voicemail,meeting"},
		{stage.Channels(0x10), "channels(0x10)"},
		{stage.Call | stage.Channels(0x30), "call,channels(0x30)"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("Channels(%#x).String() = %q, want %q", uint8(tt.c), got, tt.want)
		}
	}
}

func TestChannels_Has(t *testing.T) {
	t.Parallel()
	c := stage.Call | stage.Email
	tests := []struct {
		c2   stage.Channels
		want bool
	}{
		{0, true},
		{stage.Call, true},
		{stage.Email, true},
		{stage.Call | stage.Email, true},
		{stage.Voicemail, false},
		{stage.Call | stage.Voicemail, false},
	}
	for _, tt := range tests {
		if got := c.Has(tt.c2); got != tt.want {
			t.Errorf("(call,email).Has(%v) = %v, want %v", tt.c2, got, tt.want)
		}
	}
}

// TestChannels_TextRoundTrip checks all 16 valid channel sets and that
// every invalid bit pattern is refused by MarshalText.
func TestChannels_TextRoundTrip(t *testing.T) {
	t.Parallel()
	for i := range 256 {
		c := stage.Channels(i)
		b, err := c.MarshalText()
		if i >= 16 {
			if c.Valid() {
				t.Errorf("Channels(%#x).Valid() = true, want false", i)
			}
			wantFieldError(t, err, "channels")
			continue
		}
		if !c.Valid() {
			t.Errorf("Channels(%#x).Valid() = false, want true", i)
		}
		if err != nil {
			t.Fatalf("Channels(%#x).MarshalText() error = %v", i, err)
		}
		if string(b) != c.String() {
			t.Errorf("Channels(%#x).MarshalText() = %q, want String() %q", i, b, c.String())
		}
		var got stage.Channels = 0xff
		if err := got.UnmarshalText(b); err != nil || got != c {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v, nil", b, got, err, c)
		}
	}
}

func TestParseChannels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    stage.Channels
		wantErr bool
	}{
		{name: "T2 call and email", in: "call,email", want: stage.Call | stage.Email},
		{name: "plus and spaces and case", in: "Call + Voicemail", want: stage.Call | stage.Voicemail},
		{name: "empty is the empty set", in: "", want: 0},
		{name: "only separators", in: " , + ,", want: 0},
		{name: "empty parts skipped", in: "call,,email,", want: stage.Call | stage.Email},
		{name: "duplicates", in: "email,EMAIL", want: stage.Email},
		{name: "all four", in: "meeting+voicemail,email+call", want: stage.Call | stage.Email | stage.Voicemail | stage.Meeting},
		{name: "upper case", in: "MEETING", want: stage.Meeting},
		{name: "unknown channel", in: "fax", wantErr: true},
		{name: "one unknown among known", in: "call,fax", wantErr: true},
		{name: "space is not a separator", in: "call email", wantErr: true},
		{name: "E9 semicolon, as a CRM multi-select field writes it", in: "call;email", want: stage.Call | stage.Email},
		{name: "E9 Japanese comma and full-width comma", in: "call、email，voicemail", want: stage.Call | stage.Email | stage.Voicemail},
		{name: "plural", in: "calls", wantErr: true},
		{name: "String of invalid bits", in: "channels(0x10)", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := stage.ParseChannels(tt.in)
			if tt.wantErr {
				wantFieldError(t, err, "channels")
				if got != 0 {
					t.Errorf("ParseChannels(%q) = %v with an error, want 0", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseChannels(%q) = %v, %v; want %v, nil", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestEnd_Text(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    stage.End
		want string
	}{
		{stage.EndNone, ""},
		{stage.EndConnected, "connected"},
		{stage.EndExhausted, "exhausted"},
		{stage.EndStopped, "stopped"},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("End(%d).String() = %q, want %q", uint8(tt.e), got, tt.want)
		}
		b, err := tt.e.MarshalText()
		if err != nil || string(b) != tt.want {
			t.Errorf("End(%d).MarshalText() = %q, %v; want %q, nil", uint8(tt.e), b, err, tt.want)
		}
		var got stage.End = 99
		if err := got.UnmarshalText(b); err != nil || got != tt.e {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v, nil", b, got, err, tt.e)
		}
	}
}

func TestEnd_UnmarshalText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    stage.End
		wantErr bool
	}{
		{name: "upper case", in: "EXHAUSTED", want: stage.EndExhausted},
		{name: "surrounding space", in: " stopped ", want: stage.EndStopped},
		{name: "blank is none", in: "  ", want: stage.EndNone},
		{name: "unknown", in: "recycled", wantErr: true},
		{name: "none is not a key", in: "none", wantErr: true},
	}
	for _, tt := range tests {
		var got stage.End = stage.EndConnected
		err := got.UnmarshalText([]byte(tt.in))
		if tt.wantErr {
			wantFieldError(t, err, "end")
			if got != stage.EndConnected {
				t.Errorf("%s: a failed UnmarshalText(%q) changed the value to %v", tt.name, tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: UnmarshalText(%q) = %v, %v; want %v, nil", tt.name, tt.in, got, err, tt.want)
		}
	}
}

func TestEnd_invalid(t *testing.T) {
	t.Parallel()
	e := stage.End(4)
	if got, want := e.String(), "end(4)"; got != want {
		t.Errorf("End(4).String() = %q, want %q", got, want)
	}
	_, err := e.MarshalText()
	wantFieldError(t, err, "end")
}

func TestEffects_String(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    stage.Effects
		want string
	}{
		{0, ""},
		{stage.RemindOwner | stage.AlertManager, "remind_owner|alert_manager"},
		{stage.RemindOwner | stage.AlertManager | stage.Reassign, "remind_owner|alert_manager|reassign"},
		{stage.Escalate, "escalate"},
		{stage.Recycle, "recycle"},
		{stage.Late, "late"},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("Effects(%#x).String() = %q, want %q", uint8(tt.e), got, tt.want)
		}
	}
	if !(stage.RemindOwner | stage.Late).Has(stage.Late) || stage.Late.Has(stage.RemindOwner|stage.Late) {
		t.Error("Effects.Has is not a subset test")
	}
}

func TestFieldError(t *testing.T) {
	t.Parallel()
	cause := errors.New("boom")
	tests := []struct {
		name     string
		err      *leaderr.FieldError
		wantText string
	}{
		{"no line", &leaderr.FieldError{Field: "stage2.within", Err: cause}, "leadline: stage2.within: boom"},
		{"line", &leaderr.FieldError{Field: "stage2.within", Line: 12, Err: cause}, "leadline: line 12: stage2.within: boom"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.wantText {
			t.Errorf("%s: Error() = %q, want %q", tt.name, got, tt.wantText)
		}
		if !errors.Is(tt.err, cause) {
			t.Errorf("%s: errors.Is(err, cause) = false; Unwrap lost the cause", tt.name)
		}
		if !errors.Is(tt.err, leaderr.ErrInvalid) {
			t.Errorf("%s: errors.Is(err, leaderr.ErrInvalid) = false, want true (E6)", tt.name)
		}
		if errors.Is(tt.err, leaderr.ErrInvalidTransition) {
			t.Errorf("%s: errors.Is(err, leaderr.ErrInvalidTransition) = true for an unrelated cause", tt.name)
		}
	}
	wrapped := fmt.Errorf("policy: %w", leaderr.Errorf("stage1.within", "%w: nope", leaderr.ErrInvalidTransition))
	fe := wantFieldError(t, wrapped, "stage1.within")
	if fe.Line != 0 {
		t.Errorf("leaderr.Errorf gave Line %d, want 0", fe.Line)
	}
	if !errors.Is(wrapped, leaderr.ErrInvalidTransition) {
		t.Error("leaderr.Errorf with %w does not wrap its argument")
	}
}

func TestWallClock_Add(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 4, 11, 18, 0, 0, 0, zoneJST) // a Friday evening
	tests := []struct {
		name string
		d    time.Duration
		want time.Time
	}{
		{"T11 48h after Friday 18:00 is Sunday 18:00", 48 * time.Hour, time.Date(2025, 4, 13, 18, 0, 0, 0, zoneJST)},
		{"zero returns t", 0, at},
		{"negative returns t", -time.Hour, at},
		{"one nanosecond", time.Nanosecond, at.Add(time.Nanosecond)},
	}
	for _, tt := range tests {
		if got := (stage.WallClock{}).Add(at, tt.d); !got.Equal(tt.want) {
			t.Errorf("%s: WallClock.Add(%v, %v) = %v, want %v", tt.name, at, tt.d, got, tt.want)
		}
	}
	var calls int
	f := stage.CalendarFunc(func(t time.Time, d time.Duration) time.Time { calls++; return t.Add(3 * d) })
	var c stage.Calendar = f
	if got, want := c.Add(at, time.Hour), at.Add(3*time.Hour); !got.Equal(want) || calls != 1 {
		t.Errorf("CalendarFunc.Add = %v after %d calls, want %v after 1", got, calls, want)
	}
}

// FuzzParseStage checks that ParseStage never panics, refuses with a
// *leaderr.FieldError for "stage" only, and that whatever it accepts survives
// MarshalText and ParseStage unchanged.
func FuzzParseStage(f *testing.F) {
	for _, s := range allStages {
		f.Add(s.Key())
		f.Add(s.String())
	}
	for _, s := range []string{"", " ", "Stage 2", "Touch Stage2", "TOUCH stage 4", "stage5", "Stage(6)", "touch ", "\u0130", "stage\x002"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := stage.ParseStage(in)
		if err != nil {
			wantFieldError(t, err, "stage")
			if s != stage.Untouched {
				t.Fatalf("ParseStage(%q) = %v with an error, want the zero value", in, s)
			}
			return
		}
		if !s.Valid() {
			t.Fatalf("ParseStage(%q) = %v, not a valid stage", in, s)
		}
		b, err := s.MarshalText()
		if err != nil {
			t.Fatalf("ParseStage(%q) = %v, whose MarshalText fails: %v", in, s, err)
		}
		back, err := stage.ParseStage(string(b))
		if err != nil || back != s {
			t.Fatalf("ParseStage(%q) = %v; ParseStage(%q) = %v, %v; want %v, nil", in, s, b, back, err, s)
		}
		if back, err := stage.ParseStage(s.String()); err != nil || back != s {
			t.Fatalf("ParseStage(%q) = %v, %v; want %v, nil", s.String(), back, err, s)
		}
	})
}

// FuzzParseChannels checks that ParseChannels never panics, refuses with a
// *leaderr.FieldError for "channels" only, and that every set it accepts is valid
// and survives MarshalText and ParseChannels unchanged.
func FuzzParseChannels(f *testing.F) {
	for _, s := range []string{"", "call", "call,email", "Call + Voicemail", "meeting+voicemail,email+call", " , + ", "fax", "call email", "call;email", "channels(0x10)", "EMAIL,,call"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, err := stage.ParseChannels(in)
		if err != nil {
			wantFieldError(t, err, "channels")
			return
		}
		if !c.Valid() {
			t.Fatalf("ParseChannels(%q) = %#x, not a valid set", in, uint8(c))
		}
		b, err := c.MarshalText()
		if err != nil {
			t.Fatalf("ParseChannels(%q) = %v, whose MarshalText fails: %v", in, c, err)
		}
		back, err := stage.ParseChannels(string(b))
		if err != nil || back != c {
			t.Fatalf("ParseChannels(%q) = %v; ParseChannels(%q) = %v, %v; want %v, nil", in, c, b, back, err, c)
		}
	})
}
