package lead_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/stage"
)

var zoneJST = time.FixedZone("JST", 9*3600)

// requestedAt is Monday 7 April 2025, 09:00 JST.
var requestedAt = time.Date(2025, 4, 7, 9, 0, 0, 0, zoneJST)

// trackAt returns a default-policy track begun at requestedAt that reached
// s with one attempt an hour after requestedAt per stage.
func trackAt(tb testing.TB, s stage.Stage) stage.Track {
	tb.Helper()
	pol := stage.DefaultPolicy()
	var tr stage.Track
	if err := pol.Begin(&tr, requestedAt); err != nil {
		tb.Fatal(err)
	}
	for i := 1; tr.Stage < s; i++ {
		if _, err := pol.Attempt(&tr, requestedAt.Add(time.Duration(i)*time.Hour)); err != nil {
			tb.Fatal(err)
		}
	}
	return tr
}

func TestLead_Deadlines(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	untouched := trackAt(t, stage.Untouched) // due requestedAt+48h
	stage1 := trackAt(t, stage.Stage1)       // reached +1h, due +49h
	fired := trackAt(t, stage.Stage1)
	pol.Expire(&fired, fired.Due.Time().Add(time.Hour))
	firedNag := fired.Due.Time().Add(time.Hour).Add(pol.Window(stage.Stage2)) // T13: one window after the reminder
	connected := trackAt(t, stage.Stage2)
	pol.Contact(&connected, requestedAt.Add(3*time.Hour))
	stopped := trackAt(t, stage.Untouched)
	pol.Stop(&stopped, requestedAt.Add(time.Hour))

	open := func(due time.Time) lead.Request {
		return lead.Request{Seq: 1, State: lead.RequestOpen, Priority: 1, Reasons: "A1", Opened: requestedAt, Due: due}
	}
	early, late := requestedAt.Add(10*time.Hour), requestedAt.Add(100*time.Hour)
	cadence := func(due time.Time) lead.Deadline {
		return lead.Deadline{Lead: "L-1", Kind: lead.DeadlineCadence, Due: due}
	}
	request := func(due time.Time) lead.Deadline {
		return lead.Deadline{Lead: "L-1", Kind: lead.DeadlineRequest, Due: due}
	}
	tests := []struct {
		name    string
		track   stage.Track
		request lead.Request
		want    []lead.Deadline
	}{
		{name: "a fresh lead has none", want: nil},
		{name: "T1 the cadence deadline while Untouched", track: untouched, want: []lead.Deadline{cadence(untouched.Due.Time())}},
		{name: "T3 the cadence deadline at Stage1", track: stage1, want: []lead.Deadline{cadence(stage1.Due.Time())}},
		{name: "A4 an open request while Untouched appears once, as the cadence's", track: untouched, request: open(untouched.Due.Time()),
			want: []lead.Deadline{cadence(untouched.Due.Time())}},
		{name: "A4 an open request mid-cadence, due first", track: stage1, request: open(early),
			want: []lead.Deadline{request(early), cadence(stage1.Due.Time())}},
		{name: "A4 an open request mid-cadence, due last", track: stage1, request: open(late),
			want: []lead.Deadline{cadence(stage1.Due.Time()), request(late)}},
		{name: "A4 an open request due with the cadence: cadence first", track: stage1, request: open(stage1.Due.Time()),
			want: []lead.Deadline{cadence(stage1.Due.Time()), request(stage1.Due.Time())}},
		{name: "A4 an open request with no cadence", request: open(early), want: []lead.Deadline{request(early)}},
		{name: "A4 an open request after a stop", track: stopped, request: open(early), want: []lead.Deadline{request(early)}},
		{name: "T8 T13 a fired cadence deadline is not pending; its repeated reminder is", track: fired, want: []lead.Deadline{cadence(firedNag)}},
		{name: "T13 a repeated reminder beside an open request", track: fired, request: open(late), want: []lead.Deadline{cadence(firedNag), request(late)}},
		{name: "T6 Connected has none", track: connected, want: nil},
		{name: "A4 an overdue request has fired", track: stage1, request: lead.Request{State: lead.RequestOverdue, Due: early},
			want: []lead.Deadline{cadence(stage1.Due.Time())}},
		{name: "a done request has none", track: stage1, request: lead.Request{State: lead.RequestDone, Due: early},
			want: []lead.Deadline{cadence(stage1.Due.Time())}},
		{name: "a cancelled request has none", request: lead.Request{State: lead.RequestCancelled, Due: early}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := lead.Lead{ID: "L-1", Track: tt.track, Request: tt.request}
			got := l.Deadlines(nil)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("Deadlines() = %v, want %v", got, tt.want)
			}
			if !slices.IsSortedFunc(got, func(a, b lead.Deadline) int {
				if a.Less(b) {
					return -1
				}
				if b.Less(a) {
					return 1
				}
				return 0
			}) {
				t.Errorf("Deadlines() = %v, not in due order (E5)", got)
			}
			// Deadlines appends: what dst held stays, first.
			prefix := lead.Deadline{Lead: "L-0", Kind: lead.DeadlineRequest, Due: late.Add(time.Hour)}
			dst := make([]lead.Deadline, 1, 4)
			dst[0] = prefix
			got = l.Deadlines(dst)
			if len(got) != 1+len(tt.want) || got[0] != prefix || !slices.Equal(got[1:], tt.want) {
				t.Errorf("Deadlines([%v]) = %v, want the prefix then %v", prefix, got, tt.want)
			}
		})
	}
}

func TestLead_Clone(t *testing.T) {
	t.Parallel()
	orig := lead.Lead{
		ID:      "L-1",
		Score:   decimal.NewFromInt(120),
		Passed:  []string{"rep-1", "rep-2"},
		Request: lead.Request{Reasons: "A1,A3"},
		Track:   trackAt(t, stage.Stage2),
	}
	orig.Responses = []lead.Touch{{Campaign: "uc", Kind: lead.ResponseAttended}}
	c := orig.Clone()
	if !slices.Equal(c.Passed, orig.Passed) || c.Request.Reasons != orig.Request.Reasons || c.Track != orig.Track || !c.Score.Equal(orig.Score) {
		t.Fatalf("Clone() = %+v, want a copy of %+v", c, orig)
	}
	c.Passed[0] = "mutated"
	c.Responses[0].Campaign = "mutated"
	c.Passed = append(c.Passed, "rep-3")
	c.Request.Reasons = c.Request.Reasons.Add("A2")
	c.Track.Stage = stage.Connected
	if orig.Passed[0] != "rep-1" || orig.Request.Reasons != "A1,A3" || len(orig.Passed) != 2 || orig.Responses[0].Campaign != "uc" {
		t.Errorf("mutating the clone changed the original: Passed %v, Reasons %v, Responses %v", orig.Passed, orig.Request.Reasons, orig.Responses)
	}
	if orig.Track.Stage != stage.Stage2 {
		t.Errorf("mutating the clone's track changed the original's to %v", orig.Track.Stage)
	}
	// Appending to the original must not show in the clone either.
	orig2 := lead.Lead{Passed: make([]string, 1, 8)}
	c2 := orig2.Clone()
	orig2.Passed = append(orig2.Passed, "x")
	c2.Passed = append(c2.Passed, "y")
	if orig2.Passed[1] != "x" {
		t.Errorf("the clone's append overwrote the original's backing array: %v", orig2.Passed)
	}
	if z := (lead.Lead{}).Clone(); z.Passed != nil || z.Responses != nil {
		t.Errorf("Clone of nil slices = %v, %v; want nil", z.Passed, z.Responses)
	}
}

func TestActivity_Summary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a    lead.Activity
		want string
	}{
		{"V1 no activity", lead.Activity{}, ""},
		{"V1 no activity ignores a topic", lead.Activity{LastTopic: "pricing.pdf"}, ""},
		{"V1 one inquiry", lead.Activity{Inquiries: 1}, "1 inquiry"},
		{"V1 inquiries and a download with the last topic", lead.Activity{Inquiries: 2, Downloads: 1, LastTopic: "pricing.pdf"}, "2 inquiries, 1 download; last: pricing.pdf"},
		{"V1 downloads only", lead.Activity{Downloads: 3, LastTopic: "case-study.pdf"}, "3 downloads; last: case-study.pdf"},
		{"V1 one of each, no topic", lead.Activity{Inquiries: 1, Downloads: 1}, "1 inquiry, 1 download"},
	}
	for _, tt := range tests {
		if got := tt.a.Summary(); got != tt.want {
			t.Errorf("%s: Summary(%+v) = %q, want %q", tt.name, tt.a, got, tt.want)
		}
	}
}

func TestChange_String(t *testing.T) {
	t.Parallel()
	at := requestedAt
	tests := []struct {
		name string
		c    lead.Change
		want string
	}{
		{"T9 rule and reason", lead.Change{Lead: "L-1", At: at, Actor: "rep-2", Field: lead.FieldStage, From: "untouched", To: "stage1", Rule: "T9", Reason: "late"},
			"L-1 stage untouched -> stage1 by rep-2 (T9: late)"},
		{"rule only", lead.Change{Lead: "L-1", Actor: lead.ActorEngine, Field: lead.FieldStatus, From: "lead", To: "recycled", Rule: "T7"},
			"L-1 status lead -> recycled by leadline (T7)"},
		{"S1 a person's reason only", lead.Change{Lead: "L-1", Actor: "rep-1", Field: lead.FieldStatus, From: "new", To: "customer", Reason: "signed"},
			"L-1 status new -> customer by rep-1 (signed)"},
		{"empty from and to are dashes", lead.Change{Lead: "L-9", Actor: "web", Field: lead.FieldOwner}, "L-9 owner - -> - by web"},
		{"created", lead.Change{Lead: "L-2", Actor: "marketing", Field: lead.FieldLead, To: "new"}, "L-2 lead - -> new by marketing"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("%s: String() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestField_Text(t *testing.T) {
	t.Parallel()
	want := map[lead.Field]string{lead.FieldLead: "lead", lead.FieldStatus: "status", lead.FieldStage: "stage", lead.FieldOwner: "owner", lead.FieldRequest: "request",
		lead.FieldResponse: "response", lead.FieldRoute: "route", lead.FieldBANT: "bant", lead.FieldHandoff: "handoff", lead.FieldFeedback: "feedback",
		lead.FieldTrigger: "trigger", lead.FieldScore: "score", lead.FieldProfile: "profile"}
	for f, key := range want {
		b, err := f.MarshalText()
		if f.String() != key || err != nil || string(b) != key {
			t.Errorf("Field %d: String %q, MarshalText %q, %v; want %q", uint8(f), f.String(), b, err, key)
		}
		var got lead.Field
		if err := got.UnmarshalText([]byte(" " + key)); err != nil || got != f {
			t.Errorf("UnmarshalText(%q) = %v, %v", key, got, err)
		}
	}
	for _, f := range []lead.Field{0, 14} {
		_, err := f.MarshalText()
		wantFieldError(t, err, "field")
	}
	var got lead.Field
	wantFieldError(t, got.UnmarshalText([]byte("points")), "field")
}

func TestRequestState_Text(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s               lead.RequestState
		key             string
		wantOutstanding bool
	}{
		{lead.RequestNone, "none", false},
		{lead.RequestOpen, "open", true},
		{lead.RequestDone, "done", false},
		{lead.RequestOverdue, "overdue", true},
		{lead.RequestCancelled, "cancelled", false},
	}
	for _, tt := range tests {
		b, err := tt.s.MarshalText()
		if tt.s.String() != tt.key || err != nil || string(b) != tt.key {
			t.Errorf("RequestState %d: String %q, MarshalText %q, %v; want %q", uint8(tt.s), tt.s.String(), b, err, tt.key)
		}
		var got lead.RequestState = 99
		if err := got.UnmarshalText([]byte(fmt.Sprintf(" %s ", tt.key))); err != nil || got != tt.s {
			t.Errorf("UnmarshalText(%q) = %v, %v", tt.key, got, err)
		}
		r := lead.Request{State: tt.s}
		if got := r.Outstanding(); got != tt.wantOutstanding {
			t.Errorf("A6 Request{State: %v}.Outstanding() = %v, want %v", tt.s, got, tt.wantOutstanding)
		}
	}
	_, err := lead.RequestState(5).MarshalText()
	wantFieldError(t, err, "request.state")
	var got lead.RequestState
	wantFieldError(t, got.UnmarshalText([]byte("closed")), "request.state")
}

func TestDeadline_Key(t *testing.T) {
	t.Parallel()
	due := time.Date(2025, 4, 9, 9, 0, 0, 0, zoneJST)
	tests := []struct {
		d    lead.Deadline
		want string
	}{
		{lead.Deadline{Lead: "L-1", Kind: lead.DeadlineCadence, Due: due}, fmt.Sprintf("L-1/cadence/%d", due.UnixMicro())},
		{lead.Deadline{Lead: "L-1", Kind: lead.DeadlineRequest, Due: due}, fmt.Sprintf("L-1/request/%d", due.UnixMicro())},
	}
	for _, tt := range tests {
		if got := tt.d.Key(); got != tt.want {
			t.Errorf("Key(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	// E4: the key names the instant, not its zone.
	utc := lead.Deadline{Lead: "L-1", Kind: lead.DeadlineCadence, Due: due.UTC()}
	if utc.Key() != tests[0].d.Key() {
		t.Errorf("Key depends on the zone: %q vs %q", utc.Key(), tests[0].d.Key())
	}
	// Keys count microseconds, the precision every store keeps.
	moved := tests[0].d
	moved.Due = due.Add(time.Microsecond)
	if moved.Key() == tests[0].d.Key() {
		t.Error("two deadlines a microsecond apart share a key")
	}
	if got := lead.DeadlineKind(9).String(); got != "deadline(9)" {
		t.Errorf("DeadlineKind(9).String() = %q", got)
	}
}

func TestDeadline_Less(t *testing.T) {
	t.Parallel()
	due := time.Date(2025, 4, 9, 9, 0, 0, 0, zoneJST)
	d := func(l string, k lead.DeadlineKind, at time.Time) lead.Deadline {
		return lead.Deadline{Lead: l, Kind: k, Due: at}
	}
	tests := []struct {
		name string
		a, b lead.Deadline
		want bool
	}{
		{"E5 earlier due first", d("L-9", lead.DeadlineRequest, due), d("L-1", lead.DeadlineCadence, due.Add(time.Second)), true},
		{"E5 later due last", d("L-1", lead.DeadlineCadence, due.Add(time.Second)), d("L-9", lead.DeadlineRequest, due), false},
		{"same instant in another zone is a tie on due", d("L-1", lead.DeadlineCadence, due.UTC()), d("L-2", lead.DeadlineCadence, due), true},
		{"same due: by lead", d("L-1", lead.DeadlineRequest, due), d("L-2", lead.DeadlineCadence, due), true},
		{"same due and lead: cadence before request", d("L-1", lead.DeadlineCadence, due), d("L-1", lead.DeadlineRequest, due), true},
		{"same due and lead: request after cadence", d("L-1", lead.DeadlineRequest, due), d("L-1", lead.DeadlineCadence, due), false},
		{"equal is not less", d("L-1", lead.DeadlineCadence, due), d("L-1", lead.DeadlineCadence, due), false},
	}
	for _, tt := range tests {
		if got := tt.a.Less(tt.b); got != tt.want {
			t.Errorf("%s: %v.Less(%v) = %v, want %v", tt.name, tt.a, tt.b, got, tt.want)
		}
	}
}

func TestRuleIDs(t *testing.T) {
	t.Parallel()
	r := lead.RuleIDsOf("A2", "A3", "A2", "", "A1")
	if r != "A2,A3,A1" || !r.Has("A3") || r.Has("A") || r.Has("") || r.First() != "A2" {
		t.Fatalf("RuleIDsOf = %q (Has A3 %v, First %q)", r, r.Has("A3"), r.First())
	}
	if got := r.List(); !slices.Equal(got, []string{"A2", "A3", "A1"}) {
		t.Fatalf("List() = %v", got)
	}
	if r.Add("A3") != r || lead.RuleIDs("").Add("A5") != "A5" || lead.RuleIDs("").List() != nil {
		t.Fatal("Add or List of the edge cases")
	}
	b, err := json.Marshal(r)
	if err != nil || string(b) != `["A2","A3","A1"]` {
		t.Fatalf("MarshalJSON = %s, %v", b, err)
	}
	var back lead.RuleIDs
	if err := json.Unmarshal(b, &back); err != nil || back != r {
		t.Fatalf("UnmarshalJSON = %q, %v", back, err)
	}
	for _, bad := range []string{`["A1,A2"]`, `[""]`, `"A1"`} {
		if err := json.Unmarshal([]byte(bad), &back); !errors.Is(err, leaderr.ErrInvalid) {
			t.Errorf("UnmarshalJSON(%s) = %v, want leaderr.ErrInvalid", bad, err)
		}
	}
	if b, _ := json.Marshal(lead.RuleIDs("")); string(b) != "[]" {
		t.Errorf("MarshalJSON(empty) = %s, want []", b)
	}
}
