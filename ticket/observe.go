package ticket

import (
	"context"
	"errors"
	"time"

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
func ErrorClass(err error) string {
	switch {
	case err == nil:
		return observe.OK
	case errors.Is(err, ErrConflict):
		return "conflict"
	case errors.Is(err, ErrForbidden):
		return "forbidden"
	case errors.Is(err, ErrInvalidTransition):
		return "invalid_transition"
	case errors.Is(err, ErrIncomplete):
		return "incomplete"
	case errors.Is(err, ErrInvalid):
		return "invalid"
	case errors.Is(err, ErrNotFound):
		return "not_found"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return observe.Canceled
	default:
		return observe.Failed
	}
}
