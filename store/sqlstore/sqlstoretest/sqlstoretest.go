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
	"github.com/servicedesk-go/desk/ticket"
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
