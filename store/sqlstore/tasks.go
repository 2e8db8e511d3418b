package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// TaskColumns are the columns derived from a follow-up task; the JSON
// body holds the rest. Version, status, role, lease and updated_at are
// authoritative in their columns (a claim changes only those, and a
// completion keeps the stored role) and the body leaves them out.
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

// taskBody is a task's stored JSON body: the fields no authoritative
// column holds (not the version, status, role, update time or lease),
// zero values left out. Its keys are the field names of followup.Task,
// as in the bodies written before it (a whole Task), so those read the
// same.
type taskBody struct {
	ID          uuid.UUID
	Desk        string
	Rule        string               `json:",omitempty"`
	Cites       string               `json:",omitempty"`
	Trigger     followup.TriggerKind `json:",omitempty"`
	Key         string               `json:",omitempty"`
	Subject     string               `json:",omitempty"`
	Ticket      uuid.UUID            `json:",omitzero"`
	TicketKind  ticket.Kind          `json:",omitempty"`
	Category    string               `json:",omitempty"`
	Seq         int                  `json:",omitempty"`
	Channel     followup.Channel     `json:",omitempty"`
	Checklist   []followup.CheckItem `json:",omitempty"`
	Grade       bool                 `json:",omitempty"`
	Revisit     bool                 `json:",omitempty"`
	Sampled     bool                 `json:",omitempty"`
	TriggeredAt bodyTime             `json:",omitzero"`
	NotBefore   bodyTime             `json:",omitzero"`
	Due         bodyTime             `json:",omitzero"`
	Attempts    int                  `json:",omitempty"`
	MaxAttempts int                  `json:",omitempty"`
	RetryAfter  time.Duration        `json:",omitempty"`
	Repeat      time.Duration        `json:",omitempty"`
	UntilClosed bool                 `json:",omitempty"`
	Outcome     *followup.Outcome    `json:",omitempty"`
	Synced      bool                 `json:",omitempty"`
	CreatedAt   bodyTime             `json:",omitzero"`
	ClosedAt    bodyTime             `json:",omitzero"`
}

// bodyTime is a time in a task's body: Unix nanoseconds (UTC when read),
// or RFC 3339 text outside their range and in the bodies written before.
type bodyTime time.Time

func (t bodyTime) IsZero() bool { return time.Time(t).IsZero() }

func (t bodyTime) MarshalJSON() ([]byte, error) {
	tt := time.Time(t)
	if tt.Before(minTime) || tt.After(maxTime) {
		return tt.MarshalJSON()
	}
	return strconv.AppendInt(nil, tt.UnixNano(), 10), nil
}

func (t *bodyTime) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return (*time.Time)(t).UnmarshalJSON(b)
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("task body time %s: %w", b, err)
	}
	*t = bodyTime(time.Unix(0, n).UTC())
	return nil
}

// EncodeTask returns the JSON body stored for t.
func EncodeTask(t *followup.Task) ([]byte, error) {
	return json.Marshal(taskBody{ID: t.ID, Desk: t.Desk, Rule: t.Rule, Cites: t.Cites, Trigger: t.Trigger, Key: t.Key,
		Subject: t.Subject, Ticket: t.Ticket, TicketKind: t.TicketKind, Category: t.Category, Seq: t.Seq,
		Channel: t.Channel, Checklist: t.Checklist, Grade: t.Grade, Revisit: t.Revisit, Sampled: t.Sampled,
		TriggeredAt: bodyTime(t.TriggeredAt), NotBefore: bodyTime(t.NotBefore), Due: bodyTime(t.Due), Attempts: t.Attempts,
		MaxAttempts: t.MaxAttempts, RetryAfter: t.RetryAfter, Repeat: t.Repeat, UntilClosed: t.UntilClosed,
		Outcome: t.Outcome, Synced: t.Synced, CreatedAt: bodyTime(t.CreatedAt), ClosedAt: bodyTime(t.ClosedAt)})
}

// decodeTask reads a body EncodeTask wrote (or an earlier whole-Task
// body) into t, leaving the column-held fields alone.
func decodeTask(body []byte, t *followup.Task) error {
	var b taskBody
	if err := json.Unmarshal(body, &b); err != nil {
		return err
	}
	t.ID, t.Desk, t.Rule, t.Cites, t.Trigger, t.Key = b.ID, b.Desk, b.Rule, b.Cites, b.Trigger, b.Key
	t.Subject, t.Ticket, t.TicketKind, t.Category, t.Seq = b.Subject, b.Ticket, b.TicketKind, b.Category, b.Seq
	t.Channel, t.Checklist, t.Grade, t.Revisit, t.Sampled = b.Channel, b.Checklist, b.Grade, b.Revisit, b.Sampled
	t.TriggeredAt, t.NotBefore, t.Due = time.Time(b.TriggeredAt), time.Time(b.NotBefore), time.Time(b.Due)
	t.Attempts, t.MaxAttempts, t.RetryAfter, t.Repeat = b.Attempts, b.MaxAttempts, b.RetryAfter, b.Repeat
	t.UntilClosed, t.Outcome, t.Synced = b.UntilClosed, b.Outcome, b.Synced
	t.CreatedAt, t.ClosedAt = time.Time(b.CreatedAt), time.Time(b.ClosedAt)
	return nil
}

// Completed returns the columns and JSON body of a completed task: the
// task as given, its lease released.
func Completed(t *followup.Task) (TaskColumns, []byte, error) {
	next := *t
	next.Lease = followup.Lease{}
	body, err := EncodeTask(&next)
	return TaskColumnsOf(&next), body, err
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
	Status, Role, LeaseOwner  string
	Token                     *uuid.UUID
	Body                      []byte
}

// Task decodes the row: the body, with the columns' version, status,
// role, update time and lease over it.
func (r TaskRow) Task() (*followup.Task, error) {
	t := new(followup.Task)
	if err := decodeTask(r.Body, t); err != nil {
		return nil, fmt.Errorf("decode task: %w", err)
	}
	t.Version, t.Status, t.Role, t.UpdatedAt = r.Version, followup.Status(r.Status), ticket.Role(r.Role), FromNanos(r.Updated)
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
	body, err := EncodeTask(next)
	return next, TaskColumnsOf(next), body, err
}

// TaskSelect reads the columns a TaskRow holds, in its order. The body
// is read as text whatever its column's type (PostgreSQL's was jsonb
// before its migration 009), so that a statement prepared before that
// migration keeps its result type after it.
const TaskSelect = `SELECT version, status, role, updated_at, lease_owner, lease_token, lease_expires, CAST(body AS text) FROM desk_followups `

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
	stored := *t
	stored.Version = 1
	body, err := EncodeTask(&stored)
	return TaskColumnsOf(&stored), body, err
}
