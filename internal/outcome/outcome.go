// Package outcome names an operation's error for observe.Report's
// Outcome the same way in every service: a table of the service's
// sentinel errors, first match wins, with observe's common outcomes
// around it.
package outcome

import (
	"context"
	"errors"

	"github.com/servicedesk-go/desk/observe"
)

// Class names one sentinel error in reports.
type Class struct {
	Err  error
	Name string
}

// Of names err: observe.OK for nil, the Name of the first class whose
// Err it wraps, observe.Canceled for a cancelled or expired context,
// else observe.Failed.
func Of(err error, classes []Class) string {
	if err == nil {
		return observe.OK
	}
	for _, c := range classes {
		if errors.Is(err, c.Err) {
			return c.Name
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return observe.Canceled
	}
	return observe.Failed
}
