package routing_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
)

// sheetHeader is the header WriteFeedbackCSV writes (M5).
const sheetHeader = "lead_id,company,campaign,responded_at,owner,follow_up_target,follow_up_state,opportunity,comment\n"

// fb is a row as the import returns it: lead id and feedback only.
func fb(id string, target bool, st lead.FollowState, opp lead.Outcome, comment string) routing.FeedbackRow {
	return routing.FeedbackRow{Lead: id, Feedback: lead.Feedback{Target: target, State: st, Opportunity: opp, Comment: comment}}
}

// problem is where an ImportError says a problem is.
type problem struct {
	line  int
	field string
}

// problems returns where err's problems are, failing unless err is an
// *ImportError that matches leaderr.ErrInvalid (E6) and has a
// *leaderr.FieldError first.
func problems(tb testing.TB, err error) []problem {
	tb.Helper()
	ie, ok := errors.AsType[*routing.ImportError](err)
	if !ok {
		tb.Fatalf("err = %v (%T), want an *ImportError", err, err)
	}
	if !errors.Is(err, leaderr.ErrInvalid) {
		tb.Fatalf("errors.Is(err, ErrInvalid) = false, want true (E6); err: %v", err)
	}
	first, ok := errors.AsType[*leaderr.FieldError](err)
	if !ok || len(ie.Errs) == 0 || first != ie.Errs[0] {
		tb.Fatalf("errors.AsType[*FieldError] = %v, %v; want the first of %d problems", first, ok, len(ie.Errs))
	}
	var got []problem
	for _, fe := range ie.Errs {
		got = append(got, problem{fe.Line, fe.Field})
	}
	return got
}

// mustRead reads a sheet that must be good.
func mustRead(tb testing.TB, sheet string) []routing.FeedbackRow {
	tb.Helper()
	rows, err := routing.ReadFeedbackCSV(strings.NewReader(sheet))
	if err != nil {
		tb.Fatalf("ReadFeedbackCSV: %v", err)
	}
	return rows
}

func TestReadFeedbackCSV_good(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []routing.FeedbackRow
	}{
		{
			name: "M5 as exported",
			in: sheetHeader +
				"L-1,Acme,conf-2025,2025-04-07T09:00:00+09:00,sato,yes,in_progress,,called twice\n" +
				"L-2,Beta,conf-2025,2025-04-07T10:00:00+09:00,sato,no,done,no,\n",
			want: []routing.FeedbackRow{
				fb("L-1", true, lead.InProgress, lead.OutcomeUnknown, "called twice"),
				fb("L-2", false, lead.Done, lead.OutcomeNo, ""),
			},
		},
		{
			name: "M5 header only: no rows",
			in:   sheetHeader,
			want: nil,
		},
		{
			name: "M5 Excel CSV UTF-8: BOM and CRLF",
			in: "\ufeff" + strings.TrimSuffix(sheetHeader, "\n") + "\r\n" +
				"L-1,アクメ,conf,,佐藤,yes,not_started,yes,\"来場、試乗済み\r\n次回訪問\"\r\n",
			want: []routing.FeedbackRow{fb("L-1", true, lead.NotStarted, lead.OutcomeYes, "来場、試乗済み\n次回訪問")},
		},
		{
			name: "M5 columns in any order and case, export-only columns absent",
			in: "Comment,OPPORTUNITY, Follow_Up_State ,lead_id,follow_up_target\n" +
				"\"said \"\"call me\"\", a, b\",No,Done,L-9,Y\n",
			want: []routing.FeedbackRow{fb("L-9", true, lead.Done, lead.OutcomeNo, `said "call me", a, b`)},
		},
		{
			name: "M5 yes/no spellings",
			in: sheetHeader +
				"a,,,,,Y,done,N,\n" +
				"b,,,,,true,done,FALSE,\n" +
				"c,,,,,1,done,0,\n" +
				"d,,,,,No,done,Yes,\n" +
				"e,,,,, n ,done, y ,\n",
			want: []routing.FeedbackRow{
				fb("a", true, lead.Done, lead.OutcomeNo, ""),
				fb("b", true, lead.Done, lead.OutcomeNo, ""),
				fb("c", true, lead.Done, lead.OutcomeNo, ""),
				fb("d", false, lead.Done, lead.OutcomeYes, ""),
				fb("e", false, lead.Done, lead.OutcomeYes, ""),
			},
		},
		{
			name: "M5 states with spaces, hyphens, any case",
			in: sheetHeader +
				"a,,,,,yes,not started,,\n" +
				"b,,,,,yes,In Progress,,\n" +
				"c,,,,,yes,in-progress,,\n" +
				"d,,,,,yes,NOT  STARTED,,\n" +
				"e,,,,,yes,DONE,,\n",
			want: []routing.FeedbackRow{
				fb("a", true, lead.NotStarted, lead.OutcomeUnknown, ""),
				fb("b", true, lead.InProgress, lead.OutcomeUnknown, ""),
				fb("c", true, lead.InProgress, lead.OutcomeUnknown, ""),
				fb("d", true, lead.NotStarted, lead.OutcomeUnknown, ""),
				fb("e", true, lead.Done, lead.OutcomeUnknown, ""),
			},
		},
		{
			name: "M5 comment kept as it is: spaces, quotes, line breaks, Japanese",
			in: sheetHeader +
				"L-1,,,,,yes,done,yes,\"  先日のご来店は如何でしたか？\n\n\"\"試乗\"\", 商談化 \"\n",
			want: []routing.FeedbackRow{fb("L-1", true, lead.Done, lead.OutcomeYes, "  先日のご来店は如何でしたか？\n\n\"試乗\", 商談化 ")},
		},
		{
			name: "M5 blank lines and blank rows skipped, lead id trimmed",
			in: sheetHeader + "\n" +
				" L-1 ,,,,,yes,done,,\n" +
				",,,,,,,,\n" +
				"  , ,,,,,,, \n",
			want: []routing.FeedbackRow{fb("L-1", true, lead.Done, lead.OutcomeUnknown, "")},
		},
		{
			name: "M5 export-only columns are not parsed",
			in: sheetHeader +
				"L-1,=cmd,,not a time,,yes,done,,\n",
			want: []routing.FeedbackRow{fb("L-1", true, lead.Done, lead.OutcomeUnknown, "")},
		},
		{
			name: "M5 formula escape undone",
			in: sheetHeader +
				"'=L-1,,,,,yes,done,,'=SUM(A1)\n" +
				"L-2,,,,,yes,done,,'plain quote\n" +
				"L-3,,,,,yes,done,,''-dash\n",
			want: []routing.FeedbackRow{
				fb("=L-1", true, lead.Done, lead.OutcomeUnknown, "=SUM(A1)"),
				fb("L-2", true, lead.Done, lead.OutcomeUnknown, "'plain quote"),
				fb("L-3", true, lead.Done, lead.OutcomeUnknown, "'-dash"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := mustRead(t, tt.in)
			if !slices.Equal(noLines(got), tt.want) {
				t.Errorf("ReadFeedbackCSV =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestReadFeedbackCSV_bad(t *testing.T) {
	t.Parallel()
	good := func(id string) string { return id + ",,,,,yes,done,,\n" }
	tests := []struct {
		name string
		in   string
		want []problem
	}{
		{
			name: "M5 bad state",
			in:   sheetHeader + good("L-1") + good("L-2") + "L-3,,,,,yes,startd,,\n",
			want: []problem{{4, "follow_up_state"}},
		},
		{
			name: "M5 bad target, bad opportunity, empty target, empty state",
			in: sheetHeader +
				"L-1,,,,,maybe,done,,\n" +
				"L-2,,,,,yes,done,perhaps,\n" +
				"L-3,,,,,,done,,\n" +
				"L-4,,,,,yes,,,\n",
			want: []problem{{2, "follow_up_target"}, {3, "opportunity"}, {4, "follow_up_target"}, {5, "follow_up_state"}},
		},
		{
			name: "M5 several bad rows all reported, several fields in one row",
			in: sheetHeader +
				good("L-1") +
				",,,,,yes,done,,no lead\n" +
				good("L-3") +
				"L-4,,,,,sure,later,maybe,\n" +
				good("L-5"),
			want: []problem{{3, "lead_id"}, {5, "follow_up_target"}, {5, "follow_up_state"}, {5, "opportunity"}},
		},
		{
			name: "M5 duplicate lead id on the later line",
			in:   sheetHeader + good("L-1") + good("L-2") + good(" L-1"),
			want: []problem{{4, "lead_id"}},
		},
		{
			name: "M5 duplicate of a bad row: both reported",
			in:   sheetHeader + "L-1,,,,,yes,nope,,\n" + good("L-1"),
			want: []problem{{2, "follow_up_state"}, {3, "lead_id"}},
		},
		{
			name: "M5 lines count the lines of quoted multi-line comments",
			in: sheetHeader +
				"L-1,,,,,yes,done,,\"one\ntwo\nthree\"\n" +
				"L-2,,,,,yes,nope,,\n",
			want: []problem{{5, "follow_up_state"}},
		},
		{
			name: "M5 a field after a multi-line field is on its own line",
			in: "lead_id,comment,follow_up_target,follow_up_state,opportunity\n" +
				"L-1,\"one\ntwo\",yes,nope,\n",
			want: []problem{{3, "follow_up_state"}},
		},
		{
			name: "M5 unknown columns named",
			in:   "lead_id,follow_up_target,follow_up_state,opportunity,comment,notes,\n" + "L-1,yes,done,,,x,\n",
			want: []problem{{1, "header"}, {1, "header"}},
		},
		{
			name: "M5 a header of a thousand columns is refused as a whole",
			in:   sheetHeader[:len(sheetHeader)-1] + strings.Repeat(",x", 1000) + "\n",
			want: []problem{{1, "header"}},
		},
		{
			name: "M5 missing required columns, each reported",
			in:   "lead_id,company,follow_up_target\nL-1,Acme,yes\n",
			want: []problem{{1, "header"}, {1, "header"}, {1, "header"}},
		},
		{
			name: "M5 a column name not UTF-8",
			in:   "lead_id,follow_up_target,follow_up_state,opportunity,comment,\x83\x81\x83\x82\n",
			want: []problem{{1, "header"}},
		},
		{
			name: "M5 duplicate column",
			in:   "lead_id,follow_up_target,follow_up_state,opportunity,comment,Comment\n",
			want: []problem{{1, "header"}},
		},
		{
			name: "M5 empty sheet",
			in:   "",
			want: []problem{{1, "header"}},
		},
		{
			name: "M5 BOM only",
			in:   "\ufeff",
			want: []problem{{1, "header"}},
		},
		{
			name: "M5 wrong number of fields",
			in:   sheetHeader + "L-1,,,,,yes,done\n" + good("L-2") + "L-3,,,,,yes,done,,,extra\n",
			want: []problem{{2, "row"}, {4, "row"}},
		},
		{
			name: "M5 malformed quotes stop the import at their line",
			in:   sheetHeader + "L-1,,,,,yes,nope,,\n" + "L-2,,,,,yes,done,,a \"bare\" quote\n" + good("L-3"),
			want: []problem{{2, "follow_up_state"}, {3, "row"}},
		},
		{
			name: "M5 unterminated quote",
			in:   sheetHeader + good("L-1") + "L-2,,,,,yes,done,,\"never closed\n" + good("L-3"),
			want: []problem{{3, "row"}},
		},
		{
			name: "M5 stray quote inside a multi-line quoted field: the row's first line",
			in:   sheetHeader + good("L-1") + "L-2,,,,,yes,done,,\"one\ntwo \"x\" three\"\n" + good("L-3"),
			want: []problem{{3, "row"}},
		},
		{
			name: "M5 not UTF-8: a Shift_JIS comment",
			in:   sheetHeader + "L-1,,,,,yes,done,,\x8e\x8e\x8f\xe6\n", // 試乗 in Shift_JIS
			want: []problem{{2, "comment"}},
		},
		{
			name: "M5 field over 10,000 bytes",
			in:   sheetHeader + "L-1,,,,,yes,done,," + strings.Repeat("x", routing.MaxFeedbackField+1) + "\n" + good("L-2"),
			want: []problem{{2, "comment"}},
		},
		{
			name: "M5 E6 a comment of 9,999 bytes is fine, one the export would escape to 10,001 is not, and the export-only columns count too",
			in: sheetHeader + "L-1,,,,,yes,done,," + strings.Repeat("x", lead.MaxCommentBytes) + "\n" +
				"L-2," + strings.Repeat("y", routing.MaxFeedbackField+1) + ",,,,yes,done,,\n" +
				"L-3,,,,,yes,done,,-" + strings.Repeat("z", routing.MaxFeedbackField-1) + "\n",
			want: []problem{{3, "company"}, {4, "comment"}},
		},
		{
			name: "M5 a runaway quoted field is refused before it is all read",
			in:   sheetHeader + good("L-1") + "L-2,,,,,yes,done,,\"" + strings.Repeat("line\n", 300_000) + "\"\n",
			want: []problem{{3, "row"}},
		},
		{
			name: "M5 lead id with a line break",
			in:   sheetHeader + "\"L-1\nL-2\",,,,,yes,done,,\n",
			want: []problem{{2, "lead_id"}},
		},
		{
			name: "M5 lead id with only a formula escape",
			in:   sheetHeader + "'\t=x,,,,,yes,done,,\n",
			want: []problem{{2, "lead_id"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rows, err := routing.ReadFeedbackCSV(strings.NewReader(tt.in))
			if rows != nil {
				t.Errorf("ReadFeedbackCSV returned %d rows with an error, want none", len(rows))
			}
			if got := problems(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("ReadFeedbackCSV problems at %v, want %v\n%v", got, tt.want, err)
			}
		})
	}
}

// TestReadFeedbackCSV_tooManyRows checks the spreadsheet limit (M5): a
// sheet of MaxFeedbackRows rows is read, one more is refused at the line
// of the extra row.
func TestReadFeedbackCSV_tooManyRows(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(sheetHeader)
	for i := range routing.MaxFeedbackRows {
		fmt.Fprintf(&b, "L-%d,,,,,yes,done,,\n", i)
	}
	full := b.String()
	if rows := mustRead(t, full); len(rows) != routing.MaxFeedbackRows {
		t.Fatalf("ReadFeedbackCSV read %d rows, want %d", len(rows), routing.MaxFeedbackRows)
	}
	rows, err := routing.ReadFeedbackCSV(strings.NewReader(full + "L-extra,,,,,yes,done,,\n"))
	if rows != nil {
		t.Errorf("ReadFeedbackCSV returned %d rows, want none", len(rows))
	}
	want := []problem{{routing.MaxFeedbackRows + 2, "row"}}
	if got := problems(t, err); !slices.Equal(got, want) {
		t.Errorf("problems at %v, want %v", got, want)
	}
}

// errReader fails after its data.
type errReader struct {
	data io.Reader
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	n, err := r.data.Read(p)
	if err == io.EOF {
		return n, r.err
	}
	return n, err
}

// TestReadFeedbackCSV_readError checks that a failure to read is not
// reported as bad input.
func TestReadFeedbackCSV_readError(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk on fire")
	for _, in := range []string{"", "\ufeff", sheetHeader, sheetHeader + "L-1,,,,,yes,done,,\n"} {
		rows, err := routing.ReadFeedbackCSV(&errReader{strings.NewReader(in), boom})
		if rows != nil || !errors.Is(err, boom) {
			t.Errorf("ReadFeedbackCSV(%q then an error) = %d rows, %v; want none and the read error", in, len(rows), err)
		}
		if errors.Is(err, leaderr.ErrInvalid) {
			t.Errorf("ReadFeedbackCSV(%q then an error): a read error matches ErrInvalid", in)
		}
	}
}

func TestImportError_Error(t *testing.T) {
	t.Parallel()
	ie := &routing.ImportError{Errs: []*leaderr.FieldError{
		{Line: 4, Field: "follow_up_state", Err: errors.New("want not_started, in_progress or done")},
		{Line: 7, Field: "lead_id", Err: errors.New("duplicate of line 3")},
	}}
	want := "routing: feedback csv: 2 problems, nothing imported\n" +
		"line 4: follow_up_state: want not_started, in_progress or done\n" +
		"line 7: lead_id: duplicate of line 3"
	if got := ie.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
	if got := len(ie.Unwrap()); got != 2 {
		t.Errorf("Unwrap() has %d errors, want 2", got)
	}
}

// feedbackRows is a sheet with every kind of value, for round trips.
func feedbackRows() []routing.FeedbackRow {
	at := time.Date(2025, 4, 7, 9, 30, 0, 0, zoneJST)
	return []routing.FeedbackRow{
		{Lead: "L-1", Company: "アクメ株式会社", Campaign: "conf-2025", Responded: at, Owner: "sato",
			Feedback: lead.Feedback{Target: true, State: lead.InProgress, Comment: "試乗済み。来週訪問"}},
		{Lead: "L-2", Company: "Beta, Inc.", Campaign: "conf-2025", Responded: at.Add(time.Hour), Owner: "suzuki",
			Feedback: lead.Feedback{Target: true, State: lead.Done, Opportunity: lead.OutcomeYes, Comment: "said \"yes\", twice\nline two\n"}},
		{Lead: "L-3", Feedback: lead.Feedback{State: lead.NotStarted, Opportunity: lead.OutcomeNo}},
		{Lead: "=HYPERLINK(\"x\")", Company: "+81 3 1234", Owner: "@rep",
			Feedback: lead.Feedback{Comment: "=1+1"}},
		{Lead: "L-5", Feedback: lead.Feedback{Target: true, Comment: "'-'quoted' \t  "}},
		{Lead: "L-6", Feedback: lead.Feedback{Comment: "- bullet\n- list"}},
		{Lead: "L-7", Feedback: lead.Feedback{Comment: " leading space"}},
	}
}

// sameFeedback fails unless got and want hold the same lead ids and
// feedback, in order (M5 round trip).
func sameFeedback(tb fatalfer, got, want []routing.FeedbackRow) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("read %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Lead != w.Lead || g.Feedback.Target != w.Feedback.Target || g.Feedback.State != w.Feedback.State ||
			g.Feedback.Opportunity != w.Feedback.Opportunity || g.Feedback.Comment != w.Feedback.Comment {
			tb.Fatalf("row %d read back as\n%+v\nwant\n%+v", i, g, w)
		}
	}
}

// TestFeedbackCSV_roundTrip checks M5's export and import: Write then
// Read gives back the lead ids and feedback exactly.
func TestFeedbackCSV_roundTrip(t *testing.T) {
	t.Parallel()
	rows := feedbackRows()
	var buf bytes.Buffer
	if err := routing.WriteFeedbackCSV(&buf, rows); err != nil {
		t.Fatalf("WriteFeedbackCSV: %v", err)
	}
	sameFeedback(t, mustRead(t, buf.String()), rows)

	// Excel's way back: a BOM, CR LF line ends, also inside the comments.
	excel := "\ufeff" + strings.ReplaceAll(buf.String(), "\n", "\r\n")
	sameFeedback(t, mustRead(t, excel), rows)
}

// TestWriteFeedbackCSV_cells checks what the sheet holds: the fixed
// header, yes/no, state keys, RFC 3339 in the instant's zone, and an
// apostrophe before cells a spreadsheet would run as formulas.
func TestWriteFeedbackCSV_cells(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := routing.WriteFeedbackCSV(&buf, feedbackRows()); err != nil {
		t.Fatalf("WriteFeedbackCSV: %v", err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("reading the sheet back as plain CSV: %v", err)
	}
	want := [][]string{
		strings.Split(strings.TrimSuffix(sheetHeader, "\n"), ","),
		{"L-1", "アクメ株式会社", "conf-2025", "2025-04-07T09:30:00+09:00", "sato", "yes", "in_progress", "", "試乗済み。来週訪問"},
		{"L-2", "Beta, Inc.", "conf-2025", "2025-04-07T10:30:00+09:00", "suzuki", "yes", "done", "yes", "said \"yes\", twice\nline two\n"},
		{"L-3", "", "", "", "", "no", "not_started", "no", ""},
		{"'=HYPERLINK(\"x\")", "'+81 3 1234", "", "", "'@rep", "no", "not_started", "", "'=1+1"},
		{"L-5", "", "", "", "", "yes", "not_started", "", "''-'quoted' \t  "},
		{"L-6", "", "", "", "", "no", "not_started", "", "'- bullet\n- list"},
		{"L-7", "", "", "", "", "no", "not_started", "", " leading space"},
	}
	if len(recs) != len(want) {
		t.Fatalf("sheet has %d records, want %d", len(recs), len(want))
	}
	for i := range want {
		if !slices.Equal(recs[i], want[i]) {
			t.Errorf("record %d = %q, want %q", i, recs[i], want[i])
		}
	}
}

// TestWriteFeedbackCSV_lineBreaks checks that CR LF and lone CR in a
// comment are written as LF, what the import gives back.
func TestWriteFeedbackCSV_lineBreaks(t *testing.T) {
	t.Parallel()
	rows := []routing.FeedbackRow{{Lead: "L-1", Feedback: lead.Feedback{Comment: "a\r\nb\rc\n\r"}}}
	var buf bytes.Buffer
	if err := routing.WriteFeedbackCSV(&buf, rows); err != nil {
		t.Fatalf("WriteFeedbackCSV: %v", err)
	}
	if bytes.IndexByte(buf.Bytes(), '\r') >= 0 {
		t.Errorf("sheet %q holds a CR", buf.String())
	}
	got := mustRead(t, buf.String())
	if len(got) != 1 || got[0].Feedback.Comment != "a\nb\nc\n\n" {
		t.Errorf("read back %+v, want the comment %q", got, "a\nb\nc\n\n")
	}
}

func TestWriteFeedbackCSV_refuses(t *testing.T) {
	t.Parallel()
	ok := routing.FeedbackRow{Lead: "L-0"}
	tests := []struct {
		name      string
		rows      []routing.FeedbackRow
		wantField string
	}{
		{name: "M5 lead id required", rows: []routing.FeedbackRow{ok, {}}, wantField: "rows[1].lead_id"},
		{name: "M5 lead id space-padded", rows: []routing.FeedbackRow{{Lead: "L-1 "}}, wantField: "rows[0].lead_id"},
		{name: "M5 duplicate lead id", rows: []routing.FeedbackRow{ok, {Lead: "L-1"}, ok}, wantField: "rows[2].lead_id"},
		{name: "M5 lead id not UTF-8", rows: []routing.FeedbackRow{{Lead: "L-\x8e"}}, wantField: "rows[0].lead_id"},
		{name: "M5 lead id with a line break", rows: []routing.FeedbackRow{{Lead: "L-1\r\nL-2"}}, wantField: "rows[0].lead_id"},
		{name: "M5 unknown state", rows: []routing.FeedbackRow{{Lead: "L-1", Feedback: lead.Feedback{State: 9}}}, wantField: "rows[0].follow_up_state"},
		{name: "M5 unknown outcome", rows: []routing.FeedbackRow{{Lead: "L-1", Feedback: lead.Feedback{Opportunity: 9}}}, wantField: "rows[0].opportunity"},
		{name: "M5 comment not UTF-8", rows: []routing.FeedbackRow{{Lead: "L-1", Feedback: lead.Feedback{Comment: "\xff"}}}, wantField: "rows[0].comment"},
		{name: "M5 comment too long", rows: []routing.FeedbackRow{{Lead: "L-1", Feedback: lead.Feedback{Comment: strings.Repeat("x", routing.MaxFeedbackField+1)}}}, wantField: "rows[0].comment"},
		{name: "M5 comment too long once escaped", rows: []routing.FeedbackRow{{Lead: "L-1", Feedback: lead.Feedback{Comment: "=" + strings.Repeat("x", routing.MaxFeedbackField-1)}}}, wantField: "rows[0].comment"},
		{name: "M5 company too long", rows: []routing.FeedbackRow{{Lead: "L-1", Company: strings.Repeat("x", routing.MaxFeedbackField+1)}}, wantField: "rows[0].company"},
		{name: "M5 too many rows", rows: make([]routing.FeedbackRow, routing.MaxFeedbackRows+1), wantField: "rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			err := routing.WriteFeedbackCSV(&buf, tt.rows)
			wantFieldError(t, err, tt.wantField)
			if buf.Len() != 0 {
				t.Errorf("WriteFeedbackCSV wrote %d bytes before refusing, want none", buf.Len())
			}
		})
	}
}

// failWriter fails every write.
type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

// TestWriteFeedbackCSV_writeError checks that a failure to write is
// returned as it is, not as bad input.
func TestWriteFeedbackCSV_writeError(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk full")
	err := routing.WriteFeedbackCSV(failWriter{boom}, feedbackRows())
	if !errors.Is(err, boom) || errors.Is(err, leaderr.ErrInvalid) {
		t.Errorf("WriteFeedbackCSV to a failing writer = %v, want the write error and not ErrInvalid", err)
	}
}

// TestFeedbackCSV_roundTripProperty checks M5's round trip on drawn rows:
// whatever WriteFeedbackCSV accepts, ReadFeedbackCSV gives back, comment
// line breaks as LF; whatever it refuses is a *FieldError.
func TestFeedbackCSV_roundTripProperty(t *testing.T) {
	t.Parallel()
	text := rapid.OneOf(
		rapid.String(),
		rapid.StringOf(rapid.RuneFrom([]rune("ab ,\"'=+-@\t\r\n試乗"))),
		rapid.SampledFrom([]string{"", "=SUM(A1)", "'=x", "''+y", "-", "'", "\r\n", " x "}),
	)
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 6).Draw(t, "rows")
		var rows []routing.FeedbackRow
		for i := range n {
			rows = append(rows, routing.FeedbackRow{
				Lead:    rapid.OneOf(rapid.Just(fmt.Sprintf("L-%d", i)), text).Draw(t, "lead"),
				Company: text.Draw(t, "company"),
				Owner:   text.Draw(t, "owner"),
				Feedback: lead.Feedback{
					Target:      rapid.Bool().Draw(t, "target"),
					State:       lead.FollowState(rapid.IntRange(0, 2).Draw(t, "state")),
					Opportunity: lead.Outcome(rapid.IntRange(0, 2).Draw(t, "opportunity")),
					Comment:     text.Draw(t, "comment"),
				},
			})
		}
		var buf bytes.Buffer
		if err := routing.WriteFeedbackCSV(&buf, rows); err != nil {
			if _, ok := errors.AsType[*leaderr.FieldError](err); !ok || !errors.Is(err, leaderr.ErrInvalid) {
				t.Fatalf("WriteFeedbackCSV error %v (%T), want a *FieldError", err, err)
			}
			return
		}
		got, err := routing.ReadFeedbackCSV(&buf)
		if err != nil {
			t.Fatalf("M5 ReadFeedbackCSV of what WriteFeedbackCSV wrote: %v", err)
		}
		want := slices.Clone(rows)
		for i := range want {
			c := want[i].Feedback.Comment
			c = strings.ReplaceAll(c, "\r\n", "\n")
			want[i].Feedback.Comment = strings.ReplaceAll(c, "\r", "\n")
		}
		sameFeedback(t, got, want)
	})
}

// FuzzReadFeedbackCSV checks the feedback import (M5) on any input: it
// never panics, every refusal is an *ImportError whose every problem has a
// line and a field, and whatever it accepts round-trips through
// WriteFeedbackCSV and ReadFeedbackCSV to equal rows.
func FuzzReadFeedbackCSV(f *testing.F) {
	var exported bytes.Buffer
	if err := routing.WriteFeedbackCSV(&exported, feedbackRows()); err != nil {
		f.Fatalf("WriteFeedbackCSV: %v", err)
	}
	for _, seed := range []string{
		"",
		"\ufeff",
		sheetHeader,
		exported.String(),
		"\ufeff" + strings.ReplaceAll(exported.String(), "\n", "\r\n"),
		sheetHeader + "L-1,,,,,yes,in progress,,\"a,\"\"b\"\"\nc\"\n",
		"Comment,OPPORTUNITY,follow_up_state,lead_id,follow_up_target\nx,No,Done,L-9,Y\n",
		sheetHeader + "L-1,,,,,maybe,startd,perhaps,\n,,,,,yes,done,,\nL-1,,,,,y,done,n,\nL-1,,,,,1,done,0,\n",
		sheetHeader + "L-1,,,,,yes,done,,a \"bare\" quote\n",
		sheetHeader + "L-1,,,,,yes,done,,\"open\n",
		sheetHeader + "L-1,,,,,yes,done\n",
		"lead_id,notes\n",
		sheetHeader + "'=x,,,,,yes,done,,'=1+1\n",
		sheetHeader + "L-1,,,,,yes,done,,\x8e\x8e\x8f\xe6\n",
		sheetHeader + "L-1,,,,,yes,done,,\"a\r\nb\rc\"\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		rows, err := routing.ReadFeedbackCSV(bytes.NewReader(in))
		if err != nil {
			if rows != nil {
				t.Fatalf("ReadFeedbackCSV returned %d rows and an error", len(rows))
			}
			ie, ok := errors.AsType[*routing.ImportError](err)
			if !ok || len(ie.Errs) == 0 {
				t.Fatalf("error %v (%T), want an *ImportError with problems", err, err)
			}
			if !errors.Is(err, leaderr.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			for _, fe := range ie.Errs {
				if fe == nil || fe.Line < 1 || fe.Field == "" || fe.Err == nil {
					t.Fatalf("problem %+v lacks a line, a field or a cause", fe)
				}
			}
			if !utf8.ValidString(err.Error()) && utf8.Valid(in) {
				t.Fatalf("error message is not UTF-8 for UTF-8 input: %q", err.Error())
			}
			return
		}
		for _, r := range rows {
			if r.Lead == "" || r.Company != "" || r.Campaign != "" || r.Owner != "" || !r.Responded.IsZero() ||
				r.Feedback.By != "" || !r.Feedback.At.IsZero() {
				t.Fatalf("row %+v: want a lead id and the sheet's feedback only", r)
			}
		}
		var buf bytes.Buffer
		if err := routing.WriteFeedbackCSV(&buf, rows); err != nil {
			t.Fatalf("WriteFeedbackCSV of what ReadFeedbackCSV accepted: %v", err)
		}
		again, err := routing.ReadFeedbackCSV(&buf)
		if err != nil {
			t.Fatalf("ReadFeedbackCSV of what WriteFeedbackCSV wrote: %v\nsheet: %q", err, buf.String())
		}
		if !slices.Equal(noLines(again), noLines(rows)) {
			t.Fatalf("round trip changed the rows:\n%+v\nwant\n%+v", again, rows)
		}
	})
}

// noLines returns rows without their Line, which the comparisons of
// content leave aside (TestReadFeedbackCSV_lines checks it).
func noLines(rows []routing.FeedbackRow) []routing.FeedbackRow {
	out := slices.Clone(rows)
	for i := range out {
		out[i].Line = 0
	}
	return out
}

// TestReadFeedbackCSV_lines checks that each row knows the line it
// starts on, past blank rows and multi-line comments (M5: problems found
// later are reported where the user will look).
func TestReadFeedbackCSV_lines(t *testing.T) {
	t.Parallel()
	in := sheetHeader +
		"L-1,,,,,yes,done,,\"first\nsecond\"\n" +
		",,,,,,,,\n" +
		"L-2,,,,,no,done,,\n"
	rows, err := routing.ReadFeedbackCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, r := range rows {
		got = append(got, r.Line)
	}
	if want := []int{2, 5}; !slices.Equal(got, want) {
		t.Fatalf("lines %v, want %v", got, want)
	}
}
