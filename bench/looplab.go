package bench

import (
	"context"

	"github.com/looplab/fsm"
)

// W1 on looplab/fsm, as its README shows it: string states and events,
// fsm.NewFSM with an enter_Exhausted callback that sets the status
// Recycled. Variants: a fresh machine per lead with the events and
// callbacks written out as in the README; a fresh machine per lead
// sharing one events slice; and one machine reused for every lead with
// SetState (not safe for concurrent leads, so the floor of what fsm
// costs).

// lfLead is one lead's W1 state for looplab/fsm: its status and its
// machine, as the README's Door holds its FSM.
type lfLead struct {
	Status Status
	FSM    *fsm.FSM
}

// lfEvents are W1's transitions, built once for the shared-events variant.
var lfEvents = fsm.Events{
	{Name: fsmAttempt, Src: []string{fsmUntouched}, Dst: fsmStage1},
	{Name: fsmAttempt, Src: []string{fsmStage1}, Dst: fsmStage2},
	{Name: fsmAttempt, Src: []string{fsmStage2}, Dst: fsmStage3},
	{Name: fsmAttempt, Src: []string{fsmStage3}, Dst: fsmStage4},
	{Name: fsmExhaust, Src: []string{fsmStage4}, Dst: fsmExhausted},
}

// newLFLead builds a lead with its own machine, README style.
func newLFLead() *lfLead {
	l := &lfLead{Status: StatusLead}
	l.FSM = fsm.NewFSM(
		fsmUntouched,
		fsm.Events{
			{Name: fsmAttempt, Src: []string{fsmUntouched}, Dst: fsmStage1},
			{Name: fsmAttempt, Src: []string{fsmStage1}, Dst: fsmStage2},
			{Name: fsmAttempt, Src: []string{fsmStage2}, Dst: fsmStage3},
			{Name: fsmAttempt, Src: []string{fsmStage3}, Dst: fsmStage4},
			{Name: fsmExhaust, Src: []string{fsmStage4}, Dst: fsmExhausted},
		},
		fsm.Callbacks{
			"enter_" + fsmExhausted: func(_ context.Context, _ *fsm.Event) { l.Status = StatusRecycled },
		},
	)
	return l
}

// newLFLeadSharedEvents builds a lead with its own machine from lfEvents.
func newLFLeadSharedEvents() *lfLead {
	l := &lfLead{Status: StatusLead}
	l.FSM = fsm.NewFSM(fsmUntouched, lfEvents, fsm.Callbacks{
		"enter_" + fsmExhausted: func(_ context.Context, _ *fsm.Event) { l.Status = StatusRecycled },
	})
	return l
}

// reset makes l a fresh lead again, for the reused variant.
func (l *lfLead) reset() {
	l.Status = StatusLead
	l.FSM.SetState(fsmUntouched)
}

// cadence runs W1 on l.
func (l *lfLead) cadence(ctx context.Context) error {
	for range 4 {
		if err := l.FSM.Event(ctx, fsmAttempt); err != nil {
			return err
		}
	}
	return l.FSM.Event(ctx, fsmExhaust)
}
