package routing_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
)

// fatalfer is the part of testing.TB the error helpers need; *rapid.T has
// it too.
type fatalfer interface {
	Helper()
	Fatalf(format string, args ...any)
}

// wantFieldError fails unless err is a *leaderr.FieldError for field that
// matches leaderr.ErrInvalid (rule E6).
func wantFieldError(tb fatalfer, err error, field string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("err = nil, want a *FieldError for %q", field)
	}
	fe, ok := errors.AsType[*leaderr.FieldError](err)
	if !ok {
		tb.Fatalf("err = %v (%T), want a *FieldError for %q", err, err, field)
	}
	if fe.Field != field {
		tb.Fatalf("FieldError.Field = %q, want %q (err: %v)", fe.Field, field, err)
	}
	if !errors.Is(err, leaderr.ErrInvalid) {
		tb.Fatalf("errors.Is(%v, ErrInvalid) = false, want true (E6)", err)
	}
}

// otherKinds are the event kinds that never create a request.
var otherKinds = []lead.EventKind{0, lead.EventCreated, lead.EventScoreChanged, lead.EventOutbound, lead.EventContact, lead.EventStatusSet, 42}

func TestTriggers_Match_ruleBook(t *testing.T) {
	t.Parallel()
	type want struct {
		rule     string // "" means no match
		priority int
	}
	a1, a2, a3, none := want{"A1", 1}, want{"A2", 2}, want{"A3", 3}, want{}
	scores := []struct {
		name    string
		score   decimal.Decimal
		reached bool
	}{
		{"150", decimal.NewFromInt(150), true},
		{"100 inclusive", decimal.New(100, 0), true},
		{"100.00 inclusive", decimal.New(10000, -2), true},
		{"1e2 inclusive", decimal.New(1, 2), true},
		{"100.01", decimal.New(10001, -2), true},
		{"99.99", decimal.New(9999, -2), false},
		{"99.9999999999999", decimal.New(999999999999999, -13), false},
		{"99", decimal.NewFromInt(99), false},
		{"E6 -5", decimal.NewFromInt(-5), false},
		{"no score yet", decimal.Decimal{}, false},
	}
	triggers := []struct {
		name string
		trig routing.Triggers
	}{
		{"DefaultTriggers", routing.DefaultTriggers()},
		{"zero Triggers normalized", routing.Triggers{}.Normalize()},
		{"threshold written 100.00", routing.Triggers{Threshold: lead.NewThreshold(decimal.New(10000, -2))}.Normalize()},
	}
	for _, tr := range triggers {
		for _, sc := range scores {
			cases := []struct {
				name string
				on   lead.EventKind
				want want
			}{
				{"A1 inquiry at or above the threshold", lead.EventInquiry, a1},
				{"A2 inquiry below the threshold", lead.EventInquiry, a2},
				{"A3 download at or above the threshold", lead.EventDownload, a3},
				{"download below the threshold creates nothing", lead.EventDownload, none},
			}
			for _, c := range cases {
				// Each case states one half of the band; skip the half the score is not in.
				if (c.want == a1 || c.want == a3) != sc.reached {
					continue
				}
				row, ok := tr.trig.Match(c.on, sc.score)
				switch {
				case c.want == none && ok:
					t.Errorf("%s, %s: Match(%v, %s) = %s, want no match", tr.name, c.name, c.on, sc.name, row.Rule)
				case c.want != none && (!ok || row.Rule != c.want.rule || row.Priority != c.want.priority):
					t.Errorf("%s, %s: Match(%v, %s) = %+v, %v; want %s priority %d", tr.name, c.name, c.on, sc.name, row, ok, c.want.rule, c.want.priority)
				}
			}
			for _, k := range otherKinds {
				if row, ok := tr.trig.Match(k, sc.score); ok {
					t.Errorf("%s: Match(%v, %s) = %s, want no match for a %v", tr.name, k, sc.name, row.Rule, k)
				}
			}
		}
	}
}

func TestTriggers_Match_A7(t *testing.T) {
	t.Parallel()
	fifty := lead.NewThreshold(decimal.NewFromInt(50))
	tests := []struct {
		name     string
		trig     routing.Triggers
		on       lead.EventKind
		score    decimal.Decimal
		wantRule string // "" means no match
	}{
		{"A7 threshold 50: an inquiry at 60 is an MQL", routing.Triggers{Threshold: fifty}.Normalize(), lead.EventInquiry, decimal.NewFromInt(60), "A1"},
		{"A7 threshold 50: a download at 50 is an MQL", routing.Triggers{Threshold: fifty}.Normalize(), lead.EventDownload, decimal.NewFromInt(50), "A3"},
		{"A7 threshold 50: a download at 49.99 is not", routing.Triggers{Threshold: fifty}.Normalize(), lead.EventDownload, decimal.New(4999, -2), ""},
		{"A7 threshold 0 is not unset", routing.Triggers{Threshold: lead.NewThreshold(decimal.Zero)}.Normalize(), lead.EventInquiry, decimal.Zero, "A1"},
		{"A7 any-score download row", routing.Triggers{Threshold: fifty, Rules: []routing.Trigger{
			{On: lead.EventDownload, Score: routing.AnyScore, Priority: 4, Rule: "D1"},
		}}, lead.EventDownload, decimal.NewFromInt(-100), "D1"},
		{"A7 a table without inquiry rows ignores inquiries", routing.Triggers{Threshold: fifty, Rules: []routing.Trigger{
			{On: lead.EventDownload, Score: routing.AnyScore, Priority: 4, Rule: "D1"},
		}}, lead.EventInquiry, decimal.NewFromInt(500), ""},
		{"A7 first matching row wins: any-score first", routing.Triggers{Threshold: fifty, Rules: []routing.Trigger{
			{On: lead.EventInquiry, Score: routing.AnyScore, Priority: 2, Rule: "X"},
			{On: lead.EventInquiry, Score: routing.AtLeast, Priority: 1, Rule: "A1"},
		}}, lead.EventInquiry, decimal.NewFromInt(500), "X"},
		{"A7 first matching row wins: at-least first", routing.Triggers{Threshold: fifty, Rules: []routing.Trigger{
			{On: lead.EventInquiry, Score: routing.AtLeast, Priority: 1, Rule: "A1"},
			{On: lead.EventInquiry, Score: routing.AnyScore, Priority: 2, Rule: "X"},
		}}, lead.EventInquiry, decimal.NewFromInt(500), "A1"},
		{"A7 a non-matching row is skipped", routing.Triggers{Threshold: fifty, Rules: []routing.Trigger{
			{On: lead.EventInquiry, Score: routing.AtLeast, Priority: 1, Rule: "A1"},
			{On: lead.EventInquiry, Score: routing.AnyScore, Priority: 2, Rule: "X"},
		}}, lead.EventInquiry, decimal.NewFromInt(10), "X"},
		{"A7 an empty table matches nothing", routing.Triggers{Threshold: fifty, Rules: []routing.Trigger{}}.Normalize(), lead.EventInquiry, decimal.NewFromInt(500), ""},
		{"the zero Triggers, not normalized, matches nothing", routing.Triggers{}, lead.EventInquiry, decimal.NewFromInt(500), ""},
	}
	for _, tt := range tests {
		row, ok := tt.trig.Match(tt.on, tt.score)
		switch {
		case tt.wantRule == "" && ok:
			t.Errorf("%s: Match(%v, %v) = %s, want no match", tt.name, tt.on, tt.score, row.Rule)
		case tt.wantRule != "" && (!ok || row.Rule != tt.wantRule):
			t.Errorf("%s: Match(%v, %v) = %+v, %v; want %s", tt.name, tt.on, tt.score, row, ok, tt.wantRule)
		}
	}
}

func TestTriggers_Normalize(t *testing.T) {
	t.Parallel()
	got, want := routing.Triggers{}.Normalize(), routing.DefaultTriggers()
	if !got.Threshold.IsSet() || !got.Threshold.Decimal().Equal(want.Threshold.Decimal()) || !want.Threshold.Decimal().Equal(decimal.NewFromInt(100)) {
		t.Errorf("A1 Normalize().Threshold = %v (set %v), DefaultTriggers %v; want 100", got.Threshold, got.Threshold.IsSet(), want.Threshold)
	}
	if !slices.Equal(got.Rules, want.Rules) {
		t.Errorf("Normalize().Rules = %+v, want %+v", got.Rules, want.Rules)
	}
	wantRows := []struct {
		on       lead.EventKind
		band     routing.Band
		priority int
		rule     string
	}{
		{lead.EventInquiry, routing.AtLeast, 1, "A1"},
		{lead.EventInquiry, routing.Below, 2, "A2"},
		{lead.EventDownload, routing.AtLeast, 3, "A3"},
		{lead.EventResponse, routing.AtLeast, 2, "M1"},
	}
	if len(want.Rules) != len(wantRows) {
		t.Fatalf("DefaultTriggers has %d rows, want %d", len(want.Rules), len(wantRows))
	}
	for i, w := range wantRows {
		r := want.Rules[i]
		if r.On != w.on || r.Score != w.band || r.Priority != w.priority || r.Rule != w.rule || r.Subject == "" {
			t.Errorf("DefaultTriggers().Rules[%d] = %+v, want %v %v priority %d %s with a subject (A4)", i, r, w.on, w.band, w.priority, w.rule)
		}
	}
	// Each call returns its own rows.
	a, b := routing.DefaultTriggers(), routing.DefaultTriggers()
	a.Rules[0].Priority = 9
	if b.Rules[0].Priority != 1 {
		t.Error("DefaultTriggers shares its rows between calls")
	}
	custom := routing.Triggers{Threshold: lead.NewThreshold(decimal.NewFromInt(50)), Rules: []routing.Trigger{{On: lead.EventDownload, Priority: 1, Rule: "D"}}}
	n := custom.Normalize()
	if !n.Threshold.Decimal().Equal(decimal.NewFromInt(50)) || len(n.Rules) != 1 || n.Rules[0].Rule != "D" {
		t.Errorf("Normalize() replaced custom settings: %+v", n)
	}
	if err := want.Validate(); err != nil {
		t.Errorf("DefaultTriggers().Validate() = %v", err)
	}
}

func TestTriggers_Validate(t *testing.T) {
	t.Parallel()
	good := routing.Trigger{On: lead.EventInquiry, Score: routing.AtLeast, Priority: 1, Rule: "A1"}
	second := func(f func(*routing.Trigger)) routing.Triggers {
		bad := good
		f(&bad)
		return routing.Triggers{Rules: []routing.Trigger{good, bad}}
	}
	tests := []struct {
		name      string
		trig      routing.Triggers
		wantField string // "" means valid
	}{
		{name: "zero", trig: routing.Triggers{}},
		{name: "default", trig: routing.DefaultTriggers()},
		{name: "download any score", trig: second(func(r *routing.Trigger) { r.On, r.Score = lead.EventDownload, routing.AnyScore })},
		{name: "A7 on must be inquiry, download or response: created", trig: second(func(r *routing.Trigger) { r.On = lead.EventCreated }), wantField: "triggers.rules[1].on"},
		{name: "A7 on must be inquiry, download or response: zero", trig: second(func(r *routing.Trigger) { r.On = 0 }), wantField: "triggers.rules[1].on"},
		{name: "A7 on must be inquiry or download: outbound", trig: second(func(r *routing.Trigger) { r.On = lead.EventOutbound }), wantField: "triggers.rules[1].on"},
		{name: "A7 unknown band", trig: second(func(r *routing.Trigger) { r.Score = 3 }), wantField: "triggers.rules[1].score"},
		{name: "A7 priority 0", trig: second(func(r *routing.Trigger) { r.Priority = 0 }), wantField: "triggers.rules[1].priority"},
		{name: "A7 negative priority", trig: second(func(r *routing.Trigger) { r.Priority = -1 }), wantField: "triggers.rules[1].priority"},
		{name: "A4 empty rule", trig: second(func(r *routing.Trigger) { r.Rule = "" }), wantField: "triggers.rules[1].rule"},
		{name: "A4 blank rule", trig: second(func(r *routing.Trigger) { r.Rule = "  " }), wantField: "triggers.rules[1].rule"},
		{name: "first bad row wins", trig: routing.Triggers{Rules: []routing.Trigger{{Rule: "x", Priority: 1}, {}}}, wantField: "triggers.rules[0].on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.trig.Validate()
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

var matchSink *routing.Trigger

// TestTriggers_Match_allocs checks the doc's promise: Match does not
// allocate, even when the score's exponent differs from the threshold's.
func TestTriggers_Match_allocs(t *testing.T) {
	trig := routing.DefaultTriggers()
	for _, score := range []decimal.Decimal{decimal.New(9999, -2), decimal.New(10000, -2), decimal.NewFromInt(150), decimal.NewFromInt(-5)} {
		for _, on := range []lead.EventKind{lead.EventInquiry, lead.EventDownload, lead.EventCreated} {
			if n := testing.AllocsPerRun(100, func() { matchSink, _ = trig.Match(on, score) }); n != 0 {
				t.Errorf("Match(%v, %v) allocates %v times per call, want 0", on, score, n)
			}
		}
	}
}

func TestBand_Text(t *testing.T) {
	t.Parallel()
	for b, key := range map[routing.Band]string{routing.AnyScore: "any", routing.AtLeast: "at_least", routing.Below: "below"} {
		text, err := b.MarshalText()
		if b.String() != key || err != nil || string(text) != key {
			t.Errorf("Band %d: String %q, MarshalText %q, %v; want %q", uint8(b), b.String(), text, err, key)
		}
		var got routing.Band = 9
		if err := got.UnmarshalText([]byte(" " + strings.ToUpper(key) + " ")); err != nil || got != b {
			t.Errorf("UnmarshalText(%q) = %v, %v", key, got, err)
		}
	}
	_, err := routing.Band(3).MarshalText()
	wantFieldError(t, err, "band")
	var got routing.Band
	wantFieldError(t, got.UnmarshalText([]byte("above")), "band")
}

func TestTriggers_JSON(t *testing.T) {
	t.Parallel()
	in := routing.DefaultTriggers()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out routing.Triggers
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("json.Unmarshal(%s) error = %v", b, err)
	}
	if !out.Threshold.IsSet() || !out.Threshold.Decimal().Equal(in.Threshold.Decimal()) || !slices.Equal(out.Rules, in.Rules) {
		t.Errorf("JSON round trip = %+v, want %+v (%s)", out, in, b)
	}
	if row, ok := out.Match(lead.EventInquiry, decimal.New(10000, -2)); !ok || row.Rule != "A1" {
		t.Errorf("decoded triggers: Match(inquiry, 100.00) = %+v, %v; want A1", row, ok)
	}
}
