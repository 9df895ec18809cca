package replay_test

import (
	"testing"

	"github.com/leadline/leadline/internal/texttest"
	"github.com/leadline/leadline/replay"
)

// FuzzDuration fuzzes a duration of a replay's setup file ("48h",
// "1h30m"): it never panics, each refusal says why, and what it accepts
// writes back in a form it reads again to the same duration.
func FuzzDuration(f *testing.F) {
	for _, s := range []string{"", "48h", "1h30m", "0", "-5m", "1.5h", "9223372036854775807ns", "48", "h", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		texttest.RoundTrip[replay.Duration](t, []byte(s))
	})
}
