// Package policyfile reads and writes the policy as a file that sales-ops
// own: the numbers and lists of the rule book (A7), in JSON, strictly.
// [Load] reads one, [Marshal] writes one, and the two round-trip: what
// Marshal writes, Load reads back as an equal policy. The format is this
// package's own types, so the domain types keep their JSON.
//
// # The format
//
// A file is one JSON object. "version" is required; every other field may
// be left out and then means the rule book's default, so {"version": 1} is
// the rule book. An annotated example (the notes after # are not part of
// the file, since JSON has no comments):
//
//	{
//	  "version": 1,                    # format version; 1 is the only one so far
//	  "language": "ja",                # notification text: en (default) or ja (E10)
//	  "time_zone": "Asia/Tokyo",       # where a day begins (A8) and the zone of texts (E10)
//	  "triggers": {                    # approach requests (A1-A3, A7)
//	    "threshold": 100,              # the one MQL threshold: a number or "100"
//	    "rules": [{"on": "inquiry", "score": "at_least", "priority": 1, "rule": "A1",
//	               "subject": "MQLからの問い合わせ"}]
//	  },
//	  "cadence": {                     # the touch cadence (T1-T14)
//	    "stage1": {"within": "48h", "channels": ["call", "email", "voicemail"]},
//	    "stage4": {"within": "4d"},    # "4d" is 96h: days are a shorthand, see below
//	    "recycle_after": "4d",         # T7
//	    "max_reassignments": 2,        # T10; 0 sends the lead straight to the manager
//	    "repeats": 2,                  # T13; 0 reminds once and hands the lead on
//	    "repeat_after": "24h",         # T13; left out: the missed stage's own window
//	    "calendar": {                  # T11; left out: {"name": "wall"}
//	      "name": "business:jp",       # wall, business, business:jp, business:us, business:jp+us
//	      "zone": "Asia/Tokyo",        # required for a business calendar
//	      "start": "09:00", "end": "18:00",
//	      "workdays": ["mon", "tue", "wed", "thu", "fri"],  # or 月, 火, ... or monday
//	      "closed": ["2026-12-29", "2026-12-30"],          # the company's own closed days
//	      "count": "hours"             # hours: 48h is 48 working hours; days: 24h is a working day
//	    }
//	  },
//	  "request_window": "24h",         # A4; left out: the Stage1 window
//	  "routing": {                     # M1-M13
//	    "organisation": "inside_first",  # or direct, field_only
//	    "types": {"partner_webinar": "high"},  # M3: engagement by campaign type; Marshal
//	                                           # writes M3's built-in table here too
//	    "statuses": ["new", "lead", "recycled"],
//	    "inside_types": ["web_inquiry"],
//	    "survey": [{"question": "予算", "any_of": ["あり"]}],  # M8
//	    "field_summary": false,        # M2
//	    "handoff": ["need", "timeline"],  # M10
//	    "invited_percent": 30          # M12
//	  },
//	  "target_jump": {"rise": 10, "priority": 2, "off": false},  # A8
//	  "retention": {"history": "400d", "events": "30d"}         # E2, E3; left out: keep all
//	}
//
// Names are the ones the domain types use everywhere: statuses
// ("recycled"), stages ("stage2"), channels ("call"), event kinds
// ("inquiry"), score bands ("at_least"), models ("inside_first"),
// engagement ("high"), BANT fields ("need"). Decimals (the threshold,
// the A8 rise) are JSON numbers or strings, read exactly (E7). Names,
// numbers in strings, times, dates and durations may be typed in full
// width with a Japanese input method ("４８ｈ", "０９：００"); free text
// (subjects, goals, survey questions) is kept as written. A file may
// start with a byte order mark, as Notepad and Excel write UTF-8; a file
// that is not UTF-8 (Shift_JIS) is refused with the position of the
// first byte that is not.
//
// Durations are Go durations ("48h", "90m", "1h30m"), and also whole
// days in front of one, as sales-ops write them: "4d" is 96h and "1d12h"
// is 36h. A day is always 24 hours of the policy's calendar: on a
// business calendar that counts hours it is 24 working hours, on one that
// counts days one working day (T11). "1.5d" is refused; write "36h".
// Marshal writes whole days from three days up as days ("4d", as the rule
// book says "4 days") and anything else in hours ("48h").
//
// A window (a stage's within, recycle_after, repeat_after,
// request_window) must be positive and at most a year; leave it out for
// the default. max_reassignments and repeats count as written: 0 is none
// (the domain's [stage.NoReassignment] and [stage.NoRepeat]).
//
// # Errors
//
// Load is strict: an unknown field (with a suggestion: "did you mean
// \"triggers\"?"), a field given twice, a value of the wrong type, an
// unknown name and a value out of range are errors, and so is anything
// after the object. It reports every problem at once, joined with
// errors.Join; each is a [*leaderr.FieldError] whose Field is the path in
// the file ("cadence.stage3.within", "triggers.rules[1].priority") and
// whose Line is the line of the value, so a file reads
//
//	leadline: line 7: cadence.stage3.within: must be positive, got -48h
//
// An unknown field's message also gives its column. What no field names
// (a syntax error, data after the object) is a [*SyntaxError] with line
// and column. Every one matches [leaderr.ErrInvalid] (E6).
//
// # Versions
//
// Each format version has its own types and its own reader, and Load
// picks the reader by "version" before it reads anything else, so a file
// of version 1 keeps loading after version 2 exists: the v1 reader turns
// it into today's policy. An unknown version is an error that lists the
// known ones. Marshal always writes the current [Version].
package policyfile
