package stage_test

import (
	"testing"

	"github.com/leadline/leadline/internal/texttest"
	"github.com/leadline/leadline/stage"
)

// FuzzUnmarshalText fuzzes the text forms of the cadence's values that
// policy files, events and stored tracks carry (T1-T14, E6): stages,
// stage sets, channels, ends, instants, times of day and the reached
// stages' JSON. None panics; each refusal says why; what each accepts
// writes back in a form it reads again to the same text.
func FuzzUnmarshalText(f *testing.F) {
	for _, s := range []string{
		"", "untouched", "stage1", "stage4", "connected", "stage1,stage3", "call,email",
		"Call + Voicemail", "call、email", "recycled", "handed_off", "2026-04-06T09:00:00+09:00",
		"2026-04-06T09:00:00Z", "09:00", "18:00", "24:00", "9:5", "25:00",
		`{"stage1":"2026-04-06T09:00:00+09:00"}`, `{}`, `null`, `{"stage9":"x"}`, "\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		texttest.RoundTrip[stage.Stage](t, b)
		texttest.RoundTrip[stage.StageSet](t, b)
		texttest.RoundTrip[stage.Channels](t, b)
		texttest.RoundTrip[stage.End](t, b)
		texttest.RoundTrip[stage.Instant](t, b)
		texttest.RoundTrip[stage.TimeOfDay](t, b)
		texttest.RoundTripJSON[stage.Reached](t, b)
	})
}
