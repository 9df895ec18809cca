// Package diagram draws a policy's touch cadence (T1-T14) as a graph, in
// Mermaid (for Markdown pages) or Graphviz DOT: the stages with their
// windows and channels, the reminders and their repeats, reassignment,
// escalation to the manager, recycling and connection, each edge labelled
// with the policy's values and the rule it follows. The output is
// deterministic: one policy always draws the same text, so a diagram can
// be checked in and reviewed as a diff.
//
// Labels are in the policy's language: Japanese for "ja", English for
// every other (E10's built-in languages; a custom language has
// notification templates but no diagram labels). On a business calendar
// the windows read as working time (T11): "48 working hours", or "2
// working days" (2営業日) when the calendar counts days.
package diagram

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
)

// node is a box of the graph.
type node struct {
	id    string
	lines []string // the label, one entry a line
}

// edge is an arrow. dashed marks what happens when a deadline is missed.
type edge struct {
	from, to, label string
	dashed          bool
}

// graph is the cadence, ready to write in either syntax.
type graph struct {
	title string
	nodes []node
	edges []edge
}

// Mermaid writes p's cadence as a Mermaid flowchart. An invalid policy
// is an error, as [rules.Policy.Validate] reports it, and nothing is
// written.
func Mermaid(w io.Writer, p rules.Policy) error {
	g, err := build(p)
	if err != nil {
		return err
	}
	var b strings.Builder
	// The title is YAML front matter: quoted, since it holds ": ".
	fmt.Fprintf(&b, "---\ntitle: %s\n---\nflowchart LR\n", strconv.Quote(g.title))
	for _, n := range g.nodes {
		fmt.Fprintf(&b, "    %s[\"%s\"]\n", n.id, mermaidText(strings.Join(n.lines, "\n")))
	}
	for _, e := range g.edges {
		arrow := "-->"
		if e.dashed {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "    %s %s|\"%s\"| %s\n", e.from, arrow, mermaidText(e.label), e.to)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("diagram: write mermaid: %w", err)
	}
	return nil
}

// DOT writes p's cadence as a Graphviz digraph. An invalid policy is an
// error, as [rules.Policy.Validate] reports it, and nothing is written.
func DOT(w io.Writer, p rules.Policy) error {
	g, err := build(p)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "digraph cadence {\n    label=%s;\n    labelloc=t;\n    rankdir=LR;\n    node [shape=box];\n", dotText(g.title))
	for _, n := range g.nodes {
		fmt.Fprintf(&b, "    %s [label=%s];\n", n.id, dotText(strings.Join(n.lines, "\n")))
	}
	for _, e := range g.edges {
		style := ""
		if e.dashed {
			style = ", style=dashed"
		}
		fmt.Fprintf(&b, "    %s -> %s [label=%s%s];\n", e.from, e.to, dotText(e.label), style)
	}
	b.WriteString("}\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("diagram: write dot: %w", err)
	}
	return nil
}

// mermaidText escapes s for a quoted Mermaid label: quotes become
// entities and line breaks <br/>.
func mermaidText(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "\n", "<br/>", "|", "#124;", ";", "#59;")
	return r.Replace(s)
}

// dotText quotes s as a DOT string, with \n for a line break.
func dotText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// build lays out p's cadence.
func build(p rules.Policy) (graph, error) {
	if err := p.Validate(); err != nil {
		return graph{}, fmt.Errorf("diagram: %w", err)
	}
	p = p.Normalize()
	t := textsOf(p.Language)
	c := &p.Cadence
	// On a business calendar the windows count working time (T11): say
	// so in every label.
	if b, ok := c.Calendar.(*stage.BusinessCalendar); ok {
		if b.Hours().CountDays {
			t.dur = t.workDays
		} else {
			t.dur = t.workHours
		}
	}
	var g graph
	g.title = t.title + ", " + t.calendar(c.Calendar)

	g.nodes = append(g.nodes, node{"untouched", []string{t.untouched}})
	for s := stage.Stage1; s <= stage.Stage4; s++ {
		g.nodes = append(g.nodes, node{s.Key(), []string{s.String(), t.channels(c.Playbook(s).Channels)}})
	}
	g.nodes = append(g.nodes,
		node{"connected", []string{t.connected}},
		node{"recycled", []string{t.recycled}},
		node{"manager", []string{t.manager}})

	// The cadence itself: each attempt within its window (T1, T3-T5).
	from := "untouched"
	for s := stage.Stage1; s <= stage.Stage4; s++ {
		g.edges = append(g.edges, edge{from: from, to: s.Key(), label: t.within(s, t.dur(c.Window(s)))})
		from = s.Key()
	}
	g.edges = append(g.edges, edge{from: "stage4", to: "recycled", label: t.recycle(t.dur(c.RecycleAfter))})
	// A contact at any stage (T6).
	for _, s := range []string{"untouched", "stage1", "stage2", "stage3", "stage4"} {
		g.edges = append(g.edges, edge{from: s, to: "connected", label: t.contact})
	}
	// Missed deadlines: T1 and T10 before the first attempt, T8 and T13
	// after it.
	maxR := max(c.MaxReassignments, 0)
	repeats := max(c.Repeats, 0)
	if maxR > 0 {
		g.edges = append(g.edges, edge{from: "untouched", to: "untouched", dashed: true, label: t.reassign(t.dur(c.Window(stage.Stage1)), maxR)})
	}
	g.edges = append(g.edges, edge{from: "untouched", to: "manager", dashed: true, label: t.escalate(maxR)})
	for s := stage.Stage1; s <= stage.Stage3; s++ {
		next := s + 1
		g.edges = append(g.edges, edge{from: s.Key(), to: s.Key(), dashed: true,
			label: t.remind(t.dur(c.Window(next)), t.dur(c.RepeatInterval(next)), repeats, maxR > 0)})
		g.edges = append(g.edges, edge{from: s.Key(), to: "manager", dashed: true, label: t.handOn(maxR)})
	}
	return g, nil
}

// texts are the labels of one language.
type texts struct {
	title, untouched, connected, recycled, manager, contact string

	dur       func(time.Duration) string // on the wall clock
	workHours func(time.Duration) string // on a business calendar counting hours
	workDays  func(time.Duration) string // on one counting days
	channels  func(stage.Channels) string
	calendar  func(stage.Calendar) string
	within    func(s stage.Stage, d string) string
	recycle   func(d string) string
	reassign  func(d string, max int) string
	escalate  func(max int) string
	handOn    func(max int) string
	remind    func(d, every string, repeats int, reassign bool) string
}

func textsOf(l rules.Language) texts {
	if l == rules.Japanese {
		return japanese
	}
	return english
}

// duration writes d as the rule book does: whole days from three days
// up in days ("4d"), the rest in hours and minutes ("48h", "1h30m").
func duration(d time.Duration, day, hour, minute string) string {
	const oneDay = 24 * time.Hour
	if d >= 3*oneDay && d%oneDay == 0 {
		return strconv.FormatInt(int64(d/oneDay), 10) + day
	}
	return hoursMinutes(d, hour, minute)
}

// hoursMinutes writes d in hours and minutes, "36h", "1h30m", and any
// rest below a minute as Go does.
func hoursMinutes(d time.Duration, hour, minute string) string {
	var b strings.Builder
	if h := d / time.Hour; h > 0 {
		fmt.Fprintf(&b, "%d%s", h, hour)
	}
	if m := d % time.Hour / time.Minute; m > 0 || b.Len() == 0 {
		fmt.Fprintf(&b, "%d%s", m, minute)
	}
	if r := d % time.Minute; r > 0 {
		fmt.Fprintf(&b, "%v", r)
	}
	return b.String()
}

func channelNames(c stage.Channels, names map[stage.Channels]string, sep string) string {
	var out []string
	for _, ch := range []stage.Channels{stage.Call, stage.Email, stage.Voicemail, stage.Meeting} {
		if c.Has(ch) {
			out = append(out, names[ch])
		}
	}
	return strings.Join(out, sep)
}

// calendarName describes c in words of one language.
func calendarName(c stage.Calendar, wall, business, hours, days, custom string) string {
	switch c := c.(type) {
	case nil, stage.WallClock:
		return wall
	case *stage.BusinessCalendar:
		h := c.Hours()
		name := "business"
		if business != "" {
			name = business + " " + name
		}
		if len(h.Holidays) > 0 {
			name += ":" + strings.Join(h.Holidays, "+")
		}
		count := hours
		if h.CountDays {
			count = days
		}
		return fmt.Sprintf("%s %s %s-%s (%s)", name, h.Zone, h.Start, h.End, count)
	}
	return custom
}

var english = texts{
	title:     "Touch cadence (T1-T14)",
	untouched: "Untouched",
	connected: "Connected (T6)",
	recycled:  "Recycled (T7, S3)",
	manager:   "Manager",
	contact:   "T6: contact",
	dur:       func(d time.Duration) string { return duration(d, "d", "h", "m") },
	workHours: func(d time.Duration) string {
		switch {
		case d == time.Hour:
			return "1 working hour"
		case d%time.Hour == 0:
			return fmt.Sprintf("%d working hours", d/time.Hour)
		}
		return hoursMinutes(d, "h", "m") + " of working time"
	},
	workDays: func(d time.Duration) string {
		n := d / (24 * time.Hour)
		var s string
		switch n {
		case 0:
		case 1:
			s = "1 working day"
		default:
			s = fmt.Sprintf("%d working days", n)
		}
		if r := d % (24 * time.Hour); r > 0 || n == 0 {
			s = strings.TrimSpace(s + " " + hoursMinutes(r, "h", "m") + " of working time")
		}
		return s
	},
	channels: func(c stage.Channels) string {
		return channelNames(c, map[stage.Channels]string{stage.Call: "call", stage.Email: "email", stage.Voicemail: "voicemail", stage.Meeting: "meeting"}, ", ")
	},
	calendar: func(c stage.Calendar) string {
		return "calendar: " + calendarName(c, "wall clock (T11)", "", "counting hours, T11", "counting days, T11", "custom (T11)")
	},
	within: func(s stage.Stage, d string) string {
		rule := map[stage.Stage]string{stage.Stage1: "T1", stage.Stage2: "T3", stage.Stage3: "T4", stage.Stage4: "T5"}[s]
		return fmt.Sprintf("%s: attempt within %s", rule, d)
	},
	recycle: func(d string) string { return fmt.Sprintf("T7: no contact %s after Stage4", d) },
	reassign: func(d string, max int) string {
		return fmt.Sprintf("T1, T8: %s missed: remind owner, alert manager, then another rep, a fresh %s (at most %d times, T10)", d, d, max)
	},
	handOn: func(max int) string {
		if max == 0 {
			return "T13: after the last repeat (no reassignment, T10)"
		}
		return fmt.Sprintf("T13: after the last repeat, once %d reassignments are spent (T10)", max)
	},
	escalate: func(max int) string {
		if max == 0 {
			return "T1, T8, T10: missed: remind owner, alert manager, no reassignment: to the manager"
		}
		return fmt.Sprintf("T10: after %d reassignments", max)
	},
	remind: func(d, every string, repeats int, reassign bool) string {
		then := "then another rep (T10)"
		if !reassign {
			then = "then the manager (T10)"
		}
		if repeats == 0 {
			return fmt.Sprintf("T8: %s missed: remind owner, alert manager. T13: %s later %s", d, every, then)
		}
		return fmt.Sprintf("T8: %s missed: remind owner, alert manager. T13: again every %s, %d times, %s", d, every, repeats, then)
	},
}

var japanese = texts{
	title:     "タッチケイデンス (T1-T14)",
	untouched: "未着手",
	connected: "接続 (T6)",
	recycled:  "リサイクル (T7, S3)",
	manager:   "マネージャー",
	contact:   "T6: 双方向の接触",
	dur:       func(d time.Duration) string { return duration(d, "日", "時間", "分") },
	workHours: func(d time.Duration) string {
		return hoursMinutes(d, "営業時間", "分")
	},
	workDays: func(d time.Duration) string {
		var s string
		if n := d / (24 * time.Hour); n > 0 {
			s = fmt.Sprintf("%d営業日", n)
		}
		if r := d % (24 * time.Hour); r > 0 || s == "" {
			s += hoursMinutes(r, "営業時間", "分")
		}
		return s
	},
	channels: func(c stage.Channels) string {
		return channelNames(c, map[stage.Channels]string{stage.Call: "電話", stage.Email: "メール", stage.Voicemail: "留守電", stage.Meeting: "面談"}, "・")
	},
	calendar: func(c stage.Calendar) string {
		return "カレンダー: " + calendarName(c, "暦時間 (T11)", "営業日", "営業時間で数える, T11", "営業日で数える, T11", "独自 (T11)")
	},
	within: func(s stage.Stage, d string) string {
		rule := map[stage.Stage]string{stage.Stage1: "T1", stage.Stage2: "T3", stage.Stage3: "T4", stage.Stage4: "T5"}[s]
		return fmt.Sprintf("%s: %s以内にアプローチ", rule, d)
	},
	recycle: func(d string) string { return fmt.Sprintf("T7: Stage4から%s接触なし", d) },
	reassign: func(d string, max int) string {
		return fmt.Sprintf("T1, T8: %s超過: 担当者にリマインド、マネージャーに通知。別の担当者へ、新たに%s (最大%d回, T10)", d, d, max)
	},
	handOn: func(max int) string {
		if max == 0 {
			return "T13: 最後のリマインドの後 (再割り当てなし, T10)"
		}
		return fmt.Sprintf("T13: 最後のリマインドの後、再割り当て%d回を使い切ったら (T10)", max)
	},
	escalate: func(max int) string {
		if max == 0 {
			return "T1, T8, T10: 超過: 担当者にリマインド、マネージャーに通知。再割り当てなし: マネージャーへ"
		}
		return fmt.Sprintf("T10: 再割り当て%d回の後", max)
	},
	remind: func(d, every string, repeats int, reassign bool) string {
		then := "その後 別の担当者へ (T10)"
		if !reassign {
			then = "その後 マネージャーへ (T10)"
		}
		if repeats == 0 {
			return fmt.Sprintf("T8: %s超過: 担当者にリマインド、マネージャーに通知。T13: %s後 %s", d, every, then)
		}
		return fmt.Sprintf("T8: %s超過: 担当者にリマインド、マネージャーに通知。T13: %sごとに%d回まで、%s", d, every, repeats, then)
	},
}
