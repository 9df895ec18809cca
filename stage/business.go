package stage

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/leadline/leadline/leaderr"
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/jp"
	"github.com/rickar/cal/v2/us"
)

// BusinessHours describes a business calendar as plain data, so that a
// policy file can hold it (rule T11). The zero value of every field means
// its default: BusinessHours{} is 09:00-18:00 UTC, Monday to Friday, no
// holidays. Opening and closing times are [TimeOfDay] values, whose zero is
// unset, so a business open from midnight is At(0, 0) and not the default:
//
//	stage.BusinessHours{Zone: "Asia/Tokyo", Start: stage.At(0, 0), End: stage.At(9, 0)}
//
// In JSON the times read "09:00" and "18:00".
type BusinessHours struct {
	// Zone is the IANA name of the time zone the hours, weekdays and dates
	// are read in, such as "Asia/Tokyo". "Local" is refused: a deadline
	// must not depend on the host. Defaults to "UTC".
	Zone string `json:"zone"`
	// Start is the wall-clock time of day the business opens, from 00:00
	// to 23:59; At(0, 0) opens at midnight. Defaults to 09:00 when unset.
	Start TimeOfDay `json:"start,omitzero"`
	// End is the wall-clock time of day the business closes; it must be
	// after Start and at most 24:00 (closing at midnight). Defaults to
	// 18:00 when unset.
	End TimeOfDay `json:"end,omitzero"`
	// Workdays are the days of the week the business opens; each must be
	// time.Sunday..time.Saturday. Defaults to Monday to Friday.
	Workdays []time.Weekday `json:"workdays,omitempty"`
	// Holidays names the national holiday sets the business closes on, by
	// key: "jp" (Japan) or "us" (United States), case-insensitive. A
	// holiday closes both its own date and its observed (substitute) date,
	// such as the Monday after a Japanese holiday that falls on a Sunday or
	// the Friday before a US holiday that falls on a Saturday. Defaults to
	// none.
	Holidays []string `json:"holidays,omitempty"`
	// Closed lists extra whole days the company is closed, as YYYY-MM-DD
	// dates in Zone: "2026-12-29". Defaults to none.
	Closed []string `json:"closed,omitempty"`
	// CountDays chooses how Add reads a duration. False, the default,
	// follows T11 literally: every hour of d is a working hour, so 48h
	// is 48 working hours (more than five 9-hour days). True is the
	// reading many sales teams expect: each whole 24h of d is one working
	// day, landing at the same clock time, and the remainder under 24h
	// counts as working hours. Defaults to false.
	CountDays bool `json:"count_days,omitempty"`
}

// bizStart and bizEnd are the opening hours of a [BusinessHours] whose
// Start or End is unset (rule T11). They are not exported: a package
// variable would be a knob any importer could turn.
var (
	bizStart = At(9, 0)
	bizEnd   = At(18, 0)
)

const bizDay = 24 * time.Hour

// businessHolidays are the holiday sets [BusinessHours.Holidays] may name.
var businessHolidays = map[string][]*cal.Holiday{
	"jp": jp.Holidays,
	"us": us.Holidays,
}

// holidayCalcMu serialises every call to rickar/cal's Holiday.Calc:
// jp.VernalEquinoxDay writes its own Day field on each call (v2.1.13), so
// two goroutines calculating it race.
var holidayCalcMu sync.Mutex

// BusinessCalendar is a [Calendar] that counts only working hours: the
// opening hours of working days in one time zone, skipping weekends,
// national holidays and the company's closed days (rule T11). Build it with
// [NewBusinessCalendar] from a [BusinessHours]. It is safe for concurrent
// use.
//
// All arithmetic happens in the calendar's zone on wall-clock times, so
// 09:00 stays 09:00 across a daylight-saving change; the time that counts
// is the real time elapsed while open.
type BusinessCalendar struct {
	hours      BusinessHours // defaults filled in; never changes
	start, end time.Duration // hours.Start and hours.End since midnight
	loc        *time.Location
	workday    [7]bool
	sets       []*cal.Holiday
	closed     map[bizDate]bool

	mu       sync.Mutex
	years    map[int]bool // years whose holidays are in holidays
	holidays map[bizDate]bool
}

var _ Calendar = (*BusinessCalendar)(nil)

// NewBusinessCalendar validates h and builds its calendar (rule T11). A bad
// field is reported as a [*leaderr.FieldError] naming it, such as "calendar.end"
// or "calendar.closed[2]"; errors.Is(err, [leaderr.ErrInvalid]) holds.
func NewBusinessCalendar(h BusinessHours) (*BusinessCalendar, error) {
	c := &BusinessCalendar{
		closed:   make(map[bizDate]bool),
		years:    make(map[int]bool),
		holidays: make(map[bizDate]bool),
	}
	if h.Zone == "" {
		h.Zone = "UTC"
	}
	if h.Zone == "Local" {
		return nil, leaderr.Errorf("calendar.zone", "zone %q depends on the host, name one such as Asia/Tokyo", h.Zone)
	}
	loc, err := time.LoadLocation(h.Zone)
	if err != nil {
		return nil, leaderr.Errorf("calendar.zone", "unknown zone %s: %v", leaderr.Quote(h.Zone), err)
	}
	c.loc = loc

	if h.Start.IsZero() {
		h.Start = bizStart
	}
	if h.End.IsZero() {
		h.End = bizEnd
	}
	if !h.Start.valid() || h.Start.Offset() >= bizDay {
		return nil, leaderr.Errorf("calendar.start", "must be a time of day from 00:00 to 23:59, got %s", h.Start)
	}
	if !h.End.valid() || h.End.Offset() <= h.Start.Offset() {
		return nil, leaderr.Errorf("calendar.end", "must be a time of day after start %s and at most 24:00, got %s", h.Start, h.End)
	}
	c.start, c.end = h.Start.Offset(), h.End.Offset()

	days := h.Workdays
	if len(days) == 0 {
		days = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	h.Workdays = nil
	for _, wd := range days {
		if wd < time.Sunday || wd > time.Saturday {
			return nil, leaderr.Errorf("calendar.workdays", "weekday %d out of range 0 (Sunday) to 6 (Saturday)", int(wd))
		}
		c.workday[wd] = true
	}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if c.workday[wd] {
			h.Workdays = append(h.Workdays, wd)
		}
	}

	keys := h.Holidays
	h.Holidays = nil
	for _, key := range keys {
		k := strings.ToLower(key)
		set, ok := businessHolidays[k]
		if !ok {
			return nil, leaderr.Errorf("calendar.holidays", "unknown holiday set %s, want one of %s", leaderr.Quote(key), strings.Join(slices.Sorted(maps.Keys(businessHolidays)), ", "))
		}
		if !slices.Contains(h.Holidays, k) {
			h.Holidays = append(h.Holidays, k)
			c.sets = append(c.sets, set...)
		}
	}

	h.Closed = slices.Clone(h.Closed)
	for i, s := range h.Closed {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return nil, leaderr.Errorf(fmt.Sprintf("calendar.closed[%d]", i), "not a date %q, want YYYY-MM-DD", s)
		}
		c.closed[bizDateOf(d)] = true
	}

	c.hours = h
	return c, nil
}

// MustBusinessCalendar is [NewBusinessCalendar] that panics on a bad h; for
// tests and examples.
func MustBusinessCalendar(h BusinessHours) *BusinessCalendar {
	c, err := NewBusinessCalendar(h)
	if err != nil {
		panic(err)
	}
	return c
}

// Add implements [Calendar] on business time (rule T11): it returns the
// instant at which d of working time has passed since t, in the calendar's
// location. A d of zero or less returns t unchanged.
//
// By default (CountDays false) Add follows T11 literally and counts
// working hours only: a start outside working hours counts from the next
// opening, and an instant that uses up a day exactly lands at the next
// opening rather than at closing time (T14): no working time passes in
// between, so a step at the opening is on time and a deadline never falls
// due overnight. Friday 09:00 + 9h is Monday 09:00. With 09:00-18:00, Monday to
// Friday and no holidays, Friday 19:00 + 48h is five 9-hour days and 3
// hours later: 12:00 on the Monday ten days on.
//
// With CountDays each whole 24h of d is one working day: Add moves to the
// same wall-clock time that many working days later, counting from t if t
// is within working hours (closing time included), else from the next
// opening. The remainder under 24h then counts as working hours, and a
// result at closing time moves to the next opening (T14). Friday
// 19:00 + 48h is Wednesday 09:00. In this reading Add is not monotone in d
// across whole days: 23h counts as 23 working hours, which can end later
// than 24h, one working day.
func (c *BusinessCalendar) Add(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	if !c.hours.CountDays || d < bizDay {
		return c.addWorking(t, d)
	}
	n, rest := int64(d/bizDay), d%bizDay
	date, tod := c.anchor(t)
	for n > 0 {
		date = date.next()
		if c.isWorkday(date) {
			n--
		}
	}
	// addWorking with rest 0 moves a closing time to the next opening
	// (T14) and leaves any other instant alone.
	return c.addWorking(c.at(date, tod), rest)
}

// Hours returns the definition of c with defaults filled in: Zone, Start,
// End and Workdays are set, Workdays are sorted and Holidays lower-case.
// The caller may keep and change the returned slices.
func (c *BusinessCalendar) Hours() BusinessHours {
	h := c.hours
	h.Workdays = slices.Clone(h.Workdays)
	h.Holidays = slices.Clone(h.Holidays)
	h.Closed = slices.Clone(h.Closed)
	return h
}

// Location returns the time zone the calendar counts in; Add returns
// instants in it.
func (c *BusinessCalendar) Location() *time.Location { return c.loc }

// IsOpen reports whether t is within working hours of a working day: at or
// after opening and before closing, in the calendar's zone (rule T11).
func (c *BusinessCalendar) IsOpen(t time.Time) bool {
	t = t.In(c.loc)
	date := bizDateOf(t)
	if !c.isWorkday(date) {
		return false
	}
	return !t.Before(c.at(date, c.start)) && t.Before(c.at(date, c.end))
}

// addWorking returns the instant at which d > 0 of working time has passed
// since t. It walks the days from t's own, taking from each working day the
// part of its opening hours that lies after t. rickar/cal's AddWorkHours
// is not used: it counts wrong when End is 24h, shifts the opening time on
// a day the clocks change and can skip that day altogether.
func (c *BusinessCalendar) addWorking(t time.Time, d time.Duration) time.Time {
	t = t.In(c.loc)
	for date := bizDateOf(t); ; date = date.next() {
		if !c.isWorkday(date) {
			continue
		}
		from, to := c.at(date, c.start), c.at(date, c.end)
		if from.Before(t) {
			from = t
		}
		if !from.Before(to) {
			continue
		}
		left := to.Sub(from)
		if d < left {
			return from.Add(d)
		}
		// d == left lands exactly at closing time: no working time
		// passes until the next opening, so the deadline is that opening
		// (T14): a step then is on time, and nothing fires overnight.
		d -= left
	}
}

// anchor returns the working day and wall-clock time of day CountDays
// counts whole days from: t itself if it is within working hours, closing
// time included, else the next opening.
func (c *BusinessCalendar) anchor(t time.Time) (bizDate, time.Duration) {
	t = t.In(c.loc)
	date := bizDateOf(t)
	h, m, s := t.Clock()
	tod := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(s)*time.Second + time.Duration(t.Nanosecond())
	if c.end == bizDay && tod == 0 && c.isWorkday(date.prev()) {
		return date.prev(), bizDay // closing at midnight of a working day
	}
	if c.isWorkday(date) {
		if t.Before(c.at(date, c.start)) {
			return date, c.start
		}
		if !t.After(c.at(date, c.end)) {
			return date, tod
		}
	}
	date = date.next()
	for !c.isWorkday(date) {
		date = date.next()
	}
	return date, c.start
}

// at returns the instant of wall-clock time tod on date in c's zone; tod
// of 24h is the next midnight.
func (c *BusinessCalendar) at(date bizDate, tod time.Duration) time.Time {
	h, tod := tod/time.Hour, tod%time.Hour
	m, tod := tod/time.Minute, tod%time.Minute
	s, ns := tod/time.Second, tod%time.Second
	r := time.Date(date.y, date.m, date.d, int(h), int(m), int(s), int(ns), c.loc)
	if rh, rm, rs := r.Clock(); (date == bizDateOf(r) && rh == int(h) && rm == int(m) && rs == int(s)) || tod == 0 && h == 24 {
		// A wall time the clocks show twice (they fall back) is reached
		// at its first showing; time.Date returns either, by zone (T14).
		if start, _ := r.ZoneBounds(); !start.IsZero() {
			_, was := start.Add(-time.Nanosecond).Zone()
			if _, now := r.Zone(); was > now {
				first := r.Add(-time.Duration(was-now) * time.Second)
				if fh, fm, fs := first.Clock(); first.Before(start) && bizDateOf(first) == bizDateOf(r) && fh == rh && fm == rm && fs == rs {
					return first
				}
			}
		}
		return r
	}
	// The wall time does not exist: it falls in a gap where the clocks
	// jump forward (a DST change). time.Date may land on either side of
	// the gap; the wall time is reached at the gap's end, the instant the
	// new offset starts.
	start, end := r.ZoneBounds()
	if wallBefore(r, date, time.Duration(h)*time.Hour+time.Duration(m)*time.Minute+time.Duration(s)*time.Second) {
		return end
	}
	return start
}

// wallBefore reports whether r's wall clock reads earlier than tod on
// date.
func wallBefore(r time.Time, date bizDate, tod time.Duration) bool {
	switch d := bizDateOf(r); {
	case d.y != date.y || d.m != date.m:
		return d.y < date.y || d.y == date.y && d.m < date.m
	case d.d != date.d:
		return d.d < date.d
	}
	h, m, s := r.Clock()
	return time.Duration(h)*time.Hour+time.Duration(m)*time.Minute+time.Duration(s)*time.Second < tod
}

// isWorkday reports whether date is a working weekday that is neither a
// closed day nor a holiday.
func (c *BusinessCalendar) isWorkday(date bizDate) bool {
	return c.workday[date.weekday()] && !c.closed[date] && !c.isHoliday(date)
}

// isHoliday reports whether date is the date or the observed date of a
// holiday in c's sets. It calculates each year's holidays once, with
// Holiday.Calc rather than cal.Calendar.IsHoliday: IsHoliday stops at the
// first holiday whose date matches, even one observed on another day, and
// its cache is not safe for concurrent use.
func (c *BusinessCalendar) isHoliday(date bizDate) bool {
	if len(c.sets) == 0 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.years[date.y] {
		c.years[date.y] = true
		holidayCalcMu.Lock()
		for _, hol := range c.sets {
			// An observed date can fall in the year before or after.
			for y := date.y - 1; y <= date.y+1; y++ {
				act, obs := hol.Calc(y)
				for _, t := range []time.Time{act, obs} {
					if !t.IsZero() && t.Year() == date.y {
						c.holidays[bizDateOf(t)] = true
					}
				}
			}
		}
		holidayCalcMu.Unlock()
	}
	return c.holidays[date]
}

// bizDate is a calendar date with no zone.
type bizDate struct {
	y int
	m time.Month
	d int
}

func bizDateOf(t time.Time) bizDate {
	y, m, d := t.Date()
	return bizDate{y, m, d}
}

func (d bizDate) next() bizDate {
	return bizDateOf(time.Date(d.y, d.m, d.d+1, 12, 0, 0, 0, time.UTC))
}

func (d bizDate) prev() bizDate {
	return bizDateOf(time.Date(d.y, d.m, d.d-1, 12, 0, 0, 0, time.UTC))
}

func (d bizDate) weekday() time.Weekday {
	return time.Date(d.y, d.m, d.d, 12, 0, 0, 0, time.UTC).Weekday()
}

// working returns the working time between from and to, from before to:
// the parts of each working day's opening hours that lie between them.
func (c *BusinessCalendar) working(from, to time.Time) time.Duration {
	from, to = from.In(c.loc), to.In(c.loc)
	var d time.Duration
	for date := bizDateOf(from); ; date = date.next() {
		open := c.at(date, c.start)
		if !open.Before(to) {
			return d
		}
		if !c.isWorkday(date) {
			continue
		}
		lo, hi := open, c.at(date, c.end)
		if lo.Before(from) {
			lo = from
		}
		if hi.After(to) {
			hi = to
		}
		if hi.After(lo) {
			d += hi.Sub(lo)
		}
	}
}
