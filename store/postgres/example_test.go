package postgres_test

import (
	"context"
	"fmt"
	"os"

	"github.com/servicedesk-go/desk/store/postgres"
	"github.com/servicedesk-go/desk/ticket"
)

// Open, migrate and use the stores. (This example needs a server, so it
// has no Output line and is compiled but not run by go test; the tests
// of this package run the same calls against DESK_TEST_POSTGRES.)
func Example() {
	ctx := context.Background()
	store, err := postgres.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil { // a no-op when the schema is current
		fmt.Println(err)
		return
	}
	svc, _ := ticket.New(store.Tickets(), ticket.Config{Desk: "harbour-view"})
	tk, err := svc.Receive(ctx, ticket.Actor{ID: "li", Role: ticket.RoleAgent},
		ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
	fmt.Println(tk.Number, err)
}

// A CRM writes its own rows and the ticket change in one transaction,
// as river's InsertTx does for jobs.
func ExampleStore_WithTx() {
	ctx := context.Background()
	store, err := postgres.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	tx, err := store.DB().Begin(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer tx.Rollback(ctx) // after Commit: does nothing
	if _, err := tx.Exec(ctx, `INSERT INTO crm_calls (caller) VALUES ($1)`, "Wang"); err != nil {
		fmt.Println(err)
		return
	}
	svc, _ := ticket.New(store.WithTx(tx).Tickets(), ticket.Config{Desk: "harbour-view"})
	if _, err := svc.Receive(ctx, ticket.Actor{ID: "li", Role: ticket.RoleAgent},
		ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tx.Commit(ctx))
}

// A CRM that runs its own migration tool copies the embedded files.
func ExampleMigrations() {
	ms, _ := postgres.ListMigrations()
	for _, m := range ms {
		fmt.Printf("%03d_%s\n", m.Version, m.Name)
	}
	// Output:
	// 001_tickets
	// 002_followups
	// 003_rosters
	// 004_notify
	// 005_ticket_general
	// 006_ticket_indexes
	// 007_desk_keys
	// 008_ticket_department
	// 009_followup_body
	// 010_ticket_tags
	// 011_ticket_overdue
	// 012_ticket_body
}
