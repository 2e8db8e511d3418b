package sqlstore

import (
	"context"
	"errors"
)

// Executor is the little that the shared parts (Migrator, Rosters) need
// from a database handle: a pool, a connection or a transaction of the
// adapter's driver, wrapped in a few lines by each adapter. Queries are
// written with PostgreSQL's $1, $2, ... placeholders and passed through
// the adapter's Bind before they reach Executor.
type Executor interface {
	// Exec runs a statement and returns the number of rows it affected.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	// QueryRow runs a query expected to return at most one row; its Scan
	// returns ErrNoRows when there is none.
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Query runs a query returning rows.
	Query(ctx context.Context, query string, args ...any) (Rows, error)
}

// Row is one row of a query.
type Row interface {
	Scan(dest ...any) error
}

// Rows is the result of a query, read with Next and Scan and closed
// with Close.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// ErrNoRows is what an Executor's Row.Scan returns when the query found
// no row (the adapters translate their driver's own).
var ErrNoRows = errors.New("sqlstore: no rows in result set")

// Dollar keeps PostgreSQL's $1, $2, ... placeholders as they are.
func Dollar(query string) string { return query }

// Question rewrites $1, $2, ... as ?1, ?2, ..., SQLite's numbered
// parameters; the queries given hold no other dollar signs.
func Question(query string) string {
	b := []byte(query)
	for i, c := range b {
		if c == '$' {
			b[i] = '?'
		}
	}
	return string(b)
}
