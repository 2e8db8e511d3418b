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
	// Create stores a new ticket with its history and assigns t.Number:
	// the next case number of t.Desk, starting at 1. history holds
	// t.Version events with Seq 1, 2, ...; a live ticket has one, an
	// imported one its whole past. Only the last event goes to the outbox
	// (for an import, the import event: consumers are not fed the past
	// again). An ID already stored (ticket or event) is ErrConflict.
	Create(ctx context.Context, t *Ticket, history []Event) error
	// Update replaces the stored ticket with t and appends ev to its
	// history and to the outbox. t.Version must be exactly one more than
	// the stored version (else ErrConflict) and ev.Seq must equal
	// t.Version. An unknown ticket is ErrNotFound.
	Update(ctx context.Context, t *Ticket, ev Event) error
	// Redact erases personal data (S1). It replaces the stored ticket
	// with t (t.Version is one more than the stored version, else
	// ErrConflict), replaces the Note, Data and Category of each stored
	// event named in history (by ID) with the given ones, in the history
	// and in the outbox alike, and appends ev to the history and the
	// outbox. Nothing else of the trail changes: who, when, which action,
	// from and to stay. An event in history that the ticket does not have is
	// ErrNotFound and nothing is written.
	Redact(ctx context.Context, t *Ticket, history []Event, ev Event) error
	// Get returns the ticket, or ErrNotFound.
	Get(ctx context.Context, desk string, id uuid.UUID) (*Ticket, error)
	// ByNumber returns the ticket with that case number, or ErrNotFound.
	ByNumber(ctx context.Context, desk string, number int64) (*Ticket, error)
	// List returns the desk's tickets that match f, in f.Order, from
	// f.After on, at most f.Limit of them.
	List(ctx context.Context, desk string, f Filter) ([]*Ticket, error)
	// History returns the ticket's events in order (Seq 1, 2, ...), or
	// ErrNotFound.
	History(ctx context.Context, desk string, id uuid.UUID) ([]Event, error)

	Outbox
}

// BatchCreator is a Store that also creates several new tickets in one
// atomic operation (one round trip and one commit on PostgreSQL).
// Service.ReceiveBatch uses it when the store has it; MemStore and the
// PostgreSQL and SQLite adapters do. Unlike followup.BatchCreator, which
// judges each task on its own, a batch of tickets is all or none: its
// case numbers must stay gapless.
type BatchCreator interface {
	// CreateBatch stores each ts[i] with histories[i] as Create does,
	// all of them or none. Every ticket names the same desk; the tickets
	// get that desk's next case numbers in the order given, without gaps
	// (T2). A ticket or event ID already stored, or given twice, is
	// ErrConflict; a ticket or history Create would refuse is
	// ErrInvalid; either way nothing is written.
	CreateBatch(ctx context.Context, ts []*Ticket, histories [][]Event) error
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

// Filter selects tickets. Zero fields match everything.
type Filter struct {
	States     []State
	Kinds      []Kind
	Owner      string
	Assignee   string
	Department string     // only tickets assigned to this department (T4): what a department sees
	Customer   string     // the customer's ID
	Classes    []string   // complaint classes (T16)
	Severities []Severity // complaint severities (T16)
	Unowned    bool       // only tickets without an owner (T19)
	Incomplete bool       // only incomplete intakes (T2)
	Priorities []Priority // any of these priorities
	// Tags: only tickets carrying every one of these tags. Service.List
	// normalizes them as NormalizeTags does; a store compares exactly.
	Tags []string

	DueBefore      time.Time // only tickets with an open deadline due before this (overdue: now)
	ReceivedFrom   time.Time // received at or after
	ReceivedBefore time.Time // received before
	UpdatedFrom    time.Time // last changed at or after
	UpdatedBefore  time.Time // last changed before

	// Order and After page through the results: pass the Cursor of the
	// last ticket of a page as After to get the next page.
	Order Order
	After *Cursor
	Limit int // 0: no limit
}

// Order is the order of List results. Paging stays correct while
// tickets are added and changed: in case-number order nothing is
// skipped or repeated (numbers never change; new tickets come at the
// end, or before the first page when descending); in update and due
// order nothing is skipped, and a ticket changed after it was seen
// comes again at its new place.
type Order int

// The orders.
const (
	ByNumber     Order = iota // case number ascending (arrival order)
	ByNumberDesc              // newest first
	ByUpdated                 // least recently changed first, ties by number
	// ByDue: earliest running deadline first (Ticket.NextDue), ties by
	// number. Only tickets with a running deadline are in this order:
	// with DueBefore it pages through the overdue tickets, most overdue
	// first.
	ByDue
)

// Cursor marks a position in a List order: the keys of the last ticket
// seen.
type Cursor struct {
	Number  int64     `json:"n"`
	Updated time.Time `json:"u,omitzero"`
	Due     time.Time `json:"d,omitzero"`
}

// Cursor returns the position of t in order o.
func (t *Ticket) Cursor(o Order) *Cursor {
	c := &Cursor{Number: t.Number}
	switch o {
	case ByUpdated:
		c.Updated = t.UpdatedAt
	case ByDue:
		c.Due = t.NextDue()
	}
	return c
}

// Beyond reports whether t comes after the cursor in order o.
func (c *Cursor) Beyond(o Order, t *Ticket) bool {
	if c == nil {
		return true
	}
	switch o {
	case ByNumberDesc:
		return t.Number < c.Number
	case ByUpdated:
		if !t.UpdatedAt.Equal(c.Updated) {
			return t.UpdatedAt.After(c.Updated)
		}
		return t.Number > c.Number
	case ByDue:
		if due := t.NextDue(); !due.Equal(c.Due) {
			return due.After(c.Due)
		}
		return t.Number > c.Number
	}
	return t.Number > c.Number
}

// Less reports whether a comes before b in order o.
func (o Order) Less(a, b *Ticket) bool {
	switch o {
	case ByNumberDesc:
		return a.Number > b.Number
	case ByUpdated:
		if !a.UpdatedAt.Equal(b.UpdatedAt) {
			return a.UpdatedAt.Before(b.UpdatedAt)
		}
	case ByDue:
		if da, db := a.NextDue(), b.NextDue(); !da.Equal(db) {
			return da.Before(db)
		}
	}
	return a.Number < b.Number
}

// Match reports whether t passes the filter (After and Limit, which are
// about pages, aside; of the order, only that ByDue holds the tickets
// with a running deadline). Adapters may use it after a coarse query;
// the conformance suite compares their answers with it.
func (f *Filter) Match(t *Ticket) bool {
	if f.Order == ByDue && t.NextDue().IsZero() {
		return false
	}
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
	if f.Department != "" && t.Department != f.Department {
		return false
	}
	if f.Customer != "" && (t.Customer == nil || t.Customer.ID != f.Customer) {
		return false
	}
	if len(f.Classes) > 0 && (t.Complaint == nil || !contains(f.Classes, t.Complaint.Class)) {
		return false
	}
	if len(f.Severities) > 0 && (t.Complaint == nil || !contains(f.Severities, t.Complaint.Severity)) {
		return false
	}
	if f.Unowned && t.Owner != "" {
		return false
	}
	if len(f.Priorities) > 0 && !contains(f.Priorities, t.Priority) {
		return false
	}
	for _, tag := range f.Tags {
		if !contains(t.Tags, tag) {
			return false
		}
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
	if !f.UpdatedFrom.IsZero() && t.UpdatedAt.Before(f.UpdatedFrom) {
		return false
	}
	if !f.ReceivedBefore.IsZero() && !t.ReceivedAt.Before(f.ReceivedBefore) {
		return false
	}
	if !f.ReceivedFrom.IsZero() && t.ReceivedAt.Before(f.ReceivedFrom) {
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
