package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// The ticket conflicts, classified once for both adapters: what a
// ticket write that the database refused or that matched no row means
// to the caller (ticket.ErrConflict or ticket.ErrNotFound, with the
// ticket or event named).

// TicketExists is the ErrConflict of a Create whose ticket, or one of
// whose events, is already stored.
func TicketExists(t *ticket.Ticket) error {
	return fmt.Errorf("%w: ticket %s or one of its events already exists", ticket.ErrConflict, t.ID)
}

// EventExists is the ErrConflict of a write whose event ID is already
// stored.
func EventExists(id uuid.UUID) error {
	return fmt.Errorf("%w: event %s already exists", ticket.ErrConflict, id)
}

// IDUsed is the ErrConflict of a write of ticket id that the database
// refused for a unique key: one of its IDs is already stored.
func IDUsed(id uuid.UUID) error {
	return fmt.Errorf("%w: ticket %s: an ID is already used", ticket.ErrConflict, id)
}

// TicketNotWritten explains a conditional write of t's next version (at
// t.Version, over t.Version-1 with t's case number) that matched no row:
// ErrNotFound when the desk holds no such ticket, ErrConflict naming the
// stored version when another write came first, else ErrConflict for a
// changed case number or an event ID already used. id is t.ID as the
// adapter binds it; bind turns the $n placeholders into the adapter's.
func TicketNotWritten(ctx context.Context, ex Executor, bind func(string) string, id any, t *ticket.Ticket) error {
	var version int64
	err := ex.QueryRow(ctx, bind(`SELECT version FROM desk_tickets WHERE id = $1 AND desk = $2`), id, t.Desk).Scan(&version)
	switch {
	case errors.Is(err, ErrNoRows):
		return fmt.Errorf("%w: ticket %s", ticket.ErrNotFound, t.ID)
	case err != nil:
		return fmt.Errorf("read ticket %s: %w", t.ID, err)
	case version != t.Version-1:
		return fmt.Errorf("%w: ticket %s is at version %d, not %d", ticket.ErrConflict, t.ID, version, t.Version-1)
	}
	return fmt.Errorf("%w: ticket %s: the case number changed or the event ID is already used", ticket.ErrConflict, t.ID)
}
