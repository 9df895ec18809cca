package lead_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/stage"
)

var allEventKinds = []lead.EventKind{
	lead.EventCreated, lead.EventScoreChanged, lead.EventInquiry, lead.EventDownload,
	lead.EventOutbound, lead.EventContact, lead.EventStatusSet,
	lead.EventResponse, lead.EventBANT, lead.EventHandoff, lead.EventAccept, lead.EventReject, lead.EventFeedback,
	lead.EventProfileUpdated, lead.EventWebActivity,
}

func TestEventKind_Text(t *testing.T) {
	t.Parallel()
	wantKeys := []string{"created", "score_changed", "inquiry", "download", "outbound", "contact", "status_set",
		"response", "bant", "handoff", "accept", "reject", "feedback", "profile_updated", "web_activity"}
	for i, k := range allEventKinds {
		if !k.Valid() || k.String() != wantKeys[i] {
			t.Errorf("EventKind(%d) = %q valid %v, want %q valid", uint8(k), k.String(), k.Valid(), wantKeys[i])
		}
		b, err := k.MarshalText()
		if err != nil || string(b) != wantKeys[i] {
			t.Errorf("%v.MarshalText() = %q, %v; want %q, nil", k, b, err, wantKeys[i])
		}
		var got lead.EventKind
		if err := got.UnmarshalText([]byte(" " + string(b) + " ")); err != nil || got != k {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", b, got, err, k)
		}
		if got, err := lead.ParseEventKind("STATUS_SET"); err != nil || got != lead.EventStatusSet {
			t.Errorf("ParseEventKind(STATUS_SET) = %v, %v", got, err)
		}
	}
	for _, k := range []lead.EventKind{0, 16, 255} {
		if k.Valid() {
			t.Errorf("EventKind(%d).Valid() = true", uint8(k))
		}
		_, err := k.MarshalText()
		wantFieldError(t, err, "kind")
	}
	for _, in := range []string{"", "Inquiry received", "event(3)"} {
		_, err := lead.ParseEventKind(in)
		wantFieldError(t, err, "kind")
	}
}

// validEvent returns a valid event of kind k.
func validEvent(k lead.EventKind) lead.Event {
	e := lead.Event{
		ID:   "ev-1",
		Kind: k,
		Lead: "L-1",
		At:   time.Date(2025, 4, 7, 9, 0, 0, 0, zoneJST),
	}
	switch k {
	case lead.EventCreated:
		e.Score = decimal.NewFromInt(-5)
		e.Profile = lead.Profile{Company: "Acme", Source: "web"}
	case lead.EventScoreChanged:
		e.Score = decimal.New(9999, -2)
	case lead.EventInquiry, lead.EventDownload:
		e.Topic = "pricing.pdf"
	case lead.EventOutbound:
		e.Actor, e.Channels = "rep-1", stage.Call|stage.Email
	case lead.EventContact:
		e.Actor = "rep-1"
	case lead.EventStatusSet:
		e.Actor, e.Status, e.Reason = "rep-1", lead.StatusRecycled, "evaluation more than 6 months out"
	case lead.EventResponse:
		e.Campaign, e.Response, e.MetBy = "uc-2026", lead.ResponseAttended, "field-1"
	case lead.EventBANT:
		e.Actor, e.BANT = "rep-1", lead.BANT{Need: "routing rules", Timeline: "this quarter"}
	case lead.EventHandoff, lead.EventAccept:
		e.Actor = "rep-1"
	case lead.EventReject:
		e.Actor, e.Status, e.Reason = "field-1", lead.StatusLead, "no budget this year"
	case lead.EventFeedback:
		e.Actor, e.Feedback = "field-1", lead.Feedback{Target: true, State: lead.InProgress}
	}
	return e
}

func TestEvent_Validate(t *testing.T) {
	t.Parallel()
	with := func(k lead.EventKind, f func(*lead.Event)) lead.Event {
		e := validEvent(k)
		f(&e)
		return e
	}
	tests := []struct {
		name      string
		ev        lead.Event
		wantField string // "" means valid
	}{
		{name: "E2 missing id", ev: with(lead.EventInquiry, func(e *lead.Event) { e.ID = "" }), wantField: "id"},
		{name: "missing kind", ev: with(lead.EventInquiry, func(e *lead.Event) { e.Kind = 0 }), wantField: "kind"},
		{name: "unknown kind", ev: with(lead.EventInquiry, func(e *lead.Event) { e.Kind = 42 }), wantField: "kind"},
		{name: "missing lead", ev: with(lead.EventInquiry, func(e *lead.Event) { e.Lead = "" }), wantField: "lead"},
		{name: "missing at", ev: with(lead.EventInquiry, func(e *lead.Event) { e.At = time.Time{} }), wantField: "at"},
		{name: "id is checked first", ev: lead.Event{}, wantField: "id"},
		{name: "outbound without actor", ev: with(lead.EventOutbound, func(e *lead.Event) { e.Actor = "" }), wantField: "actor"},
		{name: "outbound without channels", ev: with(lead.EventOutbound, func(e *lead.Event) { e.Channels = 0 }), wantField: "channels"},
		{name: "outbound with unknown channel bits", ev: with(lead.EventOutbound, func(e *lead.Event) { e.Channels = stage.Call | 0x40 }), wantField: "channels"},
		{name: "T6 contact without actor", ev: with(lead.EventContact, func(e *lead.Event) { e.Actor = "" }), wantField: "actor"},
		{name: "contact with unknown channel bits", ev: with(lead.EventContact, func(e *lead.Event) { e.Channels = 0x80 }), wantField: "channels"},
		{name: "S1 status_set without actor", ev: with(lead.EventStatusSet, func(e *lead.Event) { e.Actor = "" }), wantField: "actor"},
		{name: "S1 status_set without reason", ev: with(lead.EventStatusSet, func(e *lead.Event) { e.Reason = "" }), wantField: "reason"},
		{name: "S1 status_set with a blank reason", ev: with(lead.EventStatusSet, func(e *lead.Event) { e.Reason = " \t" }), wantField: "reason"},
		{name: "E6 status_set with an unknown status", ev: with(lead.EventStatusSet, func(e *lead.Event) { e.Status = 7 }), wantField: "status"},
		{name: "inquiry with unknown channel bits", ev: with(lead.EventInquiry, func(e *lead.Event) { e.Channels = 0x10 }), wantField: "channels"},
		{name: "contact without channel is fine", ev: with(lead.EventContact, func(e *lead.Event) { e.Channels = 0 })},
		{name: "inquiry needs no actor", ev: with(lead.EventInquiry, func(e *lead.Event) { e.Actor = "" })},
		{name: "S4 status_set without a status (the zero Status is New)", ev: with(lead.EventStatusSet, func(e *lead.Event) { e.Status = lead.StatusNew }), wantField: "status"},
		{name: "M10 reject without a status", ev: with(lead.EventReject, func(e *lead.Event) { e.Status = lead.StatusNew }), wantField: "status"},
		{name: "E6 a negative score is fine", ev: with(lead.EventScoreChanged, func(e *lead.Event) { e.Score = decimal.NewFromInt(-40) })},
		{name: "E6 a score beyond the exponent range", ev: with(lead.EventScoreChanged, func(e *lead.Event) { e.Score = decimal.New(1, 31) }), wantField: "score"},
		{name: "response without campaign", ev: with(lead.EventResponse, func(e *lead.Event) { e.Campaign = "" }), wantField: "campaign"},
		{name: "response without a kind", ev: with(lead.EventResponse, func(e *lead.Event) { e.Response = 0 }), wantField: "response"},
		{name: "M10 bant without actor", ev: with(lead.EventBANT, func(e *lead.Event) { e.Actor = "" }), wantField: "actor"},
		{name: "M10 bant with nothing known", ev: with(lead.EventBANT, func(e *lead.Event) { e.BANT = lead.BANT{Need: "  "} }), wantField: "bant"},
		{name: "M10 handoff without actor", ev: with(lead.EventHandoff, func(e *lead.Event) { e.Actor = "" }), wantField: "actor"},
		{name: "M10 reject without reason", ev: with(lead.EventReject, func(e *lead.Event) { e.Reason = "" }), wantField: "reason"},
		{name: "M10 reject to a status other than lead or recycled", ev: with(lead.EventReject, func(e *lead.Event) { e.Status = lead.StatusCustomer }), wantField: "status"},
		{name: "M5 feedback with an unknown state", ev: with(lead.EventFeedback, func(e *lead.Event) { e.Feedback.State = 9 }), wantField: "follow_up_state"},
		{name: "M5 feedback with an unknown outcome", ev: with(lead.EventFeedback, func(e *lead.Event) { e.Feedback.Opportunity = 9 }), wantField: "opportunity"},
	}
	for _, k := range allEventKinds {
		tests = append(tests, struct {
			name      string
			ev        lead.Event
			wantField string
		}{name: "valid " + k.String(), ev: validEvent(k)})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.ev.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Errorf("Validate(%+v) = %v, want nil", tt.ev, err)
				}
				return
			}
			wantFieldError(t, err, tt.wantField)
		})
	}
}

// TestEvent_Validate_statusRequired checks that a status_set whose status
// is missing, in Go or in JSON, is refused on "status" and reads as the S4
// transition to New a person may never make.
func TestEvent_Validate_statusRequired(t *testing.T) {
	t.Parallel()
	var ev lead.Event
	in := `{"id":"ev-1","kind":"status_set","lead":"L-1","at":"2025-04-07T09:00:00+09:00","actor":"rep-1","reason":"signed"}`
	if err := json.Unmarshal([]byte(in), &ev); err != nil {
		t.Fatal(err)
	}
	err := ev.Validate()
	wantFieldError(t, err, "status")
	if !errors.Is(err, leaderr.ErrInvalidTransition) {
		t.Errorf("Validate(status_set without status) = %v, want it to wrap ErrInvalidTransition (S4)", err)
	}
}

func TestEvent_Validate_unsetTimes(t *testing.T) {
	t.Parallel()
	// E6, E9: the epoch and year 1 are unset timestamps, not activity.
	for _, at := range []time.Time{time.Unix(0, 0), time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), time.Date(1999, 12, 31, 23, 59, 59, 0, time.UTC)} {
		ev := lead.Event{ID: "e", Kind: lead.EventInquiry, Lead: "L-1", At: at}
		wantFieldError(t, ev.Validate(), "at")
	}
	ev := lead.Event{ID: "e", Kind: lead.EventInquiry, Lead: "L-1", At: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := ev.Validate(); err != nil {
		t.Fatalf("Validate(2000-01-01) = %v, want nil", err)
	}
}

func TestEvent_Validate_E9_unreadFieldsRefused(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)
	base := func(k lead.EventKind) lead.Event {
		return lead.Event{ID: "e", Kind: k, Lead: "L-1", At: at, Actor: "rep-a"}
	}
	tests := []struct {
		name  string
		ev    lead.Event
		field string // "" means accepted
	}{
		{"E9 a score with an inquiry is read", func() lead.Event { e := base(lead.EventInquiry); e.Score = decimal.NewFromInt(120); return e }(), ""},
		{"E9 a score with a web activity is read", func() lead.Event {
			e := base(lead.EventWebActivity)
			e.Score = decimal.NewFromInt(5)
			e.Topic = "/pricing"
			return e
		}(), ""},
		{"E9 a topic on a contact is refused", func() lead.Event { e := base(lead.EventContact); e.Topic = "pricing"; return e }(), "topic"},
		{"E9 a score on an outbound attempt is refused", func() lead.Event {
			e := base(lead.EventOutbound)
			e.Channels, e.Score = stage.Call, decimal.NewFromInt(3)
			return e
		}(), "score"},
		{"E9 an owner on an inquiry is refused", func() lead.Event { e := base(lead.EventInquiry); e.Owner = "rep-b"; return e }(), "owner"},
		{"E9 a campaign on a download is refused", func() lead.Event { e := base(lead.EventDownload); e.Campaign = "c"; return e }(), "campaign"},
		{"E9 a reason on an outbound attempt is refused", func() lead.Event {
			e := base(lead.EventOutbound)
			e.Channels, e.Reason = stage.Call, "why"
			return e
		}(), "reason"},
		{"E9 a profile update reads the profile", func() lead.Event {
			e := base(lead.EventProfileUpdated)
			e.Profile = lead.Profile{Company: "Acme", Target: true}
			return e
		}(), ""},
		{"E9 a profile update reads nothing else", func() lead.Event {
			e := base(lead.EventProfileUpdated)
			e.Profile, e.Topic = lead.Profile{Company: "Acme"}, "x"
			return e
		}(), "topic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.ev.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			wantFieldError(t, err, tt.field)
		})
	}
}

// TestEvent_UnmarshalJSON checks the JSON form of an event: what Marshal
// writes reads back equal; a field the format does not know is refused
// (E9); a score too long to be one is refused on "score" before its
// digits are parsed, quoted or not (E6).
func TestEvent_UnmarshalJSON(t *testing.T) {
	t.Parallel()
	ev := lead.Event{ID: "ev-1", Kind: lead.EventScoreChanged, Lead: "L-1", At: time.Date(2025, 4, 7, 9, 0, 0, 0, time.UTC),
		Score: decimal.RequireFromString("-12.5")}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var back lead.Event
	if err := json.Unmarshal(b, &back); err != nil || back.ID != ev.ID || !back.Score.Equal(ev.Score) || !back.At.Equal(ev.At) || back.Kind != ev.Kind {
		t.Fatalf("round trip of %s = %+v, %v", b, back, err)
	}
	for _, c := range []struct{ name, in, field string }{
		{"unknown field", `{"id":"e","kind":"inquiry","lead":"L-1","colour":"red"}`, ""},
		{"a megabyte of digits", `{"id":"e","kind":"score_changed","lead":"L-1","score":1` + strings.Repeat("0", 1<<20) + `}`, "score"},
		{"a megabyte of quoted digits", `{"id":"e","kind":"score_changed","lead":"L-1","score":"1` + strings.Repeat("0", 1<<20) + `"}`, "score"},
	} {
		var ev lead.Event
		err := json.Unmarshal([]byte(c.in), &ev)
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if c.field != "" {
			wantFieldError(t, err, c.field)
		} else if !strings.Contains(err.Error(), "colour") {
			t.Errorf("%s: %v does not name the field", c.name, err)
		}
	}
}

// TestEvent_Validate_yearOfTheInstant: "2000 or later" is a rule on the
// instant, whatever offset the sender wrote it in (E6).
func TestEvent_Validate_yearOfTheInstant(t *testing.T) {
	for _, c := range []struct {
		at string
		ok bool
	}{
		{"1999-12-31T20:00:00-05:00", true}, // 2000-01-01T01:00Z
		{"2000-01-01T01:00:00Z", true},
		{"2000-01-01T08:00:00+09:00", false}, // 1999-12-31T23:00Z
		{"1999-12-31T23:59:59Z", false},
	} {
		var e lead.Event
		if err := json.Unmarshal([]byte(`{"id":"e1","kind":"inquiry","lead":"L-1","at":"`+c.at+`"}`), &e); err != nil {
			t.Fatal(err)
		}
		if err := e.Validate(); (err == nil) != c.ok {
			t.Errorf("at %s: Validate = %v; want ok %v", c.at, err, c.ok)
		}
	}
}

// TestEvent_scoreTextLimit: a score's text holds at most MaxScoreText
// characters whether it comes as a JSON number or a JSON string (E6, E9).
func TestEvent_scoreTextLimit(t *testing.T) {
	hundred := func(n int) string { return "1E" + strings.Repeat("0", n-3) + "2" } // 100, n characters
	for _, c := range []struct {
		score string
		ok    bool
	}{
		{hundred(lead.MaxScoreText), true},
		{`"` + hundred(lead.MaxScoreText) + `"`, true},
		{hundred(lead.MaxScoreText + 1), false},
		{hundred(lead.MaxScoreText + 2), false},
		{`"` + hundred(lead.MaxScoreText+1) + `"`, false},
	} {
		var e lead.Event
		err := json.Unmarshal([]byte(`{"id":"e1","kind":"inquiry","lead":"L-1","at":"2026-04-08T10:00:00+09:00","score":`+c.score+`}`), &e)
		if (err == nil) != c.ok {
			t.Errorf("score of %d characters: %v; want ok %v", len(c.score), err, c.ok)
		}
	}
}
