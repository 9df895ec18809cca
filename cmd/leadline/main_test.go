package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

const (
	events = "testdata/insidesales.jsonl" // go run ./examples/insidesales -days 6 -leads 60 -events ...
	setup  = "testdata/insidesales.setup.json"
)

func TestRun(t *testing.T) {
	t.Parallel()
	logBytes, err := os.ReadFile(events)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantCode   int
		golden     string // compare stdout with testdata/<golden>, "" for none
		wantOut    string // stdout contains it
		wantErr    string // stderr contains it
		wantNoErr  bool   // stderr is empty: no progress bar off a terminal
		wantIsJSON bool
	}{
		{name: "no command is a usage error", wantCode: 2, wantErr: "usage: leadline COMMAND"},
		{name: "unknown command", args: []string{"replya"}, wantCode: 2, wantErr: `unknown command "replya"`},
		{name: "help", args: []string{"-h"}, wantCode: 0, wantOut: "explain"},
		{name: "policy prints the rule book (A7, T1-T13)", args: []string{"policy"}, golden: "default.json"},
		{name: "policy -h", args: []string{"policy", "-h"}, wantOut: "usage: leadline policy"},
		{name: "policy takes no argument", args: []string{"policy", "x"}, wantCode: 2, wantErr: `unexpected argument "x"`},
		{name: "validate a good policy", args: []string{"validate", "testdata/stage3-24h.json"}, wantOut: "a valid policy", wantNoErr: true},
		{name: "validate lists every problem with its line (E6)", args: []string{"validate", "testdata/bad.json"}, wantCode: 1,
			golden: "validate-bad.golden", wantErr: "3 problem(s)"},
		{name: "validate -json", args: []string{"validate", "-json", "testdata/bad.json"}, wantCode: 1, wantIsJSON: true, wantOut: `"line": 63`},
		// A note after # (JSON has no comments) is a syntax error: its
		// line and column are the problem's, as a field error's line is
		// (E6).
		{name: "validate -json gives a syntax error its line and column (E6)", args: []string{"validate", "-json", "testdata/bad-syntax.json"}, wantCode: 1,
			wantIsJSON: true, wantOut: "\"line\": 3,\n      \"column\": 21,"},
		// A language that is not built in needs templates, which the
		// command cannot take: validate says so, as replay would (E10).
		{name: "validate what the engine refuses (E10)", args: []string{"validate", "testdata/lang-fr.json"}, wantCode: 1,
			wantOut: `testdata/lang-fr.json: leadline: config.templates.`, wantErr: "1 problem(s)"},
		{name: "validate -json what the engine refuses (E10)", args: []string{"validate", "-json", "testdata/lang-fr.json"}, wantCode: 1,
			wantIsJSON: true, wantOut: "\"valid\": false,\n  \"problems\": [\n    {\n      \"field\": \"config.templates."},
		{name: "replay refuses what validate does (E10)", args: []string{"replay", "-policy", "testdata/lang-fr.json", "-roster", setup, events}, wantCode: 1,
			wantErr: `language "fr" is not built in`},
		{name: "validate -h names -json", args: []string{"validate", "-h"}, wantOut: "usage: leadline validate [-json] POLICY\n"},
		{name: "validate needs a file", args: []string{"validate"}, wantCode: 2, wantErr: "missing argument"},
		{name: "validate a missing file", args: []string{"validate", "testdata/nope.json"}, wantCode: 1, wantErr: "nope.json"},
		{name: "replay the insidesales log (V9)", args: []string{"replay", "-roster", setup, events}, golden: "replay.golden", wantNoErr: true},
		{name: "replay finds the setup beside the log (M9)", args: []string{"replay", events}, golden: "replay.golden", wantErr: "found beside the log"},
		{name: "replay with no roster says so (M9)", args: []string{"replay", "-"}, stdin: string(logBytes), wantErr: "no roster"},
		{name: "replay from standard input", args: []string{"replay", "-roster", setup, "-"}, stdin: string(logBytes), golden: "replay.golden"},
		{name: "replay -json", args: []string{"replay", "-json", "-roster", setup, events}, wantIsJSON: true, wantOut: `"reminders"`},
		{name: "replay with a bare roster (M9)", args: []string{"replay", "-roster", "testdata/roster.json", events}, wantOut: "Replayed 231 events"},
		{name: "replay with a bad setup", args: []string{"replay", "-roster", "testdata/bad-setup.json", events}, wantCode: 1, wantErr: "tick"},
		{name: "replay a missing log", args: []string{"replay", "testdata/nope.jsonl"}, wantCode: 1, wantErr: "nope.jsonl"},
		{name: "replay stops at a bad line, naming it", args: []string{"replay", "-"}, stdin: "\n{\"id\":\"e1\",\"kind\":\"fax\",\"lead\":\"L-1\"}\n",
			wantCode: 1, wantErr: "line 2: kind"},
		{name: "replay with a bad policy", args: []string{"replay", "-policy", "testdata/bad.json", events}, wantCode: 1, wantErr: "leadline validate testdata/bad.json"},
		{name: "diff Stage3 48h -> 24h (T4)", args: []string{"diff", "-policy", "testdata/default.json", "-policy", "testdata/stage3-24h.json", "-roster", setup, events},
			golden: "diff.golden", wantNoErr: true},
		{name: "diff from standard input reads the log once", args: []string{"diff", "-policy", "testdata/default.json", "-policy", "testdata/stage3-24h.json", "-roster", setup, "-"},
			stdin: string(logBytes), golden: "diff.golden", wantNoErr: true},
		{name: "diff from standard input stops at a bad line", args: []string{"diff", "-policy", "testdata/default.json", "-policy", "testdata/stage3-24h.json", "-"},
			stdin: "{\"id\":\"e1\",\"kind\":\"fax\",\"lead\":\"L-1\"}\n", wantCode: 1, wantErr: "line 1: kind"},
		{name: "diff in Japanese (E10)", args: []string{"diff", "-lang", "ja", "-leads", "3", "-policy", "testdata/default.json", "-policy", "testdata/stage3-24h.json", "-roster", setup, events},
			golden: "diff-ja.golden"},
		{name: "diff -json", args: []string{"diff", "-json", "-policy", "testdata/default.json", "-policy", "testdata/stage3-24h.json", "-roster", setup, events},
			wantIsJSON: true, wantOut: `"cadence.stage3.within"`},
		{name: "diff needs two policies", args: []string{"diff", "-policy", "testdata/default.json", events}, wantCode: 2, wantErr: "want two -policy flags"},
		{name: "diff -lang fr", args: []string{"diff", "-lang", "fr", "-policy", "a", "-policy", "b", events}, wantCode: 2, wantErr: "-lang must be en or ja"},
		{name: "explain a lead (T1, T8, M9)", args: []string{"explain", "-lead", "L-0017", "-roster", setup, events}, golden: "explain.golden"},
		{name: "explain a lead in Japanese (E10)", args: []string{"explain", "-lang", "ja", "-lead", "L-0017", "-roster", setup, events}, golden: "explain-ja.golden"},
		{name: "explain -lang fr", args: []string{"explain", "-lang", "fr", "-lead", "L-0017", events}, wantCode: 2, wantErr: "-lang must be en or ja"},
		{name: "explain -json", args: []string{"explain", "-json", "-lead", "L-0002", "-roster", setup, events}, wantIsJSON: true, wantOut: `"rules"`},
		{name: "explain needs -lead", args: []string{"explain", events}, wantCode: 2, wantErr: "-lead is required"},
		{name: "explain an unknown lead", args: []string{"explain", "-lead", "L-9999", "-roster", setup, events}, wantCode: 1, wantErr: "no lead L-9999"},
		{name: "diagram in Mermaid", args: []string{"diagram", "-policy", "testdata/stage3-24h.json"}, golden: "diagram.mmd.golden"},
		{name: "diagram in DOT", args: []string{"diagram", "-format", "dot"}, wantOut: "digraph"},
		{name: "diagram -format png", args: []string{"diagram", "-format", "png"}, wantCode: 2, wantErr: "-format must be mermaid or dot"},
		{name: "a bad flag", args: []string{"replay", "-fast", events}, wantCode: 2, wantErr: "flag provided but not defined: -fast"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(tc.args, strings.NewReader(tc.stdin), &stdout, &stderr)
			if code != tc.wantCode {
				t.Fatalf("run(%q) = %d, want %d\nstdout:\n%s\nstderr:\n%s", tc.args, code, tc.wantCode, stdout.String(), stderr.String())
			}
			if tc.golden != "" {
				golden(t, tc.golden, stdout.Bytes())
			}
			if !strings.Contains(stdout.String(), tc.wantOut) {
				t.Errorf("stdout does not contain %q:\n%s", tc.wantOut, stdout.String())
			}
			if !strings.Contains(stderr.String(), tc.wantErr) {
				t.Errorf("stderr does not contain %q:\n%s", tc.wantErr, stderr.String())
			}
			if tc.wantNoErr && stderr.Len() > 0 {
				t.Errorf("stderr is not empty:\n%s", stderr.String())
			}
			if tc.wantIsJSON && !json.Valid(stdout.Bytes()) {
				t.Errorf("stdout is not JSON:\n%s", stdout.String())
			}
		})
	}
}

// golden compares got with testdata/name, rewriting it with -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update && name != "default.json" { // default.json is also an input
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test ./cmd/leadline -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("output differs from %s (rewrite with -update and review the diff):\n%s", path, got)
	}
}

// TestRun_help: every subcommand answers -h with its usage on standard
// output and exit status 0.
func TestRun_help(t *testing.T) {
	t.Parallel()
	for _, c := range commands() {
		var stdout, stderr bytes.Buffer
		if code := run([]string{c.name, "-h"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
			t.Errorf("%s -h exited %d, want 0; stderr:\n%s", c.name, code, stderr.String())
		}
		if want := "usage: leadline " + c.name; !strings.HasPrefix(stdout.String(), want) {
			t.Errorf("%s -h printed %q, want it to start with %q", c.name, stdout.String(), want)
		}
	}
}

// TestRun_usageFlags: each subcommand's usage line names every flag it
// takes, and the package documentation gives the same usage.
func TestRun_usageFlags(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commands() {
		var stdout, stderr bytes.Buffer
		run([]string{c.name, "-h"}, strings.NewReader(""), &stdout, &stderr)
		usage, _, _ := strings.Cut(stdout.String(), "\n")
		for _, line := range strings.Split(stdout.String(), "\n") {
			name, ok := strings.CutPrefix(line, "  -")
			if !ok {
				continue
			}
			name, _, _ = strings.Cut(name, " ")
			if !strings.Contains(usage, "-"+name) {
				t.Errorf("%s takes -%s, but its usage line does not say so: %q", c.name, name, usage)
			}
		}
		if want := strings.TrimSpace("//\tleadline " + c.name + " " + c.args); !bytes.Contains(doc, []byte(want+" ")) && !bytes.Contains(doc, []byte(want+"\n")) {
			t.Errorf("main.go's documentation lacks the usage %q", want)
		}
	}
}
