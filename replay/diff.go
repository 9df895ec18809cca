package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leadline/leadline/policyfile"
	"github.com/leadline/leadline/rules"
)

// Comparison is what [Diff] finds between two replays of one log: how
// their policies differ, field by field, how their outcomes differ, and
// which leads ended differently. Its text ([Comparison.WriteText]) is
// for a sales manager, in English or Japanese.
type Comparison struct {
	// Policy are the policy fields that differ, in the policy's order.
	Policy []PolicyChange `json:"policy"`
	// Team are the team's numbers that differ, in the order of [Counts],
	// then the median first attempt.
	Team []Delta `json:"team"`
	// Reps are each rep's numbers that differ, by rep.
	Reps map[string][]Delta `json:"reps,omitempty"`
	// Campaigns are each campaign's numbers that differ.
	Campaigns map[string][]Delta `json:"campaigns,omitempty"`
	// Leads are the leads whose outcome differs, by id.
	Leads []LeadChange `json:"leads"`
}

// PolicyChange is one policy field that differs: Path as in the policy
// file and its errors ("cadence.stage3.within", a list's item
// "triggers.rules[0].priority"), the values as the file writes them
// ("48h", "4d"; a list as its items joined with commas). A field only
// one policy has reads "-" on the other side.
type PolicyChange struct {
	Path string `json:"path"`
	From string `json:"from"`
	To   string `json:"to"`
}

// Delta is one number that differs between the two outcomes. Counts are
// whole numbers; the median first attempt is in seconds.
type Delta struct {
	Name string `json:"name"`
	From int64  `json:"from"`
	To   int64  `json:"to"`
}

// LeadChange is a lead whose outcome differs, with both outcomes; a lead
// that only one replay has has a nil side.
type LeadChange struct {
	ID string       `json:"id"`
	A  *LeadOutcome `json:"a"`
	B  *LeadOutcome `json:"b"`
}

// Diff compares two outcomes of one log, a and b, usually under two
// policies: a is the baseline, b the what-if. Policies are compared
// field by field as the policy file writes them (package policyfile),
// the calendar deadlines count on (T11) included.
func Diff(a, b Outcome) Comparison {
	var c Comparison
	c.Policy = policyDiff(a.Policy, b.Policy)
	c.Team = rowDiff(&a.Team, &b.Team)
	c.Reps = rowsDiff(a.Reps, b.Reps)
	c.Campaigns = rowsDiff(a.Campaigns, b.Campaigns)
	ids := sortedKeys(a.Leads)
	for _, id := range sortedKeys(b.Leads) {
		if a.Leads[id] == nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		la, lb := a.Leads[id], b.Leads[id]
		if la == nil || lb == nil || !reflect.DeepEqual(la, lb) {
			c.Leads = append(c.Leads, LeadChange{ID: id, A: la, B: lb})
		}
	}
	return c
}

// countNames are the names of the fields of Counts, in order, as Delta
// and the text name them.
var countNames = []string{"requests", "attempted", "late", "reassignments", "reminders", "escalations",
	"recycles", "connections", "breaches", "handoffs"}

func countValues(c *Counts) []int {
	return []int{c.Requests, c.Attempted, c.Late, c.Reassignments, c.Reminders, c.Escalations,
		c.Recycles, c.Connections, c.Breaches, c.Handoffs}
}

// firstAttempt is the Delta name of the median first attempt.
const firstAttempt = "first_attempt_median"

func rowDiff(a, b *Row) []Delta {
	var ds []Delta
	av, bv := countValues(&a.Counts), countValues(&b.Counts)
	for i, n := range countNames {
		if av[i] != bv[i] {
			ds = append(ds, Delta{Name: n, From: int64(av[i]), To: int64(bv[i])})
		}
	}
	if fa, fb := a.FirstAttempt/time.Second, b.FirstAttempt/time.Second; fa != fb {
		ds = append(ds, Delta{Name: firstAttempt, From: int64(fa), To: int64(fb)})
	}
	return ds
}

func rowsDiff(a, b map[string]*Row) map[string][]Delta {
	out := map[string][]Delta{}
	for _, k := range append(sortedKeys(a), sortedKeys(b)...) {
		ra, rb := a[k], b[k]
		if ra == nil {
			ra = &Row{}
		}
		if rb == nil {
			rb = &Row{}
		}
		if ds := rowDiff(ra, rb); len(ds) > 0 {
			out[k] = ds
		}
	}
	return out
}

// policyDiff compares two policies field by field as their policy
// files write them (package policyfile), so that a path reads as in the
// file; a policy the file cannot write (a calendar given as a function)
// is compared through encoding/json, less its calendar.
func policyDiff(a, b rules.Policy) []PolicyChange {
	var out []PolicyChange
	fa, fb := flatten(a), flatten(b)
	for _, kv := range fa {
		to, ok := lookup(fb, kv[0])
		if !ok {
			to = "-"
		}
		if to != kv[1] {
			out = append(out, PolicyChange{Path: kv[0], From: kv[1], To: to})
		}
	}
	for _, kv := range fb {
		if _, ok := lookup(fa, kv[0]); !ok {
			out = append(out, PolicyChange{Path: kv[0], From: "-", To: kv[1]})
		}
	}
	return out
}

// durationFields are the policy fields that hold a duration.
var durationFields = map[string]bool{"within": true, "recycle_after": true, "repeat_after": true,
	"request_window": true, "history": true, "events": true}

// flatten returns p's fields as (path, value) pairs in file order, a
// list's items by index ("triggers.rules[0].on"); a list of plain values
// is one value, its items joined with commas.
func flatten(p rules.Policy) [][2]string {
	b, err := policyfile.Marshal(p)
	if err != nil {
		if b, err = json.Marshal(p.Normalize()); err != nil {
			return [][2]string{{"policy", err.Error()}}
		}
	}
	var out [][2]string
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var walk func(path string, tok json.Token)
	walk = func(path string, tok json.Token) {
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				for dec.More() {
					k, _ := dec.Token()
					v, err := dec.Token()
					if err != nil {
						return
					}
					walk(join(path, k.(string)), v)
				}
				dec.Token()
			case '[':
				var plain []string
				for i := 0; dec.More(); i++ {
					v, err := dec.Token()
					if err != nil {
						return
					}
					if d, ok := v.(json.Delim); ok {
						walk(path+"["+strconv.Itoa(i)+"]", d) // as policyfile's errors name it
						continue
					}
					plain = append(plain, scalar(v))
				}
				dec.Token()
				if plain != nil {
					out = append(out, [2]string{path, strings.Join(plain, ",")})
				}
			}
		default:
			v := scalar(t)
			last := path[strings.LastIndexByte(path, '.')+1:]
			if n, ok := t.(json.Number); ok && durationFields[last] {
				if ns, err := n.Int64(); err == nil {
					v = time.Duration(ns).String()
				}
			}
			out = append(out, [2]string{path, v})
		}
	}
	if tok, err := dec.Token(); err == nil {
		walk("", tok)
	}
	return out
}

func scalar(t json.Token) string {
	switch v := t.(type) {
	case nil:
		return "null"
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return fmt.Sprint(t)
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func lookup(kvs [][2]string, path string) (string, bool) {
	for _, kv := range kvs {
		if kv[0] == path {
			return kv[1], true
		}
	}
	return "", false
}

// WriteText writes c for a sales manager in lang (rules.English or
// rules.Japanese; any other writes English): one line for the policy
// change and what it did to the team, "Stage3 window 48h -> 24h: 37 more
// reminders, 4 fewer recycles, median first attempt unchanged", then
// each rep's and campaign's differences, then the leads whose outcome
// differs, at most maxLeads of them (0: all).
func (c *Comparison) WriteText(w io.Writer, lang rules.Language, maxLeads int) error {
	t := textsFor(lang)
	var b strings.Builder
	b.WriteString(t.policyLine(c.Policy))
	b.WriteString(": ")
	b.WriteString(t.deltas(c.Team, true))
	b.WriteString("\n")
	for _, sec := range []struct {
		title string
		rows  map[string][]Delta
	}{{t.reps, c.Reps}, {t.campaigns, c.Campaigns}} {
		if len(sec.rows) == 0 {
			continue
		}
		b.WriteString(sec.title + "\n")
		for _, k := range sortedKeys(sec.rows) {
			fmt.Fprintf(&b, "  %s: %s\n", orNone(k, t.nobody), t.deltas(sec.rows[k], false))
		}
	}
	fmt.Fprintf(&b, t.leadsDiffer+"\n", len(c.Leads))
	for i, l := range c.Leads {
		if maxLeads > 0 && i == maxLeads {
			fmt.Fprintf(&b, "  "+t.more+"\n", len(c.Leads)-maxLeads)
			break
		}
		fmt.Fprintf(&b, "  %s: %s\n", l.ID, t.leadLine(l.A, l.B))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}
