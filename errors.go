package leadline

import (
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
)

// The sentinel errors, re-exported from package lead where they are
// defined once. Compare with errors.Is; they arrive wrapped.
var (
	// ErrNotFound: no such lead. An event for an unknown lead is refused
	// with a [*FieldError] for "lead" wrapping it (E6).
	ErrNotFound = lead.ErrNotFound
	// ErrExists: a created event for a lead id that is taken.
	ErrExists = lead.ErrExists
	// ErrConflict: the lead changed since it was read. [Engine.Handle]
	// retries on its own and returns it only when Config.MaxRetries is
	// exhausted.
	ErrConflict = lead.ErrConflict
	// ErrDuplicateEvent: the event id was handled before; nothing changed
	// (E2). Safe to treat as success.
	ErrDuplicateEvent = lead.ErrDuplicateEvent
	// ErrInvalid is matched by every [*FieldError]: bad input (E6).
	ErrInvalid = lead.ErrInvalid
	// ErrInvalidTransition: the event is well formed but not allowed from
	// the lead's state, such as an outbound attempt on a Connected lead.
	ErrInvalidTransition = lead.ErrInvalidTransition
)

// FieldError reports bad input in one field (E6): errors.AsType[*FieldError]
// gives the field, the line when there is one, and the cause.
type FieldError = stage.FieldError
