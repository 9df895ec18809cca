package stage_test

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/jp"
	"github.com/rickar/cal/v2/us"
	"pgregory.net/rapid"

	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/stage"
)

var jst = time.FixedZone("JST", 9*3600)

// tb is what the helpers need of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

func mustLoad(tb tb, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func mustCalendar(tb tb, h stage.BusinessHours) *stage.BusinessCalendar {
	tb.Helper()
	c, err := stage.NewBusinessCalendar(h)
	if err != nil {
		tb.Fatalf("NewBusinessCalendar(%+v): %v", h, err)
	}
	return c
}

func TestBusinessCalendar_Add(t *testing.T) {
	t.Parallel()
	ny := mustLoad(t, "America/New_York")
	utc := time.UTC

	// September 2025 in Tokyo: Fri 12, Sat 13, Sun 14, Mon 15 Respect for
	// the Aged Day, Tue 16 .. Fri 19, Mon 22, Tue 23 Autumnal Equinox Day,
	// Wed 24. Open 09:00-18:00, nine working hours a day.
	tokyo := mustCalendar(t, stage.BusinessHours{Zone: "Asia/Tokyo", Holidays: []string{"jp"}})
	tokyoDays := mustCalendar(t, stage.BusinessHours{Zone: "Asia/Tokyo", Holidays: []string{"JP"}, CountDays: true})
	// Closed 29-31 December 2025; 1 January 2026 is New Year's Day.
	yearEnd := mustCalendar(t, stage.BusinessHours{Zone: "Asia/Tokyo", Holidays: []string{"jp"},
		Closed: []string{"2025-12-29", "2025-12-30", "2025-12-31"}})
	nyUS := mustCalendar(t, stage.BusinessHours{Zone: "America/New_York", End: stage.At(17, 0), Holidays: []string{"us"}})
	nyUSSat := mustCalendar(t, stage.BusinessHours{Zone: "America/New_York", End: stage.At(17, 0), Holidays: []string{"us"},
		Workdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}})
	nyPlain := mustCalendar(t, stage.BusinessHours{Zone: "America/New_York", End: stage.At(17, 0)})
	nyPlainDays := mustCalendar(t, stage.BusinessHours{Zone: "America/New_York", End: stage.At(17, 0), CountDays: true})
	nySeven := mustCalendar(t, stage.BusinessHours{Zone: "America/New_York", End: stage.At(17, 0),
		Workdays: []time.Weekday{0, 1, 2, 3, 4, 5, 6}})
	midnight := mustCalendar(t, stage.BusinessHours{End: stage.At(24, 0)})
	midnightDays := mustCalendar(t, stage.BusinessHours{End: stage.At(24, 0), CountDays: true})
	sunThu := mustCalendar(t, stage.BusinessHours{
		Workdays: []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday}})

	tests := []struct {
		name string
		c    *stage.BusinessCalendar
		t    time.Time
		d    time.Duration
		want time.Time
	}{
		// Friday 19:00 is after closing, Sat/Sun are weekend and Mon 15 a
		// holiday, so counting starts Tue 16 09:00: Tue 9h, Wed 18h, Thu
		// 27h, Fri 19 36h, Mon 22 45h; Tue 23 is a holiday, so the last 3h
		// run Wed 24 09:00-12:00.
		{"T11 Friday evening + 48 working hours skips weekend and two holidays", tokyo,
			time.Date(2025, 9, 12, 19, 0, 0, 0, jst), 48 * time.Hour, time.Date(2025, 9, 24, 12, 0, 0, 0, jst)},
		// CountDays: after closing, so from the next opening Tue 16 09:00;
		// two working days on is Thu 18 09:00.
		{"T11 CountDays Friday evening + 48h is two working days", tokyoDays,
			time.Date(2025, 9, 12, 19, 0, 0, 0, jst), 48 * time.Hour, time.Date(2025, 9, 18, 9, 0, 0, 0, jst)},

		{"T11 before opening counts from opening", tokyo,
			time.Date(2025, 9, 10, 7, 30, 0, 0, jst), 2 * time.Hour, time.Date(2025, 9, 10, 11, 0, 0, 0, jst)},
		{"T11 exactly at opening", tokyo,
			time.Date(2025, 9, 10, 9, 0, 0, 0, jst), 2 * time.Hour, time.Date(2025, 9, 10, 11, 0, 0, 0, jst)},
		{"T11 exactly at closing counts from next opening", tokyo,
			time.Date(2025, 9, 10, 18, 0, 0, 0, jst), 2 * time.Hour, time.Date(2025, 9, 11, 11, 0, 0, 0, jst)},
		{"T11 after closing counts from next opening", tokyo,
			time.Date(2025, 9, 10, 20, 0, 0, 0, jst), 2 * time.Hour, time.Date(2025, 9, 11, 11, 0, 0, 0, jst)},
		{"T11 on a holiday counts from the next working day", tokyo,
			time.Date(2025, 9, 15, 10, 0, 0, 0, jst), time.Hour, time.Date(2025, 9, 16, 10, 0, 0, 0, jst)},
		{"T11 on a weekend counts from Monday", tokyo,
			time.Date(2025, 9, 6, 10, 0, 0, 0, jst), time.Hour, time.Date(2025, 9, 8, 10, 0, 0, 0, jst)},
		{"T11 d less than the rest of the day", tokyo,
			time.Date(2025, 9, 10, 10, 0, 0, 0, jst), 3 * time.Hour, time.Date(2025, 9, 10, 13, 0, 0, 0, jst)},
		{"T14 d exactly the rest of the day lands at the next opening", tokyo,
			time.Date(2025, 9, 10, 10, 0, 0, 0, jst), 8 * time.Hour, time.Date(2025, 9, 11, 9, 0, 0, 0, jst)},
		{"T11 d one nanosecond over the rest of the day", tokyo,
			time.Date(2025, 9, 10, 10, 0, 0, 0, jst), 8*time.Hour + 1, time.Date(2025, 9, 11, 9, 0, 0, 1, jst)},
		{"T14 a whole working day from opening ends at the next opening", tokyo,
			time.Date(2025, 9, 10, 9, 0, 0, 0, jst), 9 * time.Hour, time.Date(2025, 9, 11, 9, 0, 0, 0, jst)},
		{"T14 a whole working day from closing ends at the opening after next", tokyo,
			time.Date(2025, 9, 10, 18, 0, 0, 0, jst), 9 * time.Hour, time.Date(2025, 9, 12, 9, 0, 0, 0, jst)},
		{"T14 Fri 09:00 + 9 working hours is met at Mon 09:00", tokyo,
			time.Date(2025, 9, 5, 9, 0, 0, 0, jst), 9 * time.Hour, time.Date(2025, 9, 8, 9, 0, 0, 0, jst)},
		{"T11 zero d returns t even when closed", tokyo,
			time.Date(2025, 9, 6, 10, 0, 0, 0, jst), 0, time.Date(2025, 9, 6, 10, 0, 0, 0, jst)},
		{"T11 negative d returns t", tokyo,
			time.Date(2025, 9, 10, 10, 0, 0, 0, jst), -time.Hour, time.Date(2025, 9, 10, 10, 0, 0, 0, jst)},

		// Thu 11 14:00 is open: one working day is Fri 12 14:00, Mon 15 is
		// a holiday, two is Tue 16 14:00.
		{"T11 CountDays within hours keeps the clock time", tokyoDays,
			time.Date(2025, 9, 11, 14, 0, 0, 0, jst), 48 * time.Hour, time.Date(2025, 9, 16, 14, 0, 0, 0, jst)},
		{"T11 CountDays remainder counts working hours", tokyoDays,
			time.Date(2025, 9, 11, 14, 0, 0, 0, jst), 50 * time.Hour, time.Date(2025, 9, 16, 16, 0, 0, 0, jst)},
		// Fri 12 14:00, then 5h: 4h to Fri 18:00, 1h on Tue 16.
		{"T11 CountDays remainder runs over closing", tokyoDays,
			time.Date(2025, 9, 11, 14, 0, 0, 0, jst), 29 * time.Hour, time.Date(2025, 9, 16, 10, 0, 0, 0, jst)},
		{"T14 CountDays from closing lands at the opening after", tokyoDays,
			time.Date(2025, 9, 12, 18, 0, 0, 0, jst), 24 * time.Hour, time.Date(2025, 9, 17, 9, 0, 0, 0, jst)},
		{"T11 CountDays from a weekend counts from the next opening", tokyoDays,
			time.Date(2025, 9, 14, 10, 0, 0, 0, jst), 24 * time.Hour, time.Date(2025, 9, 17, 9, 0, 0, 0, jst)},
		{"T11 CountDays under 24h is working hours", tokyoDays,
			time.Date(2025, 9, 12, 17, 0, 0, 0, jst), 2 * time.Hour, time.Date(2025, 9, 16, 10, 0, 0, 0, jst)},
		// 23 working hours from Thu 11 14:00: Thu 4h, Fri 9h, Tue 16 9h,
		// Wed 17 1h. Later than 24h (Fri 12 14:00): CountDays is not
		// monotone across whole days, as documented.
		{"T11 CountDays 23h is 23 working hours", tokyoDays,
			time.Date(2025, 9, 11, 14, 0, 0, 0, jst), 23 * time.Hour, time.Date(2025, 9, 17, 10, 0, 0, 0, jst)},
		{"T11 CountDays 24h is one working day", tokyoDays,
			time.Date(2025, 9, 11, 14, 0, 0, 0, jst), 24 * time.Hour, time.Date(2025, 9, 12, 14, 0, 0, 0, jst)},

		// Fri 26 Dec 1h; Mon 29-Wed 31 closed; Thu 1 Jan holiday.
		{"T11 closed dates and New Year's Day are skipped", yearEnd,
			time.Date(2025, 12, 26, 17, 0, 0, 0, jst), 2 * time.Hour, time.Date(2026, 1, 2, 10, 0, 0, 0, jst)},

		{"T11 US Thanksgiving is skipped", nyUS,
			time.Date(2025, 11, 26, 16, 0, 0, 0, ny), 2 * time.Hour, time.Date(2025, 11, 28, 10, 0, 0, 0, ny)},
		// 4 July 2026 is a Saturday, observed Friday 3 July.
		{"T11 US observed Independence Day is skipped", nyUS,
			time.Date(2026, 7, 2, 16, 0, 0, 0, ny), 2 * time.Hour, time.Date(2026, 7, 6, 10, 0, 0, 0, ny)},
		{"T11 US holiday closes its own Saturday too", nyUSSat,
			time.Date(2026, 7, 2, 16, 0, 0, 0, ny), 2 * time.Hour, time.Date(2026, 7, 6, 10, 0, 0, 0, ny)},

		// Clocks go forward Sun 9 March 2025 02:00: Friday is EST (-5),
		// Monday EDT (-4); 10:00 EDT is 14:00 UTC.
		{"T11 US opening hours follow the spring DST change", nyPlain,
			time.Date(2025, 3, 7, 16, 0, 0, 0, ny), 2 * time.Hour, time.Date(2025, 3, 10, 14, 0, 0, 0, utc)},
		{"T11 US CountDays keeps the clock time across DST", nyPlainDays,
			time.Date(2025, 3, 7, 10, 0, 0, 0, ny), 24 * time.Hour, time.Date(2025, 3, 10, 14, 0, 0, 0, utc)},
		// Clocks go back Sun 2 November 2025: 10:00 EST is 15:00 UTC.
		{"T11 US opening hours follow the autumn DST change", nyPlain,
			time.Date(2025, 10, 31, 16, 0, 0, 0, ny), 2 * time.Hour, time.Date(2025, 11, 3, 15, 0, 0, 0, utc)},
		{"T11 seven-day week opens on the DST Sunday at 09:00 EDT", nySeven,
			time.Date(2025, 3, 8, 16, 30, 0, 0, ny), time.Hour, time.Date(2025, 3, 9, 9, 30, 0, 0, ny)},
		{"T11 seven-day week does not skip the DST Sunday", nySeven,
			time.Date(2025, 3, 8, 23, 30, 0, 0, ny), time.Hour, time.Date(2025, 3, 9, 10, 0, 0, 0, ny)},

		// Mon 8 Sep 10:00-24:00 is 14h; 6h more on Tue.
		{"T11 closing at midnight", midnight,
			time.Date(2025, 9, 8, 10, 0, 0, 0, utc), 20 * time.Hour, time.Date(2025, 9, 9, 15, 0, 0, 0, utc)},
		{"T14 a day closing at midnight ends at the next opening", midnight,
			time.Date(2025, 9, 8, 9, 0, 0, 0, utc), 15 * time.Hour, time.Date(2025, 9, 9, 9, 0, 0, 0, utc)},
		{"T14 CountDays from a midnight closing lands at an opening", midnightDays,
			time.Date(2025, 9, 9, 0, 0, 0, 0, utc), 24 * time.Hour, time.Date(2025, 9, 10, 9, 0, 0, 0, utc)},
		{"T11 Sunday to Thursday week", sunThu,
			time.Date(2025, 9, 11, 17, 0, 0, 0, utc), 2 * time.Hour, time.Date(2025, 9, 14, 10, 0, 0, 0, utc)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.c.Add(tt.t, tt.d)
			if !got.Equal(tt.want) {
				t.Errorf("Add(%v, %v) = %v, want %v", tt.t, tt.d, got, tt.want)
			}
			if tt.d > 0 && got.Location() != tt.c.Location() {
				t.Errorf("Add(%v, %v) is in %v, want %v", tt.t, tt.d, got.Location(), tt.c.Location())
			}
		})
	}
}

func TestBusinessCalendar_IsOpen(t *testing.T) {
	t.Parallel()
	tokyo := mustCalendar(t, stage.BusinessHours{Zone: "Asia/Tokyo", Holidays: []string{"jp"}, Closed: []string{"2025-12-29"}})
	ny := mustCalendar(t, stage.BusinessHours{Zone: "America/New_York", End: stage.At(17, 0)})
	tests := []struct {
		name string
		c    *stage.BusinessCalendar
		t    time.Time
		want bool
	}{
		{"T11 before opening", tokyo, time.Date(2025, 9, 10, 8, 59, 59, 0, jst), false},
		{"T11 at opening", tokyo, time.Date(2025, 9, 10, 9, 0, 0, 0, jst), true},
		{"T11 just before closing", tokyo, time.Date(2025, 9, 10, 17, 59, 59, 999999999, jst), true},
		{"T11 at closing", tokyo, time.Date(2025, 9, 10, 18, 0, 0, 0, jst), false},
		{"T11 holiday", tokyo, time.Date(2025, 9, 15, 12, 0, 0, 0, jst), false},
		{"T11 weekend", tokyo, time.Date(2025, 9, 13, 12, 0, 0, 0, jst), false},
		{"T11 closed date", tokyo, time.Date(2025, 12, 29, 12, 0, 0, 0, jst), false},
		{"T11 read in the calendar's zone", tokyo, time.Date(2025, 9, 10, 1, 0, 0, 0, time.UTC), true},
		{"T11 09:30 EDT after DST", ny, time.Date(2025, 3, 10, 13, 30, 0, 0, time.UTC), true},
		{"T11 08:30 EST before DST", ny, time.Date(2025, 3, 7, 13, 30, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.c.IsOpen(tt.t); got != tt.want {
				t.Errorf("IsOpen(%v) = %v, want %v", tt.t, got, tt.want)
			}
		})
	}
}

func TestNewBusinessCalendar_invalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		h         stage.BusinessHours
		wantField string
	}{
		{"T11 unknown zone", stage.BusinessHours{Zone: "Mars/Olympus_Mons"}, "calendar.zone"},
		{"T11 host-dependent zone", stage.BusinessHours{Zone: "Local"}, "calendar.zone"},
		{"T11 negative start", stage.BusinessHours{Start: stage.At(-1, 0)}, "calendar.start"},
		{"T11 start at 24:00", stage.BusinessHours{Start: stage.At(24, 0), End: stage.At(24, 0)}, "calendar.start"},
		{"T11 start minute 60", stage.BusinessHours{Start: stage.At(8, 60)}, "calendar.start"},
		{"T11 negative end", stage.BusinessHours{End: stage.At(-1, 0)}, "calendar.end"},
		{"T11 end equal to start", stage.BusinessHours{Start: stage.At(9, 0), End: stage.At(9, 0)}, "calendar.end"},
		{"T11 end before default start", stage.BusinessHours{End: stage.At(8, 0)}, "calendar.end"},
		{"T11 start after default end", stage.BusinessHours{Start: stage.At(19, 0)}, "calendar.end"},
		{"T11 end after 24:00", stage.BusinessHours{End: stage.At(25, 0)}, "calendar.end"},
		{"T11 end 24:01", stage.BusinessHours{End: stage.At(24, 1)}, "calendar.end"},
		{"T11 midnight closing before midnight opening", stage.BusinessHours{Start: stage.At(0, 0), End: stage.At(0, 0)}, "calendar.end"},
		{"T11 weekday 7", stage.BusinessHours{Workdays: []time.Weekday{time.Monday, 7}}, "calendar.workdays"},
		{"T11 weekday -1", stage.BusinessHours{Workdays: []time.Weekday{-1}}, "calendar.workdays"},
		{"T11 unknown holiday set", stage.BusinessHours{Holidays: []string{"jp", "xx"}}, "calendar.holidays"},
		{"T11 bad closed date", stage.BusinessHours{Closed: []string{"2026-12-29", "2026-12-30", "2026-13-01"}}, "calendar.closed[2]"},
		{"T11 empty closed date", stage.BusinessHours{Closed: []string{""}}, "calendar.closed[0]"},
		{"T11 slashed closed date", stage.BusinessHours{Closed: []string{"2026-12-29", "2026/12/30"}}, "calendar.closed[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := stage.NewBusinessCalendar(tt.h)
			if err == nil {
				t.Fatalf("NewBusinessCalendar(%+v) = %v, nil, want error on %s", tt.h, c, tt.wantField)
			}
			fe, ok := errors.AsType[*leaderr.FieldError](err)
			if !ok {
				t.Fatalf("NewBusinessCalendar(%+v) error %T, want *leaderr.FieldError", tt.h, err)
			}
			if fe.Field != tt.wantField {
				t.Errorf("NewBusinessCalendar(%+v) error on %q, want %q (%v)", tt.h, fe.Field, tt.wantField, err)
			}
			if !errors.Is(err, leaderr.ErrInvalid) {
				t.Errorf("errors.Is(%v, leaderr.ErrInvalid) = false, want true", err)
			}
		})
	}
}

func TestMustBusinessCalendar_panics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("MustBusinessCalendar(bad zone) did not panic")
		}
	}()
	stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Nowhere/Nothing"})
}

func TestBusinessCalendar_Hours(t *testing.T) {
	t.Parallel()
	c := mustCalendar(t, stage.BusinessHours{})
	h := c.Hours()
	want := stage.BusinessHours{Zone: "UTC", Start: stage.At(9, 0), End: stage.At(18, 0),
		Workdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}}
	if h.Zone != want.Zone || h.Start != want.Start || h.End != want.End ||
		!slices.Equal(h.Workdays, want.Workdays) || len(h.Holidays) != 0 || len(h.Closed) != 0 || h.CountDays {
		t.Errorf("Hours() = %+v, want %+v (T11 defaults)", h, want)
	}
	if c.Location() != time.UTC {
		t.Errorf("Location() = %v, want UTC", c.Location())
	}

	c = mustCalendar(t, stage.BusinessHours{Zone: "Asia/Tokyo", Workdays: []time.Weekday{5, 1, 1}, Holidays: []string{"JP", "jp", "Us"},
		Closed: []string{"2026-12-29"}, CountDays: true})
	h = c.Hours()
	if !slices.Equal(h.Workdays, []time.Weekday{time.Monday, time.Friday}) ||
		!slices.Equal(h.Holidays, []string{"jp", "us"}) || !slices.Equal(h.Closed, []string{"2026-12-29"}) || !h.CountDays {
		t.Errorf("Hours() = %+v, want sorted unique workdays, lower-case holidays", h)
	}
	h.Workdays[0], h.Holidays[0], h.Closed[0] = time.Sunday, "xx", "2000-01-01"
	if h2 := c.Hours(); h2.Workdays[0] != time.Monday || h2.Holidays[0] != "jp" || h2.Closed[0] != "2026-12-29" {
		t.Errorf("Hours() shares its slices: %+v", h2)
	}
	if again := mustCalendar(t, c.Hours()).Hours(); !slices.Equal(again.Workdays, c.Hours().Workdays) || again.Start != stage.At(9, 0) {
		t.Errorf("NewBusinessCalendar(Hours()) = %+v, want the same definition", again)
	}
}

// TestBusinessCalendar_concurrent runs Add from many goroutines, on one
// shared calendar and on one fresh calendar each, so that -race sees the
// holiday calculations of different calendars overlap.
func TestBusinessCalendar_concurrent(t *testing.T) {
	t.Parallel()
	h := stage.BusinessHours{Zone: "Asia/Tokyo", Holidays: []string{"jp", "us"}}
	ref := mustCalendar(t, h)
	start := func(y int) time.Time { return time.Date(y, time.March, 19, 17, 0, 0, 0, jst) }
	want := map[int]time.Time{}
	for y := 2000; y < 2100; y++ {
		want[y] = ref.Add(start(y), 30*time.Hour)
	}
	shared := mustCalendar(t, h)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			own := mustCalendar(t, h)
			for i := range 100 {
				y := 2000 + (i+g*13)%100
				for _, c := range []*stage.BusinessCalendar{own, shared} {
					if got := c.Add(start(y), 30*time.Hour); !got.Equal(want[y]) {
						t.Errorf("concurrent Add(%v, 30h) = %v, want %v", start(y), got, want[y])
					}
				}
			}
		})
	}
	wg.Wait()
}

// oracleHolidays holds, per set, every date (YYYY-MM-DD) on which a
// holiday falls or is observed, 2022-2031. It is filled at package init,
// before any test runs, because rickar/cal's jp.VernalEquinoxDay is not safe
// to calculate concurrently.
var oracleHolidays = func() map[string]map[string]bool {
	m := map[string]map[string]bool{}
	for key, set := range map[string][]*cal.Holiday{"jp": jp.Holidays, "us": us.Holidays} {
		m[key] = map[string]bool{}
		for y := 2022; y <= 2031; y++ {
			for _, h := range set {
				act, obs := h.Calc(y)
				for _, d := range []time.Time{act, obs} {
					if !d.IsZero() {
						m[key][d.Format(time.DateOnly)] = true
					}
				}
			}
		}
	}
	return m
}()

// oracle is an independent, slow reading of a BusinessHours whose times are
// whole minutes: it looks at one minute at a time.
type oracle struct {
	loc        *time.Location
	start, end int // minutes after midnight
	workday    [7]bool
	closed     map[string]bool
	reached    map[[2]string]time.Time // (date, minute) -> first instant the wall clock shows it
}

func (o *oracle) openDay(l time.Time) bool {
	k := l.Format(time.DateOnly)
	return o.workday[l.Weekday()] && !o.closed[k]
}

// wall returns the first instant at which the wall clock of l's date
// shows min minutes after midnight (min may be 24*60, the next midnight),
// found by walking the date minute by minute: a time in a DST gap is
// reached when the gap ends, and one in a repeated hour at its first
// showing. This is the oracle's own reading, independent of time.Date.
func (o *oracle) wall(l time.Time, min int) time.Time {
	key := [2]string{l.Format(time.DateOnly), strconv.Itoa(min)}
	if t, ok := o.reached[key]; ok {
		return t
	}
	y, mo, d := l.Date()
	m := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Add(-14 * time.Hour) // before the date starts anywhere
	for {
		w := m.In(o.loc)
		wy, wmo, wd := w.Date()
		after := wy > y || wy == y && (wmo > mo || wmo == mo && wd > d)
		if after || wy == y && wmo == mo && wd == d && w.Hour()*60+w.Minute() >= min {
			if o.reached == nil {
				o.reached = map[[2]string]time.Time{}
			}
			o.reached[key] = m
			return m
		}
		m = m.Add(time.Minute)
	}
}

// open reports whether the minute starting at m is working time: on a
// working day, from the first showing of the opening time on the wall
// clock to the first showing of the closing time.
func (o *oracle) open(m time.Time) bool {
	l := m.In(o.loc)
	if !o.openDay(l) {
		return false
	}
	return !m.Before(o.wall(l, o.start)) && m.Before(o.wall(l, o.end))
}

// closing reports whether r is the closing instant of a working day.
func (o *oracle) closing(r time.Time) bool {
	l := r.In(o.loc)
	if l.Second() != 0 || l.Nanosecond() != 0 {
		return false
	}
	if o.openDay(l) && r.Equal(o.wall(l, o.end)) {
		return true
	}
	prev := l.AddDate(0, 0, -1)
	return o.end == 24*60 && o.openDay(prev) && r.Equal(o.wall(prev, o.end))
}

// nyDSTChanges are the days America/New_York changed its clocks, 2024-2027.
var nyDSTChanges = []time.Time{
	time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC), time.Date(2024, 11, 3, 12, 0, 0, 0, time.UTC),
	time.Date(2025, 3, 9, 12, 0, 0, 0, time.UTC), time.Date(2025, 11, 2, 12, 0, 0, 0, time.UTC),
	time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC),
	time.Date(2027, 3, 14, 12, 0, 0, 0, time.UTC), time.Date(2027, 11, 7, 12, 0, 0, 0, time.UTC),
}

// TestBusinessCalendar_Add_property checks rule T11 on random calendars,
// instants in 2024-2027 and durations up to 400h: Add never goes back,
// lands on working time or a closing instant, is monotone in d, and
// (CountDays false) the working time it spans, counted minute by minute,
// is d.
func TestBusinessCalendar_Add_property(t *testing.T) {
	t.Parallel()
	epoch := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	rapid.Check(t, func(rt *rapid.T) {
		zone := rapid.SampledFrom([]string{"UTC", "Asia/Tokyo", "America/New_York"}).Draw(rt, "zone")
		startMin := rapid.IntRange(0, 12*60).Draw(rt, "start_min")
		endMin := startMin + rapid.IntRange(4*60, 24*60-startMin).Draw(rt, "open_min")
		days := rapid.SliceOfNDistinct(rapid.IntRange(0, 6), 3, 7, rapid.ID[int]).Draw(rt, "workdays")
		sets := rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"jp", "us"}), 0, 2, rapid.ID[string]).Draw(rt, "holidays")
		closedDays := rapid.SliceOfN(rapid.IntRange(0, 4*366), 0, 30).Draw(rt, "closed")
		h := stage.BusinessHours{
			Zone:      zone,
			Start:     stage.At(startMin/60, startMin%60),
			End:       stage.At(endMin/60, endMin%60),
			Holidays:  sets,
			CountDays: rapid.Bool().Draw(rt, "count_days"),
		}
		o := &oracle{loc: mustLoad(rt, zone), start: startMin, end: endMin, closed: map[string]bool{}}
		for _, d := range days {
			h.Workdays = append(h.Workdays, time.Weekday(d))
			o.workday[d] = true
		}
		for _, n := range closedDays {
			s := epoch.AddDate(0, 0, n).Format(time.DateOnly)
			h.Closed = append(h.Closed, s)
			o.closed[s] = true
		}
		for _, key := range sets {
			for s := range oracleHolidays[key] {
				o.closed[s] = true
			}
		}
		c := mustCalendar(rt, h)

		t0 := epoch.Add(time.Duration(rapid.IntRange(0, 4*365*24*60-1).Draw(rt, "t_min")) * time.Minute)
		if rapid.Bool().Draw(rt, "near_dst") {
			// Up to three weeks before a US change of clocks.
			change := rapid.SampledFrom(nyDSTChanges).Draw(rt, "dst_change")
			t0 = change.Add(-time.Duration(rapid.IntRange(0, 21*24*60).Draw(rt, "before_min")) * time.Minute)
		}
		d1 := time.Duration(rapid.IntRange(0, 400*60).Draw(rt, "d1_min")) * time.Minute
		d2 := time.Duration(rapid.IntRange(0, 400*60).Draw(rt, "d2_min")) * time.Minute
		if d2 < d1 {
			d1, d2 = d2, d1
		}
		r1, r2 := c.Add(t0, d1), c.Add(t0, d2)
		for _, r := range []struct {
			d time.Duration
			r time.Time
		}{{d1, r1}, {d2, r2}} {
			if r.r.Before(t0) {
				rt.Fatalf("T11 Add(%v, %v) = %v, before t", t0, r.d, r.r)
			}
			if r.r.Year() > 2031 {
				rt.Fatalf("Add(%v, %v) = %v, beyond the oracle's holidays", t0, r.d, r.r)
			}
			if r.d > 0 && !o.open(r.r) && !o.closing(r.r) {
				rt.Fatalf("T11 Add(%v, %v) = %v, neither working time nor closing", t0, r.d, r.r)
			}
			if r.d > 0 && c.IsOpen(r.r) != o.open(r.r) {
				rt.Fatalf("IsOpen(%v) = %v, oracle says %v", r.r, c.IsOpen(r.r), o.open(r.r))
			}
		}
		sameDays := d1/(24*time.Hour) == d2/(24*time.Hour)
		if (!h.CountDays || sameDays) && r2.Before(r1) {
			rt.Fatalf("T11 Add(%v, %v) = %v is before Add(%v, %v) = %v", t0, d2, r2, t0, d1, r1)
		}
		if h.CountDays {
			k := d2 / (24 * time.Hour)
			if a, b := c.Add(t0, k*24*time.Hour), c.Add(t0, (k+1)*24*time.Hour); !a.Before(b) {
				rt.Fatalf("T11 CountDays Add(%v, %v) = %v, not before Add(%v, %v) = %v", t0, k*24*time.Hour, a, t0, (k+1)*24*time.Hour, b)
			}
			if d2 >= 24*time.Hour {
				return // whole days are not counted in working minutes
			}
		}
		// Count working minutes from t0, checking the count at r1 and r2.
		var worked time.Duration
		for m := t0; m.Before(r2); m = m.Add(time.Minute) {
			if m.Equal(r1) && worked != d1 {
				rt.Fatalf("T11 working time from %v to Add(%v, %v) = %v is %v", t0, t0, d1, r1, worked)
			}
			if o.open(m) {
				worked += time.Minute
			}
		}
		if worked != d2 {
			rt.Fatalf("T11 working time from %v to Add(%v, %v) = %v is %v", t0, t0, d2, r2, worked)
		}
	})
}

func ExampleBusinessCalendar_Add() {
	// Tokyo office hours, Monday to Friday, closed on Japanese holidays.
	tokyo := stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo", Holidays: []string{"jp"}})
	// Friday 19:00, before a three-day weekend (Monday is Respect for the
	// Aged Day) and a week with Autumnal Equinox Day on Tuesday.
	requested := time.Date(2025, 9, 12, 19, 0, 0, 0, time.FixedZone("JST", 9*3600))
	fmt.Println("48 working hours:", tokyo.Add(requested, 48*time.Hour).Format("Mon 2006-01-02 15:04 MST"))

	days := stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo", Holidays: []string{"jp"}, CountDays: true})
	fmt.Println("2 working days:  ", days.Add(requested, 48*time.Hour).Format("Mon 2006-01-02 15:04 MST"))
	// Output:
	// 48 working hours: Wed 2025-09-24 12:00 JST
	// 2 working days:   Thu 2025-09-18 09:00 JST
}

func TestWorking_V6(t *testing.T) {
	t.Parallel()
	c := stage.MustBusinessCalendar(stage.BusinessHours{Zone: "Asia/Tokyo"})
	jst := c.Location()
	fri := time.Date(2026, 4, 10, 17, 0, 0, 0, jst)
	for _, tt := range []struct {
		name     string
		from, to time.Time
		want     time.Duration
	}{
		{"within a day", fri.Add(-8 * time.Hour), fri, 8 * time.Hour},
		{"over a weekend", fri, time.Date(2026, 4, 13, 10, 0, 0, 0, jst), 2 * time.Hour},
		{"backwards is zero", fri, fri.Add(-time.Hour), 0},
		{"closed hours only", time.Date(2026, 4, 10, 19, 0, 0, 0, jst), time.Date(2026, 4, 11, 19, 0, 0, 0, jst), 0},
	} {
		if got := stage.Working(c, tt.from, tt.to); got != tt.want {
			t.Errorf("%s: stage.Working(%v, %v) = %v, want %v", tt.name, tt.from, tt.to, got, tt.want)
		}
		// The working time Add counts is the working time Working finds (T11).
		if tt.want > 0 {
			if got := stage.Working(c, tt.from, c.Add(tt.from, tt.want)); got != tt.want {
				t.Errorf("%s: stage.Working(from, Add(from, %v)) = %v", tt.name, tt.want, got)
			}
		}
	}
	if got := stage.Working(nil, fri, fri.Add(3*time.Hour)); got != 3*time.Hour {
		t.Errorf("stage.Working(nil) = %v, want wall-clock 3h", got)
	}
}

// A wall time the clocks show twice is reached at its first showing
// (T14), in zones east of UTC as west of it.
var everyDay = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}

// ---------------------------------------------------------------------
// Finding: a repeated wall time (DST fall-back) is reached at its SECOND
// showing in zones at or east of UTC (Europe/London, Australia/Sydney),
// though T14 says "one that occurs twice (the repeated hour) at its first
// showing".
// ---------------------------------------------------------------------

// TestBusinessCalendar_repeatedHourCountDays_T14: CountDays lands "at the same clock
// time" one working day later; when that clock time occurs twice, T14
// says the first showing.
func TestBusinessCalendar_repeatedHourCountDays_T14(t *testing.T) {
	for _, tc := range []struct {
		zone       string
		start      time.Time // local, unambiguous, the day before the change
		wantUTC    time.Time // the first showing of the same clock time the next day
		secondsUTC time.Time // the second showing, for the message
	}{
		// London: 2026-10-25 02:00 BST -> 01:00 GMT; 01:30 occurs at 00:30Z and 01:30Z.
		{"Europe/London", time.Date(2026, 10, 24, 1, 30, 0, 0, mustLoad(t, "Europe/London")),
			time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)},
		// Sydney: 2026-04-05 03:00 AEDT -> 02:00 AEST; 02:30 occurs at 15:30Z and 16:30Z on 04-04.
		{"Australia/Sydney", time.Date(2026, 4, 4, 2, 30, 0, 0, mustLoad(t, "Australia/Sydney")),
			time.Date(2026, 4, 4, 15, 30, 0, 0, time.UTC), time.Date(2026, 4, 4, 16, 30, 0, 0, time.UTC)},
		// New York (west of UTC): 2026-11-01 02:00 EDT -> 01:00 EST; 01:30 at 05:30Z and 06:30Z.
		{"America/New_York", time.Date(2026, 10, 31, 1, 30, 0, 0, mustLoad(t, "America/New_York")),
			time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC), time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC)},
	} {
		c := mustCalendar(t, stage.BusinessHours{Zone: tc.zone, Start: stage.At(0, 0), End: stage.At(24, 0),
			Workdays: everyDay, CountDays: true})
		got := c.Add(tc.start, 24*time.Hour)
		if !got.Equal(tc.wantUTC) {
			t.Errorf("%s: CountDays Add(%v, 24h) = %v (%v); want the first showing %v (second showing is %v) (T14)",
				tc.zone, tc.start, got, got.UTC(), tc.wantUTC, tc.secondsUTC)
		}
	}
}

// TestBusinessCalendar_openingInRepeatedHour_T14: a business that opens at 01:30 in
// London opens, on the fall-back Sunday, at the first 01:30 (T14).
func TestBusinessCalendar_openingInRepeatedHour_T14(t *testing.T) {
	lon := mustLoad(t, "Europe/London")
	c := mustCalendar(t, stage.BusinessHours{Zone: "Europe/London", Start: stage.At(1, 30), End: stage.At(18, 0), Workdays: everyDay})
	firstOpening := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC) // 01:30 BST
	// Saturday 17:00 + 1h ends exactly at Saturday's closing: the deadline
	// is the next opening (T14), Sunday's 01:30, first showing.
	sat := time.Date(2026, 10, 24, 17, 0, 0, 0, lon)
	if got := c.Add(sat, time.Hour); !got.Equal(firstOpening) {
		t.Errorf("Add(%v, 1h) = %v (%v); want the next opening at the first 01:30, %v (T14)", sat, got, got.UTC(), firstOpening)
	}
	// 01:45 BST (00:45Z) is after the first 01:30: open.
	if at := time.Date(2026, 10, 25, 0, 45, 0, 0, time.UTC); !c.IsOpen(at) {
		t.Errorf("IsOpen(%v = %v) = false; the business opened at the first 01:30 (T14)", at, at.In(lon))
	}
	// Sunday's working time is 01:30 BST (00:30Z) to 18:00 GMT (18:00Z): 17h30m.
	from, to := time.Date(2026, 10, 24, 18, 0, 0, 0, lon), time.Date(2026, 10, 26, 0, 0, 0, 0, lon)
	if got := stage.Working(c, from, to); got != 17*time.Hour+30*time.Minute {
		t.Errorf("Working over the fall-back Sunday = %v, want 17h30m", got)
	}
}
