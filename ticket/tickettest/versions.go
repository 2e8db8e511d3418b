package tickettest

import (
	"context"
	"errors"
	"testing"

	"github.com/servicedesk-go/desk/ticket"
)

func testVersionConflict(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := NewTicket("north", 1)
	MustCreate(t, s, tk, ev)
	v2, ev2 := Next(tk, ticket.Dispatched, "first")
	if err := s.Update(ctx, v2, ev2); err != nil {
		t.Fatal(err)
	}
	stale, sev := Next(tk, ticket.Cancelled, "stale")
	if err := s.Update(ctx, stale, sev); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("stale write: %v, want ErrConflict", err)
	}
	skip, kev := Next(v2, ticket.Resolved, "skip")
	skip.Version++
	kev.Seq++
	if err := s.Update(ctx, skip, kev); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("write skipping a version: %v, want ErrConflict", err)
	}
	got, _ := s.Get(ctx, "north", tk.ID)
	if got.Version != 2 || got.State != ticket.Dispatched {
		t.Fatalf("after refused writes ticket is v%d %s, want v2 dispatched", got.Version, got.State)
	}
	h, _ := s.History(ctx, "north", tk.ID)
	if len(h) != 2 {
		t.Fatalf("history has %d events after refused writes, want 2", len(h))
	}
	pend, _ := s.Pending(ctx, "c", "north", 100)
	if len(pend) != 2 {
		t.Fatalf("outbox has %d events after refused writes, want 2", len(pend))
	}
}
