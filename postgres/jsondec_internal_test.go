package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"pgregory.net/rapid"

	"github.com/leadline/leadline/lead"
)

// sameRead fails t unless readLead reads body as json.Unmarshal does
// whenever it reads it at all, and, if stored, reads it when it holds no
// escape: a body the store writes is read unless its text has quotes,
// HTML characters or control characters.
func sameRead(t interface {
	Helper()
	Fatalf(string, ...any)
}, body []byte, stored bool) {
	t.Helper()
	var fast lead.Lead
	ok := readLead(body, &fast)
	var want lead.Lead
	err := json.Unmarshal(body, &want)
	if !ok {
		if stored && err == nil && !bytes.Contains(body, []byte(`\`)) {
			t.Fatalf("readLead left to json.Unmarshal a body with no escape:\n%s", body)
		}
		return
	}
	if err != nil {
		t.Fatalf("readLead read what json.Unmarshal refuses (%v):\n%s", err, body)
	}
	if !reflect.DeepEqual(fast, want) {
		t.Fatalf("readLead read\n%+v\njson.Unmarshal\n%+v\nof\n%s", fast, want, body)
	}
}

// TestReadLead checks readLead against json.Unmarshal on the JSON
// json.Marshal writes of leads with every field drawn.
func TestReadLead(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := leads(true).Draw(t, "lead")
		body, err := json.Marshal(&l)
		if err != nil {
			t.Fatalf("json.Marshal refuses a valid lead: %v", err)
		}
		sameRead(t, body, true)
	})
}

// TestReadLead_jsonb checks readLead on the JSON PostgreSQL gives back
// of what the store writes: a jsonb's text, its keys reordered, its
// spaces and escapes its own.
func TestReadLead_jsonb(t *testing.T) {
	ctx := context.Background()
	pool := internalPool(t)
	rapid.Check(t, func(rt *rapid.T) {
		l := leads(true).Draw(rt, "lead")
		body, err := encodeLead(nil, &l)
		if err != nil {
			rt.Fatalf("a valid lead refused: %v", err)
		}
		var text string
		if err := pool.QueryRow(ctx, `SELECT $1::text::jsonb::text`, string(body)).Scan(&text); err != nil {
			// PostgreSQL text holds no NUL (\u0000), which the engine
			// refuses at its entry.
			if bytes.Contains(body, []byte(`\u0000`)) {
				rt.Skip("a NUL")
			}
			rt.Fatalf("jsonb of %s: %v", body, err)
		}
		sameRead(rt, []byte(text), true)
	})
}

// TestReadLead_edges checks readLead on the bodies where its reading
// and json.Unmarshal's could part: each is read as json.Unmarshal reads
// it, or left to it (see sameRead).
func TestReadLead_edges(t *testing.T) {
	for _, body := range []string{
		`{"id": "L-1", "version": 01}`,                  // a leading zero: not JSON
		`{"id": "L-1", "version": -0}`,                  //
		`{"id": "L-1", "version": 1e3}`,                 // an exponent in an integer
		`{"id": "L-1", "version": 1.0}`,                 //
		`{"id": "L-1", "version": -}`,                   //
		`{"id": "L-1", "version": 9223372036854775808}`, // out of range
		`{"id": "L-1", "track": {"nags": 256}}`,         //
		`{"id": "L-1", "track": {"nags": -1}}`,          //
		`{"id": "L-1", "track": {"reached": {"stage1": "2026-04-03T22:00:00Z"}, "reached": {"stage2": "2026-04-04T22:00:00Z"}}}`, // the second replaces the first
		`{"id": "L-1", "track": {"reached": {"stage1": "2026-04-03T22:00:00Z", "stage1": "2026-04-05T22:00:00Z"}}}`,
		`{"id": "L-1", "track": {"reached": {"untouched": "2026-04-03T22:00:00Z"}}}`,
		`{"id": "L-1", "track": {"stage": "stage1"}, "track": {"cadence": 2}}`, // the second merges into the first
		`{"id": "L-1", "passed": ["a", "b"], "passed": ["c"]}`,
		`{"id": "L-1", "passed": []}`,
		`{"id": "L-1", "passed": null}`,
		`{"id": "L-1", "responses": []}`,
		`{"id": "L-1", "ID": "L-2"}`,       // a key of another case
		`{"id": "L-1", "unknown": 1}`,      //
		`{"id": "L-1", "owner": "a\"b"}`,   // an escape
		`{"id": "L-1", "owner": "ÿ"}`,      // invalid UTF-8
		`{"id": "L-1", "owner": 1}`,        // a number for a string
		`{"id": "L-1", "target": "true"}`,  //
		`{"id": "L-1", "target": truex}`,   //
		`{"id": "L-1"} x`,                  // trailing data
		`{"id": "L-1",}`,                   //
		` {"id" : "L-1" , "owner":"a"} `,   // spaces anywhere
		`{"id": "L-1", "score": 12.5}`,     // a number for a decimal
		`{"id": "L-1", "score": "12.50"}`,  //
		`{"id": "L-1", "status": "bogus"}`, // an enumeration's own refusal
		`{"id": "L-1", "request": {"reasons": ["A1", "A1", "A3"]}}`,
		`{"id": "L-1", "request": {"reasons": ["A1,A3"]}}`,
		`{"id": "L-1", "request": {"reasons": [""]}}`,
		`{"id": "L-1", "request": {"reasons": []}}`,
		`{"id": "L-1", "created": "2026-04-04T07:00:00+09:00"}`,
		`{"id": "L-1", "created": "2026-04-04 07:00:00"}`,
		`{"id": "L-1", "track": {"due": ""}}`,
		`{}`, `[]`, `null`, ``, `{`,
	} {
		t.Run(body, func(t *testing.T) { sameRead(t, []byte(body), false) })
	}
}

// FuzzReadLead holds readLead to json.Unmarshal on any input: whatever
// it reads, json.Unmarshal reads the same.
func FuzzReadLead(f *testing.F) {
	f.Add([]byte(`{"id": "L-1", "desk": "inside", "name": "山田 花子", "owner": "rep-b", "score": "100", "track": {"due": "2026-04-09T00:02:00Z", "stage": "untouched", "missed": "stage1", "cadence": 1, "reached": {"stage1": "2026-04-03T22:00:00Z"}}, "passed": ["rep-40"], "status": "lead", "created": "2026-04-04T07:00:00+09:00", "request": {"due": "2026-04-09T09:02:00+09:00", "state": "open", "reasons": ["A1", "A3"]}, "version": 1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var fast lead.Lead
		if !readLead(body, &fast) {
			return
		}
		var want lead.Lead
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatalf("readLead read what json.Unmarshal refuses (%v): %q", err, body)
		}
		if !reflect.DeepEqual(fast, want) {
			t.Fatalf("readLead read\n%+v\njson.Unmarshal\n%+v\nof %q", fast, want, body)
		}
	})
}

// BenchmarkReadLead compares readLead with json.Unmarshal on a stored
// lead's body, as jsonb gives it back.
func BenchmarkReadLead(b *testing.B) {
	body := []byte(`{"id": "L-0000700", "desk": "inside", "name": "山田 花子", "owner": "rep-b", "score": "100", "track": {"due": "2026-04-09T00:02:00Z", "stage": "untouched", "missed": "stage1", "cadence": 1, "started": "2026-04-03T22:00:00Z", "reassignments": 1}, "passed": ["rep-40"], "source": "web", "status": "lead", "company": "Example KK", "created": "2026-04-04T07:00:00+09:00", "request": {"due": "2026-04-09T09:02:00+09:00", "state": "open"}, "updated": "2026-04-07T09:02:00+09:00", "version": 1}`)
	b.Run("json.Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var l lead.Lead
			if err := json.Unmarshal(body, &l); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("readLead", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var l lead.Lead
			if !readLead(body, &l) {
				b.Fatal("not read")
			}
		}
	})
}
