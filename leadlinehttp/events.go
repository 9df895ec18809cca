package leadlinehttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
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
	v, ok := s.viewer(w, r)
	if !ok {
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
	if p := s.mayRecord(ctx, v, evs); p != nil {
		s.problem(w, r, p)
		return
	}
	res := make([]EventResult, len(evs))
	for i := range evs {
		res[i] = EventResult{ID: evs[i].ID, Lead: evs[i].Lead, Applied: true}
	}
	if batch && s.opt.Seen != nil && len(evs) > 0 {
		if err := s.repeats(ctx, evs, res); err != nil {
			s.fail(w, r, err)
			return
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

// seenEvents is what a store offers that answers for many event ids of
// a lead at once (postgres does, in one round trip).
type seenEvents interface {
	SeenEvents(ctx context.Context, leadID string, ids []string) (prints []uint64, seen []bool, err error)
}

// repeats flags the events of a batch, all of one lead, that were
// handled before (E2): in one call when the Reader answers SeenEvents,
// else one Options.Seen per event.
func (s *server) repeats(ctx context.Context, evs []lead.Event, res []EventResult) error {
	if sr, ok := s.opt.Reader.(seenEvents); ok {
		ids := make([]string, len(evs))
		for i := range evs {
			ids[i] = evs[i].ID
		}
		_, seen, err := sr.SeenEvents(ctx, evs[0].Lead, ids)
		if err != nil {
			return err
		}
		for i := range res {
			res[i].Applied, res[i].Duplicate = !seen[i], seen[i]
		}
		return nil
	}
	for i := range evs {
		_, seen, err := s.opt.Seen(ctx, evs[i].Lead, evs[i].ID)
		if err != nil {
			return err
		}
		res[i].Applied, res[i].Duplicate = !seen, seen
	}
	return nil
}

// mayRecord says whether v may post evs, and if not the problem to
// answer: who may write, M2 applied to writes ([routing.Rules.MayRecord]).
// A hidden lead and a new one a field rep may not create answer as a
// read of a missing lead does (404); a rep naming another actor, 403.
func (s *server) mayRecord(ctx context.Context, v routing.Viewer, evs []lead.Event) *problem {
	rules := &s.pol.Routing
	var l *lead.Lead
	for i := range evs {
		if !rules.SeesAll(v) && (i == 0 || evs[i].Lead != evs[i-1].Lead) {
			got, err := s.opt.Reader.LeadsByID(ctx, []string{evs[i].Lead})
			if err != nil {
				return problemOf(err)
			}
			l = nil
			if len(got) == 1 {
				l = &got[0]
			}
		}
		switch rules.MayRecord(v, l, evs[i].Actor) {
		case routing.RecordNotYours:
			field := "actor"
			if len(evs) > 1 {
				field = "events[" + strconv.Itoa(i) + "].actor"
			}
			return &problem{Type: typeForbidden, Title: "Not yours to record", Status: http.StatusForbidden,
				Detail: "a rep records their own work: set actor to your own id, or have a manager or ops post it (M2)",
				Errors: []fieldIssue{{Field: field, Detail: "is " + leaderr.Quote(evs[i].Actor) + ", you are " + leaderr.Quote(v.Rep)}}}
		case routing.RecordHidden:
			p := notFound
			return &p
		}
	}
	return nil
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
