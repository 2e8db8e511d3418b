package followup

import (
	"context"
	"errors"
	"time"

	"github.com/servicedesk-go/desk/internal/outcome"
	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/ticket"
)

// ExpireLeases returns up to limit claimed tasks whose lease ran out to
// Pending, so lists and reports show them waiting rather than held by a
// worker who is gone, and reports how many it released. Claim already
// hands such tasks to the next worker; this only makes the state
// visible sooner. Each release is a versioned write: a worker that
// completes at the same moment, or another process releasing the same
// task, wins or loses cleanly (the loser's write is a conflict and is
// skipped). A worker whose lease was released gets ErrLeaseLost.
func (q *Queue) ExpireLeases(ctx context.Context, limit int) (n int, err error) {
	if q.watch {
		start := time.Now()
		defer func() {
			outcome := errorClass(err)
			if q.obs != nil {
				q.obs.Observe(ctx, observe.Report{Op: observe.Expire, Desk: q.desk, Kind: "lease",
					Outcome: outcome, Start: start, Duration: time.Since(start), Count: n})
			}
			if outcome == observe.Failed {
				q.log.ErrorContext(ctx, "followup: expiring leases failed", "desk", q.desk, "released", n, "err", err)
			}
		}()
	}
	ts, err := q.store.List(ctx, q.desk, Filter{Statuses: []Status{Claimed}})
	if err != nil {
		return 0, err
	}
	now := q.now()
	for _, t := range ts {
		if n >= max(1, limit) {
			break
		}
		if t.Status != Claimed || now.Before(t.Lease.Expires) {
			continue
		}
		next := t.Clone()
		next.Status = Pending
		next.Lease = Lease{}
		next.UpdatedAt = now
		switch err := q.store.Update(ctx, next); {
		case err == nil:
			n++
		case errors.Is(err, ErrConflict), errors.Is(err, ErrNotFound):
			// completed, re-claimed or released by another meanwhile
		default:
			return n, err
		}
	}
	return n, nil
}

// observed reports a claim or completion and logs a failure that is not
// the caller's. It runs only when an Observer or a Logger is configured.
func (q *Queue) observed(ctx context.Context, op observe.Op, kind string, start time.Time, ts *[]*Task, err *error) {
	outcome := errorClass(*err)
	if q.obs != nil {
		r := observe.Report{Op: op, Desk: q.desk, Kind: kind, Outcome: outcome, Start: start, Duration: time.Since(start)}
		if ts != nil {
			r.Count = len(*ts)
		}
		q.obs.Observe(ctx, r)
	}
	if outcome == observe.Failed {
		q.log.ErrorContext(ctx, "followup: "+string(op)+" failed", "desk", q.desk, "err", *err)
	}
}

func claimKind(role ticket.Role) string {
	if role == "" {
		return "any"
	}
	return string(role)
}

// errorClass names a queue operation's result for reports: "ok", or the
// class of its error ("lease_lost", "conflict", "duplicate", "invalid",
// "not_found", "canceled", "error").
func errorClass(err error) string {
	if c := outcome.Of(err, errorClasses); c != observe.Failed {
		return c
	}
	return ticket.ErrorClass(err) // a ticket error passed through
}

var errorClasses = []outcome.Class{
	{Err: ErrLeaseLost, Name: "lease_lost"},
	{Err: ErrDuplicate, Name: "duplicate"},
	{Err: ErrConflict, Name: "conflict"},
	{Err: ErrInvalid, Name: "invalid"},
	{Err: ErrNotFound, Name: "not_found"},
}

// Desk returns the desk whose events the TicketSync handles.
func (s *TicketSync) Desk() string { return s.deriver.desk }
