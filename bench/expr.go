package bench

import (
	"fmt"
	"reflect"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"
)

// W2 and W3 on expr-lang/expr, as its documentation suggests: programs
// compiled once against a struct env (expr.Env(&ExprInput{})) and run with
// expr.Run(program, &in). A decimal score has no >= in expr, so the
// comparison is glue: an expr.Function with a typed signature, and
// expr.Operator replacing >= (and <) on a decimal and an int with it.
// Variants: a reused vm.VM; a map env built per evaluation; for W3 a rule
// table, one bool program per row, first match wins.

// ExprInput is the struct env: one lead as the expressions see it.
type ExprInput struct {
	Status   string
	Score    decimal.Decimal
	Type     string
	Invited  bool
	Met      bool
	Activity string
}

func newExprInputs(ins []Input) []ExprInput {
	out := make([]ExprInput, len(ins))
	for i, in := range ins {
		out[i] = ExprInput{Status: in.Status.Key(), Score: in.Score, Type: in.Type,
			Invited: in.Invited, Met: in.Met, Activity: in.Activity.Key()}
	}
	return out
}

// exprDecimalOptions are the glue that gives decimals >= and < against an
// integer literal.
func exprDecimalOptions() []expr.Option {
	return []expr.Option{
		expr.Function("decimalGTE", func(params ...any) (any, error) {
			return params[0].(decimal.Decimal).GreaterThanOrEqual(decimal.New(int64(params[1].(int)), 0)), nil
		}, new(func(decimal.Decimal, int) bool)),
		expr.Function("decimalLT", func(params ...any) (any, error) {
			return params[0].(decimal.Decimal).LessThan(decimal.New(int64(params[1].(int)), 0)), nil
		}, new(func(decimal.Decimal, int) bool)),
		expr.Operator(">=", "decimalGTE"),
		expr.Operator("<", "decimalLT"),
	}
}

func exprCompile(code string, env any, opts ...expr.Option) *vm.Program {
	opts = append(append([]expr.Option{expr.Env(env)}, exprDecimalOptions()...), opts...)
	p, err := expr.Compile(code, opts...)
	if err != nil {
		panic(fmt.Sprintf("bench: expr: compile %q: %v", code, err))
	}
	return p
}

// exprRouteCode is W2 as one expression.
const exprRouteCode = `Status != "lead" ? "none" :
	(Type in ["own_event", "user_group", "industry_seminar"] || Invited || Met) ? "field" :
	(Score >= 100 || Type == "web_inquiry") ? "inside" :
	"nurture"`

// exprMapEnvType declares the map env's variables and their types.
var exprMapEnvType = map[string]any{"Status": "", "Score": decimal.Decimal{}, "Type": "", "Invited": false, "Met": false}

// exprMapEnv builds the map env of one evaluation.
func exprMapEnv(in *ExprInput) map[string]any {
	return map[string]any{"Status": in.Status, "Score": in.Score, "Type": in.Type, "Invited": in.Invited, "Met": in.Met}
}

func newExprRoute() *vm.Program {
	return exprCompile(exprRouteCode, &ExprInput{}, expr.AsKind(reflect.String))
}
func newExprRouteMap() *vm.Program {
	return exprCompile(exprRouteCode, exprMapEnvType, expr.AsKind(reflect.String))
}

func exprDest(out any) Dest {
	switch out {
	case "field":
		return DestField
	case "inside":
		return DestInside
	case "nurture":
		return DestNurture
	case "none":
		return DestNone
	}
	panic(fmt.Sprintf("bench: expr: unexpected route %v", out))
}

// exprTriggerCode is W3 as one expression giving the priority, 0 for none.
const exprTriggerCode = `Activity == "inquiry" ? (Score >= 100 ? 1 : 2) :
	(Activity == "download" && Score >= 100) ? 3 :
	0`

// exprPriorityRules names the rule of each priority of exprTriggerCode.
var exprPriorityRules = [...]string{"", "A1", "A2", "A3"}

func newExprTrigger() *vm.Program { return exprCompile(exprTriggerCode, &ExprInput{}, expr.AsInt()) }

func exprTrig(out any) Trig {
	p := out.(int)
	if p == 0 {
		return Trig{}
	}
	return Trig{p, exprPriorityRules[p]}
}

// exprRow is one row of the W3 rule table.
type exprRow struct {
	When *vm.Program
	Trig Trig
}

// exprTriggerRows are W3 as a table of conditions, as a rules
// configuration would hold them.
var exprTriggerRows = []struct {
	when string
	trig Trig
}{
	{`Activity == "inquiry" && Score >= 100`, Trig{1, "A1"}},
	{`Activity == "inquiry" && Score < 100`, Trig{2, "A2"}},
	{`Activity == "download" && Score >= 100`, Trig{3, "A3"}},
}

func newExprTable() []exprRow {
	rows := make([]exprRow, len(exprTriggerRows))
	for i, r := range exprTriggerRows {
		rows[i] = exprRow{When: exprCompile(r.when, &ExprInput{}, expr.AsBool()), Trig: r.trig}
	}
	return rows
}

// exprTableMatch returns the first row whose condition holds for in.
func exprTableMatch(rows []exprRow, in *ExprInput) (Trig, error) {
	for i := range rows {
		out, err := expr.Run(rows[i].When, in)
		if err != nil {
			return Trig{}, err
		}
		if out.(bool) {
			return rows[i].Trig, nil
		}
	}
	return Trig{}, nil
}
