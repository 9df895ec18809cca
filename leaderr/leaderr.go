// Package leaderr holds the errors every package of leadline returns: the
// sentinels callers branch on and [FieldError], the one type for bad
// input. It imports nothing of leadline's, so that the domain packages,
// the rules, the engine and every store compare against the same values.
// Package leadline re-exports all of it; hosts normally use those names.
//
// What a host does with each:
//
//	error                     meaning                              host
//	*FieldError (ErrInvalid)  bad input, nothing changed (E6)      fix the input; HTTP 400
//	ErrInvalidTransition      well formed, not allowed from here   fix the input; HTTP 409 or 422
//	ErrNotFound               no such lead or campaign (E9)        retry later, or HTTP 404
//	ErrExists                 a created lead's id is taken         treat as done, or HTTP 409
//	ErrDuplicateEvent         the event was handled before (E2)    treat as done; HTTP 200
//	ErrConflict               lost a compare-and-set race          retry; HTTP 409 or 503
//
// A [*FieldError] wraps its cause, so errors.Is(err, ErrInvalidTransition)
// works through it, and errors.Is(err, ErrInvalid) holds for every one.
// ErrNotFound is never wrapped in a FieldError: a missing lead is a state
// of the store, which may change (the created event may still be on its
// way), not bad input.
package leaderr

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// The sentinels. Each arrives wrapped with what was being done
// ("leadline: lead L-1: not found"): compare with errors.Is.
var (
	// ErrNotFound is returned when a lead, campaign or other record does
	// not exist, or the reader may not see it (M2). An event for a lead
	// that does not exist yet returns it, unwrapped by any FieldError, so
	// that a host can retry the event after the lead's created event
	// (E9).
	ErrNotFound = errors.New("not found")
	// ErrExists is returned when creating a lead whose id is taken.
	ErrExists = errors.New("already exists")
	// ErrConflict is returned when a record changed since it was read;
	// reload and retry. The engine retries on its own a bounded number of
	// times before it returns it.
	ErrConflict = errors.New("version conflict")
	// ErrDuplicateEvent is returned when an event id was handled before
	// with the same payload (E2). Nothing changed the second time; a host
	// treats it as success.
	ErrDuplicateEvent = errors.New("duplicate event")
	// ErrEventReused is returned when an event id was handled before with
	// another payload (E2): the host reused an id for a different event,
	// and the second event was not applied. It arrives in a [*FieldError]
	// for "id" and does not match ErrDuplicateEvent: it is not a success.
	// Give the event an id of its own.
	ErrEventReused = errors.New("event id reused with another payload")
	// ErrUnavailable is returned by a store that cannot be reached, or
	// that stopped answering (a lost connection, a timeout, a database
	// shutting down). Nothing was written by the call that returns it;
	// retry later (HTTP 503).
	ErrUnavailable = errors.New("store unavailable")
	// ErrInvalid is matched by every [*FieldError]: the input was bad and
	// retrying it unchanged cannot succeed (E6).
	ErrInvalid = errors.New("invalid input")
	// ErrInvalidTransition is returned when an input is well formed but
	// what it asks for is not allowed from the current state: an outbound
	// attempt on a Connected lead, a person setting a status back to New
	// (S4). It arrives wrapped in a [*FieldError] naming the field that
	// would have changed.
	ErrInvalidTransition = errors.New("invalid transition")
)

// FieldError reports bad input in one field (E6), after strconv.NumError
// and csv.ParseError: Field says where, Line on which line when the input
// had lines, Err why. Every package of leadline returns this one type, so
// errors.AsType[*FieldError] works whatever produced the error.
type FieldError struct {
	// Field is the dotted path of the offending field as the caller spelled
	// it: "score", "cadence.stage2.within", "triggers[1].priority".
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

// Errorf returns a [*FieldError] for field with a formatted cause. A %w
// verb in format wraps as fmt.Errorf does.
func Errorf(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}

// Prefix returns err with prefix put before its field when err is a
// [*FieldError] ("cadence." + "stage2.within"), and err unchanged
// otherwise. It copies the FieldError; err is not modified.
func Prefix(prefix string, err error) error {
	switch e := err.(type) {
	case *FieldError:
		c := *e
		c.Field = prefix + c.Field
		return &c
	case interface{ Unwrap() []error }: // errors.Join's: every field prefixed
		errs := e.Unwrap()
		out := make([]error, len(errs))
		for i, x := range errs {
			out[i] = Prefix(prefix, x)
		}
		return errors.Join(out...)
	}
	return err
}

// Flat returns the errors err joins (errors.Join), joins within joins
// flattened, in order; err alone when it joins none; nil for nil. A
// validation that gathers every bad field reports them as one list.
func Flat(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		if err == nil {
			return nil
		}
		return []error{err}
	}
	var out []error
	for _, e := range j.Unwrap() {
		out = append(out, Flat(e)...)
	}
	return out
}

// Quote returns the input value s quoted for an error message, as %q
// does, cut after 64 bytes with its length: an error says what was
// refused without echoing a megabyte a hostile request sent (E6).
func Quote(s string) string {
	const most = 64
	if len(s) <= most {
		return strconv.Quote(s)
	}
	cut := most
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}
