package tickettest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/servicedesk-go/desk/ticket"
)

func testHistoryOrder(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := NewTicket("north", 1)
	MustCreate(t, s, tk, ev)
	cur := tk
	states := []ticket.State{ticket.Dispatched, ticket.Resolved, ticket.Answered, ticket.Closed}
	for i, st := range states {
		n, e := Next(cur, st, fmt.Sprintf("step %d", i))
		if err := s.Update(ctx, n, e); err != nil {
			t.Fatal(err)
		}
		cur = n
	}
	h, err := s.History(ctx, "north", tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 5 {
		t.Fatalf("history length %d, want 5", len(h))
	}
	for i, e := range h {
		if e.Seq != int64(i+1) {
			t.Errorf("event %d has Seq %d", i, e.Seq)
		}
		if i > 0 && (e.From != h[i-1].To || e.To != states[i-1]) {
			t.Errorf("event %d goes %s→%s, want %s→%s", i, e.From, e.To, h[i-1].To, states[i-1])
		}
		if i > 0 && e.Note != fmt.Sprintf("step %d", i-1) {
			t.Errorf("event %d note %q", i, e.Note)
		}
	}
	if h[0].Data["channel"] != "phone" || h[0].Action != ticket.ActReceive || !h[0].At.Equal(tk.ReceivedAt) {
		t.Errorf("first event not stored faithfully: %+v", h[0])
	}
}

// testCreateWithHistory: an imported ticket arrives with its past; all
// of it is history, only the last event reaches the outbox.
func testCreateWithHistory(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := NewTicket("north", 1)
	v2, e2 := Next(tk, ticket.Dispatched, "past")
	v3, e3 := Next(v2, ticket.Dispatched, "import")
	if err := s.Create(ctx, v3, []ticket.Event{ev, e2, e3}); err != nil {
		t.Fatal(err)
	}
	h, err := s.History(ctx, "north", tk.ID)
	if err != nil || len(h) != 3 || h[1].Note != "past" {
		t.Fatalf("history %v, %v", h, err)
	}
	pend, _ := s.Pending(ctx, "c", "north", 10)
	if len(pend) != 1 || pend[0].ID != e3.ID {
		t.Fatalf("outbox has %d events, want only the last", len(pend))
	}
	bad, bev := NewTicket("north", 2)
	bad.Version = 2
	if err := s.Create(ctx, bad, []ticket.Event{bev}); !errors.Is(err, ticket.ErrInvalid) {
		t.Fatalf("history shorter than the version: %v, want ErrInvalid", err)
	}
	dup, dev := NewTicket("north", 3)
	dev.ID = ev.ID
	if err := s.Create(ctx, dup, []ticket.Event{dev}); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("reused event ID: %v, want ErrConflict", err)
	}
	if _, err := s.Get(ctx, "north", dup.ID); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("a refused create left a ticket: %v", err)
	}
}
