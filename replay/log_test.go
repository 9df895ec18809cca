package replay_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/replay"
)

func TestReadLog(t *testing.T) {
	t.Parallel()
	good := `{"id":"e1","kind":"created","lead":"L-1","at":"2026-04-06T09:00:00+09:00","score":"120"}`
	tests := []struct {
		name      string
		in        string
		wantIDs   []string
		wantLine  int    // line of the first error, 0 for none
		wantField string // its field
	}{
		{"one event per line (E2)", good + "\n" + strings.Replace(good, `"e1"`, `"e2"`, 1) + "\n", []string{"e1", "e2"}, 0, ""},
		{"no final newline", good, []string{"e1"}, 0, ""},
		{"blank lines and CRLF skipped", "\r\n" + good + "\r\n\n", []string{"e1"}, 0, ""},
		{"a byte-order mark from a Windows editor", "\ufeff" + good + "\r\n", []string{"e1"}, 0, ""},
		{"an unknown field is refused, not ignored (E9)", good + "\n" + `{"id":"e2","kind":"inquiry","lead":"L-1","scroe":"1"}`, []string{"e1"}, 2, "scroe"},
		{"an unknown kind names the field (E6)", `{"id":"e1","kind":"fax","lead":"L-1"}`, nil, 1, "kind"},
		{"a bad score names the field (E7)", "\n\n" + `{"id":"e1","kind":"score_changed","lead":"L-1","score":"abc"}`, nil, 3, "score"},
		{"an event without an id (E2)", `{"kind":"inquiry","lead":"L-1"}`, nil, 1, "id"},
		{"two values on a line", good + good, nil, 1, "event"},
		{"not JSON", "id,kind,lead\n", nil, 1, "event"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var ids []string
			var first error
			for ev, err := range replay.ReadLog(strings.NewReader(tc.in)) {
				if err != nil {
					if first == nil {
						first = err
					}
					continue
				}
				ids = append(ids, ev.ID)
			}
			if !slices.Equal(ids, tc.wantIDs) {
				t.Errorf("ReadLog read ids %v, want %v", ids, tc.wantIDs)
			}
			if tc.wantLine == 0 {
				if first != nil {
					t.Fatalf("ReadLog: unexpected error %v", first)
				}
				return
			}
			fe, ok := errors.AsType[*leaderr.FieldError](first)
			if !ok {
				t.Fatalf("ReadLog error = %v, want a *FieldError", first)
			}
			if fe.Line != tc.wantLine || fe.Field != tc.wantField {
				t.Errorf("ReadLog error at line %d field %q (%v), want line %d field %q", fe.Line, fe.Field, fe, tc.wantLine, tc.wantField)
			}
		})
	}
}

func TestReadLog_tooLong(t *testing.T) {
	t.Parallel()
	in := strings.Repeat("x", replay.MaxLine+10)
	n := 0
	for _, err := range replay.ReadLog(strings.NewReader(in)) {
		n++
		if fe, ok := errors.AsType[*leaderr.FieldError](err); !ok || fe.Line != 1 {
			t.Fatalf("ReadLog of an overlong line: %v, want a FieldError for line 1", err)
		}
	}
	if n != 1 {
		t.Fatalf("ReadLog yielded %d times, want once", n)
	}
}

// TestReadLog_maxLine checks the bound at the byte: an event of MaxLine
// bytes is read, whatever its line end, and one byte more is refused,
// however the reader's buffer cut the line.
func TestReadLog_maxLine(t *testing.T) {
	t.Parallel()
	good := `{"id":"e1","kind":"created","lead":"L-1","at":"2026-04-06T09:00:00Z"}`
	first := `{"id":"e0","kind":"created","lead":"L-0","at":"2026-04-06T08:00:00Z"}` + "\n"
	// event returns good padded with spaces inside the object to n bytes.
	event := func(n int) string {
		return good[:len(good)-1] + strings.Repeat(" ", n-len(good)) + "}"
	}
	for _, end := range []string{"", "\n", "\r\n"} {
		for _, pre := range []string{"", "\ufeff", first} {
			in := pre + event(replay.MaxLine) + end
			var ids []string
			for ev, err := range replay.ReadLog(strings.NewReader(in)) {
				if err != nil {
					t.Fatalf("ReadLog of a line of MaxLine bytes (before it %q, end %q): %v", pre, end, err)
				}
				ids = append(ids, ev.ID)
			}
			if want := map[bool][]string{false: {"e1"}, true: {"e0", "e1"}}[pre == first]; !slices.Equal(ids, want) {
				t.Errorf("ReadLog of a line of MaxLine bytes (before it %q, end %q) read %v, want %v", pre, end, ids, want)
			}

			in = pre + event(replay.MaxLine+1) + end
			wantLine := map[bool]int{false: 1, true: 2}[pre == first]
			var errs []error
			for _, err := range replay.ReadLog(strings.NewReader(in)) {
				if err != nil {
					errs = append(errs, err)
				}
			}
			if len(errs) != 1 {
				t.Fatalf("ReadLog of a line of MaxLine+1 bytes (before it %q, end %q): errors %v, want one", pre, end, errs)
			}
			fe, ok := errors.AsType[*leaderr.FieldError](errs[0])
			if !ok || fe.Line != wantLine || !strings.Contains(fe.Error(), "line longer than 1048576 bytes") {
				t.Errorf("ReadLog of a line of MaxLine+1 bytes (before it %q, end %q): %v, want line %d longer than 1048576 bytes", pre, end, errs[0], wantLine)
			}
		}
	}
}

func TestWriteLog_roundTrip(t *testing.T) {
	t.Parallel()
	evs := slices.Collect(synth(2000, 3))
	var buf bytes.Buffer
	if err := replay.WriteLog(&buf, slices.Values(evs)); err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.SplitAfter(buf.String(), "\n")[:len(evs)] {
		b, _ := json.Marshal(evs[i])
		if line != string(b)+"\n" {
			t.Fatalf("line %d is not the event as json.Marshal writes it:\n got %s\nwant %s", i+1, line, b)
		}
	}
	var back []lead.Event
	for ev, err := range replay.ReadLog(&buf) {
		if err != nil {
			t.Fatal(err)
		}
		back = append(back, ev)
	}
	if len(back) != len(evs) {
		t.Fatalf("read %d events back, wrote %d", len(back), len(evs))
	}
	for i := range evs {
		a, _ := json.Marshal(evs[i])
		b, _ := json.Marshal(back[i])
		if !bytes.Equal(a, b) {
			t.Fatalf("event %d changed on the round trip:\nwrote %s\n read %s", i, a, b)
		}
	}
}

// FuzzReadLog feeds ReadLog anything: it never panics, every error it
// yields is a FieldError naming a line (or a read error), and what it
// reads it writes back and reads again unchanged.
func FuzzReadLog(f *testing.F) {
	f.Add([]byte(`{"id":"e1","kind":"created","lead":"L-1","at":"2026-04-06T09:00:00+09:00","score":"120"}` + "\n"))
	f.Add([]byte(`{"id":"e2","kind":"outbound","lead":"L-1","at":"2026-04-06T10:00:00Z","actor":"rep-1","channels":"call,email","score":"0"}`))
	f.Add([]byte("\n\r\n{}\n"))
	f.Add([]byte(`{"id":"x","kind":"status_set","lead":"L-1","status":"recycled","reason":"様子見"}`))
	f.Add([]byte(`{"id":"x","kind":"inquiry","lead":"L-1"}{"id":"y"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var evs []lead.Event
		for ev, err := range replay.ReadLog(bytes.NewReader(in)) {
			if err != nil {
				if fe, ok := errors.AsType[*leaderr.FieldError](err); !ok || fe.Line < 1 {
					t.Fatalf("error %v is not a FieldError with a line", err)
				}
				continue
			}
			evs = append(evs, ev)
		}
		var buf bytes.Buffer
		if err := replay.WriteLog(&buf, slices.Values(evs)); err != nil {
			t.Fatalf("WriteLog of events ReadLog read: %v", err)
		}
		i := 0
		for ev, err := range replay.ReadLog(&buf) {
			if err != nil {
				t.Fatalf("ReadLog of what WriteLog wrote: %v\n%s", err, buf.String())
			}
			a, _ := json.Marshal(evs[i])
			b, _ := json.Marshal(ev)
			if !bytes.Equal(a, b) {
				t.Fatalf("round trip changed event %d:\n%s\n%s", i, a, b)
			}
			i++
		}
		if i != len(evs) {
			t.Fatalf("read back %d events, wrote %d", i, len(evs))
		}
	})
}
