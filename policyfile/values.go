package policyfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/shopspring/decimal"
)

// day is how long a "d" in a duration is: 24 hours of the policy's
// calendar (T11). On a business calendar that counts days, 24h is one
// working day; on one that counts hours, it is 24 working hours.
const day = 24 * time.Hour

// parseDuration parses a Go duration ("48h", "90m", "1h30m") or whole
// days in front of one ("4d", "1d12h"), as sales-ops write days. Days are
// 24 hours each; "4d" is "96h". Fractions of a day ("1.5d") are refused:
// write "36h".
func parseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("%q is not a duration; want hours such as \"48h\", or whole days such as \"4d\"", s)
	t := narrow(s)
	if t == "" {
		return 0, fmt.Errorf("empty; want a duration such as \"48h\", or leave the field out for the default")
	}
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	if t == "" {
		return 0, bad // a lone "-" (or "－") is no duration, not 0 (E6)
	}
	var d time.Duration
	if i := strings.IndexByte(t, 'd'); i >= 0 {
		n, err := strconv.ParseUint(t[:i], 10, 63)
		if err != nil || i == 0 || n > math.MaxInt64/uint64(day) {
			return 0, bad
		}
		d = time.Duration(n) * day
		t = t[i+1:]
	}
	if t != "" {
		r, err := time.ParseDuration(t)
		if err != nil || r < 0 || r > math.MaxInt64-d {
			return 0, bad
		}
		d += r
	}
	if neg {
		d = -d
	}
	return d, nil
}

// formatDuration writes d as the rule book says it: whole days from three
// days up as days ("4d", T5 and T7's "4 days"), anything else as Go
// parses it, without zero units ("48h", T1's "48 hours"; "30m", "1h30m",
// "0s").
func formatDuration(d time.Duration) string {
	if d >= 3*day && d%day == 0 {
		return strconv.FormatInt(int64(d/day), 10) + "d"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// parseDecimal reads a JSON number or a string holding one, exactly, as a
// score is read (E7): 100, 99.5, "100".
func parseDecimal(raw json.RawMessage) (decimal.Decimal, error) {
	s := strings.TrimSpace(string(raw))
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(raw, &s); err != nil {
			return decimal.Decimal{}, fmt.Errorf("want a number such as 100, got %s", raw)
		}
		s = narrow(s)
	} else if s == "" || s[0] != '-' && (s[0] < '0' || s[0] > '9') {
		return decimal.Decimal{}, fmt.Errorf("want a number such as 100, got %s", raw)
	}
	d, err := lead.ParseScore(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%q: %w", s, unwrapField(err))
	}
	return d, nil
}

// numberJSON writes d as a JSON number, exactly.
func numberJSON(d decimal.Decimal) json.RawMessage { return json.RawMessage(d.String()) }

// weekdays are the names a work day may have: English, short or long, and
// the Japanese day characters (月 is Monday).
var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	"日": time.Sunday, "月": time.Monday, "火": time.Tuesday, "水": time.Wednesday,
	"木": time.Thursday, "金": time.Friday, "土": time.Saturday,
}

var weekdayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func parseWeekday(s string) (time.Weekday, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.TrimSuffix(k, "曜日")
	k = strings.TrimSuffix(k, "曜")
	if wd, ok := weekdays[k]; ok {
		return wd, nil
	}
	return 0, fmt.Errorf("unknown day %q; want mon, tue, wed, thu, fri, sat or sun", s)
}

// unwrapField returns the cause of a domain type's FieldError, whose own
// field name ("stage", "score") is not the file's path.
func unwrapField(err error) error {
	if fe, ok := errors.AsType[*leaderr.FieldError](err); ok && fe.Err != nil {
		return fe.Err
	}
	return err
}

// narrow returns s with full-width ASCII (４８ｈ, typed with a Japanese
// input method) as ASCII and the ideographic space as a space, trimmed.
// Names, numbers, times and durations go through it; free text does not.
func narrow(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s))
}
