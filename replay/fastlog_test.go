package replay

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// slowParse decodes line n as ReadLog did before fastEvent: with
// encoding/json alone.
func slowParse(line []byte, n int) (lead.Event, error) {
	var p lineParser
	p.dec = json.NewDecoder(&p.feed)
	p.dec.DisallowUnknownFields()
	p.feed.b = line
	return p.decode(line, n)
}

// TestFastEvent_sameAsJSON checks that a line reads the same with the
// fast path as with encoding/json alone (E2): the same event,
// or the same error, for the lines json.Marshal writes and for those
// lines broken a byte at a time.
func TestFastEvent_sameAsJSON(t *testing.T) {
	texts := []string{"", "rep-1", "marketing", "the address bounces", `a "quoted" reason`, "様子見", "tab\there",
		"bad \xff utf8", "pricing", "L-1", "call,email", "Acme KK"}
	str := rapid.SampledFrom(texts)
	rapid.Check(t, func(t *rapid.T) {
		ev := lead.Event{
			ID:       rapid.SampledFrom([]string{"", "e-1", "syn-00000001", `e"2`}).Draw(t, "id"),
			Kind:     lead.EventKind(rapid.IntRange(0, 17).Draw(t, "kind")),
			Lead:     rapid.SampledFrom([]string{"", "L-1", "S-0000048"}).Draw(t, "lead"),
			Actor:    str.Draw(t, "actor"),
			Channels: stage.Channels(rapid.IntRange(0, 15).Draw(t, "channels")),
			Status:   lead.Status(rapid.IntRange(0, 9).Draw(t, "status")),
			Reason:   str.Draw(t, "reason"),
			Topic:    str.Draw(t, "topic"),
			Owner:    str.Draw(t, "owner"),
			Campaign: str.Draw(t, "campaign"),
			Response: lead.ResponseKind(rapid.IntRange(0, 6).Draw(t, "response")),
			To:       str.Draw(t, "to"),
			Profile:  lead.Profile{Company: str.Draw(t, "company"), Source: str.Draw(t, "source"), Name: str.Draw(t, "name")},
		}
		if rapid.Bool().Draw(t, "has at") {
			ev.At = time.Date(2026, 3, 2, 9, 0, 0, rapid.IntRange(0, 999_999_999).Draw(t, "ns"), time.FixedZone("", 9*3600*rapid.IntRange(0, 1).Draw(t, "zone")))
		}
		ev.Score = decimal.New(rapid.Int64Range(-20_000, 20_000).Draw(t, "score"), -int32(rapid.IntRange(0, 3).Draw(t, "exp")))
		if rapid.Bool().Draw(t, "target") {
			ev.Profile.Target = true
		}
		if rapid.Bool().Draw(t, "answers") {
			ev.Answers = map[string]string{"q": str.Draw(t, "answer")}
		}
		line, err := json.Marshal(ev)
		if err != nil {
			t.Skip("not marshalable")
		}
		for range rapid.IntRange(0, 3).Draw(t, "edits") {
			i := rapid.IntRange(0, len(line)).Draw(t, "at")
			switch rapid.IntRange(0, 2).Draw(t, "edit") {
			case 0: // insert a byte
				c := rapid.SampledFrom([]byte(`{}[]",:\ 1aKZ`+"\t\xff\n")).Draw(t, "byte")
				line = append(line[:i:i], append([]byte{c}, line[i:]...)...)
			case 1: // delete one
				if i < len(line) {
					line = append(line[:i:i], line[i+1:]...)
				}
			case 2: // repeat the rest: duplicate keys, a second value
				line = append(line[:len(line):len(line)], line[i:]...)
			}
		}
		if rapid.Bool().Draw(t, "crlf") {
			line = append(line, '\r', '\n')
		}
		// What fastEvent takes, encoding/json decodes to the same event.
		var fast, slow lead.Event
		if fastEvent(line, &fast, &interned{}) {
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&slow); err != nil || dec.More() {
				t.Fatalf("line %q: fastEvent took it, encoding/json refuses it: %v", line, err)
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("line %q:\nfastEvent     %+v\nencoding/json %+v", line, fast, slow)
			}
		}
		// And ReadLog's parsing reads the same event or error either way.
		var p lineParser
		got, gerr := p.parse(line, 7)
		want, werr := slowParse(line, 7)
		if (gerr == nil) != (werr == nil) || (gerr != nil && gerr.Error() != werr.Error()) {
			t.Fatalf("line %q:\nfast path error %v\nencoding/json  %v", line, gerr, werr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("line %q:\nfast path %+v\nencoding/json %+v", line, got, want)
		}
		// A second time, from what the parser interned.
		if again, _ := p.parse(line, 7); !reflect.DeepEqual(again, want) {
			t.Fatalf("line %q read again:\nfast path %+v\nencoding/json %+v", line, again, want)
		}
	})
}

// TestFastEvent_takesWhatMarshalWrites checks that the lines of a
// synthetic log, as WriteLog writes them, take the fast path: without
// it the reading would be correct but slow.
func TestFastEvent_takesWhatMarshalWrites(t *testing.T) {
	lines := []string{
		`{"id":"syn-00000001","kind":"created","lead":"S-0000001","at":"2026-03-02T09:00:00Z","actor":"marketing","score":"51.27","profile":{"company":"Umbrella Chemicals KK","source":"seminar"}}`,
		`{"id":"syn-00000125","kind":"outbound","lead":"S-0000048","at":"2026-03-02T16:51:49.231664802Z","actor":"rep-4","score":"0","channels":"call,email,voicemail"}`,
		`{"id":"syn-00000237","kind":"status_set","lead":"S-0000038","at":"2026-03-02T23:00:53.124180301+09:00","actor":"rep-5","score":"0","status":"disqualified_mktg","reason":"the address bounces"}`,
		`{"id":"syn-00000009","kind":"inquiry","lead":"S-0000003","at":"2026-03-02T09:57:20.228252943Z","actor":"marketing","score":"0","topic":"pricing"}`,
	}
	var in interned
	for _, l := range lines {
		var ev lead.Event
		if !fastEvent([]byte(l+"\n"), &ev, &in) {
			t.Errorf("fastEvent refused %s", l)
		}
	}
}
