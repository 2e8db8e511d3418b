package calendar

import (
	"errors"
	"fmt"
)

var (
	// ErrInvalid: the input breaks a documented constraint (see
	// InputError for the field).
	ErrInvalid = errors.New("calendar: invalid input")
	// ErrNoZone: a calendar was built without a time zone. Business
	// hours, contact hours and greetings are wall-clock times of the
	// desk's zone; there is no silent UTC.
	ErrNoZone = errors.New("calendar: no time zone: set Config.Zone to the desk's location")
	// ErrNotCovered: the schedule has no published arrangement for the
	// year asked about. It does not guess: load the year's schedule
	// (LoadJSON, LoadICal) once it is published.
	ErrNotCovered = errors.New("calendar: year not covered by the holiday schedule")
)

// InputError names the field that failed validation. It wraps
// ErrInvalid.
type InputError struct {
	Field  string
	Reason string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("calendar: invalid %s: %s", e.Field, e.Reason)
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *InputError) Unwrap() error { return ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &InputError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// NotCoveredError names the year a schedule does not cover and the years
// it does. It wraps ErrNotCovered.
type NotCoveredError struct {
	Year        int
	First, Last int // the covered range; 0 when the schedule is empty
}

func (e *NotCoveredError) Error() string {
	if e.First == 0 {
		return fmt.Sprintf("calendar: no holiday schedule for %d: the schedule is empty; load the published arrangement", e.Year)
	}
	return fmt.Sprintf("calendar: no holiday schedule for %d (covered: %d-%d): load the published arrangement for %d", e.Year, e.First, e.Last, e.Year)
}

// Unwrap makes errors.Is(err, ErrNotCovered) true.
func (e *NotCoveredError) Unwrap() error { return ErrNotCovered }
