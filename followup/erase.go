package followup

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// Stores is a database that holds a desk's tickets and follow-ups and
// can write both in one transaction: fn runs with a ticket store and a
// follow-up store bound to it, and its writes to both commit together
// when fn returns nil, or not at all. postgres.Store and sqlite.Store
// implement it (a store bound to a caller's transaction runs fn in a
// savepoint of it); MemStores pairs two in-memory stores.
type Stores interface {
	InTx(ctx context.Context, fn func(tickets ticket.Store, tasks Store) error) error
}

// MemStores pairs a ticket store and a follow-up store that share no
// transaction (the in-memory stores). fn runs on them directly: a
// failure part way leaves the erasure half done, and running Erase again
// finishes it (it is idempotent and writes the follow-ups first).
func MemStores(tickets ticket.Store, tasks Store) Stores { return memStores{tickets, tasks} }

type memStores struct {
	tickets ticket.Store
	tasks   Store
}

func (m memStores) InTx(ctx context.Context, fn func(ticket.Store, Store) error) error {
	return fn(m.tickets, m.tasks)
}

// Erased reports what Erase changed.
type Erased struct {
	Tickets int // tickets erased (linked cases included)
	Tasks   int // follow-up tasks scrubbed
}

// Erase erases a customer's personal data from a desk's tickets and
// follow-ups (S1) in one call and, on a SQL database, in one
// transaction: all of it or nothing. It is the call a CRM makes when a
// customer asks to be forgotten; ticket.Service.Erase alone would leave
// the follow-ups.
//
// svc is the desk's ticket service; Erase runs it on db's ticket store
// within the transaction (Service.WithStore), so svc's own store should
// be that database's too. Inside the transaction it:
//
//  1. plans the ticket erasure (ticket.Service.PlanErasure): the
//     customer's tickets, the cases linked from them (T17), and the
//     personal values they hold;
//  2. finds the follow-up tasks of those tickets and the tasks whose
//     Subject is the customer's ID (triggers from a CRM);
//  3. adds every outcome note of those tasks to the values: a note is
//     free text about the customer ("moved away; new number 137...")
//     and is copied into the ticket's revisit event;
//  4. scrubs the tasks: an outcome note becomes ticket.Erased whole, and
//     every value is replaced in the category, subject, key and
//     signature reference; who did the follow-up, when, how and with
//     which result stay;
//  5. erases the tickets (ticket.Service.ApplyErasure).
//
// Running it again finds nothing left and changes nothing. The actor
// must be allowed to erase (ticket.ActErase; by default a shift lead or
// the director).
func Erase(ctx context.Context, db Stores, svc *ticket.Service, by ticket.Actor, customerID string) (Erased, error) {
	var out Erased
	if db == nil || svc == nil {
		return out, invalid("erase", "give the database (Stores) and the desk's ticket service")
	}
	err := db.InTx(ctx, func(tickets ticket.Store, tasks Store) error {
		out = Erased{}
		tsvc := svc.WithStore(tickets)
		plan, err := tsvc.PlanErasure(ctx, by, customerID)
		if err != nil {
			return err
		}
		desk := svc.Desk()
		found, err := customerTasks(ctx, tasks, desk, customerID, plan.Tickets)
		if err != nil {
			return err
		}
		for _, t := range found {
			if t.Outcome != nil {
				plan.Add(t.Outcome.Note)
			}
		}
		for _, t := range found {
			changed, err := eraseTask(ctx, tasks, plan, t)
			if err != nil {
				return fmt.Errorf("erase follow-up %s: %w", t.ID, err)
			}
			if changed {
				out.Tasks++
			}
		}
		n, err := tsvc.ApplyErasure(ctx, by, plan)
		out.Tickets = n
		return err
	})
	if err != nil {
		return Erased{}, err
	}
	return out, nil
}

// customerTasks returns the tasks of the tickets and those whose subject
// is the customer, each once.
func customerTasks(ctx context.Context, s Store, desk, customer string, tickets []uuid.UUID) ([]*Task, error) {
	seen := map[uuid.UUID]bool{}
	var out []*Task
	add := func(f Filter) error {
		ts, err := s.List(ctx, desk, f)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if !seen[t.ID] {
				seen[t.ID] = true
				out = append(out, t)
			}
		}
		return nil
	}
	for _, id := range tickets {
		if err := add(Filter{Ticket: id}); err != nil {
			return nil, err
		}
	}
	if err := add(Filter{Subject: customer}); err != nil {
		return nil, err
	}
	return out, nil
}

// eraseTask scrubs one task, reloading it when a worker changed it
// meanwhile. It reports whether anything changed.
func eraseTask(ctx context.Context, s Store, plan *ticket.Erasure, t *Task) (bool, error) {
	for range 16 {
		next := scrubTask(plan, t)
		if next == nil {
			return false, nil
		}
		err := s.Update(ctx, next)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, ErrConflict) {
			return false, err
		}
		if t, err = s.Get(ctx, t.Desk, t.ID); err != nil {
			return false, err
		}
	}
	return false, fmt.Errorf("%w: task %s kept changing; erase again", ErrConflict, t.ID)
}

// scrubTask returns the task without the erased values, or nil when it
// holds none.
func scrubTask(plan *ticket.Erasure, t *Task) *Task {
	n := t.Clone()
	n.Category = plan.Scrub(n.Category)
	n.Subject = plan.Scrub(n.Subject)
	n.Key = plan.Scrub(n.Key)
	if o := n.Outcome; o != nil {
		if o.Note != "" {
			o.Note = ticket.Erased
		}
		o.SignedBy = plan.Scrub(o.SignedBy)
		o.Grade = plan.Scrub(o.Grade)
	}
	same := n.Category == t.Category && n.Subject == t.Subject && n.Key == t.Key &&
		(n.Outcome == nil || (n.Outcome.Note == t.Outcome.Note && n.Outcome.SignedBy == t.Outcome.SignedBy && n.Outcome.Grade == t.Outcome.Grade))
	if same {
		return nil
	}
	return n
}
