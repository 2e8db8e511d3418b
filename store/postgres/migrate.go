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
		}}, nil
}
