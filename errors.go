package leadline

import "github.com/leadline/leadline/leaderr"

// The errors callers branch on, re-exported from package leaderr where
// they are defined once, so that the engine, the rules and every store
// return the same values. Compare with errors.Is; they arrive wrapped.
//
// What a host does with each:
//
//	error                     meaning                              host
//	*FieldError (ErrInvalid)  bad input, nothing changed (E6)      fix the input; HTTP 400
//	ErrInvalidTransition      well formed, not allowed from here   fix the input; HTTP 409 or 422
//	ErrNotFound               no such lead or campaign (E9)        retry later, or HTTP 404
//	ErrExists                 a created lead's id is taken         treat as done, or HTTP 409
//	ErrDuplicateEvent         the event was handled before (E2)    treat as done; HTTP 200
//	ErrEventReused            the id was handled with another      give the event its own id;
//	                          payload (E2), in a FieldError         HTTP 409
//	ErrUnavailable            the store cannot be reached          retry later; HTTP 503
//	ErrConflict               lost a compare-and-set race          retry; HTTP 409 or 503
var (
	// ErrNotFound: no such lead or campaign, or the viewer may not see it
	// (M2). An event for a lead that does not exist yet returns it, not a
	// [*FieldError]: the lead's created event may still be on its way, so
	// the host retries (E9).
	ErrNotFound = leaderr.ErrNotFound
	// ErrExists: a created event for a lead id that is taken.
	ErrExists = leaderr.ErrExists
	// ErrConflict: the lead changed since it was read. [Engine.Handle]
	// retries on its own and returns it only when Config.MaxRetries is
	// exhausted.
	ErrConflict = leaderr.ErrConflict
	// ErrDuplicateEvent: the event id was handled before; nothing changed
	// (E2). Safe to treat as success.
	ErrDuplicateEvent = leaderr.ErrDuplicateEvent
	// ErrEventReused: the event id was handled before with another
	// payload (E2); this event was not applied. It is not a success: the
	// host gives the event an id of its own.
	ErrEventReused = leaderr.ErrEventReused
	// ErrUnavailable: the store cannot be reached or stopped answering;
	// nothing was written. Retry later.
	ErrUnavailable = leaderr.ErrUnavailable
	// ErrInvalid is matched by every [*FieldError]: bad input (E6).
	ErrInvalid = leaderr.ErrInvalid
	// ErrInvalidTransition: the event is well formed but not allowed from
	// the lead's state, such as an outbound attempt on a Connected lead.
	ErrInvalidTransition = leaderr.ErrInvalidTransition
)

// FieldError reports bad input in one field (E6): errors.AsType[*FieldError]
// gives the field, the line when there is one, and the cause.
type FieldError = leaderr.FieldError
