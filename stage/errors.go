package stage

import (
	"errors"
	"fmt"
)

// ErrInvalid is matched by every [*FieldError]: errors.Is(err, ErrInvalid)
// tells a caller that the input was bad and retrying it unchanged cannot
// succeed (rule E6). An HTTP host maps it to 400.
var ErrInvalid = errors.New("invalid input")

// ErrInvalidTransition is returned when an event is well formed but the
// thing it asks for is not allowed from the current state: an outbound
// attempt on a Connected lead, a person setting a status back to New (S4).
// It arrives wrapped in a [*FieldError] naming the field that would have
// changed.
var ErrInvalidTransition = errors.New("invalid transition")

// FieldError reports bad input in one field (rule E6), after
// strconv.NumError and csv.ParseError: Field says where, Err says why.
// Every package of leadline returns this one type, so
// errors.AsType[*FieldError] works whatever produced the error.
type FieldError struct {
	// Field is the dotted path of the offending field as the caller spelled
	// it: "score", "stage2.within", "triggers[1].priority".
	Field string
	// Line is the 1-based line of the input that held the field, or 0 when
	// the input had no lines (a Go value) or the line is unknown.
	Line int
	// Err says what is wrong; it may wrap a sentinel such as
	// [ErrInvalidTransition].
	Err error
}

// Error reads "leadline: line 12: stage2.within: must be positive, got -48h".
func (e *FieldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("leadline: line %d: %s: %v", e.Line, e.Field, e.Err)
	}
	return fmt.Sprintf("leadline: %s: %v", e.Field, e.Err)
}

// Unwrap returns the cause, so errors.Is(err, ErrInvalidTransition) works.
func (e *FieldError) Unwrap() error { return e.Err }

// Is reports that every FieldError is an [ErrInvalid].
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// Errorf returns a [*FieldError] for field with a formatted cause. A %w verb
// in format wraps as fmt.Errorf does.
func Errorf(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}
