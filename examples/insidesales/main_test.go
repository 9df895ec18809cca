package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/sim"
)

var update = flag.Bool("update", false, "rewrite testdata/insidesales.golden")

func runString(tb testing.TB, opts options) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := run(&buf, opts); err != nil {
		tb.Fatalf("run(%+v): %v", opts, err)
	}
	return buf.String()
}

func TestRun_Golden(t *testing.T) {
	t.Parallel()
	opts := defaultOptions()
	opts.days, opts.Leads = 3, 40
	got := runString(t, opts)
	path := filepath.Join("testdata", "insidesales.golden")
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
		t.Fatalf("%v (run go test ./examples/insidesales -update to create it)", err)
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
	biz := defaultOptions()
	biz.days, biz.Leads, biz.Seed, biz.business = 8, 120, 7, true
	ny := defaultOptions()
	ny.days, ny.Leads, ny.Zone = 5, 60, "America/New_York"
	for _, opts := range []options{defaultOptions(), biz, ny} {
		first, second := runString(t, opts), runString(t, opts)
		if first != second {
			t.Errorf("run(%+v) printed different output on the second run", opts)
		}
	}
}

// TestRun_Rules checks that the default run shows every rule the example
// is about, counted from the notifications delivered and the leads'
// history, not from the printed text.
func TestRun_Rules(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s, err := newWorld(defaultOptions(), memstore.New(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.run(ctx); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, n := range s.Notifications() {
		switch {
		case n.Kind == leadline.NoteApproachRequest:
			got[n.Rule]++ // A1, A2, A3
		case n.Kind == leadline.NoteRequestUpdated && n.Rule == "A6":
			got["A6"]++
		case n.Kind == leadline.NoteEscalated && n.Rule == "T10":
			got["T10"]++
		case n.Kind == leadline.NoteReminder && n.Rule == "T8":
			got["T8"]++
		}
	}
	leads, err := s.store.Leads(ctx, leadline.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(leads) != 300 {
		t.Errorf("store holds %d leads, want 300", len(leads))
	}
	for _, l := range leads {
		h, err := s.eng.History(ctx, sim.Ops, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range h {
			switch {
			case c.Field == lead.FieldOwner && c.Rule == "T1":
				got["T1"]++
			case c.Field == lead.FieldStage && c.Rule == "T9":
				got["T9"]++
			case c.Field == lead.FieldStage && c.Rule == "T6" && c.To == "connected":
				got["T6"]++
			case c.Field == lead.FieldStatus && c.Rule == "T7" && c.To == lead.StatusRecycled.Key():
				got["T7"]++
			case c.Field == lead.FieldRequest && c.Rule == "S5":
				got["S5"]++
			case c.Field == lead.FieldStatus && c.Rule == "A5" && c.To == lead.StatusLead.Key():
				got["A5"]++
			}
		}
	}
	for _, rule := range []string{"A1", "A2", "A3", "A6", "T1", "T10", "T8", "T9", "T6", "T7", "S5", "A5"} {
		if got[rule] == 0 {
			t.Errorf("default run: no %s, want at least one (counts %v)", rule, got)
		}
	}
	t.Logf("rule counts: %v", got)
}

func TestParseFlags(t *testing.T) {
	t.Parallel()
	all := defaultOptions()
	all.days, all.Leads, all.Seed, all.Zone, all.business = 3, 40, 9, "Europe/Berlin", true
	tests := []struct {
		name    string
		args    []string
		want    options
		wantErr bool
	}{
		{name: "defaults", args: nil, want: defaultOptions()},
		{name: "all flags", args: []string{"-days", "3", "-leads", "40", "-seed", "9", "-tz", "Europe/Berlin", "-business"},
			want: all},
		{name: "unknown flag", args: []string{"-weeks", "2"}, wantErr: true},
		{name: "zero days", args: []string{"-days", "0"}, wantErr: true},
		{name: "too many days", args: []string{"-days", "1000"}, wantErr: true},
		{name: "negative leads", args: []string{"-leads", "-5"}, wantErr: true},
		{name: "not a number", args: []string{"-seed", "x"}, wantErr: true},
		{name: "unknown zone", args: []string{"-tz", "Mars/Olympus_Mons"}, wantErr: true},
		{name: "host zone", args: []string{"-tz", "Local"}, wantErr: true},
		{name: "stray argument", args: []string{"extra"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
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

// TestRun_postgres runs the team on PostgreSQL and requires the very
// story memstore tells: the same flags, the same output.
func TestRun_postgres(t *testing.T) {
	url := os.Getenv("LEADLINE_TEST_DATABASE_URL")
	if url == "" {
		t.Skip("LEADLINE_TEST_DATABASE_URL is unset: set it to a PostgreSQL URL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run the example on PostgreSQL")
	}
	t.Parallel()
	opts := defaultOptions()
	opts.days, opts.Leads = 3, 40
	want := runString(t, opts)
	opts.database, opts.schema = url, "insidesales_test"
	if got := runString(t, opts); got != want {
		gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("on PostgreSQL, line %d:\n got: %q\nwant: %q (memstore)", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("on PostgreSQL the story has %d lines, in memory %d", len(gl), len(wl))
	}
}
