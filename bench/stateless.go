package bench

import (
	"context"
	"fmt"

	"github.com/qmuntal/stateless"
)

// W1 on qmuntal/stateless, as its README shows it: string states and
// triggers, Configure(state).Permit(trigger, dst), OnEntry on the
// exhausted state setting the status Recycled. Variants: a fresh machine
// per lead (queued, the default, and immediate), and one machine shared
// by every lead with NewStateMachineWithExternalStorage, the state kept
// in the lead and found through the context, fired with FireCtx.

// The W1 states and events as the state-machine libraries name them;
// looplab/fsm uses the same strings.
const (
	fsmUntouched = "Untouched"
	fsmStage1    = "Stage1"
	fsmStage2    = "Stage2"
	fsmStage3    = "Stage3"
	fsmStage4    = "Stage4"
	fsmExhausted = "Exhausted"

	fsmAttempt = "attempt"
	fsmExhaust = "exhaust"
)

// slLead is one lead's W1 state for stateless.
type slLead struct {
	State  stateless.State
	Status Status
}

func slConfigure(sm *stateless.StateMachine, onExhausted func(context.Context, ...any) error) {
	sm.Configure(fsmUntouched).Permit(fsmAttempt, fsmStage1)
	sm.Configure(fsmStage1).Permit(fsmAttempt, fsmStage2)
	sm.Configure(fsmStage2).Permit(fsmAttempt, fsmStage3)
	sm.Configure(fsmStage3).Permit(fsmAttempt, fsmStage4)
	sm.Configure(fsmStage4).Permit(fsmExhaust, fsmExhausted)
	sm.Configure(fsmExhausted).OnEntry(onExhausted)
}

// slFreshCadence runs W1 on a machine built for this one lead.
func slFreshCadence(mode stateless.FiringMode) (slLead, error) {
	l := slLead{State: fsmUntouched, Status: StatusLead}
	sm := stateless.NewStateMachineWithMode(fsmUntouched, mode)
	slConfigure(sm, func(context.Context, ...any) error {
		l.Status = StatusRecycled
		return nil
	})
	for range 4 {
		if err := sm.Fire(fsmAttempt); err != nil {
			return l, err
		}
	}
	if err := sm.Fire(fsmExhaust); err != nil {
		return l, err
	}
	l.State = sm.MustState()
	return l, nil
}

// slKey is the context key under which the shared machine finds the lead.
type slKey struct{}

func slLeadOf(ctx context.Context) *slLead { return ctx.Value(slKey{}).(*slLead) }

// slShared is one machine for every lead; each lead keeps its own state.
type slShared struct {
	sm *stateless.StateMachine
}

func newSLShared() *slShared {
	sm := stateless.NewStateMachineWithExternalStorage(
		func(ctx context.Context) (stateless.State, error) { return slLeadOf(ctx).State, nil },
		func(ctx context.Context, s stateless.State) error {
			slLeadOf(ctx).State = s
			return nil
		},
		stateless.FiringImmediate)
	slConfigure(sm, func(ctx context.Context, _ ...any) error {
		slLeadOf(ctx).Status = StatusRecycled
		return nil
	})
	return &slShared{sm: sm}
}

// cadence runs W1 on a fresh lead.
func (s *slShared) cadence(parent context.Context) (*slLead, error) {
	l := &slLead{State: fsmUntouched, Status: StatusLead}
	ctx := context.WithValue(parent, slKey{}, l)
	for range 4 {
		if err := s.sm.FireCtx(ctx, fsmAttempt); err != nil {
			return l, err
		}
	}
	if err := s.sm.FireCtx(ctx, fsmExhaust); err != nil {
		return l, err
	}
	return l, nil
}

// exhaust fires "exhaust" on the lead in ctx: W1-invalid when it is at
// Stage2.
func (s *slShared) exhaust(ctx context.Context) error {
	return s.sm.FireCtx(ctx, fsmExhaust)
}

func slState(l *slLead) string { return fmt.Sprint(l.State) }
