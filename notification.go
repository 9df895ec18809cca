package leadline

import (
	"context"

	"github.com/leadline/leadline/rules"
)

// Notification is a message for one person, raised by the rules and
// delivered through the host's [Notifier] from an outbox (E4); see
// [rules.Notification].
type Notification = rules.Notification

// NotificationKind says what a [Notification] tells its recipient; see
// [rules.NotificationKind].
type NotificationKind = rules.NotificationKind

// The notification kinds, re-exported from package rules.
const (
	NoteApproachRequest = rules.NoteApproachRequest
	NoteRequestUpdated  = rules.NoteRequestUpdated
	NoteReminder        = rules.NoteReminder
	NoteManagerAlert    = rules.NoteManagerAlert
	NoteReassigned      = rules.NoteReassigned
	NoteEscalated       = rules.NoteEscalated
	NoteRecycled        = rules.NoteRecycled
	NoteFieldFollowUp   = rules.NoteFieldFollowUp
	NoteActivity        = rules.NoteActivity
	NoteHandoff         = rules.NoteHandoff
	NoteAccepted        = rules.NoteAccepted
	NoteRejected        = rules.NoteRejected
)

// Notifier delivers notifications: e-mail, chat, a CRM task. Notify is
// called at least once per notification, possibly again after a failure
// or a crash, so it should drop a [Notification.Key] it has delivered
// before. A returned error leaves the notification in the outbox for a
// later [Engine.Deliver]. Notify may be called from several goroutines.
type Notifier interface {
	Notify(ctx context.Context, n Notification) error
}

// NotifierFunc adapts a function to [Notifier].
type NotifierFunc func(ctx context.Context, n Notification) error

// Notify calls f(ctx, n).
func (f NotifierFunc) Notify(ctx context.Context, n Notification) error { return f(ctx, n) }
