package routing

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
)

// This file is the field feedback sheet of rule M5: where a tool cannot
// route per campaign, field sales keeps its feedback in a spreadsheet, and
// the sheet travels as CSV.

// FeedbackRow is one row of the field feedback sheet (M5): a lead routed
// to field sales, what it responded to, and field sales' feedback on it.
type FeedbackRow struct {
	Lead      string    // lead_id, required
	Company   string    // company (export only; ignored on import)
	Campaign  string    // campaign (export only)
	Responded time.Time // responded_at, RFC 3339 (export only)
	Owner     string    // owner (export only)
	// Line is the 1-based line of the CSV the row starts on, set by
	// [ReadFeedbackCSV] so that whoever applies the rows can report a
	// problem where the user will look for it; [WriteFeedbackCSV] ignores
	// it.
	Line int
	// Feedback is follow_up_target (yes/no), follow_up_state
	// (not_started, in_progress, done), opportunity (yes, no or empty)
	// and comment. By and At are not on the sheet: the import leaves them
	// zero and whoever applies the rows fills them.
	Feedback lead.Feedback
}

// The columns of the feedback sheet, in the order [WriteFeedbackCSV]
// writes them.
const (
	ColLead        = "lead_id"
	ColCompany     = "company"
	ColCampaign    = "campaign"
	ColResponded   = "responded_at"
	ColOwner       = "owner"
	ColTarget      = "follow_up_target"
	ColState       = "follow_up_state"
	ColOpportunity = "opportunity"
	ColComment     = "comment"
)

// feedbackHeader is the sheet's header row.
var feedbackHeader = []string{ColLead, ColCompany, ColCampaign, ColResponded, ColOwner, ColTarget, ColState, ColOpportunity, ColComment}

// The column indexes of feedbackHeader.
const (
	iLead = iota
	iCompany
	iCampaign
	iResponded
	iOwner
	iTarget
	iState
	iOpportunity
	iComment
	numCols
)

// exportOnly reports whether column i is written for the reader's benefit
// and ignored on import.
func exportOnly(i int) bool { return i >= iCompany && i <= iOwner }

// The limits of a feedback sheet: it is a spreadsheet, not a data lake.
const (
	// MaxFeedbackRows is the most data rows a sheet may have.
	MaxFeedbackRows = 100_000
	// MaxFeedbackField is the most bytes one field may hold, as the CSV
	// holds it.
	MaxFeedbackField = 10_000
)

// maxRecordBytes bounds the raw bytes of one CSV record, blank lines before
// it included, so that a runaway quoted field cannot make the import hold
// gigabytes before it can refuse the field. Nine fields of
// MaxFeedbackField bytes, every byte a doubled quote, fit with room to
// spare.
const maxRecordBytes = 1 << 20

// maxColumns bounds the header: a sheet with more columns than this is
// refused as a whole rather than column by column.
const maxColumns = 100

// Pseudo-fields of a [leaderr.FieldError] in an [ImportError] that is about
// the header or a whole row rather than one column.
const (
	FieldHeader = "header" // the header row: a missing, unknown or duplicate column
	FieldRow    = "row"    // a whole row: malformed CSV, a wrong number of fields, too many rows
)

// ImportError reports every problem [ReadFeedbackCSV] found in a sheet,
// in line order. Each is a [*leaderr.FieldError] whose Line is the 1-based
// line of the CSV where the problem is (the header is usually line 1; a
// quoted comment may span lines) and whose Field is the column's name,
// or [FieldHeader] or [FieldRow].
//
// errors.Is(err, [leaderr.ErrInvalid]) holds, and errors.AsType[*leaderr.FieldError]
// finds the first problem; range over Errs for all of them.
type ImportError struct {
	Errs []*leaderr.FieldError
}

// Error lists every problem, one a line:
//
//	routing: feedback csv: 2 problems, nothing imported
//	line 4: follow_up_state: unknown follow_up_state "startd"; want ...
//	line 7: lead_id: duplicate of line 3
func (e *ImportError) Error() string {
	var b strings.Builder
	n := len(e.Errs)
	if n == 1 {
		b.WriteString("routing: feedback csv: 1 problem, nothing imported")
	} else {
		fmt.Fprintf(&b, "routing: feedback csv: %d problems, nothing imported", n)
	}
	for _, fe := range e.Errs {
		fmt.Fprintf(&b, "\nline %d: %s: %v", fe.Line, fe.Field, fe.Err)
	}
	return b.String()
}

// Unwrap returns every problem, so that errors.Is and errors.AsType look
// into each.
func (e *ImportError) Unwrap() []error {
	errs := make([]error, len(e.Errs))
	for i, fe := range e.Errs {
		errs[i] = fe
	}
	return errs
}

// WriteFeedbackCSV writes the field feedback sheet (rule M5, our CSV
// export) to w: the header
//
//	lead_id,company,campaign,responded_at,owner,follow_up_target,follow_up_state,opportunity,comment
//
// then one row per element of rows, in order. follow_up_target is "yes" or
// "no", follow_up_state its key ("not_started", "in_progress", "done"),
// opportunity "yes", "no" or empty, responded_at RFC 3339 in the instant's
// own zone (empty for the zero time). Lines end in LF.
//
// The sheet is meant for a spreadsheet, so two things are done to text
// cells that [ReadFeedbackCSV] undoes: line breaks in a cell are written as
// LF (a CR LF or a lone CR becomes LF, which is all CSV can carry back),
// and a cell that starts with =, +, -, @ or a tab, which a spreadsheet
// would run as a formula, gets a leading apostrophe. Read(Write(rows))
// therefore gives back every row's lead id and feedback exactly, comment
// line breaks as LF.
//
// WriteFeedbackCSV checks every row before it writes anything and refuses
// what ReadFeedbackCSV would refuse: an empty or space-padded lead id, or
// one with a line break or another control character, a duplicate lead id, an unknown state or outcome, text that is not UTF-8,
// a field over [MaxFeedbackField] bytes, more than [MaxFeedbackRows] rows.
// The error is a [*leaderr.FieldError] naming the row, "rows[3].comment".
//
// Excel opens a CSV without a byte-order mark in the system's code page
// (Shift_JIS on a Japanese Windows); to have it read Japanese text as
// UTF-8, write "\ufeff" to w first. ReadFeedbackCSV skips it.
func WriteFeedbackCSV(w io.Writer, rows []FeedbackRow) error {
	if len(rows) > MaxFeedbackRows {
		return leaderr.Errorf("rows", "%d rows; a sheet holds at most %d", len(rows), MaxFeedbackRows)
	}
	records := make([][]string, 0, len(rows)+1)
	records = append(records, feedbackHeader)
	seen := make(map[string]int, len(rows))
	for i, row := range rows {
		rec, fe := feedbackRecord(row)
		if fe != nil {
			return &leaderr.FieldError{Field: fmt.Sprintf("rows[%d].%s", i, fe.Field), Err: fe.Err}
		}
		if j, dup := seen[row.Lead]; dup {
			return leaderr.Errorf(fmt.Sprintf("rows[%d].%s", i, ColLead), "duplicate of rows[%d]: lead %q", j, row.Lead)
		}
		seen[row.Lead] = i
		records = append(records, rec)
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(records); err != nil {
		return fmt.Errorf("routing: write feedback csv: %w", err)
	}
	return nil
}

// feedbackRecord returns row's cells, or a *leaderr.FieldError naming the
// column.
func feedbackRecord(row FeedbackRow) ([]string, *leaderr.FieldError) {
	if err := checkLeadID(row.Lead); err != nil {
		return nil, err
	}
	if err := lead.CheckText(ColComment, row.Feedback.Comment, lead.MaxCommentBytes); err != nil {
		fe, _ := errors.AsType[*leaderr.FieldError](err)
		return nil, fe // what the import would refuse is not written (E6)
	}
	state, err := row.Feedback.State.MarshalText()
	if err != nil {
		return nil, leaderr.Errorf(ColState, "unknown follow-up state %d", uint8(row.Feedback.State))
	}
	opp, err := row.Feedback.Opportunity.MarshalText()
	if err != nil {
		return nil, leaderr.Errorf(ColOpportunity, "unknown outcome %d", uint8(row.Feedback.Opportunity))
	}
	target := "no"
	if row.Feedback.Target {
		target = "yes"
	}
	var responded string
	if !row.Responded.IsZero() {
		responded = row.Responded.Format(time.RFC3339)
	}
	rec := make([]string, numCols)
	rec[iLead] = EscapeCell(row.Lead)
	rec[iCompany] = EscapeCell(canonLines(row.Company))
	rec[iCampaign] = EscapeCell(canonLines(row.Campaign))
	rec[iResponded] = responded
	rec[iOwner] = EscapeCell(canonLines(row.Owner))
	rec[iTarget] = target
	rec[iState] = string(state)
	rec[iOpportunity] = string(opp)
	rec[iComment] = EscapeCell(canonLines(row.Feedback.Comment))
	for i, v := range rec {
		if err := checkCell(v); err != nil {
			err.Field = feedbackHeader[i]
			return nil, err
		}
	}
	return rec, nil
}

// checkLeadID refuses a lead id the sheet cannot carry back exactly: the
// rule of every id ([lead.CheckID]), so that a lead Handle accepted can
// always be exported (E6, M5).
func checkLeadID(id string) *leaderr.FieldError {
	if id == "" {
		return leaderr.Errorf(ColLead, "required")
	}
	if err := lead.CheckID(ColLead, id); err != nil {
		fe, _ := errors.AsType[*leaderr.FieldError](err)
		return fe
	}
	return nil
}

// checkCell refuses a cell, as the CSV holds it, that is too long or not
// UTF-8. The caller sets Field.
func checkCell(v string) *leaderr.FieldError {
	switch {
	case len(v) > MaxFeedbackField:
		return &leaderr.FieldError{Err: fmt.Errorf("%d bytes; a field holds at most %d", len(v), MaxFeedbackField)}
	case !utf8.ValidString(v):
		return &leaderr.FieldError{Err: errors.New(`not valid UTF-8; save the sheet as "CSV UTF-8"`)}
	}
	return nil
}

// canonLines writes every line break of s as LF.
func canonLines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// formulaLike reports whether a spreadsheet would take a cell holding s
// for a formula, or s is such a cell already escaped with apostrophes.
func formulaLike(s string) bool {
	for len(s) > 0 && s[0] == '\'' {
		s = s[1:]
	}
	return s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0
}

// EscapeCell puts an apostrophe before a cell a spreadsheet would run as
// a formula (CSV injection: a company named "=HYPERLINK(...)" from a web
// form must not run in the sales-ops' Excel). Every CSV leadline writes
// escapes its text cells so, the feedback sheet and the reports alike;
// the sheet's import takes the apostrophe off again, so that reading a
// written sheet gives back every cell as it was.
func EscapeCell(s string) string {
	if formulaLike(s) {
		return "'" + s
	}
	return s
}

// unescapeCell removes the apostrophe EscapeCell added.
func unescapeCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && formulaLike(s[1:]) {
		return s[1:]
	}
	return s
}

// ReadFeedbackCSV reads a field feedback sheet (rule M5, our CSV
// import) as [WriteFeedbackCSV] writes it, or as a spreadsheet saves it
// back:
//
//   - A UTF-8 byte-order mark (Excel's "CSV UTF-8") is skipped; CR LF and
//     LF line ends are both fine; blank lines, and rows whose every cell is
//     blank, are skipped.
//   - The header names the columns, in any order, in any case. lead_id,
//     follow_up_target, follow_up_state, opportunity and comment are
//     required; company, campaign, responded_at and owner may be there and
//     are ignored; any other column is an error.
//   - lead_id is trimmed and required, holds no line break or other
//     control character, and may appear once in a sheet: a second row for
//     a lead is an error on the later line.
//   - follow_up_target is yes or no, also y/n, true/false, 1/0, in any
//     case; opportunity the same or empty (not known yet).
//   - follow_up_state is not_started, in_progress or done, in any case,
//     with spaces or hyphens for the underscore ("In progress").
//   - comment is kept as it is, commas, quotes, line breaks (read as LF)
//     and Japanese included; it may be empty.
//   - Every field must be UTF-8 and at most [MaxFeedbackField] bytes, and
//     the sheet at most [MaxFeedbackRows] rows; a lead id follows
//     [lead.CheckID] and a comment is at most [lead.MaxCommentBytes] bytes,
//     so that every sheet it accepts can be exported again.
//
// It validates every row before it returns any: if one is bad it returns
// nil and an [*ImportError] listing every problem with its line and
// column, so a field team can fix the sheet in one pass. An error reading
// r is returned wrapped as it is. The rows come back in the sheet's order,
// with Lead and Feedback set (Feedback.By and At zero) and the export-only
// fields zero.
func ReadFeedbackCSV(r io.Reader) ([]FeedbackRow, error) {
	lim := &recordLimit{r: r, max: maxRecordBytes}
	cr := csv.NewReader(lim)
	cr.FieldsPerRecord = -1 // checked here, so a short row does not stop the import
	imp := &importer{cr: cr, lim: lim}
	return imp.read()
}

// importer holds the state of one ReadFeedbackCSV.
type importer struct {
	cr   *csv.Reader
	lim  *recordLimit
	errs []*leaderr.FieldError
	line int // the line of the last record read, for errors with no position
}

func (im *importer) fail(line int, field, format string, args ...any) {
	fe := leaderr.Errorf(field, format, args...)
	fe.Line = line
	im.errs = append(im.errs, fe)
}

func (im *importer) result(rows []FeedbackRow) ([]FeedbackRow, error) {
	if len(im.errs) > 0 {
		return nil, &ImportError{Errs: im.errs}
	}
	return rows, nil
}

// next reads a record. It returns ok false at the end of the input or
// after recording a problem that stops the import, and a non-nil error
// only for a failure to read the input.
func (im *importer) next() (rec []string, ok bool, err error) {
	rec, err = im.cr.Read()
	im.lim.mark(im.cr.InputOffset())
	switch {
	case err == nil:
		im.line, _ = im.cr.FieldPos(0)
		return rec, true, nil
	case err == io.EOF:
		return nil, false, nil
	case errors.Is(err, errRecordTooLong):
		im.fail(im.line+1, FieldRow, "a row runs past %d bytes; a field holds at most %d", maxRecordBytes, MaxFeedbackField)
		return nil, false, nil
	}
	if pe, isParse := errors.AsType[*csv.ParseError](err); isParse {
		// The row that starts at StartLine is the one to fix; an
		// unclosed quote is only noticed at the end of the input.
		line := max(pe.StartLine, 1)
		if pe.Line != pe.StartLine {
			im.fail(line, FieldRow, "malformed CSV in the row that starts here, at line %d, column %d: %w", pe.Line, pe.Column, pe.Err)
		} else {
			im.fail(line, FieldRow, "malformed CSV at column %d: %w", pe.Column, pe.Err)
		}
		return nil, false, nil
	}
	return nil, false, fmt.Errorf("routing: read feedback csv: %w", err)
}

func (im *importer) read() ([]FeedbackRow, error) {
	// The header.
	if err := im.lim.skipBOM(); err != nil {
		return nil, fmt.Errorf("routing: read feedback csv: %w", err)
	}
	head, ok, err := im.next()
	if err != nil {
		return nil, err
	}
	if !ok {
		if len(im.errs) == 0 {
			im.fail(1, FieldHeader, "empty sheet; want the header %s", strings.Join(feedbackHeader, ","))
		}
		return im.result(nil)
	}
	if len(head) > maxColumns {
		im.fail(im.line, FieldHeader, "%d columns; the sheet has %d: %s", len(head), numCols, strings.Join(feedbackHeader, ","))
		return im.result(nil)
	}
	cols := im.header(head)
	if len(im.errs) > 0 {
		return im.result(nil)
	}

	// The rows: every one is checked before any is returned.
	var rows []FeedbackRow
	seen := make(map[string]int) // lead id -> line
	n := 0
	for {
		rec, ok, err := im.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if blankRecord(rec) {
			continue
		}
		if n++; n > MaxFeedbackRows {
			im.fail(im.line, FieldRow, "more than %d rows; split the sheet", MaxFeedbackRows)
			break
		}
		if len(rec) != len(head) {
			im.fail(im.line, FieldRow, "%d fields, the header has %d", len(rec), len(head))
			continue
		}
		row, good := im.row(rec, cols)
		if row.Lead != "" && checkLeadID(row.Lead) == nil {
			// A lead's first row counts even when another of its
			// fields is bad, so that both problems are reported.
			if prev, dup := seen[row.Lead]; dup {
				line, _ := im.cr.FieldPos(cols[iLead])
				im.fail(line, ColLead, "duplicate of line %d: lead %q", prev, row.Lead)
				continue
			}
			seen[row.Lead], _ = im.cr.FieldPos(cols[iLead])
		}
		if good && len(im.errs) == 0 {
			row.Line, _ = im.cr.FieldPos(0)
			rows = append(rows, row)
		}
	}
	return im.result(rows)
}

// header maps each column of feedbackHeader to its index in head, -1 when
// absent, recording every unknown, duplicate or missing column.
func (im *importer) header(head []string) [numCols]int {
	var cols [numCols]int
	for i := range cols {
		cols[i] = -1
	}
	for j, name := range head {
		line, _ := im.cr.FieldPos(j)
		if err := checkCell(name); err != nil {
			im.fail(line, FieldHeader, "column %d: %v", j+1, err.Err)
			continue
		}
		key := strings.ToLower(strings.TrimSpace(name))
		i := slices.Index(feedbackHeader, key)
		switch {
		case key == "":
			im.fail(line, FieldHeader, "column %d has no name; want one of %s", j+1, strings.Join(feedbackHeader, ", "))
		case i < 0:
			im.fail(line, FieldHeader, "unknown column %s; want one of %s", leaderr.Quote(name), strings.Join(feedbackHeader, ", "))
		case cols[i] >= 0:
			im.fail(line, FieldHeader, "column %q appears twice (columns %d and %d)", key, cols[i]+1, j+1)
		default:
			cols[i] = j
		}
	}
	line, _ := im.cr.FieldPos(0)
	for i, name := range feedbackHeader {
		if cols[i] < 0 && !exportOnly(i) {
			im.fail(line, FieldHeader, "missing column %q", name)
		}
	}
	return cols
}

// row parses one record, recording a problem for each bad field.
func (im *importer) row(rec []string, cols [numCols]int) (FeedbackRow, bool) {
	var row FeedbackRow
	good := true
	bad := func(i int, err error) {
		line, _ := im.cr.FieldPos(cols[i])
		im.fail(line, feedbackHeader[i], "%w", err)
		good = false
	}
	for i, j := range cols {
		if j < 0 {
			continue
		}
		if err := checkCell(rec[j]); err != nil {
			bad(i, err.Err)
			cols[i] = -1 // one problem per field is enough
		}
	}
	if j := cols[iLead]; j >= 0 {
		row.Lead = unescapeCell(strings.TrimFunc(rec[j], unicode.IsSpace))
		if fe := checkLeadID(row.Lead); fe != nil {
			bad(iLead, fe.Err)
		}
	}
	if j := cols[iTarget]; j >= 0 {
		switch v, known := parseYesNo(rec[j]); {
		case !known || v == lead.OutcomeUnknown:
			bad(iTarget, fmt.Errorf("want yes or no, got %s", cellShape(rec[j])))
		default:
			row.Feedback.Target = v == lead.OutcomeYes
		}
	}
	if j := cols[iState]; j >= 0 {
		if err := parseState(rec[j], &row.Feedback.State); err != nil {
			bad(iState, err)
		}
	}
	if j := cols[iOpportunity]; j >= 0 {
		v, known := parseYesNo(rec[j])
		if !known {
			bad(iOpportunity, fmt.Errorf("want yes, no or empty, got %s", cellShape(rec[j])))
		}
		row.Feedback.Opportunity = v
	}
	if j := cols[iComment]; j >= 0 {
		row.Feedback.Comment = canonLines(unescapeCell(rec[j]))
		// The rule Handle and the export apply: a comment the export
		// would escape past a cell's limit is refused here (E6, M5).
		if err := lead.CheckText(ColComment, row.Feedback.Comment, lead.MaxCommentBytes); err != nil {
			fe, _ := errors.AsType[*leaderr.FieldError](err)
			bad(iComment, fe.Err)
		}
	}
	return row, good
}

// cellShape describes a refused cell without quoting it: a comment typed
// into the wrong column must not land in an error message or a log
// (M2, E6). The line and the column say where to look.
func cellShape(v string) string {
	if strings.TrimSpace(v) == "" {
		return "a blank cell"
	}
	return fmt.Sprintf("a %d-character value", utf8.RuneCountInString(v))
}

// parseYesNo parses yes/no in the spellings spreadsheets use; "" is
// unknown. known is false for anything else.
func parseYesNo(s string) (v lead.Outcome, known bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return lead.OutcomeUnknown, true
	case "yes", "y", "true", "1":
		return lead.OutcomeYes, true
	case "no", "n", "false", "0":
		return lead.OutcomeNo, true
	}
	return lead.OutcomeUnknown, false
}

// parseState parses a follow-up state: its key, in any case, with runs of
// spaces, hyphens or underscores between the words.
func parseState(s string, st *lead.FollowState) error {
	words := strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' || unicode.IsSpace(r) })
	key := strings.Join(words, "_")
	if err := st.UnmarshalText([]byte(key)); err != nil {
		return fmt.Errorf("want not_started, in_progress or done, got %s", cellShape(s))
	}
	return nil
}

// blankRecord reports whether every cell of rec is blank: a row a
// spreadsheet keeps because its cells were once formatted.
func blankRecord(rec []string) bool {
	for _, v := range rec {
		if strings.TrimFunc(v, unicode.IsSpace) != "" {
			return false
		}
	}
	return true
}

// errRecordTooLong is returned by a recordLimit when a record runs past
// its bound.
var errRecordTooLong = errors.New("record too long")

// recordLimit reads from r but fails once more than max bytes (plus what
// a buffered reader reads ahead) were read past the end of the last
// record, so that csv.Reader never holds a runaway field in memory.
type recordLimit struct {
	r    io.Reader
	n    int64 // bytes read so far
	base int64 // offset of the end of the last record, BOM included
	bom  int64 // bytes of BOM skipped
	max  int64
}

// readAhead is what csv.Reader's bufio.Reader may read beyond the record
// it returns.
const readAhead = 4096

func (l *recordLimit) Read(p []byte) (int, error) {
	if l.n-l.base > l.max+readAhead {
		return 0, errRecordTooLong
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

// mark records that csv.Reader has consumed the input up to offset (its
// InputOffset, which does not count the BOM).
func (l *recordLimit) mark(offset int64) { l.base = offset + l.bom }

// skipBOM drops a leading UTF-8 byte-order mark, as Excel's "CSV UTF-8"
// writes one.
func (l *recordLimit) skipBOM() error {
	const bom = "\ufeff"
	var buf [len(bom)]byte
	n, err := io.ReadFull(l.r, buf[:])
	l.n += int64(n)
	switch {
	case err == io.EOF, err == io.ErrUnexpectedEOF:
	case err != nil:
		return err
	}
	if n == len(bom) && string(buf[:]) == bom {
		l.bom = int64(n)
		l.base = l.bom
		return nil
	}
	// Not a BOM: put the bytes back in front of the rest.
	l.r = io.MultiReader(strings.NewReader(string(buf[:n])), l.r)
	l.n -= int64(n)
	return nil
}
