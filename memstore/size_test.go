package memstore

import (
	"testing"
	"unsafe"
)

// TestSizes pins the sizes BenchmarkMemory's budget rests on, so that a
// field added to a record shows here as well as in B/lead: a record fits
// the 352-byte size class (336 before T13's repeated-reminder instant),
// a history entry and a deadline their own.
func TestSizes(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"record", unsafe.Sizeof(record{}), 352},
		{"change", unsafe.Sizeof(change{}), 64},
		{"deadline", unsafe.Sizeof(deadline{}), 24},
		{"slot", unsafe.Sizeof(slot{}), 16},
	} {
		if c.got > c.want {
			t.Errorf("unsafe.Sizeof(%s{}) = %d, want at most %d", c.name, c.got, c.want)
		}
	}
}
