package sim

import (
	"fmt"
	"slices"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
)

// Tally counts what a run did from what the engine tells: notifications
// by kind and rule id, history changes by field and rule id, and what
// each person did ([Work]). Feed it the notifications delivered
// ([Day.Notifications], [Sim.Notifications]) and the changes written
// ([Sim.Changes]); a day's tally and the run's are two tallies fed the
// same things. The zero value is ready to use.
type Tally struct {
	notes   map[ruleKey]int
	changes map[ruleKey]int
	work    map[string]*Work
	owner   map[string]string // lead id -> owner, as the changes fed so far tell
}

type ruleKey struct {
	kind int // a NotificationKind or a lead.Field
	rule string
}

// Work is what one person did, as a [Tally] reads it from notifications
// and history.
type Work struct {
	Requests  int // approach requests received (A1, A2, A3)
	Inherited int // leads reassigned (T1) or escalated (T10) to them
	Reminders int // reminders received (T8, T9)
	Alerts    int // manager alerts received (T8, T9)
	Attempts  int // outbound attempts in a running cadence (T2-T5, T9)
	Firsts    int // of those, first attempts on an untouched lead
	Late      int // of those, late ones (T9)
	Lost      int // leads taken from them, reassigned (T1) or escalated (T10)
	Connected int // leads that connected while theirs (T6)
	Recycled  int // leads recycled while theirs (T7)
}

// Add adds o's counts to w's.
func (w *Work) Add(o Work) {
	w.Requests += o.Requests
	w.Inherited += o.Inherited
	w.Reminders += o.Reminders
	w.Alerts += o.Alerts
	w.Attempts += o.Attempts
	w.Firsts += o.Firsts
	w.Late += o.Late
	w.Lost += o.Lost
	w.Connected += o.Connected
	w.Recycled += o.Recycled
}

// attemptRules are the rules an outbound attempt writes its stage change
// under: T2-T5 by the stage reached, T9 when late.
var attemptRules = []string{"T2", "T3", "T4", "T5", "T9"}

func (t *Tally) of(person string) *Work {
	if t.work == nil {
		t.work = map[string]*Work{}
	}
	w := t.work[person]
	if w == nil {
		w = &Work{}
		t.work[person] = w
	}
	return w
}

// Note counts notifications: by kind and rule, and for the recipient's
// [Work].
func (t *Tally) Note(ns ...leadline.Notification) {
	if t.notes == nil {
		t.notes = map[ruleKey]int{}
	}
	for _, n := range ns {
		t.notes[ruleKey{int(n.Kind), n.Rule}]++
		switch n.Kind {
		case leadline.NoteApproachRequest:
			t.of(n.To).Requests++
		case leadline.NoteReassigned, leadline.NoteEscalated:
			t.of(n.To).Inherited++
		case leadline.NoteReminder:
			t.of(n.To).Reminders++
		case leadline.NoteManagerAlert:
			t.of(n.To).Alerts++
		}
	}
}

// Change counts history changes: by field and rule, and for the [Work]
// of who made them (attempts) or whose lead it was (connected,
// recycled, lost). A lead's owner is read from its owner changes, so
// feed each lead's changes oldest first and from its first.
func (t *Tally) Change(cs ...lead.Change) {
	if t.changes == nil {
		t.changes, t.owner = map[ruleKey]int{}, map[string]string{}
	}
	for _, c := range cs {
		t.changes[ruleKey{int(c.Field), c.Rule}]++
		switch {
		case c.Field == lead.FieldOwner:
			if c.Rule == "T1" || c.Rule == "T10" {
				t.of(c.From).Lost++
			}
			t.owner[c.Lead] = c.To
		case c.Field == lead.FieldStage && c.Actor != lead.ActorEngine && slices.Contains(attemptRules, c.Rule):
			w := t.of(c.Actor)
			w.Attempts++
			if c.Rule == "T9" {
				w.Late++
			}
			if c.From == stage.Untouched.Key() {
				w.Firsts++
			}
		case c.Field == lead.FieldStage && c.Rule == "T6":
			t.of(t.owner[c.Lead]).Connected++
		case c.Field == lead.FieldStatus && c.Rule == "T7":
			t.of(t.owner[c.Lead]).Recycled++
		}
	}
}

// Notes returns how many notifications of kind were counted under any of
// rules, or under any rule if none is given.
func (t *Tally) Notes(kind leadline.NotificationKind, rules ...string) int {
	return count(t.notes, int(kind), rules)
}

// Changes returns how many changes of field were counted under any of
// rules, or under any rule if none is given.
func (t *Tally) Changes(field lead.Field, rules ...string) int {
	return count(t.changes, int(field), rules)
}

func count(m map[ruleKey]int, kind int, rules []string) int {
	n := 0
	for k, v := range m {
		if k.kind == kind && (len(rules) == 0 || slices.Contains(rules, k.rule)) {
			n += v
		}
	}
	return n
}

// Work returns what person did; the zero Work if nothing was counted.
func (t *Tally) Work(person string) Work {
	if w := t.work[person]; w != nil {
		return *w
	}
	return Work{}
}

// Total returns what everyone did, added up.
func (t *Tally) Total() Work {
	var sum Work
	for _, w := range t.work {
		sum.Add(*w)
	}
	return sum
}

// Rows prints the tally's lines of a day's block of an inside-sales run,
// those with something to say: the approach requests by rule (A1-A3, A5,
// A6), the touches (T9), the missed deadlines (T1, T8, T10) and the
// outcomes (T6, T7, S1, S5). It reports whether it printed any.
func (t *Tally) Rows(p *Printer) bool {
	printed := false
	row := func(label string, n int, detail string) {
		printed = true
		p.Row(label, n, detail)
	}
	ar := leadline.NoteApproachRequest
	if n, merged := t.Notes(ar), t.Notes(leadline.NoteRequestUpdated); n > 0 || merged > 0 {
		detail := fmt.Sprintf("A1 %d, A2 %d, A3 %d", t.Notes(ar, "A1"), t.Notes(ar, "A2"), t.Notes(ar, "A3"))
		if k := t.Notes(ar, "A8"); k > 0 {
			detail += fmt.Sprintf(", A8 %d (a target account's score jump)", k)
		}
		if k := t.Changes(lead.FieldStatus, "A5"); k > 0 {
			detail += fmt.Sprintf(" (%d re-engaging a recycled lead, A5)", k)
		}
		switch {
		case merged == 1:
			detail += "; 1 further trigger merged into an open request (A6)"
		case merged > 1:
			detail += fmt.Sprintf("; %d further triggers merged into open requests (A6)", merged)
		}
		row("approach requests", n, detail)
	}
	if w := t.Total(); w.Attempts > 0 {
		row("touches", w.Attempts, fmt.Sprintf("first attempts %d, late %d (T9)", w.Firsts, w.Late))
	}
	rem, alerts, reassigned, escalated := t.Notes(leadline.NoteReminder), t.Notes(leadline.NoteManagerAlert), t.Changes(lead.FieldOwner, "T1"), t.Notes(leadline.NoteEscalated)
	if rem+alerts+reassigned+escalated > 0 {
		row("missed deadlines", -1, fmt.Sprintf("reminders %d, manager alerts %d, reassigned %d (T1), escalated %d (T10)", rem, alerts, reassigned, escalated))
	}
	conn, recycled, set, suppressed := t.Changes(lead.FieldStage, "T6"), t.Changes(lead.FieldStatus, "T7"), t.Changes(lead.FieldStatus, "S1"), t.Changes(lead.FieldRequest, "S5")
	if conn+recycled+set+suppressed > 0 {
		row("outcomes", -1, fmt.Sprintf("connected %d (T6), recycled %d (T7), statuses set %d (S1), triggers suppressed %d (S5)", conn, recycled, set, suppressed))
	}
	return printed
}
