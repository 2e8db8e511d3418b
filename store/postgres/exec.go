package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/servicedesk-go/desk/store/sqlstore"
)

// executor lets the shared parts of store/sqlstore use a DB.
type executor struct{ db DB }

func (e executor) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := e.db.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

func (e executor) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return row{e.db.QueryRow(ctx, query, args...)}
}

func (e executor) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := e.db.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

type row struct{ pgx.Row }

func (r row) Scan(dest ...any) error {
	err := r.Row.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return sqlstore.ErrNoRows
	}
	return err
}
