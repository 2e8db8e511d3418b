package tickettest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// T0 is the suite's fixed "now": tickets made by NewTicket are received
// from it on, a minute apart.
var T0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// NewTicket returns a received repair of desk, number n in a series,
// with its receive event; odd numbers lack the phone field. Adapters use
// it for their own tests beyond the suite.
func NewTicket(desk string, n int) (*ticket.Ticket, ticket.Event) {
	id := uuid.New()
	at := T0.Add(time.Duration(n) * time.Minute)
	t := &ticket.Ticket{
		ID: id, Desk: desk, Version: 1, Kind: ticket.Repair, Category: "leak",
		Channel: ticket.Phone, State: ticket.Received, Owner: fmt.Sprintf("agent-%d", n%3),
		Fields:     map[string]string{"location": fmt.Sprintf("block %d", n)},
		ReceivedAt: at, UpdatedAt: at,
		Deadlines: []ticket.Deadline{{Name: ticket.DeadlineDispatch, Start: at, Due: at.Add(3 * time.Minute)}},
	}
	if n%2 == 1 {
		t.Missing = []string{"phone"}
	}
	ev := ticket.Event{ID: uuid.New(), Desk: desk, Ticket: id, Seq: 1, Action: ticket.ActReceive,
		Actor: t.Owner, Role: ticket.RoleAgent, At: at, To: ticket.Received, Kind: t.Kind, Category: t.Category,
		Data: map[string]string{"channel": "phone"}}
	return t, ev
}

// Next returns the next version of t with an event that moves it to state to.
func Next(t *ticket.Ticket, to ticket.State, note string) (*ticket.Ticket, ticket.Event) {
	n := t.Clone()
	n.Version++
	n.UpdatedAt = n.UpdatedAt.Add(time.Minute)
	ev := ticket.Event{ID: uuid.New(), Desk: n.Desk, Ticket: n.ID, Seq: n.Version, Action: ticket.ActNote,
		Actor: "agent-1", Role: ticket.RoleAgent, At: n.UpdatedAt, From: t.State, To: to, Note: note}
	n.State = to
	return n, ev
}

// MustCreate stores a new ticket with its first event and fails the
// test if the store refuses it.
func MustCreate(t testing.TB, s ticket.Store, tk *ticket.Ticket, ev ticket.Event) {
	t.Helper()
	if err := s.Create(context.Background(), tk, []ticket.Event{ev}); err != nil {
		t.Fatalf("Create: %v", err)
	}
}

// deskService is a service of desk "north" on s, with policy p (nil:
// the preset), whose clock reads *now.
func deskService(t testing.TB, s ticket.Store, p *ticket.Policy, now *time.Time) *ticket.Service {
	t.Helper()
	svc, err := ticket.New(s, ticket.Config{Desk: "north", Policy: p, Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
