package stage_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/leadline/leadline/stage"
)

// TestBusinessHours_times checks that an unset opening or closing time
// means the default while 00:00 and 24:00 are real times (rule T11).
func TestBusinessHours_times(t *testing.T) {
	t.Parallel()
	monday := func(h, m int) time.Time { return time.Date(2025, 9, 8, h, m, 0, 0, time.UTC) }
	tests := []struct {
		name      string
		h         stage.BusinessHours
		wantStart stage.TimeOfDay
		wantEnd   stage.TimeOfDay
		// Monday 00:00 + d is want.
		d    time.Duration
		want time.Time
	}{
		{"T11 unset is 09:00-18:00", stage.BusinessHours{},
			stage.At(9, 0), stage.At(18, 0), 2 * time.Hour, monday(11, 0)},
		{"T11 midnight opening 00:00-09:00", stage.BusinessHours{Start: stage.At(0, 0), End: stage.At(9, 0)},
			stage.At(0, 0), stage.At(9, 0), 2 * time.Hour, monday(2, 0)},
		{"T11 midnight opening, default closing", stage.BusinessHours{Start: stage.At(0, 0)},
			stage.At(0, 0), stage.At(18, 0), 17 * time.Hour, monday(17, 0)},
		{"T14 midnight opening: a whole day lands at the next opening", stage.BusinessHours{Start: stage.At(0, 0)},
			stage.At(0, 0), stage.At(18, 0), 18 * time.Hour, monday(24, 0)},
		{"T11 closing at 24:00", stage.BusinessHours{End: stage.At(24, 0)},
			stage.At(9, 0), stage.At(24, 0), 14 * time.Hour, monday(23, 0)},
		{"T14 closing at 24:00: a whole day lands at the next opening", stage.BusinessHours{End: stage.At(24, 0)},
			stage.At(9, 0), stage.At(24, 0), 15 * time.Hour, monday(33, 0)},
		{"T11 open all day 00:00-24:00", stage.BusinessHours{Start: stage.At(0, 0), End: stage.At(24, 0)},
			stage.At(0, 0), stage.At(24, 0), 30 * time.Hour, monday(30, 0)},
		{"T11 unset closing after an early opening", stage.BusinessHours{Start: stage.At(7, 30)},
			stage.At(7, 30), stage.At(18, 0), 30 * time.Minute, monday(8, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := mustCalendar(t, tt.h)
			h := c.Hours()
			if h.Start != tt.wantStart || h.End != tt.wantEnd {
				t.Errorf("Hours() = %s-%s, want %s-%s", h.Start, h.End, tt.wantStart, tt.wantEnd)
			}
			if got := c.Add(monday(0, 0), tt.d); !got.Equal(tt.want) {
				t.Errorf("Add(%v, %v) = %v, want %v", monday(0, 0), tt.d, got, tt.want)
			}
			if got, want := c.IsOpen(monday(0, 0)), tt.wantStart == stage.At(0, 0); got != want {
				t.Errorf("IsOpen(Monday 00:00) = %v, want %v", got, want)
			}
		})
	}
}

func TestParseTimeOfDay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    stage.TimeOfDay
		wantErr bool
	}{
		{"00:00", stage.At(0, 0), false},
		{"09:00", stage.At(9, 0), false},
		{"17:45", stage.At(17, 45), false},
		{"23:59", stage.At(23, 59), false},
		{"24:00", stage.At(24, 0), false},
		{"", stage.TimeOfDay{}, true},
		{"9:00", stage.TimeOfDay{}, true},
		{"09:0", stage.TimeOfDay{}, true},
		{"0900", stage.TimeOfDay{}, true},
		{"09:00:00", stage.TimeOfDay{}, true},
		{"24:01", stage.TimeOfDay{}, true},
		{"25:00", stage.TimeOfDay{}, true},
		{"12:60", stage.TimeOfDay{}, true},
		{"-1:00", stage.TimeOfDay{}, true},
		{" 9:00", stage.TimeOfDay{}, true},
		{"９:００", stage.TimeOfDay{}, true},
	}
	for _, tt := range tests {
		got, err := stage.ParseTimeOfDay(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseTimeOfDay(%q) = %s, nil, want an error", tt.in, got)
				continue
			}
			wantFieldError(t, err, "time_of_day")
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseTimeOfDay(%q) = %s, %v, want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestTimeOfDay_zero(t *testing.T) {
	t.Parallel()
	var unset stage.TimeOfDay
	if !unset.IsZero() || unset.String() != "" {
		t.Errorf("TimeOfDay{} = %q, IsZero %v, want unset", unset, unset.IsZero())
	}
	if midnight := stage.At(0, 0); midnight.IsZero() || midnight == unset || midnight.String() != "00:00" {
		t.Errorf("At(0, 0) = %q, IsZero %v, want midnight, set", midnight, midnight.IsZero())
	}
	if _, err := stage.At(24, 30).MarshalText(); err == nil {
		t.Error("At(24, 30).MarshalText() = nil error, want one")
	}
}

// TestBusinessHours_JSON checks the policy-file shape of business hours:
// times as "HH:MM", unset ones omitted (rule T11).
func TestBusinessHours_JSON(t *testing.T) {
	t.Parallel()
	h := stage.BusinessHours{Zone: "Asia/Tokyo", Start: stage.At(0, 0), End: stage.At(9, 0),
		Workdays: []time.Weekday{time.Monday}, Holidays: []string{"jp"}}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"zone":"Asia/Tokyo","start":"00:00","end":"09:00","workdays":[1],"holidays":["jp"]}`
	if string(b) != want {
		t.Errorf("json.Marshal(%+v) = %s, want %s", h, b, want)
	}
	var back stage.BusinessHours
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Zone != h.Zone || back.Start != h.Start || back.End != h.End ||
		!slices.Equal(back.Workdays, h.Workdays) || !slices.Equal(back.Holidays, h.Holidays) {
		t.Errorf("round trip = %+v, want %+v", back, h)
	}

	if b, err := json.Marshal(stage.BusinessHours{}); err != nil || string(b) != `{"zone":""}` {
		t.Errorf("json.Marshal(BusinessHours{}) = %s, %v, want only the zone", b, err)
	}
	var def stage.BusinessHours
	if err := json.Unmarshal([]byte(`{"start":"09:00","end":"18:00"}`), &def); err != nil || def.Start != stage.At(9, 0) || def.End != stage.At(18, 0) {
		t.Errorf(`json.Unmarshal({"start":"09:00","end":"18:00"}) = %+v, %v`, def, err)
	}
	if err := json.Unmarshal([]byte(`{"start":"9"}`), &def); err == nil {
		t.Error(`json.Unmarshal({"start":"9"}) = nil error, want one`)
	}
}

// FuzzParseTimeOfDay checks that ParseTimeOfDay accepts only what it
// writes back unchanged (rule T11).
func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"", "00:00", "09:00", "18:00", "23:59", "24:00", "24:01", "9:00", "12:60", "0900", "09:00:00", "-1:00", "+9:00", "٠٩:٠٠", "\x0009:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := stage.ParseTimeOfDay(in)
		if err != nil {
			wantFieldError(t, err, "time_of_day")
			if !got.IsZero() {
				t.Fatalf("ParseTimeOfDay(%q) = %s with an error, want unset", in, got)
			}
			return
		}
		if got.IsZero() {
			t.Fatalf("ParseTimeOfDay(%q) is unset without an error", in)
		}
		b, err := got.MarshalText()
		if err != nil {
			t.Fatalf("ParseTimeOfDay(%q) = %s, whose MarshalText fails: %v", in, got, err)
		}
		if string(b) != in {
			t.Fatalf("ParseTimeOfDay(%q).MarshalText() = %q, want the input back", in, b)
		}
		var back stage.TimeOfDay
		if err := back.UnmarshalText(b); err != nil || back != got {
			t.Fatalf("UnmarshalText(%q) = %s, %v, want %s", b, back, err, got)
		}
		if off := got.Offset(); off < 0 || off > 24*time.Hour || off%time.Minute != 0 {
			t.Fatalf("ParseTimeOfDay(%q).Offset() = %v, want whole minutes in 0-24h", in, off)
		}
	})
}
