package lead

import (
	"errors"

	"github.com/leadline/leadline/stage"
)

// The sentinel errors callers branch on. They are defined once, here, so
// that stores, the engine and hosts all compare against the same values;
// package leadline re-exports them. Each arrives wrapped with what was
// being done ("memstore: lead L-1: not found"), so compare with errors.Is.
var (
	// ErrNotFound is returned when a lead (or another record) does not
	// exist, or the reader may not see it.
	ErrNotFound = errors.New("not found")
	// ErrExists is returned when creating a lead whose id is taken.
	ErrExists = errors.New("already exists")
	// ErrConflict is returned when a lead changed since it was read;
	// reload and retry. The engine retries on its own a bounded number of
	// times.
	ErrConflict = errors.New("version conflict")
	// ErrDuplicateEvent is returned when an event id was handled before
	// (rule E2). Nothing was changed the second time; a host may treat it
	// as success.
	ErrDuplicateEvent = errors.New("duplicate event")
	// ErrInvalid is matched by every [*FieldError]: the input was bad
	// (rule E6).
	ErrInvalid = stage.ErrInvalid
	// ErrInvalidTransition is returned when an event is well formed but
	// not allowed from the current state, for example a person setting a
	// status back to New (S4).
	ErrInvalidTransition = stage.ErrInvalidTransition
)

// FieldError reports bad input in one field: which field, on which line
// when the input had lines, and why. See [stage.FieldError].
type FieldError = stage.FieldError
