package policyfile_test

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/policyfile"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the output; run go test -update and review the diff.\ngot:\n%s", path, got)
	}
}

// canon returns p in a form reflect.DeepEqual compares by value: decimals
// by their value, the calendar by its definition, the zone by its name.
type canonical struct {
	Policy    rules.Policy
	Threshold string
	Rise      string
	Calendar  any
	Zone      string
}

func canon(p rules.Policy) canonical {
	p = p.Normalize()
	c := canonical{Threshold: p.Triggers.Threshold.String(), Rise: p.TargetJump.Rise.String(), Zone: p.TimeZone}
	switch cal := p.Cadence.Calendar.(type) {
	case *stage.BusinessCalendar:
		c.Calendar = cal.Hours()
	case stage.WallClock, nil:
		c.Calendar = "wall"
	default:
		c.Calendar = cal
	}
	p.Cadence.Calendar = nil
	// An override that repeats M3's table changes nothing.
	var types map[routing.CampaignType]routing.Engagement
	for k, e := range p.Routing.Types {
		if builtin := (&routing.Rules{}).Engagement(&routing.Campaign{Type: k}); !(builtin == e && (&routing.Rules{}).Known(k)) {
			if types == nil {
				types = make(map[routing.CampaignType]routing.Engagement)
			}
			types[k] = e
		}
	}
	p.Routing.Types = types
	p.Triggers.Threshold = lead.Threshold{}
	p.TargetJump.Rise = decimal.Zero
	p.TimeZone = ""
	c.Policy = p.Normalize()
	c.Policy.Triggers.Threshold = lead.Threshold{}
	return c
}

// fataler is what testing.TB and *rapid.T share.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

func assertEqual(tb fataler, got, want rules.Policy) {
	tb.Helper()
	if g, w := canon(got), canon(want); !reflect.DeepEqual(g, w) {
		tb.Fatalf("policies differ:\ngot  %+v\nwant %+v", g, w)
	}
}

// fieldErrs returns the FieldErrors joined in err, and fails on any other.
func fieldErrs(tb testing.TB, err error) []*leaderr.FieldError {
	tb.Helper()
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		tb.Fatalf("error %v (%T) is not joined", err, err)
	}
	var out []*leaderr.FieldError
	for _, e := range j.Unwrap() {
		fe, ok := e.(*leaderr.FieldError)
		if !ok {
			tb.Fatalf("joined error %v is a %T, want *leaderr.FieldError", e, e)
		}
		out = append(out, fe)
	}
	return out
}

// TestMarshal_Default checks that the rule book's policy writes as the
// golden file and reads back equal (A7, T1-T13, M3).
func TestMarshal_Default(t *testing.T) {
	t.Parallel()
	b, err := policyfile.Marshal(rules.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "default.json", b)
	p, err := policyfile.Load(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Load(Marshal(DefaultPolicy())) = %v", err)
	}
	assertEqual(t, p, rules.DefaultPolicy())
	// The minimal file is the rule book too: every field defaults.
	p, err = policyfile.Load(strings.NewReader(`{"version": 1}`))
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, p, rules.DefaultPolicy())
}

// TestLoad_Custom reads a file that changes every kind of field, writes
// it back, and reads that again (T11 business calendar, T13 repeats, M12).
func TestLoad_Custom(t *testing.T) {
	t.Parallel()
	p, err := policyfile.LoadFile(filepath.Join("testdata", "custom.json"))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"T1 stage1 window in days", p.Cadence.Stage1.Within, 24 * time.Hour},
		{"T5 stage4 window 1d12h", p.Cadence.Stage4.Within, 36 * time.Hour},
		{"T10 no reassignment", p.Cadence.MaxReassignments, stage.NoReassignment},
		{"T13 repeats", p.Cadence.Repeats, 1},
		{"A7 threshold as a string", p.Triggers.Threshold.String(), "80.5"},
		{"A8 rise", p.TargetJump.Rise.String(), "15"},
		{"M12 invited percent", p.Routing.InvitedPercent, 40},
		{"M3 type", p.Routing.Types["partner_webinar"], routing.High},
		{"E10 language", p.Language, rules.Japanese},
		{"T2 channels", p.Cadence.Stage1.Channels, stage.Call | stage.Meeting},
		{"M10 handoff", p.Routing.Handoff, lead.BANTBudget | lead.BANTNeed},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	cal, ok := p.Cadence.Calendar.(*stage.BusinessCalendar)
	if !ok {
		t.Fatalf("calendar is %T, want *stage.BusinessCalendar (T11)", p.Cadence.Calendar)
	}
	h := cal.Hours()
	if h.Zone != "Asia/Tokyo" || !h.CountDays || len(h.Holidays) != 1 || h.Holidays[0] != "jp" || len(h.Closed) != 3 ||
		!reflect.DeepEqual(h.Workdays, []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}) {
		t.Errorf("calendar hours = %+v", h)
	}
	// 2026-12-28 (Mon) 17:00 + one working day: the 29th to 31st are
	// closed, 1-3 January are holidays (T11), so Monday 4 January 17:00.
	jst := cal.Location()
	got := cal.Add(time.Date(2026, 12, 28, 17, 0, 0, 0, jst), 24*time.Hour)
	if want := time.Date(2027, 1, 4, 17, 0, 0, 0, jst); !got.Equal(want) {
		t.Errorf("T11: calendar.Add(Dec 28 17:00, 1d) = %v, want %v", got, want)
	}
	b, err := policyfile.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "custom.golden.json", b)
	back, err := policyfile.Load(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, back, p)
}

// TestLoad_Invalid checks one bad value per field: each error names the
// field's path in the file, and its line (E6).
func TestLoad_Invalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, path, msg string
	}{
		{"T4 negative window", `"cadence": {"stage3": {"within": "-48h"}}`, "cadence.stage3.within", "must be positive, got -48h"},
		{"T1 zero window", `"cadence": {"stage1": {"within": "0s"}}`, "cadence.stage1.within", "must be positive, got 0s"},
		{"T1 bad duration", `"cadence": {"stage1": {"within": "2 days"}}`, "cadence.stage1.within", "not a duration"},
		{"T1 fraction of a day", `"cadence": {"stage1": {"within": "1.5d"}}`, "cadence.stage1.within", "not a duration"},
		{"E6 window past a year", `"cadence": {"stage4": {"within": "400d"}}`, "cadence.stage4.within", "at most 366d (a year)"},
		{"T12 unknown channel", `"cadence": {"stage2": {"channels": ["call", "fax"]}}`, "cadence.stage2.channels[1]", `got "fax"`},
		{"T12 no channel", `"cadence": {"stage2": {"channels": []}}`, "cadence.stage2.channels", "empty"},
		{"T7 recycle", `"cadence": {"recycle_after": "-1h"}`, "cadence.recycle_after", "must be positive"},
		{"T10 reassignments", `"cadence": {"max_reassignments": -1}`, "cadence.max_reassignments", "got -1"},
		{"T13 repeats", `"cadence": {"repeats": 101}`, "cadence.repeats", "got 101"},
		{"T13 repeat interval", `"cadence": {"repeat_after": "0h"}`, "cadence.repeat_after", "must be positive"},
		{"T11 calendar name", `"cadence": {"calendar": {"name": "business:fr", "zone": "UTC"}}`, "cadence.calendar.name", `"fr"`},
		{"T11 calendar kind", `"cadence": {"calendar": {"name": "lunar"}}`, "cadence.calendar.name", "unknown calendar"},
		{"T11 wall has no hours", `"cadence": {"calendar": {"name": "wall", "start": "09:00"}}`, "cadence.calendar.start", "only a business calendar"},
		{"T11 zone required", `"cadence": {"calendar": {"name": "business"}}`, "cadence.calendar.zone", "required"},
		{"T11 zone Local", `"cadence": {"calendar": {"name": "business", "zone": "Local"}}`, "cadence.calendar.zone", "depends on the host"},
		{"T11 start", `"cadence": {"calendar": {"name": "business", "zone": "UTC", "start": "9:00"}}`, "cadence.calendar.start", `"9:00"`},
		{"T11 end before start", `"cadence": {"calendar": {"name": "business", "zone": "UTC", "end": "08:00"}}`, "cadence.calendar.end", "after start 09:00"},
		{"T11 workday", `"cadence": {"calendar": {"name": "business", "zone": "UTC", "workdays": ["mon", "funday"]}}`, "cadence.calendar.workdays[1]", `"funday"`},
		{"T11 closed day", `"cadence": {"calendar": {"name": "business", "zone": "UTC", "closed": ["2026/12/29"]}}`, "cadence.calendar.closed[0]", "YYYY-MM-DD"},
		{"T11 count", `"cadence": {"calendar": {"name": "business", "zone": "UTC", "count": "weeks"}}`, "cadence.calendar.count", `"weeks"`},
		{"A7 threshold", `"triggers": {"threshold": "lots"}`, "triggers.threshold", `"lots"`},
		{"A7 threshold type", `"triggers": {"threshold": true}`, "triggers.threshold", "want a number"},
		{"A1 trigger kind", `"triggers": {"rules": [{"on": "created", "priority": 1, "rule": "X1"}]}`, "triggers.rules[0].on", `"created"`},
		{"A1 trigger band", `"triggers": {"rules": [{"on": "inquiry", "score": "above", "priority": 1, "rule": "X1"}]}`, "triggers.rules[0].score", `"above"`},
		{"A1 trigger priority", `"triggers": {"rules": [{"on": "inquiry", "priority": 0, "rule": "X1"}]}`, "triggers.rules[0].priority", "got 0"},
		{"A1 trigger rule id", `"triggers": {"rules": [{"on": "inquiry", "priority": 1}]}`, "triggers.rules[0].rule", "required"},
		{"A4 request window", `"request_window": "-2h"`, "request_window", "must be positive"},
		{"M1 organisation", `"routing": {"organisation": "hybrid"}`, "routing.organisation", `"hybrid"`},
		{"M3 engagement", `"routing": {"types": {"webinar": "medium"}}`, "routing.types.webinar", `"medium"`},
		{"M3 type key", `"routing": {"types": {"Web-inar": "high"}}`, "routing.types.Web-inar", "campaign type key"},
		{"S5 status", `"routing": {"statuses": ["lead", "prospect"]}`, "routing.statuses[1]", `"prospect"`},
		{"M1 inside type", `"routing": {"inside_types": ["Web Inquiry"]}`, "routing.inside_types[0]", "campaign type key"},
		{"M8 survey question", `"routing": {"survey": [{"question": " ", "any_of": ["yes"]}]}`, "routing.survey[0].question", "required"},
		{"M8 survey answers", `"routing": {"survey": [{"question": "budget?"}]}`, "routing.survey[0].any_of", "required"},
		{"M10 handoff", `"routing": {"handoff": ["need", "money"]}`, "routing.handoff[1]", `"money"`},
		{"M12 invited percent", `"routing": {"invited_percent": 0}`, "routing.invited_percent", "got 0"},
		{"A8 rise", `"target_jump": {"rise": 0}`, "target_jump.rise", "must be positive"},
		{"A8 priority", `"target_jump": {"priority": 0}`, "target_jump.priority", "got 0"},
		{"E3 retention past time's range", `"retention": {"events": "106752d"}`, "retention.events", "not a duration"},
		{"E3 retention", `"retention": {"history": "-1h"}`, "retention.history", "must not be negative"},
		{"E3 retention a lone minus", `"retention": {"history": "-"}`, "retention.history", `"-" is not a duration`},
		{"E3 retention a full-width minus", `"retention": {"events": " － "}`, "retention.events", `" － " is not a duration`},
		{"T1 window a lone minus", `"cadence": {"stage1": {"within": " - "}}`, "cadence.stage1.within", `" - " is not a duration`},
		{"E10 language", `"language": "jp-JP"`, "language", `"jp-JP"`},
		{"E10 time zone", `"time_zone": "Tokyo"`, "time_zone", `"Tokyo"`},
		{"E6 wrong type", `"cadence": {"max_reassignments": "2"}`, "cadence.max_reassignments", "want a whole number"},
		{"E6 not whole", `"cadence": {"repeats": 1.5}`, "cadence.repeats", "want a whole number"},
		{"E6 repeated key", `"language": "en", "language": "ja"`, "language", "given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := "{\n  \"version\": 1,\n  " + tt.file + "\n}\n"
			_, err := policyfile.Load(strings.NewReader(src))
			if err == nil {
				t.Fatalf("Load(%s) = nil error, want %s: %s", tt.file, tt.path, tt.msg)
			}
			if !errors.Is(err, leaderr.ErrInvalid) {
				t.Errorf("errors.Is(%v, ErrInvalid) = false", err)
			}
			errs := fieldErrs(t, err)
			if len(errs) != 1 || errs[0].Field != tt.path || !strings.Contains(errs[0].Err.Error(), tt.msg) || errs[0].Line != 3 {
				t.Errorf("Load(%s) = %v\nwant one error on line 3 at %s containing %q", tt.file, err, tt.path, tt.msg)
			}
		})
	}
}

// TestLoad_Every checks that one run reports every problem of a file,
// each with its own line.
func TestLoad_Every(t *testing.T) {
	t.Parallel()
	src := `{
  "version": 1,
  "tirggers": {"threshold": 100},
  "cadence": {
    "stage3": {"within": "-48h"},
    "repeats": "2"
  },
  "routing": {"invited_percent": 101}
}`
	_, err := policyfile.Load(strings.NewReader(src))
	errs := fieldErrs(t, err)
	want := []struct {
		path string
		line int
	}{{"tirggers", 3}, {"cadence.stage3.within", 5}, {"cadence.repeats", 6}, {"routing.invited_percent", 8}}
	if len(errs) != len(want) {
		t.Fatalf("Load = %v\nwant %d errors", err, len(want))
	}
	for i, w := range want {
		if errs[i].Field != w.path || errs[i].Line != w.line {
			t.Errorf("error %d = %s on line %d, want %s on line %d", i, errs[i].Field, errs[i].Line, w.path, w.line)
		}
	}
}

// TestLoad_Position checks the errors that carry a position: an unknown
// field (its line and column), a syntax error, trailing data, and the
// version.
func TestLoad_Position(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src    string
		field        string // "" for a SyntaxError
		line, column int
		msg          string
	}{
		{"unknown field", "{\"version\": 1,\n  \"cadence\": {\"stage1\": {}, \"recycle\": \"4d\"}}", "cadence.recycle", 2, 29, `did you mean "recycle_after"`},
		{"unknown field after Japanese", "{\"version\": 1, \"triggers\": {\"rules\": [{\"on\": \"inquiry\", \"priority\": 1, \"rule\": \"A1\", \"subject\": \"問い合わせ\", \"note\": 1}]}}", "triggers.rules[0].note", 1, 106, "unknown field"},
		{"case matters", `{"Version": 1}`, "Version", 1, 2, `did you mean "version"`},
		// The version is read by its exact key, as every other key is:
		// "VERSION" is an unknown field, not the version (E6).
		{"case matters beside the version", "{\n  \"version\": 1,\n  \"VERSION\": 2\n}\n", "VERSION", 3, 3, `did you mean "version"`},
		{"case matters before the version", "{\"VERSION\": 2,\n\"version\": 1}", "VERSION", 1, 2, `did you mean "version"`},
		// With no version at all, the error says so and names the key
		// that was probably meant.
		{"case matters with no version", "{\n\"VERSION\": 1,\n\"language\": \"en\"}", "version", 1, 0, `VERSION: unknown field at column 1; did you mean "version"`},
		{"syntax", "{\"version\": 1,\n  \"language\": \"en\",,\n}", "", 2, 20, "invalid character"},
		{"unterminated", "{\"version\": 1,\n \"language\": \"en\"", "", 2, 18, "ends inside"},
		{"trailing data", "{\"version\": 1}\n{}", "", 2, 1, "data after"},
		{"not an object", "[1]", "", 1, 1, "one JSON object"},
		{"empty", "  ", "", 1, 3, "empty file"},
		{"Shift_JIS", "{\"version\": 1,\n \"language\": \"\x93\xfa\"}", "", 2, 15, "not UTF-8"},
		{"no version", "{\n\"language\": \"en\"}", "version", 1, 0, "known versions: 1"},
		{"unknown version", "{\n\"version\": 2}", "version", 2, 0, "unknown version 2; known versions: 1"},
		{"version as text", "{\"version\": \"1\"}", "version", 1, 0, "unknown version"},
		{"nested too deep", `{"version": 1, "cadence": ` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "}", "", 1, 58, "nested more than 32 deep"},
		{"unknown objects nested too deep", `{"version": 1, "x": ` + strings.Repeat(`{"x": `, 40) + "1" + strings.Repeat("}", 41), "", 1, 207, "nested more than 32 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := policyfile.Load(strings.NewReader(tt.src))
			if !errors.Is(err, leaderr.ErrInvalid) {
				t.Fatalf("Load(%q) = %v, want an ErrInvalid", tt.src, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Load(%q) = %v, want it to say %q", tt.src, err, tt.msg)
			}
			if tt.field == "" {
				se, ok := errors.AsType[*policyfile.SyntaxError](err)
				if !ok || se.Line != tt.line || se.Column != tt.column {
					t.Errorf("Load(%q) = %v, want a SyntaxError at %d:%d", tt.src, err, tt.line, tt.column)
				}
				return
			}
			fe, ok := errors.AsType[*leaderr.FieldError](err)
			if !ok || fe.Field != tt.field || fe.Line != tt.line {
				t.Errorf("Load(%q) = %v, want a FieldError on %s line %d", tt.src, err, tt.field, tt.line)
			}
			if tt.column > 0 && !strings.Contains(err.Error(), "column "+strconv.Itoa(tt.column)) {
				t.Errorf("Load(%q) = %v, want column %d", tt.src, err, tt.column)
			}
		})
	}
}

// TestLoad_Hostile checks that a file of a megabyte of nested brackets
// is refused at once, in memory that grows with the file rather than
// with its square: every value's path names its place in the nesting,
// so a loader without a depth limit would build paths a megabyte long
// for each of half a million values (E6).
func TestLoad_Hostile(t *testing.T) {
	for _, src := range []string{
		`{"version": 1, "cadence": ` + strings.Repeat("[", 500_000) + strings.Repeat("]", 500_000) + "}",
		`{"version": 1, "x": ` + strings.Repeat(`{"x":`, 200_000) + "1" + strings.Repeat("}", 200_001),
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := policyfile.Load(strings.NewReader(src))
		runtime.ReadMemStats(&after)
		if _, ok := errors.AsType[*policyfile.SyntaxError](err); !ok {
			t.Errorf("Load(%.40q...) = %v, want a SyntaxError", src, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
			t.Errorf("Load(%.40q...) allocated %d MiB for a %d KiB file", src, n>>20, len(src)>>10)
		}
	}
}

// TestLoad_BOM checks that a file saved by Notepad or Excel with a byte
// order mark loads.
func TestLoad_BOM(t *testing.T) {
	t.Parallel()
	p, err := policyfile.Load(strings.NewReader("\uFEFF{\"version\": 1, \"language\": \"ja\"}\r\n"))
	if err != nil || p.Language != rules.Japanese {
		t.Errorf("Load(BOM) = %v, %v; want language ja", p.Language, err)
	}
}

// TestLoad_Types checks that routing.types shows M3's table and keeps
// only what differs from it (M3).
func TestLoad_Types(t *testing.T) {
	t.Parallel()
	p, err := policyfile.Load(strings.NewReader(`{"version": 1, "routing": {"types": {"own_event": "high", "user_group": "low", "webinar": "high"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[routing.CampaignType]routing.Engagement{"user_group": routing.Low, "webinar": routing.High}
	if !reflect.DeepEqual(p.Routing.Types, want) {
		t.Errorf("M3: Types = %v, want %v", p.Routing.Types, want)
	}
}

// TestLoad_FullWidth checks that numbers, times and names typed with a
// Japanese input method in full width read as their ASCII (T11).
func TestLoad_FullWidth(t *testing.T) {
	t.Parallel()
	p, err := policyfile.Load(strings.NewReader(`{"version": 1,
  "triggers": {"threshold": "１２０"},
  "cadence": {"stage1": {"within": "２４ｈ", "channels": ["ｃａｌｌ"]},
    "calendar": {"name": "ｂｕｓｉｎｅｓｓ：ｊｐ", "zone": "Asia/Tokyo", "start": "０９：３０", "end": "１８：００",
      "closed": ["２０２６－１２－２９"], "count": "ｄａｙｓ"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	h := p.Cadence.Calendar.(*stage.BusinessCalendar).Hours()
	if p.Triggers.Threshold.String() != "120" || p.Cadence.Stage1.Within != 24*time.Hour || p.Cadence.Stage1.Channels != stage.Call ||
		h.Start != stage.At(9, 30) || h.Closed[0] != "2026-12-29" || !h.CountDays || h.Holidays[0] != "jp" {
		t.Errorf("full-width file read as threshold %v, stage1 %+v, calendar %+v", p.Triggers.Threshold, p.Cadence.Stage1, h)
	}
}

// TestLoad_Durations checks the two ways to write a window (T1-T5).
func TestLoad_Durations(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Duration{
		"48h": 48 * time.Hour, "4d": 96 * time.Hour, "1d12h": 36 * time.Hour, "90m": 90 * time.Minute, " 2d ": 48 * time.Hour,
	} {
		p, err := policyfile.Load(strings.NewReader(`{"version": 1, "cadence": {"stage2": {"within": "` + in + `"}}}`))
		if err != nil || p.Cadence.Stage2.Within != want {
			t.Errorf("within %q = %v, %v; want %v", in, p.Cadence.Stage2.Within, err, want)
		}
	}
}

// TestLoadFile_Missing checks that a file that cannot be opened is not
// reported as bad input: there is nothing in it to fix.
func TestLoadFile_Missing(t *testing.T) {
	t.Parallel()
	_, err := policyfile.LoadFile(filepath.Join(t.TempDir(), "none.json"))
	if !errors.Is(err, os.ErrNotExist) || errors.Is(err, leaderr.ErrInvalid) {
		t.Errorf("LoadFile(missing) = %v, want os.ErrNotExist and not ErrInvalid", err)
	}
}

// TestMarshal_Refuses checks that what Marshal cannot write back is an
// error: a calendar with no name, an invalid policy.
func TestMarshal_Refuses(t *testing.T) {
	t.Parallel()
	p := rules.DefaultPolicy()
	p.Cadence.Calendar = stage.CalendarFunc(func(t time.Time, d time.Duration) time.Time { return t.Add(d) })
	if _, err := policyfile.Marshal(p); !errors.Is(err, leaderr.ErrInvalid) {
		t.Errorf("Marshal(CalendarFunc) = %v, want an ErrInvalid (T11)", err)
	}
	p = rules.DefaultPolicy()
	p.Cadence.MaxReassignments = 300
	if _, err := policyfile.Marshal(p); !errors.Is(err, leaderr.ErrInvalid) {
		t.Errorf("Marshal(300 reassignments) = %v, want an ErrInvalid (T10)", err)
	}
	p = rules.DefaultPolicy()
	p.Cadence.Stage2.Within = -time.Hour
	if _, err := policyfile.Marshal(p); !errors.Is(err, leaderr.ErrInvalid) {
		t.Errorf("Marshal(negative window) = %v, want an ErrInvalid (T3)", err)
	}
}

// TestRoundTrip_Rapid checks that any valid policy writes and reads back
// equal, whatever it holds (A7, T1-T14, M1-M13).
func TestRoundTrip_Rapid(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := genPolicy(t)
		if err := p.Validate(); err != nil {
			t.Fatalf("generated an invalid policy: %v", err)
		}
		b, err := policyfile.Marshal(p)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		back, err := policyfile.Load(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("Load(Marshal(p)) = %v\n%s", err, b)
		}
		assertEqual(t, back, p)
		again, err := policyfile.Marshal(back)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("Marshal(Load(Marshal(p))) differs: %v\n%s\n%s", err, again, b)
		}
	})
}

func genLong(t *rapid.T, label string) time.Duration {
	return rapid.SampledFrom([]time.Duration{0, time.Hour, 400 * 24 * time.Hour, math.MaxInt64 / 2, math.MaxInt64,
		time.Duration(rapid.Int64Range(1, math.MaxInt64).Draw(t, label+"ns"))}).Draw(t, label)
}

func genWindow(t *rapid.T, label string) time.Duration {
	return rapid.SampledFrom([]time.Duration{0, time.Minute, 90 * time.Minute, 24 * time.Hour, 36 * time.Hour, 48 * time.Hour,
		96 * time.Hour, stage.MaxWindow, time.Duration(rapid.Int64Range(1, int64(stage.MaxWindow)).Draw(t, label+"ns"))}).Draw(t, label)
}

func genText(t *rapid.T, label string) string {
	return rapid.SampledFrom([]string{"", "stage-x", "電話とメール", `quote " and \ back`, "<b>&amp;</b>", "line\nbreak"}).Draw(t, label)
}

func genDecimal(t *rapid.T, label string, positive bool) decimal.Decimal {
	lo := int64(-1_000_000)
	if positive {
		lo = 1
	}
	return decimal.New(rapid.Int64Range(lo, 1_000_000).Draw(t, label), int32(rapid.IntRange(-4, 2).Draw(t, label+"exp")))
}

func genPolicy(t *rapid.T) rules.Policy {
	var p rules.Policy
	if rapid.Bool().Draw(t, "threshold set") {
		p.Triggers.Threshold = lead.NewThreshold(genDecimal(t, "threshold", false))
	}
	if rapid.Bool().Draw(t, "rows set") {
		p.Triggers.Rules = []routing.Trigger{}
		for i := range rapid.IntRange(0, 4).Draw(t, "rows") {
			_ = i
			p.Triggers.Rules = append(p.Triggers.Rules, routing.Trigger{
				On:       rapid.SampledFrom([]lead.EventKind{lead.EventInquiry, lead.EventDownload, lead.EventResponse, lead.EventWebActivity}).Draw(t, "on"),
				Score:    rapid.SampledFrom([]routing.Band{routing.AnyScore, routing.AtLeast, routing.Below}).Draw(t, "band"),
				Priority: rapid.IntRange(1, 9).Draw(t, "priority"),
				Rule:     rapid.SampledFrom([]string{"A1", "A2", "X9", "自社", "A-1"}).Draw(t, "rule"),
				Subject:  genText(t, "subject"),
			})
		}
	}
	steps := []*stage.Step{&p.Cadence.Stage1, &p.Cadence.Stage2, &p.Cadence.Stage3, &p.Cadence.Stage4}
	for _, st := range steps {
		st.Within = genWindow(t, "within")
		st.Channels = stage.Channels(rapid.IntRange(0, 15).Draw(t, "channels"))
		st.Template = genText(t, "template")
		st.Goal = genText(t, "goal")
	}
	p.Cadence.RecycleAfter = genWindow(t, "recycle")
	p.Cadence.RepeatAfter = genWindow(t, "repeat after")
	p.Cadence.MaxReassignments = rapid.IntRange(-1, 100).Draw(t, "max reassignments")
	p.Cadence.Repeats = rapid.IntRange(-1, 100).Draw(t, "repeats")
	if rapid.Bool().Draw(t, "business") {
		h := stage.BusinessHours{
			Zone:      rapid.SampledFrom([]string{"UTC", "Asia/Tokyo", "America/New_York"}).Draw(t, "zone"),
			CountDays: rapid.Bool().Draw(t, "count days"),
		}
		start := rapid.IntRange(0, 22).Draw(t, "start")
		h.Start = stage.At(start, rapid.SampledFrom([]int{0, 30}).Draw(t, "start minute"))
		h.End = stage.At(rapid.IntRange(start+1, 24).Draw(t, "end"), 0)
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			if rapid.Bool().Draw(t, "workday") {
				h.Workdays = append(h.Workdays, wd)
			}
		}
		h.Holidays = rapid.SampledFrom([][]string{nil, {"jp"}, {"us"}, {"jp", "us"}}).Draw(t, "holidays")
		if rapid.Bool().Draw(t, "closed") {
			h.Closed = []string{"2026-12-29", "2026-12-30"}
		}
		p.Cadence.Calendar = stage.MustBusinessCalendar(h)
	} else if rapid.Bool().Draw(t, "explicit wall") {
		p.Cadence.Calendar = stage.WallClock{}
	}
	p.RequestWindow = genWindow(t, "request window")
	p.Routing.Organisation = rapid.SampledFrom([]routing.Model{routing.OrgDefault, routing.InsideFirst, routing.Direct, routing.FieldOnly}).Draw(t, "org")
	if rapid.Bool().Draw(t, "types") {
		p.Routing.Types = map[routing.CampaignType]routing.Engagement{"partner_webinar": routing.High, "own_event": routing.Low,
			"user_group": routing.High}
	}
	p.Routing.Statuses = lead.StatusSet(rapid.IntRange(0, 127).Draw(t, "statuses"))
	if rapid.Bool().Draw(t, "inside types") {
		p.Routing.InsideTypes = rapid.SampledFrom([][]routing.CampaignType{{}, {"web_inquiry", "content_syndication"}}).Draw(t, "inside")
	}
	if rapid.Bool().Draw(t, "survey") {
		p.Routing.Survey = []routing.Predicate{{Question: "予算はありますか", AnyOf: []string{"はい", "yes"}}}
	}
	p.Routing.FieldSummary = rapid.Bool().Draw(t, "field summary")
	p.Routing.Handoff = lead.BANTSet(rapid.IntRange(0, 15).Draw(t, "handoff"))
	p.Routing.InvitedPercent = rapid.IntRange(0, 100).Draw(t, "invited")
	if rapid.Bool().Draw(t, "rise set") {
		p.TargetJump.Rise = genDecimal(t, "rise", true)
	}
	p.TargetJump.Priority = rapid.IntRange(0, 5).Draw(t, "jump priority")
	p.TargetJump.Off = rapid.Bool().Draw(t, "jump off")
	p.Retention.History = genLong(t, "history")
	p.Retention.Events = genLong(t, "events")
	p.TimeZone = rapid.SampledFrom([]string{"", "Asia/Tokyo", "UTC"}).Draw(t, "tz")
	p.Language = rapid.SampledFrom([]rules.Language{"", rules.English, rules.Japanese, "fr"}).Draw(t, "language")
	return p
}
