package ticket_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

func TestServiceWithStore(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ids := 0
	pol := ticket.PropertyDesk()
	pol.Dispatch = ticket.Within(7 * time.Minute)
	home, other := ticket.NewMemStore(), ticket.NewMemStore()
	svc, err := ticket.New(home, ticket.Config{Desk: "north", Policy: &pol, Now: func() time.Time { return at },
		NewID: func() uuid.UUID { ids++; return uuid.NewSHA1(uuid.Nil, []byte{byte(ids)}) }})
	if err != nil {
		t.Fatal(err)
	}
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	bound := svc.WithStore(other)
	if bound == svc {
		t.Fatal("WithStore returned the same service")
	}
	tk, err := bound.Receive(ctx, agent, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
	if err != nil {
		t.Fatal(err)
	}
	// The desk, clock, IDs and policy are the original service's.
	if tk.Desk != "north" || !tk.ReceivedAt.Equal(at) || tk.ID != uuid.NewSHA1(uuid.Nil, []byte{1}) {
		t.Fatalf("bound service wrote %+v", tk)
	}
	if bound.Policy().Dispatch.Within != 7*time.Minute {
		t.Fatalf("bound service has policy %v, want the configured 7m dispatch", bound.Policy().Dispatch.Within)
	}
	// The write went to the bound store only.
	if _, err := other.Get(ctx, "north", tk.ID); err != nil {
		t.Fatalf("bound store: %v", err)
	}
	if _, err := svc.Get(ctx, tk.ID); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("original service sees the bound write: %v", err)
	}
	// Refusals are the same: authorisation and lifecycle come along.
	if _, err := bound.Resolve(ctx, agent, tk.Ref(), "x"); !errors.Is(err, ticket.ErrInvalidTransition) && !errors.Is(err, ticket.ErrForbidden) {
		t.Fatalf("resolve of a received ticket: %v", err)
	}
	mustPanic(t, func() { svc.WithStore(nil) })
}

// A CRM acts inside its own database transaction by binding the service
// to a store on that transaction, per transaction; with a database
// adapter that store is store.WithTx(tx).Tickets(). Binding copies no
// policy and checks nothing again, so it costs next to nothing.
func ExampleService_WithStore() {
	ctx := context.Background()
	svc, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "harbour-view"})
	txStore := ticket.NewMemStore() // stands for postgres.Store.WithTx(tx).Tickets()

	tk, _ := svc.WithStore(txStore).Receive(ctx, ticket.Actor{ID: "li", Role: ticket.RoleAgent},
		ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
	_, err := svc.Get(ctx, tk.ID)
	fmt.Println("plain service:", errors.Is(err, ticket.ErrNotFound))
	got, _ := svc.WithStore(txStore).Get(ctx, tk.ID)
	fmt.Println("bound service:", got.Number, got.State)
	// Output:
	// plain service: true
	// bound service: 1 received
}

func mustPanic(t *testing.T, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	f()
}
