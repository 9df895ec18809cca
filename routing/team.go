package routing

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
)

// Role is the part a person plays in following up leads.
type Role uint8

// The roles. Stored by key; do not reorder.
const (
	RoleInside  Role = iota + 1 // inside sales: qualifies MQLs (M1)
	RoleField                   // field sales: closes (M1, M4)
	RoleManager                 // a sales manager: receives alerts (A4, T8); sees what their team may (M2)
	RoleOps                     // sales or marketing operations
	// RoleFieldManager is a manager of the field team as the visibility
	// rule reads them (M2): they see what field sales may see, the whole
	// field desk. A host may name it; the engine reads a RoleManager
	// viewer of the field team as it ([ScopeManager]).
	RoleFieldManager
	numRoles
)

var roleKeys = [numRoles]string{"", "inside", "field", "manager", "ops", "field_manager"}

// String returns the key: "inside", "field", "manager", "ops",
// "field_manager".
func (r Role) String() string {
	if r > 0 && r < numRoles {
		return roleKeys[r]
	}
	return fmt.Sprintf("role(%d)", uint8(r))
}

// MarshalText returns the key.
func (r Role) MarshalText() ([]byte, error) {
	if r == 0 || r >= numRoles {
		return nil, leaderr.Errorf("role", "unknown role %d", uint8(r))
	}
	return []byte(roleKeys[r]), nil
}

// UnmarshalText parses a key.
func (r *Role) UnmarshalText(b []byte) error {
	k := strings.ToLower(strings.TrimSpace(string(b)))
	for i := RoleInside; i < numRoles; i++ {
		if k == roleKeys[i] {
			*r = i
			return nil
		}
	}
	return leaderr.Errorf("role", "unknown role %s; want one of %s", leaderr.Quote(string(b)), strings.Join(roleKeys[1:], ", "))
}

// Period is a span of time [From, To): an absence, a holiday.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Contains reports whether t lies in [From, To).
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// Rep is one member of a sales team.
type Rep struct {
	ID string `json:"id"`
	// Capacity is how many leads in a running cadence the rep may own at
	// once; 0 means no limit. A rep at capacity is skipped (M9).
	Capacity int `json:"capacity,omitempty"`
	// Away lists the rep's absences; a rep away at the moment of
	// assignment is skipped (M9).
	Away []Period `json:"away,omitempty"`
}

// AwayAt reports whether the rep is out of office at t.
func (r *Rep) AwayAt(t time.Time) bool {
	for _, p := range r.Away {
		if p.Contains(t) {
			return true
		}
	}
	return false
}

// Team is a group of reps with one manager, who receives the team's
// alerts (A4, T8) and its escalated leads (T10).
type Team struct {
	ID      string `json:"id"`
	Manager string `json:"manager"`
	Reps    []Rep  `json:"reps"`
}

// Has reports whether rep is a member of the team or its manager.
func (t *Team) Has(rep string) bool {
	return rep != "" && (rep == t.Manager || slices.ContainsFunc(t.Reps, func(r Rep) bool { return r.ID == rep }))
}

// Validate reports a malformed team id ([lead.CheckID]: it names the
// team's round-robin sequence in the store), an empty, malformed or
// duplicated rep id, a malformed manager id, or a negative capacity, as a
// [*leaderr.FieldError]: a roster that lists a rep twice would give that
// rep a double share of the round robin (M9). It allocates nothing for a
// good team of up to 32 reps, and one set for a larger one, so the
// engine checks every team it is handed.
func (t *Team) Validate() error {
	// The engine checks each team it is handed (M9): the prefix and the
	// field names are built on the way to an error only, so that a valid
	// team costs no allocation.
	if err := lead.CheckID("id", t.ID); err != nil {
		return err
	}
	if err := lead.CheckID("manager", t.Manager); err != nil {
		return leaderr.Prefix(t.prefix(), err)
	}
	// A team of a few dozen is searched pairwise, with nothing allocated;
	// a larger one through a set, so that a department-sized roster, which
	// the engine checks at every assignment, costs its size, not its
	// square.
	var at map[string]int
	if len(t.Reps) > 32 {
		at = make(map[string]int, len(t.Reps))
	}
	for i, r := range t.Reps {
		switch {
		case r.ID == "":
			return leaderr.Errorf(t.field(i, "id"), "required")
		case lead.CheckID("id", r.ID) != nil:
			return leaderr.Prefix(t.field(i, ""), lead.CheckID("id", r.ID)) // "reps[2].id"
		case r.Capacity < 0:
			return leaderr.Errorf(t.field(i, "capacity"), "must be 0 (no limit) or more, got %d", r.Capacity)
		}
		j := -1
		if at == nil {
			j = slices.IndexFunc(t.Reps[:i], func(o Rep) bool { return o.ID == r.ID })
		} else if k, ok := at[r.ID]; ok {
			j = k
		} else {
			at[r.ID] = i
		}
		if j >= 0 {
			return leaderr.Errorf(t.field(i, "id"), "duplicate rep %q, listed as reps[%d] too; a rep takes one share of the round robin (M9)", r.ID, j)
		}
	}
	return nil
}

// prefix is what the field names of t's errors start with: its id and a
// dot, or nothing.
func (t *Team) prefix() string {
	if t.ID != "" {
		return t.ID + "."
	}
	return ""
}

// field names field f of rep i in t's errors.
func (t *Team) field(i int, f string) string { return fmt.Sprintf("%sreps[%d].%s", t.prefix(), i, f) }

// Pick chooses an owner by round robin over the reps eligible at now
// (rule M9): not away, not at capacity, and not in exclude. ticket is the
// assignment's place in the team's sequence; the rep chosen is the
// (ticket mod k)-th of the k eligible reps in team order, so n successive
// tickets over a stable team give each eligible rep n/k leads, within one,
// however the tickets are spread over concurrent callers. load returns a
// rep's current number of leads in a running cadence; it is only called
// for reps with a Capacity and may be nil when none has one.
//
// Pick is deterministic and does not allocate. It reports false when no
// rep is eligible.
func (t *Team) Pick(now time.Time, ticket uint64, load func(rep string) int, exclude []string) (string, bool) {
	// Each rep is judged once, so a load that changes during the call
	// cannot make the two passes disagree.
	var small [64]bool
	ok := small[:0]
	if len(t.Reps) > len(small) {
		ok = make([]bool, 0, len(t.Reps))
	}
	k := 0
	for i := range t.Reps {
		r := &t.Reps[i]
		e := r.ID != "" && !slices.Contains(exclude, r.ID) && !r.AwayAt(now) &&
			(r.Capacity == 0 || load == nil || load(r.ID) < r.Capacity)
		ok = append(ok, e)
		if e {
			k++
		}
	}
	if k == 0 {
		return "", false
	}
	n := int(ticket % uint64(k))
	for i, e := range ok {
		if !e {
			continue
		}
		if n == 0 {
			return t.Reps[i].ID, true
		}
		n--
	}
	return "", false // unreachable: k eligible reps were counted above
}

// Eligible reports whether rep is a member of the team who could take a
// lead at now: not away and below capacity (M9). load is as for
// [Team.Pick].
func (t *Team) Eligible(rep string, now time.Time, load func(rep string) int) bool {
	for i := range t.Reps {
		r := &t.Reps[i]
		if r.ID == rep {
			return !r.AwayAt(now) && (r.Capacity == 0 || load == nil || load(r.ID) < r.Capacity)
		}
	}
	return false
}

// Org is a static roster: the inside team and, for engagement routing,
// the field team. It implements the engine's roster.
type Org struct {
	Inside Team `json:"inside"`
	Field  Team `json:"field"`
}

// Team returns the team of role; an Org has no other teams, and returns
// an empty Team for them.
func (o *Org) Team(_ context.Context, role Role) (Team, error) {
	switch role {
	case RoleInside:
		return o.Inside, nil
	case RoleField:
		return o.Field, nil
	}
	return Team{}, nil
}
