package lead

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leadline/leadline/leaderr"
)

// The limits of the strings leadline accepts (E6, M5). They are checked
// where a string enters (an event, a feedback sheet, a team, a campaign)
// with one rule, so that anything accepted can always be written back
// out: a feedback sheet's export ([routing.WriteFeedbackCSV]) never fails
// on a value an event or an import let in.
const (
	// MaxIDBytes bounds ids: of leads, events, reps, actors, campaigns,
	// accounts and imports. An id is valid UTF-8 with no leading or
	// trailing space and no control character (no line break, no tab).
	MaxIDBytes = 128
	// MaxNameBytes bounds names: company, person, e-mail, lead source,
	// marketing-automation system, team and campaign names. A name is
	// valid UTF-8 on one line: no control character.
	MaxNameBytes = 256
	// MaxTextBytes bounds free text: reasons, topics, BANT notes and
	// survey questions and answers. Text is valid UTF-8 and may span
	// lines.
	MaxTextBytes = 2_000
	// MaxCommentBytes bounds a feedback comment (M5): one byte less than
	// a feedback sheet's cell holds, for the apostrophe the export puts
	// before a comment a spreadsheet would take for a formula.
	MaxCommentBytes = 9_999
)

// CheckID refuses an id that breaks the rule of [MaxIDBytes], as a
// [*leaderr.FieldError] for field. "" passes: whether an id is required
// is the caller's business.
func CheckID(field, s string) error {
	if len(s) <= MaxIDBytes && within(s, '!', '~') {
		return nil // printable ASCII without a space: the ids of almost every event
	}
	return checkID(field, s)
}

// checkID is CheckID's full check, for an id that is not all printable
// ASCII.
func checkID(field, s string) error {
	switch {
	case s == "":
		return nil
	case len(s) > MaxIDBytes:
		return leaderr.Errorf(field, "%d bytes; an id holds at most %d", len(s), MaxIDBytes)
	case !utf8.ValidString(s):
		return leaderr.Errorf(field, "not valid UTF-8")
	case strings.TrimFunc(s, unicode.IsSpace) != s:
		return leaderr.Errorf(field, "%q has leading or trailing space", s)
	case strings.ContainsFunc(s, unicode.IsControl):
		return leaderr.Errorf(field, "%q holds a line break or another control character", s)
	}
	return nil
}

// CheckName refuses a name that breaks the rule of [MaxNameBytes].
func CheckName(field, s string) error {
	if len(s) <= MaxNameBytes && within(s, ' ', '~') {
		return nil // printable ASCII: no control character, valid UTF-8
	}
	return checkName(field, s)
}

// checkName is CheckName's full check.
func checkName(field, s string) error {
	switch {
	case len(s) > MaxNameBytes:
		return leaderr.Errorf(field, "%d bytes; a name holds at most %d", len(s), MaxNameBytes)
	case !utf8.ValidString(s):
		return leaderr.Errorf(field, "not valid UTF-8")
	case strings.ContainsFunc(s, unicode.IsControl):
		return leaderr.Errorf(field, "%q holds a line break or another control character", s)
	}
	return nil
}

// CheckText refuses text over max bytes, not valid UTF-8, or holding a
// NUL byte ([MaxTextBytes], [MaxCommentBytes]). Text may hold any other
// character; NUL is refused because no database text column keeps it,
// and a lead one store accepts must never be refused by another (E6).
func CheckText(field, s string, max int) error {
	if len(s) <= max && within(s, 1, 0x7f) {
		return nil // ASCII without NUL: valid UTF-8
	}
	return checkText(field, s, max)
}

// checkText is CheckText's full check.
func checkText(field, s string, max int) error {
	switch {
	case len(s) > max:
		return leaderr.Errorf(field, "%d bytes; this text holds at most %d", len(s), max)
	case !utf8.ValidString(s):
		return leaderr.Errorf(field, "not valid UTF-8")
	case strings.IndexByte(s, 0) >= 0:
		return leaderr.Errorf(field, "holds a NUL byte (\\x00), which no store keeps: remove it")
	}
	return nil
}

// within reports whether every byte of s is in [lo, hi]: a string of
// ASCII bytes passes the checks above without decoding a rune, which
// is what a replay of a million events spends its validation on.
func within(s string, lo, hi byte) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < lo || c > hi {
			return false
		}
	}
	return true
}

// checkStrings checks every string of e against the limits above.
func (e *Event) checkStrings() error {
	for _, c := range [...]struct{ field, v string }{
		{"id", e.ID}, {"lead", e.Lead}, {"actor", e.Actor}, {"owner", e.Owner}, {"campaign", e.Campaign},
		{"invited_by", e.InvitedBy}, {"met_by", e.MetBy}, {"to", e.To}, {"profile.account", e.Profile.Account},
		{"feedback.by", e.Feedback.By},
	} {
		if err := CheckID(c.field, c.v); err != nil {
			return err
		}
	}
	for _, c := range [...]struct{ field, v string }{
		{"profile.company", e.Profile.Company}, {"profile.name", e.Profile.Name}, {"profile.email", e.Profile.Email},
		{"profile.source", e.Profile.Source}, {"profile.ma_system", e.Profile.MASystem},
	} {
		if err := CheckName(c.field, c.v); err != nil {
			return err
		}
	}
	for _, c := range [...]struct{ field, v string }{
		{"reason", e.Reason}, {"topic", e.Topic}, {"bant.budget", e.BANT.Budget}, {"bant.authority", e.BANT.Authority},
		{"bant.need", e.BANT.Need}, {"bant.timeline", e.BANT.Timeline},
	} {
		if err := CheckText(c.field, c.v, MaxTextBytes); err != nil {
			return err
		}
	}
	for q, a := range e.Answers {
		if err := CheckText("answers", q, MaxTextBytes); err != nil {
			return err
		}
		if err := CheckText("answers["+q+"]", a, MaxTextBytes); err != nil {
			return err
		}
	}
	return CheckText("feedback.comment", e.Feedback.Comment, MaxCommentBytes)
}
