package sqlstore

import (
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/internal/storecheck"
	"github.com/servicedesk-go/desk/ticket"
)

// The in-memory stores' own input checks, lent by packages ticket and
// followup (initialised before this package, which imports them).
var (
	checkHistory = storecheck.TicketHistory.(func(*ticket.Ticket, []ticket.Event) error)
	checkBatch   = storecheck.TicketBatch.(func([]*ticket.Ticket, [][]ticket.Event) error)
	checkEvent   = storecheck.TicketEvent.(func(*ticket.Ticket, ticket.Event) error)
	checkNew     = storecheck.TaskNew.(func(*followup.Task) error)
	checkTask    = storecheck.TaskWrite.(func(*followup.Task) error)
	checkLease   = storecheck.TaskLease.(func(*followup.Task, followup.Lease, time.Time) error)
)

// CheckHistory checks a ticket and its history as ticket.MemStore's
// Create does: a desk, one event per version carrying the ticket's desk
// and ID with Seq 1, 2, ..., and nothing a store cannot hold alike
// (invalid UTF-8, NUL, times beyond year 9999). The answer is
// ticket.ErrInvalid; an adapter's Create calls it before writing.
func CheckHistory(t *ticket.Ticket, history []ticket.Event) error { return checkHistory(t, history) }

// CheckBatch checks the tickets and histories ticket.BatchCreator's
// CreateBatch is given, as ticket.MemStore does: each as CheckHistory
// does, one history per ticket, one desk, and no ticket or event ID
// twice in the batch (ticket.ErrConflict).
func CheckBatch(ts []*ticket.Ticket, histories [][]ticket.Event) error {
	return checkBatch(ts, histories)
}

// CheckEvent checks the event that ticket.Store's Update and Redact
// append, as ticket.MemStore does: it carries the ticket's desk and ID
// and its new version as Seq, and nothing a store cannot hold alike.
func CheckEvent(t *ticket.Ticket, ev ticket.Event) error { return checkEvent(t, ev) }

// CheckNew checks a task that followup.Store's Create is given, as
// followup.MemStore does (a desk, an ID, status pending, storable text
// and times); the answer is followup.ErrInvalid.
func CheckNew(t *followup.Task) error { return checkNew(t) }

// CheckTask checks a task that followup.Store's Update or Complete is
// given, as followup.MemStore does: no text a store cannot hold alike
// (invalid UTF-8, NUL) and no time beyond year 9999.
func CheckTask(t *followup.Task) error { return checkTask(t) }

// CheckLease reports whether held is the live lease of the stored task
// cur at now, as a *followup.LeaseError when it is not, as
// followup.MemStore decides it.
func CheckLease(cur *followup.Task, held followup.Lease, now time.Time) error {
	return checkLease(cur, held, now)
}
