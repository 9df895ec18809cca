package sim

import (
	"math/rand/v2"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// Answers is how prospects answer a rep's attempts: the chance, by the
// stage the attempt reached, that they pick up the phone or reply to the
// e-mail, raised by Boost for a lead that is keen (an MQL, or one that
// inquired).
type Answers struct {
	Call, Reply [stage.Stage4 + 1]float64
	// Boost multiplies the chances for a keen lead; zero means 1.
	Boost float64
	// Keen is the score from which a lead is keen.
	Keen decimal.Decimal
}

// Answer decides whether l, whose attempt by channels ch at at took it to
// its current stage, answers it, and if so when and how (T6): a call is
// picked up 3 to 14 minutes on, an e-mail answered 1 to 41 hours on. A
// call is tried first when the attempt used the phone. It draws from r in
// a fixed order.
func (as *Answers) Answer(r *rand.Rand, l *lead.Lead, ch stage.Channels, at time.Time) (time.Time, stage.Channels, bool) {
	boost := 1.0
	if as.Boost > 0 && (l.Score.GreaterThanOrEqual(as.Keen) || l.Activity.Inquiries > 0) {
		boost = as.Boost
	}
	st := l.Track.Stage
	if st > stage.Stage4 {
		return time.Time{}, 0, false
	}
	switch {
	case ch.Has(stage.Call) && as.Call[st] > 0 && r.Float64() < as.Call[st]*boost:
		return at.Add(time.Duration(3+r.IntN(12)) * time.Minute), stage.Call, true
	case r.Float64() < as.Reply[st]*boost:
		return at.Add(time.Duration(1+r.IntN(40)) * time.Hour).Add(time.Duration(r.IntN(60)) * time.Minute), stage.Email, true
	}
	return time.Time{}, 0, false
}
