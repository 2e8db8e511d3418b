package tickettest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

func testOutboxDelivery(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	var ids []uuid.UUID
	for i := 1; i <= 3; i++ {
		tk, ev := NewTicket("north", i)
		MustCreate(t, s, tk, ev)
		ids = append(ids, ev.ID)
		n, e := Next(tk, ticket.Dispatched, "x")
		if err := s.Update(ctx, n, e); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	got, err := s.Pending(ctx, "followup", "north", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("pending %d events, want %d", len(got), len(ids))
	}
	for i := range got {
		if got[i].ID != ids[i] {
			t.Fatalf("pending event %d is %s, want %s (commit order)", i, got[i].ID, ids[i])
		}
	}
	first, _ := s.Pending(ctx, "followup", "north", 2)
	if len(first) != 2 {
		t.Fatalf("limit 2 gave %d events", len(first))
	}
	// Acknowledge out of order: the second and the fifth.
	if err := s.Ack(ctx, "followup", "north", ids[1], ids[4]); err != nil {
		t.Fatal(err)
	}
	if err := s.Ack(ctx, "followup", "north", ids[1]); err != nil {
		t.Fatalf("acknowledging twice: %v, want no-op", err)
	}
	rest, _ := s.Pending(ctx, "followup", "north", 100)
	want := []uuid.UUID{ids[0], ids[2], ids[3], ids[5]}
	if len(rest) != len(want) {
		t.Fatalf("after ack pending %d, want %d", len(rest), len(want))
	}
	for i := range want {
		if rest[i].ID != want[i] {
			t.Fatalf("after ack pending[%d] = %s, want %s", i, rest[i].ID, want[i])
		}
	}
	// Another consumer is independent.
	other, _ := s.Pending(ctx, "webhook", "north", 100)
	if len(other) != len(ids) {
		t.Fatalf("second consumer sees %d events, want %d", len(other), len(ids))
	}
	// An Ack naming an unknown event acknowledges nothing.
	if err := s.Ack(ctx, "followup", "north", ids[0], uuid.New()); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("Ack with an unknown ID: %v, want ErrNotFound", err)
	}
	again, _ := s.Pending(ctx, "followup", "north", 100)
	if len(again) != 4 || again[0].ID != ids[0] {
		t.Fatalf("a refused Ack changed the outbox: %d pending", len(again))
	}
}

// testOutboxCrash: a consumer that processes events and dies before
// acknowledging them sees them again; after acknowledging it never does.
func testOutboxCrash(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	for i := 1; i <= 4; i++ {
		tk, ev := NewTicket("north", i)
		MustCreate(t, s, tk, ev)
	}
	batch, _ := s.Pending(ctx, "deriver", "north", 3)
	if len(batch) != 3 {
		t.Fatalf("batch of %d", len(batch))
	}
	// Crash: no Ack. The restarted consumer gets the same events.
	again, _ := s.Pending(ctx, "deriver", "north", 3)
	for i := range batch {
		if again[i].ID != batch[i].ID {
			t.Fatalf("after a crash event %d is %s, want %s again", i, again[i].ID, batch[i].ID)
		}
	}
	for _, e := range again {
		if err := s.Ack(ctx, "deriver", "north", e.ID); err != nil {
			t.Fatal(err)
		}
	}
	last, _ := s.Pending(ctx, "deriver", "north", 10)
	if len(last) != 1 || last[0].ID == batch[0].ID {
		t.Fatalf("after ack %d pending, want only the fourth event", len(last))
	}
}

func testOutboxScopes(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	n1, e1 := NewTicket("north", 1)
	s1, f1 := NewTicket("south", 1)
	MustCreate(t, s, n1, e1)
	MustCreate(t, s, s1, f1)
	sys, _ := s.Pending(ctx, "sys", "", 10)
	if len(sys) != 2 {
		t.Fatalf("system consumer sees %d events, want both desks' 2", len(sys))
	}
	north, _ := s.Pending(ctx, "sys", "north", 10)
	if len(north) != 1 || north[0].Desk != "north" {
		t.Fatalf("desk consumer sees %v, want north's only", north)
	}
	if err := s.Ack(ctx, "sys", "", e1.ID, f1.ID); err != nil {
		t.Fatal(err)
	}
	if left, _ := s.Pending(ctx, "sys", "", 10); len(left) != 0 {
		t.Fatalf("system consumer still has %d after ack", len(left))
	}
	if left, _ := s.Pending(ctx, "sys", "north", 10); len(left) != 1 {
		t.Fatalf("the desk-scoped consumer of the same name is separate: %d pending, want 1", len(left))
	}
}
