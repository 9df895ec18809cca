// Package storetest checks an implementation of [leadline.Store] against
// the contract written in that interface's doc comments, as
// testing/fstest.TestFS checks an fs.FS and river's riverdrivertest checks
// a driver. memstore and postgres both run it; a change to the contract
// starts with a new case here.
//
// A store's tests call [Run] with a function that makes an empty store:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) leadline.Store { return memstore.New() })
//	}
//
// [leadline.Store] is four interfaces, and the suite is grouped the same
// way, so that an implementation of one of them can run its part alone:
// [RunLeadStore], [RunOutbox], [RunCampaigns] and [RunReadStore]. Run
// calls all four, then the checks that span them: Concurrency, Context
// and Model. Subtests are named after the interface, the method and the
// sentence of the contract they check, so a failure reads as the rule the
// store broke:
//
//	TestStore/LeadStore/ClaimDue/claimed_deadline_is_skipped_until_now+lease
//
// Model runs random sequences of calls against a reference model of the
// contract with pgregory.net/rapid; run more of them with
// "go test ./memstore -run TestStore/Model -rapid.checks=10000".
// The round trip of a lead fails when a field is
// added to [lead.Lead] without a value in the suite's fixture, so that a
// store cannot silently drop it.
//
// # What Run asks of newStore
//
// newStore is called once per subtest, and once per rapid check in Model,
// and must return an empty store that shares nothing with the stores of
// other calls: the subtests of a group run in parallel
// ([testing.T.Parallel]). A database store gives each its own schema or
// database.
//
// If the store implements io.Closer, the suite closes it once, when the
// subtest or the rapid check it was made for ends. That is where a
// database store releases its connections and drops its schema: the
// rapid checks of Model all run under one t, so a store that waited for
// t.Cleanup would hold a connection per check (a hundred by default)
// until the whole test ends. A store without Close cleans up in
// t.Cleanup as usual.
//
// RunOutbox and RunReadStore take a whole [leadline.Store]: what they read
// is written by [leadline.LeadStore.Apply]. RunLeadStore and RunCampaigns
// take only their interface; the few LeadStore cases that must look at
// the history or the outbox Apply wrote run when the store is a whole
// leadline.Store and are skipped otherwise.
//
// # Readings the suite fixes
//
// Where the contract leaves room, the suite takes one reading:
//
//   - Instants are compared with [time.Time.Equal]: a store keeps the
//     instant, not the zone or the monotonic reading. The suite's instants
//     have whole microseconds, the precision of PostgreSQL's timestamptz.
//   - Scores are compared with [decimal.Decimal.Equal]; a nil slice equals
//     an empty one.
//   - "Before now" is strict: a deadline due at now is not claimed. A
//     claim until now+lease hides a deadline or a notification from a
//     claim at any instant before now+lease, and from none at or after it.
//   - "Oldest first" in the outbox is write order. The suite gives the
//     notifications of one test the same At, so a store that orders by At
//     and then by write order also passes.
//   - Event ids are per lead, as [leadline.LeadStore.Apply] says: the
//     same id in a write of another lead is another event, and Seen
//     answers for the lead it is asked about. A duplicate event is
//     reported even when the write's version is stale too.
//   - A refused call, including one with a cancelled context, changes
//     nothing; a refused write with HistorySince or EventsSince forgets
//     nothing.
//   - Retention is checked from below: the history entries of a lead
//     whose At is at or after its last write's HistorySince, and the ids
//     of writes whose At is at or after the last write's EventsSince, must
//     be kept, in order, with repeats refused; what is older may go or
//     stay. A write's HistorySince and EventsSince trim only its own
//     lead's history and event ids; the suite bounds the ids of every
//     lead by the latest write's EventsSince, which is never earlier than
//     the bound of that lead's own last write.
//
// The suite never calls ClaimDue or ClaimOutbox with a limit below 1; the
// contract does not say what that means.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

// Run runs the whole [leadline.Store] contract against fresh stores made
// by newStore: [RunLeadStore], [RunOutbox], [RunCampaigns] and
// [RunReadStore], each as a subtest named after its interface, then the
// checks that span them: Concurrency, Context and the rapid Model.
func Run(t *testing.T, newStore func(t *testing.T) leadline.Store) {
	t.Helper()
	t.Run("LeadStore", func(t *testing.T) {
		RunLeadStore(t, func(t *testing.T) leadline.LeadStore { return newStore(t) })
	})
	t.Run("Outbox", func(t *testing.T) { RunOutbox(t, newStore) })
	t.Run("CampaignStore", func(t *testing.T) {
		RunCampaigns(t, func(t *testing.T) leadline.CampaignStore { return newStore(t) })
	})
	t.Run("ReadStore", func(t *testing.T) { RunReadStore(t, newStore) })
	t.Run("Reports", func(t *testing.T) { RunReports(t, reportStore(t, newStore)) })
	groups(t, newStore, []group[leadline.Store]{
		{"Atomicity", testAtomicity},
		{"Concurrency", testConcurrency},
		{"Context", testContext},
		{"Model", testModel},
	})
}

// RunLeadStore runs the [leadline.LeadStore] contract: Lead, Apply, Seen,
// ClaimDue, ReleaseDue, NextTicket, ReturnTickets and Load. The check that a refused Apply leaves
// the history and the outbox alone needs a whole [leadline.Store]; [Run]
// runs it, as its Atomicity group.
func RunLeadStore(t *testing.T, newStore func(t *testing.T) leadline.LeadStore) {
	t.Helper()
	groups(t, newStore, []group[leadline.LeadStore]{
		{"Lead", testLead},
		{"Apply", testApply},
		{"Seen", testSeen},
		{"ClaimDue", testClaimDue},
		{"NextTicket", testTicket},
		{"Load", testLoad},
	})
}

// RunOutbox runs the [leadline.Outbox] contract: ClaimOutbox, Ack, and
// the failures and dead letters of Fail, DeadLetters and Revive. It takes a whole [leadline.Store] because notifications enter the
// outbox only through [leadline.LeadStore.Apply].
func RunOutbox(t *testing.T, newStore func(t *testing.T) leadline.Store) {
	t.Helper()
	groups(t, newStore, []group[leadline.Store]{
		{"ClaimOutbox", testClaimOutbox},
		{"Fail", testFail},
	})
}

// RunCampaigns runs the [leadline.CampaignStore] contract: Campaign,
// PutCampaign and Campaigns.
func RunCampaigns(t *testing.T, newStore func(t *testing.T) leadline.CampaignStore) {
	t.Helper()
	groups(t, newStore, []group[leadline.CampaignStore]{
		{"Campaigns", testCampaigns},
	})
}

// RunReadStore runs the [leadline.ReadStore] contract: History (with the
// retention of Write.HistorySince and Write.EventsSince) and Leads. It
// takes a whole [leadline.Store] because what it reads is written by
// [leadline.LeadStore.Apply].
func RunReadStore(t *testing.T, newStore func(t *testing.T) leadline.Store) {
	t.Helper()
	groups(t, newStore, []group[leadline.Store]{
		{"History", testHistory},
		{"Retention", testRetention},
		{"Leads", testLeads},
	})
}

// group is a named set of checks on stores of type S.
type group[S any] struct {
	name string
	run  func(t *testing.T, newStore func(t *testing.T) S)
}

// groups runs each group as a subtest. Every store a check makes goes
// through open, so that it is closed when the check ends.
func groups[S any](t *testing.T, newStore func(t *testing.T) S, gs []group[S]) {
	t.Helper()
	for _, g := range gs {
		t.Run(g.name, func(t *testing.T) { g.run(t, newStore) })
	}
}

// open returns a store from newStore that is closed, if it implements
// io.Closer, when t ends.
func open[S any](t *testing.T, newStore func(t *testing.T) S) S {
	t.Helper()
	st := newStore(t)
	t.Cleanup(func() {
		if err := closeStore(st); err != nil {
			t.Errorf("Close() = %v", err)
		}
	})
	return st
}

// closeStore closes st if it implements io.Closer.
func closeStore(st any) error {
	if c, ok := st.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// testAtomicity checks that a write is all or nothing across every part
// of a store: a refused Apply leaves the lead, its history, its deadlines,
// its event ids and the outbox as they were.
func testAtomicity(t *testing.T, newStore func(t *testing.T) leadline.Store) {
	cases(t, newStore, map[string]func(t *testing.T, st leadline.Store){
		"refused write changes nothing": testRefusedWrite,
	})
}

// cases runs each case as a parallel subtest on a fresh store.
func cases[S any](t *testing.T, newStore func(t *testing.T) S, cs map[string]func(t *testing.T, st S)) {
	names := make([]string, 0, len(cs))
	for name := range cs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cs[name](t, open(t, newStore))
		})
	}
}

func testLead(t *testing.T, newStore func(t *testing.T) leadline.LeadStore) {
	cases(t, newStore, map[string]func(t *testing.T, st leadline.LeadStore){
		"unknown id is ErrNotFound": func(t *testing.T, st leadline.LeadStore) {
			_, err := st.Lead(t.Context(), "L-404")
			wantErr(t, "Lead(L-404)", err, leaderr.ErrNotFound)
		},

		"round trip keeps every field": func(t *testing.T, st leadline.LeadStore) {
			want := fullLead("L-1")
			checkFull(t, want, "lead.Lead.Version")
			mustApply(t, st, leadline.Write{Lead: want})
			want.Version = 1
			checkLead(t, "Lead(L-1)", mustLead(t, st, "L-1"), want)
		},

		"round trip keeps zero fields zero": func(t *testing.T, st leadline.LeadStore) {
			want := lead.Lead{ID: "L-1"}
			mustApply(t, st, leadline.Write{Lead: want})
			want.Version = 1
			got := mustLead(t, st, "L-1")
			checkLead(t, "Lead(L-1)", got, want)
			if !got.Created.IsZero() || !got.Track.Due.IsZero() || !got.Request.Closed.IsZero() {
				t.Fatalf("Lead(L-1) has Created %v, Track.Due.Time() %v, Request.Closed %v; want zero instants", got.Created, got.Track.Due.Time(), got.Request.Closed)
			}
		},

		"update replaces every field, set or cleared": func(t *testing.T, st leadline.LeadStore) {
			// Full, then bare, then full again: a store that keeps part of
			// a lead apart (the fields most leads leave zero, say) must
			// clear it and fill it again.
			full := fullLead("L-1")
			mustApply(t, st, leadline.Write{Lead: full})
			bare := newLead("L-1", "rep-2")
			bare.Version = 1
			mustApply(t, st, leadline.Write{Lead: bare})
			bare.Version = 2
			checkLead(t, "Lead(L-1) after a full lead was replaced by a bare one", mustLead(t, st, "L-1"), bare)
			full.Version = 2
			full.Passed = full.Passed[:1]
			mustApply(t, st, leadline.Write{Lead: full})
			full.Version = 3
			checkLead(t, "Lead(L-1) after a bare lead was replaced by a full one", mustLead(t, st, "L-1"), full)
		},

		"returned lead is a copy": func(t *testing.T, st leadline.LeadStore) {
			want := fullLead("L-1")
			mustApply(t, st, leadline.Write{Lead: want})
			want.Version = 1
			got := mustLead(t, st, "L-1")
			got.Passed[0] = "mutated"
			got.Passed = append(got.Passed, "appended")
			got.Responses[0].By = "mutated"
			got.Owner = "mutated"
			checkLead(t, "Lead(L-1) after mutating an earlier result", mustLead(t, st, "L-1"), want)
		},

		"written lead is a copy": func(t *testing.T, st leadline.LeadStore) {
			l := fullLead("L-1")
			want := l.Clone()
			want.Version = 1
			mustApply(t, st, leadline.Write{Lead: l})
			l.Passed[0] = "mutated"
			l.Responses[1].By = "mutated"
			checkLead(t, "Lead(L-1) after mutating the written lead", mustLead(t, st, "L-1"), want)
		},
	})
}

func testApply(t *testing.T, newStore func(t *testing.T) leadline.LeadStore) {
	cases(t, newStore, map[string]func(t *testing.T, st leadline.LeadStore){
		"ApplyBatch writes all or nothing": func(t *testing.T, st leadline.LeadStore) {
			mustApply(t, st, leadline.Write{Lead: newLead("L-1", "rep-1")})
			mustApply(t, st, leadline.Write{Lead: newLead("L-2", "rep-1")})
			one, two := newLead("L-1", "rep-2"), newLead("L-2", "rep-2")
			one.Version, two.Version = 1, 1
			stale := newLead("L-2", "rep-3") // version 0: a conflict
			err := st.ApplyBatch(t.Context(), []leadline.Write{{Lead: one, Event: "imp/L-1"}, {Lead: stale, Event: "imp/L-2"}})
			if !errors.Is(err, leaderr.ErrConflict) {
				t.Fatalf("ApplyBatch with a stale write = %v, want ErrConflict", err)
			}
			if got := mustLead(t, st, "L-1"); got.Version != 1 || got.Owner != "rep-1" {
				t.Fatalf("Lead(L-1) after a refused batch = version %d owner %s, want 1 rep-1", got.Version, got.Owner)
			}
			if _, seen, err := st.Seen(t.Context(), "L-1", "imp/L-1"); err != nil || seen {
				t.Fatalf("Seen(imp/L-1) after a refused batch = %v, %v; want false", seen, err)
			}
			err = st.ApplyBatch(t.Context(), []leadline.Write{{Lead: one}, {Lead: one}})
			if _, ok := errors.AsType[*leaderr.FieldError](err); !ok {
				t.Fatalf("ApplyBatch writing one lead twice = %v, want a FieldError", err)
			}
			if err := st.ApplyBatch(t.Context(), []leadline.Write{{Lead: one, Event: "imp/L-1"}, {Lead: two, Event: "imp/L-2"}}); err != nil {
				t.Fatalf("ApplyBatch = %v, want nil", err)
			}
			for _, id := range []string{"L-1", "L-2"} {
				if got := mustLead(t, st, id); got.Version != 2 || got.Owner != "rep-2" {
					t.Fatalf("Lead(%s) after a batch = version %d owner %s, want 2 rep-2", id, got.Version, got.Owner)
				}
			}
			err = st.ApplyBatch(t.Context(), []leadline.Write{{Lead: mustLead(t, st, "L-1"), Event: "imp/L-1"}})
			if !errors.Is(err, leaderr.ErrDuplicateEvent) {
				t.Fatalf("ApplyBatch repeating an event = %v, want ErrDuplicateEvent", err)
			}
			if err := st.ApplyBatch(t.Context(), nil); err != nil {
				t.Fatalf("ApplyBatch(nil) = %v, want nil", err)
			}
		},

		"create with version 0 stores version 1": func(t *testing.T, st leadline.LeadStore) {
			mustApply(t, st, leadline.Write{Lead: newLead("L-1", "rep-1")})
			if got := mustLead(t, st, "L-1"); got.Version != 1 {
				t.Fatalf("Lead(L-1).Version = %d after create, want 1", got.Version)
			}
		},

		"create of an existing lead is ErrConflict": func(t *testing.T, st leadline.LeadStore) {
			mustCreate(t, st, newLead("L-1", "rep-1"))
			err := st.Apply(t.Context(), leadline.Write{Lead: newLead("L-1", "rep-2")})
			wantErr(t, "Apply(create L-1 again)", err, leaderr.ErrConflict)
			if got := mustLead(t, st, "L-1"); got.Owner != "rep-1" || got.Version != 1 {
				t.Fatalf("Lead(L-1) = owner %q version %d, want rep-1 version 1", got.Owner, got.Version)
			}
		},

		"update with the read version stores version+1 and the new state": func(t *testing.T, st leadline.LeadStore) {
			l := mustCreate(t, st, newLead("L-1", "rep-1"))
			for want := int64(2); want <= 4; want++ {
				l.Owner = fmt.Sprintf("rep-%d", want)
				mustApply(t, st, leadline.Write{Lead: l})
				l.Version = want
				checkLead(t, "Lead(L-1)", mustLead(t, st, "L-1"), l)
			}
		},

		"update with a stale version is ErrConflict": func(t *testing.T, st leadline.LeadStore) {
			l := mustCreate(t, st, newLead("L-1", "rep-1"))
			mustApply(t, st, leadline.Write{Lead: l}) // version 2
			for _, v := range []int64{0, 1, 3, -1} {
				l.Version = v
				err := st.Apply(t.Context(), leadline.Write{Lead: l})
				wantErr(t, fmt.Sprintf("Apply(L-1 read at version %d, stored 2)", v), err, leaderr.ErrConflict)
			}
			if got := mustLead(t, st, "L-1"); got.Version != 2 {
				t.Fatalf("Lead(L-1).Version = %d, want 2", got.Version)
			}
		},

		"update of an unknown lead is ErrConflict": func(t *testing.T, st leadline.LeadStore) {
			l := newLead("L-1", "rep-1")
			l.Version = 3
			err := st.Apply(t.Context(), leadline.Write{Lead: l})
			wantErr(t, "Apply(L-1 read at version 3, not stored)", err, leaderr.ErrConflict)
			_, err = st.Lead(t.Context(), "L-1")
			wantErr(t, "Lead(L-1) after a refused update", err, leaderr.ErrNotFound)
		},

		"Apply leaves the write as it was": func(t *testing.T, st leadline.LeadStore) {
			n := note("n-1", "L-1")
			n.Attempts = 3
			w := leadline.Write{
				Event:     "ev-1",
				Lead:      fullLead("L-1"),
				History:   []lead.Change{change("L-1", "ev-1", lead.FieldLead, "", "recycled", t0)},
				Deadlines: []lead.Deadline{deadline("L-1", lead.DeadlineCadence, at(time.Hour))},
				Outbox:    []leadline.Notification{n, n},
			}
			want := w
			want.Lead = w.Lead.Clone()
			want.History = slices.Clone(w.History)
			want.Deadlines = slices.Clone(w.Deadlines)
			want.Outbox = slices.Clone(w.Outbox)
			mustApply(t, st, w)
			if d := diff(w, want); d != "" {
				t.Fatalf("Apply changed the write it was given:%s", d)
			}
		},
	})
}

// testRefusedWrite checks that a write refused with ErrConflict or
// ErrDuplicateEvent leaves the lead, its history, its deadlines and their
// claims, the outbox, the seen event ids and the load as they were.
func testRefusedWrite(t *testing.T, st leadline.Store) {
	ctx := t.Context()
	l := newLead("L-1", "rep-1")
	l.Track = running(stage.Stage1)
	first := leadline.Write{
		Event:     "ev-1",
		Lead:      l,
		History:   []lead.Change{change("L-1", "ev-1", lead.FieldLead, "", "lead", t0)},
		Deadlines: []lead.Deadline{deadline("L-1", lead.DeadlineCadence, at(time.Hour))},
		Outbox:    []leadline.Notification{note("n-1", "L-1")},
	}
	mustApply(t, st, first)
	// An unrelated event id, to tell "nothing recorded" from "nothing at
	// all".
	mustApply(t, st, leadline.Write{Event: "ev-other", Lead: newLead("L-2", "rep-2")})
	// Claim the deadline: a refused write must not end the claim.
	now := at(2 * time.Hour)
	if got := mustClaimDue(t, st, now, lease, 10); len(got) != 1 {
		t.Fatalf("ClaimDue = %s, want L-1's deadline", deadlines(got))
	}

	stored := l
	stored.Version = 1
	refused := func(event string, version int64) leadline.Write {
		changed := l
		changed.Version = version
		changed.Owner = "rep-9"
		changed.Track = stage.Track{}
		return leadline.Write{
			Event:     event,
			Lead:      changed,
			History:   []lead.Change{change("L-1", event, lead.FieldOwner, "rep-1", "rep-9", at(time.Hour))},
			Deadlines: []lead.Deadline{deadline("L-1", lead.DeadlineRequest, at(-time.Hour))},
			Outbox:    []leadline.Notification{note("n-2", "L-1")},
		}
	}
	for _, c := range []struct {
		name    string
		w       leadline.Write
		wantErr error
	}{
		{"stale version", refused("ev-2", 0), leaderr.ErrConflict},
		{"newer version", refused("ev-2", 2), leaderr.ErrConflict},
		{"duplicate event of the lead itself", refused("ev-1", 1), leaderr.ErrDuplicateEvent},
	} {
		err := st.Apply(ctx, c.w)
		wantErr(t, fmt.Sprintf("Apply(%s)", c.name), err, c.wantErr)
	}

	checkLead(t, "Lead(L-1) after refused writes", mustLead(t, st, "L-1"), stored)
	checkHistory(t, "History(L-1) after refused writes", mustHistory(t, st, "L-1"), first.History)
	if mustSeen(t, st, "L-1", "ev-2") {
		t.Fatal("Seen(ev-2) = true after refused writes, want false")
	}
	if got := mustLoad(t, st, "rep-1", "rep-9"); !slices.Equal(got, []int{1, 0}) {
		t.Fatalf("Load(rep-1, rep-9) = %v after refused writes, want [1 0]", got)
	}
	// The claim still holds, and the refused write's deadline is absent.
	if got := mustClaimDue(t, st, now, lease, 10); len(got) != 0 {
		t.Fatalf("ClaimDue during the claim = %s after refused writes, want none", deadlines(got))
	}
	checkDeadlines(t, "ClaimDue after the claim", mustClaimDue(t, st, now.Add(lease), lease, 10), first.Deadlines)
	checkNotes(t, "ClaimOutbox after refused writes", mustClaimOutbox(t, st, now, lease, 10), first.Outbox)
}

func testSeen(t *testing.T, newStore func(t *testing.T) leadline.LeadStore) {
	cases(t, newStore, map[string]func(t *testing.T, st leadline.LeadStore){
		"Seen is false before the write and true after": func(t *testing.T, st leadline.LeadStore) {
			if mustSeen(t, st, "L-1", "ev-1") {
				t.Fatal("Seen(ev-1) = true on an empty store")
			}
			mustApply(t, st, leadline.Write{Event: "ev-1", Lead: newLead("L-1", "rep-1")})
			if !mustSeen(t, st, "L-1", "ev-1") {
				t.Fatal("Seen(ev-1) = false after a write with it")
			}
			if mustSeen(t, st, "L-1", "ev-2") {
				t.Fatal("Seen(ev-2) = true, never written")
			}
		},

		"Seen returns the print the id was written with, every bit of it (E2)": func(t *testing.T, st leadline.LeadStore) {
			const big = 1<<64 - 1 - 12345 // beyond int64: a store keeping a signed column must not lose the sign bit
			mustApply(t, st, leadline.Write{Event: "ev-1", Print: big, Events: []string{"ev-2", "ev-3"}, Prints: []uint64{7, 0},
				Lead: newLead("L-1", "rep-1")})
			l := mustLead(t, st, "L-1")
			mustApply(t, st, leadline.Write{Event: "ev-4", Events: []string{"ev-5"}, Lead: l}) // no prints: zero
			for ev, want := range map[string]uint64{"ev-1": big, "ev-2": 7, "ev-3": 0, "ev-4": 0, "ev-5": 0} {
				if got, ok := mustPrint(t, st, "L-1", ev); !ok || got != want {
					t.Errorf("Seen(L-1, %s) = %d, %v; want %d, true", ev, got, ok, want)
				}
			}
			err := st.Apply(t.Context(), leadline.Write{Event: "ev-6", Events: []string{"ev-7"}, Prints: []uint64{1, 2}, Lead: mustLead(t, st, "L-1")})
			if _, ok := errors.AsType[*leaderr.FieldError](err); !ok {
				t.Fatalf("Apply with more prints than events = %v, want a FieldError", err)
			}
		},

		"duplicate event is ErrDuplicateEvent and writes nothing": func(t *testing.T, st leadline.LeadStore) {
			l := mustCreate(t, st, newLead("L-1", "rep-1"))
			mustApply(t, st, leadline.Write{Event: "ev-1", Lead: l})
			l.Version = 2
			l.Owner = "rep-2"
			err := st.Apply(t.Context(), leadline.Write{
				Event:   "ev-1",
				Lead:    l,
				History: []lead.Change{change("L-1", "ev-1", lead.FieldOwner, "rep-1", "rep-2", t0)},
			})
			wantErr(t, "Apply(ev-1 again)", err, leaderr.ErrDuplicateEvent)
			if got := mustLead(t, st, "L-1"); got.Version != 2 || got.Owner != "rep-1" {
				t.Fatalf("Lead(L-1) = version %d owner %q, want version 2 owner rep-1", got.Version, got.Owner)
			}
			if full, ok := st.(leadline.Store); ok {
				if h := mustHistory(t, full, "L-1"); len(h) != 0 {
					t.Fatalf("History(L-1) has %d entries, want none", len(h))
				}
			}
		},

		"event ids are per lead: the same id on another lead is another event": func(t *testing.T, st leadline.LeadStore) {
			mustApply(t, st, leadline.Write{Event: "ev-1", Lead: newLead("L-1", "rep-1")})
			if mustSeen(t, st, "L-2", "ev-1") {
				t.Fatal("Seen(L-2, ev-1) = true; L-1 recorded it")
			}
			mustApply(t, st, leadline.Write{Event: "ev-1", Lead: newLead("L-2", "rep-1")})
			if !mustSeen(t, st, "L-2", "ev-1") || !mustSeen(t, st, "L-1", "ev-1") {
				t.Fatal("Seen(ev-1) = false for a lead that recorded it")
			}
		},

		"duplicate event is reported even when the version is stale": func(t *testing.T, st leadline.LeadStore) {
			l := newLead("L-1", "rep-1")
			mustApply(t, st, leadline.Write{Event: "ev-1", Lead: l})
			// A redelivered create: version 0 is stale now, but the event
			// was handled, which is what the caller needs to know.
			err := st.Apply(t.Context(), leadline.Write{Event: "ev-1", Lead: l})
			wantErr(t, "Apply(ev-1 again at version 0)", err, leaderr.ErrDuplicateEvent)
		},

		"empty event is never recorded": func(t *testing.T, st leadline.LeadStore) {
			l := mustCreate(t, st, newLead("L-1", "rep-1"))
			mustApply(t, st, leadline.Write{Lead: l})
			if mustSeen(t, st, "L-1", "") {
				t.Fatal(`Seen("") = true, want false: "" is a change caused by a deadline`)
			}
		},

		"Events are recorded with Event and refused as duplicates as it is (E2, E9)": func(t *testing.T, st leadline.LeadStore) {
			l := mustCreate(t, st, newLead("L-1", "rep-1"))
			mustApply(t, st, leadline.Write{Event: "ev-1", Lead: l})
			l.Version = 2
			l.Owner = "rep-2"
			// A duplicate among Events refuses the whole write.
			err := st.Apply(t.Context(), leadline.Write{
				Event:   "ev-2",
				Events:  []string{"ev-3", "ev-1"},
				Lead:    l,
				History: []lead.Change{change("L-1", "ev-2", lead.FieldOwner, "rep-1", "rep-2", t0)},
			})
			wantErr(t, "Apply(ev-2, events ev-3 ev-1)", err, leaderr.ErrDuplicateEvent)
			if got := mustLead(t, st, "L-1"); got.Version != 2 || got.Owner != "rep-1" {
				t.Fatalf("Lead(L-1) = version %d owner %q after a refused batch, want version 2 owner rep-1", got.Version, got.Owner)
			}
			for _, ev := range []string{"ev-2", "ev-3"} {
				if mustSeen(t, st, "L-1", ev) {
					t.Fatalf("Seen(%s) = true after the write was refused", ev)
				}
			}
			// Every id of an accepted write is seen afterwards.
			mustApply(t, st, leadline.Write{Event: "ev-2", Events: []string{"ev-3", "ev-4"}, Lead: l})
			for _, ev := range []string{"ev-1", "ev-2", "ev-3", "ev-4"} {
				if !mustSeen(t, st, "L-1", ev) {
					t.Fatalf("Seen(%s) = false after a write with it", ev)
				}
			}
			// A later write with any of them is a duplicate, as Event or
			// among Events.
			l.Version = 3
			for _, w := range []leadline.Write{
				{Event: "ev-3", Lead: l},
				{Event: "ev-5", Events: []string{"ev-4"}, Lead: l},
			} {
				err := st.Apply(t.Context(), w)
				wantErr(t, fmt.Sprintf("Apply(%s, events %v)", w.Event, w.Events), err, leaderr.ErrDuplicateEvent)
			}
			if mustSeen(t, st, "L-1", "ev-5") {
				t.Fatal("Seen(ev-5) = true after the write was refused")
			}
			// A write repeating an id within itself is bad input.
			err = st.Apply(t.Context(), leadline.Write{Event: "ev-6", Events: []string{"ev-7", "ev-6"}, Lead: l})
			if _, ok := errors.AsType[*leaderr.FieldError](err); !ok {
				t.Fatalf("Apply(ev-6, events ev-7 ev-6) = %v, want a *FieldError", err)
			}
			if got := mustLead(t, st, "L-1"); got.Version != 3 {
				t.Fatalf("Lead(L-1) = version %d after refused writes, want 3", got.Version)
			}
		},

		"event of a refused write is not recorded": func(t *testing.T, st leadline.LeadStore) {
			mustCreate(t, st, newLead("L-1", "rep-1"))
			err := st.Apply(t.Context(), leadline.Write{Event: "ev-1", Lead: newLead("L-1", "rep-1")})
			wantErr(t, "Apply(create L-1 again)", err, leaderr.ErrConflict)
			if mustSeen(t, st, "L-1", "ev-1") {
				t.Fatal("Seen(ev-1) = true after the write was refused")
			}
			l := mustLead(t, st, "L-1")
			mustApply(t, st, leadline.Write{Event: "ev-1", Lead: l})
		},
	})
}

func testHistory(t *testing.T, newStore func(t *testing.T) leadline.Store) {
	cases(t, newStore, map[string]func(t *testing.T, st leadline.Store){
		"unknown lead has an empty history": func(t *testing.T, st leadline.Store) {
			if h := mustHistory(t, st, "L-404"); len(h) != 0 {
				t.Fatalf("History(L-404) = %v, want empty", h)
			}
		},

		"lead written without changes has an empty history": func(t *testing.T, st leadline.Store) {
			mustCreate(t, st, newLead("L-1", "rep-1"))
			if h := mustHistory(t, st, "L-1"); len(h) != 0 {
				t.Fatalf("History(L-1) = %v, want empty", h)
			}
		},

		"history is appended in write order": func(t *testing.T, st leadline.Store) {
			var want []lead.Change
			l := newLead("L-1", "rep-1")
			other := newLead("L-2", "rep-1")
			for i := range 4 {
				// Later writes carry earlier instants: the order is the
				// order of writing, not of At.
				when := at(time.Duration(10-i) * time.Hour)
				hs := []lead.Change{
					change("L-1", fmt.Sprintf("ev-%d", i), lead.FieldStatus, "new", "lead", when),
					change("L-1", fmt.Sprintf("ev-%d", i), lead.FieldStage, "untouched", "stage1", when),
				}
				hs[1].Actor, hs[1].Rule, hs[1].Reason = lead.ActorEngine, "T9", ""
				mustApply(t, st, leadline.Write{Lead: l, History: hs[:i%2+1]})
				want = append(want, hs[:i%2+1]...)
				l.Version++
				// Another lead's history interleaves and stays its own.
				mustApply(t, st, leadline.Write{Lead: other, History: []lead.Change{change("L-2", "", lead.FieldOwner, "", "rep-1", when)}})
				other.Version++
			}
			checkHistory(t, "History(L-1)", mustHistory(t, st, "L-1"), want)
			if h := mustHistory(t, st, "L-2"); len(h) != 4 {
				t.Fatalf("History(L-2) has %d entries, want 4", len(h))
			}
		},

		"history is copied in and out": func(t *testing.T, st leadline.Store) {
			hs := []lead.Change{change("L-1", "ev-1", lead.FieldLead, "", "new", t0)}
			want := slices.Clone(hs)
			mustApply(t, st, leadline.Write{Lead: newLead("L-1", "rep-1"), History: hs})
			hs[0].To = "mutated"
			got := mustHistory(t, st, "L-1")
			checkHistory(t, "History(L-1) after mutating the written history", got, want)
			got[0].To = "mutated"
			checkHistory(t, "History(L-1) after mutating an earlier result", mustHistory(t, st, "L-1"), want)
		},
	})
}

// schedule writes lead id with deadlines ds, creating it if needed, and
// returns its new version.
func schedule(tb testing.TB, st leadline.LeadStore, id string, version int64, ds ...lead.Deadline) int64 {
	tb.Helper()
	l := newLead(id, "rep-1")
	l.Version = version
	mustApply(tb, st, leadline.Write{Lead: l, Deadlines: ds})
	return version + 1
}

func testClaimDue(t *testing.T, newStore func(t *testing.T) leadline.LeadStore) {
	cases(t, newStore, map[string]func(t *testing.T, st leadline.LeadStore){
		"nothing scheduled claims nothing": func(t *testing.T, st leadline.LeadStore) {
			checkDeadlines(t, "ClaimDue", mustClaimDue(t, st, at(far), lease, 10), nil)
		},

		"KeepDeadlines keeps the deadlines and their claims": func(t *testing.T, st leadline.LeadStore) {
			now := at(time.Hour)
			d := deadline("L-1", lead.DeadlineCadence, at(0))
			v := schedule(t, st, "L-1", 0, d)
			checkDeadlines(t, "ClaimDue(now)", mustClaimDue(t, st, now, lease, 10), []lead.Deadline{d})
			l := mustLead(t, st, "L-1")
			l.Owner = "rep-2"
			other := deadline("L-1", lead.DeadlineCadence, at(day))
			mustApply(t, st, leadline.Write{Lead: l, KeepDeadlines: true, Deadlines: []lead.Deadline{other}})
			if got := mustLead(t, st, "L-1").Version; got != v+1 {
				t.Fatalf("version after a KeepDeadlines write = %d, want %d", got, v+1)
			}
			checkDeadlines(t, "ClaimDue(now) while the claim stands", mustClaimDue(t, st, now, lease, 10), nil)
			checkDeadlines(t, "ClaimDue(now+lease)", mustClaimDue(t, st, now.Add(lease), lease, 10), []lead.Deadline{d})
		},

		"ReleaseDue ends claims at once and ignores what is not claimed": func(t *testing.T, st leadline.LeadStore) {
			now := at(time.Hour)
			d1 := deadline("L-1", lead.DeadlineCadence, at(0))
			d2 := deadline("L-2", lead.DeadlineCadence, at(time.Minute))
			d3 := deadline("L-3", lead.DeadlineCadence, at(2*time.Minute))
			schedule(t, st, "L-1", 0, d1)
			schedule(t, st, "L-2", 0, d2)
			schedule(t, st, "L-3", 0, d3)
			checkDeadlines(t, "ClaimDue(limit 2)", mustClaimDue(t, st, now, lease, 2), []lead.Deadline{d1, d2})
			stale := deadline("L-2", lead.DeadlineCadence, at(time.Hour)) // another Due: not that claim
			if err := st.ReleaseDue(t.Context(), []lead.Deadline{d1, stale, d3, deadline("L-404", lead.DeadlineCadence, at(0))}); err != nil {
				t.Fatalf("ReleaseDue = %v, want nil", err)
			}
			checkDeadlines(t, "ClaimDue after ReleaseDue (E5 order)", mustClaimDue(t, st, now, lease, 10), []lead.Deadline{d1, d3})
			if err := st.ReleaseDue(t.Context(), nil); err != nil {
				t.Fatalf("ReleaseDue(nil) = %v, want nil", err)
			}
		},

		"only deadlines due strictly before now are claimed": func(t *testing.T, st leadline.LeadStore) {
			now := at(time.Hour)
			early := deadline("L-1", lead.DeadlineCadence, now.Add(-time.Microsecond))
			schedule(t, st, "L-1", 0, early)
			schedule(t, st, "L-2", 0, deadline("L-2", lead.DeadlineCadence, now))
			schedule(t, st, "L-3", 0, deadline("L-3", lead.DeadlineCadence, now.Add(time.Microsecond)))
			checkDeadlines(t, "ClaimDue(now)", mustClaimDue(t, st, now, lease, 10), []lead.Deadline{early})
		},

		"due deadlines come in (Due, Lead, Kind) order across leads": func(t *testing.T, st leadline.LeadStore) {
			t1, t2, t3 := at(time.Hour), at(2*time.Hour), at(3*time.Hour)
			// Written in an order that is none of the sorted ones; ties on
			// Due with different leads and with different kinds; instants a
			// microsecond apart that lead order would put the other way.
			writes := map[string][]lead.Deadline{
				"L-b": {deadline("L-b", lead.DeadlineRequest, t1), deadline("L-b", lead.DeadlineCadence, t2)},
				"L-c": {deadline("L-c", lead.DeadlineCadence, t1)},
				"L-a": {deadline("L-a", lead.DeadlineRequest, t2), deadline("L-a", lead.DeadlineCadence, t2)},
				"L-d": {deadline("L-d", lead.DeadlineCadence, t3)},
				"L-0": {deadline("L-0", lead.DeadlineRequest, t3.Add(-time.Microsecond)), deadline("L-0", lead.DeadlineCadence, t1.Add(time.Microsecond))},
			}
			for _, id := range []string{"L-c", "L-a", "L-d", "L-b", "L-0"} {
				schedule(t, st, id, 0, writes[id]...)
			}
			want := []lead.Deadline{
				deadline("L-b", lead.DeadlineRequest, t1),
				deadline("L-c", lead.DeadlineCadence, t1),
				deadline("L-0", lead.DeadlineCadence, t1.Add(time.Microsecond)),
				deadline("L-a", lead.DeadlineCadence, t2),
				deadline("L-a", lead.DeadlineRequest, t2),
				deadline("L-b", lead.DeadlineCadence, t2),
				deadline("L-0", lead.DeadlineRequest, t3.Add(-time.Microsecond)),
				deadline("L-d", lead.DeadlineCadence, t3),
			}
			checkDeadlines(t, "ClaimDue", mustClaimDue(t, st, at(far), lease, 10), want)
		},

		"limit caps a claim and the next claim continues in order": func(t *testing.T, st leadline.LeadStore) {
			var want []lead.Deadline
			for i := range 5 {
				id := fmt.Sprintf("L-%d", i)
				d := deadline(id, lead.DeadlineCadence, at(time.Duration(i)*time.Minute))
				schedule(t, st, id, 0, d)
				want = append(want, d)
			}
			now := at(time.Hour)
			checkDeadlines(t, "ClaimDue(limit 2)", mustClaimDue(t, st, now, lease, 2), want[:2])
			checkDeadlines(t, "second ClaimDue(limit 2)", mustClaimDue(t, st, now, lease, 2), want[2:4])
			checkDeadlines(t, "third ClaimDue(limit 2)", mustClaimDue(t, st, now, lease, 2), want[4:])
			checkDeadlines(t, "fourth ClaimDue(limit 2)", mustClaimDue(t, st, now, lease, 2), nil)
		},

		"claimed deadline is skipped until now+lease": func(t *testing.T, st leadline.LeadStore) {
			a := deadline("L-1", lead.DeadlineCadence, at(0))
			b := deadline("L-2", lead.DeadlineCadence, at(time.Minute))
			schedule(t, st, "L-1", 0, a)
			now := at(time.Hour)
			checkDeadlines(t, "ClaimDue", mustClaimDue(t, st, now, lease, 10), []lead.Deadline{a})
			// A deadline scheduled during the claim is claimed on its own.
			schedule(t, st, "L-2", 0, b)
			checkDeadlines(t, "ClaimDue during the claim", mustClaimDue(t, st, now.Add(time.Second), lease, 10), []lead.Deadline{b})
			checkDeadlines(t, "ClaimDue just before now+lease", mustClaimDue(t, st, now.Add(lease-time.Microsecond), lease, 10), nil)
			checkDeadlines(t, "ClaimDue at now+lease", mustClaimDue(t, st, now.Add(lease), lease, 10), []lead.Deadline{a})
			checkDeadlines(t, "ClaimDue at the end of both claims", mustClaimDue(t, st, now.Add(3*lease), lease, 10), []lead.Deadline{a, b})
		},

		"Apply of the lead ends the claim": func(t *testing.T, st leadline.LeadStore) {
			d := deadline("L-1", lead.DeadlineCadence, at(0))
			v := schedule(t, st, "L-1", 0, d)
			other := deadline("L-2", lead.DeadlineCadence, at(0))
			schedule(t, st, "L-2", 0, other)
			now := at(time.Hour)
			checkDeadlines(t, "ClaimDue", mustClaimDue(t, st, now, lease, 10), []lead.Deadline{d, other})
			// The same deadline written again is a new one: claimable at
			// once. The other lead's claim holds.
			schedule(t, st, "L-1", v, d)
			checkDeadlines(t, "ClaimDue after Apply(L-1)", mustClaimDue(t, st, now, lease, 10), []lead.Deadline{d})
		},

		"Apply replaces the lead's deadlines": func(t *testing.T, st leadline.LeadStore) {
			v := schedule(t, st, "L-1", 0,
				deadline("L-1", lead.DeadlineCadence, at(time.Hour)),
				deadline("L-1", lead.DeadlineRequest, at(2*time.Hour)))
			other := deadline("L-2", lead.DeadlineCadence, at(3*time.Hour))
			schedule(t, st, "L-2", 0, other)
			next := deadline("L-1", lead.DeadlineCadence, at(4*time.Hour))
			schedule(t, st, "L-1", v, next)
			checkDeadlines(t, "ClaimDue", mustClaimDue(t, st, at(far), lease, 10), []lead.Deadline{other, next})
		},

		"Apply with no deadlines drops the lead's": func(t *testing.T, st leadline.LeadStore) {
			v := schedule(t, st, "L-1", 0,
				deadline("L-1", lead.DeadlineCadence, at(time.Hour)),
				deadline("L-1", lead.DeadlineRequest, at(2*time.Hour)))
			now := at(day)
			mustClaimDue(t, st, now, lease, 1) // a claimed one goes too
			schedule(t, st, "L-1", v)
			checkDeadlines(t, "ClaimDue", mustClaimDue(t, st, at(far), lease, 10), nil)
		},

		"a lead may have any number of deadlines": func(t *testing.T, st leadline.LeadStore) {
			// The engine writes at most two; the contract sets no limit.
			many := func(n int, base time.Duration) []lead.Deadline {
				ds := make([]lead.Deadline, n)
				for i := range ds {
					ds[i] = deadline("L-1", lead.DeadlineCadence, at(base+time.Duration(i)*time.Minute))
				}
				return ds
			}
			v := schedule(t, st, "L-1", 0, many(5, 0)...)
			now := at(time.Hour)
			checkDeadlines(t, "ClaimDue(limit 2)", mustClaimDue(t, st, now, lease, 2), many(5, 0)[:2])
			v = schedule(t, st, "L-1", v, many(3, 10*time.Minute)...)
			checkDeadlines(t, "ClaimDue after rescheduling to three", mustClaimDue(t, st, now, lease, 10), many(3, 10*time.Minute))
			v = schedule(t, st, "L-1", v, many(1, 20*time.Minute)...)
			schedule(t, st, "L-1", v, many(4, 30*time.Minute)...)
			checkDeadlines(t, "ClaimDue after rescheduling to one, then four", mustClaimDue(t, st, now, lease, 10), many(4, 30*time.Minute))
		},

		"claimed deadlines are returned as written": func(t *testing.T, st leadline.LeadStore) {
			d := deadline("L-1", lead.DeadlineRequest, at(time.Hour+123456*time.Microsecond))
			ds := []lead.Deadline{d}
			schedule(t, st, "L-1", 0, ds...)
			ds[0].Lead = "mutated"
			got := mustClaimDue(t, st, at(day), lease, 10)
			checkDeadlines(t, "ClaimDue", got, []lead.Deadline{d})
			if got[0].Key() != d.Key() {
				t.Fatalf("ClaimDue()[0].Key() = %s, want %s", got[0].Key(), d.Key())
			}
			got[0].Lead, got[0].Due = "mutated", t0
			checkDeadlines(t, "ClaimDue after the lease and a mutated result", mustClaimDue(t, st, at(day).Add(lease), lease, 10), []lead.Deadline{d})
		},
	})
}

// enqueue writes lead id with notifications ns, creating it if needed,
// and returns its new version.
func enqueue(tb testing.TB, st leadline.Store, id string, version int64, ns ...leadline.Notification) int64 {
	tb.Helper()
	l := newLead(id, "rep-1")
	l.Version = version
	mustApply(tb, st, leadline.Write{Lead: l, Outbox: ns})
	return version + 1
}

// attempted returns n with Attempts set.
func attempted(n leadline.Notification, attempts int) leadline.Notification {
	n.Attempts = attempts
	return n
}

func testClaimOutbox(t *testing.T, newStore func(t *testing.T) leadline.Store) {
	cases(t, newStore, map[string]func(t *testing.T, st leadline.Store){
		"empty outbox claims nothing": func(t *testing.T, st leadline.Store) {
			checkNotes(t, "ClaimOutbox", mustClaimOutbox(t, st, t0, lease, 10), nil)
		},

		"notifications come oldest first, up to limit": func(t *testing.T, st leadline.Store) {
			n1, n2, n3, n4 := note("n-b", "L-1"), note("n-a", "L-1"), note("n-d", "L-2"), note("n-c", "L-1")
			v := enqueue(t, st, "L-1", 0, n1, n2)
			enqueue(t, st, "L-2", 0, n3)
			enqueue(t, st, "L-1", v, n4)
			now := at(time.Hour)
			checkNotes(t, "ClaimOutbox(limit 3)", mustClaimOutbox(t, st, now, lease, 3), []leadline.Notification{n1, n2, n3})
			checkNotes(t, "second ClaimOutbox(limit 3)", mustClaimOutbox(t, st, now, lease, 3), []leadline.Notification{n4})
			checkNotes(t, "third ClaimOutbox(limit 3)", mustClaimOutbox(t, st, now, lease, 3), nil)
		},

		"claimed notification is hidden until now+lease, then claimed again with Attempts": func(t *testing.T, st leadline.Store) {
			n := note("n-1", "L-1")
			n.Attempts = 7 // set by the store, not the writer
			enqueue(t, st, "L-1", 0, n)
			now := at(time.Hour)
			checkNotes(t, "ClaimOutbox", mustClaimOutbox(t, st, now, lease, 10), []leadline.Notification{attempted(n, 0)})
			checkNotes(t, "ClaimOutbox just before now+lease", mustClaimOutbox(t, st, now.Add(lease-time.Microsecond), lease, 10), nil)
			now = now.Add(lease)
			checkNotes(t, "ClaimOutbox at now+lease", mustClaimOutbox(t, st, now, lease, 10), []leadline.Notification{attempted(n, 1)})
			now = now.Add(lease)
			checkNotes(t, "third ClaimOutbox", mustClaimOutbox(t, st, now, 2*lease, 10), []leadline.Notification{attempted(n, 2)})
			checkNotes(t, "ClaimOutbox during a longer lease", mustClaimOutbox(t, st, now.Add(lease), lease, 10), nil)
		},

		"ReleaseOutbox, where a store offers it, ends this claim uncounted and no other": func(t *testing.T, st leadline.Store) {
			r, ok := st.(interface {
				ReleaseOutbox(ctx context.Context, keys []string, until time.Time) error
			})
			if !ok {
				return // optional: a Deliver cut short then leaves its claims to lapse (E4)
			}
			n1, n2, n3 := note("n-1", "L-1"), note("n-2", "L-1"), note("n-3", "L-1")
			enqueue(t, st, "L-1", 0, n1, n2, n3)
			now := at(time.Hour)
			checkNotes(t, "ClaimOutbox", mustClaimOutbox(t, st, now, lease, 10), []leadline.Notification{n1, n2, n3})
			// n-1's claim ends at another instant (claimed again since),
			// n-9 is unknown: both are left alone.
			if err := r.ReleaseOutbox(t.Context(), []string{"n-2", "n-3", "n-9"}, now.Add(lease)); err != nil {
				t.Fatalf("ReleaseOutbox = %v", err)
			}
			if err := r.ReleaseOutbox(t.Context(), []string{"n-1"}, now.Add(lease+time.Second)); err != nil {
				t.Fatalf("ReleaseOutbox = %v", err)
			}
			checkNotes(t, "ClaimOutbox after the release", mustClaimOutbox(t, st, now, lease, 10), []leadline.Notification{n2, n3})
			checkNotes(t, "ClaimOutbox after the leases", mustClaimOutbox(t, st, now.Add(lease), lease, 10),
				[]leadline.Notification{attempted(n1, 1), attempted(n2, 1), attempted(n3, 1)})
		},

		"notifications claimed again keep their place": func(t *testing.T, st leadline.Store) {
			n1, n2, n3 := note("n-1", "L-1"), note("n-2", "L-1"), note("n-3", "L-1")
			enqueue(t, st, "L-1", 0, n1, n2, n3)
			now := at(time.Hour)
			checkNotes(t, "ClaimOutbox(limit 1)", mustClaimOutbox(t, st, now, lease, 1), []leadline.Notification{n1})
			checkNotes(t, "ClaimOutbox(limit 1) at +1s", mustClaimOutbox(t, st, now.Add(time.Second), lease, 1), []leadline.Notification{n2})
			checkNotes(t, "ClaimOutbox after both leases", mustClaimOutbox(t, st, now.Add(2*lease), lease, 10),
				[]leadline.Notification{attempted(n1, 1), attempted(n2, 1), n3})
		},

		"Ack removes by key and ignores unknown keys": func(t *testing.T, st leadline.Store) {
			n1, n2, n3 := note("n-1", "L-1"), note("n-2", "L-1"), note("n-3", "L-1")
			enqueue(t, st, "L-1", 0, n1, n2, n3)
			now := at(time.Hour)
			mustClaimOutbox(t, st, now, lease, 2)
			mustAck(t, st, "n-1", "n-404")
			mustAck(t, st, "n-3") // never claimed: removed all the same
			mustAck(t, st)
			checkNotes(t, "ClaimOutbox after Ack", mustClaimOutbox(t, st, now.Add(lease), lease, 10), []leadline.Notification{attempted(n2, 1)})
			mustAck(t, st, "n-2", "n-2")
			checkNotes(t, "ClaimOutbox after acking all", mustClaimOutbox(t, st, at(far), lease, 10), nil)
		},

		"a pending key in a later write is skipped": func(t *testing.T, st leadline.Store) {
			n := note("n-1", "L-1")
			again := n
			again.Detail = "the second one"
			other := note("n-2", "L-1")
			v := enqueue(t, st, "L-1", 0, n)
			now := at(time.Hour)
			checkNotes(t, "ClaimOutbox", mustClaimOutbox(t, st, now, lease, 10), []leadline.Notification{n})
			// Pending though claimed: the write's other notification goes
			// in, its duplicate does not.
			v = enqueue(t, st, "L-1", v, again, other)
			enqueue(t, st, "L-1", v, again)
			checkNotes(t, "ClaimOutbox after the lease", mustClaimOutbox(t, st, now.Add(lease), lease, 10), []leadline.Notification{attempted(n, 1), other})
		},

		"a key repeated within one write is kept once": func(t *testing.T, st leadline.Store) {
			n := note("n-1", "L-1")
			again := n
			again.Detail = "the second one"
			enqueue(t, st, "L-1", 0, n, again)
			checkNotes(t, "ClaimOutbox", mustClaimOutbox(t, st, at(time.Hour), lease, 10), []leadline.Notification{n})
		},

		"an acknowledged key may be written again": func(t *testing.T, st leadline.Store) {
			n := note("n-1", "L-1")
			v := enqueue(t, st, "L-1", 0, n)
			mustAck(t, st, "n-1")
			enqueue(t, st, "L-1", v, n)
			checkNotes(t, "ClaimOutbox", mustClaimOutbox(t, st, at(time.Hour), lease, 10), []leadline.Notification{n})
		},

		"outbox is copied in and out": func(t *testing.T, st leadline.Store) {
			n := note("n-1", "L-1")
			ns := []leadline.Notification{n}
			enqueue(t, st, "L-1", 0, ns...)
			ns[0].Detail = "mutated"
			now := at(time.Hour)
			got := mustClaimOutbox(t, st, now, lease, 10)
			checkNotes(t, "ClaimOutbox", got, []leadline.Notification{n})
			got[0].Detail, got[0].Key = "mutated", "mutated"
			checkNotes(t, "ClaimOutbox after the lease and a mutated result", mustClaimOutbox(t, st, now.Add(lease), lease, 10), []leadline.Notification{attempted(n, 1)})
		},
	})
}

// mustFail records a failed delivery.
func mustFail(tb testing.TB, st leadline.Outbox, f leadline.DeliveryFailure) {
	tb.Helper()
	if err := st.Fail(tb.Context(), f); err != nil {
		tb.Fatalf("Fail(%q) = %v, want nil", f.Key, err)
	}
}

// mustDeadLetters returns the dead-letter list.
func mustDeadLetters(tb testing.TB, st leadline.Outbox) []leadline.DeadLetter {
	tb.Helper()
	ds, err := st.DeadLetters(tb.Context())
	if err != nil {
		tb.Fatalf("DeadLetters() = %v, want nil", err)
	}
	return ds
}

func checkDead(tb testing.TB, call string, got []leadline.DeadLetter, want ...leadline.DeadLetter) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("%s = %d dead letters, want %d", call, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if d := diff([]leadline.Notification{g.Notification}, []leadline.Notification{w.Notification}); d != "" || !g.At.Equal(w.At) || g.Err != w.Err {
			tb.Fatalf("%s[%d] = %v at %v (%q), want %v at %v (%q):%s", call, i, g.Notification.Key, g.At, g.Err, w.Notification.Key, w.At, w.Err, d)
		}
	}
}

func testFail(t *testing.T, newStore func(t *testing.T) leadline.Store) {
	cases(t, newStore, map[string]func(t *testing.T, st leadline.Store){
		"a failure hides the notification until Retry and keeps its place (E4)": func(t *testing.T, st leadline.Store) {
			n1, n2 := note("n-1", "L-1"), note("n-2", "L-1")
			enqueue(t, st, "L-1", 0, n1, n2)
			now := at(time.Hour)
			mustClaimOutbox(t, st, now, lease, 10)
			mustFail(t, st, leadline.DeliveryFailure{Key: "n-1", Retry: now.Add(10 * lease), At: now, Err: "smtp down"})
			mustFail(t, st, leadline.DeliveryFailure{Key: "n-404", Retry: now, At: now, Err: "unknown: ignored"})
			checkNotes(t, "ClaimOutbox after the lease, before Retry", mustClaimOutbox(t, st, now.Add(lease), lease, 10), []leadline.Notification{attempted(n2, 1)})
			checkNotes(t, "ClaimOutbox at Retry", mustClaimOutbox(t, st, now.Add(10*lease), lease, 10),
				[]leadline.Notification{attempted(n1, 1), attempted(n2, 2)})
		},

		"a dead notification leaves the outbox for the dead-letter list, in order (E4, E9)": func(t *testing.T, st leadline.Store) {
			n1, n2, n3 := note("n-1", "L-1"), note("n-2", "L-1"), note("n-3", "L-1")
			v := enqueue(t, st, "L-1", 0, n1, n2, n3)
			now := at(time.Hour)
			mustClaimOutbox(t, st, now, lease, 10)
			checkDead(t, "DeadLetters on none", mustDeadLetters(t, st))
			mustFail(t, st, leadline.DeliveryFailure{Key: "n-2", Dead: true, At: now, Err: "panic"})
			mustFail(t, st, leadline.DeliveryFailure{Key: "n-1", Dead: true, At: now.Add(time.Second), Err: "refused"})
			checkDead(t, "DeadLetters", mustDeadLetters(t, st),
				leadline.DeadLetter{Notification: attempted(n2, 1), At: now, Err: "panic"},
				leadline.DeadLetter{Notification: attempted(n1, 1), At: now.Add(time.Second), Err: "refused"})
			checkNotes(t, "ClaimOutbox after the lease", mustClaimOutbox(t, st, now.Add(lease), lease, 10), []leadline.Notification{attempted(n3, 1)})
			// A dead key counts as pending: a later write does not bring it back.
			enqueue(t, st, "L-1", v, n2)
			checkNotes(t, "ClaimOutbox after a write with a dead key", mustClaimOutbox(t, st, now.Add(2*lease), lease, 10), []leadline.Notification{attempted(n3, 2)})
		},

		"Revive puts dead letters back, at the end, with Attempts 0": func(t *testing.T, st leadline.Store) {
			n1, n2 := note("n-1", "L-1"), note("n-2", "L-1")
			enqueue(t, st, "L-1", 0, n1, n2)
			now := at(time.Hour)
			mustClaimOutbox(t, st, now, lease, 1)
			mustFail(t, st, leadline.DeliveryFailure{Key: "n-1", Dead: true, At: now, Err: "refused"})
			if err := st.Revive(t.Context(), []string{"n-1", "n-404"}); err != nil {
				t.Fatalf("Revive = %v, want nil", err)
			}
			checkDead(t, "DeadLetters after Revive", mustDeadLetters(t, st))
			checkNotes(t, "ClaimOutbox after Revive", mustClaimOutbox(t, st, now, lease, 10), []leadline.Notification{n2, n1})
		},

		"Revive and Ack of some dead letters keep the others in order": func(t *testing.T, st leadline.Store) {
			ns := []leadline.Notification{note("n-1", "L-1"), note("n-2", "L-1"), note("n-3", "L-1"), note("n-4", "L-1"), note("n-5", "L-1")}
			v := enqueue(t, st, "L-1", 0, ns...)
			now := at(time.Hour)
			mustClaimOutbox(t, st, now, lease, 10)
			var dead []leadline.DeadLetter
			for i, n := range ns {
				mustFail(t, st, leadline.DeliveryFailure{Key: n.Key, Dead: true, At: now.Add(time.Duration(i) * time.Second), Err: "refused"})
				dead = append(dead, leadline.DeadLetter{Notification: attempted(n, 1), At: now.Add(time.Duration(i) * time.Second), Err: "refused"})
			}
			if err := st.Revive(t.Context(), []string{"n-4", "n-2", "n-4", "n-404"}); err != nil {
				t.Fatalf("Revive = %v, want nil", err)
			}
			mustAck(t, st, "n-1", "n-404")
			checkDead(t, "DeadLetters after reviving n-2 and n-4 and acknowledging n-1", mustDeadLetters(t, st), dead[2], dead[4])
			got := mustClaimOutbox(t, st, now, lease, 10)
			slices.SortFunc(got, func(a, b leadline.Notification) int { return strings.Compare(a.Key, b.Key) })
			checkNotes(t, "ClaimOutbox after Revive", got, []leadline.Notification{ns[1], ns[3]})
			// The dead keys left still count as pending; the revived and
			// acknowledged ones do not.
			enqueue(t, st, "L-1", v, ns...)
			got = mustClaimOutbox(t, st, now.Add(2*lease), lease, 10)
			slices.SortFunc(got, func(a, b leadline.Notification) int { return strings.Compare(a.Key, b.Key) })
			checkNotes(t, "ClaimOutbox after a write of all five keys", got, []leadline.Notification{ns[0], attempted(ns[1], 1), attempted(ns[3], 1)})
		},

		"Ack removes a dead letter too": func(t *testing.T, st leadline.Store) {
			n := note("n-1", "L-1")
			enqueue(t, st, "L-1", 0, n)
			now := at(time.Hour)
			mustClaimOutbox(t, st, now, lease, 1)
			mustFail(t, st, leadline.DeliveryFailure{Key: "n-1", Dead: true, At: now, Err: "refused"})
			mustAck(t, st, "n-1")
			checkDead(t, "DeadLetters after Ack", mustDeadLetters(t, st))
		},

		"dead letters are copied out": func(t *testing.T, st leadline.Store) {
			n := note("n-1", "L-1")
			enqueue(t, st, "L-1", 0, n)
			now := at(time.Hour)
			mustClaimOutbox(t, st, now, lease, 1)
			mustFail(t, st, leadline.DeliveryFailure{Key: "n-1", Dead: true, At: now, Err: "refused"})
			got := mustDeadLetters(t, st)
			got[0].Notification.Key, got[0].Err = "mutated", "mutated"
			checkDead(t, "DeadLetters after a mutated result", mustDeadLetters(t, st),
				leadline.DeadLetter{Notification: attempted(n, 1), At: now, Err: "refused"})
		},
	})
}

func testTicket(t *testing.T, newStore func(t *testing.T) leadline.LeadStore) {
	next := func(t *testing.T, st leadline.LeadStore, seq string) uint64 {
		t.Helper()
		n, err := st.NextTicket(t.Context(), seq)
		if err != nil {
			t.Fatalf("NextTicket(%s) = %v, want nil", seq, err)
		}
		return n
	}
	back := func(t *testing.T, st leadline.LeadStore, ts ...leadline.Ticket) {
		t.Helper()
		if err := st.ReturnTickets(t.Context(), ts); err != nil {
			t.Fatalf("ReturnTickets(%v) = %v, want nil", ts, err)
		}
	}
	tk := func(seq string, n uint64) leadline.Ticket { return leadline.Ticket{Sequence: seq, Number: n} }
	cases(t, newStore, map[string]func(t *testing.T, st leadline.LeadStore){
		"numbers start at 0 and count up per sequence (M9)": func(t *testing.T, st leadline.LeadStore) {
			for _, c := range []struct {
				seq  string
				want uint64
			}{{"team-a", 0}, {"team-a", 1}, {"team-b", 0}, {"team-a", 2}, {"team-b", 1}, {"team-a", 3}} {
				if got := next(t, st, c.seq); got != c.want {
					t.Fatalf("NextTicket(%s) = %d, want %d", c.seq, got, c.want)
				}
			}
		},

		"places given back are taken again first, smallest first (E2, M9)": func(t *testing.T, st leadline.LeadStore) {
			for range 6 {
				next(t, st, "team-a") // 0..5
			}
			next(t, st, "team-b") // 0
			back(t, st, tk("team-a", 4), tk("team-a", 1), tk("team-b", 0))
			back(t, st, tk("team-a", 4))                                   // given back twice: once
			back(t, st, tk("team-a", 9), tk("team-c", 0), tk("team-b", 3)) // never taken: ignored
			for _, c := range []struct {
				seq  string
				want uint64
			}{{"team-a", 1}, {"team-a", 4}, {"team-a", 6}, {"team-b", 0}, {"team-b", 1}, {"team-c", 0}} {
				if got := next(t, st, c.seq); got != c.want {
					t.Fatalf("NextTicket(%s) = %d, want %d", c.seq, got, c.want)
				}
			}
		},

		"concurrent calls take distinct places, and those given back once each (M9)": func(t *testing.T, st leadline.LeadStore) {
			const workers, calls = 8, 100
			got := make([][]uint64, workers)
			together(t, workers, func(w int) {
				for i := range calls {
					n, err := st.NextTicket(t.Context(), "team-a")
					if err != nil {
						t.Errorf("NextTicket(team-a) = %v, want nil", err)
						return
					}
					if i%4 == 3 { // a quarter of the places go back
						if err := st.ReturnTickets(t.Context(), []leadline.Ticket{tk("team-a", n)}); err != nil {
							t.Errorf("ReturnTickets = %v, want nil", err)
							return
						}
						continue
					}
					got[w] = append(got[w], n)
				}
			})
			kept := slices.Sorted(slices.Values(slices.Concat(got...)))
			if want := workers * calls * 3 / 4; len(kept) != want {
				t.Fatalf("kept %d places, want %d", len(kept), want)
			}
			for i := 1; i < len(kept); i++ {
				if kept[i] == kept[i-1] {
					t.Fatalf("place %d kept twice", kept[i])
				}
			}
			// Every place below the next fresh one is kept or given back:
			// drawing again yields exactly the missing ones, then the
			// fresh one.
			var missing []uint64
			for i, j := uint64(0), 0; i < uint64(kept[len(kept)-1]); i++ {
				if j < len(kept) && kept[j] == i {
					j++
					continue
				}
				missing = append(missing, i)
			}
			for _, want := range missing {
				if n := next(t, st, "team-a"); n != want {
					t.Fatalf("NextTicket after the run = %d, want %d, a place given back", n, want)
				}
			}
		},
	})
}

// owned returns a lead of owner with track tr.
func owned(id, owner string, tr stage.Track) lead.Lead {
	l := newLead(id, owner)
	l.Track = tr
	return l
}

func testLoad(t *testing.T, newStore func(t *testing.T) leadline.LeadStore) {
	cases(t, newStore, map[string]func(t *testing.T, st leadline.LeadStore){
		"counts running cadences per owner in the order asked": func(t *testing.T, st leadline.LeadStore) {
			for _, l := range []lead.Lead{
				owned("L-1", "rep-1", running(stage.Untouched)),
				owned("L-2", "rep-1", running(stage.Stage2)),
				owned("L-3", "rep-1", running(stage.Stage4)),
				owned("L-4", "rep-1", ended(stage.Connected, stage.EndConnected)),
				owned("L-5", "rep-1", ended(stage.Stage4, stage.EndExhausted)),
				owned("L-6", "rep-1", ended(stage.Stage1, stage.EndStopped)),
				owned("L-7", "rep-1", stage.Track{}),
				owned("L-8", "rep-2", running(stage.Stage1)),
				owned("L-9", "", running(stage.Stage1)),
			} {
				mustCreate(t, st, l)
			}
			if got := mustLoad(t, st, "rep-2", "rep-1", "rep-404", "rep-1"); !slices.Equal(got, []int{1, 3, 0, 3}) {
				t.Fatalf("Load(rep-2, rep-1, rep-404, rep-1) = %v, want [1 3 0 3]", got)
			}
			if got := mustLoad(t, st); len(got) != 0 {
				t.Fatalf("Load() = %v, want empty", got)
			}
		},

		"follows writes that change the owner or the cadence": func(t *testing.T, st leadline.LeadStore) {
			l := mustCreate(t, st, owned("L-1", "rep-1", stage.Track{}))
			mustCreate(t, st, owned("L-2", "rep-1", running(stage.Stage1)))
			steps := []struct {
				name  string
				owner string
				track stage.Track
				want  []int // rep-1, rep-2
			}{
				{"cadence starts", "rep-1", running(stage.Untouched), []int{2, 0}},
				{"stage advances", "rep-1", running(stage.Stage1), []int{2, 0}},
				{"reassigned (T1)", "rep-2", running(stage.Untouched), []int{1, 1}},
				{"owner and cadence unchanged", "rep-2", running(stage.Untouched), []int{1, 1}},
				{"connected (T6)", "rep-2", ended(stage.Connected, stage.EndConnected), []int{1, 0}},
				{"owner changes on an ended cadence", "rep-1", ended(stage.Connected, stage.EndConnected), []int{1, 0}},
				{"new cadence", "rep-1", running(stage.Untouched), []int{2, 0}},
				{"handed over while stopped", "rep-2", ended(stage.Stage2, stage.EndStopped), []int{1, 0}},
			}
			for _, s := range steps {
				l.Owner, l.Track = s.owner, s.track
				mustApply(t, st, leadline.Write{Lead: l})
				l.Version++
				if got := mustLoad(t, st, "rep-1", "rep-2"); !slices.Equal(got, s.want) {
					t.Fatalf("after %s: Load(rep-1, rep-2) = %v, want %v", s.name, got, s.want)
				}
			}
		},
	})
}

func testLeads(t *testing.T, newStore func(t *testing.T) leadline.Store) {
	// The ids sort as bytes: "L-10" before "L-2".
	fill := func(tb testing.TB, st leadline.Store) {
		tb.Helper()
		for _, l := range []lead.Lead{
			owned("L-2", "rep-1", running(stage.Stage2)),
			owned("L-10", "rep-1", running(stage.Untouched)),
			owned("L-3", "rep-2", running(stage.Stage4)),
			owned("L-1", "rep-1", ended(stage.Connected, stage.EndConnected)),
			owned("L-5", "rep-1", ended(stage.Stage3, stage.EndStopped)),
			owned("L-4", "rep-1", running(stage.Stage1)),
			owned("L-6", "", running(stage.Stage3)),
			owned("L-7", "rep-2", stage.Track{}),
		} {
			mustCreate(tb, st, l)
		}
	}
	cases(t, newStore, map[string]func(t *testing.T, st leadline.Store){
		"Leads filters by campaign response": func(t *testing.T, st leadline.Store) {
			a, b, c := newLead("L-1", "rep-1"), newLead("L-2", "rep-1"), newLead("L-3", "rep-1")
			a.Responses = []lead.Touch{{Campaign: "c-1", Kind: lead.ResponseAttended, At: at(0)}}
			b.Responses = []lead.Touch{{Campaign: "c-2", Kind: lead.ResponseListed, At: at(0)}, {Campaign: "c-1", Kind: lead.ResponseListed, At: at(0)}}
			c.Responses = []lead.Touch{{Campaign: "c-2", Kind: lead.ResponseAttended, At: at(0)}}
			for _, l := range []lead.Lead{a, b, c} {
				mustCreate(t, st, l)
			}
			checkLeadIDs(t, "Leads({Campaign: c-1})", mustLeads(t, st, leadline.Query{Campaign: "c-1"}), "L-1", "L-2")
		},

		"empty store has no leads": func(t *testing.T, st leadline.Store) {
			checkLeadIDs(t, "Leads({})", mustLeads(t, st, leadline.Query{}))
		},

		"queries filter and order by id": func(t *testing.T, st leadline.Store) {
			fill(t, st)
			for _, c := range []struct {
				q    leadline.Query
				want []string
			}{
				{leadline.Query{}, []string{"L-1", "L-10", "L-2", "L-3", "L-4", "L-5", "L-6", "L-7"}},
				{leadline.Query{Owner: "rep-1"}, []string{"L-1", "L-10", "L-2", "L-4", "L-5"}},
				{leadline.Query{Owner: "rep-404"}, nil},
				{leadline.Query{Attempted: true}, []string{"L-2", "L-3", "L-4", "L-6"}},
				{leadline.Query{Owner: "rep-1", Attempted: true}, []string{"L-2", "L-4"}},
				{leadline.Query{After: "L-2"}, []string{"L-3", "L-4", "L-5", "L-6", "L-7"}},
				{leadline.Query{After: "L-10", Limit: 2}, []string{"L-2", "L-3"}},
				{leadline.Query{Limit: 3}, []string{"L-1", "L-10", "L-2"}},
				{leadline.Query{Owner: "rep-1", After: "L-1", Limit: 2}, []string{"L-10", "L-2"}},
				{leadline.Query{Attempted: true, After: "L-6"}, nil},
			} {
				checkLeadIDs(t, fmt.Sprintf("Leads(%+v)", c.q), mustLeads(t, st, c.q), c.want...)
			}
		},

		"paging with After and Limit visits every lead once": func(t *testing.T, st leadline.Store) {
			fill(t, st)
			var got []string
			q := leadline.Query{Limit: 3}
			for range 10 {
				page := mustLeads(t, st, q)
				if len(page) == 0 {
					break
				}
				for _, l := range page {
					got = append(got, l.ID)
				}
				q.After = page[len(page)-1].ID
			}
			want := []string{"L-1", "L-10", "L-2", "L-3", "L-4", "L-5", "L-6", "L-7"}
			if !slices.Equal(got, want) {
				t.Fatalf("pages of 3 = %q, want %q", got, want)
			}
		},

		"returned leads are copies of the stored state": func(t *testing.T, st leadline.Store) {
			want := fullLead("L-1")
			mustApply(t, st, leadline.Write{Lead: want})
			want.Version = 1
			got := mustLeads(t, st, leadline.Query{})
			checkLeadIDs(t, "Leads({})", got, "L-1")
			checkLead(t, "Leads({})[0]", got[0], want)
			got[0].Passed[0] = "mutated"
			got[0].Responses[0].Campaign = "mutated"
			checkLead(t, "Lead(L-1) after mutating a Leads result", mustLead(t, st, "L-1"), want)
		},
	})
}

// fullCampaign returns a campaign with every field set.
func fullCampaign(id string) routing.Campaign {
	return routing.Campaign{
		ID:         id,
		Name:       "User Conference 2026",
		Type:       routing.OwnEvent,
		Engagement: routing.High,
		Model:      routing.Hybrid,
		Start:      at(10 * day),
		Targets:    routing.Targets{Registrations: 120, Attendance: 80},
		Changes: []routing.ModelChange{
			{At: at(11 * day), By: "mgr-1", From: routing.InsideFirst, To: routing.Hybrid, Reason: "field sales invited most attendees"},
		},
		AgreedBy:    "mgr-1",
		AgreedAt:    at(2 * day),
		Registrants: 140,
		Invited:     50,
	}
}

func testCampaigns(t *testing.T, newStore func(t *testing.T) leadline.CampaignStore) {
	cases(t, newStore, map[string]func(t *testing.T, st leadline.CampaignStore){
		"unknown id is ErrNotFound": func(t *testing.T, st leadline.CampaignStore) {
			_, err := st.Campaign(t.Context(), "c-404")
			wantErr(t, "Campaign(c-404)", err, leaderr.ErrNotFound)
		},

		"round trip keeps every field and sets the version": func(t *testing.T, st leadline.CampaignStore) {
			want := fullCampaign("c-1")
			checkFull(t, want, "routing.Campaign.Version")
			if err := st.PutCampaign(t.Context(), want); err != nil {
				t.Fatalf("PutCampaign(new) = %v", err)
			}
			got, err := st.Campaign(t.Context(), "c-1")
			if err != nil {
				t.Fatal(err)
			}
			want.Version = 1
			if d := diff(got, want); d != "" {
				t.Fatalf("Campaign(c-1) differs from what was written:%s", d)
			}
		},

		"compare-and-set on the version": func(t *testing.T, st leadline.CampaignStore) {
			c := fullCampaign("c-1")
			if err := st.PutCampaign(t.Context(), c); err != nil {
				t.Fatal(err)
			}
			wantErr(t, "PutCampaign(create again)", st.PutCampaign(t.Context(), c), leaderr.ErrConflict)
			c.Version = 1
			c.Name = "renamed"
			if err := st.PutCampaign(t.Context(), c); err != nil {
				t.Fatalf("PutCampaign(version 1) = %v", err)
			}
			c.Name = "stale"
			wantErr(t, "PutCampaign(stale version 1)", st.PutCampaign(t.Context(), c), leaderr.ErrConflict)
			got, _ := st.Campaign(t.Context(), "c-1")
			if got.Version != 2 || got.Name != "renamed" {
				t.Fatalf("after a stale write: version %d name %q, want 2 renamed", got.Version, got.Name)
			}
		},

		"returned and written campaigns are copies": func(t *testing.T, st leadline.CampaignStore) {
			c := fullCampaign("c-1")
			if err := st.PutCampaign(t.Context(), c); err != nil {
				t.Fatal(err)
			}
			c.Changes[0].Reason = "mutated after the write"
			got, _ := st.Campaign(t.Context(), "c-1")
			got.Changes[0].Reason = "mutated after the read"
			again, _ := st.Campaign(t.Context(), "c-1")
			if again.Changes[0].Reason != fullCampaign("c-1").Changes[0].Reason {
				t.Fatalf("stored change reason = %q: the store shares memory with its callers", again.Changes[0].Reason)
			}
		},

		"Campaigns lists every campaign by id": func(t *testing.T, st leadline.CampaignStore) {
			for _, id := range []string{"c-2", "c-10", "c-1"} {
				if err := st.PutCampaign(t.Context(), fullCampaign(id)); err != nil {
					t.Fatal(err)
				}
			}
			cs, err := st.Campaigns(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, c := range cs {
				ids = append(ids, c.ID)
			}
			if want := []string{"c-1", "c-10", "c-2"}; !slices.Equal(ids, want) {
				t.Fatalf("Campaigns() = %q, want %q", ids, want)
			}
		},
	})
}

func testConcurrency(t *testing.T, newStore func(t *testing.T) leadline.Store) {
	const workers = 8
	cases(t, newStore, map[string]func(t *testing.T, st leadline.Store){
		"read-modify-write loses no update": func(t *testing.T, st leadline.Store) {
			const writes = 50 // per worker
			ctx := t.Context()
			mustCreate(t, st, owned("L-1", "rep-1", running(stage.Untouched)))
			together(t, workers, func(w int) {
				for i := 0; i < writes; {
					l, err := st.Lead(ctx, "L-1")
					if err != nil {
						t.Errorf("Lead(L-1) = %v, want nil", err)
						return
					}
					l.Activity.Inquiries++
					l.Owner = fmt.Sprintf("rep-%d", w)
					err = st.Apply(ctx, leadline.Write{
						Event:   fmt.Sprintf("ev-%d-%d", w, i),
						Lead:    l,
						History: []lead.Change{change("L-1", fmt.Sprintf("ev-%d-%d", w, i), lead.FieldOwner, "", l.Owner, t0)},
					})
					switch {
					case errors.Is(err, leaderr.ErrConflict):
						continue // reread and retry
					case err != nil:
						t.Errorf("Apply(L-1 version %d) = %v, want nil or ErrConflict", l.Version, err)
						return
					}
					i++
				}
			})
			if t.Failed() {
				return
			}
			got := mustLead(t, st, "L-1")
			if got.Version != 1+workers*writes || got.Activity.Inquiries != workers*writes {
				t.Fatalf("Lead(L-1) = version %d, %d inquiries after %d successful updates; want version %d, %d inquiries",
					got.Version, got.Activity.Inquiries, workers*writes, 1+workers*writes, workers*writes)
			}
			if h := mustHistory(t, st, "L-1"); len(h) != workers*writes {
				t.Fatalf("History(L-1) has %d entries, want %d", len(h), workers*writes)
			}
			// The lead's owner is the last writer's; the load is one, on
			// that owner.
			reps, want := make([]string, workers), make([]int, workers)
			for w := range workers {
				reps[w] = fmt.Sprintf("rep-%d", w)
				if reps[w] == got.Owner {
					want[w] = 1
				}
			}
			if load := mustLoad(t, st, reps...); !slices.Equal(load, want) {
				t.Fatalf("Load(%q) = %v with owner %s, want %v", reps, load, got.Owner, want)
			}
		},

		"concurrent creates of one lead: one wins": func(t *testing.T, st leadline.Store) {
			errs := make([]error, workers)
			together(t, workers, func(w int) {
				errs[w] = st.Apply(t.Context(), leadline.Write{Lead: newLead("L-1", fmt.Sprintf("rep-%d", w))})
			})
			checkOneWins(t, errs, leaderr.ErrConflict)
			if got := mustLead(t, st, "L-1"); got.Version != 1 {
				t.Fatalf("Lead(L-1).Version = %d, want 1", got.Version)
			}
		},

		"concurrent writes of one event: one wins": func(t *testing.T, st leadline.Store) {
			l := mustCreate(t, st, newLead("L-1", "rep-1"))
			errs := make([]error, workers)
			together(t, workers, func(w int) {
				c := l
				c.Owner = fmt.Sprintf("rep-%d", w)
				errs[w] = st.Apply(t.Context(), leadline.Write{Event: "ev-1", Lead: c})
			})
			checkOneWins(t, errs, leaderr.ErrDuplicateEvent)
			if got := mustLead(t, st, "L-1"); got.Version != l.Version+1 {
				t.Fatalf("Lead(L-1).Version = %d, want %d: one write", got.Version, l.Version+1)
			}
		},

		"concurrent sweepers share due deadlines, each claimed once": func(t *testing.T, st leadline.Store) {
			const leads = 100
			want := map[string]bool{}
			for i := range leads {
				id := fmt.Sprintf("L-%03d", i)
				ds := []lead.Deadline{deadline(id, lead.DeadlineCadence, at(time.Duration(i)*time.Second))}
				if i%3 == 0 {
					ds = append(ds, deadline(id, lead.DeadlineRequest, at(time.Duration(i)*time.Second)))
				}
				schedule(t, st, id, 0, ds...)
				for _, d := range ds {
					want[d.Key()] = true
				}
			}
			got := make([][]lead.Deadline, workers)
			now := at(day)
			together(t, workers, func(w int) {
				for {
					ds, err := st.ClaimDue(t.Context(), now, time.Hour, 7)
					if err != nil {
						t.Errorf("ClaimDue = %v, want nil", err)
						return
					}
					if len(ds) == 0 {
						return
					}
					for i := 1; i < len(ds); i++ {
						if !ds[i-1].Less(ds[i]) {
							t.Errorf("ClaimDue = %s, not in (Due, Lead, Kind) order", deadlines(ds))
						}
					}
					got[w] = append(got[w], ds...)
				}
			})
			claimed := map[string]int{}
			for _, d := range slices.Concat(got...) {
				claimed[d.Key()]++
			}
			for k := range want {
				if claimed[k] != 1 {
					t.Errorf("deadline %s claimed %d times, want once", k, claimed[k])
				}
			}
			if len(claimed) != len(want) {
				t.Errorf("%d distinct deadlines claimed, want %d", len(claimed), len(want))
			}
		},

		"concurrent deliverers share the outbox, each notification claimed once": func(t *testing.T, st leadline.Store) {
			const leads = 50
			for i := range leads {
				id := fmt.Sprintf("L-%03d", i)
				enqueue(t, st, id, 0, note(id+"/a", id), note(id+"/b", id))
			}
			got := make([][]leadline.Notification, workers)
			together(t, workers, func(w int) {
				for {
					ns, err := st.ClaimOutbox(t.Context(), at(time.Hour), time.Hour, 3)
					if err != nil {
						t.Errorf("ClaimOutbox = %v, want nil", err)
						return
					}
					if len(ns) == 0 {
						return
					}
					got[w] = append(got[w], ns...)
				}
			})
			claimed := map[string]int{}
			for _, n := range slices.Concat(got...) {
				claimed[n.Key]++
				if n.Attempts != 0 {
					t.Errorf("notification %s claimed with Attempts %d, want 0", n.Key, n.Attempts)
				}
			}
			for i := range leads {
				for _, k := range []string{fmt.Sprintf("L-%03d/a", i), fmt.Sprintf("L-%03d/b", i)} {
					if claimed[k] != 1 {
						t.Errorf("notification %s claimed %d times, want once", k, claimed[k])
					}
				}
			}
		},
	})
}

// together runs f(0) .. f(n-1) on n goroutines released at the same
// moment, so that their calls overlap, and waits for them; it fails tb
// if they have not all returned within waitTimeout (a store that
// deadlocks).
func together(tb testing.TB, n int, f func(w int)) {
	tb.Helper()
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() {
			<-start
			f(w)
		})
	}
	close(start)
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(waitTimeout):
		tb.Fatalf("%d concurrent callers have not returned after %v: a deadlock?", n, waitTimeout)
	}
}

// waitTimeout bounds every wait of the suite on other goroutines; it is
// generous, as a test that waits this long has hung.
const waitTimeout = 10 * time.Second

// checkOneWins fails the test unless exactly one of errs is nil and the
// others wrap lose.
func checkOneWins(tb testing.TB, errs []error, lose error) {
	tb.Helper()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, lose):
			tb.Errorf("writer %d: Apply = %v, want nil or an error wrapping %q", i, err, lose)
		}
	}
	if won != 1 {
		tb.Fatalf("%d of %d concurrent writes succeeded, want 1", won, len(errs))
	}
}

func testContext(t *testing.T, newStore func(t *testing.T) leadline.Store) {
	cases(t, newStore, map[string]func(t *testing.T, st leadline.Store){
		"cancelled context is refused and changes nothing": func(t *testing.T, st leadline.Store) {
			d := deadline("L-1", lead.DeadlineCadence, at(0))
			n := note("n-1", "L-1")
			l := mustCreate(t, st, newLead("L-1", "rep-1"))
			mustApply(t, st, leadline.Write{Lead: l, Deadlines: []lead.Deadline{d}, Outbox: []leadline.Notification{n}})

			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			now := at(time.Hour)
			for _, c := range []struct {
				name string
				call func(ctx context.Context) error
			}{
				{"Lead", func(ctx context.Context) error { _, err := st.Lead(ctx, "L-1"); return err }},
				{"Seen", func(ctx context.Context) error { _, _, err := st.Seen(ctx, "L-1", "ev-1"); return err }},
				{"Apply", func(ctx context.Context) error {
					return st.Apply(ctx, leadline.Write{Event: "ev-1", Lead: newLead("L-2", "rep-1")})
				}},
				{"ClaimDue", func(ctx context.Context) error { _, err := st.ClaimDue(ctx, now, lease, 10); return err }},
				{"ClaimOutbox", func(ctx context.Context) error { _, err := st.ClaimOutbox(ctx, now, lease, 10); return err }},
				{"Ack", func(ctx context.Context) error { return st.Ack(ctx, []string{"n-1"}) }},
				{"NextTicket", func(ctx context.Context) error { _, err := st.NextTicket(ctx, "team-a"); return err }},
				{"ReturnTickets", func(ctx context.Context) error {
					return st.ReturnTickets(ctx, []leadline.Ticket{{Sequence: "team-a", Number: 0}})
				}},
				{"Load", func(ctx context.Context) error { _, err := st.Load(ctx, []string{"rep-1"}); return err }},
				{"Leads", func(ctx context.Context) error { _, err := st.Leads(ctx, leadline.Query{}); return err }},
				{"History", func(ctx context.Context) error { _, err := st.History(ctx, "L-1"); return err }},
				{"Campaign", func(ctx context.Context) error { _, err := st.Campaign(ctx, "c-1"); return err }},
				{"PutCampaign", func(ctx context.Context) error { return st.PutCampaign(ctx, routing.Campaign{ID: "c-1"}) }},
				{"Campaigns", func(ctx context.Context) error { _, err := st.Campaigns(ctx); return err }},
			} {
				wantErr(t, c.name+" with a cancelled context", c.call(ctx), context.Canceled)
			}

			_, err := st.Lead(t.Context(), "L-2")
			wantErr(t, "Lead(L-2) after a cancelled Apply", err, leaderr.ErrNotFound)
			_, err = st.Campaign(t.Context(), "c-1")
			wantErr(t, "Campaign(c-1) after a cancelled PutCampaign", err, leaderr.ErrNotFound)
			if mustSeen(t, st, "L-1", "ev-1") {
				t.Fatal("Seen(ev-1) = true after a cancelled Apply")
			}
			checkDeadlines(t, "ClaimDue after a cancelled one", mustClaimDue(t, st, now, lease, 10), []lead.Deadline{d})
			checkNotes(t, "ClaimOutbox after a cancelled one and a cancelled Ack", mustClaimOutbox(t, st, now, lease, 10), []leadline.Notification{n})
			if got, err := st.NextTicket(t.Context(), "team-a"); err != nil || got != 0 {
				t.Fatalf("NextTicket(team-a) after a cancelled one = %d, %v; want 0, nil", got, err)
			}
		},
	})
}
