package leaderr_test

import (
	"errors"
	"slices"
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

// TestPrefixAndFlat: Prefix names every field of a joined list, joins
// within joins included, and Flat lays them out as one list in order.
func TestPrefixAndFlat(t *testing.T) {
	a, b, c := leaderr.Errorf("a", "x"), leaderr.Errorf("b", "y"), leaderr.Errorf("c", "z")
	plain := errors.New("not a field")
	err := leaderr.Prefix("policy.", errors.Join(a, errors.Join(b, plain), c))
	var got []string
	for _, e := range leaderr.Flat(err) {
		if fe, ok := errors.AsType[*leaderr.FieldError](e); ok {
			got = append(got, fe.Field)
		} else {
			got = append(got, e.Error())
		}
	}
	if want := []string{"policy.a", "policy.b", "not a field", "policy.c"}; !slices.Equal(got, want) {
		t.Errorf("Flat(Prefix(...)) = %q, want %q", got, want)
	}
	if leaderr.Flat(nil) != nil {
		t.Errorf("Flat(nil) is not empty")
	}
	if got := leaderr.Flat(a); len(got) != 1 || got[0] != a {
		t.Errorf("Flat(a) = %v, want [a]", got)
	}
}
