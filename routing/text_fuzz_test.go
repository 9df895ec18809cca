package routing_test

import (
	"testing"

	"github.com/leadline/leadline/internal/texttest"
	"github.com/leadline/leadline/routing"
)

// FuzzUnmarshalText fuzzes the routing keys policy files and viewers
// carry (M1-M12, E6): engagements, campaign models, roles, trigger bands
// and destinations' keys. None panics; each refusal says why; what each
// accepts writes back in a form it reads again to the same text.
func FuzzUnmarshalText(f *testing.F) {
	for _, s := range []string{
		"", "high", "low", "inside_first", "direct", "hybrid", "inside", "field", "manager", "ops",
		"field_manager", "hot", "warm", "HIGH", " inside", "\x00", "営業",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		texttest.RoundTrip[routing.Engagement](t, b)
		texttest.RoundTrip[routing.Model](t, b)
		texttest.RoundTrip[routing.Role](t, b)
		texttest.RoundTrip[routing.Band](t, b)
	})
}
