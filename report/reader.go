package report

import (
	"context"
	"iter"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/routing"
	"github.com/shopspring/decimal"
)

// Reader is the read side the reports run on (V10): a few questions a
// store answers from indexes, so that a report costs what it reports and
// not every lead. It speaks domain types only; memstore implements it in
// memory and a database store implements it in SQL. storetest.RunReports
// is its contract.
//
// Every method honours ctx and may be called from several goroutines.
// Values returned are copies: the caller may keep and change them. Slices
// passed in are not kept. Periods are half-open, [From, To): an instant
// equal to To is outside. Instants are compared with Equal, not ==, and
// come back in any zone: the reports read them in theirs (V8).
type Reader interface {
	// Open returns the leads with open work, owned by one of owners, or
	// by anyone when owners is empty: a running cadence
	// ([stage.Track.Active]) or an outstanding approach request
	// ([lead.Request.Outstanding]). Ordered by owner, then id. It is the
	// worklist's (V1), the top screen's (A9) and the overdue list's (V6)
	// question; a lead with nothing open is not in it, whatever its age.
	Open(ctx context.Context, owners []string) ([]lead.Lead, error)

	// Created returns the leads whose Created instant is in the period,
	// ordered by Created, then id (V3, V4, V5).
	Created(ctx context.Context, p Period) ([]lead.Lead, error)

	// Changes yields the history entries whose At is in q's period and
	// whose Field is one of q.Fields (every field when q.Fields is
	// empty), ordered by At, then lead id, a lead's entries of one
	// instant in the order they were written (V2, V7, V9). An error ends
	// the sequence with a zero Change. Entries a store dropped under
	// retention (E3) are not yielded; a period that starts before the
	// retention window may come back partial.
	//
	// The entries are yielded one at a time rather than returned as a
	// slice, so that a month of history costs a report what it keeps of
	// it, not every entry: the loop must not call the Reader, since a
	// store may hold a lock or a connection until the loop ends.
	Changes(ctx context.Context, q ChangeQuery) iter.Seq2[lead.Change, error]

	// LeadsByID returns the leads with the given ids, ordered by id; an
	// id with no lead is left out.
	LeadsByID(ctx context.Context, ids []string) ([]lead.Lead, error)

	// ScoreAt returns lead id's score at instant at, as E8 reads it: the
	// To of its last score entry at or before at, else the From of its
	// first one after at, else its score. ok is false when the lead did
	// not exist at that instant (at is before its Created) or does not
	// exist at all.
	ScoreAt(ctx context.Context, id string, at time.Time) (score decimal.Decimal, ok bool, err error)

	// Campaigns returns every campaign, ordered by id (V7, M12).
	Campaigns(ctx context.Context) ([]routing.Campaign, error)
}

// Period is a half-open span of time, [From, To): a report's day, week
// or month (V3-V9).
type Period struct {
	From, To time.Time
}

// Contains reports whether t is in p: at or after From and before To (V8).
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.From) && t.Before(p.To)
}

// ChangeQuery selects history entries for [Reader.Changes] (E3; V2, V7, V9).
type ChangeQuery struct {
	Period
	// Fields keeps the entries of these fields; empty keeps all.
	Fields []lead.Field
}

// Has reports whether q keeps entries of field f (E3).
func (q *ChangeQuery) Has(f lead.Field) bool {
	if len(q.Fields) == 0 {
		return true
	}
	for _, g := range q.Fields {
		if g == f {
			return true
		}
	}
	return false
}

// ScoreAt answers [Reader.ScoreAt] from a lead and its score entries in
// write order (E8); a store may use it. The entries must all be l's and
// of field score.
func ScoreAt(l *lead.Lead, scores []lead.Change, at time.Time) (decimal.Decimal, bool) {
	if l.ID == "" || at.Before(l.Created) {
		return decimal.Decimal{}, false
	}
	var last, next *lead.Change
	for i := range scores {
		c := &scores[i]
		if !c.At.After(at) {
			if last == nil || !c.At.Before(last.At) {
				last = c
			}
		} else if next == nil || c.At.Before(next.At) {
			next = c
		}
	}
	key := ""
	switch {
	case last != nil:
		key = last.To
	case next != nil:
		key = next.From
	default:
		return l.Score, true
	}
	d, err := lead.ParseScore(key)
	if err != nil {
		return l.Score, true
	}
	return d, true
}

// A Summarizer is a [Reader] that can answer Open and Created with
// summaries of the leads instead of whole ones: lead.Lead values with
// only the parts the reports read filled in, every other field zero, so
// that a database need not send and decode whole leads (V1, V3-V6, A9).
// The reports use it when their Reader has it; [Reader.Open] and
// [Reader.Created] stay the reference, and a summary's parts must equal
// the whole lead's.
type Summarizer interface {
	// OpenSummaries answers [Reader.Open] with, of each lead, only ID,
	// Owner, Desk, Company, Name, Source, MASystem, Target, Status,
	// Score, Created, Activity, the Track's Stage, End, Overdue, Cadence
	// and Due, and the Request's State, Priority, Reasons, Subject and
	// Due.
	OpenSummaries(ctx context.Context, owners []string) ([]lead.Lead, error)
	// CreatedSummaries answers [Reader.Created] with, of each lead, only
	// ID, Owner, Desk, Company, Name, Source, MASystem, Target, Status,
	// Score and Created.
	CreatedSummaries(ctx context.Context, p Period) ([]lead.Lead, error)
}

// open answers r.Open, from summaries when r has them (V1, V6, A9).
func open(ctx context.Context, r Reader, owners []string) ([]lead.Lead, error) {
	if s, ok := r.(Summarizer); ok {
		return s.OpenSummaries(ctx, owners)
	}
	return r.Open(ctx, owners)
}

// createdIn answers r.Created, from summaries when r has them (V3-V5).
func createdIn(ctx context.Context, r Reader, p Period) ([]lead.Lead, error) {
	if s, ok := r.(Summarizer); ok {
		return s.CreatedSummaries(ctx, p)
	}
	return r.Created(ctx, p)
}

// A StepReader is a [Reader] that can answer the first pass of [Funnel]
// itself (V7): which steps each lead reached in a period, counted where
// the history is, so that a month of entries is not sent to be counted.
// The funnel uses it when its Reader has it; counting
// [Reader.Changes] stays the reference.
type StepReader interface {
	// FunnelSteps returns, ordered by lead id, one LeadSteps for each
	// lead that still exists and has a history entry in p of the fields
	// the funnel reads (request, stage, handoff, feedback), with the
	// steps those entries reached as [Funnel] reads them.
	FunnelSteps(ctx context.Context, p Period) ([]LeadSteps, error)
}

// LeadSteps is what a [StepReader] returns for one lead: the funnel steps
// it reached in the period (V7), and enough of the lead for the funnel to
// know whether the viewer sees it (M2) and whether it must read the lead
// whole for the campaign rows (M6).
type LeadSteps struct {
	// Lead holds only the lead's ID, Owner and Desk.
	Lead lead.Lead
	// Responded says the lead has campaign responses: the funnel reads
	// it whole with [Reader.LeadsByID].
	Responded bool
	// The steps reached: an approach request opened (MQL), Stage1 and
	// Connected reached, handed off as a Pre-SQL, accepted, and field
	// sales' feedback turned to an opportunity.
	MQL, Approached, Connected, PreSQL, Accepted, Opportunity bool
}

// An SLAReader is a [Reader] that can answer the passes of [SLA] itself
// (V9): what each lead's entries in a period count for each owner,
// counted where the history is, so that a month of entries is not sent
// twice to be counted. SLA uses it when its Reader has it;
// counting [Reader.Changes] stays the reference.
type SLAReader interface {
	// SLACounts returns, for each lead with a request, stage or owner
	// entry in p and each owner some of them count for, what they count
	// as [SLA] reads them: a change is the owner's who held the lead
	// when it was made (the From of the lead's first owner change in p,
	// else its owner now); a reassignment or an escalation is the
	// From's. Owners nothing counts for are left out.
	SLACounts(ctx context.Context, p Period) ([]LeadSLA, error)
}

// LeadSLA is what one lead's entries in a period count for one owner
// (V9), with enough of the lead for SLA to know whether the viewer sees
// it (M2).
type LeadSLA struct {
	// Lead holds only the lead's ID, Owner and Desk; Exists says the
	// lead still exists, Known that it changed owner in the period.
	Lead          lead.Lead
	Exists, Known bool
	// Owner is the owner the counts are for.
	Owner                                        string
	Requests, Steps, OnTime                      int
	Reassigned, Escalated, Connections, Recycles int
	// Attempts are the requests of the owner's first attempts in the
	// period: when each was opened and when the attempt that answered it
	// was made (A4), at whatever stage.
	Attempts []Attempt
}

// Attempt is a request's first attempt (V9, T11).
type Attempt struct {
	Opened, At time.Time
}
