package lead_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// TestEventPrint_everyFieldCounts_E2 sets each field of an event in turn,
// found by reflection so that a field added to Event later is covered
// too, and requires the print to change: a reused id with any other
// payload must be told from a redelivery (E2).
func TestEventPrint_everyFieldCounts_E2(t *testing.T) {
	base := lead.Event{ID: "ev-1", Kind: lead.EventInquiry, Lead: "L-1", At: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)}
	want := base.Print()
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		for i := range v.NumField() {
			f, name := v.Field(i), path+v.Type().Field(i).Name
			if name == "ID" {
				continue // the id is what a print sits beside, not part of it
			}
			if f.Kind() == reflect.Struct && f.Type() != reflect.TypeFor[time.Time]() && f.Type() != reflect.TypeFor[decimal.Decimal]() {
				walk(f, name+".")
				continue
			}
			ev := base
			ev.Answers = nil
			target := reflect.ValueOf(&ev).Elem().FieldByIndex(fieldIndex(reflect.TypeFor[lead.Event](), name))
			setSome(t, target, name)
			if got := ev.Print(); got == want {
				t.Errorf("setting %s leaves the print unchanged", name)
			}
		}
	}
	walk(reflect.ValueOf(base), "")
}

func fieldIndex(t reflect.Type, path string) []int {
	var idx []int
	for name := range splitDots(path) {
		f, ok := t.FieldByName(name)
		if !ok {
			panic(path)
		}
		idx = append(idx, f.Index...)
		t = f.Type
	}
	return idx
}

func splitDots(s string) func(func(string) bool) {
	return func(yield func(string) bool) {
		start := 0
		for i := 0; i <= len(s); i++ {
			if i == len(s) || s[i] == '.' {
				if !yield(s[start:i]) {
					return
				}
				start = i + 1
			}
		}
	}
}

func setSome(t *testing.T, v reflect.Value, name string) {
	switch v.Type() {
	case reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)))
		return
	case reflect.TypeFor[decimal.Decimal]():
		v.Set(reflect.ValueOf(decimal.NewFromInt(70)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Map:
		v.Set(reflect.ValueOf(map[string]string{"q": "a"}))
	default:
		t.Fatalf("field %s of kind %v: teach setSome and Event.Print about it", name, v.Kind())
	}
}

// TestEventPrint_sameEvent_E2 lists what a redelivery may change without
// being another event, and what it may not, as the rule book reads it.
func TestEventPrint_sameEvent_E2(t *testing.T) {
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	base := lead.Event{ID: "ev-1", Kind: lead.EventInquiry, Lead: "L-1", At: at, Score: decimal.RequireFromString("70"),
		Topic: "料金", Answers: map[string]string{"規模": "100名", "予算": "あり"}}
	same := map[string]func(*lead.Event){
		"another id":           func(e *lead.Event) { e.ID = "ev-2" },
		"the instant in Tokyo": func(e *lead.Event) { e.At = at.In(tokyo) },
		"the score as 70.00":   func(e *lead.Event) { e.Score = decimal.RequireFromString("70.00") },
		"the answers rebuilt":  func(e *lead.Event) { e.Answers = map[string]string{"予算": "あり", "規模": "100名"} },
		"a monotonic reading":  func(e *lead.Event) { e.At = e.At.Round(0) },
	}
	other := map[string]func(*lead.Event){
		"a nanosecond later":    func(e *lead.Event) { e.At = at.Add(time.Nanosecond) },
		"score 7":               func(e *lead.Event) { e.Score = decimal.RequireFromString("7") },
		"score 700":             func(e *lead.Event) { e.Score = decimal.RequireFromString("700") },
		"another topic":         func(e *lead.Event) { e.Topic = "料金 " },
		"an answer swapped":     func(e *lead.Event) { e.Answers = map[string]string{"規模": "あり", "予算": "100名"} },
		"an answer dropped":     func(e *lead.Event) { e.Answers = map[string]string{"規模": "100名"} },
		"another kind":          func(e *lead.Event) { e.Kind = lead.EventDownload },
		"a channel":             func(e *lead.Event) { e.Channels = stage.Call },
		"topic moved to reason": func(e *lead.Event) { e.Reason, e.Topic = e.Topic, "" },
	}
	for name, change := range same {
		ev := base
		change(&ev)
		if ev.Print() != base.Print() {
			t.Errorf("%s: print changed; a redelivery would be refused as another event", name)
		}
	}
	for name, change := range other {
		ev := base
		change(&ev)
		if ev.Print() == base.Print() {
			t.Errorf("%s: print unchanged; another event would pass for a redelivery", name)
		}
	}
}

// TestEventPrint_longScores_E2: a score is a number in the print, however
// many digits it is written with: a coefficient past 18 digits takes the
// same normal form as a short one.
func TestEventPrint_longScores_E2(t *testing.T) {
	print := func(score string) uint64 {
		return (&lead.Event{ID: "ev-1", Kind: lead.EventScoreChanged, Lead: "L-1", Score: decimal.RequireFromString(score)}).Print()
	}
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"999999999", "999999999.0000000000", true},
		{"120", "120.0000000000000000000", true},
		{"12345678901234567890", "12345678901234567890.000", true},
		{"-98765432109876543210.5", "-98765432109876543210.50000", true},
		{"12345678901234567890", "1234567890123456789", false},
		{"999999999", "999999999.0000000001", false},
	} {
		if got := print(c.a) == print(c.b); got != c.same {
			t.Errorf("print(%s) == print(%s) is %v, want %v", c.a, c.b, got, c.same)
		}
	}
}

func TestEventPrint_allocates_nothing(t *testing.T) {
	ev := lead.Event{ID: "ev-1", Kind: lead.EventInquiry, Lead: "L-1", At: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC), Score: decimal.RequireFromString("70.5"),
		Answers: map[string]string{"q": "a"}}
	if n := testing.AllocsPerRun(100, func() { _ = ev.Print() }); n != 0 {
		t.Fatalf("Print allocates %v times", n)
	}
}
