package sqlite

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// TestMigrateFillsTicketKeys: a ticket written under schema version 4
// (no department column, tags only as text) is found by its department
// (005) and by each tag (006) after migrating up: the new keys are filled
// from the JSON body.
func TestMigrateFillsTicketKeys(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.MigrateTo(ctx, 4); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tk := &ticket.Ticket{ID: uuid.New(), Desk: "north", Number: 1, Version: 1, Kind: ticket.Repair, Channel: ticket.Phone,
		State: ticket.Dispatched, Department: "water works", Tags: []string{"leak", "vip"}, ReceivedAt: at, UpdatedAt: at}
	body, err := json.Marshal(tk)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO desk_tickets (id, desk, number, version, state, kind, owner, assignee,
    customer, incomplete, received_at, updated_at, body, priority, tags)
VALUES (?, 'north', 1, 1, 'dispatched', 'repair', '', '', '', 0, ?, ?, ?, '', ',leak,vip,')`,
		tk.ID.String(), at.UnixNano(), at.UnixNano(), string(body)); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, f := range []ticket.Filter{{Department: "water works"}, {Tags: []string{"leak"}}, {Tags: []string{"leak", "vip"}}} {
		got, err := s.Tickets().List(ctx, "north", f)
		if err != nil || len(got) != 1 || got[0].ID != tk.ID {
			t.Fatalf("filter %+v after migrating: %d tickets, %v", f, len(got), err)
		}
	}
	if got, err := s.Tickets().List(ctx, "north", ticket.Filter{Tags: []string{"le"}}); err != nil || len(got) != 0 {
		t.Fatalf("a part of a tag matched: %d tickets, %v", len(got), err)
	}
}
