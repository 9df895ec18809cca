package sim_test

import (
	"bytes"
	"errors"
	"flag"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

func TestParseFlags(t *testing.T) {
	t.Parallel()
	def := sim.Flags{Leads: 10, Seed: 1, Zone: "Asia/Tokyo", MinLeads: 1, MaxLeads: 100}
	tests := []struct {
		name    string
		args    []string
		want    sim.Flags
		wantErr bool
	}{
		{name: "defaults", want: def},
		{name: "all", args: []string{"-leads", "20", "-seed", "7", "-tz", "Europe/Berlin"},
			want: sim.Flags{Leads: 20, Seed: 7, Zone: "Europe/Berlin", MinLeads: 1, MaxLeads: 100}},
		{name: "too many leads", args: []string{"-leads", "101"}, wantErr: true},
		{name: "host zone", args: []string{"-tz", "Local"}, wantErr: true},
		{name: "unknown zone", args: []string{"-tz", "Mars/Base"}, wantErr: true},
		{name: "stray argument", args: []string{"x"}, wantErr: true},
		{name: "unknown flag", args: []string{"-days", "2"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := def
			var stderr bytes.Buffer
			err := sim.ParseFlags("cmd", tt.args, &stderr, f.Define, f.Check)
			if tt.wantErr {
				if err == nil || stderr.Len() == 0 {
					t.Fatalf("ParseFlags(%q) = %v with stderr %q; want an error said on stderr", tt.args, err, stderr.String())
				}
				return
			}
			if err != nil || f != tt.want {
				t.Fatalf("ParseFlags(%q) = %+v, %v; want %+v", tt.args, f, err, tt.want)
			}
		})
	}
	var stderr bytes.Buffer
	f := def
	if err := sim.ParseFlags("cmd", []string{"-h"}, &stderr, f.Define, f.Check); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("ParseFlags(-h) = %v, want flag.ErrHelp", err)
	}
	a, b := def.Rand(), def.Rand()
	if a.Uint64() != b.Uint64() {
		t.Error("Flags.Rand: two sources of one seed differ")
	}
}

func TestArrivals(t *testing.T) {
	t.Parallel()
	web := sim.Source{Key: "web", Weight: 3, Arrive: sim.Arrival{Windows: []sim.Window{{Share: 0.5, From: 9 * 60, To: 18 * 60}, {From: 7 * 60, To: 23 * 60}}}}
	list := sim.Source{Key: "list", Weight: 1, Arrive: sim.Arrival{Batches: []int{0, 7, 30}, Windows: []sim.Window{{From: 11 * 60, To: 11*60 + 10}}}}
	mail := sim.Source{Key: "mail", Weight: 1, Arrive: sim.Arrival{Batches: []int{1}, Windows: []sim.Window{{From: 10 * 60}}, Tail: 2 * time.Hour}}
	draw := func(seed uint64) []time.Time {
		a := sim.Arrivals{R: rand.New(rand.NewPCG(seed, seed)), Start: start, Days: 14, Sources: []sim.Source{web, list, mail}}
		var out []time.Time
		seen := map[string]int{}
		for range 300 {
			src := a.Source()
			seen[src.Key]++
			at := a.When(src)
			out = append(out, at)
			if at.Before(start) || !at.Before(start.AddDate(0, 0, 14)) || at.Second() != 0 {
				t.Fatalf("%s lead at %v: outside the run or not on a minute", src.Key, at)
			}
			local := at.In(jst)
			switch src.Key {
			case "web":
				if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
					t.Errorf("web lead on a %v with Weekend 0", wd)
				}
				if h := local.Hour(); h < 7 || h >= 23 {
					t.Errorf("web lead at %v, outside its windows", local)
				}
			case "list":
				if d := local.YearDay() - start.YearDay(); local.Hour() != 11 || d != 0 && d != 7 {
					t.Errorf("list lead at %v, not a batch of day 0 or 7 at 11:00 (day 30 is outside the run)", local)
				}
			case "mail":
				if local.Day() != 7 && local.Day() != 8 || local.Before(time.Date(2026, 4, 7, 10, 0, 0, 0, jst)) {
					t.Errorf("mail lead at %v, want from Tuesday 10:00 on", local)
				}
			}
		}
		if seen["web"] < seen["list"] || seen["web"] < seen["mail"] {
			t.Errorf("sources drawn %v, want web about three times each other's", seen)
		}
		return out
	}
	if !slices.EqualFunc(draw(1), draw(1), time.Time.Equal) {
		t.Error("one seed drew two different arrival streams")
	}
}

func TestAnswers(t *testing.T) {
	t.Parallel()
	as := sim.Answers{Boost: 2, Keen: decimal.NewFromInt(100), Call: [stage.Stage4 + 1]float64{stage.Stage1: 1}, Reply: [stage.Stage4 + 1]float64{stage.Stage3: 1}}
	r := rand.New(rand.NewPCG(1, 1))
	at := start
	l := lead.Lead{Score: decimal.NewFromInt(50)}
	l.Track.Stage = stage.Stage1
	if t1, ch, ok := as.Answer(r, &l, stage.Call|stage.Email, at); !ok || ch != stage.Call || t1.Sub(at) < 3*time.Minute || t1.Sub(at) > 14*time.Minute {
		t.Errorf("Stage1 call with chance 1: %v %v %v, want picked up within 3-14 minutes", t1, ch, ok)
	}
	if _, _, ok := as.Answer(r, &l, stage.Email, at); ok {
		t.Error("Stage1 e-mail with reply chance 0 was answered")
	}
	l.Track.Stage = stage.Stage3
	if t1, ch, ok := as.Answer(r, &l, stage.Email, at); !ok || ch != stage.Email || t1.Sub(at) < time.Hour || t1.Sub(at) >= 41*time.Hour {
		t.Errorf("Stage3 reply with chance 1: %v %v %v, want an e-mail 1-41 hours on", t1, ch, ok)
	}
	half := sim.Answers{Boost: 2, Keen: decimal.NewFromInt(100), Reply: [stage.Stage4 + 1]float64{stage.Stage3: 0.3}}
	count := func(score int64) int {
		r := rand.New(rand.NewPCG(2, 2))
		l := lead.Lead{Score: decimal.NewFromInt(score)}
		l.Track.Stage = stage.Stage3
		n := 0
		for range 2000 {
			if _, _, ok := half.Answer(r, &l, stage.Email, at); ok {
				n++
			}
		}
		return n
	}
	if cold, keen := count(50), count(150); keen < cold*3/2 {
		t.Errorf("keen leads answered %d of 2000, cold ones %d: want Boost to show", keen, cold)
	}
}

func TestDrawFeedback(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 3))
	states := map[lead.FollowState]int{}
	for range 500 {
		f := sim.DrawFeedback(r)
		states[f.State]++
		if !f.Target && (f.State != lead.Done || f.Opportunity != lead.OutcomeNo) {
			t.Errorf("%+v: a lead that is no target must be done, no opportunity (M5)", f)
		}
		if f.Opportunity == lead.OutcomeYes && f.State != lead.Done {
			t.Errorf("%+v: an opportunity before the follow-up is done", f)
		}
	}
	if len(states) != 3 {
		t.Errorf("states drawn %v, want all three", states)
	}
}

func TestPrinter_Table(t *testing.T) {
	t.Parallel()
	rows := []report.RequestRow{
		{Owner: "aiko", Priority: 1, Due: start, State: lead.RequestOpen, Lead: "L-1", Company: "Acme, KK"},
		{Owner: "benjamin", Priority: 2, Due: start.Add(time.Hour), State: lead.RequestOverdue, Lead: "L-22"},
	}
	var b bytes.Buffer
	p := &sim.Printer{W: &b}
	p.Table("  ", rows, report.WriteOptions{Zone: jst}, "owner", "priority", "company", "lead")
	if err := p.Err(); err != nil {
		t.Fatal(err)
	}
	want := "  owner     priority  company   lead\n" +
		"  aiko      1         Acme, KK  L-1\n" +
		"  benjamin  2                   L-22\n"
	if b.String() != want {
		t.Errorf("Table =\n%s\nwant\n%s", b.String(), want)
	}
	p.Table("", rows, report.WriteOptions{}, "nope")
	if p.Err() == nil {
		t.Error("Table with an unknown column kept no error")
	}
}

// The feedback sheet goes out and back (M5): filled in it applies, broken
// it is refused whole and changes nothing.
func TestSheet_roundTrip(t *testing.T) {
	t.Parallel()
	field := &routing.Org{Inside: org.Inside,
		Field: routing.Team{ID: "field", Manager: "fmgr", Reps: []routing.Rep{{ID: "fs-1"}}}}
	s := newSim(t, sim.Config{Engine: leadline.Config{Roster: field}})
	ctx := t.Context()
	for _, id := range []string{"L-1", "L-2"} {
		if err := s.Handle(ctx, lead.Event{Kind: lead.EventCreated, Lead: id, At: start, Score: decimal.NewFromInt(150), Owner: "fs-1"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Handle(ctx, lead.Event{Kind: lead.EventInquiry, Lead: id, At: start}); err != nil {
			t.Fatal(err)
		}
	}
	v := routing.Viewer{Rep: "fs-1", Team: "field", Role: routing.RoleField}
	sh, err := s.ExportSheet(ctx, v, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Rows) != 2 || sh.Cell(0, routing.ColLead) != "L-1" {
		t.Fatalf("ExportSheet = %+v, want the two leads of fs-1", sh)
	}
	for i := range sh.Rows {
		sh.Fill(i, lead.Feedback{Target: true, State: lead.InProgress, Comment: "demo, next week"})
	}
	bad := sh.Broken()
	if len(bad.Rows) != 3 || sh.Cell(0, routing.ColState) != "In progress" {
		t.Fatalf("Broken changed the sheet it was made from, or pasted no row: %+v", bad)
	}
	var badErr error
	before, after, err := s.Watch(ctx, func() { _, badErr = s.Import(ctx, v, bad, "bad") })
	if err != nil {
		t.Fatal(err)
	}
	ie, ok := errors.AsType[*routing.ImportError](badErr)
	if !ok || len(ie.Errs) != 3 || before.Changed(after) != 0 {
		t.Fatalf("broken sheet: %v, %d leads changed; want three problems and nothing changed", badErr, before.Changed(after))
	}
	if n, err := s.Import(ctx, v, sh, "good"); err != nil || n != 2 {
		t.Fatalf("Import = %d, %v; want 2 rows applied", n, err)
	}
	if !strings.Contains(sh.CSV(), "demo, next week") {
		t.Errorf("CSV = %q, want the comment quoted", sh.CSV())
	}
	evs := s.Events()
	if ev, ok := s.Event(evs[1].ID); !ok || ev.Kind != lead.EventInquiry {
		t.Errorf("Event(%s) = %+v, %t; want the inquiry", evs[1].ID, ev, ok)
	}
	if _, ok := s.Event("nope"); ok {
		t.Error("Event(nope) found an event")
	}
}

// SheetTrip makes the whole round trip: a broken first try refused with
// nothing changed, then the filled sheet applied (M5).
func TestSim_SheetTrip(t *testing.T) {
	t.Parallel()
	field := &routing.Org{Inside: org.Inside, Field: routing.Team{ID: "field", Manager: "fmgr", Reps: sim.Reps("fs-1")}}
	s := newSim(t, sim.Config{Engine: leadline.Config{Roster: field}})
	ctx := t.Context()
	for _, id := range []string{"L-1", "L-2", "L-3"} {
		if err := s.Handle(ctx, lead.Event{Kind: lead.EventCreated, Lead: id, At: start, Score: decimal.NewFromInt(150), Owner: "fs-1"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Handle(ctx, lead.Event{Kind: lead.EventInquiry, Lead: id, At: start}); err != nil {
			t.Fatal(err)
		}
	}
	v := routing.Viewer{Rep: "fs-1", Team: "field", Role: routing.RoleField}
	st, err := s.SheetTrip(ctx, v, "sheet/fs-1", true, func(id string) (lead.Feedback, bool) {
		return lead.Feedback{Target: true, State: lead.Done, Opportunity: lead.OutcomeNo}, id != "L-2"
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Exported != 3 || st.Applied != 3 || st.Before.Changed(st.After) != 0 || len(st.Bad.Rows) != 4 {
		t.Fatalf("SheetTrip = %+v; want 3 exported and applied, a broken try of 4 rows that changed nothing", st)
	}
	var b bytes.Buffer
	st.Print(&sim.Printer{W: &b})
	if !strings.Contains(b.String(), "first import refused") || !strings.Contains(b.String(), "imported: 3 rows applied") {
		t.Errorf("Print = %q", b.String())
	}
	l, err := s.Engine().Lead(ctx, sim.Ops, "L-2")
	if err != nil || l.Feedback.State != lead.NotStarted {
		t.Errorf("L-2, left as it was, has feedback %+v (%v)", l.Feedback, err)
	}
}
