package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/ticket"
)

// TestWorkBatch/F7_round_of_claims_and_completions: one WorkBatch
// completes under each lease and version and serves claims in order,
// each under its own owner and token; a completion whose task changed
// under its live lease is an ErrConflict that is no lost lease, one
// whose lease is gone a LeaseError, and neither is written.
func TestWorkBatch(t *testing.T) {
	t.Run("F7_round_of_claims_and_completions", func(t *testing.T) {
		s, _ := openStore(t)
		f := s.Followups().(*Followups)
		ctx := context.Background()
		at := followuptest.T0
		var all []*followup.Task
		for i := range 6 {
			task := followuptest.NewTask(workerDesk, i, at.Add(time.Duration(i)*time.Second))
			if err := f.Create(ctx, task); err != nil {
				t.Fatal(err)
			}
			all = append(all, task)
		}
		held, err := f.Claim(ctx, workerDesk, followup.Claim{Owner: "a", Token: uuid.New(), Now: at.Add(time.Minute), For: time.Hour, Limit: 3})
		if err != nil || len(held) != 3 {
			t.Fatalf("claim: %d, %v", len(held), err)
		}
		// held[1] is scrubbed under its lease; held[2] loses its lease.
		scrubbed := held[1].Clone()
		scrubbed.Subject = "erased"
		if err := f.Update(ctx, scrubbed); err != nil {
			t.Fatal(err)
		}
		gone := held[2].Clone()
		gone.Status, gone.Lease = followup.Cancelled, followup.Lease{}
		if err := f.Update(ctx, gone); err != nil {
			t.Fatal(err)
		}
		now := at.Add(2 * time.Minute)
		var done []followup.Completion
		for _, h := range held {
			d := h.Clone()
			d.Status, d.ClosedAt, d.UpdatedAt = followup.Done, now, now
			d.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: "a", Role: d.Role}, At: now}
			done = append(done, followup.Completion{Task: d, Held: h.Lease, Version: h.Version})
		}
		claims := []followup.Claim{
			{Owner: "b", Token: uuid.New(), Now: now, For: time.Hour, Limit: 2},
			{Owner: "c", Token: uuid.New(), Now: now, For: time.Hour, Limit: 1},
			{Owner: "d", Token: uuid.New(), Now: now, For: time.Hour, Limit: 5},
		}
		got, errs, err := f.WorkBatch(ctx, workerDesk, claims, done, now)
		if err != nil {
			t.Fatal(err)
		}
		if errs[0] != nil {
			t.Errorf("completion 0: %v", errs[0])
		}
		if !errors.Is(errs[1], followup.ErrConflict) || errors.Is(errs[1], followup.ErrLeaseLost) {
			t.Errorf("completion of the scrubbed task: %v, want ErrConflict without ErrLeaseLost", errs[1])
		}
		if !errors.Is(errs[2], followup.ErrLeaseLost) {
			t.Errorf("completion without its lease: %v, want ErrLeaseLost", errs[2])
		}
		want := [][]uuid.UUID{{all[3].ID, all[4].ID}, {all[5].ID}, nil}
		for i, c := range claims {
			var ids []uuid.UUID
			for _, task := range got[i] {
				ids = append(ids, task.ID)
				if task.Lease.Owner != c.Owner || task.Lease.Token != c.Token || task.Status != followup.Claimed {
					t.Errorf("claim %d took %s under %+v", i, task.ID, task.Lease)
				}
			}
			if fmt.Sprint(ids) != fmt.Sprint(want[i]) {
				t.Errorf("claim %d took %v, want %v", i, ids, want[i])
			}
		}
		if cur, err := f.Get(ctx, workerDesk, held[1].ID); err != nil || cur.Subject != "erased" || cur.Status != followup.Claimed {
			t.Errorf("the scrubbed task: %+v, %v; want it claimed and scrubbed", cur, err)
		}
	})

	// Claims whose limits add up beyond int64 (a caller asking for
	// everything) still share a round with the others' completions.
	t.Run("F7_claims_for_everything_share_a_round", func(t *testing.T) {
		s, _ := openStore(t)
		f := s.Followups().(*Followups)
		ctx := context.Background()
		at := followuptest.T0
		for i := range 3 {
			if err := f.Create(ctx, followuptest.NewTask(workerDesk, i, at)); err != nil {
				t.Fatal(err)
			}
		}
		held, err := f.Claim(ctx, workerDesk, followup.Claim{Owner: "a", Token: uuid.New(), Now: at.Add(time.Minute), For: time.Hour, Limit: 1})
		if err != nil || len(held) != 1 {
			t.Fatalf("claim: %d, %v", len(held), err)
		}
		now := at.Add(2 * time.Minute)
		d := held[0].Clone()
		d.Status, d.ClosedAt, d.UpdatedAt = followup.Done, now, now
		d.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: "a", Role: d.Role}, At: now}
		claims := []followup.Claim{
			{Owner: "b", Token: uuid.New(), Now: now, For: time.Hour, Limit: math.MaxInt},
			{Owner: "c", Token: uuid.New(), Now: now, For: time.Hour, Limit: math.MaxInt},
		}
		got, errs, err := f.WorkBatch(ctx, workerDesk, claims, []followup.Completion{{Task: d, Held: held[0].Lease, Version: held[0].Version}}, now)
		if err != nil || errs[0] != nil {
			t.Fatalf("round: %v, %v", errs, err)
		}
		if len(got[0]) != 2 || len(got[1]) != 0 {
			t.Errorf("claims took %d and %d tasks, want 2 (all that is ready) and 0", len(got[0]), len(got[1]))
		}
	})
}

// TestQueueOnPostgres/F7_workers_share_rounds: workers of one Queue on
// PostgreSQL claim and complete every task once, a task scrubbed while
// claimed stays scrubbed, and a lost lease fails only its own task.
func TestQueueOnPostgres(t *testing.T) {
	t.Run("F7_workers_share_rounds", func(t *testing.T) {
		const n = 200
		s, q := workerQueue(t, n)
		ctx := context.Background()
		// One task is scrubbed while claimed, one loses its lease.
		first, err := q.Claim(ctx, "w-first", "", 2)
		if err != nil || len(first) != 2 {
			t.Fatalf("claim: %d, %v", len(first), err)
		}
		scrubbed := first[0].Clone()
		scrubbed.Subject = "erased"
		if err := s.Followups().Update(ctx, scrubbed); err != nil {
			t.Fatal(err)
		}
		gone := first[1].Clone()
		gone.Status, gone.Lease = followup.Cancelled, followup.Lease{}
		if err := s.Followups().Update(ctx, gone); err != nil {
			t.Fatal(err)
		}
		by := ticket.Actor{ID: "w-first", Role: ticket.RoleRepairLead}
		if _, err := q.Complete(ctx, first[1], followup.Outcome{Result: followup.Reached, By: by}); !errors.Is(err, followup.ErrLeaseLost) {
			t.Errorf("completion without its lease: %v, want ErrLeaseLost", err)
		}
		if got, err := q.Complete(ctx, first[0], followup.Outcome{Result: followup.Reached, By: by}); err != nil || got.Subject != "erased" {
			t.Errorf("completion of the scrubbed task: %+v, %v", got, err)
		}
		var mu sync.Mutex
		seen := map[uuid.UUID]int{}
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				me := ticket.Actor{ID: fmt.Sprint("w", w), Role: ticket.RoleRepairLead}
				for {
					got, err := q.Claim(ctx, me.ID, "", 1)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					if _, err := q.Complete(ctx, got[0], followup.Outcome{Result: followup.Reached, By: me}); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					seen[got[0].ID]++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != n-2 {
			t.Errorf("%d tasks completed by the workers, want %d", len(seen), n-2)
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
		if cur, err := s.Followups().Get(ctx, workerDesk, first[0].ID); err != nil || cur.Subject != "erased" || cur.Status != followup.Done {
			t.Errorf("the scrubbed task: %+v, %v", cur, err)
		}
	})
}

// workerQueue opens a store with n ready follow-ups on workerDesk (due an
// hour ago, no checklist), created through followup.CreateTasks, and a
// Queue over them.
func workerQueue(t *testing.T, n int) (*Store, *followup.Queue) {
	t.Helper()
	s, _ := openStore(t)
	at := time.Now().Add(-time.Hour)
	ts := make([]*followup.Task, n)
	for i := range ts {
		ts[i] = followuptest.NewTask(workerDesk, i, at)
		ts[i].Checklist = nil
	}
	if errs, err := followup.CreateTasks(context.Background(), s.Followups(), ts); err != nil || errors.Join(errs...) != nil {
		t.Fatal(err, errors.Join(errs...))
	}
	q, err := followup.NewQueue(s.Followups(), followup.QueueConfig{Desk: workerDesk, Calendar: followup.AnyTime{}})
	if err != nil {
		t.Fatal(err)
	}
	return s, q
}
