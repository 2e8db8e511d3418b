package postgres

import (
	"context"
	"fmt"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

var _ followup.Stores = (*Store)(nil)

// InTx runs fn with the ticket and follow-up stores bound to one
// transaction (a savepoint of the caller's transaction for a store made
// by WithTx): fn's writes to both commit together when it returns nil,
// or are rolled back. followup.Erase uses it to erase a customer from
// tickets and follow-ups all or nothing (S1).
func (s *Store) InTx(ctx context.Context, fn func(tickets ticket.Store, tasks followup.Store) error) error {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer rollback(ctx, tx)
	in := New(tx)
	if err := fn(in.tickets, in.followups); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}
