package routing_test

import (
	"slices"
	"testing"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
)

// eventDay is the day of the annual user conference, 10:00 JST.
var eventDay = time.Date(2025, 6, 12, 10, 0, 0, 0, zoneJST)

// touch is a response of kind k to campaign c driven by rep by.
func touch(c string, k lead.ResponseKind, by string) lead.Touch {
	return lead.Touch{Campaign: c, Kind: k, At: eventDay, By: by}
}

func TestCredits_M6(t *testing.T) {
	t.Parallel()
	const conf = "conf-2025"
	tests := []struct {
		name  string
		leads []lead.Lead
		want  []routing.Credit
	}{
		{
			name:  "M6 no leads, no credit",
			leads: nil,
			want:  nil,
		},
		{
			name: "M6 registrations and attendance go to the rep who drove them",
			leads: []lead.Lead{
				{ID: "L-1", Responses: []lead.Touch{touch(conf, lead.ResponseInvited, "sato"), touch(conf, lead.ResponseRegistered, "sato"), touch(conf, lead.ResponseAttended, "sato")}},
				{ID: "L-2", Responses: []lead.Touch{touch(conf, lead.ResponseListed, ""), touch(conf, lead.ResponseRegistered, "ito"), touch(conf, lead.ResponseAttended, "ito")}},
				{ID: "L-3", Responses: []lead.Touch{touch(conf, lead.ResponseRegistered, "ito")}},
			},
			want: []routing.Credit{
				{Rep: "ito", Registrations: 2, Attendance: 1},
				{Rep: "sato", Registrations: 1, Attendance: 1},
			},
		},
		{
			name: "M6 uncredited registrations and attendance go to marketing, rep \"\", first",
			leads: []lead.Lead{
				{ID: "L-1", Responses: []lead.Touch{touch(conf, lead.ResponseRegistered, ""), touch(conf, lead.ResponseAttended, "")}},
				{ID: "L-2", Responses: []lead.Touch{touch(conf, lead.ResponseRegistered, "ito")}},
			},
			want: []routing.Credit{
				{Rep: "", Registrations: 1, Attendance: 1},
				{Rep: "ito", Registrations: 1},
			},
		},
		{
			name: "M6 a lead counts once per column, for its first touch",
			leads: []lead.Lead{
				{ID: "L-1", Responses: []lead.Touch{
					touch(conf, lead.ResponseRegistered, "ito"), touch(conf, lead.ResponseRegistered, "kato"),
					touch(conf, lead.ResponseAttended, "kato"), touch(conf, lead.ResponseAttended, "ito"),
				}},
			},
			want: []routing.Credit{
				{Rep: "ito", Registrations: 1},
				{Rep: "kato", Attendance: 1},
			},
		},
		{
			name: "M6 a Pre-SQL goes to the inside rep who handed it off, whatever field sales made of it",
			leads: []lead.Lead{
				{ID: "L-1", Responses: []lead.Touch{touch(conf, lead.ResponseAttended, "")}, Handoff: lead.HandoffPreSQL, HandedBy: "ito", HandedTo: "suzuki"},
				{ID: "L-2", Responses: []lead.Touch{touch(conf, lead.ResponseAttended, "")}, Handoff: lead.HandoffRejected, HandedBy: "ito", HandedTo: "suzuki"},
				{ID: "L-3", Responses: []lead.Touch{touch(conf, lead.ResponseDownloaded, "")}, Handoff: lead.HandoffAccepted, HandedBy: "kato", HandedTo: "suzuki", Desk: lead.DeskField, Owner: "suzuki"},
				{ID: "L-4", Responses: []lead.Touch{touch(conf, lead.ResponseAttended, "")}, Handoff: lead.HandoffNone, HandedBy: "ito"},
			},
			want: []routing.Credit{
				{Rep: "", Attendance: 3},
				{Rep: "ito", PreSQLs: 2},
				{Rep: "kato", PreSQLs: 1},
				{Rep: "suzuki", Opportunities: 1},
			},
		},
		{
			name: "M6 an opportunity goes to the field owner: Owner on the field desk, else HandedTo",
			leads: []lead.Lead{
				{ID: "L-1", Responses: []lead.Touch{touch(conf, lead.ResponseMet, "sato")}, Desk: lead.DeskField, Owner: "sato",
					Feedback: lead.Feedback{Target: true, State: lead.Done, Opportunity: lead.OutcomeYes}},
				{ID: "L-2", Responses: []lead.Touch{touch(conf, lead.ResponseVisited, "")}, Desk: lead.DeskInside, Owner: "ito",
					Handoff: lead.HandoffAccepted, HandedBy: "ito", HandedTo: "suzuki"},
				{ID: "L-3", Responses: []lead.Touch{touch(conf, lead.ResponseMet, "sato")}, Desk: lead.DeskField, Owner: "sato",
					Feedback: lead.Feedback{Opportunity: lead.OutcomeNo}},
			},
			want: []routing.Credit{
				{Rep: "ito", PreSQLs: 1},
				{Rep: "sato", Opportunities: 1},
				{Rep: "suzuki", Opportunities: 1},
			},
		},
		{
			name: "M6 an opportunity by feedback and by acceptance counts once",
			leads: []lead.Lead{
				{ID: "L-1", Responses: []lead.Touch{touch(conf, lead.ResponseAttended, "sato")}, Desk: lead.DeskField, Owner: "sato",
					Handoff: lead.HandoffAccepted, HandedBy: "ito", HandedTo: "sato", Feedback: lead.Feedback{Opportunity: lead.OutcomeYes}},
			},
			want: []routing.Credit{
				{Rep: "ito", PreSQLs: 1},
				{Rep: "sato", Attendance: 1, Opportunities: 1},
			},
		},
		{
			name: "M6 only leads that responded to this campaign: a list entry or another campaign does not count",
			leads: []lead.Lead{
				{ID: "L-1", Responses: []lead.Touch{touch(conf, lead.ResponseListed, "ito")}, Handoff: lead.HandoffAccepted, HandedBy: "ito", HandedTo: "suzuki",
					Desk: lead.DeskField, Owner: "suzuki", Feedback: lead.Feedback{Opportunity: lead.OutcomeYes}},
				{ID: "L-2", Responses: []lead.Touch{touch("webinar-7", lead.ResponseRegistered, "ito"), touch("webinar-7", lead.ResponseAttended, "ito")},
					Handoff: lead.HandoffPreSQL, HandedBy: "ito"},
				{ID: "L-3"},
			},
			want: nil,
		},
		{
			name: "M6 hybrid: inside drives attendance and Pre-SQLs, field the opportunities",
			leads: []lead.Lead{
				// Invited by field rep sato, met him, an opportunity (M4, M5).
				{ID: "L-1", Desk: lead.DeskField, Owner: "sato", Responses: []lead.Touch{
					touch(conf, lead.ResponseInvited, "sato"), touch(conf, lead.ResponseRegistered, "sato"),
					touch(conf, lead.ResponseAttended, "sato"), touch(conf, lead.ResponseMet, "sato"),
				}, Feedback: lead.Feedback{Target: true, State: lead.Done, Opportunity: lead.OutcomeYes}},
				// From inside's call list: ito drove registration and
				// attendance, qualified it and handed it to suzuki, who accepted.
				{ID: "L-2", Desk: lead.DeskField, Owner: "suzuki", Responses: []lead.Touch{
					touch(conf, lead.ResponseListed, ""), touch(conf, lead.ResponseRegistered, "ito"), touch(conf, lead.ResponseAttended, "ito"),
				}, Handoff: lead.HandoffAccepted, HandedBy: "ito", HandedTo: "suzuki"},
				// From the call list, registered, did not come.
				{ID: "L-3", Responses: []lead.Touch{touch(conf, lead.ResponseListed, ""), touch(conf, lead.ResponseRegistered, "kato")}},
				// Marketing's e-mail brought them.
				{ID: "L-4", Responses: []lead.Touch{touch(conf, lead.ResponseRegistered, ""), touch(conf, lead.ResponseAttended, "")}},
			},
			want: []routing.Credit{
				{Rep: "", Registrations: 1, Attendance: 1},
				{Rep: "ito", Registrations: 1, Attendance: 1, PreSQLs: 1},
				{Rep: "kato", Registrations: 1},
				{Rep: "sato", Registrations: 1, Attendance: 1, Opportunities: 1},
				{Rep: "suzuki", Opportunities: 1},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			before := cloneLeads(tt.leads)
			got := routing.Credits(conf, tt.leads)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Credits(%q) =\n%+v\nwant\n%+v", conf, got, tt.want)
			}
			for i := range before {
				if !slices.Equal(before[i].Responses, tt.leads[i].Responses) {
					t.Errorf("Credits changed lead %s's responses", tt.leads[i].ID)
				}
			}
		})
	}
}

func cloneLeads(ls []lead.Lead) []lead.Lead {
	out := make([]lead.Lead, len(ls))
	for i, l := range ls {
		out[i] = l.Clone()
	}
	return out
}

func TestInsideProgress_M6(t *testing.T) {
	t.Parallel()
	inside := routing.Team{ID: "inside", Manager: "mori", Reps: []routing.Rep{{ID: "ito"}, {ID: "kato"}}}
	camp := &routing.Campaign{ID: "conf-2025", Type: routing.OwnEvent, Model: routing.Hybrid,
		Targets: routing.Targets{Registrations: 5, Attendance: 3}}
	credits := []routing.Credit{
		{Rep: "", Registrations: 10, Attendance: 8},
		{Rep: "ito", Registrations: 3, Attendance: 2, PreSQLs: 1},
		{Rep: "kato", Registrations: 1},
		{Rep: "mori", Attendance: 1},
		{Rep: "sato", Registrations: 5, Attendance: 5, Opportunities: 2},
	}
	tests := []struct {
		name        string
		credits     []routing.Credit
		inside      *routing.Team
		want        routing.Progress
		wantReached bool
	}{
		{
			name:    "M6 inside team's reps and manager count; marketing and field do not",
			credits: credits, inside: &inside,
			want: routing.Progress{Registrations: 4, Attendance: 3, Targets: camp.Targets},
		},
		{
			name:    "M6 targets met",
			credits: append(slices.Clone(credits), routing.Credit{Rep: "kato", Registrations: 1}), inside: &inside,
			want:        routing.Progress{Registrations: 5, Attendance: 3, Targets: camp.Targets},
			wantReached: true,
		},
		{
			name:    "M6 no inside team counts nothing",
			credits: credits, inside: nil,
			want: routing.Progress{Targets: camp.Targets},
		},
	}
	for _, tt := range tests {
		got := routing.InsideProgress(camp, tt.credits, tt.inside)
		if got != tt.want {
			t.Errorf("%s: InsideProgress = %+v, want %+v", tt.name, got, tt.want)
		}
		if got.Reached() != tt.wantReached {
			t.Errorf("%s: Reached() = %v, want %v", tt.name, got.Reached(), tt.wantReached)
		}
	}
}

// TestCredits_oldestFirst: a lead with two registrations of one campaign
// credits the oldest, whatever order they were recorded in (M6).
func TestCredits_oldestFirst(t *testing.T) {
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	leads := []lead.Lead{{ID: "1", Responses: []lead.Touch{
		{Campaign: "conf", Kind: lead.ResponseRegistered, At: t0.Add(time.Hour), By: "ito"},
		{Campaign: "conf", Kind: lead.ResponseRegistered, At: t0, By: "abe"},
		{Campaign: "conf", Kind: lead.ResponseAttended, At: t0.Add(48 * time.Hour), By: "ito"},
	}}}
	got := routing.Credits("conf", leads)
	want := []routing.Credit{{Rep: "abe", Registrations: 1}, {Rep: "ito", Attendance: 1}}
	if !slices.Equal(got, want) {
		t.Errorf("Credits = %+v, want %+v (abe's registration is the oldest)", got, want)
	}
}
