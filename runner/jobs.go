package runner

import (
	"context"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/webhook"
)

// Derive returns a runner that derives follow-ups from the ticket outbox
// with each TicketSync (one per desk), Batch events a round. It reports
// each round to the Observer (Op Derive, Count the events handled).
func Derive(cfg Config, syncs ...*followup.TicketSync) (*Runner, error) {
	desks := make([]string, len(syncs))
	jobs := make([]Job, len(syncs))
	for i, s := range syncs {
		if s == nil {
			jobs[i] = nil
			continue
		}
		desk := s.Desk()
		desks[i] = desk
		jobs[i] = func(ctx context.Context) (int, error) {
			var start time.Time
			if cfg.Observer != nil {
				start = time.Now()
			}
			n, err := s.Run(ctx, batch(cfg))
			if cfg.Observer != nil && (n > 0 || err != nil) {
				cfg.Observer.Observe(ctx, observe.Report{Op: observe.Derive, Desk: desk, Kind: "ticket_events",
					Outcome: ticket.ErrorClass(err), Start: start, Duration: time.Since(start), Count: n})
			}
			return n, err
		}
	}
	return New("derive", cfg, desks, jobs...)
}

// ExpireLeases returns a runner that releases expired follow-up leases of
// each queue (one per desk), Batch tasks a round.
func ExpireLeases(cfg Config, queues ...*followup.Queue) (*Runner, error) {
	desks := make([]string, len(queues))
	jobs := make([]Job, len(queues))
	for i, q := range queues {
		if q == nil {
			continue
		}
		desks[i] = q.Desk()
		jobs[i] = func(ctx context.Context) (int, error) {
			n, err := q.ExpireLeases(ctx, batch(cfg))
			if n < batch(cfg) {
				return 0, err // all released: no need to run again at once
			}
			return n, err
		}
	}
	return New("expire-leases", cfg, desks, jobs...)
}

// Deliver returns a runner that delivers with each webhook sender (one
// per endpoint or desk), Batch events a round, so a stop takes effect
// between batches. One sender's rounds never overlap.
func Deliver(cfg Config, senders ...*webhook.Sender) (*Runner, error) {
	desks := make([]string, len(senders))
	jobs := make([]Job, len(senders))
	for i, s := range senders {
		if s == nil {
			continue
		}
		desks[i] = s.Desk()
		jobs[i] = func(ctx context.Context) (int, error) {
			r, err := s.Send(ctx, batch(cfg))
			return r.Delivered + r.Parked, err
		}
	}
	return New("deliver", cfg, desks, jobs...)
}

func batch(cfg Config) int {
	if cfg.Batch <= 0 {
		return 100
	}
	return cfg.Batch
}
