package leadline

import "github.com/leadline/leadline/rules"

// Policy holds every number and list of the rule book that sales-ops
// tune; see [rules.Policy]. The zero Policy is the rule book.
type Policy = rules.Policy

// Retention says how long a store must keep a lead's history and the ids
// of handled events; see [rules.Retention].
type Retention = rules.Retention

// DefaultPolicy returns the rule book's policy with its defaults written
// out; see [rules.DefaultPolicy].
func DefaultPolicy() Policy { return rules.DefaultPolicy() }
