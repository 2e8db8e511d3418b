package store

import "errors"

// ErrUnavailable is the error class of a store that cannot serve the
// request now, though retrying later may succeed: the database cannot
// be reached or the connection broke, it refuses connections (too
// many, shutting down, starting up), it is out of resources, the store
// was closed, or (SQLite) the file stayed busy or locked past the busy
// timeout. PostgreSQL's serialization failures and deadlocks (SQLSTATE
// 40001, 40P01) are in this class too: the transaction was rolled back
// and may be retried.
//
// A write that fails with ErrUnavailable may or may not have been
// applied when the connection broke after the statement was sent (as
// with any database): read before writing again, or write at the
// version read (every versioned write of the library refuses a second
// application with a conflict).
//
// Test for it with errors.Is; the driver's own error stays reachable
// with errors.As through the UnavailableError that wraps it.
var ErrUnavailable = errors.New("store unavailable")

// UnavailableError is a driver's error classified as ErrUnavailable.
type UnavailableError struct {
	Err error // the driver's error
}

// Unavailable wraps err as an UnavailableError; nil stays nil, and an
// error that is already ErrUnavailable is returned as it is.
func Unavailable(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) {
		return err
	}
	return &UnavailableError{Err: err}
}

// Error names the class and the driver's error.
func (e *UnavailableError) Error() string { return "store unavailable: " + e.Err.Error() }

// Unwrap gives ErrUnavailable and the driver's error, so errors.Is and
// errors.As reach both.
func (e *UnavailableError) Unwrap() []error { return []error{ErrUnavailable, e.Err} }
