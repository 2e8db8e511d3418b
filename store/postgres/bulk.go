package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store/sqlstore"
)

var _ followup.BatchCreator = (*Followups)(nil)

// copyFrom is a DB that speaks COPY (a pool, a connection or a
// transaction of pgx; a transaction begun on any DB does).
type copyFrom interface {
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error)
}

// copyAtLeast is the batch size from which CreateBatch stages the tasks
// with COPY; a smaller batch is one multi-row INSERT, which costs fewer
// round trips.
const copyAtLeast = 64

// newTaskColumns are the columns CreateBatch writes, version aside.
var newTaskColumns = []string{"id", "desk", "status", "role", "ready_at", "due", "ticket_id", "rule", "subject", "owner",
	"closed_at", "updated_at", "lease_owner", "lease_token", "lease_expires", "body"}

// CreateBatch implements followup.BatchCreator: every task is inserted
// by one INSERT ... ON CONFLICT DO NOTHING RETURNING id, so a task
// already stored is a *followup.DuplicateError of its own and the others
// are created. A batch of copyAtLeast tasks or more is first sent with
// COPY into a temporary table of this transaction (dropped at its
// commit) and inserted from there; a smaller one is sent as one array
// per column (unnest).
func (s *Followups) CreateBatch(ctx context.Context, ts []*followup.Task) (errs []error, err error) {
	errs = make([]error, len(ts))
	index := make(map[uuid.UUID]int, len(ts))
	rows := make([][]any, 0, len(ts))
	for i, t := range ts {
		if err := sqlstore.CheckNew(t); err != nil {
			errs[i] = err
			continue
		}
		if _, dup := index[t.ID]; dup {
			errs[i] = &followup.DuplicateError{Task: t.ID}
			continue
		}
		c, body, err := sqlstore.Created(t)
		if err != nil {
			return nil, fmt.Errorf("postgres: encode task %s: %w", t.ID, err)
		}
		index[t.ID] = i
		rows = append(rows, []any{t.ID, t.Desk, c.Status, c.Role, c.Ready, c.Due, c.Ticket, c.Rule, c.Subject, c.Owner,
			c.Closed, c.Updated, c.LeaseOwner, c.LeaseToken, c.LeaseExpires, string(body)})
	}
	if len(rows) == 0 {
		return errs, nil
	}
	var created map[uuid.UUID]bool
	if len(rows) < copyAtLeast {
		created, err = s.insertArrays(ctx, rows)
	} else {
		created, err = s.insertCopied(ctx, rows)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: create %d tasks: %w", len(rows), err)
	}
	for id, i := range index {
		if created[id] {
			ts[i].Version = 1
		} else {
			errs[i] = &followup.DuplicateError{Task: id}
		}
	}
	return errs, nil
}

// insertNew inserts the rows of from (a table or a row source with the
// columns newTaskColumns) at version 1, skipping the tasks already
// stored, and returns the IDs it inserted.
const insertNew = `
INSERT INTO desk_followups (id, desk, version, status, role, ready_at, due, ticket_id, rule, subject, owner,
    closed_at, updated_at, lease_owner, lease_token, lease_expires, body)
SELECT id, desk, 1, status, role, ready_at, due, ticket_id, rule, subject, owner,
    closed_at, updated_at, lease_owner, lease_token, lease_expires, body
FROM %s
ON CONFLICT DO NOTHING
RETURNING id`

// insertCopied stages rows with COPY and inserts them in one statement,
// in one transaction.
func (s *Followups) insertCopied(ctx context.Context, rows [][]any) (map[uuid.UUID]bool, error) {
	var created map[uuid.UUID]bool
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
CREATE TEMPORARY TABLE desk_followups_new (id uuid, desk text, status text, role text, ready_at bigint, due bigint,
    ticket_id uuid, rule text, subject text, owner text, closed_at bigint, updated_at bigint, lease_owner text,
    lease_token uuid, lease_expires bigint, body text) ON COMMIT DROP`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"desk_followups_new"}, newTaskColumns, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		r, err := tx.Query(ctx, fmt.Sprintf(insertNew, "desk_followups_new"))
		if err != nil {
			return err
		}
		created, err = scanIDs(r, len(rows))
		return err
	})
	return created, err
}

// insertArrays sends rows as one array per column.
func (s *Followups) insertArrays(ctx context.Context, rows [][]any) (map[uuid.UUID]bool, error) {
	r, err := s.db.Query(ctx, fmt.Sprintf(insertNew, `unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[],
    $6::bigint[], $7::uuid[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::text[], $14::uuid[],
    $15::bigint[], $16::text[])
    AS x (id, desk, status, role, ready_at, due, ticket_id, rule, subject, owner, closed_at, updated_at, lease_owner,
          lease_token, lease_expires, body)`),
		column[uuid.UUID](rows, 0), column[string](rows, 1), column[string](rows, 2), column[string](rows, 3),
		column[*int64](rows, 4), column[int64](rows, 5), column[*uuid.UUID](rows, 6), column[string](rows, 7),
		column[string](rows, 8), column[string](rows, 9), column[int64](rows, 10), column[int64](rows, 11),
		column[string](rows, 12), column[*uuid.UUID](rows, 13), column[int64](rows, 14), column[string](rows, 15))
	if err != nil {
		return nil, err
	}
	return scanIDs(r, len(rows))
}

// column returns column j of rows, whose values are Ts.
func column[T any](rows [][]any, j int) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = r[j].(T)
	}
	return out
}

// scanIDs reads the IDs a statement returned and closes its rows.
func scanIDs(rows pgx.Rows, n int) (map[uuid.UUID]bool, error) {
	defer rows.Close()
	ids := make(map[uuid.UUID]bool, n)
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids[id] = true
	}
	return ids, rows.Err()
}
