package storetest

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// model is the contract of [leadline.Store] written as plainly as
// possible: maps and slices scanned in full. testModel runs random
// sequences of calls on a store and on a model and requires the same
// answers, which covers the combinations the cases above do not name.
type model struct {
	now      time.Time
	leads    map[string]lead.Lead
	history  map[string][]lead.Change
	seen     map[string]uint64 // lead/event -> print
	due      []modelDeadline
	outbox   []modelNote
	tickets  map[string]uint64
	returned map[string][]uint64 // places given back, ascending
}

// modelDeadline is a pending deadline; until is the end of its claim,
// zero when never claimed.
type modelDeadline struct {
	d     lead.Deadline
	until time.Time
}

// modelNote is a pending notification; hidden is the end of its claim.
type modelNote struct {
	n      leadline.Notification
	hidden time.Time
}

// The small worlds the model draws from, so that calls collide.
var (
	modelLeads  = []string{"L-1", "L-2", "L-3", "L-4", "L-5"}
	modelReps   = []string{"rep-1", "rep-2", ""}
	modelEvents = []string{"", "", "ev-1", "ev-2", "ev-3", "ev-4"}
	modelKeys   = []string{"n-1", "n-2", "n-3", "n-4", "n-5"}
	modelTracks = []stage.Track{
		{},
		running(stage.Untouched),
		running(stage.Stage1),
		running(stage.Stage4),
		ended(stage.Connected, stage.EndConnected),
		ended(stage.Stage3, stage.EndStopped),
	}
	modelSteps = []time.Duration{0, time.Microsecond, time.Minute, 30 * time.Minute, 2 * time.Hour}
)

// apply is Store.Apply.
func (m *model) apply(w leadline.Write) error {
	if _, seen := m.seen[w.Lead.ID+"/"+w.Event]; w.Event != "" && seen {
		return leaderr.ErrDuplicateEvent
	}
	for _, ev := range w.Events {
		if _, seen := m.seen[w.Lead.ID+"/"+ev]; seen {
			return leaderr.ErrDuplicateEvent
		}
	}
	id := w.Lead.ID
	if w.Lead.Version != m.leads[id].Version {
		return leaderr.ErrConflict
	}
	if w.Event != "" {
		m.seen[w.Lead.ID+"/"+w.Event] = w.Print // ids are per lead
	}
	for i, ev := range w.Events {
		m.seen[w.Lead.ID+"/"+ev] = w.Prints[i]
	}
	l := w.Lead.Clone()
	l.Version++
	m.leads[id] = l
	m.history[id] = append(m.history[id], w.History...)
	m.due = slices.DeleteFunc(m.due, func(e modelDeadline) bool {
		return e.d.Lead == id
	})
	for _, d := range w.Deadlines {
		m.due = append(m.due, modelDeadline{d: d})
	}
	for _, n := range w.Outbox {
		if !slices.ContainsFunc(m.outbox, func(e modelNote) bool {
			return e.n.Key == n.Key
		}) {
			n.Attempts = 0
			m.outbox = append(m.outbox, modelNote{n: n})
		}
	}
	return nil
}

// claimDue is Store.ClaimDue at m.now.
func (m *model) claimDue(lease time.Duration, limit int) []lead.Deadline {
	var free []int
	for i, e := range m.due {
		if e.d.Due.Before(m.now) && !m.now.Before(e.until) {
			free = append(free, i)
		}
	}
	slices.SortFunc(free, func(i, j int) int {
		if m.due[i].d.Less(m.due[j].d) {
			return -1
		}
		if m.due[j].d.Less(m.due[i].d) {
			return 1
		}
		return 0
	})
	var out []lead.Deadline
	for _, i := range free[:min(limit, len(free))] {
		out = append(out, m.due[i].d)
		m.due[i].until = m.now.Add(lease)
	}
	return out
}

// claimOutbox is Store.ClaimOutbox at m.now.
func (m *model) claimOutbox(lease time.Duration, limit int) []leadline.Notification {
	var out []leadline.Notification
	for i := range m.outbox {
		e := &m.outbox[i]
		if len(out) < limit && !m.now.Before(e.hidden) {
			out = append(out, e.n)
			e.n.Attempts++
			e.hidden = m.now.Add(lease)
		}
	}
	return out
}

// ack is Store.Ack.
func (m *model) ack(keys []string) {
	m.outbox = slices.DeleteFunc(m.outbox, func(e modelNote) bool {
		return slices.Contains(keys, e.n.Key)
	})
}

// load is Store.Load, counted.
func (m *model) load(reps []string) []int {
	out := make([]int, len(reps))
	for i, rep := range reps {
		for _, l := range m.leads {
			if l.Owner == rep && l.Track.Active() {
				out[i]++
			}
		}
	}
	return out
}

// query is Store.Leads.
func (m *model) query(q leadline.Query) []lead.Lead {
	var out []lead.Lead
	for _, id := range slices.Sorted(maps.Keys(m.leads)) {
		l := m.leads[id]
		if id > q.After && q.Match(&l) && (q.Limit == 0 || len(out) < q.Limit) {
			out = append(out, l)
		}
	}
	return out
}

func testModel(t *testing.T, newStore func(t *testing.T) leadline.Store) {
	t.Run("random calls answer as the reference model does", func(t *testing.T) {
		t.Parallel()
		rapid.Check(t, func(rt *rapid.T) {
			// One store per check, closed when the check ends: a
			// database store must not hold a connection for every check
			// until the whole test ends.
			st := newStore(t)
			defer func() {
				if err := closeStore(st); err != nil {
					rt.Errorf("Close() = %v", err)
				}
			}()
			ctx := rt.Context()
			m := &model{
				now:      t0,
				leads:    map[string]lead.Lead{},
				history:  map[string][]lead.Change{},
				seen:     map[string]uint64{},
				tickets:  map[string]uint64{},
				returned: map[string][]uint64{},
			}
			step := 0
			rt.Repeat(map[string]func(*rapid.T){
				"Apply": func(rt *rapid.T) {
					step++
					id := rapid.SampledFrom(modelLeads).Draw(rt, "lead")
					l := newLead(id, rapid.SampledFrom(modelReps).Draw(rt, "owner"))
					l.Version = m.leads[id].Version + rapid.SampledFrom([]int64{0, 0, 0, -1, 1}).Draw(rt, "version skew")
					l.Score = decimal.New(int64(rapid.IntRange(-100, 100).Draw(rt, "score")), -1)
					l.Passed = rapid.SliceOfN(rapid.SampledFrom(modelReps[:2]), 0, 2).Draw(rt, "passed")
					l.Track = modelTracks[rapid.IntRange(0, len(modelTracks)-1).Draw(rt, "track")]
					l.Updated = m.now
					w := leadline.Write{Event: rapid.SampledFrom(modelEvents).Draw(rt, "event"), Lead: l}
					if w.Event != "" {
						w.Print = rapid.Uint64Range(0, 3).Draw(rt, "print")
						if rapid.IntRange(0, 3).Draw(rt, "further events") == 0 {
							w.Events = []string{w.Event + "+1"}
							w.Prints = []uint64{rapid.Uint64Range(0, 3).Draw(rt, "further print")}
						}
					}
					for i := range rapid.IntRange(0, 2).Draw(rt, "changes") {
						w.History = append(w.History, change(id, w.Event, lead.FieldStage, "", fmt.Sprintf("step %d.%d", step, i), m.now))
					}
					for range rapid.IntRange(0, 3).Draw(rt, "deadlines") {
						kind := rapid.SampledFrom([]lead.DeadlineKind{lead.DeadlineCadence, lead.DeadlineRequest}).Draw(rt, "kind")
						due := m.now.Add(time.Duration(rapid.IntRange(-3, 3).Draw(rt, "due")) * 30 * time.Minute)
						w.Deadlines = append(w.Deadlines, deadline(id, kind, due))
					}
					for range rapid.IntRange(0, 2).Draw(rt, "notifications") {
						n := note(rapid.SampledFrom(modelKeys).Draw(rt, "key"), id)
						n.Detail = fmt.Sprintf("step %d", step)
						w.Outbox = append(w.Outbox, n)
					}
					err := st.Apply(ctx, w)
					want := m.apply(w)
					if want == nil && err != nil || want != nil && !errors.Is(err, want) {
						rt.Fatalf("Apply(%s version %d event %q) = %v, want %v", id, l.Version, w.Event, err, want)
					}
				},
				"Advance": func(rt *rapid.T) {
					m.now = m.now.Add(rapid.SampledFrom(modelSteps).Draw(rt, "step"))
				},
				"ClaimDue": func(rt *rapid.T) {
					lease := rapid.SampledFrom(modelSteps).Draw(rt, "lease")
					limit := rapid.IntRange(1, 4).Draw(rt, "limit")
					got, err := st.ClaimDue(ctx, m.now, lease, limit)
					if err != nil {
						rt.Fatalf("ClaimDue = %v", err)
					}
					if want := m.claimDue(lease, limit); diff(got, want) != "" {
						rt.Fatalf("ClaimDue(now %v, lease %v, limit %d) = %s, want %s", m.now.Sub(t0), lease, limit, deadlines(got), deadlines(want))
					}
				},
				"ClaimOutbox": func(rt *rapid.T) {
					lease := rapid.SampledFrom(modelSteps).Draw(rt, "lease")
					limit := rapid.IntRange(1, 4).Draw(rt, "limit")
					got, err := st.ClaimOutbox(ctx, m.now, lease, limit)
					if err != nil {
						rt.Fatalf("ClaimOutbox = %v", err)
					}
					if want := m.claimOutbox(lease, limit); diff(got, want) != "" {
						rt.Fatalf("ClaimOutbox(now %v, lease %v, limit %d) = %s, want %s:%s", m.now.Sub(t0), lease, limit, keys(got), keys(want), diff(got, want))
					}
				},
				"Ack": func(rt *rapid.T) {
					ks := rapid.SliceOfN(rapid.SampledFrom(append(modelKeys, "n-404")), 0, 3).Draw(rt, "keys")
					if err := st.Ack(ctx, ks); err != nil {
						rt.Fatalf("Ack(%q) = %v", ks, err)
					}
					m.ack(ks)
				},
				"NextTicket": func(rt *rapid.T) {
					seq := rapid.SampledFrom([]string{"team-a", "team-b"}).Draw(rt, "sequence")
					got, err := st.NextTicket(ctx, seq)
					want := m.tickets[seq]
					if back := m.returned[seq]; len(back) > 0 {
						want, m.returned[seq] = back[0], back[1:]
					} else {
						m.tickets[seq]++
					}
					if err != nil || got != want {
						rt.Fatalf("NextTicket(%s) = %d, %v; want %d (M9)", seq, got, err, want)
					}
				},
				"ReturnTickets": func(rt *rapid.T) {
					seq := rapid.SampledFrom([]string{"team-a", "team-b"}).Draw(rt, "sequence")
					n := uint64(rapid.IntRange(0, 6).Draw(rt, "place"))
					if err := st.ReturnTickets(ctx, []leadline.Ticket{{Sequence: seq, Number: n}}); err != nil {
						rt.Fatalf("ReturnTickets = %v", err)
					}
					if back := m.returned[seq]; n < m.tickets[seq] && !slices.Contains(back, n) {
						m.returned[seq] = slices.Sorted(slices.Values(append(slices.Clone(back), n)))
					}
				},
				"Lead": func(rt *rapid.T) {
					id := rapid.SampledFrom(modelLeads).Draw(rt, "lead")
					got, err := st.Lead(ctx, id)
					want, ok := m.leads[id]
					switch {
					case !ok && !errors.Is(err, leaderr.ErrNotFound):
						rt.Fatalf("Lead(%s) = %v, want ErrNotFound", id, err)
					case ok && err != nil:
						rt.Fatalf("Lead(%s) = %v", id, err)
					case ok && diff(got, want) != "":
						rt.Fatalf("Lead(%s) differs:%s", id, diff(got, want))
					}
				},
				"History": func(rt *rapid.T) {
					id := rapid.SampledFrom(modelLeads).Draw(rt, "lead")
					got, err := st.History(ctx, id)
					if err != nil {
						rt.Fatalf("History(%s) = %v", id, err)
					}
					if d := diff(got, m.history[id]); d != "" {
						rt.Fatalf("History(%s) differs:%s", id, d)
					}
				},
				"Leads": func(rt *rapid.T) {
					q := leadline.Query{
						Owner:     rapid.SampledFrom(modelReps).Draw(rt, "owner"),
						Attempted: rapid.Bool().Draw(rt, "attempted"),
						After:     rapid.SampledFrom(append([]string{""}, modelLeads...)).Draw(rt, "after"),
						Limit:     rapid.IntRange(0, 3).Draw(rt, "limit"),
					}
					got, err := st.Leads(ctx, q)
					if err != nil {
						rt.Fatalf("Leads(%+v) = %v", q, err)
					}
					if d := diff(got, m.query(q)); d != "" {
						rt.Fatalf("Leads(%+v) differs:%s", q, d)
					}
				},
				"": func(rt *rapid.T) {
					got, err := st.Load(ctx, modelReps)
					if want := m.load(modelReps); err != nil || !slices.Equal(got, want) {
						rt.Fatalf("Load(%q) = %v, %v; want %v (M9)", modelReps, got, err, want)
					}
					for _, id := range modelLeads {
						for _, ev := range slices.Concat(modelEvents, []string{"ev-1+1", "ev-2+1"}) {
							print, ok, err := st.Seen(ctx, id, ev)
							want, seen := m.seen[id+"/"+ev]
							if ev == "" {
								want, seen = 0, false
							}
							if err != nil || ok != seen || print != want {
								rt.Fatalf("Seen(%s, %q) = %d, %v, %v; want %d, %v (E2)", id, ev, print, ok, err, want, seen)
							}
						}
					}
				},
			})
		})
	})
}
