package rules_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
)

func TestTexts_E10(t *testing.T) {
	t.Parallel()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	// A reminder raised by a server in UTC: the team reads Tokyo time.
	due := time.Date(2026, 4, 8, 6, 0, 0, 0, time.UTC) // 15:00 in Tokyo
	n := rules.Notification{Key: "k", Kind: rules.NoteReminder, Lead: "L-7", To: "rep-a", Rule: "T8", Due: due, Stage: stage.Stage1}
	tests := []struct {
		name string
		lang rules.Language
		zone *time.Location
		want string
	}{
		{"E10 English in the server's zone", rules.English, nil, "The Stage2 attempt for L-7 is overdue since 2026-04-08 06:00 UTC"},
		{"E10 English in the team's zone", rules.English, tokyo, "The Stage2 attempt for L-7 is overdue since 2026-04-08 15:00 JST"},
		{"E10 Japanese in the team's zone", rules.Japanese, tokyo, "L-7 のStage2のアプローチの期限（4月8日(水) 15:00 JST）が過ぎています"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tx, err := rules.NewTexts(tt.lang, tt.zone, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := tx.Render(n); got != tt.want {
				t.Fatalf("Render = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("every built-in kind renders in both languages, without template noise", func(t *testing.T) {
		t.Parallel()
		for _, lang := range []rules.Language{rules.English, rules.Japanese} {
			tx, err := rules.NewTexts(lang, tokyo, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k := rules.NoteApproachRequest; k <= rules.NoteRejected; k++ {
				got := tx.Render(rules.Notification{Kind: k, Lead: "L-1", To: "rep-a", Rule: "A1", Due: due, Priority: 1, Detail: "rep-b"})
				if !strings.Contains(got, "L-1") || strings.Contains(got, "<no value>") || strings.Contains(got, "{{") {
					t.Errorf("%s %v: %q", lang, k, got)
				}
			}
		}
	})
	t.Run("a host's template replaces one kind", func(t *testing.T) {
		t.Parallel()
		tx, err := rules.NewTexts(rules.Japanese, tokyo, map[string]string{"reminder": "【催促】{{.Lead}} {{.DueText}}"})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tx.Render(n), "【催促】L-7 4月8日(水) 15:00 JST"; got != want {
			t.Fatalf("Render = %q, want %q", got, want)
		}
	})
	t.Run("bad templates are refused naming the kind", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			lang   rules.Language
			custom map[string]string
			field  string
		}{
			{rules.English, map[string]string{"reminder": "{{.Lead"}, "templates.reminder"},
			{rules.English, map[string]string{"remindr": "x"}, "templates.remindr"},
			{"fr", map[string]string{"reminder": "Rappel {{.Lead}}"}, "templates.approach_request"},
		} {
			_, err := rules.NewTexts(tc.lang, nil, tc.custom)
			fe, ok := errors.AsType[*leaderr.FieldError](err)
			if !ok || fe.Field != tc.field {
				t.Errorf("NewTexts(%s, %v) = %v, want a FieldError for %s", tc.lang, tc.custom, err, tc.field)
			}
		}
	})
}

// TestSubjectText: an approach request's subject reads in the team's
// language where the rule book wrote it (A1-A3, M1, A8's jump), joined
// subjects part by part (A6), a policy's own as written (E10).
func TestSubjectText(t *testing.T) {
	for _, c := range []struct {
		subject string
		lang    rules.Language
		want    string
	}{
		{"Inquiry from an MQL (score at or above the threshold)", rules.English, "Inquiry from an MQL (score at or above the threshold)"},
		{"Inquiry from an MQL (score at or above the threshold)", rules.Japanese, "MQL からの問い合わせ（スコアが閾値以上）"},
		{"target account's score rose 30 since yesterday", rules.Japanese, "ターゲット企業のスコアが前日から 30 上昇"},
		{"Inquiry (score below the threshold); target account's score rose 12.5 since yesterday", rules.Japanese,
			"問い合わせ（スコアが閾値未満）; ターゲット企業のスコアが前日から 12.5 上昇"},
		{"展示会の資料請求", rules.Japanese, "展示会の資料請求"},
		{"Pricing page visit", rules.Japanese, "Pricing page visit"},
	} {
		if got := rules.SubjectText(c.subject, c.lang); got != c.want {
			t.Errorf("SubjectText(%q, %s) = %q, want %q", c.subject, c.lang, got, c.want)
		}
	}
}

// TestTexts_handOnSaysTheStep: a lead handed on mid-cadence (T13) is not
// called untouched: the text names its stage and the step now due; a T1
// reassignment still says the first attempt (E10).
func TestTexts_handOnSaysTheStep(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 4, 16, 13, 0, 0, 0, tokyo)
	for _, c := range []struct {
		lang  rules.Language
		kind  rules.NotificationKind
		stage stage.Stage
		want  string
	}{
		{rules.English, rules.NoteReassigned, stage.Stage2, "Lead L-1 (Stage2) reassigned to you from aiko; the Stage3 attempt is due 2026-04-16 13:00 JST"},
		{rules.English, rules.NoteReassigned, stage.Untouched, "Untouched lead L-1 reassigned to you from aiko; first attempt due 2026-04-16 13:00 JST"},
		{rules.Japanese, rules.NoteReassigned, stage.Stage2, "リード L-1（Stage2）が aiko さんからあなたに再割り当てされました。Stage3のアプローチの期限は 4月16日(木) 13:00 JST です"},
		{rules.English, rules.NoteEscalated, stage.Stage1, "Lead L-1 (Stage1) handed to you after its reassignments (last owner aiko)"},
		{rules.Japanese, rules.NoteEscalated, stage.Untouched, "未着手のリード L-1 は再割り当ての上限に達したため、あなたに引き渡されました（前の担当：aiko）"},
	} {
		tx, err := rules.NewTexts(c.lang, tokyo, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := rules.Notification{Kind: c.kind, Lead: "L-1", To: "ben", Rule: "T13", Stage: c.stage, Due: due, Detail: "aiko"}
		if got := tx.Render(n); got != c.want {
			t.Errorf("%s %s at %v:\n got %q\nwant %q", c.lang, c.kind, c.stage, got, c.want)
		}
	}
}

// TestActivityText: the worklist's summary of a lead's activities reads in
// the team's language (V1, E10).
func TestActivityText(t *testing.T) {
	a := lead.Activity{Inquiries: 2, Downloads: 1, LastTopic: "料金表.pdf"}
	for _, c := range []struct {
		a    lead.Activity
		lang rules.Language
		want string
	}{
		{a, rules.English, "2 inquiries, 1 download; last: 料金表.pdf"},
		{a, rules.Japanese, "問い合わせ2件、資料ダウンロード1件（最終：料金表.pdf）"},
		{lead.Activity{PageViews: 3}, rules.Japanese, "ページ閲覧3件"},
		{lead.Activity{}, rules.Japanese, ""},
	} {
		if got := rules.ActivityText(c.a, c.lang); got != c.want {
			t.Errorf("ActivityText(%+v, %s) = %q, want %q", c.a, c.lang, got, c.want)
		}
	}
}

// TestChannelsText: a playbook step's channels read in the team's
// language (T12, E10).
func TestChannelsText(t *testing.T) {
	for _, c := range []struct {
		ch   stage.Channels
		lang rules.Language
		want string
	}{
		{stage.Call | stage.Email, rules.English, "call,email"},
		{stage.Call | stage.Email, rules.Japanese, "電話、メール"},
		{stage.Voicemail, rules.Japanese, "留守電"},
		{0, rules.Japanese, ""},
	} {
		if got := rules.ChannelsText(c.ch, c.lang); got != c.want {
			t.Errorf("ChannelsText(%v, %s) = %q, want %q", c.ch, c.lang, got, c.want)
		}
	}
}
