package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/ticket"
)

// dumpDB returns every row of every table as text: what the erasure
// cases search for erased values.
func dumpDB(ctx context.Context, db *sql.DB) (string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return "", err
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return "", err
		}
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, tb := range tables {
		rows, err := db.QueryContext(ctx, `SELECT * FROM "`+strings.ReplaceAll(tb, `"`, `""`)+`"`)
		if err != nil {
			return "", err
		}
		cols, _ := rows.Columns()
		b.WriteString(tb + "\n")
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", err
			}
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v\t", v)
			}
			b.WriteString("\n")
		}
		rows.Close()
	}
	return b.String(), nil
}

// dumped is a Store that shows the conformance suites every table.
type dumped struct{ *Store }

func (d dumped) Dump(ctx context.Context) (string, error) { return dumpDB(ctx, d.sqlDB) }

type dumpedTickets struct {
	ticket.Store
	db *sql.DB
}

func (d dumpedTickets) Dump(ctx context.Context) (string, error) { return dumpDB(ctx, d.db) }

type dumpedFollowups struct {
	followup.Store
	db *sql.DB
}

func (d dumpedFollowups) Dump(ctx context.Context) (string, error) { return dumpDB(ctx, d.db) }

// TestDatabase: a customer is erased from tickets and follow-ups in one
// transaction, leaving none of their values in any table (S1).
func TestDatabase(t *testing.T) {
	followuptest.RunDatabaseTests(t, func(t *testing.T) followuptest.Database {
		s, _ := openStore(t)
		return dumped{s}
	})
}

// TestEraseInCallersTx: bound to the caller's transaction, the erasure
// commits or rolls back with it.
func TestEraseInCallersTx(t *testing.T) {
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
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := followup.Erase(ctx, s.WithTx(tx), svc, lead, "crm-42"); err != nil || n.Tickets != 1 {
		t.Fatalf("erase in the caller's transaction: %+v, %v", n, err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if out, _ := dumpDB(ctx, s.DB()); !strings.Contains(out, "王建国") {
		t.Fatal("the caller rolled back, but the erasure stayed")
	}
	if n, err := followup.Erase(ctx, s, svc, lead, "crm-42"); err != nil || n.Tickets != 1 {
		t.Fatalf("erase: %+v, %v", n, err)
	}
	if out, _ := dumpDB(ctx, s.DB()); strings.Contains(out, "王建国") {
		t.Fatal("the name is still stored after the erasure")
	}
}

// TestCompleteBatchRefusesBadText: a batch entry with text no store can
// hold (NUL, invalid UTF-8) is refused with ErrInvalid like a single
// completion, and the task stays claimed.
func TestCompleteBatchRefusesBadText(t *testing.T) {
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
