package memstore

import (
	"testing"
	"unsafe"
)

// TestSizes pins the sizes BenchmarkMemory's budget rests on, so that a
// field added to a record shows here as well as in B/lead: a record fits
// the 336-byte size class, a history entry and a deadline their own.
func TestSizes(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"record", unsafe.Sizeof(record{}), 336},
		{"change", unsafe.Sizeof(change{}), 64},
		{"deadline", unsafe.Sizeof(deadline{}), 24},
		{"slot", unsafe.Sizeof(slot{}), 16},
	} {
		if c.got > c.want {
			t.Errorf("unsafe.Sizeof(%s{}) = %d, want at most %d", c.name, c.got, c.want)
		}
	}
}
