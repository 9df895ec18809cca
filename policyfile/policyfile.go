package policyfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/rules"
)

// MaxSize is the largest policy file Load reads: 1 MiB, a hundred times
// the rule book's.
const MaxSize = 1 << 20

// Version is the format version [Marshal] writes.
const Version = 1

// format is one version of the file format: the type a file of that
// version decodes into, and how that reads into a policy. A later
// version adds an entry; files of the earlier ones keep loading through
// their own entry, which is how a format migrates.
type format struct {
	root reflect.Type
	load func(src []byte, s *scan) (rules.Policy, error)
}

var formats = map[int]format{
	1: {reflect.TypeFor[fileV1](), loadV1},
}

// Load reads a policy file (see the package documentation for the
// format) and returns the policy it holds, normalized: every field the
// file leaves out has the rule book's default.
//
// Load is strict. A syntax error, data after the object, or an unknown
// version is one error; a missing version comes with the problems of the
// file's keys and types (read as the current version's), so that
// {"Version": 1} says which key it meant. Otherwise every problem in the
// file is reported
// at once: each unknown or repeated field, each value of the wrong type,
// each value out of range. The error is then an errors.Join of
// [*leaderr.FieldError]s, each naming the field by its path in the file
// ("cadence.stage3.within") and its line; a problem no field names is a
// [*SyntaxError] with line and column. Range over them with
//
//	if j, ok := err.(interface{ Unwrap() []error }); ok {
//		for _, e := range j.Unwrap() { ... }
//	}
//
// errors.Is(err, leaderr.ErrInvalid) holds for every error of a bad file
// (E6); an error reading r does not match it.
func Load(r io.Reader) (rules.Policy, error) {
	src, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return rules.Policy{}, fmt.Errorf("policyfile: read: %w", err)
	}
	if len(src) > MaxSize {
		return rules.Policy{}, joinErrs([]error{&SyntaxError{Line: 1, Column: 1, Err: fmt.Errorf("the file is larger than %d bytes", MaxSize)}})
	}
	// Notepad and Excel on Windows start UTF-8 with a byte order mark.
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	if !utf8.Valid(src) {
		off := 0
		for off < len(src) {
			r, n := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		s := &scan{src: src, at: map[string]int{}}
		return rules.Policy{}, joinErrs([]error{s.syntax(off, errors.New("not UTF-8 text (Shift_JIS?); save the file as UTF-8"))})
	}
	v, verr := version(src)
	f, ok := formats[v]
	if !ok {
		f = formats[Version] // to report a syntax error before the version
	}
	s, err := scanFile(src, f.root)
	if err != nil {
		return rules.Policy{}, joinErrs([]error{err})
	}
	if verr != nil {
		errs := []error{&leaderr.FieldError{Field: "version", Line: s.lineOf("version"), Err: verr}}
		if !s.has("version") {
			// No "version" at all: the keys the scan refused come first,
			// so that {"Version": 1} says which key was meant.
			errs = append(slices.Clip(s.errs), errs...)
			slices.SortStableFunc(errs, func(a, b error) int { return lineOfErr(a) - lineOfErr(b) })
		}
		return rules.Policy{}, joinErrs(errs)
	}
	return f.load(src, s)
}

// LoadFile reads the policy file at path with [Load]. A bad file's error
// is Load's, unwrapped, so that a caller ranges over it the same way and
// adds the path when it shows it; a file that cannot be opened is an
// [*os.PathError].
func LoadFile(path string) (rules.Policy, error) {
	fh, err := os.Open(path)
	if err != nil {
		return rules.Policy{}, fmt.Errorf("policyfile: %w", err)
	}
	defer fh.Close()
	return Load(fh)
}

// Marshal writes p, normalized, as a policy file of the current
// [Version]: indented JSON with its fields in a fixed order, ending in a
// newline, every default written out so that the file reads as the rule
// book does. Values derived from others (the request window when it is
// the Stage1 window, A4) are left out, so an edit cannot make them
// disagree (A7).
//
// An invalid policy is an error, and so are a calendar the format cannot
// name (a [stage.CalendarFunc]) and a reassignment or repeat count above
// 100, which Load refuses: what Marshal writes, [Load] reads back as an
// equal policy.
func Marshal(p rules.Policy) ([]byte, error) {
	f, err := fileOf(p)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("policyfile: write: %w", err)
	}
	return collapseLists(b.Bytes()), nil
}

// version returns the file's "version", or an error saying which are
// known. A file that does not parse has version 0 and no error here;
// the scan reports where it breaks.
//
// The key is matched exactly, as the scan matches every key: decoding
// into a struct would take "VERSION" or "Version" for "version" (the
// last of them winning), and a file's unknown field would be read as
// its version.
func version(src []byte) (int, error) {
	var top map[string]json.RawMessage
	if json.Unmarshal(src, &top) != nil {
		return 0, nil
	}
	raw := top["version"]
	known := slices.Sorted(func(yield func(int) bool) {
		for v := range formats {
			if !yield(v) {
				return
			}
		}
	})
	names := make([]string, len(known))
	for i, v := range known {
		names[i] = strconv.Itoa(v)
	}
	if raw == nil {
		return 0, fmt.Errorf("required: the file's format version; known versions: %s", strings.Join(names, ", "))
	}
	v, err := strconv.Atoi(string(raw))
	if _, ok := formats[v]; err != nil || !ok {
		return 0, fmt.Errorf("unknown version %s; known versions: %s", raw, strings.Join(names, ", "))
	}
	return v, nil
}

func loadV1(src []byte, s *scan) (rules.Policy, error) {
	var f fileV1
	dec := json.NewDecoder(bytes.NewReader(src))
	if len(s.errs) == 0 {
		dec.DisallowUnknownFields() // the scan found none; a backstop
	}
	if err := dec.Decode(&f); err != nil && len(s.errs) == 0 {
		// The scan checked every type, so this is a bug of the format's
		// types; still say where.
		if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
			return rules.Policy{}, joinErrs([]error{s.typeErr(te)})
		}
		return rules.Policy{}, fmt.Errorf("policyfile: decode: %w", err)
	}
	// With problems of keys or types, the values that did decode are
	// still checked, so that one run reports everything.
	p, err := f.policy(s)
	if len(s.errs) > 0 {
		errs := s.errs
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs = append(errs, j.Unwrap()...)
		}
		slices.SortStableFunc(errs, func(a, b error) int { return lineOfErr(a) - lineOfErr(b) })
		return rules.Policy{}, joinErrs(errs)
	}
	return p, err
}

func lineOfErr(err error) int {
	switch e := err.(type) {
	case *leaderr.FieldError:
		return e.Line
	case *SyntaxError:
		return e.Line
	}
	return 0
}

// joinErrs joins errs so that a caller ranges over them the same way
// however many there are.
func joinErrs(errs []error) error { return errors.Join(errs...) }

// collapseLists puts each list that holds no object or list on one line,
// ["call", "email"], so that a file reads as a table does.
func collapseLists(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			j := endOfString(b, i)
			out = append(out, b[i:j]...)
			i = j - 1
		case '[':
			if flat, j, ok := flatList(b, i); ok {
				out = append(out, flat...)
				i = j
				continue
			}
			out = append(out, '[')
		default:
			out = append(out, b[i])
		}
	}
	return out
}

// flatList returns the list starting at b[i] on one line and the index of
// its ']', or false when it holds an object or a list.
func flatList(b []byte, i int) ([]byte, int, bool) {
	flat := []byte{'['}
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '{', '[':
			return nil, 0, false
		case ']':
			return append(flat, ']'), j, true
		case '"':
			k := endOfString(b, j)
			flat = append(flat, b[j:k]...)
			j = k - 1
		case ' ', '\n':
		case ',':
			flat = append(flat, ',', ' ')
		default:
			flat = append(flat, b[j])
		}
	}
	return nil, 0, false
}

// endOfString returns the index just past the JSON string starting at i.
func endOfString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}
