package rules_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/rules"
)

// reasonCase is one kind of decision with fixed values: its stored
// English text, as the rule book words it, and its Japanese text in the
// team's zone (E3, E10).
type reasonCase struct {
	key    string
	field  lead.Field
	rule   string
	to     string
	values map[string]string
	en, ja string
}

func reasonCases() []reasonCase {
	type v = map[string]string
	return []reasonCase{
		{"attempt-protected", lead.FieldStage, "S5", "", v{"channels": "call", "status": "Customer"},
			"attempt by call recorded; Customer leads get no cadence", "電話によるアプローチを記録（ステータスが顧客のリードはケイデンスの対象外）"},
		{"attempt-late", lead.FieldStage, "T9", "", v{"channels": "call,email", "due": "2026-12-07 01:00 UTC"},
			"attempt by call,email; late, due 2026-12-07 01:00 UTC", "電話・メールでアプローチ（期限 2026-12-07 10:00 JST を過ぎて実施）"},
		{"attempt-last-stage", lead.FieldStage, "T5", "", v{"channels": "voicemail"},
			"attempt by voicemail; Stage4 is the last stage, nothing advances", "留守電でアプローチ（Stage4 が最後のステージのため、これ以上進みません）"},
		{"attempt", lead.FieldStage, "T2", "", v{"channels": "meeting"}, "attempt by meeting", "面談でアプローチ"},
		{"contact-by", lead.FieldStage, "T6", "", v{"channels": "email"}, "two-way contact by email", "メールで双方向の接触"},
		{"contact", lead.FieldStage, "T6", "", nil, "two-way contact", "双方向の接触"},
		{"contact-made", lead.FieldRequest, "T6", "", nil, "contact made", "接触できたため依頼を完了"},
		{"approach-recorded", lead.FieldRequest, "A4", "", nil, "approach recorded", "アプローチを記録したため依頼を完了"},
		{"attempt-reminder", lead.FieldStage, "T13", "", v{"stage": "Stage2", "window": "24h", "due": "2026-12-07 10:00 JST", "count": "1", "limit": "2", "interval": "1h30m"},
			"Stage2 attempt overdue: no attempt within 24h, due 2026-12-07 10:00 JST; still no attempt, reminder 1 of 2, every 1h30m",
			"24時間以内にStage2のアプローチなし（期限 2026-12-07 10:00 JST）。まだ未実施のため 1/2 回目のリマインド（1時間30分ごと）"},
		{"attempt-handed-on", lead.FieldStage, "T13", "", v{"stage": "Stage3"},
			"Stage3 attempt overdue: still no attempt after the reminders; handed on", "リマインド後もStage3のアプローチなし。次の担当へ引き継ぎ"},
		{"attempt-overdue", lead.FieldStage, "T1", "", v{"stage": "Stage1", "window": "48h", "due": "2026-12-07 10:00 JST"},
			"Stage1 attempt overdue: no attempt within 48h, due 2026-12-07 10:00 JST", "48時間以内にStage1のアプローチなし（期限 2026-12-07 10:00 JST）"},
		{"request-overdue", lead.FieldRequest, "A4", "", nil, "due date passed with no approach", "アプローチがないまま期限を過ぎました"},
		{"reassigned", lead.FieldOwner, "T1", "", v{"window": "16h of working time", "excluded": "rep-a, rep-b"},
			"no attempt within the Stage1 window (16h of working time); round robin over inside sales, rep-a, rep-b excluded",
			"Stage1 の期限（16営業時間）内にアプローチなし。内勤のラウンドロビンで再割り当て（rep-a、rep-b を除外）"},
		{"reassigned-after-reminders", lead.FieldOwner, "T13", "", v{"stage": "Stage2", "excluded": "rep-a"},
			"Stage2 attempt overdue after every reminder; round robin over inside sales, rep-a excluded",
			"リマインド後もStage2のアプローチなし。内勤のラウンドロビンで再割り当て（rep-a を除外）"},
		{"fresh-window", lead.FieldRequest, "T10", "", v{"due": "2026-12-09 10:00 JST"},
			"fresh window for the new owner, due 2026-12-09 10:00 JST", "新しい担当者の期限を設定（期限 2026-12-09 10:00 JST）"},
		{"escalated", lead.FieldOwner, "T10", "", v{"count": "2", "rule": "T1", "rep": "rep-c"},
			"not worked after 2 reassignments (T1): to rep-c's manager", "2 回の再割り当て後も未着手（T1）のため、rep-c のマネージャーへ"},
		{"cadence-exhausted-stage", lead.FieldStage, "T7", "", nil, "cadence exhausted: no contact after Stage4", "ケイデンス終了：Stage4 の後も接触なし"},
		{"recycled", lead.FieldStatus, "T7", "", nil, "no contact after the Stage4 attempt (S3)", "Stage4 のアプローチ後も接触なし（S3）"},
		{"protected-not-recycled", lead.FieldStatus, "S5", "", nil, "protected status is not recycled", "保護されたステータスのためリサイクルしません"},
		{"cadence-exhausted", lead.FieldRequest, "T7", "", nil, "cadence exhausted", "ケイデンス終了"},
		{"bant-recorded", lead.FieldBANT, "M10", "", nil, "BANT recorded", "BANT を記録"},
		{"presql-handed", lead.FieldHandoff, "M10", "", v{"rep": "field-1", "bant": "budget,need"},
			"Pre-SQL handed to field-1 with budget,need known", "予算・ニーズ が判明した状態で field-1 に Pre-SQL を引き渡し"},
		{"presql-handed-off", lead.FieldRoute, "M10", "", v{"rep": "rep-a"}, "Pre-SQL handed off by rep-a", "rep-a が Pre-SQL を引き渡し"},
		{"presql-accepted", lead.FieldHandoff, "M10", "", nil, "accepted: an SQL", "受け入れ：SQL になりました"},
		{"presql-accepted-why", lead.FieldHandoff, "M10", "", v{"reason": "予算承認済み"}, "accepted: an SQL: 予算承認済み", "受け入れ：SQL になりました：予算承認済み"},
		{"presql-rejected-back", lead.FieldRoute, "M10", "", v{"reason": "予算なし"}, "Pre-SQL rejected: 予算なし", "Pre-SQL の差し戻し：予算なし"},
		{"opportunity-confirmed", lead.FieldHandoff, "M5", "", nil,
			"confirmed opportunity continues through the hand-off (M10)", "商談化が確認されたため、引き渡しを受け入れとして継続（M10）"},
		{"account-owner", lead.FieldOwner, "M9", "", nil, "account owner", "アカウント担当者"},
		{"round-robin-away", lead.FieldOwner, "M9", "", v{"rep": "rep-a"}, "round robin: rep-a is away or at capacity", "ラウンドロビン：rep-a は不在または担当数の上限"},
		{"round-robin", lead.FieldOwner, "M9", "", nil, "round robin", "ラウンドロビン"},
		{"below-threshold", lead.FieldTrigger, "M11", "", v{"kind": "download"},
			"download below the MQL threshold: field_only model, marketing nurtures it", "資料ダウンロードは MQL の閾値未満：フィールドのみモデルのため、マーケティングが育成"},
		{"no-request-field-only", lead.FieldTrigger, "M11", "", v{"kind": "web_activity"},
			"web_activity makes no request: field_only model", "Web行動では依頼を作成しません：フィールドのみモデル"},
		{"to-field-mql", lead.FieldRoute, "M11", "", v{"kind": "inquiry", "trigger": "A1", "model": "direct"},
			"inquiry: A1 is an MQL: direct model", "問い合わせ：A1 は MQL（ダイレクトモデル）"},
		{"to-field-rep", lead.FieldOwner, "M11", "", v{"kind": "inquiry", "response": "invited", "rep": "field-1", "campaign": "C-9"},
			"inquiry: invited by field rep field-1 (C-9)", "問い合わせ：フィールド担当 field-1 の招待（C-9）"},
		{"to-field-account-owner", lead.FieldRoute, "M11", "", v{"kind": "download", "rep": "field-2"},
			"download: account owner field-2 is in field sales", "資料ダウンロード：アカウント担当者 field-2 はフィールド営業"},
		{"suppressed", lead.FieldTrigger, "S5", "", v{"status": "Disqualified (sales)"},
			"suppressed: status is Disqualified (sales)", "抑止：ステータスが対象外（営業）"},
		{"merged", lead.FieldTrigger, "A6", "", v{"priority": "1"}, "recorded on the outstanding request; priority 1", "未対応の依頼に追加（優先度1）"},
		{"re-engaged", lead.FieldStatus, "A5", "", v{"trigger": "A1"}, "re-engaged by A1", "A1 により再エンゲージ"},
		{"new-cadence", lead.FieldStage, "A1", "", nil, "new cadence", "新しいケイデンスを開始"},
		{"target-jump", lead.FieldRequest, "A8", "open", v{"rise": "35"},
			"target account's score rose 35 since yesterday", "ターゲット企業のスコアが前日から 35 上昇"},
		{"route-already-field", lead.FieldRoute, "M4", "", v{"reasons": "M3 high-engagement campaign"},
			"M3 high-engagement campaign; already with field sales", "M3 高エンゲージメントのキャンペーン。すでにフィールド営業が担当"},
		{"route-owner-not-field", lead.FieldRoute, "M1", "", v{"reasons": "M4 account owner follows up; M1 direct model", "rep": "rep-a"},
			"M4 account owner follows up; M1 direct model; account owner rep-a is not in field sales",
			"M4 アカウント担当者がフォロー。M1 ダイレクトモデル。アカウント担当者 rep-a はフィールド営業ではありません"},
		{"route", lead.FieldRoute, "M4", "", v{"reasons": "M4 invited by a field rep"}, "M4 invited by a field rep", "M4 フィールド担当の招待"},
		{"cadence-stopped-field", lead.FieldStage, "M4", "", nil, "cadence stopped: with field sales now", "ケイデンス停止：フィールド営業の担当になりました"},
		{"with-field", lead.FieldRequest, "M4", "", nil, "with field sales now", "フィールド営業の担当になりました"},
		{"cadence-stopped-status", lead.FieldStage, "S4", "", v{"status": "Recycled"}, "cadence stopped: status set to Recycled", "ケイデンス停止：ステータスをリサイクルに変更"},
		{"status-set-to", lead.FieldRequest, "S5", "", v{"status": "Partner"}, "status set to Partner", "ステータスをパートナーに変更"},
		{"profile-updated", lead.FieldProfile, "E9", "", nil, "profile updated", "プロフィールを更新"},
		// Free text is kept verbatim in every language (E10).
		{"presql-rejected", lead.FieldHandoff, "M10", "rejected", v{"reason": "no budget this year"}, "no budget this year", "no budget this year"},
		{"rejected-recycled", lead.FieldStatus, "M10", "recycled", v{"reason": "時期尚早"}, "時期尚早", "時期尚早"},
		{"rejected-lead", lead.FieldStatus, "M10", "lead", v{"reason": "call them back first"}, "call them back first", "call them back first"},
		{"feedback", lead.FieldFeedback, "M5", "", v{"comment": "round robin"}, "round robin", "round robin"},
		{"status-set", lead.FieldStatus, "S1", "", v{"reason": "qualified"}, "qualified", "qualified"},
		{"lead-created", lead.FieldLead, "", "", v{"source": "展示会 2026"}, "展示会 2026", "展示会 2026"},
		{"request-opened", lead.FieldRequest, "A1", "open", v{"subject": "Inquiry (score at or above the threshold)"},
			"Inquiry (score at or above the threshold)", "Inquiry (score at or above the threshold)"},
		{"request-opened", lead.FieldRequest, "A2", "open", v{"subject": "Inquiry (score below the threshold)"},
			"Inquiry (score below the threshold)", "問い合わせ（スコアが閾値未満）"},
		{"response-by", lead.FieldResponse, "M6", "", v{"campaign": "C-1", "rep": "field-1"}, "C-1 by field-1", "C-1（field-1）"},
		{"response", lead.FieldResponse, "M6", "", v{"campaign": "C-1"}, "C-1", "C-1"},
	}
}

func TestReason_catalogue(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, tt := range reasonCases() {
		seen[tt.key] = true
		t.Run(tt.key+" "+tt.rule, func(t *testing.T) {
			t.Parallel()
			r := rules.Reason{Key: tt.key, Values: tt.values}
			if got := r.Text(rules.English, nil); got != tt.en {
				t.Errorf("Text(en) = %q, want %q", got, tt.en)
			}
			if got := r.Text(rules.Japanese, jst); got != tt.ja {
				t.Errorf("Text(ja) = %q, want %q", got, tt.ja)
			}
			if got := r.Text("fr", nil); got != tt.en {
				t.Errorf("Text(fr) = %q, want the English %q (E10: no built-in French)", got, tt.en)
			}
			c := lead.Change{Field: tt.field, Rule: tt.rule, To: tt.to, Reason: tt.en}
			got := rules.ParseReason(c)
			if got.Key != tt.key || !maps.Equal(got.Values, tt.values) {
				t.Errorf("ParseReason(%q) = %+v, want %+v", tt.en, got, r)
			}
		})
	}
	for _, k := range rules.ReasonKeys() {
		if !seen[k] {
			t.Errorf("catalogue entry %q has no case", k)
		}
	}
}

// TestParseReason_stored checks reasons as stores hold them, written
// before the catalogue (E3): each reads as its kind, none as raw text.
func TestParseReason_stored(t *testing.T) {
	t.Parallel()
	tests := []struct {
		c    lead.Change
		want string
	}{
		{lead.Change{Field: lead.FieldStage, Rule: "T1", Reason: "Stage1 attempt overdue: no attempt within 48h, due 2026-04-08 18:00 JST"}, "attempt-overdue"},
		{lead.Change{Field: lead.FieldOwner, Rule: "T1", Reason: "no attempt within the Stage1 window (48h); round robin over inside sales, rep-suzuki, rep-yamada excluded"}, "reassigned"},
		{lead.Change{Field: lead.FieldRequest, Rule: "A2", To: "open", From: "none", Reason: "Inquiry (score below the threshold)"}, "request-opened"},
		{lead.Change{Field: lead.FieldRequest, Rule: "T10", To: "open", From: "overdue", Reason: "fresh window for the new owner, due 2026-04-10 18:30 JST"}, "fresh-window"},
		{lead.Change{Field: lead.FieldRoute, Rule: "M3", Reason: "M3 high-engagement campaign; A1 MQL: score at or above the threshold"}, "route"},
		{lead.Change{Field: lead.FieldScore, Rule: "E8"}, ""},
		{lead.Change{Field: lead.FieldStage, Rule: "T8", Reason: "something an older version wrote"}, rules.ReasonText},
	}
	for _, tt := range tests {
		if got := rules.ParseReason(tt.c); got.Key != tt.want {
			t.Errorf("ParseReason(%q) = %+v, want key %q", tt.c.Reason, got, tt.want)
		}
	}
}

func TestChangeText_E10(t *testing.T) {
	t.Parallel()
	c := lead.Change{Lead: "L-1", Field: lead.FieldOwner, From: "rep-a", To: "rep-c", Actor: lead.ActorEngine, Rule: "T1",
		Reason: "no attempt within the Stage1 window (48h); round robin over inside sales, rep-a excluded"}
	tests := []struct {
		lang rules.Language
		want string
	}{
		{rules.English, "owner rep-a -> rep-c by leadline (T1: no attempt within the Stage1 window (48h); round robin over inside sales, rep-a excluded)"},
		{rules.Japanese, "T1: Stage1 の期限（48時間）内にアプローチなし。内勤のラウンドロビンで再割り当て（rep-a を除外）。担当者を rep-a から rep-c に変更"},
	}
	for _, tt := range tests {
		if got := rules.ChangeText(c, tt.lang, jst); got != tt.want {
			t.Errorf("ChangeText(%s) = %q, want %q", tt.lang, got, tt.want)
		}
	}
	stage := lead.Change{Field: lead.FieldStage, From: "untouched", To: "untouched", Actor: lead.ActorEngine, Rule: "T1",
		Reason: "Stage1 attempt overdue: no attempt within 48h, due 2026-12-07 01:00 UTC"}
	want := "T1: 48時間以内にStage1のアプローチなし（期限 2026-12-07 10:00 JST）。ステージは未着手のまま"
	if got := rules.ChangeText(stage, rules.Japanese, jst); got != want {
		t.Errorf("ChangeText(ja) = %q, want %q", got, want)
	}
	person := lead.Change{Field: lead.FieldHandoff, From: "none", To: "pre_sql", Actor: "rep-a", Rule: "M10",
		Reason: "Pre-SQL handed to field-1 with budget,authority,need known"}
	want = "M10: 予算・決裁権・ニーズ が判明した状態で field-1 に Pre-SQL を引き渡し。引き渡し なし → Pre-SQL（rep-a）"
	if got := rules.ChangeText(person, rules.Japanese, jst); got != want {
		t.Errorf("ChangeText(ja) = %q, want %q", got, want)
	}
}

// TestValueText_E10 checks the words of a lead's own values (E10): in
// Japanese the rule book's (stages 未着手 and 接続, desks 内勤 and
// フィールド, statuses, request and hand-off states), in English a status's
// and a stage's display names and the other values' keys; and that each
// reads as a history entry on the same field words it.
func TestValueText_E10(t *testing.T) {
	t.Parallel()
	tests := []struct {
		field  lead.Field
		key    string
		en, ja string
	}{
		{lead.FieldStatus, "new", "New", "新規"},
		{lead.FieldStatus, "disqualified_mktg", "Disqualified (mktg)", "対象外（マーケティング）"},
		{lead.FieldStage, "untouched", "Untouched", "未着手"},
		{lead.FieldStage, "stage2", "Stage2", "Stage2"},
		{lead.FieldStage, "connected", "Connected", "接続"},
		{lead.FieldRoute, "inside", "inside", "内勤"},
		{lead.FieldRoute, "field", "field", "フィールド"},
		{lead.FieldRequest, "open", "open", "未対応"},
		{lead.FieldRequest, "overdue", "overdue", "期限超過"},
		{lead.FieldHandoff, "pre_sql", "pre_sql", "Pre-SQL"},
		{lead.FieldHandoff, "accepted", "accepted", "フィールド受入"},
		{lead.FieldStatus, "New", "New", "New"},         // a display name is not a key: as it is
		{lead.FieldStage, "stage9", "stage9", "stage9"}, // nor an unknown key
		{lead.FieldOwner, "rep-a", "rep-a", "rep-a"},    // nor another field's value
	}
	for _, tt := range tests {
		if got := rules.ValueText(tt.field, tt.key, rules.English); got != tt.en {
			t.Errorf("ValueText(%s, %q, en) = %q, want %q", tt.field, tt.key, got, tt.en)
		}
		if got := rules.ValueText(tt.field, tt.key, rules.Japanese); got != tt.ja {
			t.Errorf("ValueText(%s, %q, ja) = %q, want %q", tt.field, tt.key, got, tt.ja)
		}
	}
	keys := map[lead.Field][]string{
		lead.FieldStatus:  {"new", "lead", "recycled", "customer", "partner", "disqualified_mktg", "disqualified_sales"},
		lead.FieldStage:   {"untouched", "stage1", "stage2", "stage3", "stage4", "connected"},
		lead.FieldRoute:   {"inside", "field"},
		lead.FieldRequest: {"none", "open", "done", "overdue", "cancelled"},
		lead.FieldHandoff: {"none", "pre_sql", "accepted", "rejected"},
	}
	for f, ks := range keys {
		for _, k := range ks {
			ja := rules.ValueText(f, k, rules.Japanese)
			if ja == k && k != "stage1" && k != "stage2" && k != "stage3" && k != "stage4" {
				t.Errorf("ValueText(%s, %q, ja) has no Japanese word", f, k)
			}
			same := rules.ChangeText(lead.Change{Field: f, From: k, To: k, Actor: lead.ActorEngine}, rules.Japanese, jst)
			if !strings.HasSuffix(same, "は"+ja+"のまま") {
				t.Errorf("ValueText(%s, %q, ja) = %q, but history words it %q", f, k, ja, same)
			}
		}
	}
}

// FuzzParseReason checks the parser of stored reasons (E3): any text,
// under any field and rule, parses to a reason that renders the very
// same English text, and has a Japanese text.
func FuzzParseReason(f *testing.F) {
	f.Add(uint8(lead.FieldOwner), "T1", "", "no attempt within the Stage1 window (48h); round robin over inside sales, rep-a, rep;b excluded")
	f.Add(uint8(lead.FieldStage), "T13", "", "Stage2 attempt overdue: no attempt within 24h, due 2026-12-07 10:00 JST; still no attempt, reminder 1 of 2, every 1h30m")
	f.Add(uint8(lead.FieldRoute), "M3", "", "M3 high-engagement campaign; M4 account owner follows up; account owner (a) is not in field sales")
	f.Add(uint8(lead.FieldHandoff), "M10", "rejected", "予算なし")
	f.Add(uint8(lead.FieldRequest), "A2", "open", "Inquiry (score below the threshold)")
	f.Add(uint8(lead.FieldStage), "T9", "", "attempt by call,email; late, due 2026-12-07 01:00 UTC")
	f.Fuzz(func(t *testing.T, field uint8, rule, to, reason string) {
		c := lead.Change{Field: lead.Field(field % 16), Rule: rule, To: to, Reason: reason}
		r := rules.ParseReason(c)
		if got := r.Text(rules.English, nil); got != reason {
			t.Fatalf("ParseReason(%q) = %+v, which renders %q", reason, r, got)
		}
		if ja := r.Text(rules.Japanese, jst); reason != "" && ja == "" {
			t.Fatalf("ParseReason(%q) = %+v has no Japanese text", reason, r)
		}
		_ = rules.ChangeText(c, rules.Japanese, jst)
	})
}
