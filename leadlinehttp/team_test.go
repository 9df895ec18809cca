package leadlinehttp_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leadlinehttp"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"

	_ "time/tzdata" // the tests name zones on hosts without a zone database
)

// jst is the team's zone.
var jst = time.FixedZone("JST", 9*3600)

// roster is the seeded team: three inside reps, a manager, a field rep.
var roster = &routing.Org{
	Inside: routing.Team{ID: "inside", Manager: "mgr", Reps: []routing.Rep{{ID: "rep-ito"}, {ID: "rep-kato"}, {ID: "rep-sato"}}},
	Field:  routing.Team{ID: "field", Manager: "field-mgr", Reps: []routing.Rep{{ID: "field-mori"}}},
}

// team is a seeded inside-sales team behind the handler.
type team struct {
	st  *memstore.Store
	s   *sim.Sim
	eng *leadline.Engine
	h   http.Handler
}

// viewerHeader is how these tests say who is asking: "role:rep" or
// "role:rep:team". Only tests trust it; the package trusts nothing of its
// own.
const viewerHeader = "X-Test-Viewer"

// testViewer reads viewerHeader.
func testViewer(r *http.Request) (routing.Viewer, error) {
	role, rest, ok := strings.Cut(r.Header.Get(viewerHeader), ":")
	if !ok {
		return routing.Viewer{}, errors.New("no test viewer")
	}
	var v routing.Viewer
	if err := v.Role.UnmarshalText([]byte(role)); err != nil {
		return routing.Viewer{}, err
	}
	v.Rep, v.Team, _ = strings.Cut(rest, ":")
	return v, nil
}

// newTeam simulates a week's first four days of a small team (M9, T1-T9)
// on the mock clock and serves it; opts' Viewer, Reader, Seen and Clock
// are filled in when unset.
func newTeam(tb testing.TB, opts leadlinehttp.Options) *team {
	tb.Helper()
	st := memstore.New()
	pol := leadline.DefaultPolicy()
	pol.TimeZone = "Asia/Tokyo"
	s, err := sim.New(sim.Config{Store: st, Engine: leadline.Config{Roster: roster, Policy: pol},
		Start: time.Date(2026, 4, 6, 9, 0, 0, 0, jst)})
	if err != nil {
		tb.Fatal(err)
	}
	seed(s, rand.New(rand.NewPCG(7, 7)), 12)
	if err := s.Run(context.Background(), s.Date(3, 17, 0)); err != nil {
		tb.Fatal(err)
	}
	if opts.Viewer == nil {
		opts.Viewer = testViewer
	}
	if opts.Reader == nil {
		opts.Reader = st
	}
	if opts.Seen == nil {
		opts.Seen = st.Seen
	}
	if opts.Clock == nil {
		opts.Clock = s.Clock()
	}
	if opts.Teams == nil {
		opts.Teams = []routing.Team{roster.Inside, roster.Field}
	}
	return &team{st: st, s: s, eng: s.Engine(), h: leadlinehttp.Handler(s.Engine(), opts)}
}

// seed schedules n leads over the first three days: each is created with
// a score, inquires, rises in score a day later, and is called by its
// owner a few times until it answers (T6) or the owner falls behind (T8).
func seed(s *sim.Sim, r *rand.Rand, n int) {
	for i := range n {
		id, day := fmt.Sprintf("L-%02d", i+1), i*3/n
		at := s.Date(day, 9, 0).Add(sim.Hours(r, 0, 8))
		name, email := sim.JapaneseNames.Person(r, "example.jp")
		prof := lead.Profile{Company: sim.Company(r), Name: name, Email: email, Source: []string{"web", "seminar", "list"}[i%3],
			MASystem: "Marketo", Target: i%4 == 0}
		score := decimal.NewFromInt(int64(40 + r.IntN(100)))
		answers := 2 + r.IntN(5)
		do := func(at time.Time, e lead.Event) {
			s.At(at, func(ctx context.Context, at time.Time) error { e.Lead, e.At = id, at; return s.Handle(ctx, e) })
		}
		do(at, lead.Event{Kind: lead.EventCreated, Actor: "marketing", Score: score, Profile: prof})
		do(at, lead.Event{Kind: lead.EventInquiry, Actor: "marketing", Topic: "料金"})
		do(at.Add(sim.Hours(r, 20, 30)), lead.Event{Kind: lead.EventScoreChanged, Actor: "marketing", Score: score.Add(decimal.NewFromInt(int64(5 + r.IntN(30))))})
		if i%5 == 4 {
			continue // nobody calls: T1 reassigns it
		}
		var call func(n int) sim.ActionFunc
		call = func(n int) sim.ActionFunc {
			return func(ctx context.Context, at time.Time) error {
				l, err := s.Engine().Lead(ctx, sim.Ops, id)
				if err != nil || !l.Track.Active() || l.Track.Stage == stage.Stage4 {
					return err
				}
				ev := lead.Event{Kind: lead.EventOutbound, Lead: id, At: at, Actor: l.Owner, Channels: stage.Call | stage.Email}
				if n == answers {
					ev.Kind = lead.EventContact
				}
				s.After(sim.Hours(r, 30, 70), call(n+1))
				return s.Handle(ctx, ev)
			}
		}
		s.At(at.Add(sim.Hours(r, 1, 20)), call(1))
	}
}
