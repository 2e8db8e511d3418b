package followup

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// Store keeps follow-up tasks and hands due ones to workers. Every
// method is scoped to one desk; a task of another desk is ErrNotFound.
// An implementation must be safe for concurrent use by several
// processes. Package followuptest checks these contracts for any
// implementation; the in-memory MemStore is the embedded default.
//
// The store keeps no clock: callers pass the time, so tests and
// simulations are deterministic and several processes agree on it
// through their arguments.
type Store interface {
	// Create stores a new Pending task at version 1 (t.Version is set).
	// A task whose ID is already stored is a *DuplicateError (ErrDuplicate
	// and ErrConflict) and leaves the stored task unchanged: derivers
	// treat it as "already derived". An empty desk, a nil ID or another
	// status is ErrInvalid.
	Create(ctx context.Context, t *Task) error
	// Get returns the task, or ErrNotFound.
	Get(ctx context.Context, desk string, id uuid.UUID) (*Task, error)
	// Claim leases up to c.Limit (at least 1) ready tasks of the desk:
	// Pending tasks whose NotBefore is not after c.Now, and Claimed tasks
	// whose lease expired by c.Now (the worker died; the task returns).
	// Tasks come earliest ReadyAt first, then earliest Due, then by ID;
	// with c.Role set, only tasks of that role. Each becomes Claimed with
	// Lease{c.Owner, c.Token, c.Now+c.For} and one more version. A task is
	// leased to one claimer at a time. Nothing ready: an empty slice.
	// Adapters for SQL use SELECT ... FOR UPDATE SKIP LOCKED in one
	// statement for the batch.
	Claim(ctx context.Context, desk string, c Claim) ([]*Task, error)
	// Complete writes t, the task after an outcome (final, or Pending
	// again for a retry), if the stored task is Claimed under held (same
	// owner and token) and the lease has not expired at now. Otherwise it
	// is a *LeaseError (ErrLeaseLost, ErrConflict): never claimed, claimed
	// by another, expired, or already completed. The stored task then
	// stays as it was. On success the version is one more (t.Version is
	// set). An unknown task is ErrNotFound.
	Complete(ctx context.Context, t *Task, held Lease, now time.Time) error
	// Update writes t if t.Version equals the stored version (else
	// ErrConflict), at one more version (t.Version is set). It serves
	// cancellation and bookkeeping (Synced); a claimed task whose status
	// changes loses its lease. An unknown task is ErrNotFound.
	Update(ctx context.Context, t *Task) error
	// List returns the desk's tasks matching f, earliest Due first, then
	// by ID (bytewise), from after f.After on. It serves reports,
	// handover and paged lists, not the hot path.
	List(ctx context.Context, desk string, f Filter) ([]*Task, error)
}

// Claim asks for ready tasks.
type Claim struct {
	Owner string        // the worker; required
	Token uuid.UUID     // identifies this claim; required
	Now   time.Time     // ready means ReadyAt <= Now
	For   time.Duration // the lease length; must be positive
	Role  ticket.Role   // only tasks for this role; "" any
	Limit int           // at most this many; values below 1 mean 1
}

func (c Claim) check() error {
	if c.Owner == "" {
		return invalid("claim owner", "name the worker that claims")
	}
	if c.Token == uuid.Nil {
		return invalid("claim token", "give the claim a token")
	}
	if c.For <= 0 {
		return invalid("lease", "lease length %s must be positive", c.For)
	}
	if c.Now.IsZero() {
		return invalid("claim time", "give the claim a time")
	}
	return nil
}

// Filter selects tasks for List. Zero fields match everything.
type Filter struct {
	Statuses []Status
	Ticket   uuid.UUID
	Rule     string
	Role     ticket.Role
	Subject  string
	// Owner matches the lease owner of claimed tasks and the actor of
	// final ones (handover, T15).
	Owner string
	// Due in [DueFrom, DueBefore); closed in [ClosedFrom, ClosedBefore).
	DueFrom, DueBefore       time.Time
	ClosedFrom, ClosedBefore time.Time
	Limit                    int // 0: no limit
	// After, if set, continues a listing: only tasks after it in List
	// order (Due, then ID) match. Take it from the last task of the
	// previous page (Task.Cursor); tasks added or changed meanwhile
	// appear on a later page if their place is after it, and nothing
	// is skipped or listed twice by shifting offsets.
	After *Cursor
}

// Cursor marks a position in List order: the due time and ID of the
// last task seen.
type Cursor struct {
	Due time.Time `json:"due"`
	ID  uuid.UUID `json:"id"`
}

// Cursor returns the position of t in List order.
func (t *Task) Cursor() *Cursor { return &Cursor{Due: t.Due, ID: t.ID} }

// Beyond reports whether t comes after the cursor in List order (a nil
// cursor is before every task).
func (c *Cursor) Beyond(t *Task) bool {
	if c == nil {
		return true
	}
	if d := t.Due.Compare(c.Due); d != 0 {
		return d > 0
	}
	return compareIDs(t.ID, c.ID) > 0
}

// Match reports whether t passes the filter (not Limit). Adapters may
// use it after a coarse query; the conformance suite compares their
// answers with it.
func (f *Filter) Match(t *Task) bool {
	if len(f.Statuses) > 0 && !slices.Contains(f.Statuses, t.Status) {
		return false
	}
	if f.Ticket != uuid.Nil && t.Ticket != f.Ticket {
		return false
	}
	if f.Rule != "" && t.Rule != f.Rule {
		return false
	}
	if f.Role != "" && t.Role != f.Role {
		return false
	}
	if f.Subject != "" && t.Subject != f.Subject {
		return false
	}
	if f.Owner != "" {
		owner := t.Lease.Owner
		if t.Outcome != nil && t.Status.Final() {
			owner = t.Outcome.By.ID
		}
		if owner != f.Owner {
			return false
		}
	}
	if !f.DueFrom.IsZero() && t.Due.Before(f.DueFrom) {
		return false
	}
	if !f.DueBefore.IsZero() && !t.Due.Before(f.DueBefore) {
		return false
	}
	if !f.ClosedFrom.IsZero() && (t.ClosedAt.IsZero() || t.ClosedAt.Before(f.ClosedFrom)) {
		return false
	}
	if !f.ClosedBefore.IsZero() && (t.ClosedAt.IsZero() || !t.ClosedAt.Before(f.ClosedBefore)) {
		return false
	}
	return f.After.Beyond(t)
}

// checkNew reports a task a Store must refuse to create: the SQL
// adapters call it (as store/sqlstore.CheckNew) so that they refuse
// exactly what MemStore refuses.
func checkNew(t *Task) error {
	if t == nil {
		return invalid("task", "nil task")
	}
	if t.Desk == "" {
		return invalid("task desk", "task %s names no desk", t.ID)
	}
	if t.ID == uuid.Nil {
		return invalid("task id", "task has no ID")
	}
	if t.Status != Pending {
		return invalid("task status", "task %s is created %s, not %s", t.ID, t.Status, Pending)
	}
	return checkStored(t)
}
