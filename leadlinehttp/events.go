package leadlinehttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
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
	if p := s.mayRecord(ctx, v, evs, batch); p != nil {
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
// read of a missing lead does (404); a rep naming another actor, 403,
// naming the field as the body spells it: "actor" in a lone event,
// "events[0].actor" in an array, even an array of one.
func (s *server) mayRecord(ctx context.Context, v routing.Viewer, evs []lead.Event, batch bool) *problem {
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
			if batch {
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
// [lead.Event], or a JSON array of them, which batch reports. The body
// is that one JSON value and nothing more: data after it, even a stray
// "]" or "}", is refused. Unknown fields are refused, as an event field
// its kind does not read is (E9); every problem is a
// [*leadline.FieldError] naming the field as the body spells it
// ("colour", "profile.company"; "events[2].score" in an array), or
// "body" (a lone event) or "events[2]" (an array's element) when the
// JSON itself is at fault. An empty array is refused: there is nothing
// to apply. Events are decoded as [lead.Event]'s own UnmarshalJSON does;
// only the naming of what went wrong is this function's (E6).
func DecodeEvents(body []byte) (evs []lead.Event, batch bool, err error) {
	trimmed := bytes.TrimLeft(body, jsonSpace)
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
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return nil, batch, &leadline.FieldError{Field: "body", Err: fmt.Errorf("malformed JSON at byte %d: %v", syn.Offset, syn)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, batch, &leadline.FieldError{Field: "body", Err: errors.New("the JSON ends early")}
	}
	// The decoder stops after one value, and its More reports false at
	// a stray "]" or "}": whatever follows the value is looked at here,
	// whether or not the value decoded.
	end := dec.InputOffset()
	if rest := bytes.TrimLeft(trimmed[end:], jsonSpace); len(rest) > 0 {
		return nil, batch, &leadline.FieldError{Field: "body",
			Err: fmt.Errorf("one JSON value expected, found %s at byte %d after it: send several events as one array", leaderr.Quote(string(rest[:min(len(rest), 16)])), len(body)-len(rest))}
	}
	if err != nil {
		return nil, batch, blameEvent(trimmed[:end], batch, err)
	}
	if len(evs) == 0 {
		return nil, batch, &leadline.FieldError{Field: "body", Err: errors.New("empty array: send at least one event")}
	}
	return evs, batch, nil
}

// jsonSpace is the white space JSON allows between values.
const jsonSpace = " \t\r\n"

// blameEvent names the field of a well-formed body that failed to decode
// as events with err: the first event that fails on its own ("events[i]"
// in an array), and in it the first member that fails on its own, as
// [lead.Event]'s decoder reads it (E6). It only runs on a body already
// refused, so the happy path decodes once.
func blameEvent(value []byte, batch bool, err error) error {
	if !batch {
		return blameOne(value, "", "body", err)
	}
	var elems []json.RawMessage
	if json.Unmarshal(value, &elems) == nil {
		for i, raw := range elems {
			var ev lead.Event
			if e := json.Unmarshal(raw, &ev); e != nil {
				at := "events[" + strconv.Itoa(i) + "]"
				return blameOne(raw, at+".", at, e)
			}
		}
	}
	return &leadline.FieldError{Field: "body", Err: describe(err)}
}

// blameOne names the member of one event's JSON, raw, that fails to
// decode (err is what decoding it whole said): prefix goes before a
// member's name, and whole names the event when no one member fails.
func blameOne(raw []byte, prefix, whole string, err error) error {
	if kind := jsonKind(raw); kind != "object" {
		return &leadline.FieldError{Field: whole, Err: fmt.Errorf("want a JSON object, an event; got JSON %s", kind)}
	}
	if path, cause := blameMember(raw, func(m []byte) []byte { return m }); path != "" {
		return &leadline.FieldError{Field: prefix + path, Err: cause}
	}
	return &leadline.FieldError{Field: whole, Err: describe(err)}
}

// blameMember finds the first member of the JSON object obj that fails
// to decode as an event on its own, put where obj is by wrap, going
// into nested objects: it returns the member's dotted path as the body
// spells it and why it failed, or "" when each member decodes alone.
func blameMember(obj []byte, wrap func(member []byte) []byte) (path string, cause error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if _, err := dec.Token(); err != nil { // {
		return "", nil
	}
	for dec.More() {
		t, err := dec.Token()
		key, isKey := t.(string)
		var val json.RawMessage
		if err != nil || !isKey || dec.Decode(&val) != nil {
			return "", nil
		}
		name, _ := json.Marshal(key)
		probe := func(v []byte) []byte {
			return wrap(slices.Concat([]byte("{"), name, []byte(":"), v, []byte("}")))
		}
		var ev lead.Event
		err = json.Unmarshal(probe(val), &ev)
		if err == nil {
			continue
		}
		if json.Unmarshal(probe([]byte("null")), &ev) != nil {
			// Even null fails: the decoder knows no such member.
			return key, errors.New("unknown field: a lead.Event has no such field (E9)")
		}
		if jsonKind(val) == "object" && json.Unmarshal(probe([]byte("{}")), &ev) == nil {
			// The member takes an object: blame what is in it.
			if sub, c := blameMember(val, probe); sub != "" {
				return key + "." + sub, c
			}
		}
		return key, describe(err)
	}
	return "", nil
}

// describe says what is wrong with a value, without the Go types or the
// decoder's own words where they would puzzle a sender.
func describe(err error) error {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		want := "a JSON " + goKind(typ.Type)
		return fmt.Errorf("want %s, got JSON %s", want, typ.Value)
	}
	var fe *leadline.FieldError
	if errors.As(err, &fe) {
		return fe.Err // the member is named already
	}
	return err
}

// goKind is the JSON kind a Go type decodes from.
func goKind(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return "number"
	}
	return "value"
}

// jsonKind is the kind of a well-formed JSON value: object, array,
// string, number, boolean or null.
func jsonKind(v []byte) string {
	v = bytes.TrimLeft(v, jsonSpace)
	if len(v) == 0 {
		return "value"
	}
	switch v[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}
