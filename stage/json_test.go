package stage_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/leadline/leadline/stage"
)

func TestStageSet_Text(t *testing.T) {
	t.Parallel()
	set := stage.StageSetOf(stage.Stage4, stage.Stage2, stage.Stage(9))
	b, err := set.MarshalText()
	if err != nil || string(b) != "stage2,stage4" {
		t.Errorf("MarshalText(%v) = %q, %v; want stage2,stage4", set, b, err)
	}
	var back stage.StageSet
	if err := back.UnmarshalText([]byte(" Stage2 ,stage4,")); err != nil || back != set {
		t.Errorf("UnmarshalText = %v, %v; want %v", back, err, set)
	}
	if err := back.UnmarshalText([]byte("stage2,stage9")); err == nil {
		t.Error("UnmarshalText(stage9) = nil error, want one")
	}
	if _, err := stage.StageSet(0x80).MarshalText(); err == nil {
		t.Error("StageSet(0x80).MarshalText() = nil error, want one")
	}
}

// TestTrack_JSON checks that a track round-trips through JSON with its
// instants as RFC 3339 times (rule T11: deadlines are instants).
func TestTrack_JSON(t *testing.T) {
	t.Parallel()
	at := func(d, h int) stage.Instant { return stage.InstantOf(time.Date(2025, 9, d, h, 0, 0, 0, jst)) }
	in := stage.Track{Stage: stage.Connected, End: stage.EndConnected, Late: stage.StageSetOf(stage.Stage3),
		Missed: stage.StageSetOf(stage.Stage1, stage.Stage3), Reassignments: 2, Cadence: 3,
		Started: at(1, 9), Reached: stage.Reached{at(2, 9), 0, at(5, 9)}, Ended: at(6, 10), Overdue: true, Due: at(7, 9)}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"stage":"connected","end":"connected","overdue":true,"late":"stage3","missed":"stage1,stage3",` +
		`"reassignments":2,"cadence":3,"started":"2025-09-01T00:00:00Z","reached":{"stage1":"2025-09-02T00:00:00Z",` +
		`"stage3":"2025-09-05T00:00:00Z"},"ended":"2025-09-06T01:00:00Z","due":"2025-09-07T00:00:00Z"}`
	if string(b) != want {
		t.Errorf("json.Marshal(Track) =\n%s\nwant\n%s", b, want)
	}
	var out stage.Track
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("round trip = %+v, %v; want %+v", out, err, in)
	}
	if err := json.Unmarshal([]byte(`{"reached":{"connected":"2025-09-02T00:00:00Z"}}`), &out); err == nil {
		t.Error("json.Unmarshal(reached connected) = nil error, want one")
	}
}
