package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/leadline/leadline/leaderr"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migration is one numbered SQL file of migrations/.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations returns the embedded migrations in version order. A
// file is named NNNN_what.sql; "@schema" in it stands for the store's
// schema, quoted.
func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, p := range names {
		name := strings.TrimPrefix(p, "migrations/")
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name it NNNN_what.sql with NNNN from 0001", name)
		}
		b, err := migrations.ReadFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", out[i-1].name, out[i].name, out[i].version)
		}
	}
	return out, nil
}

// Migrate creates the store's schema if it is missing and applies the
// embedded migrations it has not applied yet, recording each in the
// schema's migrations table. It is idempotent, and safe when several
// instances start at once: the whole run is one transaction holding a
// transaction-level advisory lock keyed by the schema, so a second
// Migrate waits for the first and then finds nothing to do.
func (s *Store) Migrate(ctx context.Context) error {
	if err := checkSchema(s.schema); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	ident := pgx.Identifier{s.schema}.Sanitize()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "leadline.migrate:"+s.schema); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+ident); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+ident+`.migrations (
			version integer PRIMARY KEY,
			name    text NOT NULL
		)`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT version FROM `+ident+`.migrations`)
		if err != nil {
			return err
		}
		done, err := pgx.CollectRows(rows, pgx.RowTo[int])
		if err != nil {
			return err
		}
		for _, m := range ms {
			if slices.Contains(done, m.version) {
				continue
			}
			if _, err := tx.Exec(ctx, strings.ReplaceAll(m.sql, "@schema", ident)); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO `+ident+`.migrations (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: migrate schema %s: %w", s.schema, interpretError(err))
	}
	return nil
}

// maxIdentBytes is the longest name PostgreSQL keeps whole (NAMEDATALEN
// less one): a longer one is cut, silently.
const maxIdentBytes = 63

// checkSchema refuses a schema name the store cannot keep apart from
// every other ([WithSchema]).
func checkSchema(name string) error {
	switch {
	case name == "":
		return leaderr.Errorf("schema", "required: the name of the schema for the store's tables")
	case len(name) > maxIdentBytes:
		return leaderr.Errorf("schema", "%d bytes; PostgreSQL keeps %d of a name and cuts the rest, so two tenants could share tables: use a shorter name", len(name), maxIdentBytes)
	case strings.ContainsAny(name, "$\x00"):
		return leaderr.Errorf("schema", "%s holds '$' or a NUL byte, which the migrations' SQL cannot quote: use letters, digits, '_' or '-'", leaderr.Quote(name))
	}
	return nil
}
