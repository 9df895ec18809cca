package lead_test

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/leadline/leadline/lead"
)

func TestParseScore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    decimal.Decimal
		wantErr bool
	}{
		{name: "A1 integer", in: "120", want: decimal.NewFromInt(120)},
		{name: "E6 negative", in: "-5", want: decimal.NewFromInt(-5)},
		{name: "E7 decimal", in: "99.99", want: decimal.New(9999, -2)},
		{name: "trailing zeros", in: "100.00", want: decimal.NewFromInt(100)},
		{name: "surrounding space", in: " 42\n", want: decimal.NewFromInt(42)},
		{name: "zero", in: "0", want: decimal.Zero},
		{name: "exponent", in: "1.5e2", want: decimal.NewFromInt(150)},
		{name: "empty", in: "", wantErr: true},
		{name: "blank", in: "  ", wantErr: true},
		{name: "NaN", in: "NaN", wantErr: true},
		{name: "Inf", in: "Inf", wantErr: true},
		{name: "-Inf", in: "-Inf", wantErr: true},
		{name: "Infinity", in: "Infinity", wantErr: true},
		{name: "letters", in: "abc", wantErr: true},
		{name: "comma decimal", in: "99,5", wantErr: true},
		{name: "hex", in: "0x10", wantErr: true},
		{name: "two numbers", in: "1 2", wantErr: true},
		{name: "64 characters", in: strings.Repeat("0", 63) + "1", want: decimal.NewFromInt(1)},
		{name: "65 characters", in: strings.Repeat("0", 64) + "1", wantErr: true},
		{name: "a megabyte of digits", in: "1" + strings.Repeat("0", 1<<20), wantErr: true},
		{name: "a megabyte of places", in: "0." + strings.Repeat("1", 1<<20), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := lead.ParseScore(tt.in)
			if tt.wantErr {
				wantFieldError(t, err, "score")
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("ParseScore(%q) = %v, %v; want %v, nil", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestParseScore_hugeExponent checks that ParseScore refuses a score whose
// exponent makes every comparison unbounded (rule E6: a malformed score is
// refused). decimal.NewFromString accepts any int32 exponent; comparing
// "1e2147483647" with the threshold 100 rescales to a 10^2147483647
// big.Int (gigabytes, minutes), and Threshold.Reached falls back to that
// comparison outside ±12. This test never compares the values.
func TestParseScore_hugeExponent(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"1e2147483647", "1e-2147483648", "-7e999999999"} {
		d, err := lead.ParseScore(in)
		if err == nil {
			t.Errorf("ParseScore(%q) accepted a score with exponent %d; comparing it with a threshold cannot finish (E6)", in, d.Exponent())
			continue
		}
		wantFieldError(t, err, "score")
	}
}

func TestScoreFromFloat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      float64
		want    decimal.Decimal
		wantErr bool
	}{
		{name: "1.5", in: 1.5, want: decimal.New(15, -1)},
		{name: "E6 negative", in: -5, want: decimal.NewFromInt(-5)},
		{name: "zero", in: 0, want: decimal.Zero},
		{name: "shortest decimal of 99.99", in: 99.99, want: decimal.New(9999, -2)},
		{name: "NaN", in: math.NaN(), wantErr: true},
		{name: "+Inf", in: math.Inf(1), wantErr: true},
		{name: "-Inf", in: math.Inf(-1), wantErr: true},
	}
	for _, tt := range tests {
		got, err := lead.ScoreFromFloat(tt.in)
		if tt.wantErr {
			wantFieldError(t, err, "score")
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ScoreFromFloat(%v) = %v, %v; want %v, nil", tt.in, got, err, tt.want)
		}
	}
}

// withExponent returns v written with exponent e, and whether v has such
// a form.
func withExponent(v decimal.Decimal, e int32) (decimal.Decimal, bool) {
	c, ve := v.Coefficient(), v.Exponent()
	if e <= ve {
		scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(ve-e)), nil)
		return decimal.NewFromBigInt(c.Mul(c, scale), e), true
	}
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(e-ve)), nil)
	q, r := new(big.Int).QuoRem(c, scale, new(big.Int))
	if r.Sign() != 0 {
		return decimal.Decimal{}, false
	}
	return decimal.NewFromBigInt(q, e), true
}

// boundaryGrid are the scores and thresholds around the MQL line of A1.
var boundaryGrid = []decimal.Decimal{
	decimal.New(99, 0),
	decimal.New(9999, -2),
	decimal.New(100, 0),
	decimal.New(10000, -2),
	decimal.New(1, 2),
	decimal.New(10001, -2),
	decimal.New(99999999, -6),
	decimal.New(999999999999999, -13), // exponent outside ±12
	decimal.New(-5, 0),
	decimal.New(0, 0),
	decimal.New(150, 0),
	decimal.New(99995, -3),
}

// TestThreshold_Reached_grid checks exactness (E7) on the boundary grid,
// every value written at every exponent from -14 to 14 that can hold it.
func TestThreshold_Reached_grid(t *testing.T) {
	t.Parallel()
	for _, th := range boundaryGrid {
		thr := lead.NewThreshold(th)
		for _, v := range boundaryGrid {
			for e := int32(-14); e <= 14; e++ {
				score, ok := withExponent(v, e)
				if !ok {
					continue
				}
				if got, want := thr.Reached(score), score.GreaterThanOrEqual(th); got != want {
					t.Errorf("NewThreshold(%v).Reached(%v at exponent %d) = %v, want %v", th, score, e, got, want)
				}
			}
		}
	}
}

func TestThreshold_Reached_A1(t *testing.T) {
	t.Parallel()
	thr := lead.NewThreshold(decimal.NewFromInt(100))
	tests := []struct {
		name  string
		score decimal.Decimal
		want  bool
	}{
		{"A1 150 is an MQL", decimal.NewFromInt(150), true},
		{"A1 100 is an MQL: the threshold is inclusive", decimal.New(100, 0), true},
		{"A1 100.00 is an MQL", decimal.New(10000, -2), true},
		{"A1 1e2 is an MQL", decimal.New(1, 2), true},
		{"A2 99.99 is not", decimal.New(9999, -2), false},
		{"A2 99.999999999999 is not", decimal.New(99999999999999, -12), false},
		{"A2 99.9999999999999 is not (exponent -13)", decimal.New(999999999999999, -13), false},
		{"A2 99 is not", decimal.NewFromInt(99), false},
		{"E6 -5 is not", decimal.NewFromInt(-5), false},
		{"100.01 is", decimal.New(10001, -2), true},
	}
	for _, tt := range tests {
		if got := thr.Reached(tt.score); got != tt.want {
			t.Errorf("%s: Reached(%v) = %v, want %v", tt.name, tt.score, got, tt.want)
		}
	}
}

func TestThreshold_Reached_exact_property(t *testing.T) {
	t.Parallel()
	exp := rapid.Int32Range(-14, 14)
	value := func(label string) *rapid.Generator[decimal.Decimal] {
		return rapid.Custom(func(t *rapid.T) decimal.Decimal {
			if rapid.Bool().Draw(t, label+" from grid") {
				v := rapid.SampledFrom(boundaryGrid).Draw(t, label)
				e := exp.Draw(t, label+" exponent")
				if d, ok := withExponent(v, e); ok {
					return d
				}
				return v
			}
			c := rapid.Int64Range(-1_000_000_000, 1_000_000_000).Draw(t, label+" coefficient")
			return decimal.New(c, exp.Draw(t, label+" exponent"))
		})
	}
	scores, thresholds := value("score"), value("threshold")
	rapid.Check(t, func(t *rapid.T) {
		th, score := thresholds.Draw(t, "threshold"), scores.Draw(t, "score")
		if got, want := lead.NewThreshold(th).Reached(score), score.GreaterThanOrEqual(th); got != want {
			t.Fatalf("NewThreshold(%v).Reached(%v) = %v, want %v (E7)", th, score, got, want)
		}
	})
}

// FuzzThreshold checks exactness (E7) for fuzzed coefficients and
// exponents, with the exponents folded into ±40 to reach both the
// prepared and the fallback comparison while keeping each run short.
func FuzzThreshold(f *testing.F) {
	f.Add(int64(9999), int32(-2), int64(100), int32(0))
	f.Add(int64(100), int32(0), int64(10000), int32(-2))
	f.Add(int64(10001), int32(-2), int64(1), int32(2))
	f.Add(int64(-5), int32(0), int64(0), int32(0))
	f.Add(int64(999999999999999), int32(-13), int64(100), int32(0))
	f.Add(int64(math.MaxInt64), int32(12), int64(math.MinInt64), int32(-12))
	f.Fuzz(func(t *testing.T, cs int64, es int32, ct int64, et int32) {
		score, th := decimal.New(cs, es%41), decimal.New(ct, et%41)
		if got, want := lead.NewThreshold(th).Reached(score), score.GreaterThanOrEqual(th); got != want {
			t.Fatalf("NewThreshold(%v).Reached(%v) = %v, want %v (E7)", th, score, got, want)
		}
	})
}

var reachedSink bool

// TestThreshold_Reached_allocs checks the design promise of Threshold: a
// score compared against a prepared threshold never allocates, even when
// the exponents differ (99.99 against 100).
func TestThreshold_Reached_allocs(t *testing.T) {
	thr := lead.NewThreshold(decimal.NewFromInt(100))
	tests := []struct {
		name  string
		score decimal.Decimal
	}{
		{"99.99 against 100", decimal.New(9999, -2)},
		{"100 against 100", decimal.New(100, 0)},
		{"1e3 against 100", decimal.New(1, 3)},
		{"exponent -12", decimal.New(99999999999999, -12)},
		{"exponent 12", decimal.New(1, 12)},
		{"negative", decimal.NewFromInt(-5)},
	}
	for _, tt := range tests {
		score := tt.score
		if n := testing.AllocsPerRun(100, func() { reachedSink = thr.Reached(score) }); n != 0 {
			t.Errorf("%s: Reached allocates %v times per call, want 0", tt.name, n)
		}
	}
}

// TestThreshold_Reached_allocsZeroScore checks the same promise for the
// zero decimal.Decimal, the score of a lead no system scored yet: its
// exponent is 0, inside ±12.
func TestThreshold_Reached_allocsZeroScore(t *testing.T) {
	thr := lead.NewThreshold(decimal.NewFromInt(100))
	var score decimal.Decimal
	if n := testing.AllocsPerRun(100, func() { reachedSink = thr.Reached(score) }); n != 0 {
		t.Errorf("Reached(decimal.Decimal{}) allocates %v times per call, want 0 (its exponent is 0)", n)
	}
}

func TestThreshold_zero(t *testing.T) {
	t.Parallel()
	var thr lead.Threshold
	if thr.IsSet() {
		t.Error("zero Threshold.IsSet() = true, want false")
	}
	tests := []struct {
		score decimal.Decimal
		want  bool
	}{
		{decimal.Zero, true},
		{decimal.New(1, -12), true},
		{decimal.New(-1, -20), false},
		{decimal.NewFromInt(-5), false},
	}
	for _, tt := range tests {
		if got := thr.Reached(tt.score); got != tt.want {
			t.Errorf("zero Threshold.Reached(%v) = %v, want %v: it compares as 0", tt.score, got, tt.want)
		}
	}
	if !lead.NewThreshold(decimal.Zero).IsSet() {
		t.Error("NewThreshold(0).IsSet() = false; a threshold of 0 must be told from unset")
	}
}

func TestThreshold_Text(t *testing.T) {
	t.Parallel()
	thr := lead.NewThreshold(decimal.New(995, -1))
	if got := thr.String(); got != "99.5" {
		t.Errorf("String() = %q, want 99.5", got)
	}
	if !thr.Decimal().Equal(decimal.New(995, -1)) {
		t.Errorf("Decimal() = %v, want 99.5", thr.Decimal())
	}
	b, err := thr.MarshalText()
	if err != nil || string(b) != "99.5" {
		t.Errorf("MarshalText() = %q, %v; want 99.5", b, err)
	}
	var back lead.Threshold
	if err := back.UnmarshalText(b); err != nil || !back.IsSet() || !back.Decimal().Equal(thr.Decimal()) {
		t.Errorf("UnmarshalText(%q) = %v (set %v), %v; want 99.5", b, back, back.IsSet(), err)
	}
	if back.Reached(decimal.NewFromInt(99)) || !back.Reached(decimal.New(9950, -2)) {
		t.Error("a parsed threshold compares wrongly")
	}
	var bad lead.Threshold
	wantFieldError(t, bad.UnmarshalText([]byte("NaN")), "threshold")
	if bad.IsSet() {
		t.Error("a failed UnmarshalText set the threshold")
	}
}

// FuzzParseScore checks that ParseScore never panics, refuses with a
// *leaderr.FieldError for "score" only, and that a parsed score's String parses
// back to an Equal decimal.
func FuzzParseScore(f *testing.F) {
	for _, s := range []string{"120", "-5", "99.99", "100.00", "", "  ", "NaN", "Inf", "abc", "1e3", ".5", "-0", "1_000", "99,5", "0x10", "1e-12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d, err := lead.ParseScore(in)
		if err != nil {
			wantFieldError(t, err, "score")
			return
		}
		if e := d.Exponent(); e > 1000 || e < -1000 {
			// String would write |e| digits; TestParseScore_hugeExponent
			// covers such scores.
			t.Skip()
		}
		back, err := lead.ParseScore(d.String())
		if err != nil || !back.Equal(d) {
			t.Fatalf("ParseScore(%q) = %v; ParseScore(%q) = %v, %v; want an Equal decimal", in, d, d.String(), back, err)
		}
	})
}

func TestScoreKey(t *testing.T) {
	for _, s := range []string{"0", "1", "-1", "99", "100", "999", "-999", "1000", "-1000", "99.5", "-0.25", "999999999999999.9999999999", "1e3"} {
		d := decimal.RequireFromString(s)
		key := lead.ScoreKey(d)
		back, err := lead.ParseScore(key)
		if err != nil || !back.Equal(d) {
			t.Errorf("ScoreKey(%s) = %q, parsed back as %v, %v; want an equal score (E8)", s, key, back, err)
		}
		if want := d.String(); key != want {
			t.Errorf("ScoreKey(%s) = %q, want %q", s, key, want)
		}
	}
	d := decimal.NewFromInt(120)
	if n := testing.AllocsPerRun(100, func() { _ = lead.ScoreKey(d) }); n != 0 {
		t.Errorf("ScoreKey(120) allocates %v times, want 0 (E8: a score change on the hot path)", n)
	}
}

func TestScore_oneRule(t *testing.T) {
	t.Parallel()
	// E6, E7: what ScoreFromFloat returns, ParseScore and Event.Validate
	// accept; and a huge number is refused however it is written.
	huge := "1" + strings.Repeat("0", 1_000_000)
	for _, in := range []string{huge, "1e1000000", "1e15", "-1e15", "1e-11", "0.12345678901"} {
		if _, err := lead.ParseScore(in); err == nil {
			t.Errorf("ParseScore(%.20q) accepted; want refused (|score| < 1e15, at most 10 places)", in)
		}
	}
	for _, in := range []string{"999999999999999.9999999999", "-5", "0.0000000001", "1.50000000000000000"} {
		if _, err := lead.ParseScore(in); err != nil {
			t.Errorf("ParseScore(%q) = %v, want accepted", in, err)
		}
	}
	for _, f := range []float64{1e-40, 0.1 + 0.2, -3.5, 1e14, 123.456} {
		d, err := lead.ScoreFromFloat(f)
		if err != nil {
			t.Errorf("ScoreFromFloat(%v) = %v", f, err)
			continue
		}
		if _, err := lead.ParseScore(d.String()); err != nil {
			t.Errorf("ScoreFromFloat(%v) = %v, which ParseScore refuses: %v", f, d, err)
		}
		ev := lead.Event{ID: "e", Kind: lead.EventScoreChanged, Lead: "L-1", At: time.Unix(1e9, 0), Score: d}
		if err := ev.Validate(); err != nil {
			t.Errorf("ScoreFromFloat(%v) = %v, which Handle refuses: %v", f, d, err)
		}
	}
	for _, f := range []float64{1e31, 1e15, -2e15} {
		if d, err := lead.ScoreFromFloat(f); err == nil {
			t.Errorf("ScoreFromFloat(%v) = %v, want refused as too large", f, d)
		}
	}
}
