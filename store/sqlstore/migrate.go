package sqlstore

import (
	"context"
	"fmt"
)

// Migrator applies the numbered migrations of an adapter, recording each
// applied version in desk_schema_migrations. The adapter supplies its
// dialect: how to run a step in one transaction that excludes other
// migrators, the version table's DDL and its placeholders.
type Migrator struct {
	Name  string      // the adapter, prefixed to errors ("postgres")
	Steps []Migration // in version order, from ParseMigrations
	// InTx runs fn in one transaction that no other migrator runs at the
	// same time (PostgreSQL: an advisory lock; SQLite: the write lock
	// taken at BEGIN), committing when fn returns nil.
	InTx func(ctx context.Context, fn func(Executor) error) error
	// VersionTable creates desk_schema_migrations (version, name,
	// applied_at) if it does not exist.
	VersionTable string
	// Bind adapts the $n placeholders of the migrator's statements.
	Bind func(string) string
	// Read is the handle SchemaVersion reads through.
	Read Executor
}

// To moves the schema up or down to version (0 removes every table of
// the adapter), one step per transaction together with its record.
func (m *Migrator) To(ctx context.Context, version int) error {
	if version < 0 || version > len(m.Steps) {
		return fmt.Errorf("%s: no schema version %d; the latest is %d", m.Name, version, len(m.Steps))
	}
	if err := m.InTx(ctx, func(ex Executor) error {
		_, err := ex.Exec(ctx, m.VersionTable)
		return err
	}); err != nil {
		return fmt.Errorf("%s: create desk_schema_migrations: %w", m.Name, err)
	}
	for {
		var done bool
		err := m.InTx(ctx, func(ex Executor) (err error) {
			done, err = m.step(ctx, ex, version)
			return err
		})
		if err != nil || done {
			return err
		}
	}
}

// step applies one step towards target and reports whether the schema
// is there.
func (m *Migrator) step(ctx context.Context, ex Executor, target int) (bool, error) {
	current, err := m.version(ctx, ex)
	if err != nil {
		return false, fmt.Errorf("%s: read schema version: %w", m.Name, err)
	}
	switch {
	case current == target:
		return true, nil
	case current > len(m.Steps):
		return false, fmt.Errorf("%s: schema version %d is newer than this adapter's %d", m.Name, current, len(m.Steps))
	case current < target:
		s := m.Steps[current]
		if _, err := ex.Exec(ctx, s.Up); err != nil {
			return false, fmt.Errorf("%s: migration %03d_%s up: %w", m.Name, s.Version, s.Name, err)
		}
		_, err := ex.Exec(ctx, m.Bind(`INSERT INTO desk_schema_migrations (version, name) VALUES ($1, $2)`), s.Version, s.Name)
		return false, err
	default:
		s := m.Steps[current-1]
		if _, err := ex.Exec(ctx, s.Down); err != nil {
			return false, fmt.Errorf("%s: migration %03d_%s down: %w", m.Name, s.Version, s.Name, err)
		}
		_, err := ex.Exec(ctx, m.Bind(`DELETE FROM desk_schema_migrations WHERE version = $1`), s.Version)
		return false, err
	}
}

func (m *Migrator) version(ctx context.Context, ex Executor) (int, error) {
	var v int
	err := ex.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM desk_schema_migrations`).Scan(&v)
	return v, err
}

// SchemaVersion returns the applied schema version, 0 for none.
func (m *Migrator) SchemaVersion(ctx context.Context) (int, error) {
	return m.version(ctx, m.Read)
}

// Schema gives an adapter's Store its Migrate, MigrateTo and
// SchemaVersion methods over the adapter's migrator; the Store embeds
// it.
type Schema struct {
	migrator func() (*Migrator, error)
}

// NewSchema returns the schema methods over migrator, which the adapter
// builds for its handle.
func NewSchema(migrator func() (*Migrator, error)) Schema { return Schema{migrator: migrator} }

// Migrate brings the schema to the latest embedded version. Applied
// versions are recorded in desk_schema_migrations; migrating twice, or
// from several processes at once, applies each step once.
func (s Schema) Migrate(ctx context.Context) error {
	m, err := s.migrator()
	if err != nil {
		return err
	}
	return m.To(ctx, len(m.Steps))
}

// MigrateTo moves the schema up or down to version (0 removes every
// table of the adapter). Each step runs in its own transaction together
// with its record in desk_schema_migrations.
func (s Schema) MigrateTo(ctx context.Context, version int) error {
	m, err := s.migrator()
	if err != nil {
		return err
	}
	return m.To(ctx, version)
}

// SchemaVersion returns the applied schema version, 0 for none.
func (s Schema) SchemaVersion(ctx context.Context) (int, error) {
	m, err := s.migrator()
	if err != nil {
		return 0, err
	}
	return m.SchemaVersion(ctx)
}
