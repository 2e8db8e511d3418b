package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/servicedesk-go/desk/store"
)

// unavailable classifies a driver error: one that says the database
// cannot serve now (see store.ErrUnavailable) is wrapped in it, others
// are returned as they are. A cancelled or expired context is the
// caller's, not an outage.
func unavailable(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var (
		pge *pgconn.PgError
		ce  *pgconn.ConnectError
		ne  net.Error
	)
	switch {
	case errors.As(err, &pge):
		c := pge.Code
		// 08 connection exception, 53 insufficient resources, 57P
		// shutdown or not yet accepting, 40001 serialization failure,
		// 40P01 deadlock.
		if strings.HasPrefix(c, "08") || strings.HasPrefix(c, "53") || strings.HasPrefix(c, "57P") || c == "40001" || c == "40P01" {
			return store.Unavailable(err)
		}
		return err
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, pgconn.ErrConnClosed), err.Error() == "closed pool":
		return store.Unavailable(err)
	}
	return err
}

// classified is a DB whose errors are classified by unavailable: every
// store's statements, rows and transactions go through it.
type classified struct{ db DB }

// raw returns the DB that db classifies, for the paths that need more of
// pgx than DB offers (a pipelined batch, COPY); they classify their
// errors themselves.
func raw(db DB) DB {
	if c, ok := db.(classified); ok {
		return c.db
	}
	return db
}

func (c classified) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := c.db.Exec(ctx, sql, args...)
	return tag, unavailable(err)
}

func (c classified) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	rows, err := c.db.Query(ctx, sql, args...)
	if err != nil {
		return rows, unavailable(err)
	}
	return classifiedRows{rows}, nil
}

func (c classified) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return classifiedRow{c.db.QueryRow(ctx, sql, args...)}
}

func (c classified) Begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := c.db.Begin(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	return classifiedTx{tx}, nil
}

type classifiedRow struct{ pgx.Row }

func (r classifiedRow) Scan(dest ...any) error { return unavailable(r.Row.Scan(dest...)) }

type classifiedRows struct{ pgx.Rows }

func (r classifiedRows) Err() error { return unavailable(r.Rows.Err()) }

func (r classifiedRows) Scan(dest ...any) error { return unavailable(r.Rows.Scan(dest...)) }

// classifiedTx is a transaction the stores began: its statements and
// its commit are classified too.
type classifiedTx struct{ pgx.Tx }

func (t classifiedTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return classified{t.Tx}.Exec(ctx, sql, args...)
}

func (t classifiedTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return classified{t.Tx}.Query(ctx, sql, args...)
}

func (t classifiedTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return classified{t.Tx}.QueryRow(ctx, sql, args...)
}

func (t classifiedTx) Begin(ctx context.Context) (pgx.Tx, error) { return classified{t.Tx}.Begin(ctx) }

func (t classifiedTx) Commit(ctx context.Context) error { return unavailable(t.Tx.Commit(ctx)) }
