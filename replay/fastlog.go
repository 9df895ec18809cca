package replay

import (
	"unicode/utf8"

	"github.com/leadline/leadline/lead"
	"github.com/shopspring/decimal"
)

// fastEvent decodes line as json.Marshal writes an event (E2) without
// encoding/json's reflection, a fifth of a replay's time on a large log.
// It takes only the plain form: one object whose keys are
// lead.Event's own names, exactly spelled, each once, whose strings have
// no escapes, and whose fields are the common ones (not answers, bant,
// feedback or a profile's target). Anything else, and any value a
// field's own parser refuses, reports false, and the caller decodes the
// line with encoding/json as before: the same event, or the same error,
// either way. What it accepts it decodes as encoding/json does: the text
// types through their UnmarshalText, the instant and the score through
// their UnmarshalJSON.
//
// in interns the strings and scores that events repeat (actors, topics,
// reasons, sources, a score of "0"), so that a log's millionth
// "marketing" allocates nothing.
func fastEvent(line []byte, ev *lead.Event, in *interned) bool {
	p := fastScan{b: line}
	if !p.open() {
		return false
	}
	var seen uint32
	for first := true; ; first = false {
		if p.close() {
			break
		}
		if !first && !p.comma() {
			return false
		}
		key, ok := p.key()
		if !ok {
			return false
		}
		bit, ok := eventKeys[string(key)]
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		if bit == keyProfile {
			if !fastProfile(&p, &ev.Profile, in) {
				return false
			}
			continue
		}
		raw, s, ok := p.str()
		if !ok {
			return false
		}
		var err error
		switch bit {
		case keyID:
			ev.ID = string(s)
		case keyKind:
			err = ev.Kind.UnmarshalText(s)
		case keyLead:
			ev.Lead = string(s)
		case keyAt:
			err = ev.At.UnmarshalJSON(raw)
		case keyActor:
			ev.Actor = in.str(s)
		case keyScore:
			err = in.score(&ev.Score, raw)
		case keyChannels:
			err = ev.Channels.UnmarshalText(s)
		case keyStatus:
			err = ev.Status.UnmarshalText(s)
		case keyReason:
			ev.Reason = in.str(s)
		case keyTopic:
			ev.Topic = in.str(s)
		case keyOwner:
			ev.Owner = in.str(s)
		case keyCampaign:
			ev.Campaign = in.str(s)
		case keyResponse:
			err = ev.Response.UnmarshalText(s)
		case keyInvitedBy:
			ev.InvitedBy = in.str(s)
		case keyMetBy:
			ev.MetBy = in.str(s)
		case keyTo:
			ev.To = in.str(s)
		}
		if err != nil {
			return false
		}
	}
	return p.end()
}

// fastProfile decodes a profile object for fastEvent.
func fastProfile(p *fastScan, pr *lead.Profile, in *interned) bool {
	if !p.open() {
		return false
	}
	var seen uint32
	for first := true; ; first = false {
		if p.close() {
			return true
		}
		if !first && !p.comma() {
			return false
		}
		key, ok := p.key()
		if !ok {
			return false
		}
		bit, ok := profileKeys[string(key)]
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		_, s, ok := p.str()
		if !ok {
			return false
		}
		switch bit {
		case 1 << 0:
			pr.Company = in.str(s)
		case 1 << 1:
			pr.Name = string(s)
		case 1 << 2:
			pr.Email = string(s)
		case 1 << 3:
			pr.Source = in.str(s)
		case 1 << 4:
			pr.MASystem = in.str(s)
		case 1 << 5:
			pr.Account = in.str(s)
		}
	}
}

// The keys fastEvent takes, each a bit of the set of keys seen.
const (
	keyID uint32 = 1 << iota
	keyKind
	keyLead
	keyAt
	keyActor
	keyScore
	keyChannels
	keyStatus
	keyReason
	keyTopic
	keyProfile
	keyOwner
	keyCampaign
	keyResponse
	keyInvitedBy
	keyMetBy
	keyTo
)

// eventKeys are lead.Event's JSON names that fastEvent decodes; its
// other fields (answers, bant, feedback) go to encoding/json.
var eventKeys = map[string]uint32{
	"id": keyID, "kind": keyKind, "lead": keyLead, "at": keyAt, "actor": keyActor, "score": keyScore,
	"channels": keyChannels, "status": keyStatus, "reason": keyReason, "topic": keyTopic, "profile": keyProfile,
	"owner": keyOwner, "campaign": keyCampaign, "response": keyResponse, "invited_by": keyInvitedBy,
	"met_by": keyMetBy, "to": keyTo,
}

// profileKeys are lead.Profile's string fields; target goes to
// encoding/json.
var profileKeys = map[string]uint32{
	"company": 1 << 0, "name": 1 << 1, "email": 1 << 2, "source": 1 << 3, "ma_system": 1 << 4, "account": 1 << 5,
}

// maxInterned bounds the strings and the scores a parser interns, so
// that a log of ever new reasons does not grow it without end.
const maxInterned = 4096

// interned holds the values a parser shares between the events it
// reads: strings and decimals are immutable, so events may share them.
type interned struct {
	strs   map[string]string
	scores map[string]decimal.Decimal
}

// str returns s as a string, the one kept if there is one.
func (in *interned) str(s []byte) string {
	if v, ok := in.strs[string(s)]; ok {
		return v
	}
	v := string(s)
	if in.strs == nil {
		in.strs = make(map[string]string)
	}
	if len(in.strs) < maxInterned {
		in.strs[v] = v
	}
	return v
}

// score sets d to the score raw (quoted) as its UnmarshalJSON does,
// sharing the value kept if there is one.
func (in *interned) score(d *decimal.Decimal, raw []byte) error {
	if v, ok := in.scores[string(raw)]; ok {
		*d = v
		return nil
	}
	if err := lead.CheckScoreText(raw); err != nil {
		return err
	}
	if err := d.UnmarshalJSON(raw); err != nil {
		return err
	}
	if in.scores == nil {
		in.scores = make(map[string]decimal.Decimal)
	}
	if len(in.scores) < maxInterned {
		in.scores[string(raw)] = *d
	}
	return nil
}

// fastScan reads the tokens of one line of JSON for fastEvent.
type fastScan struct {
	b []byte
	i int
}

// space skips JSON's white space.
func (p *fastScan) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// byte reads c after white space, if it is next.
func (p *fastScan) byte(c byte) bool {
	p.space()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *fastScan) open() bool  { return p.byte('{') }
func (p *fastScan) close() bool { return p.byte('}') }
func (p *fastScan) comma() bool { return p.byte(',') }

// key reads a key and its colon.
func (p *fastScan) key() ([]byte, bool) {
	_, s, ok := p.str()
	if !ok || !p.byte(':') {
		return nil, false
	}
	return s, true
}

// str reads a string without escapes: raw with its quotes, s without.
// A string with an escape, a control character or bytes that are not
// UTF-8 reports false (encoding/json would change its bytes).
func (p *fastScan) str() (raw, s []byte, ok bool) {
	if !p.byte('"') {
		return nil, nil, false
	}
	start := p.i
	ascii := true
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			s = p.b[start:p.i]
			p.i++
			if !ascii && !utf8.Valid(s) {
				return nil, nil, false
			}
			return p.b[start-1 : p.i], s, true
		case c == '\\' || c < 0x20:
			return nil, nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, nil, false
}

// end reports whether only white space is left.
func (p *fastScan) end() bool {
	p.space()
	return p.i == len(p.b)
}
