package stage

import (
	"fmt"
	"time"

	"github.com/leadline/leadline/leaderr"
)

// TimeOfDay is a wall-clock time of day to the minute, from 00:00 to
// 24:00, as a business opens or closes (rule T11). Build one with [At] or
// [ParseTimeOfDay]; a policy file holds it as "HH:MM".
//
// The zero TimeOfDay is unset, not midnight: in a [BusinessHours] it means
// "use the default", and midnight is At(0, 0). 24:00 is the next midnight;
// [NewBusinessCalendar] accepts it for closing only.
type TimeOfDay struct {
	hour, minute int
	set          bool
}

// At returns the time of day hour:minute. It does not check its arguments,
// so that a literal reads plainly; [NewBusinessCalendar] refuses one out of
// range, as does [TimeOfDay.MarshalText].
func At(hour, minute int) TimeOfDay {
	return TimeOfDay{hour: hour, minute: minute, set: true}
}

// ParseTimeOfDay parses "HH:MM" with two digits each, from "00:00" to
// "24:00". A bad string is a [*leaderr.FieldError] on "time_of_day".
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	digit := func(i int) (int, bool) {
		c := s[i]
		return int(c - '0'), '0' <= c && c <= '9'
	}
	if len(s) == 5 && s[2] == ':' {
		h1, ok1 := digit(0)
		h2, ok2 := digit(1)
		m1, ok3 := digit(3)
		m2, ok4 := digit(4)
		if ok1 && ok2 && ok3 && ok4 {
			if t := At(h1*10+h2, m1*10+m2); t.valid() {
				return t, nil
			}
		}
	}
	return TimeOfDay{}, leaderr.Errorf("time_of_day", "%q is not a time of day from 00:00 to 24:00, want HH:MM", s)
}

// IsZero reports whether t is unset.
func (t TimeOfDay) IsZero() bool { return !t.set }

// Hour returns the hour, 0 to 24.
func (t TimeOfDay) Hour() int { return t.hour }

// Minute returns the minute, 0 to 59.
func (t TimeOfDay) Minute() int { return t.minute }

// Offset returns the time of day as the span since midnight: 9h30m for
// 09:30, 24h for 24:00, 0 when unset.
func (t TimeOfDay) Offset() time.Duration {
	return time.Duration(t.hour)*time.Hour + time.Duration(t.minute)*time.Minute
}

// String returns "HH:MM", or "" when t is unset.
func (t TimeOfDay) String() string {
	if !t.set {
		return ""
	}
	return fmt.Sprintf("%02d:%02d", t.hour, t.minute)
}

// MarshalText returns [TimeOfDay.String]: "HH:MM", or "" when unset. A
// time out of range is an error.
func (t TimeOfDay) MarshalText() ([]byte, error) {
	if t.set && !t.valid() {
		return nil, leaderr.Errorf("time_of_day", "%s is not a time of day from 00:00 to 24:00", t)
	}
	return []byte(t.String()), nil
}

// UnmarshalText parses "HH:MM" as [ParseTimeOfDay] does; "" is unset.
func (t *TimeOfDay) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*t = TimeOfDay{}
		return nil
	}
	v, err := ParseTimeOfDay(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// valid reports whether t is set and within 00:00-24:00.
func (t TimeOfDay) valid() bool {
	if !t.set || t.hour < 0 || t.minute < 0 || t.minute > 59 {
		return false
	}
	return t.hour < 24 || t.hour == 24 && t.minute == 0
}
