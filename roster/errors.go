package roster

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps one of them,
// so callers test with errors.Is; the wrapping message names the record
// or field involved.
var (
	// ErrNotFound: no such record in this desk. A record that belongs to
	// another desk is reported the same way, so its existence is not
	// revealed.
	ErrNotFound = errors.New("roster: not found")
	// ErrConflict: a record with this ID already exists, or an update
	// carried a stale version. Reload and retry.
	ErrConflict = errors.New("roster: conflict")
	// ErrInvalid: the input breaks a documented constraint (see
	// InputError for the field).
	ErrInvalid = errors.New("roster: invalid input")
	// ErrSwapState: the swap cannot take this step from its current state
	// (for example consent on a cancelled swap).
	ErrSwapState = errors.New("roster: swap not in a state for this step")
	// ErrOverlap: the step would give one person two overlapping shifts.
	ErrOverlap = errors.New("roster: overlapping shifts")
	// ErrForbidden: this person may not take this step (only the colleague
	// named in a swap may consent to it).
	ErrForbidden = errors.New("roster: not allowed for this person")
	// ErrUnfilled: a generated plan left slots short (see Plan.Err and
	// UnfilledError for which and why).
	ErrUnfilled = errors.New("roster: slots left unfilled")
	// ErrClockChange: a clock change leaves a shift with no time, its
	// end at or before its start (see Plan.Err and ClockChangeError).
	ErrClockChange = errors.New("roster: shift emptied by a clock change")
)

// InputError names the field that failed validation. It wraps
// ErrInvalid.
type InputError struct {
	Field  string // the offending field, e.g. "shift.end"
	Reason string // what is wrong and what is expected
}

func (e *InputError) Error() string {
	return fmt.Sprintf("roster: invalid %s: %s", e.Field, e.Reason)
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *InputError) Unwrap() error { return ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &InputError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// ConflictError reports a version mismatch on a mutable record. It wraps
// ErrConflict.
type ConflictError struct {
	Kind string // "swap" or "away"
	ID   string
	Want int64 // version the caller sent (0 = create)
	Have int64 // version in the store (0 = none)
}

func (e *ConflictError) Error() string {
	if e.Want == 0 {
		return fmt.Sprintf("roster: %s %s already exists: use a new id", e.Kind, e.ID)
	}
	return fmt.Sprintf("roster: %s %s is at version %d, not %d: reload and retry", e.Kind, e.ID, e.Have, e.Want)
}

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Unwrap() error { return ErrConflict }
