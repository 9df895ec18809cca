package rules

import (
	"fmt"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
)

// CallList returns inside sales' call list for a campaign (M6), keeping
// the order of leads: the leads on its invitation list whom no field rep
// invited and who have not registered or attended yet, leaving out
// protected statuses (S5). In a hybrid campaign inside sales calls the
// lists field sales cannot cover, to drive registration and attendance.
// field is the field team: with none, no invitation counts as field's.
// A field rep may not read the list: it is inside sales' work, and the
// error is a [*leaderr.FieldError] for "viewer.role".
func CallList(v routing.Viewer, campaign string, leads []lead.Lead, field *routing.Team) ([]lead.Lead, error) {
	if v.FieldSide() {
		return nil, &leaderr.FieldError{Field: "viewer.role", Err: fmt.Errorf("%w: the call list is inside sales' (M6)", leaderr.ErrInvalidTransition)}
	}
	var out []lead.Lead
	for _, l := range leads {
		if onCallList(&l, campaign, field) {
			out = append(out, l)
		}
	}
	return out, nil
}

func onCallList(l *lead.Lead, campaign string, field *routing.Team) bool {
	if l.Status.Protected() {
		return false
	}
	listed, covered := false, false
	for _, t := range l.Responses {
		if t.Campaign != campaign {
			continue
		}
		switch t.Kind {
		case lead.ResponseListed:
			listed = true
		case lead.ResponseInvited:
			covered = covered || field.Has(t.By)
		case lead.ResponseRegistered, lead.ResponseAttended:
			covered = true
		}
	}
	return listed && !covered
}
