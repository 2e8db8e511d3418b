package postgres

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/jackc/pgx/v5"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/ticket"
)

// dumpDB returns every row of every table of the store's schema as
// text: what the erasure cases search for erased values.
func dumpDB(ctx context.Context, db DB) (string, error) {
	rows, err := db.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return "", err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, tb := range tables {
		rows, err := db.Query(ctx, `SELECT r::text FROM `+pgx.Identifier{tb}.Sanitize()+` AS r`)
		if err != nil {
			return "", err
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return "", err
		}
		b.WriteString(tb + "\n" + strings.Join(lines, "\n") + "\n")
	}
	return b.String(), nil
}

// dumped is a Store that shows the conformance suites every table.
type dumped struct{ *Store }

func (d dumped) Dump(ctx context.Context) (string, error) { return dumpDB(ctx, d.db) }

type dumpedTickets struct {
	ticket.Store
	db DB
}

func (d dumpedTickets) Dump(ctx context.Context) (string, error) { return dumpDB(ctx, d.db) }

type dumpedFollowups struct {
	followup.Store
	db DB
}

func (d dumpedFollowups) Dump(ctx context.Context) (string, error) { return dumpDB(ctx, d.db) }

// TestDatabase: a customer is erased from tickets and follow-ups in one
// transaction, leaving none of their values in any table (S1).
func TestDatabase(t *testing.T) {
	testURL(t)
	followuptest.RunDatabaseTests(t, func(t *testing.T) followuptest.Database {
		s, _ := openStore(t)
		return dumped{s}
	})
}

// TestEraseInCallersTx: bound to the caller's transaction, the erasure
// commits or rolls back with it.
func TestEraseInCallersTx(t *testing.T) {
	testURL(t)
	ctx := context.Background()
	s, _ := openStore(t)
	svc, err := ticket.New(s.Tickets(), ticket.Config{Desk: "north"})
	if err != nil {
		t.Fatal(err)
	}
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	lead := ticket.Actor{ID: "zhou", Role: ticket.RoleShiftLead}
	if _, err := svc.Receive(ctx, agent, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone,
		Fields: map[string]string{"person": "王建国", "event": "fees"}, Customer: &ticket.Customer{ID: "crm-42", Name: "王建国"}}); err != nil {
		t.Fatal(err)
	}
	tx, err := s.DB().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := followup.Erase(ctx, s.WithTx(tx), svc, lead, "crm-42"); err != nil || n.Tickets != 1 {
		t.Fatalf("erase in the caller's transaction: %+v, %v", n, err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if out, _ := dumpDB(ctx, s.db); !strings.Contains(out, "王建国") {
		t.Fatal("the caller rolled back, but the erasure stayed")
	}
	if n, err := followup.Erase(ctx, s, svc, lead, "crm-42"); err != nil || n.Tickets != 1 {
		t.Fatalf("erase: %+v, %v", n, err)
	}
	if out, _ := dumpDB(ctx, s.db); strings.Contains(out, "王建国") {
		t.Fatal("the name is still stored after the erasure")
	}
}

// TestCompleteBatchRefusesBadText: a batch entry with text no store can
// hold (NUL, invalid UTF-8) is refused with ErrInvalid like a single
// completion, and the task stays claimed.
func TestCompleteBatchRefusesBadText(t *testing.T) {
	testURL(t)
	ctx := context.Background()
	s, _ := openStore(t)
	f := s.followups
	task := followuptest.NewTask("d1", 1, followuptest.T0)
	if err := f.Create(ctx, task); err != nil {
		t.Fatal(err)
	}
	got, err := f.Claim(ctx, "d1", followup.Claim{Owner: "w", Token: uuid.New(), Now: followuptest.T0, For: time.Minute, Limit: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("claim: %d, %v", len(got), err)
	}
	done := got[0].Clone()
	done.Status = followup.Done
	done.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: "w", Role: ticket.RoleRepairLead}, Note: "a\x00b", At: followuptest.T0}
	errs, err := f.CompleteBatch(ctx, []Completion{{Task: done, Held: got[0].Lease}}, followuptest.T0)
	if err != nil || len(errs) != 1 || !errors.Is(errs[0], followup.ErrInvalid) {
		t.Fatalf("batch with a NUL note: %v, %v; want ErrInvalid", errs, err)
	}
	if cur, _ := f.Get(ctx, "d1", task.ID); cur.Status != followup.Claimed {
		t.Fatalf("task %s after a refused batch entry, want claimed", cur.Status)
	}
}
