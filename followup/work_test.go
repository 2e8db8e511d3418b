package followup

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// workStore is a MemStore that serves rounds (BatchWorker): a round is
// one lock, its completions judged with their versions, then its claims.
// It counts reads, rounds and what they held. trip is how long a round
// takes, as a database's round trip would: the time in which the other
// workers' requests queue for the next round.
type workStore struct {
	*MemStore
	mu              sync.Mutex
	gets            atomic.Int64
	rounds, maxSize int
	trip            time.Duration
}

// roundCount is how many rounds the store served (0 for no store).
func (s *workStore) roundCount() int {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rounds
}

func (s *workStore) Get(ctx context.Context, desk string, id uuid.UUID) (*Task, error) {
	s.gets.Add(1)
	return s.MemStore.Get(ctx, desk, id)
}

func (s *workStore) CompleteBatch(ctx context.Context, items []Completion, now time.Time) ([]error, error) {
	_, errs, err := s.WorkBatch(ctx, "", nil, items, now)
	return errs, err
}

func (s *workStore) WorkBatch(ctx context.Context, desk string, claims []Claim, done []Completion, now time.Time) ([][]*Task, []error, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rounds++
	s.maxSize = max(s.maxSize, len(claims)+len(done))
	time.Sleep(s.trip)
	errs := make([]error, len(done))
	for i, c := range done {
		cur, err := s.MemStore.Get(ctx, c.Task.Desk, c.Task.ID)
		if err != nil {
			errs[i] = err
			continue
		}
		if checkLease(cur, c.Held, now) == nil && c.Version != 0 && cur.Version != c.Version {
			errs[i] = fmt.Errorf("%w: task %s at version %d, not %d", ErrConflict, cur.ID, cur.Version, c.Version)
			continue
		}
		errs[i] = s.MemStore.Complete(ctx, c.Task, c.Held, now)
	}
	got := make([][]*Task, len(claims))
	for i, c := range claims {
		ts, err := s.MemStore.Claim(ctx, desk, c)
		if err != nil {
			return nil, nil, err
		}
		got[i] = ts
	}
	return got, errs, nil
}

// TestQueueWork shows a Queue on a BatchWorker: claims and completions
// share rounds, a task the queue claimed is completed without a read,
// and the per-task guarantees hold.
func TestQueueWork(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	setup := func(t *testing.T, n int) (*workStore, *Queue) {
		t.Helper()
		s := &workStore{MemStore: NewMemStore()}
		for i := range n {
			if err := s.MemStore.Create(context.Background(), batchTask(i, at)); err != nil {
				t.Fatal(err)
			}
		}
		q, err := NewQueue(s, QueueConfig{Desk: "d1", Calendar: AnyTime{}, Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		return s, q
	}
	me := ticket.Actor{ID: "w", Role: ticket.RoleAgent}

	t.Run("F7_a_claim_the_store_refuses_never_joins_a_round", func(t *testing.T) {
		s, q := setup(t, 1)
		if _, err := q.Claim(context.Background(), "", "", 1); !errors.Is(err, ErrInvalid) {
			t.Errorf("claim without a worker: %v, want ErrInvalid", err)
		}
		if s.rounds != 0 {
			t.Errorf("%d rounds: the refused claim was sent with the others' work", s.rounds)
		}
	})

	t.Run("F7_claimed_task_completed_without_a_read", func(t *testing.T) {
		ctx := context.Background()
		s, q := setup(t, 3)
		ts := claimW(t, q, 3)
		for _, task := range ts {
			got, err := q.Complete(ctx, task, Outcome{Result: Reached, By: me})
			if err != nil || got.Status != Done || got.Version != task.Version+1 {
				t.Fatalf("complete: %+v, %v", got, err)
			}
		}
		if n := s.gets.Load(); n != 0 {
			t.Errorf("%d reads before the completions, want none", n)
		}
		// A second completion of the same claim is a lost lease (read
		// first: the queue no longer holds the task as claimed).
		if _, err := q.Complete(ctx, ts[0], Outcome{Result: Reached, By: me}); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("second completion: %v, want ErrLeaseLost", err)
		}
	})

	// A task scrubbed while claimed (as an erasure does: a versioned
	// write that keeps the lease) is read again and completed as
	// scrubbed: in the queue's round, which finds the version changed,
	// and through WithStore (a caller's transaction), whose write has no
	// version check and so starts from the stored task.
	for _, c := range []struct {
		name string
		bind bool
	}{
		{"F7_task_changed_under_the_lease_is_read_again", false},
		{"S1_scrub_under_the_lease_survives_a_completion_through_WithStore", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s, q := setup(t, 1)
			ts := claimW(t, q, 1)
			scrubbed := ts[0].Clone()
			scrubbed.Subject = "erased"
			if err := s.Update(ctx, scrubbed); err != nil {
				t.Fatal(err)
			}
			if c.bind {
				q = q.WithStore(s)
			}
			// The caller's copy still holds the old subject; the
			// completion must not write it back.
			got, err := q.Complete(ctx, ts[0], Outcome{Result: Reached, By: me})
			if err != nil {
				t.Fatal(err)
			}
			stored, err := s.MemStore.Get(ctx, "d1", ts[0].ID)
			if err != nil || stored.Subject != "erased" || got.Subject != "erased" || stored.Status != Done {
				t.Errorf("stored %+v (returned %+v), %v; want the scrubbed task done", stored, got, err)
			}
			if n := s.gets.Load(); n != 1 {
				t.Errorf("%d reads, want 1 (the stored task, read once)", n)
			}
		})
	}

	t.Run("F7_caller_changes_to_the_task_are_not_written", func(t *testing.T) {
		ctx := context.Background()
		s, q := setup(t, 1)
		ts := claimW(t, q, 1)
		ts[0].Subject, ts[0].MaxAttempts = "mine", 9
		if _, err := q.Complete(ctx, ts[0], Outcome{Result: Reached, By: me}); err != nil {
			t.Fatal(err)
		}
		stored, err := s.MemStore.Get(ctx, "d1", ts[0].ID)
		if err != nil || stored.Subject != "s" || stored.MaxAttempts != 1 {
			t.Errorf("stored %+v, %v; want the task as claimed", stored, err)
		}
	})

	t.Run("F7_lost_lease_fails_its_own_task", func(t *testing.T) {
		ctx := context.Background()
		s, q := setup(t, 2)
		ts := claimW(t, q, 2)
		c := ts[1].Clone()
		c.Status, c.Lease = Cancelled, Lease{}
		if err := s.Update(ctx, c); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range ts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = q.Complete(ctx, ts[i], Outcome{Result: Reached, By: me})
			}()
		}
		wg.Wait()
		if errs[0] != nil || !errors.Is(errs[1], ErrLeaseLost) {
			t.Errorf("results %v, want nil and ErrLeaseLost", errs)
		}
	})

	t.Run("F7_many_workers_claim_and_complete_each_task_once", func(t *testing.T) {
		const n = 400
		s, q := setup(t, n)
		// Without a round trip, a round on the in-memory store ends
		// before another worker runs, and nothing is left to share.
		s.trip = 200 * time.Microsecond
		doneOnce(t, s, drainQueue(t, q, 8, false), n)
		if s.rounds >= 2*n {
			t.Errorf("%d rounds for %d claims and %d completions: nothing shared a round", s.rounds, n, n)
		}
		if n := s.gets.Load(); n != 0 {
			t.Errorf("%d reads, want none", n)
		}
	})
}
