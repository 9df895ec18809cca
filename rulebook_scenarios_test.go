package leadline_test

// Scenarios written from docs/RULES.md (S1-S5, A1-A9, T1-T14,
// E1-E10). Expected values are derived by hand from the rule book.

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// fieldNamed asserts err is a *FieldError naming field.
func fieldNamed(t *testing.T, err error, field string) {
	t.Helper()
	fe, ok := errors.AsType[*leadline.FieldError](err)
	if !ok {
		t.Fatalf("err = %v (%T), want a *FieldError for %q", err, err, field)
	}
	if fe.Field != field {
		t.Fatalf("FieldError.Field = %q (%v), want %q", fe.Field, err, field)
	}
}

// requested returns a harness whose lead L-1, an MQL owned by rep-a, has
// an open approach request and its T1 window running; what it delivered
// so far is taken.
func requested(t *testing.T, cfg leadline.Config) *harness {
	t.Helper()
	h := newHarness(t, cfg)
	h.create(t, "L-1", score("120"), "rep-a")
	h.inquiry(t, "L-1")
	h.take(t)
	return h
}

// ---------------------------------------------------------------- A1-A3, E9

func TestRuleBook_A1A3_ScoreWithEvent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		start     string
		kind      lead.EventKind
		sent      string
		wantRule  string
		wantPrio  int
		wantScore string
	}{
		// E9: a score sent with the activity applies before the rule runs.
		{"A1 inquiry carrying 120 on a lead at 80", "80", lead.EventInquiry, "120", "A1", 1, "120"},
		{"A1 inquiry carrying exactly 100 on a lead at 50", "50", lead.EventInquiry, "100", "A1", 1, "100"},
		{"A2 inquiry carrying 99.9 on a lead at 150", "150", lead.EventInquiry, "99.9", "A2", 2, "99.9"},
		{"A2 inquiry carrying a negative score on a lead at 150", "150", lead.EventInquiry, "-20", "A2", 2, "-20"},
		{"A3 download carrying 100 on a lead at 40", "40", lead.EventDownload, "100", "A3", 3, "100"},
		{"A3 download carrying 99 on a lead at 150 makes nothing", "150", lead.EventDownload, "99", "", 0, "99"},
		{"A1 inquiry at negative threshold boundary -100 is A2", "0", lead.EventInquiry, "-100", "A2", 2, "-100"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, leadline.Config{})
			h.create(t, "L-1", score(tt.start), "rep-a")
			h.must(t, lead.Event{Kind: tt.kind, Lead: "L-1", Score: score(tt.sent)})
			l := h.lead(t, "L-1")
			if !l.Score.Equal(score(tt.wantScore)) {
				t.Fatalf("score %v, want %s", l.Score, tt.wantScore)
			}
			if tt.wantRule == "" {
				if l.Request.State != lead.RequestNone {
					t.Fatalf("request %v %v, want none", l.Request.State, l.Request.Reasons)
				}
				return
			}
			if l.Request.State != lead.RequestOpen || l.Request.Priority != tt.wantPrio || !slices.Equal(l.Request.Reasons.List(), []string{tt.wantRule}) {
				t.Fatalf("request %v prio %d reasons %v; want open prio %d [%s]", l.Request.State, l.Request.Priority, l.Request.Reasons, tt.wantPrio, tt.wantRule)
			}
			// E9: the score applies first, with its own history entry.
			hs := h.history(t, "L-1")
			si, ri := -1, -1
			for i, c := range hs {
				if c.Field == lead.FieldScore && si < 0 {
					si = i
				}
				if c.Field == lead.FieldRequest && ri < 0 {
					ri = i
				}
			}
			if si < 0 || ri < 0 || si > ri {
				t.Fatalf("history %v: want a score entry before the request entry", hs)
			}
		})
	}
}

// ---------------------------------------------------------------- A6

func TestRuleBook_A6_PriorityMerge(t *testing.T) {
	t.Parallel()
	t.Run("A6 highest priority wins, reasons grow once each, due does not move", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("150"), "rep-a")
		h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"}) // A3 prio 3
		due := h.lead(t, "L-1").Request.Due
		h.clk.Add(time.Hour)
		h.must(t, lead.Event{Kind: lead.EventInquiry, Lead: "L-1", Score: score("50")}) // A2 prio 2
		r := h.lead(t, "L-1").Request
		if r.Seq != 1 || r.Priority != 2 || !slices.Equal(r.Reasons.List(), []string{"A3", "A2"}) || !r.Due.Equal(due) {
			t.Fatalf("after A2: seq %d prio %d reasons %v due %v; want 1, 2, [A3 A2], %v", r.Seq, r.Priority, r.Reasons, r.Due, due)
		}
		h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1", Score: score("150")}) // A3 again
		r = h.lead(t, "L-1").Request
		if r.Priority != 2 || !slices.Equal(r.Reasons.List(), []string{"A3", "A2"}) {
			t.Fatalf("after A3 again: prio %d reasons %v; want 2 [A3 A2]", r.Priority, r.Reasons)
		}
		h.must(t, lead.Event{Kind: lead.EventInquiry, Lead: "L-1"}) // A1 prio 1
		r = h.lead(t, "L-1").Request
		if r.Seq != 1 || r.Priority != 1 || !slices.Equal(r.Reasons.List(), []string{"A3", "A2", "A1"}) || !r.Due.Equal(due) {
			t.Fatalf("after A1: seq %d prio %d reasons %v due %v", r.Seq, r.Priority, r.Reasons, r.Due)
		}
		trig := changes(h.history(t, "L-1"), lead.FieldTrigger, "")
		if len(trig) != 3 {
			t.Fatalf("trigger entries %v, want 3 (A2, A3, A1 recorded on the open request)", trig)
		}
		for _, c := range trig {
			if c.From != "" {
				t.Fatalf("trigger entry %v: want From empty", c)
			}
		}
	})
	t.Run("A6 a lower priority trigger does not lower the request", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("150"), "rep-a")
		h.inquiry(t, "L-1")                                          // A1 prio 1
		h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"}) // A3 prio 3
		r := h.lead(t, "L-1").Request
		if r.Priority != 1 || !slices.Equal(r.Reasons.List(), []string{"A1", "A3"}) {
			t.Fatalf("prio %d reasons %v; want 1 [A1 A3]", r.Priority, r.Reasons)
		}
		h.sweep(t)
		if n := len(h.delivered(leadline.NoteRequestUpdated)); n != 1 {
			t.Fatalf("%d request_updated, want 1 (A6: the owner is told)", n)
		}
	})
	t.Run("A6 an overdue request is still open: a trigger is recorded on it", func(t *testing.T) {
		t.Parallel()
		pol := leadline.Policy{Cadence: stage.Policy{Stage2: stage.Step{Within: 200 * time.Hour}}}
		h := newHarness(t, leadline.Config{Policy: pol})
		h.create(t, "L-1", score("150"), "rep-a")
		h.inquiry(t, "L-1")
		h.attempt(t, "L-1") // Stage1, request 1 done
		h.clk.Add(10 * time.Hour)
		h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"}) // request 2, A3, due 58h
		r := h.lead(t, "L-1").Request
		due := monday.Add(58 * time.Hour)
		if r.Seq != 2 || !r.Due.Equal(due) || r.Priority != 3 {
			t.Fatalf("request seq %d due %v prio %d; want 2, %v, 3", r.Seq, r.Due, r.Priority, due)
		}
		h.take(t)
		h.clk.Set(due)
		if res := h.sweep(t); len(res.Fired) != 0 {
			t.Fatalf("fired %v exactly at the due instant (E5: due exactly now is not yet due)", res.Fired)
		}
		h.clk.Set(due.Add(time.Second))
		h.sweep(t)
		if got, want := kinds(h.take(t)), []string{"manager_alert:mgr", "reminder:rep-a"}; !slices.Equal(got, want) {
			t.Fatalf("A4 delivered %v, want %v", got, want)
		}
		if s := h.lead(t, "L-1").Request.State; s != lead.RequestOverdue {
			t.Fatalf("request %v, want overdue", s)
		}
		h.inquiry(t, "L-1") // A1 while overdue
		r = h.lead(t, "L-1").Request
		if r.Seq != 2 || r.State != lead.RequestOverdue || r.Priority != 1 || !slices.Equal(r.Reasons.List(), []string{"A3", "A1"}) || !r.Due.Equal(due) {
			t.Fatalf("request seq %d %v prio %d reasons %v due %v; want seq 2 overdue prio 1 [A3 A1] due %v", r.Seq, r.State, r.Priority, r.Reasons, r.Due, due)
		}
	})
}

// ---------------------------------------------------------------- A5

func TestRuleBook_A5_ReEngage(t *testing.T) {
	t.Parallel()
	t.Run("A5 after an engine recycle (T7) a trigger starts a fresh cadence", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.advance(t, 48*time.Hour+time.Minute) // T1: reassigned once
		for range 4 {
			h.attempt(t, "L-1")
		}
		h.advance(t, 96*time.Hour+time.Minute) // T7
		l := h.lead(t, "L-1")
		if l.Status != lead.StatusRecycled {
			t.Fatalf("status %v, want Recycled", l.Status)
		}
		owner := l.Owner
		h.take(t)
		h.inquiry(t, "L-1")
		l = h.lead(t, "L-1")
		if l.Status != lead.StatusLead || l.Request.Seq != 2 || l.Request.State != lead.RequestOpen || l.Request.Priority != 1 ||
			l.Track.Stage != stage.Untouched || !l.Track.Active() || l.Track.Reassignments != 0 || l.Track.Cadence != 2 {
			t.Fatalf("status %v request %d %v prio %d stage %v active %v reassign %d cadence %d", l.Status, l.Request.Seq, l.Request.State,
				l.Request.Priority, l.Track.Stage, l.Track.Active(), l.Track.Reassignments, l.Track.Cadence)
		}
		if want := h.clk.Now().Add(48 * time.Hour); !l.Request.Due.Equal(want) || !l.Track.Due.Time().Equal(want) {
			t.Fatalf("due %v / %v, want %v", l.Request.Due, l.Track.Due.Time(), want)
		}
		if len(l.Passed) != 0 {
			t.Fatalf("passed %v carried into the new cadence", l.Passed)
		}
		if hs := changes(h.history(t, "L-1"), lead.FieldStatus, "A5"); len(hs) != 1 || hs[0].From != "recycled" || hs[0].To != "lead" {
			t.Fatalf("A5 status history %v", hs)
		}
		reqs := changes(h.history(t, "L-1"), lead.FieldRequest, "A1")
		if len(reqs) != 2 {
			t.Fatalf("request entries naming A1: %v, want 2 (A5 reading: the request names the trigger's rule)", reqs)
		}
		ns := h.take(t)
		var ar []leadline.Notification
		for _, n := range ns {
			if n.Kind == leadline.NoteApproachRequest {
				ar = append(ar, n)
			}
		}
		if len(ar) != 1 || ar[0].Rule != "A5" || ar[0].To != owner {
			t.Fatalf("approach notifications %v, want one to %s naming A5", ar, owner)
		}
	})
	t.Run("A5 A3 a download below the threshold does not re-engage", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("50"), "rep-a")
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusRecycled, Actor: "rep-a", Reason: "later"})
		h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"})
		if l := h.lead(t, "L-1"); l.Status != lead.StatusRecycled || l.Request.State != lead.RequestNone || l.Track.Active() {
			t.Fatalf("status %v request %v active %v; want Recycled, none, no cadence", l.Status, l.Request.State, l.Track.Active())
		}
	})
}

// ---------------------------------------------------------------- A8

func TestRuleBook_A8_TargetJump(t *testing.T) {
	t.Parallel()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip(err)
	}
	pol := leadline.Policy{TimeZone: "Asia/Tokyo"}
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 4, d, hh, mm, 0, 0, tokyo).UTC() }
	newTarget := func(t *testing.T, created time.Time) *harness {
		h := newHarness(t, leadline.Config{Policy: pol})
		h.clk.Set(created)
		h.must(t, lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: score("50"), Owner: "rep-a",
			Profile: lead.Profile{Company: "Acme", Name: "N", Source: "web", Target: true}})
		return h
	}
	setScore := func(t *testing.T, h *harness, when time.Time, s string) {
		h.clk.Set(when)
		h.must(t, lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: score(s)})
	}
	t.Run("A8 a new Tokyo day starts at Tokyo midnight, not UTC midnight", func(t *testing.T) {
		t.Parallel()
		h := newTarget(t, at(6, 10, 0))
		setScore(t, h, at(7, 23, 0), "60") // Apr 7 Tokyo: open 50, 60 >= 60: A8
		r := h.lead(t, "L-1").Request
		if r.Seq != 1 || r.Priority != 2 || !slices.Equal(r.Reasons.List(), []string{"A8"}) {
			t.Fatalf("first jump: request %d prio %d %v; want 1, 2, [A8]", r.Seq, r.Priority, r.Reasons)
		}
		h.attempt(t, "L-1") // request 1 done
		// Apr 8 00:30 Tokyo is Apr 7 15:30 UTC: the same UTC day, a new Tokyo
		// day whose open is 60; 70 >= 70 fires A8 again.
		setScore(t, h, at(8, 0, 30), "70")
		r = h.lead(t, "L-1").Request
		if r.Seq != 2 || r.State != lead.RequestOpen || !slices.Equal(r.Reasons.List(), []string{"A8"}) {
			t.Fatalf("second Tokyo day: request %d %v %v; want request 2 open [A8]", r.Seq, r.State, r.Reasons)
		}
	})
	t.Run("A8 UTC midnight inside a Tokyo day does not reset the open score", func(t *testing.T) {
		t.Parallel()
		h := newTarget(t, at(6, 10, 0))
		setScore(t, h, at(7, 8, 30), "55") // Apr 6 23:30 UTC; Tokyo Apr 7, open 50
		if r := h.lead(t, "L-1").Request; r.Seq != 0 {
			t.Fatalf("request %d at 55, want none", r.Seq)
		}
		setScore(t, h, at(7, 9, 30), "62") // Apr 7 00:30 UTC; same Tokyo day: 62 >= 60
		if r := h.lead(t, "L-1").Request; r.Seq != 1 || !slices.Equal(r.Reasons.List(), []string{"A8"}) {
			t.Fatalf("request %d %v, want an A8 request", r.Seq, r.Reasons)
		}
	})
	t.Run("A8 a lead created that day has no jump", func(t *testing.T) {
		t.Parallel()
		h := newTarget(t, at(6, 10, 0))
		setScore(t, h, at(6, 15, 0), "80")
		if r := h.lead(t, "L-1").Request; r.Seq != 0 {
			t.Fatalf("request %d %v on the day the lead was created", r.Seq, r.Reasons)
		}
	})
	t.Run("A8 at most once a day", func(t *testing.T) {
		t.Parallel()
		h := newTarget(t, at(6, 10, 0))
		setScore(t, h, at(7, 10, 0), "60")
		h.attempt(t, "L-1")
		setScore(t, h, at(7, 11, 0), "90")
		if r := h.lead(t, "L-1").Request; r.Seq != 1 {
			t.Fatalf("request %d; want still 1 (once a day)", r.Seq)
		}
	})
	t.Run("A8 a rise below 10 does not fire; score with a web activity counts", func(t *testing.T) {
		t.Parallel()
		h := newTarget(t, at(6, 10, 0))
		setScore(t, h, at(7, 10, 0), "59.99")
		if r := h.lead(t, "L-1").Request; r.Seq != 0 {
			t.Fatalf("request %d at +9.99", r.Seq)
		}
		h.clk.Set(at(7, 11, 0))
		h.must(t, lead.Event{Kind: lead.EventWebActivity, Lead: "L-1", Topic: "/pricing", Score: score("60")})
		if r := h.lead(t, "L-1").Request; r.Seq != 1 || !slices.Equal(r.Reasons.List(), []string{"A8"}) {
			t.Fatalf("request %d %v after web activity with 60, want A8", r.Seq, r.Reasons)
		}
	})
	t.Run("A8 S5 a jump on a Partner is suppressed with a reason", func(t *testing.T) {
		t.Parallel()
		h := newTarget(t, at(6, 10, 0))
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusPartner, Actor: "rep-a", Reason: "partner"})
		setScore(t, h, at(7, 10, 0), "70")
		l := h.lead(t, "L-1")
		if l.Request.Seq != 0 {
			t.Fatalf("request %d on a Partner", l.Request.Seq)
		}
		tr := changes(h.history(t, "L-1"), lead.FieldTrigger, "")
		if len(tr) != 1 || tr[0].To != "A8" || tr[0].Reason == "" {
			t.Fatalf("trigger entries %v, want one to A8 with a reason", tr)
		}
	})
}

// ---------------------------------------------------------------- S1-S5

func TestRuleBook_Status(t *testing.T) {
	t.Parallel()
	t.Run("S1 E8 setting the status a lead has writes no history", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("10"), "rep-a")
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusLead, Actor: "rep-a", Reason: "r"})
		n := len(h.history(t, "L-1"))
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusLead, Actor: "rep-b", Reason: "again"})
		if hs := h.history(t, "L-1"); len(hs) != n {
			t.Fatalf("history grew from %d to %d: %v", n, len(hs), hs[n:])
		}
	})
	t.Run("S5 an outbound attempt on a Customer with no cadence starts none", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("150"), "rep-a")
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusCustomer, Actor: "rep-a", Reason: "contract"})
		h.must(t, lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: "rep-a", Channels: stage.Call})
		l := h.lead(t, "L-1")
		if l.Track.Active() || l.Track.Stage != stage.Untouched || len(l.Deadlines(nil)) != 0 {
			t.Fatalf("stage %v active %v deadlines %v; want no cadence", l.Track.Stage, l.Track.Active(), l.Deadlines(nil))
		}
	})
	for _, st := range []lead.Status{lead.StatusDisqualifiedMktg, lead.StatusDisqualifiedSales} {
		t.Run("S5 a download on "+st.String()+" is suppressed with the reason", func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, leadline.Config{})
			h.create(t, "L-1", score("150"), "rep-a")
			h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: st, Actor: "rep-a", Reason: "x"})
			h.take(t)
			h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"})
			l := h.lead(t, "L-1")
			if l.Request.State != lead.RequestNone || l.Status != st || l.Track.Active() {
				t.Fatalf("request %v status %v active %v", l.Request.State, l.Status, l.Track.Active())
			}
			tr := changes(h.history(t, "L-1"), lead.FieldTrigger, "")
			if len(tr) != 1 || tr[0].To != "A3" || tr[0].Reason == "" {
				t.Fatalf("trigger entries %v", tr)
			}
			if ns := h.take(t); len(ns) != 0 {
				t.Fatalf("notified %v for a suppressed trigger", kinds(ns))
			}
		})
	}
	t.Run("S4 a person may move Customer to Partner, never to New", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("150"), "rep-a")
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusCustomer, Actor: "rep-a", Reason: "x"})
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusPartner, Actor: "rep-a", Reason: "y"})
		if s := h.lead(t, "L-1").Status; s != lead.StatusPartner {
			t.Fatalf("status %v", s)
		}
	})
}

// ---------------------------------------------------------------- T1, T10, T13

func TestRuleBook_Reassignment(t *testing.T) {
	t.Parallel()
	t.Run("T10 two reps, max 3: a b a b then the manager, each with a fresh window", func(t *testing.T) {
		t.Parallel()
		org := &routing.Org{Inside: routing.Team{ID: "duo", Manager: "mgr", Reps: []routing.Rep{{ID: "rep-a"}, {ID: "rep-b"}}}}
		h := requested(t, leadline.Config{Roster: org, Policy: leadline.Policy{Cadence: stage.Policy{MaxReassignments: 3}}})
		owners := []string{h.lead(t, "L-1").Owner}
		for range 4 {
			h.advance(t, 48*time.Hour+time.Minute)
			l := h.lead(t, "L-1")
			owners = append(owners, l.Owner)
			if due, ok := l.Track.Pending(); !ok || !due.Equal(h.clk.Now().Add(48*time.Hour)) {
				t.Fatalf("after handing to %s: pending %v %v, want a fresh 48h window", l.Owner, due, ok)
			}
		}
		if want := []string{"rep-a", "rep-b", "rep-a", "rep-b", "mgr"}; !slices.Equal(owners, want) {
			t.Fatalf("owners %v, want %v", owners, want)
		}
		if n := len(h.delivered(leadline.NoteEscalated)); n != 1 {
			t.Fatalf("%d escalations, want 1", n)
		}
	})
	t.Run("T10 NoReassignment escalates at the first missed window", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{Policy: leadline.Policy{Cadence: stage.Policy{MaxReassignments: stage.NoReassignment}}})
		h.advance(t, 48*time.Hour+time.Minute)
		l := h.lead(t, "L-1")
		if l.Owner != "mgr" {
			t.Fatalf("owner %s, want mgr", l.Owner)
		}
		if hs := changes(h.history(t, "L-1"), lead.FieldOwner, "T10"); len(hs) != 1 || hs[0].From != "rep-a" || hs[0].To != "mgr" {
			t.Fatalf("T10 owner history %v", h.history(t, "L-1"))
		}
		got := kinds(h.take(t))
		if !slices.Contains(got, "escalated:mgr") || slices.Contains(got, "reassigned:rep-b") || slices.Contains(got, "reassigned:rep-c") {
			t.Fatalf("delivered %v, want an escalation to mgr and no reassignment", got)
		}
	})
	t.Run("T13 NoRepeat and a 24h interval: one reminder, then handed on with a fresh window", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{Policy: leadline.Policy{Cadence: stage.Policy{Repeats: stage.NoRepeat, RepeatAfter: 24 * time.Hour}}})
		h.attempt(t, "L-1") // Stage1 at monday; Stage2 due +48h
		h.take(t)
		h.clk.Set(monday.Add(48*time.Hour + time.Second))
		h.sweep(t)
		if got, want := kinds(h.take(t)), []string{"manager_alert:mgr", "reminder:rep-a"}; !slices.Equal(got, want) {
			t.Fatalf("T8 delivered %v, want %v", got, want)
		}
		h.clk.Set(monday.Add(72*time.Hour + time.Second)) // exactly one interval after the reminder
		if res := h.sweep(t); len(res.Fired) != 0 {
			t.Fatalf("fired %v exactly one interval after the reminder", res.Fired)
		}
		h.clk.Set(monday.Add(72*time.Hour + 2*time.Second))
		h.sweep(t)
		l := h.lead(t, "L-1")
		if l.Owner == "rep-a" || l.Owner == "" || l.Owner == "mgr" || l.Track.Stage != stage.Stage1 {
			t.Fatalf("owner %q stage %v; want another rep at Stage1", l.Owner, l.Track.Stage)
		}
		if due, ok := l.Track.Pending(); !ok || !due.Equal(h.clk.Now().Add(48*time.Hour)) {
			t.Fatalf("pending %v %v; want a fresh Stage2 window of 48h from now", due, ok)
		}
		if got := kinds(h.take(t)); !slices.Equal(got, []string{"reassigned:" + l.Owner}) {
			t.Fatalf("hand-on delivered %v", got)
		}
		if hs := changes(h.history(t, "L-1"), lead.FieldOwner, "T13"); len(hs) != 1 || hs[0].From != "rep-a" {
			t.Fatalf("T13 owner history %v", hs)
		}
	})
	t.Run("T13 T10 hand-on with no reassignment left goes to the manager, named T10", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{Policy: leadline.Policy{Cadence: stage.Policy{Repeats: stage.NoRepeat, MaxReassignments: stage.NoReassignment}}})
		h.attempt(t, "L-1")
		h.take(t)
		h.advance(t, 48*time.Hour+time.Minute) // T8
		h.take(t)
		h.advance(t, 48*time.Hour+time.Minute) // hand-on: to the manager
		l := h.lead(t, "L-1")
		if l.Owner != "mgr" || l.Track.Stage != stage.Stage1 {
			t.Fatalf("owner %s stage %v; want mgr at Stage1", l.Owner, l.Track.Stage)
		}
		if hs := changes(h.history(t, "L-1"), lead.FieldOwner, "T10"); len(hs) != 1 {
			t.Fatalf("T10 history %v", h.history(t, "L-1"))
		}
		if _, ok := l.Track.Pending(); !ok {
			t.Fatalf("escalated mid-cadence lead has no pending deadline (T13)")
		}
		h.take(t)
		h.advance(t, 48*time.Hour+time.Minute)
		if got := kinds(h.take(t)); !slices.Equal(got, []string{"reminder:mgr"}) {
			t.Fatalf("after the manager's window: %v, want one reminder to mgr", got)
		}
	})
	t.Run("T13 a missed Stage4 step is reminded again after the Stage4 window", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{})
		for range 3 {
			h.attempt(t, "L-1")
		} // Stage3 at monday; Stage4 due +96h
		h.take(t)
		h.advance(t, 96*time.Hour+time.Minute) // T8
		if got := kinds(h.take(t)); !slices.Equal(got, []string{"manager_alert:mgr", "reminder:rep-a"}) {
			t.Fatalf("T8 Stage4 delivered %v", got)
		}
		h.advance(t, 95*time.Hour)
		if got := kinds(h.take(t)); len(got) != 0 {
			t.Fatalf("delivered %v before the Stage4 interval passed", got)
		}
		h.advance(t, 2*time.Hour)
		if got := kinds(h.take(t)); !slices.Equal(got, []string{"manager_alert:mgr", "reminder:rep-a"}) {
			t.Fatalf("T13 Stage4 repeat delivered %v", got)
		}
	})
}

// ---------------------------------------------------------------- T7, T9, T11

func TestRuleBook_CadenceEdges(t *testing.T) {
	t.Parallel()
	t.Run("T11 a Stage2 attempt exactly at its deadline is on time and nothing fires", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{})
		h.attempt(t, "L-1")
		h.clk.Add(48 * time.Hour)
		if res := h.sweep(t); len(res.Fired) != 0 {
			t.Fatalf("fired %v at the deadline", res.Fired)
		}
		h.attempt(t, "L-1")
		l := h.lead(t, "L-1")
		if l.Track.Stage != stage.Stage2 || l.Track.IsLate(stage.Stage2) || l.Track.HasMissed(stage.Stage2) {
			t.Fatalf("stage %v late %v missed %v", l.Track.Stage, l.Track.IsLate(stage.Stage2), l.Track.HasMissed(stage.Stage2))
		}
		if n := len(h.take(t)); n != 0 {
			t.Fatalf("%d notifications", n)
		}
	})
	t.Run("T11 an attempt made exactly at the Stage1 deadline but reported a minute later is on time", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{})
		deadline := monday.Add(48 * time.Hour)
		h.clk.Set(deadline.Add(time.Minute)) // no sweep ran yet
		h.must(t, lead.Event{Kind: lead.EventOutbound, Lead: "L-1", At: deadline, Actor: "rep-a", Channels: stage.Call})
		l := h.lead(t, "L-1")
		if l.Track.Stage != stage.Stage1 || l.Track.IsLate(stage.Stage1) {
			t.Fatalf("stage %v late %v; want Stage1 on time", l.Track.Stage, l.Track.IsLate(stage.Stage1))
		}
		if l.Owner != "rep-a" {
			t.Logf("NOTE owner %s: the T1 window fired before an attempt made at its deadline", l.Owner)
		}
	})
	t.Run("T9 a late Stage3 attempt counts the Stage4 window from itself", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{})
		h.attempt(t, "L-1") // Stage1 at 0
		h.attempt(t, "L-1") // Stage2 at 0; Stage3 due 48h
		h.advance(t, 50*time.Hour)
		h.attempt(t, "L-1") // late Stage3 at 50h
		l := h.lead(t, "L-1")
		if !l.Track.IsLate(stage.Stage3) || l.Track.Stage != stage.Stage3 {
			t.Fatalf("stage %v late %v", l.Track.Stage, l.Track.IsLate(stage.Stage3))
		}
		if due, ok := l.Track.Pending(); !ok || !due.Equal(monday.Add(50*time.Hour+96*time.Hour)) {
			t.Fatalf("Stage4 due %v, want %v", due, monday.Add(146*time.Hour))
		}
	})
	t.Run("T7 S3 a New lead is recycled 4 days after a late Stage4 attempt", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{})
		for range 3 {
			h.attempt(t, "L-1")
		} // Stage3 at 0, Stage4 due 96h
		h.advance(t, 110*time.Hour)
		h.attempt(t, "L-1") // late Stage4 at 110h
		h.advance(t, 96*time.Hour)
		if l := h.lead(t, "L-1"); l.Status != lead.StatusNew || !l.Track.Active() {
			t.Fatalf("status %v active %v at exactly 4 days", l.Status, l.Track.Active())
		}
		h.advance(t, time.Minute)
		l := h.lead(t, "L-1")
		if l.Status != lead.StatusRecycled || l.Track.End != stage.EndExhausted {
			t.Fatalf("status %v end %v", l.Status, l.Track.End)
		}
		if hs := changes(h.history(t, "L-1"), lead.FieldStatus, "T7"); len(hs) != 1 || hs[0].From != "new" || hs[0].To != "recycled" {
			t.Fatalf("T7 history %v", hs)
		}
	})
	t.Run("T6 a contact after an exhausted cadence connects", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{})
		for range 4 {
			h.attempt(t, "L-1")
		}
		h.advance(t, 96*time.Hour+time.Minute)
		h.must(t, lead.Event{Kind: lead.EventContact, Lead: "L-1", Actor: "rep-a", Channels: stage.Call})
		if l := h.lead(t, "L-1"); l.Track.Stage != stage.Connected || l.Track.End != stage.EndConnected {
			t.Fatalf("stage %v end %v", l.Track.Stage, l.Track.End)
		}
		n := len(h.history(t, "L-1"))
		h.must(t, lead.Event{Kind: lead.EventContact, Lead: "L-1", Actor: "rep-a"})
		if hs := h.history(t, "L-1"); len(hs) != n {
			t.Fatalf("a contact on a Connected lead wrote %v", hs[n:])
		}
	})
}

// ---------------------------------------------------------------- T14

func TestRuleBook_BusinessCalendar(t *testing.T) {
	t.Parallel()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip(err)
	}
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 4, d, hh, mm, 0, 0, tokyo) }
	biz := func(count bool, stage1 time.Duration) leadline.Policy {
		return leadline.Policy{Cadence: stage.Policy{
			Stage1:   stage.Step{Within: stage1},
			Calendar: stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo", CountDays: count}),
		}}
	}
	start := func(t *testing.T, pol leadline.Policy, when time.Time) *harness {
		h := newHarness(t, leadline.Config{Policy: pol})
		h.clk.Set(when)
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.take(t)
		return h
	}
	t.Run("T14 48 working hours from Monday 15:00 end at closing: due Tuesday 09:00", func(t *testing.T) {
		t.Parallel()
		h := start(t, biz(false, 0), at(6, 15, 0))
		want := at(14, 9, 0)
		if l := h.lead(t, "L-1"); !l.Request.Due.Equal(want) || !l.Track.Due.Time().Equal(want) {
			t.Fatalf("due %v / %v, want %v", l.Request.Due, l.Track.Due.Time(), want)
		}
		for _, when := range []time.Time{at(13, 18, 0), at(13, 18, 1), at(13, 23, 59), at(14, 8, 59), at(14, 9, 0)} {
			h.clk.Set(when)
			if res := h.sweep(t); len(res.Fired) != 0 {
				t.Fatalf("fired %v at %v", res.Fired, when)
			}
		}
		h.attempt(t, "L-1")
		l := h.lead(t, "L-1")
		if l.Track.Stage != stage.Stage1 || l.Track.IsLate(stage.Stage1) || l.Owner != "rep-a" {
			t.Fatalf("stage %v late %v owner %s", l.Track.Stage, l.Track.IsLate(stage.Stage1), l.Owner)
		}
		// Stage2: 48 working hours from Tuesday 09:00: Tue-Fri 36h, Mon 9h, Tue 3h.
		if due, _ := l.Track.Pending(); !due.Equal(at(21, 12, 0)) {
			t.Fatalf("Stage2 due %v, want %v", due, at(21, 12, 0))
		}
	})
	t.Run("T14 Friday 09:00 plus 9 working hours is Monday 09:00", func(t *testing.T) {
		t.Parallel()
		h := start(t, biz(false, 9*time.Hour), at(10, 9, 0))
		if l := h.lead(t, "L-1"); !l.Request.Due.Equal(at(13, 9, 0)) {
			t.Fatalf("due %v, want %v", l.Request.Due, at(13, 9, 0))
		}
		h.clk.Set(at(10, 18, 30))
		if res := h.sweep(t); len(res.Fired) != 0 {
			t.Fatalf("fired overnight: %v", res.Fired)
		}
		h.clk.Set(at(13, 9, 1))
		if res := h.sweep(t); len(res.Fired) != 1 {
			t.Fatalf("fired %v after the opening, want one", res.Fired)
		}
	})
	t.Run("T14 CountDays: two working days from Thursday 18:00 land on closing, due Tuesday 09:00", func(t *testing.T) {
		t.Parallel()
		h := start(t, biz(true, 0), at(9, 18, 0))
		if l := h.lead(t, "L-1"); !l.Request.Due.Equal(at(14, 9, 0)) {
			t.Fatalf("due %v, want %v", l.Request.Due, at(14, 9, 0))
		}
	})
	t.Run("T7 T11 the recycle wait counts working hours", func(t *testing.T) {
		t.Parallel()
		h := start(t, biz(false, 0), at(6, 9, 0))
		for range 4 {
			h.attempt(t, "L-1")
		} // Stage4 at Mon 9:00; 96 working hours = 10 days 6h: Mon 20 is day 11? compute below
		// Mon6..Fri10 45h, Mon13..Fri17 45h => 90h at Fri 17 18:00; +6h => Mon 20 15:00.
		want := at(20, 15, 0)
		l := h.lead(t, "L-1")
		if due, _ := l.Track.Pending(); !due.Equal(want) {
			t.Fatalf("recycle due %v, want %v", due, want)
		}
	})
}

// ---------------------------------------------------------------- E5

func TestRuleBook_Outage(t *testing.T) {
	t.Parallel()
	t.Run("E5 T13 a ten-day outage fires one Stage2 reminder, repeats one window later", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.attempt(t, "L-1")
		h.take(t)
		h.clk.Add(240 * time.Hour)
		res := h.sweep(t)
		if len(res.Fired) != 1 {
			t.Fatalf("fired %v, want one deadline", res.Fired)
		}
		if got, want := kinds(h.take(t)), []string{"manager_alert:mgr", "reminder:rep-a"}; !slices.Equal(got, want) {
			t.Fatalf("delivered %v, want %v", got, want)
		}
		if l := h.lead(t, "L-1"); l.Owner != "rep-a" {
			t.Fatalf("handed on to %s at once after the outage", l.Owner)
		}
		h.advance(t, 47*time.Hour)
		if got := kinds(h.take(t)); len(got) != 0 {
			t.Fatalf("delivered %v within the window after the outage", got)
		}
		h.advance(t, 2*time.Hour)
		if got, want := kinds(h.take(t)), []string{"manager_alert:mgr", "reminder:rep-a"}; !slices.Equal(got, want) {
			t.Fatalf("repeat delivered %v, want %v", got, want)
		}
	})
	t.Run("E5 a lead's request and cadence deadlines fire in due order", func(t *testing.T) {
		t.Parallel()
		pol := leadline.Policy{Cadence: stage.Policy{Stage2: stage.Step{Within: 200 * time.Hour}}}
		h := newHarness(t, leadline.Config{Policy: pol})
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.attempt(t, "L-1") // Stage2 due 200h
		h.clk.Add(10 * time.Hour)
		h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"}) // request due 58h
		h.clk.Set(monday.Add(300 * time.Hour))
		res := h.sweep(t)
		var got []string
		for _, d := range res.Fired {
			got = append(got, d.Kind.String()+"@"+d.Due.Sub(monday).String())
		}
		if want := []string{"request@58h0m0s", "cadence@200h0m0s"}; !slices.Equal(got, want) {
			t.Fatalf("fired %v, want %v", got, want)
		}
		if again := h.sweep(t); len(again.Fired) != 0 {
			t.Fatalf("fired again %v", again.Fired)
		}
	})
}

// ---------------------------------------------------------------- E2

func TestRuleBook_Idempotency(t *testing.T) {
	t.Parallel()
	t.Run("E2 an inquiry repeated after other events changes nothing", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		inq := lead.Event{ID: "inq-1", Kind: lead.EventInquiry, Lead: "L-1", At: monday, Topic: "pricing"}
		if err := h.eng.Handle(t.Context(), inq); err != nil {
			t.Fatal(err)
		}
		h.clk.Add(time.Hour)
		h.attempt(t, "L-1") // request done
		h.clk.Add(time.Hour)
		before := h.snapshot(t, "L-1")
		if err := h.eng.Handle(t.Context(), inq); !errors.Is(err, leadline.ErrDuplicateEvent) {
			t.Fatalf("repeat = %v, want ErrDuplicateEvent", err)
		}
		if after := h.snapshot(t, "L-1"); !after.same(before) {
			t.Fatalf("changed: %+v -> %+v", before, after)
		}
	})
	t.Run("E2 a repeat after a deadline passed (no sweep) changes nothing", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		inq := lead.Event{ID: "inq-1", Kind: lead.EventInquiry, Lead: "L-1", At: monday}
		if err := h.eng.Handle(t.Context(), inq); err != nil {
			t.Fatal(err)
		}
		h.clk.Add(49 * time.Hour)
		before := h.snapshot(t, "L-1")
		if err := h.eng.Handle(t.Context(), inq); !errors.Is(err, leadline.ErrDuplicateEvent) {
			t.Fatalf("repeat = %v, want ErrDuplicateEvent", err)
		}
		if after := h.snapshot(t, "L-1"); !after.same(before) {
			t.Fatalf("changed: %+v -> %+v", before, after)
		}
	})
	t.Run("E2 a repeated created event is a duplicate, not ErrExists", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		ev := lead.Event{ID: "c-1", Kind: lead.EventCreated, Lead: "L-1", At: monday, Score: score("10"), Profile: lead.Profile{Company: "A"}}
		if err := h.eng.Handle(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
		before := h.snapshot(t, "L-1")
		if err := h.eng.Handle(t.Context(), ev); !errors.Is(err, leadline.ErrDuplicateEvent) {
			t.Fatalf("repeat created = %v, want ErrDuplicateEvent", err)
		}
		if after := h.snapshot(t, "L-1"); !after.same(before) {
			t.Fatalf("changed")
		}
	})
	t.Run("E2 the same id with another payload is refused naming id", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		ev := lead.Event{ID: "x-1", Kind: lead.EventInquiry, Lead: "L-1", At: monday, Topic: "a"}
		h.must(t, ev)
		before := h.snapshot(t, "L-1")
		ev.Topic = "b"
		err := h.eng.Handle(t.Context(), ev)
		fieldNamed(t, err, "id")
		if !errors.Is(err, leadline.ErrEventReused) {
			t.Fatalf("err %v, want ErrEventReused", err)
		}
		if after := h.snapshot(t, "L-1"); !after.same(before) {
			t.Fatalf("changed")
		}
	})
	t.Run("E2 the same id on another lead is another event", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.create(t, "L-2", score("120"), "rep-b")
		for _, id := range []string{"L-1", "L-2"} {
			if err := h.eng.Handle(t.Context(), lead.Event{ID: "same", Kind: lead.EventInquiry, Lead: id, At: monday}); err != nil {
				t.Fatalf("%s: %v", id, err)
			}
		}
		if l := h.lead(t, "L-2"); l.Request.State != lead.RequestOpen {
			t.Fatalf("L-2 request %v", l.Request.State)
		}
	})
}

// ---------------------------------------------------------------- E6

func TestRuleBook_BadInput(t *testing.T) {
	t.Parallel()
	type bad struct {
		name  string
		ev    lead.Event
		field string
	}
	cases := []bad{
		{"E6 a score on an outbound attempt", lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: "rep-a", Channels: stage.Call, Score: score("5")}, "score"},
		{"E6 channels on an inquiry", lead.Event{Kind: lead.EventInquiry, Lead: "L-1", Channels: stage.Call}, "channels"},
		{"E6 a topic on a status change", lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Actor: "rep-a", Status: lead.StatusLead, Reason: "r", Topic: "t"}, "topic"},
		{"E6 an unknown status", lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Actor: "rep-a", Status: lead.Status(42), Reason: "r"}, "status"},
		{"E6 a status change without a reason", lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Actor: "rep-a", Status: lead.StatusLead}, "reason"},
		{"E6 S4 back to New", lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Actor: "rep-a", Status: lead.StatusNew, Reason: "r"}, "status"},
		{"E6 a score with 11 decimal places", lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: score("1.00000000001")}, "score"},
		{"E6 an instant before 2000", lead.Event{Kind: lead.EventInquiry, Lead: "L-1", At: time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)}, "at"},
		{"E6 T2 an attempt by a stranger", lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: "stranger", Channels: stage.Call}, "actor"},
		{"E6 an owner on an inquiry", lead.Event{Kind: lead.EventInquiry, Lead: "L-1", Owner: "rep-b"}, "owner"},
		{"E6 a profile on a score change", lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: score("1"), Profile: lead.Profile{Company: "x"}}, "profile"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, leadline.Config{})
			h.create(t, "L-1", score("120"), "rep-a")
			h.inquiry(t, "L-1")
			before := h.snapshot(t, "L-1")
			err := h.handle(t, tt.ev)
			fieldNamed(t, err, tt.field)
			if after := h.snapshot(t, "L-1"); !after.same(before) {
				t.Fatalf("changed: %+v -> %+v", before, after)
			}
		})
	}
	t.Run("E6 T6 an attempt on a Connected lead is an invalid transition, nothing changes", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.must(t, lead.Event{Kind: lead.EventContact, Lead: "L-1", Actor: "rep-a"})
		before := h.snapshot(t, "L-1")
		err := h.handle(t, lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: "rep-a", Channels: stage.Call})
		if _, ok := errors.AsType[*leadline.FieldError](err); !ok || !errors.Is(err, leadline.ErrInvalidTransition) {
			t.Fatalf("err %v, want a FieldError wrapping ErrInvalidTransition", err)
		}
		if after := h.snapshot(t, "L-1"); !after.same(before) {
			t.Fatalf("changed")
		}
	})
	t.Run("E6 a created event for an existing lead names lead and takes no round-robin turn", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		for _, id := range []string{"L-1", "L-2", "L-3"} {
			h.create(t, id, score("120"), "")
		}
		h.inquiry(t, "L-1")
		before := h.snapshot(t, "L-1")
		err := h.handle(t, lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: score("20"), Profile: lead.Profile{Company: "B"}})
		fieldNamed(t, err, "lead")
		if !errors.Is(err, leadline.ErrExists) {
			t.Fatalf("err %v, want ErrExists", err)
		}
		if after := h.snapshot(t, "L-1"); !after.same(before) {
			t.Fatalf("changed")
		}
		h.inquiry(t, "L-2")
		h.inquiry(t, "L-3")
		got := []string{h.lead(t, "L-1").Owner, h.lead(t, "L-2").Owner, h.lead(t, "L-3").Owner}
		if got[0] == "" || got[0] == got[1] || got[1] == got[2] || got[0] == got[2] {
			t.Fatalf("owners %v: want three different reps by round robin", got)
		}
	})
	t.Run("E9 an event for an unknown lead is not found, not a FieldError", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		err := h.handle(t, lead.Event{Kind: lead.EventInquiry, Lead: "nope"})
		if !errors.Is(err, leadline.ErrNotFound) {
			t.Fatalf("err %v", err)
		}
		if _, ok := errors.AsType[*leadline.FieldError](err); ok {
			t.Fatalf("err %v is a FieldError", err)
		}
	})
}

// ---------------------------------------------------------------- E8

func TestRuleBook_NoEmptyHistory(t *testing.T) {
	t.Parallel()
	t.Run("E8 a score equal to the current one writes no entry", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("100"), "rep-a")
		n := len(h.history(t, "L-1"))
		h.must(t, lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: score("100.00")})
		if hs := h.history(t, "L-1"); len(hs) != n {
			t.Fatalf("wrote %v", hs[n:])
		}
	})
	t.Run("E8 E9 an inquiry carrying the current score writes no score entry", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.must(t, lead.Event{Kind: lead.EventInquiry, Lead: "L-1", Score: score("120.0")})
		if hs := changes(h.history(t, "L-1"), lead.FieldScore, ""); len(hs) != 0 {
			t.Fatalf("score entries %v", hs)
		}
	})
	t.Run("E8 an identical profile update writes no entry", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("10"), "rep-a")
		n := len(h.history(t, "L-1"))
		h.must(t, lead.Event{Kind: lead.EventProfileUpdated, Lead: "L-1", Profile: lead.Profile{Company: "Acme L-1", Name: "Name L-1", Source: "web"}})
		if hs := h.history(t, "L-1"); len(hs) != n {
			t.Fatalf("wrote %v", hs[n:])
		}
	})
	t.Run("E8 no history entry has From equal To unless it records a decision", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.advance(t, 49*time.Hour)
		h.attempt(t, "L-1")
		h.attempt(t, "L-1")
		h.must(t, lead.Event{Kind: lead.EventContact, Lead: "L-1", Actor: "rep-a"})
		for _, c := range h.history(t, "L-1") {
			if c.From == c.To && c.Rule == "" {
				t.Errorf("entry with no change and no rule: %v", c)
			}
			if c.Field == lead.FieldRequest && c.From == c.To && (c.From == "done" || c.From == "open") {
				t.Errorf("request entry that changed nothing: %v", c)
			}
		}
	})
}

// ================================================================ batch 2

func TestRuleBook_requests(t *testing.T) {
	t.Parallel()
	t.Run("A7 an explicit threshold of 0: score 0 is an MQL, -0.5 is not", func(t *testing.T) {
		t.Parallel()
		pol := leadline.Policy{Triggers: routing.Triggers{Threshold: lead.NewThreshold(score("0"))}}
		for _, c := range []struct {
			s    string
			rule string
		}{{"0", "A1"}, {"-0.5", "A2"}, {"0.0001", "A1"}} {
			h := newHarness(t, leadline.Config{Policy: pol})
			h.create(t, "L-1", score(c.s), "rep-a")
			h.inquiry(t, "L-1")
			if r := h.lead(t, "L-1").Request; r.Reasons.First() != c.rule {
				t.Errorf("score %s: reasons %v, want %s", c.s, r.Reasons, c.rule)
			}
		}
	})
	t.Run("A7 a threshold of 99.95: 99.9 is below, 99.95 and 100 reach it", func(t *testing.T) {
		t.Parallel()
		pol := leadline.Policy{Triggers: routing.Triggers{Threshold: lead.NewThreshold(score("99.95"))}}
		for _, c := range []struct {
			s    string
			rule string
		}{{"99.9", "A2"}, {"99.95", "A1"}, {"99.949999", "A2"}, {"100", "A1"}, {"1e2", "A1"}, {"-1e3", "A2"}} {
			h := newHarness(t, leadline.Config{Policy: pol})
			h.create(t, "L-1", score(c.s), "rep-a")
			h.inquiry(t, "L-1")
			if r := h.lead(t, "L-1").Request; r.Reasons.First() != c.rule {
				t.Errorf("score %s: reasons %v, want %s", c.s, r.Reasons, c.rule)
			}
		}
	})
	t.Run("A4 an inquiry delivered three days late is not born overdue", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.clk.Add(72 * time.Hour)
		h.must(t, lead.Event{Kind: lead.EventInquiry, Lead: "L-1", At: monday.Add(time.Hour)})
		l := h.lead(t, "L-1")
		if want := h.clk.Now().Add(48 * time.Hour); !l.Request.Due.Equal(want) || !l.Request.Opened.Equal(h.clk.Now()) {
			t.Fatalf("due %v opened %v, want due %v opened now", l.Request.Due, l.Request.Opened, want)
		}
		if res := h.sweep(t); len(res.Fired) != 0 {
			t.Fatalf("fired %v", res.Fired)
		}
		hs := changes(h.history(t, "L-1"), lead.FieldRequest, "")
		if len(hs) != 1 || !hs[0].At.Equal(monday.Add(time.Hour)) {
			t.Fatalf("request history %v, want one entry at the event's time", hs)
		}
	})
	t.Run("A4 T14 a mid-cadence request counts its window on the business calendar", func(t *testing.T) {
		t.Parallel()
		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		pol := leadline.Policy{RequestWindow: 9 * time.Hour, Cadence: stage.Policy{
			Calendar: stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo"})}}
		h := newHarness(t, leadline.Config{Policy: pol})
		h.clk.Set(time.Date(2026, 4, 9, 9, 0, 0, 0, tokyo)) // Thursday
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.attempt(t, "L-1")
		h.clk.Set(time.Date(2026, 4, 10, 9, 0, 0, 0, tokyo)) // Friday 09:00
		h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"})
		if want := time.Date(2026, 4, 13, 9, 0, 0, 0, tokyo); !h.lead(t, "L-1").Request.Due.Equal(want) {
			t.Fatalf("due %v, want Monday 09:00 %v", h.lead(t, "L-1").Request.Due, want)
		}
	})
	t.Run("A6 T1 a trigger after a reassignment is recorded on the request and the new owner is told", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("150"), "rep-a")
		h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"}) // A3
		h.advance(t, 48*time.Hour+time.Minute)                       // T1
		l := h.lead(t, "L-1")
		due := l.Request.Due
		h.take(t)
		h.inquiry(t, "L-1")
		r := h.lead(t, "L-1").Request
		if r.Seq != 1 || r.Priority != 1 || !slices.Equal(r.Reasons.List(), []string{"A3", "A1"}) || !r.Due.Equal(due) || r.State != lead.RequestOpen {
			t.Fatalf("request %d %v prio %d %v due %v", r.Seq, r.State, r.Priority, r.Reasons, r.Due)
		}
		if got := kinds(h.take(t)); !slices.Equal(got, []string{"request_updated:" + l.Owner}) {
			t.Fatalf("delivered %v, want request_updated to %s", got, l.Owner)
		}
	})
	t.Run("A5 A8 a jump on a recycled target account re-engages it", func(t *testing.T) {
		t.Parallel()
		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		h := newHarness(t, leadline.Config{Policy: leadline.Policy{TimeZone: "Asia/Tokyo"}})
		h.must(t, lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: score("50"), Owner: "rep-a",
			Profile: lead.Profile{Company: "Acme", Target: true}})
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusRecycled, Actor: "rep-a", Reason: "next year"})
		h.clk.Set(time.Date(2026, 4, 7, 10, 0, 0, 0, tokyo))
		h.must(t, lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: score("60")})
		l := h.lead(t, "L-1")
		if l.Status != lead.StatusLead || l.Request.State != lead.RequestOpen || l.Request.Reasons.First() != "A8" || l.Track.Stage != stage.Untouched || !l.Track.Active() {
			t.Fatalf("status %v request %v %v stage %v active %v", l.Status, l.Request.State, l.Request.Reasons, l.Track.Stage, l.Track.Active())
		}
	})
	t.Run("A8 a lead that becomes a target is tracked from its next score change", func(t *testing.T) {
		t.Parallel()
		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		at := func(d, hh int) time.Time { return time.Date(2026, 4, d, hh, 0, 0, 0, tokyo) }
		h := newHarness(t, leadline.Config{Policy: leadline.Policy{TimeZone: "Asia/Tokyo"}})
		h.clk.Set(at(6, 10))
		h.must(t, lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: score("50"), Owner: "rep-a", Profile: lead.Profile{Company: "Acme"}})
		h.clk.Set(at(7, 10))
		h.must(t, lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: score("70")})
		h.must(t, lead.Event{Kind: lead.EventProfileUpdated, Lead: "L-1", Profile: lead.Profile{Company: "Acme", Target: true}})
		h.clk.Set(at(7, 11))
		h.must(t, lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: score("79")})
		if r := h.lead(t, "L-1").Request; r.Seq != 0 {
			t.Fatalf("request %v at 79: the first tracked change takes 70 as the open score", r.Reasons)
		}
		h.clk.Set(at(7, 12))
		h.must(t, lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: score("80")})
		if r := h.lead(t, "L-1").Request; r.Seq != 1 || r.Reasons.First() != "A8" {
			t.Fatalf("request %d %v at 80, want A8", r.Seq, r.Reasons)
		}
	})
	t.Run("A8 a lead created one day jumps the next day against its created score", func(t *testing.T) {
		t.Parallel()
		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		at := func(d, hh int) time.Time { return time.Date(2026, 4, d, hh, 0, 0, 0, tokyo) }
		h := newHarness(t, leadline.Config{Policy: leadline.Policy{TimeZone: "Asia/Tokyo"}})
		h.clk.Set(at(6, 10))
		h.must(t, lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: score("50"), Owner: "rep-a", Profile: lead.Profile{Company: "Acme", Target: true}})
		h.clk.Set(at(6, 12))
		h.must(t, lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: score("55")})
		h.clk.Set(at(7, 0)) // exactly Tokyo midnight: the new day
		h.must(t, lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: score("65")})
		if r := h.lead(t, "L-1").Request; r.Seq != 1 || r.Reasons.First() != "A8" {
			t.Fatalf("request %d %v, want A8 (open 55, 65 >= 65)", r.Seq, r.Reasons)
		}
	})
	t.Run("A8 the default zone is the engine clock's", func(t *testing.T) {
		t.Parallel()
		// monday is JST; no TimeZone in the policy.
		h := newHarness(t, leadline.Config{})
		h.must(t, lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: score("50"), Owner: "rep-a", Profile: lead.Profile{Company: "Acme", Target: true}})
		h.clk.Set(time.Date(2026, 4, 7, 8, 0, 0, 0, jst)) // Apr 6 23:00 UTC, Apr 7 in JST
		h.must(t, lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: score("60")})
		if r := h.lead(t, "L-1").Request; r.Seq != 1 || r.Reasons.First() != "A8" {
			t.Fatalf("request %d %v, want A8", r.Seq, r.Reasons)
		}
	})
}

func TestRuleBook_cadence(t *testing.T) {
	t.Parallel()
	t.Run("T9 an attempt dated before the latest step counts at the latest step", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{})
		h.clk.Add(10 * time.Hour)
		h.attempt(t, "L-1") // Stage1 at 10h
		h.clk.Add(time.Hour)
		h.must(t, lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: "rep-a", Channels: stage.Email, At: monday.Add(5 * time.Hour)})
		l := h.lead(t, "L-1")
		if l.Track.Stage != stage.Stage2 || !l.Track.At(stage.Stage2).Equal(monday.Add(10*time.Hour)) {
			t.Fatalf("stage %v at %v, want Stage2 at %v", l.Track.Stage, l.Track.At(stage.Stage2), monday.Add(10*time.Hour))
		}
		if due, _ := l.Track.Pending(); !due.Equal(monday.Add(58 * time.Hour)) {
			t.Fatalf("Stage3 due %v, want %v", due, monday.Add(58*time.Hour))
		}
	})
	t.Run("T9 an attempt dated in the future counts at now", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{})
		h.must(t, lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: "rep-a", Channels: stage.Email, At: monday.Add(5 * time.Hour)})
		l := h.lead(t, "L-1")
		if !l.Track.At(stage.Stage1).Equal(monday) {
			t.Fatalf("Stage1 at %v, want now %v", l.Track.At(stage.Stage1), monday)
		}
	})
	t.Run("T10 with rep-b away: a, c, then a again (only passed reps left), then the manager", func(t *testing.T) {
		t.Parallel()
		org := team()
		org.Inside.Reps[1].Away = []routing.Period{{From: monday, To: monday.Add(30 * 24 * time.Hour)}}
		h := requested(t, leadline.Config{Roster: org, Policy: leadline.Policy{Cadence: stage.Policy{MaxReassignments: 3}}})
		owners := []string{h.lead(t, "L-1").Owner}
		for range 3 {
			h.advance(t, 48*time.Hour+time.Minute)
			owners = append(owners, h.lead(t, "L-1").Owner)
		}
		if want := []string{"rep-a", "rep-c", "rep-a", "rep-c"}; !slices.Equal(owners, want) {
			t.Fatalf("owners %v, want %v", owners, want)
		}
	})
	t.Run("T13 T10 a hand-on never goes back to a rep the cadence was taken from", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{Policy: leadline.Policy{Cadence: stage.Policy{Repeats: stage.NoRepeat}}})
		h.attempt(t, "L-1") // Stage1; Stage2 due 48h
		var owners []string
		for range 3 {
			h.advance(t, 48*time.Hour+time.Minute) // T8
			h.advance(t, 48*time.Hour+time.Minute) // hand-on
			owners = append(owners, h.lead(t, "L-1").Owner)
		}
		if owners[0] == "rep-a" || owners[1] == "rep-a" || owners[0] == owners[1] || owners[2] != "mgr" {
			t.Fatalf("owners after each hand-on %v, want two different reps other than rep-a, then mgr", owners)
		}
	})
	t.Run("T8 after a T13 hand-on the new owner is reminded and the manager alerted", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{Policy: leadline.Policy{Cadence: stage.Policy{Repeats: stage.NoRepeat}}})
		h.attempt(t, "L-1")
		h.advance(t, 48*time.Hour+time.Minute)
		h.advance(t, 48*time.Hour+time.Minute)
		owner := h.lead(t, "L-1").Owner
		h.take(t)
		h.advance(t, 48*time.Hour+time.Minute)
		if got, want := kinds(h.take(t)), []string{"manager_alert:mgr", "reminder:" + owner}; !slices.Equal(got, want) {
			t.Fatalf("delivered %v, want %v", got, want)
		}
	})
	t.Run("T6 a contact before any attempt connects and closes the request", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{})
		h.must(t, lead.Event{Kind: lead.EventContact, Lead: "L-1", Actor: "rep-a", Channels: stage.Call})
		l := h.lead(t, "L-1")
		if l.Track.Stage != stage.Connected || l.Request.State != lead.RequestDone || len(l.Deadlines(nil)) != 0 {
			t.Fatalf("stage %v request %v deadlines %v", l.Track.Stage, l.Request.State, l.Deadlines(nil))
		}
		if res := h.advance(t, 200*time.Hour); len(res.Fired) != 0 {
			t.Fatalf("fired %v after connect", res.Fired)
		}
	})
	t.Run("T6 a contact closes an outstanding mid-cadence request", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{})
		h.attempt(t, "L-1")
		h.clk.Add(time.Hour)
		h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"})
		h.must(t, lead.Event{Kind: lead.EventContact, Lead: "L-1", Actor: "rep-a"})
		l := h.lead(t, "L-1")
		if l.Request.State != lead.RequestDone || len(l.Deadlines(nil)) != 0 {
			t.Fatalf("request %v deadlines %v", l.Request.State, l.Deadlines(nil))
		}
	})
	t.Run("T7 the recycle cancels an outstanding mid-cadence request and nothing fires after", func(t *testing.T) {
		t.Parallel()
		pol := leadline.Policy{RequestWindow: 200 * time.Hour}
		h := requested(t, leadline.Config{Policy: pol})
		for range 4 {
			h.attempt(t, "L-1")
		}
		h.clk.Add(10 * time.Hour)
		h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"}) // due 210h
		h.advance(t, 87*time.Hour)                                   // 97h: recycled
		l := h.lead(t, "L-1")
		if l.Status != lead.StatusRecycled || l.Request.State != lead.RequestCancelled || len(l.Deadlines(nil)) != 0 {
			t.Fatalf("status %v request %v deadlines %v", l.Status, l.Request.State, l.Deadlines(nil))
		}
		h.take(t)
		if res := h.advance(t, 300*time.Hour); len(res.Fired) != 0 {
			t.Fatalf("fired %v after the recycle", res.Fired)
		}
	})
	t.Run("S4 a person's Disqualified cancels an overdue mid-cadence request: no more reminders", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{Policy: leadline.Policy{Cadence: stage.Policy{Stage2: stage.Step{Within: 500 * time.Hour}}}})
		h.attempt(t, "L-1")
		h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"})
		h.advance(t, 49*time.Hour)
		if s := h.lead(t, "L-1").Request.State; s != lead.RequestOverdue {
			t.Fatalf("request %v", s)
		}
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusDisqualifiedSales, Actor: "rep-a", Reason: "competitor"})
		l := h.lead(t, "L-1")
		if l.Request.State != lead.RequestCancelled || l.Track.Active() {
			t.Fatalf("request %v active %v", l.Request.State, l.Track.Active())
		}
		h.take(t)
		if res := h.advance(t, 1000*time.Hour); len(res.Fired) != 0 || len(h.take(t)) != 0 {
			t.Fatalf("fired %v on a disqualified lead", res.Fired)
		}
	})
	t.Run("E5 a status change after a missed T1 window (no sweep) fires the reassignment first", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{})
		h.clk.Add(49 * time.Hour)
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusCustomer, Actor: "rep-a", Reason: "signed"})
		hs := h.history(t, "L-1")
		oi, si := -1, -1
		for i, c := range hs {
			if c.Field == lead.FieldOwner && c.Rule == "T1" {
				oi = i
			}
			if c.Field == lead.FieldStatus && c.To == "customer" {
				si = i
			}
		}
		if oi < 0 || si < 0 || oi > si {
			t.Fatalf("history %v: want the T1 reassignment before the status change", hs)
		}
	})
	t.Run("E5 a contact after a missed Stage2 deadline (no sweep) still sends its reminder", func(t *testing.T) {
		t.Parallel()
		h := requested(t, leadline.Config{})
		h.attempt(t, "L-1")
		h.take(t)
		h.clk.Add(49 * time.Hour)
		h.must(t, lead.Event{Kind: lead.EventContact, Lead: "L-1", Actor: "rep-a"})
		if got, want := kinds(h.take(t)), []string{"manager_alert:mgr", "reminder:rep-a"}; !slices.Equal(got, want) {
			t.Fatalf("delivered %v, want %v", got, want)
		}
	})
}

func TestRuleBook_calendar(t *testing.T) {
	t.Parallel()
	t.Run("T11 jp holidays: Golden Week and its substitute day are closed", func(t *testing.T) {
		t.Parallel()
		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		cal := stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo", Holidays: []string{"jp"}})
		got := cal.Add(time.Date(2026, 4, 28, 9, 0, 0, 0, tokyo), 48*time.Hour)
		if want := time.Date(2026, 5, 11, 12, 0, 0, 0, tokyo); !got.Equal(want) {
			t.Fatalf("Add = %v, want %v", got.In(tokyo), want)
		}
	})
	t.Run("T14 a DST-gap opening is reached when the gap ends", func(t *testing.T) {
		t.Parallel()
		ny, err := time.LoadLocation("America/New_York")
		if err != nil {
			t.Skip(err)
		}
		all := []time.Weekday{0, 1, 2, 3, 4, 5, 6}
		cal := stage.MustBusinessCalendar(stage.BusinessHours{Zone: "America/New_York", Start: stage.At(2, 30), End: stage.At(10, 0), Workdays: all})
		// Sat Mar 7 2026 10:00 EST is closing; Sun Mar 8 02:30 does not exist (02:00->03:00).
		got := cal.Add(time.Date(2026, 3, 7, 10, 0, 0, 0, ny), time.Hour)
		want := time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC).Add(time.Hour) // 03:00 EDT + 1h
		if !got.Equal(want) {
			t.Fatalf("Add = %v, want %v", got.In(ny), want.In(ny))
		}
	})
	t.Run("T14 a repeated-hour opening is reached at its first showing", func(t *testing.T) {
		t.Parallel()
		ny, err := time.LoadLocation("America/New_York")
		if err != nil {
			t.Skip(err)
		}
		all := []time.Weekday{0, 1, 2, 3, 4, 5, 6}
		cal := stage.MustBusinessCalendar(stage.BusinessHours{Zone: "America/New_York", Start: stage.At(1, 30), End: stage.At(10, 0), Workdays: all})
		// Sun Nov 1 2026: 01:00-02:00 happens twice (EDT then EST).
		got := cal.Add(time.Date(2026, 10, 31, 10, 0, 0, 0, ny), 30*time.Minute)
		want := time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC).Add(30 * time.Minute) // 01:30 EDT + 30m
		if !got.Equal(want) {
			t.Fatalf("Add = %v (%v UTC), want %v UTC", got.In(ny), got.UTC(), want.UTC())
		}
	})
	t.Run("T11 CountDays: 30h is one working day and 6 working hours", func(t *testing.T) {
		t.Parallel()
		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		cal := stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo", CountDays: true})
		// Thu 10:00 + 1 day = Fri 10:00; + 6 working hours = Fri 16:00.
		got := cal.Add(time.Date(2026, 4, 9, 10, 0, 0, 0, tokyo), 30*time.Hour)
		if want := time.Date(2026, 4, 10, 16, 0, 0, 0, tokyo); !got.Equal(want) {
			t.Fatalf("Add = %v, want %v", got.In(tokyo), want)
		}
		// Fri 15:00 + 1 day = Mon 15:00; + 6h = Mon 18:00 -> Tue 12:00? no: 3h to Mon 18:00, 3h more Tue 12:00.
		got = cal.Add(time.Date(2026, 4, 10, 15, 0, 0, 0, tokyo), 30*time.Hour)
		if want := time.Date(2026, 4, 14, 12, 0, 0, 0, tokyo); !got.Equal(want) {
			t.Fatalf("Add = %v, want %v", got.In(tokyo), want)
		}
	})
	t.Run("T14 a deadline at Friday closing on a business calendar: attempt Monday 09:00 is on time, no reminder over the weekend", func(t *testing.T) {
		t.Parallel()
		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		pol := leadline.Policy{Cadence: stage.Policy{Stage2: stage.Step{Within: 9 * time.Hour},
			Calendar: stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo"})}}
		h := newHarness(t, leadline.Config{Policy: pol})
		h.clk.Set(time.Date(2026, 4, 10, 9, 0, 0, 0, tokyo))
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.attempt(t, "L-1") // Stage1 Fri 09:00; Stage2 due Mon 09:00
		h.take(t)
		for _, d := range []int{10, 11, 12} {
			h.clk.Set(time.Date(2026, 4, d, 20, 0, 0, 0, tokyo))
			if res := h.sweep(t); len(res.Fired) != 0 {
				t.Fatalf("fired %v on Apr %d", res.Fired, d)
			}
		}
		h.clk.Set(time.Date(2026, 4, 13, 9, 0, 0, 0, tokyo))
		h.sweep(t)
		h.attempt(t, "L-1")
		l := h.lead(t, "L-1")
		if l.Track.IsLate(stage.Stage2) || l.Track.HasMissed(stage.Stage2) || len(h.take(t)) != 0 {
			t.Fatalf("late %v missed %v", l.Track.IsLate(stage.Stage2), l.Track.HasMissed(stage.Stage2))
		}
	})
}

func TestRuleBook_guarantees(t *testing.T) {
	t.Parallel()
	t.Run("E2 a batch repeating a handled inquiry applies only the new event", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		inq := lead.Event{ID: "inq-1", Kind: lead.EventInquiry, Lead: "L-1", At: monday}
		h.must(t, inq)
		att := lead.Event{ID: "att-1", Kind: lead.EventOutbound, Lead: "L-1", At: monday, Actor: "rep-a", Channels: stage.Call}
		if err := h.eng.HandleBatch(t.Context(), []lead.Event{inq, att}); err != nil {
			t.Fatal(err)
		}
		l := h.lead(t, "L-1")
		if l.Request.Seq != 1 || l.Track.Stage != stage.Stage1 {
			t.Fatalf("request %d stage %v", l.Request.Seq, l.Track.Stage)
		}
	})
	t.Run("E6 S4 a batch whose second event sets New refuses the batch", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		before := h.snapshot(t, "L-1")
		err := h.eng.HandleBatch(t.Context(), []lead.Event{
			{ID: "b1", Kind: lead.EventInquiry, Lead: "L-1", At: monday},
			{ID: "b2", Kind: lead.EventStatusSet, Lead: "L-1", At: monday, Actor: "rep-a", Status: lead.StatusNew, Reason: "x"},
		})
		fieldNamed(t, err, "events[1].status")
		if after := h.snapshot(t, "L-1"); !after.same(before) {
			t.Fatalf("changed")
		}
	})
	t.Run("E6 a malformed policy names its field", func(t *testing.T) {
		t.Parallel()
		for _, c := range []struct {
			pol   leadline.Policy
			field string
		}{
			{leadline.Policy{TimeZone: "Local"}, "policy.time_zone"},
			{leadline.Policy{TargetJump: rules_TargetJump(-1)}, "policy.target_jump.rise"},
			{leadline.Policy{Cadence: stage.Policy{Repeats: -2}}, "policy.cadence.repeats"},
			{leadline.Policy{Cadence: stage.Policy{MaxReassignments: 101}}, "policy.cadence.max_reassignments"},
			{leadline.Policy{RequestWindow: -time.Hour}, "policy.request_window"},
		} {
			cfg := leadline.Config{Policy: c.pol}
			err := cfg.Validate()
			var fe *leadline.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field {
				t.Errorf("Validate(%+v) = %v, want a FieldError for %s", c.pol, err, c.field)
			}
			if _, err := leadline.New(memstoreNew(), cfg); err == nil {
				t.Errorf("New accepted a policy with a bad %s", c.field)
			}
		}
	})
}

func rules_TargetJump(rise int64) rules.TargetJump {
	return rules.TargetJump{Rise: decimal.NewFromInt(rise)}
}

func memstoreNew() *memstore.Store { return memstore.New() }

// ================================================================ findings (each fails)

func TestRuleBook_T2_strangerAttemptOnCustomer(t *testing.T) {
	h := newHarness(t, leadline.Config{})
	h.create(t, "L-1", score("150"), "rep-a")
	h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusCustomer, Actor: "rep-a", Reason: "contract"})
	before := h.snapshot(t, "L-1")
	// T2 reading: an attempt by anyone but the owner, a team member or the
	// owner's manager is refused with a FieldError for "actor", nothing changes.
	err := h.handle(t, lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: "stranger", Channels: stage.Call})
	fieldNamed(t, err, "actor")
	if after := h.snapshot(t, "L-1"); !after.same(before) {
		t.Fatalf("changed: history %d -> %d", before.history, after.history)
	}
}

func TestRuleBook_A5_recycledLeadCalledStartsAFreshCadence(t *testing.T) {
	h := newHarness(t, leadline.Config{})
	h.create(t, "L-1", score("150"), "rep-a")
	h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusRecycled, Actor: "rep-a", Reason: "next year"})
	h.clk.Add(24 * time.Hour)
	h.attempt(t, "L-1") // a courtesy call; the lead stays Recycled
	cad := h.lead(t, "L-1").Track.Cadence
	h.clk.Add(time.Hour)
	h.inquiry(t, "L-1") // A1 on a Recycled lead: A5
	l := h.lead(t, "L-1")
	if l.Status != lead.StatusLead || l.Request.State != lead.RequestOpen {
		t.Fatalf("status %v request %v", l.Status, l.Request.State)
	}
	if l.Track.Stage != stage.Untouched || l.Track.Cadence != cad+1 {
		t.Fatalf("stage %v cadence %d (was %d); want a new cadence (%d) from Untouched (A5)", l.Track.Stage, l.Track.Cadence, cad, cad+1)
	}
}

func TestRuleBook_E2_scoreWithTrailingZerosIsTheSamePayload(t *testing.T) {
	h := newHarness(t, leadline.Config{})
	h.create(t, "L-1", score("10"), "rep-a")
	for i, c := range []struct{ a, b string }{{"120", "120.0000000000"}, {"999999999", "999999999.0000000000"}} {
		ev := lead.Event{ID: fmt.Sprintf("s-%d", i), Kind: lead.EventScoreChanged, Lead: "L-1", At: monday, Score: score(c.a)}
		h.must(t, ev)
		ev.Score = score(c.b) // the same number, written with ten decimal places
		if err := h.eng.Handle(t.Context(), ev); !errors.Is(err, leadline.ErrDuplicateEvent) {
			t.Errorf("redelivery of score %s as %s = %v, want ErrDuplicateEvent (E2: the score as a number)", c.a, c.b, err)
		}
	}
}

func TestRuleBook_E5_oneSweepFiresInDeadlineOrder(t *testing.T) {
	pol := leadline.Policy{Cadence: stage.Policy{Stage2: stage.Step{Within: 200 * time.Hour}}}
	h := newHarness(t, leadline.Config{Policy: pol})
	h.create(t, "L-1", score("120"), "rep-a")
	h.inquiry(t, "L-1")
	h.attempt(t, "L-1") // L-1 Stage2 due 200h
	h.clk.Add(10 * time.Hour)
	h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"}) // L-1 request due 58h
	h.clk.Set(monday.Add(52 * time.Hour))
	h.create(t, "L-2", score("120"), "rep-b")
	h.inquiry(t, "L-2")                    // L-2 T1 due 100h
	h.clk.Set(monday.Add(300 * time.Hour)) // no process ran since
	res := h.sweep(t)
	var got []string
	for _, d := range res.Fired {
		got = append(got, fmt.Sprintf("%s/%s@%v", d.Lead, d.Kind, d.Due.Sub(monday)))
	}
	var order []string
	for _, n := range h.delivered(0) {
		if n.At.Equal(h.clk.Now()) {
			order = append(order, n.Lead+":"+n.Kind.String()+":"+n.Rule)
		}
	}
	t.Logf("delivery order of the sweep's notifications: %v", order)
	want := []string{"L-1/request@58h0m0s", "L-2/cadence@100h0m0s", "L-1/cadence@200h0m0s"}
	if !slices.Equal(got, want) {
		t.Fatalf("fired %v, want %v (E5: in deadline order)", got, want)
	}
}

func TestRuleBook_T10_lateEventGivesAWholeWindow(t *testing.T) {
	h := newHarness(t, leadline.Config{})
	h.create(t, "L-1", score("120"), "rep-a")
	h.inquiry(t, "L-1") // T1 due 48h
	h.take(t)
	h.clk.Set(monday.Add(200 * time.Hour)) // no process ran
	// Marketing automation delivers a rescoring that happened at 60h.
	h.must(t, lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", At: monday.Add(60 * time.Hour), Score: score("130")})
	l := h.lead(t, "L-1")
	t.Logf("after the event: owner %s, reassignments %d, due %v", l.Owner, l.Track.Reassignments, l.Track.Due.Time().Sub(monday))
	res := h.sweep(t)
	l = h.lead(t, "L-1")
	t.Logf("delivered: %v", kinds(h.take(t)))
	if l.Track.Reassignments != 1 || len(res.Fired) != 0 {
		t.Fatalf("after the sweep at 200h: %d reassignments, fired %v, owner %s; want one reassignment and a fresh window (T10, E5)",
			l.Track.Reassignments, res.Fired, l.Owner)
	}
}

func TestRuleBook_T13_lateEventRemindsOnce(t *testing.T) {
	h := newHarness(t, leadline.Config{})
	h.create(t, "L-1", score("120"), "rep-a")
	h.inquiry(t, "L-1")
	h.attempt(t, "L-1") // Stage2 due 48h
	h.take(t)
	h.clk.Set(monday.Add(200 * time.Hour)) // no process ran
	h.must(t, lead.Event{Kind: lead.EventWebActivity, Lead: "L-1", At: monday.Add(60 * time.Hour), Topic: "/pricing"})
	h.sweep(t)
	got := kinds(h.take(t))
	if want := []string{"manager_alert:mgr", "reminder:rep-a"}; !slices.Equal(got, want) {
		t.Fatalf("delivered %v by 200h, want one reminder and one alert (E5, T13: one window apart)", got)
	}
}

func TestRuleBook_M9_refusedBatchTakesNoTurn(t *testing.T) {
	t.Parallel()
	h := newHarness(t, leadline.Config{})
	for _, id := range []string{"L-1", "L-2", "L-3"} {
		h.create(t, id, score("120"), "")
	}
	err := h.eng.HandleBatch(t.Context(), []lead.Event{
		{ID: "b1", Kind: lead.EventInquiry, Lead: "L-1", At: monday},
		{ID: "b2", Kind: lead.EventStatusSet, Lead: "L-1", At: monday, Actor: "rep-a", Status: lead.Status(77), Reason: "x"},
	})
	if err == nil {
		t.Fatal("batch accepted")
	}
	err = h.eng.HandleBatch(t.Context(), []lead.Event{
		{ID: "c1", Kind: lead.EventInquiry, Lead: "L-1", At: monday},
		{ID: "c2", Kind: lead.EventOutbound, Lead: "L-1", At: monday, Actor: "stranger", Channels: stage.Call},
	})
	fieldNamed(t, err, "events[1].actor")
	for _, id := range []string{"L-1", "L-2", "L-3"} {
		h.inquiry(t, id)
	}
	got := []string{h.lead(t, "L-1").Owner, h.lead(t, "L-2").Owner, h.lead(t, "L-3").Owner}
	if want := []string{"rep-a", "rep-b", "rep-c"}; !slices.Equal(got, want) {
		t.Fatalf("owners %v, want %v (refused events take no turn)", got, want)
	}
}

func TestRuleBook_probes(t *testing.T) {
	t.Parallel()
	t.Run("T1 M9 an account owner who does not start loses the lead too", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-c")
		h.inquiry(t, "L-1")
		h.advance(t, 48*time.Hour+time.Second)
		l := h.lead(t, "L-1")
		if l.Owner == "rep-c" || l.Owner == "" || l.AccountOwned {
			t.Fatalf("owner %s accountOwned %v", l.Owner, l.AccountOwned)
		}
	})
	t.Run("A9 open requests are listed by priority then due, overdue before a sweep", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("150"), "rep-a")
		h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"}) // prio 3, due 48h
		h.clk.Add(time.Hour)
		h.create(t, "L-2", score("50"), "rep-a")
		h.inquiry(t, "L-2") // prio 2, due 49h
		h.clk.Add(time.Hour)
		h.create(t, "L-3", score("150"), "rep-a")
		h.inquiry(t, "L-3") // prio 1, due 50h
		h.create(t, "L-4", score("150"), "rep-a")
		h.inquiry(t, "L-4") // prio 1, due 50h
		h.clk.Set(monday.Add(49*time.Hour + 30*time.Minute))
		rows, err := report.Requests(t.Context(), h.store, ops, report.RequestsParams{Frame: report.Frame{Now: h.clk.Now()}, Owners: []string{"rep-a"}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, fmt.Sprintf("%s:%d:%v", r.Lead, r.Priority, r.State))
		}
		want := []string{"L-3:1:open", "L-4:1:open", "L-2:2:overdue", "L-1:3:overdue"}
		if !slices.Equal(got, want) {
			t.Fatalf("rows %v, want %v", got, want)
		}
	})
}
