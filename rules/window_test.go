package rules

import (
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"
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

// TestStep_window_whole: a window of whole minutes reads as hours and
// minutes, "%dh%dm" with a zero part left out (hours kept when both are
// zero), whatever its length (T1, T11).
func TestStep_window_whole(t *testing.T) {
	s := &Step{Policy: &Policy{}}
	rapid.Check(t, func(t *rapid.T) {
		d := time.Duration(rapid.Int64Range(-1e6, 1e6).Draw(t, "minutes")) * time.Minute
		h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
		want := fmt.Sprintf("%dh%dm", h, m)
		switch {
		case m == 0:
			want = fmt.Sprintf("%dh", h)
		case h == 0:
			want = fmt.Sprintf("%dm", m)
		}
		if got := s.window(d); got != want {
			t.Fatalf("window(%v) = %q, want %q", d, got, want)
		}
	})
}
