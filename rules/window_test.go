package rules

import (
	"testing"
	"time"
)

// TestStep_window words a policy's window as sales-ops write it (T1, T11).
func TestStep_window(t *testing.T) {
	s := &Step{Policy: &Policy{}}
	for d, want := range map[time.Duration]string{
		48 * time.Hour: "48h", 90 * time.Minute: "1h30m", 20 * time.Minute: "20m", 30 * time.Second: "30s", 96 * time.Hour: "96h",
	} {
		if got := s.window(d); got != want {
			t.Errorf("window(%v) = %q, want %q", d, got, want)
		}
	}
}
