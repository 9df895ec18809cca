// Package texttest checks the text forms of leadline's value types: the
// keys, sets and instants that events, policy files and event logs carry
// (E6, E9). Their packages' fuzz tests call it on every input, so that
// each parser is fuzzed with the same two properties: it never panics,
// and what it accepts it writes back in a form it reads again to the
// same value.
package texttest

import (
	"bytes"
	"encoding"
	"encoding/json"
	"testing"
)

// RoundTrip parses b as a T. A refusal must say what is wrong (a non-empty
// error). An accepted value must write as text (encoding.TextMarshaler),
// and its text must read back to a value that writes the very same text:
// the written form is canonical, so reading it again changes nothing.
func RoundTrip[T any, P interface {
	*T
	encoding.TextUnmarshaler
}](tb testing.TB, b []byte) {
	tb.Helper()
	var v T
	if err := P(&v).UnmarshalText(b); err != nil {
		if err.Error() == "" {
			tb.Errorf("%T.UnmarshalText(%q): an error with no text", v, b)
		}
		return
	}
	m, ok := any(P(&v)).(encoding.TextMarshaler)
	if !ok {
		tb.Fatalf("%T has no MarshalText", v)
	}
	out, err := m.MarshalText()
	if err != nil {
		tb.Errorf("%T.UnmarshalText(%q) accepted %v, which does not marshal: %v", v, b, v, err)
		return
	}
	var w T
	if err := P(&w).UnmarshalText(out); err != nil {
		tb.Errorf("%T: %q read as %q, which does not read back: %v", v, b, out, err)
		return
	}
	again, err := any(P(&w)).(encoding.TextMarshaler).MarshalText()
	if err != nil || !bytes.Equal(again, out) {
		tb.Errorf("%T: %q read as %q, then as %q (%v): not a fixed point", v, b, out, again, err)
	}
}

// RoundTripJSON is [RoundTrip] for a type that reads and writes itself as
// JSON (json.Unmarshaler).
func RoundTripJSON[T any, P interface {
	*T
	json.Unmarshaler
}](tb testing.TB, b []byte) {
	tb.Helper()
	var v T
	if err := P(&v).UnmarshalJSON(b); err != nil {
		if err.Error() == "" {
			tb.Errorf("%T.UnmarshalJSON(%q): an error with no text", v, b)
		}
		return
	}
	out, err := json.Marshal(P(&v))
	if err != nil {
		tb.Errorf("%T.UnmarshalJSON(%q) accepted %v, which does not marshal: %v", v, b, v, err)
		return
	}
	var w T
	if err := P(&w).UnmarshalJSON(out); err != nil {
		tb.Errorf("%T: %q read as %s, which does not read back: %v", v, b, out, err)
		return
	}
	again, err := json.Marshal(P(&w))
	if err != nil || !bytes.Equal(again, out) {
		tb.Errorf("%T: %q read as %s, then as %s (%v): not a fixed point", v, b, out, again, err)
	}
}
