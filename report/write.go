package report

import (
	"bufio"
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/leadline/leadline/routing"
	"github.com/shopspring/decimal"
)

// WriteOptions say how [WriteCSV] and [WriteJSON] format values (V8).
type WriteOptions struct {
	// Zone is the zone times are written in, as RFC 3339. Defaults to
	// UTC; pass the report's Frame.Zone.
	Zone *time.Location
	// Places is how many decimal places scores are written with, rounded
	// half away from zero (decimal's StringFixed). Defaults to 2; see
	// WholeScores for none.
	Places int32
	// WholeScores writes scores with no decimal places.
	WholeScores bool
	// LF ends CSV lines with "\n" rather than RFC 4180's "\r\n".
	LF bool
	// BOM starts a CSV with a UTF-8 byte-order mark, which Excel on a
	// Japanese Windows machine needs to read UTF-8 rather than Shift JIS.
	BOM bool
}

func (o *WriteOptions) places() int32 {
	switch {
	case o.WholeScores:
		return 0
	case o.Places > 0:
		return o.Places
	}
	return 2
}

// WriteCSV writes rows, a slice of one of the report's row types, as CSV
// (RFC 4180: CRLF line ends unless o.LF, quotes where needed): a header row of the rows' JSON field names,
// in the type's field order, then one line per row (V8). Decimals have
// fixed places, times are RFC 3339 in o.Zone (empty when zero), durations
// are hours with two places, enums their keys. A text cell a spreadsheet
// would take for a formula (starting with =, +, -, @, a tab or a carriage
// return) gets a leading apostrophe ([routing.EscapeCell]); numbers are
// written as they are. A line break inside a quoted cell is written with
// the file's line end, and a carriage return alone is kept as it is.
func WriteCSV(w io.Writer, rows any, o WriteOptions) error {
	v, t, err := rowsOf(rows)
	if err != nil {
		return err
	}
	if o.BOM {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return fmt.Errorf("report: write csv: %w", err)
		}
	}
	cw := &csvWriter{w: bufio.NewWriter(w), crlf: !o.LF}
	fs := fields(t)
	rec := make([]string, len(fs))
	for i, f := range fs {
		rec[i] = f.name
	}
	if err := cw.Write(rec); err != nil {
		return fmt.Errorf("report: write csv: %w", err)
	}
	for i := range v.Len() {
		row := v.Index(i)
		for j, f := range fs {
			s, number, err := format(row.Field(f.index), &o)
			if err != nil {
				return fmt.Errorf("report: write csv: row %d: %s: %w", i, f.name, err)
			}
			if !number {
				// Text from outside (a company, a name, a reason) never
				// runs as a formula in the reader's spreadsheet.
				s = routing.EscapeCell(s)
			}
			rec[j] = s
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("report: write csv: %w", err)
		}
	}
	if err := cw.w.Flush(); err != nil {
		return fmt.Errorf("report: write csv: %w", err)
	}
	return nil
}

// csvWriter writes CSV records as encoding/csv's Writer does, but for
// one thing: with CRLF line ends, encoding/csv drops a carriage return
// that no line feed follows, and RFC 4180 allows it in a quoted field
// (V8). A line feed alone is written as the line end, CRLF or LF.
type csvWriter struct {
	w    *bufio.Writer
	crlf bool
}

// Write writes rec as one line; errors are the bufio.Writer's, sticky,
// and returned again by its Flush.
func (cw *csvWriter) Write(rec []string) error {
	w := cw.w
	for i, f := range rec {
		if i > 0 {
			w.WriteByte(',')
		}
		if !csvNeedsQuotes(f) {
			w.WriteString(f)
			continue
		}
		w.WriteByte('"')
		for len(f) > 0 {
			j := strings.IndexAny(f, "\"\n")
			if j < 0 {
				j = len(f)
			}
			w.WriteString(f[:j])
			if j < len(f) {
				switch {
				case f[j] == '"':
					w.WriteString(`""`)
				case cw.crlf && (j == 0 || f[j-1] != '\r'):
					w.WriteString("\r\n")
				default:
					w.WriteByte('\n')
				}
				j++
			}
			f = f[j:]
		}
		w.WriteByte('"')
	}
	if cw.crlf {
		w.WriteByte('\r')
	}
	return w.WriteByte('\n')
}

// csvNeedsQuotes reports whether f is quoted, as encoding/csv quotes it:
// when it holds a comma, a quote, a CR or an LF, starts with a space, or
// is \. (a line that ends data for PostgreSQL's COPY).
func csvNeedsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if f == `\.` || strings.ContainsAny(f, ",\"\r\n") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}

// WriteJSON writes rows as a JSON array of objects with the same fields,
// names and formats as [WriteCSV], in the same order; numbers (decimals,
// hours, counts) are JSON numbers, flags JSON booleans and an empty list
// is [] (V8).
func WriteJSON(w io.Writer, rows any, o WriteOptions) error {
	v, t, err := rowsOf(rows)
	if err != nil {
		return err
	}
	fs := fields(t)
	var b bytes.Buffer
	b.WriteString("[")
	for i := range v.Len() {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		row := v.Index(i)
		for j, f := range fs {
			if j > 0 {
				b.WriteString(", ")
			}
			s, num, err := format(row.Field(f.index), &o)
			if err != nil {
				return fmt.Errorf("report: write json: row %d: %s: %w", i, f.name, err)
			}
			k, _ := json.Marshal(f.name)
			b.Write(k)
			b.WriteString(": ")
			if num {
				b.WriteString(s)
			} else {
				q, _ := json.Marshal(s)
				b.Write(q)
			}
		}
		b.WriteString("}")
	}
	if v.Len() > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("report: write json: %w", err)
	}
	return nil
}

type field struct {
	name  string
	index int
}

func rowsOf(rows any) (reflect.Value, reflect.Type, error) {
	v := reflect.ValueOf(rows)
	if v.Kind() != reflect.Slice || v.Type().Elem().Kind() != reflect.Struct {
		return v, nil, fmt.Errorf("report: want a slice of report rows, got %T", rows)
	}
	return v, v.Type().Elem(), nil
}

func fields(t reflect.Type) []field {
	var fs []field
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("json")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		fs = append(fs, field{name, i})
	}
	return fs
}

var (
	decimalType  = reflect.TypeFor[decimal.Decimal]()
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
	textType     = reflect.TypeFor[encoding.TextMarshaler]()
)

// format returns v as text, and whether it is a JSON number or boolean,
// written as it is.
func format(v reflect.Value, o *WriteOptions) (string, bool, error) {
	switch v.Type() {
	case decimalType:
		return v.Interface().(decimal.Decimal).StringFixed(o.places()), true, nil
	case timeType:
		t := v.Interface().(time.Time)
		if t.IsZero() {
			return "", false, nil
		}
		zone := o.Zone
		if zone == nil {
			zone = time.UTC
		}
		return t.In(zone).Format(time.RFC3339), false, nil
	case durationType:
		h := decimal.NewFromInt(int64(v.Interface().(time.Duration))).Div(decimal.NewFromInt(int64(time.Hour)))
		return h.StringFixed(2), true, nil
	}
	if v.Type().Implements(textType) && v.Kind() != reflect.String {
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		return string(b), false, err
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), false, nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), true, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), true, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), true, nil
	}
	return fmt.Sprint(v.Interface()), false, nil
}
