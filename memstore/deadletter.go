package memstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/leadline/leadline"
)

// Fail records a failed delivery, as [leadline.Outbox] says.
func (s *Store) Fail(ctx context.Context, f leadline.DeliveryFailure) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: fail %s: %w", f.Key, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := &s.outbox
	i, ok := o.byKey[f.Key]
	if !ok {
		return nil
	}
	m := &o.queue[i]
	if !f.Dead {
		m.hidden = f.Retry
		return nil
	}
	o.bury(leadline.DeadLetter{Notification: m.n, At: f.At, Err: f.Err})
	o.remove(f.Key)
	return nil
}

// DeadLetters returns the dead-letter list, oldest first.
func (s *Store) DeadLetters(ctx context.Context) ([]leadline.DeadLetter, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: dead letters: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.outbox.dead), nil
}

// Revive moves dead letters back to the outbox, as [leadline.Outbox] says.
func (s *Store) Revive(ctx context.Context, keys []string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: revive: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := &s.outbox
	for _, n := range o.unbury(keys) {
		o.push(n)
	}
	return nil
}
