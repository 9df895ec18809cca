package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestRun_golden writes every report to stdout with the default flags and
// with New York days and Sunday weeks (V8), and compares them with
// testdata/*.golden; -update rewrites them.
func TestRun_golden(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		args []string
	}{
		{"tokyo", nil},
		{"new-york-sunday", []string{"-tz", "America/New_York", "-week-start", "sunday"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			if err := run(t.Context(), &out, c.args); err != nil {
				t.Fatalf("run(%q) = %v", c.args, err)
			}
			path := filepath.Join("testdata", c.name+".golden")
			if *update {
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./examples/reports -update to create it)", err)
			}
			if got := out.String(); got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := range min(len(gl), len(wl)) {
					if gl[i] != wl[i] {
						t.Fatalf("run(%q) differs from %s at line %d:\n got: %q\nwant: %q\n(rewrite with -update and review the diff)", c.args, path, i+1, gl[i], wl[i])
					}
				}
				t.Fatalf("run(%q) has %d lines, %s %d", c.args, len(gl), path, len(wl))
			}
		})
	}
}

// TestRun_dir writes each report to its file in -dir, the CSVs with a
// byte-order mark under -bom and the JSON without.
func TestRun_dir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "reports", "2026-04") // made when missing
	if err := run(t.Context(), new(bytes.Buffer), []string{"-dir", dir, "-bom"}); err != nil {
		t.Fatalf("run(-dir, -bom) = %v", err)
	}
	for _, name := range []string{"V1", "A9", "V2", "V3", "V4", "V5", "V6", "V7", "V9"} {
		csv, err := os.ReadFile(filepath.Join(dir, name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(csv, []byte("\uFEFF")) {
			t.Errorf("%s.csv starts %q, want a byte-order mark", name, csv[:min(len(csv), 8)])
		}
		js, err := os.ReadFile(filepath.Join(dir, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(js, []byte("[")) {
			t.Errorf("%s.json starts %q, want [", name, js[:min(len(js), 8)])
		}
	}
}

// TestRun_flags refuses an unknown week start and zone.
func TestRun_flags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-week-start", "someday"}, {"-tz", "Mars/Olympus"}} {
		if err := run(t.Context(), new(bytes.Buffer), args); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
}
