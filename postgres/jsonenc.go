package postgres

import (
	"encoding"
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
)

// The JSON of the leads and notifications a write stores, appended field
// by field: the bytes json.Marshal writes for them, at a sixth of its
// cost for a lead (BenchmarkEncodeLead), allocating only the text of a
// few values. A sweep's writes encode ten thousand leads and thirty
// thousand notifications; json.Marshal was a fifth of the sweep's
// client CPU. TestAppendLeadJSON holds the two to the same bytes, and
// TestAppendJSON_everyField covers every field of the types, so a field
// added to a type and not here fails it.

// errSlowPath says a value holds what the appenders leave to
// json.Marshal (a time outside RFC 3339's range, say): the caller
// encodes the whole value with json.Marshal, which also says what is
// wrong, as it did before the appenders.
var errSlowPath = errors.New("postgres: encoded by json.Marshal")

// encodeLead appends l's JSON to dst, as json.Marshal writes it.
func encodeLead(dst []byte, l *lead.Lead) ([]byte, error) { return encodeWith(dst, l, appendLead) }

// encodeNote appends n's JSON to dst, as json.Marshal writes it.
func encodeNote(dst []byte, n *leadline.Notification) ([]byte, error) {
	return encodeWith(dst, n, appendNote)
}

// encodeWith appends v's JSON to dst with app, or with json.Marshal
// where app leaves v to it (errSlowPath).
func encodeWith[T any](dst []byte, v *T, app func([]byte, *T) ([]byte, error)) ([]byte, error) {
	n := len(dst)
	out, err := app(dst, v)
	if errors.Is(err, errSlowPath) {
		b, err := encode(v)
		if err != nil {
			return dst[:n], err
		}
		return append(dst[:n], b...), nil
	}
	return out, err
}

// jsonObject appends the fields of one JSON object, keeping whether a
// field was written, for the commas.
type jsonObject struct {
	b    []byte
	more bool
	err  error
}

func (o *jsonObject) key(k string) {
	if o.more {
		o.b = append(o.b, ',')
	}
	o.more = true
	o.b = append(o.b, '"')
	o.b = append(o.b, k...) // keys are plain ASCII
	o.b = append(o.b, '"', ':')
}

func (o *jsonObject) str(k, v string) {
	o.key(k)
	o.b = appendJSONString(o.b, v)
}

func (o *jsonObject) strOmit(k, v string) {
	if v != "" {
		o.str(k, v)
	}
}

func (o *jsonObject) boolean(k string, v bool) {
	o.key(k)
	o.b = strconv.AppendBool(o.b, v)
}

func (o *jsonObject) int(k string, v int64) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, v, 10)
}

func (o *jsonObject) intOmit(k string, v int64) {
	if v != 0 {
		o.int(k, v)
	}
}

// text writes v's MarshalText as a string, as json.Marshal does.
func (o *jsonObject) text(k string, v encoding.TextMarshaler) {
	b, err := v.MarshalText()
	if err != nil {
		o.err = errSlowPath
		return
	}
	o.key(k)
	o.b = appendJSONString(o.b, string(b))
}

func (o *jsonObject) time(k string, t time.Time) {
	o.key(k)
	o.b = appendJSONTime(o.b, t, &o.err)
}

func (o *jsonObject) timeOmit(k string, t time.Time) {
	if !t.IsZero() {
		o.time(k, t)
	}
}

// decimal writes d as its MarshalJSON does: quoted, unless the package's
// setting says otherwise.
func (o *jsonObject) decimal(k string, d decimal.Decimal) {
	o.key(k)
	if decimal.MarshalJSONWithoutQuotes {
		o.b = append(o.b, d.String()...)
		return
	}
	o.b = append(o.b, '"')
	o.b = append(o.b, d.String()...)
	o.b = append(o.b, '"')
}

func (o *jsonObject) open() { o.b = append(o.b, '{'); o.more = false }

func (o *jsonObject) close() { o.b = append(o.b, '}'); o.more = true }

// appendLead appends l as json.Marshal writes a lead.Lead, field by
// field in the struct's order.
func appendLead(dst []byte, l *lead.Lead) ([]byte, error) {
	o := jsonObject{b: dst}
	o.open()
	o.str("id", l.ID)
	o.int("version", l.Version)
	p := &l.Profile
	o.strOmit("company", p.Company)
	o.strOmit("name", p.Name)
	o.strOmit("email", p.Email)
	o.strOmit("source", p.Source)
	o.strOmit("ma_system", p.MASystem)
	o.strOmit("account", p.Account)
	if p.Target {
		o.boolean("target", true)
	}
	o.text("status", l.Status)
	o.decimal("score", l.Score)
	o.strOmit("owner", l.Owner)
	if l.AccountOwned {
		o.boolean("account_owned", true)
	}
	if len(l.Passed) > 0 {
		o.key("passed")
		o.b = appendJSONStrings(o.b, l.Passed)
	}
	o.timeOmit("created", l.Created)
	o.timeOmit("updated", l.Updated)
	if l.Track != (stage.Track{}) {
		o.key("track")
		appendTrack(&o, &l.Track)
	}
	if r := &l.Request; *r != (lead.Request{}) {
		o.key("request")
		o.open()
		o.intOmit("seq", int64(r.Seq))
		o.text("state", r.State)
		o.intOmit("priority", int64(r.Priority))
		if r.Reasons != "" {
			o.key("reasons")
			o.b = appendJSONStrings(o.b, r.Reasons.List())
		}
		o.strOmit("subject", r.Subject)
		o.timeOmit("opened", r.Opened)
		o.timeOmit("due", r.Due)
		o.timeOmit("closed", r.Closed)
		o.close()
	}
	if a := &l.Activity; *a != (lead.Activity{}) {
		o.key("activity")
		o.open()
		o.intOmit("inquiries", int64(a.Inquiries))
		o.intOmit("downloads", int64(a.Downloads))
		o.intOmit("page_views", int64(a.PageViews))
		o.timeOmit("last", a.Last)
		o.strOmit("last_topic", a.LastTopic)
		o.close()
	}
	o.text("desk", l.Desk)
	if len(l.Responses) > 0 {
		o.key("responses")
		o.b = append(o.b, '[')
		for i := range l.Responses {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			t := &l.Responses[i]
			o.open()
			o.str("campaign", t.Campaign)
			o.text("kind", t.Kind)
			o.timeOmit("at", t.At)
			o.strOmit("by", t.By)
			o.close()
		}
		o.b = append(o.b, ']')
	}
	if b := &l.BANT; *b != (lead.BANT{}) {
		o.key("bant")
		o.open()
		o.strOmit("budget", b.Budget)
		o.strOmit("authority", b.Authority)
		o.strOmit("need", b.Need)
		o.strOmit("timeline", b.Timeline)
		o.close()
	}
	if l.Handoff != 0 {
		o.text("handoff", l.Handoff)
	}
	o.strOmit("handed_by", l.HandedBy)
	o.strOmit("handed_to", l.HandedTo)
	if f := &l.Feedback; *f != (lead.Feedback{}) {
		o.key("feedback")
		o.open()
		o.boolean("target", f.Target)
		o.text("state", f.State)
		o.text("opportunity", f.Opportunity)
		o.strOmit("comment", f.Comment)
		o.strOmit("by", f.By)
		o.timeOmit("at", f.At)
		o.close()
	}
	if j := &l.Jump; !j.IsZero() {
		o.key("jump")
		o.open()
		o.strOmit("day", j.Day)
		o.decimal("open", j.Open)
		o.strOmit("fired", j.Fired)
		o.close()
	}
	o.close()
	return o.b, o.err
}

// appendTrack appends a cadence's track as json.Marshal writes a
// stage.Track.
func appendTrack(o *jsonObject, t *stage.Track) {
	o.open()
	o.text("stage", t.Stage)
	if t.End != 0 {
		o.text("end", t.End)
	}
	if t.Overdue {
		o.boolean("overdue", true)
	}
	if t.Late != 0 {
		o.text("late", t.Late)
	}
	if t.Missed != 0 {
		o.text("missed", t.Missed)
	}
	o.intOmit("reassignments", int64(t.Reassignments))
	o.intOmit("nags", int64(t.Nags))
	instant := func(k string, i stage.Instant) {
		if i != 0 {
			// Instant.MarshalText: RFC 3339 in UTC, which needs no
			// escaping.
			o.key(k)
			o.b = append(o.b, '"')
			o.b = i.Time().AppendFormat(o.b, time.RFC3339Nano)
			o.b = append(o.b, '"')
		}
	}
	instant("nag", t.Nag)
	o.intOmit("cadence", int64(t.Cadence))
	instant("started", t.Started)
	if t.Reached != (stage.Reached{}) {
		// Reached.MarshalJSON: an object of the stages reached, by key,
		// in key order (stage1 < ... < stage4, as a map's keys are
		// sorted).
		o.key("reached")
		o.open()
		for i, at := range t.Reached {
			instant((stage.Stage1 + stage.Stage(i)).Key(), at)
		}
		o.close()
	}
	instant("ended", t.Ended)
	instant("due", t.Due)
	o.close()
}

// appendNote appends n as json.Marshal writes a leadline.Notification.
func appendNote(dst []byte, n *leadline.Notification) ([]byte, error) {
	o := jsonObject{b: dst}
	o.open()
	o.str("key", n.Key)
	o.text("kind", n.Kind)
	o.str("lead", n.Lead)
	o.str("to", n.To)
	o.str("rule", n.Rule)
	o.time("at", n.At)
	o.timeOmit("due", n.Due)
	o.text("stage", n.Stage)
	o.intOmit("priority", int64(n.Priority))
	o.strOmit("detail", n.Detail)
	o.strOmit("note", n.Note)
	o.strOmit("text", n.Text)
	o.int("attempts", int64(n.Attempts))
	o.close()
	return o.b, o.err
}

// appendJSONTime appends t as time.Time's MarshalJSON does; a time it
// refuses sets *err to errSlowPath, so that json.Marshal says why.
func appendJSONTime(dst []byte, t time.Time, err *error) []byte {
	dst = append(dst, '"')
	n := len(dst)
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	// time's own checks for a JSON time: a year of exactly four digits,
	// a zone's hours below 24 and no seconds in its offset.
	b := dst[n:]
	switch {
	case len(b) < 5 || b[4] != '-':
		*err = errSlowPath
	case b[len(b)-1] != 'Z':
		c := b[len(b)-len("Z07:00")]
		if ('0' <= c && c <= '9') || 10*(b[len(b)-5]-'0')+(b[len(b)-4]-'0') >= 24 {
			*err = errSlowPath
		}
	}
	return append(dst, '"')
}

// appendJSONStrings appends ss as encoding/json writes a []string.
func appendJSONStrings(dst []byte, ss []string) []byte {
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, s)
	}
	return append(dst, ']')
}

// appendJSONString appends s quoted as encoding/json quotes a string,
// HTML characters escaped: the same bytes.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
