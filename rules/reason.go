package rules

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/stage"
)

// This file holds the reason catalogue of E3 and E10: every kind of
// decision the rules write in history, its English text as stored and its
// text in each built-in language.

// Reason is the reason of a history entry in structured form (E3, E10):
// the catalogue key of the kind of decision ("attempt-overdue") and the
// named values that produced it ({"stage": "Stage1", "window": "48h",
// "due": "2026-12-07 10:00 JST"}). Values are written as the stored
// English text writes them; [Reason.Text] words them in a language.
//
// A history entry stores its reason as English text ([lead.Change.Reason]),
// and [ParseReason] reads the structure back from it, so history written
// before the catalogue explains itself too. Free text a person typed (a
// rejection reason, a feedback comment, a status reason), a lead source
// and the subject of a policy's trigger row are values of their own,
// kept verbatim in every language.
type Reason struct {
	// Key names the kind of decision: a stable key of the catalogue,
	// "text" for a reason no entry matches (its value "text" holds it),
	// or "" for an entry without a reason.
	Key string `json:"key"`
	// Values are the policy values and facts the text names, by name.
	Values map[string]string `json:"values,omitempty"`
}

// ReasonText is the key of a reason no catalogue entry matches: its text
// is kept as it is, in every language.
const ReasonText = "text"

// reasonID indexes the catalogue; rules build their reasons by it.
type reasonID uint8

// The catalogue's entries. Matching tries them in this order, so an
// entry comes before any other whose text can read the same.
const (
	rTargetJump reasonID = iota + 1
	// Free text: matched by the entry's field and rule, never by its
	// words, and before any entry its words could read as.
	rPreSQLRejected
	rRejectedRecycled
	rRejectedLead
	rFeedback
	rStatusSet
	rLeadCreated
	rRequestOpened
	rResponseBy
	rResponse
	rAttemptProtected
	rAttemptLate
	rAttemptLastStage
	rAttempt
	rContactBy
	rContact
	rContactMade
	rApproachRecorded
	rAttemptReminder
	rAttemptHandedOn
	rAttemptOverdue
	rRequestOverdue
	rReassigned
	rReassignedAfterReminders
	rFreshWindow
	rEscalated
	rCadenceExhaustedStage
	rRecycled
	rProtectedNotRecycled
	rCadenceExhausted
	rBANTRecorded
	rPreSQLHanded
	rPreSQLHandedOff
	rPreSQLAccepted
	rPreSQLAcceptedWhy
	rPreSQLRejectedBack
	rOpportunityConfirmed
	rAccountOwner
	rRoundRobinAway
	rRoundRobin
	rBelowThreshold
	rNoRequestFieldOnly
	rToFieldMQL
	rToFieldRep
	rToFieldAccountOwner
	rSuppressed
	rMerged
	rReengaged
	rNewCadence
	rRouteAlreadyField
	rRouteOwnerNotField
	rRoute
	rCadenceStoppedField
	rWithField
	rCadenceStoppedStatus
	rStatusSetTo
	rProfileUpdated
	numReasonIDs
)

// reasonEntry is one kind of decision: its key, the rule whose decision it
// is, and its texts with named values in braces ("{window}"). An entry
// with free set is free text: it matches only history entries of its
// field and rule, whatever their words.
type reasonEntry struct {
	key   string
	rule  string // the rule that writes it; "" when several do (the entry's Rule says which)
	field lead.Field
	free  bool
	texts [2]string // English, Japanese

	parts [2][]string // texts split: literal, name, literal, name, ..., literal
	re    *regexp.Regexp
}

// catalogue is the reason catalogue. Its English texts are the stored
// reasons, word for word: stores, reports, replay and golden files read
// them. Read-only after it is built.
var catalogue = buildCatalogue([numReasonIDs]reasonEntry{
	rAttemptProtected: {key: "attempt-protected", rule: "S5",
		texts: [2]string{"attempt by {channels} recorded; {status} leads get no cadence", "{channels}によるアプローチを記録（ステータスが{status}のリードはケイデンスの対象外）"}},
	rAttemptLate: {key: "attempt-late", rule: "T9",
		texts: [2]string{"attempt by {channels}; late, due {due}", "{channels}でアプローチ（期限 {due} を過ぎて実施）"}},
	rAttemptLastStage: {key: "attempt-last-stage",
		texts: [2]string{"attempt by {channels}; Stage4 is the last stage, nothing advances", "{channels}でアプローチ（Stage4 が最後のステージのため、これ以上進みません）"}},
	rAttempt: {key: "attempt",
		texts: [2]string{"attempt by {channels}", "{channels}でアプローチ"}},
	rContactBy: {key: "contact-by", rule: "T6",
		texts: [2]string{"two-way contact by {channels}", "{channels}で双方向の接触"}},
	rContact: {key: "contact", rule: "T6",
		texts: [2]string{"two-way contact", "双方向の接触"}},
	rContactMade: {key: "contact-made", rule: "T6",
		texts: [2]string{"contact made", "接触できたため依頼を完了"}},
	rApproachRecorded: {key: "approach-recorded", rule: "A4",
		texts: [2]string{"approach recorded", "アプローチを記録したため依頼を完了"}},
	rAttemptReminder: {key: "attempt-reminder", rule: "T13",
		texts: [2]string{"{stage} attempt overdue: no attempt within {window}, due {due}; still no attempt, reminder {count} of {limit}, every {interval}",
			"{window}以内に{stage}のアプローチなし（期限 {due}）。まだ未実施のため {count}/{limit} 回目のリマインド（{interval}ごと）"}},
	rAttemptHandedOn: {key: "attempt-handed-on", rule: "T13",
		texts: [2]string{"{stage} attempt overdue: still no attempt after the reminders; handed on", "リマインド後も{stage}のアプローチなし。次の担当へ引き継ぎ"}},
	rAttemptOverdue: {key: "attempt-overdue",
		texts: [2]string{"{stage} attempt overdue: no attempt within {window}, due {due}", "{window}以内に{stage}のアプローチなし（期限 {due}）"}},
	rRequestOverdue: {key: "request-overdue", rule: "A4",
		texts: [2]string{"due date passed with no approach", "アプローチがないまま期限を過ぎました"}},
	rReassigned: {key: "reassigned",
		texts: [2]string{"no attempt within the Stage1 window ({window}); round robin over inside sales, {excluded} excluded",
			"Stage1 の期限（{window}）内にアプローチなし。内勤のラウンドロビンで再割り当て（{excluded} を除外）"}},
	rReassignedAfterReminders: {key: "reassigned-after-reminders", rule: "T13",
		texts: [2]string{"{stage} attempt overdue after every reminder; round robin over inside sales, {excluded} excluded",
			"リマインド後も{stage}のアプローチなし。内勤のラウンドロビンで再割り当て（{excluded} を除外）"}},
	rFreshWindow: {key: "fresh-window", rule: "T10",
		texts: [2]string{"fresh window for the new owner, due {due}", "新しい担当者の期限を設定（期限 {due}）"}},
	rEscalated: {key: "escalated", rule: "T10",
		texts: [2]string{"not worked after {count} reassignments ({rule}): to {rep}'s manager", "{count} 回の再割り当て後も未着手（{rule}）のため、{rep} のマネージャーへ"}},
	rCadenceExhaustedStage: {key: "cadence-exhausted-stage", rule: "T7",
		texts: [2]string{"cadence exhausted: no contact after Stage4", "ケイデンス終了：Stage4 の後も接触なし"}},
	rRecycled: {key: "recycled", rule: "T7",
		texts: [2]string{"no contact after the Stage4 attempt (S3)", "Stage4 のアプローチ後も接触なし（S3）"}},
	rProtectedNotRecycled: {key: "protected-not-recycled", rule: "S5",
		texts: [2]string{"protected status is not recycled", "保護されたステータスのためリサイクルしません"}},
	rCadenceExhausted: {key: "cadence-exhausted", rule: "T7",
		texts: [2]string{"cadence exhausted", "ケイデンス終了"}},
	rBANTRecorded: {key: "bant-recorded", rule: "M10",
		texts: [2]string{"BANT recorded", "BANT を記録"}},
	rPreSQLHanded: {key: "presql-handed", rule: "M10",
		texts: [2]string{"Pre-SQL handed to {rep} with {bant} known", "{bant} が判明した状態で {rep} に Pre-SQL を引き渡し"}},
	rPreSQLHandedOff: {key: "presql-handed-off", rule: "M10",
		texts: [2]string{"Pre-SQL handed off by {rep}", "{rep} が Pre-SQL を引き渡し"}},
	rPreSQLAccepted: {key: "presql-accepted", rule: "M10",
		texts: [2]string{"accepted: an SQL", "受け入れ：SQL になりました"}},
	rPreSQLAcceptedWhy: {key: "presql-accepted-why", rule: "M10",
		texts: [2]string{"accepted: an SQL: {reason}", "受け入れ：SQL になりました：{reason}"}},
	rPreSQLRejectedBack: {key: "presql-rejected-back", rule: "M10",
		texts: [2]string{"Pre-SQL rejected: {reason}", "Pre-SQL の差し戻し：{reason}"}},
	rOpportunityConfirmed: {key: "opportunity-confirmed", rule: "M5",
		texts: [2]string{"confirmed opportunity continues through the hand-off (M10)", "商談化が確認されたため、引き渡しを受け入れとして継続（M10）"}},
	rAccountOwner: {key: "account-owner", rule: "M9",
		texts: [2]string{"account owner", "アカウント担当者"}},
	rRoundRobinAway: {key: "round-robin-away", rule: "M9",
		texts: [2]string{"round robin: {rep} is away or at capacity", "ラウンドロビン：{rep} は不在または担当数の上限"}},
	rRoundRobin: {key: "round-robin", rule: "M9",
		texts: [2]string{"round robin", "ラウンドロビン"}},
	rBelowThreshold: {key: "below-threshold", rule: "M11",
		texts: [2]string{"{kind} below the MQL threshold: field_only model, marketing nurtures it", "{kind}は MQL の閾値未満：フィールドのみモデルのため、マーケティングが育成"}},
	rNoRequestFieldOnly: {key: "no-request-field-only", rule: "M11",
		texts: [2]string{"{kind} makes no request: field_only model", "{kind}では依頼を作成しません：フィールドのみモデル"}},
	rToFieldMQL: {key: "to-field-mql",
		texts: [2]string{"{kind}: {trigger} is an MQL: {model} model", "{kind}：{trigger} は MQL（{model}モデル）"}},
	rToFieldRep: {key: "to-field-rep",
		texts: [2]string{"{kind}: {response} by field rep {rep} ({campaign})", "{kind}：フィールド担当 {rep} の{response}（{campaign}）"}},
	rToFieldAccountOwner: {key: "to-field-account-owner",
		texts: [2]string{"{kind}: account owner {rep} is in field sales", "{kind}：アカウント担当者 {rep} はフィールド営業"}},
	rSuppressed: {key: "suppressed", rule: "S5",
		texts: [2]string{"suppressed: status is {status}", "抑止：ステータスが{status}"}},
	rMerged: {key: "merged", rule: "A6",
		texts: [2]string{"recorded on the outstanding request; priority {priority}", "未対応の依頼に追加（優先度{priority}）"}},
	rReengaged: {key: "re-engaged", rule: "A5",
		texts: [2]string{"re-engaged by {trigger}", "{trigger} により再エンゲージ"}},
	rNewCadence: {key: "new-cadence",
		texts: [2]string{"new cadence", "新しいケイデンスを開始"}},
	rTargetJump: {key: "target-jump", rule: "A8", field: lead.FieldRequest,
		texts: [2]string{"target account's score rose {rise} since yesterday", "ターゲット企業のスコアが前日から {rise} 上昇"}},
	rRouteAlreadyField: {key: "route-already-field", rule: "M4",
		texts: [2]string{"{reasons}; already with field sales", "{reasons}。すでにフィールド営業が担当"}},
	rRouteOwnerNotField: {key: "route-owner-not-field",
		texts: [2]string{"{reasons}; account owner {rep} is not in field sales", "{reasons}。アカウント担当者 {rep} はフィールド営業ではありません"}},
	rRoute: {key: "route",
		texts: [2]string{"{reasons}", "{reasons}"}},
	rCadenceStoppedField: {key: "cadence-stopped-field",
		texts: [2]string{"cadence stopped: with field sales now", "ケイデンス停止：フィールド営業の担当になりました"}},
	rWithField: {key: "with-field",
		texts: [2]string{"with field sales now", "フィールド営業の担当になりました"}},
	rCadenceStoppedStatus: {key: "cadence-stopped-status",
		texts: [2]string{"cadence stopped: status set to {status}", "ケイデンス停止：ステータスを{status}に変更"}},
	rStatusSetTo: {key: "status-set-to",
		texts: [2]string{"status set to {status}", "ステータスを{status}に変更"}},
	rProfileUpdated: {key: "profile-updated", rule: "E9",
		texts: [2]string{"profile updated", "プロフィールを更新"}},
	rPreSQLRejected: {key: "presql-rejected", rule: "M10", field: lead.FieldHandoff, free: true,
		texts: [2]string{"{reason}", "{reason}"}},
	rRejectedRecycled: {key: "rejected-recycled", rule: "M10", field: lead.FieldStatus, free: true,
		texts: [2]string{"{reason}", "{reason}"}},
	rRejectedLead: {key: "rejected-lead", rule: "M10", field: lead.FieldStatus, free: true,
		texts: [2]string{"{reason}", "{reason}"}},
	rFeedback: {key: "feedback", rule: "M5", field: lead.FieldFeedback, free: true,
		texts: [2]string{"{comment}", "{comment}"}},
	rStatusSet: {key: "status-set", rule: "S1", field: lead.FieldStatus, free: true,
		texts: [2]string{"{reason}", "{reason}"}},
	rLeadCreated: {key: "lead-created", field: lead.FieldLead, free: true,
		texts: [2]string{"{source}", "{source}"}},
	rRequestOpened: {key: "request-opened", field: lead.FieldRequest, free: true,
		texts: [2]string{"{subject}", "{subject}"}},
	rResponseBy: {key: "response-by", rule: "M6", field: lead.FieldResponse, free: true,
		texts: [2]string{"{campaign} by {rep}", "{campaign}（{rep}）"}},
	rResponse: {key: "response", rule: "M6", field: lead.FieldResponse, free: true,
		texts: [2]string{"{campaign}", "{campaign}"}},
})

// reasonByKey finds a catalogue entry by its key.
var reasonByKey = func() map[string]reasonID {
	m := make(map[string]reasonID, numReasonIDs)
	for id := reasonID(1); id < numReasonIDs; id++ {
		m[catalogue[id].key] = id
	}
	return m
}()

// valuePattern is what each kind of value matches in a stored English
// reason. A name not listed matches any text, as short as it can.
var valuePattern = map[string]string{
	"channels": `[a-z0-9(),#x]*`,
	"stage":    `\S+`,
	"window":   `\S+(?: of working time)?`,
	"interval": `\S+(?: of working time)?`,
	"due":      `\d{4}-\d\d-\d\d \d\d:\d\d \S+`,
	"count":    `-?\d+`,
	"limit":    `-?\d+`,
	"priority": `-?\d+`,
	"kind":     `[a-z_]+|event\(\d+\)`,
	"trigger":  `[A-Z][0-9]+`,
	"rule":     `[A-Z][0-9]+`,
	"model":    `[a-z_]*`,
	"response": `[a-z_]+|response\(\d+\)`,
	"bant":     `[a-z,]*`,
}

func buildCatalogue(c [numReasonIDs]reasonEntry) [numReasonIDs]reasonEntry {
	var items []string
	for i := range 32 {
		if s := routing.Reasons(1 << i).String(); s != "" {
			items = append(items, regexp.QuoteMeta(s))
		}
	}
	reasons := `(?:` + strings.Join(items, "|") + `)(?:; (?:` + strings.Join(items, "|") + `))*`
	for id := reasonID(1); id < numReasonIDs; id++ {
		e := &c[id]
		for l := range e.texts {
			e.parts[l] = splitTemplate(e.texts[l])
		}
		var b strings.Builder
		b.WriteString(`^`)
		for i, p := range e.parts[0] {
			switch {
			case i%2 == 0:
				b.WriteString(regexp.QuoteMeta(p))
			case e.free:
				b.WriteString(`(.*?)`)
			case p == "reasons":
				b.WriteString(`(` + reasons + `)`)
			case valuePattern[p] != "":
				b.WriteString(`(` + valuePattern[p] + `)`)
			default:
				b.WriteString(`(.*?)`)
			}
		}
		b.WriteString(`$`)
		e.re = regexp.MustCompile(`(?s)` + b.String())
	}
	return c
}

// splitTemplate splits "a {x} b" into "a ", "x", " b".
func splitTemplate(t string) []string {
	var out []string
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			return append(out, t)
		}
		j := strings.IndexByte(t[i:], '}')
		out = append(out, t[:i], t[i+1:i+j])
		t = t[i+j+1:]
	}
}

// why returns the stored English reason of entry id with vals, in the
// order the entry names them.
func why(id reasonID, vals ...string) string {
	parts := catalogue[id].parts[0]
	switch {
	case len(parts) == 1:
		return parts[0]
	case len(parts) == 3 && parts[0] == "" && parts[2] == "":
		return vals[0] // a value alone, free text or routing's reasons: no copy
	}
	n := 0
	for i, p := range parts {
		if i%2 == 0 {
			n += len(p)
		} else {
			n += len(vals[i/2])
		}
	}
	var b strings.Builder
	b.Grow(n)
	for i, p := range parts {
		if i%2 == 0 {
			b.WriteString(p)
		} else {
			b.WriteString(vals[i/2])
		}
	}
	return b.String()
}

// ParseReason returns the structured reason of history entry c (E3): the
// catalogue entry its stored English reason reads as, with its values.
// An entry of free text (a rejection, a feedback comment, a status a
// person set, a lead source, a request's subject) is matched by its field
// and rule, never by its words. A reason no entry matches has key
// [ReasonText] and keeps its text as the value "text"; an empty reason
// has key "".
func ParseReason(c lead.Change) Reason {
	for id := reasonID(1); id < numReasonIDs; id++ {
		if r, ok := matchReason(id, c); ok {
			return r
		}
	}
	if c.Reason == "" {
		return Reason{}
	}
	return Reason{Key: ReasonText, Values: map[string]string{ReasonText: c.Reason}}
}

// ReasonIs reports whether history entry c reads as the catalogue entry
// key, without parsing it against every other entry: replay counts T13's
// hand-on by it (T13).
func ReasonIs(c lead.Change, key string) bool {
	id, ok := reasonByKey[key]
	if !ok {
		return false
	}
	return fits(id, c) && catalogue[id].re.MatchString(c.Reason)
}

// fits reports whether entry id may explain c by its field and rule,
// before reading its words.
func fits(id reasonID, c lead.Change) bool {
	e := &catalogue[id]
	switch {
	case e.field != 0 && e.field != c.Field,
		e.free && e.rule != "" && e.rule != c.Rule,
		e.free && c.Reason == "":
		return false
	case id == rRequestOpened && (c.To != lead.RequestOpen.String() || c.Rule == "T10"),
		id == rPreSQLRejected && c.To != lead.HandoffRejected.String(),
		id == rRejectedRecycled && c.To != lead.StatusRecycled.Key(),
		id == rRejectedLead && c.To != lead.StatusLead.Key():
		return false
	}
	return true
}

func matchReason(id reasonID, c lead.Change) (Reason, bool) {
	e := &catalogue[id]
	if !fits(id, c) {
		return Reason{}, false
	}
	m := e.re.FindStringSubmatch(c.Reason)
	if m == nil {
		return Reason{}, false
	}
	r := Reason{Key: e.key}
	for i, p := range e.parts[0] {
		if i%2 == 1 {
			if r.Values == nil {
				r.Values = make(map[string]string, len(e.parts[0])/2)
			}
			r.Values[p] = m[1+i/2]
		}
	}
	return r, true
}

// Text returns r in lang with its instants in zone (E10): the catalogue's
// text of r's kind with its values worded in lang (stages, statuses,
// desks, channels, windows), and free text verbatim. A language without
// built-in texts reads English; a nil zone keeps each instant as stored.
func (r Reason) Text(lang Language, zone *time.Location) string {
	if r.Key == "" {
		return ""
	}
	if r.Key == ReasonText {
		return r.Values[ReasonText]
	}
	l := 0
	if lang == Japanese {
		l = 1
	}
	if id, ok := reasonByKey[r.Key]; ok {
		e := &catalogue[id]
		var b strings.Builder
		for i, p := range e.parts[l] {
			if i%2 == 0 {
				b.WriteString(p)
				continue
			}
			v := r.Values[p]
			switch {
			case !e.free:
				v = wordValue(p, v, l == 1, zone)
			case l == 1 && p == "subject" && jaSubjects[v] != "":
				v = jaSubjects[v] // the rule book's own trigger rows; a policy's are its own words
			}
			b.WriteString(v)
		}
		return b.String()
	}
	return r.Values[ReasonText]
}

// wordValue words value v of name in Japanese (ja) or English, with an
// instant moved to zone.
func wordValue(name, v string, ja bool, zone *time.Location) string {
	if name == "due" {
		return restamp(v, zone)
	}
	if !ja {
		return v
	}
	switch name {
	case "channels":
		return wordList(v, ",", "・", jaChannels)
	case "stage":
		return wordOne(v, jaStageNames)
	case "status":
		return wordOne(v, jaStatusNames)
	case "window", "interval":
		return jaWindow(v)
	case "excluded":
		return strings.ReplaceAll(v, ", ", "、")
	case "kind":
		return wordOne(v, jaEventKinds)
	case "response":
		return wordOne(v, jaResponses)
	case "model":
		return wordOne(v, jaModels)
	case "bant":
		return wordList(v, ",", "・", jaBANT)
	case "reasons":
		items := strings.Split(v, "; ")
		for i, it := range items {
			if id, text, ok := strings.Cut(it, " "); ok && jaRoutingReasons[text] != "" {
				items[i] = id + " " + jaRoutingReasons[text]
			}
		}
		return strings.Join(items, "。")
	}
	return v
}

func wordOne(v string, words map[string]string) string {
	if w, ok := words[v]; ok {
		return w
	}
	return v
}

func wordList(v, sep, jaSep string, words map[string]string) string {
	items := strings.Split(v, sep)
	for i, it := range items {
		items[i] = wordOne(it, words)
	}
	return strings.Join(items, jaSep)
}

// stampLayout is how history writes an instant: in the engine clock's
// zone, with its abbreviation.
const stampLayout = "2006-01-02 15:04 MST"

// restamp moves an instant history wrote as "2026-12-07 01:00 UTC" to
// zone: "2026-12-07 10:00 JST". An abbreviation that is neither UTC nor
// one of zone's is left as written, since its offset is unknown.
func restamp(v string, zone *time.Location) string {
	if zone == nil {
		return v
	}
	t, err := time.ParseInLocation(stampLayout, v, zone)
	if err != nil {
		return v
	}
	if name, off := t.Zone(); t.Location() != zone && name != "UTC" && off == 0 {
		return v // a made-up zone: the abbreviation is not zone's
	}
	return t.In(zone).Format(stampLayout)
}

// jaWindow words a window as history writes it ("48h", "1h30m", "48h of
// working time") in Japanese: 「48時間」「1時間30分」「48営業時間」, the
// words of the cadence diagram.
func jaWindow(v string) string {
	w, working := strings.CutSuffix(v, " of working time")
	d, err := time.ParseDuration(w)
	if err != nil || d <= 0 {
		return v
	}
	hour := "時間"
	if working {
		hour = "営業時間"
	}
	var b strings.Builder
	if h := d / time.Hour; h > 0 {
		b.WriteString(strconv.FormatInt(int64(h), 10) + hour)
	}
	if m := d % time.Hour / time.Minute; m > 0 || b.Len() == 0 {
		b.WriteString(strconv.FormatInt(int64(m), 10) + "分")
	}
	if r := d % time.Minute; r > 0 {
		b.WriteString(strconv.FormatFloat(r.Seconds(), 'f', -1, 64) + "秒")
	}
	return b.String()
}

// The Japanese words of values, as the dashboard and the cadence diagram
// use them.
var (
	jaChannels    = map[string]string{"call": "電話", "email": "メール", "voicemail": "留守電", "meeting": "面談"}
	jaStageNames  = map[string]string{"Untouched": "未着手", "Connected": "接続"}
	jaStageKeys   = map[string]string{"untouched": "未着手", "stage1": "Stage1", "stage2": "Stage2", "stage3": "Stage3", "stage4": "Stage4", "connected": "接続"}
	jaStatusNames = map[string]string{"New": "新規", "Lead": "リード", "Recycled": "リサイクル", "Customer": "顧客", "Partner": "パートナー",
		"Disqualified (mktg)": "対象外（マーケティング）", "Disqualified (sales)": "対象外（営業）"}
	jaStatusKeys = map[string]string{"new": "新規", "lead": "リード", "recycled": "リサイクル", "customer": "顧客", "partner": "パートナー",
		"disqualified_mktg": "対象外（マーケティング）", "disqualified_sales": "対象外（営業）"}
	jaEventKinds = map[string]string{"inquiry": "問い合わせ", "download": "資料ダウンロード", "web_activity": "Web行動",
		"score_changed": "スコア変化", "response": "キャンペーン反応"}
	jaResponses = map[string]string{"listed": "リスト掲載", "invited": "招待", "registered": "申込", "attended": "参加", "met": "面談",
		"visited": "訪問", "downloaded": "ダウンロード", "inquired": "問い合わせ", "surveyed": "アンケート回答"}
	jaModels = map[string]string{"inside_first": "インサイドファースト", "direct": "ダイレクト", "hybrid": "ハイブリッド", "field_only": "フィールドのみ"}
	jaBANT   = map[string]string{"budget": "予算", "authority": "決裁権", "need": "ニーズ", "timeline": "導入時期"}
	// jaDesks words a route's desks and destinations: 「内勤」「フィールド」.
	jaDesks         = map[string]string{"inside": "内勤", "field": "フィールド", "nurture": "ナーチャリング", "nowhere": "振り分けなし"}
	jaRequestStates = map[string]string{"none": "なし", "open": "未対応", "done": "対応済", "overdue": "期限超過", "cancelled": "取り消し"}
	jaHandoffs      = map[string]string{"none": "なし", "pre_sql": "Pre-SQL", "accepted": "フィールド受入", "rejected": "差し戻し"}
	// jaSubjects words the subjects of the rule book's trigger table
	// (A1-A3, M1); a policy's own subjects are kept as sales ops wrote them.
	jaSubjects = map[string]string{
		"Inquiry from an MQL (score at or above the threshold)": "MQL からの問い合わせ（スコアが閾値以上）",
		"Inquiry (score below the threshold)":                   "問い合わせ（スコアが閾値未満）",
		"Document download by an MQL":                           "MQL による資料ダウンロード",
		"Campaign response from an MQL":                         "MQL のキャンペーン反応",
		insideTypeSubject:                                       "内勤がフォローする種別のキャンペーン反応",
	}
	// jaRoutingReasons words routing's reasons (M1-M8, M12, S5), by their
	// English text.
	jaRoutingReasons = map[string]string{
		"protected status":                                "保護されたステータス",
		"status not routed by the policy":                 "ポリシーで振り分けないステータス",
		"high-engagement campaign":                        "高エンゲージメントのキャンペーン",
		"invited by a field rep":                          "フィールド担当の招待",
		"met a field rep at the event":                    "イベントでフィールド担当と面談",
		"account owner follows up":                        "アカウント担当者がフォロー",
		"field assignment":                                "フィールドで担当を割り当て",
		"MQL: score at or above the threshold":            "MQL：スコアが閾値以上",
		"campaign type goes to inside sales":              "内勤が担当するキャンペーン種別",
		"below the threshold: nurture":                    "閾値未満：ナーチャリング",
		"inside-first model":                              "インサイドファーストモデル",
		"direct model":                                    "ダイレクトモデル",
		"hybrid campaign":                                 "ハイブリッドのキャンペーン",
		"field-only organisation":                         "フィールドのみの組織",
		"survey answers qualify":                          "アンケート回答が条件を満たす",
		"survey answers do not qualify":                   "アンケート回答が条件を満たさない",
		"campaign's agreed follow-up model":               "キャンペーンで合意したフォローモデル",
		"sales invited the policy's share of registrants": "営業が申込者の規定割合を招待",
	}
)

// ChangeText returns history entry c on one line in lang with its
// instants in zone (E3, E10), without the lead's id. In English it reads
// as [lead.Change.String] does: "owner rep-a -> rep-c by leadline (T1: no
// attempt within the Stage1 window (48h); ...)"; in Japanese the rule and
// its reason come first, then what changed: 「T1: Stage1 の期限（48時間）内
// にアプローチなし。…。担当者を rep-a から rep-c に変更」. A language
// without built-in texts reads English.
func ChangeText(c lead.Change, lang Language, zone *time.Location) string {
	reason := ParseReason(c).Text(lang, zone)
	if lang != Japanese {
		c.Reason = reason
		s := c.String()
		return strings.TrimPrefix(s, c.Lead+" ")
	}
	var b strings.Builder
	if c.Rule != "" {
		b.WriteString(c.Rule + ": ")
	}
	if reason != "" {
		b.WriteString(reason)
		b.WriteString("。")
	}
	b.WriteString(jaChange(c))
	if c.Actor != lead.ActorEngine && c.Actor != "" {
		b.WriteString("（" + c.Actor + "）")
	}
	return b.String()
}

// ChannelsText words a playbook step's channels (T12) in lang:
// "call,email" in English, 「電話、メール」 in Japanese.
func ChannelsText(c stage.Channels, lang Language) string {
	if lang != Japanese || c == 0 {
		return c.String()
	}
	keys := strings.Split(c.String(), ",")
	for i, k := range keys {
		keys[i] = wordOne(k, jaChannels)
	}
	return strings.Join(keys, "、")
}

// ValueText words a value of a lead's field f, by the key its type's
// MarshalText writes, in lang (E10): a status ([lead.FieldStatus], "new"),
// a stage ([lead.FieldStage], "untouched"), a desk ([lead.FieldRoute],
// "inside"), a request state ([lead.FieldRequest], "open") or a
// hand-off state ([lead.FieldHandoff], "pre_sql"). Japanese uses the rule
// book's words, as [ChangeText] does: 新規, 未着手, 内勤, 未対応, Pre-SQL.
// English, and a language without built-in texts, gives a status or a
// stage its display name ("New", "Untouched") and any other value its
// key. A key the rule book does not word, or another field, reads as it
// is.
func ValueText(f lead.Field, key string, lang Language) string {
	if lang == Japanese {
		switch f {
		case lead.FieldStatus:
			return wordOne(key, jaStatusKeys)
		case lead.FieldStage:
			return wordOne(key, jaStageKeys)
		case lead.FieldRoute:
			return wordOne(key, jaDesks)
		case lead.FieldRequest:
			return wordOne(key, jaRequestStates)
		case lead.FieldHandoff:
			return wordOne(key, jaHandoffs)
		}
		return key
	}
	switch f {
	case lead.FieldStatus:
		if s, err := lead.ParseStatus(key); err == nil && s.Key() == key {
			return s.String()
		}
	case lead.FieldStage:
		if s, err := stage.ParseStage(key); err == nil && s.Key() == key {
			return s.String()
		}
	}
	return key
}

// jaChange words what entry c changed in Japanese.
func jaChange(c lead.Change) string {
	arrow := func(what string, words map[string]string) string {
		from, to := wordOne(c.From, words), wordOne(c.To, words)
		if from == "" {
			from = "なし"
		}
		if c.From == c.To {
			return what + "は" + to + "のまま"
		}
		return what + " " + from + " → " + to
	}
	switch c.Field {
	case lead.FieldOwner:
		switch {
		case c.From == "":
			return "担当者を " + c.To + " に設定"
		case c.To == "":
			return "担当者 " + c.From + " の割り当てを解除"
		}
		return "担当者を " + c.From + " から " + c.To + " に変更"
	case lead.FieldStage:
		return arrow("ステージ", jaStageKeys)
	case lead.FieldStatus:
		return arrow("ステータス", jaStatusKeys)
	case lead.FieldRequest:
		return arrow("アプローチ依頼", jaRequestStates)
	case lead.FieldRoute:
		return arrow("担当部門", jaDesks)
	case lead.FieldHandoff:
		return arrow("引き渡し", jaHandoffs)
	case lead.FieldTrigger:
		return "トリガー " + c.To
	case lead.FieldBANT:
		return "BANT " + wordList(orDash(c.From), ",", "・", jaBANT) + " → " + wordList(c.To, ",", "・", jaBANT)
	case lead.FieldFeedback:
		return "フィールドフィードバック " + orDash(c.To)
	case lead.FieldScore:
		return "スコア " + orDash(c.From) + " → " + c.To
	case lead.FieldProfile:
		return "プロフィール " + c.To
	case lead.FieldResponse:
		return "キャンペーン反応 " + wordOne(c.To, jaResponses)
	case lead.FieldLead:
		return "リードを作成（" + wordOne(c.To, jaStatusKeys) + "）"
	}
	return c.Field.String() + " " + orDash(c.From) + " → " + orDash(c.To)
}

// ReasonKeys returns the keys of the catalogue, in its matching order:
// every kind of decision the rules write (E3).
func ReasonKeys() []string {
	keys := make([]string, 0, numReasonIDs-1)
	for id := reasonID(1); id < numReasonIDs; id++ {
		keys = append(keys, catalogue[id].key)
	}
	return keys
}
