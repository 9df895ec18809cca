package sim

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/leadline/leadline/report"
)

// Table writes rows, a slice of one of package report's row types, as a
// text table of the columns cols (their CSV and JSON names; every column
// when cols is empty), each line indented by indent and the columns
// aligned: what [report.WriteCSV] writes with o, laid out for a terminal.
// An empty slice writes the header alone. A column rows lack is an error,
// kept as the printer's.
func (p *Printer) Table(indent string, rows any, o report.WriteOptions, cols ...string) {
	if p.err != nil {
		return
	}
	var b bytes.Buffer
	o.LF, o.BOM = true, false
	if p.err = report.WriteCSV(&b, rows, o); p.err != nil {
		return
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(recs) == 0 {
		p.err = fmt.Errorf("sim: table: %v", err)
		return
	}
	idx := make([]int, 0, len(recs[0]))
	if len(cols) == 0 {
		cols = recs[0]
	}
	for _, c := range cols {
		i := slices.Index(recs[0], c)
		if i < 0 {
			p.err = fmt.Errorf("sim: table: no column %q in %s", c, strings.Join(recs[0], ","))
			return
		}
		idx = append(idx, i)
	}
	tw := tabwriter.NewWriter(p.W, 0, 0, 2, ' ', 0)
	for _, rec := range recs {
		cells := make([]string, len(idx))
		for j, i := range idx {
			cells[j] = rec[i]
		}
		fmt.Fprintf(tw, "%s%s\n", indent, strings.TrimRight(strings.Join(cells, "\t"), "\t"))
	}
	p.err = tw.Flush()
}
