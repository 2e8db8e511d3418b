// Package storecheck lends store/sqlstore the input checks of the core's
// in-memory stores, so that the SQL adapters refuse exactly what
// ticket.MemStore and followup.MemStore refuse while the checks stay out
// of the user-facing API.
//
// The checks live with their types in packages ticket and followup,
// which fill these slots when they are initialised; store/sqlstore,
// which imports both (and so is initialised after them), reads them and
// offers them to the adapters. The slots are typed any because this
// package cannot import the packages that fill it.
package storecheck

var (
	// TicketHistory is ticket's func(*ticket.Ticket, []ticket.Event) error:
	// the check of Store.Create.
	TicketHistory any
	// TicketBatch is ticket's func([]*ticket.Ticket, [][]ticket.Event)
	// error: the check of BatchCreator.CreateBatch.
	TicketBatch any
	// TicketEvent is ticket's func(*ticket.Ticket, ticket.Event) error: the
	// check of Store.Update and Store.Redact.
	TicketEvent any
	// TaskNew is followup's func(*followup.Task) error: the check of
	// Store.Create.
	TaskNew any
	// TaskWrite is followup's func(*followup.Task) error: the check of
	// Store.Update and Store.Complete.
	TaskWrite any
	// TaskLease is followup's func(cur *followup.Task, held followup.Lease,
	// now time.Time) error: whether held is the stored task's live lease.
	TaskLease any
)
