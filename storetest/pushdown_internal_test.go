package storetest

import (
	"context"
	"testing"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/report"
)

// TestPushdown_catches checks that the Pushdown group fails a store
// whose own answers differ from its Reader's in one small way each: a
// summary without the company, a funnel step lost, an SLA count off by
// one (V1, V7, V9).
func TestPushdown_catches(t *testing.T) {
	st := memstore.New()
	for _, w := range ReportWrites() {
		mustApply(t, st, w)
	}
	if d := pushdownDiffs(t, st); len(d) != 0 {
		t.Fatalf("memstore differs from itself: %s", d[0])
	}
	for name, wrong := range map[string]report.Reader{
		"summaries without the company": noCompany{st},
		"a funnel step lost":            lostStep{st},
		"an SLA count off by one":       offByOne{st},
	} {
		if d := pushdownDiffs(t, wrong); len(d) == 0 {
			t.Errorf("%s: Pushdown found no difference", name)
		}
	}
}

// noCompany answers report.Summarizer with the company left out.
type noCompany struct{ *memstore.Store }

func (s noCompany) OpenSummaries(ctx context.Context, owners []string) ([]lead.Lead, error) {
	ls, err := s.Open(ctx, owners)
	for i := range ls {
		ls[i].Company = ""
	}
	return ls, err
}

func (s noCompany) CreatedSummaries(ctx context.Context, p report.Period) ([]lead.Lead, error) {
	return s.Created(ctx, p)
}

// changes collects the entries in p: the store's iterator holds its lock,
// so nothing else may be read while it runs.
func changes(ctx context.Context, s *memstore.Store, p report.Period) ([]lead.Change, error) {
	var cs []lead.Change
	for c, err := range s.Changes(ctx, report.ChangeQuery{Period: p}) {
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, nil
}

// lostStep answers report.StepReader with only the approach requests
// counted: every other step lost.
type lostStep struct{ *memstore.Store }

func (s lostStep) FunnelSteps(ctx context.Context, p report.Period) ([]report.LeadSteps, error) {
	var out []report.LeadSteps
	seen := map[string]int{}
	cs, err := changes(ctx, s.Store, p)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		i, ok := seen[c.Lead]
		if !ok {
			ls, err := s.LeadsByID(ctx, []string{c.Lead})
			if err != nil || len(ls) == 0 {
				continue
			}
			i = len(out)
			seen[c.Lead] = i
			out = append(out, report.LeadSteps{Lead: lead.Lead{ID: ls[0].ID, Owner: ls[0].Owner, Desk: ls[0].Desk}, Responded: len(ls[0].Responses) > 0})
		}
		if c.Field == lead.FieldRequest {
			out[i].MQL = true
		}
	}
	return out, nil
}

// offByOne answers report.SLAReader with a single request for the owner
// of the first lead that changed, and nothing else.
type offByOne struct{ *memstore.Store }

func (s offByOne) SLACounts(ctx context.Context, p report.Period) ([]report.LeadSLA, error) {
	cs, err := changes(ctx, s.Store, p)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		ls, err := s.LeadsByID(ctx, []string{c.Lead})
		if err != nil || len(ls) == 0 {
			continue
		}
		return []report.LeadSLA{{Lead: lead.Lead{ID: ls[0].ID, Owner: ls[0].Owner, Desk: ls[0].Desk}, Exists: true, Owner: ls[0].Owner, Requests: 1}}, nil
	}
	return nil, nil
}
