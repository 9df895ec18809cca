package replay

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/leadline/leadline/rules"
)

// diffTexts are the words of a Comparison's text in one language.
type diffTexts struct {
	same, reps, campaigns, nobody, leadsDiffer, more string
	onlyA, onlyB, noNumbers, arrow, sep              string
	labels                                           map[string]string // policy path (a field's, as Diff gives it) -> name
	count                                            func(name string, n int, more bool) string
	median                                           func(from, to time.Duration, changed bool) string
	dur                                              func(d time.Duration) string
	fields                                           [4]string // owner, status, stage, request
	first                                            string
}

func textsFor(lang rules.Language) *diffTexts {
	if lang == rules.Japanese {
		return &japanese
	}
	return &english
}

var englishNouns = map[string][2]string{
	"requests": {"approach request", "approach requests"}, "attempted": {"request attempted", "requests attempted"},
	"late": {"late step", "late steps"}, "reassignments": {"reassignment", "reassignments"},
	"reminders": {"reminder", "reminders"}, "escalations": {"escalation", "escalations"},
	"recycles": {"recycle", "recycles"}, "connections": {"connection", "connections"},
	"breaches": {"SLA breach", "SLA breaches"}, "handoffs": {"hand-off", "hand-offs"},
}

var english = diffTexts{
	same: "Same policy", reps: "By rep:", campaigns: "By campaign:", nobody: "(no owner)",
	leadsDiffer: "Leads whose outcome differs: %d", more: "... and %d more",
	onlyA: "only in the first replay", onlyB: "only in the second replay", noNumbers: "no change in the numbers",
	arrow: " -> ", sep: ", ",
	labels: map[string]string{
		"cadence.stage1.within": "Stage1 window", "cadence.stage2.within": "Stage2 window",
		"cadence.stage3.within": "Stage3 window", "cadence.stage4.within": "Stage4 window",
		"cadence.recycle_after": "recycle wait", "cadence.max_reassignments": "reassignment limit",
		"cadence.repeats": "repeated reminders", "cadence.repeat_after": "reminder interval",
		"cadence.calendar.name": "calendar", "cadence.calendar.zone": "calendar time zone",
		"cadence.calendar.start": "working day start", "cadence.calendar.end": "working day end",
		"cadence.calendar.workdays": "working days", "cadence.calendar.closed": "closed days",
		"cadence.calendar.count": "working time counted in", "triggers.threshold": "MQL threshold",
		"request_window": "request window", "target_jump.rise": "target-account jump",
		"target_jump.off": "target-account jump off",
	},
	count: func(name string, n int, more bool) string {
		w := englishNouns[name][1]
		if n == 1 {
			w = englishNouns[name][0]
		}
		if more {
			return fmt.Sprintf("%d more %s", n, w)
		}
		return fmt.Sprintf("%d fewer %s", n, w)
	},
	median: func(from, to time.Duration, changed bool) string {
		if !changed {
			return "median first attempt unchanged"
		}
		return "median first attempt " + shortDur(from, "h", "m", "d") + " -> " + shortDur(to, "h", "m", "d")
	},
	dur:    func(d time.Duration) string { return shortDur(d, "h", "m", "d") },
	fields: [4]string{"owner", "status", "stage", "request"},
	first:  "first attempt",
}

var japaneseNouns = map[string]string{
	"requests": "アプローチ依頼", "attempted": "初回アプローチ済みの依頼", "late": "期限後のステップ",
	"reassignments": "再割り当て", "reminders": "リマインダー", "escalations": "マネージャーへのエスカレーション",
	"recycles": "リサイクル", "connections": "接続", "breaches": "SLA 違反", "handoffs": "フィールドセールスへの引き渡し",
}

var japanese = diffTexts{
	same: "ポリシーの変更なし", reps: "担当者別:", campaigns: "キャンペーン別:", nobody: "(担当者なし)",
	leadsDiffer: "結果が変わったリード: %d 件", more: "ほか %d 件",
	onlyA: "1 回目のリプレイのみ", onlyB: "2 回目のリプレイのみ", noNumbers: "件数の変化なし",
	arrow: " → ", sep: "、",
	labels: map[string]string{
		"cadence.stage1.within": "Stage1 の期限", "cadence.stage2.within": "Stage2 の期限",
		"cadence.stage3.within": "Stage3 の期限", "cadence.stage4.within": "Stage4 の期限",
		"cadence.recycle_after": "リサイクルまでの待ち", "cadence.max_reassignments": "再割り当ての上限",
		"cadence.repeats": "リマインダーの繰り返し回数", "cadence.repeat_after": "リマインダーの間隔",
		"cadence.calendar.name": "カレンダー", "cadence.calendar.zone": "カレンダーのタイムゾーン",
		"cadence.calendar.start": "営業開始時刻", "cadence.calendar.end": "営業終了時刻",
		"cadence.calendar.workdays": "営業日", "cadence.calendar.closed": "休業日",
		"cadence.calendar.count": "営業時間の数え方", "triggers.threshold": "MQL のしきい値",
		"request_window": "アプローチ依頼の期限", "target_jump.rise": "ターゲット企業のスコア上昇幅",
		"target_jump.off": "ターゲット企業の即時アプローチ停止",
	},
	count: func(name string, n int, more bool) string {
		if more {
			return fmt.Sprintf("%s %d 件増", japaneseNouns[name], n)
		}
		return fmt.Sprintf("%s %d 件減", japaneseNouns[name], n)
	},
	median: func(from, to time.Duration, changed bool) string {
		if !changed {
			return "初回アプローチまでの時間の中央値は変わらず"
		}
		return "初回アプローチまでの時間の中央値 " + shortDur(from, "時間", "分", "日") + " → " + shortDur(to, "時間", "分", "日")
	},
	dur:    func(d time.Duration) string { return shortDur(d, "時間", "分", "日") },
	fields: [4]string{"担当", "ステータス", "ステージ", "依頼"},
	first:  "初回アプローチまで",
}

// shortDur writes d as a manager reads it: whole days from three days
// on ("4d"), else hours and minutes ("48h", "2h10m", "45m"), to the
// minute.
func shortDur(d time.Duration, h, m, day string) string {
	d = d.Round(time.Minute)
	switch {
	case d == 0:
		return "0" + m
	case d >= 72*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d%s", d/(24*time.Hour), day)
	case d%time.Hour == 0:
		return fmt.Sprintf("%d%s", d/time.Hour, h)
	case d < time.Hour:
		return fmt.Sprintf("%d%s", d/time.Minute, m)
	}
	return fmt.Sprintf("%d%s%d%s", d/time.Hour, h, (d%time.Hour)/time.Minute, m)
}

// policyLine names the policy changes: "Stage3 window 48h -> 24h".
func (t *diffTexts) policyLine(cs []PolicyChange) string {
	if len(cs) == 0 {
		return t.same
	}
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		label, from, to := t.labels[c.Path], c.From, c.To
		if label == "" {
			label = c.Path
		}
		if last := c.Path[strings.LastIndexByte(c.Path, '.')+1:]; durationFields[last] {
			from, to = t.durText(from), t.durText(to)
		}
		parts = append(parts, label+" "+from+t.arrow+to)
	}
	return strings.Join(parts, t.sep)
}

func (t *diffTexts) durText(s string) string {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil {
			return t.dur(time.Duration(n) * 24 * time.Hour)
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return s
	}
	return t.dur(d)
}

// deltas says what changed in words; with team it always says the
// median first attempt, changed or not.
func (t *diffTexts) deltas(ds []Delta, team bool) string {
	var parts []string
	var med *Delta
	for i := range ds {
		d := &ds[i]
		if d.Name == firstAttempt {
			med = d
			continue
		}
		if n := d.To - d.From; n > 0 {
			parts = append(parts, t.count(d.Name, int(n), true))
		} else {
			parts = append(parts, t.count(d.Name, int(-n), false))
		}
	}
	switch {
	case med != nil:
		parts = append(parts, t.median(time.Duration(med.From)*time.Second, time.Duration(med.To)*time.Second, true))
	case team:
		parts = append(parts, t.median(0, 0, false))
	}
	if len(parts) == 0 {
		return t.noNumbers
	}
	return strings.Join(parts, t.sep)
}

// leadLine says how one lead's outcome differs.
func (t *diffTexts) leadLine(a, b *LeadOutcome) string {
	switch {
	case a == nil:
		return t.onlyB
	case b == nil:
		return t.onlyA
	}
	var parts []string
	for i, p := range [][2]string{{a.Owner, b.Owner}, {a.Status, b.Status}, {a.Stage, b.Stage}, {a.Request, b.Request}} {
		if p[0] != p[1] {
			parts = append(parts, t.fields[i]+" "+orNone(p[0], "-")+t.arrow+orNone(p[1], "-"))
		}
	}
	av, bv := countValues(&a.Counts), countValues(&b.Counts)
	for i, n := range countNames {
		if av[i] != bv[i] {
			name := englishNouns[n][1]
			if t == &japanese {
				name = japaneseNouns[n]
			}
			parts = append(parts, fmt.Sprintf("%s %d%s%d", name, av[i], t.arrow, bv[i]))
		}
	}
	if a.FirstAttempt != b.FirstAttempt {
		parts = append(parts, t.first+" "+t.dur(a.FirstAttempt)+t.arrow+t.dur(b.FirstAttempt))
	}
	return strings.Join(parts, "; ")
}
