package lead_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
)

// TestEvent_NUL_E6: no string of an event may hold a NUL byte, so that
// every store keeps what any store accepts; every other character of
// free text passes, line breaks and tabs included (E6).
func TestEvent_NUL_E6(t *testing.T) {
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		field string
		set   func(e *lead.Event, s string)
	}{
		{"topic", func(e *lead.Event, s string) { e.Topic = s }},
		{"lead", func(e *lead.Event, s string) { e.Lead = s }},
		{"id", func(e *lead.Event, s string) { e.ID = s }},
		{"profile.company", func(e *lead.Event, s string) { e.Kind, e.Profile.Company = lead.EventProfileUpdated, s }},
	} {
		ev := lead.Event{ID: "ev-1", Kind: lead.EventInquiry, Lead: "L-1", At: at}
		tt.set(&ev, "料金\x00について")
		err := ev.Validate()
		fe, ok := errors.AsType[*leaderr.FieldError](err)
		if !ok || fe.Field != tt.field {
			t.Errorf("%s with a NUL: Validate = %v, want a FieldError for %s", tt.field, err, tt.field)
		}
	}
	ev := lead.Event{ID: "ev-1", Kind: lead.EventInquiry, Lead: "L-1", At: at,
		Topic: "'; DROP TABLE leads; --\t\\\n\"引用\" 😀"}
	if err := ev.Validate(); err != nil {
		t.Fatalf("a hostile but NUL-free topic: Validate = %v, want nil", err)
	}
	if err := lead.CheckText("reason", strings.Repeat("あ", 600), lead.MaxTextBytes); err != nil {
		t.Fatalf("600 kana (1,800 bytes): %v, want nil", err)
	}
}
