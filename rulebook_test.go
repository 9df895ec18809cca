package leadline_test

// This file keeps the rule book, docs/RULES.md, and the repository in
// step. It uses the standard library only, parses the book and scans the
// repository's files as text, so it keeps working while code moves.
//
// # The book
//
// Each rule is one entry: a level-3 heading that is exactly the rule id,
// then its text, then list items, one of them "Lives in:" and one
// "Status:":
//
//	### T7
//
//	No contact after the Stage4 attempt: the lead becomes Recycled (S3).
//	**D** ...
//
//	- Reading: ...
//	- Lives in: `stage/track.go` (Expire), `rules/cadence.go`
//	- Status: implemented
//
// A rule id is one of the letters S, A, T, V, M, E and a number from 1 to
// 99 without a leading zero. The status is "implemented", "partly
// implemented: <what is still open>" or "planned: <the open work it waits
// for>". Headings of level 1 and 2 group entries and are not parsed; any
// other level-3 heading is malformed. "Lives in" names at least one path
// in backquotes, relative to the repository's root. A path must exist,
// except under rules/ (the package being built) and for a planned rule
// (where it will live).
//
// # Citations
//
// A citation is a rule id standing on its own in a file's text:
//
//   - the character before it is not an ASCII letter, digit or '.'
//     ("T1", "(T1)", "rule T1,", `"T1"`, "TestCredits_M6" and the
//     "A1,A3" of a reason list all cite; "0xE1", "2006-01-02T15:04" and
//     "x.T1" do not);
//   - the character after it is not an ASCII letter or digit, and not a
//     ':', '.' or ',' that is followed by a digit ("T1:", "T1." and
//     "M2_probe" cite; "T10:00", "V1.2" and "T1b" do not);
//   - "T2-T5" (a hyphen or an en dash, the same letter on both sides, the
//     first number below the second) cites T2, T3, T4 and T5.
//
// Go files are scanned whole (code, comments and strings alike), except
// this file, whose tables would otherwise cite every id they test, and
// testdata directories.
//
// # What fails
//
//   - (a) a Go file, or the book itself, cites an id the book has no
//     entry for;
//   - (b) the book has an entry that is not planned and that no _test.go
//     file of this module cites (nested modules, such as bench/, have
//     their own go.mod and do not run with this module's tests);
//   - (c) the book has a duplicate or malformed entry;
//   - (d) a .go or .md file names a document outside the repository (the
//     domain input or the peer list by file name or as a bare upper-case
//     word, a path into the directory beside the repository, the texts
//     the rules were drawn from); bench/results.txt, raw benchmark
//     output, is neither .go nor .md.

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// bookPath is the rule book, relative to the repository's root.
const bookPath = "docs/RULES.md"

// ruleLetters are the letters that start a rule id, one per area of the
// book: statuses, approach requests, touch cadence, views, routing by
// engagement, engine-wide.
const ruleLetters = "SATVME"

// entry is one rule of the book.
type entry struct {
	id     string
	line   int      // of its heading
	text   []string // its paragraphs' lines, list items excluded
	status string   // "implemented", "partly implemented" or "planned"
	open   string   // what a partly implemented or planned rule waits for
	paths  []string // the paths of its "Lives in" item
}

// book is the parsed rule book.
type book struct {
	entries map[string]*entry
	order   []string
	cites   []citation // the ids the book's own text cites
}

// citation is one rule id found in a file.
type citation struct {
	id   string
	file string
	line int
}

var (
	headingRE = regexp.MustCompile(`^###\s`)
	idRE      = regexp.MustCompile(`^[` + ruleLetters + `][1-9][0-9]?$`)
	pathRE    = regexp.MustCompile("`([^`]+)`")
)

// parseBook reads the book's text. It returns every problem it finds, so
// that one run lists them all.
func parseBook(text string) (*book, []string) {
	b := &book{entries: map[string]*entry{}}
	var problems []string
	var cur *entry
	finish := func() {
		if cur == nil {
			return
		}
		where := fmt.Sprintf("%s:%d: %s", bookPath, cur.line, cur.id)
		if len(cur.text) == 0 {
			problems = append(problems, where+": no text: say what the rule is in our words")
		}
		if cur.status == "" {
			problems = append(problems, where+`: no "- Status:" item: add "implemented", "partly implemented: <what is open>" or "planned: <what it waits for>"`)
		}
		if cur.paths == nil {
			problems = append(problems, where+": no \"- Lives in:\" item with a `path`: say where the rule lives")
		}
		cur = nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		for _, c := range findCitations(line) {
			b.cites = append(b.cites, citation{id: c, file: bookPath, line: n})
		}
		switch {
		case headingRE.MatchString(line):
			finish()
			id := strings.TrimSpace(strings.TrimPrefix(line, "###"))
			if !idRE.MatchString(id) {
				problems = append(problems, fmt.Sprintf("%s:%d: heading %q is not a rule id: an entry's heading is \"### \" and the id alone, such as \"### T1\"", bookPath, n, line))
				continue
			}
			if prev, ok := b.entries[id]; ok {
				problems = append(problems, fmt.Sprintf("%s:%d: %s is listed twice (first on line %d): merge the two entries", bookPath, n, id, prev.line))
				continue
			}
			cur = &entry{id: id, line: n}
			b.entries[id] = cur
			b.order = append(b.order, id)
		case strings.HasPrefix(line, "#"):
			finish() // a heading of level 1 or 2 ends the entry
		case cur == nil:
		case strings.HasPrefix(line, "- Status:"):
			if cur.status != "" {
				problems = append(problems, fmt.Sprintf("%s:%d: %s has a second status: keep one", bookPath, n, cur.id))
				continue
			}
			st, open, err := parseStatus(strings.TrimSpace(strings.TrimPrefix(line, "- Status:")))
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s:%d: %s: %v", bookPath, n, cur.id, err))
				st = "malformed"
			}
			cur.status, cur.open = st, open
		case strings.HasPrefix(line, "- Lives in:"):
			if cur.paths != nil {
				problems = append(problems, fmt.Sprintf("%s:%d: %s has a second \"Lives in\": keep one", bookPath, n, cur.id))
				continue
			}
			cur.paths = []string{}
			for _, m := range pathRE.FindAllStringSubmatch(line, -1) {
				cur.paths = append(cur.paths, m[1])
			}
			if len(cur.paths) == 0 {
				problems = append(problems, fmt.Sprintf("%s:%d: %s: \"Lives in\" names no `path`", bookPath, n, cur.id))
			}
		case strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "  "):
			// another item of the entry (a reading) or its continuation
		case strings.TrimSpace(line) != "":
			cur.text = append(cur.text, line)
		}
	}
	finish()
	if err := sc.Err(); err != nil {
		problems = append(problems, fmt.Sprintf("%s: %v", bookPath, err))
	}
	return b, problems
}

// parseStatus parses the value of a "Status:" item.
func parseStatus(s string) (status, open string, err error) {
	for _, st := range []string{"implemented", "partly implemented", "planned"} {
		rest, ok := strings.CutPrefix(s, st)
		if !ok {
			continue
		}
		if st == "implemented" {
			if rest != "" {
				break // "implemented, but" is not a status
			}
			return st, "", nil
		}
		open = strings.TrimSpace(strings.TrimPrefix(rest, ":"))
		if !strings.HasPrefix(rest, ":") || open == "" {
			return "", "", fmt.Errorf("status %q must say what is open: %q", st, st+": <the open work>")
		}
		return st, open, nil
	}
	return "", "", fmt.Errorf(`status %q is none of "implemented", "partly implemented: ...", "planned: ..."`, s)
}

// findCitations returns the rule ids that s cites, ranges expanded, in
// the order they appear (see the comment at the top of this file).
func findCitations(s string) []string {
	var ids []string
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(ruleLetters, rune(s[i])) || i > 0 && (isAlnum(s[i-1]) || s[i-1] == '.') {
			continue
		}
		n, end, ok := ruleNumber(s, i+1)
		if !ok {
			continue
		}
		letter := s[i : i+1]
		// A range: "T2-T5" or "T2–T5".
		for _, dash := range []string{"-", "–"} {
			if !strings.HasPrefix(s[end:], dash+letter) {
				continue
			}
			if m, end2, ok := ruleNumber(s, end+len(dash)+1); ok && m > n {
				for k := n; k <= m; k++ {
					ids = append(ids, letter+strconv.Itoa(k))
				}
				n, end = -1, end2
			}
			break
		}
		if n >= 0 {
			ids = append(ids, letter+strconv.Itoa(n))
		}
		i = end - 1
	}
	return ids
}

// ruleNumber reads the number of a rule id starting at s[i]: 1 to 99, no
// leading zero, followed by a boundary. It returns the number and the
// index after it.
func ruleNumber(s string, i int) (n, end int, ok bool) {
	j := i
	for j < len(s) && j-i < 3 && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i || j-i > 2 || s[i] == '0' {
		return 0, 0, false
	}
	if j < len(s) {
		c := s[j]
		if isAlnum(c) {
			return 0, 0, false
		}
		if (c == ':' || c == '.' || c == ',') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
			return 0, 0, false
		}
	}
	n, _ = strconv.Atoi(s[i:j])
	return n, j, true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// pointerRE matches what points outside the repository: the names of the
// domain input and the peer list (assembled so that this file does not
// name them itself), a path into the directory beside the repository, and
// the texts the rules were drawn from.
var pointerRE = regexp.MustCompile(`(?i:` + regexp.QuoteMeta(specName+".md") + `|` + regexp.QuoteMeta(peersName+".md") +
	`|` + regexp.QuoteMeta(".."+"/shared") + `|` + "source" + ` text|\b(?:first|second) ` + "text" + `\b)` +
	`|(?:^|[^A-Za-z0-9])(?:` + specName + `|` + peersName + `)(?:[^A-Za-z0-9]|$)`)

// specName and peersName are the two documents' names, assembled so that
// this file does not name them itself.
const (
	specName  = "SP" + "EC"
	peersName = "PE" + "ERS"
)

// pointerAllowlist are the files check (d) skips: none. A file that
// must mention a document outside the repository (none should) goes here
// with a comment saying why.
var pointerAllowlist = map[string]bool{}

// repoFile is one scanned file.
type repoFile struct {
	path   string // slash-separated, relative to the repository's root
	text   string
	test   bool // a _test.go file
	nested bool // in a nested module (a directory with its own go.mod)
}

// repoFiles reads the repository's .go and .md files.
func repoFiles(t *testing.T) []repoFile {
	t.Helper()
	var files []repoFile
	var nested []string
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		p = filepath.ToSlash(p)
		if d.IsDir() {
			name := d.Name()
			if p != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil && p != "." {
				nested = append(nested, p+"/")
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, ".md") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f := repoFile{path: p, text: string(b), test: strings.HasSuffix(p, "_test.go")}
		for _, n := range nested {
			f.nested = f.nested || strings.HasPrefix(p, n)
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatalf("walking the repository: %v", err)
	}
	if len(files) == 0 {
		t.Fatal("found no .go or .md files: the test must run in the repository's root")
	}
	return files
}

// fileCitations returns the citations of the Go files, this one excepted.
func fileCitations(files []repoFile) []citation {
	var cs []citation
	for _, f := range files {
		if !strings.HasSuffix(f.path, ".go") || f.path == "rulebook_test.go" {
			continue
		}
		for n, line := range strings.Split(f.text, "\n") {
			for _, id := range findCitations(line) {
				cs = append(cs, citation{id: id, file: f.path, line: n + 1})
			}
		}
	}
	return cs
}

func readBook(t *testing.T) *book {
	t.Helper()
	text, err := os.ReadFile(bookPath)
	if err != nil {
		t.Fatalf("reading the rule book: %v", err)
	}
	b, problems := parseBook(string(text))
	for _, p := range problems {
		t.Errorf("(c) %s", p)
	}
	if len(b.entries) == 0 {
		t.Fatalf("(c) %s has no entries: each rule is a heading \"### <id>\"", bookPath)
	}
	return b
}

func TestRuleBook(t *testing.T) {
	b := readBook(t)
	files := repoFiles(t)
	cites := fileCitations(files)

	t.Run("(a) every cited id has an entry", func(t *testing.T) {
		seen := map[string]bool{}
		for _, c := range append(slices.Clone(cites), b.cites...) {
			if _, ok := b.entries[c.id]; ok || seen[c.id] {
				continue
			}
			seen[c.id] = true
			t.Errorf("%s:%d cites %s, which %s lacks: add an entry \"### %s\" to the book, or fix the citation", c.file, c.line, c.id, bookPath, c.id)
		}
	})

	t.Run("(b) every rule not planned is cited by a test", func(t *testing.T) {
		nested := map[string]bool{}
		for _, f := range files {
			nested[f.path] = f.nested
		}
		tested := map[string]bool{}
		for _, c := range cites {
			if strings.HasSuffix(c.file, "_test.go") && !nested[c.file] {
				tested[c.id] = true
			}
		}
		for _, id := range b.order {
			e := b.entries[id]
			if e.status != "planned" && !tested[id] {
				t.Errorf("%s:%d: %s is %s but no test cites it: name a test case after it (\"%s ...\"), or mark it \"planned: <what it waits for>\"", bookPath, e.line, id, e.status, id)
			}
		}
	})

	t.Run("(d) nothing points outside the repository", func(t *testing.T) {
		for _, f := range files {
			if pointerAllowlist[f.path] {
				continue
			}
			for n, line := range strings.Split(f.text, "\n") {
				if m := pointerRE.FindString(line); m != "" {
					t.Errorf("%s:%d mentions %q, outside the repository: cite the rule id and %s instead, in our own words", f.path, n+1, strings.TrimSpace(m), bookPath)
				}
			}
		}
	})

	t.Run("where each rule lives exists", func(t *testing.T) {
		for _, id := range b.order {
			if b.entries[id].status == "planned" {
				continue // where it will live
			}
			for _, p := range b.entries[id].paths {
				if _, err := os.Stat(filepath.FromSlash(p)); err != nil {
					t.Errorf("%s:%d: %s lives in %s, which does not exist: update its \"Lives in\"", bookPath, b.entries[id].line, id, p)
				}
			}
		}
	})

	// The ids by status, for a reader of -v output.
	var planned []string
	for _, id := range b.order {
		if b.entries[id].status == "planned" {
			planned = append(planned, id)
		}
	}
	t.Logf("%d rules, %d planned: %s", len(b.order), len(planned), strings.Join(planned, " "))
}

func TestFindCitations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     []string
	}{
		{"a rule in a comment", "// Reassign implements rule T10: the new owner", []string{"T10"}},
		{"in parentheses", "the lead is recycled (T7).", []string{"T7"}},
		{"a list", "(M1, M7, M8)", []string{"M1", "M7", "M8"}},
		{"a range", "advances it (T2-T5);", []string{"T2", "T3", "T4", "T5"}},
		{"a range with an en dash", "S1–S3", []string{"S1", "S2", "S3"}},
		{"a range and more", "A1-A3, A7", []string{"A1", "A2", "A3", "A7"}},
		{"a backwards range is two ids", "T5-T2", []string{"T5", "T2"}},
		{"a range across letters is two ids", "A7-M1", []string{"A7", "M1"}},
		{"a string literal", `wantRule: "M3", wantWhy: "M7"`, []string{"M3", "M7"}},
		{"a reason list", `Reasons: "A2,A3,A1"`, []string{"A2", "A3", "A1"}},
		{"a test name", `{name: "T1 reassigns after 48h"}`, []string{"T1"}},
		{"a test function", "func TestCredits_M6(t *testing.T)", []string{"M6"}},
		{"a subtest with a suffix", "TestRules_Access_M2_probe", []string{"M2"}},
		{"before a colon", "// T10: after the limit", []string{"T10"}},
		{"the whole book range", "E1-E10", []string{"E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "E10"}},
		{"in a heading", "### V10", []string{"V10"}},
		{"not inside a word", "Stage1 TEST1 ATM2 MET1", nil},
		{"not a stage range", "Stage1-4", nil},
		{"not hex", "0xE1, #E1E1E1, 3f2e-E12f", nil},
		{"not a time", "2006-01-02T15:04:05, at T10:00", nil},
		{"not a version or decimal", "V1.2, 1E6, E1,000", nil},
		{"not three digits", "T100 M123", nil},
		{"not a leading zero", "T01 A09", nil},
		{"not a field", "x.T1", nil},
		{"not other letters", "W1 W2 P1 B2", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := findCitations(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("findCitations(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseBook(t *testing.T) {
	t.Parallel()
	good := "# Rules\n\n## Cadence\n\n### T1\n\nThe owner has 48 hours.\n\n- Lives in: `stage/track.go`\n- Status: implemented\n\n" +
		"### T13\n\n**D** No lead is forgotten.\n\n- Reading: the stage's own window.\n  More of it.\n- Lives in: `rules/cadence.go`\n- Status: planned: issue 10\n"
	b, problems := parseBook(good)
	if len(problems) > 0 {
		t.Fatalf("parseBook(good) problems: %q", problems)
	}
	if !slices.Equal(b.order, []string{"T1", "T13"}) {
		t.Fatalf("parseBook(good) ids = %q, want [T1 T13]", b.order)
	}
	if e := b.entries["T13"]; e.status != "planned" || e.open != "issue 10" || !slices.Equal(e.paths, []string{"rules/cadence.go"}) || len(e.text) != 1 {
		t.Errorf("T13 = %+v, want planned, open \"issue 10\", one path, one line of text", *e)
	}
	if e := b.entries["T1"]; e.status != "implemented" || len(e.text) != 1 {
		t.Errorf("T1 = %+v, want implemented with one line of text", *e)
	}

	bad := []struct{ name, in, want string }{
		{"duplicate", "### T1\ntext\n- Lives in: `a.go`\n- Status: implemented\n### T1\ntext\n- Lives in: `a.go`\n- Status: implemented\n", "listed twice"},
		{"not an id", "### T1 and T2\ntext\n", "is not a rule id"},
		{"unknown letter", "### X1\ntext\n", "is not a rule id"},
		{"no status", "### T1\ntext\n- Lives in: `a.go`\n", "no \"- Status:\""},
		{"bad status", "### T1\ntext\n- Lives in: `a.go`\n- Status: done\n", "is none of"},
		{"planned without what for", "### T1\ntext\n- Lives in: `a.go`\n- Status: planned\n", "must say what is open"},
		{"implemented with a tail", "### T1\ntext\n- Lives in: `a.go`\n- Status: implemented, mostly\n", "is none of"},
		{"two statuses", "### T1\ntext\n- Lives in: `a.go`\n- Status: implemented\n- Status: planned: x\n", "second status"},
		{"no text", "### T1\n- Lives in: `a.go`\n- Status: implemented\n", "no text"},
		{"no place", "### T1\ntext\n- Status: implemented\n", "no \"- Lives in:\""},
		{"a place without a path", "### T1\ntext\n- Lives in: the engine\n- Status: implemented\n", "names no `path`"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := parseBook(tt.in)
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tt.want) }) {
				t.Errorf("parseBook(%q) problems = %q, want one containing %q", tt.in, problems, tt.want)
			}
		})
	}
}

func TestPointerRE(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"see " + specName + ".md", "[the peers](../.." + "/shared/" + peersName + ".md)", "in the second " + "source" + " text",
		specName + " section 5", "Test_" + specName + "(t)", "the first " + "text says", "as " + peersName + " defines",
	} {
		if !pointerRE.MatchString(s) {
			t.Errorf("pointerRE does not match %q", s)
		}
	}
	for _, s := range []string{"a specification", "Spectrum", "peers' libraries", "the text of a rule", "INSPECT", "SPECS"} {
		if pointerRE.MatchString(s) {
			t.Errorf("pointerRE matches %q", s)
		}
	}
}
