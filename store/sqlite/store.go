package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/store/sqlstore"
	"github.com/servicedesk-go/desk/ticket"
)

// DB is what the stores need from database/sql: *sql.DB and *sql.Tx
// both provide it.
type DB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Store holds the desk's tickets, follow-ups and rosters in one SQLite
// file: the durable embedded default for a desk run by one process.
// It is safe for concurrent use by many goroutines.
type Store struct {
	// Schema gives the store Migrate, MigrateTo and SchemaVersion.
	sqlstore.Schema

	db    DB
	sqlDB *sql.DB // for transactions; nil when bound to a caller's tx
	tx    *sql.Tx // the caller's transaction, if any
	owned bool    // Close closes sqlDB

	tickets   *Tickets
	followups *Followups
	rosters   *sqlstore.Rosters
}

// Open opens (creating if needed) the SQLite database file at path with
// WAL journaling, a busy timeout of 10 s, foreign keys on and write
// transactions that take the write lock at BEGIN (so two writers wait
// for each other instead of failing). It does not change the schema:
// call Migrate, or apply Migrations with your own tool.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s := New(db)
	s.owned = true
	return s, nil
}

// DSN returns the connection string Open uses for path, for a caller
// that opens its own *sql.DB with the "sqlite" driver. A path is a file
// name, whatever characters it holds: the driver reads a file: URI, so
// %, ? and # (the start of a query and of a fragment) are escaped; a
// path that already starts with "file:" is taken as a URI, as it is.
func DSN(path string) string {
	name := path
	if !strings.HasPrefix(name, "file:") {
		name = "file:" + uriPath.Replace(path)
	}
	sep := "?"
	if strings.Contains(name, "?") {
		sep = "&"
	}
	return name + sep + "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate"
}

// uriPath escapes what a file: URI would read as other than the path.
var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// New returns a store on a *sql.DB the caller owns (opened with the
// "sqlite" driver of modernc.org/sqlite, preferably with DSN); Close
// then does nothing.
func New(db *sql.DB) *Store {
	s := &Store{db: classified{db}, sqlDB: db}
	s.bind()
	return s
}

// WithTx returns the same stores bound to the caller's transaction: their
// writes commit or roll back with tx, so the caller saves its own rows
// and a ticket change atomically. Multi-statement writes run inside a
// savepoint, so a refused write leaves tx as it was.
func (s *Store) WithTx(tx *sql.Tx) *Store {
	t := &Store{db: classified{tx}, tx: tx}
	t.bind()
	return t
}

func (s *Store) bind() {
	s.tickets = &Tickets{s: s}
	s.followups = &Followups{s: s}
	s.rosters = newRosters(s)
	s.Schema = sqlstore.NewSchema(s.migrator)
}

// Tickets returns the ticket.Store.
func (s *Store) Tickets() ticket.Store { return s.tickets }

// Followups returns the followup.Store.
func (s *Store) Followups() followup.Store { return s.followups }

// CompleteBatch writes the outcomes of many claimed tasks in one round
// trip and one commit, each under the lease rule of Complete (see
// Followups.CompleteBatch).
func (s *Store) CompleteBatch(ctx context.Context, items []Completion, now time.Time) ([]error, error) {
	return s.followups.CompleteBatch(ctx, items, now)
}

// Rosters returns the roster.Store.
func (s *Store) Rosters() roster.Store { return s.rosters }

// DB returns the *sql.DB the store uses, for the caller's own tables and
// transactions (see WithTx); nil for a store bound to a transaction.
func (s *Store) DB() *sql.DB { return s.sqlDB }

// Close closes the database opened by Open; it does nothing otherwise.
func (s *Store) Close() error {
	if s.owned && s.sqlDB != nil {
		return s.sqlDB.Close()
	}
	return nil
}

var savepoints atomic.Int64

// atomic runs fn in a transaction, or in a savepoint of the caller's
// transaction: all of fn's writes or none.
func (s *Store) atomic(ctx context.Context, fn func(DB) error) (err error) {
	if s.tx != nil {
		name := fmt.Sprintf("desk_sp_%d", savepoints.Add(1))
		if _, err := s.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
			return unavailable(err)
		}
		if err := fn(classified{s.tx}); err != nil {
			bg := context.WithoutCancel(ctx)
			_, _ = s.tx.ExecContext(bg, "ROLLBACK TO "+name)
			_, _ = s.tx.ExecContext(bg, "RELEASE "+name)
			return err
		}
		_, err := s.tx.ExecContext(ctx, "RELEASE "+name)
		return unavailable(err)
	}
	tx, err := s.sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return unavailable(err)
	}
	if err := fn(classified{tx}); err != nil {
		_ = tx.Rollback()
		return cancelled(ctx, err)
	}
	return cancelled(ctx, unavailable(tx.Commit()))
}

// cancelled reports a transaction that database/sql rolled back because
// ctx ended as the context's error, not as sql.ErrTxDone.
func cancelled(ctx context.Context, err error) error {
	if errors.Is(err, sql.ErrTxDone) && ctx.Err() != nil {
		return fmt.Errorf("%w: the transaction was rolled back", ctx.Err())
	}
	return err
}

// uniqueViolation reports a UNIQUE or PRIMARY KEY constraint failure.
func uniqueViolation(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code()
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}
