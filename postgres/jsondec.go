package postgres

import (
	"strconv"
	"unicode/utf8"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
)

// The JSON of a stored lead, read field by field: what json.Unmarshal
// reads, at a fraction of its cost. A sweep reads ten thousand leads and
// an event one; json.Unmarshal's reflection was the larger part of that
// read. The reader knows the bodies the store writes, as PostgreSQL's
// jsonb gives them back, and leaves everything else to json.Unmarshal:
// an escaped or invalid string, a null, an unknown or differently cased
// key, a number out of its field's range, a value a field's own decoder
// refuses. So the two always agree (FuzzReadLead holds them to it), and
// the rare body is only slower.

// jsonReader reads one JSON value from b, from i on; ok turns false at
// the first thing it leaves to json.Unmarshal, and stays false.
type jsonReader struct {
	b  []byte
	i  int
	ok bool
}

// readLead reads body into l as json.Unmarshal would, and reports
// whether it could; when it could not, l holds a part of the body and the
// caller decodes it again with json.Unmarshal, into a zero lead.
func readLead(body []byte, l *lead.Lead) bool {
	r := jsonReader{b: body, ok: true}
	r.object(func(k []byte) { r.leadField(k, l) })
	r.space()
	return r.ok && r.i == len(r.b)
}

func (r *jsonReader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// next skips space and reports whether the next byte is c, taking it if
// so.
func (r *jsonReader) next(c byte) bool {
	r.space()
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// object reads an object, calling field for each key with the reader at
// its value, which field reads.
func (r *jsonReader) object(field func(k []byte)) {
	if !r.ok || !r.next('{') {
		r.ok = false
		return
	}
	if r.next('}') {
		return
	}
	for r.ok {
		k, ok := r.raw()
		if !ok || !r.next(':') {
			r.ok = false
			return
		}
		field(k)
		if r.next(',') {
			continue
		}
		if !r.next('}') {
			r.ok = false
		}
		return
	}
}

// array reads an array, calling elem with the reader at each element.
func (r *jsonReader) array(elem func()) {
	if !r.ok || !r.next('[') {
		r.ok = false
		return
	}
	if r.next(']') {
		return
	}
	for r.ok {
		elem()
		if r.next(',') {
			continue
		}
		if !r.next(']') {
			r.ok = false
		}
		return
	}
}

// raw reads a string with no escape, valid UTF-8, and returns its bytes
// between the quotes.
func (r *jsonReader) raw() ([]byte, bool) {
	if !r.ok || !r.next('"') {
		r.ok = false
		return nil, false
	}
	start := r.i
	ascii := true
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			s := r.b[start:r.i]
			r.i++
			if !ascii && !utf8.Valid(s) {
				// json.Unmarshal puts U+FFFD for each invalid byte.
				r.ok = false
			}
			return s, r.ok
		case c == '\\' || c < 0x20:
			r.ok = false
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		r.i++
	}
	r.ok = false
	return nil, false
}

func (r *jsonReader) str() string {
	s, _ := r.raw()
	return string(s)
}

// quoted returns the string at the reader with its quotes, as a field's
// UnmarshalJSON takes it.
func (r *jsonReader) quoted() []byte {
	r.space()
	start := r.i
	if _, ok := r.raw(); !ok {
		return nil
	}
	return r.b[start:r.i]
}

func (r *jsonReader) boolean() bool {
	r.space()
	switch {
	case !r.ok:
	case r.i+4 <= len(r.b) && string(r.b[r.i:r.i+4]) == "true":
		r.i += 4
		return true
	case r.i+5 <= len(r.b) && string(r.b[r.i:r.i+5]) == "false":
		r.i += 5
		return false
	}
	r.ok = false
	return false
}

// integer reads a number json.Unmarshal puts in an integer field of
// bits bits, signed or not: digits and a sign only, in range.
func (r *jsonReader) integer(bits int, signed bool) int64 {
	r.space()
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	for r.i < len(r.b) && '0' <= r.b[r.i] && r.b[r.i] <= '9' {
		r.i++
	}
	digits := r.b[start:r.i]
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if !r.ok || len(digits) == 0 || digits[0] == '0' && len(digits) > 1 {
		r.ok = false // not a JSON number (no digit, a leading zero)
		return 0
	}
	if r.i < len(r.b) {
		if c := r.b[r.i]; c == '.' || c == 'e' || c == 'E' {
			r.ok = false // a fraction or an exponent: json.Unmarshal's to judge
			return 0
		}
	}
	s := string(r.b[start:r.i]) // the compiler does not copy for the parse
	if signed {
		v, err := strconv.ParseInt(s, 10, bits)
		r.ok = err == nil
		return v
	}
	v, err := strconv.ParseUint(s, 10, bits)
	r.ok = err == nil
	return int64(v)
}

// text reads a string into v with its UnmarshalText, as json.Unmarshal
// does for the enumerations.
func (r *jsonReader) text(v interface{ UnmarshalText([]byte) error }) {
	s, ok := r.raw()
	if ok && v.UnmarshalText(s) != nil {
		r.ok = false
	}
}

// json reads a string into v with its UnmarshalJSON, as json.Unmarshal
// does for times and decimals.
func (r *jsonReader) json(v interface{ UnmarshalJSON([]byte) error }) {
	if q := r.quoted(); r.ok && v.UnmarshalJSON(q) != nil {
		r.ok = false
	}
}

func (r *jsonReader) strings() []string {
	var ss []string
	r.array(func() { ss = append(ss, r.str()) })
	if ss == nil {
		ss = []string{} // json.Unmarshal's empty slice, not nil
	}
	return ss
}

func (r *jsonReader) leadField(k []byte, l *lead.Lead) {
	switch string(k) {
	case "id":
		l.ID = r.str()
	case "version":
		l.Version = r.integer(64, true)
	case "company":
		l.Company = r.str()
	case "name":
		l.Name = r.str()
	case "email":
		l.Email = r.str()
	case "source":
		l.Source = r.str()
	case "ma_system":
		l.MASystem = r.str()
	case "account":
		l.Account = r.str()
	case "target":
		l.Target = r.boolean()
	case "status":
		r.text(&l.Status)
	case "score":
		r.json(&l.Score)
	case "owner":
		l.Owner = r.str()
	case "account_owned":
		l.AccountOwned = r.boolean()
	case "passed":
		l.Passed = r.strings()
	case "created":
		r.json(&l.Created)
	case "updated":
		r.json(&l.Updated)
	case "track":
		r.object(func(k []byte) { r.trackField(k, &l.Track) })
	case "request":
		q := &l.Request
		r.object(func(k []byte) {
			switch string(k) {
			case "seq":
				q.Seq = uint32(r.integer(32, false))
			case "state":
				r.text(&q.State)
			case "priority":
				q.Priority = int(r.integer(strconv.IntSize, true))
			case "reasons":
				// An array of plain strings, given as it stands to
				// RuleIDs' own decoder, for its checks of each id.
				r.space()
				start := r.i
				r.strings()
				if r.ok && q.Reasons.UnmarshalJSON(r.b[start:r.i]) != nil {
					r.ok = false
				}
			case "subject":
				q.Subject = r.str()
			case "opened":
				r.json(&q.Opened)
			case "due":
				r.json(&q.Due)
			case "closed":
				r.json(&q.Closed)
			default:
				r.ok = false
			}
		})
	case "activity":
		a := &l.Activity
		r.object(func(k []byte) {
			switch string(k) {
			case "inquiries":
				a.Inquiries = int32(r.integer(32, true))
			case "downloads":
				a.Downloads = int32(r.integer(32, true))
			case "page_views":
				a.PageViews = int32(r.integer(32, true))
			case "last":
				r.json(&a.Last)
			case "last_topic":
				a.LastTopic = r.str()
			default:
				r.ok = false
			}
		})
	case "desk":
		r.text(&l.Desk)
	case "responses":
		var ts []lead.Touch
		r.array(func() {
			var t lead.Touch
			r.object(func(k []byte) {
				switch string(k) {
				case "campaign":
					t.Campaign = r.str()
				case "kind":
					r.text(&t.Kind)
				case "at":
					r.json(&t.At)
				case "by":
					t.By = r.str()
				default:
					r.ok = false
				}
			})
			ts = append(ts, t)
		})
		if ts == nil {
			ts = []lead.Touch{}
		}
		l.Responses = ts
	case "bant":
		b := &l.BANT
		r.object(func(k []byte) {
			switch string(k) {
			case "budget":
				b.Budget = r.str()
			case "authority":
				b.Authority = r.str()
			case "need":
				b.Need = r.str()
			case "timeline":
				b.Timeline = r.str()
			default:
				r.ok = false
			}
		})
	case "handoff":
		r.text(&l.Handoff)
	case "handed_by":
		l.HandedBy = r.str()
	case "handed_to":
		l.HandedTo = r.str()
	case "feedback":
		f := &l.Feedback
		r.object(func(k []byte) {
			switch string(k) {
			case "target":
				f.Target = r.boolean()
			case "state":
				r.text(&f.State)
			case "opportunity":
				r.text(&f.Opportunity)
			case "comment":
				f.Comment = r.str()
			case "by":
				f.By = r.str()
			case "at":
				r.json(&f.At)
			default:
				r.ok = false
			}
		})
	case "jump":
		j := &l.Jump
		r.object(func(k []byte) {
			switch string(k) {
			case "day":
				j.Day = r.str()
			case "open":
				r.json(&j.Open)
			case "fired":
				j.Fired = r.str()
			default:
				r.ok = false
			}
		})
	default:
		r.ok = false
	}
}

func (r *jsonReader) trackField(k []byte, t *stage.Track) {
	switch string(k) {
	case "stage":
		r.text(&t.Stage)
	case "end":
		r.text(&t.End)
	case "overdue":
		t.Overdue = r.boolean()
	case "late":
		r.text(&t.Late)
	case "missed":
		r.text(&t.Missed)
	case "reassignments":
		t.Reassignments = uint8(r.integer(8, false))
	case "nags":
		t.Nags = uint8(r.integer(8, false))
	case "nag":
		r.text(&t.Nag)
	case "cadence":
		t.Cadence = uint32(r.integer(32, false))
	case "started":
		r.text(&t.Started)
	case "reached":
		// Reached's own decoder replaces the whole value: the stages
		// not in the object are not reached.
		var v stage.Reached
		r.object(func(k []byte) {
			var s stage.Stage
			if s.UnmarshalText(k) != nil || !s.Attempted() {
				r.ok = false
				return
			}
			r.text(&v[s-stage.Stage1])
		})
		t.Reached = v
	case "ended":
		r.text(&t.Ended)
	case "due":
		r.text(&t.Due)
	default:
		r.ok = false
	}
}
