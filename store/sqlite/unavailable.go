package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/servicedesk-go/desk/store"
)

// unavailable classifies a driver error: a database file that stayed
// busy or locked past the busy timeout, a full disk, a file that cannot
// be opened, or a closed database is store.ErrUnavailable (retrying
// later may succeed); other errors are returned as they are. A
// cancelled or expired context is the caller's, not an outage.
func unavailable(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary code of an extended one
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN:
			return store.Unavailable(err)
		}
		return err
	}
	// database/sql's own: a closed *sql.DB (its error is unexported).
	if errors.Is(err, sql.ErrConnDone) || strings.Contains(err.Error(), "sql: database is closed") {
		return store.Unavailable(err)
	}
	return err
}

// classified is a DB whose statement errors are classified by
// unavailable. A *sql.Row reports its error at Scan: the stores' row
// scanners (scanTicket, scanTask, executor rows) classify it there.
type classified struct{ db DB }

func (c classified) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := c.db.ExecContext(ctx, query, args...)
	return res, unavailable(err)
}

func (c classified) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := c.db.QueryContext(ctx, query, args...)
	return rows, unavailable(err)
}

func (c classified) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return c.db.QueryRowContext(ctx, query, args...)
}
