package policyfile_test

import (
	"bytes"
	"fmt"
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

// BenchmarkLoad_unknownFields reads a hostile megabyte: eighty thousand
// unknown fields on one line, each a problem with its line and column.
// Its cost grows with the file, not with the file times its problems.
func BenchmarkLoad_unknownFields(b *testing.B) {
	var src bytes.Buffer
	src.WriteString(`{"version": 1`)
	for i := range 80_000 {
		fmt.Fprintf(&src, `, "k%d": 1`, i)
	}
	src.WriteString("}")
	b.SetBytes(int64(src.Len()))
	for b.Loop() {
		if _, err := policyfile.Load(bytes.NewReader(src.Bytes())); err == nil {
			b.Fatal("a file of unknown fields loaded")
		}
	}
}
