package stage_test

import (
	"errors"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/stage"
)

// zoneJST is the fixed zone of every instant in these tests.
var zoneJST = time.FixedZone("JST", 9*3600)

// requestedAt is when the tests' approach requests are made: Monday
// 7 April 2025, 09:00 JST.
var requestedAt = time.Date(2025, 4, 7, 9, 0, 0, 0, zoneJST)

const (
	oneHour = time.Hour
	oneDay  = 24 * time.Hour
)

// begun returns a track whose cadence began at at (rule T1).
func begun(tb testing.TB, p *stage.Policy, at time.Time) stage.Track {
	tb.Helper()
	var tr stage.Track
	if err := p.Begin(&tr, at); err != nil {
		tb.Fatalf("Begin(zero track, %v) error = %v", at, err)
	}
	return tr
}

// attempt makes an attempt at at and fails unless it is accepted.
func attempt(tb testing.TB, p *stage.Policy, tr *stage.Track, at time.Time) stage.Effects {
	tb.Helper()
	eff, err := p.Attempt(tr, at)
	if err != nil {
		tb.Fatalf("Attempt(%v, %v) error = %v", tr.Stage, at, err)
	}
	return eff
}

// reached returns a track begun at requestedAt that reached s, each step one
// hour after the previous one, and the instant of its last step. For
// Connected the contact follows Stage1.
func reached(tb testing.TB, p *stage.Policy, s stage.Stage) (stage.Track, time.Time) {
	tb.Helper()
	at := requestedAt
	tr := begun(tb, p, at)
	last := min(s, stage.Stage4)
	if s == stage.Connected {
		last = stage.Stage1
	}
	for tr.Stage < last {
		at = at.Add(oneHour)
		if eff := attempt(tb, p, &tr, at); eff != 0 {
			tb.Fatalf("on-time Attempt(%v) = %v, want no effects", tr.Stage, eff)
		}
	}
	if s == stage.Connected {
		at = at.Add(oneHour)
		p.Contact(&tr, at)
	}
	if tr.Stage != s {
		tb.Fatalf("reached(%v) built a track at %v", s, tr.Stage)
	}
	return tr, at
}

// exhausted returns a track whose cadence ended at Stage4 with no contact
// (rule T7), and the instant the T7 wait ended.
func exhausted(tb testing.TB, p *stage.Policy) (stage.Track, time.Time) {
	tb.Helper()
	tr, _ := reached(tb, p, stage.Stage4)
	due := tr.Due.Time()
	if eff := p.Expire(&tr, due.Add(time.Minute)); eff != stage.Recycle {
		tb.Fatalf("Expire after the T7 wait = %v, want recycle", eff)
	}
	return tr, due
}

// stopped returns a track whose cadence a person stopped at Stage2.
func stopped(tb testing.TB, p *stage.Policy) (stage.Track, time.Time) {
	tb.Helper()
	tr, at := reached(tb, p, stage.Stage2)
	p.Stop(&tr, at.Add(oneHour))
	if tr.End != stage.EndStopped {
		tb.Fatalf("Stop left End = %v, want stopped", tr.End)
	}
	return tr, at.Add(oneHour)
}

// wantTransitionError fails unless err is an leaderr.ErrInvalidTransition for field
// "stage" and the track equals before.
func wantTransitionError(tb fatalfer, err error, before, after stage.Track) {
	tb.Helper()
	wantFieldError(tb, err, "stage")
	if !errors.Is(err, leaderr.ErrInvalidTransition) {
		tb.Fatalf("errors.Is(%v, leaderr.ErrInvalidTransition) = false, want true", err)
	}
	if after != before {
		tb.Fatalf("a refused transition changed the track:\n got %+v\nwant %+v", after, before)
	}
}

func TestPolicy_Begin_T1(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	tr := begun(t, &pol, requestedAt)
	if tr.Stage != stage.Untouched || tr.Cadence != 1 || !tr.Active() || tr.End != stage.EndNone {
		t.Errorf("Begin = stage %v cadence %d active %v end %q; want Untouched, 1, true, none", tr.Stage, tr.Cadence, tr.Active(), tr.End)
	}
	if want := requestedAt.Add(48 * oneHour); !tr.Due.Time().Equal(want) {
		t.Errorf("T1 Begin: Due = %v, want %v (48h after the request)", tr.Due.Time(), want)
	}
	if due, ok := tr.Pending(); !ok || !due.Equal(tr.Due.Time()) {
		t.Errorf("Pending() = %v, %v; want %v, true", due, ok, tr.Due.Time())
	}
	if !tr.Started.Time().Equal(requestedAt) || !tr.At(stage.Untouched).Equal(requestedAt) {
		t.Errorf("Started = %v, At(Untouched) = %v; want %v", tr.Started.Time(), tr.At(stage.Untouched), requestedAt)
	}
}

func TestPolicy_Begin(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	at := requestedAt.Add(30 * oneDay)
	ended := []struct {
		name  string
		build func(testing.TB) stage.Track
	}{
		{"after T6 contact", func(tb testing.TB) stage.Track { tr, _ := reached(tb, &pol, stage.Connected); return tr }},
		{"after T7 exhaustion", func(tb testing.TB) stage.Track { tr, _ := exhausted(tb, &pol); return tr }},
		{"after a stop", func(tb testing.TB) stage.Track { tr, _ := stopped(tb, &pol); return tr }},
	}
	for _, tt := range ended {
		t.Run("A5 new cadence "+tt.name, func(t *testing.T) {
			t.Parallel()
			tr := tt.build(t)
			tr.Late, tr.Missed, tr.Reassignments = 0xff, 0xff, 3
			if err := pol.Begin(&tr, at); err != nil {
				t.Fatalf("Begin(ended track) error = %v", err)
			}
			want := stage.Track{Stage: stage.Untouched, Cadence: 2, Started: stage.InstantOf(at), Due: stage.InstantOf(at.Add(48 * oneHour))}
			if tr != want {
				t.Errorf("Begin(ended track) =\n %+v\nwant %+v", tr, want)
			}
		})
	}
	running := []stage.Stage{stage.Untouched, stage.Stage1, stage.Stage3, stage.Stage4}
	for _, s := range running {
		t.Run("A6 refused while running at "+s.String(), func(t *testing.T) {
			t.Parallel()
			tr, _ := reached(t, &pol, s)
			before := tr
			err := pol.Begin(&tr, at)
			wantTransitionError(t, err, before, tr)
		})
	}
	t.Run("A6 refused while running with the deadline fired", func(t *testing.T) {
		t.Parallel()
		tr := begun(t, &pol, requestedAt)
		pol.Expire(&tr, requestedAt.Add(49*oneHour))
		before := tr
		err := pol.Begin(&tr, at)
		wantTransitionError(t, err, before, tr)
	})
}

func TestPolicy_Expire_T1(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	tests := []struct {
		name      string
		after     time.Duration
		want      stage.Effects
		wantFired bool
	}{
		{"T1 47h59m after the request nothing fires", 47*oneHour + 59*time.Minute, 0, false},
		{"T1 T11 exactly 48h after the request the deadline is met", 48 * oneHour, 0, false},
		{"T1 48h01m reminds, alerts and reassigns", 48*oneHour + time.Minute, stage.RemindOwner | stage.AlertManager | stage.Reassign, true},
		{"T1 one nanosecond past the deadline fires", 48*oneHour + time.Nanosecond, stage.RemindOwner | stage.AlertManager | stage.Reassign, true},
		{"T1 E5 a deadline found a week late fires", 7 * oneDay, stage.RemindOwner | stage.AlertManager | stage.Reassign, true},
		{"before the request nothing fires", -oneHour, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := begun(t, &pol, requestedAt)
			due := tr.Due.Time()
			now := requestedAt.Add(tt.after)
			if got := pol.Expire(&tr, now); got != tt.want {
				t.Fatalf("Expire(Untouched, +%v) = %q, want %q", tt.after, got, tt.want)
			}
			if tr.Stage != stage.Untouched || !tr.Active() {
				t.Errorf("Expire moved the track to %v (active %v), want Untouched, active", tr.Stage, tr.Active())
			}
			if tr.Overdue != tt.wantFired || tr.HasMissed(stage.Stage1) != tt.wantFired {
				t.Errorf("Overdue = %v, HasMissed(Stage1) = %v; want %v", tr.Overdue, tr.HasMissed(stage.Stage1), tt.wantFired)
			}
			pending, ok := tr.Pending()
			if ok == tt.wantFired || (ok && !pending.Equal(due)) {
				t.Errorf("Pending() = %v, %v after Expire; want pending %v only if nothing fired", pending, ok, due)
			}
			if !tt.wantFired {
				return
			}
			for _, later := range []time.Duration{0, time.Minute, 30 * oneDay} {
				if got := pol.Expire(&tr, now.Add(later)); got != 0 {
					t.Errorf("T8 second Expire(+%v) = %q, want nothing: a deadline fires once", tt.after+later, got)
				}
			}
		})
	}
}

func TestPolicy_Expire_T10(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		max           int
		wantReassigns int
	}{
		{"T10 default policy reassigns twice then escalates", 0, 2},
		{"T10 MaxReassignments 2", 2, 2},
		{"T10 MaxReassignments 1 reassigns once then escalates", 1, 1},
		{"T10 MaxReassignments 3", 3, 3},
		{"T10 NoReassignment escalates at the first miss", stage.NoReassignment, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pol := stage.Policy{MaxReassignments: tt.max}
			tr := begun(t, &pol, requestedAt)
			for i := 0; ; i++ {
				due := tr.Due.Time()
				found := due.Add(5 * oneHour) // E5: the sweep runs a while after the deadline
				got := pol.Expire(&tr, found)
				if i == tt.wantReassigns {
					if want := stage.RemindOwner | stage.AlertManager | stage.Escalate; got != want {
						t.Fatalf("Expire after %d reassignments = %q, want %q", i, got, want)
					}
					break
				}
				if want := stage.RemindOwner | stage.AlertManager | stage.Reassign; got != want {
					t.Fatalf("Expire after %d reassignments = %q, want %q", i, got, want)
				}
				if err := pol.Reassigned(&tr, found); err != nil {
					t.Fatalf("Reassigned after %d reassignments error = %v", i, err)
				}
				if int(tr.Reassignments) != i+1 {
					t.Errorf("Reassignments = %d, want %d", tr.Reassignments, i+1)
				}
				if want := found.Add(48 * oneHour); !tr.Due.Time().Equal(want) {
					t.Fatalf("T10 Reassigned at %v: Due = %v, want %v (48h from the reassignment)", found, tr.Due.Time(), want)
				}
				if tr.Overdue {
					t.Errorf("Reassigned left Overdue set")
				}
				if got := pol.Expire(&tr, tr.Due.Time()); got != 0 {
					t.Fatalf("T11 Expire at the fresh deadline itself = %q, want nothing", got)
				}
			}
			if got := pol.Expire(&tr, tr.Due.Time().Add(30*oneDay)); got != 0 {
				t.Errorf("T8 Expire after the escalation = %q, want nothing: a deadline fires once", got)
			}
			if _, ok := tr.Pending(); ok {
				t.Error("an escalated deadline is still pending")
			}
		})
	}
}

func TestPolicy_Reassigned_T10(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	t.Run("T10 the fresh window counts from the reassignment, not the missed deadline", func(t *testing.T) {
		t.Parallel()
		tr := begun(t, &pol, requestedAt)
		found := requestedAt.Add(60 * oneHour) // E5: found 12h after the 48h deadline
		if eff := pol.Expire(&tr, found); !eff.Has(stage.Reassign) {
			t.Fatalf("Expire(+60h) = %q, want reassign", eff)
		}
		if err := pol.Reassigned(&tr, found); err != nil {
			t.Fatal(err)
		}
		if want := requestedAt.Add(108 * oneHour); !tr.Due.Time().Equal(want) {
			t.Fatalf("Due = %v, want %v", tr.Due.Time(), want)
		}
		if eff := pol.Expire(&tr, requestedAt.Add(107*oneHour+59*time.Minute)); eff != 0 {
			t.Errorf("Expire inside the fresh window = %q, want nothing", eff)
		}
		if eff := attempt(t, &pol, &tr, requestedAt.Add(100*oneHour)); eff != 0 || tr.IsLate(stage.Stage1) {
			t.Errorf("T9 Attempt inside the fresh window = %q, late %v; want on time", eff, tr.IsLate(stage.Stage1))
		}
		if !tr.HasMissed(stage.Stage1) {
			t.Error("the first owner's missed deadline was forgotten (T8)")
		}
	})
	refused := []struct {
		name  string
		build func(testing.TB) stage.Track
	}{
		{"no cadence", func(testing.TB) stage.Track { return stage.Track{} }},
		{"Stage4", func(tb testing.TB) stage.Track { tr, _ := reached(tb, &pol, stage.Stage4); return tr }},
		{"Connected", func(tb testing.TB) stage.Track { tr, _ := reached(tb, &pol, stage.Connected); return tr }},
		{"exhausted", func(tb testing.TB) stage.Track { tr, _ := exhausted(tb, &pol); return tr }},
		{"stopped at Untouched", func(tb testing.TB) stage.Track {
			tr := begun(tb, &pol, requestedAt)
			pol.Stop(&tr, requestedAt.Add(oneHour))
			return tr
		}},
	}
	for _, tt := range refused {
		t.Run("T10 refused on "+tt.name, func(t *testing.T) {
			t.Parallel()
			tr := tt.build(t)
			before := tr
			err := pol.Reassigned(&tr, requestedAt.Add(10*oneDay))
			wantTransitionError(t, err, before, tr)
		})
	}
}

// TestPolicy_Attempt_T2T5 walks the cadence with early attempts: each
// attempt advances exactly one stage, and the next deadline counts from
// the attempt itself, not from the deadline it met. Attempt takes no
// channels, so the stage cannot depend on them ("whatever the channels").
func TestPolicy_Attempt_T2T5(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	tests := []struct {
		name     string
		from     stage.Stage
		want     stage.Stage
		wantWait time.Duration
	}{
		{"T2 the first attempt reaches Stage1 and Stage2 is due 48h later (T3)", stage.Untouched, stage.Stage1, 48 * oneHour},
		{"T3 Stage1 to Stage2 and Stage3 is due 48h later (T4)", stage.Stage1, stage.Stage2, 48 * oneHour},
		{"T4 Stage2 to Stage3 and Stage4 is due 4 days later (T5)", stage.Stage2, stage.Stage3, 96 * oneHour},
		{"T5 Stage3 to Stage4 and the T7 wait is 4 days", stage.Stage3, stage.Stage4, 96 * oneHour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr, last := reached(t, &pol, tt.from)
			before := tr
			at := last.Add(10 * oneHour)
			eff := attempt(t, &pol, &tr, at)
			if eff != 0 || tr.Stage != tt.want {
				t.Fatalf("Attempt(%v) = %v, effects %q; want %v, none", tt.from, tr.Stage, eff, tt.want)
			}
			if want := at.Add(tt.wantWait); !tr.Due.Time().Equal(want) {
				t.Errorf("Attempt(%v): Due = %v, want %v (%v after the attempt)", tt.from, tr.Due.Time(), want, tt.wantWait)
			}
			if due, ok := tr.Pending(); !ok || !due.Equal(tr.Due.Time()) {
				t.Errorf("Pending() = %v, %v; want %v, true", due, ok, tr.Due.Time())
			}
			if !tr.At(tt.want).Equal(at) {
				t.Errorf("At(%v) = %v, want %v", tt.want, tr.At(tt.want), at)
			}
			for s := stage.Stage1; s < tt.want; s++ {
				if !tr.At(s).Equal(before.At(s)) {
					t.Errorf("At(%v) changed from %v to %v", s, before.At(s), tr.At(s))
				}
			}
			for s := tt.want + 1; s <= stage.Stage4; s++ {
				if !tr.At(s).IsZero() {
					t.Errorf("At(%v) = %v for a stage not reached", s, tr.At(s))
				}
			}
			if tr.Cadence != before.Cadence || !tr.Started.Time().Equal(before.Started.Time()) || !tr.Active() || tr.Late != 0 {
				t.Errorf("Attempt changed cadence %d->%d, started %v->%v, active %v, late %#x",
					before.Cadence, tr.Cadence, before.Started.Time(), tr.Started.Time(), tr.Active(), tr.Late)
			}
		})
	}
}

func TestPolicy_Attempt_startsCadence(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	at := requestedAt.Add(40 * oneDay)
	tests := []struct {
		name        string
		build       func(testing.TB) stage.Track
		wantCadence uint32
	}{
		{"no cadence yet: a rep calls before any request", func(testing.TB) stage.Track { return stage.Track{} }, 1},
		{"after T7 exhaustion", func(tb testing.TB) stage.Track { tr, _ := exhausted(tb, &pol); return tr }, 2},
		{"after a stop", func(tb testing.TB) stage.Track { tr, _ := stopped(tb, &pol); return tr }, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := tt.build(t)
			tr.Late, tr.Missed, tr.Reassignments = 0xff, 0xff, 2
			eff := attempt(t, &pol, &tr, at)
			want := stage.Track{
				Stage:   stage.Stage1,
				Cadence: tt.wantCadence,
				Started: stage.InstantOf(at),
				Reached: [4]stage.Instant{stage.InstantOf(at)},
				Due:     stage.InstantOf(at.Add(48 * oneHour)),
			}
			if eff != 0 || tr != want {
				t.Errorf("Attempt = %q,\n %+v\nwant no effects,\n %+v", eff, tr, want)
			}
		})
	}
}

func TestPolicy_Attempt_refused(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	tests := []struct {
		name  string
		build func(testing.TB) stage.Track
	}{
		{"T6 Connected in a cadence", func(tb testing.TB) stage.Track { tr, _ := reached(tb, &pol, stage.Connected); return tr }},
		{"T6 Connected from Stage4", func(tb testing.TB) stage.Track {
			tr, at := reached(tb, &pol, stage.Stage4)
			pol.Contact(&tr, at.Add(oneHour))
			return tr
		}},
		{"T6 Connected before any cadence", func(testing.TB) stage.Track {
			var tr stage.Track
			pol.Contact(&tr, requestedAt)
			return tr
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := tt.build(t)
			before := tr
			eff, err := pol.Attempt(&tr, requestedAt.Add(20*oneDay))
			if eff != 0 {
				t.Errorf("Attempt(Connected) effects = %q, want none", eff)
			}
			wantTransitionError(t, err, before, tr)
		})
	}
}

func TestPolicy_Attempt_Stage4(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	for _, after := range []time.Duration{time.Minute, 96 * oneHour, 200 * oneHour} {
		tr, last := reached(t, &pol, stage.Stage4)
		before := tr
		if eff := attempt(t, &pol, &tr, last.Add(after)); eff != 0 {
			t.Errorf("Attempt(Stage4, +%v) = %q, want no effects", after, eff)
		}
		if tr != before {
			t.Errorf("Attempt(Stage4, +%v) changed the track: the T7 wait must not be extended\n got %+v\nwant %+v", after, tr, before)
		}
	}
}

func TestPolicy_Contact_T6(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	type build func(testing.TB) (stage.Track, time.Time)
	at := func(s stage.Stage) build {
		return func(tb testing.TB) (stage.Track, time.Time) { return reached(tb, &pol, s) }
	}
	overdue := func(s stage.Stage) build {
		return func(tb testing.TB) (stage.Track, time.Time) {
			tr, _ := reached(tb, &pol, s)
			now := tr.Due.Time().Add(oneHour)
			if eff := pol.Expire(&tr, now); eff == 0 {
				tb.Fatalf("Expire(%v) fired nothing", s)
			}
			return tr, now
		}
	}
	tests := []struct {
		name  string
		build build
	}{
		{"T6 from Untouched", at(stage.Untouched)},
		{"T6 from Stage1", at(stage.Stage1)},
		{"T6 from Stage2", at(stage.Stage2)},
		{"T6 from Stage3", at(stage.Stage3)},
		{"T6 from Stage4 during the T7 wait", at(stage.Stage4)},
		{"T6 from Untouched after T1 fired", overdue(stage.Untouched)},
		{"T6 from Stage2 after T8 fired", overdue(stage.Stage2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr, last := tt.build(t)
			before := tr
			now := last.Add(oneHour)
			if eff := pol.Contact(&tr, now); eff != 0 {
				t.Errorf("Contact(%v) = %q, want no effects", before.Stage, eff)
			}
			if tr.Stage != stage.Connected || tr.End != stage.EndConnected || tr.Active() {
				t.Errorf("Contact(%v) = stage %v end %q active %v; want Connected, connected, not active", before.Stage, tr.Stage, tr.End, tr.Active())
			}
			if !tr.Ended.Time().Equal(now) || !tr.At(stage.Connected).Equal(now) {
				t.Errorf("Contact(%v): Ended = %v, At(Connected) = %v; want %v", before.Stage, tr.Ended.Time(), tr.At(stage.Connected), now)
			}
			if due, ok := tr.Pending(); ok || !tr.Due.IsZero() || tr.Overdue {
				t.Errorf("Contact(%v): Pending() = %v, %v, Due %v, Overdue %v; want no deadline", before.Stage, due, ok, tr.Due.Time(), tr.Overdue)
			}
			if tr.Cadence != before.Cadence || tr.Reached != before.Reached || tr.Late != before.Late || tr.Missed != before.Missed {
				t.Errorf("Contact(%v) rewrote the cadence's history:\n got %+v\nwant %+v", before.Stage, tr, before)
			}
			if eff := pol.Expire(&tr, now.Add(365*oneDay)); eff != 0 {
				t.Errorf("Expire after the contact = %q, want nothing", eff)
			}
			again := tr
			if eff := pol.Contact(&again, now.Add(oneDay)); eff != 0 || again != tr {
				t.Errorf("Contact(Connected) = %q and changed the track:\n got %+v\nwant %+v", eff, again, tr)
			}
		})
	}
}

// TestPolicy_Contact_afterExhaustion checks that a contact after the T7
// wait still connects (T6 "at any stage"): a reply to the Stage4 e-mail
// that arrives after the recycle is a contact the rep must see. It moves
// the stage to Connected without starting a cadence.
func TestPolicy_Contact_afterExhaustion(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	tr, _ := exhausted(t, &pol)
	before := tr
	at := before.Ended.Time().Add(oneDay)
	pol.Contact(&tr, at)
	if tr.Stage != stage.Connected || tr.End != stage.EndConnected || !tr.Ended.Time().Equal(at) || tr.Cadence != before.Cadence || tr.Active() {
		t.Errorf("T6 Contact after exhaustion: stage %v end %q ended %v cadence %d active %v; want Connected, connected, %v, %d, false",
			tr.Stage, tr.End, tr.Ended.Time(), tr.Cadence, tr.Active(), at, before.Cadence)
	}
}

func TestPolicy_Contact_beforeCadence(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	var tr stage.Track
	pol.Contact(&tr, requestedAt)
	if tr.Stage != stage.Connected || tr.End != stage.EndConnected || tr.Cadence != 0 || tr.Active() || !tr.Ended.Time().Equal(requestedAt) {
		t.Errorf("T6 Contact(no cadence) = %+v, want Connected, ended at %v, no cadence", tr, requestedAt)
	}
	if err := pol.Begin(&tr, requestedAt.Add(oneDay)); err != nil || tr.Stage != stage.Untouched || tr.Cadence != 1 {
		t.Errorf("Begin after the contact = %v, stage %v, cadence %d; want nil, Untouched, 1", err, tr.Stage, tr.Cadence)
	}
}

func TestPolicy_Expire_T7(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	tr, last := reached(t, &pol, stage.Stage4)
	due := last.Add(96 * oneHour)
	if !tr.Due.Time().Equal(due) {
		t.Fatalf("T7 Stage4 at %v: Due = %v, want %v (4 days later)", last, tr.Due.Time(), due)
	}
	if eff := pol.Expire(&tr, due); eff != 0 || !tr.Active() {
		t.Fatalf("T11 Expire at the end of the T7 wait = %q, active %v; want nothing, active", eff, tr.Active())
	}
	if eff := pol.Expire(&tr, due.Add(time.Nanosecond)); eff != stage.Recycle {
		t.Fatalf("T7 Expire after the wait = %q, want exactly recycle", eff)
	}
	if tr.End != stage.EndExhausted || tr.Active() || tr.Stage != stage.Stage4 {
		t.Errorf("T7 after the wait: end %q, active %v, stage %v; want exhausted, false, Stage4", tr.End, tr.Active(), tr.Stage)
	}
	if !tr.Ended.Time().Equal(due) {
		t.Errorf("T7 E5 Ended = %v, want the deadline %v", tr.Ended.Time(), due)
	}
	if d, ok := tr.Pending(); ok {
		t.Errorf("Pending() = %v, true after exhaustion, want none", d)
	}
	if eff := pol.Expire(&tr, due.Add(oneDay)); eff != 0 {
		t.Errorf("second Expire after exhaustion = %q, want nothing", eff)
	}
	if tr.Late != 0 || tr.Missed != 0 {
		t.Errorf("exhaustion set Late %#x, Missed %#x; want neither", tr.Late, tr.Missed)
	}
}

// TestPolicy_Expire_T7_clearsDue checks the doc of Track.Due: "Zero when
// none". After exhaustion there is no next step.
func TestPolicy_Expire_T7_clearsDue(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	tr, _ := exhausted(t, &pol)
	if !tr.Due.IsZero() {
		t.Errorf("after T7 exhaustion Due = %v, want zero (Track.Due: \"Zero when none\")", tr.Due.Time())
	}
}

func TestPolicy_Expire_T8(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	tests := []struct {
		name       string
		from       stage.Stage
		wantMissed stage.Stage
	}{
		{"T8 Stage2 attempt overdue", stage.Stage1, stage.Stage2},
		{"T8 Stage3 attempt overdue", stage.Stage2, stage.Stage3},
		{"T8 Stage4 attempt overdue", stage.Stage3, stage.Stage4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr, _ := reached(t, &pol, tt.from)
			due := tr.Due.Time()
			if eff := pol.Expire(&tr, due); eff != 0 {
				t.Fatalf("T11 Expire(%v) at the deadline = %q, want nothing", tt.from, eff)
			}
			if eff := pol.Expire(&tr, due.Add(time.Minute)); eff != stage.RemindOwner|stage.AlertManager {
				t.Fatalf("Expire(%v) after the deadline = %q, want exactly remind_owner|alert_manager", tt.from, eff)
			}
			if tr.Stage != tt.from || !tr.Active() || !tr.Overdue {
				t.Errorf("after T8: stage %v, active %v, overdue %v; want %v, true, true", tr.Stage, tr.Active(), tr.Overdue, tt.from)
			}
			for s := stage.Untouched; s <= stage.Connected; s++ {
				if got, want := tr.HasMissed(s), s == tt.wantMissed; got != want {
					t.Errorf("HasMissed(%v) = %v, want %v", s, got, want)
				}
			}
			// T13: what is pending now is the repeated reminder, one
			// window of the missed stage later; the deadline itself fired
			// once.
			nag := due.Add(time.Minute).Add(pol.Window(tt.from + 1)) // from when it fired
			if d, ok := tr.Pending(); !ok || !d.Equal(nag) {
				t.Errorf("Pending() = %v, %v after the deadline fired, want the T13 reminder at %v", d, ok, nag)
			}
			if eff := pol.Expire(&tr, nag); eff != 0 {
				t.Errorf("Expire at the reminder's instant = %q, want nothing yet (T11)", eff)
			}
		})
	}
}

func TestPolicy_Attempt_T9(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	type when struct {
		expireAt time.Duration // fire the deadline at due+expireAt first; 0 means do not
		attempt  time.Duration // attempt at due+attempt
	}
	offsets := []struct {
		name     string
		w        when
		wantLate bool
	}{
		{"T11 an attempt exactly at the deadline is on time", when{attempt: 0}, false},
		{"an attempt a minute early is on time", when{attempt: -time.Minute}, false},
		{"T9 an attempt a minute late advances and is late", when{attempt: time.Minute}, true},
		{"T9 an attempt a nanosecond late is late", when{attempt: time.Nanosecond}, true},
		{"T9 an attempt after the deadline fired is late", when{expireAt: time.Minute, attempt: 2 * time.Minute}, true},
		{"T9 an attempt made before the deadline but reported after it fired is on time", when{expireAt: time.Minute, attempt: -oneHour}, false},
	}
	for _, from := range []stage.Stage{stage.Untouched, stage.Stage1, stage.Stage2, stage.Stage3} {
		for _, o := range offsets {
			t.Run(o.name+" from "+from.String(), func(t *testing.T) {
				t.Parallel()
				tr, _ := reached(t, &pol, from)
				due := tr.Due.Time()
				if o.w.expireAt != 0 {
					if eff := pol.Expire(&tr, due.Add(o.w.expireAt)); eff == 0 {
						t.Fatalf("Expire(%v) fired nothing", from)
					}
				}
				at := due.Add(o.w.attempt)
				eff := attempt(t, &pol, &tr, at)
				next := from + 1
				wantEff := stage.Effects(0)
				if o.wantLate {
					wantEff = stage.Late
				}
				if eff != wantEff || tr.Stage != next {
					t.Fatalf("Attempt(%v) at deadline%+v = %v, effects %q; want %v, %q", from, o.w.attempt, tr.Stage, eff, next, wantEff)
				}
				for s := stage.Untouched; s <= stage.Connected; s++ {
					if got, want := tr.IsLate(s), o.wantLate && s == next; got != want {
						t.Errorf("IsLate(%v) = %v, want %v", s, got, want)
					}
				}
				if tr.Overdue {
					t.Error("the attempt left Overdue set; the new deadline has not fired")
				}
				wait := 96 * oneHour // T7
				if next < stage.Stage4 {
					wait = pol.Window(next + 1)
				}
				if d, ok := tr.Pending(); !ok || !d.Equal(at.Add(wait)) {
					t.Errorf("Pending() = %v, %v; want %v, counted from the attempt at %v", d, ok, at.Add(wait), at)
				}
			})
		}
	}
}

func TestPolicy_Calendar_T11(t *testing.T) {
	t.Parallel()
	type call struct {
		t time.Time
		d time.Duration
	}
	var calls []call
	double := stage.CalendarFunc(func(t time.Time, d time.Duration) time.Time {
		calls = append(calls, call{t, d})
		return t.Add(2 * d)
	})
	pol := stage.Policy{Calendar: double}

	var tr stage.Track
	if err := pol.Begin(&tr, requestedAt); err != nil {
		t.Fatal(err)
	}
	if want := requestedAt.Add(96 * oneHour); !tr.Due.Time().Equal(want) {
		t.Fatalf("T11 Begin with a double-time calendar: Due = %v, want %v", tr.Due.Time(), want)
	}
	if eff := pol.Expire(&tr, requestedAt.Add(95*oneHour)); eff != 0 {
		t.Fatalf("T11 Expire at 95h wall clock = %q, want nothing: the calendar counts 47.5h", eff)
	}
	if eff := pol.Expire(&tr, requestedAt.Add(97*oneHour)); !eff.Has(stage.Reassign) {
		t.Fatalf("T11 Expire at 97h = %q, want reassign", eff)
	}
	reassignedAt := requestedAt.Add(97 * oneHour)
	if err := pol.Reassigned(&tr, reassignedAt); err != nil {
		t.Fatal(err)
	}
	if want := reassignedAt.Add(96 * oneHour); !tr.Due.Time().Equal(want) {
		t.Fatalf("T10 T11 Reassigned: Due = %v, want %v", tr.Due.Time(), want)
	}
	at := reassignedAt
	wantWaits := []time.Duration{96 * oneHour, 96 * oneHour, 192 * oneHour, 192 * oneHour}
	for i, wait := range wantWaits {
		at = at.Add(oneHour)
		if eff := attempt(t, &pol, &tr, at); eff != 0 {
			t.Fatalf("attempt %d = %q, want on time", i+1, eff)
		}
		if want := at.Add(wait); !tr.Due.Time().Equal(want) {
			t.Errorf("T11 Attempt to %v: Due = %v, want %v", tr.Stage, tr.Due.Time(), want)
		}
	}
	if got, want := pol.Add(requestedAt, oneHour), requestedAt.Add(2*oneHour); !got.Equal(want) {
		t.Errorf("Policy.Add = %v, want %v", got, want)
	}
	wantDs := []time.Duration{48 * oneHour, 48 * oneHour, 48 * oneHour, 48 * oneHour, 96 * oneHour, 96 * oneHour, oneHour}
	if len(calls) != len(wantDs) {
		t.Fatalf("the calendar was called %d times, want %d: %v", len(calls), len(wantDs), calls)
	}
	for i, c := range calls {
		if c.d != wantDs[i] {
			t.Errorf("calendar call %d counted %v, want %v", i, c.d, wantDs[i])
		}
	}
}

func TestPolicy_Stop(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	for _, s := range []stage.Stage{stage.Untouched, stage.Stage1, stage.Stage2, stage.Stage3, stage.Stage4} {
		tr, last := reached(t, &pol, s)
		before := tr
		now := last.Add(oneHour)
		pol.Stop(&tr, now)
		if tr.End != stage.EndStopped || tr.Active() || tr.Stage != s || !tr.Ended.Time().Equal(now) {
			t.Errorf("Stop(%v) = end %q, active %v, stage %v, ended %v; want stopped, false, %v, %v", s, tr.End, tr.Active(), tr.Stage, tr.Ended.Time(), s, now)
		}
		if d, ok := tr.Pending(); ok || !tr.Due.IsZero() {
			t.Errorf("Stop(%v) kept a deadline: Pending() = %v, %v, Due %v", s, d, ok, tr.Due.Time())
		}
		if tr.Cadence != before.Cadence || tr.Reached != before.Reached {
			t.Errorf("Stop(%v) rewrote the cadence: %+v", s, tr)
		}
		if eff := pol.Expire(&tr, before.Due.Time().Add(oneDay)); eff != 0 {
			t.Errorf("Expire after Stop(%v) = %q, want nothing", s, eff)
		}
	}
	noop := []struct {
		name  string
		build func(testing.TB) stage.Track
	}{
		{"no cadence", func(testing.TB) stage.Track { return stage.Track{} }},
		{"Connected", func(tb testing.TB) stage.Track { tr, _ := reached(tb, &pol, stage.Connected); return tr }},
		{"exhausted", func(tb testing.TB) stage.Track { tr, _ := exhausted(tb, &pol); return tr }},
		{"stopped", func(tb testing.TB) stage.Track { tr, _ := stopped(tb, &pol); return tr }},
	}
	for _, tt := range noop {
		tr := tt.build(t)
		before := tr
		pol.Stop(&tr, requestedAt.Add(50*oneDay))
		if tr != before {
			t.Errorf("Stop(%s) changed the track:\n got %+v\nwant %+v", tt.name, tr, before)
		}
	}
}

func TestTrack_zero(t *testing.T) {
	t.Parallel()
	var tr stage.Track
	if tr.Active() || tr.Stage != stage.Untouched || tr.End != stage.EndNone {
		t.Errorf("zero Track: active %v, stage %v, end %q", tr.Active(), tr.Stage, tr.End)
	}
	if d, ok := tr.Pending(); ok || !d.IsZero() {
		t.Errorf("zero Track: Pending() = %v, %v; want zero, false", d, ok)
	}
	for s := stage.Untouched; s <= stage.Connected; s++ {
		if !tr.At(s).IsZero() || tr.IsLate(s) || tr.HasMissed(s) {
			t.Errorf("zero Track: At(%v) = %v, IsLate %v, HasMissed %v", s, tr.At(s), tr.IsLate(s), tr.HasMissed(s))
		}
	}
	pol := stage.DefaultPolicy()
	if eff := pol.Expire(&tr, requestedAt); eff != 0 || tr != (stage.Track{}) {
		t.Errorf("Expire(zero Track) = %q, track %+v; want nothing", eff, tr)
	}
}

func TestTrack_At(t *testing.T) {
	t.Parallel()
	pol := stage.DefaultPolicy()
	tr, last := reached(t, &pol, stage.Stage3)
	want := map[stage.Stage]time.Time{
		stage.Untouched: requestedAt,
		stage.Stage1:    requestedAt.Add(oneHour),
		stage.Stage2:    requestedAt.Add(2 * oneHour),
		stage.Stage3:    last,
		stage.Stage4:    {},
		stage.Connected: {},
		stage.Stage(6):  {},
	}
	for s, w := range want {
		if got := tr.At(s); !got.Equal(w) {
			t.Errorf("At(%v) = %v, want %v", s, got, w)
		}
	}
	pol.Stop(&tr, last.Add(oneHour))
	if got := tr.At(stage.Connected); !got.IsZero() {
		t.Errorf("At(Connected) after a stop = %v, want zero: the lead was not connected", got)
	}
}

func TestTrack_IsLate_HasMissed_bits(t *testing.T) {
	t.Parallel()
	tr := stage.Track{Late: 1 << stage.Stage2, Missed: 1<<stage.Stage1 | 1<<stage.Stage4}
	for i := range 256 {
		s := stage.Stage(i)
		if got, want := tr.IsLate(s), s == stage.Stage2; got != want {
			t.Errorf("IsLate(%v) = %v, want %v", s, got, want)
		}
		if got, want := tr.HasMissed(s), s == stage.Stage1 || s == stage.Stage4; got != want {
			t.Errorf("HasMissed(%v) = %v, want %v", s, got, want)
		}
	}
}

// cadenceModel is the rapid model of one lead's Track: what the cadence
// rules (T1-T12) say the track must look like after each transition,
// written without the stage package's own arithmetic.
type cadenceModel struct {
	pol   stage.Policy
	wait  [5]time.Duration // wait[s]: how long after reaching s the next deadline falls
	maxR  int              // reassignments before escalation (T10)
	reps  int              // repeated reminders of a missed step (T13)
	every time.Duration    // their interval; 0: the stage's window (T13)
	add   func(time.Time, time.Duration) time.Time

	now time.Time
	tr  stage.Track // the system under test

	cadence    uint32
	stage      stage.Stage
	end        stage.End
	running    bool
	due        time.Time // deadline of the next step while running
	fired      bool      // due fired (T8)
	nag        time.Time // while fired: the next repeated reminder or hand-on (T13); zero for none
	nags       int       // repeated reminders fired for the missed step (T13)
	lastStep   time.Time // the step due counts from
	ended      time.Time
	late       stage.StageSet
	missed     stage.StageSet
	reassigned int
	fires      map[deadlineID]int

	// What the previous check saw, for the step invariants.
	prevStage   stage.Stage
	prevCadence uint32
	prevEnd     stage.End
}

// deadlineID names one deadline of one cadence.
type deadlineID struct {
	cadence    uint32
	stage      stage.Stage
	reassigned int
	due        int64
}

func newCadenceModel(t *rapid.T) *cadenceModel {
	windows := []time.Duration{0, time.Minute, oneHour, 48 * oneHour, 96 * oneHour}
	m := &cadenceModel{now: requestedAt, fires: map[deadlineID]int{}}
	defaults := [5]time.Duration{48 * oneHour, 48 * oneHour, 48 * oneHour, 96 * oneHour, 96 * oneHour}
	var within [5]time.Duration
	for i := range within {
		within[i] = rapid.SampledFrom(windows).Draw(t, "within")
		m.wait[i] = within[i]
		if within[i] == 0 {
			m.wait[i] = defaults[i]
		}
	}
	m.pol = stage.Policy{
		Stage1:       stage.Step{Within: within[0]},
		Stage2:       stage.Step{Within: within[1]},
		Stage3:       stage.Step{Within: within[2]},
		Stage4:       stage.Step{Within: within[3]},
		RecycleAfter: within[4],
	}
	m.pol.MaxReassignments = rapid.SampledFrom([]int{0, stage.NoReassignment, 1, 2, 3}).Draw(t, "max_reassignments")
	switch m.pol.MaxReassignments {
	case 0:
		m.maxR = 2
	case stage.NoReassignment:
		m.maxR = 0
	default:
		m.maxR = m.pol.MaxReassignments
	}
	m.pol.Repeats = rapid.SampledFrom([]int{0, stage.NoRepeat, 1, 3}).Draw(t, "repeats")
	switch m.pol.Repeats {
	case 0:
		m.reps = 2
	case stage.NoRepeat:
		m.reps = 0
	default:
		m.reps = m.pol.Repeats
	}
	m.pol.RepeatAfter = rapid.SampledFrom([]time.Duration{0, oneHour, 48 * oneHour}).Draw(t, "repeat_after")
	m.every = m.pol.RepeatAfter
	m.add = time.Time.Add
	switch rapid.SampledFrom([]string{"nil", "wall clock", "double time"}).Draw(t, "calendar") {
	case "wall clock":
		m.pol.Calendar = stage.WallClock{}
	case "double time":
		m.pol.Calendar = stage.CalendarFunc(func(t time.Time, d time.Duration) time.Time { return t.Add(2 * d) })
		m.add = func(t time.Time, d time.Duration) time.Time { return t.Add(2 * d) }
	}
	return m
}

// startCadence is Begin (at Untouched) or a first Attempt (at Stage1).
func (m *cadenceModel) startCadence(s stage.Stage) {
	m.cadence++
	m.stage, m.end, m.running = s, stage.EndNone, true
	m.fired, m.late, m.missed, m.reassigned = false, 0, 0, 0
	m.nag, m.nags = time.Time{}, 0
	m.ended = time.Time{}
	m.lastStep = m.now
	m.due = m.add(m.now, m.wait[s])
}

func (m *cadenceModel) fire() {
	id := deadlineID{m.cadence, m.stage, m.reassigned, m.due.UnixNano()}
	m.fires[id]++
}

func (m *cadenceModel) begin(t *rapid.T) {
	before := m.tr
	err := m.pol.Begin(&m.tr, m.now)
	if m.running {
		wantTransitionError(t, err, before, m.tr) // A6
		return
	}
	if err != nil {
		t.Fatalf("Begin(%v, ended %q) error = %v", before.Stage, before.End, err)
	}
	m.startCadence(stage.Untouched)
}

func (m *cadenceModel) attempt(t *rapid.T) {
	before := m.tr
	eff, err := m.pol.Attempt(&m.tr, m.now)
	switch {
	case m.stage == stage.Connected: // T6
		if eff != 0 {
			t.Fatalf("Attempt(Connected) effects = %q", eff)
		}
		wantTransitionError(t, err, before, m.tr)
		return
	case err != nil:
		t.Fatalf("Attempt(%v) error = %v", before.Stage, err)
	case !m.running:
		m.startCadence(stage.Stage1)
		if eff != 0 {
			t.Fatalf("Attempt starting a cadence = %q, want no effects", eff)
		}
		return
	case m.stage == stage.Stage4:
		if eff != 0 || m.tr != before {
			t.Fatalf("Attempt(Stage4) = %q and changed the track", eff)
		}
		return
	}
	var want stage.Effects
	next := m.stage + 1
	if m.now.After(m.due) { // T9: judged on the attempt's own time
		want = stage.Late
		m.late |= 1 << next
	}
	if eff != want {
		t.Fatalf("Attempt(%v) at %v, due %v, fired %v = %q, want %q (T9, T11)", m.stage, m.now, m.due, m.fired, eff, want)
	}
	m.stage = next
	m.fired, m.nag, m.nags = false, time.Time{}, 0
	m.lastStep = m.now
	m.due = m.add(m.now, m.wait[next])
}

// interval is the wait between the reminders of the missed step (T13).
func (m *cadenceModel) interval() time.Duration {
	if m.every > 0 {
		return m.every
	}
	return m.wait[m.stage]
}

// expire is what one Expire at m.now must do, applied to the model.
func (m *cadenceModel) expire() stage.Effects {
	handOn := stage.Reassign
	if m.reassigned >= m.maxR {
		handOn = stage.Escalate
	}
	switch {
	case !m.running:
		return 0
	case m.fired: // T13
		if m.nag.IsZero() || !m.now.After(m.nag) {
			return 0
		}
		m.fires[deadlineID{m.cadence, m.stage, m.reassigned, m.nag.UnixNano()}]++
		if m.nags < m.reps {
			m.nags++
			m.nag = m.add(m.now, m.interval())
			return stage.RemindOwner | stage.AlertManager | stage.Repeat
		}
		m.nag = time.Time{}
		return stage.Repeat | handOn
	case !m.now.After(m.due):
		return 0
	}
	m.fire()
	switch m.stage {
	case stage.Untouched: // T1, T10
		m.fired = true
		m.missed |= 1 << stage.Stage1
		return stage.RemindOwner | stage.AlertManager | handOn
	case stage.Stage4: // T7
		m.running, m.end, m.ended = false, stage.EndExhausted, m.due
		return stage.Recycle
	}
	m.fired = true // T8
	m.missed |= 1 << (m.stage + 1)
	m.nags = 0
	m.nag = m.add(m.now, m.interval())
	return stage.RemindOwner | stage.AlertManager
}

func (m *cadenceModel) contact(t *rapid.T) {
	if eff := m.pol.Contact(&m.tr, m.now); eff != 0 {
		t.Fatalf("Contact = %q, want no effects", eff)
	}
	switch {
	case m.stage == stage.Connected:
		// T6: nothing changes.
	default: // T6 from any stage, an ended cadence included
		m.stage, m.end, m.running = stage.Connected, stage.EndConnected, false
		m.ended = m.now
	}
}

func (m *cadenceModel) advance(t *rapid.T) {
	var d time.Duration
	kind := rapid.SampledFrom([]string{"random", "to due", "just after due", "just before due"}).Draw(t, "advance")
	target := m.due
	switch kind {
	case "just after due":
		target = m.due.Add(time.Nanosecond)
	case "just before due":
		target = m.due.Add(-time.Nanosecond)
	}
	if kind == "random" || !m.running || m.fired || target.Before(m.now) {
		d = time.Duration(rapid.Int64Range(0, 200).Draw(t, "minutes")) * time.Minute
		if rapid.Bool().Draw(t, "long") {
			d += time.Duration(rapid.Int64Range(0, 240).Draw(t, "hours")) * oneHour
		}
	} else {
		d = target.Sub(m.now)
	}
	m.now = m.now.Add(d)

	// The engine fires a lead's passed deadlines one after another (E5).
	for range 16 {
		stageWas, firedWas := m.stage, m.fired
		eff := m.pol.Expire(&m.tr, m.now)
		want := m.expire()
		if eff != want {
			t.Fatalf("Expire(%v) at %v, due %v, fired %v = %q, want %q", stageWas, m.now, m.due, firedWas, eff, want)
		}
		if want == 0 || want.Has(stage.Reassign) || want.Has(stage.Escalate) {
			break // a hand-on waits for Reassigned
		}
	}
	// E5, T8: no deadline that passed is still waiting to fire.
	if due, ok := m.tr.Pending(); ok && due.Before(m.now) && m.tr.Nags < 255 {
		t.Fatalf("after Expire at %v a passed deadline %v is still pending", m.now, due)
	}
}

func (m *cadenceModel) reassignedTo(t *rapid.T) {
	before := m.tr
	err := m.pol.Reassigned(&m.tr, m.now)
	if !m.running || m.stage >= stage.Stage4 {
		wantTransitionError(t, err, before, m.tr)
		return
	}
	if err != nil {
		t.Fatalf("Reassigned(%v) error = %v", m.stage, err)
	}
	m.reassigned++ // T10, T13
	m.fired, m.nag, m.nags = false, time.Time{}, 0
	m.lastStep = m.now
	m.due = m.add(m.now, m.wait[m.stage])
}

func (m *cadenceModel) stop(*rapid.T) {
	m.pol.Stop(&m.tr, m.now)
	if m.running {
		m.running, m.end, m.ended = false, stage.EndStopped, m.now
	}
}

func (m *cadenceModel) check(t *rapid.T) {
	tr := &m.tr
	if tr.Stage != m.stage || tr.Cadence != m.cadence || tr.End != m.end || tr.Active() != m.running {
		t.Fatalf("track at stage %v cadence %d end %q active %v; model says %v, %d, %q, %v",
			tr.Stage, tr.Cadence, tr.End, tr.Active(), m.stage, m.cadence, m.end, m.running)
	}
	// T2-T5: a stage never skips and never goes back, except to begin a new cadence.
	switch {
	case tr.Cadence == m.prevCadence:
		if tr.Stage != m.prevStage && tr.Stage != m.prevStage+1 && tr.Stage != stage.Connected {
			t.Fatalf("T2-T5 stage moved %v -> %v within cadence %d", m.prevStage, tr.Stage, tr.Cadence)
		}
		// T6, T7: Connected and exhausted end the cadence; only a new one
		// moves them, except that a contact connects an exhausted cadence
		// (T6 "at any stage").
		switch {
		case m.prevEnd == stage.EndConnected && (tr.Stage != m.prevStage || tr.End != m.prevEnd),
			m.prevEnd == stage.EndExhausted && tr.End != m.prevEnd && tr.End != stage.EndConnected,
			m.prevEnd == stage.EndExhausted && tr.Stage != m.prevStage && tr.Stage != stage.Connected:
			t.Fatalf("T6/T7 an ended cadence (%v, %q) moved to (%v, %q) without a new cadence", m.prevStage, m.prevEnd, tr.Stage, tr.End)
		}
	case tr.Cadence == m.prevCadence+1:
		if tr.Stage != stage.Untouched && tr.Stage != stage.Stage1 {
			t.Fatalf("a new cadence starts at %v, want Untouched or Stage1", tr.Stage)
		}
	default:
		t.Fatalf("Cadence went %d -> %d", m.prevCadence, tr.Cadence)
	}
	if (tr.End == stage.EndConnected) != (tr.Stage == stage.Connected) {
		t.Fatalf("T6 stage %v with end %q", tr.Stage, tr.End)
	}
	// At most one pending deadline, never before the step it counts from, at the expected instant (T11).
	due, ok := tr.Pending()
	wantDue := m.due
	if m.fired {
		wantDue = m.nag
	}
	if wantOK := m.running && !wantDue.IsZero(); ok != wantOK {
		t.Fatalf("Pending() = %v, %v; model says pending %v (running %v, fired %v, nag %v)", due, ok, wantOK, m.running, m.fired, m.nag)
	}
	if ok && (!due.Equal(wantDue) || due.Before(m.lastStep)) {
		t.Fatalf("Pending() = %v; want %v, not before the last step %v", due, wantDue, m.lastStep)
	}
	if ok && !m.fired && !tr.Due.Time().Equal(due) {
		t.Fatalf("Due = %v but Pending() = %v", tr.Due.Time(), due)
	}
	if tr.Overdue != (m.running && m.fired) {
		t.Fatalf("Overdue = %v; model says fired %v while running %v", tr.Overdue, m.fired, m.running)
	}
	// T8, E5: every deadline fires at most once.
	for id, n := range m.fires {
		if n != 1 {
			t.Fatalf("deadline %+v fired %d times", id, n)
		}
	}
	// T9: late bits only for stages reached late; T8 missed bits for deadlines that fired.
	if tr.Late != m.late || tr.Missed != m.missed {
		t.Fatalf("Late %#x, Missed %#x; model says %#x, %#x", tr.Late, tr.Missed, m.late, m.missed)
	}
	if int(tr.Reassignments) != m.reassigned {
		t.Fatalf("Reassignments = %d, model says %d", tr.Reassignments, m.reassigned)
	}
	if !tr.Ended.Time().Equal(m.ended) && !m.running {
		t.Fatalf("Ended = %v, model says %v", tr.Ended.Time(), m.ended)
	}
	m.prevStage, m.prevCadence, m.prevEnd = tr.Stage, tr.Cadence, tr.End
}

// TestPolicy_model runs random sequences of Begin, Attempt, Contact,
// Reassigned, Stop and a moving clock with Expire against cadenceModel.
func TestPolicy_model(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := newCadenceModel(t)
		t.Repeat(map[string]func(*rapid.T){
			"begin":      m.begin,
			"attempt":    m.attempt,
			"contact":    m.contact,
			"advance":    m.advance,
			"reassigned": m.reassignedTo,
			"stop":       m.stop,
			"":           m.check,
		})
	})
}

func TestPolicy_Expire_T13(t *testing.T) {
	t.Parallel()
	// T13: a missed Stage2 step (due 48h after Stage1) is reminded again
	// after each further window, Repeats times, and one window after the
	// last the lead is handed on: reassigned while reassignments are
	// left, else escalated to the manager (T10).
	tests := []struct {
		name  string
		pol   stage.Policy
		wants []stage.Effects // what each successive deadline does
	}{
		{"T13 default: two repeats, then reassign", stage.Policy{}, []stage.Effects{
			stage.RemindOwner | stage.AlertManager,
			stage.RemindOwner | stage.AlertManager | stage.Repeat,
			stage.RemindOwner | stage.AlertManager | stage.Repeat,
			stage.Repeat | stage.Reassign,
		}},
		{"T13 NoRepeat: hand on one window after the reminder", stage.Policy{Repeats: stage.NoRepeat}, []stage.Effects{
			stage.RemindOwner | stage.AlertManager,
			stage.Repeat | stage.Reassign,
		}},
		{"T13 T10 no reassignment left: escalate", stage.Policy{Repeats: 1, MaxReassignments: stage.NoReassignment}, []stage.Effects{
			stage.RemindOwner | stage.AlertManager,
			stage.RemindOwner | stage.AlertManager | stage.Repeat,
			stage.Repeat | stage.Escalate,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pol := tt.pol
			tr, _ := reached(t, &pol, stage.Stage1)
			for i, want := range tt.wants {
				due, ok := tr.Pending()
				if !ok {
					t.Fatalf("deadline %d: nothing pending; a running cadence always has a deadline (T13)", i)
				}
				if eff := pol.Expire(&tr, due.Add(time.Minute)); eff != want {
					t.Fatalf("deadline %d at %v = %q, want %q", i, due, eff, want)
				}
			}
			if _, ok := tr.Pending(); ok {
				t.Fatal("after the hand-on a deadline is pending before Reassigned")
			}
			at := tr.Reached[0].Time().Add(30 * oneDay)
			if err := pol.Reassigned(&tr, at); err != nil {
				t.Fatalf("Reassigned(Stage1) = %v, want a fresh window (T13)", err)
			}
			if due, ok := tr.Pending(); !ok || !due.Equal(at.Add(pol.Window(stage.Stage2))) || tr.Overdue || tr.Nags != 0 {
				t.Fatalf("after Reassigned: pending %v %v, overdue %v, nags %d; want a fresh Stage2 window", due, ok, tr.Overdue, tr.Nags)
			}
			if eff := attempt(t, &pol, &tr, at.Add(time.Hour)); eff != 0 || tr.Stage != stage.Stage2 {
				t.Fatalf("an attempt in the fresh window = %q at %v, want on time at Stage2", eff, tr.Stage)
			}
		})
	}
}

// TestInstantOf_saturates: instants outside 1678-2262 saturate to the
// ends of the range, in order, where UnixNano would wrap around.
func TestInstantOf_saturates(t *testing.T) {
	lo, hi := time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
	inside := stage.InstantOf(time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC))
	for _, c := range []struct {
		t     time.Time
		after bool // after every instant inside the range
	}{
		{time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), true},
		{time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), false},
	} {
		i := stage.InstantOf(c.t)
		if c.after && !(i > stage.InstantOf(hi) && i > inside) || !c.after && !(i < stage.InstantOf(lo) && i != 0) {
			t.Errorf("InstantOf(%v) = %d; want it past the end of the range it is beyond", c.t, int64(i))
		}
	}
	if got := stage.InstantOf(hi).Time(); !got.Equal(hi) {
		t.Errorf("InstantOf(%v).Time() = %v; inside the range an instant is kept", hi, got)
	}
}
