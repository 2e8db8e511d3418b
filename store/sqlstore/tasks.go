package sqlstore

import (
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
