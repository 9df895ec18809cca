package leadline

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
)

// Decision is one entry of a lead's history that a rule made (E3): a
// trigger that opened a request or was recorded or suppressed (A1-A6, S5,
// M11), a route chosen (M1-M8), an owner picked, reassigned or escalated
// (M9, T1, T10), a deadline missed (T1, T8), a cadence exhausted and the
// lead recycled (T7) or re-engaged (A5), a hand-off (M10, M5). It answers
// "why did this lead go to this rep?" one step at a time.
type Decision struct {
	At    time.Time  `json:"at"`
	Field lead.Field `json:"field"`
	From  string     `json:"from"`
	To    string     `json:"to"`
	// Rules are the rule ids behind the decision: the entry's own rule,
	// then those its reason cites, in order of first mention.
	Rules []string `json:"rules"`
	// Actor is who made it: [lead.ActorEngine] for the engine's own
	// decisions, the rep for a hand-off, an acceptance or a rejection.
	Actor string `json:"actor"`
	// Event is the id of the event, or the key of the deadline, that
	// caused it.
	Event string `json:"event"`
	// Reason is the decision's reason in structured form: the catalogue
	// key of its kind ("reassigned") and the policy values and facts that
	// produced it ({"window": "48h", "excluded": "rep-a"}), read from the
	// stored English reason ([rules.ParseReason], E3).
	Reason rules.Reason `json:"reason"`
	// Text is the entry on one line in the team's language with its
	// instants in the team's zone (E10): "route inside -> field by
	// leadline (M4: invited by a field rep)" in English, 「M4: M4 フィールド
	// 担当の招待。担当部門 内勤 → フィールド」 in Japanese. Free text a
	// person typed is kept verbatim.
	Text string `json:"text"`
}

// TextIn returns d on one line in lang with its instants in zone (E10),
// for a reader whose language is not the team's: the dashboard's
// language switch, the command's -lang. A language without built-in
// decision texts reads English; a nil zone keeps instants as stored.
func (d Decision) TextIn(lang rules.Language, zone *time.Location) string {
	c := lead.Change{Field: d.Field, From: d.From, To: d.To, Actor: d.Actor}
	if len(d.Rules) > 0 {
		c.Rule = d.Rules[0]
	}
	c.Reason = d.Reason.Text(rules.English, nil)
	return rules.ChangeText(c, lang, zone)
}

// Explain returns the decisions in lead id's history, oldest first, each
// with its rule ids, its reason as values, and its text in the team's
// language and zone (E3, E10): the entries the engine made on its own, and the
// hand-off entries people made under M10 and M5. Person's changes that no
// rule decided (a status set, an attempt, a response, a score) are left
// out; History has them. A viewer who may not see the lead gets the same
// error as for an unknown id, one wrapping [ErrNotFound] (M2).
func (e *Engine) Explain(ctx context.Context, v routing.Viewer, id string) ([]Decision, error) {
	h, err := e.History(ctx, v, id)
	if err != nil {
		return nil, err
	}
	var out []Decision
	for _, c := range h {
		if c.Rule == "" || c.Field == lead.FieldScore || c.Field == lead.FieldResponse ||
			c.Actor != lead.ActorEngine && c.Field != lead.FieldHandoff && c.Field != lead.FieldRoute {
			continue
		}
		r := rules.ParseReason(c)
		out = append(out, Decision{At: c.At, Field: c.Field, From: c.From, To: c.To,
			Rules: citedRules(c.Rule, ruleWords(c.Reason, r)), Actor: c.Actor, Event: c.Event,
			Reason: r, Text: rules.ChangeText(c, e.pol.Language, e.pol.Zone())})
	}
	return out, nil
}

// ruleWords is the part of a stored reason that the rules wrote: text
// without the values a person or a policy typed into it (a rejection's
// reason, a feedback comment, a lead source, a trigger's subject), whose
// "A1" is not a rule behind the decision (E3).
func ruleWords(text string, r rules.Reason) string {
	for _, k := range [...]string{"reason", "comment", "source", "subject"} {
		if v := r.Values[k]; v != "" {
			text = strings.Replace(text, v, "", 1)
		}
	}
	return text
}

// citedRules returns rule, then the rule ids text cites ("M3", "A1"), in
// order of first mention, each once.
func citedRules(rule, text string) []string {
	ids := []string{rule}
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(" ;:,()", r) }) {
		if len(f) >= 2 && len(f) <= 3 && strings.ContainsRune("SATVME", rune(f[0])) &&
			strings.Trim(f[1:], "0123456789") == "" && f[1] != '0' && !slices.Contains(ids, f) {
			ids = append(ids, f)
		}
	}
	return ids
}
