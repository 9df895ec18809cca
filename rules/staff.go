package rules

import (
	"slices"
	"time"

	"github.com/leadline/leadline/routing"
)

// Staff answers the questions about people that a rule cannot answer from
// the lead: who takes a lead next, who manages a rep, who is on the field
// team, who can take work now. The engine answers them from its Roster
// and its store's round-robin sequences; [Directory] answers them from
// memory, for tests and replays.
//
// A Staff serves one rule application: answers may change between
// applications (a rep goes on leave, a sequence moves on), but a rule
// asks each question at most a few times and relies on nothing else.
// Errors are the host's (a roster or a store that failed); a rule
// returns them unchanged and its application is discarded.
type Staff interface {
	// Next returns the next rep of role's team by round robin (M9),
	// skipping reps in exclude and reps who are out of office or at
	// capacity; "" when nobody is eligible or the team is empty.
	Next(role routing.Role, exclude []string) (string, error)
	// Available reports whether rep is on the inside team and could take
	// a lead now: not out of office, not at capacity (M9).
	Available(rep string) (bool, error)
	// OnField reports whether rep counts as field sales for M4: a member
	// of the field team, or anyone at all when there is no field team, so
	// that an organisation without a field roster still routes the people
	// a rep invited or met to that rep.
	OnField(rep string) (bool, error)
	// Member reports whether rep is a member (or the manager) of role's
	// team, strictly: false when there is no such team. An account owner
	// is field sales' only when a member of the field team (M11).
	Member(role routing.Role, rep string) (bool, error)
	// Manager returns the manager who hears of rep's missed deadlines (A4,
	// T8): see [ManagerOf].
	Manager(rep string) (string, error)
}

// ManagerOf returns the manager of rep's team: the field team's for a
// field rep, else the inside team's, which is also the manager of an
// unowned lead (A4, T8). "" when that team has none.
func ManagerOf(inside, field *routing.Team, rep string) string {
	if rep != "" && field.Has(rep) && field.Manager != "" {
		return field.Manager
	}
	return inside.Manager
}

// OnFieldTeam reports whether rep counts as field sales for M4: a member
// of the field team, or anyone at all when there is no field team.
func OnFieldTeam(field *routing.Team, rep string) bool {
	return len(field.Reps) == 0 || field.Has(rep)
}

// Directory is a [Staff] kept in memory: the teams of a [routing.Org], an
// instant for out-of-office checks, optional loads for capacity, and its
// own round-robin counters (M9). It answers as the engine does over a
// store, so a replay on a Directory assigns the same owners as the engine
// that recorded the events. The zero Directory has no teams. It is not
// safe for concurrent use.
type Directory struct {
	// Org holds the inside and field teams.
	Org routing.Org
	// Now is the instant availability is judged at (M9).
	Now time.Time
	// Load returns how many leads with a running cadence rep owns; nil
	// counts none, so no capacity is ever reached.
	Load func(rep string) int

	seq map[string]uint64
}

var _ Staff = (*Directory)(nil)

func (d *Directory) team(role routing.Role) *routing.Team {
	if role == routing.RoleField {
		return &d.Org.Field
	}
	return &d.Org.Inside
}

// Next implements [Staff]: one round-robin sequence per team, counted
// from 0 by the Directory.
func (d *Directory) Next(role routing.Role, exclude []string) (string, error) {
	t := d.team(role)
	if len(t.Reps) == 0 {
		return "", nil
	}
	if d.seq == nil {
		d.seq = make(map[string]uint64)
	}
	n := d.seq[t.ID]
	d.seq[t.ID] = n + 1
	rep, _ := t.Pick(d.Now, n, d.load(t), slices.Clip(exclude))
	return rep, nil
}

// Available implements [Staff].
func (d *Directory) Available(rep string) (bool, error) {
	t := &d.Org.Inside
	return t.Has(rep) && t.Eligible(rep, d.Now, d.load(t)), nil
}

// OnField implements [Staff].
func (d *Directory) OnField(rep string) (bool, error) {
	return OnFieldTeam(&d.Org.Field, rep), nil
}

// Member implements [Staff].
func (d *Directory) Member(role routing.Role, rep string) (bool, error) {
	if role != routing.RoleInside && role != routing.RoleField {
		return false, nil
	}
	return d.team(role).Has(rep), nil
}

// Manager implements [Staff].
func (d *Directory) Manager(rep string) (string, error) {
	return ManagerOf(&d.Org.Inside, &d.Org.Field, rep), nil
}

func (d *Directory) load(t *routing.Team) func(string) int {
	if d.Load == nil || !slices.ContainsFunc(t.Reps, func(r routing.Rep) bool { return r.Capacity > 0 }) {
		return nil
	}
	return d.Load
}
