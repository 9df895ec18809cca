package sim

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
)

// Sheet is a field rep's feedback spreadsheet (M5): the CSV that
// [leadline.Engine.ExportFeedback] writes, as rows of cells a person edits,
// to be imported back with [Sim.Import].
type Sheet struct {
	Header []string
	Rows   [][]string
}

// ExportSheet exports the feedback sheet v may fill in for campaign, or
// for every campaign when campaign is "" (M5).
func (s *Sim) ExportSheet(ctx context.Context, v routing.Viewer, campaign string) (Sheet, error) {
	var b bytes.Buffer
	if _, err := s.eng.ExportFeedback(ctx, v, &b, campaign); err != nil {
		return Sheet{}, fmt.Errorf("sim: export sheet of %s: %w", v.Rep, err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(recs) == 0 {
		return Sheet{}, fmt.Errorf("sim: sheet of %s: %v", v.Rep, err)
	}
	return Sheet{Header: recs[0], Rows: recs[1:]}, nil
}

// Cell returns row i's cell in column col, "" if the sheet has no such
// column.
func (sh Sheet) Cell(i int, col string) string {
	if c := slices.Index(sh.Header, col); c >= 0 {
		return sh.Rows[i][c]
	}
	return ""
}

func (sh Sheet) set(i int, col, v string) {
	if c := slices.Index(sh.Header, col); c >= 0 {
		sh.Rows[i][c] = v
	}
}

// Fill writes f into row i as a person types it: "yes" or "no", "In
// progress", "done", an opportunity's key and the comment.
func (sh Sheet) Fill(i int, f lead.Feedback) {
	sh.set(i, routing.ColTarget, map[bool]string{true: "yes", false: "no"}[f.Target])
	sh.set(i, routing.ColState, map[lead.FollowState]string{lead.NotStarted: "Not started", lead.InProgress: "In progress", lead.Done: "done"}[f.State])
	sh.set(i, routing.ColOpportunity, f.Opportunity.String())
	sh.set(i, routing.ColComment, f.Comment)
}

// Broken returns a copy of sh with the mistakes of a hurried afternoon: a
// typo in the first row's state, "maybe" for the second row's opportunity,
// and the first row pasted again at the end. Its import is refused whole,
// with every bad line named (M5). A sheet with no rows comes back as it is.
func (sh Sheet) Broken() Sheet {
	bad := Sheet{Header: slices.Clone(sh.Header)}
	for _, r := range sh.Rows {
		bad.Rows = append(bad.Rows, slices.Clone(r))
	}
	if len(bad.Rows) == 0 {
		return bad
	}
	bad.Rows = append(bad.Rows, slices.Clone(bad.Rows[0]))
	bad.set(0, routing.ColState, "in progres")
	if len(sh.Rows) > 1 {
		bad.set(1, routing.ColOpportunity, "maybe")
	}
	return bad
}

// CSV returns the sheet as CSV, header first.
func (sh Sheet) CSV() string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(sh.Header) // a strings.Builder does not fail
	_ = w.WriteAll(sh.Rows)
	return b.String()
}

// Import imports sh as v under importID and returns how many rows it
// applied (M5); an import the engine refuses returns its error, a
// *routing.ImportError for bad cells, and applies nothing.
func (s *Sim) Import(ctx context.Context, v routing.Viewer, sh Sheet, importID string) (int, error) {
	return s.eng.ImportFeedback(ctx, v, strings.NewReader(sh.CSV()), importID)
}

// Watch reads a [Snapshot], runs f, and reads another: equal snapshots show
// that f wrote nothing, as a refused import or a repeated event must not
// (E2). The error is a snapshot's; f keeps its own.
func (s *Sim) Watch(ctx context.Context, f func()) (before, after Snapshot, err error) {
	if before, err = s.Snapshot(ctx); err != nil {
		return nil, nil, err
	}
	f()
	after, err = s.Snapshot(ctx)
	return before, after, err
}
