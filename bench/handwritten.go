package bench

import (
	"errors"

	"github.com/shopspring/decimal"
)

// The hand-written implementations: the plain Go a careful engineer would
// write for each workload, with scores compared by
// decimal.GreaterThanOrEqual against a decimal 100. They are the baseline
// every other row is divided by, and the answers every other row must
// give.

// handStage is the touch stage of W1, with exhausted as its own state.
type handStage uint8

const (
	handUntouched handStage = iota
	handStage1
	handStage2
	handStage3
	handStage4
	handExhausted
)

var handStageNames = [...]string{"Untouched", "Stage1", "Stage2", "Stage3", "Stage4", "Exhausted"}

func (s handStage) String() string { return handStageNames[s] }

// handEvent is a W1 event.
type handEvent uint8

const (
	handAttempt handEvent = iota // an outbound attempt: the next stage
	handExhaust                  // Stage4's wait is over: exhausted, status Recycled
)

var errHandInvalid = errors.New("bench: invalid transition")

// handLead is one lead's W1 state.
type handLead struct {
	Stage  handStage
	Status Status
}

// Fire applies ev, or returns errHandInvalid and leaves l unchanged.
func (l *handLead) Fire(ev handEvent) error {
	switch l.Stage {
	case handUntouched, handStage1, handStage2, handStage3:
		if ev == handAttempt {
			l.Stage++
			return nil
		}
	case handStage4:
		if ev == handExhaust {
			l.Stage = handExhausted
			l.Status = StatusRecycled
			return nil
		}
	}
	return errHandInvalid
}

// handCadence runs W1 on a fresh lead: Untouched -> Stage1..Stage4 ->
// exhausted.
func handCadence() (handLead, error) {
	l := handLead{Stage: handUntouched, Status: StatusLead}
	for range 4 {
		if err := l.Fire(handAttempt); err != nil {
			return l, err
		}
	}
	err := l.Fire(handExhaust)
	return l, err
}

// hundred is the MQL threshold, built once.
var hundred = decimal.New(100, 0)

// handRoute is W2.
func handRoute(in *Input) Dest {
	if in.Status != StatusLead {
		return DestNone
	}
	switch in.Type {
	case TypeOwnEvent, TypeUserGroup, TypeIndustrySeminar:
		return DestField
	}
	if in.Invited || in.Met {
		return DestField
	}
	if in.Score.GreaterThanOrEqual(hundred) || in.Type == TypeWebInquiry {
		return DestInside
	}
	return DestNurture
}

// handTrigger is W3.
func handTrigger(in *Input) Trig {
	switch in.Activity {
	case ActInquiry:
		if in.Score.GreaterThanOrEqual(hundred) {
			return Trig{1, "A1"}
		}
		return Trig{2, "A2"}
	case ActDownload:
		if in.Score.GreaterThanOrEqual(hundred) {
			return Trig{3, "A3"}
		}
	}
	return Trig{}
}
