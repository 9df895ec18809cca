package leadline_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leadlinetest"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

func TestConfig_Validate(t *testing.T) {
	t.Parallel()
	// A negative number is refused, never replaced by the default; zero
	// means the default.
	tests := []struct {
		name   string
		cfg    leadline.Config
		fields []string
	}{
		{"zero is every default", leadline.Config{}, nil},
		{"negative retries", leadline.Config{MaxRetries: -1}, []string{"config.max_retries"}},
		{"negative batch", leadline.Config{Batch: -5}, []string{"config.batch"}},
		{"negative lease", leadline.Config{Lease: -time.Second}, []string{"config.lease"}},
		{"negative interval", leadline.Config{Interval: -time.Minute}, []string{"config.interval"}},
		{"every problem at once", leadline.Config{MaxRetries: -1, Lease: -1, Policy: leadline.Policy{RequestWindow: -time.Hour}},
			[]string{"policy.request_window", "config.max_retries", "config.lease"}},
		{"every bad policy field", leadline.Config{Policy: leadline.Policy{
			Cadence: stage.Policy{Stage2: stage.Step{Within: -time.Hour}}, RequestWindow: -time.Hour,
			Retention: rules.Retention{History: -time.Hour}, TimeZone: "Mars/Olympus"}},
			[]string{"policy.cadence.stage2.within", "policy.request_window", "policy.retention.history", "policy.time_zone"}},
		{"a bad template beside a bad window", leadline.Config{Policy: leadline.Policy{RequestWindow: -time.Hour},
			Templates: map[string]string{"reminder": "{{.Lead"}},
			[]string{"policy.request_window", "config.templates.reminder"}},
		// A threshold and a rise are read as scores are (A7, E6).
		{"a threshold finer than a score", leadline.Config{Policy: leadline.Policy{Triggers: routing.Triggers{
			Threshold: lead.NewThreshold(decimal.RequireFromString("99.12345678901"))}}}, []string{"policy.triggers.threshold"}},
		{"a threshold past every score", leadline.Config{Policy: leadline.Policy{Triggers: routing.Triggers{
			Threshold: lead.NewThreshold(decimal.RequireFromString("1e20"))}}}, []string{"policy.triggers.threshold"}},
		{"a rise finer than a score", leadline.Config{Policy: leadline.Policy{TargetJump: rules.TargetJump{
			Rise: decimal.RequireFromString("0.00000000001")}}}, []string{"policy.target_jump.rise"}},
		// Strings the rules write into every request follow the entry rule (E6).
		{"NUL in a trigger row", leadline.Config{Policy: leadline.Policy{Triggers: routing.Triggers{Rules: []routing.Trigger{
			{On: lead.EventInquiry, Priority: 1, Rule: "A\x001"},
			{On: lead.EventInquiry, Priority: 1, Rule: "A1", Subject: "x\x00y"}}}}},
			[]string{"policy.triggers.rules[0].rule", "policy.triggers.rules[1].subject"}},
		{"NUL in a template name", leadline.Config{Policy: leadline.Policy{Cadence: stage.Policy{Stage1: stage.Step{Template: "t\x00"}}}},
			[]string{"policy.cadence.stage1.template"}},
		{"NUL in a survey question", leadline.Config{Policy: leadline.Policy{Routing: routing.Rules{
			Survey: []routing.Predicate{{Question: "q\x00", AnyOf: []string{"a"}}}}}}, []string{"policy.routing.survey[0].question"}},
		{"a roster's bad reps, named by the roster's fields once each", leadline.Config{Roster: &routing.Org{
			Inside: routing.Team{ID: "inside", Reps: []routing.Rep{{ID: "a"}, {ID: ""}}},
			Field:  routing.Team{ID: "field\x00", Reps: []routing.Rep{{ID: "f"}}}}},
			[]string{"config.roster.inside.reps[1].id", "config.roster.field.id"}},
		{"a nil business calendar", leadline.Config{Policy: leadline.Policy{Cadence: stage.Policy{Calendar: (*stage.BusinessCalendar)(nil)}}},
			[]string{"policy.cadence.calendar"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			_, newErr := leadline.New(memstore.New(), tt.cfg)
			if len(tt.fields) == 0 {
				if err != nil || newErr != nil {
					t.Fatalf("Validate = %v, New = %v; want nil", err, newErr)
				}
				return
			}
			if newErr == nil {
				t.Fatalf("New accepted %+v", tt.cfg)
			}
			if !errors.Is(err, leadline.ErrInvalid) {
				t.Fatalf("Validate = %v, want ErrInvalid", err)
			}
			var got []string
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				fe, ok := errors.AsType[*leadline.FieldError](e)
				if !ok {
					t.Fatalf("Validate joined %v, not a FieldError", e)
				}
				got = append(got, fe.Field)
			}
			if len(got) != len(tt.fields) {
				t.Fatalf("Validate fields %v, want %v", got, tt.fields)
			}
			for i := range got {
				if got[i] != tt.fields[i] {
					t.Fatalf("Validate fields %v, want %v", got, tt.fields)
				}
			}
		})
	}
}

func TestEngine_noNotifier(t *testing.T) {
	t.Parallel()
	// E9: with no notifier configured nothing is dropped: notifications
	// stay in the outbox until an engine with a notifier delivers them.
	store := memstore.New()
	clk := clock.NewMock()
	clk.Set(monday)
	eng, err := leadline.New(store, leadline.Config{Clock: clk, Roster: team()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if err := eng.Handle(ctx, lead.Event{ID: "c", Kind: lead.EventCreated, Lead: "L-1", At: monday, Score: decimal.NewFromInt(120), Owner: "rep-a"}); err != nil {
		t.Fatal(err)
	}
	if err := eng.Handle(ctx, lead.Event{ID: "i", Kind: lead.EventInquiry, Lead: "L-1", At: monday}); err != nil {
		t.Fatal(err)
	}
	res, err := eng.Deliver(ctx)
	if err != nil || res.Delivered != 0 || res.Failed != 0 {
		t.Fatalf("Deliver with no notifier = %+v, %v; want nothing done", res, err)
	}
	var got []leadline.Notification
	eng2, err := leadline.New(store, leadline.Config{Clock: clk, Roster: team(),
		Notifier: leadline.NotifierFunc(func(_ context.Context, n leadline.Notification) error { got = append(got, n); return nil })})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := eng2.Deliver(ctx); err != nil || res.Delivered != 1 {
		t.Fatalf("Deliver with a notifier = %+v, %v; want the kept approach request", res, err)
	}
	if len(got) != 1 || got[0].Kind != leadline.NoteApproachRequest || got[0].Rule != "A1" {
		t.Fatalf("delivered %v, want the A1 approach request", got)
	}
}

func TestEngine_Deliver_textInTheTeamsLanguage(t *testing.T) {
	t.Parallel()
	// E10: the notifier gets the text in the policy's language and zone.
	k := leadlinetest.New(t, leadline.Config{Roster: team(),
		Policy: leadline.Policy{Language: rules.Japanese, TimeZone: "Asia/Tokyo"}})
	k.Clock.Set(time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC)) // 09:00 in Tokyo
	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(120), Owner: "rep-a"})
	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1", Topic: "料金"})
	k.Deliver()
	notes := k.Take()
	if len(notes) != 1 {
		t.Fatalf("delivered %v, want the approach request", notes)
	}
	if want := "L-1 へのアプローチ依頼（優先度1、A1）"; !strings.HasPrefix(notes[0].Text, want) || !strings.Contains(notes[0].Text, "4月8日(水) 09:00 JST") {
		t.Fatalf("Text = %q, want it to start %q and show the due date in Tokyo time", notes[0].Text, want)
	}
	if _, err := leadline.New(memstore.New(), leadline.Config{Templates: map[string]string{"reminder": "{{"}}); !errors.Is(err, leadline.ErrInvalid) {
		t.Fatalf("New with a bad template = %v, want a FieldError", err)
	}
}

// TestEngine_Policy_ownsItsRows: the engine's trigger rows are its own
// (A7): editing the policy a Config passed, or the one Engine.Policy
// returned, leaves the running engine's as they were validated.
func TestEngine_Policy_ownsItsRows(t *testing.T) {
	pol := leadline.DefaultPolicy()
	pol.Routing.Survey = []routing.Predicate{{Question: "budget", AnyOf: []string{"yes"}}}
	eng, err := leadline.New(memstore.New(), leadline.Config{Policy: pol})
	if err != nil {
		t.Fatal(err)
	}
	pol.Triggers.Rules[0].Priority = 0
	pol.Routing.Survey[0].AnyOf[0] = "no"
	cp := eng.Policy()
	cp.Triggers.Rules[0].Priority = 9
	cp.Routing.Survey[0].AnyOf[0] = "maybe"
	if got := eng.Policy().Triggers.Rules[0].Priority; got != 1 {
		t.Errorf("the running engine's A1 priority is %d after editing copies of its policy; want 1", got)
	}
	if got := eng.Policy().Routing.Survey[0].AnyOf[0]; got != "yes" {
		t.Errorf("the running engine's survey answer is %q after editing copies of its policy; want yes", got)
	}
}
