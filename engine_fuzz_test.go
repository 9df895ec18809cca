package leadline_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// FuzzHandle drives Handle with arbitrary events on a lead routed to
// field sales, and checks E6 and M5: a refused event writes nothing, and
// after an accepted one the campaign's feedback sheet still exports.
func FuzzHandle(f *testing.F) {
	f.Add("e-1", uint8(lead.EventFeedback), "L-1", "field-1", "a comment", "pricing", "12.5", uint8(stage.Call), int64(0))
	f.Add(" e-2", uint8(lead.EventCreated), " F-9", "", "", "", "1", uint8(0), int64(0))
	f.Add("e-3", uint8(lead.EventCreated), "F-\xff", "", "", "", "1e31", uint8(0), int64(0))
	f.Add("e-4", uint8(lead.EventFeedback), "L-1", "field-1", "-"+strings.Repeat("x", 9_999), "", "0", uint8(0), int64(0))
	f.Add("e-5", uint8(lead.EventStatusSet), "L-1", "rep-a", "reviewed\n", "", "-3", uint8(0), int64(3600))
	f.Add("e-6", uint8(lead.EventInquiry), "L-1", "", "", "topic\x00", "1e-40", uint8(0), int64(-60))
	f.Fuzz(func(t *testing.T, id string, kind uint8, leadID, actor, text, topic, sc string, ch uint8, offset int64) {
		h := newRouting(t, leadline.Config{})
		h.create(t, "L-1", score("10"), "")
		h.respond(t, "L-1", userConf.ID, lead.ResponseMet, func(e *lead.Event) { e.Actor = "field-1" })
		ev := lead.Event{ID: id, Kind: lead.EventKind(kind), Lead: leadID, Actor: actor, Reason: text, Topic: topic,
			Channels: stage.Channels(ch), At: h.clk.Now().Add(time.Duration(offset) * time.Second),
			Feedback: lead.Feedback{Comment: text, Target: true}, Profile: lead.Profile{Company: text}, Status: lead.Status(ch % 8)}
		if s, err := decimal.NewFromString(sc); err == nil {
			ev.Score = s
		}
		state := func(id string) (int64, int) {
			l, _ := h.store.Lead(t.Context(), id)
			hs, _ := h.store.History(t.Context(), id)
			return l.Version, len(hs)
		}
		v1, n1 := state("L-1")
		v2, n2 := state(leadID)
		err := h.eng.Handle(t.Context(), ev)
		if _, bad := errors.AsType[*leadline.FieldError](err); bad {
			if v, n := state("L-1"); v != v1 || n != n1 {
				t.Fatalf("refused %v (%v) changed L-1 (E6)", ev.Kind, err)
			}
			if v, n := state(leadID); v != v2 || n != n2 {
				t.Fatalf("refused %v (%v) changed %q (E6)", ev.Kind, err, leadID)
			}
		}
		var sheet strings.Builder
		field1 := routing.Viewer{Rep: "field-1", Role: routing.RoleField}
		if _, err := h.eng.ExportFeedback(t.Context(), field1, &sheet, userConf.ID); err != nil {
			t.Fatalf("ExportFeedback after %v (Handle = %v): %v (M5, E6)", ev.Kind, err, err)
		}
		ops := routing.Viewer{Rep: "ops", Role: routing.RoleOps}
		if _, err := h.eng.ExportFeedback(t.Context(), ops, &sheet, userConf.ID); err != nil {
			t.Fatalf("ExportFeedback as ops: %v", err)
		}
	})
}
