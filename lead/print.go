package lead

import (
	"math"
	"math/big"
	"time"

	"github.com/shopspring/decimal"
)

// Print returns the fingerprint of e's payload: every field but the id,
// hashed to 64 bits (E2). Two events with one id are the same
// event, a redelivery, when their prints are equal; an id handled before
// with another print was reused for a different event, which the engine
// refuses rather than drop.
//
// "The same payload" is read as a sales system would send it again:
//   - the instants At and Feedback.At compare as instants, whatever their
//     zone or monotonic reading;
//   - the score compares as a number: 1.0 and 1 are the same score;
//   - the survey answers compare as a set of question and answer pairs,
//     in any order;
//   - every string compares byte for byte: "Ｗｅｂ" and "Web", or a
//     trailing space, are another payload.
//
// The print is the same in every process and every release that does not
// add a field to Event, so a store keeps it beside the event id. It
// allocates nothing.
func (e *Event) Print() uint64 {
	h := fnv{sum: fnvOffset}
	h.byte(byte(e.Kind))
	h.str(e.Lead)
	h.time(e.At)
	h.str(e.Actor)
	h.decimal(e.Score)
	h.byte(byte(e.Channels))
	h.byte(byte(e.Status))
	h.str(e.Reason)
	h.str(e.Topic)
	h.str(e.Profile.Company)
	h.str(e.Profile.Name)
	h.str(e.Profile.Email)
	h.str(e.Profile.Source)
	h.str(e.Profile.MASystem)
	h.str(e.Profile.Account)
	h.bool(e.Profile.Target)
	h.str(e.Owner)
	h.str(e.Campaign)
	h.byte(byte(e.Response))
	h.str(e.InvitedBy)
	h.str(e.MetBy)
	// The answers are a set: each pair is hashed on its own and the
	// hashes summed, which no order changes.
	var answers uint64
	for q, a := range e.Answers {
		p := fnv{sum: fnvOffset}
		p.str(q)
		p.str(a)
		answers += p.sum
	}
	h.uint(uint64(len(e.Answers)))
	h.uint(answers)
	h.str(e.BANT.Budget)
	h.str(e.BANT.Authority)
	h.str(e.BANT.Need)
	h.str(e.BANT.Timeline)
	h.str(e.To)
	h.bool(e.Feedback.Target)
	h.byte(byte(e.Feedback.State))
	h.byte(byte(e.Feedback.Opportunity))
	h.str(e.Feedback.Comment)
	h.str(e.Feedback.By)
	h.time(e.Feedback.At)
	return h.sum
}

// The print's hash: a word at a time, each word xored in, multiplied by
// an odd constant and its high bits folded down. It is not a defence
// against an adversary, who controls the events anyway; it tells apart
// the payloads a host sends by mistake under one id, and costs a few
// nanoseconds a field.
const (
	fnvOffset = 14695981039346656037
	mixPrime  = 0x9e3779b97f4a7c15
)

// fnv hashes the fields of an event. Strings are hashed with their
// length first, so that no two sequences of fields hash the same words.
type fnv struct{ sum uint64 }

func (h *fnv) uint(v uint64) {
	x := (h.sum ^ v) * mixPrime
	h.sum = x ^ x>>29
}

func (h *fnv) byte(b byte) { h.uint(uint64(b)) }

func (h *fnv) bool(b bool) {
	if b {
		h.uint(1)
	} else {
		h.uint(0)
	}
}

func (h *fnv) str(s string) {
	h.uint(uint64(len(s)))
	for len(s) >= 8 {
		h.uint(uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56)
		s = s[8:]
	}
	if len(s) > 0 {
		var w uint64
		for i := len(s) - 1; i >= 0; i-- {
			w = w<<8 | uint64(s[i])
		}
		h.uint(w)
	}
}

// time hashes an instant: the zero time as itself, any other as seconds
// and nanoseconds since the Unix epoch, which no zone changes.
func (h *fnv) time(t time.Time) {
	h.bool(t.IsZero())
	h.uint(uint64(t.Unix()))
	h.uint(uint64(t.Nanosecond()))
}

// decimal hashes a number by its value: the coefficient with trailing
// zeros moved into the exponent, so that 1.0 and 1 hash alike. A
// coefficient of more than 18 digits takes the same normal form in big
// integers, which allocates; few scores are that long.
func (h *fnv) decimal(d decimal.Decimal) {
	if d.NumDigits() > 18 {
		// The same normal form, in big integers: 999999999.0000000000
		// is 999999999 (E2).
		c, exp := d.Coefficient(), d.Exponent()
		var q, r big.Int
		ten := big.NewInt(10)
		for c.Sign() != 0 && exp < math.MaxInt32 {
			if q.QuoRem(c, ten, &r); r.Sign() != 0 {
				break
			}
			c.Set(&q)
			exp++
		}
		if c.IsInt64() {
			h.uint(uint64(c.Int64()))
		} else {
			h.str(c.String())
		}
		h.uint(uint64(int64(exp)))
		return
	}
	c, exp := d.CoefficientInt64(), d.Exponent()
	for c != 0 && c%10 == 0 && exp < math.MaxInt32 {
		c /= 10
		exp++
	}
	if c == 0 {
		exp = 0
	}
	h.uint(uint64(c))
	h.uint(uint64(int64(exp)))
}
