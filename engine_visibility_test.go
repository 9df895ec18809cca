package leadline_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
)

// TestEngine_visibility_M2 is the visibility property: for random
// leads in every position (inside MQLs, field-desk leads of each field
// rep, Pre-SQLs handed off, invitation-list entries), every role (inside
// rep, each field rep, the inside team's manager, the field team's
// manager named by team or by rep, sales management, ops) and the summary
// switch on and off, every read path shows a viewer exactly the leads the
// rule book lets them see (M2, V10), and a hidden lead answers exactly as
// a missing id does: same error, same text but for the id.
//
// What a viewer may see is written here from the rule book, not from
// routing.Access: inside sales, their manager, sales management and ops
// see every lead; a field rep sees the field-desk leads they own; the
// field team's manager sees the whole field desk; with the switch on,
// field sales also see the campaign responses (not invitation-list
// entries) of every other lead, and nothing else of it.
func TestEngine_visibility_M2(t *testing.T) {
	t.Parallel()
	fieldReps := []string{"field-1", "field-2", "field-3"}
	rapid.Check(t, func(rt *rapid.T) {
		summary := rapid.Bool().Draw(rt, "field summary")
		pol := leadline.DefaultPolicy()
		pol.Routing.FieldSummary = summary
		h := newRouting(t, leadline.Config{Policy: pol})
		n := rapid.IntRange(2, 7).Draw(rt, "leads")
		var ids []string
		for i := range n {
			id := fmt.Sprintf("L-%d", i)
			ids = append(ids, id)
			owner := rapid.SampledFrom([]string{"", "", "field-2"}).Draw(rt, "account owner")
			h.create(t, id, score(rapid.SampledFrom([]string{"10", "120"}).Draw(rt, "score")), owner)
			for range rapid.IntRange(0, 4).Draw(rt, "events") {
				var ev lead.Event
				switch rapid.IntRange(0, 5).Draw(rt, "kind") {
				case 0:
					ev = lead.Event{Kind: lead.EventInquiry, Lead: id, Topic: "料金"}
				case 1:
					ev = lead.Event{Kind: lead.EventResponse, Lead: id, Campaign: userConf.ID, Response: lead.ResponseAttended,
						MetBy: rapid.SampledFrom(append([]string{""}, fieldReps...)).Draw(rt, "met by"), Actor: "marketing"}
				case 2:
					ev = lead.Event{Kind: lead.EventResponse, Lead: id, Campaign: userConf.ID, Response: lead.ResponseListed, Actor: "marketing"}
				case 3:
					ev = lead.Event{Kind: lead.EventResponse, Lead: id, Campaign: webinar.ID, Response: lead.ResponseAttended, Actor: "marketing"}
				case 4:
					_ = h.handle(t, lead.Event{Kind: lead.EventBANT, Lead: id, Actor: "rep-a", BANT: lead.BANT{Need: "routing", Timeline: "Q3"}})
					ev = lead.Event{Kind: lead.EventHandoff, Lead: id, Actor: "rep-a", To: rapid.SampledFrom(fieldReps).Draw(rt, "to")}
				case 5:
					h.clk.Add(49 * time.Hour)
					if _, err := h.eng.Sweep(t.Context()); err != nil {
						rt.Fatal(err)
					}
					continue
				}
				_ = h.handle(t, ev) // the rules may refuse a drawn event; what they accept is the state
			}
		}
		stored := map[string]lead.Lead{}
		for _, id := range ids {
			l, err := h.kit.Store.Lead(t.Context(), id)
			if err != nil {
				rt.Fatal(err)
			}
			stored[id] = l
		}
		responded := func(l lead.Lead) bool {
			return slices.ContainsFunc(l.Responses, func(r lead.Touch) bool { return r.Kind != lead.ResponseListed })
		}
		type viewer struct {
			v       routing.Viewer
			full    func(l lead.Lead) bool
			summary bool // sees a summary of what it cannot see fully
		}
		all := func(lead.Lead) bool { return true }
		viewers := []viewer{
			{routing.Viewer{Rep: "rep-b", Role: routing.RoleInside}, all, false},
			{routing.Viewer{Rep: "mgr", Team: "inside", Role: routing.RoleManager}, all, false},
			{routing.Viewer{Rep: "mgr", Role: routing.RoleManager}, all, false},
			{routing.Viewer{Rep: "director", Role: routing.RoleManager}, all, false},
			{routing.Viewer{Role: routing.RoleOps}, all, false},
			{routing.Viewer{Rep: "fmgr", Team: "field", Role: routing.RoleManager}, func(l lead.Lead) bool { return l.Desk == lead.DeskField }, summary},
			{routing.Viewer{Rep: "fmgr", Role: routing.RoleManager}, func(l lead.Lead) bool { return l.Desk == lead.DeskField }, summary},
			{routing.Viewer{Rep: "deputy", Team: "field", Role: routing.RoleManager}, func(l lead.Lead) bool { return l.Desk == lead.DeskField }, summary},
		}
		for _, rep := range fieldReps {
			viewers = append(viewers, viewer{routing.Viewer{Rep: rep, Team: "field", Role: routing.RoleField},
				func(l lead.Lead) bool { return l.Desk == lead.DeskField && l.Owner == rep }, summary})
		}
		for _, vw := range viewers {
			v := vw.v
			var want []string
			for _, id := range ids {
				if vw.full(stored[id]) {
					want = append(want, id)
				}
			}
			// One lead at a time: Lead, History, Explain, Summary.
			missing := probe(t, h, v, "L-missing")
			for _, id := range ids {
				got := probe(t, h, v, id)
				if vw.full(stored[id]) {
					if got.lead != nil || got.history != nil || got.explain != nil || got.summary != nil {
						rt.Fatalf("%+v may see %s (%+v) but reads %+v", v, id, stored[id], got)
					}
					continue
				}
				wantMissing := missing
				if vw.summary && responded(stored[id]) {
					wantMissing.summary = nil // a field viewer with the switch sees the responses
				}
				if !got.sameAs(wantMissing, id, "L-missing") {
					rt.Fatalf("%+v may not see %s (%+v) but it answers\n%v\nwhere a missing id answers\n%v", v, id, stored[id], got, wantMissing)
				}
			}
			// Lists, in pages of every size.
			for limit := range 4 {
				var listed []string
				q := leadline.Query{Limit: limit}
				for {
					page, err := h.eng.Leads(t.Context(), v, q)
					if err != nil {
						rt.Fatal(err)
					}
					for _, l := range page {
						listed = append(listed, l.ID)
					}
					if limit == 0 || len(page) < limit {
						break
					}
					q.After = page[len(page)-1].ID
				}
				if !slices.Equal(listed, want) {
					rt.Fatalf("Leads(%+v, limit %d) = %v, want %v", v, limit, listed, want)
				}
			}
			// The feedback sheet and the call list.
			var sheet bytes.Buffer
			if _, err := h.eng.ExportFeedback(t.Context(), v, &sheet, ""); err != nil {
				rt.Fatal(err)
			}
			for _, id := range ids {
				if strings.Contains(sheet.String(), "\n"+id+",") && !slices.Contains(want, id) {
					rt.Fatalf("ExportFeedback(%+v) shows %s, which they may not see", v, id)
				}
			}
			if cl, err := h.eng.CallList(t.Context(), v, userConf.ID); err == nil {
				for _, l := range cl {
					if !slices.Contains(want, l.ID) {
						rt.Fatalf("CallList(%+v) shows %s, which they may not see", v, l.ID)
					}
				}
			} else if !errors.Is(err, leadline.ErrInvalidTransition) {
				rt.Fatal(err)
			}
			// Every report, with the viewer the engine resolves (V10).
			rv, err := h.eng.Viewer(t.Context(), v)
			if err != nil {
				rt.Fatal(err)
			}
			rules := pol.Routing
			f := report.Frame{Now: h.clk.Now(), Routing: &rules}
			week := report.Period{From: monday.Add(-7 * 24 * time.Hour), To: h.clk.Now().Add(time.Hour)}
			for name, rows := range map[string]func() (any, error){
				"Worklist": func() (any, error) {
					return report.Worklist(t.Context(), h.kit.Store, rv, report.WorklistParams{Frame: f})
				},
				"Requests": func() (any, error) {
					return report.Requests(t.Context(), h.kit.Store, rv, report.RequestsParams{Frame: f})
				},
				"Overdue": func() (any, error) {
					return report.Overdue(t.Context(), h.kit.Store, rv, report.OverdueParams{Frame: f})
				},
				"ScoreJumps": func() (any, error) {
					return report.ScoreJumps(t.Context(), h.kit.Store, rv, report.ScoreJumpsParams{Frame: f})
				},
				"Created": func() (any, error) {
					return report.CreatedThisWeek(t.Context(), h.kit.Store, rv, report.CreatedParams{Frame: f, Period: week})
				},
			} {
				got, err := rows()
				if err != nil {
					rt.Fatalf("%s(%+v) = %v", name, v, err)
				}
				for _, id := range leadIDs(got) {
					if !slices.Contains(want, id) {
						rt.Fatalf("%s(%+v) shows %s, which they may not see", name, v, id)
					}
				}
			}
			if len(want) == 0 {
				fn, err := report.Funnel(t.Context(), h.kit.Store, rv, report.FunnelParams{Frame: f, Period: week})
				if err != nil {
					rt.Fatal(err)
				}
				for _, r := range fn {
					if r.MQL+r.Approached+r.Connected+r.PreSQL+r.Accepted+r.Opportunity > 0 {
						rt.Fatalf("Funnel(%+v), who sees no lead, counts %+v", v, r)
					}
				}
			}
		}
	})
}

// answers is what one id answers to a viewer on each single-lead read:
// the error of each, nil where the read succeeded.
type answers struct{ lead, history, explain, summary error }

func probe(t *testing.T, h *harness, v routing.Viewer, id string) answers {
	_, lerr := h.eng.Lead(t.Context(), v, id)
	_, herr := h.eng.History(t.Context(), v, id)
	_, xerr := h.eng.Explain(t.Context(), v, id)
	_, serr := h.eng.Summary(t.Context(), v, id)
	return answers{lerr, herr, xerr, serr}
}

// sameAs reports whether a, the answers for id, are b, the answers for
// other, but for the id: the same sentinel and the same text.
func (a answers) sameAs(b answers, id, other string) bool {
	same := func(x, y error) bool {
		if x == nil || y == nil {
			return x == nil && y == nil
		}
		return errors.Is(x, leadline.ErrNotFound) && errors.Is(y, leadline.ErrNotFound) &&
			strings.ReplaceAll(x.Error(), id, "ID") == strings.ReplaceAll(y.Error(), other, "ID")
	}
	return same(a.lead, b.lead) && same(a.history, b.history) && same(a.explain, b.explain) && same(a.summary, b.summary)
}

func (a answers) String() string {
	return fmt.Sprintf("Lead: %v\nHistory: %v\nExplain: %v\nSummary: %v", a.lead, a.history, a.explain, a.summary)
}

// leadIDs returns the Lead field of every row of a report.
func leadIDs(rows any) []string {
	v := reflect.ValueOf(rows)
	var out []string
	for i := range v.Len() {
		if f := v.Index(i).FieldByName("Lead"); f.IsValid() && f.Kind() == reflect.String {
			out = append(out, f.String())
		}
	}
	return out
}
