package replay_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/replay"
	"github.com/leadline/leadline/rules"
)

func TestReadSetup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		wantField string // "" for no error
	}{
		{"a sim's setup", `{"tick":"30m","batched":true,"start":"2026-04-06T09:00:00+09:00","zone":"Asia/Tokyo"}`, ""},
		{"empty: no roster, no grid", `{}`, ""},
		{"an unknown field (E9)", `{"tik":"30m"}`, "event"},
		{"a tick that is no duration (E6)", `{"tick":"half an hour","start":"2026-04-06T09:00:00Z"}`, "tick"},
		{"a negative tick", `{"tick":"-30m","start":"2026-04-06T09:00:00Z"}`, "tick"},
		{"a tick needs a start", `{"tick":"30m"}`, "start"},
		{"an unknown zone", `{"zone":"Asia/Osaka"}`, "zone"},
		{"the host's zone is refused", `{"zone":"Local"}`, "zone"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := replay.ReadSetup(strings.NewReader(tc.in))
			if tc.wantField == "" {
				if err != nil {
					t.Fatalf("ReadSetup: %v", err)
				}
				if s == nil {
					t.Fatal("ReadSetup returned no setup")
				}
				return
			}
			fe, ok := errors.AsType[*leaderr.FieldError](err)
			if !ok {
				t.Fatalf("ReadSetup = %v, want a FieldError for %q", err, tc.wantField)
			}
			if tc.wantField != "event" && fe.Field != tc.wantField {
				t.Errorf("ReadSetup error names %q, want %q (%v)", fe.Field, tc.wantField, err)
			}
		})
	}
}

func TestSetup_roundTrip(t *testing.T) {
	t.Parallel()
	in := &replay.Setup{Roster: team(), Tick: replay.Duration(30 * time.Minute), Batched: true, Start: start,
		Until: start.Add(14 * 24 * time.Hour), Zone: "Asia/Tokyo"}
	var buf bytes.Buffer
	if err := replay.WriteSetup(&buf, in); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"tick": "30m0s"`) {
		t.Errorf("the tick is not written as a duration:\n%s", buf.String())
	}
	out, err := replay.ReadSetup(&buf)
	if err != nil {
		t.Fatal(err)
	}
	opts := out.Options(rules.Policy{})
	if opts.Tick != 30*time.Minute || !opts.Batched || !opts.Start.Equal(start) || opts.Zone.String() != "Asia/Tokyo" || opts.Roster == nil {
		t.Errorf("Options after a round trip = %+v", opts)
	}
}
