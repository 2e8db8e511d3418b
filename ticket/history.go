package ticket

import (
	"maps"
	"time"

	"github.com/google/uuid"
)

// Event is one entry of a ticket's append-only history (T14): who did
// what, in which role, when, and the state before and after. The same
// value is published through the outbox to consumers such as followup.
//
// Seq is the ticket's version after the event: a ticket's history is
// numbered 1, 2, 3, ... without gaps.
type Event struct {
	ID     uuid.UUID
	Desk   string
	Ticket uuid.UUID
	Seq    int64

	Action Action
	Actor  string
	Role   Role
	At     time.Time
	From   State // "" for the receive event
	To     State
	Note   string

	// A snapshot of the ticket's classification, so consumers need not
	// read the ticket to route the event.
	Kind     Kind
	Category string

	// Data holds the action's details (assignee, due time, reason, ...);
	// the keys are documented on each Service method.
	Data map[string]string
}

// Clone returns a deep copy.
func (e Event) Clone() Event {
	e.Data = maps.Clone(e.Data)
	return e
}
