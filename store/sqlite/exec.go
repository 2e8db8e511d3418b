package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/servicedesk-go/desk/store/sqlstore"
)

// executor lets the shared parts of store/sqlstore use a DB.
type executor struct{ db DB }

func (e executor) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := e.db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (e executor) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return row{e.db.QueryRowContext(ctx, query, args...)}
}

func (e executor) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	r, err := e.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rows{r}, nil
}

type row struct{ *sql.Row }

func (r row) Scan(dest ...any) error {
	err := r.Row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return sqlstore.ErrNoRows
	}
	return unavailable(err)
}

// rows closes without an error to report: database/sql reports a failed
// read through Err.
type rows struct{ *sql.Rows }

func (r rows) Close() { _ = r.Rows.Close() }
