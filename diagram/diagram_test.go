package diagram_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline/diagram"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the output; run go test -update and review the diff.\ngot:\n%s", path, got)
	}
}

// custom is a Tokyo team's cadence: Japanese labels, a business calendar
// counting days (T11), Stage4 in 36h, no reassignment (T10), one repeat a
// day (T13).
func custom() rules.Policy {
	p := rules.Policy{Language: rules.Japanese, TimeZone: "Asia/Tokyo"}
	p.Cadence.Stage1 = stage.Step{Within: 24 * time.Hour, Channels: stage.Call | stage.Meeting}
	p.Cadence.Stage4 = stage.Step{Within: 36 * time.Hour}
	p.Cadence.RecycleAfter = 5 * 24 * time.Hour
	p.Cadence.MaxReassignments = stage.NoReassignment
	p.Cadence.Repeats = 1
	p.Cadence.RepeatAfter = 24 * time.Hour
	p.Cadence.Calendar = stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo", Holidays: []string{"jp"}, CountDays: true})
	return p
}

// TestDiagram_Golden draws the rule book's cadence and a custom one in
// both syntaxes (T1-T13).
func TestDiagram_Golden(t *testing.T) {
	t.Parallel()
	policies := map[string]rules.Policy{"default": rules.DefaultPolicy(), "custom": custom()}
	writers := map[string]func(*bytes.Buffer, rules.Policy) error{
		"mmd": func(b *bytes.Buffer, p rules.Policy) error { return diagram.Mermaid(b, p) },
		"dot": func(b *bytes.Buffer, p rules.Policy) error { return diagram.DOT(b, p) },
	}
	for pname, p := range policies {
		for ext, write := range writers {
			t.Run(pname+"."+ext, func(t *testing.T) {
				var b bytes.Buffer
				if err := write(&b, p); err != nil {
					t.Fatal(err)
				}
				var again bytes.Buffer
				if err := write(&again, p); err != nil || !bytes.Equal(b.Bytes(), again.Bytes()) {
					t.Fatalf("second drawing differs: %v", err)
				}
				golden(t, pname+"."+ext, b.Bytes())
			})
		}
	}
}

// TestDiagram_Labels checks that the labels carry the policy's values and
// rule ids (T1, T5, T7, T10, T13).
func TestDiagram_Labels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    rules.Policy
		want []string
	}{
		{"default", rules.DefaultPolicy(), []string{"T1: attempt within 48h", "T5: attempt within 4d", "T7: no contact 4d after Stage4",
			"at most 2 times, T10", "again every 48h, 2 times", "T6: contact", "calendar: wall clock"}},
		{"custom in Japanese", custom(), []string{"T1: 1営業日以内", "T5: 1営業日12営業時間以内", "T7: Stage4から5営業日接触なし", "再割り当てなし",
			"1営業日ごとに1回まで", "電話・面談", "営業日 business:jp Asia/Tokyo 09:00-18:00"}},
	}
	hours := rules.DefaultPolicy()
	hours.Cadence.Calendar = stage.MustBusinessCalendar(stage.BusinessHours{Zone: "America/New_York", Holidays: []string{"us"}})
	hours.Cadence.RepeatAfter = 90 * time.Minute
	tests = append(tests, struct {
		name string
		p    rules.Policy
		want []string
	}{"T11 working hours", hours, []string{"T1: attempt within 48 working hours", "T5: attempt within 96 working hours",
		"again every 1h30m of working time", "calendar: business:us America/New_York 09:00-18:00 (counting hours, T11)"}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b strings.Builder
			if err := diagram.Mermaid(&b, tt.p); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("Mermaid(%s) has no %q:\n%s", tt.name, w, b.String())
				}
			}
		})
	}
}

// TestDiagram_Invalid checks that an invalid policy draws nothing (E6).
func TestDiagram_Invalid(t *testing.T) {
	t.Parallel()
	p := rules.DefaultPolicy()
	p.Cadence.Stage3.Within = -time.Hour
	var b bytes.Buffer
	if err := diagram.DOT(&b, p); !errors.Is(err, leaderr.ErrInvalid) || b.Len() > 0 {
		t.Errorf("DOT(negative window) = %v, wrote %d bytes; want an ErrInvalid and nothing", err, b.Len())
	}
}
