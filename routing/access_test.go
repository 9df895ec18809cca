package routing_test

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
)

// The viewers of the access tests, one per role.
var (
	insideRep = routing.Viewer{Rep: "ito", Team: "inside", Role: routing.RoleInside}
	fieldSato = routing.Viewer{Rep: "sato", Team: "field", Role: routing.RoleField}
	fieldSuzu = routing.Viewer{Rep: "suzuki", Team: "field", Role: routing.RoleField}
	manager   = routing.Viewer{Rep: "mori", Role: routing.RoleManager}
	fieldMgr  = routing.Viewer{Rep: "kato", Team: "field", Role: routing.RoleFieldManager}
	ops       = routing.Viewer{Role: routing.RoleOps}
	noRole    = routing.Viewer{Rep: "sato"}
)

// accessLeads are leads in every position a field rep could meet.
var accessLeads = map[string]lead.Lead{
	"routed to sato by M4":        {ID: "L-1", Status: lead.StatusLead, Desk: lead.DeskField, Owner: "sato"},
	"Pre-SQL handed to sato":      {ID: "L-2", Status: lead.StatusLead, Desk: lead.DeskField, Owner: "sato", Handoff: lead.HandoffPreSQL, HandedBy: "ito", HandedTo: "sato"},
	"on the field desk, suzuki's": {ID: "L-3", Status: lead.StatusLead, Desk: lead.DeskField, Owner: "suzuki"},
	"campaign MQL with inside":    {ID: "L-4", Status: lead.StatusLead, Desk: lead.DeskInside, Owner: "ito"},
	"sato owns it on the inside desk": {ID: "L-5", Status: lead.StatusLead, Desk: lead.DeskInside, Owner: "sato", AccountOwned: true,
		Responses: []lead.Touch{{Campaign: "media-webinar", Kind: lead.ResponseAttended, At: eventDay}}},
	"rejected by sato, back with inside": {ID: "L-6", Status: lead.StatusLead, Desk: lead.DeskInside, Owner: "ito", Handoff: lead.HandoffRejected, HandedBy: "ito", HandedTo: "sato"},
	"on the field desk, unassigned":      {ID: "L-7", Status: lead.StatusNew, Desk: lead.DeskField},
	"new, nobody's":                      {ID: "L-8", Status: lead.StatusNew},
	"only on an invitation list":         {ID: "L-9", Status: lead.StatusNew, Responses: []lead.Touch{{Campaign: "conf", Kind: lead.ResponseListed, At: eventDay}}},
}

// fieldSees is what field rep sato may see in an inside-first
// organisation: only the leads on the field desk that he owns (M2).
func fieldSees(l *lead.Lead) bool { return l.Desk == lead.DeskField && l.Owner == "sato" }

func TestRules_Access_M2(t *testing.T) {
	t.Parallel()
	insideFirst := routing.Rules{}
	summary := routing.Rules{FieldSummary: true}
	tests := []struct {
		name   string
		rules  routing.Rules
		viewer routing.Viewer
		want   func(l *lead.Lead) routing.Access
	}{
		{name: "M2 inside sales sees every lead", rules: insideFirst, viewer: insideRep, want: always(routing.FullAccess)},
		{name: "M2 a manager sees every lead", rules: insideFirst, viewer: manager, want: always(routing.FullAccess)},
		{name: "M2 ops sees every lead", rules: insideFirst, viewer: ops, want: always(routing.FullAccess)},
		{name: "M2 inside-first: a field rep sees only his field-desk leads", rules: insideFirst, viewer: fieldSato,
			want: func(l *lead.Lead) routing.Access {
				if fieldSees(l) {
					return routing.FullAccess
				}
				return routing.NoAccess
			}},
		{name: "M2 inside-first: another field rep sees only hers", rules: insideFirst, viewer: fieldSuzu,
			want: func(l *lead.Lead) routing.Access {
				if l.Desk == lead.DeskField && l.Owner == "suzuki" {
					return routing.FullAccess
				}
				return routing.NoAccess
			}},
		{name: "M2 D summary switch: a field rep sees the rest as a summary, if it has any response", rules: summary, viewer: fieldSato,
			want: func(l *lead.Lead) routing.Access {
				switch {
				case fieldSees(l):
					return routing.FullAccess
				case len(routing.Summarize(l).Responses) == 0:
					return routing.NoAccess // nothing to show: as a missing id (M2)
				}
				return routing.SummaryAccess
			}},
		{name: "M2 the summary switch does not narrow inside sales", rules: summary, viewer: insideRep, want: always(routing.FullAccess)},
		{name: "M1 direct: field sales sees everything", rules: routing.Rules{Organisation: routing.Direct}, viewer: fieldSato, want: always(routing.FullAccess)},
		{name: "M8 field-only: field sales sees everything", rules: routing.Rules{Organisation: routing.FieldOnly}, viewer: fieldSuzu, want: always(routing.FullAccess)},
		{name: "M2 a viewer with no role sees nothing", rules: insideFirst, viewer: noRole, want: always(routing.NoAccess)},
		{name: "M2 a viewer with no role sees nothing, summary on, direct", rules: routing.Rules{Organisation: routing.Direct, FieldSummary: true}, viewer: noRole, want: always(routing.NoAccess)},
		{name: "M2 a viewer with an unknown role sees nothing", rules: insideFirst, viewer: routing.Viewer{Rep: "x", Role: 9}, want: always(routing.NoAccess)},
		{name: "M2 a field viewer without a rep id owns nothing", rules: insideFirst, viewer: routing.Viewer{Role: routing.RoleField}, want: always(routing.NoAccess)},
		{name: "M2 inside-first: the field manager sees the whole field desk and nothing else", rules: insideFirst, viewer: fieldMgr,
			want: func(l *lead.Lead) routing.Access {
				if l.Desk == lead.DeskField {
					return routing.FullAccess
				}
				return routing.NoAccess
			}},
		{name: "M2 D summary switch: the field manager sees the rest as field reps do", rules: summary, viewer: fieldMgr,
			want: func(l *lead.Lead) routing.Access {
				switch {
				case l.Desk == lead.DeskField:
					return routing.FullAccess
				case len(routing.Summarize(l).Responses) == 0:
					return routing.NoAccess
				}
				return routing.SummaryAccess
			}},
		{name: "M1 direct: the field manager sees everything", rules: routing.Rules{Organisation: routing.Direct}, viewer: fieldMgr, want: always(routing.FullAccess)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, name := range slices.Sorted(maps.Keys(accessLeads)) {
				l := accessLeads[name]
				if got, want := tt.rules.Access(tt.viewer, &l), tt.want(&l); got != want {
					t.Errorf("Access(%s %s, %s) = %v, want %v", tt.viewer.Role, tt.viewer.Rep, name, got, want)
				}
			}
		})
	}
}

func always(a routing.Access) func(*lead.Lead) routing.Access {
	return func(*lead.Lead) routing.Access { return a }
}

// TestRules_Access_M2_probe has a field rep probe drawn leads in an
// inside-first organisation: he sees a lead fully exactly when it is on
// the field desk and his, and otherwise nothing, or with the switch on
// its summary and nothing more.
func TestRules_Access_M2_probe(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		reps := []string{"", "sato", "suzuki", "ito"}
		l := lead.Lead{
			ID:       "L-" + rapid.StringMatching(`[0-9]{1,4}`).Draw(t, "id"),
			Status:   lead.Status(rapid.IntRange(0, 6).Draw(t, "status")),
			Desk:     lead.Desk(rapid.IntRange(0, 1).Draw(t, "desk")),
			Owner:    rapid.SampledFrom(reps).Draw(t, "owner"),
			Handoff:  lead.Handoff(rapid.IntRange(0, 3).Draw(t, "handoff")),
			HandedTo: rapid.SampledFrom(reps).Draw(t, "handed to"),
			HandedBy: rapid.SampledFrom(reps).Draw(t, "handed by"),
		}
		l.AccountOwned = rapid.Bool().Draw(t, "account owned")
		for _, k := range rapid.SliceOfN(rapid.SampledFrom([]lead.ResponseKind{lead.ResponseListed, lead.ResponseInvited, lead.ResponseAttended}), 0, 2).Draw(t, "responses") {
			l.Responses = append(l.Responses, lead.Touch{Campaign: "c", Kind: k})
		}
		summary := rapid.Bool().Draw(t, "field summary")
		rules := routing.Rules{Organisation: rapid.SampledFrom([]routing.Model{routing.OrgDefault, routing.InsideFirst}).Draw(t, "organisation"), FieldSummary: summary}
		got := rules.Access(fieldSato, &l)
		want := routing.NoAccess
		switch {
		case fieldSees(&l):
			want = routing.FullAccess
		case summary && len(routing.Summarize(&l).Responses) > 0:
			// M2: with nothing to summarise the lead answers as a missing
			// id does, so no id can be probed.
			want = routing.SummaryAccess
		}
		if got != want {
			t.Fatalf("M2 field rep sato, lead %+v, summary %v: Access = %v, want %v", l, summary, got, want)
		}
	})
}

func TestSummarize_M2(t *testing.T) {
	t.Parallel()
	at := func(h int) time.Time { return eventDay.Add(time.Duration(h) * time.Hour) }
	l := lead.Lead{ID: "L-1", Owner: "ito", Profile: lead.Profile{Company: "Acme", Name: "Taro Yamada", Email: "taro@example.jp"},
		BANT: lead.BANT{Budget: "5M yen"}, Feedback: lead.Feedback{Comment: "private"},
		Responses: []lead.Touch{
			{Campaign: "conf-2025", Kind: lead.ResponseListed, At: at(0), By: "ito"},
			{Campaign: "conf-2025", Kind: lead.ResponseInvited, At: at(1), By: "sato"},
			{Campaign: "conf-2025", Kind: lead.ResponseRegistered, At: at(2), By: "sato"},
			{Campaign: "media-webinar", Kind: lead.ResponseListed, At: at(3)},
			{Campaign: "conf-2025", Kind: lead.ResponseAttended, At: at(4), By: "sato"},
		}}
	got := routing.Summarize(&l)
	want := routing.Summary{Lead: "L-1", Responses: []routing.ResponseSummary{
		{Campaign: "conf-2025", Response: lead.ResponseInvited, At: at(1)},
		{Campaign: "conf-2025", Response: lead.ResponseRegistered, At: at(2)},
		{Campaign: "conf-2025", Response: lead.ResponseAttended, At: at(4)},
	}}
	if got.Lead != want.Lead || !slices.Equal(got.Responses, want.Responses) {
		t.Errorf("Summarize =\n%+v\nwant\n%+v", got, want)
	}

	// Nothing but campaign, response and date leaves in the summary.
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	var decoded struct {
		Lead      string           `json:"lead"`
		Responses []map[string]any `json:"responses"`
	}
	var top map[string]any
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	if keys := slices.Sorted(maps.Keys(top)); !slices.Equal(keys, []string{"lead", "responses"}) {
		t.Errorf("M2 summary has fields %v, want lead and responses only", keys)
	}
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	for _, r := range decoded.Responses {
		if keys := slices.Sorted(maps.Keys(r)); !slices.Equal(keys, []string{"at", "campaign", "response"}) {
			t.Errorf("M2 summary response has fields %v, want at, campaign, response", keys)
		}
	}

	empty := routing.Summarize(&lead.Lead{ID: "L-2"})
	if empty.Responses == nil || len(empty.Responses) != 0 {
		t.Errorf("Summarize of a lead with no responses = %#v, want an empty, non-nil list", empty.Responses)
	}
}

func TestViewer_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		v         routing.Viewer
		wantField string
	}{
		{name: "inside rep", v: insideRep},
		{name: "field rep", v: fieldSato},
		{name: "manager", v: manager},
		{name: "ops without a rep id", v: ops},
		{name: "M2 role required", v: noRole, wantField: "viewer.role"},
		{name: "M2 unknown role", v: routing.Viewer{Rep: "x", Role: 9}, wantField: "viewer.role"},
		{name: "M2 inside rep needs a rep id", v: routing.Viewer{Role: routing.RoleInside}, wantField: "viewer.rep"},
		{name: "M2 field rep needs a rep id", v: routing.Viewer{Role: routing.RoleField, Team: "field"}, wantField: "viewer.rep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.v.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			wantFieldError(t, err, tt.wantField)
		})
	}
}

func TestAccess_String(t *testing.T) {
	t.Parallel()
	for a, want := range map[routing.Access]string{routing.NoAccess: "none", routing.SummaryAccess: "summary", routing.FullAccess: "full", 7: "access(7)"} {
		if got := a.String(); got != want {
			t.Errorf("Access(%d).String() = %q, want %q", uint8(a), got, want)
		}
	}
}

// TestScopeManager_M2: a manager sees what their team may see. The team
// is named by Team, else by the team the manager manages; a Team that
// names neither team is refused rather than read as everything.
func TestScopeManager_M2(t *testing.T) {
	t.Parallel()
	inside := routing.Team{ID: "inside", Manager: "mori"}
	field := routing.Team{ID: "field", Manager: "kato"}
	tests := []struct {
		name   string
		viewer routing.Viewer
		want   routing.Role
		bad    bool
	}{
		{"the field team named", routing.Viewer{Rep: "kato", Team: "field", Role: routing.RoleManager}, routing.RoleFieldManager, false},
		{"the field team named by another manager", routing.Viewer{Rep: "x", Team: "field", Role: routing.RoleManager}, routing.RoleFieldManager, false},
		{"the field team's manager, no team named", routing.Viewer{Rep: "kato", Role: routing.RoleManager}, routing.RoleFieldManager, false},
		{"the inside team named", routing.Viewer{Rep: "mori", Team: "inside", Role: routing.RoleManager}, routing.RoleManager, false},
		{"the inside team's manager, no team named", routing.Viewer{Rep: "mori", Role: routing.RoleManager}, routing.RoleManager, false},
		{"sales management over both", routing.Viewer{Rep: "director", Role: routing.RoleManager}, routing.RoleManager, false},
		{"a team of neither", routing.Viewer{Rep: "kato", Team: "feild", Role: routing.RoleManager}, 0, true},
		{"a field rep is left as is", fieldSato, routing.RoleField, false},
	}
	for _, tt := range tests {
		got, err := routing.ScopeManager(tt.viewer, &inside, &field)
		if tt.bad {
			wantFieldError(t, err, "viewer.team")
			continue
		}
		if err != nil || got.Role != tt.want || got.Rep != tt.viewer.Rep || got.Team != tt.viewer.Team {
			t.Errorf("%s: ScopeManager = %+v, %v; want role %v, rep and team kept", tt.name, got, err, tt.want)
		}
	}
	// One manager of both teams is inside sales' manager: they see all.
	both := routing.Team{ID: "field", Manager: "mori"}
	if got, _ := routing.ScopeManager(routing.Viewer{Rep: "mori", Role: routing.RoleManager}, &inside, &both); got.Role != routing.RoleManager {
		t.Errorf("a manager of both teams reads as %v, want manager", got.Role)
	}
}

// TestRules_MayRecord_M2 checks who may post an event, M2 applied to
// writes: whoever sees every lead posts anything, creations included; a
// field rep only on a lead they see in full, a hidden or new lead being
// answered as missing; a rep only in their own name, whatever the lead.
func TestRules_MayRecord_M2(t *testing.T) {
	t.Parallel()
	inside := &lead.Lead{ID: "L-1", Owner: "rep-a", Desk: lead.DeskInside}
	field := &lead.Lead{ID: "L-2", Owner: "field-1", Desk: lead.DeskField}
	var (
		ops      = routing.Viewer{Rep: "ops-1", Role: routing.RoleOps}
		rep      = routing.Viewer{Rep: "rep-a", Role: routing.RoleInside}
		fieldRep = routing.Viewer{Rep: "field-1", Role: routing.RoleField}
		fieldMgr = routing.Viewer{Rep: "fmgr", Role: routing.RoleFieldManager}
		manager  = routing.Viewer{Rep: "mgr", Role: routing.RoleManager}
	)
	for _, c := range []struct {
		name  string
		rules routing.Rules
		v     routing.Viewer
		l     *lead.Lead
		actor string
		want  routing.Recording
	}{
		{"ops on an inside lead in a rep's name", routing.Rules{}, ops, inside, "rep-b", routing.RecordAllowed},
		{"ops creates a lead", routing.Rules{}, ops, nil, "", routing.RecordAllowed},
		{"inside rep creates a lead", routing.Rules{}, rep, nil, "", routing.RecordAllowed},
		{"inside rep in own name", routing.Rules{}, rep, inside, "rep-a", routing.RecordAllowed},
		{"inside rep in another's name", routing.Rules{}, rep, inside, "rep-b", routing.RecordNotYours},
		{"manager in a rep's name", routing.Rules{}, manager, inside, "rep-b", routing.RecordAllowed},
		{"field rep on own lead", routing.Rules{}, fieldRep, field, "field-1", routing.RecordAllowed},
		{"field rep on own lead, no actor", routing.Rules{}, fieldRep, field, "", routing.RecordAllowed},
		{"field rep in another's name on own lead", routing.Rules{}, fieldRep, field, "field-2", routing.RecordNotYours},
		{"field rep on an inside lead", routing.Rules{}, fieldRep, inside, "field-1", routing.RecordHidden},
		{"field rep on an inside lead with summaries on", routing.Rules{FieldSummary: true}, fieldRep, inside, "", routing.RecordHidden},
		{"field rep creates a lead", routing.Rules{}, fieldRep, nil, "", routing.RecordHidden},
		{"field rep creates a lead in a direct organisation", routing.Rules{Organisation: routing.Direct}, fieldRep, nil, "", routing.RecordAllowed},
		{"field manager on the field desk for a rep", routing.Rules{}, fieldMgr, field, "field-1", routing.RecordAllowed},
		{"field manager on an inside lead", routing.Rules{}, fieldMgr, inside, "", routing.RecordHidden},
	} {
		if got := c.rules.MayRecord(c.v, c.l, c.actor); got != c.want {
			t.Errorf("%s: MayRecord = %d, want %d", c.name, got, c.want)
		}
	}
}
