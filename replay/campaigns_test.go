package replay_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/replay"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
)

// TestRun_campaignModelChange_M7: sales management moves a webinar from
// inside-first to direct after it started. Live, the MQLs that attended
// before the change go to inside sales and those after it to field sales
// (M1, M7); the replay of the log, given the campaign as stored when the
// run ended, makes the change again at its instant and writes every
// lead's history entry for entry, and ends with the campaign as live.
func TestRun_campaignModelChange_M7(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	roster := team()
	roster.Field = routing.Team{ID: "field", Manager: "fmgr", Reps: []routing.Rep{{ID: "field-1"}, {ID: "field-2"}}}
	webinar := routing.Campaign{ID: "webinar", Name: "Media webinar", Type: routing.ExternalSeminar, Model: routing.InsideFirst,
		Start: start.Add(time.Hour), AgreedBy: "mgr", AgreedAt: start.Add(-14 * 24 * time.Hour)}
	changeAt := start.Add(3 * time.Hour)

	st := memstore.New()
	clk := sim.NewClock(start)
	eng, err := leadline.New(st, leadline.Config{Roster: roster, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.SaveCampaign(ctx, webinar); err != nil {
		t.Fatal(err)
	}
	var log []lead.Event
	handle := func(ev lead.Event) {
		t.Helper()
		clk.Set(ev.At)
		if err := eng.Handle(ctx, ev); err != nil {
			t.Fatalf("live Handle(%s): %v", ev.ID, err)
		}
		log = append(log, ev)
	}
	for i := range 6 {
		id := fmt.Sprintf("L-%d", i+1)
		handle(lead.Event{ID: "c-" + id, Kind: lead.EventCreated, Lead: id, At: start.Add(time.Duration(i) * time.Minute),
			Score: decimal.NewFromInt(120), Profile: lead.Profile{Company: "Acme " + id, Name: "Name " + id, Source: "web"}})
	}
	for i := range 6 {
		id := fmt.Sprintf("L-%d", i+1)
		at := start.Add(2*time.Hour + time.Duration(i)*time.Minute) // three before the change, three after
		if i >= 3 {
			at = changeAt.Add(time.Duration(i) * time.Minute)
		}
		if i == 3 {
			clk.Set(changeAt)
			if err := eng.ChangeModel(ctx, webinar.ID, routing.Direct, "fmgr", "replay viewers are named accounts"); err != nil {
				t.Fatal(err)
			}
		}
		handle(lead.Event{ID: "r-" + id, Kind: lead.EventResponse, Lead: id, At: at, Campaign: webinar.ID,
			Response: lead.ResponseAttended, Actor: "marketing"})
	}
	// The story the test is about, read from the live run: the change
	// routed the later attendees to field sales, the earlier ones not.
	for i := range 6 {
		l, err := st.Lead(ctx, fmt.Sprintf("L-%d", i+1))
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]lead.Desk{false: lead.DeskInside, true: lead.DeskField}[i >= 3]; l.Desk != want {
			h, _ := st.History(ctx, l.ID)
			t.Fatalf("live %s desk = %v, want %v: the test's setup no longer shows M7\n%v", l.ID, l.Desk, want, h)
		}
	}
	ended, err := eng.Campaign(ctx, webinar.ID)
	if err != nil {
		t.Fatal(err)
	}

	out, err := replay.Run(ctx, ok(slices.Values(log)), replay.Options{Roster: roster, Campaigns: []routing.Campaign{ended}})
	if err != nil {
		t.Fatal(err)
	}
	sameHistories(t, st, out)
	got, err := out.Engine().Campaign(ctx, webinar.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Model != ended.Model || len(got.Changes) != 1 || got.Changes[0] != ended.Changes[0] {
		t.Errorf("replayed campaign: model %v, changes %+v; want model %v, changes %+v", got.Model, got.Changes, ended.Model, ended.Changes)
	}
}

// TestRun_campaignModelChange_afterLastEvent: a change recorded after
// the log's last event is still made, so the replay ends with the
// campaign as the run did.
func TestRun_campaignModelChange_afterLastEvent(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	c := routing.Campaign{ID: "webinar", Name: "Media webinar", Type: routing.ExternalSeminar, Model: routing.Direct,
		Start: start, AgreedBy: "mgr", AgreedAt: start.Add(-time.Hour),
		Changes: []routing.ModelChange{
			{At: start.Add(48 * time.Hour), By: "mgr", From: routing.InsideFirst, To: routing.Hybrid, Reason: "field joins"},
			{At: start.Add(72 * time.Hour), By: "mgr", From: routing.Hybrid, To: routing.Direct, Reason: "field takes it"},
		}}
	log := []lead.Event{{ID: "c-1", Kind: lead.EventCreated, Lead: "L-1", At: start.Add(time.Minute),
		Profile: lead.Profile{Company: "Acme", Name: "Name", Source: "web"}}}
	out, err := replay.Run(ctx, ok(slices.Values(log)), replay.Options{Roster: team(), Campaigns: []routing.Campaign{c}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := out.Engine().Campaign(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Model != routing.Direct || !slices.EqualFunc(got.Changes, c.Changes, func(a, b routing.ModelChange) bool {
		return a.At.Equal(b.At) && a.By == b.By && a.From == b.From && a.To == b.To && a.Reason == b.Reason
	}) {
		t.Errorf("replayed campaign: model %v, changes %+v; want direct after %+v", got.Model, got.Changes, c.Changes)
	}
}
