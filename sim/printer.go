package sim

import (
	"fmt"
	"io"
	"strings"
)

// Printer writes a simulation's report to W and keeps the first error,
// so a report prints line after line and checks once, as bufio.Writer
// does.
type Printer struct {
	W   io.Writer
	err error
}

// Printf writes to W as fmt.Fprintf does, unless an earlier write failed.
func (p *Printer) Printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.W, format, args...)
	}
}

// Row writes one line of a day's block: an indented label, a count in a
// column of its own and what it is made of, as
//
//	approach requests    7  A1 5, A2 2, A3 0
//
// A negative n leaves the count's column blank.
func (p *Printer) Row(label string, n int, detail string) {
	if n < 0 {
		p.Printf("  %-18s     %s\n", label, detail)
		return
	}
	p.Printf("  %-18s %3d  %s\n", label, n, detail)
}

// Lines writes each line of text indented by indent.
func (p *Printer) Lines(indent, text string) {
	for line := range strings.Lines(text) {
		p.Printf("%s%s", indent, line)
	}
}

// Err returns the first error a write returned.
func (p *Printer) Err() error { return p.err }

// Plural returns "1 lead" or "n leads".
func Plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}
