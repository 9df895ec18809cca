package memstore

import (
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
	// dead is the dead-letter list, in the order the messages died, and
	// deadKeys the set of their keys. After a day of a notifier's outage
	// the list holds thousands until a host retries them, and every
	// write's notifications and every delivery's acknowledgement asks
	// whether a key is in it (E4, E9).
	dead     []leadline.DeadLetter
	deadKeys map[string]struct{}
}

// isDead reports whether the notification with key is a dead letter.
func (o *outbox) isDead(key string) bool {
	_, ok := o.deadKeys[key]
	return ok
}

// bury appends d to the dead-letter list.
func (o *outbox) bury(d leadline.DeadLetter) {
	if o.deadKeys == nil {
		o.deadKeys = make(map[string]struct{})
	}
	o.dead = append(o.dead, d)
	o.deadKeys[d.Notification.Key] = struct{}{}
}

// unbury removes the dead letters with keys from the list, in one pass
// over it, and returns their notifications in the order of keys; keys
// that are not dead letters, or given twice, are ignored.
func (o *outbox) unbury(keys []string) []leadline.Notification {
	var found map[string]leadline.Notification
	for _, k := range keys {
		if o.isDead(k) {
			if found == nil {
				found = make(map[string]leadline.Notification)
			}
			found[k] = leadline.Notification{}
		}
	}
	if found == nil {
		return nil
	}
	kept := o.dead[:0]
	for _, d := range o.dead {
		if _, ok := found[d.Notification.Key]; ok {
			found[d.Notification.Key] = d.Notification
			delete(o.deadKeys, d.Notification.Key)
			continue
		}
		kept = append(kept, d)
	}
	clear(o.dead[len(kept):])
	o.dead = kept
	out := make([]leadline.Notification, 0, len(found))
	for _, k := range keys {
		if n, ok := found[k]; ok {
			out = append(out, n)
			delete(found, k)
		}
	}
	return out
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
	if o.isDead(n.Key) {
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

// release ends the claims made until until on the messages with keys,
// uncounted ([Store.ReleaseOutbox]).
func (o *outbox) release(keys []string, until time.Time) {
	for _, k := range keys {
		i, ok := o.byKey[k]
		if !ok {
			continue
		}
		if m := &o.queue[i]; m.live && m.hidden.Equal(until) && m.n.Attempts > 0 {
			m.n.Attempts--
			m.hidden = time.Time{}
		}
	}
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
