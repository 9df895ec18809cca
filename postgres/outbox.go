package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/leadline/leadline"
)

// ClaimOutbox claims up to limit notifications not hidden at now, in
// write order, until now+lease (E4): concurrent deliverers skip each
// other's locked rows. Attempts counts the earlier claims.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]leadline.Notification, error) {
	if limit < 1 {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("postgres: claim outbox: %w", err)
		}
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, s.q.claimOutbox, now, limit, now.Add(lease))
	if err != nil {
		return nil, fmt.Errorf("postgres: claim outbox: %w", interpretError(err))
	}
	type claimed struct {
		seq int64
		n   leadline.Notification
	}
	var out []claimed
	var (
		seq      int64
		body     []byte
		attempts int
	)
	_, err = pgx.ForEachRow(rows, []any{&seq, &body, &attempts}, func() error {
		var n leadline.Notification
		if err := json.Unmarshal(body, &n); err != nil {
			return fmt.Errorf("stored notification: %w", err)
		}
		n.Attempts = attempts
		out = append(out, claimed{seq, n})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: claim outbox: %w", interpretError(err))
	}
	slices.SortFunc(out, func(a, b claimed) int { return int(a.seq - b.seq) })
	ns := make([]leadline.Notification, len(out))
	for i := range out {
		ns[i] = out[i].n
	}
	return ns, nil
}

// ReleaseOutbox ends the claims made until until on the notifications
// with keys, which a Deliver cut short never handed to its notifier: they
// are claimable at once, and the claim no longer counts in their Attempts
// (E4). A notification claimed again since (its claim ends at another
// instant), acknowledged, dead or unknown is left alone.
func (s *Store) ReleaseOutbox(ctx context.Context, keys []string, until time.Time) error {
	if len(keys) == 0 {
		return ctx.Err()
	}
	if _, err := s.pool.Exec(ctx, s.q.releaseOutbox, keys, until); err != nil {
		return fmt.Errorf("postgres: release outbox: %w", interpretError(err))
	}
	return nil
}

// Ack removes delivered notifications, pending or dead, by key (E4).
func (s *Store) Ack(ctx context.Context, keys []string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("postgres: ack: %w", err)
	}
	if len(keys) == 0 {
		return nil
	}
	if _, err := s.pool.Exec(ctx, s.q.ack, keys); err != nil {
		return fmt.Errorf("postgres: ack: %w", interpretError(err))
	}
	return nil
}

// Fail records a failed delivery (E4): it hides the notification until
// f.Retry, or with f.Dead moves it to the dead-letter list.
func (s *Store) Fail(ctx context.Context, f leadline.DeliveryFailure) error {
	var err error
	if f.Dead {
		_, err = s.pool.Exec(ctx, s.q.failDead, f.Key, f.At, f.Err, s.q.outboxTable)
	} else {
		_, err = s.pool.Exec(ctx, s.q.failRetry, f.Key, f.Retry)
	}
	if err != nil {
		return fmt.Errorf("postgres: fail %s: %w", f.Key, interpretError(err))
	}
	return nil
}

// DeadLetters returns the dead-letter list in the order the
// notifications were moved there (E4, E9).
func (s *Store) DeadLetters(ctx context.Context) ([]leadline.DeadLetter, error) {
	rows, err := s.pool.Query(ctx, s.q.dead)
	if err != nil {
		return nil, fmt.Errorf("postgres: dead letters: %w", interpretError(err))
	}
	out := []leadline.DeadLetter{}
	var (
		body     []byte
		attempts int
		at       time.Time
		why      string
	)
	_, err = pgx.ForEachRow(rows, []any{&body, &attempts, &at, &why}, func() error {
		var d leadline.DeadLetter
		if err := json.Unmarshal(body, &d.Notification); err != nil {
			return fmt.Errorf("stored notification: %w", err)
		}
		d.Notification.Attempts = attempts
		d.At, d.Err = at, why
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: dead letters: %w", interpretError(err))
	}
	return out, nil
}

// Revive moves the dead letters with keys back to the end of the outbox,
// claimable at once with Attempts 0, in the order of keys (E4).
func (s *Store) Revive(ctx context.Context, keys []string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("postgres: revive: %w", err)
	}
	if len(keys) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, k := range keys {
		b.Queue(s.q.revive, k, s.q.outboxTable)
	}
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("postgres: revive: %w", interpretError(err))
	}
	return nil
}
