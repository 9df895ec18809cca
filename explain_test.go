package leadline_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leadlinetest"
	"github.com/leadline/leadline/routing"
	"github.com/shopspring/decimal"
)

// explainOrg has two inside reps, so that T1 has someone to reassign to,
// and a field team for M2.
func explainOrg() *routing.Org {
	return &routing.Org{
		Inside: routing.Team{ID: "inside", Manager: "mgr", Reps: []routing.Rep{{ID: "rep-a"}, {ID: "rep-b"}}},
		Field:  routing.Team{ID: "field", Manager: "fmgr", Reps: []routing.Rep{{ID: "field-1"}}},
	}
}

func TestEngine_Explain(t *testing.T) {
	t.Parallel()
	k := leadlinetest.New(t, leadline.Config{Roster: explainOrg()})
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(120)})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"})
	k.Handle(lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: decimal.NewFromInt(130)})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"}) // A6: recorded on the open request
	first := k.Lead("L-1").Owner
	k.Advance(49 * time.Hour)
	k.Sweep() // T1: untouched past the Stage1 window
	second := k.Lead("L-1").Owner
	k.Handle(lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: second, Channels: 1})
	k.Handle(lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Actor: second, Status: lead.StatusLead, Reason: "qualified"})

	got, err := k.Engine.Explain(t.Context(), leadlinetest.Ops, "L-1")
	if err != nil {
		t.Fatal(err)
	}
	var saw []string
	for i, d := range got {
		saw = append(saw, d.Field.String()+" "+d.Rules[0])
		if i > 0 && d.At.Before(got[i-1].At) {
			t.Errorf("decision %d at %v comes before %v: want oldest first", i, d.At, got[i-1].At)
		}
		if d.Text == "" || strings.HasPrefix(d.Text, "L-1") || d.Event == "" {
			t.Errorf("decision %d = %+v: want a text without the lead id, and its event", i, d)
		}
	}
	t.Logf("decisions: %q", saw)
	for _, want := range []string{"owner M9", "request A1", "trigger A6", "stage T1", "owner T1"} {
		if !slices.Contains(saw, want) {
			t.Errorf("Explain(L-1) = %q, want a %q decision", saw, want)
		}
	}
	for _, not := range []string{"score E8", "stage T2", "status S1", "lead "} {
		if slices.ContainsFunc(saw, func(s string) bool { return strings.HasPrefix(s, not) }) {
			t.Errorf("Explain(L-1) = %q: %q is a person's change or a record, not a rule's decision", saw, not)
		}
	}
	i := slices.IndexFunc(got, func(d leadline.Decision) bool { return d.Field == lead.FieldOwner && d.Rules[0] == "T1" })
	if i < 0 || got[i].From != first || got[i].To != second || first == second {
		t.Errorf("T1 decision %+v, want from %s to %s", got[max(i, 0)], first, second)
	}
}

func TestEngine_Explain_rulesCitedByReason(t *testing.T) {
	t.Parallel()
	k := leadlinetest.New(t, leadline.Config{Roster: explainOrg()})
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(40)})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"}) // A2
	got, err := k.Engine.Explain(t.Context(), leadlinetest.Ops, "L-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range got {
		for j, id := range d.Rules {
			if id == "" || slices.Contains(d.Rules[:j], id) {
				t.Errorf("decision %q has rules %q: want distinct ids", d.Text, d.Rules)
			}
		}
	}
	if !slices.ContainsFunc(got, func(d leadline.Decision) bool { return d.Field == lead.FieldRequest && slices.Contains(d.Rules, "A2") }) {
		t.Errorf("Explain(L-1) = %+v, want the A2 request", got)
	}
}

// TestEngine_Explain_freeTextCitesNoRule: what a person typed into a
// reason ("see T1") is kept verbatim in the decision's text, and names no
// rule behind it; the rules are the entry's own (E3, M10).
func TestEngine_Explain_freeTextCitesNoRule(t *testing.T) {
	t.Parallel()
	k := leadlinetest.New(t, leadline.Config{Roster: explainOrg()})
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(120), Owner: "rep-a"})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"})
	k.Handle(lead.Event{Kind: lead.EventBANT, Lead: "L-1", Actor: "rep-a", BANT: lead.BANT{Need: "SFA", Timeline: "Q3"}})
	k.Handle(lead.Event{Kind: lead.EventHandoff, Lead: "L-1", Actor: "rep-a", To: "field-1"})
	const typed = "A1 なし; see T1 (M3)"
	k.Handle(lead.Event{Kind: lead.EventReject, Lead: "L-1", Actor: "field-1", Reason: typed, Status: lead.StatusRecycled})
	got, err := k.Engine.Explain(t.Context(), leadlinetest.Ops, "L-1")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range got {
		if !strings.Contains(d.Text, typed) {
			continue
		}
		n++
		if !slices.Equal(d.Rules, []string{"M10"}) {
			t.Errorf("decision %q has rules %q; want [M10]: A1, T1 and M3 were typed by a person", d.Text, d.Rules)
		}
	}
	if n == 0 {
		t.Fatalf("no decision keeps the typed reason verbatim: %+v", got)
	}
}

// A viewer who may not see a lead cannot ask why it went where it did: the
// answer is the not-found of an unknown id (M2).
func TestEngine_Explain_M2(t *testing.T) {
	t.Parallel()
	k := leadlinetest.New(t, leadline.Config{Roster: explainOrg()})
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(120)})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"})
	field := routing.Viewer{Rep: "field-1", Team: "field", Role: routing.RoleField}
	for _, id := range []string{"L-1", "L-404"} {
		got, err := k.Engine.Explain(t.Context(), field, id)
		if !errors.Is(err, leadline.ErrNotFound) || got != nil {
			t.Errorf("Explain(field-1, %s) = %v, %v; want nil and ErrNotFound", id, got, err)
		}
	}
	_, err1 := k.Engine.Explain(t.Context(), field, "L-1")
	_, err2 := k.Engine.Lead(t.Context(), field, "L-1")
	if err1.Error() != err2.Error() {
		t.Errorf("Explain says %q where Lead says %q: a viewer could tell them apart", err1, err2)
	}
	if _, err := k.Engine.Explain(t.Context(), inside(), "L-1"); err != nil {
		t.Errorf("Explain as an inside rep: %v", err)
	}
}

func inside() routing.Viewer {
	return routing.Viewer{Rep: "rep-a", Team: "inside", Role: routing.RoleInside}
}

// TestEngine_Explain_values: a decision says the policy values that made
// it, not only its rule: T1's reassignment names the Stage1 window, the
// instant it ran out and who was left out of the round robin (T1, M9).
func TestEngine_Explain_values(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		within time.Duration
		want   []string
	}{
		{"the rule book's 48h", 0, []string{"T1: Stage1 attempt overdue: no attempt within 48h, due ", "no attempt within the Stage1 window (48h); round robin over inside sales, rep-a excluded"}},
		{"a policy's 24h", 24 * time.Hour, []string{"no attempt within 24h, due ", "Stage1 window (24h)"}},
	} {
		pol := leadline.DefaultPolicy()
		if tt.within > 0 {
			pol.Cadence.Stage1.Within = tt.within
		}
		k := leadlinetest.New(t, leadline.Config{Roster: explainOrg(), Policy: pol})
		k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(120), Owner: "rep-a"})
		k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"})
		k.Advance(49 * time.Hour)
		k.Sweep()
		ds, err := k.Engine.Explain(t.Context(), leadlinetest.Ops, "L-1")
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		for _, d := range ds {
			text.WriteString(d.Text + "\n")
		}
		for _, w := range tt.want {
			if !strings.Contains(text.String(), w) {
				t.Errorf("%s: Explain lacks %q:\n%s", tt.name, w, text.String())
			}
		}
	}
}
