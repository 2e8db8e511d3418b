package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
)

// dumpDB returns every row of every table of the store's schema as
// text: what the erasure cases search for erased values.
func dumpDB(ctx context.Context, db DB) (string, error) {
	rows, err := db.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return "", err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, tb := range tables {
		rows, err := db.Query(ctx, `SELECT r::text FROM `+pgx.Identifier{tb}.Sanitize()+` AS r`)
		if err != nil {
			return "", err
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return "", err
		}
		b.WriteString(tb + "\n" + strings.Join(lines, "\n") + "\n")
	}
	return b.String(), nil
}
