package bench

import (
	"context"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/qmuntal/stateless"
)

// The rows of README.md's table. Each loop body is one unit of work: one
// whole fresh lead's cadence (W1), one rejected event (W1-invalid), one
// routing decision (W2), one trigger evaluation (W3), one compare. W2, W3
// and the compares cycle through the 1,024 inputs by index. Results go
// to the package variables below so nothing is optimised away.

var (
	sinkErr       error
	sinkBool      bool
	sinkStr       string
	sinkAny       any
	sinkStatus    Status
	sinkHand      handLead
	sinkHandTimed handTimedLead
	sinkLLStatus  lead.Status
	sinkLLEnd     stage.End
	sinkEffects   stage.Effects
	sinkDest      Dest
	sinkDecision  routing.Decision
	sinkTrig      Trig
	sinkTrigger   *routing.Trigger
	sinkInt       int64
)

func BenchmarkW1Cadence(b *testing.B) {
	ctx := context.Background()
	b.Run("leadline", func(b *testing.B) {
		c := newLLCadence()
		b.ReportAllocs()
		for b.Loop() {
			l := llLead{Status: lead.StatusLead}
			if err := c.run(&l); err != nil {
				b.Fatal(err)
			}
			sinkLLStatus, sinkLLEnd = l.Status, l.Track.End
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l, err := handCadence()
			if err != nil {
				b.Fatal(err)
			}
			sinkHand = l
		}
	})
	b.Run("handwritten-deadlines", func(b *testing.B) {
		at := newLLCadence().at
		b.ReportAllocs()
		for b.Loop() {
			l, err := handTimedCadence(&at)
			if err != nil {
				b.Fatal(err)
			}
			sinkHandTimed = l
		}
	})
	b.Run("stateless-fresh-queued", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l, err := slFreshCadence(stateless.FiringQueued)
			if err != nil {
				b.Fatal(err)
			}
			sinkStatus, sinkAny = l.Status, l.State
		}
	})
	b.Run("stateless-fresh-immediate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l, err := slFreshCadence(stateless.FiringImmediate)
			if err != nil {
				b.Fatal(err)
			}
			sinkStatus, sinkAny = l.Status, l.State
		}
	})
	b.Run("stateless-shared", func(b *testing.B) {
		s := newSLShared()
		b.ReportAllocs()
		for b.Loop() {
			l, err := s.cadence(ctx)
			if err != nil {
				b.Fatal(err)
			}
			sinkStatus, sinkAny = l.Status, l.State
		}
	})
	b.Run("looplab-fresh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l := newLFLead()
			if err := l.cadence(ctx); err != nil {
				b.Fatal(err)
			}
			sinkStatus = l.Status
		}
	})
	b.Run("looplab-shared-events", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l := newLFLeadSharedEvents()
			if err := l.cadence(ctx); err != nil {
				b.Fatal(err)
			}
			sinkStatus = l.Status
		}
	})
	b.Run("looplab-reused", func(b *testing.B) {
		l := newLFLead()
		b.ReportAllocs()
		for b.Loop() {
			l.reset()
			if err := l.cadence(ctx); err != nil {
				b.Fatal(err)
			}
			sinkStatus = l.Status
		}
	})
}

func BenchmarkW1Invalid(b *testing.B) {
	ctx := context.Background()
	b.Run("leadline", func(b *testing.B) {
		c := newLLCadence()
		l := c.atStage2()
		b.ReportAllocs()
		for b.Loop() {
			sinkEffects = c.exhaustEarly(&l)
		}
		if sinkEffects != 0 || l.Track.Stage != stage.Stage2 {
			b.Fatalf("exhaust at Stage2: effects %v, stage %v", sinkEffects, l.Track.Stage)
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		l := handLead{Stage: handStage2, Status: StatusLead}
		b.ReportAllocs()
		for b.Loop() {
			sinkErr = l.Fire(handExhaust)
		}
		if sinkErr == nil || l.Stage != handStage2 {
			b.Fatalf("exhaust at Stage2: %v, stage %v", sinkErr, l.Stage)
		}
	})
	b.Run("looplab", func(b *testing.B) {
		l := newLFLead()
		l.FSM.SetState(fsmStage2)
		b.ReportAllocs()
		for b.Loop() {
			sinkErr = l.FSM.Event(ctx, fsmExhaust)
		}
		if sinkErr == nil || l.FSM.Current() != fsmStage2 {
			b.Fatalf("exhaust at Stage2: %v, stage %v", sinkErr, l.FSM.Current())
		}
	})
	b.Run("stateless-shared", func(b *testing.B) {
		s := newSLShared()
		l := &slLead{State: fsmStage2, Status: StatusLead}
		lctx := context.WithValue(ctx, slKey{}, l)
		b.ReportAllocs()
		for b.Loop() {
			sinkErr = s.exhaust(lctx)
		}
		if sinkErr == nil || l.State != fsmStage2 {
			b.Fatalf("exhaust at Stage2: %v, stage %v", sinkErr, l.State)
		}
	})
}

func BenchmarkW2Routing(b *testing.B) {
	b.Run("leadline", func(b *testing.B) {
		r := newLLRouter(inputs)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkDecision = r.route(i % numInputs)
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkDest = handRoute(&inputs[i%numInputs])
		}
	})
	b.Run("expr-struct", func(b *testing.B) {
		prog, ins := newExprRoute(), newExprInputs(inputs)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			out, err := expr.Run(prog, &ins[i%numInputs])
			if err != nil {
				b.Fatal(err)
			}
			sinkAny = out
		}
	})
	b.Run("expr-vm", func(b *testing.B) {
		prog, ins := newExprRoute(), newExprInputs(inputs)
		var v vm.VM
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			out, err := v.Run(prog, &ins[i%numInputs])
			if err != nil {
				b.Fatal(err)
			}
			sinkAny = out
		}
	})
	b.Run("expr-map", func(b *testing.B) {
		prog, ins := newExprRouteMap(), newExprInputs(inputs)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			out, err := expr.Run(prog, exprMapEnv(&ins[i%numInputs]))
			if err != nil {
				b.Fatal(err)
			}
			sinkAny = out
		}
	})
	b.Run("grule-shared", func(b *testing.B) {
		g, facts := newGruleRules("W2", gruleRouteGRL), newGruleRoutes(inputs)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			f := &facts[i%numInputs]
			if err := g.route(f, false); err != nil {
				b.Fatal(err)
			}
			sinkStr = f.Dest
		}
	})
	b.Run("grule-fresh", func(b *testing.B) {
		g, facts := newGruleRules("W2", gruleRouteGRL), newGruleRoutes(inputs)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			f := &facts[i%numInputs]
			if err := g.route(f, true); err != nil {
				b.Fatal(err)
			}
			sinkStr = f.Dest
		}
	})
}

func BenchmarkW3Trigger(b *testing.B) {
	b.Run("leadline", func(b *testing.B) {
		t := newLLTrigger(inputs)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkTrigger, sinkBool = t.match(i % numInputs)
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkTrig = handTrigger(&inputs[i%numInputs])
		}
	})
	b.Run("expr-one", func(b *testing.B) {
		prog, ins := newExprTrigger(), newExprInputs(inputs)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			out, err := expr.Run(prog, &ins[i%numInputs])
			if err != nil {
				b.Fatal(err)
			}
			sinkAny = out
		}
	})
	b.Run("expr-vm", func(b *testing.B) {
		prog, ins := newExprTrigger(), newExprInputs(inputs)
		var v vm.VM
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			out, err := v.Run(prog, &ins[i%numInputs])
			if err != nil {
				b.Fatal(err)
			}
			sinkAny = out
		}
	})
	b.Run("expr-table", func(b *testing.B) {
		rows, ins := newExprTable(), newExprInputs(inputs)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			t, err := exprTableMatch(rows, &ins[i%numInputs])
			if err != nil {
				b.Fatal(err)
			}
			sinkTrig = t
		}
	})
	b.Run("grule-shared", func(b *testing.B) {
		g, facts := newGruleRules("W3", gruleTriggerGRL), newGruleTriggers(inputs)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			f := &facts[i%numInputs]
			if err := g.trigger(f); err != nil {
				b.Fatal(err)
			}
			sinkInt = f.Priority
		}
	})
}

func BenchmarkDecimalCompare(b *testing.B) {
	b.Run("same-exponent", func(b *testing.B) {
		thresholds := sameExponentThresholds(inputs)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			j := i % numInputs
			sinkBool = inputs[j].Score.GreaterThanOrEqual(thresholds[j])
		}
	})
	b.Run("mixed-exponent", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkBool = inputs[i%numInputs].Score.GreaterThanOrEqual(hundred)
		}
	})
	b.Run("leadline-threshold", func(b *testing.B) {
		th := lead.NewThreshold(hundred)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkBool = th.Reached(inputs[i%numInputs].Score)
		}
	})
}
