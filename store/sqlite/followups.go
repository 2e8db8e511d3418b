package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store/sqlstore"
)

// Followups is the followup.Store on SQLite. SQLite has one writer at a
// time, so a claim (select the batch, lease it) is one write
// transaction and two claimers never take the same task.
type Followups struct{ s *Store }

var _ followup.Store = (*Followups)(nil)

func scanTask(scan func(...any) error) (*followup.Task, error) {
	var r sqlstore.TaskRow
	var token sql.NullString
	if err := scan(&r.Version, &r.Status, &r.Role, &r.Updated, &r.LeaseOwner, &token, &r.Expires, &r.Body); err != nil {
		return nil, unavailable(err)
	}
	if token.Valid {
		tok, err := uuid.Parse(token.String)
		if err != nil {
			return nil, fmt.Errorf("decode lease token: %w", err)
		}
		r.Token = &tok
	}
	return r.Task()
}

// idArg is a UUID column's value: its text, or NULL.
func idArg(id *uuid.UUID) any {
	if id == nil {
		return nil
	}
	return id.String()
}

// Create implements followup.Store.
func (s *Followups) Create(ctx context.Context, t *followup.Task) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := sqlstore.CheckNew(t); err != nil {
		return err
	}
	c, body, err := sqlstore.Created(t)
	if err != nil {
		return fmt.Errorf("sqlite: encode task %s: %w", t.ID, err)
	}
	res, err := s.s.db.ExecContext(ctx, `
INSERT INTO desk_followups (id, desk, version, status, role, ready_at, due, ticket_id, rule, subject, owner,
    closed_at, updated_at, lease_owner, lease_token, lease_expires, body)
VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING`,
		t.ID.String(), t.Desk, c.Status, c.Role, c.Ready, c.Due, idArg(c.Ticket), c.Rule, c.Subject, c.Owner,
		c.Closed, c.Updated, c.LeaseOwner, idArg(c.LeaseToken), c.LeaseExpires, string(body))
	if err != nil {
		return fmt.Errorf("sqlite: create task %s: %w", t.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err != nil {
			return fmt.Errorf("sqlite: create task %s: %w", t.ID, err)
		}
		return &followup.DuplicateError{Task: t.ID}
	}
	t.Version = 1
	return nil
}

func get(ctx context.Context, db DB, desk string, id uuid.UUID) (*followup.Task, error) {
	t, err := scanTask(db.QueryRowContext(ctx, sqlstore.TaskSelect+`WHERE id = ? AND desk = ?`, id.String(), desk).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: task %s", followup.ErrNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get task %s: %w", id, err)
	}
	return t, nil
}

// Get implements followup.Store.
func (s *Followups) Get(ctx context.Context, desk string, id uuid.UUID) (*followup.Task, error) {
	return get(ctx, s.s.db, desk, id)
}

// Claim implements followup.Store.
func (s *Followups) Claim(ctx context.Context, desk string, c followup.Claim) ([]*followup.Task, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := sqlstore.CheckClaim(c); err != nil {
		return nil, err
	}
	now, expires := sqlstore.Nanos(c.Now), sqlstore.Nanos(c.Now.Add(c.For))
	var out []*followup.Task
	err := s.s.atomic(ctx, func(db DB) error {
		rows, err := db.QueryContext(ctx, `SELECT id FROM desk_followups
WHERE desk = ?1 AND ready_at IS NOT NULL AND ready_at <= ?2 AND (?3 = '' OR role = ?3)
ORDER BY ready_at, due, id LIMIT ?4`, desk, now, string(c.Role), max(c.Limit, 1))
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			t, err := scanTask(db.QueryRowContext(ctx, `UPDATE desk_followups
SET status = 'claimed', version = version + 1, lease_owner = ?, lease_token = ?, lease_expires = ?,
    ready_at = ?, owner = ?, updated_at = ?
WHERE id = ?
RETURNING version, status, role, updated_at, lease_owner, lease_token, lease_expires, body`,
				c.Owner, c.Token.String(), expires, expires, c.Owner, now, id).Scan)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim tasks of %s: %w", desk, err)
	}
	return out, nil
}

// complete writes one outcome inside db's transaction, under the lease.
func complete(ctx context.Context, db DB, t *followup.Task, held followup.Lease, now time.Time) error {
	if err := sqlstore.CheckTask(t); err != nil {
		return err
	}
	if t.Status == followup.Claimed {
		return &followup.InputError{Field: "task status", Reason: fmt.Sprintf("task %s: a completion leaves the task final or pending, not claimed", t.ID)}
	}
	cur, err := get(ctx, db, t.Desk, t.ID)
	if err != nil {
		return err
	}
	if err := sqlstore.CheckLease(cur, held, now); err != nil {
		return err
	}
	next := t.Clone()
	next.Role = cur.Role // a completion keeps the stored role, as in MemStore
	c, body, err := sqlstore.Completed(next)
	if err != nil {
		return fmt.Errorf("sqlite: encode task %s: %w", t.ID, err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE desk_followups
SET version = ?, status = ?, ready_at = ?, due = ?, ticket_id = ?, rule = ?, subject = ?, owner = ?,
    closed_at = ?, updated_at = ?, lease_owner = '', lease_token = NULL, lease_expires = ?, body = ?
WHERE id = ? AND desk = ?`, cur.Version+1, c.Status, c.Ready, c.Due, idArg(c.Ticket), c.Rule, c.Subject, c.Owner,
		c.Closed, c.Updated, int64(sqlstore.ZeroNanos), string(body), t.ID.String(), t.Desk); err != nil {
		return fmt.Errorf("sqlite: complete task %s: %w", t.ID, err)
	}
	t.Version = cur.Version + 1
	t.Lease = followup.Lease{}
	return nil
}

// Complete implements followup.Store: the lease check and the write are
// one transaction.
func (s *Followups) Complete(ctx context.Context, t *followup.Task, held followup.Lease, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := sqlstore.CheckTask(t); err != nil {
		return err
	}
	var refused error
	err := s.s.atomic(ctx, func(db DB) error {
		refused = complete(ctx, db, t, held, now)
		return refused
	})
	if refused != nil {
		return refused
	}
	return err
}

// Completion is one entry of a batch: the task after its outcome, the
// lease it was claimed under (followup.Completion).
type Completion = followup.Completion

// Followups groups completions: followup.Queue batches the completions
// of concurrent workers through CompleteBatch.
var _ followup.BatchCompleter = (*Followups)(nil)

// CompleteBatch records many outcomes in one transaction (one commit),
// each under the rule of Complete: a refused completion gets its error
// in errs[i] and changes nothing; the others are written. With a nil
// error every entry whose errs[i] is nil is committed; with a non-nil
// error nothing is.
func (s *Followups) CompleteBatch(ctx context.Context, items []Completion, now time.Time) (errs []error, err error) {
	errs = make([]error, len(items))
	err = s.s.atomic(ctx, func(db DB) error {
		for i, it := range items {
			e := complete(ctx, db, it.Task, it.Held, now)
			var le *followup.LeaseError
			var ie *followup.InputError
			if e != nil && !errors.As(e, &le) && !errors.As(e, &ie) && !errors.Is(e, followup.ErrNotFound) {
				return e
			}
			errs[i] = e
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: complete batch: %w", err)
	}
	return errs, nil
}

// Update implements followup.Store.
func (s *Followups) Update(ctx context.Context, t *followup.Task) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := sqlstore.CheckTask(t); err != nil {
		return err
	}
	next, c, body, err := sqlstore.Updated(t)
	if err != nil {
		return fmt.Errorf("sqlite: encode task %s: %w", t.ID, err)
	}
	res, err := s.s.db.ExecContext(ctx, `UPDATE desk_followups
SET version = version + 1, status = ?, role = ?, ready_at = ?, due = ?, ticket_id = ?, rule = ?, subject = ?,
    owner = ?, closed_at = ?, updated_at = ?, lease_owner = ?, lease_token = ?, lease_expires = ?, body = ?
WHERE id = ? AND desk = ? AND version = ?`,
		c.Status, c.Role, c.Ready, c.Due, idArg(c.Ticket), c.Rule, c.Subject, c.Owner, c.Closed, c.Updated,
		c.LeaseOwner, idArg(c.LeaseToken), c.LeaseExpires, string(body), t.ID.String(), t.Desk, t.Version)
	if err != nil {
		return fmt.Errorf("sqlite: update task %s: %w", t.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err != nil {
			return fmt.Errorf("sqlite: update task %s: %w", t.ID, err)
		}
		return sqlstore.StaleUpdate(ctx, s.Get, t)
	}
	t.Version = next.Version
	return nil
}

// List implements followup.Store.
func (s *Followups) List(ctx context.Context, desk string, f followup.Filter) ([]*followup.Task, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return sqlstore.ListTasks(ctx, executor{s.s.db}, "sqlite", func(q string) string { return q },
		func(id uuid.UUID) any { return id.String() }, scanTask, desk, f)
}
