package lead

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"

	"github.com/leadline/leadline/leaderr"
	"github.com/shopspring/decimal"
)

// Scores are decimal.Decimal (rule E7): thresholds and reports are exact,
// with no float rounding. Scores may be negative; marketing automation
// decays them (E6).

// ParseScore parses a score written as a decimal number: "120", "99.99",
// "-5". The empty string, NaN, infinities and anything that is not a
// number are a [*leaderr.FieldError] for "score".
func ParseScore(s string) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return decimal.Decimal{}, leaderr.Errorf("score", "empty; want a decimal number such as 120 or 99.5")
	}
	if len(t) > MaxScoreText {
		return decimal.Decimal{}, errScoreText(len(t))
	}
	d, err := decimal.NewFromString(t)
	if err != nil {
		return decimal.Decimal{}, leaderr.Errorf("score", "%s is not a decimal number", leaderr.Quote(s))
	}
	if err := checkScore(d); err != nil {
		return decimal.Decimal{}, err
	}
	return d, nil
}

// The one rule for a score (E6, E7), whether it is parsed, converted from
// a float or handed to [Event.Validate]: its magnitude is below MaxScore
// and it has at most ScorePlaces decimal places. A score is a number a
// person reads; "1e1000000" and "1" followed by a million zeros are both
// refused as too large, and 1e-40 as too precise.
const (
	// MaxScore bounds a score's magnitude, exclusive: 10^15.
	MaxScore = 1e15
	// ScorePlaces is the most decimal places a score may have.
	ScorePlaces = 10
	// MaxScoreExponent bounds a score's decimal exponent, either way, so
	// that a score like "1e-2147483647" is refused before any arithmetic.
	MaxScoreExponent = 30
	// MaxScoreText bounds a score's text before it is parsed: parsing a
	// number's digits costs the square of their count (a megabyte of
	// them takes seconds), and the longest score a person writes,
	// "-999999999999999.9999999999", is 27 characters.
	MaxScoreText = 64
)

func errScoreText(n int) error {
	return leaderr.Errorf("score", "%d characters long: a score is at most %d, such as 120 or -12.5", n, MaxScoreText)
}

// CheckScoreText refuses a score's text, as it came (JSON's quotes
// included), that is too long to be a score, before it is parsed (E6).
func CheckScoreText(b []byte) error {
	n := len(b)
	if n >= 2 && b[0] == '"' && b[n-1] == '"' {
		n -= 2 // a JSON string's quotes are not the score's
	}
	if n > MaxScoreText {
		return errScoreText(n)
	}
	return nil
}

func errScoreTooLarge() error {
	return leaderr.Errorf("score", "too large: a score must be less than 1e15 in magnitude")
}

func errScoreTooPrecise() error {
	return leaderr.Errorf("score", "too precise: a score has at most %d decimal places", ScorePlaces)
}

// CheckScore refuses a score no event may carry, as a
// [*leaderr.FieldError] for field, as [CheckID] and [CheckText] name
// theirs: 1e15 or more in magnitude, or more than [ScorePlaces] decimal
// places (E6, E7). A policy's threshold and A8 rise are read by the same
// rule (A7).
func CheckScore(field string, d decimal.Decimal) error {
	err := checkScore(d)
	if fe, ok := err.(*leaderr.FieldError); ok && field != fe.Field {
		return &leaderr.FieldError{Field: field, Err: fe.Err}
	}
	return err
}

func checkScore(d decimal.Decimal) error {
	e := d.Exponent()
	// The exponent is checked before any arithmetic: comparing
	// "1e-2147483648" with anything rescales to a 10^2147483648 big.Int.
	switch {
	case d.IsZero():
		return nil
	case e > 15:
		return errScoreTooLarge()
	case e < -MaxScoreExponent:
		return errScoreTooPrecise()
	case d.NumDigits()+int(e) > 15: // |d| >= 1e15; NumDigits allocates nothing for ordinary scores
		return errScoreTooLarge()
	case e < -ScorePlaces && !d.Equal(d.Round(ScorePlaces)):
		return errScoreTooPrecise() // only a score written with more than 10 places gets here
	}
	return nil
}

// ScoreFromFloat converts a float score, as some marketing-automation
// systems send it, by the one rule for scores: it is rounded to
// ScorePlaces decimal places (a float's last digits are noise, so 1e-40
// is 0), and NaN, infinities and magnitudes of MaxScore or more are a
// [*leaderr.FieldError] for "score" (decimal.NewFromFloat would panic on
// NaN). What it returns, Handle accepts.
func ScoreFromFloat(f float64) (decimal.Decimal, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return decimal.Decimal{}, leaderr.Errorf("score", "%v is not a finite number", f)
	}
	if math.Abs(f) >= MaxScore {
		return decimal.Decimal{}, errScoreTooLarge()
	}
	d := decimal.NewFromFloat(f).Round(ScorePlaces)
	if err := checkScore(d); err != nil {
		return decimal.Decimal{}, err
	}
	return d, nil
}

// Threshold is a score threshold prepared for fast, exact comparison. A
// plain decimal compare allocates when the two exponents differ (99.99
// against 100); a Threshold keeps the value rounded up to every exponent a
// score is likely to carry, so [Threshold.Reached] compares at equal
// exponents without allocating, and stays exact for any score.
//
// Build it once, when a policy is built, with [NewThreshold]. The zero
// Threshold is unset ([Threshold.IsSet] is false), so a policy can tell
// "not given" from a threshold of 0; it compares as 0.
type Threshold struct {
	d decimal.Decimal
	// ceil[i] is the smallest multiple of 10^(i+minExp) that is >= d. A
	// score with exponent e is >= d exactly when it is >= ceil[e-minExp],
	// since the score itself is a multiple of 10^e.
	ceil *[thresholdExps]decimal.Decimal
}

const (
	minExp        = -12
	maxExp        = 12
	thresholdExps = maxExp - minExp + 1
)

// NewThreshold prepares d for comparison.
func NewThreshold(d decimal.Decimal) Threshold {
	t := Threshold{d: d, ceil: new([thresholdExps]decimal.Decimal)}
	for i := range thresholdExps {
		t.ceil[i] = ceilAt(d, int32(i+minExp))
	}
	return t
}

// ceilAt returns the smallest multiple of 10^e that is >= d, with
// exponent exactly e.
func ceilAt(d decimal.Decimal, e int32) decimal.Decimal {
	c, de := d.Coefficient(), d.Exponent()
	if e <= de {
		scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(de-e)), nil)
		return decimal.NewFromBigInt(c.Mul(c, scale), e)
	}
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(e-de)), nil)
	// ceil(c/scale) = -floor(-c/scale); big.Int.Div floors for a positive divisor.
	q := new(big.Int).Div(c.Neg(c), scale)
	return decimal.NewFromBigInt(q.Neg(q), e)
}

// IsSet reports whether t was built by [NewThreshold] or parsed.
func (t Threshold) IsSet() bool { return t.ceil != nil }

// Decimal returns the threshold's value.
func (t Threshold) Decimal() decimal.Decimal { return t.d }

// String returns the value as a decimal string.
func (t Threshold) String() string { return t.d.String() }

// Reached reports whether score >= t, exactly. It does not allocate for
// scores whose exponent lies within ±12, which covers every score a
// marketing-automation system sends.
func (t Threshold) Reached(score decimal.Decimal) bool {
	if score.Sign() == 0 {
		// Also the zero decimal.Decimal{}, whose Cmp would allocate.
		return t.d.Sign() <= 0
	}
	e := score.Exponent()
	if t.ceil == nil || e < minExp || e > maxExp {
		return score.GreaterThanOrEqual(t.d)
	}
	return score.Cmp(t.ceil[e-minExp]) >= 0
}

// MarshalText writes the value as a decimal string.
func (t Threshold) MarshalText() ([]byte, error) { return []byte(t.d.String()), nil }

// UnmarshalText parses a decimal string as [ParseScore] does.
func (t *Threshold) UnmarshalText(b []byte) error {
	d, err := ParseScore(string(b))
	if err != nil {
		if fe, ok := err.(*leaderr.FieldError); ok {
			return &leaderr.FieldError{Field: "threshold", Line: fe.Line, Err: fe.Err}
		}
		return err
	}
	*t = NewThreshold(d)
	return nil
}

// ScoreKey returns the key a score is kept as in history (E8): its
// decimal string, "120", "99.5", "-5". [ParseScore] reads it back to an
// equal decimal. The whole scores from -999 to 999 come from a table
// built once, so that recording the usual score change allocates nothing.
func ScoreKey(d decimal.Decimal) string {
	if d.Exponent() == 0 && d.Cmp(scoreKeyMax) < 0 && d.Cmp(scoreKeyMin) > 0 {
		return scoreKeys()[d.CoefficientInt64()+scoreKeyRange]
	}
	return d.String()
}

const scoreKeyRange = 999

var (
	scoreKeyMax = decimal.NewFromInt(scoreKeyRange + 1)
	scoreKeyMin = decimal.NewFromInt(-scoreKeyRange - 1)
	scoreKeys   = sync.OnceValue(func() []string {
		keys := make([]string, 2*scoreKeyRange+1)
		for i := range keys {
			keys[i] = strconv.Itoa(i - scoreKeyRange)
		}
		return keys
	})
)
