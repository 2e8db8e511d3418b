package tickettest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

func testCreateGet(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := NewTicket("north", 1)
	MustCreate(t, s, tk, ev)
	if tk.Number != 1 {
		t.Fatalf("first case number = %d, want 1", tk.Number)
	}
	got, err := s.Get(ctx, "north", tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != tk.ID || got.Version != 1 || got.Number != 1 || got.State != ticket.Received ||
		got.Owner != tk.Owner || got.Fields["location"] != "block 1" || len(got.Missing) != 1 ||
		len(got.Deadlines) != 1 || !got.Deadlines[0].Due.Equal(tk.Deadlines[0].Due) || !got.ReceivedAt.Equal(tk.ReceivedAt) {
		t.Fatalf("Get returned %+v, want what was created %+v", got, tk)
	}
	byNum, err := s.ByNumber(ctx, "north", 1)
	if err != nil || byNum.ID != tk.ID {
		t.Fatalf("ByNumber(1) = %v, %v; want ticket %s", byNum, err, tk.ID)
	}
	if err := s.Create(ctx, tk, []ticket.Event{{ID: uuid.New(), Desk: "north", Ticket: tk.ID, Seq: 1}}); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("creating the same ID twice: err = %v, want ErrConflict", err)
	}
}

func testNotFound(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	id := uuid.New()
	if _, err := s.Get(ctx, "north", id); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("Get unknown: %v, want ErrNotFound", err)
	}
	if _, err := s.ByNumber(ctx, "north", 7); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("ByNumber unknown: %v, want ErrNotFound", err)
	}
	if _, err := s.History(ctx, "north", id); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("History unknown: %v, want ErrNotFound", err)
	}
	tk, _ := NewTicket("north", 1)
	tk.Version = 2
	ev := ticket.Event{ID: uuid.New(), Desk: "north", Ticket: tk.ID, Seq: 2}
	if err := s.Update(ctx, tk, ev); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("Update unknown: %v, want ErrNotFound", err)
	}
	if err := s.Ack(ctx, "c", "", uuid.New()); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("Ack unknown event: %v, want ErrNotFound", err)
	}
}

func testDeskIsolation(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := NewTicket("north", 1)
	MustCreate(t, s, tk, ev)
	if _, err := s.Get(ctx, "south", tk.ID); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("another desk's Get: %v, want ErrNotFound", err)
	}
	if _, err := s.History(ctx, "south", tk.ID); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("another desk's History: %v, want ErrNotFound", err)
	}
	if _, err := s.ByNumber(ctx, "south", tk.Number); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("another desk's ByNumber: %v, want ErrNotFound", err)
	}
	list, err := s.List(ctx, "south", ticket.Filter{})
	if err != nil || len(list) != 0 {
		t.Errorf("another desk's List = %d tickets, %v; want none", len(list), err)
	}
	moved, mev := Next(tk, ticket.Dispatched, "x")
	moved.Desk, mev.Desk = "south", "south"
	if err := s.Update(ctx, moved, mev); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("Update through another desk: %v, want ErrNotFound", err)
	}
	if err := s.Ack(ctx, "c", "south", ev.ID); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("Ack of another desk's event: %v, want ErrNotFound", err)
	}
	pend, err := s.Pending(ctx, "c", "south", 10)
	if err != nil || len(pend) != 0 {
		t.Errorf("another desk's Pending = %d events, %v; want none", len(pend), err)
	}
}

func testCaseNumbers(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		for _, desk := range []string{"north", "south"} {
			tk, ev := NewTicket(desk, i)
			MustCreate(t, s, tk, ev)
			if tk.Number != int64(i) {
				t.Fatalf("desk %s ticket %d got case number %d", desk, i, tk.Number)
			}
		}
	}
	got, err := s.ByNumber(ctx, "south", 3)
	if err != nil || got.Desk != "south" || got.Number != 3 {
		t.Fatalf("ByNumber(south, 3) = %+v, %v", got, err)
	}
}

func testStoredCopies(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := NewTicket("north", 1)
	MustCreate(t, s, tk, ev)
	tk.Fields["location"] = "changed by caller"
	ev.Data["channel"] = "changed by caller"
	got, _ := s.Get(ctx, "north", tk.ID)
	got.Fields["location"] = "changed by reader"
	again, _ := s.Get(ctx, "north", tk.ID)
	if again.Fields["location"] != "block 1" {
		t.Fatalf("stored ticket changed through a caller's map: %q", again.Fields["location"])
	}
	h, _ := s.History(ctx, "north", tk.ID)
	if h[0].Data["channel"] != "phone" {
		t.Fatalf("stored event changed through a caller's map: %q", h[0].Data["channel"])
	}
}

// testCustomerFields: customer, attributes, attachments and complaint
// data survive the store and can be filtered on.
func testCustomerFields(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := NewTicket("north", 1)
	tk.Customer = &ticket.Customer{ID: "crm-1", Name: "Wang", Phone: "138", Address: "3-201", Grade: "A"}
	tk.Attrs = map[string]string{"floor": "3"}
	tk.Attachments = []ticket.Attachment{{Name: "p.jpg", URI: "https://x/p.jpg", ContentType: "image/jpeg", Size: 5, SHA256: "ab", AddedBy: "li", AddedAt: T0}}
	tk.Complaint = &ticket.ComplaintInfo{Class: "noise", Severity: ticket.Major}
	tk.Escalation = ticket.Escalation{Level: 2, Reason: "major"}
	tk.Parent = uuid.New()
	tk.Links = []uuid.UUID{uuid.New()}
	tk.Resolution = &ticket.Resolution{Summary: "s", Resolver: "zhao", At: T0}
	tk.Revisit = ticket.RevisitStatus{Required: true, Reason: "policy"}
	MustCreate(t, s, tk, ev)
	other, oev := NewTicket("north", 2)
	MustCreate(t, s, other, oev)
	got, err := s.Get(ctx, "north", tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameAttachment := func(a, b ticket.Attachment) bool {
		a.AddedAt, b.AddedAt = a.AddedAt.UTC(), b.AddedAt.UTC()
		return a == b
	}
	if *got.Customer != *tk.Customer || got.Attrs["floor"] != "3" || len(got.Attachments) != 1 || !sameAttachment(got.Attachments[0], tk.Attachments[0]) ||
		*got.Complaint != *tk.Complaint || got.Escalation != tk.Escalation || got.Parent != tk.Parent || len(got.Links) != 1 ||
		got.Resolution == nil || got.Resolution.Summary != "s" || got.Resolution.Resolver != "zhao" || !got.Resolution.At.Equal(T0) || got.Revisit != tk.Revisit {
		t.Fatalf("stored %+v, want %+v", got, tk)
	}
	for name, f := range map[string]ticket.Filter{
		"customer": {Customer: "crm-1"},
		"class":    {Classes: []string{"noise"}},
		"severity": {Severities: []ticket.Severity{ticket.Major}},
	} {
		l, err := s.List(ctx, "north", f)
		if err != nil || len(l) != 1 || l[0].ID != tk.ID {
			t.Errorf("filter %s: %d tickets, %v", name, len(l), err)
		}
	}
}
