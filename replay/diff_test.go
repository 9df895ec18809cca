package replay_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline/replay"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// golden compares got with testdata/name, rewriting it with -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test ./replay -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("output differs from %s (rewrite with -update and review the diff):\n%s", path, got)
	}
}

// TestDiff_golden replays one log under the rule book and under a
// Stage3 window of 24h (T4) and writes what changed, in English and in
// Japanese (E10).
func TestDiff_golden(t *testing.T) {
	t.Parallel()
	evs := slices.Collect(synth(4000, 11))
	until := evs[len(evs)-1].At.Add(14 * 24 * time.Hour)
	base, err := replay.Run(t.Context(), ok(slices.Values(evs)), replay.Options{Roster: team(), Until: until})
	if err != nil {
		t.Fatal(err)
	}
	var pol rules.Policy
	pol.Cadence.Stage3.Within = 24 * time.Hour
	whatIf, err := replay.Run(t.Context(), ok(slices.Values(evs)), replay.Options{Policy: pol, Roster: team(), Until: until})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []*replay.Outcome{base, whatIf} {
		// Counted from history, the reminders are the reminder
		// notifications delivered (A4, T8, T13), hand-ons left out.
		if got, want := o.Team.Reminders, o.Notifications["reminder"]; got != want {
			t.Errorf("history counts %d reminders, %d were delivered", got, want)
		}
		if o.Team.Escalations == 0 {
			t.Errorf("no escalation in the run: the log does not reach T13's hand-on")
		}
	}
	c := replay.Diff(*base, *whatIf)
	if len(c.Policy) != 1 || c.Policy[0].Path != "cadence.stage3.within" || c.Policy[0].From != "48h" || c.Policy[0].To != "24h" {
		t.Errorf("Diff policy = %+v, want the Stage3 window 48h -> 24h alone", c.Policy)
	}
	if len(c.Leads) == 0 {
		t.Fatal("a shorter Stage3 window changed no lead's outcome")
	}
	for _, lang := range []rules.Language{rules.English, rules.Japanese} {
		var buf bytes.Buffer
		if err := c.WriteText(&buf, lang, 8); err != nil {
			t.Fatal(err)
		}
		golden(t, "diff-stage3-"+string(lang)+".golden", buf.Bytes())
	}
}

func TestDiff_samePolicy(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	c := replay.Diff(replay.Outcome{}, replay.Outcome{})
	if err := c.WriteText(&buf, rules.English, 0); err != nil {
		t.Fatal(err)
	}
	if want := "Same policy: median first attempt unchanged\nLeads whose outcome differs: 0\n"; buf.String() != want {
		t.Errorf("WriteText = %q, want %q", buf.String(), want)
	}
}

// TestDiff_policyPaths: a policy change's Path is the field's path as the
// policy file and its errors name it, a list's item by its index
// (triggers.rules[0].priority, as policyfile reports it); a calendar's
// change, field by field, is named in words in both languages (T11).
func TestDiff_policyPaths(t *testing.T) {
	t.Parallel()
	biz, err := stage.NewBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		change func(p *rules.Policy)
		paths  []string
		en, ja string
	}{
		{"A1 a trigger row's priority", func(p *rules.Policy) {
			p.Triggers.Rules = slices.Clone(p.Triggers.Rules)
			p.Triggers.Rules[0].Priority = 5
		}, []string{"triggers.rules[0].priority"},
			"triggers.rules[0].priority 1 -> 5", "triggers.rules[0].priority 1 → 5"},
		{"T11 working hours in Tokyo", func(p *rules.Policy) { p.Cadence.Calendar = biz },
			[]string{"cadence.calendar.name", "cadence.calendar.zone", "cadence.calendar.start", "cadence.calendar.end",
				"cadence.calendar.workdays", "cadence.calendar.count"},
			"calendar wall -> business, calendar time zone - -> Asia/Tokyo, working day start - -> 09:00, " +
				"working day end - -> 18:00, working days - -> mon,tue,wed,thu,fri, working time counted in - -> hours",
			"カレンダー wall → business、カレンダーのタイムゾーン - → Asia/Tokyo、営業開始時刻 - → 09:00、" +
				"営業終了時刻 - → 18:00、営業日 - → mon,tue,wed,thu,fri、営業時間の数え方 - → hours"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, b := rules.DefaultPolicy(), rules.DefaultPolicy()
			c.change(&b)
			d := replay.Diff(replay.Outcome{Policy: a}, replay.Outcome{Policy: b})
			var paths []string
			for _, p := range d.Policy {
				paths = append(paths, p.Path)
			}
			if !slices.Equal(paths, c.paths) {
				t.Errorf("paths %q, want %q", paths, c.paths)
			}
			for lang, want := range map[rules.Language]string{rules.English: c.en, rules.Japanese: c.ja} {
				var buf bytes.Buffer
				if err := d.WriteText(&buf, lang, 0); err != nil {
					t.Fatal(err)
				}
				if line, _, _ := strings.Cut(buf.String(), "\n"); !strings.HasPrefix(line, want+": ") {
					t.Errorf("%s: policy line %q, want it to start %q", lang, line, want+": ")
				}
			}
		})
	}
}
