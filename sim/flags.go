package sim

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"
)

// Flags are the flags every simulation command takes: how many leads, the
// seed that makes its story, and the team's time zone.
type Flags struct {
	Leads int
	Seed  uint64 // seeds a PCG source: the same seed tells the same story
	Zone  string // an IANA zone, the -tz flag
	// MinLeads and MaxLeads bound Leads; they are no flags.
	MinLeads, MaxLeads int
}

// Define adds -leads, -seed and -tz to fs, with f's values as defaults.
func (f *Flags) Define(fs *flag.FlagSet) {
	fs.IntVar(&f.Leads, "leads", f.Leads, fmt.Sprintf("leads arriving over the period, %d to %d", f.MinLeads, f.MaxLeads))
	fs.Uint64Var(&f.Seed, "seed", f.Seed, "random seed: the same seed tells the same story")
	fs.StringVar(&f.Zone, "tz", f.Zone, "IANA time zone of the team")
}

// Check reports the first bad flag, naming it.
func (f *Flags) Check() error {
	if f.Leads < f.MinLeads || f.Leads > f.MaxLeads {
		return fmt.Errorf("-leads must be from %d to %d, got %d", f.MinLeads, f.MaxLeads, f.Leads)
	}
	_, err := LoadZone(f.Zone)
	return err
}

// Rand returns the run's random source, seeded with Seed.
func (f *Flags) Rand() *rand.Rand { return rand.New(rand.NewPCG(f.Seed, f.Seed)) }

// LoadZone loads the IANA zone a -tz flag names. "" and "Local" are
// refused: a run that read the host's zone would tell another story on
// another machine.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("-tz must name an IANA zone such as Asia/Tokyo, got %q", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("-tz %q is not a known time zone", name)
	}
	return loc, nil
}

// ParseFlags parses args into a flag set named name that define fills, then
// runs check. A bad flag, a stray argument or a check's error is written
// to stderr, with the usage where it helps, and returned; -h returns
// [flag.ErrHelp].
func ParseFlags(name string, args []string, stderr io.Writer, define func(*flag.FlagSet), check func() error) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	define(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected argument %q", fs.Arg(0))
		fmt.Fprintln(stderr, name+":", err)
		fs.Usage()
		return err
	}
	if err := check(); err != nil {
		fmt.Fprintln(stderr, name+":", err)
		return err
	}
	return nil
}

// Main is a simulation command's main: it parses the command line with
// parse, which complains on stderr itself, and exits 0 after -h and 2 on a
// bad flag; then it runs run on buffered standard output and exits 1 with
// the error, prefixed with name, on standard error.
func Main(name string, parse func(args []string, stderr io.Writer) error, run func(w io.Writer) error) {
	err := parse(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		os.Exit(2)
	}
	w := bufio.NewWriter(os.Stdout)
	err = run(w)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}
