package lead

import (
	"testing"

	"pgregory.net/rapid"
)

// TestCheck_fastPath: the ASCII fast path of CheckID, CheckName and
// CheckText answers as their full checks do (E6): it accepts only what
// they accept (what it does not accept goes to the full check).
func TestCheck_fastPath(t *testing.T) {
	// Strings near the edges: ASCII controls, spaces, DEL, NUL, bytes
	// of multi-byte and broken UTF-8, at lengths around the limits.
	alphabet := []rune{'a', 'Z', '0', '-', '/', '%', ' ', '\t', '\n', '\r', 0, 0x7f, 0x85, 0xa0, 'é', '界', 0xfffd, '~', '!'}
	gen := rapid.Custom(func(t *rapid.T) string {
		rs := rapid.SliceOfN(rapid.SampledFrom(alphabet), 0, 12).Draw(t, "runes")
		s := string(rs)
		if rapid.Bool().Draw(t, "broken") {
			s += "\xff"
		}
		pad := rapid.SampledFrom([]int{0, 1, MaxIDBytes - 1, MaxIDBytes, MaxNameBytes, MaxTextBytes}).Draw(t, "pad")
		if rapid.Bool().Draw(t, "pad front") {
			return repeatA(pad) + s
		}
		return s + repeatA(pad)
	})
	rapid.Check(t, func(t *rapid.T) {
		s := gen.Draw(t, "s")
		same := func(name string, got, want error) {
			if (got == nil) != (want == nil) {
				t.Fatalf("%s(%q) = %v, full check says %v", name, s, got, want)
			}
		}
		same("CheckID", CheckID("f", s), checkID("f", s))
		same("CheckName", CheckName("f", s), checkName("f", s))
		same("CheckText", CheckText("f", s, MaxTextBytes), checkText("f", s, MaxTextBytes))
	})
}

func repeatA(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a'
	}
	return string(b)
}
