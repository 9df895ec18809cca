package replay

import (
	"cmp"
	"slices"
	"time"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
)

// Counts are what a run did to the leads, counted from their history
// entries as the follow-up SLA report counts them (V9), so that a replay
// and the reports agree.
type Counts struct {
	// Requests are approach requests opened (A1-A8, M1): request entries
	// to "open" from anything but "overdue".
	Requests int `json:"requests"`
	// Attempted are those requests that got a first attempt: the attempt
	// that answered the request (A4), whatever stage it made.
	Attempted int `json:"attempted"`
	// Late are steps made after their deadline (T9).
	Late int `json:"late"`
	// Reassignments are owner changes by T1 or T13 to another rep: a rep
	// lost the lead for not working it (T10).
	Reassignments int `json:"reassignments"`
	// Reminders are missed deadlines that reminded the owner and alerted
	// the manager (A4, T8, T13).
	Reminders int `json:"reminders"`
	// Escalations are leads handed to the manager (T10).
	Escalations int `json:"escalations"`
	// Recycles are cadences exhausted without contact (T7).
	Recycles int `json:"recycles"`
	// Connections are two-way contacts that ended a cadence (T6).
	Connections int `json:"connections"`
	// Breaches are deadlines missed for the first time: a request's due
	// date (A4) or a stage's window (T1, T8); the reminders that repeat
	// them (T13) are not new breaches.
	Breaches int `json:"breaches"`
	// Handoffs are Pre-SQLs handed to field sales (M10).
	Handoffs int `json:"handoffs"`
}

func (c *Counts) add(o *Counts) {
	c.Requests += o.Requests
	c.Attempted += o.Attempted
	c.Late += o.Late
	c.Reassignments += o.Reassignments
	c.Reminders += o.Reminders
	c.Escalations += o.Escalations
	c.Recycles += o.Recycles
	c.Connections += o.Connections
	c.Breaches += o.Breaches
	c.Handoffs += o.Handoffs
}

// Row is Counts for a rep or a campaign, with the times from request to
// first attempt behind them.
type Row struct {
	Counts
	// FirstAttempt is the median time from an approach request to its
	// first attempt (V9), zero with none.
	FirstAttempt time.Duration `json:"first_attempt_median"`
	waits        []time.Duration
}

// LeadOutcome is where a lead ended up and what happened to it on the
// way: two runs treated a lead alike when their LeadOutcomes are equal.
type LeadOutcome struct {
	Owner   string `json:"owner"`
	Status  string `json:"status"`
	Stage   string `json:"stage"`
	Request string `json:"request,omitempty"`
	Counts
	// FirstAttempt is the time from the lead's first request to its first
	// attempt; zero when it had none.
	FirstAttempt time.Duration `json:"first_attempt,omitempty"`
	// Campaigns are the campaigns the lead responded to, sorted.
	Campaigns []string `json:"campaigns,omitempty"`
}

// Outcome is what a replay did: counts for the team, per rep, per
// campaign and per lead, each built from the history entries written
// (E3).
type Outcome struct {
	// Policy is the policy the replay ran under, its defaults written
	// out ([rules.Policy.Normalize]).
	Policy rules.Policy `json:"-"`
	// Events is how many events of the log were handed to the engine;
	// Refused, how many it refused under the replay's policy, by kind of
	// refusal ("invalid transition", "not found", "duplicate", ...).
	Events  int            `json:"events"`
	Refused map[string]int `json:"refused,omitempty"`
	// Fired counts deadlines fired by sweeps; History, history entries
	// written.
	Fired   int `json:"fired"`
	History int `json:"history"`
	// Notifications counts the notifications delivered, by kind.
	Notifications map[string]int `json:"notifications"`
	// Team is every lead's counts together.
	Team Row `json:"team"`
	// Reps are the counts of each owner at the time of the change ("" for
	// a lead nobody owned), Campaigns those of the leads that responded to
	// each campaign.
	Reps      map[string]*Row `json:"reps"`
	Campaigns map[string]*Row `json:"campaigns,omitempty"`
	// Leads are each lead's outcome, by id.
	Leads map[string]*LeadOutcome `json:"leads"`

	eng *leadline.Engine
	// state is what counting remembers of each lead, by id; a replay's
	// watch keeps its deadlines' generations in the same entries, so that
	// a write finds its lead once.
	state map[string]*leadState
	// last is the lead of the last entry counted: a write's entries are
	// all of one lead.
	last *leadState
}

// Engine returns the engine the replay ran, over its memstore at the
// end of the run: read a lead's history or Explain it (an ops viewer
// sees every lead, M2). Nil for an Outcome not made by [Run].
func (o *Outcome) Engine() *leadline.Engine { return o.eng }

// leadState is what counting needs to remember of a lead between its
// history entries.
type leadState struct {
	id         string
	gen        uint32       // the generation of the lead's pending deadlines (watch)
	out        *LeadOutcome // the lead's entry in Outcome.Leads; nil until counted
	owner      string
	opened     time.Time
	open       bool
	waited     bool
	overdueFor string // the firing key that last made the request overdue
	campaigns  map[string]bool
}

func newOutcome() *Outcome {
	return &Outcome{Refused: map[string]int{}, Notifications: map[string]int{}, Reps: map[string]*Row{},
		Campaigns: map[string]*Row{}, Leads: map[string]*LeadOutcome{}, state: map[string]*leadState{}}
}

var (
	keyRequestOpen    = lead.RequestOpen.String()
	keyRequestOverdue = lead.RequestOverdue.String()
	keyRequestDone    = lead.RequestDone.String()
	keyConnected      = stage.Connected.Key()
	keyPreSQL         = lead.HandoffPreSQL.String()
)

func (o *Outcome) lead(id string) (*LeadOutcome, *leadState) {
	st := o.last
	if st == nil || st.id != id {
		st = stateOf(o.state, id)
		o.last = st
	}
	return o.counted(st), st
}

// counted returns st's outcome, entered in o.Leads when it is first
// counted.
func (o *Outcome) counted(st *leadState) *LeadOutcome {
	if st.out == nil {
		st.out = &LeadOutcome{}
		o.Leads[st.id] = st.out
	}
	return st.out
}

// stateOf returns the entry of lead id in m, made if there is none.
func stateOf(m map[string]*leadState, id string) *leadState {
	st := m[id]
	if st == nil {
		st = &leadState{id: id}
		m[id] = st
	}
	return st
}

func (o *Outcome) rep(id string) *Row {
	r := o.Reps[id]
	if r == nil {
		r = &Row{}
		o.Reps[id] = r
	}
	return r
}

// response notes what a lead's response event says that its history
// does not: the campaign (M6).
func (o *Outcome) response(leadID, campaign string) {
	if campaign == "" {
		return
	}
	_, st := o.lead(leadID)
	if st.campaigns == nil {
		st.campaigns = map[string]bool{}
	}
	st.campaigns[campaign] = true
}

// change counts one history entry, as report.SLA counts it (V9).
func (o *Outcome) change(c lead.Change) {
	_, st := o.lead(c.Lead)
	o.count(st, &c)
}

// count counts c, an entry of the lead of st.
func (o *Outcome) count(st *leadState, c *lead.Change) {
	o.History++
	l := o.counted(st)
	var d Counts // what c adds, for the lead and its owner
	switch c.Field {
	case lead.FieldStatus:
		l.Status = c.To
	case lead.FieldLead:
		l.Status = c.To
		l.Stage = stage.Untouched.Key()
	case lead.FieldOwner:
		switch c.Rule {
		case "T1", "T13":
			d.Reassignments++
		case "T10":
			d.Escalations++
		}
		o.rep(st.owner).add(&d)
		l.add(&d)
		o.Team.add(&d)
		st.owner, l.Owner = c.To, c.To
		return
	case lead.FieldRequest:
		l.Request = c.To
		switch {
		case c.To == keyRequestOpen && c.From != keyRequestOverdue:
			d.Requests++
			st.opened, st.open = c.At, true
		case st.open && c.To == keyRequestDone && c.Rule == "A4":
			// The request's first attempt: the one that answered it (A4),
			// whatever stage it made.
			st.open = false
			d.Attempted++
			w := c.At.Sub(st.opened)
			r := o.rep(st.owner)
			r.waits = append(r.waits, w)
			o.Team.waits = append(o.Team.waits, w)
			if !st.waited {
				st.waited, l.FirstAttempt = true, w
			}
		case c.To == keyRequestOverdue && c.Rule == "A4":
			// A request's own deadline reminds (A4); a Stage1 window that
			// passes makes the request overdue too, and the T1 entry that
			// follows with the same firing key counts the one reminder.
			d.Reminders++
			d.Breaches++
			st.overdueFor = c.Event
		}
	case lead.FieldHandoff:
		if c.To == keyPreSQL {
			d.Handoffs++
		}
	case lead.FieldStage:
		l.Stage = c.To
		switch {
		case c.Rule == "T7":
			d.Recycles++
		case c.To == keyConnected && c.From != c.To:
			d.Connections++
		case c.From == c.To && (c.Rule == "T1" || c.Rule == "T8" || c.Rule == "T13"):
			if c.Rule == "T1" && st.overdueFor == c.Event && c.Event != "" {
				d.Reminders-- // counted by the request's A4 entry of this firing
				d.Breaches--
			}
			if c.Rule != "T13" {
				d.Breaches++
			}
			if c.Rule != "T13" || !rules.ReasonIs(*c, "attempt-handed-on") { // the T13 entry that hands on reminds nobody
				d.Reminders++
			}
		case c.From != c.To && c.To != keyConnected && c.Rule == "T9":
			d.Late++
		}
	}
	o.rep(st.owner).add(&d)
	l.add(&d)
	o.Team.add(&d)
}

// finish fills in what the driver counted and the medians.
func (o *Outcome) finish(s *stats) {
	o.Events, o.Fired = s.Events, s.Fired
	for k, v := range s.Refused {
		o.Refused[k] = v
	}
	o.Team.FirstAttempt = median(o.Team.waits)
	for _, r := range o.Reps {
		r.FirstAttempt = median(r.waits)
	}
	for _, st := range o.state {
		l := st.out
		if l == nil {
			continue // written, never counted
		}
		for c := range st.campaigns {
			l.Campaigns = append(l.Campaigns, c)
			r := o.Campaigns[c]
			if r == nil {
				r = &Row{}
				o.Campaigns[c] = r
			}
			r.add(&l.Counts)
			if l.FirstAttempt > 0 {
				r.waits = append(r.waits, l.FirstAttempt)
			}
		}
		slices.Sort(l.Campaigns)
	}
	for _, r := range o.Campaigns {
		r.FirstAttempt = median(r.waits)
	}
}

// median returns the median of ws, the lower middle of an even count,
// as V9 reads it; zero for none.
func median(ws []time.Duration) time.Duration {
	if len(ws) == 0 {
		return 0
	}
	s := slices.Clone(ws)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, cmp.Compare)
	return ks
}
