package memstore

import (
	"slices"
	"time"

	"github.com/leadline/leadline"
)

// outbox is the notification outbox: a FIFO in write order with an index
// by key (E4). Messages are kept by value, so that writing one costs no
// allocation of its own.
type outbox struct {
	// queue holds the messages in write order; an acknowledged one stays,
	// dead, until the next compaction.
	queue []message
	// holes counts the dead messages in queue.
	holes int
	// byKey gives the position in queue of each live message.
	byKey map[string]int
	// dead is the dead-letter list, in the order the messages died. It is
	// short (a host reads and retries it), so it is searched, not indexed.
	dead []leadline.DeadLetter
}

// deadIndex returns the position of key in the dead-letter list, -1 if
// it is not there.
func (o *outbox) deadIndex(key string) int {
	return slices.IndexFunc(o.dead, func(d leadline.DeadLetter) bool { return d.Notification.Key == key })
}

// message is one pending notification.
type message struct {
	// n.Attempts counts the claims so far.
	n leadline.Notification
	// hidden is when a claim's lease ends; zero if never claimed.
	hidden time.Time
	live   bool
}

// push appends n unless a notification with its key is pending or dead.
func (o *outbox) push(n leadline.Notification) {
	if _, ok := o.byKey[n.Key]; ok {
		return
	}
	if len(o.dead) > 0 && o.deadIndex(n.Key) >= 0 {
		return
	}
	n.Attempts = 0
	o.byKey[n.Key] = len(o.queue)
	o.queue = append(o.queue, message{n: n, live: true})
}

// claim returns up to limit messages not hidden at now, oldest first, and
// hides them until until.
func (o *outbox) claim(now, until time.Time, limit int) []leadline.Notification {
	var out []leadline.Notification
	for i := range o.queue {
		if len(out) >= limit {
			break
		}
		m := &o.queue[i]
		if !m.live || now.Before(m.hidden) {
			continue
		}
		if out == nil {
			// Sized for every live message: grown by append, a claim of
			// a few would allocate a few times.
			out = make([]leadline.Notification, 0, min(limit, len(o.byKey)))
		}
		out = append(out, m.n)
		m.n.Attempts++
		m.hidden = until
	}
	return out
}

// remove removes the message with key, if any.
func (o *outbox) remove(key string) {
	i, ok := o.byKey[key]
	if !ok {
		return
	}
	delete(o.byKey, key)
	o.queue[i] = message{} // drop its strings for the collector
	o.holes++
	if len(o.byKey) == 0 {
		clear(o.queue)
		o.queue, o.holes = o.queue[:0], 0
	} else if o.holes > 64 && o.holes > len(o.queue)/2 {
		o.compact()
	}
}

// compact drops the dead messages from queue, in place: the array is
// kept at its high-water mark for the messages to come, since a sweep
// fills the outbox and a delivery empties it again, over and over.
func (o *outbox) compact() {
	n := 0
	for i := range o.queue {
		if m := &o.queue[i]; m.live {
			o.byKey[m.n.Key] = n
			o.queue[n] = *m
			n++
		}
	}
	clear(o.queue[n:])
	o.queue, o.holes = o.queue[:n], 0
}
