package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/leadline/leadline/leaderr"
)

// ErrTimeout wraps the error of a statement the database cancelled: a
// statement_timeout or a cancelled context. The transaction it was in is
// rolled back, so nothing of the call was written. It comes with
// [leaderr.ErrUnavailable]: retry later.
var ErrTimeout = errors.New("postgres: statement cancelled or timed out; nothing was written")

// ErrText wraps the refusal of a string PostgreSQL cannot store as
// text: one holding a NUL byte, or bytes that are not UTF-8. The engine
// refuses such strings at entry (lead.Event.Validate); remove the byte
// from the input.
var ErrText = errors.New("postgres: a string holds a NUL byte or is not UTF-8, which PostgreSQL text cannot store")

// ErrTooLong wraps the refusal of an indexed string (a lead id, event
// id, notification key, owner or campaign id) too long for a btree index
// row, about 2,700 bytes: shorten it at entry. Free text (names,
// reasons, comments, notes) has no such limit.
var ErrTooLong = errors.New("postgres: an id, event id, key or owner is too long to index (over about 2,700 bytes)")

// interpretError translates a driver error into the errors the engine
// branches on, by SQLSTATE and pgx's sentinels, never by message text:
//   - no rows is [leaderr.ErrNotFound];
//   - a unique violation, a serialization failure or a deadlock is
//     [leaderr.ErrConflict]: reload and retry;
//   - a cancelled statement is [ErrTimeout] and [leaderr.ErrUnavailable];
//   - a lost connection, or a database shutting down or starting, is
//     [leaderr.ErrUnavailable]: nothing of the call was written, except
//     that a commit whose answer was lost may have been, and a retry then
//     reads as a duplicate (E2);
//   - a string the database cannot hold is [ErrText], one it cannot
//     index [ErrTooLong].
//
// The driver's error stays wrapped too.
func interpretError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %w", leaderr.ErrNotFound, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505", pe.Code == "40001", pe.Code == "40P01":
			return fmt.Errorf("%w: %w", leaderr.ErrConflict, err)
		case pe.Code == "57014":
			return fmt.Errorf("%w: %w: %w", leaderr.ErrUnavailable, ErrTimeout, err)
		case pe.Code == "54000":
			return fmt.Errorf("%w: %w", ErrTooLong, err)
		case pe.Code == "22021", pe.Code == "22P05":
			return fmt.Errorf("%w: %w", ErrText, err)
		case pe.Code[:2] == "08", pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03":
			return fmt.Errorf("%w: %w", leaderr.ErrUnavailable, err)
		}
		return err
	}
	if pgconn.SafeToRetry(err) {
		return fmt.Errorf("%w: %w", leaderr.ErrUnavailable, err)
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return fmt.Errorf("%w: %w", leaderr.ErrUnavailable, err)
	}
	return err
}
