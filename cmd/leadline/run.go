package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/diagram"
	"github.com/leadline/leadline/policyfile"
	"github.com/leadline/leadline/replay"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
	"golang.org/x/term"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	programName = "leadline"
)

// env is what a subcommand reads and writes: run's arguments.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// kept, when set, keeps standard input as a replay of "-" reads
	// it, so that a command that replays that log twice (diff) reads
	// it whole the second time: standard input can be read only once.
	kept *keptStdin
}

// keptStdin is standard input kept in a temporary file: a log may be
// larger than memory should hold (replay.MaxLine bounds a line, not a
// log).
type keptStdin struct {
	f    *os.File
	full bool // f holds all of standard input
}

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e *env, args []string) error
}

// commands returns the subcommands, in the order usage lists them.
func commands() []command {
	return []command{
		{"policy", "", "print the default policy file, the rule book, to edit", cmdPolicy},
		{"validate", "[-json] POLICY", "check a policy file and list every problem with its line", cmdValidate},
		{"replay", "[-policy P] [-roster R] [-json] EVENTS", "replay an event log under a policy and count what happened", cmdReplay},
		{"diff", "-policy A -policy B [-roster R] [-lang en|ja] [-leads N] [-json] EVENTS", "replay under two policies and say what changed", cmdDiff},
		{"explain", "-lead ID [-policy P] [-roster R] [-lang en|ja] [-json] EVENTS", "replay, then list the rules' decisions about one lead", cmdExplain},
		{"diagram", "[-format mermaid|dot] [-policy P]", "draw the policy's touch cadence", cmdDiagram},
	}
}

// errUsage marks a usage error: the message was written with the usage.
var errUsage = errors.New("usage")

// run runs the command line args (without the program name) and returns
// the exit status: 0 done, 1 failed, 2 bad usage.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(context.Background(), e, args[1:])
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.Is(err, errUsage):
			return exitUsage
		}
		fmt.Fprintf(stderr, "%s %s: %v\n", programName, c.name, err)
		return exitFailed
	}
	fmt.Fprintf(stderr, "%s: unknown command %q\n", programName, args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s COMMAND [flags] [args]\n\ncommands:\n", programName)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun %s COMMAND -h for a command's flags.\n", programName)
}

// flags returns a flag set for c whose usage goes to e.stderr.
func (e *env) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(programName+" "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c command
	for _, x := range commands() {
		if x.name == name {
			c = x
		}
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s %s %s\n\n%s.\n", programName, c.name, c.args, upperFirst(c.summary))
		if hasFlags(fs) {
			fmt.Fprintln(fs.Output(), "\nflags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) (yes bool) {
	fs.VisitAll(func(*flag.Flag) { yes = true })
	return yes
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// parse parses args with fs and checks the count of positional
// arguments; a problem is written with the usage and returned as
// errUsage, -h as flag.ErrHelp after the usage went to stdout.
func (e *env) parse(fs *flag.FlagSet, args []string, positional int) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(e.stderr)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(e.stdout)
		fs.Usage()
		return flag.ErrHelp
	}
	if err == nil && fs.NArg() != positional {
		switch {
		case fs.NArg() < positional:
			err = errors.New("missing argument")
		default:
			err = fmt.Errorf("unexpected argument %q", fs.Arg(positional))
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: %v\n", fs.Name(), err)
		fs.Usage()
		return errUsage
	}
	return nil
}

// usageError writes msg and fs's usage and returns errUsage.
func (e *env) usageError(fs *flag.FlagSet, format string, args ...any) error {
	fmt.Fprintf(e.stderr, "%s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return errUsage
}

func cmdPolicy(_ context.Context, e *env, args []string) error {
	fs := e.flags("policy")
	if err := e.parse(fs, args, 0); err != nil {
		return err
	}
	b, err := policyfile.Marshal(rules.DefaultPolicy())
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(b)
	return err
}

func cmdValidate(_ context.Context, e *env, args []string) error {
	fs := e.flags("validate")
	asJSON := fs.Bool("json", false, "write the result as JSON")
	if err := e.parse(fs, args, 1); err != nil {
		return err
	}
	path := fs.Arg(0)
	pol, err := policyfile.LoadFile(path)
	if err == nil {
		err = engineProblems(pol)
	}
	problems := splitErrors(err)
	if *asJSON {
		// A field's problem has its field and line, a syntax error its
		// line and column (E6).
		type problem struct {
			Field  string `json:"field,omitempty"`
			Line   int    `json:"line,omitempty"`
			Column int    `json:"column,omitempty"`
			Error  string `json:"error"`
		}
		out := struct {
			File     string    `json:"file"`
			Valid    bool      `json:"valid"`
			Problems []problem `json:"problems"`
		}{File: path, Valid: err == nil, Problems: []problem{}}
		for _, p := range problems {
			pr := problem{Error: p.Error()}
			if fe, ok := errors.AsType[*leadline.FieldError](p); ok {
				pr.Field, pr.Line = fe.Field, fe.Line
			} else if se, ok := errors.AsType[*policyfile.SyntaxError](p); ok {
				pr.Line, pr.Column = se.Line, se.Column
			}
			out.Problems = append(out.Problems, pr)
		}
		if werr := writeJSON(e.stdout, out); werr != nil {
			return werr
		}
	} else if err == nil {
		fmt.Fprintf(e.stdout, "%s: a valid policy\n", path)
	} else {
		for _, p := range problems {
			fmt.Fprintf(e.stdout, "%s: %v\n", path, p)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %d problem(s); fix them and run validate again", path, len(problems))
	}
	return nil
}

// engineProblems returns what the engine refuses pol for as replay, diff
// and explain build it (replay.Run's leadline.Config: the policy, and no
// templates, which the command cannot take), so that validate calls
// valid only a policy they run under: a language that is not built in,
// say, needs templates (E10). A roster is not the policy file's, so it
// is not checked here.
func engineProblems(pol rules.Policy) error {
	opts := (&replay.Setup{}).Options(pol)
	cfg := leadline.Config{Policy: opts.Policy, Templates: opts.Templates}
	return cfg.Validate()
}

// splitErrors returns the errors joined in err, or err alone.
func splitErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, splitErrors(e)...)
		}
		return out
	}
	return []error{err}
}

// policies collects repeated -policy flags.
type policies []string

func (p *policies) String() string     { return strings.Join(*p, ",") }
func (p *policies) Set(v string) error { *p = append(*p, v); return nil }

// loadPolicy reads the policy file at path, or returns the rule book for
// "".
func loadPolicy(path string) (rules.Policy, error) {
	if path == "" {
		return rules.DefaultPolicy(), nil
	}
	p, err := policyfile.LoadFile(path)
	if err != nil {
		return rules.Policy{}, fmt.Errorf("policy %s: %w (run leadline validate %s)", path, err, path)
	}
	return p, nil
}

// setup returns the roster of a replay of the log at events: the file
// roster names, else the setup a simulation wrote beside the log
// (out.setup.json beside out.jsonl), which it says on stderr. With
// neither, it warns that round robin has nobody to assign, since every
// count per rep would then read as nobody's.
func (e *env) setup(roster, events string) (*replay.Setup, error) {
	if roster == "" && events != "" && events != "-" {
		beside := strings.TrimSuffix(events, filepath.Ext(events)) + ".setup.json"
		if _, err := os.Stat(beside); err == nil {
			fmt.Fprintf(e.stderr, "leadline: roster %s, found beside the log (-roster to choose another)\n", beside)
			roster = beside
		}
	}
	if roster == "" {
		fmt.Fprintln(e.stderr, "leadline: no roster: round robin has nobody to assign, so new leads get no owner (M9); pass -roster")
	}
	return loadSetup(roster)
}

// loadSetup reads a roster file: a replay.Setup, or a bare routing.Org.
// "" is no roster.
func loadSetup(path string) (*replay.Setup, error) {
	if path == "" {
		return &replay.Setup{}, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return nil, fmt.Errorf("roster %s: not JSON: %w", path, err)
	}
	if _, org := keys["inside"]; org || keys["field"] != nil {
		var o routing.Org
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			return nil, fmt.Errorf("roster %s: %w", path, err)
		}
		return &replay.Setup{Roster: &o}, nil
	}
	s, err := replay.ReadSetup(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("roster %s: %w", path, err)
	}
	return s, nil
}

// replayFlags are the flags replay, diff and explain share.
type replayFlags struct {
	roster string
	json   bool
}

func (f *replayFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&f.roster, "roster", "", "the roster: a routing.Org as JSON, or the setup a simulation writes beside its log")
	fs.BoolVar(&f.json, "json", false, "write the result as JSON, for machines")
}

// keepStdin makes the replays of "-" that follow read standard input
// once: the first keeps what it reads in a temporary file, as it reads
// (so that a file that is not a log fails at its first bad line, not
// after a copy of it all), and the later ones read that file. The
// returned func removes the file.
func (e *env) keepStdin() (cleanup func(), err error) {
	f, err := os.CreateTemp("", "leadline-stdin-*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("events: keep standard input to replay it twice: %w", err)
	}
	e.kept = &keptStdin{f: f}
	return func() {
		f.Close()
		os.Remove(f.Name())
	}, nil
}

// replayOnce replays the log at path (or stdin for "-") under pol.
func (e *env) replayOnce(ctx context.Context, path string, pol rules.Policy, setup *replay.Setup, label string) (*replay.Outcome, error) {
	cr := &countingReader{r: e.stdin}
	keeping := false
	switch {
	case path == "-" && e.kept != nil && e.kept.full:
		if _, err := e.kept.f.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("events: standard input: %w", err)
		}
		cr.r = e.kept.f
		if fi, err := e.kept.f.Stat(); err == nil {
			cr.size = fi.Size()
		}
	case path == "-" && e.kept != nil:
		cr.r, keeping = io.TeeReader(e.stdin, e.kept.f), true
	case path != "-":
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
		defer f.Close()
		cr.r = f
		if fi, err := f.Stat(); err == nil {
			cr.size = fi.Size()
		}
	}
	opts := setup.Options(pol)
	bar := e.progress(label, cr)
	opts.Progress = bar.update
	out, err := replay.Run(ctx, replay.ReadLog(bufio.NewReaderSize(cr, 1<<16)), opts)
	bar.done()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if keeping {
		// Keep whatever the replay did not read, so that the next one
		// reads standard input whole.
		if _, err := io.Copy(e.kept.f, e.stdin); err != nil {
			return nil, fmt.Errorf("events: keep standard input: %w", err)
		}
		e.kept.full = true
	}
	return out, nil
}

// countingReader counts the bytes read from r, for the progress bar;
// size is r's length when known, else 0.
type countingReader struct {
	r    io.Reader
	n    int64
	size int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// progressBar draws on a terminal's stderr how far a replay has read its
// log; on anything else (a file, a pipe, a test's buffer) it draws
// nothing, so output meant for machines stays clean.
type progressBar struct {
	w     io.Writer
	label string
	in    *countingReader
	drawn bool
}

func (e *env) progress(label string, in *countingReader) *progressBar {
	f, ok := e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return &progressBar{}
	}
	return &progressBar{w: f, label: label, in: in}
}

const barWidth = 30

func (b *progressBar) update(done int) {
	if b.w == nil {
		return
	}
	b.drawn = true
	if b.in.size <= 0 {
		fmt.Fprintf(b.w, "\r%s: %d events", b.label, done)
		return
	}
	frac := min(1, float64(b.in.n)/float64(b.in.size))
	full := int(frac * barWidth)
	fmt.Fprintf(b.w, "\r%s [%s%s] %3.0f%% %d events", b.label, strings.Repeat("#", full), strings.Repeat(".", barWidth-full), frac*100, done)
}

// done clears the bar's line.
func (b *progressBar) done() {
	if b.drawn {
		fmt.Fprint(b.w, "\r\033[K")
	}
}

func cmdReplay(ctx context.Context, e *env, args []string) error {
	fs := e.flags("replay")
	var f replayFlags
	policy := fs.String("policy", "", "the policy file to replay under; the rule book if none")
	f.define(fs)
	if err := e.parse(fs, args, 1); err != nil {
		return err
	}
	pol, err := loadPolicy(*policy)
	if err != nil {
		return err
	}
	setup, err := e.setup(f.roster, fs.Arg(0))
	if err != nil {
		return err
	}
	out, err := e.replayOnce(ctx, fs.Arg(0), pol, setup, "replay")
	if err != nil {
		return err
	}
	if f.json {
		return writeJSON(e.stdout, out)
	}
	return writeOutcome(e.stdout, out, orDefault(*policy, "the rule book"))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func cmdDiff(ctx context.Context, e *env, args []string) error {
	fs := e.flags("diff")
	var f replayFlags
	var ps policies
	fs.Var(&ps, "policy", "a policy file; give two, the baseline first")
	lang := fs.String("lang", "", "the language of the text, en or ja; the first policy's language if none")
	leads := fs.Int("leads", 20, "list at most this many leads whose outcome differs; 0 lists all")
	f.define(fs)
	if err := e.parse(fs, args, 1); err != nil {
		return err
	}
	if len(ps) != 2 {
		return e.usageError(fs, "want two -policy flags, the baseline first, got %d", len(ps))
	}
	if *lang != "" && *lang != string(rules.English) && *lang != string(rules.Japanese) {
		return e.usageError(fs, "-lang must be en or ja, got %q", *lang)
	}
	if *leads < 0 {
		return e.usageError(fs, "-leads must not be negative, got %d", *leads)
	}
	setup, err := e.setup(f.roster, fs.Arg(0))
	if err != nil {
		return err
	}
	var pols [2]rules.Policy
	for i, p := range ps {
		if pols[i], err = loadPolicy(p); err != nil {
			return err
		}
	}
	if fs.Arg(0) == "-" {
		// Both replays read the one log standard input holds.
		cleanup, err := e.keepStdin()
		if err != nil {
			return err
		}
		defer cleanup()
	}
	var outs [2]*replay.Outcome
	for i, pol := range pols {
		if outs[i], err = e.replayOnce(ctx, fs.Arg(0), pol, setup, fmt.Sprintf("replay %d/2", i+1)); err != nil {
			return err
		}
	}
	c := replay.Diff(*outs[0], *outs[1])
	if f.json {
		return writeJSON(e.stdout, c)
	}
	l := rules.Language(*lang)
	if l == "" {
		l = outs[0].Policy.Language
	}
	return c.WriteText(e.stdout, l, *leads)
}

func cmdExplain(ctx context.Context, e *env, args []string) error {
	fs := e.flags("explain")
	var f replayFlags
	id := fs.String("lead", "", "the id of the lead to explain (required)")
	policy := fs.String("policy", "", "the policy file to replay under; the rule book if none")
	lang := fs.String("lang", "", "the language of the text, en or ja; the policy's language if none")
	f.define(fs)
	if err := e.parse(fs, args, 1); err != nil {
		return err
	}
	if *id == "" {
		return e.usageError(fs, "-lead is required")
	}
	if *lang != "" && *lang != string(rules.English) && *lang != string(rules.Japanese) {
		return e.usageError(fs, "-lang must be en or ja, got %q", *lang)
	}
	pol, err := loadPolicy(*policy)
	if err != nil {
		return err
	}
	setup, err := e.setup(f.roster, fs.Arg(0))
	if err != nil {
		return err
	}
	out, err := e.replayOnce(ctx, fs.Arg(0), pol, setup, "replay")
	if err != nil {
		return err
	}
	ops := routing.Viewer{Rep: "leadline-explain", Role: routing.RoleOps} // ops see every lead (M2)
	ds, err := out.Engine().Explain(ctx, ops, *id)
	if errors.Is(err, leadline.ErrNotFound) {
		return fmt.Errorf("no lead %s in %s", *id, fs.Arg(0))
	}
	if err != nil {
		return err
	}
	if f.json {
		return writeJSON(e.stdout, ds)
	}
	zone := setup.Options(pol).Zone
	l := rules.Language(*lang)
	if l == "" {
		l = pol.Language
	}
	fmt.Fprintf(e.stdout, "%s: %d decisions\n", *id, len(ds))
	for _, d := range ds {
		at := d.At
		if zone != nil {
			at = at.In(zone)
		}
		fmt.Fprintf(e.stdout, "  %s  %s\n", at.Format("2006-01-02 15:04 MST"), d.TextIn(l, zone)) // the reader's language (E10)
	}
	return nil
}

func cmdDiagram(_ context.Context, e *env, args []string) error {
	fs := e.flags("diagram")
	format := fs.String("format", "mermaid", "mermaid (for Markdown pages) or dot (Graphviz)")
	policy := fs.String("policy", "", "the policy file to draw; the rule book if none")
	if err := e.parse(fs, args, 0); err != nil {
		return err
	}
	draw := map[string]func(io.Writer, rules.Policy) error{"mermaid": diagram.Mermaid, "dot": diagram.DOT}[*format]
	if draw == nil {
		return e.usageError(fs, "-format must be mermaid or dot, got %q", *format)
	}
	pol, err := loadPolicy(*policy)
	if err != nil {
		return err
	}
	return draw(e.stdout, pol)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
