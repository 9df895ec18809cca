package rules

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
	"pgregory.net/rapid"
)

// hostile are names and free text that look like a reason's own words
// (E3): separators, brackets, Japanese names.
var hostile = []string{"rep;a", "rep (a)", "佐藤 太郎", "a, b", "x: y", "round robin", "due 2026-01-01 00:00 JST", "(", ")", ";", "excluded", "担当（営業）"}

// drawValue draws a value of name as the rules write it: a kind's own
// words for a kind, anything at all (hostile text included) for a name
// or free text.
func drawValue(t *rapid.T, name string, free bool) string {
	label := name
	switch name {
	case "channels":
		return stage.Channels(rapid.IntRange(0, 15).Draw(t, label)).String()
	case "stage":
		return stage.Stage(rapid.IntRange(0, 5).Draw(t, label)).String()
	case "status":
		return lead.Status(rapid.IntRange(0, 6).Draw(t, label)).String()
	case "window", "interval":
		d := time.Duration(rapid.Int64Range(1, 200*int64(time.Hour)).Draw(t, label))
		s := (&Step{Policy: &Policy{}}).window(d)
		if rapid.Bool().Draw(t, label+" working") {
			s += " of working time"
		}
		return s
	case "due":
		zone := rapid.SampledFrom([]*time.Location{time.UTC, time.FixedZone("JST", 9*3600)}).Draw(t, label+" zone")
		return time.Unix(rapid.Int64Range(0, 4e9).Draw(t, label), 0).In(zone).Format(stampLayout)
	case "count", "limit", "priority":
		return strconv.Itoa(rapid.IntRange(-3, 1000).Draw(t, label))
	case "kind":
		return lead.EventKind(rapid.IntRange(1, 15).Draw(t, label)).String()
	case "trigger", "rule":
		return rapid.SampledFrom([]string{"A1", "A8", "T1", "T13", "M4"}).Draw(t, label)
	case "model":
		return rapid.SampledFrom([]string{"inside_first", "direct", "hybrid", "field_only", ""}).Draw(t, label)
	case "response":
		return lead.ResponseKind(rapid.IntRange(1, 9).Draw(t, label)).String()
	case "bant":
		return lead.BANTSet(rapid.IntRange(0, 15).Draw(t, label)).String()
	case "reasons":
		return routing.Reasons(rapid.Uint32Range(1, 1<<18-1).Draw(t, label)).String()
	}
	v := rapid.OneOf(rapid.SampledFrom(hostile), rapid.String()).Draw(t, label)
	if free && v == "" {
		v = "x" // an empty free text is no reason at all
	}
	return v
}

// TestReason_roundTrip is the property of the catalogue (E3): a reason
// rendered from any values parses back to its own kind, and renders
// again to the very same text, hostile values included.
func TestReason_roundTrip(t *testing.T) {
	t.Parallel()
	for id := reasonID(1); id < numReasonIDs; id++ {
		e := &catalogue[id]
		t.Run(e.key, func(t *testing.T) {
			t.Parallel()
			rapid.Check(t, func(t *rapid.T) {
				var vals []string
				for i, p := range e.parts[0] {
					if i%2 == 1 {
						vals = append(vals, drawValue(t, p, e.free))
					}
				}
				text := why(id, vals...)
				c := lead.Change{Field: e.field, Rule: first(e.rule, "M4"), Reason: text}
				switch id {
				case rRequestOpened, rTargetJump:
					c.To = lead.RequestOpen.String()
				case rPreSQLRejected:
					c.To = lead.HandoffRejected.String()
				case rRejectedRecycled:
					c.To = lead.StatusRecycled.Key()
				case rRejectedLead:
					c.To = lead.StatusLead.Key()
				}
				r := ParseReason(c)
				if got := r.Text(English, nil); got != text {
					t.Fatalf("ParseReason(%q) = %+v, which renders %q", text, r, got)
				}
				// A campaign id with " by " in it reads as a response by
				// a rep: the one ambiguity of the stored text (M6).
				if r.Key != e.key && !(id == rResponse && r.Key == "response-by") {
					t.Fatalf("ParseReason(%q) = %+v, want key %q", text, r, e.key)
				}
				if r.Text(Japanese, time.UTC) == "" {
					t.Fatalf("Reason %+v has no Japanese text", r)
				}
			})
		})
	}
}

// TestReason_routingWords checks that every routing reason has its
// Japanese words (M1-M8, M12, S5).
func TestReason_routingWords(t *testing.T) {
	t.Parallel()
	for i := range 32 {
		s := routing.Reasons(1 << i).String()
		if s == "" {
			continue
		}
		_, text, _ := strings.Cut(s, " ")
		if jaRoutingReasons[text] == "" {
			t.Errorf("routing reason %q has no Japanese words", text)
		}
	}
}

// TestReason_defaultSubjects checks that the subjects of the rule book's
// trigger table have their Japanese words (A1-A3, M1).
func TestReason_defaultSubjects(t *testing.T) {
	t.Parallel()
	for _, row := range routing.DefaultTriggers().Rules {
		if jaSubjects[row.Subject] == "" {
			t.Errorf("trigger %s: subject %q has no Japanese words", row.Rule, row.Subject)
		}
	}
}
