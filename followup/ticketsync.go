package followup

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// Events is a desk's view of the ticket outbox; a *ticket.Service
// satisfies it, and DeskOutbox adapts a ticket.Outbox (a ticket.Store).
type Events interface {
	Pending(ctx context.Context, consumer string, limit int) ([]ticket.Event, error)
	Ack(ctx context.Context, consumer string, ids ...uuid.UUID) error
}

// DeskOutbox returns one desk's view of a ticket outbox.
func DeskOutbox(o ticket.Outbox, desk string) Events { return deskOutbox{o, desk} }

type deskOutbox struct {
	o    ticket.Outbox
	desk string
}

func (d deskOutbox) Pending(ctx context.Context, consumer string, limit int) ([]ticket.Event, error) {
	return d.o.Pending(ctx, consumer, d.desk, limit)
}

func (d deskOutbox) Ack(ctx context.Context, consumer string, ids ...uuid.UUID) error {
	return d.o.Ack(ctx, consumer, d.desk, ids...)
}

// Consumer is the outbox consumer name TicketSync uses by default.
const Consumer = "followup"

// TicketSync wires a desk's tickets to its follow-ups through the
// ticket outbox and the ticket's public API; package ticket knows
// nothing of followup. Each Run reads a batch of pending ticket events,
// derives their tasks (TriggersFrom, Deriver.Derive), cancels the open
// chained follow-ups of closed cases, records kept revisit outcomes once
// a ticket waits for them, and only then acknowledges the batch. A crash
// before the acknowledgement replays the batch, and idempotent
// derivation makes the replay create nothing twice; two TicketSyncs may
// run at once for the same reason.
type TicketSync struct {
	events   Events
	deriver  *Deriver
	queue    *Queue
	tickets  Tickets
	consumer string
}

// NewTicketSync returns the wiring for one desk. tickets may be nil:
// complaint triggers then keep the ticket's category instead of its
// severity. The deriver and the queue must be of the same desk.
func NewTicketSync(events Events, d *Deriver, q *Queue, tickets Tickets) (*TicketSync, error) {
	if events == nil || d == nil || q == nil {
		return nil, invalid("ticket sync", "events, deriver and queue are required")
	}
	if d.desk != q.desk {
		return nil, invalid("ticket sync", "deriver of desk %q and queue of desk %q differ", d.desk, q.desk)
	}
	return &TicketSync{events: events, deriver: d, queue: q, tickets: tickets, consumer: Consumer}, nil
}

// WithConsumer returns a copy reading the outbox under another consumer
// name (several independent pipelines on one outbox).
func (s *TicketSync) WithConsumer(name string) *TicketSync {
	c := *s
	c.consumer = name
	return &c
}

// Run handles up to limit pending events and reports how many it
// acknowledged. It stops at the first error: the events handled before
// it are acknowledged, the rest stay pending for the next Run.
func (s *TicketSync) Run(ctx context.Context, limit int) (int, error) {
	if err := s.queue.bounds.name("consumer", s.consumer); err != nil {
		return 0, err
	}
	evs, err := s.events.Pending(ctx, s.consumer, max(1, limit))
	if err != nil {
		return 0, err
	}
	done := make([]uuid.UUID, 0, len(evs))
	var failed error
	for _, ev := range evs {
		if err := s.handle(ctx, ev); err != nil {
			failed = fmt.Errorf("ticket event %s (%s of %s): %w", ev.ID, ev.Action, ev.Ticket, err)
			break
		}
		done = append(done, ev.ID)
	}
	if len(done) > 0 {
		if err := s.events.Ack(ctx, s.consumer, done...); err != nil {
			return 0, errors.Join(failed, err)
		}
	}
	return len(done), failed
}

// drainBatch is how many events Drain asks for at a time: large enough
// that a backlog drains in few store round trips, small enough that one
// batch stays a short transaction. A throughput choice, not a rule.
const drainBatch = 256

// Drain runs until no event is pending and reports how many it handled.
func (s *TicketSync) Drain(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.Run(ctx, drainBatch)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

func (s *TicketSync) handle(ctx context.Context, ev ticket.Event) error {
	if ev.Desk != s.deriver.desk {
		return invalid("event desk", "event %s is of desk %q, not %q", ev.ID, ev.Desk, s.deriver.desk)
	}
	for _, tr := range TriggersFrom(ev) {
		switch tr.Kind {
		case CaseClosed:
			if err := s.closeCase(ctx, ev); err != nil {
				return err
			}
			continue
		case ComplaintClosed:
			if s.tickets != nil {
				tk, err := s.tickets.Get(ctx, ev.Ticket)
				if err != nil {
					return err
				}
				if tk.Complaint != nil && tk.Complaint.Severity != "" {
					tr.Category = string(tk.Complaint.Severity) // F6
				}
			}
		}
		if _, err := s.deriver.Derive(ctx, tr); err != nil {
			return err
		}
	}
	if ev.Action == ticket.ActAwaitRevisit {
		// The ticket now waits for its revisit: outcomes recorded while
		// the customer had not accepted yet are due now.
		if _, err := s.queue.SyncTicket(ctx, ev.Ticket); err != nil {
			return err
		}
	}
	return nil
}

// closeCase cancels the open UntilClosed follow-ups of a closed or
// cancelled ticket (the F1 chain ends with the case).
func (s *TicketSync) closeCase(ctx context.Context, ev ticket.Event) error {
	open, err := s.queue.List(ctx, Filter{Ticket: ev.Ticket, Statuses: []Status{Pending, Claimed}})
	if err != nil {
		return err
	}
	by := ticket.Actor{ID: ev.Actor, Role: ev.Role}
	for _, t := range open {
		if !t.UntilClosed {
			continue
		}
		_, err := s.queue.Cancel(ctx, t.ID, by, fmt.Sprintf("case %s by ticket event %s", ev.To, ev.ID))
		if err != nil && !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return nil
}
