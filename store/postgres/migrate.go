package postgres

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
// (golang-migrate, goose, tern, ...): copy or embed these files in its
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
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return ms, nil
}

// migrationLock is the advisory lock key that serialises migrators of
// several processes.
const migrationLock = 0x6465736b // "desk"

// Migrate brings the schema to the latest embedded version. Applied
// versions are recorded in desk_schema_migrations; migrating twice, or
// from several processes at once, applies each step once.
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
		return fmt.Errorf("postgres: no schema version %d; the latest is %d", version, len(ms))
	}
	if err := s.createVersionTable(ctx); err != nil {
		return fmt.Errorf("postgres: create desk_schema_migrations: %w", err)
	}
	for {
		done, err := s.migrateStep(ctx, ms, version)
		if err != nil || done {
			return err
		}
	}
}

// createVersionTable creates desk_schema_migrations under the advisory
// lock: CREATE TABLE IF NOT EXISTS alone fails when two sessions run it
// at once.
func (s *Store) createVersionTable(ctx context.Context) error {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer rollback(ctx, tx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS desk_schema_migrations (
		version    integer     PRIMARY KEY,
		name       text        NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// migrateStep applies one step towards target under the advisory lock
// and reports whether the schema is there.
func (s *Store) migrateStep(ctx context.Context, ms []Migration, target int) (bool, error) {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer rollback(ctx, tx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
		return false, fmt.Errorf("postgres: lock migrations: %w", err)
	}
	var current int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM desk_schema_migrations`).Scan(&current); err != nil {
		return false, fmt.Errorf("postgres: read schema version: %w", err)
	}
	switch {
	case current == target:
		return true, tx.Commit(ctx)
	case current > len(ms):
		return false, fmt.Errorf("postgres: schema version %d is newer than this adapter's %d", current, len(ms))
	case current < target:
		m := ms[current]
		if _, err := tx.Exec(ctx, m.Up); err != nil {
			return false, fmt.Errorf("postgres: migration %03d_%s up: %w", m.Version, m.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO desk_schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			return false, err
		}
	default:
		m := ms[current-1]
		if _, err := tx.Exec(ctx, m.Down); err != nil {
			return false, fmt.Errorf("postgres: migration %03d_%s down: %w", m.Version, m.Name, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM desk_schema_migrations WHERE version = $1`, m.Version); err != nil {
			return false, err
		}
	}
	return false, tx.Commit(ctx)
}

// SchemaVersion returns the applied schema version, 0 for none.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM desk_schema_migrations`).Scan(&v)
	return v, err
}
