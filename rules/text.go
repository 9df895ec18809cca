package rules

import (
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
)

// Language is the language notification text is written in (E10), by its
// ISO 639-1 code. English and Japanese are built in; any other language
// needs a template for every kind ([NewTexts]).
type Language string

// The built-in languages.
const (
	English  Language = "en"
	Japanese Language = "ja"
)

// Texts renders the text of notifications in one language and time zone
// (E10): the team's, not the server's. The structured fields of a
// [Notification] stay as they are; the text is for the person who reads
// it. A Texts is read-only and safe for concurrent use.
type Texts struct {
	lang Language
	zone *time.Location
	tmpl [numNotificationKinds]*template.Template
}

// NewTexts returns the texts of lang in zone (nil: each instant's own
// zone). custom overrides the built-in template of a kind, keyed by the
// kind's key ("reminder"); a language that is not built in needs one for
// every kind. A template is Go text/template over a [TextData]. A bad key
// or template is a [*leaderr.FieldError] naming "templates.<key>".
func NewTexts(lang Language, zone *time.Location, custom map[string]string) (*Texts, error) {
	if lang == "" {
		lang = English
	}
	builtin := builtinTexts[lang]
	t := &Texts{lang: lang, zone: zone}
	for k := NoteApproachRequest; k < numNotificationKinds; k++ {
		src, ok := custom[noteKeys[k]]
		if !ok {
			src, ok = builtin[k]
		}
		if !ok {
			return nil, leaderr.Errorf("templates."+noteKeys[k], "required: language %q is not built in (want %s or %s), so every kind needs a template", lang, English, Japanese)
		}
		tm, err := template.New(noteKeys[k]).Option("missingkey=error").Parse(src)
		if err != nil {
			return nil, leaderr.Errorf("templates."+noteKeys[k], "%v", err)
		}
		t.tmpl[k] = tm
	}
	for key := range custom {
		var k NotificationKind
		if err := k.UnmarshalText([]byte(key)); err != nil {
			return nil, leaderr.Errorf("templates."+key, "not a notification kind; want one of %s", strings.Join(noteKeys[1:], ", "))
		}
	}
	return t, nil
}

// Language returns the language of t.
func (t *Texts) Language() Language { return t.lang }

// TextData is what a notification template reads: the notification's
// fields, with its instants written in the texts' zone.
type TextData struct {
	Notification
	// DueText is Due in the texts' zone and language: "2026-04-08 15:00 JST",
	// "4月8日(水) 15:00 JST"; "" when there is no due date.
	DueText string
	// What names what was due: the next stage's attempt, or the approach
	// request (A4).
	What string
	// Recipient is To, or a word for the unassigned queue.
	Recipient string
	// Actor is Detail, or a word for nobody, where Detail names a rep.
	Actor string
	// From says what sent a field follow-up (M4, M11): "campaign
	// user-conf", or the kind of activity ("an inquiry") when the lead's
	// own inquiry, download or score jump did.
	From string
}

// Render returns n's text. A template that fails at run time (a custom
// one asking for what is not there) falls back to the English built-in
// text, so a notification always has one.
func (t *Texts) Render(n Notification) string {
	k := n.Kind
	if k == 0 || k >= numNotificationKinds {
		return k.String() + " " + n.Lead
	}
	var b strings.Builder
	if err := t.tmpl[k].Execute(&b, t.data(n)); err == nil || t == englishTexts {
		return b.String()
	}
	return englishTexts.Render(n)
}

func (t *Texts) data(n Notification) TextData {
	d := TextData{Notification: n, Recipient: n.To, Actor: n.Detail}
	ja := t.lang == Japanese
	if !n.Due.IsZero() {
		due := n.Due
		if t.zone != nil {
			due = due.In(t.zone)
		}
		if ja {
			d.DueText = fmt.Sprintf("%d月%d日(%s) %s", due.Month(), due.Day(), jaWeekdays[due.Weekday()], due.Format("15:04 MST"))
		} else {
			d.DueText = due.Format("2006-01-02 15:04 MST")
		}
	}
	switch {
	case n.Rule == "A4" && ja:
		d.What = "アプローチ依頼"
	case n.Rule == "A4":
		d.What = "approach request"
	case ja:
		d.What = (n.Stage + 1).String() + "のアプローチ"
	default:
		d.What = (n.Stage + 1).String() + " attempt"
	}
	switch n.Kind {
	case NoteFieldFollowUp:
		d.From = followUpFrom(n.Detail, ja)
	case NoteApproachRequest, NoteRequestUpdated:
		// The rule book's own trigger subjects read in the team's
		// language; a policy's own are shown as sales ops wrote them.
		if ja {
			d.Detail = SubjectText(n.Detail, t.lang)
		}
	}
	if d.Recipient == "" {
		d.Recipient = map[bool]string{false: "(unassigned)", true: "（未割り当て）"}[ja]
	}
	if d.Actor == "" {
		d.Actor = map[bool]string{false: "(unassigned)", true: "（未割り当て）"}[ja]
	}
	return d
}

var jaWeekdays = [7]string{"日", "月", "火", "水", "木", "金", "土"}

// SubjectText words an approach request's subject in lang: the rule
// book's own trigger subjects (A1-A3, M1) and A8's score jump in the
// catalogue's words, a policy's own subject as sales ops wrote it (E10).
// A subject that joins several (A6: "a; b") is worded part by part.
func SubjectText(subject string, lang Language) string {
	parts := strings.Split(subject, "; ")
	for i, p := range parts {
		if r, ok := matchReason(rTargetJump, lead.Change{Field: lead.FieldRequest, To: lead.RequestOpen.String(), Reason: p}); ok {
			parts[i] = r.Text(lang, nil) // a rise holds no instant
		} else if w, ok := jaSubjects[p]; ok && lang == Japanese {
			parts[i] = w
		}
	}
	return strings.Join(parts, "; ")
}

// ActivityText words a lead's main activities for the worklist (V1) in
// lang: [lead.Activity.Summary] in English, "問い合わせ2件、資料ダウンロード1件
// （最終：料金表.pdf）" in Japanese; "" when there was none.
func ActivityText(a lead.Activity, lang Language) string {
	if lang != Japanese {
		return a.Summary()
	}
	var parts []string
	for _, c := range [...]struct {
		n    int32
		what string
	}{{a.Inquiries, "問い合わせ"}, {a.Downloads, "資料ダウンロード"}, {a.PageViews, "ページ閲覧"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%s%d件", c.what, c.n))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, "、")
	if a.LastTopic != "" {
		s += "（最終：" + a.LastTopic + "）"
	}
	return s
}

// followUpFrom words what sent a field follow-up: the Detail of one is
// the kind of the lead's own activity that sent it (M11: an inquiry, a
// download, a target account's score jump, a web visit a policy row
// matched), else the campaign's id (M4).
func followUpFrom(detail string, ja bool) string {
	words, ok := activityWords[detail]
	switch {
	case ok && ja:
		return words[1]
	case ok:
		return words[0]
	case ja:
		return "キャンペーン「" + detail + "」"
	}
	return "campaign " + detail
}

var activityWords = map[string][2]string{
	lead.EventInquiry.String():      {"an inquiry", "問い合わせ"},
	lead.EventDownload.String():     {"a document download", "資料ダウンロード"},
	lead.EventScoreChanged.String(): {"a target account's score jump", "ターゲット企業のスコア上昇"},
	lead.EventWebActivity.String():  {"web activity", "Web 行動"},
}

// englishTexts renders the fallback text; its templates are built in.
var englishTexts = func() *Texts {
	t, err := NewTexts(English, nil, nil)
	if err != nil {
		panic(err) // the built-in templates parse: a test checks it
	}
	return t
}()

var builtinTexts = map[Language]map[NotificationKind]string{
	English: {
		NoteApproachRequest: `Approach request for {{.Lead}}, priority {{.Priority}} ({{.Rule}}): {{.Detail}}; due {{.DueText}}`,
		NoteRequestUpdated:  `Approach request for {{.Lead}} updated (A6): {{.Detail}}; priority {{.Priority}}, due {{.DueText}}`,
		NoteReminder:        `The {{.What}} for {{.Lead}} is overdue since {{.DueText}}`,
		NoteManagerAlert:    `{{.Actor}} missed the {{.What}} for {{.Lead}}, due {{.DueText}}`,
		NoteReassigned:      `{{if .Stage}}Lead {{.Lead}} ({{.Stage}}) reassigned to you from {{.Actor}}; the {{.What}} is due {{.DueText}}{{else}}Untouched lead {{.Lead}} reassigned to you from {{.Actor}}; first attempt due {{.DueText}}{{end}}`,
		NoteEscalated:       `{{if .Stage}}Lead {{.Lead}} ({{.Stage}}){{else}}Untouched lead {{.Lead}}{{end}} handed to you after its reassignments (last owner {{.Actor}})`,
		NoteRecycled:        `No contact after Stage4: {{.Lead}} recycled to marketing`,
		NoteFieldFollowUp:   `Follow up {{.Lead}} from {{.From}}`,
		NoteActivity:        `{{.Lead}}, with you in field sales, is active again: {{.Detail}}`,
		NoteHandoff:         `Pre-SQL {{.Lead}} handed to you by {{.Actor}}`,
		NoteAccepted:        `{{.Actor}} accepted the Pre-SQL {{.Lead}}`,
		NoteRejected:        `Pre-SQL {{.Lead}} rejected by {{.Actor}}`,
	},
	Japanese: {
		NoteApproachRequest: `{{.Lead}} へのアプローチ依頼（優先度{{.Priority}}、{{.Rule}}）：{{.Detail}}。期限 {{.DueText}}`,
		NoteRequestUpdated:  `{{.Lead}} のアプローチ依頼が更新されました（A6）：{{.Detail}}。優先度{{.Priority}}、期限 {{.DueText}}`,
		NoteReminder:        `{{.Lead}} の{{.What}}の期限（{{.DueText}}）が過ぎています`,
		NoteManagerAlert:    `{{.Actor}} さんが {{.Lead}} の{{.What}}の期限（{{.DueText}}）を過ぎています`,
		NoteReassigned:      `{{if .Stage}}リード {{.Lead}}（{{.Stage}}）が {{.Actor}} さんからあなたに再割り当てされました。{{.What}}の期限は {{.DueText}} です{{else}}未着手のリード {{.Lead}} が {{.Actor}} さんからあなたに再割り当てされました。初回アプローチの期限は {{.DueText}} です{{end}}`,
		NoteEscalated:       `{{if .Stage}}リード {{.Lead}}（{{.Stage}}）{{else}}未着手のリード {{.Lead}} {{end}}は再割り当ての上限に達したため、あなたに引き渡されました（前の担当：{{.Actor}}）`,
		NoteRecycled:        `Stage4 の後も接触できなかったため、{{.Lead}} をマーケティングに戻しました`,
		NoteFieldFollowUp:   `{{.From}}のリード {{.Lead}} をフォローしてください`,
		NoteActivity:        `担当のリード {{.Lead}} に新しい動きがありました：{{.Detail}}`,
		NoteHandoff:         `{{.Actor}} さんから Pre-SQL {{.Lead}} が引き渡されました`,
		NoteAccepted:        `{{.Actor}} さんが Pre-SQL {{.Lead}} を受け入れました`,
		NoteRejected:        `Pre-SQL {{.Lead}} が差し戻されました：{{.Actor}}`,
	},
}
