package ticket

import (
	"context"
	"time"

	"github.com/servicedesk-go/desk/internal/outcome"
	"github.com/servicedesk-go/desk/observe"
)

// observed reports one action to the Observer and logs a failure that is
// not the caller's (a store error); refusals (forbidden, conflict,
// invalid input) are the caller's to handle and are not logged. It runs
// only when an Observer or a Logger is configured.
func (s *Service) observed(ctx context.Context, action Action, start time.Time, err *error) {
	outcome := ErrorClass(*err)
	if s.obs != nil {
		s.obs.Observe(ctx, observe.Report{Op: observe.Action, Desk: s.desk, Kind: string(action),
			Outcome: outcome, Start: start, Duration: time.Since(start)})
	}
	if outcome == observe.Failed {
		s.log.ErrorContext(ctx, "ticket: action failed", "desk", s.desk, "action", action, "err", *err)
	}
}

// ErrorClass names an action's result for reports: "ok", or the class of
// its error ("conflict", "forbidden", "invalid_transition",
// "incomplete", "invalid", "not_found", "canceled", "error").
func ErrorClass(err error) string { return outcome.Of(err, errorClasses) }

var errorClasses = []outcome.Class{
	{Err: ErrConflict, Name: "conflict"},
	{Err: ErrForbidden, Name: "forbidden"},
	{Err: ErrInvalidTransition, Name: "invalid_transition"},
	{Err: ErrIncomplete, Name: "incomplete"},
	{Err: ErrInvalid, Name: "invalid"},
	{Err: ErrNotFound, Name: "not_found"},
}
