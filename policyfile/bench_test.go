package policyfile_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/leadline/leadline/policyfile"
	"github.com/leadline/leadline/rules"
)

// BenchmarkLoad reads the rule book's file, as a process does once at
// start and a validator once per edit.
func BenchmarkLoad(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "default.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := policyfile.Load(bytes.NewReader(src)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMarshal writes the rule book's policy.
func BenchmarkMarshal(b *testing.B) {
	p := rules.DefaultPolicy()
	for b.Loop() {
		if _, err := policyfile.Marshal(p); err != nil {
			b.Fatal(err)
		}
	}
}
