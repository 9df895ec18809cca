package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/stage"
	"github.com/shopspring/decimal"
)

// The suite's instants: whole microseconds (PostgreSQL's timestamptz
// keeps no more) in a zone other than UTC and Local, so that a store that
// keeps only the instant passes and one that drops part of it fails.
var (
	jst = time.FixedZone("JST", 9*60*60)
	t0  = time.Date(2025, 4, 7, 9, 0, 0, 0, jst)
)

// at returns t0+d.
func at(d time.Duration) time.Time { return t0.Add(d) }

const (
	day   = 24 * time.Hour
	lease = time.Minute
	// far is a now at which everything the suite schedules is due.
	far = 365 * day
)

// newLead returns a lead with no cadence, owned by owner.
func newLead(id, owner string) lead.Lead {
	return lead.Lead{
		ID:      id,
		Status:  lead.StatusLead,
		Score:   decimal.RequireFromString("12.5"),
		Owner:   owner,
		Created: t0,
		Updated: t0,
	}
}

// running returns a track whose cadence runs at s, due a day after t0.
func running(s stage.Stage) stage.Track {
	tr := stage.Track{Stage: s, Cadence: 1, Started: stage.InstantOf(t0), Due: stage.InstantOf(at(day))}
	for i := stage.Stage1; i <= s && i <= stage.Stage4; i++ {
		tr.Reached[i-1] = stage.InstantOf(at(time.Duration(i) * time.Hour))
	}
	return tr
}

// ended returns a track whose cadence ended at s, how end says.
func ended(s stage.Stage, end stage.End) stage.Track {
	tr := running(s)
	tr.End, tr.Ended, tr.Due = end, stage.InstantOf(at(2*day)), 0
	return tr
}

// fullLead returns a lead with every field set to something other than
// its zero value, except Version, which the store sets. [checkFull]
// proves it.
func fullLead(id string) lead.Lead {
	return lead.Lead{
		ID: id,
		Profile: lead.Profile{
			Company:  "Example KK",
			Name:     "Hanako Yamada",
			Email:    "hanako@example.com",
			Source:   "seminar",
			MASystem: "Marketo",
			Account:  "ACC-42",
			Target:   true,
		},
		Status:       lead.StatusRecycled,
		Score:        decimal.RequireFromString("-3.75"),
		Owner:        "rep-1",
		AccountOwned: true,
		Passed:       []string{"rep-7", "rep-8"},
		Created:      t0,
		Updated:      at(90*time.Minute + 123456*time.Microsecond),
		Track: stage.Track{
			Stage:         stage.Stage4,
			End:           stage.EndExhausted,
			Overdue:       true,
			Late:          1<<stage.Stage2 | 1<<stage.Stage4,
			Missed:        1 << stage.Stage1,
			Reassignments: 2,
			Nags:          1,
			Nag:           stage.InstantOf(at(13 * day)),
			Cadence:       3,
			Started:       stage.InstantOf(at(time.Hour)),
			Reached:       [4]stage.Instant{stage.InstantOf(at(2 * time.Hour)), stage.InstantOf(at(day)), stage.InstantOf(at(3 * day)), stage.InstantOf(at(5 * day))},
			Ended:         stage.InstantOf(at(12 * day)),
			Due:           stage.InstantOf(at(11 * day)),
		},
		Request: lead.Request{
			Seq:      4,
			State:    lead.RequestOverdue,
			Priority: 2,
			Reasons:  "A1,A3",
			Subject:  "pricing inquiry; seminar attended",
			Opened:   at(time.Hour),
			Due:      at(day + time.Hour),
			Closed:   at(13 * day),
		},
		Activity: lead.Activity{
			Inquiries: 3,
			Downloads: 5,
			PageViews: 17,
			Last:      at(6 * day),
			LastTopic: "pricing.pdf",
		},
		Desk: lead.DeskField,
		Responses: []lead.Touch{
			{Campaign: "uc-2026", Kind: lead.ResponseInvited, At: at(2 * day), By: "field-1"},
			{Campaign: "uc-2026", Kind: lead.ResponseAttended, At: at(4 * day), By: "field-1"},
		},
		BANT:     lead.BANT{Budget: "5M yen", Authority: "IT director", Need: "lead routing", Timeline: "Q3"},
		Handoff:  lead.HandoffAccepted,
		HandedBy: "rep-1",
		HandedTo: "field-1",
		Feedback: lead.Feedback{Target: true, State: lead.InProgress, Opportunity: lead.OutcomeYes, Comment: "demo booked, 来週", By: "field-1", At: at(7 * day)},
		Jump:     lead.Jump{Day: "2025-04-14", Open: decimal.RequireFromString("88.5"), Fired: "2025-04-14"},
	}
}

// change returns a history entry of lead id.
func change(id, event string, f lead.Field, from, to string, when time.Time) lead.Change {
	return lead.Change{Lead: id, At: when, Actor: "rep-1", Event: event, Field: f, From: from, To: to, Rule: "S1", Reason: "checked by phone"}
}

// note returns a notification with key about lead id.
func note(key, id string) leadline.Notification {
	return leadline.Notification{
		Key:      key,
		Kind:     leadline.NoteReminder,
		Lead:     id,
		To:       "rep-1",
		Rule:     "T8",
		At:       t0,
		Due:      at(-time.Hour),
		Stage:    stage.Stage2,
		Priority: 1,
		Detail:   "rep-9",
	}
}

// deadline returns the deadline of lead id.
func deadline(id string, kind lead.DeadlineKind, due time.Time) lead.Deadline {
	return lead.Deadline{Lead: id, Kind: kind, Due: due}
}

// mustApply applies w and fails the test on an error.
func mustApply(tb testing.TB, st leadline.LeadStore, w leadline.Write) {
	tb.Helper()
	if err := st.Apply(tb.Context(), w); err != nil {
		tb.Fatalf("Apply(%s version %d, event %q) = %v, want nil", w.Lead.ID, w.Lead.Version, w.Event, err)
	}
}

// mustCreate writes l as a new lead, with no event, and returns it as
// stored.
func mustCreate(tb testing.TB, st leadline.LeadStore, l lead.Lead) lead.Lead {
	tb.Helper()
	l.Version = 0
	mustApply(tb, st, leadline.Write{Lead: l})
	return mustLead(tb, st, l.ID)
}

// mustLead returns the stored lead with id.
func mustLead(tb testing.TB, st leadline.LeadStore, id string) lead.Lead {
	tb.Helper()
	l, err := st.Lead(tb.Context(), id)
	if err != nil {
		tb.Fatalf("Lead(%s) = %v, want nil", id, err)
	}
	return l
}

// mustHistory returns the stored history of lead id.
func mustHistory(tb testing.TB, st leadline.ReadStore, id string) []lead.Change {
	tb.Helper()
	h, err := st.History(tb.Context(), id)
	if err != nil {
		tb.Fatalf("History(%s) = %v, want nil", id, err)
	}
	return h
}

// mustSeen reports whether st recorded event for lead id.
func mustSeen(tb testing.TB, st leadline.LeadStore, id, event string) bool {
	tb.Helper()
	_, ok := mustPrint(tb, st, id, event)
	return ok
}

// mustPrint returns the print st recorded with event for lead id, and
// whether it recorded the event.
func mustPrint(tb testing.TB, st leadline.LeadStore, id, event string) (uint64, bool) {
	tb.Helper()
	print, ok, err := st.Seen(tb.Context(), id, event)
	if err != nil {
		tb.Fatalf("Seen(%s, %q) = %v, want nil", id, event, err)
	}
	return print, ok
}

// mustClaimDue claims due deadlines.
func mustClaimDue(tb testing.TB, st leadline.LeadStore, now time.Time, lease time.Duration, limit int) []lead.Deadline {
	tb.Helper()
	ds, err := st.ClaimDue(tb.Context(), now, lease, limit)
	if err != nil {
		tb.Fatalf("ClaimDue(%v, %v, %d) = %v, want nil", now, lease, limit, err)
	}
	return ds
}

// mustClaimOutbox claims notifications.
func mustClaimOutbox(tb testing.TB, st leadline.Outbox, now time.Time, lease time.Duration, limit int) []leadline.Notification {
	tb.Helper()
	ns, err := st.ClaimOutbox(tb.Context(), now, lease, limit)
	if err != nil {
		tb.Fatalf("ClaimOutbox(%v, %v, %d) = %v, want nil", now, lease, limit, err)
	}
	return ns
}

// mustAck acknowledges keys.
func mustAck(tb testing.TB, st leadline.Outbox, keys ...string) {
	tb.Helper()
	if err := st.Ack(tb.Context(), keys); err != nil {
		tb.Fatalf("Ack(%q) = %v, want nil", keys, err)
	}
}

// mustLoad returns the load of reps.
func mustLoad(tb testing.TB, st leadline.LeadStore, reps ...string) []int {
	tb.Helper()
	n, err := st.Load(tb.Context(), reps)
	if err != nil {
		tb.Fatalf("Load(%q) = %v, want nil", reps, err)
	}
	return n
}

// mustLeads returns the leads that match q.
func mustLeads(tb testing.TB, st leadline.ReadStore, q leadline.Query) []lead.Lead {
	tb.Helper()
	ls, err := st.Leads(tb.Context(), q)
	if err != nil {
		tb.Fatalf("Leads(%+v) = %v, want nil", q, err)
	}
	return ls
}

// wantErr fails the test unless err wraps target.
func wantErr(tb testing.TB, call string, err, target error) {
	tb.Helper()
	if !errors.Is(err, target) {
		tb.Fatalf("%s = %v, want an error wrapping %q", call, err, target)
	}
}

// checkLead fails the test unless got equals want field by field.
func checkLead(tb testing.TB, call string, got, want lead.Lead) {
	tb.Helper()
	if d := diff(got, want); d != "" {
		tb.Fatalf("%s differs from what was written:%s", call, d)
	}
}

// checkLeadIDs fails the test unless got holds the leads with ids, in
// that order.
func checkLeadIDs(tb testing.TB, call string, got []lead.Lead, ids ...string) {
	tb.Helper()
	gotIDs := make([]string, len(got))
	for i, l := range got {
		gotIDs[i] = l.ID
	}
	if !slices.Equal(gotIDs, ids) {
		tb.Fatalf("%s = %q, want %q", call, gotIDs, ids)
	}
}

// checkHistory fails the test unless got equals want entry by entry.
func checkHistory(tb testing.TB, call string, got, want []lead.Change) {
	tb.Helper()
	if d := diff(got, want); d != "" {
		tb.Fatalf("%s differs:%s", call, d)
	}
}

// checkDeadlines fails the test unless got equals want, in order.
func checkDeadlines(tb testing.TB, call string, got, want []lead.Deadline) {
	tb.Helper()
	if d := diff(got, want); d != "" {
		tb.Fatalf("%s = %s, want %s:%s", call, deadlines(got), deadlines(want), d)
	}
}

// checkNotes fails the test unless got equals want, in order.
func checkNotes(tb testing.TB, call string, got, want []leadline.Notification) {
	tb.Helper()
	if d := diff(got, want); d != "" {
		tb.Fatalf("%s = %s, want %s:%s", call, keys(got), keys(want), d)
	}
}

// deadlines formats ds for a failure message.
func deadlines(ds []lead.Deadline) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = fmt.Sprintf("%s/%s@%s", d.Lead, d.Kind, d.Due.Sub(t0))
	}
	return "[" + strings.Join(s, " ") + "]"
}

// keys formats the keys of ns for a failure message.
func keys(ns []leadline.Notification) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprintf("%s(attempts %d)", n.Key, n.Attempts)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// Types compared by their own Equal method rather than field by field:
// an instant keeps no zone or monotonic reading through a database, and
// decimal 1.0 equals 1.
var (
	timeType    = reflect.TypeFor[time.Time]()
	decimalType = reflect.TypeFor[decimal.Decimal]()
)

// diff returns the exported fields in which got and want differ, one
// "\n\tpath = got, want want" line each, or "". Times and decimals are
// compared with Equal, and a nil slice equals an empty one.
func diff[T any](got, want T) string {
	var b strings.Builder
	diffValue(&b, reflect.TypeFor[T]().String(), reflect.ValueOf(&got).Elem(), reflect.ValueOf(&want).Elem())
	return b.String()
}

func diffValue(b *strings.Builder, path string, got, want reflect.Value) {
	switch {
	case got.Type() == timeType:
		if g, w := got.Interface().(time.Time), want.Interface().(time.Time); !g.Equal(w) {
			fmt.Fprintf(b, "\n\t%s = %v, want %v", path, g, w)
		}
		return
	case got.Type() == decimalType:
		if g, w := got.Interface().(decimal.Decimal), want.Interface().(decimal.Decimal); !g.Equal(w) {
			fmt.Fprintf(b, "\n\t%s = %v, want %v", path, g, w)
		}
		return
	}
	switch got.Kind() {
	case reflect.Struct:
		for i := range got.NumField() {
			if f := got.Type().Field(i); f.IsExported() {
				diffValue(b, path+"."+f.Name, got.Field(i), want.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		if got.Len() != want.Len() {
			fmt.Fprintf(b, "\n\t%s has %d elements, want %d", path, got.Len(), want.Len())
			return
		}
		for i := range got.Len() {
			diffValue(b, fmt.Sprintf("%s[%d]", path, i), got.Index(i), want.Index(i))
		}
	default:
		if !got.Equal(want) {
			fmt.Fprintf(b, "\n\t%s = %v, want %v", path, got, want)
		}
	}
}

// checkFull fails the test if a field of v is its zero value, except the
// fields named in skip: a round trip of v then covers every field, and a
// field added to the type without a value here is caught.
func checkFull(tb testing.TB, v any, skip ...string) {
	tb.Helper()
	var zero []string
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		if slices.Contains(skip, path) {
			return
		}
		switch {
		case v.Type() == timeType || v.Type() == decimalType:
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() {
					walk(path+"."+f.Name, v.Field(i))
				}
			}
			return
		case v.Kind() == reflect.Slice || v.Kind() == reflect.Array:
			if v.Len() == 0 {
				zero = append(zero, path)
			}
			for i := range v.Len() {
				walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i))
			}
			return
		}
		if v.IsZero() {
			zero = append(zero, path)
		}
	}
	rv := reflect.ValueOf(v)
	walk(rv.Type().String(), rv)
	if len(zero) > 0 {
		tb.Fatalf("the fixture leaves %s zero: set them so that the round trip covers them", strings.Join(zero, ", "))
	}
}
