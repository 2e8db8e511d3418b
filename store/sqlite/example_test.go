package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/servicedesk-go/desk/store/sqlite"
	"github.com/servicedesk-go/desk/ticket"
)

// A single-process desk keeps its tickets in a file: they are there
// again after a restart, with their history and outbox (T14).
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "desk")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "desk.db")

	store, err := sqlite.Open(ctx, path)
	if err != nil {
		panic(err)
	}
	if err := store.Migrate(ctx); err != nil {
		panic(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, _ := ticket.New(store.Tickets(), ticket.Config{Desk: "harbour-view", Now: func() time.Time { return now }})
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	tk, _ := svc.Receive(ctx, li, ticket.Intake{Kind: ticket.Repair, Category: "leak", Channel: ticket.Phone,
		Fields: map[string]string{"person": "Wang", "phone": "13800000000", "location": "3-201", "item": "pipe"}})
	tk, _ = svc.Dispatch(ctx, li, tk.Ref(), ticket.Assignment{Assignee: "zhao"})
	store.Close()

	// Restart.
	store, _ = sqlite.Open(ctx, path)
	defer store.Close()
	_ = store.Migrate(ctx) // already there: changes nothing
	again, _ := store.Tickets().ByNumber(ctx, "harbour-view", 1)
	history, _ := store.Tickets().History(ctx, "harbour-view", again.ID)
	pending, _ := store.Tickets().Pending(ctx, "followup", "harbour-view", 10)
	fmt.Println("case", again.Number, again.State, "assignee", again.Assignee)
	fmt.Println(len(history), "events,", len(pending), "waiting in the outbox")
	// Output:
	// case 1 dispatched assignee zhao
	// 2 events, 2 waiting in the outbox
}

// A program writes its own rows and a ticket change in one transaction.
func ExampleStore_WithTx() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "desk")
	defer os.RemoveAll(dir)
	store, _ := sqlite.Open(ctx, filepath.Join(dir, "desk.db"))
	defer store.Close()
	_ = store.Migrate(ctx)

	db := store.DB()
	_, _ = db.ExecContext(ctx, `CREATE TABLE crm_calls (caller TEXT)`)
	tx, _ := db.BeginTx(ctx, nil)
	_, _ = tx.ExecContext(ctx, `INSERT INTO crm_calls VALUES ('Wang')`)
	svc, _ := ticket.New(store.WithTx(tx).Tickets(), ticket.Config{Desk: "harbour-view"})
	tk, err := svc.Receive(ctx, ticket.Actor{ID: "li", Role: ticket.RoleAgent},
		ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
	if err != nil {
		_ = tx.Rollback()
		panic(err)
	}
	_ = tx.Commit()

	var calls int
	_ = db.QueryRowContext(ctx, `SELECT count(*) FROM crm_calls`).Scan(&calls)
	fmt.Println("case", tk.Number, "and", calls, "call row committed together")
	// Output: case 1 and 1 call row committed together
}

// A program that runs its own migration tool copies the embedded files.
func ExampleMigrations() {
	ms, _ := sqlite.ListMigrations()
	for _, m := range ms {
		fmt.Printf("%03d_%s\n", m.Version, m.Name)
	}
	// Output:
	// 001_tickets
	// 002_followups
	// 003_rosters
	// 004_ticket_general
	// 005_ticket_indexes
	// 006_ticket_tags
}
