package sqlite

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/servicedesk-go/desk/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations holds the schema as numbered files, NNN_name.up.sql and
// NNN_name.down.sql, for a CRM that runs its own migration tool
// (golang-migrate, goose, ...): copy or embed these files in its
// migration directory in order, and do not call Migrate as well. The
// tables all start with desk_.
var Migrations fs.FS = sqlstore.Sub(migrationFiles, "migrations")

// Migration is one numbered schema step.
type Migration = sqlstore.Migration

// ListMigrations returns the embedded migrations in order.
func ListMigrations() ([]Migration, error) { return parseMigrations(Migrations) }

func parseMigrations(fsys fs.FS) ([]Migration, error) {
	ms, err := sqlstore.ParseMigrations(fsys)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return ms, nil
}

// Migrate brings the schema to the latest embedded version. Applied
// versions are recorded in desk_schema_migrations; migrating twice
// applies each step once.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := ListMigrations()
	if err != nil {
		return err
	}
	return s.MigrateTo(ctx, len(ms))
}

// MigrateTo moves the schema up or down to version (0 removes every
// table of the adapter). Each step runs in its own transaction together
// with its record in desk_schema_migrations.
func (s *Store) MigrateTo(ctx context.Context, version int) error {
	ms, err := ListMigrations()
	if err != nil {
		return err
	}
	if version < 0 || version > len(ms) {
		return fmt.Errorf("sqlite: no schema version %d; the latest is %d", version, len(ms))
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS desk_schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`); err != nil {
		return fmt.Errorf("sqlite: create desk_schema_migrations: %w", err)
	}
	for {
		done, err := s.migrateStep(ctx, ms, version)
		if err != nil || done {
			return err
		}
	}
}

// migrateStep applies one step towards target in one write transaction
// (which holds SQLite's write lock from its start, so concurrent
// migrators take turns) and reports whether the schema is there.
func (s *Store) migrateStep(ctx context.Context, ms []Migration, target int) (done bool, err error) {
	err = s.atomic(ctx, func(tx DB) error {
		done, err = step(ctx, tx, ms, target)
		return err
	})
	return done, err
}

func step(ctx context.Context, tx DB, ms []Migration, target int) (bool, error) {
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM desk_schema_migrations`).Scan(&current); err != nil {
		return false, fmt.Errorf("sqlite: read schema version: %w", err)
	}
	switch {
	case current == target:
		return true, nil
	case current > len(ms):
		return false, fmt.Errorf("sqlite: schema version %d is newer than this adapter's %d", current, len(ms))
	case current < target:
		m := ms[current]
		if _, err := tx.ExecContext(ctx, m.Up); err != nil {
			return false, fmt.Errorf("sqlite: migration %03d_%s up: %w", m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO desk_schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
			return false, err
		}
	default:
		m := ms[current-1]
		if _, err := tx.ExecContext(ctx, m.Down); err != nil {
			return false, fmt.Errorf("sqlite: migration %03d_%s down: %w", m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM desk_schema_migrations WHERE version = ?`, m.Version); err != nil {
			return false, err
		}
	}
	return false, nil
}

// SchemaVersion returns the applied schema version, 0 for none.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM desk_schema_migrations`).Scan(&v)
	return v, err
}
