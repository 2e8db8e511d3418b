package runner

import (
	"context"

	"github.com/servicedesk-go/desk/ticket"
)

// Escalate returns a runner that escalates the passed clocks of each
// ticket service's desk (one service per desk) by the desk's
// Policy.Escalation, acting as by (a role its authorizer lets escalate,
// usually ticket.RoleSystem), Batch escalations a round. Any number of
// processes may run it on one store: each ticket, clock and level is
// escalated once (see ticket.Service.EscalateDue).
func Escalate(cfg Config, by ticket.Actor, services ...*ticket.Service) (*Runner, error) {
	desks := make([]string, len(services))
	jobs := make([]Job, len(services))
	for i, s := range services {
		if s == nil {
			continue
		}
		desks[i] = s.Desk()
		jobs[i] = func(ctx context.Context) (int, error) {
			n, err := s.EscalateDue(ctx, by, batch(cfg))
			if n < batch(cfg) {
				return 0, err // every passed clock handled: no need to run again at once
			}
			return n, err
		}
	}
	return New("escalate", cfg, desks, jobs...)
}
