package leadlinehttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
)

// EventResult says what POST /events did with one event: applied, or a
// repeat of an event handled before (E2), which is success too.
type EventResult struct {
	ID        string `json:"id"`
	Lead      string `json:"lead"`
	Applied   bool   `json:"applied"`
	Duplicate bool   `json:"duplicate"`
}

// EventsResponse is the body of a successful POST /events: one result
// per event, in the order sent.
type EventsResponse struct {
	Events []EventResult `json:"events"`
}

// postEvents handles POST /events: one event, or an array of one lead's
// events applied in one write, all or none (E2, E9). It answers 202
// when at least one event was applied, 200 when every one was a repeat.
func (s *server) postEvents(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.viewer(w, r); !ok {
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	evs, batch, err := DecodeEvents(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	res := make([]EventResult, len(evs))
	for i := range evs {
		res[i] = EventResult{ID: evs[i].ID, Lead: evs[i].Lead, Applied: true}
	}
	if batch && s.opt.Seen != nil && len(evs) > 0 {
		for i := range evs {
			_, seen, err := s.opt.Seen(ctx, evs[i].Lead, evs[i].ID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			res[i].Applied, res[i].Duplicate = !seen, seen
		}
	}
	if batch {
		err = s.eng.HandleBatch(ctx, evs)
	} else {
		err = s.eng.Handle(ctx, evs[0])
	}
	switch {
	case errors.Is(err, leadline.ErrDuplicateEvent):
		for i := range res {
			res[i].Applied, res[i].Duplicate = false, true
		}
	case err != nil:
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	for i := range res {
		if res[i].Applied {
			status = http.StatusAccepted
		}
	}
	s.writeJSON(w, r, status, EventsResponse{Events: res})
}

// DecodeEvents reads a POST /events body: one JSON object, a
// [lead.Event], or a JSON array of them, which batch reports. Unknown
// fields are refused, as an event field its kind does not read is (E9);
// every problem is a [*leadline.FieldError] naming the field
// ("events[2].score" in an array). An empty array is refused: there is
// nothing to apply.
func DecodeEvents(body []byte) (evs []lead.Event, batch bool, err error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, false, &leadline.FieldError{Field: "body", Err: errors.New("required: a JSON event or an array of one lead's events")}
	}
	batch = trimmed[0] == '['
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if batch {
		err = dec.Decode(&evs)
	} else {
		evs = make([]lead.Event, 1)
		err = dec.Decode(&evs[0])
	}
	if err != nil {
		return nil, batch, decodeError(err, batch)
	}
	if dec.More() {
		return nil, batch, &leadline.FieldError{Field: "body", Err: errors.New("one JSON value expected: send several events as one array")}
	}
	if len(evs) == 0 {
		return nil, batch, &leadline.FieldError{Field: "body", Err: errors.New("empty array: send at least one event")}
	}
	return evs, batch, nil
}

// decodeError names the field a JSON error is about, as the policy
// loader does (E6).
func decodeError(err error, batch bool) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return err
	}
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		if batch {
			field = "events[]." + field
		}
		return &leadline.FieldError{Field: field, Err: fmt.Errorf("want %v, got JSON %s at byte %d", typ.Type, typ.Value, typ.Offset)}
	case errors.As(err, &syn):
		return &leadline.FieldError{Field: "body", Err: fmt.Errorf("malformed JSON at byte %d: %v", syn.Offset, syn)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &leadline.FieldError{Field: "body", Err: errors.New("the JSON ends early")}
	}
	// Unknown fields, and the errors of the events' own UnmarshalText
	// (an unknown kind, a malformed score), arrive as plain errors.
	return &leadline.FieldError{Field: "body", Err: err}
}
