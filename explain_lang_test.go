package leadline_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leadlinetest"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// explainScenario drives k through the rules a sales floor meets in a
// fortnight: requests (A1, A2, A5, A6), T1 reassignment and T10
// escalation, attempts (T2, T9), contact (T6), a campaign routed to field
// sales (M3, M4), a hand-off rejected (M10) and accepted through feedback
// (M5), a protected lead (S5) and a recycled one (T7). It returns the
// leads' ids.
func explainScenario(t *testing.T, k *leadlinetest.Kit) []string {
	t.Helper()
	day := 24 * time.Hour
	camp := routing.Campaign{ID: "uc-2026", Name: "User Conference", Type: routing.OwnEvent, Start: k.Now().Add(2 * day),
		AgreedBy: "mgr", AgreedAt: k.Now().Add(-14 * day)}
	if err := k.Engine.SaveCampaign(t.Context(), camp); err != nil {
		t.Fatal(err)
	}
	score := func(n int64) decimal.Decimal { return decimal.NewFromInt(n) }
	// L-1: an MQL's inquiry, untouched until reassigned, then worked,
	// qualified, handed off, rejected, and recycled by the field rep.
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: score(120), Profile: lead.Profile{Source: "展示会 (東京)"}})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"})
	k.Handle(lead.Event{Kind: lead.EventDownload, Lead: "L-1"})
	// L-2: nobody works it: reassigned, then escalated to the manager (T10).
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-2", Score: score(40)})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-2"})
	// L-3: a customer's inquiry is suppressed (S5).
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-3", Owner: "rep-a"})
	k.Handle(lead.Event{Kind: lead.EventStatusSet, Lead: "L-3", Actor: "rep-a", Status: lead.StatusCustomer, Reason: "契約済み"})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-3"})
	// L-4: met a field rep at the conference: field sales' (M4).
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-4", Score: score(150)})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-4"})
	k.Advance(49 * time.Hour)
	k.Sweep()
	l1 := k.Lead("L-1").Owner
	k.Handle(lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: l1, Channels: stage.Call})
	k.Handle(lead.Event{Kind: lead.EventContact, Lead: "L-1", Actor: l1, Channels: stage.Call})
	k.Handle(lead.Event{Kind: lead.EventBANT, Lead: "L-1", Actor: l1, BANT: lead.BANT{Budget: "1M", Authority: "CIO", Need: "SFA", Timeline: "Q3"}})
	k.Handle(lead.Event{Kind: lead.EventHandoff, Lead: "L-1", Actor: l1, To: "field-1"})
	k.Handle(lead.Event{Kind: lead.EventReject, Lead: "L-1", Actor: "field-1", Reason: "予算は来期 (2027)", Status: lead.StatusRecycled})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"}) // A5: re-engaged
	k.Advance(3 * day)
	k.Handle(lead.Event{Kind: lead.EventResponse, Lead: "L-4", Campaign: camp.ID, Response: lead.ResponseMet, MetBy: "field-1", Actor: "field-1"})
	k.Handle(lead.Event{Kind: lead.EventFeedback, Lead: "L-4", Actor: "field-1",
		Feedback: lead.Feedback{Target: true, State: lead.InProgress, Opportunity: lead.OutcomeYes, Comment: "商談化; 見積提出"}})
	for range 12 {
		k.Advance(day)
		k.Sweep()
	}
	return []string{"L-1", "L-2", "L-3", "L-4"}
}

// TestEngine_Explain_catalogue checks that every history entry the rules
// write reads as a kind of the reason catalogue, and that none falls back
// to raw text (E3, E10).
func TestEngine_Explain_catalogue(t *testing.T) {
	t.Parallel()
	k := leadlinetest.New(t, leadline.Config{Roster: explainOrg()})
	seen := map[string]bool{}
	for _, id := range explainScenario(t, k) {
		for _, c := range k.History(id) {
			r := rules.ParseReason(c)
			seen[r.Key] = true
			if r.Key == rules.ReasonText {
				t.Errorf("%s: %s reads as raw text, want a catalogue entry", id, c)
			}
		}
		ds, err := k.Engine.Explain(t.Context(), leadlinetest.Ops, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Reason.Key == rules.ReasonText || d.TextIn(rules.English, nil) != d.Text {
				t.Errorf("%s: decision %+v: want a catalogue reason that renders its stored text", id, d)
			}
		}
	}
	for _, want := range []string{"round-robin", "new-cadence", "request-opened", "merged", "attempt-overdue", "reassigned",
		"fresh-window", "escalated", "attempt", "contact-by", "presql-handed", "presql-rejected", "rejected-recycled",
		"re-engaged", "suppressed", "status-set", "route", "feedback", "opportunity-confirmed", "lead-created"} {
		if !seen[want] {
			t.Errorf("the scenario wrote no %q entry; saw %v", want, slices.Sorted(maps.Keys(seen)))
		}
	}
}

// TestEngine_Explain_japanese checks that a Japanese team reads its
// decisions in Japanese, instants in its zone and free text verbatim
// (E10): T1's overdue attempt and reassignment with its window, the due
// instant in JST and the rep left out.
func TestEngine_Explain_japanese(t *testing.T) {
	t.Parallel()
	pol := leadline.DefaultPolicy()
	pol.Language, pol.TimeZone = rules.Japanese, "Asia/Tokyo"
	k := leadlinetest.New(t, leadline.Config{Roster: explainOrg(), Policy: pol})
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(120), Owner: "rep-a"})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"})
	ep := k.Engine.Policy()
	due := k.Now().Add(48 * time.Hour).In(ep.Zone())
	k.Advance(49 * time.Hour)
	k.Sweep()
	k.Handle(lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Actor: "rep-b", Status: lead.StatusDisqualifiedSales, Reason: "competitor; 競合他社"})
	ds, err := k.Engine.Explain(t.Context(), leadlinetest.Ops, "L-1")
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, d := range ds {
		text.WriteString(d.Text + "\n")
	}
	stamp := due.Format("2006-01-02 15:04 MST")
	for _, want := range []string{
		"T1: 48時間以内にStage1のアプローチなし（期限 " + stamp + "）。ステージは未着手のまま",
		"T1: Stage1 の期限（48時間）内にアプローチなし。内勤のラウンドロビンで再割り当て（rep-a を除外）。担当者を rep-a から rep-b に変更",
		"T10: 新しい担当者の期限を設定（期限 ",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("Explain in Japanese lacks %q:\n%s", want, text.String())
		}
	}
	// A person's words are kept as typed, in every language.
	h := k.History("L-1")
	j := slices.IndexFunc(h, func(c lead.Change) bool { return c.Rule == "S1" })
	if got, want := rules.ChangeText(h[max(j, 0)], rules.Japanese, ep.Zone()), "S1: competitor; 競合他社。ステータス "; !strings.HasPrefix(got, want) {
		t.Errorf("the status rep-b set reads %q, want it to start %q", got, want)
	}
	if !strings.HasSuffix(stamp, "JST") {
		t.Errorf("due %s: want the team's zone, JST", stamp)
	}
	i := slices.IndexFunc(ds, func(d leadline.Decision) bool { return d.Field == lead.FieldOwner && d.Rules[0] == "T1" })
	if i < 0 {
		t.Fatalf("no T1 reassignment in %v", ds)
	}
	r := ds[i].Reason
	if r.Key != "reassigned" || r.Values["window"] != "48h" || r.Values["excluded"] != "rep-a" {
		t.Errorf("T1 reason = %+v, want reassigned with window 48h, rep-a excluded", r)
	}
	if got, want := ds[i].TextIn(rules.English, nil), "owner rep-a -> rep-b by leadline (T1: no attempt within the Stage1 window (48h); round robin over inside sales, rep-a excluded)"; got != want {
		t.Errorf("TextIn(en) = %q, want %q", got, want)
	}
}
