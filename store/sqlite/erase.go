package sqlite

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
	if s.tx != nil {
		return s.atomic(ctx, func(DB) error { return fn(s.tickets, s.followups) })
	}
	tx, err := s.sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	in := s.WithTx(tx)
	if err := fn(in.tickets, in.followups); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return cancelled(ctx, fmt.Errorf("sqlite: commit: %w", err))
	}
	return nil
}
