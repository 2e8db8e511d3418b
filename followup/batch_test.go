package followup

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// batchStore is a MemStore that records completions in batches, one
// entry after another, and reports each batch's size. While hold is
// open, the first batch waits for it to close.
type batchStore struct {
	*MemStore
	mu    sync.Mutex
	sizes []int
	hold  chan struct{}
	in    chan struct{} // closed when the first batch started
}

func (s *batchStore) CompleteBatch(ctx context.Context, items []Completion, now time.Time) ([]error, error) {
	s.mu.Lock()
	first := len(s.sizes) == 0
	s.sizes = append(s.sizes, len(items))
	s.mu.Unlock()
	if first && s.hold != nil {
		close(s.in)
		<-s.hold
	}
	errs := make([]error, len(items))
	for i, it := range items {
		errs[i] = s.MemStore.Complete(ctx, it.Task, it.Held, now)
	}
	return errs, nil
}

// claimW claims n tasks for worker w and fails the test unless it gets
// them.
func claimW(t *testing.T, q *Queue, n int) []*Task {
	t.Helper()
	ts, err := q.Claim(context.Background(), "w", "", n)
	if err != nil || len(ts) != n {
		t.Fatalf("claim: %d, %v; want %d", len(ts), err, n)
	}
	return ts
}

// doneOnce checks that the n tasks of desk d1 in s are done and that
// each was completed once (seen, from drainQueue).
func doneOnce(t *testing.T, s Store, seen map[uuid.UUID]int, n int) {
	t.Helper()
	done, err := s.List(context.Background(), "d1", Filter{Statuses: []Status{Done}})
	if err != nil || len(done) != n || len(seen) != n {
		t.Fatalf("%d done, %d completed, %v; want %d", len(done), len(seen), err, n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("task %s completed %d times", id, k)
		}
	}
}

// drainQueue runs workers on q, each claiming one task and completing it
// as reached, until nothing is ready; with together, a worker completes
// each task and claims its next in one CompleteAndClaim, else it calls
// Complete, then Claim. It returns how often each task was completed.
func drainQueue(t *testing.T, q *Queue, workers int, together bool) map[uuid.UUID]int {
	t.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	seen := map[uuid.UUID]int{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			me := ticket.Actor{ID: fmt.Sprint("w", w), Role: ticket.RoleAgent}
			ts, err := q.Claim(ctx, me.ID, "", 1)
			for err == nil && len(ts) == 1 {
				cur, done := ts[0], (*Task)(nil)
				if together {
					done, ts, err = q.CompleteAndClaim(ctx, cur, Outcome{Result: Reached, By: me}, me.ID, "", 1)
				} else {
					done, err = q.Complete(ctx, cur, Outcome{Result: Reached, By: me})
				}
				if err == nil && (done == nil || done.Status != Done) {
					err = fmt.Errorf("task %s completed as %+v", cur.ID, done)
				}
				if err != nil {
					break
				}
				mu.Lock()
				seen[cur.ID]++
				mu.Unlock()
				if !together {
					ts, err = q.Claim(ctx, me.ID, "", 1)
				}
				if err == nil && len(ts) > 1 {
					err = fmt.Errorf("%d tasks claimed, want at most 1", len(ts))
				}
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	return seen
}

func batchTask(n int, at time.Time) *Task {
	key := fmt.Sprint("batch:", n)
	return &Task{ID: TaskID("d1", key, "R"), Desk: "d1", Rule: "R", Cites: "F7", Trigger: TicketAnswered,
		Key: key, Subject: "s", Channel: Phone, Role: ticket.RoleAgent, NotBefore: at, Due: at.Add(time.Hour),
		MaxAttempts: 1, Status: Pending}
}

// TestQueueBatch/F7_concurrent_completions_share_a_batch: completions
// that arrive while a batch is being written go together in the next
// one, each with its own result: a lost lease fails its own entry only.
func TestQueueBatch(t *testing.T) {
	t.Run("F7_concurrent_completions_share_a_batch", func(t *testing.T) {
		ctx := context.Background()
		at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		s := &batchStore{MemStore: NewMemStore(), hold: make(chan struct{}), in: make(chan struct{})}
		for i := range 7 {
			if err := s.Create(ctx, batchTask(i, at)); err != nil {
				t.Fatal(err)
			}
		}
		q, err := NewQueue(s, QueueConfig{Desk: "d1", Calendar: AnyTime{}, Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		me := ticket.Actor{ID: "w", Role: ticket.RoleAgent}
		ts := claimW(t, q, 7)
		// Task 6 is completed by another path first: its lease is gone
		// when the batch is written.
		lost := ts[6]
		results := make([]error, 7)
		var wg sync.WaitGroup
		complete := func(i int) {
			defer wg.Done()
			_, results[i] = q.Complete(ctx, ts[i], Outcome{Result: Reached, By: me})
		}
		wg.Add(1)
		go complete(0)
		<-s.in // the first batch (task 0 alone) is being written
		for i := 1; i < 7; i++ {
			wg.Add(1)
			go complete(i)
		}
		// Wait until the six are queued behind the first batch.
		for {
			q.batch.mu.Lock()
			n := len(q.batch.queued)
			q.batch.mu.Unlock()
			if n == 6 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		cancel := lost.Clone()
		cancel.Status, cancel.Lease = Cancelled, Lease{}
		if err := s.Update(ctx, cancel); err != nil {
			t.Fatal(err)
		}
		close(s.hold)
		wg.Wait()
		if fmt.Sprint(s.sizes) != "[1 6]" {
			t.Errorf("batch sizes %v, want [1 6]", s.sizes)
		}
		for i, err := range results {
			switch {
			case i == 6 && !errors.Is(err, ErrLeaseLost):
				t.Errorf("task %d: %v, want ErrLeaseLost", i, err)
			case i < 6 && err != nil:
				t.Errorf("task %d: %v", i, err)
			}
		}
		done, err := s.List(ctx, "d1", Filter{Statuses: []Status{Done}})
		if err != nil || len(done) != 6 {
			t.Errorf("%d done, %v; want 6", len(done), err)
		}
	})
	t.Run("F7_many_workers_complete_each_task_once", func(t *testing.T) {
		ctx := context.Background()
		at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		s := &batchStore{MemStore: NewMemStore()}
		const n = 400
		for i := range n {
			if err := s.Create(ctx, batchTask(i, at)); err != nil {
				t.Fatal(err)
			}
		}
		q, err := NewQueue(s, QueueConfig{Desk: "d1", Calendar: AnyTime{}, Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		seen := drainQueue(t, q, 8, false)
		done, err := s.List(ctx, "d1", Filter{Statuses: []Status{Done}})
		if err != nil || len(done) != n || len(seen) != n {
			t.Fatalf("%d done, %d completed, %v; want %d", len(done), len(seen), err, n)
		}
		total := 0
		for _, k := range s.sizes {
			total += k
		}
		if total != n {
			t.Errorf("batches hold %d completions, want %d", total, n)
		}
	})
}
