package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// Services built once act inside each of the caller's transactions
// through WithStore (T14: all or nothing): a rolled-back transaction
// leaves no ticket and no leave, a committed one leaves both, and the
// services' own stores see the committed rows.
func TestWithStoreJoinsCallersTransaction(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	tickets, err := ticket.New(s.Tickets(), ticket.Config{Desk: "north"})
	if err != nil {
		t.Fatal(err)
	}
	rosters, err := roster.New(s.Rosters(), roster.Config{Desk: "north"})
	if err != nil {
		t.Fatal(err)
	}
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for _, commit := range []bool{false, true} {
		tx, err := s.DB().Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		in := s.WithTx(tx)
		tk, err := tickets.WithStore(in.Tickets()).Receive(ctx, agent, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
		if err != nil {
			t.Fatal(err)
		}
		away, err := rosters.WithStore(in.Rosters()).GrantLeave(ctx, "li", from, from.AddDate(0, 0, 2), "leave")
		if err != nil {
			t.Fatal(err)
		}
		// A refusal inside the transaction leaves it usable.
		if _, err := tickets.WithStore(in.Tickets()).Resolve(ctx, agent, tk.Ref(), "x"); err == nil {
			t.Fatal("resolving a received ticket succeeded")
		}
		if commit {
			err = tx.Commit(ctx)
		} else {
			err = tx.Rollback(ctx)
		}
		if err != nil {
			t.Fatal(err)
		}
		_, tkErr := tickets.Get(ctx, tk.ID)
		_, awayErr := s.Rosters().Away(ctx, "north", away.ID)
		if commit && (tkErr != nil || awayErr != nil) {
			t.Fatalf("after commit: ticket %v, leave %v; want both", tkErr, awayErr)
		}
		if !commit && (!errors.Is(tkErr, ticket.ErrNotFound) || !errors.Is(awayErr, roster.ErrNotFound)) {
			t.Fatalf("after rollback: ticket %v, leave %v; want neither", tkErr, awayErr)
		}
	}
}
