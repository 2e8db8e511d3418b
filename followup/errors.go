package followup

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Sentinel errors. Every error returned by this package wraps one of
// them, so callers test with errors.Is and never compare strings.
var (
	// ErrNotFound: no task with that ID on this desk. Another desk's task
	// is also ErrNotFound, so that its existence is not revealed.
	ErrNotFound = errors.New("followup: not found")
	// ErrConflict: the task changed since the version the caller holds,
	// or its ID is already taken. Reload and retry, or treat a duplicate
	// create as done (see ErrDuplicate).
	ErrConflict = errors.New("followup: conflict")
	// ErrDuplicate: a task with that ID is already stored. Task IDs are
	// derived from trigger and rule, so a duplicate means the task was
	// derived before: derivers treat it as success. It also matches
	// ErrConflict.
	ErrDuplicate = errors.New("followup: task already exists")
	// ErrLeaseLost: the caller does not hold the task's lease (any more):
	// it was never claimed by them, the lease expired, another worker
	// claimed it after the expiry, or it is already completed. The
	// caller's outcome was not recorded; the task is unchanged. It also
	// matches ErrConflict.
	ErrLeaseLost = errors.New("followup: lease lost")
	// ErrForbidden: the actor may not do this; for a revisit task, the
	// completing actor's role may not record the ticket's revisit
	// outcome (the ticket would refuse it). Nothing was written. It
	// wraps the ticket's own ticket.ErrForbidden when that decided.
	ErrForbidden = errors.New("followup: forbidden")
	// ErrInvalid: the input itself is malformed (a rule without a
	// trigger, an outcome without its checklist, ...). The concrete error
	// is *InputError.
	ErrInvalid = errors.New("followup: invalid input")
)

// InputError names the malformed input and why it was refused. It
// matches ErrInvalid.
type InputError struct {
	Field  string
	Reason string
}

// Error implements error.
func (e *InputError) Error() string {
	return fmt.Sprintf("followup: invalid %s: %s", e.Field, e.Reason)
}

// Is reports whether target is ErrInvalid.
func (e *InputError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &InputError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// LeaseError says why a completion was refused. It matches ErrLeaseLost
// and ErrConflict.
type LeaseError struct {
	Task   uuid.UUID
	Owner  string // who tried to complete
	Holder string // who holds the lease now, "" when nobody does
	Status Status // the stored status
	// Expired is the lease expiry when the caller's lease has run out.
	Expired time.Time
}

// Error implements error.
func (e *LeaseError) Error() string {
	switch {
	case e.Status.Final():
		return fmt.Sprintf("followup: task %s is already %s; it is completed once", e.Task, e.Status)
	case !e.Expired.IsZero():
		return fmt.Sprintf("followup: lease of %s on task %s expired at %s; claim it again", e.Owner, e.Task, e.Expired.Format(time.RFC3339))
	case e.Holder != "" && e.Holder == e.Owner:
		// The same worker claimed the task again: its old claim's token
		// is not the live lease's.
		return fmt.Sprintf("followup: task %s: the lease token does not match %s's live claim (the task was claimed again since); complete with the task of the latest claim", e.Task, e.Owner)
	case e.Holder != "":
		return fmt.Sprintf("followup: task %s is leased to %s, not %s; claim it again", e.Task, e.Holder, e.Owner)
	default:
		return fmt.Sprintf("followup: task %s is not claimed by %s; claim it first", e.Task, e.Owner)
	}
}

// Is reports whether target is ErrLeaseLost or ErrConflict.
func (e *LeaseError) Is(target error) bool { return target == ErrLeaseLost || target == ErrConflict }

// DuplicateError reports a task ID that is already stored. It matches
// ErrDuplicate and ErrConflict.
type DuplicateError struct{ Task uuid.UUID }

// Error implements error.
func (e *DuplicateError) Error() string {
	return fmt.Sprintf("followup: task %s already exists", e.Task)
}

// Is reports whether target is ErrDuplicate or ErrConflict.
func (e *DuplicateError) Is(target error) bool {
	return target == ErrDuplicate || target == ErrConflict
}

func notFound(id uuid.UUID) error { return fmt.Errorf("%w: task %s", ErrNotFound, id) }
