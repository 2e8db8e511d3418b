package sim

import (
	"context"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// continueStored makes a run on a durable store that already holds this
// desk continue from it: the run starts at the midnight after the last
// stored change, and the tickets still open are picked up where they
// stand (see resumeOpen).
func (s *Sim) continueStored(ctx context.Context) error {
	all, err := s.tickets.List(ctx, ticket.Filter{Order: ticket.ByUpdated})
	if err != nil || len(all) == 0 {
		return err
	}
	s.earlier = len(all)
	last := all[len(all)-1].UpdatedAt.In(s.loc)
	y, m, d := last.Date()
	start := time.Date(y, m, d+1, 0, 0, 0, 0, s.loc)
	if start.After(s.cfg.Start) {
		s.cfg.Start = start
		s.clock.now, s.end = start, start.AddDate(0, 0, s.cfg.Days)
	}
	for _, t := range all {
		if !t.State.Terminal() && t.State != ticket.Revisit { // revisits are the follow-ups' work
			s.resumed = append(s.resumed, t)
		}
	}
	s.note("", "continued from the store: %d tickets, %d of them open", len(all), len(s.resumed))
	return nil
}

// resumeOpen schedules the next step of every ticket an earlier run left
// open, on the first morning of this run.
func (s *Sim) resumeOpen() {
	morning := s.cfg.Start.Add(9 * time.Hour)
	for _, t := range s.resumed {
		ref := ticket.Ref{ID: t.ID}
		owner := ticket.Actor{ID: t.Owner, Role: ticket.RoleAgent}
		dept := deptOf(t)
		at := morning.Add(s.minutes(0, 60))
		switch t.State {
		case ticket.Received:
			s.clock.at(at, func(ctx context.Context) error {
				if owner.ID == "" {
					if _, err := s.tickets.Take(ctx, s.staff.Lead, ref); err != nil {
						return err
					}
					owner = s.staff.Lead
				}
				return s.dispatch(ctx, owner, ref, dept, false)
			})
		case ticket.Reopened:
			written := false
			if d, ok := t.Deadline(ticket.DeadlineReworkNotice); ok && d.Open() {
				written = true
			}
			s.clock.at(at, func(ctx context.Context) error { return s.dispatch(ctx, owner, ref, dept, written) })
		case ticket.Dispatched:
			worker := s.staff.Workers[dept]
			s.clock.at(at, func(ctx context.Context) error {
				if _, err := s.tickets.Resolve(ctx, worker, ref, "done by "+dept); err != nil {
					return err
				}
				return s.answerLater(owner, ref)
			})
		case ticket.Resolved:
			s.clock.at(at, func(ctx context.Context) error { return s.answerLater(owner, ref) })
		case ticket.Answered:
			s.clock.at(at, func(ctx context.Context) error {
				cur, err := s.tickets.Get(ctx, ref.ID)
				if err != nil {
					return err
				}
				return s.customerReply(ctx, owner, ref, cur)
			})
		}
	}
}
