package postgres

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
)

// sameJSON fails t unless app (appendLead or appendNote) appends what
// json.Marshal writes for v, or, where json.Marshal fails, leaves v to it
// (errSlowPath); and unless enc (encodeLead or encodeNote), which falls
// back to json.Marshal, does the same, error included.
func sameJSON(t interface {
	Helper()
	Fatalf(string, ...any)
}, v any, app, enc func([]byte) ([]byte, error)) {
	t.Helper()
	want, werr := json.Marshal(v)
	prefix := []byte("prefix:") // what the buffer held before is kept
	got, gerr := app(append([]byte(nil), prefix...))
	switch {
	case werr != nil && !errors.Is(gerr, errSlowPath):
		t.Fatalf("appended %s, %v; want errSlowPath where json.Marshal fails: %v", got, gerr, werr)
	case werr == nil && gerr != nil:
		t.Fatalf("error %v; json.Marshal wrote %s", gerr, want)
	case werr == nil && (!bytes.HasPrefix(got, prefix) || !bytes.Equal(got[len(prefix):], want)):
		t.Fatalf("appended\n%s\njson.Marshal wrote\n%s", got, append(prefix, want...))
	}
	got, gerr = enc(append([]byte(nil), prefix...))
	if (werr != nil) != (gerr != nil) || werr == nil && !bytes.Equal(got[len(prefix):], want) || !bytes.HasPrefix(got, prefix) {
		t.Fatalf("encoded %s, %v; json.Marshal wrote %s, %v", got, gerr, want, werr)
	}
}

// enum draws a value of an enumeration: nine times in ten one its
// MarshalText accepts, else any byte, which json.Marshal may refuse.
func enum[T encoding.TextMarshaler](t *rapid.T, valid bool, label string, of func(uint8) T) T {
	if !valid && rapid.IntRange(0, 9).Draw(t, label+" any") == 0 {
		return of(rapid.Uint8().Draw(t, label))
	}
	var ok []uint8
	for i := range 256 {
		if _, err := of(uint8(i)).MarshalText(); err == nil {
			ok = append(ok, uint8(i))
		}
	}
	return of(rapid.SampledFrom(ok).Draw(t, label))
}

// texts draws strings that exercise the quoting: HTML characters,
// control characters, quotes and backslashes, Japanese, U+2028 and
// invalid UTF-8.
func texts() *rapid.Generator[string] {
	return rapid.OneOf(
		rapid.SampledFrom([]string{"", "rep-a", "山田 花子", "<b>&amp;</b>", "a\"b\\c", "\x00\x01\b\f\n\r\t\x1f\x7f", "\u2028\u2029", "\xff\xfe", "é\xc3", "=HYPERLINK(\"x\")"}),
		rapid.String(),
		rapid.StringOf(rapid.Rune()),
	)
}

// times draws times in zones a team has, UTC, odd offsets (seconds, 24
// hours and more, which time refuses in JSON) and years past 9999; only
// only the ones JSON holds when valid.
func times(valid bool) *rapid.Generator[time.Time] {
	zones := []*time.Location{time.UTC, time.FixedZone("JST", 9*3600), time.FixedZone("west", -(3*3600 + 30*60)),
		time.FixedZone("odd", 5*3600+30*60+7), time.FixedZone("far", 25*3600)}
	return rapid.Custom(func(t *rapid.T) time.Time {
		if rapid.IntRange(0, 9).Draw(t, "zero") == 0 {
			return time.Time{}
		}
		if valid {
			zones = zones[:3]
		}
		sec := rapid.Int64Range(-1e10, 1e10).Draw(t, "sec")
		if !valid {
			sec = rapid.OneOf(rapid.Int64Range(-1e10, 1e10), rapid.Int64Range(-7e10, 3e11)).Draw(t, "sec")
		}
		nsec := rapid.SampledFrom([]int64{0, 1, 500_000_000, 999_999_999, 120_000}).Draw(t, "nsec")
		return time.Unix(sec, nsec).In(rapid.SampledFrom(zones).Draw(t, "zone"))
	})
}

func decimals() *rapid.Generator[decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		return decimal.New(rapid.Int64().Draw(t, "value"), int32(rapid.IntRange(-6, 3).Draw(t, "exp")))
	})
}

func instants() *rapid.Generator[stage.Instant] {
	return rapid.OneOf(rapid.Just(stage.Instant(0)), rapid.Custom(func(t *rapid.T) stage.Instant {
		return stage.Instant(rapid.Int64Range(-1e18, 1e18).Draw(t, "ns"))
	}))
}

// leads draws leads with every field set or left zero, enum values
// invalid ones included (json.Marshal refuses those, and so must the
// appender) unless valid, as are times JSON cannot hold.
func leads(valid bool) *rapid.Generator[lead.Lead] {
	u8 := func(t *rapid.T, label string, n int) uint8 {
		return uint8(rapid.IntRange(0, n).Draw(t, label))
	}
	return rapid.Custom(func(t *rapid.T) lead.Lead {
		s := texts()
		tm := times(valid)
		in := instants()
		l := lead.Lead{
			ID: s.Draw(t, "id"), Version: rapid.Int64().Draw(t, "version"),
			Profile: lead.Profile{Company: s.Draw(t, "company"), Name: s.Draw(t, "name"), Email: s.Draw(t, "email"),
				Source: s.Draw(t, "source"), MASystem: s.Draw(t, "ma"), Account: s.Draw(t, "account"), Target: rapid.Bool().Draw(t, "target")},
			Status: enum(t, valid, "status", func(v uint8) lead.Status { return lead.Status(v) }), Score: decimals().Draw(t, "score"), Owner: s.Draw(t, "owner"),
			AccountOwned: rapid.Bool().Draw(t, "owned"), Passed: rapid.SliceOfN(s, 0, 3).Draw(t, "passed"),
			Created: tm.Draw(t, "created"), Updated: tm.Draw(t, "updated"),
			Desk: enum(t, valid, "desk", func(v uint8) lead.Desk { return lead.Desk(v) }), HandedBy: s.Draw(t, "handedBy"), HandedTo: s.Draw(t, "handedTo"),
			Handoff: enum(t, valid, "handoff", func(v uint8) lead.Handoff { return lead.Handoff(v) }),
		}
		if rapid.Bool().Draw(t, "track") {
			l.Track = stage.Track{Stage: enum(t, valid, "stage", func(v uint8) stage.Stage { return stage.Stage(v) }), End: enum(t, valid, "end", func(v uint8) stage.End { return stage.End(v) }), Overdue: rapid.Bool().Draw(t, "overdue"),
				Late: enum(t, valid, "late", func(v uint8) stage.StageSet { return stage.StageSet(v) }), Missed: enum(t, valid, "missed", func(v uint8) stage.StageSet { return stage.StageSet(v) }),
				Reassignments: u8(t, "reassignments", 255), Nags: u8(t, "nags", 3), Nag: in.Draw(t, "nag"),
				Cadence: rapid.Uint32().Draw(t, "cadence"), Started: in.Draw(t, "started"),
				Reached: stage.Reached{in.Draw(t, "r1"), in.Draw(t, "r2"), in.Draw(t, "r3"), in.Draw(t, "r4")},
				Ended:   in.Draw(t, "ended"), Due: in.Draw(t, "due")}
		}
		if rapid.Bool().Draw(t, "request") {
			ids := rapid.SliceOfN(rapid.SampledFrom([]string{"A1", "A3", "A8", "<x>"}), 0, 3).Draw(t, "reasons")
			l.Request = lead.Request{Seq: rapid.Uint32().Draw(t, "seq"), State: enum(t, valid, "state", func(v uint8) lead.RequestState { return lead.RequestState(v) }),
				Priority: rapid.IntRange(-1, 9).Draw(t, "priority"), Reasons: lead.RuleIDsOf(ids...), Subject: s.Draw(t, "subject"),
				Opened: tm.Draw(t, "opened"), Due: tm.Draw(t, "due"), Closed: tm.Draw(t, "closed")}
		}
		if rapid.Bool().Draw(t, "activity") {
			l.Activity = lead.Activity{Inquiries: rapid.Int32().Draw(t, "inquiries"), Downloads: rapid.Int32().Draw(t, "downloads"),
				PageViews: rapid.Int32().Draw(t, "views"), Last: tm.Draw(t, "last"), LastTopic: s.Draw(t, "topic")}
		}
		for range rapid.IntRange(0, 3).Draw(t, "responses") {
			l.Responses = append(l.Responses, lead.Touch{Campaign: s.Draw(t, "campaign"), Kind: enum(t, valid, "kind", func(v uint8) lead.ResponseKind { return lead.ResponseKind(v) }),
				At: tm.Draw(t, "at"), By: s.Draw(t, "by")})
		}
		if rapid.Bool().Draw(t, "bant") {
			l.BANT = lead.BANT{Budget: s.Draw(t, "budget"), Authority: s.Draw(t, "authority"), Need: s.Draw(t, "need"), Timeline: s.Draw(t, "timeline")}
		}
		if rapid.Bool().Draw(t, "feedback") {
			l.Feedback = lead.Feedback{Target: rapid.Bool().Draw(t, "ftarget"), State: enum(t, valid, "fstate", func(v uint8) lead.FollowState { return lead.FollowState(v) }),
				Opportunity: enum(t, valid, "outcome", func(v uint8) lead.Outcome { return lead.Outcome(v) }), Comment: s.Draw(t, "comment"), By: s.Draw(t, "fby"), At: tm.Draw(t, "fat")}
		}
		if rapid.Bool().Draw(t, "jump") {
			l.Jump = lead.Jump{Day: s.Draw(t, "day"), Open: decimals().Draw(t, "open"), Fired: s.Draw(t, "fired")}
		}
		return l
	})
}

// TestAppendLeadJSON checks that a lead's appended JSON is json.Marshal's,
// byte for byte, errors included.
func TestAppendLeadJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := leads(false).Draw(t, "lead")
		sameJSON(t, &l, func(b []byte) ([]byte, error) { return appendLead(b, &l) }, func(b []byte) ([]byte, error) { return encodeLead(b, &l) })
	})
}

// TestAppendNoteJSON is TestAppendLeadJSON for notifications.
func TestAppendNoteJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := texts()
		n := leadline.Notification{Key: s.Draw(t, "key"), Kind: enum(t, false, "kind", func(v uint8) leadline.NotificationKind { return leadline.NotificationKind(v) }),
			Lead: s.Draw(t, "lead"), To: s.Draw(t, "to"), Rule: s.Draw(t, "rule"), At: times(false).Draw(t, "at"), Due: times(false).Draw(t, "due"),
			Stage: enum(t, false, "stage", func(v uint8) stage.Stage { return stage.Stage(v) }), Priority: rapid.Int().Draw(t, "priority"),
			Detail: s.Draw(t, "detail"), Note: s.Draw(t, "note"), Text: s.Draw(t, "text"), Attempts: rapid.Int().Draw(t, "attempts")}
		sameJSON(t, &n, func(b []byte) ([]byte, error) { return appendNote(b, &n) }, func(b []byte) ([]byte, error) { return encodeNote(b, &n) })
	})
}

// TestAppendJSON_everyField sets every field of a lead and of a
// notification, nested ones included, found by reflection: a field added
// to the types and not to the appenders fails here, whatever the
// generators above draw.
func TestAppendJSON_everyField(t *testing.T) {
	var l lead.Lead
	fill(t, reflect.ValueOf(&l).Elem())
	sameJSON(t, &l, func(b []byte) ([]byte, error) { return appendLead(b, &l) }, func(b []byte) ([]byte, error) { return encodeLead(b, &l) })
	var n leadline.Notification
	fill(t, reflect.ValueOf(&n).Elem())
	sameJSON(t, &n, func(b []byte) ([]byte, error) { return appendNote(b, &n) }, func(b []byte) ([]byte, error) { return encodeNote(b, &n) })
}

// fill sets v and everything in it to a value that is not zero and that
// the types' MarshalText accepts (1 for the enums).
func fill(t *testing.T, v reflect.Value) {
	switch v.Interface().(type) {
	case time.Time:
		v.Set(reflect.ValueOf(time.Date(2026, 4, 6, 9, 30, 0, 5, time.FixedZone("JST", 9*3600))))
		return
	case decimal.Decimal:
		v.Set(reflect.ValueOf(decimal.RequireFromString("12.5")))
		return
	case lead.RuleIDs:
		v.Set(reflect.ValueOf(lead.RuleIDsOf("A1", "A3")))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				t.Fatalf("%s has an unexported field %s: fill cannot set it", v.Type(), v.Type().Field(i).Name)
			}
			fill(t, v.Field(i))
		}
	case reflect.Array:
		for i := range v.Len() {
			fill(t, v.Index(i))
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i))
		}
		v.Set(s)
	case reflect.String:
		v.SetString("x<&>")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	default:
		t.Fatalf("fill: %s of kind %s", v.Type(), v.Kind())
	}
}

// BenchmarkEncodeLead compares the appender with json.Marshal on a lead
// in a running cadence with an open request.
func BenchmarkEncodeLead(b *testing.B) {
	at := time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)
	l := lead.Lead{ID: "L-0000700", Version: 3, Profile: lead.Profile{Company: "Example KK", Name: "山田 花子", Source: "web"},
		Status: lead.StatusLead, Score: decimal.New(100, 0), Owner: "rep-b", Passed: []string{"rep-40"}, Created: at, Updated: at,
		Track:   stage.Track{Stage: stage.Stage1, Cadence: 1, Started: stage.InstantOf(at), Reached: stage.Reached{stage.InstantOf(at)}, Due: stage.InstantOf(at.Add(48 * time.Hour))},
		Request: lead.Request{State: lead.RequestOpen, Due: at.Add(48 * time.Hour), Reasons: lead.RuleIDsOf("A1")}}
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(&l); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encodeLead", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			var err error
			if buf, err = encodeLead(buf[:0], &l); err != nil {
				b.Fatal(err)
			}
		}
	})
}
