package rules_test

import (
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// These tests run the rules with no store, no clock and no engine: a
// lead, an event or an instant, the default policy and a Directory, as
// the package promises. Expected values come from the rule book.

var (
	jst    = time.FixedZone("JST", 9*3600)
	monday = time.Date(2026, 4, 6, 9, 0, 0, 0, jst)
)

func org() routing.Org {
	return routing.Org{
		Inside: routing.Team{ID: "inside", Manager: "mgr", Reps: []routing.Rep{{ID: "rep-a"}, {ID: "rep-b"}, {ID: "rep-c"}}},
		Field:  routing.Team{ID: "field", Manager: "field-mgr", Reps: []routing.Rep{{ID: "field-1"}, {ID: "field-2"}}},
	}
}

// world is one lead's state between rule applications, and what the
// rules wrote: the engine without a store.
type world struct {
	tb      failer
	pol     rules.Policy
	staff   *rules.Directory
	lead    lead.Lead
	exists  bool
	history []lead.Change
	notes   []rules.Notification
	n       int
}

// failer is what a world reports to: a *testing.T, or a *rapid.T in a
// property test, so that rapid sees and shrinks the failure.
type failer interface {
	Helper()
	Fatalf(format string, args ...any)
}

func newWorld(tb failer, pol rules.Policy) *world {
	return &world{tb: tb, pol: pol.Normalize(), staff: &rules.Directory{Org: org()}}
}

func (w *world) step(now time.Time) *rules.Step {
	w.staff.Now = now
	return &rules.Step{Policy: &w.pol, Staff: w.staff, Now: now, Lead: w.lead}
}

func (w *world) keep(s *rules.Step) {
	w.lead, w.exists = s.Lead, true
	w.history = append(w.history, s.History...)
	w.notes = append(w.notes, s.Notes...)
}

// event applies ev at its own instant, which is also now.
func (w *world) event(ev lead.Event) error {
	w.tb.Helper()
	w.n++
	if ev.ID == "" {
		ev.ID = "e" + strconv.Itoa(w.n)
	}
	if ev.Lead == "" {
		ev.Lead = "L-1"
	}
	if err := ev.Validate(); err != nil {
		w.tb.Fatalf("test event %+v is invalid: %v", ev, err)
	}
	s := w.step(ev.At)
	if err := s.Event(&ev, w.exists, nil); err != nil {
		return err
	}
	w.keep(s)
	return nil
}

func (w *world) must(ev lead.Event) {
	w.tb.Helper()
	if err := w.event(ev); err != nil {
		w.tb.Fatalf("%v event: %v", ev.Kind, err)
	}
}

// fire fires every deadline due before now.
func (w *world) fire(now time.Time) int {
	w.tb.Helper()
	s := w.step(now)
	if err := s.Fire(now); err != nil {
		w.tb.Fatalf("Fire(%v): %v", now, err)
	}
	w.keep(s)
	return s.Fired
}

func (w *world) create(score, owner string) {
	w.tb.Helper()
	w.must(lead.Event{Kind: lead.EventCreated, At: monday, Score: decimal.RequireFromString(score), Owner: owner,
		Profile: lead.Profile{Company: "Acme", Source: "web"}})
}

func (w *world) kinds() []string {
	var ks []string
	for _, n := range w.notes {
		ks = append(ks, n.Kind.String()+">"+n.To)
	}
	return ks
}

func (w *world) take() []string {
	ks := w.kinds()
	w.notes = nil
	return ks
}

func TestStep_requests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		score        string
		kind         lead.EventKind
		wantPriority int
		wantReason   string
	}{
		{"A1 an inquiry at 100 is priority 1", "100", lead.EventInquiry, 1, "A1"},
		{"A1 an inquiry at 120.5 is priority 1", "120.5", lead.EventInquiry, 1, "A1"},
		{"A2 an inquiry at 99.99 is priority 2", "99.99", lead.EventInquiry, 2, "A2"},
		{"A2 an inquiry at a negative score is priority 2", "-5", lead.EventInquiry, 2, "A2"},
		{"A3 a download at 100 is priority 3", "100", lead.EventDownload, 3, "A3"},
		{"A3 a download at 99 makes no request", "99", lead.EventDownload, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, rules.Policy{})
			w.create(tt.score, "rep-a")
			w.take()
			w.must(lead.Event{Kind: tt.kind, At: monday.Add(time.Hour)})
			r := w.lead.Request
			if tt.wantPriority == 0 {
				if r.State != lead.RequestNone || len(w.notes) != 0 || w.lead.Track.Active() {
					t.Fatalf("request %v, notes %v, cadence active %v; want no request", r.State, w.kinds(), w.lead.Track.Active())
				}
				return
			}
			if r.State != lead.RequestOpen || r.Priority != tt.wantPriority || !r.Reasons.Has(tt.wantReason) {
				t.Fatalf("request %+v, want open, priority %d, reason %s", r, tt.wantPriority, tt.wantReason)
			}
			// T1: the request is the cadence's Stage1 window, 48h.
			if want := monday.Add(49 * time.Hour); !r.Due.Equal(want) {
				t.Fatalf("due %v, want %v (T1: 48h after the request)", r.Due, want)
			}
			if got := w.kinds(); !slices.Equal(got, []string{"approach_request>rep-a"}) {
				t.Fatalf("notes %v, want one approach request to the owner (A4)", got)
			}
			if w.lead.Track.Stage != stage.Untouched || !w.lead.Track.Active() {
				t.Fatalf("cadence %v active %v, want a running cadence at Untouched (T1)", w.lead.Track.Stage, w.lead.Track.Active())
			}
		})
	}
}

func TestStep_A6_mergesIntoTheOpenRequest(t *testing.T) {
	t.Parallel()
	w := newWorld(t, rules.Policy{})
	w.create("100", "rep-a")
	w.must(lead.Event{Kind: lead.EventDownload, At: monday.Add(time.Hour)}) // A3, priority 3
	due := w.lead.Request.Due
	w.take()
	w.must(lead.Event{Kind: lead.EventInquiry, At: monday.Add(2 * time.Hour)}) // A1, priority 1
	r := w.lead.Request
	if r.Seq != 1 || r.Priority != 1 || !r.Reasons.Has("A1") || !r.Reasons.Has("A3") || !r.Due.Equal(due) {
		t.Fatalf("request %+v; want the same request (seq 1), priority 1, reasons A3 and A1, due unchanged %v (A6)", r, due)
	}
	if got := w.take(); !slices.Equal(got, []string{"request_updated>rep-a"}) {
		t.Fatalf("notes %v, want request_updated to the owner (A6)", got)
	}
}

func TestStep_S5_suppressesTriggersOnProtectedStatuses(t *testing.T) {
	t.Parallel()
	for _, st := range []lead.Status{lead.StatusCustomer, lead.StatusPartner, lead.StatusDisqualifiedMktg, lead.StatusDisqualifiedSales} {
		t.Run(st.String(), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, rules.Policy{})
			w.create("150", "rep-a")
			w.must(lead.Event{Kind: lead.EventStatusSet, At: monday, Actor: "rep-a", Status: st, Reason: "reviewed"})
			w.history, w.notes = nil, nil
			w.must(lead.Event{Kind: lead.EventInquiry, At: monday.Add(time.Hour)})
			if w.lead.Request.State != lead.RequestNone || len(w.notes) != 0 {
				t.Fatalf("request %v notes %v; want none (S5)", w.lead.Request.State, w.kinds())
			}
			if len(w.history) != 1 || w.history[0].Field != lead.FieldTrigger || w.history[0].To != "A1" || w.history[0].Rule != "S5" {
				t.Fatalf("history %v; want one trigger entry for the suppressed A1 (S5)", w.history)
			}
			for _, c := range w.history {
				if c.From == c.To {
					t.Fatalf("history entry %v changed nothing (E8)", c)
				}
			}
		})
	}
}

func TestStep_cadence(t *testing.T) {
	t.Parallel()
	t.Run("T1 untouched past 48h: reminder, manager alert, reassigned with a fresh window (T10)", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, rules.Policy{})
		w.create("120", "rep-a")
		w.must(lead.Event{Kind: lead.EventInquiry, At: monday})
		w.take()
		if n := w.fire(monday.Add(47 * time.Hour)); n != 0 {
			t.Fatalf("fired %d deadlines before the Stage1 window ended", n)
		}
		at := monday.Add(48*time.Hour + time.Minute)
		if n := w.fire(at); n != 1 {
			t.Fatalf("fired %d deadlines, want the Stage1 one", n)
		}
		if w.lead.Owner == "rep-a" || w.lead.Owner == "" {
			t.Fatalf("owner %q, want another inside rep (T1)", w.lead.Owner)
		}
		want := []string{"reminder>rep-a", "manager_alert>mgr", "reassigned>" + w.lead.Owner}
		if got := w.take(); !slices.Equal(got, want) {
			t.Fatalf("notes %v, want %v (T1, T8)", got, want)
		}
		if due := w.lead.Request.Due; !due.Equal(at.Add(48 * time.Hour)) {
			t.Fatalf("request due %v, want a fresh 48h from the reassignment, %v (T10)", due, at.Add(48*time.Hour))
		}
	})
	t.Run("T10 after two reassignments the manager takes it, never looping", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, rules.Policy{})
		w.create("120", "rep-a")
		w.must(lead.Event{Kind: lead.EventInquiry, At: monday})
		owners := []string{w.lead.Owner}
		for i := 1; i <= 4; i++ {
			w.fire(monday.Add(time.Duration(i)*49*time.Hour + time.Duration(i)*time.Minute))
			owners = append(owners, w.lead.Owner)
		}
		if owners[1] == owners[0] || owners[2] == owners[1] || owners[2] == owners[0] {
			t.Fatalf("owners %v: a reassignment went back to a rep it left while another was eligible (T10)", owners)
		}
		if owners[3] != "mgr" || owners[4] != "mgr" {
			t.Fatalf("owners %v, want the manager after two reassignments, and to stay (T10)", owners)
		}
	})
	t.Run("T8 a missed Stage2 deadline reminds and alerts, and does not reassign", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, rules.Policy{})
		w.create("120", "rep-a")
		w.must(lead.Event{Kind: lead.EventInquiry, At: monday})
		w.must(lead.Event{Kind: lead.EventOutbound, At: monday.Add(time.Hour), Actor: "rep-a", Channels: stage.Call})
		w.take()
		w.fire(monday.Add(50 * time.Hour))
		if got, want := w.take(), []string{"reminder>rep-a", "manager_alert>mgr"}; !slices.Equal(got, want) {
			t.Fatalf("notes %v, want %v (T8)", got, want)
		}
		if w.lead.Owner != "rep-a" {
			t.Fatalf("owner %q, want rep-a kept: only an untouched lead is reassigned (T1)", w.lead.Owner)
		}
	})
	t.Run("T9 a late attempt is accepted and marked late", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, rules.Policy{})
		w.create("120", "rep-a")
		w.must(lead.Event{Kind: lead.EventInquiry, At: monday})
		w.must(lead.Event{Kind: lead.EventOutbound, At: monday.Add(time.Hour), Actor: "rep-a", Channels: stage.Call})
		w.must(lead.Event{Kind: lead.EventOutbound, At: monday.Add(60 * time.Hour), Actor: "rep-a", Channels: stage.Call})
		if w.lead.Track.Stage != stage.Stage2 || !w.lead.Track.IsLate(stage.Stage2) {
			t.Fatalf("stage %v late %v, want Stage2 and late (T9)", w.lead.Track.Stage, w.lead.Track.IsLate(stage.Stage2))
		}
	})
	t.Run("T6 a contact ends the cadence and closes the request", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, rules.Policy{})
		w.create("120", "rep-a")
		w.must(lead.Event{Kind: lead.EventInquiry, At: monday})
		w.must(lead.Event{Kind: lead.EventContact, At: monday.Add(time.Hour), Actor: "rep-a"})
		if w.lead.Track.Stage != stage.Connected || w.lead.Track.Active() || w.lead.Request.State != lead.RequestDone {
			t.Fatalf("stage %v active %v request %v; want Connected, ended, done (T6)", w.lead.Track.Stage, w.lead.Track.Active(), w.lead.Request.State)
		}
		if n := w.fire(monday.AddDate(0, 1, 0)); n != 0 {
			t.Fatalf("a Connected lead fired %d deadlines", n)
		}
	})
	t.Run("T7 S3 no contact four days after Stage4: recycled", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, rules.Policy{})
		w.create("120", "rep-a")
		w.must(lead.Event{Kind: lead.EventInquiry, At: monday})
		at := monday
		for range 4 {
			at = at.Add(time.Hour)
			w.must(lead.Event{Kind: lead.EventOutbound, At: at, Actor: "rep-a", Channels: stage.Email})
		}
		w.take()
		w.fire(at.Add(96*time.Hour - time.Minute))
		if w.lead.Status == lead.StatusRecycled {
			t.Fatalf("recycled before the 4-day wait ended (T7)")
		}
		w.fire(at.Add(96*time.Hour + time.Minute))
		if w.lead.Status != lead.StatusRecycled || w.lead.Track.Active() {
			t.Fatalf("status %v active %v, want Recycled and ended (T7, S3)", w.lead.Status, w.lead.Track.Active())
		}
		if got := w.take(); !slices.Equal(got, []string{"recycled>rep-a"}) {
			t.Fatalf("notes %v, want recycled to the owner (T7)", got)
		}
		// A5: a trigger re-engages it.
		w.must(lead.Event{Kind: lead.EventInquiry, At: at.Add(200 * time.Hour)})
		if w.lead.Status != lead.StatusLead || w.lead.Request.State != lead.RequestOpen || w.lead.Track.Stage != stage.Untouched {
			t.Fatalf("status %v request %v stage %v; want Lead, open, Untouched (A5)", w.lead.Status, w.lead.Request.State, w.lead.Track.Stage)
		}
	})
}

func TestStep_Event_instant(t *testing.T) {
	t.Parallel()
	// T9, T11: an event counts at its own instant, never after now and
	// never before the cadence's latest step.
	w := newWorld(t, rules.Policy{})
	w.create("120", "rep-a")
	w.must(lead.Event{Kind: lead.EventInquiry, At: monday})
	w.must(lead.Event{Kind: lead.EventOutbound, At: monday.Add(2 * time.Hour), Actor: "rep-a", Channels: stage.Call})
	ev := lead.Event{ID: "late", Kind: lead.EventOutbound, Lead: "L-1", At: monday.Add(time.Hour), Actor: "rep-a", Channels: stage.Call}
	s := w.step(monday.Add(3 * time.Hour))
	if err := s.Event(&ev, true, nil); err != nil {
		t.Fatal(err)
	}
	if got := s.History[len(s.History)-1].At; !got.Equal(monday.Add(2 * time.Hour)) {
		t.Fatalf("an attempt reported out of order counts at %v, want the latest step %v", got, monday.Add(2*time.Hour))
	}
	ev = lead.Event{ID: "future", Kind: lead.EventOutbound, Lead: "L-1", At: monday.Add(30 * time.Hour), Actor: "rep-a", Channels: stage.Call}
	s = w.step(monday.Add(3 * time.Hour))
	if err := s.Event(&ev, true, nil); err != nil {
		t.Fatal(err)
	}
	if got := s.History[len(s.History)-1].At; !got.Equal(monday.Add(3 * time.Hour)) {
		t.Fatalf("an attempt from the future counts at %v, want now %v", got, monday.Add(3*time.Hour))
	}
}

func TestStep_Event_errors(t *testing.T) {
	t.Parallel()
	w := newWorld(t, rules.Policy{})
	ev := lead.Event{ID: "x", Kind: lead.EventInquiry, Lead: "L-9", At: monday}
	err := w.step(monday).Event(&ev, false, nil)
	if !errors.Is(err, leaderr.ErrNotFound) || errors.Is(err, leaderr.ErrInvalid) {
		t.Fatalf("an event for an unknown lead = %v, want a plain ErrNotFound (E9)", err)
	}
	w.create("10", "rep-a")
	ev = lead.Event{ID: "y", Kind: lead.EventCreated, Lead: "L-1", At: monday}
	if err := w.step(monday).Event(&ev, true, nil); !errors.Is(err, leaderr.ErrExists) || !errors.Is(err, leaderr.ErrInvalid) {
		t.Fatalf("a created event for an existing lead = %v, want a FieldError wrapping ErrExists", err)
	}
	ev = lead.Event{ID: "z", Kind: lead.EventOutbound, Lead: "L-1", At: monday, Actor: "rep-a", Channels: stage.Call}
	w.must(lead.Event{Kind: lead.EventContact, At: monday, Actor: "rep-a"})
	if err := w.step(monday).Event(&ev, true, nil); !errors.Is(err, leaderr.ErrInvalidTransition) {
		t.Fatalf("an attempt on a Connected lead = %v, want ErrInvalidTransition (T6)", err)
	}
}

func TestStep_routing(t *testing.T) {
	t.Parallel()
	conf := routing.Campaign{ID: "conf", Type: routing.OwnEvent, Start: monday, AgreedBy: "mgr", AgreedAt: monday.AddDate(0, 0, -7)}
	respond := func(w *world, ev lead.Event) error {
		w.n++
		ev.ID, ev.Lead, ev.Kind, ev.Campaign = "r"+strconv.Itoa(w.n), "L-1", lead.EventResponse, conf.ID
		s := w.step(ev.At)
		if err := s.Event(&ev, true, &conf); err != nil {
			return err
		}
		w.keep(s)
		return nil
	}
	t.Run("M4 a person a field rep met at the own event goes to that rep", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, rules.Policy{})
		w.create("40", "")
		if err := respond(w, lead.Event{At: monday, Actor: "field-2", Response: lead.ResponseMet}); err != nil {
			t.Fatal(err)
		}
		if w.lead.Desk != lead.DeskField || w.lead.Owner != "field-2" {
			t.Fatalf("desk %v owner %q, want field, field-2 (M4)", w.lead.Desk, w.lead.Owner)
		}
		if w.lead.Request.State != lead.RequestNone || w.lead.Track.Active() {
			t.Fatalf("request %v cadence %v: inside sales must not call a field lead (M4)", w.lead.Request.State, w.lead.Track.Active())
		}
	})
	t.Run("M10 a hand-off needs need and timeline known", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, rules.Policy{})
		w.create("120", "rep-a")
		err := w.event(lead.Event{Kind: lead.EventHandoff, At: monday, Actor: "rep-a"})
		if !errors.Is(err, leaderr.ErrInvalidTransition) {
			t.Fatalf("hand-off with no BANT = %v, want ErrInvalidTransition (M10)", err)
		}
		w.must(lead.Event{Kind: lead.EventBANT, At: monday, Actor: "rep-a", BANT: lead.BANT{Need: "CRM", Timeline: "Q3"}})
		w.must(lead.Event{Kind: lead.EventHandoff, At: monday, Actor: "rep-a"})
		if w.lead.Handoff != lead.HandoffPreSQL || w.lead.Desk != lead.DeskField || !slices.Contains([]string{"field-1", "field-2"}, w.lead.Owner) {
			t.Fatalf("handoff %v desk %v owner %q; want a Pre-SQL with a field rep (M10)", w.lead.Handoff, w.lead.Desk, w.lead.Owner)
		}
		n := len(w.history)
		w.must(lead.Event{Kind: lead.EventBANT, At: monday, Actor: "rep-a", BANT: lead.BANT{Need: "CRM"}})
		if len(w.history) != n {
			t.Fatalf("BANT that added nothing wrote %v (E8)", w.history[n:])
		}
	})
}

func TestCallList_M6(t *testing.T) {
	t.Parallel()
	field := org().Field
	touch := func(k lead.ResponseKind, by string) lead.Touch {
		return lead.Touch{Campaign: "c", Kind: k, By: by, At: monday}
	}
	leads := []lead.Lead{
		{ID: "listed", Responses: []lead.Touch{touch(lead.ResponseListed, "")}},
		{ID: "field-invited", Responses: []lead.Touch{touch(lead.ResponseListed, ""), touch(lead.ResponseInvited, "field-1")}},
		{ID: "inside-invited", Responses: []lead.Touch{touch(lead.ResponseListed, ""), touch(lead.ResponseInvited, "rep-a")}},
		{ID: "registered", Responses: []lead.Touch{touch(lead.ResponseListed, ""), touch(lead.ResponseRegistered, "")}},
		{ID: "customer", Status: lead.StatusCustomer, Responses: []lead.Touch{touch(lead.ResponseListed, "")}},
		{ID: "other-campaign", Responses: []lead.Touch{{Campaign: "d", Kind: lead.ResponseListed}}},
	}
	got, err := rules.CallList(routing.Viewer{Rep: "rep-a", Role: routing.RoleInside}, "c", leads, &field)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range got {
		ids = append(ids, l.ID)
	}
	if want := []string{"listed", "inside-invited"}; !slices.Equal(ids, want) {
		t.Fatalf("CallList = %v, want %v (M6: listed, not invited by field, not registered; S5)", ids, want)
	}
	if _, err := rules.CallList(routing.Viewer{Rep: "field-1", Role: routing.RoleField}, "c", leads, &field); !errors.Is(err, leaderr.ErrInvalidTransition) {
		t.Fatalf("CallList for a field rep = %v, want ErrInvalidTransition (M6)", err)
	}
}

func TestSaveCampaign_M7(t *testing.T) {
	t.Parallel()
	old := routing.Campaign{ID: "c", Type: routing.OwnEvent, Model: routing.InsideFirst, Start: monday, Version: 1, AgreedBy: "mgr", AgreedAt: monday.AddDate(0, 0, -7),
		Changes: []routing.ModelChange{{By: "vp", Reason: "kickoff"}}}
	c := old
	c.Model, c.Changes = routing.Direct, nil
	if _, err := rules.SaveCampaign(&old, c, monday.Add(-time.Hour)); err != nil {
		t.Fatalf("a model change before the start = %v, want nil (M7)", err)
	}
	if _, err := rules.SaveCampaign(&old, c, monday); !errors.Is(err, leaderr.ErrInvalidTransition) {
		t.Fatalf("a model change at the start = %v, want ErrInvalidTransition (M7)", err)
	}
	c.Model = routing.InsideFirst
	got, err := rules.SaveCampaign(&old, c, monday.Add(time.Hour))
	if err != nil || len(got.Changes) != 1 {
		t.Fatalf("a save after the start = %+v, %v; want the recorded changes kept (M7)", got.Changes, err)
	}
	if got, _ := rules.SaveCampaign(nil, old, monday); got.Changes != nil {
		t.Fatalf("a new campaign kept changes %v", got.Changes)
	}
}

func TestDirectory_M9(t *testing.T) {
	t.Parallel()
	d := &rules.Directory{Org: org(), Now: monday}
	var got []string
	for range 4 {
		rep, _ := d.Next(routing.RoleInside, nil)
		got = append(got, rep)
	}
	if want := []string{"rep-a", "rep-b", "rep-c", "rep-a"}; !slices.Equal(got, want) {
		t.Fatalf("round robin %v, want %v (M9)", got, want)
	}
	if rep, _ := d.Next(routing.RoleInside, []string{"rep-b", "rep-c"}); rep != "rep-a" {
		t.Fatalf("Next excluding b and c = %q, want rep-a", rep)
	}
	d.Org.Inside.Reps[0].Away = []routing.Period{{From: monday, To: monday.Add(time.Hour)}}
	if ok, _ := d.Available("rep-a"); ok {
		t.Fatalf("rep-a is away and Available says yes (M9)")
	}
	for rep, want := range map[string]string{"field-1": "field-mgr", "rep-a": "mgr", "": "mgr", "stranger": "mgr"} {
		if got, _ := d.Manager(rep); got != want {
			t.Errorf("Manager(%q) = %q, want %q (A4, T8)", rep, got, want)
		}
	}
	if ok, _ := (&rules.Directory{}).OnField("anyone"); !ok {
		t.Errorf("with no field team every rep counts as field (M4)")
	}
}

func TestPolicy_A7_oneThreshold(t *testing.T) {
	t.Parallel()
	p := rules.DefaultPolicy()
	p.Triggers.Threshold = lead.NewThreshold(decimal.NewFromInt(80))
	p = p.Normalize()
	if th := p.Routing.Threshold(); !th.Decimal().Equal(decimal.NewFromInt(80)) {
		t.Fatalf("routing threshold %v after the triggers' became 80, want 80 (A7: one threshold)", th)
	}
	p = rules.DefaultPolicy()
	p.Cadence.Stage1.Within = 24 * time.Hour
	w := newWorld(t, p)
	w.create("120", "rep-a")
	w.must(lead.Event{Kind: lead.EventInquiry, At: monday})
	w.must(lead.Event{Kind: lead.EventOutbound, At: monday.Add(time.Hour), Actor: "rep-a", Channels: stage.Call})
	// A request made mid-cadence (Stage1, the first request done) is due
	// RequestWindow after it, which defaults to the Stage1 window.
	w.must(lead.Event{Kind: lead.EventInquiry, At: monday.Add(3 * time.Hour)})
	// A request is due the Stage1 window after it: 24h here, never a 48h
	// default written out beside it (A7: derived values derive).
	if due, want := w.lead.Request.Due, monday.Add(27*time.Hour); !due.Equal(want) {
		t.Fatalf("request due %v, want %v (the Stage1 window, 24h)", due, want)
	}
}

func TestImports(t *testing.T) {
	t.Parallel()
	// The functional core imports only the domain and the error leaf.
	allowed := map[string]bool{
		"github.com/leadline/leadline/lead":    true,
		"github.com/leadline/leadline/stage":   true,
		"github.com/leadline/leadline/routing": true,
		"github.com/leadline/leadline/leaderr": true,
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ast, err := parser.ParseFile(fset, f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			switch {
			case allowed[path]:
			case strings.HasPrefix(path, "github.com/leadline/"):
				t.Errorf("%s imports %s: the rules import only lead, stage, routing and leaderr", f, path)
			case path == "context" || path == "log/slog" || path == "os" || path == "sync":
				t.Errorf("%s imports %s: the rules take no context, logger, environment or lock", f, path)
			}
		}
	}
}

func TestStep_T14_closingTimeIsMetAtTheNextOpening(t *testing.T) {
	t.Parallel()
	// On a 09:00-18:00 Tokyo calendar a Stage1 window of 9 working hours
	// from Friday 09:00 ends exactly at Friday's closing: no reminder
	// fires over the weekend, and an attempt at Monday's opening is on
	// time.
	p := rules.DefaultPolicy()
	p.Cadence.Stage1.Within = 9 * time.Hour
	p.Cadence.Calendar = stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo"})
	friday := time.Date(2026, 4, 10, 9, 0, 0, 0, jst)
	w := newWorld(t, p)
	w.must(lead.Event{Kind: lead.EventCreated, At: friday, Score: decimal.NewFromInt(120), Owner: "rep-a"})
	w.must(lead.Event{Kind: lead.EventInquiry, At: friday})
	monday := friday.AddDate(0, 0, 3)
	if n := w.fire(monday.Add(-time.Minute)); n != 0 {
		t.Fatalf("%d deadlines fired before Monday's opening, want none (T14)", n)
	}
	w.must(lead.Event{Kind: lead.EventOutbound, At: monday, Actor: "rep-a", Channels: stage.Call})
	if w.lead.Track.IsLate(stage.Stage1) || w.lead.Owner != "rep-a" {
		t.Fatalf("late %v owner %q: an attempt at the next opening is on time (T14)", w.lead.Track.IsLate(stage.Stage1), w.lead.Owner)
	}
}

func TestStep_M11_theModelDecidesEveryTrigger(t *testing.T) {
	t.Parallel()
	pol := func(org routing.Model) rules.Policy {
		p := rules.DefaultPolicy()
		p.Routing.Organisation = org
		return p
	}
	tests := []struct {
		name      string
		pol       rules.Policy
		owner     string // account owner at creation
		invitedBy string // a response "invited" before the trigger
		score     string
		kind      lead.EventKind
		wantDesk  lead.Desk
		wantOwner string // "" with wantAnyField means field assignment
		wantField bool   // any field rep
		wantReq   lead.RequestState
		wantNote  string
	}{
		{name: "M11 direct: an MQL inquiry goes to field assignment", pol: pol(routing.Direct), score: "120", kind: lead.EventInquiry,
			wantDesk: lead.DeskField, wantField: true, wantReq: lead.RequestNone, wantNote: "field_follow_up"},
		{name: "M11 direct: an MQL download goes to the field account owner", pol: pol(routing.Direct), owner: "field-2", score: "120", kind: lead.EventDownload,
			wantDesk: lead.DeskField, wantOwner: "field-2", wantReq: lead.RequestNone, wantNote: "field_follow_up"},
		{name: "M11 direct: below the threshold inside sales takes it (A2)", pol: pol(routing.Direct), score: "40", kind: lead.EventInquiry,
			wantDesk: lead.DeskInside, wantOwner: "rep-a", wantReq: lead.RequestOpen, wantNote: "approach_request"},
		{name: "M11 field-only: an MQL inquiry goes to field", pol: pol(routing.FieldOnly), score: "100", kind: lead.EventInquiry,
			wantDesk: lead.DeskField, wantField: true, wantReq: lead.RequestNone, wantNote: "field_follow_up"},
		{name: "M11 field-only: below the threshold nobody is assigned", pol: pol(routing.FieldOnly), score: "40", kind: lead.EventInquiry,
			wantDesk: lead.DeskInside, wantReq: lead.RequestNone},
		{name: "M11 inside-first: a field account owner keeps the lead", pol: pol(routing.InsideFirst), owner: "field-1", score: "120", kind: lead.EventInquiry,
			wantDesk: lead.DeskField, wantOwner: "field-1", wantReq: lead.RequestNone, wantNote: "field_follow_up"},
		{name: "M11 inside-first: an inside account owner gets the request", pol: pol(routing.InsideFirst), owner: "rep-c", score: "120", kind: lead.EventInquiry,
			wantDesk: lead.DeskInside, wantOwner: "rep-c", wantReq: lead.RequestOpen, wantNote: "approach_request"},
		{name: "M11 M4 invited by a field rep, inquiring before the event: that rep", pol: pol(routing.InsideFirst), invitedBy: "field-2", score: "150", kind: lead.EventInquiry,
			wantDesk: lead.DeskField, wantOwner: "field-2", wantReq: lead.RequestNone, wantNote: "field_follow_up"},
		{name: "M11 inside-first: no owner until the trigger, then round robin (M9)", pol: pol(routing.InsideFirst), score: "120", kind: lead.EventInquiry,
			wantDesk: lead.DeskInside, wantOwner: "rep-a", wantReq: lead.RequestOpen, wantNote: "approach_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, tt.pol)
			w.create(tt.score, tt.owner)
			if tt.owner == "" && w.lead.Owner != "" {
				t.Fatalf("a new lead got owner %q before anything decided its desk (M11)", w.lead.Owner)
			}
			if tt.invitedBy != "" {
				conf := routing.Campaign{ID: "conf", Type: routing.OwnEvent, Start: monday.AddDate(0, 0, 7), AgreedBy: "mgr", AgreedAt: monday.AddDate(0, 0, -7)}
				ev := lead.Event{ID: "inv", Kind: lead.EventResponse, Lead: "L-1", At: monday, Campaign: conf.ID, Response: lead.ResponseInvited, Actor: tt.invitedBy}
				s := w.step(monday)
				if err := s.Event(&ev, true, &conf); err != nil {
					t.Fatal(err)
				}
				w.keep(s)
			}
			w.take()
			w.must(lead.Event{Kind: tt.kind, At: monday.Add(time.Hour)})
			l := w.lead
			if l.Desk != tt.wantDesk || l.Request.State != tt.wantReq {
				t.Fatalf("desk %v request %v, want %v, %v", l.Desk, l.Request.State, tt.wantDesk, tt.wantReq)
			}
			switch {
			case tt.wantField:
				if !slices.Contains([]string{"field-1", "field-2"}, l.Owner) {
					t.Fatalf("owner %q, want a field rep by field assignment", l.Owner)
				}
			case l.Owner != tt.wantOwner:
				t.Fatalf("owner %q, want %q", l.Owner, tt.wantOwner)
			}
			if l.Desk == lead.DeskField && l.Track.Active() {
				t.Fatalf("a field lead has an inside cadence (M11)")
			}
			notes := w.take()
			if tt.wantNote == "" {
				if len(notes) != 0 {
					t.Fatalf("notes %v, want none", notes)
				}
				return
			}
			if len(notes) != 1 || !strings.HasPrefix(notes[0], tt.wantNote+">") || strings.HasSuffix(notes[0], ">") {
				t.Fatalf("notes %v, want one %s to the owner", notes, tt.wantNote)
			}
		})
	}
}

func TestStep_M4_insideAccountOwnerIsNotAFieldOwner(t *testing.T) {
	t.Parallel()
	// A high-engagement response puts the lead on the field desk; its
	// account owner is an inside rep, so field assignment takes it, where
	// a field rep can see it (M2, M4, M11).
	w := newWorld(t, rules.Policy{})
	w.create("40", "rep-b")
	conf := routing.Campaign{ID: "conf", Type: routing.OwnEvent, Start: monday, AgreedBy: "mgr", AgreedAt: monday.AddDate(0, 0, -7)}
	ev := lead.Event{ID: "att", Kind: lead.EventResponse, Lead: "L-1", At: monday, Campaign: conf.ID, Response: lead.ResponseAttended}
	s := w.step(monday)
	if err := s.Event(&ev, true, &conf); err != nil {
		t.Fatal(err)
	}
	w.keep(s)
	if w.lead.Desk != lead.DeskField || !slices.Contains([]string{"field-1", "field-2"}, w.lead.Owner) {
		t.Fatalf("desk %v owner %q; want field with a field rep", w.lead.Desk, w.lead.Owner)
	}
}

func TestStep_E8_scoreHistory(t *testing.T) {
	t.Parallel()
	w := newWorld(t, rules.Policy{})
	w.create("40", "rep-a")
	created := len(w.history)
	for i, c := range []struct {
		score, actor string
		at           time.Duration
	}{
		{"55", "mkto", time.Hour},
		{"55.0", "mkto", 2 * time.Hour}, // the same score: no entry (E8)
		{"42.5", "", 3 * time.Hour},     // no actor: marketing automation
	} {
		w.must(lead.Event{ID: "s" + strconv.Itoa(i), Kind: lead.EventScoreChanged, At: monday.Add(c.at),
			Actor: c.actor, Score: decimal.RequireFromString(c.score)})
	}
	var got []string
	for _, c := range w.history[created:] {
		if c.Field != lead.FieldScore {
			t.Errorf("unexpected entry %v", c)
			continue
		}
		got = append(got, c.From+">"+c.To+" "+c.At.Format("15:04")+" "+c.Actor+" "+c.Rule)
	}
	want := []string{"40>55 10:00 mkto E8", "55>42.5 12:00 marketing E8"}
	if !slices.Equal(got, want) {
		t.Errorf("score history = %q, want %q (E8: each change with its instant, none for an equal score)", got, want)
	}
	if !w.lead.Score.Equal(decimal.RequireFromString("42.5")) {
		t.Errorf("score = %v, want 42.5", w.lead.Score)
	}
}

func TestStep_A8_targetAccountJump(t *testing.T) {
	t.Parallel()
	// Day boundaries are Tokyo's; the lead is created on Monday.
	type change struct {
		at    time.Time
		score string
	}
	tue := monday.AddDate(0, 0, 1)
	tests := []struct {
		name     string
		target   bool
		pol      rules.Policy
		changes  []change
		wantReqs int // A8 requests opened
	}{
		{"A8 a rise of 10 over yesterday's close fires", true, rules.Policy{},
			[]change{{monday.Add(time.Hour), "60"}, {tue.Add(time.Hour), "70"}}, 1},
		{"A8 a rise of 9.99 does not", true, rules.Policy{},
			[]change{{monday.Add(time.Hour), "60"}, {tue.Add(time.Hour), "69.99"}}, 0},
		{"A8 the rise counts from the end of the previous day, over several changes", true, rules.Policy{},
			[]change{{monday.Add(time.Hour), "60"}, {tue.Add(time.Hour), "65"}, {tue.Add(2 * time.Hour), "71"}}, 1},
		{"A8 once a day at most", true, rules.Policy{},
			[]change{{monday.Add(time.Hour), "60"}, {tue.Add(time.Hour), "75"}, {tue.Add(2 * time.Hour), "50"}, {tue.Add(3 * time.Hour), "90"}}, 1},
		{"A8 a lead created today has no previous day", true, rules.Policy{},
			[]change{{monday.Add(time.Hour), "90"}}, 0},
		{"A8 not a target account", false, rules.Policy{},
			[]change{{monday.Add(time.Hour), "60"}, {tue.Add(time.Hour), "90"}}, 0},
		// Tuesday 23:59 is +8 on Monday's close; Wednesday 00:00 is +9 on
		// Tuesday's: no jump, though +17 within one "day" of 24 hours.
		{"A8 23:59 and 00:00 Tokyo are different days", true, rules.Policy{},
			[]change{{time.Date(2026, 4, 7, 23, 59, 0, 0, jst), "58"}, {time.Date(2026, 4, 8, 0, 0, 0, 0, jst), "67"}}, 0},
		{"A8 a day is the policy zone's: in New York the same instants are one day", true, rules.Policy{TimeZone: "America/New_York"},
			[]change{{time.Date(2026, 4, 7, 23, 59, 0, 0, jst), "58"}, {time.Date(2026, 4, 8, 0, 0, 0, 0, jst), "67"}}, 1},
		{"A8 off", true, rules.Policy{TargetJump: rules.TargetJump{Off: true}},
			[]change{{monday.Add(time.Hour), "60"}, {tue.Add(time.Hour), "90"}}, 0},
		{"A8 a policy rise of 25", true, rules.Policy{TargetJump: rules.TargetJump{Rise: decimal.NewFromInt(25)}},
			[]change{{monday.Add(time.Hour), "60"}, {tue.Add(time.Hour), "80"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, tt.pol)
			w.must(lead.Event{Kind: lead.EventCreated, At: monday, Score: decimal.NewFromInt(50), Owner: "rep-a",
				Profile: lead.Profile{Company: "Acme", Target: tt.target}})
			for _, c := range tt.changes {
				w.must(lead.Event{Kind: lead.EventScoreChanged, At: c.at, Score: decimal.RequireFromString(c.score)})
			}
			n := 0
			for _, c := range w.history {
				if c.Field == lead.FieldRequest && c.Rule == "A8" {
					n++
				}
			}
			if n != tt.wantReqs {
				t.Fatalf("A8 requests %d, want %d; history %v", n, tt.wantReqs, w.history)
			}
			if n > 0 {
				r := w.lead.Request
				if r.Priority != 2 || !r.Reasons.Has("A8") || r.State != lead.RequestOpen {
					t.Fatalf("request %+v, want open, priority 2, reason A8", r)
				}
				if len(w.notes) == 0 || w.notes[len(w.notes)-1].Kind != rules.NoteApproachRequest || w.notes[len(w.notes)-1].Rule != "A8" {
					t.Fatalf("notes %v, want an A8 approach request to the owner", w.kinds())
				}
			}
		})
	}
}

func TestStep_A4_lateReportedEventCountsFromNow(t *testing.T) {
	t.Parallel()
	// T1, A4: an inquiry made three weeks ago and delivered today (an
	// integration outage) makes a request due 48h from today; the event's
	// own time stays in history.
	w := newWorld(t, rules.Policy{})
	w.create("120", "rep-a")
	today := monday.AddDate(0, 0, 21)
	ev := lead.Event{ID: "late", Kind: lead.EventInquiry, Lead: "L-1", At: monday.Add(time.Hour)}
	s := w.step(today)
	if err := s.Event(&ev, true, nil); err != nil {
		t.Fatal(err)
	}
	w.keep(s)
	if due, want := w.lead.Request.Due, today.Add(48*time.Hour); !due.Equal(want) {
		t.Fatalf("request due %v, want %v: windows count from when leadline makes the request", due, want)
	}
	if n := w.fire(today.Add(time.Hour)); n != 0 {
		t.Fatalf("the late-reported request fired %d deadlines an hour later; it was born overdue", n)
	}
	var at time.Time
	for _, c := range w.history {
		if c.Field == lead.FieldRequest && c.Rule == "A1" {
			at = c.At
		}
	}
	if !at.Equal(monday.Add(time.Hour)) {
		t.Fatalf("history has the request at %v, want the inquiry's own time %v", at, monday.Add(time.Hour))
	}
}

func TestStep_E9_eventsAsHostsSendThem(t *testing.T) {
	t.Parallel()
	t.Run("E9 a score sent with an inquiry applies before A1/A2", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, rules.Policy{})
		w.create("40", "rep-a")
		w.must(lead.Event{Kind: lead.EventInquiry, At: monday.Add(time.Hour), Score: decimal.NewFromInt(130)})
		if r := w.lead.Request; r.Priority != 1 || !r.Reasons.Has("A1") || !w.lead.Score.Equal(decimal.NewFromInt(130)) {
			t.Fatalf("request %+v score %v; want A1 priority 1 on the score sent with the form fill", r, w.lead.Score)
		}
		if c := w.history[2]; c.Field != lead.FieldScore || c.To != "130" {
			t.Fatalf("first entry after the creation's %v, want the score change before the request (E8)", c)
		}
	})
	t.Run("E9 web activity feeds the summary and triggers nothing by default", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, rules.Policy{})
		w.create("150", "rep-a")
		w.take()
		w.must(lead.Event{Kind: lead.EventWebActivity, At: monday.Add(time.Hour), Topic: "/pricing"})
		w.must(lead.Event{Kind: lead.EventWebActivity, At: monday.Add(2 * time.Hour), Topic: "/case-studies"})
		if got, want := w.lead.Activity.Summary(), "2 page views; last: /case-studies"; got != want {
			t.Fatalf("summary %q, want %q (V1)", got, want)
		}
		if w.lead.Request.State != lead.RequestNone || len(w.take()) != 0 {
			t.Fatal("web activity made a request or a notification with no policy row for it")
		}
	})
	t.Run("E9 A7 a policy row on web activity makes a request", func(t *testing.T) {
		t.Parallel()
		p := rules.DefaultPolicy()
		p.Triggers.Rules = append(p.Triggers.Rules, routing.Trigger{On: lead.EventWebActivity, Score: routing.AtLeast, Priority: 3, Rule: "A7", Subject: "MQL browsing"})
		w := newWorld(t, p)
		w.create("150", "rep-a")
		w.must(lead.Event{Kind: lead.EventWebActivity, At: monday.Add(time.Hour), Topic: "/pricing"})
		if r := w.lead.Request; r.State != lead.RequestOpen || r.Priority != 3 {
			t.Fatalf("request %+v, want the policy's web row", r)
		}
	})
	t.Run("E9 A8 a profile update that makes a target account starts the jump watch", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, rules.Policy{})
		w.create("50", "rep-a")
		w.must(lead.Event{Kind: lead.EventProfileUpdated, At: monday.Add(time.Hour), Profile: lead.Profile{Company: "Acme", Source: "web", Target: true}})
		c := w.history[len(w.history)-1]
		if c.Field != lead.FieldProfile || c.To != "target" || !w.lead.Target {
			t.Fatalf("history %v target %v; want a profile entry naming target", c, w.lead.Target)
		}
		n := len(w.history)
		w.must(lead.Event{Kind: lead.EventProfileUpdated, At: monday.Add(2 * time.Hour), Profile: w.lead.Profile})
		if len(w.history) != n {
			t.Fatal("the same profile again wrote history (E8)")
		}
		w.must(lead.Event{Kind: lead.EventScoreChanged, At: monday.AddDate(0, 0, 1), Score: decimal.NewFromInt(65)})
		if r := w.lead.Request; !r.Reasons.Has("A8") {
			t.Fatalf("request %+v, want A8 for the new target account's jump", r)
		}
	})
}

func TestStep_E9_attemptByAStranger(t *testing.T) {
	t.Parallel()
	// E9, T2: an attempt counts for the rep who made it: the owner, a
	// colleague on the roster or the owner's manager; a name the roster
	// does not know is refused, and nothing changes.
	for _, tt := range []struct {
		actor  string
		refuse bool
	}{{"rep-a", false}, {"rep-b", false}, {"field-1", false}, {"mgr", false}, {"stranger", true}, {"REP-A", true}} {
		t.Run(tt.actor, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, rules.Policy{})
			w.create("120", "rep-a")
			w.must(lead.Event{Kind: lead.EventInquiry, At: monday})
			before := w.lead.Track
			err := w.event(lead.Event{Kind: lead.EventOutbound, At: monday.Add(time.Hour), Actor: tt.actor, Channels: stage.Call})
			if tt.refuse {
				if fe, ok := errors.AsType[*leaderr.FieldError](err); !ok || fe.Field != "actor" || w.lead.Track != before {
					t.Fatalf("attempt by %s = %v, track %v; want a FieldError for actor and no change", tt.actor, err, w.lead.Track.Stage)
				}
				return
			}
			if err != nil || w.lead.Track.Stage != stage.Stage1 {
				t.Fatalf("attempt by %s = %v at %v, want Stage1", tt.actor, err, w.lead.Track.Stage)
			}
		})
	}
}

func TestStep_freeTextStaysOutOfNotificationText(t *testing.T) {
	t.Parallel()
	// M2, E10: what a person or a form typed (a topic, a reason) goes in
	// Note, which the host chooses to show, never in Subject or String.
	const secret = "call me on 090-1234-5678"
	w := newWorld(t, rules.Policy{})
	w.create("120", "field-1")
	conf := routing.Campaign{ID: "conf", Type: routing.OwnEvent, Start: monday, AgreedBy: "vp", AgreedAt: monday.AddDate(0, 0, -7)}
	ev := lead.Event{ID: "met", Kind: lead.EventResponse, Lead: "L-1", At: monday, Campaign: conf.ID, Response: lead.ResponseMet, Actor: "field-1"}
	s := w.step(monday)
	if err := s.Event(&ev, true, &conf); err != nil {
		t.Fatal(err)
	}
	w.keep(s)
	w.notes = nil
	w.must(lead.Event{Kind: lead.EventInquiry, At: monday.Add(time.Hour), Topic: secret})
	if len(w.notes) != 1 || w.notes[0].Kind != rules.NoteActivity {
		t.Fatalf("notes %v, want the field owner's activity notice (M4)", w.kinds())
	}
	n := w.notes[0]
	if n.Note != secret || strings.Contains(n.Subject(), "090") || strings.Contains(n.String(), "090") || strings.Contains(n.Detail, "090") {
		t.Fatalf("note %q, subject %q, string %q: the typed text must be in Note only", n.Note, n.Subject(), n.String())
	}
}
