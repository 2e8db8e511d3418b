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

// ListMigrations returns the embedded migrations in order.
func ListMigrations() ([]sqlstore.Migration, error) { return sqlstore.ParseMigrations(Migrations) }

// migrationLock is the advisory lock key that serialises migrators of
// several processes.
const migrationLock = 0x6465736b // "desk"

// migrator is the shared migrator in PostgreSQL's dialect: each step in
// its own transaction under the advisory lock, so migrators of several
// processes take turns (CREATE TABLE IF NOT EXISTS alone fails when two
// sessions run it at once).
func (s *Store) migrator() (*sqlstore.Migrator, error) {
	ms, err := ListMigrations()
	if err != nil {
		return nil, err
	}
	return s.migratorOf(ms), nil
}

// migratorWith is the migrator whose step 007_desk_keys has the layout
// of o going up, and undoes the layout the schema has going down (a
// partitioned schema is first rebuilt as plain tables).
func (s *Store) migratorWith(ctx context.Context, o MigrateOptions) (*sqlstore.Migrator, error) {
	ms, err := ListMigrations()
	if err != nil {
		return nil, err
	}
	if len(ms) < deskKeysVersion || ms[deskKeysVersion-1].Name != "desk_keys" {
		return nil, fmt.Errorf("postgres: migration %03d is not desk_keys", deskKeysVersion)
	}
	step := &ms[deskKeysVersion-1]
	if o.Partitions > 0 {
		step.Up = rebuildSQL(o.Partitions)
	}
	parts, err := s.Partitioned(ctx)
	if err != nil {
		return nil, err
	}
	if parts > 0 {
		step.Down = rebuildSQL(0) + step.Down
	}
	return s.migratorOf(ms), nil
}

// Migrate brings the schema to the latest embedded version with plain
// tables (see MigrateWith for the partitioned layout). Applied versions
// are recorded in desk_schema_migrations; migrating twice, or from
// several processes at once, applies each step once.
func (s *Store) Migrate(ctx context.Context) error {
	return s.MigrateWith(ctx, MigrateOptions{})
}

// MigrateTo moves the schema up or down to version (0 removes every
// table of the adapter). Each step runs in its own transaction together
// with its record in desk_schema_migrations. Going up it lays out plain
// tables; going down past 007_desk_keys it undoes whichever layout the
// schema has.
func (s *Store) MigrateTo(ctx context.Context, version int) error {
	m, err := s.migratorWith(ctx, MigrateOptions{})
	if err != nil {
		return err
	}
	return m.To(ctx, version)
}

func (s *Store) migratorOf(ms []sqlstore.Migration) *sqlstore.Migrator {
	return &sqlstore.Migrator{Name: "postgres", Steps: ms, Bind: sqlstore.Dollar, Read: executor{s.db},
		VersionTable: `CREATE TABLE IF NOT EXISTS desk_schema_migrations (
		version    integer     PRIMARY KEY,
		name       text        NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`,
		InTx: func(ctx context.Context, fn func(sqlstore.Executor) error) error {
			tx, err := s.db.Begin(ctx)
			if err != nil {
				return err
			}
			defer rollback(ctx, tx)
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
				return fmt.Errorf("postgres: lock migrations: %w", err)
			}
			if err := fn(executor{tx}); err != nil {
				return err
			}
			return tx.Commit(ctx)
		}}
}
