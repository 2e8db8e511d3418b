package ticket

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error returned by this package wraps one of them,
// so callers test with errors.Is and never compare strings.
var (
	// ErrNotFound: no ticket (or event) with that ID or number on this
	// desk. Another desk's ticket is also ErrNotFound, so that its
	// existence is not revealed.
	ErrNotFound = errors.New("ticket: not found")
	// ErrConflict: the ticket changed since the version the caller holds
	// (optimistic concurrency), or an ID is already taken. Reload and retry.
	ErrConflict = errors.New("ticket: version conflict")
	// ErrForbidden: the actor's role may not perform the action, or the
	// actor is not the person the rule names (owner, resolver).
	ErrForbidden = errors.New("ticket: forbidden")
	// ErrInvalidTransition: the action is not legal in the ticket's state.
	ErrInvalidTransition = errors.New("ticket: invalid transition")
	// ErrIncomplete: a step needs intake fields the ticket does not have
	// (T2). The concrete error is *MissingFieldsError.
	ErrIncomplete = errors.New("ticket: required fields missing")
	// ErrInvalid: the input itself is malformed (unknown kind, empty
	// desk, a reply time beyond the policy's limit, ...). The concrete
	// error is *InputError.
	ErrInvalid = errors.New("ticket: invalid input")
)

// TransitionError reports an action that the lifecycle does not allow in
// the ticket's current state. It matches ErrInvalidTransition.
type TransitionError struct {
	State  State
	Action Action
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("ticket: cannot %s a ticket in state %s", e.Action, e.State)
}

// Is reports whether target is ErrInvalidTransition.
func (e *TransitionError) Is(target error) bool { return target == ErrInvalidTransition }

// MissingFieldsError names the intake fields a step needs and the ticket
// lacks (T2). It matches ErrIncomplete. Complete the intake with
// Service.Complete and try the step again.
type MissingFieldsError struct {
	Step   Action
	Fields []string
}

func (e *MissingFieldsError) Error() string {
	return fmt.Sprintf("ticket: %s needs fields %s; complete the intake first", e.Step, strings.Join(e.Fields, ", "))
}

// Is reports whether target is ErrIncomplete.
func (e *MissingFieldsError) Is(target error) bool { return target == ErrIncomplete }

// InputError names the malformed input field and why it was refused. It
// matches ErrInvalid.
type InputError struct {
	Field  string
	Reason string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("ticket: invalid %s: %s", e.Field, e.Reason)
}

// Is reports whether target is ErrInvalid.
func (e *InputError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &InputError{Field: field, Reason: fmt.Sprintf(format, args...)}
}
