package leadlinehttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leadlinehttp"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
)

// at is an instant of the seeded week, after the simulation's now is
// not needed: the engine clamps an event's time to its clock (T9).
const at = "2026-04-09T16:00:00+09:00"

func event(id, kind, leadID, extra string) string {
	return fmt.Sprintf(`{"id":%q,"kind":%q,"lead":%q,"at":%q%s}`, id, kind, leadID, at, extra)
}

func results(t *testing.T, body []byte) []leadlinehttp.EventResult {
	t.Helper()
	var r leadlinehttp.EventsResponse
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	return r.Events
}

// TestHandler_Events checks POST /events: one event, a repeat flagged
// as a duplicate (E2), a batch of one lead's events applied in one write
// (E9), a partly repeated batch, and the problems for bad input (E6),
// an unknown lead (E9), a taken id and a transition the state refuses.
func TestHandler_Events(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	created := event("web-1", "created", "L-100", `,"score":"120","profile":{"company":"東都商事","name":"佐藤 花子","source":"web"}`)
	inquiry := event("web-2", "inquiry", "L-100", `,"topic":"価格"`)
	cases := []struct {
		name   string
		body   string
		status int
		want   string // the results, "id:applied|duplicate" joined with " "
		ptype  string // the problem type of a failure
	}{
		{"created applies", created, 202, "web-1:applied", ""},
		{"E2 repeat is a duplicate", created, 200, "web-1:duplicate", ""},
		{"E9 batch applies in one write", "[" + inquiry + "," + event("web-3", "score_changed", "L-100", `,"score":"150.5"`) + "]", 202, "web-2:applied web-3:applied", ""},
		{"E2 partly repeated batch", "[" + inquiry + "," + event("web-4", "download", "L-100", `,"topic":"事例集"`) + "]", 202, "web-2:duplicate web-4:applied", ""},
		{"E2 wholly repeated batch", "[" + inquiry + "]", 200, "web-2:duplicate", ""},
		{"E9 unknown lead", event("web-5", "inquiry", "L-404", ""), 404, "", "urn:leadline:problem:not-found"},
		{"E6 missing id", event("", "inquiry", "L-100", ""), 400, "", "urn:leadline:problem:invalid-input"},
		{"E6 unknown field", event("web-6", "inquiry", "L-100", `,"colour":"red"`), 400, "", "urn:leadline:problem:invalid-input"},
		{"E6 bad score", event("web-7", "score_changed", "L-100", `,"score":"lots"`), 400, "", "urn:leadline:problem:invalid-input"},
		{"E6 a score of 500,000 digits", event("web-7", "score_changed", "L-100", `,"score":1`+strings.Repeat("0", 500_000)), 400, "", "urn:leadline:problem:invalid-input"},
		{"E6 malformed JSON", `{"id":`, 400, "", "urn:leadline:problem:invalid-input"},
		{"E6 empty batch", `[]`, 400, "", "urn:leadline:problem:invalid-input"},
		{"E9 batch of two leads", "[" + event("web-8", "inquiry", "L-100", "") + "," + event("web-9", "inquiry", "L-01", "") + "]", 400, "", "urn:leadline:problem:invalid-input"},
		{"taken id", event("web-10", "created", "L-01", ""), 409, "", "urn:leadline:problem:exists"},
	}
	for _, c := range cases {
		rec := call(t, tm.h, "POST", "/events", asOps, []byte(c.body), "Content-Type", "application/json")
		if rec.Code != c.status {
			t.Fatalf("%s: POST /events = %d, want %d\n%s", c.name, rec.Code, c.status, rec.Body)
		}
		if c.ptype != "" {
			var p struct {
				Type   string
				Status int
				Errors []struct{ Field string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Type != c.ptype || p.Status != c.status {
				t.Errorf("%s: problem %s, want type %s", c.name, rec.Body, c.ptype)
			}
			if rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: Content-Type %q", c.name, rec.Header().Get("Content-Type"))
			}
			if c.status == 400 && (len(p.Errors) == 0 || p.Errors[0].Field == "") {
				t.Errorf("%s: no field named: %s", c.name, rec.Body)
			}
			continue
		}
		var got []string
		for _, r := range results(t, rec.Body.Bytes()) {
			state := "applied"
			if r.Duplicate {
				state = "duplicate"
			}
			if r.Applied == r.Duplicate {
				t.Errorf("%s: %+v is both or neither applied and duplicate", c.name, r)
			}
			got = append(got, r.ID+":"+state)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s: results %v, want %s", c.name, got, c.want)
		}
	}
	rec := call(t, tm.h, "GET", "/leads/L-100", asOps, nil)
	if !bytes.Contains(rec.Body.Bytes(), []byte(`"score": "150.5"`)) {
		t.Errorf("L-100 after the batch: %s", rec.Body)
	}
}

// TestHandler_BodyLimit checks that a body over MaxBodyBytes answers 413
// and changes nothing.
func TestHandler_BodyLimit(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{MaxBodyBytes: 256})
	body := event("big-1", "created", "L-200", `,"profile":{"company":"`+strings.Repeat("株", 200)+`"}`)
	sheet := "lead_id,comment\n" + strings.Repeat("L-01,長いコメント\n", 20)
	for path, body := range map[string]string{"/events": body, "/feedback?import=x": sheet} {
		rec := call(t, tm.h, "POST", path, asField, []byte(body))
		if rec.Code != 413 || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("POST %s of %d bytes = %d %s, want 413", path, len(body), rec.Code, rec.Body)
		}
	}
	if rec := call(t, tm.h, "GET", "/leads/L-200", asOps, nil); rec.Code != 404 {
		t.Errorf("L-200 after a refused body: %d, want 404", rec.Code)
	}
}

// TestHandler_CrossOrigin checks that a browser's cross-site POST is
// refused with 403 before it reaches the engine, and a same-origin one
// and a non-browser client's pass.
func TestHandler_CrossOrigin(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	body := []byte(event("x-1", "created", "L-300", ""))
	rec := call(t, tm.h, "POST", "/events", asOps, body, "Sec-Fetch-Site", "cross-site")
	if rec.Code != 403 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("cross-site POST = %d %s, want a 403 problem", rec.Code, rec.Body)
	}
	if rec := call(t, tm.h, "GET", "/leads/L-300", asOps, nil); rec.Code != 404 {
		t.Errorf("L-300 after a refused POST: %d, want 404", rec.Code)
	}
	if rec := call(t, tm.h, "POST", "/events", asOps, body, "Sec-Fetch-Site", "same-origin"); rec.Code != 202 {
		t.Errorf("same-origin POST = %d, want 202", rec.Code)
	}
	if rec := call(t, tm.h, "GET", "/worklist", asOps, nil, "Sec-Fetch-Site", "cross-site"); rec.Code != 200 {
		t.Errorf("cross-site GET = %d, want 200: reads change nothing", rec.Code)
	}
}

// TestHandler_Feedback checks the feedback sheet's import (M5): a sheet
// with bad rows answers 400 naming each line and column and applies
// nothing; an import needs an id (E2).
func TestHandler_Feedback(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	sheet := "lead_id,follow_up_target,follow_up_state,opportunity,comment\nL-01,yes,done,no,話した\nL-404,maybe,started,no,\n"
	rec := call(t, tm.h, "POST", "/feedback?import=sheet-1", asField, []byte(sheet))
	golden(t, "feedback_M5_bad_sheet", dump(rec))
	if rec.Code != 400 {
		t.Fatalf("bad sheet = %d, want 400", rec.Code)
	}
	rec = call(t, tm.h, "POST", "/feedback", asField, []byte(sheet))
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"field":"import"`) {
		t.Errorf("import without an id = %d %s", rec.Code, rec.Body)
	}
	empty := "lead_id,follow_up_target,follow_up_state,opportunity,comment\n"
	rec = call(t, tm.h, "POST", "/feedback", asField, []byte(empty), "Idempotency-Key", "sheet-2")
	if rec.Code != 200 {
		t.Errorf("empty sheet = %d %s, want 200", rec.Code, rec.Body)
	}
}

// FuzzDecodeEvents checks the POST /events body parser: any body gives
// events, each of which survives a JSON round trip, or a *FieldError
// naming a field (E6); it never panics.
func FuzzDecodeEvents(f *testing.F) {
	for _, s := range []string{
		event("e-1", "created", "L-1", `,"score":"120"`),
		"[" + event("e-1", "inquiry", "L-1", "") + "]",
		`[]`, `{"id":`, `{"id":"x","kind":"nope"}`, `{} {}`, `[{"score":1e400}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		evs, _, err := leadlinehttp.DecodeEvents(body)
		if err != nil {
			if _, ok := errors.AsType[*leadline.FieldError](err); !ok {
				t.Fatalf("DecodeEvents: %v is not a FieldError", err)
			}
			return
		}
		for _, ev := range evs {
			b, err := json.Marshal(ev)
			if err != nil {
				continue // a value that decodes but cannot be written back is the engine's to refuse
			}
			back, _, err := leadlinehttp.DecodeEvents(b)
			if err != nil || len(back) != 1 || back[0].ID != ev.ID || back[0].Kind != ev.Kind || back[0].Lead != ev.Lead {
				t.Errorf("round trip of %s: %v, %v", b, back, err)
			}
		}
	})
}

// TestHandler_FeedbackDownload: the feedback sheet is a CSV file whose
// name keeps a Japanese campaign id (RFC 6266's filename*), with a plain
// ASCII name beside it for old clients; asked for as JSON it says it is
// CSV only (M5, V8).
func TestHandler_FeedbackDownload(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	for _, c := range []struct{ campaign, want string }{
		{"uc-2026", `attachment; filename="feedback-uc-2026-2026-04-09.csv"`},
		{"秋の展示会", `attachment; filename="feedback--2026-04-09.csv"; filename*=UTF-8''feedback-%E7%A7%8B%E3%81%AE%E5%B1%95%E7%A4%BA%E4%BC%9A-2026-04-09.csv`},
		// RFC 8187's ext-value: every byte but an attr-char (ALPHA DIGIT
		// !#$&+-.^_`|~) percent-encoded, in upper-case hex.
		{"秋:セミナー@東京=1", `attachment; filename="feedback-1-2026-04-09.csv"; filename*=UTF-8''feedback-%E7%A7%8B%3A%E3%82%BB%E3%83%9F%E3%83%8A%E3%83%BC%40%E6%9D%B1%E4%BA%AC%3D1-2026-04-09.csv`},
		{`a b;c,d'e(f)%*"g?`, `attachment; filename="feedback-abcdefg-2026-04-09.csv"; filename*=UTF-8''feedback-a%20b%3Bc%2Cd%27e%28f%29%25%2A%22g%3F-2026-04-09.csv`},
		{"x!#$&+^_`|~y", "attachment; filename=\"feedback-x_y-2026-04-09.csv\"; filename*=UTF-8''feedback-x!#$&+^_`|~y-2026-04-09.csv"},
		{"a/b\\c[d]{e}<f>", `attachment; filename="feedback-abcdef-2026-04-09.csv"; filename*=UTF-8''feedback-a-b-c%5Bd%5D%7Be%7D%3Cf%3E-2026-04-09.csv`},
	} {
		rec := call(t, tm.h, "GET", "/feedback?campaign="+url.QueryEscape(c.campaign), asOps, nil)
		if got := rec.Header().Get("Content-Disposition"); rec.Code != 200 || got != c.want {
			t.Errorf("campaign %s: %d, Content-Disposition %q; want %q", c.campaign, rec.Code, got, c.want)
		}
	}
	rec := call(t, tm.h, "GET", "/feedback?format=json", asOps, nil)
	if got := problemFieldsOf(t, rec.Body.Bytes()); rec.Code != 400 || len(got) != 1 || got[0] != "format" {
		t.Errorf("format=json: %d %s; want 400 naming format", rec.Code, rec.Body)
	}
}

// TestHandler_FeedbackTrip takes a field rep's feedback sheet out and
// back (M5): a lead a field rep invited to a high-engagement event goes
// to that rep (M4), is on their exported sheet, and their filled-in sheet
// imports once; the same import id again applies nothing (E2).
func TestHandler_FeedbackTrip(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	fieldLead(t, tm)
	rec := call(t, tm.h, "GET", "/feedback?campaign=uc-2026", asField, nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "\nL-f,北斗製作所,uc-2026,") {
		t.Fatalf("field rep's sheet: %d\n%s", rec.Code, rec.Body)
	}
	if !strings.Contains(rec.Header().Get("Content-Disposition"), `filename="feedback-uc-2026-`) {
		t.Errorf("Content-Disposition %q", rec.Header().Get("Content-Disposition"))
	}
	sheet := "\uFEFFlead_id,follow_up_target,follow_up_state,opportunity,comment\r\nL-f,yes,in_progress,no,来週訪問\r\n"
	for i, want := range []string{`"applied": 1`, `"applied": 0`} {
		rec := call(t, tm.h, "POST", "/feedback?import=trip-1", asField, []byte(sheet))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("import %d: %d %s, want %s", i+1, rec.Code, rec.Body, want)
		}
	}
	if rec := call(t, tm.h, "GET", "/leads/L-f", asField, nil); !strings.Contains(rec.Body.String(), "来週訪問") {
		t.Errorf("L-f after the import has no comment: %s", rec.Body)
	}
}

// TestHandler_FeedbackZone checks that the feedback sheet writes its
// instants in the asked zone (V8: "times in RFC 3339 in the zone"), and
// without tz as the lead's response was recorded: L-f responded at
// 2026-04-09 16:00 in Tokyo.
func TestHandler_FeedbackZone(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	fieldLead(t, tm)
	for _, c := range []struct{ tz, want string }{
		{"", "2026-04-09T16:00:00+09:00"},
		{"Asia/Tokyo", "2026-04-09T16:00:00+09:00"},
		{"UTC", "2026-04-09T07:00:00Z"},
		{"America/New_York", "2026-04-09T03:00:00-04:00"}, // daylight saving time since March
	} {
		rec := call(t, tm.h, "GET", "/feedback?campaign=uc-2026&bom=0&tz="+url.QueryEscape(c.tz), asOps, nil)
		if want := "\nL-f,北斗製作所,uc-2026," + c.want + ","; rec.Code != 200 || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("GET /feedback?tz=%s: %d, want responded_at %s\n%s", c.tz, rec.Code, c.want, rec.Body)
		}
	}
	if rec := call(t, tm.h, "GET", "/feedback?campaign=uc-2026&tz=Mars/Olympus", asOps, nil); rec.Code != 400 {
		t.Errorf("GET /feedback?tz=Mars/Olympus: %d, want 400", rec.Code)
	}
}

// fieldLead adds the user conference uc-2026, a high-engagement event
// agreed at kickoff (M7, M13), and L-f, a lead field-mori invited to it
// and who attended, so that it routes to them (M4).
func fieldLead(t *testing.T, tm *team) {
	t.Helper()
	now := tm.s.Now()
	err := tm.eng.SaveCampaign(t.Context(), routing.Campaign{ID: "uc-2026", Name: "ユーザー会 2026", Type: routing.OwnEvent,
		Start: now.Add(-24 * time.Hour), AgreedBy: "mgr", AgreedAt: now.Add(-72 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	events := "[" + event("f-1", "created", "L-f", `,"score":"10","profile":{"company":"北斗製作所"}`) + "," +
		event("f-2", "response", "L-f", `,"campaign":"uc-2026","response":"invited","actor":"field-mori"`) + "," +
		event("f-3", "response", "L-f", `,"campaign":"uc-2026","response":"attended","actor":"marketing"`) + "]"
	if rec := call(t, tm.h, "POST", "/events", asOps, []byte(events)); rec.Code != 202 {
		t.Fatalf("events: %d %s", rec.Code, rec.Body)
	}
}

// TestHandler_EventReused checks that an event id sent again with
// another payload answers 409 naming the id, and is not a duplicate (E2).
func TestHandler_EventReused(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	first := event("r-1", "score_changed", "L-01", `,"score":"150"`)
	other := event("r-1", "score_changed", "L-01", `,"score":"151"`)
	if rec := call(t, tm.h, "POST", "/events", asOps, []byte(first)); rec.Code != 202 {
		t.Fatalf("first: %d %s", rec.Code, rec.Body)
	}
	for _, body := range []string{other, "[" + other + "]"} {
		rec := call(t, tm.h, "POST", "/events", asOps, []byte(body))
		if rec.Code != 409 || !strings.Contains(rec.Body.String(), "urn:leadline:problem:event-reused") || !strings.Contains(rec.Body.String(), `"field":`) {
			t.Errorf("reused id: %d %s, want a 409 event-reused problem naming the field", rec.Code, rec.Body)
		}
	}
}

// downStore is a store that cannot be reached: every lead read and the
// reports' Open fail with ErrUnavailable.
type downStore struct{ *memstore.Store }

func (downStore) Lead(context.Context, string) (lead.Lead, error) {
	return lead.Lead{}, fmt.Errorf("teststore: connection refused at db.internal: %w", leadline.ErrUnavailable)
}

func (downStore) Open(context.Context, []string) ([]lead.Lead, error) {
	return nil, fmt.Errorf("teststore: connection refused at db.internal: %w", leadline.ErrUnavailable)
}

// TestHandler_Unavailable checks that a store that cannot be reached
// answers 503 with Retry-After and says nothing of its cause.
func TestHandler_Unavailable(t *testing.T) {
	st := downStore{memstore.New()}
	eng, err := leadline.New(st, leadline.Config{})
	if err != nil {
		t.Fatal(err)
	}
	h := leadlinehttp.Handler(eng, leadlinehttp.Options{Viewer: testViewer, Reader: st})
	for _, c := range []struct{ method, target, body string }{
		{"GET", "/leads/L-1", ""},
		{"GET", "/worklist", ""},
		{"POST", "/events", event("u-1", "inquiry", "L-1", "")},
	} {
		rec := call(t, h, c.method, c.target, asOps, []byte(c.body))
		if rec.Code != 503 || rec.Header().Get("Retry-After") == "" || strings.Contains(rec.Body.String(), "db.internal") {
			t.Errorf("%s %s = %d, Retry-After %q: %s", c.method, c.target, rec.Code, rec.Header().Get("Retry-After"), rec.Body)
		}
	}
}

// TestHandler_EventsWhoMayRecord checks visibility applied to writes
// (M2): a field rep posts on a lead of their own, in their own name; an
// event on a lead they may not see answers exactly as one on a missing
// lead, and creates nothing; a rep may not record work in another's
// name; a viewer who sees every lead (inside sales, ops) may create
// leads.
func TestHandler_EventsWhoMayRecord(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	fieldLead(t, tm)
	missing := call(t, tm.h, "POST", "/events", asField, []byte(event("x-0", "inquiry", "L-404", "")))
	if missing.Code != 404 {
		t.Fatalf("field rep's event on a missing lead: %d %s", missing.Code, missing.Body)
	}
	cases := []struct {
		name   string
		viewer string
		body   string
		status int
		field  string // the field a 403 names
	}{
		{"own lead, own name", asField, event("x-1", "outbound", "L-f", `,"actor":"field-mori","channels":"call"`), 202, ""},
		{"own lead, no actor", asField, event("x-2", "web_activity", "L-f", `,"topic":"/pricing"`), 202, ""},
		{"own lead, another's name", asField, event("x-3", "outbound", "L-f", `,"actor":"rep-ito","channels":"call"`), 403, "actor"},
		{"batch names another in its second event", asField, "[" + event("x-4", "web_activity", "L-f", `,"topic":"/a"`) + "," +
			event("x-5", "outbound", "L-f", `,"actor":"field-mgr","channels":"email"`) + "]", 403, "events[1].actor"},
		{"batch of one names another", asField, "[" + event("x-9", "outbound", "L-f", `,"actor":"rep-ito","channels":"call"`) + "]", 403, "events[0].actor"},
		{"field manager on the field desk", asFieldManager, event("x-6", "outbound", "L-f", `,"actor":"field-mori","channels":"meeting"`), 202, ""},
		{"inside rep in another inside rep's name", asIto, event("x-7", "outbound", "L-01", `,"actor":"rep-kato","channels":"call"`), 403, "actor"},
		{"inside rep creates a lead", asIto, event("x-8", "created", "L-ito", `,"score":"10","profile":{"company":"南海物産"}`), 202, ""},
	}
	for _, c := range cases {
		rec := call(t, tm.h, "POST", "/events", c.viewer, []byte(c.body))
		if rec.Code != c.status {
			t.Errorf("%s: POST /events = %d, want %d\n%s", c.name, rec.Code, c.status, rec.Body)
			continue
		}
		if c.status == 403 {
			var p struct {
				Type   string
				Errors []struct{ Field string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Type != "urn:leadline:problem:forbidden" || len(p.Errors) != 1 || p.Errors[0].Field != c.field {
				t.Errorf("%s: problem %s, want forbidden naming %s", c.name, rec.Body, c.field)
			}
		}
	}
	// Hidden and new leads answer as a missing one, byte for byte, and
	// nothing is written.
	for _, c := range []struct{ name, viewer, body, lead string }{
		{"field rep on an inside lead", asField, event("h-1", "inquiry", "L-05", ""), "L-05"},
		{"field rep creates a lead", asField, event("h-2", "created", "L-new", `,"score":"10","profile":{"company":"西海工業"}`), "L-new"},
		{"field manager on an inside lead", asFieldManager, event("h-3", "status_set", "L-05", `,"actor":"field-mgr","status":"disqualified_sales","reason":"x"`), "L-05"},
	} {
		rec := call(t, tm.h, "POST", "/events", c.viewer, []byte(c.body))
		if rec.Code != 404 || !bytes.Equal(rec.Body.Bytes(), missing.Body.Bytes()) {
			t.Errorf("%s: %d %s, want the answer for a missing lead: %s", c.name, rec.Code, rec.Body, missing.Body)
		}
		hist := call(t, tm.h, "GET", "/leads/"+c.lead+"/history", asOps, nil)
		if strings.Contains(hist.Body.String(), `"h-`) {
			t.Errorf("%s: the refused event was written: %s", c.name, hist.Body)
		}
	}
}

// problemFieldsOf returns the fields a problem document's errors name.
func problemFieldsOf(t *testing.T, body []byte) []string {
	t.Helper()
	var p struct {
		Errors []struct{ Field string }
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("problem %s: %v", body, err)
	}
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

// TestDecodeEvents_namesField checks that every problem of a POST
// /events body names its field as the body spells it, with the event's
// index in an array (DecodeEvents' doc, E6): an unknown field (E9), a bad
// kind, a bad score, a JSON value of the wrong type, in the problem's
// errors too, and never a Go type's name.
func TestDecodeEvents_namesField(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	ok := event("e-1", "inquiry", "L-01", "")
	batch := func(second string) string { return "[" + ok + "," + second + "]" }
	cases := []struct {
		name, body, field string
	}{
		{"E9 unknown field", event("e-2", "inquiry", "L-01", `,"colour":"red"`), "colour"},
		{"E9 unknown field in a batch", batch(event("e-2", "inquiry", "L-01", `,"scroe":"1"`)), "events[1].scroe"},
		{"E9 unknown field in the profile", event("e-2", "created", "L-new", `,"profile":{"company":"東都商事","colour":"red"}`), "profile.colour"},
		{"bad kind", event("e-2", "nope", "L-01", ""), "kind"},
		{"bad kind in a batch", batch(event("e-2", "nope", "L-01", "")), "events[1].kind"},
		{"bad score in a batch", batch(event("e-2", "inquiry", "L-01", `,"score":"abc"`)), "events[1].score"},
		{"E6 a score of 100 digits in a batch", batch(event("e-2", "inquiry", "L-01", `,"score":1`+strings.Repeat("0", 100))), "events[1].score"},
		{"bad time", `{"id":"e-2","kind":"inquiry","lead":"L-01","at":"yesterday"}`, "at"},
		{"bad channels in a batch", "[" + event("e-2", "outbound", "L-01", `,"actor":"ops-1","channels":"fax"`) + "]", "events[0].channels"},
		{"wrong type in a batch", batch(`{"id":5}`), "events[1].id"},
		{"wrong type in the profile", event("e-2", "created", "L-new", `,"profile":{"company":5}`), "profile.company"},
		{"an array's element is not an object", batch(`"e-2"`), "events[1]"},
		{"the body is not an object", `"e-2"`, "body"},
	}
	for _, c := range cases {
		_, _, err := leadlinehttp.DecodeEvents([]byte(c.body))
		fe, isFE := errors.AsType[*leadline.FieldError](err)
		switch {
		case !isFE:
			t.Errorf("%s: %v, want a FieldError", c.name, err)
		case fe.Field != c.field:
			t.Errorf("%s: the error names %q, want %q (%v)", c.name, fe.Field, c.field, err)
		case strings.Contains(err.Error(), "plain") || strings.Contains(err.Error(), "lead.scoreJSON"):
			t.Errorf("%s: the error names Go internals: %v", c.name, err)
		}
		rec := call(t, tm.h, "POST", "/events", asOps, []byte(c.body))
		if got := problemFieldsOf(t, rec.Body.Bytes()); rec.Code != 400 || !slices.Equal(got, []string{c.field}) {
			t.Errorf("%s: POST /events = %d naming %v, want 400 naming %s\n%s", c.name, rec.Code, got, c.field, rec.Body)
		}
	}
}

// TestDecodeEvents_trailingData checks that a body is one JSON value and
// nothing more (DecodeEvents' doc): data after it, a stray closing
// bracket or brace included, is bad input naming the body (E6), and
// nothing is written; white space after it is not data.
func TestDecodeEvents_trailingData(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	one := event("t-1", "web_activity", "L-01", `,"topic":"/pricing"`)
	cases := []struct {
		name, body string
		ok         bool
	}{
		{"white space", one + " \r\n\t", true},
		{"a second object", one + " {}", false},
		{"a stray brace", one + "}", false},
		{"a stray bracket", one + "]", false},
		{"a batch's stray bracket", "[" + one + "]]", false},
		{"a batch's stray brace", "[" + one + "] }", false},
		{"a word", one + " x", false},
	}
	for _, c := range cases {
		_, _, err := leadlinehttp.DecodeEvents([]byte(c.body))
		fe, isFE := errors.AsType[*leadline.FieldError](err)
		if c.ok != (err == nil) || !c.ok && (!isFE || fe.Field != "body") {
			t.Errorf("%s: DecodeEvents = %v, want ok %v or a FieldError for body", c.name, err, c.ok)
		}
		if c.ok {
			continue
		}
		rec := call(t, tm.h, "POST", "/events", asOps, []byte(c.body))
		if got := problemFieldsOf(t, rec.Body.Bytes()); rec.Code != 400 || !slices.Equal(got, []string{"body"}) {
			t.Errorf("%s: POST /events = %d naming %v, want 400 naming body", c.name, rec.Code, got)
		}
	}
	hist := call(t, tm.h, "GET", "/leads/L-01/history", asOps, nil)
	if strings.Contains(hist.Body.String(), "/pricing") {
		t.Errorf("a refused body was written: %s", hist.Body)
	}
}

// TestHandler_FeedbackImportID checks the feedback import's id (V10, M5):
// it is an id as lead.CheckID has it (E6), checked before the sheet, and
// each row is recorded as the event id import/lead_id, itself an id of
// at most lead.MaxIDBytes (128) bytes, so an import id that leaves a row
// no room is the import's fault too, saying how long it may be. Nothing
// is applied until the import id fits.
func TestHandler_FeedbackImportID(t *testing.T) {
	tm := newTeam(t, leadlinehttp.Options{})
	fieldLead(t, tm)
	sheet := "lead_id,follow_up_target,follow_up_state,opportunity,comment\r\nL-f,yes,in_progress,no,来週訪問\r\n"
	fits := strings.Repeat("k", lead.MaxIDBytes-len("/L-f")) // 124 bytes: "k…k/L-f" is 128
	cases := []struct {
		name, target, key, sheet string
		field, detail            string
	}{
		{"too long", "/feedback?import=" + strings.Repeat("k", lead.MaxIDBytes+1), "", sheet, "import", "at most 128"},
		{"too long as an Idempotency-Key", "/feedback", strings.Repeat("k", 200), sheet, "import", "at most 128"},
		{"a line break", "/feedback?import=a%0Ab", "", sheet, "import", "control character"},
		{"a leading space", "/feedback?import=%20a", "", sheet, "import", "space"},
		{"too long for the sheet's lead id", "/feedback?import=" + fits + "k", "", sheet, "import", "at most 124 bytes"},
		{"too long for a malformed sheet", "/feedback?import=" + strings.Repeat("k", 129), "", "lead_id\r\n\"L-f\r\n", "import", "at most 128"},
		{"a lead id no import id leaves room for", "/feedback?import=k", "", strings.Replace(sheet, "L-f,", strings.Repeat("L", lead.MaxIDBytes)+",", 1), "lead_id", "as an event"},
	}
	for _, c := range cases {
		var hdr []string
		if c.key != "" {
			hdr = []string{"Idempotency-Key", c.key}
		}
		rec := call(t, tm.h, "POST", c.target, asField, []byte(c.sheet), hdr...)
		var p struct {
			Errors []struct{ Field, Detail string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != 400 || len(p.Errors) != 1 ||
			p.Errors[0].Field != c.field || !strings.Contains(p.Errors[0].Detail, c.detail) {
			t.Errorf("%s: %d %s, want 400 naming only %s, saying %q", c.name, rec.Code, rec.Body, c.field, c.detail)
		}
	}
	if rec := call(t, tm.h, "GET", "/leads/L-f", asField, nil); strings.Contains(rec.Body.String(), "来週訪問") {
		t.Errorf("a refused import was applied: %s", rec.Body)
	}
	if rec := call(t, tm.h, "POST", "/feedback?import="+fits, asField, []byte(sheet)); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"applied": 1`) {
		t.Errorf("an import id of %d bytes: %d %s, want the row applied", len(fits), rec.Code, rec.Body)
	}
}
