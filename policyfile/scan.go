package policyfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leadline/leadline/leaderr"
)

// SyntaxError reports a problem at a place in the file that no field
// names: JSON that does not parse, or data after the policy object. Line
// and Column are 1-based; Column counts characters, not bytes, so a line
// of Japanese text points where an editor does.
type SyntaxError struct {
	Line, Column int
	Err          error
}

// Error reads "policyfile: line 3, column 7: invalid character ...".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("policyfile: line %d, column %d: %v", e.Line, e.Column, e.Err)
}

// Unwrap returns the cause.
func (e *SyntaxError) Unwrap() error { return e.Err }

// Is reports that every SyntaxError is an [leaderr.ErrInvalid]: a bad
// file is bad input (E6).
func (e *SyntaxError) Is(target error) bool { return target == leaderr.ErrInvalid }

// value is one JSON value of the file: where it starts and ends, its path
// in the file's names, and whether the format knows its type.
type value struct {
	start, end int
	path       string
	known      bool
}

// scan is one pass over a file's tokens, before it is decoded: it checks
// the syntax, that every key is one the format knows and is given once,
// that nothing follows the object, and records where each value is so
// that every later error can name its line.
type scan struct {
	src    []byte
	dec    *json.Decoder
	values []value
	at     map[string]int // path -> index in values, of its first value
	errs   []error
	depth  int // objects and arrays open at the token being read
	pos    position
}

// maxDepth is how deeply objects and arrays may nest in a policy file.
// The format's deepest value is a few levels down; the limit stops a
// hostile file of nested brackets from making paths whose total length
// grows with the square of its size.
const maxDepth = 32

// enter notes an object or array opened at off, refusing one nested
// deeper than maxDepth.
func (s *scan) enter(off int) error {
	if s.depth++; s.depth > maxDepth {
		return s.syntax(off, fmt.Errorf("objects and arrays nested more than %d deep; a policy file needs a few levels", maxDepth))
	}
	return nil
}

// scanFile scans src against the format whose root type is root. It
// returns the values found and every problem with keys; a syntax error
// stops it and is returned alone.
func scanFile(src []byte, root reflect.Type) (*scan, error) {
	s := &scan{src: src, dec: json.NewDecoder(bytes.NewReader(src)), at: make(map[string]int)}
	s.dec.UseNumber()
	off := s.next()
	tok, err := s.dec.Token()
	if err == io.EOF {
		return nil, s.syntax(off, errors.New("empty file; want a JSON object such as {\"version\": 1}"))
	}
	if err != nil {
		return nil, s.tokenErr(err)
	}
	if tok != json.Delim('{') {
		return nil, s.syntax(off, errors.New("a policy file is one JSON object, {...}"))
	}
	if err := s.object(off, "", root); err != nil {
		return nil, err
	}
	off = s.next()
	if _, err := s.dec.Token(); err != io.EOF {
		return nil, s.syntax(off, errors.New("data after the policy object; a file holds one object"))
	}
	return s, nil
}

// next returns the offset of the next token: past white space and the
// ',' and ':' the decoder consumes with the token after them.
func (s *scan) next() int {
	off := int(s.dec.InputOffset())
	for off < len(s.src) {
		switch s.src[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

// object reads the members of an object whose '{' was read at off.
func (s *scan) object(off int, path string, t reflect.Type) error {
	if err := s.enter(off); err != nil {
		return err
	}
	defer func() { s.depth-- }()
	i := s.add(value{start: off, path: path, known: t != nil})
	seen := make(map[string]bool)
	for s.dec.More() {
		koff := s.next()
		tok, err := s.dec.Token()
		if err != nil {
			return s.tokenErr(err)
		}
		key, _ := tok.(string)
		child := join(path, key)
		ct, ok := fieldType(t, key)
		if t != nil && !ok {
			s.errs = append(s.errs, s.unknown(koff, child, key, t))
		}
		if seen[key] {
			s.errs = append(s.errs, s.fieldErr(koff, child, errors.New("given twice; keep one")))
		}
		seen[key] = true
		if err := s.value(child, ct); err != nil {
			return err
		}
	}
	if _, err := s.dec.Token(); err != nil { // '}'
		return s.tokenErr(err)
	}
	s.values[i].end = int(s.dec.InputOffset())
	return nil
}

// value reads one value at path, of type t (nil when unknown).
func (s *scan) value(path string, t reflect.Type) error {
	off := s.next()
	tok, err := s.dec.Token()
	if err != nil {
		return s.tokenErr(err)
	}
	if t != nil && !fits(t, tok) {
		s.errs = append(s.errs, s.fieldErr(off, path, fmt.Errorf("want %s, got %s", kindName(t), tokenName(tok))))
		t = nil
	}
	switch tok {
	case json.Delim('{'):
		return s.object(off, path, t)
	case json.Delim('['):
		if err := s.enter(off); err != nil {
			return err
		}
		defer func() { s.depth-- }()
		i := s.add(value{start: off, path: path, known: t != nil})
		et := elemType(t)
		for n := 0; s.dec.More(); n++ {
			if err := s.value(fmt.Sprintf("%s[%d]", path, n), et); err != nil {
				return err
			}
		}
		if _, err := s.dec.Token(); err != nil { // ']'
			return s.tokenErr(err)
		}
		s.values[i].end = int(s.dec.InputOffset())
		return nil
	}
	s.add(value{start: off, end: int(s.dec.InputOffset()), path: path, known: t != nil})
	return nil
}

// add records v and returns its index.
func (s *scan) add(v value) int {
	i := len(s.values)
	s.values = append(s.values, v)
	if _, ok := s.at[v.path]; !ok {
		s.at[v.path] = i
	}
	return i
}

var rawType = reflect.TypeFor[json.RawMessage]()

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func elemType(t reflect.Type) reflect.Type {
	t = deref(t)
	if t == nil || t == rawType || t.Kind() != reflect.Slice {
		return nil
	}
	return t.Elem()
}

// fieldType returns the type of member key of an object of type t, and
// whether the format has it. Keys match exactly: "Version" is not
// "version", though encoding/json would take it.
func fieldType(t reflect.Type, key string) (reflect.Type, bool) {
	t = deref(t)
	if t == nil {
		return nil, false
	}
	switch t.Kind() {
	case reflect.Map:
		return t.Elem(), true
	case reflect.Struct:
		for f := range t.Fields() {
			if jsonName(f) == key {
				return f.Type, true
			}
		}
	}
	return nil, false
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// unknown reports key, which struct type t has no field for, with the
// nearest known name as a suggestion.
func (s *scan) unknown(off int, path, key string, t reflect.Type) error {
	var names []string
	for f := range deref(t).Fields() {
		names = append(names, jsonName(f))
	}
	msg := fmt.Sprintf("unknown field at column %d", s.column(off))
	if near := nearest(key, names); near != "" {
		msg += fmt.Sprintf("; did you mean %q?", near)
	}
	msg += " Known here: " + strings.Join(names, ", ")
	return &leaderr.FieldError{Field: path, Line: s.line(off), Err: errors.New(msg)}
}

// nearest returns the name closest to key by edit distance, or "" when
// none is close (more than a third of the letters differ).
func nearest(key string, names []string) string {
	best, bestD := "", len(key)/3+1
	for _, n := range names {
		d := distance(strings.ToLower(key), n)
		if len(key) >= 3 && (strings.HasPrefix(n, key) || strings.HasPrefix(key, n)) {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// distance is the Levenshtein distance of a and b, by bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// join returns the path of member key of the object at path:
// "cadence.stage1", or `routing.types["a.b"]` for a key a dotted path
// cannot show plainly (empty, or with dots, brackets, quotes or spaces).
func join(path, key string) string {
	if key == "" || strings.ContainsAny(key, ".[]\" \t\r\n") || strings.ContainsFunc(key, unicode.IsControl) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// tokenErr turns the decoder's error into a [*SyntaxError] at its offset.
func (s *scan) tokenErr(err error) error {
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return s.syntax(int(se.Offset), errors.New(strings.TrimPrefix(se.Error(), "json: ")))
	}
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return s.syntax(len(s.src), errors.New("the file ends inside the object; a '}' or ']' is missing"))
	}
	return s.syntax(int(s.dec.InputOffset()), err)
}

func (s *scan) syntax(off int, err error) error {
	return &SyntaxError{Line: s.line(off), Column: s.column(off), Err: err}
}

func (s *scan) fieldErr(off int, path string, err error) error {
	return &leaderr.FieldError{Field: path, Line: s.line(off), Err: err}
}

// line returns the 1-based line of offset off.
func (s *scan) line(off int) int { return s.position(off).line }

// column returns the 1-based column of offset off, in characters.
func (s *scan) column(off int) int { return s.position(off).column }

// position is an offset of the file with its 1-based line and column.
type position struct{ off, line, column int }

// position returns the line and column of offset off. It counts on from
// the last position asked for, as problems are mostly found in the
// order of the file: a file of a hundred thousand unknown fields on one
// line costs one pass over it, not one from its start per problem.
func (s *scan) position(off int) position {
	off = min(max(off, 0), len(s.src))
	p := s.pos
	if p.line == 0 || off < p.off {
		p = position{line: 1, column: 1}
	}
	for p.off < off {
		if s.src[p.off] == '\n' {
			p.line, p.column = p.line+1, 1
			p.off++
			continue
		}
		// A rune cut by off counts its bytes as one character each, as
		// utf8.RuneCount does.
		_, size := utf8.DecodeRune(s.src[p.off:off])
		p.off += size
		p.column++
	}
	s.pos = p
	return p
}

// lineOf returns the line of the value at path, or of its nearest
// enclosing value the file has: a missing field is reported on its
// object's line.
func (s *scan) lineOf(path string) int {
	for {
		if i, ok := s.at[path]; ok {
			return s.line(s.values[i].start)
		}
		i := max(strings.LastIndexAny(path, ".["), 0)
		if i == 0 {
			return 1
		}
		path = path[:i]
	}
}

// has reports whether the file gives a value at path.
func (s *scan) has(path string) bool {
	_, ok := s.at[path]
	return ok
}

// typeErr turns the decoder's type error into a [*leaderr.FieldError]
// naming the innermost known value that holds its offset.
func (s *scan) typeErr(e *json.UnmarshalTypeError) error {
	off := int(e.Offset)
	at := value{path: e.Field}
	for _, v := range s.values {
		if v.known && v.start < off && off <= v.end {
			at = v
		}
	}
	return &leaderr.FieldError{Field: at.path, Line: s.line(at.start),
		Err: fmt.Errorf("want %s, got %s", kindName(e.Type), e.Value)}
}

func kindName(t reflect.Type) string {
	t = deref(t)
	switch {
	case t == rawType:
		return "a number"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.Int:
		return "a whole number"
	case t.Kind() == reflect.Slice:
		return "a list [...]"
	case t.Kind() == reflect.Struct, t.Kind() == reflect.Map:
		return "an object {...}"
	}
	return t.String()
}

// fits reports whether token tok can start a value of type t.
func fits(t reflect.Type, tok json.Token) bool {
	t = deref(t)
	switch tok := tok.(type) {
	case nil:
		return true
	case json.Delim:
		if tok == '{' {
			return t.Kind() == reflect.Struct || t.Kind() == reflect.Map
		}
		return t.Kind() == reflect.Slice && t != rawType
	case string:
		return t.Kind() == reflect.String || t == rawType
	case json.Number:
		if t.Kind() == reflect.Int {
			_, err := strconv.Atoi(string(tok))
			return err == nil
		}
		return t == rawType
	case bool:
		return t.Kind() == reflect.Bool
	}
	return false
}

// tokenName says what a value that starts with tok is, for an error.
func tokenName(tok json.Token) string {
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '{' {
			return "an object"
		}
		return "a list"
	case string:
		q := strconv.Quote(tok)
		if len(q) > 40 {
			q = q[:37] + "..."
		}
		return "the string " + q
	case json.Number:
		return "the number " + string(tok)
	case bool:
		return strconv.FormatBool(tok)
	}
	return fmt.Sprint(tok)
}
