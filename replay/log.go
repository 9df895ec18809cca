package replay

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
)

// bom is the UTF-8 byte-order mark Windows editors put before a file.
var bom = []byte("\xef\xbb\xbf")

// MaxLine is the longest line [ReadLog] reads, in bytes, not counting
// its line end ("\n" or "\r\n") or a byte-order mark: far above any
// event (a profile and a few answers), and low enough that a file that
// is not a log fails at once rather than filling memory.
const MaxLine = 1 << 20

// ReadLog reads an event log: JSON Lines, one [lead.Event] per line
// exactly as encoding/json marshals it (E2), in the order the events
// were handled. Blank lines, CRLF line ends and a byte-order mark
// before the first line (a log saved by a Windows editor) are skipped. Each event is yielded with a
// nil error; a line that is not an event yields a zero Event and a
// [*leaderr.FieldError] whose Line is the line's number, counting from
// 1, and whose Field names the bad field where it can ("kind", "at",
// "score"); reading goes on with the next line, so the caller decides
// whether one bad line stops the replay (the command's does). A field
// that lead.Event does not have is refused, not ignored (E9), and so is
// an event that [lead.Event.Validate] refuses (E6). A read error of r,
// or a line longer than [MaxLine], is yielded last, wrapped.
func ReadLog(r io.Reader) iter.Seq2[lead.Event, error] {
	return func(yield func(lead.Event, error) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		var long []byte // a line longer than the reader's buffer, being gathered
		var p lineParser
		for n := 1; ; n++ {
			line, err := br.ReadSlice('\n')
			for errors.Is(err, bufio.ErrBufferFull) {
				long = append(long, line...)
				// Stop gathering once the line cannot fit, whatever
				// its ending; the exact check is below.
				if len(long) > MaxLine+len(bom)+len("\r") {
					yield(lead.Event{}, tooLong(n))
					return
				}
				line, err = br.ReadSlice('\n')
			}
			if long != nil {
				line, long = append(long, line...), nil
			}
			if n == 1 {
				line = bytes.TrimPrefix(line, bom) // a log saved by a Windows editor
			}
			if lineLen(line) > MaxLine { // the last piece counts too
				yield(lead.Event{}, tooLong(n))
				return
			}
			if len(line) == 0 && err != nil {
				if err != io.EOF {
					yield(lead.Event{}, fmt.Errorf("replay: read event log after line %d: %w", n-1, err))
				}
				return
			}
			if len(bytes.TrimSpace(line)) > 0 {
				ev, perr := p.parse(line, n)
				if !yield(ev, perr) {
					return
				}
			}
			if err != nil {
				if err != io.EOF {
					yield(lead.Event{}, fmt.Errorf("replay: read event log after line %d: %w", n, err))
				}
				return
			}
		}
	}
}

// tooLong is the error for line n, longer than MaxLine.
func tooLong(n int) error {
	return &leaderr.FieldError{Field: "event", Line: n,
		Err: fmt.Errorf("line longer than %d bytes: not an event log", MaxLine)}
}

// lineLen is the length of line without its line end, "\n" or "\r\n".
func lineLen(line []byte) int {
	if b, ok := bytes.CutSuffix(line, []byte("\n")); ok {
		return len(bytes.TrimSuffix(b, []byte("\r")))
	}
	return len(line)
}

// lineParser decodes lines as events, strictly, with one json.Decoder
// fed a line at a time: a decoder per line would allocate its buffer
// again for every line, a third of a replay's reading. A decoder that
// failed keeps its error, so an error gets a fresh one.
type lineParser struct {
	feed lineFeed
	dec  *json.Decoder
	ev   lead.Event // decoded into, so that each line does not allocate one
	// in holds the values fastEvent interned.
	in interned
}

// lineFeed hands the decoder the current line, then io.EOF.
type lineFeed struct{ b []byte }

func (f *lineFeed) Read(p []byte) (int, error) {
	if len(f.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, f.b)
	f.b = f.b[n:]
	return n, nil
}

// parse decodes line n as an event.
func (p *lineParser) parse(line []byte, n int) (lead.Event, error) {
	p.ev = lead.Event{}
	if fastEvent(line, &p.ev, &p.in) {
		if err := p.ev.Validate(); err != nil {
			return lead.Event{}, lineError(n, err)
		}
		return p.ev, nil
	}
	if p.dec == nil {
		p.dec = json.NewDecoder(&p.feed)
		p.dec.DisallowUnknownFields()
	}
	p.feed.b = line
	ev, err := p.decode(line, n)
	if err != nil {
		p.dec = nil // it may hold an error or the rest of the line
	}
	return ev, err
}

func (p *lineParser) decode(line []byte, n int) (lead.Event, error) {
	p.ev = lead.Event{} // a map left from the last line must not be merged into
	if err := p.dec.Decode(&p.ev); err != nil {
		if f := badField(line); f != "" {
			return lead.Event{}, &leaderr.FieldError{Field: f, Line: n, Err: fmt.Errorf("not a lead.Event: %w", err)}
		}
		return lead.Event{}, lineError(n, err)
	}
	if p.dec.More() {
		return lead.Event{}, &leaderr.FieldError{Field: "event", Line: n, Err: errors.New("more than one JSON value on the line: write one event per line")}
	}
	if err := p.ev.Validate(); err != nil {
		return lead.Event{}, lineError(n, err)
	}
	return p.ev, nil
}

// badField finds the field of a line that does not decode: the first,
// in name order, that fails alone. Only a refused line pays for it.
func badField(line []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(line, &m) != nil {
		return ""
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		one, _ := json.Marshal(map[string]json.RawMessage{k: m[k]})
		dec := json.NewDecoder(bytes.NewReader(one))
		dec.DisallowUnknownFields()
		var ev lead.Event
		if dec.Decode(&ev) != nil {
			return k
		}
	}
	return ""
}

// lineError turns a decoding or validation error into a FieldError
// naming line n and, where it can, the field.
func lineError(n int, err error) error {
	if fe, ok := errors.AsType[*leaderr.FieldError](err); ok {
		return &leaderr.FieldError{Field: fe.Field, Line: n, Err: fe.Err}
	}
	field := "event"
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && te.Field != "" {
		field = te.Field
	}
	return &leaderr.FieldError{Field: field, Line: n, Err: fmt.Errorf("not a lead.Event: %w", err)}
}

// WriteLog writes events as an event log [ReadLog] reads: each one as
// json.Marshal writes it, on a line of its own, in order. It stops at
// the first error, which names the event.
func WriteLog(w io.Writer, events iter.Seq[lead.Event]) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw) // writes what json.Marshal does, and a newline
	for ev := range events {
		if err := enc.Encode(&ev); err != nil {
			return fmt.Errorf("replay: write event %s: %w", ev.ID, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("replay: write event log: %w", err)
	}
	return nil
}
