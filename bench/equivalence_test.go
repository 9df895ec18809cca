package bench

import (
	"context"
	"errors"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/qmuntal/stateless"
	"github.com/shopspring/decimal"
)

// Every implementation must give the hand-written answer before any of
// its numbers count: on all 1,024 inputs and on the boundary grid for W2
// and W3, and on W1's fresh lead and W1-invalid's lead at Stage2.

// inputSets are the inputs the W2 and W3 answers are compared on.
func inputSets(tb testing.TB) map[string][]Input {
	tb.Helper()
	return map[string][]Input{"inputs": inputs, "boundary": boundaryInputs()}
}

func TestInputs_asDefined(t *testing.T) {
	again := makeInputs()
	for i := range again {
		a, b := again[i], inputs[i]
		if !a.Score.Equal(b.Score) || a.Score.Exponent() != b.Score.Exponent() {
			t.Fatalf("makeInputs is not deterministic: input %d is %v, then %v", i, b, a)
		}
		a.Score, b.Score = decimal.Decimal{}, decimal.Decimal{}
		if a != b {
			t.Fatalf("makeInputs is not deterministic: input %d is %v, then %v", i, inputs[i], again[i])
		}
	}
	if len(inputs) != numInputs {
		t.Fatalf("len(inputs) = %d, want %d", len(inputs), numInputs)
	}
	var whole, cents, near, leads, reached int
	types := map[string]int{}
	acts := map[Activity]int{}
	stats := map[Status]int{}
	for _, in := range inputs {
		switch in.Score.Exponent() {
		case 0:
			whole++
		case -2:
			cents++
		default:
			t.Errorf("score %v has exponent %d, want 0 or -2", in.Score, in.Score.Exponent())
		}
		if in.Score.GreaterThanOrEqual(decimal.New(9998, -2)) && in.Score.LessThanOrEqual(decimal.New(10002, -2)) {
			near++
		}
		if in.Status == StatusLead {
			leads++
		}
		if in.Score.GreaterThanOrEqual(hundred) {
			reached++
		}
		types[in.Type]++
		acts[in.Activity]++
		stats[in.Status]++
	}
	t.Logf("whole %d, two places %d, in 99.98..100.02 %d, >= 100 %d, Lead %d, types %v, activities %v, statuses %v",
		whole, cents, near, reached, leads, types, acts, stats)
	if whole != numInputs/2 || cents != numInputs/2 {
		t.Errorf("whole/two-place scores = %d/%d, want %d each", whole, cents, numInputs/2)
	}
	if near < numInputs/8-40 || near > numInputs/8+40 {
		t.Errorf("%d scores in 99.98..100.02, want about %d (one in eight)", near, numInputs/8)
	}
	if leads < numInputs/2-64 || leads > numInputs/2+64 {
		t.Errorf("%d Lead statuses, want about %d (half)", leads, numInputs/2)
	}
	if len(types) != 7 || len(acts) != 3 || len(stats) != 7 {
		t.Errorf("got %d types, %d activities, %d statuses; want all 7, 3, 7", len(types), len(acts), len(stats))
	}
}

func TestCampaignTypes_AreRoutingBuiltins(t *testing.T) {
	builtins := []routing.CampaignType{routing.WebInquiry, routing.DocDownload, routing.ExternalSeminar,
		routing.ContentSyndication, routing.OwnEvent, routing.UserGroup, routing.IndustrySeminar}
	for i, ty := range campaignTypes {
		if string(builtins[i]) != ty {
			t.Errorf("campaignTypes[%d] = %q, want routing's %q", i, ty, builtins[i])
		}
	}
}

func TestW1Cadence_Equivalence(t *testing.T) {
	want, err := handCadence()
	if err != nil || want.Stage.String() != fsmExhausted || want.Status != StatusRecycled {
		t.Fatalf("handCadence() = %v %v, %v; want Exhausted recycled, nil", want.Stage, want.Status, err)
	}
	check := func(t *testing.T, state string, status Status, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if state != want.Stage.String() || status != want.Status {
			t.Errorf("W1 ends at %s with status %v, want %v %v", state, status, want.Stage, want.Status)
		}
	}
	ctx := context.Background()
	t.Run("leadline", func(t *testing.T) {
		c := newLLCadence()
		for range 3 { // fresh leads, one after another
			l := llLead{Status: lead.StatusLead}
			err := c.run(&l)
			check(t, llState(&l), llStatus(l.Status), err)
			if l.Track.Stage != stage.Stage4 || l.Track.Cadence != 1 || l.Track.Late != 0 {
				t.Errorf("track = %+v, want Stage4, cadence 1, nothing late", l.Track)
			}
		}
	})
	for _, mode := range []struct {
		name string
		mode stateless.FiringMode
	}{{"stateless-fresh-queued", stateless.FiringQueued}, {"stateless-fresh-immediate", stateless.FiringImmediate}} {
		t.Run(mode.name, func(t *testing.T) {
			l, err := slFreshCadence(mode.mode)
			check(t, slState(&l), l.Status, err)
		})
	}
	t.Run("stateless-shared", func(t *testing.T) {
		s := newSLShared()
		for range 3 {
			l, err := s.cadence(ctx)
			check(t, slState(l), l.Status, err)
		}
	})
	t.Run("looplab-fresh", func(t *testing.T) {
		l := newLFLead()
		err := l.cadence(ctx)
		check(t, l.FSM.Current(), l.Status, err)
	})
	t.Run("looplab-shared-events", func(t *testing.T) {
		for range 3 {
			l := newLFLeadSharedEvents()
			err := l.cadence(ctx)
			check(t, l.FSM.Current(), l.Status, err)
		}
	})
	t.Run("looplab-reused", func(t *testing.T) {
		l := newLFLead()
		for range 3 {
			l.reset()
			err := l.cadence(ctx)
			check(t, l.FSM.Current(), l.Status, err)
		}
	})
}

func TestW1Invalid_Equivalence(t *testing.T) {
	ctx := context.Background()
	t.Run("handwritten", func(t *testing.T) {
		l := handLead{Stage: handStage2, Status: StatusLead}
		if err := l.Fire(handExhaust); !errors.Is(err, errHandInvalid) {
			t.Errorf("Fire(exhaust) at Stage2 = %v, want %v", err, errHandInvalid)
		}
		if l != (handLead{Stage: handStage2, Status: StatusLead}) {
			t.Errorf("lead = %+v after a rejected event, want it unchanged", l)
		}
	})
	t.Run("leadline", func(t *testing.T) {
		c := newLLCadence()
		l := c.atStage2()
		before := l
		if l.Track.Stage != stage.Stage2 {
			t.Fatalf("atStage2 gives %v", l.Track.Stage)
		}
		if eff := c.exhaustEarly(&l); eff != 0 {
			t.Errorf("Expire at Stage2 before its deadline = %v, want no effects", eff)
		}
		if l != before {
			t.Errorf("lead = %+v after a rejected exhaust, want %+v", l, before)
		}
	})
	t.Run("looplab", func(t *testing.T) {
		l := newLFLead()
		l.FSM.SetState(fsmStage2)
		if err := l.FSM.Event(ctx, fsmExhaust); err == nil {
			t.Error("Event(exhaust) at Stage2 = nil, want an error")
		}
		if l.FSM.Current() != fsmStage2 || l.Status != StatusLead {
			t.Errorf("lead at %s %v after a rejected event, want Stage2 lead", l.FSM.Current(), l.Status)
		}
	})
	t.Run("stateless-shared", func(t *testing.T) {
		s := newSLShared()
		l := &slLead{State: fsmStage2, Status: StatusLead}
		if err := s.exhaust(context.WithValue(ctx, slKey{}, l)); err == nil {
			t.Error("FireCtx(exhaust) at Stage2 = nil, want an error")
		}
		if *l != (slLead{State: fsmStage2, Status: StatusLead}) {
			t.Errorf("lead = %+v after a rejected event, want it unchanged", *l)
		}
	})
}

func TestW2Routing_Equivalence(t *testing.T) {
	for set, ins := range inputSets(t) {
		t.Run(set, func(t *testing.T) {
			want := make([]Dest, len(ins))
			for i := range ins {
				want[i] = handRoute(&ins[i])
			}
			logDistribution(t, want)
			exprIns := newExprInputs(ins)
			prog, progMap := newExprRoute(), newExprRouteMap()
			var v vm.VM
			g := newGruleRules("W2", gruleRouteGRL)
			facts := newGruleRoutes(ins)
			ll := newLLRouter(ins)
			impls := []struct {
				name  string
				route func(i int) (Dest, error)
			}{
				{"leadline", func(i int) (Dest, error) { return llDest(ll.route(i)), nil }},
				{"expr-struct", func(i int) (Dest, error) {
					out, err := expr.Run(prog, &exprIns[i])
					return exprDestOrZero(out, err)
				}},
				{"expr-vm", func(i int) (Dest, error) {
					out, err := v.Run(prog, &exprIns[i])
					return exprDestOrZero(out, err)
				}},
				{"expr-map", func(i int) (Dest, error) {
					out, err := expr.Run(progMap, exprMapEnv(&exprIns[i]))
					return exprDestOrZero(out, err)
				}},
				{"grule-shared", func(i int) (Dest, error) {
					err := g.route(&facts[i], false)
					return gruleDest(&facts[i]), err
				}},
				{"grule-fresh", func(i int) (Dest, error) {
					err := g.route(&facts[i], true)
					return gruleDest(&facts[i]), err
				}},
			}
			for _, impl := range impls {
				t.Run(impl.name, func(t *testing.T) {
					bad := 0
					for i := range ins {
						got, err := impl.route(i)
						if err != nil {
							t.Fatalf("route %v: %v", ins[i], err)
						}
						if got != want[i] {
							if bad++; bad <= 10 {
								t.Errorf("route %v = %v, want %v", ins[i], got, want[i])
							}
						}
					}
					if bad > 0 {
						t.Errorf("%d of %d answers differ", bad, len(ins))
					}
				})
			}
		})
	}
}

func exprDestOrZero(out any, err error) (Dest, error) {
	if err != nil {
		return 0, err
	}
	return exprDest(out), nil
}

func TestW3Trigger_Equivalence(t *testing.T) {
	for set, ins := range inputSets(t) {
		t.Run(set, func(t *testing.T) {
			want := make([]Trig, len(ins))
			for i := range ins {
				want[i] = handTrigger(&ins[i])
			}
			logDistribution(t, want)
			exprIns := newExprInputs(ins)
			prog := newExprTrigger()
			rows := newExprTable()
			var v vm.VM
			g := newGruleRules("W3", gruleTriggerGRL)
			facts := newGruleTriggers(ins)
			ll := newLLTrigger(ins)
			impls := []struct {
				name    string
				trigger func(i int) (Trig, error)
			}{
				{"leadline", func(i int) (Trig, error) { return llTrig(ll.match(i)), nil }},
				{"expr-one", func(i int) (Trig, error) {
					out, err := expr.Run(prog, &exprIns[i])
					if err != nil {
						return Trig{}, err
					}
					return exprTrig(out), nil
				}},
				{"expr-vm", func(i int) (Trig, error) {
					out, err := v.Run(prog, &exprIns[i])
					if err != nil {
						return Trig{}, err
					}
					return exprTrig(out), nil
				}},
				{"expr-table", func(i int) (Trig, error) { return exprTableMatch(rows, &exprIns[i]) }},
				{"grule-shared", func(i int) (Trig, error) {
					err := g.trigger(&facts[i])
					return gruleTrig(&facts[i]), err
				}},
			}
			for _, impl := range impls {
				t.Run(impl.name, func(t *testing.T) {
					bad := 0
					for i := range ins {
						got, err := impl.trigger(i)
						if err != nil {
							t.Fatalf("trigger %v: %v", ins[i], err)
						}
						if got != want[i] {
							if bad++; bad <= 10 {
								t.Errorf("trigger %v = %v, want %v", ins[i], got, want[i])
							}
						}
					}
					if bad > 0 {
						t.Errorf("%d of %d answers differ", bad, len(ins))
					}
				})
			}
		})
	}
}

func TestDecimalCompare_Equivalence(t *testing.T) {
	th := lead.NewThreshold(hundred)
	same := sameExponentThresholds(inputs)
	for set, ins := range inputSets(t) {
		for i, in := range ins {
			want := in.Score.GreaterThanOrEqual(hundred)
			if got := th.Reached(in.Score); got != want {
				t.Errorf("%s: Threshold(100).Reached(%v) = %v, want %v", set, in.Score, got, want)
			}
			if set == "inputs" {
				if same[i].Exponent() != in.Score.Exponent() {
					t.Errorf("same-exponent threshold %v for score %v", same[i], in.Score)
				}
				if got := in.Score.GreaterThanOrEqual(same[i]); got != want {
					t.Errorf("%v >= %v = %v, want %v", in.Score, same[i], got, want)
				}
			}
		}
	}
}

// logDistribution logs how often each answer occurs, so a skewed input
// set shows.
func logDistribution[T comparable](t *testing.T, answers []T) {
	t.Helper()
	n := map[T]int{}
	for _, a := range answers {
		n[a]++
	}
	t.Logf("%d answers: %v", len(answers), n)
}
