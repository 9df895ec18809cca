package sim_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// A small hybrid conference (M6) and a webinar with inside follow-up,
// played with Drive, Caller, HandOff and read back with Routes, Routed
// and the Print methods.
func TestCampaign_week(t *testing.T) {
	t.Parallel()
	field := routing.Team{ID: "field", Manager: "fmgr", Reps: sim.Reps("fs-1", "fs-2")}
	roster := &routing.Org{Inside: org.Inside, Field: field}
	var calls sim.Caller
	s := newSim(t, sim.Config{Engine: leadline.Config{Roster: roster}, NotifyFunc: func(ctx context.Context, n leadline.Notification) error { return calls.Notify(ctx, n) }})
	cal, err := stage.NewBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo"})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 5))
	calls = sim.Caller{Sim: s, R: r, Work: cal, Reps: []string{"aiko", "ben", "chie"}, First: sim.Span{0.5, 1}, Answer: 1, Reply: sim.Span{1, 2}, Again: sim.Span{7, 9}, Tries: 3}
	var log sim.Log
	drive := sim.Drive{Sim: s, R: r, Work: cal, Log: &log, Campaign: "uc", Callers: []string{"aiko", "ben"}, Field: []string{"fs-1", "fs-2"},
		Manager: routing.Viewer{Rep: "mgr", Role: routing.RoleManager}, Close: s.Date(2, 18, 0), FieldRegister: 1, Reach: 1, CallRegister: 1}
	ctx := t.Context()
	for _, c := range []routing.Campaign{
		{ID: "uc", Name: "User conference", Type: routing.OwnEvent, Model: routing.Hybrid, Start: s.Date(3, 10, 0), Targets: routing.Targets{Registrations: 2, Attendance: 1}, AgreedBy: "mgr", AgreedAt: s.Date(0, 9, 0)},
		{ID: "web", Name: "Webinar", Type: routing.ExternalSeminar, Model: routing.InsideFirst, Start: s.Date(1, 10, 0), AgreedBy: "mgr", AgreedAt: s.Date(0, 9, 0)},
	} {
		if err := s.Engine().SaveCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	home := map[string]string{"L-1": "uc", "L-2": "uc", "L-3": "uc", "L-4": "web"}
	for _, id := range []string{"L-1", "L-2", "L-3", "L-4"} {
		if err := s.Handle(ctx, lead.Event{Kind: lead.EventCreated, Lead: id, At: start, Score: decimal.NewFromInt(120), Profile: lead.Profile{Name: "N " + id, Company: "C"}}); err != nil {
			t.Fatal(err)
		}
		if home[id] == "uc" {
			if err := s.Handle(ctx, lead.Event{Kind: lead.EventResponse, Lead: id, At: start, Campaign: "uc", Response: lead.ResponseListed, Actor: "marketing"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.At(s.Date(0, 10, 0), drive.Invite("L-1", "fs-1", true))
	s.At(s.Date(0, 12, 0), drive.InvitesDone)
	s.At(s.Date(0, 14, 0), drive.CallList)
	s.At(s.Date(0, 18, 0), drive.CallsDone)
	s.At(s.Date(1, 12, 0), func(ctx context.Context, at time.Time) error {
		return s.Handle(ctx, lead.Event{Kind: lead.EventResponse, Lead: "L-4", At: at, Campaign: "web", Response: lead.ResponseAttended, Actor: "media"})
	})
	s.At(s.Date(3, 18, 0), drive.Attend([2]time.Time{s.Date(3, 9, 30), s.Date(3, 11, 0)}, [2]time.Time{s.Date(3, 11, 0), s.Date(3, 17, 0)},
		func(id string) (bool, string) {
			if f, _ := drive.InvitedBy(id); f != "" {
				return true, f // the car dealer (M4)
			}
			return id != "L-3", ""
		}))
	if err := s.Run(ctx, s.Date(4, 9, 0)); err != nil {
		t.Fatal(err)
	}
	if f, _ := drive.InvitedBy("L-1"); f != "fs-1" || !drive.Registered("L-1") || !drive.Registered("L-2") {
		t.Fatalf("drive: L-1 invited by %q, registered L-1 %t L-2 %t; want fs-1 and both registered", f, drive.Registered("L-1"), drive.Registered("L-2"))
	}
	if _, in := drive.InvitedBy("L-2"); in == "" {
		t.Error("L-2, on the call list, was not invited by an inside rep")
	}
	var text strings.Builder
	for _, l := range log.Sorted() {
		text.WriteString(l.Text + "\n")
	}
	for _, want := range []string{"field reps invited 1 of them personally (M4): fs-1 1", "call list for inside sales", "registered so far: inside", "attendance uploaded: 2 of 3 registered came, 1 met a field rep"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("log =\n%s\nwant %q", text.String(), want)
		}
	}

	// L-3 registered and stayed away: an inside rep hands it off.
	_, rep := drive.InvitedBy("L-3")
	h := &sim.HandOff{Lead: "L-3", By: rep, To: "fs-2"}
	h.Refused = s.HandOff(ctx, s.Now(), time.Minute, "L-3", rep, "fs-2", lead.BANT{Need: "n"})
	if !errors.Is(h.Refused, leadline.ErrInvalidTransition) {
		t.Fatalf("hand-off without a timeline = %v, want refused (M10)", h.Refused)
	}
	if err := s.HandOff(ctx, s.Now(), time.Minute, "L-3", rep, "fs-2", lead.BANT{Timeline: "soon"}); err != nil {
		t.Fatal(err)
	}
	s.At(s.Now().Add(time.Hour), s.Answer(h, ""))
	if err := s.Run(ctx, s.Date(4, 12, 0)); err != nil {
		t.Fatal(err)
	}
	if h.Answer != "accepted: an SQL" {
		t.Errorf("answer %q, want accepted", h.Answer)
	}
	if calls.Calls == 0 || calls.Contacts == 0 {
		t.Errorf("Caller made %d calls and %d contacts on the webinar MQL, want some", calls.Calls, calls.Contacts)
	}

	routes, unrouted, err := s.Routes(ctx, "uc", &field, func(id string) string { return home[id] })
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(routes, func(r sim.Route) bool { return r.Lead.ID == "L-1" })
	if i < 0 || !routes[i].CarDealer || routes[i].Dest != "fs-1" || !slices.Contains(routes[i].Rules, "M4") || unrouted != 0 {
		t.Fatalf("Routes(uc) = %+v, %d unrouted; want L-1 the car dealer with fs-1 under M4", routes, unrouted)
	}
	if got, err := s.Routed(ctx, "L-1"); err != nil || got != "to field sales (M4)" && got != "stayed with its field rep (M4)" {
		t.Errorf("Routed(L-1) = %q, %v; want with field sales under M4", got, err)
	}
	if got, err := s.Routed(ctx, "L-404"); err == nil {
		t.Errorf("Routed(L-404) = %q, nil; want not found", got)
	}

	var b bytes.Buffer
	p := &sim.Printer{W: &b}
	dealer, err := s.PrintRoutes(ctx, p, &field, func(id string) string { return home[id] }, "uc", "web")
	if err != nil || dealer != "L-1" {
		t.Fatalf("PrintRoutes = %q, %v; want the car dealer L-1", dealer, err)
	}
	fv := routing.Viewer{Rep: "fs-2", Team: "field", Role: routing.RoleField}
	for _, f := range []func() error{
		func() error { return s.PrintCampaigns(ctx, p, "uc", "web") },
		func() error { return s.PrintAccess(ctx, p, fv, "L-4") },
		func() error {
			return s.PrintCredits(ctx, p, routing.Viewer{Rep: "mgr", Role: routing.RoleManager}, "uc", sim.TeamOf(roster))
		},
	} {
		if err := f(); err != nil && !errors.Is(err, leadline.ErrNotFound) {
			t.Fatal(err)
		}
	}
	h.Print(p)
	for _, want := range []string{"<- the car dealer", "starts", "inside targets: 2 registrations", `Lead("L-4"): leadline: lead L-4: not found`, "registrations", "L-3  " + rep + " -> fs-2: first refused"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("printed\n%s\nwant %q", b.String(), want)
		}
	}
	if got := sim.NotesByTeam(s.Notifications(), sim.TeamOf(roster)); !strings.Contains(got, "approach_request inside") {
		t.Errorf("NotesByTeam = %q, want the webinar's approach request to inside", got)
	}
	if tm := sim.TeamOf(roster); tm("fs-1") != "field" || tm("aiko") != "inside" || tm("nobody") != "other" {
		t.Error("TeamOf mislabels the roster")
	}
}
