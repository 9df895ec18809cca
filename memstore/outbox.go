package memstore

import (
	"time"

	"github.com/leadline/leadline"
)

// outbox is the notification outbox: a FIFO in write order with an index
// by key (E4).
type outbox struct {
	// queue holds the pending messages in write order; an acknowledged
	// one leaves a nil until the next compaction.
	queue []*message
	// holes counts the nils in queue.
	holes int
	byKey map[string]*message
}

// message is one pending notification.
type message struct {
	// n.Attempts counts the claims so far.
	n leadline.Notification
	// hidden is when a claim's lease ends; zero if never claimed.
	hidden time.Time
	// index is the message's position in queue.
	index int
}

// push appends n unless a notification with its key is pending.
func (o *outbox) push(n leadline.Notification) {
	if _, ok := o.byKey[n.Key]; ok {
		return
	}
	n.Attempts = 0
	m := &message{n: n, index: len(o.queue)}
	o.queue = append(o.queue, m)
	o.byKey[n.Key] = m
}

// claim returns up to limit messages not hidden at now, oldest first, and
// hides them until until.
func (o *outbox) claim(now, until time.Time, limit int) []leadline.Notification {
	var out []leadline.Notification
	for _, m := range o.queue {
		if len(out) >= limit {
			break
		}
		if m == nil || now.Before(m.hidden) {
			continue
		}
		out = append(out, m.n)
		m.n.Attempts++
		m.hidden = until
	}
	return out
}

// remove removes the message with key, if any.
func (o *outbox) remove(key string) {
	m, ok := o.byKey[key]
	if !ok {
		return
	}
	delete(o.byKey, key)
	o.queue[m.index] = nil
	o.holes++
	if len(o.byKey) == 0 {
		clear(o.queue)
		o.queue, o.holes = o.queue[:0], 0
	} else if o.holes > 64 && o.holes > len(o.queue)/2 {
		o.compact()
	}
}

// compact drops the holes from queue.
func (o *outbox) compact() {
	q := make([]*message, 0, len(o.queue)-o.holes)
	for _, m := range o.queue {
		if m != nil {
			m.index = len(q)
			q = append(q, m)
		}
	}
	o.queue, o.holes = q, 0
}
