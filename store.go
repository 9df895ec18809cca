package leadline

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
)

// Store is everything the engine keeps: leads with their history,
// pending deadlines, handled event ids and round-robin sequences
// ([LeadStore]), the notification outbox ([Outbox]), campaigns
// ([CampaignStore]) and the read side that lists leads ([ReadStore]).
// memstore implements it in memory; storetest.Run checks an
// implementation against this contract, group by group.
//
// Every method honours ctx and may be called from several goroutines.
// Values passed in and returned are copies: neither side keeps or mutates
// the other's slices. Instants are kept to the microsecond at least (the
// engine writes whole microseconds) and compared with Equal, not ==. A
// claim "until T" hides its item before T and lets it be claimed again at
// T or later. Errors wrap the sentinels of package leaderr
// ([ErrNotFound], [ErrConflict], [ErrDuplicateEvent]) so that the engine
// can branch on them whatever the store.
type Store interface {
	LeadStore
	Outbox
	CampaignStore
	ReadStore
}

// LeadStore keeps leads and everything written with them in one
// compare-and-set write: history, pending deadlines, handled event ids,
// and the notifications the write raised. It also hands out round-robin
// tickets and counts reps' loads (M9).
type LeadStore interface {
	// Lead returns the lead with id, or an error wrapping
	// [leaderr.ErrNotFound].
	Lead(ctx context.Context, id string) (lead.Lead, error)

	// Seen reports whether the event id was recorded by an [LeadStore.Apply]
	// of the lead (E2), and with it the fingerprint of the event's
	// payload the write carried ([Write.Print], [Write.Prints]), so that
	// the engine tells a redelivery from an id reused for another event.
	// An event belongs to one lead, so its repeats are looked for there.
	Seen(ctx context.Context, leadID, eventID string) (print uint64, seen bool, err error)

	// Apply makes one write, all or nothing:
	//   - if w.Event is not "" and was recorded for this lead before, it
	//     returns an error wrapping [leaderr.ErrDuplicateEvent] and writes
	//     nothing, even when the version is stale too: a redelivered event
	//     reads as handled; otherwise it records it for the lead. Ids are
	//     per lead: the same id on another lead is another event. The id
	//     is recorded with its fingerprint, w.Print, which Seen returns;
	//   - w.Events are further event ids recorded with the write, the
	//     events of one batch ([Engine.HandleBatch]): each is refused as a
	//     duplicate as w.Event is, so that if any id of w.Event and
	//     w.Events was recorded for this lead before, nothing is written
	//     and the error wraps [leaderr.ErrDuplicateEvent]; otherwise every
	//     one is recorded, with its fingerprint from w.Prints, and
	//     [LeadStore.Seen] reports it;
	//   - w.Lead.Version is the version the engine read: 0 to create the
	//     lead (an error wrapping [leaderr.ErrConflict] if it exists), else
	//     the stored version (ErrConflict if it differs). The stored
	//     version becomes w.Lead.Version+1, whatever else w.Lead says;
	//   - w.History is appended to the lead's history in order;
	//   - w.Deadlines replaces the lead's pending deadlines, dropping any
	//     claim on the old ones; with w.KeepDeadlines the pending deadlines
	//     and their claims stay as they are and w.Deadlines is ignored;
	//   - w.Outbox is appended to the outbox, skipping a notification
	//     whose Key is already pending there or earlier in w.Outbox;
	//   - the store may then drop the lead's history entries before
	//     w.HistorySince, and forget the lead's event ids recorded by
	//     writes whose At is before w.EventsSince; it need not.
	// An empty lead id, a history entry or deadline of another lead, an
	// id of w.Events that is "" or repeats w.Event or another of w.Events,
	// or w.Events without w.Event, or w.Prints that is neither empty nor
	// as long as w.Events, is refused with a [*FieldError] and nothing is
	// written.
	Apply(ctx context.Context, w Write) error

	// ApplyBatch makes the writes ws as one, all or nothing: each is
	// checked as Apply checks it, against the state before the batch, and
	// if any is refused nothing is written and its error is returned,
	// wrapped. Two writes of one lead in a batch are
	// refused with a [*FieldError]. An empty batch writes nothing.
	ApplyBatch(ctx context.Context, ws []Write) error

	// ClaimDue returns up to limit pending deadlines whose Due is before
	// now and that are not claimed, in (Due, Lead, Kind) order (E5), and
	// claims them until now+lease: a later ClaimDue before then skips
	// them, so concurrent sweepers share the work. An [LeadStore.Apply] of the
	// lead replaces its deadlines and ends the claim; a claim that is
	// never followed by one expires, and the deadline is claimable again.
	// A limit below 1 claims nothing.
	ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]lead.Deadline, error)

	// ReleaseDue ends the claims on ds at once, so that the next ClaimDue
	// returns them again in (Due, Lead, Kind) order (E5): a sweep that
	// stops mid-batch gives back what it did not fire. A deadline that is
	// not pending with that Lead, Kind and Due, or not claimed, is
	// ignored.
	ReleaseDue(ctx context.Context, ds []lead.Deadline) error

	// NextTicket takes a place of the named round-robin sequence (M9):
	// the smallest place given back by [LeadStore.ReturnTickets], else
	// the next number, from 0. No two calls take the same place, however
	// many engines call at once, and a call holds nothing after it
	// returns: a team's turns never wait on one another's writes.
	NextTicket(ctx context.Context, sequence string) (uint64, error)

	// ReturnTickets gives back places that were taken and not used: the
	// engine gives back the places of a step whose write was refused, was
	// a repeat of a handled event or was cancelled, so that the next
	// NextTicket calls take them, smallest first, and such an event takes
	// no turn (E2, M9). A place that was never taken, or that was given
	// back already, is ignored.
	ReturnTickets(ctx context.Context, ts []Ticket) error

	// Load returns, for each rep, how many leads they own whose cadence is
	// running ([stage.Track.Active]), in the order of reps (M9).
	Load(ctx context.Context, reps []string) ([]int, error)
}

// Outbox holds the notifications written by [LeadStore.Apply] until a
// notifier accepts them (E4, E9), and those it kept refusing aside, in a
// dead-letter list a host reads and retries.
//
// A store may also offer
//
//	ReleaseOutbox(ctx context.Context, keys []string, until time.Time) error
//
// which ends the claims made until until on the notifications with keys,
// uncounted in their Attempts and claimable at once, leaving alone any
// claimed again since (its claim ends at another instant). A Deliver cut
// short calls it for what it claimed and never handed to the notifier,
// so that a shutdown does not spend their attempts; without it their
// claims lapse after the lease, counted. memstore and postgres offer it,
// and storetest checks it where offered.
type Outbox interface {
	// ClaimOutbox returns up to limit notifications that are not hidden by
	// an earlier claim or a failure's retry instant at now, in the order
	// they were written, and hides them until now+lease, with Attempts
	// counting earlier claims. Notification.At plays no part. A
	// notification stays in the outbox until acknowledged, so one that is
	// claimed and never acknowledged is delivered again (at least once,
	// E4). Dead letters are never claimed. A limit below 1 claims nothing.
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Notification, error)

	// Ack removes delivered notifications from the outbox, and from the
	// dead-letter list, by key. Unknown keys are ignored.
	Ack(ctx context.Context, keys []string) error

	// Fail records a failed delivery of the pending notification with
	// f.Key (E4): with f.Dead it moves the notification to the dead-letter
	// list, keeping its Attempts, f.At and f.Err; otherwise it hides the
	// notification until f.Retry, in place of its claim, keeping its place
	// in write order. An unknown key is ignored. A notification in the
	// dead-letter list counts as pending for [LeadStore.Apply]: a write
	// with its key skips it.
	Fail(ctx context.Context, f DeliveryFailure) error

	// DeadLetters returns the dead-letter list, in the order the
	// notifications were moved there.
	DeadLetters(ctx context.Context) ([]DeadLetter, error)

	// Revive moves the dead letters with keys back to the outbox, at its
	// end, claimable at once and with Attempts 0. Unknown keys are
	// ignored.
	Revive(ctx context.Context, keys []string) error
}

// DeliveryFailure is a failed delivery, see [Outbox.Fail].
type DeliveryFailure struct {
	// Key is the notification's key.
	Key string
	// Retry is when the notification may be claimed again; ignored with
	// Dead.
	Retry time.Time
	// Dead moves the notification to the dead-letter list.
	Dead bool
	// At is when the delivery failed.
	At time.Time
	// Err says why, as the notifier said it.
	Err string
}

// DeadLetter is a notification the notifier refused Config.DeliveryAttempts
// times, set aside so that the rest of the outbox flows (E4, E9). It is
// not dropped: [Engine.Retry] puts it back.
type DeadLetter struct {
	// Notification is the notification; its Attempts counts the attempts
	// made.
	Notification Notification
	// At is when it was set aside, Err the last failure.
	At  time.Time
	Err string
}

// CampaignStore keeps campaigns (M7).
type CampaignStore interface {
	// Campaign returns the campaign with id, or an error wrapping
	// [leaderr.ErrNotFound].
	Campaign(ctx context.Context, id string) (routing.Campaign, error)

	// PutCampaign writes a campaign, compare-and-set like Apply:
	// c.Version is the version read, 0 to create (an error wrapping
	// [leaderr.ErrConflict] if it exists), else the stored version
	// (ErrConflict if it differs). The stored version becomes c.Version+1.
	PutCampaign(ctx context.Context, c routing.Campaign) error

	// Campaigns returns every campaign, ordered by id.
	Campaigns(ctx context.Context) ([]routing.Campaign, error)
}

// ReadStore is the read side: the queries that list leads and read
// history, for the engine's scoped reads and for reports.
type ReadStore interface {
	// Leads returns the leads that match q, ordered by id.
	Leads(ctx context.Context, q Query) ([]lead.Lead, error)

	// History returns the lead's history in the order it was written, or
	// an empty slice for a lead with none.
	History(ctx context.Context, id string) ([]lead.Change, error)
}

// Write is one atomic change of a lead, see [LeadStore.Apply].
type Write struct {
	// Event is the id of the event being handled, recorded so that it is
	// handled once (E2); "" for a change caused by a deadline.
	Event string
	// Events are the ids of further events handled by the write, after
	// Event, recorded and checked as Event is (E2): a batch of one lead's
	// events saved at once ([Engine.HandleBatch]). Empty for a write of
	// one event or none.
	Events []string
	// Print is the fingerprint of Event's payload ([lead.Event.Print]),
	// kept with the id so that a repeat of the id with another payload is
	// told from a redelivery (E2). Prints are those of Events, in order;
	// empty means all zero.
	Print  uint64
	Prints []uint64
	// Lead is the lead's new state; its Version is the version that was
	// read, 0 for a new lead.
	Lead lead.Lead
	// History is appended to the lead's history (E3).
	History []lead.Change
	// Deadlines are the lead's pending deadlines after the change
	// ([lead.Lead.Deadlines]); they replace the stored ones.
	Deadlines []lead.Deadline
	// KeepDeadlines says the change left the lead's pending deadlines as
	// they were (a score change, say): the store keeps them, and any claim
	// on them, and ignores Deadlines. It spares the store the work of
	// re-indexing them.
	KeepDeadlines bool
	// Outbox are the notifications the change raised (E4).
	Outbox []Notification
	// At is the engine's instant for the write: when Event was handled.
	At time.Time
	// HistorySince and EventsSince are the policy's retention
	// ([Retention]) as instants: the store may drop this lead's history
	// entries before HistorySince and forget its event ids recorded before
	// EventsSince. Zero keeps everything. At is required with EventsSince.
	HistorySince, EventsSince time.Time
}

// Check refuses a write no store can file under its lead, with a
// [*FieldError] naming the field, as [LeadStore.Apply] says: a lead
// without an id, further events without an event, an event id empty or
// repeated in the write, prints that do not match the events, and a
// history entry or deadline of another lead. Stores call it first, so
// that every store refuses the same writes alike.
func (w *Write) Check() error {
	if w.Lead.ID == "" {
		return leaderr.Errorf("id", "a lead needs an id")
	}
	if len(w.Events) > 0 && w.Event == "" {
		return leaderr.Errorf("events", "further events need an event: set event first")
	}
	// A few events are compared pairwise, with nothing allocated; a
	// batch of thousands (a backfill, a webhook's burst) by a set, so
	// that the check grows with the batch, not with its square.
	var seen map[string]struct{}
	if len(w.Events) > 16 {
		seen = make(map[string]struct{}, len(w.Events))
	}
	for i, ev := range w.Events {
		repeated := ev == "" || ev == w.Event
		if seen == nil {
			repeated = repeated || slices.Contains(w.Events[:i], ev)
		} else if _, ok := seen[ev]; ok {
			repeated = true
		} else {
			seen[ev] = struct{}{}
		}
		if repeated {
			return leaderr.Errorf(fmt.Sprintf("events[%d]", i), "event id %q is empty or repeated in the write", ev)
		}
	}
	if len(w.Prints) > 0 && len(w.Prints) != len(w.Events) {
		return leaderr.Errorf("prints", "%d prints for %d events: one per event, or none", len(w.Prints), len(w.Events))
	}
	for i, c := range w.History {
		if c.Lead != w.Lead.ID {
			return leaderr.Errorf(fmt.Sprintf("history[%d].lead", i), "change of lead %q in a write of lead %q", c.Lead, w.Lead.ID)
		}
	}
	for i, d := range w.Deadlines {
		if d.Lead != w.Lead.ID {
			return leaderr.Errorf(fmt.Sprintf("deadlines[%d].lead", i), "deadline of lead %q in a write of lead %q", d.Lead, w.Lead.ID)
		}
	}
	return nil
}

// Ticket is one place of a round-robin sequence (M9): the Number-th turn
// of the team whose sequence is Sequence.
type Ticket struct {
	Sequence string
	Number   uint64
}

// Query selects leads for [Store.Leads].
type Query struct {
	// Owner keeps leads owned by this rep; "" keeps every owner.
	Owner string
	// Attempted keeps leads whose cadence is running at Stage1..Stage4:
	// the worklist (V1).
	Attempted bool
	// Campaign keeps leads with a response to this campaign (M6).
	Campaign string
	// After keeps leads whose id sorts after it, for paging.
	After string
	// Limit caps the number of leads returned; 0 or less means no cap.
	Limit int
}

// Match reports whether l satisfies q's filters (not After or Limit).
// Stores may use it to filter.
func (q *Query) Match(l *lead.Lead) bool {
	if q.Owner != "" && l.Owner != q.Owner {
		return false
	}
	if q.Attempted && !(l.Track.Active() && l.Track.Stage.Attempted()) {
		return false
	}
	if q.Campaign != "" && !slices.ContainsFunc(l.Responses, func(t lead.Touch) bool { return t.Campaign == q.Campaign }) {
		return false
	}
	return true
}
