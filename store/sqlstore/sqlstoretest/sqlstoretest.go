// Package sqlstoretest holds the checks that the SQL adapters
// (store/postgres, store/sqlite) run beyond the conformance suites, on
// their adapter-specific paths, written once for both.
package sqlstoretest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/roster/rostertest"
	"github.com/servicedesk-go/desk/store/sqlstore"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/ticket/tickettest"
)

// CompleteBatch is an adapter's batch completion.
type CompleteBatch func(ctx context.Context, items []followup.Completion, now time.Time) ([]error, error)

// CompleteKeepsRole checks that a completion, one by one and in a batch,
// keeps the task's stored role although the caller changed it (F3 counts
// revisits by role).
func CompleteKeepsRole(t *testing.T, fs followup.Store, batch CompleteBatch) {
	t.Helper()
	ctx := context.Background()
	for i, viaBatch := range []bool{false, true} {
		task := followuptest.NewTask("d1", i, followuptest.T0)
		if err := fs.Create(ctx, task); err != nil {
			t.Fatal(err)
		}
		got, err := fs.Claim(ctx, "d1", followup.Claim{Owner: "w", Token: uuid.New(), Now: followuptest.T0, For: time.Minute})
		if err != nil || len(got) != 1 {
			t.Fatal(len(got), err)
		}
		done := got[0].Clone()
		done.Status, done.ClosedAt = followup.Done, followuptest.T0
		done.Role = ticket.RoleDirector // the caller changed it; the store keeps the stored one
		done.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: "w", Role: ticket.RoleRepairLead}, At: followuptest.T0}
		if viaBatch {
			errs, err := batch(ctx, []followup.Completion{{Task: done, Held: got[0].Lease}}, followuptest.T0)
			if err != nil || errs[0] != nil {
				t.Fatal(err, errs)
			}
		} else if err := fs.Complete(ctx, done, got[0].Lease, followuptest.T0); err != nil {
			t.Fatal(err)
		}
		stored, err := fs.Get(ctx, "d1", task.ID)
		if err != nil || stored.Role != task.Role || stored.Status != followup.Done {
			t.Fatalf("batch=%v: stored %s %s, %v; want role %s kept", viaBatch, stored.Role, stored.Status, err, task.Role)
		}
	}
}

// Opener opens an adapter's three stores on a fresh, migrated database
// for one test.
type Opener func(t *testing.T) (ticket.Store, followup.Store, roster.Store)

// RunConformance runs the conformance suites of the three stores
// (tickettest, followuptest, rostertest) on an adapter, unchanged: the
// adapters pass the same suites as the in-memory stores.
func RunConformance(t *testing.T, open Opener) {
	t.Run("TicketStore", func(t *testing.T) {
		tickettest.RunStoreTests(t, func(t *testing.T) ticket.Store { ts, _, _ := open(t); return ts })
	})
	t.Run("FollowupStore", func(t *testing.T) {
		followuptest.RunStoreTests(t, func(t *testing.T) followup.Store { _, fs, _ := open(t); return fs })
	})
	t.Run("RosterStore", func(t *testing.T) {
		rostertest.RunStoreTests(t, func(t *testing.T) roster.Store { _, _, rs := open(t); return rs })
	})
}

// Column runs query on ex and returns its one text column, row by row
// (table names for the migration tests, for example).
func Column(t *testing.T, ex sqlstore.Executor, query string) []string {
	t.Helper()
	rows, err := ex.Query(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
