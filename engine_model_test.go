package leadline_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// model is what the engine should hold for one lead, computed by the
// simplest reading of the rule book's sections S, A and T (docs/RULES.md) with the default policy.
type model struct {
	exists    bool
	status    lead.Status
	score     decimal.Decimal
	stage     stage.Stage
	active    bool
	cadence   uint32
	due       time.Time // the cadence's pending deadline; zero when none
	overdue   bool      // due is a missed step's repeated reminder (T13)
	nags      int       // repeated reminders fired for the missed step (T13)
	reassigns int
	req       lead.RequestState
	reqSeq    uint32
	reqDue    time.Time
	priority  int
	fires     int // deadlines fired
}

var hundred = decimal.NewFromInt(100)

// windows[s] is the default time allowed to reach stage s (T1, T3-T5).
var windows = [...]time.Duration{stage.Stage1: 48 * time.Hour, stage.Stage2: 48 * time.Hour, stage.Stage3: 48 * time.Hour, stage.Stage4: 96 * time.Hour}

func (m *model) outstanding() bool { return m.req == lead.RequestOpen || m.req == lead.RequestOverdue }

// next returns the model's earliest pending deadline: the cadence's, or a
// request's made mid-cadence (A4).
func (m *model) next() (time.Time, bool, bool) {
	var due time.Time
	isReq, ok := false, false
	if m.active && !m.due.IsZero() {
		due, ok = m.due, true
	}
	if m.req == lead.RequestOpen && !(m.active && m.stage == stage.Untouched) {
		if !ok || m.reqDue.Before(due) {
			due, ok, isReq = m.reqDue, true, true
		}
	}
	return due, isReq, ok
}

// fire applies every deadline that passed before now, in order.
func (m *model) fire(now time.Time) {
	for {
		due, isReq, ok := m.next()
		if !ok || !due.Before(now) {
			return
		}
		m.fires++
		if isReq {
			m.req = lead.RequestOverdue // A4
			continue
		}
		switch {
		case m.stage == stage.Stage4 && !m.overdue: // T7, S3, S5
			m.active, m.due = false, time.Time{}
			if m.status.Worked() {
				m.status = lead.StatusRecycled
			}
			if m.outstanding() {
				m.req = lead.RequestCancelled
			}
		case m.overdue && m.nags < 2: // T13: remind again one window later
			m.nags++
			m.due = now.Add(windows[m.stage+1])
		case m.overdue: // T13: hand on, as T10
			m.handOn(now)
		case m.stage == stage.Untouched: // T1, T10
			if m.outstanding() {
				m.req = lead.RequestOverdue
			}
			m.handOn(now)
		default: // T8, then T13's first reminder one window after it went out
			m.overdue, m.nags = true, 0
			m.due = now.Add(windows[m.stage+1])
		}
	}
}

// handOn gives the lead to another rep, or the manager once two
// reassignments are spent, with a fresh window from now (T10, T13): a
// running cadence always has a deadline.
func (m *model) handOn(now time.Time) {
	m.reassigns++
	m.overdue, m.nags = false, 0
	m.due = now.Add(windows[m.stage+1])
	if m.outstanding() {
		m.req, m.reqDue = lead.RequestOpen, m.due
	}
}

func (m *model) trigger(kind lead.EventKind, now time.Time) {
	mql := m.score.GreaterThanOrEqual(hundred)
	prio := 0
	switch {
	case kind == lead.EventInquiry && mql:
		prio = 1
	case kind == lead.EventInquiry:
		prio = 2
	case mql:
		prio = 3
	default:
		return
	}
	switch {
	case m.status.Protected(): // S5
	case m.outstanding(): // A6
		m.priority = min(m.priority, prio)
	default:
		if m.status == lead.StatusRecycled { // A5: a new cadence, whatever a call had started
			m.status, m.active = lead.StatusLead, false
		}
		if !m.active {
			m.cadence++
			m.stage, m.active, m.reassigns = stage.Untouched, true, 0
			m.overdue, m.nags = false, 0
			m.due = now.Add(48 * time.Hour)
		}
		m.reqSeq++
		m.req, m.priority = lead.RequestOpen, prio
		m.reqDue = now.Add(48 * time.Hour)
		if m.stage == stage.Untouched {
			m.reqDue = m.due
		}
	}
}

// attempt returns whether the engine must refuse it.
func (m *model) attempt(now time.Time) bool {
	if m.stage == stage.Connected {
		return true // T6
	}
	switch {
	case !m.active && m.status.Protected():
		return false // S5: recorded, no cadence
	case !m.active:
		m.cadence++
		m.stage, m.active, m.reassigns = stage.Stage1, true, 0
		m.overdue, m.nags = false, 0
		m.due = now.Add(windows[stage.Stage2])
	case m.stage == stage.Stage4:
	default:
		m.overdue, m.nags = false, 0
		m.stage++
		if m.stage < stage.Stage4 {
			m.due = now.Add(windows[m.stage+1])
		} else {
			m.due = now.Add(96 * time.Hour) // T7 wait
		}
	}
	if m.outstanding() {
		m.req = lead.RequestDone
	}
	return false
}

func (m *model) contact() {
	if m.stage != stage.Connected {
		m.stage, m.active, m.due = stage.Connected, false, time.Time{}
	}
	if m.outstanding() {
		m.req = lead.RequestDone
	}
}

// setStatus returns whether the engine must refuse it (S4).
func (m *model) setStatus(to lead.Status) bool {
	if to == lead.StatusNew { // S4: never set by a person, not even on a New lead
		return true
	}
	if to == m.status {
		return false
	}
	m.status = to
	if to.Protected() || to == lead.StatusRecycled {
		if m.active {
			m.active, m.due = false, time.Time{}
		}
		if m.outstanding() {
			m.req = lead.RequestCancelled
		}
	}
	return false
}

func TestEngine_Model(t *testing.T) {
	t.Parallel()
	ids := []string{"L-1", "L-2", "L-3"}
	scores := []decimal.Decimal{score("50"), score("99.99"), score("100"), decimal.New(10000, -2), score("150"), score("-5")}
	statuses := []lead.Status{lead.StatusNew, lead.StatusLead, lead.StatusRecycled, lead.StatusCustomer, lead.StatusPartner, lead.StatusDisqualifiedMktg, lead.StatusDisqualifiedSales}
	steps := []time.Duration{time.Hour, 20 * time.Hour, 47 * time.Hour, 49 * time.Hour, 97 * time.Hour}

	rapid.Check(t, func(rt *rapid.T) {
		h := newHarness(t, leadline.Config{})
		models := map[string]*model{}
		for _, id := range ids {
			models[id] = &model{}
		}
		prev := map[string]lead.Lead{}
		seq := 0
		byPerson := false // the last action was a person's status change
		handle := func(ev lead.Event) error {
			seq++
			ev.ID, ev.At = fmt.Sprintf("ev-%d", seq), h.clk.Now()
			return h.eng.Handle(rt.Context(), ev)
		}
		existing := func(rt *rapid.T) (string, *model) {
			id := rapid.SampledFrom(ids).Draw(rt, "lead")
			if !models[id].exists {
				rt.Skip("no such lead yet")
			}
			return id, models[id]
		}
		rt.Repeat(map[string]func(*rapid.T){
			"create": func(rt *rapid.T) {
				id := rapid.SampledFrom(ids).Draw(rt, "lead")
				m := models[id]
				s := rapid.SampledFrom(scores).Draw(rt, "score")
				err := handle(lead.Event{Kind: lead.EventCreated, Lead: id, Score: s})
				if m.exists != errors.Is(err, leadline.ErrExists) || (!m.exists && err != nil) {
					rt.Fatalf("create %s (exists %v) = %v", id, m.exists, err)
				}
				if !m.exists {
					*m = model{exists: true, score: s}
				}
			},
			"score": func(rt *rapid.T) {
				id, m := existing(rt)
				s := rapid.SampledFrom(scores).Draw(rt, "score")
				if err := handle(lead.Event{Kind: lead.EventScoreChanged, Lead: id, Score: s}); err != nil {
					rt.Fatal(err)
				}
				m.score = s
			},
			"trigger": func(rt *rapid.T) {
				id, m := existing(rt)
				kind := rapid.SampledFrom([]lead.EventKind{lead.EventInquiry, lead.EventDownload}).Draw(rt, "kind")
				if err := handle(lead.Event{Kind: kind, Lead: id}); err != nil {
					rt.Fatal(err)
				}
				m.trigger(kind, h.clk.Now())
			},
			"attempt": func(rt *rapid.T) {
				id, m := existing(rt)
				err := handle(lead.Event{Kind: lead.EventOutbound, Lead: id, Actor: "rep-a", Channels: stage.Call})
				if refuse := m.attempt(h.clk.Now()); refuse != errors.Is(err, leadline.ErrInvalidTransition) || (!refuse && err != nil) {
					rt.Fatalf("attempt on %v = %v, want refused %v", m.stage, err, refuse)
				}
			},
			"web": func(rt *rapid.T) {
				id, _ := existing(rt)
				// E9: web activity feeds the summary and changes nothing
				// the model holds (no trigger row names it by default).
				if err := handle(lead.Event{Kind: lead.EventWebActivity, Lead: id, Topic: "/pricing"}); err != nil {
					rt.Fatal(err)
				}
			},
			"profile": func(rt *rapid.T) {
				id, _ := existing(rt)
				// E9: a profile update replaces the profile; no rule of the
				// model reads it (no target account here).
				co := rapid.SampledFrom([]string{"Acme KK", "Globex KK"}).Draw(rt, "company")
				if err := handle(lead.Event{Kind: lead.EventProfileUpdated, Lead: id, Profile: lead.Profile{Company: co, Source: "web"}}); err != nil {
					rt.Fatal(err)
				}
			},
			"contact": func(rt *rapid.T) {
				id, m := existing(rt)
				if err := handle(lead.Event{Kind: lead.EventContact, Lead: id, Actor: "rep-a"}); err != nil {
					rt.Fatal(err)
				}
				m.contact()
			},
			"status": func(rt *rapid.T) {
				id, m := existing(rt)
				to := rapid.SampledFrom(statuses).Draw(rt, "status")
				byPerson = true
				err := handle(lead.Event{Kind: lead.EventStatusSet, Lead: id, Status: to, Actor: "rep-a", Reason: "reviewed"})
				if refuse := m.setStatus(to); refuse != errors.Is(err, leadline.ErrInvalidTransition) || (!refuse && err != nil) {
					rt.Fatalf("status %v -> %v = %v, want refused %v", m.status, to, err, refuse)
				}
			},
			"advance": func(rt *rapid.T) {
				d := rapid.SampledFrom(steps).Draw(rt, "by")
				h.clk.Add(d)
				res, err := h.eng.Sweep(rt.Context())
				if err != nil {
					rt.Fatalf("Sweep: %v", err)
				}
				if _, err := h.eng.Deliver(rt.Context()); err != nil {
					rt.Fatalf("Deliver: %v", err)
				}
				want := 0
				for _, id := range ids {
					before := models[id].fires
					models[id].fire(h.clk.Now())
					want += models[id].fires - before
				}
				if len(res.Fired) > want {
					rt.Fatalf("swept %d deadlines, the model fired %d", len(res.Fired), want)
				}
			},
			"": func(rt *rapid.T) {
				now := h.clk.Now()
				for _, id := range ids {
					m := models[id]
					l, err := h.eng.Lead(rt.Context(), ops, id)
					if !m.exists {
						if !errors.Is(err, leadline.ErrNotFound) {
							rt.Fatalf("%s: Lead = %v, want ErrNotFound", id, err)
						}
						continue
					}
					if err != nil {
						rt.Fatal(err)
					}
					checkAgainstModel(rt, id, l, m, now)
					if _, ok := l.Track.Pending(); l.Track.Active() && !ok {
						rt.Fatalf("%s: T13 a running cadence at %v has no pending deadline", id, l.Track.Stage)
					}
					checkTransition(rt, id, prev[id], l)
					if p := prev[id]; p.Version > 0 && p.Status.Protected() && l.Status != p.Status && !byPerson {
						rt.Fatalf("%s: protected status %v changed to %v automatically (S5)", id, p.Status, l.Status)
					}
					checkFiredOnce(rt, id, h.history(t, id))
					prev[id] = l
				}
				byPerson = false
			},
		})
	})
}

// checkAgainstModel compares the engine's lead with the model.
func checkAgainstModel(rt *rapid.T, id string, l lead.Lead, m *model, now time.Time) {
	tr := &l.Track
	got := fmt.Sprintf("status %v stage %v active %v cadence %d request %d/%v", l.Status, tr.Stage, tr.Active(), tr.Cadence, l.Request.Seq, l.Request.State)
	want := fmt.Sprintf("status %v stage %v active %v cadence %d request %d/%v", m.status, m.stage, m.active, m.cadence, m.reqSeq, m.req)
	if got != want {
		rt.Fatalf("%s: engine %s\n   model %s", id, got, want)
	}
	if m.outstanding() && l.Request.Priority != m.priority {
		rt.Fatalf("%s: priority %d, model %d (A6 keeps the highest)", id, l.Request.Priority, m.priority)
	}
	due, pending := tr.Pending()
	if pending != !m.due.IsZero() || (pending && !due.Equal(m.due)) {
		rt.Fatalf("%s: pending %v %v, model %v", id, pending, due, m.due)
	}
	if m.req == lead.RequestOpen && !l.Request.Due.Equal(m.reqDue) {
		rt.Fatalf("%s: request due %v, model %v", id, l.Request.Due, m.reqDue)
	}
	// E5, T8: after a sweep nothing pending is already past.
	for _, d := range l.Deadlines(nil) {
		if d.Due.Before(now) {
			rt.Fatalf("%s: deadline %v passed at %v and did not fire", id, d, now)
		}
	}
	// A6: at most one outstanding request, the latest.
	if l.Request.Outstanding() && l.Request.Seq == 0 {
		rt.Fatalf("%s: an outstanding request that was never made", id)
	}
}

// checkTransition checks what may change between two observations of a
// lead, whatever happened in between.
func checkTransition(rt *rapid.T, id string, before, after lead.Lead) {
	if before.Version == 0 {
		return
	}
	b, a := before.Track, after.Track
	switch {
	case a.Cadence < b.Cadence:
		rt.Fatalf("%s: cadence went back from %d to %d", id, b.Cadence, a.Cadence)
	case a.Cadence == b.Cadence && a.Stage < b.Stage:
		rt.Fatalf("%s: stage went back from %v to %v within cadence %d (T2-T5)", id, b.Stage, a.Stage, a.Cadence)
	case a.Cadence == b.Cadence && a.Stage > b.Stage+1 && a.Stage != stage.Connected:
		rt.Fatalf("%s: stage skipped from %v to %v (T2-T5)", id, b.Stage, a.Stage)
	case a.Cadence == b.Cadence && b.End != stage.EndNone && a.Stage != b.Stage && a.Stage != stage.Connected:
		rt.Fatalf("%s: stage moved from %v to %v after the cadence ended (%v; T6, T7)", id, b.Stage, a.Stage, b.End)
	}
	if b.End == stage.EndConnected && a.Cadence == b.Cadence && a.Stage != stage.Connected {
		rt.Fatalf("%s: left Connected without a new cadence (T6)", id)
	}
	if after.Request.Seq > before.Request.Seq+1 {
		rt.Fatalf("%s: two requests made in one step", id)
	}
}

// checkFiredOnce checks that every deadline fired in one write: the
// history entries it caused are contiguous, so it never fired twice.
func checkFiredOnce(rt *rapid.T, id string, hs []lead.Change) {
	last := map[string]int{}
	for i, c := range hs {
		if !strings.Contains(c.Event, "/cadence/") && !strings.Contains(c.Event, "/request/") {
			continue
		}
		if j, ok := last[c.Event]; ok && j != i-1 {
			rt.Fatalf("%s: deadline %s fired twice (history entries %d and %d)", id, c.Event, j, i)
		}
		last[c.Event] = i
	}
}
