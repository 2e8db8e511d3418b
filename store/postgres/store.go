package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/servicedesk-go/desk/store/sqlstore"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// DB is what the stores need from a connection: *pgxpool.Pool, *pgx.Conn
// and pgx.Tx all provide it. Begin on a pgx.Tx opens a savepoint, so a
// store bound to the caller's transaction still rolls back its own
// multi-statement writes on error without ending the caller's work.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Store holds the desk's tickets, follow-ups and rosters in PostgreSQL.
// It is safe for concurrent use by many goroutines and many processes
// sharing one database.
type Store struct {
	// Schema gives the store Migrate, MigrateTo and SchemaVersion.
	sqlstore.Schema

	db   DB
	pool *pgxpool.Pool // nil for a store bound to a transaction or a caller's DB

	tickets   *Tickets
	followups *Followups
	rosters   *sqlstore.Rosters
}

// Open connects to the database at url (a PostgreSQL URL or key=value
// string) with a connection pool. It does not change the schema: call
// Migrate, or apply the Migrations files with your own tool.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse connection string: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", unavailable(err))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect: %w", unavailable(err))
	}
	s := New(pool)
	s.pool = pool
	return s, nil
}

// New returns a store on a connection, pool or transaction the caller
// owns (Close then does nothing).
func New(db DB) *Store {
	// Errors that say the database cannot serve now are
	// store.ErrUnavailable, whichever store returns them.
	if _, ok := db.(classified); !ok {
		db = classified{db}
	}
	s := &Store{db: db}
	s.tickets = &Tickets{db: db}
	s.followups = &Followups{db: db}
	s.rosters = newRosters(db)
	s.Schema = sqlstore.NewSchema(s.migrator)
	return s
}

// WithTx returns the same stores bound to the caller's transaction: their
// writes commit or roll back with tx, so a CRM saves its own rows and a
// ticket change atomically. Errors that the stores report (ErrConflict,
// ErrNotFound, ...) leave tx usable; only a failed statement that the
// store did not expect aborts it, as any PostgreSQL error does.
func (s *Store) WithTx(tx pgx.Tx) *Store { return New(tx) }

// DB returns the connection pool made by Open, for the caller's own
// tables and transactions (see WithTx); nil for a store made by New or
// WithTx.
func (s *Store) DB() *pgxpool.Pool { return s.pool }

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

// Close closes the pool made by Open; it does nothing for a store made
// by New or WithTx. It returns nil: pgxpool reports no close error.
func (s *Store) Close() error {
	if s.pool != nil {
		s.pool.Close()
	}
	return nil
}

// uniqueViolation reports a duplicate key (SQLSTATE 23505).
func uniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// rollback ends tx after a failure; its own error adds nothing.
func rollback(ctx context.Context, tx pgx.Tx) {
	_ = tx.Rollback(context.WithoutCancel(ctx))
}
