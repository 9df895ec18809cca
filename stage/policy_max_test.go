package stage_test

import (
	"errors"
	"testing"

	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/stage"
)

// TestPolicy_Validate_counts: a count the cadence's byte could never reach
// would reassign or remind a lead forever and never hand it to the
// manager, so it is refused (T10, T13).
func TestPolicy_Validate_counts(t *testing.T) {
	for _, tt := range []struct {
		field string
		p     stage.Policy
	}{
		{"max_reassignments", stage.Policy{MaxReassignments: 256}},
		{"max_reassignments", stage.Policy{MaxReassignments: stage.MaxCount + 1}},
		{"repeats", stage.Policy{Repeats: 1000}},
	} {
		err := tt.p.Validate()
		fe, ok := errors.AsType[*leaderr.FieldError](err)
		if !ok || fe.Field != tt.field {
			t.Errorf("Validate(%+v) = %v, want a FieldError for %s", tt.p, err, tt.field)
		}
	}
	if err := (&stage.Policy{MaxReassignments: stage.MaxCount, Repeats: stage.MaxCount}).Validate(); err != nil {
		t.Errorf("Validate at MaxCount = %v, want nil", err)
	}
}
