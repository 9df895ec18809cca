package policyfile

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// TestPosition checks the counted-on positions against counting from the
// start of the file, for files of several lines with Japanese text and
// stray bytes, asked for in any order (E6: every problem names its line
// and column).
func TestPosition(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		parts := rapid.SliceOf(rapid.SampledFrom([]string{"a", "{", "\n", "問", "い", " ", "\xff", "\"k\": 1,"})).Draw(t, "parts")
		var src []byte
		for _, p := range parts {
			src = append(src, p...)
		}
		s := &scan{src: src}
		for _, off := range rapid.SliceOf(rapid.IntRange(-2, len(src)+2)).Draw(t, "offsets") {
			o := min(max(off, 0), len(src))
			if o < len(src) && !utf8.RuneStart(src[o]) {
				continue // problems are found at tokens, never inside a character
			}
			wantLine := bytes.Count(src[:o], []byte{'\n'}) + 1
			wantCol := utf8.RuneCount(src[bytes.LastIndexByte(src[:o], '\n')+1:o]) + 1
			if l, c := s.line(off), s.column(off); l != wantLine || c != wantCol {
				t.Fatalf("offset %d of %q: line %d column %d, want %d:%d", off, src, l, c, wantLine, wantCol)
			}
		}
	})
}
