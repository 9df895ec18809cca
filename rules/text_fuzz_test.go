package rules_test

import (
	"testing"

	"github.com/leadline/leadline/internal/texttest"
	"github.com/leadline/leadline/rules"
)

// FuzzNotificationKind fuzzes the kind of a notification as an outbox
// and an event log carry it (E4): it never panics, each refusal says
// why, and what it accepts writes back in a form it reads again.
func FuzzNotificationKind(f *testing.F) {
	for _, s := range []string{"", "approach_request", "reminder", "escalated", "manager_alert", "recycled", "REMINDER", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		texttest.RoundTrip[rules.NotificationKind](t, []byte(s))
	})
}
