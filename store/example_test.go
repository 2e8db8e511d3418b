package store_test

import (
	"errors"
	"fmt"
	"net"
	"syscall"

	"github.com/servicedesk-go/desk/store"
)

// A service maps a store outage to 503 with errors.Is, and can still
// reach the driver's error with errors.As.
func ExampleUnavailable() {
	driver := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	err := fmt.Errorf("postgres: get ticket: %w", store.Unavailable(driver))

	var op *net.OpError
	fmt.Println(errors.Is(err, store.ErrUnavailable), errors.As(err, &op), op.Op)
	fmt.Println(errors.Is(fmt.Errorf("postgres: get ticket: %w", errors.New("syntax error")), store.ErrUnavailable))
	// Output:
	// true true dial
	// false
}
