package leadline

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
)

// Reads take a viewer: every read of a lead shows only what the follow-up
// model lets that person see (M2). A lead a viewer may not see does not
// exist for them: its id gives [ErrNotFound], exactly as an unknown id.

// Viewer returns v as the visibility rule reads it (M2), or a
// [*FieldError] if v is not a valid viewer. A manager sees what their
// team may see: a manager whose Team is the field team's id, or who
// manages the field team and names no team, reads as
// [routing.RoleFieldManager]; a Team that names neither team of the
// roster is refused ([routing.ScopeManager]). Every read of the engine
// resolves its viewer so; a host that runs the reports of package report
// itself passes them the viewer Viewer returns.
func (e *Engine) Viewer(ctx context.Context, v routing.Viewer) (routing.Viewer, error) {
	if err := v.Validate(); err != nil {
		return v, err
	}
	if v.Role != routing.RoleManager {
		return v, nil
	}
	ch := liveChooser{e: e, ctx: ctx}
	inside, err := ch.team(routing.RoleInside)
	if err != nil {
		return v, err
	}
	field, err := ch.team(routing.RoleField)
	if err != nil {
		return v, err
	}
	return routing.ScopeManager(v, &inside, &field)
}

// Lead returns the lead with id if v may see all of it (M2), or an error
// wrapping [ErrNotFound].
func (e *Engine) Lead(ctx context.Context, v routing.Viewer, id string) (lead.Lead, error) {
	v, err := e.Viewer(ctx, v)
	if err != nil {
		return lead.Lead{}, err
	}
	l, err := e.store.Lead(ctx, id)
	if err == nil && e.pol.Routing.Access(v, &l) != routing.FullAccess {
		err = ErrNotFound
	}
	if err != nil {
		return lead.Lead{}, readError(id, err)
	}
	return l, nil
}

// readError words a failed read of lead id. A lead the viewer may not see
// and a lead that does not exist give the very same error, so that no
// reader can tell them apart (M2).
func readError(id string, err error) error {
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("leadline: lead %s: %w", id, ErrNotFound)
	}
	return fmt.Errorf("leadline: lead %s: %w", id, err)
}

// History returns the lead's history, oldest first (E3), if v may see the
// lead (M2); else an error wrapping [ErrNotFound].
func (e *Engine) History(ctx context.Context, v routing.Viewer, id string) ([]lead.Change, error) {
	if _, err := e.Lead(ctx, v, id); err != nil {
		return nil, err
	}
	return e.store.History(ctx, id)
}

// Summary returns the lead's campaign responses (campaign, response,
// date) if v may see at least that much: field reps see it for every lead
// when the policy's FieldSummary switch is on (M2). Else an error
// wrapping [ErrNotFound].
func (e *Engine) Summary(ctx context.Context, v routing.Viewer, id string) (routing.Summary, error) {
	v, err := e.Viewer(ctx, v)
	if err != nil {
		return routing.Summary{}, err
	}
	l, err := e.store.Lead(ctx, id)
	if err == nil && e.pol.Routing.Access(v, &l) == routing.NoAccess {
		err = ErrNotFound
	}
	if err != nil {
		return routing.Summary{}, readError(id, err)
	}
	return routing.Summarize(&l), nil
}

// Leads returns the leads that match q and that v may see all of (M2),
// ordered by id. q.Limit counts the leads v sees.
func (e *Engine) Leads(ctx context.Context, v routing.Viewer, q Query) ([]lead.Lead, error) {
	v, err := e.Viewer(ctx, v)
	if err != nil {
		return nil, err
	}
	// With a limit, read pages until enough are visible: of that size
	// first, then twice as large each time a page shows too few, up to
	// maxLeadsPage, so that a field rep who sees a few leads among a
	// million makes a few thousand reads of a database, not a million.
	want := q.Limit
	var out []lead.Lead
	for {
		page, err := e.store.Leads(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("leadline: leads: %w", err)
		}
		for i := range page {
			if e.pol.Routing.Access(v, &page[i]) == routing.FullAccess {
				out = append(out, page[i])
				if want > 0 && len(out) == want {
					return out, nil
				}
			}
		}
		if q.Limit <= 0 || len(page) < q.Limit {
			return out, nil
		}
		q.After = page[len(page)-1].ID
		q.Limit = min(2*q.Limit, max(want, maxLeadsPage))
	}
}

// maxLeadsPage is the largest page Engine.Leads reads at once while it
// looks for leads the viewer may see.
const maxLeadsPage = 1024

// SaveCampaign creates or updates a campaign; c.Version is the version
// read, 0 to create, and a stale one is refused with [ErrConflict]. The
// follow-up model is agreed at kickoff (M7): once a campaign has started
// its model changes only through [Engine.ChangeModel], which records who
// and why, and its recorded changes are kept whatever c says.
func (e *Engine) SaveCampaign(ctx context.Context, c routing.Campaign) error {
	if err := c.Validate(); err != nil {
		return err
	}
	var old *routing.Campaign
	if c.Version > 0 {
		o, err := e.store.Campaign(ctx, c.ID)
		if err != nil {
			return fmt.Errorf("leadline: save campaign %s: %w", c.ID, err)
		}
		old = &o
	}
	c, err := rules.SaveCampaign(old, c, e.now())
	if err != nil {
		return err
	}
	if err := e.store.PutCampaign(ctx, c); err != nil {
		return fmt.Errorf("leadline: save campaign %s: %w", c.ID, err)
	}
	return nil
}

// ChangeModel changes a campaign's follow-up model (M7). After the
// campaign's start the change is recorded with by and reason, which are
// then required. A lost compare-and-set race is retried.
func (e *Engine) ChangeModel(ctx context.Context, id string, to routing.Model, by, reason string) error {
	for attempt := 0; ; attempt++ {
		c, err := e.store.Campaign(ctx, id)
		if err != nil {
			return fmt.Errorf("leadline: change model of %s: %w", id, err)
		}
		if err := c.ChangeModel(to, e.now(), by, reason); err != nil {
			return err
		}
		err = e.store.PutCampaign(ctx, c)
		if err == nil || !errors.Is(err, ErrConflict) || attempt >= e.retries {
			if err != nil {
				return fmt.Errorf("leadline: change model of %s: %w", id, err)
			}
			return nil
		}
	}
}

// Campaign returns the campaign with id, or an error wrapping
// [ErrNotFound].
func (e *Engine) Campaign(ctx context.Context, id string) (routing.Campaign, error) {
	c, err := e.store.Campaign(ctx, id)
	if err != nil {
		return routing.Campaign{}, fmt.Errorf("leadline: campaign %s: %w", id, err)
	}
	return c, nil
}

// CallList returns inside sales' call list for a campaign (M6): the leads
// on its invitation list whom no field rep invited and who have not
// registered yet, ordered by id. Field reps cannot read it.
func (e *Engine) CallList(ctx context.Context, v routing.Viewer, campaign string) ([]lead.Lead, error) {
	v, err := e.Viewer(ctx, v)
	if err != nil {
		return nil, err
	}
	if _, err := e.Campaign(ctx, campaign); err != nil {
		return nil, err
	}
	leads, err := e.store.Leads(ctx, Query{Campaign: campaign})
	if err != nil {
		return nil, fmt.Errorf("leadline: call list %s: %w", campaign, err)
	}
	ch := liveChooser{e: e, ctx: ctx, now: e.now()}
	field, err := ch.team(routing.RoleField)
	if err != nil {
		return nil, err
	}
	return rules.CallList(v, campaign, leads, &field)
}

// ExportFeedback writes the field feedback sheet (M5) as CSV: one row per
// lead with field sales that v may see, limited to leads that responded
// to campaign unless it is "". It returns the number of rows. Write
// "\ufeff" to w first if the sheet is for Excel.
func (e *Engine) ExportFeedback(ctx context.Context, v routing.Viewer, w io.Writer, campaign string) (int, error) {
	rows, err := e.FeedbackRows(ctx, v, campaign)
	if err != nil {
		return 0, err
	}
	if err := routing.WriteFeedbackCSV(w, rows); err != nil {
		return 0, fmt.Errorf("leadline: export feedback: %w", err)
	}
	return len(rows), nil
}

// FeedbackRows returns the rows of ExportFeedback's sheet (M5), for a
// host that writes them its own way: in another zone, or as JSON.
func (e *Engine) FeedbackRows(ctx context.Context, v routing.Viewer, campaign string) ([]routing.FeedbackRow, error) {
	leads, err := e.Leads(ctx, v, Query{Campaign: campaign})
	if err != nil {
		return nil, err
	}
	return rules.FeedbackRows(leads, campaign), nil
}

// ImportFeedback reads a field feedback sheet (M5) and records each row
// as v's feedback. Every row is checked first: the sheet itself
// ([routing.ReadFeedbackCSV]), then that each lead exists, that v may see
// it, and that it is with field sales. If any row is bad nothing is
// applied, and the error is a [*routing.ImportError] listing every bad
// row with its line and field. It returns the number of rows applied.
//
// The import is atomic: every row's change is computed against the
// current state of its lead and the whole sheet is written in one
// [LeadStore.ApplyBatch], all rows or none. A lead changed by someone
// else meanwhile makes the batch conflict, and the import starts over
// from the current state, up to Config.MaxRetries times.
//
// importID names this import: each row is recorded as the event
// importID+"/"+lead (E2). Since a sheet is applied whole or not at all, a
// re-run with the same id after a success changes nothing and returns 0;
// after a failure it applies the sheet as if for the first time. A re-run
// of an edited sheet under the same id applies only the rows of leads the
// first run did not have; give an edited sheet a new id.
func (e *Engine) ImportFeedback(ctx context.Context, v routing.Viewer, r io.Reader, importID string) (int, error) {
	v, err := e.Viewer(ctx, v)
	if err != nil {
		return 0, err
	}
	actor, err := rules.FeedbackImporter(v)
	if err != nil {
		return 0, err
	}
	if importID == "" {
		return 0, &FieldError{Field: "import", Err: errors.New("required: an id for this import, so that importing it again changes nothing (E2)")}
	}
	rows, err := routing.ReadFeedbackCSV(r)
	if err != nil {
		return 0, err
	}
	var bad []*FieldError
	for _, row := range rows {
		l, err := e.Lead(ctx, v, row.Lead)
		switch {
		case errors.Is(err, ErrNotFound):
			bad = append(bad, &FieldError{Field: routing.ColLead, Line: row.Line, Err: fmt.Errorf("no lead %q: %w", row.Lead, ErrNotFound)})
		case err != nil:
			return 0, err
		default:
			if err := rules.CheckFeedback(&l); err != nil {
				bad = append(bad, &FieldError{Field: routing.ColLead, Line: row.Line, Err: errors.Unwrap(err)})
			}
		}
	}
	if len(bad) > 0 {
		return 0, &routing.ImportError{Errs: bad}
	}
	for attempt := 0; ; attempt++ {
		n, err := e.importOnce(ctx, rows, importID, actor)
		if !errors.Is(err, ErrConflict) && !errors.Is(err, ErrDuplicateEvent) || attempt >= e.retries {
			if err != nil {
				return 0, fmt.Errorf("leadline: import feedback %s: %w", importID, err)
			}
			return n, nil
		}
	}
}

// importOnce computes every row's write against the current state and
// makes them in one batch. A row whose event was recorded before (a
// re-run) is skipped.
func (e *Engine) importOnce(ctx context.Context, rows []routing.FeedbackRow, importID, actor string) (applied int, err error) {
	now := e.now()
	writes := make([]Write, 0, len(rows))
	steps := make([]*scratch, 0, len(rows))
	defer func() {
		for _, sc := range steps {
			e.settle(ctx, sc, err == nil)
			e.done(sc)
		}
	}()
	for _, row := range rows {
		ev := lead.Event{ID: importID + "/" + row.Lead, Kind: lead.EventFeedback, Lead: row.Lead,
			At: now, Actor: actor, Feedback: row.Feedback}
		if err := ev.Validate(); err != nil {
			return 0, &routing.ImportError{Errs: []*FieldError{{Field: routing.FieldRow, Line: row.Line, Err: err}}}
		}
		if _, seen, err := e.store.Seen(ctx, row.Lead, ev.ID); err != nil {
			return 0, err
		} else if seen {
			continue
		}
		cur, err := e.store.Lead(ctx, row.Lead)
		if err != nil {
			return 0, fmt.Errorf("line %d: %w", row.Line, err)
		}
		sc := e.newStep(ctx, now, cur)
		steps = append(steps, sc)
		if err := sc.step.Event(&ev, true, nil); err != nil {
			return 0, fmt.Errorf("line %d: %w", row.Line, err)
		}
		w := e.write(sc, &cur)
		w.Event = ev.ID // an import's own id: a re-run skips it, whatever its instant
		writes = append(writes, w)
	}
	if len(writes) == 0 {
		return 0, nil
	}
	if err := e.store.ApplyBatch(ctx, writes); err != nil {
		return 0, err
	}
	return len(writes), nil
}

// Credits returns what each rep did for a campaign, and inside sales'
// registrations and attendance against the campaign's targets (M6):
// registrations and attendance to the rep who drove them, Pre-SQLs to
// the inside rep who handed them off, opportunities to the field rep who
// owns them. Counts reveal no lead, so every role may read them.
func (e *Engine) Credits(ctx context.Context, v routing.Viewer, campaign string) ([]routing.Credit, routing.Progress, error) {
	if _, err := e.Viewer(ctx, v); err != nil { // a viewer is checked, though counts reveal no lead
		return nil, routing.Progress{}, err
	}
	c, err := e.Campaign(ctx, campaign)
	if err != nil {
		return nil, routing.Progress{}, err
	}
	leads, err := e.store.Leads(ctx, Query{Campaign: campaign})
	if err != nil {
		return nil, routing.Progress{}, fmt.Errorf("leadline: credits %s: %w", campaign, err)
	}
	credits := routing.Credits(campaign, leads)
	ch := &liveChooser{e: e, ctx: ctx, now: e.now()}
	inside, err := ch.team(routing.RoleInside)
	if err != nil {
		return nil, routing.Progress{}, err
	}
	return credits, routing.InsideProgress(&c, credits, &inside), nil
}
