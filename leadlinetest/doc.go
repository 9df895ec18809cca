// Package leadlinetest is leadline's test kit, as net/http/httptest is
// net/http's: it gives a test an [leadline.Engine] on a fresh memstore,
// a [*clock.Mock] set to a fixed instant, and a [Recorder] that keeps every
// notification the engine delivers.
//
// A test reports events, moves the clock, sweeps and delivers itself, and
// looks at what was delivered; no deadline waits on real time (E1), and
// a move of the clock costs about a real millisecond (clock.Mock's):
//
//	k := leadlinetest.New(t, leadline.Config{Roster: org})
//	k.Handle(lead.Event{Kind: lead.EventCreated, Lead: "L-1", Score: decimal.NewFromInt(120)})
//	k.Handle(lead.Event{Kind: lead.EventInquiry, Lead: "L-1"})
//	k.Advance(49 * time.Hour)
//	k.Sweep()
//	k.Deliver()
//	for _, n := range k.Take() {
//		t.Log(n) // the approach request (A1), then the reassignment (T1)
//	}
//
// Every helper takes the test's [testing.TB] and fails the test on an
// error, so a test reads as its story. A test that expects an error calls
// the engine itself: k.Engine.Handle(ctx, ev).
package leadlinetest
