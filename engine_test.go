package leadline_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

func TestEngine_Triggers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		kind         lead.EventKind
		score        decimal.Decimal
		wantRule     string // "" for no request
		wantPriority int
	}{
		{"A1 inquiry at 120 is priority 1", lead.EventInquiry, score("120"), "A1", 1},
		{"A1 inquiry at exactly 100 is an MQL", lead.EventInquiry, score("100"), "A1", 1},
		{"A1 inquiry at 100.00 (two places) is an MQL (E7)", lead.EventInquiry, decimal.New(10000, -2), "A1", 1},
		{"A2 inquiry at 99.99 is priority 2 (E7)", lead.EventInquiry, score("99.99"), "A2", 2},
		{"A2 inquiry at a negative score (E6)", lead.EventInquiry, score("-12.5"), "A2", 2},
		{"A3 download at 100 is priority 3", lead.EventDownload, score("100"), "A3", 3},
		{"A3 download at 99.99 makes no request", lead.EventDownload, score("99.99"), "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, leadline.Config{})
			h.create(t, "L-1", tt.score, "rep-a")
			h.must(t, lead.Event{Kind: tt.kind, Lead: "L-1"})
			l := h.lead(t, "L-1")
			if tt.wantRule == "" {
				if l.Request.State != lead.RequestNone || l.Track.Active() {
					t.Fatalf("request = %v, cadence active = %v; want no request, no cadence", l.Request.State, l.Track.Active())
				}
				return
			}
			r := l.Request
			if r.State != lead.RequestOpen || r.Priority != tt.wantPriority || !slices.Equal(r.Reasons.List(), []string{tt.wantRule}) {
				t.Fatalf("request = %v priority %d reasons %v; want open priority %d reasons [%s]", r.State, r.Priority, r.Reasons, tt.wantPriority, tt.wantRule)
			}
			// A4: the request shows its due date, state and subject; T1: due
			// 48h after the request.
			if want := monday.Add(48 * time.Hour); !r.Due.Equal(want) || r.Subject == "" {
				t.Fatalf("request due %v subject %q; want due %v and a subject", r.Due, r.Subject, want)
			}
			h.sweep(t)
			ns := h.delivered(leadline.NoteApproachRequest)
			if len(ns) != 1 || ns[0].To != "rep-a" || ns[0].Rule != tt.wantRule || ns[0].Priority != tt.wantPriority {
				t.Fatalf("notifications = %v; want one approach_request to rep-a for %s", ns, tt.wantRule)
			}
		})
	}
}

func TestEngine_TriggerPolicy(t *testing.T) {
	t.Parallel()
	// A7: the threshold, the triggers and their priorities are policy.
	pol := leadline.Policy{Triggers: routing.Triggers{
		Threshold: lead.NewThreshold(decimal.NewFromInt(50)),
		Rules: []routing.Trigger{
			{On: lead.EventDownload, Score: routing.AnyScore, Priority: 4, Rule: "X1", Subject: "any download"},
			{On: lead.EventInquiry, Score: routing.AtLeast, Priority: 1, Rule: "A1", Subject: "MQL inquiry"},
		},
	}}
	tests := []struct {
		name     string
		kind     lead.EventKind
		score    string
		wantRule string
	}{
		{"A7 threshold 50: inquiry at 60 is A1", lead.EventInquiry, "60", "A1"},
		{"A7 no A2 row: inquiry at 40 makes no request", lead.EventInquiry, "40", ""},
		{"A7 custom row: download at any score", lead.EventDownload, "-3", "X1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, leadline.Config{Policy: pol})
			h.create(t, "L-1", score(tt.score), "rep-a")
			h.must(t, lead.Event{Kind: tt.kind, Lead: "L-1"})
			r := h.lead(t, "L-1").Request
			got := ""
			if r.State == lead.RequestOpen {
				got = r.Reasons.First()
			}
			if got != tt.wantRule {
				t.Fatalf("request rule = %q, want %q", got, tt.wantRule)
			}
		})
	}
}

func TestEngine_ApproachRequests(t *testing.T) {
	t.Parallel()
	t.Run("A6 a further trigger is recorded on the open request", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("80"), "rep-a")
		h.inquiry(t, "L-1") // A2, priority 2
		h.must(t, lead.Event{Kind: lead.EventScoreChanged, Lead: "L-1", Score: score("130")})
		h.must(t, lead.Event{Kind: lead.EventDownload, Lead: "L-1"}) // A3, priority 3
		h.inquiry(t, "L-1")                                          // A1, priority 1
		r := h.lead(t, "L-1").Request
		if r.Seq != 1 || r.State != lead.RequestOpen || r.Priority != 1 || !slices.Equal(r.Reasons.List(), []string{"A2", "A3", "A1"}) {
			t.Fatalf("request = seq %d %v priority %d reasons %v; want seq 1 open priority 1 reasons [A2 A3 A1]", r.Seq, r.State, r.Priority, r.Reasons)
		}
		h.sweep(t)
		if n := len(h.delivered(leadline.NoteApproachRequest)); n != 1 {
			t.Fatalf("%d approach requests delivered, want 1", n)
		}
		if n := len(h.delivered(leadline.NoteRequestUpdated)); n != 2 {
			t.Fatalf("%d request updates delivered, want 2", n)
		}
	})
	t.Run("A4 an untouched request past due reminds the owner and alerts the manager", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.advance(t, 49*time.Hour)
		got := kinds(h.delivered(0))
		want := []string{"approach_request:rep-a", "manager_alert:mgr", "reassigned:rep-b", "reminder:rep-a"}
		if !slices.Equal(got, want) {
			t.Fatalf("delivered %v, want %v", got, want)
		}
		if hs := changes(h.history(t, "L-1"), lead.FieldRequest, "A4"); len(hs) != 1 || hs[0].To != "overdue" {
			t.Fatalf("A4 history = %v, want the request marked overdue", hs)
		}
	})
	t.Run("A4 a request made mid-cadence has its own due date", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.attempt(t, "L-1") // Stage1; the request is done
		h.advance(t, 10*time.Hour)
		h.inquiry(t, "L-1") // a new request while the cadence runs
		l := h.lead(t, "L-1")
		if l.Request.Seq != 2 || l.Request.State != lead.RequestOpen || l.Track.Stage != stage.Stage1 {
			t.Fatalf("request %d %v at %v; want request 2 open, cadence still at Stage1", l.Request.Seq, l.Request.State, l.Track.Stage)
		}
		if want := h.clk.Now().Add(48 * time.Hour); !l.Request.Due.Equal(want) {
			t.Fatalf("due %v, want %v", l.Request.Due, want)
		}
		h.take(t)
		h.advance(t, 48*time.Hour+time.Minute) // both deadlines pass: Stage2 (T8) then the request (A4)
		l = h.lead(t, "L-1")
		if l.Request.State != lead.RequestOverdue || l.Owner != "rep-a" {
			t.Fatalf("request %v owner %s; want overdue, still rep-a (no reassignment past Untouched)", l.Request.State, l.Owner)
		}
		got := kinds(h.take(t))
		want := []string{"manager_alert:mgr", "manager_alert:mgr", "reminder:rep-a", "reminder:rep-a"}
		if !slices.Equal(got, want) {
			t.Fatalf("delivered %v, want %v", got, want)
		}
	})
	t.Run("A5 a trigger re-engages a recycled lead", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusRecycled, Actor: "rep-a", Reason: "evaluating next year"})
		before := h.lead(t, "L-1").Track.Cadence
		h.inquiry(t, "L-1")
		l := h.lead(t, "L-1")
		if l.Status != lead.StatusLead || l.Request.State != lead.RequestOpen || l.Track.Stage != stage.Untouched || l.Track.Cadence != before+1 {
			t.Fatalf("status %v request %v stage %v cadence %d; want Lead, open, Untouched, cadence %d", l.Status, l.Request.State, l.Track.Stage, l.Track.Cadence, before+1)
		}
		if hs := changes(h.history(t, "L-1"), lead.FieldStatus, "A5"); len(hs) != 1 || hs[0].From != "recycled" || hs[0].To != "lead" || hs[0].Actor != lead.ActorEngine {
			t.Fatalf("A5 history = %v", hs)
		}
	})
}

func TestEngine_Status(t *testing.T) {
	t.Parallel()
	t.Run("S1 a person's change records who, when, from, to and why", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("10"), "rep-a")
		h.clk.Add(time.Hour)
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusLead, Actor: "rep-a", Reason: "decides within 6 months"})
		hs := changes(h.history(t, "L-1"), lead.FieldStatus, "")
		want := lead.Change{Lead: "L-1", At: monday.Add(time.Hour), Actor: "rep-a", Field: lead.FieldStatus, From: "new", To: "lead", Rule: "S1", Reason: "decides within 6 months"}
		if len(hs) != 1 || hs[0].Actor != want.Actor || !hs[0].At.Equal(want.At) || hs[0].From != want.From || hs[0].To != want.To || hs[0].Reason != want.Reason || hs[0].Event == "" {
			t.Fatalf("history = %v, want %v", hs, want)
		}
	})
	t.Run("S2 New and Lead leads receive approach requests", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		for _, st := range []lead.Status{lead.StatusNew, lead.StatusLead} {
			id := "L-" + st.Key()
			h.create(t, id, score("120"), "rep-a")
			if st != lead.StatusNew {
				h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: id, Status: st, Actor: "rep-a", Reason: "reviewed"})
			}
			h.inquiry(t, id)
			if r := h.lead(t, id).Request; r.State != lead.RequestOpen {
				t.Errorf("%v lead: request %v, want open", st, r.State)
			}
		}
	})
	t.Run("S4 a person may not set a status back to New", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("10"), "rep-a")
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusCustomer, Actor: "rep-a", Reason: "signed"})
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusPartner, Actor: "rep-a", Reason: "is a reseller"})
		before := h.snapshot(t, "L-1")
		err := h.handle(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusNew, Actor: "rep-a", Reason: "oops"})
		if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != "status" || !errors.Is(err, leadline.ErrInvalidTransition) {
			t.Fatalf("Handle(status New) = %v, want a FieldError for status wrapping ErrInvalidTransition", err)
		}
		if after := h.snapshot(t, "L-1"); !after.same(before) {
			t.Fatalf("store changed by a refused event: %+v -> %+v", before, after)
		}
	})
	t.Run("S4 a person's recycle stops the cadence and cancels the request", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusRecycled, Actor: "rep-a", Reason: "budget next year"})
		l := h.lead(t, "L-1")
		if l.Track.Active() || l.Request.State != lead.RequestCancelled || len(l.Deadlines(nil)) != 0 {
			t.Fatalf("active %v request %v deadlines %v; want stopped, cancelled, none", l.Track.Active(), l.Request.State, l.Deadlines(nil))
		}
		if res := h.advance(t, 10*24*time.Hour); len(res.Fired) != 0 {
			t.Fatalf("fired %v after a stop", res.Fired)
		}
	})
	protected := []lead.Status{lead.StatusCustomer, lead.StatusPartner, lead.StatusDisqualifiedMktg, lead.StatusDisqualifiedSales}
	for _, st := range protected {
		t.Run("S5 a trigger on "+st.String()+" is suppressed with the reason", func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, leadline.Config{})
			h.create(t, "L-1", score("150"), "rep-a")
			h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: st, Actor: "rep-a", Reason: "reviewed"})
			h.inquiry(t, "L-1")
			l := h.lead(t, "L-1")
			if l.Request.State != lead.RequestNone || l.Status != st {
				t.Fatalf("request %v status %v; want none, %v", l.Request.State, l.Status, st)
			}
			if hs := changes(h.history(t, "L-1"), lead.FieldRequest, "S5"); len(hs) != 0 {
				t.Fatalf("S5 request history = %v, want none: the request did not change (E8)", hs)
			}
			hs := changes(h.history(t, "L-1"), lead.FieldTrigger, "S5")
			if len(hs) != 1 || hs[0].From != "" || hs[0].To != "A1" || !strings.Contains(hs[0].Reason, "suppressed") {
				t.Fatalf("S5 trigger history = %v, want one entry recording the suppressed A1 trigger", hs)
			}
		})
	}
	t.Run("S5 a protected status set mid-cadence stops it for good", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("150"), "rep-a")
		h.inquiry(t, "L-1")
		for range 4 {
			h.attempt(t, "L-1")
		}
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusCustomer, Actor: "rep-a", Reason: "signed"})
		// A call to a customer is recorded but starts no cadence: no
		// deadlines, no reminders, never recycled.
		h.attempt(t, "L-1")
		if res := h.advance(t, 30*24*time.Hour); len(res.Fired) != 0 {
			t.Fatalf("fired %v on a customer", res.Fired)
		}
		l := h.lead(t, "L-1")
		if l.Status != lead.StatusCustomer || l.Track.Active() || l.Track.End != stage.EndStopped {
			t.Fatalf("status %v active %v end %v; want Customer, stopped", l.Status, l.Track.Active(), l.Track.End)
		}
		if hs := changes(h.history(t, "L-1"), lead.FieldStage, "S5"); len(hs) != 2 {
			t.Fatalf("S5 stage history %v, want the stop and the recorded attempt", hs)
		}
	})
	t.Run("M9 a cadence starts with an available owner", func(t *testing.T) {
		t.Parallel()
		org := team()
		org.Inside.Reps[0].Capacity = 1
		h := newHarness(t, leadline.Config{Roster: org})
		h.create(t, "L-1", score("150"), "") // rep-a by round robin
		h.create(t, "L-2", score("150"), "") // rep-b
		h.create(t, "L-3", score("150"), "") // rep-c
		h.create(t, "L-4", score("150"), "") // rep-a: no cadence yet, so not at capacity
		h.inquiry(t, "L-1")                  // rep-a's one cadence
		h.inquiry(t, "L-4")                  // rep-a is at capacity now
		if l := h.lead(t, "L-4"); l.Owner == "rep-a" {
			t.Fatalf("L-4 stayed with rep-a at capacity")
		}
		h.create(t, "L-5", score("150"), "rep-a") // the account owner wins
		h.inquiry(t, "L-5")
		if l := h.lead(t, "L-5"); l.Owner != "rep-a" {
			t.Fatalf("L-5 owner %s, want its account owner rep-a", l.Owner)
		}
	})
	t.Run("M9 capacity in a department of 40", func(t *testing.T) {
		t.Parallel()
		// A team past the size whose loads are looked up in a map: one
		// rep takes at most one cadence, the others as many as come.
		org := team()
		org.Inside.Reps = make([]routing.Rep, 40)
		for i := range org.Inside.Reps {
			org.Inside.Reps[i].ID = fmt.Sprintf("rep-%02d", i)
		}
		org.Inside.Reps[0].Capacity = 1
		h := newHarness(t, leadline.Config{Roster: org})
		running := map[string]int{}
		for i := range 120 {
			id := fmt.Sprintf("L-%03d", i)
			h.create(t, id, score("150"), "")
			h.inquiry(t, id)
		}
		for i := range 120 {
			if l := h.lead(t, fmt.Sprintf("L-%03d", i)); l.Track.Active() {
				running[l.Owner]++
			}
		}
		if running["rep-00"] != 1 || running["rep-01"] < 2 {
			t.Fatalf("running cadences %v; want rep-00 at its capacity of 1, the others with more", running)
		}
	})
}

func TestEngine_Cadence(t *testing.T) {
	t.Parallel()
	// newRequested returns a harness with L-1 owned by rep-a and an A1
	// request made at monday 09:00.
	newRequested := func(t *testing.T, cfg leadline.Config) *harness {
		h := newHarness(t, cfg)
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.take(t)
		return h
	}
	t.Run("T1 47h59m after the request nothing happens", func(t *testing.T) {
		t.Parallel()
		h := newRequested(t, leadline.Config{})
		if res := h.advance(t, 47*time.Hour+59*time.Minute); len(res.Fired) != 0 || len(h.take(t)) != 0 {
			t.Fatalf("fired %v before the deadline", res.Fired)
		}
		if l := h.lead(t, "L-1"); l.Owner != "rep-a" {
			t.Fatalf("owner %s, want rep-a", l.Owner)
		}
	})
	t.Run("T11 at exactly 48h the deadline is still met", func(t *testing.T) {
		t.Parallel()
		h := newRequested(t, leadline.Config{})
		h.clk.Add(48 * time.Hour)
		if res := h.sweep(t); len(res.Fired) != 0 {
			t.Fatalf("fired %v at the deadline", res.Fired)
		}
		h.attempt(t, "L-1")
		if l := h.lead(t, "L-1"); l.Track.Stage != stage.Stage1 || l.Track.IsLate(stage.Stage1) {
			t.Fatalf("stage %v late %v; want Stage1 on time", l.Track.Stage, l.Track.IsLate(stage.Stage1))
		}
	})
	t.Run("T1 at 48h01m the lead has a new owner and a fresh window", func(t *testing.T) {
		t.Parallel()
		h := newRequested(t, leadline.Config{})
		res := h.advance(t, 48*time.Hour+time.Minute)
		l := h.lead(t, "L-1")
		if len(res.Fired) != 1 || l.Owner == "rep-a" || l.Owner == "" {
			t.Fatalf("fired %v owner %q; want one deadline and a new owner", res.Fired, l.Owner)
		}
		fresh := h.clk.Now().Add(48 * time.Hour)
		if !l.Track.Due.Time().Equal(fresh) || !l.Request.Due.Equal(fresh) || l.Request.State != lead.RequestOpen {
			t.Fatalf("due %v / request %v due %v; want both %v, open", l.Track.Due.Time(), l.Request.State, l.Request.Due, fresh)
		}
		if hs := changes(h.history(t, "L-1"), lead.FieldOwner, "T1"); len(hs) != 1 || hs[0].From != "rep-a" || hs[0].To != l.Owner {
			t.Fatalf("T1 owner history = %v", hs)
		}
	})
	t.Run("T10 never back to a previous owner, then the manager after 2 reassignments", func(t *testing.T) {
		t.Parallel()
		h := newRequested(t, leadline.Config{})
		owners := []string{h.lead(t, "L-1").Owner}
		for range 3 {
			h.advance(t, 48*time.Hour+time.Minute)
			owners = append(owners, h.lead(t, "L-1").Owner)
		}
		if owners[3] != "mgr" {
			t.Fatalf("owners %v: want the manager after two reassignments", owners)
		}
		if a, b, c := owners[0], owners[1], owners[2]; a == b || b == c || a == c {
			t.Fatalf("owners %v: a reassignment went back to a previous owner", owners)
		}
		// T13: the manager keeps the lead and a fresh window; when it
		// passes untouched the manager is reminded, never anyone else,
		// and the lead stays with them.
		h.take(t)
		if l := h.lead(t, "L-1"); !l.Track.Active() {
			t.Fatal("the escalated cadence ended")
		} else if _, ok := l.Track.Pending(); !ok {
			t.Fatal("the escalated lead has no deadline: it would be forgotten (T13)")
		}
		h.advance(t, 48*time.Hour+time.Minute)
		if got := kinds(h.take(t)); !slices.Equal(got, []string{"reminder:mgr"}) {
			t.Fatalf("delivered %v after the manager's window, want one reminder to the manager (T13)", got)
		}
		if n := len(h.delivered(leadline.NoteEscalated)); n != 0 || h.lead(t, "L-1").Owner != "mgr" {
			t.Fatalf("escalated again (%d) or moved from the manager", n)
		}
	})
	t.Run("T10 with one rep the lead goes to the manager instead of looping", func(t *testing.T) {
		t.Parallel()
		org := &routing.Org{Inside: routing.Team{ID: "solo", Manager: "mgr", Reps: []routing.Rep{{ID: "rep-a"}}}}
		h := newRequested(t, leadline.Config{Roster: org})
		h.advance(t, 48*time.Hour+time.Minute)
		if l := h.lead(t, "L-1"); l.Owner != "mgr" {
			t.Fatalf("owner %s, want mgr", l.Owner)
		}
	})
	t.Run("M9 reassignment skips reps out of office", func(t *testing.T) {
		t.Parallel()
		org := team()
		org.Inside.Reps[1].Away = []routing.Period{{From: monday, To: monday.Add(10 * 24 * time.Hour)}}
		h := newRequested(t, leadline.Config{Roster: org})
		h.advance(t, 48*time.Hour+time.Minute)
		if l := h.lead(t, "L-1"); l.Owner != "rep-c" {
			t.Fatalf("owner %s, want rep-c (rep-b is away)", l.Owner)
		}
	})
	t.Run("T2-T5 each attempt advances one stage, deadlines 48h 48h 96h then the T7 wait", func(t *testing.T) {
		t.Parallel()
		h := newRequested(t, leadline.Config{})
		wants := []struct {
			stage  stage.Stage
			within time.Duration
		}{{stage.Stage1, 48 * time.Hour}, {stage.Stage2, 48 * time.Hour}, {stage.Stage3, 96 * time.Hour}, {stage.Stage4, 96 * time.Hour}}
		for _, w := range wants {
			h.clk.Add(3 * time.Hour)
			h.attempt(t, "L-1")
			l := h.lead(t, "L-1")
			if l.Track.Stage != w.stage || !l.Track.Due.Time().Equal(h.clk.Now().Add(w.within)) {
				t.Fatalf("after an attempt: %v due %v; want %v due %v", l.Track.Stage, l.Track.Due.Time(), w.stage, h.clk.Now().Add(w.within))
			}
		}
		if l := h.lead(t, "L-1"); l.Request.State != lead.RequestDone {
			t.Fatalf("request %v, want done after the first attempt", l.Request.State)
		}
	})
	t.Run("T6 a contact at Stage2 connects and ends the cadence", func(t *testing.T) {
		t.Parallel()
		h := newRequested(t, leadline.Config{})
		h.attempt(t, "L-1")
		h.attempt(t, "L-1")
		h.must(t, lead.Event{Kind: lead.EventContact, Lead: "L-1", Actor: "rep-a", Channels: stage.Call})
		l := h.lead(t, "L-1")
		if l.Track.Stage != stage.Connected || l.Track.Active() || len(l.Deadlines(nil)) != 0 {
			t.Fatalf("stage %v active %v deadlines %v; want Connected, ended, none", l.Track.Stage, l.Track.Active(), l.Deadlines(nil))
		}
		err := h.handle(t, lead.Event{Kind: lead.EventOutbound, Lead: "L-1", Actor: "rep-a", Channels: stage.Call})
		if !errors.Is(err, leadline.ErrInvalidTransition) {
			t.Fatalf("attempt on Connected = %v, want ErrInvalidTransition", err)
		}
	})
	t.Run("T7 S3 four days after Stage4 without contact the lead is recycled", func(t *testing.T) {
		t.Parallel()
		h := newRequested(t, leadline.Config{})
		h.must(t, lead.Event{Kind: lead.EventStatusSet, Lead: "L-1", Status: lead.StatusLead, Actor: "rep-a", Reason: "target account"})
		for range 4 {
			h.attempt(t, "L-1")
		}
		h.advance(t, 96*time.Hour)
		if l := h.lead(t, "L-1"); l.Status != lead.StatusLead {
			t.Fatalf("status %v at exactly 96h, want Lead", l.Status)
		}
		h.advance(t, time.Minute)
		l := h.lead(t, "L-1")
		if l.Status != lead.StatusRecycled || l.Track.End != stage.EndExhausted {
			t.Fatalf("status %v end %v; want Recycled, exhausted", l.Status, l.Track.End)
		}
		if hs := changes(h.history(t, "L-1"), lead.FieldStatus, "T7"); len(hs) != 1 || hs[0].From != "lead" || hs[0].To != "recycled" {
			t.Fatalf("T7 history %v", hs)
		}
		if n := len(h.delivered(leadline.NoteRecycled)); n != 1 {
			t.Fatalf("%d recycle notifications, want 1", n)
		}
	})
	t.Run("T8 a missed Stage2 deadline alerts once, T13 again after each window, then reassigns", func(t *testing.T) {
		t.Parallel()
		h := newRequested(t, leadline.Config{})
		h.attempt(t, "L-1")
		h.take(t)
		h.advance(t, 49*time.Hour) // T8 at 48h
		if got, want := kinds(h.take(t)), []string{"manager_alert:mgr", "reminder:rep-a"}; !slices.Equal(got, want) {
			t.Fatalf("T8 delivered %v, want %v", got, want)
		}
		h.advance(t, 47*time.Hour) // 96h: nothing more yet
		if got := kinds(h.take(t)); len(got) != 0 {
			t.Fatalf("delivered %v within the repeat window, want nothing", got)
		}
		for i := range 2 { // T13 repeats, each one window after the previous reminder
			h.advance(t, 49*time.Hour)
			if got, want := kinds(h.take(t)), []string{"manager_alert:mgr", "reminder:rep-a"}; !slices.Equal(got, want) {
				t.Fatalf("T13 repeat %d delivered %v, want %v", i+1, got, want)
			}
		}
		h.advance(t, 49*time.Hour) // one window after the last: handed on
		l := h.lead(t, "L-1")
		if l.Owner == "rep-a" || l.Owner == "" || l.Track.Stage != stage.Stage1 {
			t.Fatalf("owner %q stage %v; want another rep, still at Stage1 (T13)", l.Owner, l.Track.Stage)
		}
		if got := kinds(h.take(t)); !slices.Equal(got, []string{"reassigned:" + l.Owner}) {
			t.Fatalf("hand-on delivered %v, want the reassignment to %s", got, l.Owner)
		}
		if hs := changes(h.history(t, "L-1"), lead.FieldOwner, "T13"); len(hs) != 1 {
			t.Fatalf("T13 owner history %v", hs)
		}
	})
	t.Run("T9 a late attempt advances and is marked late", func(t *testing.T) {
		t.Parallel()
		h := newRequested(t, leadline.Config{})
		h.attempt(t, "L-1")
		h.advance(t, 60*time.Hour)
		h.attempt(t, "L-1")
		l := h.lead(t, "L-1")
		if l.Track.Stage != stage.Stage2 || !l.Track.IsLate(stage.Stage2) || l.Track.IsLate(stage.Stage1) {
			t.Fatalf("stage %v late1 %v late2 %v; want Stage2, late only at Stage2", l.Track.Stage, l.Track.IsLate(stage.Stage1), l.Track.IsLate(stage.Stage2))
		}
		if hs := changes(h.history(t, "L-1"), lead.FieldStage, "T9"); len(hs) != 1 || hs[0].To != "stage2" {
			t.Fatalf("T9 history %v", hs)
		}
	})
	t.Run("T9 T11 an attempt made in time but reported after its reminder is not late", func(t *testing.T) {
		t.Parallel()
		h := newRequested(t, leadline.Config{})
		h.attempt(t, "L-1")
		made := h.clk.Now().Add(47 * time.Hour) // before the Stage2 deadline
		h.advance(t, 49*time.Hour)              // the deadline fires: the CRM sync was slow
		h.must(t, lead.Event{Kind: lead.EventOutbound, Lead: "L-1", At: made, Actor: "rep-a", Channels: stage.Call})
		l := h.lead(t, "L-1")
		if l.Track.Stage != stage.Stage2 || l.Track.IsLate(stage.Stage2) || !l.Track.At(stage.Stage2).Equal(made) {
			t.Fatalf("stage %v late %v at %v; want Stage2 on time at %v", l.Track.Stage, l.Track.IsLate(stage.Stage2), l.Track.At(stage.Stage2), made)
		}
		if !l.Track.HasMissed(stage.Stage2) {
			t.Fatalf("the reminder that went out is not recorded as missed")
		}
	})
	t.Run("T11 deadlines count on the policy's calendar", func(t *testing.T) {
		t.Parallel()
		// A calendar that counts only every other hour: 48h is 96 hours of
		// wall-clock time.
		slow := stage.CalendarFunc(func(t time.Time, d time.Duration) time.Time { return t.Add(2 * d) })
		h := newRequested(t, leadline.Config{Policy: leadline.Policy{Cadence: stage.Policy{Calendar: slow}}})
		if l := h.lead(t, "L-1"); !l.Request.Due.Equal(monday.Add(96 * time.Hour)) {
			t.Fatalf("due %v, want %v", l.Request.Due, monday.Add(96*time.Hour))
		}
		if res := h.advance(t, 95*time.Hour); len(res.Fired) != 0 {
			t.Fatalf("fired at 95h on a calendar where 48h is 96h")
		}
	})
	t.Run("T12 the playbook of each stage is policy", func(t *testing.T) {
		t.Parallel()
		pol := leadline.Policy{Cadence: stage.Policy{Stage3: stage.Step{Template: "case-studies-manufacturing"}}}
		h := newHarness(t, leadline.Config{Policy: pol})
		p := h.eng.Policy().Cadence
		if got := p.Playbook(stage.Stage3).Template; got != "case-studies-manufacturing" {
			t.Fatalf("Stage3 template %q", got)
		}
		if got := p.Playbook(stage.Stage1).Channels; got != stage.Call|stage.Email|stage.Voicemail {
			t.Fatalf("Stage1 channels %v, want call,email,voicemail (T2)", got)
		}
	})
}

func TestEngine_Guarantees(t *testing.T) {
	t.Parallel()
	t.Run("E1 time comes from the injected clock", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		if l := h.lead(t, "L-1"); !l.Request.Opened.Equal(monday) {
			t.Fatalf("request opened %v, want the mock clock's %v", l.Request.Opened, monday)
		}
	})
	t.Run("E2 a repeated event id changes nothing", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		ev := lead.Event{ID: "mkto-1", Kind: lead.EventInquiry, Lead: "L-1", At: monday}
		if err := h.eng.Handle(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
		before := h.snapshot(t, "L-1")
		redelivered := ev
		redelivered.At = monday.In(time.FixedZone("JST", 9*3600)) // the same instant, as Tokyo sends it
		for _, again := range []lead.Event{ev, redelivered} {
			if err := h.eng.Handle(t.Context(), again); !errors.Is(err, leadline.ErrDuplicateEvent) {
				t.Fatalf("Handle(repeat) = %v, want ErrDuplicateEvent", err)
			}
		}
		if after := h.snapshot(t, "L-1"); !after.same(before) {
			t.Fatalf("a repeated event changed the store: %+v -> %+v", before, after)
		}
	})
	t.Run("E3 every change is kept as history", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "")
		h.inquiry(t, "L-1")
		h.attempt(t, "L-1")
		h.must(t, lead.Event{Kind: lead.EventContact, Lead: "L-1", Actor: "rep-a"})
		var got []string
		for _, c := range h.history(t, "L-1") {
			if c.Actor == "" && c.Field != lead.FieldLead || c.At.IsZero() || c.Event == "" {
				t.Errorf("incomplete history entry %v", c)
			}
			got = append(got, c.Field.String()+":"+c.From+">"+c.To)
		}
		want := []string{"lead:>new", "owner:>rep-a", "stage:untouched>untouched", "request:none>open",
			"stage:untouched>stage1", "request:open>done", "stage:stage1>connected"}
		if !slices.Equal(got, want) {
			t.Fatalf("history\n got %v\nwant %v", got, want)
		}
	})
	t.Run("E4 a refused notification stays in the outbox and comes back with the same key", func(t *testing.T) {
		t.Parallel()
		var calls []leadline.Notification
		fail := true
		notifier := leadline.NotifierFunc(func(_ context.Context, n leadline.Notification) error {
			calls = append(calls, n)
			if fail {
				return errors.New("smtp down")
			}
			return nil
		})
		h := newHarness(t, leadline.Config{Notifier: notifier, Lease: 5 * time.Minute})
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		if res, err := h.eng.Deliver(t.Context()); err != nil || res.Failed != 1 || res.Delivered != 0 {
			t.Fatalf("Deliver = %+v, %v; want 1 failed", res, err)
		}
		if res, _ := h.eng.Deliver(t.Context()); res.Failed+res.Delivered != 0 {
			t.Fatalf("Deliver within the lease = %+v, want nothing", res)
		}
		fail = false
		h.clk.Add(5 * time.Minute)
		if res, err := h.eng.Deliver(t.Context()); err != nil || res.Delivered != 1 {
			t.Fatalf("Deliver after the lease = %+v, %v; want 1 delivered", res, err)
		}
		if res, _ := h.eng.Deliver(t.Context()); res.Delivered != 0 {
			t.Fatalf("delivered again after success: %+v", res)
		}
		if len(calls) != 2 || calls[0].Key != calls[1].Key || calls[0].Key == "" || calls[1].Attempts != 1 {
			t.Fatalf("calls %v: want the same key twice, attempts 0 then 1", calls)
		}
	})
	t.Run("E5 deadlines missed while no process ran fire once each in deadline order", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		// Three leads requested an hour apart, in reverse id order.
		for i, id := range []string{"L-3", "L-2", "L-1"} {
			h.clk.Set(monday.Add(time.Duration(i) * time.Hour))
			h.create(t, id, score("120"), "rep-a")
			h.inquiry(t, id)
		}
		h.clk.Set(monday.Add(10 * 24 * time.Hour)) // nobody swept for ten days
		res := h.sweep(t)
		var got []string
		for _, d := range res.Fired {
			got = append(got, d.Lead)
		}
		if want := []string{"L-3", "L-2", "L-1"}; !slices.Equal(got, want) {
			t.Fatalf("fired %v, want %v (deadline order)", got, want)
		}
		if again := h.sweep(t); len(again.Fired) != 0 {
			t.Fatalf("fired again: %v", again.Fired)
		}
		// Each lead was reassigned once, with a fresh window from now: the
		// missed windows do not cascade through the team.
		for _, id := range []string{"L-1", "L-2", "L-3"} {
			if l := h.lead(t, id); l.Track.Reassignments != 1 || !l.Track.Due.Time().Equal(h.clk.Now().Add(48*time.Hour)) {
				t.Fatalf("%s: %d reassignments, due %v", id, l.Track.Reassignments, l.Track.Due.Time())
			}
		}
	})
	t.Run("E5 a deadline that passed before an event fires before it", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.attempt(t, "L-1")
		h.clk.Add(60 * time.Hour) // Stage2 was due at 48h; no sweep ran
		h.attempt(t, "L-1")
		h.sweep(t)
		if got := kinds(h.take(t)); !slices.Contains(got, "reminder:rep-a") {
			t.Fatalf("delivered %v, want the missed Stage2 reminder", got)
		}
		if l := h.lead(t, "L-1"); !l.Track.IsLate(stage.Stage2) || !l.Track.HasMissed(stage.Stage2) {
			t.Fatalf("late %v missed %v; want both", l.Track.IsLate(stage.Stage2), l.Track.HasMissed(stage.Stage2))
		}
	})
	t.Run("E7 scores compare exactly as decimals", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		// 0.1+0.2 is 0.30000000000000004 in float64; as decimals it is 0.3.
		s := score("99.7").Add(score("0.1")).Add(score("0.2"))
		h.create(t, "L-1", s, "rep-a")
		h.inquiry(t, "L-1")
		if r := h.lead(t, "L-1").Request; r.Priority != 1 {
			t.Fatalf("score %v made priority %d, want 1 (A1)", s, r.Priority)
		}
	})
}

func TestEngine_Handle_unknownLead(t *testing.T) {
	t.Parallel()
	// E9: an event for a lead that does not exist yet is not bad input:
	// the created event may still be on its way. It is a plain not-found,
	// which a host retries, never a FieldError, which it would drop.
	h := newHarness(t, leadline.Config{})
	ev := lead.Event{ID: "x", Kind: lead.EventInquiry, Lead: "L-404", At: monday}
	err := h.eng.Handle(t.Context(), ev)
	if !errors.Is(err, leadline.ErrNotFound) {
		t.Fatalf("Handle(event for an unknown lead) = %v, want ErrNotFound (E9)", err)
	}
	if errors.Is(err, leadline.ErrInvalid) {
		t.Fatalf("Handle(event for an unknown lead) = %v matches ErrInvalid; a host could not tell it from bad input (E9)", err)
	}
	if _, seen, _ := h.store.Seen(t.Context(), "L-404", "x"); seen {
		t.Fatalf("the refused event's id was recorded; the retry after the created event would be dropped")
	}
	h.create(t, "L-404", score("120"), "rep-a")
	if err := h.eng.Handle(t.Context(), ev); err != nil {
		t.Fatalf("the retry after the created event = %v, want nil", err)
	}
	if r := h.lead(t, "L-404").Request; r.Priority != 1 {
		t.Fatalf("the retried inquiry made priority %d, want 1 (A1)", r.Priority)
	}
}

func TestEngine_BadInput(t *testing.T) {
	t.Parallel()
	// E6: each bad input is a typed error naming the field, and the store
	// is unchanged.
	tests := []struct {
		name      string
		ev        lead.Event
		wantField string
		wantIs    error
	}{
		{"E6 an event without an id", lead.Event{Kind: lead.EventInquiry, Lead: "L-1", At: monday}, "id", nil},
		{"E6 an event without a time", lead.Event{ID: "x", Kind: lead.EventInquiry, Lead: "L-1"}, "at", nil},
		{"E6 an event without a kind", lead.Event{ID: "x", Lead: "L-1", At: monday}, "kind", nil},
		{"E6 an unknown status", lead.Event{ID: "x", Kind: lead.EventStatusSet, Lead: "L-1", At: monday, Actor: "rep-a", Status: lead.Status(42), Reason: "r"}, "status", nil},
		{"E6 S1 a status change without a reason", lead.Event{ID: "x", Kind: lead.EventStatusSet, Lead: "L-1", At: monday, Actor: "rep-a", Status: lead.StatusLead}, "reason", nil},
		{"E6 an outbound attempt without channels", lead.Event{ID: "x", Kind: lead.EventOutbound, Lead: "L-1", At: monday, Actor: "rep-a"}, "channels", nil},
		{"E6 T6 an outbound attempt on a Connected lead", lead.Event{ID: "x", Kind: lead.EventOutbound, Lead: "L-1", At: monday, Actor: "rep-a", Channels: stage.Call}, "stage", leadline.ErrInvalidTransition},
		{"E6 a created event for an existing lead", lead.Event{ID: "x", Kind: lead.EventCreated, Lead: "L-1", At: monday}, "lead", leadline.ErrExists},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, leadline.Config{})
			h.create(t, "L-1", score("120"), "rep-a")
			h.must(t, lead.Event{Kind: lead.EventContact, Lead: "L-1", Actor: "rep-a"})
			before := h.snapshot(t, "L-1")
			err := h.eng.Handle(t.Context(), tt.ev)
			fe, ok := errors.AsType[*leadline.FieldError](err)
			if !ok || fe.Field != tt.wantField || !errors.Is(err, leadline.ErrInvalid) {
				t.Fatalf("Handle = %v, want a FieldError for %q", err, tt.wantField)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Fatalf("Handle = %v, want it to wrap %v", err, tt.wantIs)
			}
			if after := h.snapshot(t, "L-1"); !after.same(before) {
				t.Fatalf("store changed: %+v -> %+v", before, after)
			}
			if _, seen, _ := h.store.Seen(t.Context(), tt.ev.Lead, "x"); seen {
				t.Fatalf("a refused event's id was recorded; a corrected retry would be dropped")
			}
		})
	}
	t.Run("E6 a NaN or empty score is refused before it reaches an event", func(t *testing.T) {
		t.Parallel()
		for _, f := range []float64{math.NaN(), math.Inf(1)} {
			if _, err := lead.ScoreFromFloat(f); !errors.Is(err, leadline.ErrInvalid) {
				t.Errorf("ScoreFromFloat(%v) = %v, want ErrInvalid", f, err)
			}
		}
		for _, s := range []string{"", "NaN", "12,5"} {
			_, err := lead.ParseScore(s)
			if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != "score" {
				t.Errorf("ParseScore(%q) = %v, want a FieldError for score", s, err)
			}
		}
	})
	t.Run("E6 a negative interval in the policy is refused by New", func(t *testing.T) {
		t.Parallel()
		pol := leadline.Policy{Cadence: stage.Policy{Stage2: stage.Step{Within: -48 * time.Hour}}}
		_, err := leadline.New(newHarness(t, leadline.Config{}).store, leadline.Config{Policy: pol})
		if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != "policy.cadence.stage2.within" {
			t.Fatalf("New = %v, want a FieldError for policy.cadence.stage2.within", err)
		}
	})
}

func TestEngine_redeliveryTakesNoTurn_E2_M9(t *testing.T) {
	t.Parallel()
	// A redelivered inquiry that arrives after the lead's Stage1 window
	// passed would fire T1 first and draw the next owner; it is refused
	// as a duplicate before it moves the round robin, so the sweep's
	// reassignment gets the turn (E2, M9).
	h := newHarness(t, leadline.Config{})
	h.create(t, "L-1", score("120"), "")
	inquiry := lead.Event{ID: "i", Kind: lead.EventInquiry, Lead: "L-1", At: monday}
	if err := h.eng.Handle(t.Context(), inquiry); err != nil {
		t.Fatal(err)
	}
	if o := h.lead(t, "L-1").Owner; o != "rep-a" {
		t.Fatalf("owner %q, want rep-a, the first turn", o)
	}
	h.clk.Set(monday.Add(49 * time.Hour))
	if err := h.eng.Handle(t.Context(), inquiry); !errors.Is(err, leadline.ErrDuplicateEvent) {
		t.Fatalf("redelivered inquiry = %v, want ErrDuplicateEvent", err)
	}
	// The same id stamped with the delivery's instant is another payload:
	// refused as a reused id (E2), and it takes no turn either.
	restamped := inquiry
	restamped.At = h.clk.Now()
	if err := h.eng.Handle(t.Context(), restamped); !errors.Is(err, leadline.ErrEventReused) {
		t.Fatalf("inquiry i again with a later instant = %v, want ErrEventReused", err)
	}
	h.sweep(t)
	// Tickets 0 (rep-a) and 1: the reassignment's, over rep-b and rep-c
	// with rep-a excluded, lands on rep-c. Had the redelivery drawn
	// ticket 1, the sweep would have drawn 2 and landed on rep-b.
	if o := h.lead(t, "L-1").Owner; o != "rep-c" {
		t.Fatalf("T1 reassigned to %q, want rep-c: the redelivery must not have taken a turn", o)
	}
}
