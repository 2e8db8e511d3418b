package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
)

// TaskColumns are the columns derived from a follow-up task; the JSON
// body holds the rest. Version, status, lease and updated_at are
// authoritative in their columns (a claim changes only those).
type TaskColumns struct {
	Status, Role, Rule, Subject, Owner string
	Ready                              *int64 // nil: not open, never claimed
	Due, Closed, Updated               int64
	Ticket                             *uuid.UUID // nil: no ticket
	LeaseOwner                         string
	LeaseToken                         *uuid.UUID // nil: no lease
	LeaseExpires                       int64
}

// TaskColumnsOf derives the columns of a task: the owner is the outcome's
// author once the task is final, the lease holder before; an open task is
// ready from ReadyAt.
func TaskColumnsOf(t *followup.Task) TaskColumns {
	c := TaskColumns{
		Status: string(t.Status), Role: string(t.Role), Rule: t.Rule, Subject: t.Subject,
		Due: Nanos(t.Due), Closed: Nanos(t.ClosedAt), Updated: Nanos(t.UpdatedAt),
		LeaseOwner: t.Lease.Owner, LeaseExpires: Nanos(t.Lease.Expires), Owner: t.Lease.Owner,
	}
	if t.Outcome != nil && t.Status.Final() {
		c.Owner = t.Outcome.By.ID
	}
	if r := t.ReadyAt(); t.Open() {
		n := Nanos(r)
		c.Ready = &n
	}
	if t.Ticket != uuid.Nil {
		id := t.Ticket
		c.Ticket = &id
	}
	if t.Lease.Token != uuid.Nil {
		tok := t.Lease.Token
		c.LeaseToken = &tok
	}
	return c
}

// Completed returns the columns and JSON body of a completed task: the
// task as given, its lease released.
func Completed(t *followup.Task) (TaskColumns, []byte, error) {
	next := t.Clone()
	next.Lease = followup.Lease{}
	body, err := json.Marshal(next)
	return TaskColumnsOf(next), body, err
}

// CheckClaim refuses a claim without a worker, a token, a positive lease
// or a time, as followup.MemStore does.
func CheckClaim(c followup.Claim) error {
	switch {
	case c.Owner == "":
		return &followup.InputError{Field: "claim owner", Reason: "name the worker that claims"}
	case c.Token == uuid.Nil:
		return &followup.InputError{Field: "claim token", Reason: "give the claim a token"}
	case c.For <= 0:
		return &followup.InputError{Field: "lease", Reason: fmt.Sprintf("lease length %s must be positive", c.For)}
	case c.Now.IsZero():
		return &followup.InputError{Field: "claim time", Reason: "give the claim a time"}
	}
	return nil
}

// TaskRow is a stored task as read: its authoritative columns and its
// JSON body.
type TaskRow struct {
	Version, Updated, Expires int64
	Status, LeaseOwner        string
	Token                     *uuid.UUID
	Body                      []byte
}

// Task decodes the row: the body, with the columns' version, status,
// update time and lease over it.
func (r TaskRow) Task() (*followup.Task, error) {
	t := new(followup.Task)
	if err := json.Unmarshal(r.Body, t); err != nil {
		return nil, fmt.Errorf("decode task: %w", err)
	}
	t.Version, t.Status, t.UpdatedAt = r.Version, followup.Status(r.Status), FromNanos(r.Updated)
	t.Lease = followup.Lease{Owner: r.LeaseOwner, Expires: FromNanos(r.Expires)}
	if r.Token != nil {
		t.Lease.Token = *r.Token
	}
	return t, nil
}

// Updated returns a task as an update stores it: the next version, its
// lease dropped unless it stays claimed, with its columns and JSON body.
func Updated(t *followup.Task) (*followup.Task, TaskColumns, []byte, error) {
	next := t.Clone()
	next.Version++
	if next.Status != followup.Claimed {
		next.Lease = followup.Lease{}
	}
	body, err := json.Marshal(next)
	return next, TaskColumnsOf(next), body, err
}

// TaskSelect reads the columns a TaskRow holds, in its order.
const TaskSelect = `SELECT version, status, updated_at, lease_owner, lease_token, lease_expires, body FROM desk_followups `

// ListTasks answers a follow-up List on ex: the filter's conditions
// (TaskFilter), ordered by due time and ID, up to the filter's limit.
// placeholders turns the ? of the conditions into the adapter's; id
// encodes a UUID as the adapter stores it; scan reads a TaskSelect row.
func ListTasks(ctx context.Context, ex Executor, name string, placeholders func(string) string, id func(uuid.UUID) any,
	scan func(func(...any) error) (*followup.Task, error), desk string, f followup.Filter) ([]*followup.Task, error) {
	w := TaskFilter(desk, f, id)
	q, args := TaskSelect+"WHERE "+w.SQL()+" ORDER BY due, id", w.Args()
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	rows, err := ex.Query(ctx, placeholders(q), args...)
	if err != nil {
		return nil, fmt.Errorf("%s: list tasks: %w", name, err)
	}
	defer rows.Close()
	var out []*followup.Task
	for rows.Next() {
		t, err := scan(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("%s: list tasks: %w", name, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: list tasks: %w", name, err)
	}
	return out, nil
}

// StaleUpdate explains an update of t that matched no row: the task is
// not there (get's error) or is at another version (ErrConflict).
func StaleUpdate(ctx context.Context, get func(ctx context.Context, desk string, id uuid.UUID) (*followup.Task, error), t *followup.Task) error {
	cur, err := get(ctx, t.Desk, t.ID)
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: task %s is at version %d, not %d; reload it", followup.ErrConflict, t.ID, cur.Version, t.Version)
}

// Created returns a new task as Create stores it: version 1, with its
// columns and JSON body.
func Created(t *followup.Task) (TaskColumns, []byte, error) {
	stored := t.Clone()
	stored.Version = 1
	body, err := json.Marshal(stored)
	return TaskColumnsOf(stored), body, err
}
