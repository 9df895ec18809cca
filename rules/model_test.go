package rules_test

import (
	"testing"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestStep_model drives one lead through random events and deadlines
// with no store at all, and checks after every step the invariants the
// rule book promises.
func TestStep_model(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		w := newWorld(t, rules.Policy{})
		w.tb = rt
		now := monday
		w.create(rapid.SampledFrom([]string{"-5", "40", "99.99", "100", "180"}).Draw(rt, "score"), rapid.SampledFrom([]string{"", "rep-a"}).Draw(rt, "owner"))
		rep := func() string { return rapid.SampledFrom([]string{"rep-a", "rep-b", "mgr"}).Draw(rt, "actor") }
		rt.Repeat(map[string]func(*rapid.T){
			"advance": func(rt *rapid.T) {
				now = now.Add(time.Duration(rapid.IntRange(1, 72).Draw(rt, "hours")) * time.Hour)
				w.fire(now)
			},
			"inquiry": func(rt *rapid.T) { w.must(lead.Event{Kind: lead.EventInquiry, At: now}) },
			"download": func(rt *rapid.T) {
				w.must(lead.Event{Kind: lead.EventDownload, At: now})
			},
			"score": func(rt *rapid.T) {
				w.must(lead.Event{Kind: lead.EventScoreChanged, At: now, Score: decimal.NewFromInt(int64(rapid.IntRange(-50, 300).Draw(rt, "new score")))})
			},
			"outbound": func(rt *rapid.T) {
				_ = w.event(lead.Event{Kind: lead.EventOutbound, At: now, Actor: rep(), Channels: stage.Call}) // refused on a Connected lead (T6)
			},
			"contact": func(rt *rapid.T) { w.must(lead.Event{Kind: lead.EventContact, At: now, Actor: rep()}) },
			"status": func(rt *rapid.T) {
				st := rapid.SampledFrom([]lead.Status{lead.StatusLead, lead.StatusRecycled, lead.StatusCustomer, lead.StatusDisqualifiedSales}).Draw(rt, "status")
				w.must(lead.Event{Kind: lead.EventStatusSet, At: now, Actor: rep(), Status: st, Reason: "reviewed"})
			},
			"": func(rt *rapid.T) {
				l := &w.lead
				if l.Status == lead.StatusNew && len(w.history) > 1 {
					for _, c := range w.history[1:] {
						if c.Field == lead.FieldStatus && c.To == lead.StatusNew.Key() {
							rt.Fatalf("S4 the lead went back to New: %v", c)
						}
					}
				}
				if l.Status.Protected() && (l.Request.Outstanding() || l.Track.Active()) {
					rt.Fatalf("S5 a %v lead has request %v, cadence active %v", l.Status, l.Request.State, l.Track.Active())
				}
				if l.Track.Stage == stage.Connected && l.Track.Active() {
					rt.Fatalf("T6 a Connected cadence is still running")
				}
				if _, ok := l.Track.Pending(); l.Track.Active() && !ok {
					rt.Fatalf("T13 a running cadence at %v has no pending deadline: the lead would be forgotten", l.Track.Stage)
				}
				if l.Request.Outstanding() && l.Request.Due.IsZero() {
					rt.Fatalf("A4 an outstanding request has no due date")
				}
				for _, c := range w.history {
					switch c.Field {
					case lead.FieldStatus, lead.FieldOwner, lead.FieldRequest, lead.FieldBANT, lead.FieldTrigger:
						if c.From == c.To {
							rt.Fatalf("E8 a history entry changed nothing: %v", c)
						}
					}
				}
				var buf [2]lead.Deadline
				for _, d := range l.Deadlines(buf[:0]) {
					if !d.Due.After(l.Created) {
						rt.Fatalf("E5 a deadline %v is due before the lead was created", d)
					}
				}
			},
		})
	})
}
