package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations holds the schema as numbered files, NNN_name.up.sql and
// NNN_name.down.sql, for a CRM that runs its own migration tool
// (golang-migrate, goose, tern, ...): copy or embed these files in its
// migration directory in order, and do not call Migrate as well. The
// tables all start with desk_.
var Migrations fs.FS = mustSub(migrationFiles, "migrations")

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}

// Migration is one numbered schema step.
type Migration struct {
	Version int
	Name    string
	Up      string
	Down    string
}

// ListMigrations returns the embedded migrations in order.
func ListMigrations() ([]Migration, error) { return parseMigrations(Migrations) }

func parseMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	byVersion := map[int]*Migration{}
	for _, e := range entries {
		name := e.Name()
		var dir string
		switch {
		case strings.HasSuffix(name, ".up.sql"):
			dir = "up"
		case strings.HasSuffix(name, ".down.sql"):
			dir = "down"
		default:
			continue
		}
		num, rest, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("postgres: migration file %q: want NNN_name.up.sql or NNN_name.down.sql", name)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		m := byVersion[v]
		if m == nil {
			m = &Migration{Version: v, Name: strings.TrimSuffix(strings.TrimSuffix(rest, ".up.sql"), ".down.sql")}
			byVersion[v] = m
		}
		if dir == "up" {
			m.Up = string(body)
		} else {
			m.Down = string(body)
		}
	}
	out := make([]Migration, 0, len(byVersion))
	for _, m := range byVersion {
		if m.Up == "" || m.Down == "" {
			return nil, fmt.Errorf("postgres: migration %03d_%s needs both an up and a down file", m.Version, m.Name)
		}
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("postgres: migration %d missing before %03d_%s", i+1, m.Version, m.Name)
		}
	}
	return out, nil
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
