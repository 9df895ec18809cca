package bench

import (
	"fmt"

	"github.com/hyperjumptech/grule-rule-engine/ast"
	"github.com/hyperjumptech/grule-rule-engine/builder"
	"github.com/hyperjumptech/grule-rule-engine/engine"
	"github.com/hyperjumptech/grule-rule-engine/pkg"
	"github.com/shopspring/decimal"
)

// W2 and W3 on hyperjumptech/grule-rule-engine, as its tutorial shows it:
// GRL rules with salience, each ending with Complete(); facts are struct
// pointers with output fields, and the score threshold is a method,
// ScoreAtLeast(int64) bool, since GRL has no decimals. Variants: one
// knowledge-base instance reused with a new DataContext per evaluation
// (not safe for concurrent use), and a fresh instance from the
// KnowledgeLibrary per evaluation, the simple concurrency-safe way.

// GruleRoute is the W2 fact.
type GruleRoute struct {
	Status  string
	Score   decimal.Decimal
	Type    string
	Invited bool
	Met     bool
	Dest    string // output: none, field, inside, nurture
}

// ScoreAtLeast reports whether the score is at least n.
func (f *GruleRoute) ScoreAtLeast(n int64) bool { return f.Score.GreaterThanOrEqual(decimal.New(n, 0)) }

const gruleRouteGRL = `
rule NotLead "W2: status is not Lead: none" salience 40 {
	when
		R.Status != "lead"
	then
		R.Dest = "none";
		Complete();
}

rule Field "W2: high-engagement campaign, or invited or met by sales: field" salience 30 {
	when
		R.Type == "own_event" || R.Type == "user_group" || R.Type == "industry_seminar" || R.Invited || R.Met
	then
		R.Dest = "field";
		Complete();
}

rule Inside "W2: an MQL or a web inquiry: inside" salience 20 {
	when
		R.ScoreAtLeast(100) || R.Type == "web_inquiry"
	then
		R.Dest = "inside";
		Complete();
}

rule Nurture "W2: otherwise: nurture" salience 10 {
	when
		R.Dest == ""
	then
		R.Dest = "nurture";
		Complete();
}
`

// GruleTrigger is the W3 fact.
type GruleTrigger struct {
	Activity string
	Score    decimal.Decimal
	Priority int64  // output: 0 for none
	RuleID   string // output (Rule is a GRL keyword)
}

// ScoreAtLeast reports whether the score is at least n.
func (f *GruleTrigger) ScoreAtLeast(n int64) bool {
	return f.Score.GreaterThanOrEqual(decimal.New(n, 0))
}

const gruleTriggerGRL = `
rule A1 "W3: inquiry from an MQL: priority 1" salience 30 {
	when
		T.Activity == "inquiry" && T.ScoreAtLeast(100)
	then
		T.Priority = 1;
		T.RuleID = "A1";
		Complete();
}

rule A2 "W3: inquiry below the threshold: priority 2" salience 20 {
	when
		T.Activity == "inquiry" && !T.ScoreAtLeast(100)
	then
		T.Priority = 2;
		T.RuleID = "A2";
		Complete();
}

rule A3 "W3: document download by an MQL: priority 3" salience 10 {
	when
		T.Activity == "download" && T.ScoreAtLeast(100)
	then
		T.Priority = 3;
		T.RuleID = "A3";
		Complete();
}
`

const gruleVersion = "0.0.1"

// gruleRules is one rule set: its library, a shared knowledge-base
// instance and the engine.
type gruleRules struct {
	name   string
	lib    *ast.KnowledgeLibrary
	shared *ast.KnowledgeBase
	engine *engine.GruleEngine
}

func newGruleRules(name, grl string) *gruleRules {
	lib := ast.NewKnowledgeLibrary()
	if err := builder.NewRuleBuilder(lib).BuildRuleFromResource(name, gruleVersion, pkg.NewBytesResource([]byte(grl))); err != nil {
		panic(fmt.Sprintf("bench: grule: build %s: %v", name, err))
	}
	kb, err := lib.NewKnowledgeBaseInstance(name, gruleVersion)
	if err != nil {
		panic(fmt.Sprintf("bench: grule: instance of %s: %v", name, err))
	}
	return &gruleRules{name: name, lib: lib, shared: kb, engine: engine.NewGruleEngine()}
}

// execShared evaluates the rules on fact with the shared instance and a
// new DataContext.
func (g *gruleRules) execShared(key string, fact any) error {
	dc := ast.NewDataContext()
	if err := dc.Add(key, fact); err != nil {
		return err
	}
	return g.engine.Execute(dc, g.shared)
}

// execFresh evaluates the rules on fact with a new instance.
func (g *gruleRules) execFresh(key string, fact any) error {
	kb, err := g.lib.NewKnowledgeBaseInstance(g.name, gruleVersion)
	if err != nil {
		return err
	}
	dc := ast.NewDataContext()
	if err := dc.Add(key, fact); err != nil {
		return err
	}
	return g.engine.Execute(dc, kb)
}

func newGruleRoutes(ins []Input) []GruleRoute {
	out := make([]GruleRoute, len(ins))
	for i, in := range ins {
		out[i] = GruleRoute{Status: in.Status.Key(), Score: in.Score, Type: in.Type, Invited: in.Invited, Met: in.Met}
	}
	return out
}

func newGruleTriggers(ins []Input) []GruleTrigger {
	out := make([]GruleTrigger, len(ins))
	for i, in := range ins {
		out[i] = GruleTrigger{Activity: in.Activity.Key(), Score: in.Score}
	}
	return out
}

// gruleRoute routes f, clearing its output first.
func (g *gruleRules) route(f *GruleRoute, fresh bool) error {
	f.Dest = ""
	if fresh {
		return g.execFresh("R", f)
	}
	return g.execShared("R", f)
}

// trigger evaluates W3 on f, clearing its output first.
func (g *gruleRules) trigger(f *GruleTrigger) error {
	f.Priority, f.RuleID = 0, ""
	return g.execShared("T", f)
}

func gruleDest(f *GruleRoute) Dest {
	switch f.Dest {
	case "field":
		return DestField
	case "inside":
		return DestInside
	case "nurture":
		return DestNurture
	case "none":
		return DestNone
	}
	panic(fmt.Sprintf("bench: grule: unexpected route %q", f.Dest))
}

func gruleTrig(f *GruleTrigger) Trig {
	if f.Priority == 0 {
		return Trig{}
	}
	return Trig{int(f.Priority), f.RuleID}
}
