package policyfile_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/policyfile"
	"github.com/leadline/leadline/rules"
)

// FuzzLoad checks that Load never panics, that every error names a field
// path or a line and column (E6), and that whatever loads writes back and
// loads again as an equal policy. The seed corpus is under
// testdata/fuzz/FuzzLoad; the golden files seed it too.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"default.json", "custom.json", "custom.golden.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	if b, err := policyfile.Marshal(rules.DefaultPolicy()); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"version": 1}`))
	f.Add([]byte(`{"version": 1, "cadence": {"stage3": {"within": "-48h"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := policyfile.Load(bytes.NewReader(data))
		if err != nil {
			checkErr(t, err)
			return
		}
		b, err := policyfile.Marshal(p)
		if err != nil {
			t.Fatalf("Marshal(Load(%q)) = %v", data, err)
		}
		back, err := policyfile.Load(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("Load(Marshal(Load(%q))) = %v\n%s", data, err, b)
		}
		assertEqual(t, back, p)
		again, err := policyfile.Marshal(back)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("the second Marshal differs: %v\n%s\n%s", err, again, b)
		}
	})
}

// checkErr fails unless err is a join of errors each naming a field path
// or a line and column, all of them ErrInvalid.
func checkErr(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, leaderr.ErrInvalid) {
		t.Fatalf("error %v is not an ErrInvalid", err)
	}
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %v (%T) is not joined", err, err)
	}
	for _, e := range j.Unwrap() {
		switch e := e.(type) {
		case *leaderr.FieldError:
			if e.Field == "" || e.Line < 1 {
				t.Fatalf("FieldError %v names no field or no line", e)
			}
		case *policyfile.SyntaxError:
			if e.Line < 1 || e.Column < 1 {
				t.Fatalf("SyntaxError %v has no position", e)
			}
		default:
			t.Fatalf("error %v is a %T, want a FieldError or a SyntaxError", e, e)
		}
	}
}
