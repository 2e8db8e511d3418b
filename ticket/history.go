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
	ID     uuid.UUID `json:"id"`
	Desk   string    `json:"desk"`
	Ticket uuid.UUID `json:"ticket"`
	Seq    int64     `json:"seq"`

	Action Action    `json:"action"`
	Actor  string    `json:"actor"`
	Role   Role      `json:"role"`
	At     time.Time `json:"at"`
	From   State     `json:"from"` // "" for the receive event
	To     State     `json:"to"`
	Note   string    `json:"note,omitempty"`

	// A snapshot of the ticket's classification, so consumers need not
	// read the ticket to route the event.
	Kind     Kind   `json:"kind"`
	Category string `json:"category,omitempty"`

	// Data holds the action's details (assignee, due time, reason, ...);
	// the keys are documented on each Service method.
	Data map[string]string `json:"data,omitempty"`
}

// Clone returns a deep copy.
func (e Event) Clone() Event {
	e.Data = maps.Clone(e.Data)
	return e
}
