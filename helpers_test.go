package leadline_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leadlinetest"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// jst is Japan's zone; Japan has no DST, so a fixed zone is exact.
var jst = time.FixedZone("JST", 9*3600)

// monday is the start of every test: Monday 2026-04-06 09:00 JST.
var monday = time.Date(2026, 4, 6, 9, 0, 0, 0, jst)

// ops reads everything (M2); the tests of visibility use other viewers.
var ops = routing.Viewer{Rep: "ops", Role: routing.RoleOps}

// team is the inside team of the tests: three reps and a manager.
func team() *routing.Org {
	return &routing.Org{Inside: routing.Team{
		ID: "inside", Manager: "mgr",
		Reps: []routing.Rep{{ID: "rep-a"}, {ID: "rep-b"}, {ID: "rep-c"}},
	}}
}

// harness is the test kit (leadlinetest) with the shorthands these tests
// share: an engine on memstore and a mock clock at monday, recording what
// its notifier accepts.
type harness struct {
	kit   *leadlinetest.Kit
	eng   *leadline.Engine
	store *memstore.Store
	clk   *clock.Mock
	seq   int
}

func newHarness(tb testing.TB, cfg leadline.Config) *harness {
	tb.Helper()
	if cfg.Roster == nil {
		cfg.Roster = team()
	}
	k := leadlinetest.New(tb, cfg)
	k.Clock.Set(monday)
	return &harness{kit: k, eng: k.Engine, store: k.Store, clk: k.Clock}
}

// handle fills in a fresh id and the clock's now where ev has none.
func (h *harness) handle(tb testing.TB, ev lead.Event) error {
	tb.Helper()
	if ev.ID == "" {
		h.seq++
		ev.ID = fmt.Sprintf("ev-%d", h.seq)
	}
	if ev.At.IsZero() {
		ev.At = h.clk.Now()
	}
	return h.eng.Handle(tb.Context(), ev)
}

func (h *harness) must(tb testing.TB, ev lead.Event) {
	tb.Helper()
	if err := h.handle(tb, ev); err != nil {
		tb.Fatalf("Handle(%v %s): %v", ev.Kind, ev.Lead, err)
	}
}

// create makes lead id with score and, if owner is not "", that owner.
func (h *harness) create(tb testing.TB, id string, score decimal.Decimal, owner string) {
	tb.Helper()
	h.must(tb, lead.Event{Kind: lead.EventCreated, Lead: id, Score: score, Owner: owner,
		Profile: lead.Profile{Company: "Acme " + id, Name: "Name " + id, Source: "web"}})
}

func (h *harness) inquiry(tb testing.TB, id string) {
	tb.Helper()
	h.must(tb, lead.Event{Kind: lead.EventInquiry, Lead: id, Topic: "pricing"})
}

func (h *harness) attempt(tb testing.TB, id string) {
	tb.Helper()
	h.must(tb, lead.Event{Kind: lead.EventOutbound, Lead: id, Actor: h.lead(tb, id).Owner, Channels: stage.Call | stage.Email})
}

// advance moves the clock by d, then sweeps and delivers, as a host's Run
// would at that instant.
func (h *harness) advance(tb testing.TB, d time.Duration) leadline.SweepResult {
	tb.Helper()
	h.clk.Add(d)
	return h.sweep(tb)
}

func (h *harness) sweep(tb testing.TB) leadline.SweepResult {
	tb.Helper()
	res, err := h.eng.Sweep(tb.Context())
	if err != nil {
		tb.Fatalf("Sweep: %v", err)
	}
	if _, err := h.eng.Deliver(tb.Context()); err != nil {
		tb.Fatalf("Deliver: %v", err)
	}
	return res
}

func (h *harness) lead(tb testing.TB, id string) lead.Lead {
	tb.Helper()
	l, err := h.eng.Lead(tb.Context(), ops, id)
	if err != nil {
		tb.Fatalf("Lead(%s): %v", id, err)
	}
	return l
}

func (h *harness) history(tb testing.TB, id string) []lead.Change {
	tb.Helper()
	hs, err := h.eng.History(tb.Context(), ops, id)
	if err != nil {
		tb.Fatalf("History(%s): %v", id, err)
	}
	return hs
}

// delivered returns the notifications delivered so far of kind (all kinds
// if kind is 0), and forgets none.
func (h *harness) delivered(kind leadline.NotificationKind) []leadline.Notification {
	var out []leadline.Notification
	for _, n := range h.kit.Recorder.Notifications() {
		if kind == 0 || n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

// take delivers the outbox, then returns and forgets every notification
// delivered so far.
func (h *harness) take(tb testing.TB) []leadline.Notification {
	tb.Helper()
	if _, err := h.eng.Deliver(tb.Context()); err != nil {
		tb.Fatalf("Deliver: %v", err)
	}
	return h.kit.Recorder.Take()
}

// changes returns the history entries of field f, optionally of rule.
func changes(hs []lead.Change, f lead.Field, rule string) []lead.Change {
	var out []lead.Change
	for _, c := range hs {
		if c.Field == f && (rule == "" || c.Rule == rule) {
			out = append(out, c)
		}
	}
	return out
}

func kinds(ns []leadline.Notification) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Kind.String() + ":" + n.To
	}
	slices.Sort(out)
	return out
}

func score(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// snapshot is what the store holds about a lead and what was delivered,
// to check that a refused event changed nothing (E6).
type snapshot struct {
	lead    lead.Lead
	history int
	notes   int
}

func (h *harness) snapshot(tb testing.TB, id string) snapshot {
	tb.Helper()
	l, err := h.eng.Lead(tb.Context(), ops, id)
	if err != nil && !errors.Is(err, leadline.ErrNotFound) {
		tb.Fatal(err)
	}
	hs, err := h.eng.History(tb.Context(), ops, id)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := h.eng.Deliver(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	return snapshot{lead: l, history: len(hs), notes: len(h.delivered(0))}
}

func (s snapshot) same(o snapshot) bool {
	return s.lead.Version == o.lead.Version && s.lead.Status == o.lead.Status &&
		s.lead.Track.Stage == o.lead.Track.Stage && s.lead.Score.Equal(o.lead.Score) &&
		s.lead.Owner == o.lead.Owner && s.history == o.history && s.notes == o.notes
}
