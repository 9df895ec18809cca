package lead_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// fullLead returns a lead with every field set, as a host would serve it.
func fullLead() lead.Lead {
	at := func(day, h, m int) time.Time { return time.Date(2025, 4, day, h, m, 0, 0, zoneJST) }
	ins := func(day, h, m int) stage.Instant { return stage.InstantOf(at(day, h, m)) }
	return lead.Lead{
		ID:      "L-1",
		Version: 7,
		Profile: lead.Profile{Company: "Acme KK", Name: "Sato Hanako", Email: "sato@example.com", Source: "web",
			MASystem: "marketo", Account: "acct-9", Target: true},
		Status:       lead.StatusLead,
		Score:        decimal.RequireFromString("120.50"),
		Owner:        "rep-b",
		AccountOwned: true,
		Passed:       []string{"rep-a"},
		Created:      at(7, 9, 0),
		Updated:      at(10, 15, 30),
		Track: stage.Track{
			Stage:         stage.Stage2,
			Late:          stage.StageSetOf(stage.Stage2),
			Missed:        stage.StageSetOf(stage.Stage1),
			Reassignments: 1,
			Cadence:       1,
			Started:       ins(7, 9, 0),
			Reached:       stage.Reached{ins(9, 10, 0), ins(11, 11, 0)},
			Due:           ins(13, 11, 0),
		},
		Request: lead.Request{Seq: 1, State: lead.RequestDone, Priority: 1, Reasons: lead.RuleIDsOf("A2", "A1"),
			Subject: "inquiry; inquiry as an MQL", Opened: at(7, 9, 0), Due: at(9, 9, 0), Closed: at(9, 10, 0)},
		Activity:  lead.Activity{Inquiries: 2, Downloads: 1, Last: at(8, 14, 0), LastTopic: "pricing.pdf"},
		Desk:      lead.DeskField,
		Responses: []lead.Touch{{Campaign: "uc-2026", Kind: lead.ResponseMet, At: at(8, 16, 0), By: "field-1"}},
		BANT:      lead.BANT{Budget: "5M yen", Authority: "IT director", Need: "routing rules", Timeline: "this quarter"},
		Handoff:   lead.HandoffPreSQL,
		HandedBy:  "rep-b",
		HandedTo:  "field-1",
		Feedback: lead.Feedback{Target: true, State: lead.InProgress, Opportunity: lead.OutcomeYes,
			Comment: "demo booked", By: "field-1", At: at(10, 15, 30)},
	}
}

// TestLead_JSON_golden checks the JSON a host serves for a lead: snake_case
// names, enums by key, times in RFC 3339 (testdata/lead.json.golden;
// rewrite with go test ./lead -run TestLead_JSON_golden -update).
func TestLead_JSON_golden(t *testing.T) {
	t.Parallel()
	got, err := json.MarshalIndent(fullLead(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "lead.json.golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("json.Marshal(Lead) =\n%s\nwant (%s)\n%s", got, path, want)
	}
}

// TestLead_JSON_roundTrip marshals a full lead and reads it back: times
// compare with Equal and scores with Equal, the rest must be identical.
func TestLead_JSON_roundTrip(t *testing.T) {
	t.Parallel()
	for _, in := range []lead.Lead{fullLead(), {ID: "L-0"}} {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var out lead.Lead
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("json.Unmarshal(%s): %v", b, err)
		}
		if !out.Score.Equal(in.Score) {
			t.Errorf("round trip score = %v, want %v", out.Score, in.Score)
		}
		times := func(l *lead.Lead) []*time.Time {
			ts := []*time.Time{&l.Created, &l.Updated, &l.Request.Opened, &l.Request.Due, &l.Request.Closed,
				&l.Activity.Last, &l.Feedback.At}
			for i := range l.Responses {
				ts = append(ts, &l.Responses[i].At)
			}
			return ts
		}
		wantTimes, gotTimes := times(&in), times(&out)
		if len(gotTimes) != len(wantTimes) {
			t.Fatalf("round trip has %d times, want %d: %s", len(gotTimes), len(wantTimes), b)
		}
		for i := range wantTimes {
			if !gotTimes[i].Equal(*wantTimes[i]) {
				t.Errorf("round trip time %d = %v, want %v", i, *gotTimes[i], *wantTimes[i])
			}
			*gotTimes[i], *wantTimes[i] = time.Time{}, time.Time{}
		}
		out.Score, in.Score = decimal.Decimal{}, decimal.Decimal{}
		if !reflect.DeepEqual(out, in) {
			t.Errorf("round trip =\n%+v\nwant\n%+v\n(JSON %s)", out, in, b)
		}
	}
}

// zeroTime matches what a zero time.Time or a zero stage.Instant would
// look like if it leaked into JSON: year 1, or the Unix epoch.
var zeroTime = regexp.MustCompile(`0001-01-01|1970-01-01`)

// TestJSON_zeroTimesOmitted checks that no type a host serves writes a zero
// time as "0001-01-01T00:00:00Z" or an instant as a number.
func TestJSON_zeroTimesOmitted(t *testing.T) {
	t.Parallel()
	for _, v := range []any{
		lead.Lead{}, lead.Lead{ID: "L-1", Track: stage.Track{Cadence: 1, Stage: stage.Stage1}},
		lead.Request{}, lead.Activity{}, lead.Touch{Kind: lead.ResponseMet}, lead.Feedback{}, lead.Change{Field: lead.FieldStatus}, lead.Deadline{Kind: lead.DeadlineCadence},
		lead.Event{ID: "ev-1", Kind: lead.EventInquiry}, stage.Track{}, stage.Reached{},
	} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Errorf("json.Marshal(%T) = %v", v, err)
			continue
		}
		if zeroTime.Match(b) {
			t.Errorf("json.Marshal(%T{}) = %s, has a zero time", v, b)
		}
	}
	b, err := json.Marshal(stage.Track{Started: stage.InstantOf(time.Date(2025, 4, 7, 0, 0, 0, 0, time.UTC))})
	if err != nil || !bytes.Contains(b, []byte(`"started":"2025-04-07T00:00:00Z"`)) {
		t.Errorf("json.Marshal(Track) = %s, %v, want started as an RFC 3339 time", b, err)
	}
}

func TestDeadline_JSON(t *testing.T) {
	t.Parallel()
	d := lead.Deadline{Lead: "L-1", Kind: lead.DeadlineRequest, Due: time.Date(2025, 4, 9, 9, 0, 0, 0, time.UTC)}
	b, err := json.Marshal(d)
	if err != nil || string(b) != `{"lead":"L-1","kind":"request","due":"2025-04-09T09:00:00Z"}` {
		t.Errorf("json.Marshal(%+v) = %s, %v", d, b, err)
	}
	var back lead.Deadline
	if err := json.Unmarshal(b, &back); err != nil || back.Kind != d.Kind || !back.Due.Equal(d.Due) || back.Lead != d.Lead {
		t.Errorf("round trip = %+v, %v; want %+v", back, err, d)
	}
	if err := json.Unmarshal([]byte(`{"kind":"later"}`), &back); err == nil {
		t.Error(`json.Unmarshal({"kind":"later"}) = nil error, want one`)
	}
}
