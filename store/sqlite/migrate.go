package sqlite

import (
	"context"
	"embed"
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

// ListMigrations returns the embedded migrations in order.
func ListMigrations() ([]sqlstore.Migration, error) { return sqlstore.ParseMigrations(Migrations) }

// migrator is the shared migrator in SQLite's dialect: each step in one
// write transaction, which holds SQLite's write lock from its start, so
// concurrent migrators take turns.
func (s *Store) migrator() (*sqlstore.Migrator, error) {
	ms, err := ListMigrations()
	if err != nil {
		return nil, err
	}
	return &sqlstore.Migrator{Name: "sqlite", Steps: ms, Bind: sqlstore.Question, Read: executor{s.db},
		VersionTable: `CREATE TABLE IF NOT EXISTS desk_schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`,
		InTx: func(ctx context.Context, fn func(sqlstore.Executor) error) error {
			return s.atomic(ctx, func(db DB) error { return fn(executor{db}) })
		}}, nil
}
