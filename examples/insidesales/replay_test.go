package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/policyfile"
	"github.com/leadline/leadline/replay"
	"github.com/leadline/leadline/sim"
)

// TestRun_ReplayEqualsLive runs the simulation with -events, replays the
// log it wrote with the setup written beside it, and compares every
// lead's history with the live store's, entry for entry (E3, E5).
func TestRun_ReplayEqualsLive(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts func(*options)
	}{
		{"default two weeks", func(*options) {}},
		{"seed 7 in New York", func(o *options) { o.days, o.Leads, o.Seed, o.Zone = 8, 150, 7, "America/New_York" }},
		{"working hours (T11)", func(o *options) { o.days, o.Leads, o.Seed, o.business = 8, 120, 3, true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			opts := defaultOptions()
			tc.opts(&opts)
			opts.events = filepath.Join(t.TempDir(), "out.jsonl")
			s, err := newWorld(opts, memstore.New(), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if err := s.writeLog(opts.events); err != nil {
				t.Fatal(err)
			}
			setup := readSetup(t, SetupPath(opts.events))
			logFile, err := os.ReadFile(opts.events)
			if err != nil {
				t.Fatal(err)
			}
			pol, err := policyfile.LoadFile(PolicyPath(opts.events))
			if err != nil {
				t.Fatal(err)
			}
			out, err := replay.Run(ctx, replay.ReadLog(bytes.NewReader(logFile)), setup.Options(pol))
			if err != nil {
				t.Fatalf("replay.Run: %v", err)
			}
			if got, want := out.Events, len(s.Events()); got != want {
				t.Fatalf("replayed %d events, want %d", got, want)
			}
			if len(out.Refused) > 0 {
				t.Errorf("replay refused events the live engine handled: %v", out.Refused)
			}
			live, err := s.store.Leads(ctx, leadline.Query{})
			if err != nil {
				t.Fatal(err)
			}
			replayed, err := out.Engine().Leads(ctx, sim.Ops, leadline.Query{})
			if err != nil {
				t.Fatal(err)
			}
			if len(live) != len(replayed) || len(live) == 0 {
				t.Fatalf("replay has %d leads, live %d", len(replayed), len(live))
			}
			entries := 0
			for _, l := range live {
				want, err := s.store.History(ctx, l.ID)
				if err != nil {
					t.Fatal(err)
				}
				got, err := out.Engine().History(ctx, sim.Ops, l.ID)
				if err != nil {
					t.Fatal(err)
				}
				entries += len(want)
				for i := range max(len(got), len(want)) {
					if i >= len(got) || i >= len(want) || !sameChange(got[i], want[i]) {
						t.Fatalf("lead %s: history differs at entry %d of %d (replay has %d):\n got: %v\nwant: %v",
							l.ID, i, len(want), len(got), at(got, i), at(want, i))
					}
				}
			}
			if entries != out.History {
				t.Errorf("outcome counted %d history entries, the live store holds %d", out.History, entries)
			}
			if out.Team.Requests == 0 || out.Team.Connections == 0 {
				t.Errorf("the outcome counts nothing of interest: %+v", out.Team.Counts)
			}
		})
	}
}

func sameChange(a, b any) bool {
	ca, cb := a.(interface{ String() string }), b.(interface{ String() string })
	return reflect.DeepEqual(fields(a), fields(b)) && ca.String() == cb.String()
}

// fields compares instants with Equal, by writing them in UTC.
func fields(c any) []any {
	v := reflect.ValueOf(c)
	out := make([]any, 0, v.NumField())
	for i := range v.NumField() {
		f := v.Field(i).Interface()
		if t, ok := f.(interface{ UnixMicro() int64 }); ok {
			f = t.UnixMicro()
		}
		out = append(out, f)
	}
	return out
}

func at[T any](s []T, i int) any {
	if i < len(s) {
		return s[i]
	}
	return "(none)"
}

func readSetup(tb testing.TB, path string) *replay.Setup {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	s, err := replay.ReadSetup(f)
	if err != nil {
		tb.Fatalf("ReadSetup(%s): %v", path, err)
	}
	return s
}
