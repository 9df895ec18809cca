package stage

import (
	"math"
	"time"

	"github.com/leadline/leadline/leaderr"
)

// Instant is a point in time as Unix nanoseconds. A [Track] keeps its
// instants this way: eight bytes where a time.Time takes twenty-four, and
// integer compares and adds on the cadence's hot path. Convert with
// [InstantOf] and [Instant.Time].
//
// The zero Instant means "none". The Unix epoch itself reads as none; no
// lead is that old.
type Instant int64

// InstantOf returns t as an Instant; the zero time.Time gives the zero
// Instant. Instants outside 1678-2262 saturate to the ends of that
// range, where time.Time.UnixNano would wrap around.
func InstantOf(t time.Time) Instant {
	if t.IsZero() {
		return 0
	}
	switch sec := t.Unix(); {
	case sec < math.MinInt64/1_000_000_000+1:
		return math.MinInt64 + 1
	case sec > math.MaxInt64/1_000_000_000-1:
		return math.MaxInt64
	}
	return Instant(t.UnixNano())
}

// Time returns i as a time.Time in UTC; the zero Instant gives the zero
// time.Time.
func (i Instant) Time() time.Time {
	if i == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(i)).UTC()
}

// IsZero reports whether i is none.
func (i Instant) IsZero() bool { return i == 0 }

// String returns the instant in RFC 3339 with nanoseconds, or "" for none.
func (i Instant) String() string {
	if i == 0 {
		return ""
	}
	return i.Time().Format(time.RFC3339Nano)
}

// MarshalText returns [Instant.String].
func (i Instant) MarshalText() ([]byte, error) { return []byte(i.String()), nil }

// UnmarshalText parses RFC 3339; "" is none.
func (i *Instant) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*i = 0
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return leaderr.Errorf("instant", "%q is not an RFC 3339 time", string(b))
	}
	*i = InstantOf(t)
	return nil
}
