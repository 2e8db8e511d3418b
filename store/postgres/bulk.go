package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store/sqlstore"
)

var _ followup.BatchCreator = (*Followups)(nil)

// copyFrom is a DB that speaks COPY (a pool, a connection or a
// transaction of pgx; a transaction begun on any DB does).
type copyFrom interface {
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error)
}

// errUnknownDB: the DB is neither a pool nor a transaction of pgx, so
// a COPY straight into the table is not tried.
var errUnknownDB = errors.New("postgres: not a pgx pool or transaction")

// copyAtLeast is the batch size from which CreateBatch stages the tasks
// with COPY; a smaller batch is one multi-row INSERT, which costs fewer
// round trips.
const copyAtLeast = 64

// versionedColumns are the columns CreateBatch writes, in the order of
// a row of newRows (the version, always 1, last).
var versionedColumns = []string{"id", "desk", "status", "role", "ready_at", "due", "ticket_id", "rule", "subject",
	"owner", "closed_at", "updated_at", "lease_owner", "lease_token", "lease_expires", "body", "version"}

// CreateBatch implements followup.BatchCreator: a task already stored
// is a *followup.DuplicateError of its own and the others are created.
// A batch of fewer than copyAtLeast tasks is one INSERT ... ON CONFLICT
// DO NOTHING RETURNING id of one array per column (unnest); a larger one
// is sent with COPY (see insertCopied), each task checked and encoded
// as COPY reads it, so the server inserts the first rows while the
// later ones are still being prepared.
func (s *Followups) CreateBatch(ctx context.Context, ts []*followup.Task) (errs []error, err error) {
	src := &newRows{ts: ts, errs: make([]error, len(ts)), index: make(map[uuid.UUID]int, len(ts)),
		rows: make([][]any, 0, len(ts))}
	var created map[uuid.UUID]bool
	if len(ts) < copyAtLeast {
		if err := src.readAll(); err != nil {
			return nil, err
		}
		if len(src.rows) == 0 {
			return src.errs, nil
		}
		created, err = s.insertArrays(ctx, src.rows)
	} else {
		created, err = s.insertCopied(ctx, src)
	}
	if src.err != nil {
		return nil, src.err
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: create %d tasks: %w", len(src.rows), err)
	}
	for id, i := range src.index {
		if created[id] {
			ts[i].Version = 1
		} else {
			src.errs[i] = &followup.DuplicateError{Task: id}
		}
	}
	return src.errs, nil
}

// newRows reads the tasks of a batch as rows of versionedColumns, as a
// pgx.CopyFromSource: Next checks the next task as Create would (a task
// refused, or twice in the batch, gets its error in errs and is
// skipped) and encodes it. rows keeps every row read, index the
// position in ts of each task read.
type newRows struct {
	ts    []*followup.Task
	errs  []error
	index map[uuid.UUID]int
	rows  [][]any
	next  int
	err   error // a task that could not be encoded ends the batch
}

func (r *newRows) Next() bool {
	for r.err == nil && r.next < len(r.ts) {
		i, t := r.next, r.ts[r.next]
		r.next++
		if err := sqlstore.CheckNew(t); err != nil {
			r.errs[i] = err
			continue
		}
		if _, dup := r.index[t.ID]; dup {
			r.errs[i] = &followup.DuplicateError{Task: t.ID}
			continue
		}
		c, body, err := sqlstore.Created(t)
		if err != nil {
			r.err = fmt.Errorf("postgres: encode task %s: %w", t.ID, err)
			return false
		}
		r.index[t.ID] = i
		r.rows = append(r.rows, []any{[16]byte(t.ID), t.Desk, c.Status, c.Role, c.Ready, c.Due, pgUUID(c.Ticket), c.Rule,
			c.Subject, c.Owner, c.Closed, c.Updated, c.LeaseOwner, pgUUID(c.LeaseToken), c.LeaseExpires, string(body),
			int64(1)})
		return true
	}
	return false
}

// Values is the row Next read last.
func (r *newRows) Values() ([]any, error) { return r.rows[len(r.rows)-1], nil }

func (r *newRows) Err() error { return r.err }

// readAll reads the tasks not read yet.
func (r *newRows) readAll() error {
	for r.Next() {
	}
	return r.err
}

// insertNew inserts the rows of from (a table or a row source with the
// columns of versionedColumns) at version 1, skipping the tasks already
// stored, and returns the IDs it inserted.
const insertNew = `
INSERT INTO desk_followups (id, desk, version, status, role, ready_at, due, ticket_id, rule, subject, owner,
    closed_at, updated_at, lease_owner, lease_token, lease_expires, body)
SELECT id, desk, 1, status, role, ready_at, due, ticket_id, rule, subject, owner,
    closed_at, updated_at, lease_owner, lease_token, lease_expires, body
FROM %s
ON CONFLICT DO NOTHING
RETURNING id`

// insertCopied inserts the rows of src with COPY, straight into the
// table. When a task is already stored (the COPY then fails on the key
// and changes nothing; in a caller's transaction a savepoint keeps the
// transaction alive), the rows are copied into a temporary table of one
// transaction instead (dropped once read, so a caller's transaction can
// stage its next batch) and inserted from there,
// skipping the stored ones. An import run again thus fails at its first
// row and is judged task by task.
func (s *Followups) insertCopied(ctx context.Context, src *newRows) (map[uuid.UUID]bool, error) {
	var err error
	direct := func(cf copyFrom) error {
		_, err := cf.CopyFrom(ctx, pgx.Identifier{"desk_followups"}, versionedColumns, src)
		return err
	}
	// A COPY that fails aborts its transaction: a caller's transaction
	// is kept alive by a savepoint around it.
	switch db := raw(s.db).(type) {
	case *pgxpool.Pool:
		err = unavailable(direct(db))
	case pgx.Tx:
		err = unavailable(pgx.BeginFunc(ctx, db, func(sp pgx.Tx) error { return direct(sp) }))
	default:
		err = errUnknownDB
	}
	if src.err != nil {
		return nil, src.err
	}
	if err == nil {
		created := make(map[uuid.UUID]bool, len(src.rows))
		for _, r := range src.rows {
			created[r[0].([16]byte)] = true
		}
		return created, nil
	}
	if pe := (*pgconn.PgError)(nil); err != errUnknownDB && (!errors.As(err, &pe) || pe.Code != "23505") { // unique_violation
		return nil, err
	}
	// The COPY stopped at a stored task: the rest of the batch is read
	// now, and every row staged.
	if err := src.readAll(); err != nil {
		return nil, err
	}
	var created map[uuid.UUID]bool
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
CREATE TEMPORARY TABLE desk_followups_new (id uuid, desk text, status text, role text, ready_at bigint, due bigint,
    ticket_id uuid, rule text, subject text, owner text, closed_at bigint, updated_at bigint, lease_owner text,
    lease_token uuid, lease_expires bigint, body text, version bigint) ON COMMIT DROP`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"desk_followups_new"}, versionedColumns, pgx.CopyFromRows(src.rows)); err != nil {
			return err
		}
		if created, err = scanIDs(tx.Query(ctx, fmt.Sprintf(insertNew, "desk_followups_new"))); err != nil {
			return err
		}
		// Dropped now, not only at commit: in a caller's transaction this
		// "transaction" is a savepoint, and the caller's next batch
		// creates the table again.
		_, err = tx.Exec(ctx, `DROP TABLE desk_followups_new`)
		return err
	})
	return created, err
}

// insertArrays sends rows as one array per column.
func (s *Followups) insertArrays(ctx context.Context, rows [][]any) (map[uuid.UUID]bool, error) {
	return scanIDs(s.db.Query(ctx, fmt.Sprintf(insertNew, `unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[],
    $6::bigint[], $7::uuid[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::text[], $14::uuid[],
    $15::bigint[], $16::text[])
    AS x (id, desk, status, role, ready_at, due, ticket_id, rule, subject, owner, closed_at, updated_at, lease_owner,
          lease_token, lease_expires, body)`),
		column[[16]byte](rows, 0), column[string](rows, 1), column[string](rows, 2), column[string](rows, 3),
		column[*int64](rows, 4), column[int64](rows, 5), column[pgtype.UUID](rows, 6), column[string](rows, 7),
		column[string](rows, 8), column[string](rows, 9), column[int64](rows, 10), column[int64](rows, 11),
		column[string](rows, 12), column[pgtype.UUID](rows, 13), column[int64](rows, 14), column[string](rows, 15)))
}

// column returns column j of rows, whose values are Ts.
func column[T any](rows [][]any, j int) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = r[j].(T)
	}
	return out
}

// pgUUID is a nullable UUID as pgx encodes it natively (COPY sends a
// google/uuid value through its text form).
func pgUUID(id *uuid.UUID) pgtype.UUID {
	if id == nil {
		return pgtype.UUID{}
	}
	return pgtype.UUID{Bytes: *id, Valid: true}
}

// scanIDs reads the IDs a statement returned and closes its rows.
func scanIDs(rows pgx.Rows, err error) (map[uuid.UUID]bool, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make(map[uuid.UUID]bool)
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids[id] = true
	}
	return ids, rows.Err()
}
