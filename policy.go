package leadline

import (
	"io"

	"github.com/leadline/leadline/policyfile"
	"github.com/leadline/leadline/rules"
)

// Policy holds every number and list of the rule book that sales-ops
// tune; see [rules.Policy]. The zero Policy is the rule book.
type Policy = rules.Policy

// Retention says how long a store must keep a lead's history and the ids
// of handled events; see [rules.Retention].
type Retention = rules.Retention

// DefaultPolicy returns the rule book's policy with its defaults written
// out; see [rules.DefaultPolicy].
func DefaultPolicy() Policy { return rules.DefaultPolicy() }

// LoadPolicy reads a policy file, strictly, and returns the policy it
// holds with every default filled in; see package policyfile for the
// format. Every problem in the file is reported at once, joined with
// errors.Join, each a [*FieldError] naming the field by its path in the
// file and its line ("cadence.stage3.within: must be positive, got
// -48h"), or a [*policyfile.SyntaxError] with line and column (E6).
func LoadPolicy(r io.Reader) (Policy, error) { return policyfile.Load(r) }
