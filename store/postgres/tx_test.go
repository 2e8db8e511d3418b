package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/ticket/tickettest"
)

// A CRM saves its own row and a ticket change in one transaction (T14:
// nothing half-written): both commit, or neither.
func TestWithTxJoinsCallersTransaction(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	pool := s.DB()
	if _, err := pool.Exec(ctx, `CREATE TABLE crm_notes (ticket uuid PRIMARY KEY, text text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, commit := range []bool{false, true} {
		tk, ev := newTicket("north", 1)
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO crm_notes (ticket, text) VALUES ($1, 'called back')`, tk.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.WithTx(tx).Tickets().Create(ctx, tk, []ticket.Event{ev}); err != nil {
			t.Fatal(err)
		}
		if commit {
			err = tx.Commit(ctx)
		} else {
			err = tx.Rollback(ctx)
		}
		if err != nil {
			t.Fatal(err)
		}
		_, getErr := s.Tickets().Get(ctx, "north", tk.ID)
		var notes int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM crm_notes WHERE ticket = $1`, tk.ID).Scan(&notes); err != nil {
			t.Fatal(err)
		}
		pending, _ := s.Tickets().Pending(ctx, "webhook", "north", 10)
		if commit && (getErr != nil || notes != 1 || len(pending) != 1) {
			t.Fatalf("after commit: ticket %v, %d notes, %d outbox events; want all", getErr, notes, len(pending))
		}
		if !commit && (!errors.Is(getErr, ticket.ErrNotFound) || notes != 0 || len(pending) != 0) {
			t.Fatalf("after rollback: ticket %v, %d notes, %d outbox events; want none", getErr, notes, len(pending))
		}
	}
}

// Refusals the stores expect leave the caller's transaction usable.
func TestWithTxRefusalsKeepTransactionUsable(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	tickettest.MustCreate(t, s.Tickets(), tk, ev)
	task := followuptest.NewTask("north", 1, testBase)
	if err := s.Followups().Create(ctx, task); err != nil {
		t.Fatal(err)
	}
	tx, err := s.DB().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	in := s.WithTx(tx)
	stale, sev := next(tk, ticket.Dispatched, "x")
	stale.Version = 5
	sev.Seq = 5
	if err := in.Tickets().Update(ctx, stale, sev); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("stale update in tx: %v, want ErrConflict", err)
	}
	if err := in.Tickets().Create(ctx, tk, []ticket.Event{ev}); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("duplicate create in tx: %v, want ErrConflict", err)
	}
	if err := in.Followups().Create(ctx, followuptest.NewTask("north", 1, testBase)); !errors.Is(err, followup.ErrDuplicate) {
		t.Fatalf("duplicate task in tx: %v, want ErrDuplicate", err)
	}
	if err := in.Tickets().Redact(ctx, func() *ticket.Ticket { n, _ := next(tk, tk.State, ""); return n }(),
		[]ticket.Event{{ID: sev.ID}}, func() ticket.Event { _, e := next(tk, tk.State, ""); return e }()); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("redacting an unknown event in tx: %v, want ErrNotFound", err)
	}
	good, gev := next(tk, ticket.Dispatched, "dispatched in the CRM's transaction")
	if err := in.Tickets().Update(ctx, good, gev); err != nil {
		t.Fatalf("the transaction is no longer usable after refusals: %v", err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := s.Tickets().Get(ctx, "north", tk.ID)
	if err != nil || got.Version != 2 || got.State != ticket.Dispatched {
		t.Fatalf("after commit: %+v %v", got, err)
	}
	h, _ := s.Tickets().History(ctx, "north", tk.ID)
	if len(h) != 2 {
		t.Fatalf("history has %d events, want 2 (refused writes left nothing)", len(h))
	}
}

// The service runs unchanged on a transaction-bound store.
func TestWithTxService(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	tx, err := s.DB().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := testBase
	svc, err := ticket.New(s.WithTx(tx).Tickets(), ticket.Config{Desk: "north", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := svc.Receive(ctx, ticket.Actor{ID: "li", Role: ticket.RoleAgent}, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Tickets().ByNumber(ctx, "north", tk.Number); err != nil || got.ID != tk.ID {
		t.Fatalf("ByNumber after commit: %v %v", got, err)
	}
}
