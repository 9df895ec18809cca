package replay

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/leadline/leadline/leaderr"
)

// Duration is a time.Duration that reads and writes as Go writes one,
// "30m0s", in a [Setup] file, where a count of nanoseconds would be
// unreadable.
type Duration time.Duration

// MarshalText writes d as time.Duration.String does.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads a duration such as "30m" or "48h".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return leaderr.Errorf("tick", "want a duration such as 30m or 1h, got %q", string(b))
	}
	*d = Duration(v)
	return nil
}

// ReadSetup reads a [Setup] as JSON, strictly: a field Setup does not
// have is refused (E9), and so is a negative tick or a tick without a
// start (E6). Errors are [*leaderr.FieldError]s.
func ReadSetup(r io.Reader) (*Setup, error) {
	var s Setup
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, lineError(0, err)
	}
	if s.Tick < 0 {
		return nil, leaderr.Errorf("tick", "must not be negative, got %v", time.Duration(s.Tick))
	}
	if s.Tick > 0 && s.Start.IsZero() {
		return nil, leaderr.Errorf("start", "required with a tick: the instant the run's clock started at")
	}
	if s.Zone != "" {
		if _, err := time.LoadLocation(s.Zone); err != nil || s.Zone == "Local" {
			return nil, leaderr.Errorf("zone", "want an IANA zone such as Asia/Tokyo, got %q", s.Zone)
		}
	}
	return &s, nil
}

// WriteSetup writes s as indented JSON that [ReadSetup] reads.
func WriteSetup(w io.Writer, s *Setup) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("replay: write setup: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("replay: write setup: %w", err)
	}
	return nil
}
