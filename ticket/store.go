package ticket

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Store keeps tickets, their histories and the outbox. Every method is
// scoped to one desk; a ticket of another desk is ErrNotFound. An
// implementation must be safe for concurrent use and must write a
// ticket, its history event and the outbox entry for that event in one
// atomic operation: all of it or nothing. Package tickettest checks
// these contracts for any implementation.
type Store interface {
	// Create stores a new ticket at version 1 with its first event, and
	// assigns t.Number: the next case number of t.Desk, starting at 1. An
	// ID already stored is ErrConflict.
	Create(ctx context.Context, t *Ticket, first Event) error
	// Update replaces the stored ticket with t and appends ev to its
	// history and to the outbox. t.Version must be exactly one more than
	// the stored version (else ErrConflict) and ev.Seq must equal
	// t.Version. An unknown ticket is ErrNotFound.
	Update(ctx context.Context, t *Ticket, ev Event) error
	// Get returns the ticket, or ErrNotFound.
	Get(ctx context.Context, desk string, id uuid.UUID) (*Ticket, error)
	// ByNumber returns the ticket with that case number, or ErrNotFound.
	ByNumber(ctx context.Context, desk string, number int64) (*Ticket, error)
	// List returns the desk's tickets that match f, in case-number order.
	List(ctx context.Context, desk string, f Filter) ([]*Ticket, error)
	// History returns the ticket's events in order (Seq 1, 2, ...), or
	// ErrNotFound.
	History(ctx context.Context, desk string, id uuid.UUID) ([]Event, error)

	Outbox
}

// Outbox hands committed events to consumers at least once. A consumer
// is identified by its name and its scope: a desk, or "" for a system
// consumer that reads every desk. Pending returns the events that
// consumer has not acknowledged, oldest commit first; an event stays
// pending until acknowledged, so a consumer that crashes before Ack sees
// it again. Delivery does not depend on a sequence-number checkpoint: an
// event that commits late is still delivered.
type Outbox interface {
	// Pending returns up to limit (at least 1) unacknowledged events.
	Pending(ctx context.Context, consumer, desk string, limit int) ([]Event, error)
	// Ack acknowledges events for the consumer. Acknowledging twice is a
	// no-op; an ID that is not an event in the consumer's scope is
	// ErrNotFound and acknowledges nothing.
	Ack(ctx context.Context, consumer, desk string, ids ...uuid.UUID) error
}

// Filter selects tickets. Zero fields match everything. Results come in
// case-number order; pass the last number seen as AfterNumber for the
// next page: numbers only grow, so pages stay correct while tickets are
// added and changed.
type Filter struct {
	States        []State
	Kinds         []Kind
	Owner         string
	Assignee      string
	Unowned       bool      // only tickets without an owner (T19)
	Incomplete    bool      // only incomplete intakes (T2)
	DueBefore     time.Time // only tickets with an open deadline due before this
	UpdatedBefore time.Time // only tickets last changed before this
	AfterNumber   int64
	Limit         int // 0: no limit
}

// Match reports whether t passes the filter (except AfterNumber and
// Limit, which are about pages). Adapters may use it after a coarse
// query; the conformance suite compares their answers with it.
func (f *Filter) Match(t *Ticket) bool {
	if len(f.States) > 0 && !contains(f.States, t.State) {
		return false
	}
	if len(f.Kinds) > 0 && !contains(f.Kinds, t.Kind) {
		return false
	}
	if f.Owner != "" && t.Owner != f.Owner {
		return false
	}
	if f.Assignee != "" && t.Assignee != f.Assignee {
		return false
	}
	if f.Unowned && t.Owner != "" {
		return false
	}
	if f.Incomplete && !t.Incomplete() {
		return false
	}
	if !f.DueBefore.IsZero() {
		due := t.NextDue()
		if due.IsZero() || !due.Before(f.DueBefore) {
			return false
		}
	}
	if !f.UpdatedBefore.IsZero() && !t.UpdatedAt.Before(f.UpdatedBefore) {
		return false
	}
	return true
}

func contains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
