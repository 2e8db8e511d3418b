package tickettest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// testCancelled: every call with a cancelled context returns
// context.Canceled and a cancelled write changes nothing.
func testCancelled(t *testing.T, s ticket.Store) {
	live := context.Background()
	ctx, cancel := context.WithCancel(live)
	cancel()
	tk, ev := NewTicket("north", 1)
	if err := s.Create(ctx, tk, []ticket.Event{ev}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Create: %v, want context.Canceled", err)
	}
	if _, err := s.Get(live, "north", tk.ID); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("a cancelled Create stored the ticket: Get = %v, want ErrNotFound", err)
	}
	MustCreate(t, s, tk, ev)
	v2, e2 := Next(tk, ticket.Dispatched, "cancelled")
	if err := s.Update(ctx, v2, e2); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Update: %v, want context.Canceled", err)
	}
	if got, err := s.Get(live, "north", tk.ID); err != nil || got.Version != 1 || got.State != ticket.Received {
		t.Fatalf("a cancelled Update changed the ticket: %+v, %v", got, err)
	}
	if hist, err := s.History(live, "north", tk.ID); err != nil || len(hist) != 1 {
		t.Fatalf("a cancelled Update appended history: %d events, %v", len(hist), err)
	}
	reads := map[string]func() error{
		"Get":      func() error { _, err := s.Get(ctx, "north", tk.ID); return err },
		"ByNumber": func() error { _, err := s.ByNumber(ctx, "north", 1); return err },
		"List":     func() error { _, err := s.List(ctx, "north", ticket.Filter{}); return err },
		"History":  func() error { _, err := s.History(ctx, "north", tk.ID); return err },
		"Pending":  func() error { _, err := s.Pending(ctx, "c1", "north", 10); return err },
		"Ack":      func() error { return s.Ack(ctx, "c1", "north", uuid.New()) },
	}
	for name, call := range reads {
		if err := call(); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled %s: %v, want context.Canceled", name, err)
		}
	}
}
