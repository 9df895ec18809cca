package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/sim"
)

var update = flag.Bool("update", false, "rewrite testdata/eventrouting.golden")

// TestMain runs the command itself when the test binary is started as
// the command (TestMain_badFlags), and the tests otherwise.
func TestMain(m *testing.M) {
	if os.Getenv("EVENTROUTING_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func runString(tb testing.TB, opts sim.Flags) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := run(&buf, opts); err != nil {
		tb.Fatalf("run(%+v): %v", opts, err)
	}
	return buf.String()
}

func TestRun_Golden(t *testing.T) {
	t.Parallel()
	got := runString(t, defaultOptions())
	path := filepath.Join("testdata", "eventrouting.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./examples/eventrouting -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("output differs from %s at line %d:\n got: %q\nwant: %q\n(rewrite with -update and review the diff)", path, i+1, g, w)
			}
		}
	}
}

func TestRun_Deterministic(t *testing.T) {
	t.Parallel()
	small, big := defaultOptions(), defaultOptions()
	small.Leads, small.Seed, small.Zone = small.MinLeads, 7, "Europe/Berlin"
	big.Leads, big.Seed, big.Zone = 300, 42, "America/New_York"
	for _, opts := range []sim.Flags{defaultOptions(), small, big} {
		first, second := runString(t, opts), runString(t, opts)
		if first != second {
			t.Errorf("run(%+v) printed different output on the second run", opts)
		}
	}
}

// ranSim runs the default week and returns the simulation, for tests that
// check the engine's own state rather than the printed text.
func ranSim(t *testing.T) *world {
	t.Helper()
	s, err := newWorld(defaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(t.Context(), s.end); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRun_Rules(t *testing.T) {
	t.Parallel()
	s := ranSim(t)
	ctx := t.Context()
	leads, err := s.eng.Leads(ctx, sim.Ops, leadline.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(leads) != defaultOptions().Leads {
		t.Fatalf("the store holds %d leads, want %d", len(leads), defaultOptions().Leads)
	}
	asked := map[string]bool{} // leads inside sales was asked to approach
	for _, n := range s.Notifications() {
		if n.Kind == leadline.NoteApproachRequest {
			asked[n.Lead] = true
			if !s.org.Inside.Has(n.To) {
				t.Errorf("approach request for %s went to %q, not an inside rep (M1)", n.Lead, n.To)
			}
		}
	}

	t.Run("M4 the car dealer: invited and met by a field rep, never inside sales", func(t *testing.T) {
		dealers := 0
		for _, l := range leads {
			invited := slices.ContainsFunc(l.Responses, func(tc lead.Touch) bool {
				return tc.Kind == lead.ResponseInvited && s.org.Field.Has(tc.By)
			})
			met := slices.ContainsFunc(l.Responses, func(tc lead.Touch) bool {
				return tc.Kind == lead.ResponseMet && s.org.Field.Has(tc.By)
			})
			if !invited || !met {
				continue
			}
			dealers++
			if l.Desk != lead.DeskField || !s.org.Field.Has(l.Owner) {
				t.Errorf("%s, invited and met by field, is on the %v desk with %q", l.ID, l.Desk, l.Owner)
			}
			if l.Request.Seq > 0 || asked[l.ID] {
				t.Errorf("%s, invited and met by field, got an approach request (%v)", l.ID, l.Request.Reasons)
			}
			h, err := s.eng.History(ctx, sim.Ops, l.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range h {
				if c.Field == lead.FieldRoute && c.To == lead.DeskInside.String() || c.Field == lead.FieldRequest && c.To == lead.RequestOpen.String() {
					t.Errorf("%s, invited and met by field: %v", l.ID, c)
				}
			}
		}
		if dealers == 0 {
			t.Fatal("no lead was invited and met by a field rep; the week must show the car dealer")
		}
	})

	t.Run("every routing decision has a rule and a reason", func(t *testing.T) {
		routed := 0
		for _, l := range leads {
			r, err := s.lastRoute(ctx, l.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Field == 0 {
				continue
			}
			routed++
			if len(r.Rules) == 0 || r.Rules[0] == "" || r.Text == "" {
				t.Errorf("%s: last route entry %v has no rule or no reason", l.ID, r)
			}
		}
		if routed < len(leads)/2 {
			t.Fatalf("%d of %d leads routed, want most of them", routed, len(leads))
		}
	})

	t.Run("M4 the account-owned lead goes to its account owner", func(t *testing.T) {
		n := 0
		for _, l := range leads {
			if p := s.people[l.ID]; p.accountOwned {
				n++
				if l.Desk != lead.DeskField || l.Owner != p.account {
					t.Errorf("account-owned %s: desk %v owner %q, want field with %s", l.ID, l.Desk, l.Owner, p.account)
				}
			}
		}
		if n != 1 {
			t.Fatalf("%d account-owned leads, want 1", n)
		}
	})

	t.Run("M5 the refused feedback import changed nothing", func(t *testing.T) {
		if len(s.sheets) == 0 || len(s.sheets[0].Bad.Rows) == 0 {
			t.Fatal("no refused sheet this week")
		}
		st := s.sheets[0]
		ie, ok := errors.AsType[*routing.ImportError](st.BadErr)
		if !ok || len(ie.Errs) == 0 {
			t.Fatalf("the bad sheet gave %v, want a *routing.ImportError", st.BadErr)
		}
		for _, fe := range ie.Errs {
			if fe.Line < 2 || fe.Field == "" {
				t.Errorf("problem %v has no data line or no field", fe)
			}
		}
		if len(st.Before) != len(leads) || !maps.Equal(st.Before, st.After) {
			t.Fatal("leads changed around the refused import")
		}
		// And again now, against the engine as the week left it.
		before, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		v := routing.Viewer{Rep: st.Rep, Role: routing.RoleField}
		n, err := s.Import(ctx, v, st.Bad, "test/bad-sheet")
		if _, ok := errors.AsType[*routing.ImportError](err); !ok || n != 0 {
			t.Fatalf("ImportFeedback(bad sheet) = %d, %v; want 0 and a *routing.ImportError", n, err)
		}
		after, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(before, after) {
			t.Fatal("the refused import changed leads")
		}
		if st.Applied == 0 {
			t.Fatal("the corrected sheet applied nothing")
		}
	})

	t.Run("M6 credits add up", func(t *testing.T) {
		credits, progress, err := s.eng.Credits(ctx, routing.Viewer{Rep: insideMgr, Role: routing.RoleManager}, confID)
		if err != nil {
			t.Fatal(err)
		}
		var regs, att, insideRegs, insideAtt int
		for _, c := range credits {
			regs += c.Registrations
			att += c.Attendance
			if s.org.Inside.Has(c.Rep) {
				insideRegs += c.Registrations
				insideAtt += c.Attendance
			}
		}
		var wantRegs, wantAtt int
		for _, l := range leads {
			if slices.ContainsFunc(l.Responses, func(tc lead.Touch) bool { return tc.Campaign == confID && tc.Kind == lead.ResponseRegistered }) {
				wantRegs++
			}
			if attended(&l, confID) {
				wantAtt++
			}
		}
		if att != wantAtt || regs != wantRegs {
			t.Errorf("credits sum to %d attendance and %d registrations; the leads show %d and %d", att, regs, wantAtt, wantRegs)
		}
		if wantAtt == 0 {
			t.Error("nobody attended the conference")
		}
		if progress.Attendance != insideAtt || progress.Registrations != insideRegs {
			t.Errorf("inside progress %+v, want the inside rows' %d registrations and %d attendance", progress, insideRegs, insideAtt)
		}
	})

	t.Run("M7 the webinar's model change is recorded with who and why", func(t *testing.T) {
		c, err := s.eng.Campaign(ctx, webID)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Changes) != 1 || c.Changes[0].By == "" || c.Changes[0].Reason == "" || c.Model != routing.Direct {
			t.Fatalf("webinar model %v, changes %+v; want one recorded change to direct", c.Model, c.Changes)
		}
	})

	t.Run("M10 one Pre-SQL accepted, one rejected with its reason", func(t *testing.T) {
		var accepted, rejected int
		for _, l := range leads {
			switch l.Handoff {
			case lead.HandoffAccepted:
				if l.HandedBy != "" {
					accepted++
				}
			case lead.HandoffRejected:
				rejected++
				h, err := s.eng.History(ctx, sim.Ops, l.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(h, func(c lead.Change) bool {
					return c.Field == lead.FieldHandoff && c.To == lead.HandoffRejected.String() && c.Reason != ""
				}) {
					t.Errorf("%s was rejected without a reason in its history", l.ID)
				}
				if l.Desk != lead.DeskInside {
					t.Errorf("rejected %s is on the %v desk, want back with inside sales", l.ID, l.Desk)
				}
			}
		}
		if accepted == 0 || rejected == 0 {
			t.Fatalf("%d accepted and %d rejected Pre-SQLs, want at least one of each", accepted, rejected)
		}
	})

	t.Run("M2 a field rep sees only their own leads", func(t *testing.T) {
		for _, rep := range fieldReps {
			v := routing.Viewer{Rep: rep, Role: routing.RoleField}
			for _, l := range leads {
				_, err := s.eng.Lead(ctx, v, l.ID)
				mine := l.Desk == lead.DeskField && l.Owner == rep
				if mine != (err == nil) || !mine && !errors.Is(err, leadline.ErrNotFound) {
					t.Errorf("%s reading %s (desk %v, owner %s) = %v", rep, l.ID, l.Desk, l.Owner, err)
				}
			}
		}
	})
}

func TestParseFlags(t *testing.T) {
	t.Parallel()
	all := defaultOptions()
	all.Leads, all.Seed, all.Zone = 60, 9, "Europe/Berlin"
	tests := []struct {
		name    string
		args    []string
		want    sim.Flags
		wantErr bool
	}{
		{name: "defaults", args: nil, want: defaultOptions()},
		{name: "all flags", args: []string{"-leads", "60", "-seed", "9", "-tz", "Europe/Berlin"}, want: all},
		{name: "unknown flag", args: []string{"-days", "2"}, wantErr: true},
		{name: "too few leads", args: []string{"-leads", "10"}, wantErr: true},
		{name: "too many leads", args: []string{"-leads", "100000"}, wantErr: true},
		{name: "not a number", args: []string{"-seed", "x"}, wantErr: true},
		{name: "unknown zone", args: []string{"-tz", "Mars/Olympus_Mons"}, wantErr: true},
		{name: "host zone", args: []string{"-tz", "Local"}, wantErr: true},
		{name: "stray argument", args: []string{"extra"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			got, err := parseFlags(tt.args, &stderr)
			if tt.wantErr {
				if err == nil || errors.Is(err, flag.ErrHelp) {
					t.Fatalf("parseFlags(%q) = %+v, nil; want an error", tt.args, got)
				}
				if stderr.Len() == 0 {
					t.Errorf("parseFlags(%q) wrote nothing to stderr", tt.args)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseFlags(%q): %v", tt.args, err)
			}
			if got != tt.want {
				t.Errorf("parseFlags(%q) = %+v, want %+v", tt.args, got, tt.want)
			}
		})
	}
}

// TestMain_badFlags runs the command with a bad flag: it says why on
// stderr and exits with status 2.
func TestMain_badFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-leads", "5"}, {"-tz", "Nowhere/Atlantis"}, {"-nosuchflag"}} {
		cmd := exec.CommandContext(t.Context(), os.Args[0], args...)
		cmd.Env = append(os.Environ(), "EVENTROUTING_RUN_MAIN=1")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if exit, ok := errors.AsType[*exec.ExitError](err); !ok || exit.ExitCode() != 2 {
			t.Errorf("eventrouting %q: %v, want exit status 2", args, err)
		}
		if stderr.Len() == 0 || stdout.Len() != 0 {
			t.Errorf("eventrouting %q: stdout %q, stderr %q; want only a complaint on stderr", args, stdout.String(), stderr.String())
		}
	}
}

// lastRoute returns the lead's last routing decision; a zero Decision if
// it has none.
func (s *world) lastRoute(ctx context.Context, id string) (leadline.Decision, error) {
	ds, err := s.eng.Explain(ctx, sim.Ops, id)
	for _, d := range slices.Backward(ds) {
		if d.Field == lead.FieldRoute {
			return d, err
		}
	}
	return leadline.Decision{}, err
}

// attended reports whether l attended campaign.
func attended(l *lead.Lead, campaign string) bool {
	return slices.ContainsFunc(l.Responses, func(t lead.Touch) bool { return t.Campaign == campaign && t.Kind == lead.ResponseAttended })
}
