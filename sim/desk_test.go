package sim_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// A rep on the desk works a request until the prospect answers (T6); the
// hooks see the review, each attempt and the answer.
func TestDesk(t *testing.T) {
	t.Parallel()
	var s *sim.Sim
	var desk sim.Desk
	s = newSim(t, sim.Config{Engine: leadline.Config{Roster: org},
		NotifyFunc: func(ctx context.Context, n leadline.Notification) error { return desk.Notify(ctx, n) }})
	cal, err := stage.NewBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo"})
	if err != nil {
		t.Fatal(err)
	}
	people := map[string]*sim.Persona{}
	for _, id := range []string{"aiko", "ben", "chie"} {
		people[id] = &sim.Persona{ID: id, Work: sim.Schedule{Calendar: cal}, First: sim.Span{0.5, 1}, Next: sim.Span{2, 3}, Keep: 1}
	}
	var reviewed, attempts, answered int
	desk = sim.Desk{Sim: s, R: rand.New(rand.NewPCG(1, 1)), People: people,
		Answers:   &sim.Answers{Reply: [stage.Stage4 + 1]float64{stage.Stage3: 1}},
		Review:    func(context.Context, time.Time, *lead.Lead, string) (bool, error) { reviewed++; return false, nil },
		Attempted: func(time.Time, *lead.Lead, string) bool { attempts++; return false },
		Answered:  func(context.Context, time.Time, *lead.Lead) error { answered++; return nil }}
	ctx := t.Context()
	if err := s.Handle(ctx, lead.Event{Kind: lead.EventCreated, Lead: "L-1", At: start, Score: decimal.NewFromInt(120)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Handle(ctx, lead.Event{Kind: lead.EventInquiry, Lead: "L-1", At: start}); err != nil {
		t.Fatal(err)
	}
	if err := s.Run(ctx, start.AddDate(0, 0, 10)); err != nil {
		t.Fatal(err)
	}
	l, err := s.Engine().Lead(ctx, sim.Ops, "L-1")
	if err != nil {
		t.Fatal(err)
	}
	if l.Track.Stage != stage.Connected || reviewed != 1 || attempts < 3 || answered != 1 {
		t.Errorf("stage %v after %d reviews, %d attempts, %d answers; want connected after 1 review, 3 or more attempts (the reply to Stage3 may come after Stage4) and 1 answer", l.Track.Stage, reviewed, attempts, answered)
	}
	if _, ok := s.Planned("L-1"); ok {
		t.Error("a plan is left for a connected lead")
	}
}

// Marketing creates a lead, plays its script, decays it when quiet and
// counts the day; Script draws the same follow-ups from the same seed.
func TestMarketing(t *testing.T) {
	t.Parallel()
	src := sim.Source{Key: "web", Label: "web form", Follow: []sim.FollowUp{
		{Chance: 1, Kind: lead.EventInquiry, Soon: time.Minute, Topics: []string{"pricing"}},
		{Chance: 1, After: sim.Span{1, 2}, DeltaFirst: true, Delta: func(*rand.Rand) decimal.Decimal { return decimal.NewFromInt(7) }},
	}}
	gen := sim.Arrivals{R: rand.New(rand.NewPCG(1, 1)), Start: start, Days: 7}
	script := gen.Script(src, start, sim.FollowUp{Chance: 0, Kind: lead.EventDownload, Topics: []string{"x"}})
	if len(script) != 2 || script[0].Event.Topic != "pricing" || !script[0].At.Equal(start.Add(time.Minute)) || !script[1].Delta.Equal(decimal.NewFromInt(7)) {
		t.Fatalf("Script = %+v, want the inquiry a minute on and a rise of 7, and no download of chance 0", script)
	}
	s := newSim(t, sim.Config{Engine: leadline.Config{Roster: org}})
	m := sim.Marketing{Sim: s}
	m.Create("L-1", start, "web", lead.Event{Kind: lead.EventCreated, Score: decimal.NewFromInt(50)}, script)
	s.At(start.AddDate(0, 0, 6), m.Decay(decimal.NewFromInt(5), 5*24*time.Hour))
	ctx := t.Context()
	if err := s.Run(ctx, start.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	p := &sim.Printer{W: &b}
	d := m.Day()
	if !d.NewRow(p, []sim.Source{src}) || !d.ScoreRow(p) || !strings.Contains(b.String(), "web form 1") || !strings.Contains(b.String(), "up 1, down 0") {
		t.Errorf("day rows = %q, want one new web form lead and one rise", b.String())
	}
	if err := s.Run(ctx, start.AddDate(0, 0, 7)); err != nil {
		t.Fatal(err)
	}
	l, err := s.Engine().Lead(ctx, sim.Ops, "L-1")
	if err != nil {
		t.Fatal(err)
	}
	if want := decimal.NewFromInt(52); !l.Score.Equal(want) || m.Day().Decay != 1 {
		t.Errorf("score %v, want %v: 50, a rise of 7 and one decay of 5", l.Score, want)
	}
}

func TestTally_Rows(t *testing.T) {
	t.Parallel()
	var tl sim.Tally
	var b bytes.Buffer
	p := &sim.Printer{W: &b}
	if tl.Rows(p) || b.Len() != 0 {
		t.Fatalf("an empty tally printed %q", b.String())
	}
	tl.Note(leadline.Notification{Kind: leadline.NoteApproachRequest, Rule: "A1", To: "aiko"},
		leadline.Notification{Kind: leadline.NoteRequestUpdated, Rule: "A6", To: "aiko"},
		leadline.Notification{Kind: leadline.NoteReminder, Rule: "T8", To: "aiko"})
	if !tl.Rows(p) {
		t.Fatal("Rows printed nothing")
	}
	for _, want := range []string{"approach requests    1  A1 1, A2 0, A3 0; 1 further trigger merged into an open request (A6)", "reminders 1"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Rows = %q, want %q", b.String(), want)
		}
	}
}
