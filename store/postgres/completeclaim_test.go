package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// TestCompleteAndClaimOnPostgres shows Queue.CompleteAndClaim on the
// adapter: 8 workers each hold one task at a time, complete it and claim
// the next in one round; every task is done once, and a lost lease fails
// only its own task while its claim and the other workers' work go on.
func TestCompleteAndClaimOnPostgres(t *testing.T) {
	t.Run("F7_workers_complete_and_claim_each_task_once", func(t *testing.T) {
		const n = 200
		s, q := workerQueue(t, n)
		ctx := context.Background()
		// One worker's task loses its lease before it completes: its
		// call fails that task only and still hands the next one out.
		first, err := q.Claim(ctx, "w-first", "", 1)
		if err != nil || len(first) != 1 {
			t.Fatalf("claim: %d, %v", len(first), err)
		}
		gone := first[0].Clone()
		gone.Status, gone.Lease = followup.Cancelled, followup.Lease{}
		if err := s.Followups().Update(ctx, gone); err != nil {
			t.Fatal(err)
		}
		by := ticket.Actor{ID: "w-first", Role: ticket.RoleRepairLead}
		_, start, err := q.CompleteAndClaim(ctx, first[0], followup.Outcome{Result: followup.Reached, By: by}, by.ID, "", 1)
		if !errors.Is(err, followup.ErrLeaseLost) || len(start) != 1 {
			t.Fatalf("completion without its lease: %d claimed, %v; want ErrLeaseLost and 1 claimed", len(start), err)
		}
		var mu sync.Mutex
		seen := map[uuid.UUID]int{}
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				me := ticket.Actor{ID: fmt.Sprint("w", w), Role: ticket.RoleRepairLead}
				got, err := start, error(nil)
				if w > 0 {
					got, err = q.Claim(ctx, me.ID, "", 1)
				}
				for err == nil && len(got) == 1 {
					cur := got[0]
					var done *followup.Task
					done, got, err = q.CompleteAndClaim(ctx, cur, followup.Outcome{Result: followup.Reached, By: me}, me.ID, "", 1)
					if err == nil {
						mu.Lock()
						seen[done.ID]++
						mu.Unlock()
					}
					if len(got) > 1 {
						err = fmt.Errorf("%d claimed, want at most 1", len(got))
					}
				}
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if len(seen) != n-1 {
			t.Errorf("%d tasks completed by the workers, want %d", len(seen), n-1)
		}
		for id, k := range seen {
			if k != 1 {
				t.Errorf("task %s completed %d times", id, k)
			}
		}
		done, err := s.Followups().List(ctx, workerDesk, followup.Filter{Statuses: []followup.Status{followup.Done}})
		if err != nil || len(done) != n-1 {
			t.Errorf("%d done, %v; want %d", len(done), err, n-1)
		}
		left, err := s.Followups().List(ctx, workerDesk, followup.Filter{Statuses: []followup.Status{followup.Claimed, followup.Pending}})
		if err != nil || len(left) != 0 {
			t.Errorf("%d tasks left open, %v; want none", len(left), err)
		}
	})
}
