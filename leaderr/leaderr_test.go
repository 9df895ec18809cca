package leaderr_test

import (
	"strings"
	"testing"

	"github.com/leadline/leadline/leaderr"
)

// TestQuote checks that an error quotes a short value whole, as %q does,
// and a long one cut after 64 bytes at a character's start, with its
// length (E6).
func TestQuote(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", `""`},
		{"inquiry", `"inquiry"`},
		{"a\"b\n", `"a\"b\n"`},
		{strings.Repeat("x", 64), `"` + strings.Repeat("x", 64) + `"`},
		{strings.Repeat("x", 65), `"` + strings.Repeat("x", 64) + `"… (65 bytes)`},
		// 21 three-byte characters fill 63 bytes; the 22nd would cross 64.
		{strings.Repeat("問", 30), `"` + strings.Repeat("問", 21) + `"… (90 bytes)`},
		{strings.Repeat("9", 1<<20), `"` + strings.Repeat("9", 64) + `"… (1048576 bytes)`},
	} {
		if got := leaderr.Quote(c.in); got != c.want {
			t.Errorf("Quote(%.20q...) = %.90s, want %.90s", c.in, got, c.want)
		}
	}
}
