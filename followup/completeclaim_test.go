package followup

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// TestCompleteAndClaim shows a worker completing a task and claiming its
// next in one call: on a BatchWorker both share one round, on any other
// store it is two calls with the same results, and each part keeps its
// own guarantees.
func TestCompleteAndClaim(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	me := ticket.Actor{ID: "w", Role: ticket.RoleAgent}
	stores := []struct {
		name  string
		store func() (Store, *workStore)
	}{
		{"batch_worker", func() (Store, *workStore) { s := &workStore{MemStore: NewMemStore()}; return s, s }},
		{"mem_store", func() (Store, *workStore) { return NewMemStore(), nil }},
	}
	setup := func(t *testing.T, mk func() (Store, *workStore), n int) (Store, *workStore, *Queue) {
		t.Helper()
		s, ws := mk()
		for i := range n {
			if err := s.Create(context.Background(), batchTask(i, at)); err != nil {
				t.Fatal(err)
			}
		}
		q, err := NewQueue(s, QueueConfig{Desk: "d1", Calendar: AnyTime{}, Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		return s, ws, q
	}
	for _, st := range stores {
		t.Run("F7_completes_and_claims_the_next_"+st.name, func(t *testing.T) {
			ctx := context.Background()
			s, ws, q := setup(t, st.store, 2)
			ts := claimW(t, q, 1)
			rounds := ws.roundCount()
			done, next, err := q.CompleteAndClaim(ctx, ts[0], Outcome{Result: Reached, By: me}, "w", "", 1)
			if err != nil || done.Status != Done || done.ID != ts[0].ID || len(next) != 1 || next[0].ID == ts[0].ID {
				t.Fatalf("got %+v and %d next, %v", done, len(next), err)
			}
			if ws != nil && ws.roundCount() != rounds+1 {
				t.Errorf("%d rounds for the completion and the claim, want 1", ws.roundCount()-rounds)
			}
			stored, err := s.Get(ctx, "d1", ts[0].ID)
			if err != nil || stored.Status != Done {
				t.Errorf("completed task stored as %+v, %v", stored, err)
			}
			held, err := s.Get(ctx, "d1", next[0].ID)
			if err != nil || held.Status != Claimed || held.Lease.Owner != "w" || held.Lease.Token != next[0].Lease.Token {
				t.Errorf("next task stored as %+v, %v; want claimed by w", held, err)
			}
			// The next task completes as one claimed by Claim does.
			if got, _, err := q.CompleteAndClaim(ctx, next[0], Outcome{Result: Reached, By: me}, "w", "", 1); err != nil || got.Status != Done {
				t.Errorf("completing the next: %+v, %v", got, err)
			}
		})

		t.Run("F7_lost_lease_fails_its_task_and_still_claims_"+st.name, func(t *testing.T) {
			ctx := context.Background()
			s, _, q := setup(t, st.store, 3)
			ts := claimW(t, q, 2)
			gone := ts[1].Clone()
			gone.Status, gone.Lease = Cancelled, Lease{}
			if err := s.Update(ctx, gone); err != nil {
				t.Fatal(err)
			}
			done, next, err := q.CompleteAndClaim(ctx, ts[1], Outcome{Result: Reached, By: me}, "w", "", 1)
			if !errors.Is(err, ErrLeaseLost) || done != nil {
				t.Errorf("completion without its lease: %+v, %v; want ErrLeaseLost", done, err)
			}
			if len(next) != 1 || next[0].ID == ts[0].ID || next[0].ID == ts[1].ID {
				t.Fatalf("%d claimed, want the one task left", len(next))
			}
			if stored, err := s.Get(ctx, "d1", ts[1].ID); err != nil || stored.Status != Cancelled {
				t.Errorf("task without its lease stored as %+v, %v", stored, err)
			}
			// The other claimed task is untouched and completes.
			if got, err := q.Complete(ctx, ts[0], Outcome{Result: Reached, By: me}); err != nil || got.Status != Done {
				t.Errorf("the other task: %+v, %v", got, err)
			}
		})

		t.Run("F7_refused_claim_writes_nothing_"+st.name, func(t *testing.T) {
			ctx := context.Background()
			s, ws, q := setup(t, st.store, 2)
			ts := claimW(t, q, 1)
			rounds := ws.roundCount()
			if _, _, err := q.CompleteAndClaim(ctx, ts[0], Outcome{Result: Reached, By: me}, "", "", 1); !errors.Is(err, ErrInvalid) {
				t.Errorf("claim without a worker: %v, want ErrInvalid", err)
			}
			if ws != nil && ws.roundCount() != rounds {
				t.Errorf("%d rounds for a refused call, want none", ws.roundCount()-rounds)
			}
			if stored, err := s.Get(ctx, "d1", ts[0].ID); err != nil || stored.Status != Claimed {
				t.Errorf("task stored as %+v, %v; want still claimed", stored, err)
			}
			// A refused outcome writes nothing of the completion; the
			// claim is still made.
			done, next, err := q.CompleteAndClaim(ctx, ts[0], Outcome{Result: "shrug", By: me}, "w", "", 1)
			if !errors.Is(err, ErrInvalid) || done != nil || len(next) != 1 {
				t.Errorf("refused outcome: %+v, %d claimed, %v; want ErrInvalid and 1 claimed", done, len(next), err)
			}
			if stored, err := s.Get(ctx, "d1", ts[0].ID); err != nil || stored.Status != Claimed {
				t.Errorf("task stored as %+v, %v; want still claimed", stored, err)
			}
		})
	}

	t.Run("F7_many_workers_one_round_per_task", func(t *testing.T) {
		const n, workers = 400, 8
		s, ws, q := setup(t, stores[0].store, n)
		ws.trip = 200 * time.Microsecond
		doneOnce(t, s, drainQueue(t, q, workers, true), n)
		// n completions each with the next claim, and one first claim
		// per worker: at most n+workers requests, so at most as many
		// rounds (two calls per task would need 2n).
		if ws.rounds > n+workers {
			t.Errorf("%d rounds for %d tasks: more than one per task", ws.rounds, n)
		}
		if g := ws.gets.Load(); g != 0 {
			t.Errorf("%d reads, want none", g)
		}
	})

	t.Run("F7_many_workers_each_task_once_mem_store", func(t *testing.T) {
		const n = 200
		s, _, q := setup(t, stores[1].store, n)
		doneOnce(t, s, drainQueue(t, q, 8, true), n)
	})
}
