package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
)

// This file is M5's spreadsheet: field reps who keep their feedback in a
// sheet export it, fill it in, and import it back.

// feedbackSheets: each spreadsheet rep exports their sheet, fills it in
// and imports it. fs-goto's first attempt has typos and a pasted
// duplicate row: the import refuses it whole, names every bad line, and
// changes nothing; the corrected sheet goes in.
func (s *world) feedbackSheets(ctx context.Context, at time.Time) error {
	for i, rep := range sheetReps {
		v := routing.Viewer{Rep: rep, Team: s.org.Field.ID, Role: routing.RoleField}
		var out bytes.Buffer
		n, err := s.eng.ExportFeedback(ctx, v, &out, "")
		if err != nil {
			return err
		}
		st := sheetStory{rep: rep, exported: n}
		recs, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			return fmt.Errorf("feedback sheet of %s: %w", rep, err)
		}
		col := columns(recs[0])
		for _, rec := range recs[1:] {
			if s.handedOff(rec[col[routing.ColLead]]) || s.rng.Float64() < 0.15 {
				// A Pre-SQL is answered by accepting or rejecting it
				// (M10); other rows the rep has not got round to. Either
				// way the row goes back as it was.
				continue
			}
			fillRow(rec, col, s.drawFeedback())
		}
		good := writeCSV(recs)
		if i == 0 && len(recs) > 1 {
			st.bad = writeCSV(breakSheet(recs, col))
			if st.before, err = s.Snapshot(ctx); err != nil {
				return err
			}
			_, st.badErr = s.eng.ImportFeedback(ctx, v, bytes.NewReader([]byte(st.bad)), fmt.Sprintf("sheet/%s/%s/1", rep, at.Format("0102")))
			if _, ok := errors.AsType[*routing.ImportError](st.badErr); !ok {
				return fmt.Errorf("broken sheet of %s imported: %v, want a *routing.ImportError", rep, st.badErr)
			}
			if st.after, err = s.Snapshot(ctx); err != nil {
				return err
			}
		}
		st.applied, err = s.eng.ImportFeedback(ctx, v, bytes.NewReader([]byte(good)), fmt.Sprintf("sheet/%s/%s/2", rep, at.Format("0102")))
		if err != nil {
			return fmt.Errorf("feedback sheet of %s: %w", rep, err)
		}
		s.sheets = append(s.sheets, st)
	}
	return nil
}

// columns maps the header's column names to their indexes.
func columns(header []string) map[string]int {
	col := make(map[string]int, len(header))
	for i, name := range header {
		col[name] = i
	}
	return col
}

// fillRow writes f into a sheet row as a person would type it.
func fillRow(rec []string, col map[string]int, f lead.Feedback) {
	rec[col[routing.ColTarget]] = map[bool]string{true: "yes", false: "no"}[f.Target]
	rec[col[routing.ColState]] = map[lead.FollowState]string{lead.NotStarted: "Not started", lead.InProgress: "In progress", lead.Done: "done"}[f.State]
	rec[col[routing.ColOpportunity]] = f.Opportunity.String()
	rec[col[routing.ColComment]] = f.Comment
}

// breakSheet returns a copy of recs with the mistakes of a hurried
// afternoon: a typo in a state, a "maybe" for an opportunity, and a row
// pasted twice.
func breakSheet(recs [][]string, col map[string]int) [][]string {
	bad := make([][]string, len(recs))
	for i, rec := range recs {
		bad[i] = slices.Clone(rec)
	}
	bad = append(bad, slices.Clone(bad[1]))
	bad[1][col[routing.ColState]] = "in progres"
	if len(bad) > 3 {
		bad[2][col[routing.ColOpportunity]] = "maybe"
	}
	return bad
}

func writeCSV(recs [][]string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.WriteAll(recs) // a bytes.Buffer does not fail
	return b.String()
}

// handedOff reports whether id is one of the week's Pre-SQLs.
func (s *world) handedOff(id string) bool {
	return slices.ContainsFunc(s.handoffs, func(h handoffStory) bool { return h.lead == id })
}
