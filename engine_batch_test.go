package leadline_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/stage"
)

// webhook is the batch one marketing-automation form fill maps to: the
// lead is created, its score set, and its inquiry recorded.
func webhook() []lead.Event {
	return []lead.Event{
		{ID: "wh-1", Kind: lead.EventCreated, Lead: "L-1", At: monday, Score: score("40"),
			Profile: lead.Profile{Company: "Acme", Name: "Name", Source: "web"}},
		{ID: "wh-2", Kind: lead.EventScoreChanged, Lead: "L-1", At: monday, Score: score("120")},
		{ID: "wh-3", Kind: lead.EventInquiry, Lead: "L-1", At: monday, Topic: "pricing"},
	}
}

// eventOrder returns the event ids of hs in the order they first appear.
func eventOrder(hs []lead.Change) []string {
	var out []string
	for _, c := range hs {
		if len(out) == 0 || out[len(out)-1] != c.Event {
			out = append(out, c.Event)
		}
	}
	return out
}

func TestEngine_HandleBatch(t *testing.T) {
	t.Parallel()
	t.Run("E9 a created, score and inquiry webhook applies as one write", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		if err := h.eng.HandleBatch(t.Context(), webhook()); err != nil {
			t.Fatalf("HandleBatch: %v", err)
		}
		l := h.lead(t, "L-1")
		if l.Version != 1 {
			t.Fatalf("version %d after the batch, want 1: one write", l.Version)
		}
		if !l.Score.Equal(score("120")) || l.Request.State != lead.RequestOpen || l.Request.Priority != 1 {
			t.Fatalf("score %v request %v priority %d; want 120 and an open A1 request of priority 1 (the score applied first)",
				l.Score, l.Request.State, l.Request.Priority)
		}
		if got, want := eventOrder(h.history(t, "L-1")), []string{"wh-1", "wh-2", "wh-3"}; !slices.Equal(got, want) {
			t.Fatalf("history by event = %v, want %v", got, want)
		}
		for _, id := range []string{"wh-1", "wh-2", "wh-3"} {
			if _, seen, err := h.store.Seen(t.Context(), "L-1", id); err != nil || !seen {
				t.Fatalf("Seen(%s) = %v, %v; want true", id, seen, err)
			}
		}
	})

	t.Run("E6 a batch with one bad event changes nothing", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		evs := webhook()
		evs[2].At = evs[2].At.AddDate(-30, 0, 0) // 1996: an unset timestamp in disguise
		err := h.eng.HandleBatch(t.Context(), evs)
		if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != "events[2].at" {
			t.Fatalf("HandleBatch with a bad At = %v, want a FieldError for events[2].at", err)
		}
		if _, err := h.eng.Lead(t.Context(), ops, "L-1"); !errors.Is(err, leadline.ErrNotFound) {
			t.Fatalf("Lead(L-1) after a refused batch = %v, want ErrNotFound", err)
		}
	})

	t.Run("E9 every event names the batch's lead, each id once", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		other := webhook()
		other[1].Lead = "L-2"
		twice := webhook()
		twice[2].ID = "wh-1"
		for _, c := range []struct {
			name  string
			evs   []lead.Event
			field string
		}{
			{"another lead", other, "events[1].lead"},
			{"a repeated id", twice, "events[2].id"},
		} {
			err := h.eng.HandleBatch(t.Context(), c.evs)
			if fe, ok := errors.AsType[*leadline.FieldError](err); !ok || fe.Field != c.field {
				t.Fatalf("HandleBatch with %s = %v, want a FieldError for %s", c.name, err, c.field)
			}
		}
		if _, err := h.eng.Lead(t.Context(), ops, "L-1"); !errors.Is(err, leadline.ErrNotFound) {
			t.Fatalf("Lead(L-1) after refused batches = %v, want ErrNotFound", err)
		}
	})

	t.Run("T6 E9 a batch whose second event the rules refuse changes nothing", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		h.create(t, "L-1", score("120"), "rep-a")
		h.inquiry(t, "L-1")
		h.must(t, lead.Event{Kind: lead.EventContact, Lead: "L-1", Actor: "rep-a", Channels: stage.Call})
		before := h.snapshot(t, "L-1")
		err := h.eng.HandleBatch(t.Context(), []lead.Event{
			{ID: "b-1", Kind: lead.EventScoreChanged, Lead: "L-1", At: monday, Score: score("150")},
			{ID: "b-2", Kind: lead.EventOutbound, Lead: "L-1", At: monday, Actor: "rep-a", Channels: stage.Call},
		})
		if !errors.Is(err, leadline.ErrInvalidTransition) {
			t.Fatalf("HandleBatch with an attempt on Connected = %v, want ErrInvalidTransition", err)
		}
		if after := h.snapshot(t, "L-1"); !before.same(after) {
			t.Fatalf("lead changed by a refused batch: %+v, want %+v", after, before)
		}
		if _, seen, _ := h.store.Seen(t.Context(), "L-1", "b-1"); seen {
			t.Fatal("Seen(b-1) = true after the batch was refused")
		}
	})

	t.Run("E2 a redelivered batch changes nothing and is a duplicate", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		if err := h.eng.HandleBatch(t.Context(), webhook()); err != nil {
			t.Fatal(err)
		}
		before := h.snapshot(t, "L-1")
		err := h.eng.HandleBatch(t.Context(), webhook())
		if !errors.Is(err, leadline.ErrDuplicateEvent) {
			t.Fatalf("HandleBatch again = %v, want ErrDuplicateEvent", err)
		}
		if after := h.snapshot(t, "L-1"); !before.same(after) {
			t.Fatalf("lead changed by a redelivered batch: %+v, want %+v", after, before)
		}
	})

	t.Run("E2 a partly redelivered batch applies only its new events", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		if err := h.eng.HandleBatch(t.Context(), webhook()[:2]); err != nil {
			t.Fatal(err)
		}
		before := h.history(t, "L-1")
		if err := h.eng.HandleBatch(t.Context(), webhook()); err != nil {
			t.Fatalf("HandleBatch with two events handled before: %v", err)
		}
		l := h.lead(t, "L-1")
		if l.Version != 2 || l.Request.State != lead.RequestOpen {
			t.Fatalf("version %d request %v; want 2 and an open request from the new inquiry", l.Version, l.Request.State)
		}
		after := h.history(t, "L-1")
		if got := eventOrder(after[len(before):]); !slices.Equal(got, []string{"wh-3"}) {
			t.Fatalf("history added by events %v, want only wh-3's", got)
		}
		if got := changes(after, lead.FieldScore, ""); len(got) != 1 {
			t.Fatalf("%d score entries, want 1: the repeated score is not applied again", len(got))
		}
	})

	t.Run("E9 an event before its lead's created event is not found", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		evs := webhook()
		evs[0], evs[2] = evs[2], evs[0]
		if err := h.eng.HandleBatch(t.Context(), evs); !errors.Is(err, leadline.ErrNotFound) {
			t.Fatalf("HandleBatch with the created event last = %v, want ErrNotFound", err)
		}
	})

	t.Run("E2 a lost race is retried", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, leadline.Config{})
		store := &conflicting{Store: memstore.New()}
		eng, err := leadline.New(store, leadline.Config{Clock: h.clk, Roster: team(), MaxRetries: 4})
		if err != nil {
			t.Fatal(err)
		}
		store.n.Store(3)
		if err := eng.HandleBatch(t.Context(), webhook()); err != nil {
			t.Fatalf("HandleBatch with 3 conflicts: %v", err)
		}
		if l, err := store.Lead(t.Context(), "L-1"); err != nil || l.Version != 1 {
			t.Fatalf("Lead(L-1) = version %d, %v; want version 1", l.Version, err)
		}
	})
}
