package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// ReportStore is a store that also serves the reports' read side.
type ReportStore interface {
	leadline.Store
	report.Reader
}

// RunReports runs the [report.Reader] contract: Open, Created, Changes,
// LeadsByID and ScoreAt, over what [leadline.LeadStore.Apply] wrote
// (V1-V10, A9, E8), and, for a store that answers some reports itself
// ([report.Summarizer], [report.StepReader], [report.SLAReader]), that
// every report reads the same from those answers as from the Reader
// methods alone (Pushdown). [Run] calls it for a store that implements
// report.Reader and skips it for one that does not.
func RunReports(t *testing.T, newStore func(t *testing.T) ReportStore) {
	t.Helper()
	groups(t, newStore, []group[ReportStore]{
		{"Open", testOpen},
		{"Created", testCreated},
		{"Changes", testChanges},
		{"LeadsByID", testLeadsByID},
		{"ScoreAt", testScoreAt},
		{"Pushdown", testPushdown},
	})
}

// reportStore returns newStore's stores as ReportStores, skipping t when
// they are not.
func reportStore(t *testing.T, newStore func(t *testing.T) leadline.Store) func(t *testing.T) ReportStore {
	st := newStore(t)
	defer closeStore(st)
	if _, ok := st.(ReportStore); !ok {
		t.Skipf("%T does not implement report.Reader", st)
	}
	return func(t *testing.T) ReportStore { return newStore(t).(ReportStore) }
}

func period(from, to time.Duration) report.Period { return report.Period{From: at(from), To: at(to)} }

func requested(l lead.Lead, state lead.RequestState) lead.Lead {
	l.Request = lead.Request{Seq: 1, State: state, Priority: 1, Reasons: "A1", Opened: t0, Due: at(day)}
	return l
}

func testOpen(t *testing.T, newStore func(t *testing.T) ReportStore) {
	fill := func(tb testing.TB, st ReportStore) {
		tb.Helper()
		for _, l := range []lead.Lead{
			owned("L-2", "rep-1", running(stage.Stage2)),
			owned("L-10", "rep-1", running(stage.Untouched)),
			owned("L-3", "rep-2", running(stage.Stage4)),
			owned("L-1", "rep-1", ended(stage.Connected, stage.EndConnected)),
			requested(owned("L-5", "rep-1", ended(stage.Stage3, stage.EndStopped)), lead.RequestOverdue),
			requested(owned("L-4", "rep-2", stage.Track{}), lead.RequestDone),
			requested(owned("L-6", "", stage.Track{}), lead.RequestOpen),
			owned("L-7", "rep-2", stage.Track{}),
		} {
			mustCreate(tb, st, l)
		}
	}
	cases(t, newStore, map[string]func(t *testing.T, st ReportStore){
		"Open lists running cadences and outstanding requests by owner then id": func(t *testing.T, st ReportStore) {
			fill(t, st)
			checkLeadIDs(t, "Open(nil)", mustOpen(t, st), "L-6", "L-10", "L-2", "L-5", "L-3")
			checkLeadIDs(t, "Open(rep-1)", mustOpen(t, st, "rep-1"), "L-10", "L-2", "L-5")
			checkLeadIDs(t, "Open(rep-2, rep-9)", mustOpen(t, st, "rep-2", "rep-9"), "L-3")
		},
		"Open follows a change of owner and the end of open work": func(t *testing.T, st ReportStore) {
			fill(t, st)
			l := mustLead(t, st, "L-2")
			l.Owner = "rep-2"
			mustApply(t, st, leadline.Write{Lead: l})
			l = mustLead(t, st, "L-3")
			l.Track = ended(stage.Stage4, stage.EndExhausted)
			mustApply(t, st, leadline.Write{Lead: l})
			checkLeadIDs(t, "Open(rep-1)", mustOpen(t, st, "rep-1"), "L-10", "L-5")
			checkLeadIDs(t, "Open(rep-2)", mustOpen(t, st, "rep-2"), "L-2")
			checkLead(t, "Open(rep-2)[0]", mustOpen(t, st, "rep-2")[0], mustLead(t, st, "L-2"))
		},
	})
}

func testCreated(t *testing.T, newStore func(t *testing.T) ReportStore) {
	cases(t, newStore, map[string]func(t *testing.T, st ReportStore){
		"Created lists the leads created in a half-open period by instant then id": func(t *testing.T, st ReportStore) {
			for _, c := range []struct {
				id   string
				when time.Duration
			}{{"L-1", 0}, {"L-2", day}, {"L-3", day - time.Microsecond}, {"L-4", 2 * day}, {"L-5", 0}, {"L-0", time.Hour}} {
				l := newLead(c.id, "rep-1")
				l.Created, l.Updated = at(c.when), at(c.when)
				mustCreate(t, st, l)
			}
			checkLeadIDs(t, "Created([0, 1d))", mustCreated(t, st, period(0, day)), "L-1", "L-5", "L-0", "L-3")
			checkLeadIDs(t, "Created([1d, 3d))", mustCreated(t, st, period(day, 3*day)), "L-2", "L-4")
			checkLeadIDs(t, "Created([3d, 4d))", mustCreated(t, st, period(3*day, 4*day)))
			got := mustCreated(t, st, period(2*day, 3*day))
			checkLead(t, "Created([2d, 3d))[0]", got[0], mustLead(t, st, "L-4"))
		},
	})
}

func testChanges(t *testing.T, newStore func(t *testing.T) ReportStore) {
	fill := func(tb testing.TB, st ReportStore) {
		tb.Helper()
		a, b := newLead("L-1", "rep-1"), newLead("L-2", "rep-1")
		mustApply(tb, st, leadline.Write{Lead: a, History: []lead.Change{
			change("L-1", "e1", lead.FieldLead, "", "new", at(0)),
			change("L-1", "e2", lead.FieldScore, "12.5", "30", at(time.Hour)),
			change("L-1", "e2", lead.FieldRequest, "none", "open", at(time.Hour)),
		}})
		mustApply(tb, st, leadline.Write{Lead: b, History: []lead.Change{
			change("L-2", "e3", lead.FieldLead, "", "new", at(0)),
			change("L-2", "e4", lead.FieldScore, "12.5", "9", at(2*time.Hour)),
		}})
		a.Version = 1
		mustApply(tb, st, leadline.Write{Lead: a, History: []lead.Change{
			// Written late: the order is by instant, not by write.
			change("L-1", "e5", lead.FieldScore, "30", "40", at(30*time.Minute)),
			change("L-1", "e6", lead.FieldStage, "untouched", "stage1", at(day)),
		}})
	}
	cases(t, newStore, map[string]func(t *testing.T, st ReportStore){
		"Changes lists a period's entries by instant, lead and write order": func(t *testing.T, st ReportStore) {
			fill(t, st)
			checkChanges(t, "Changes([0, 1d))", mustChanges(t, st, report.ChangeQuery{Period: period(0, day)}),
				"L-1 e1 lead", "L-2 e3 lead", "L-1 e5 score", "L-1 e2 score", "L-1 e2 request", "L-2 e4 score")
			checkChanges(t, "Changes([1h, 1d+1µs))", mustChanges(t, st, report.ChangeQuery{Period: period(time.Hour, day+time.Microsecond)}),
				"L-1 e2 score", "L-1 e2 request", "L-2 e4 score", "L-1 e6 stage")
		},
		"Changes keeps the fields asked for": func(t *testing.T, st ReportStore) {
			fill(t, st)
			got := mustChanges(t, st, report.ChangeQuery{Period: period(0, 2*day), Fields: []lead.Field{lead.FieldScore}})
			checkChanges(t, "Changes(score)", got, "L-1 e5 score", "L-1 e2 score", "L-2 e4 score")
			if c := got[0]; c.From != "30" || c.To != "40" || !c.At.Equal(at(30*time.Minute)) || c.Actor != "rep-1" {
				t.Errorf("Changes(score)[0] = %+v, want the entry as written", c)
			}
			checkChanges(t, "Changes(stage, lead)", mustChanges(t, st, report.ChangeQuery{Period: period(0, 2*day), Fields: []lead.Field{lead.FieldStage, lead.FieldLead}}),
				"L-1 e1 lead", "L-2 e3 lead", "L-1 e6 stage")
			checkChanges(t, "Changes(before)", mustChanges(t, st, report.ChangeQuery{Period: period(-day, 0)}))
		},
		"Changes ends when the loop does, and on a done context": func(t *testing.T, st ReportStore) {
			fill(t, st)
			n := 0
			for _, err := range st.Changes(t.Context(), report.ChangeQuery{Period: period(0, day)}) {
				if err != nil {
					t.Fatalf("Changes = %v", err)
				}
				if n++; n == 2 {
					break
				}
			}
			mustLead(t, st, "L-1") // the store is free again
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			var got error
			for _, err := range st.Changes(ctx, report.ChangeQuery{Period: period(0, day)}) {
				got = err
			}
			if !errors.Is(got, context.Canceled) {
				t.Errorf("Changes(done context) ends with %v, want context.Canceled", got)
			}
		},
	})
}

func testLeadsByID(t *testing.T, newStore func(t *testing.T) ReportStore) {
	cases(t, newStore, map[string]func(t *testing.T, st ReportStore){
		"LeadsByID returns the known ids in id order": func(t *testing.T, st ReportStore) {
			for _, id := range []string{"L-1", "L-2", "L-10"} {
				mustCreate(t, st, newLead(id, "rep-1"))
			}
			got, err := st.LeadsByID(t.Context(), []string{"L-2", "L-404", "L-10", "L-2"})
			if err != nil {
				t.Fatalf("LeadsByID = %v", err)
			}
			checkLeadIDs(t, "LeadsByID(L-2, L-404, L-10, L-2)", got, "L-10", "L-2")
		},
	})
}

func testScoreAt(t *testing.T, newStore func(t *testing.T) ReportStore) {
	cases(t, newStore, map[string]func(t *testing.T, st ReportStore){
		"ScoreAt reads the score history (E8)": func(t *testing.T, st ReportStore) {
			l := newLead("L-1", "rep-1")
			l.Created, l.Score = at(time.Hour), decimal.RequireFromString("40")
			mustApply(t, st, leadline.Write{Lead: l, History: []lead.Change{
				change("L-1", "e2", lead.FieldScore, "12.5", "30", at(2*time.Hour)),
				change("L-1", "e3", lead.FieldScore, "30", "40", at(3*time.Hour)),
			}})
			mustCreate(t, st, newLead("L-2", "rep-1"))
			for _, c := range []struct {
				id   string
				when time.Duration
				want string // "" for no score
			}{
				{"L-1", 0, ""},                           // before it was created
				{"L-1", time.Hour, "12.5"},               // created with the first entry's From
				{"L-1", 2 * time.Hour, "30"},             // at an entry: its To
				{"L-1", 3*time.Hour - time.Second, "30"}, // between entries
				{"L-1", day, "40"},
				{"L-2", day, "12.5"}, // no entries: its score
				{"L-404", day, ""},
			} {
				got, ok, err := st.ScoreAt(t.Context(), c.id, at(c.when))
				if err != nil || ok != (c.want != "") || ok && !got.Equal(decimal.RequireFromString(c.want)) {
					t.Errorf("ScoreAt(%s, t0+%v) = %v, %v, %v; want %q", c.id, c.when, got, ok, err, c.want)
				}
			}
		},
	})
}

func mustOpen(tb testing.TB, st ReportStore, owners ...string) []lead.Lead {
	tb.Helper()
	ls, err := st.Open(tb.Context(), owners)
	if err != nil {
		tb.Fatalf("Open(%q) = %v", owners, err)
	}
	return ls
}

func mustCreated(tb testing.TB, st ReportStore, p report.Period) []lead.Lead {
	tb.Helper()
	ls, err := st.Created(tb.Context(), p)
	if err != nil {
		tb.Fatalf("Created(%v) = %v", p, err)
	}
	return ls
}

func mustChanges(tb testing.TB, st ReportStore, q report.ChangeQuery) []lead.Change {
	tb.Helper()
	var cs []lead.Change
	for c, err := range st.Changes(tb.Context(), q) {
		if err != nil {
			tb.Fatalf("Changes(%+v) = %v", q, err)
		}
		cs = append(cs, c)
	}
	return cs
}

// checkChanges compares entries as "lead event field".
func checkChanges(tb testing.TB, call string, got []lead.Change, want ...string) {
	tb.Helper()
	ids := make([]string, len(got))
	for i, c := range got {
		ids[i] = c.Lead + " " + c.Event + " " + c.Field.String()
	}
	if !slices.Equal(ids, want) && !(len(ids) == 0 && len(want) == 0) {
		tb.Fatalf("%s = %q, want %q", call, ids, want)
	}
}
