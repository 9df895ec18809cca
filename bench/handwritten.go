package bench

import (
	"errors"
	"time"

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

// handTimedLead is W1 as a careful engineer writes it when the cadence
// must also keep its deadlines, as leadline's does (T1-T9): when each
// step happened, the next deadline, and which steps were late. It is
// not one of the peer comparison's rows; it shows what the bare state machine leaves out.
type handTimedLead struct {
	Stage   handStage
	Status  Status
	Late    uint8
	Started int64    // Unix nanoseconds
	Reached [4]int64 // Stage1..Stage4
	Due     int64
}

// handWindows are the default windows in nanoseconds: Stage1..Stage4,
// then the T7 wait.
var handWindows = [5]int64{int64(48 * time.Hour), int64(48 * time.Hour), int64(48 * time.Hour), int64(96 * time.Hour), int64(96 * time.Hour)}

// handTimedCadence runs W1 with deadlines at the given instants: the
// approach request, four attempts, and a sweep after the T7 wait.
func handTimedCadence(at *[6]time.Time) (handTimedLead, error) {
	l := handTimedLead{Status: StatusLead}
	t0 := at[0].UnixNano()
	l.Started, l.Due = t0, t0+handWindows[0]
	for i := 1; i <= 4; i++ {
		n := at[i].UnixNano()
		if n > l.Due {
			l.Late |= 1 << i
		}
		l.Stage++
		l.Reached[i-1] = n
		l.Due = n + handWindows[i]
	}
	if at[5].UnixNano() <= l.Due || l.Stage != handStage4 {
		return l, errHandInvalid
	}
	l.Stage, l.Status = handExhausted, StatusRecycled
	return l, nil
}
