package leadlinehttp

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/leadline/leadline"
)

// problem is an RFC 9457 problem document, with an errors array naming
// each bad field (E6).
type problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []fieldIssue `json:"errors,omitempty"`
}

// fieldIssue is one bad field of a request: its dotted path, the line of
// a sheet it was on, and what to fix.
type fieldIssue struct {
	Field  string `json:"field"`
	Line   int    `json:"line,omitempty"`
	Detail string `json:"detail"`
}

// The problem types. They are identifiers, not links: a client branches
// on them.
const (
	typeInvalid     = "urn:leadline:problem:invalid-input"
	typeNotFound    = "urn:leadline:problem:not-found"
	typeConflict    = "urn:leadline:problem:conflict"
	typeExists      = "urn:leadline:problem:exists"
	typeReused      = "urn:leadline:problem:event-reused"
	typeTooLarge    = "urn:leadline:problem:body-too-large"
	typeUnavailable = "urn:leadline:problem:unavailable"
	typeInternal    = "urn:leadline:problem:internal"
	typeNoViewer    = "urn:leadline:problem:no-viewer"
	typeForbidden   = "urn:leadline:problem:forbidden"
	typeCrossOrigin = "urn:leadline:problem:cross-origin"
	typeNoRoute     = "urn:leadline:problem:no-route"
)

// retryAfter is the Retry-After of a 503, in seconds.
const retryAfter = 1

// notFound is the one answer for a lead that does not exist and a lead
// the viewer may not see: the same status, headers and bytes (M2).
var notFound = problem{Type: typeNotFound, Title: "Not found", Status: http.StatusNotFound,
	Detail: "no lead with this id; if its created event is on its way, retry after it (E9)"}

// problemOf maps an engine or store error to a problem document. A
// reused event id is a 409 (E2); bad input names its fields (E6), and is
// looked for next: a feedback
// sheet's row naming an unknown lead is a bad cell, not a missing
// resource. An unknown and a hidden lead answer alike (M2); an error the
// host cannot act on says nothing of its cause.
func problemOf(err error) *problem {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &problem{Type: typeTooLarge, Title: "Request body too large", Status: http.StatusRequestEntityTooLarge,
			Detail: "the body is over " + strconv.FormatInt(tooLarge.Limit, 10) + " bytes; send fewer events or rows at a time"}
	case errors.Is(err, leadline.ErrEventReused):
		return &problem{Type: typeReused, Title: "Event id reused", Status: http.StatusConflict,
			Detail: "an event with this id was handled before with another payload, and this one was not applied; give the event an id of its own (E2)", Errors: issues(err)}
	case errors.Is(err, leadline.ErrExists):
		return &problem{Type: typeExists, Title: "Lead exists", Status: http.StatusConflict,
			Detail: "a created event for a lead id that is taken; the lead is there, send its other events", Errors: issues(err)}
	case errors.Is(err, leadline.ErrInvalidTransition):
		return &problem{Type: typeConflict, Title: "Not allowed from the lead's state", Status: http.StatusConflict,
			Detail: "the request is well formed but the lead's state does not allow it; read the lead and fix the request", Errors: issues(err)}
	case errors.Is(err, leadline.ErrInvalid):
		return &problem{Type: typeInvalid, Title: "Bad input", Status: http.StatusBadRequest,
			Detail: "fix the fields listed in errors and send again; nothing was changed (E6)", Errors: issues(err)}
	case errors.Is(err, leadline.ErrNotFound):
		p := notFound
		return &p
	case errors.Is(err, leadline.ErrUnavailable), errors.Is(err, leadline.ErrConflict),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return &problem{Type: typeUnavailable, Title: "Busy, retry", Status: http.StatusServiceUnavailable,
			Detail: "the lead was being changed by others or the store was slow; nothing was changed, retry"}
	}
	return &problem{Type: typeInternal, Title: "Internal error", Status: http.StatusInternalServerError,
		Detail: "the service failed; it is logged, retry later"}
}

// issues lists every *FieldError in err's tree, so that a feedback
// sheet's import names every bad cell at once (M5, E6).
func issues(err error) []fieldIssue {
	var out []fieldIssue
	var walk func(error)
	walk = func(e error) {
		if fe, ok := e.(*leadline.FieldError); ok {
			out = append(out, fieldIssue{Field: fe.Field, Line: fe.Line, Detail: fe.Err.Error()})
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			if next := u.Unwrap(); next != nil {
				walk(next)
			}
		case interface{ Unwrap() []error }:
			for _, next := range u.Unwrap() {
				walk(next)
			}
		}
	}
	walk(err)
	return out
}

// fail writes err as a problem document, logging a 500's cause.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(err)
	if p.Status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "leadlinehttp: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	s.problem(w, r, p)
}

// problem writes p as application/problem+json. A 503 says when to retry.
func (s *server) problem(w http.ResponseWriter, _ *http.Request, p *problem) {
	b, err := json.Marshal(p)
	if err != nil {
		b = []byte(`{"type":"` + typeInternal + `","title":"Internal error","status":500}`)
		p.Status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	if p.Status == http.StatusServiceUnavailable {
		h.Set("Retry-After", strconv.Itoa(retryAfter))
	}
	w.WriteHeader(p.Status)
	w.Write(append(b, '\n'))
}

// writeJSON writes v as JSON with status.
func (s *server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
