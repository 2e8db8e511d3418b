package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
)

// TestCreateBatch/F1_each_task_judged_as_by_Create: one round trip
// creates the new tasks; a task already stored or twice in the batch is
// a DuplicateError of its own, an invalid one an InputError, and the
// stored task is not touched.
func TestCreateBatch(t *testing.T) {
	t.Run("F1_each_task_judged_as_by_Create", func(t *testing.T) {
		s, _ := openStore(t)
		ctx := context.Background()
		at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		old := followuptest.NewTask(workerDesk, 0, at)
		if err := s.Followups().Create(ctx, old); err != nil {
			t.Fatal(err)
		}
		again := followuptest.NewTask(workerDesk, 0, at)
		again.Subject = "changed"
		fresh := []*followup.Task{followuptest.NewTask(workerDesk, 1, at), followuptest.NewTask(workerDesk, 2, at)}
		twice := followuptest.NewTask(workerDesk, 1, at)
		bad := followuptest.NewTask("", 3, at)
		errs, err := followup.CreateTasks(ctx, s.Followups(), []*followup.Task{fresh[0], again, fresh[1], twice, bad})
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []error{nil, followup.ErrDuplicate, nil, followup.ErrDuplicate, followup.ErrInvalid} {
			if (want == nil) != (errs[i] == nil) || (want != nil && !errors.Is(errs[i], want)) {
				t.Errorf("entry %d: %v, want %v", i, errs[i], want)
			}
		}
		for _, f := range fresh {
			got, err := s.Followups().Get(ctx, workerDesk, f.ID)
			if err != nil || got.Version != 1 || f.Version != 1 || got.Status != followup.Pending {
				t.Errorf("task %s: %+v, %v", f.ID, got, err)
			}
		}
		if got, err := s.Followups().Get(ctx, workerDesk, old.ID); err != nil || got.Subject != old.Subject {
			t.Errorf("the stored task changed: %+v, %v", got, err)
		}
	})
}

// plainDB is a DB that is neither a pgx pool nor a transaction.
type plainDB struct{ DB }

// TestCreateBatchLarge/F1_copied_batches_judged_as_by_Create: a batch
// large enough to be sent with COPY reports the same per task as Create
// would: on the pool, in a caller's transaction (kept alive when the
// COPY meets a stored task) and over any other DB (staged in a
// temporary table).
func TestCreateBatchLarge(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	run := func(t *testing.T, s *Store, tasks func(ts []*followup.Task) ([]error, error)) {
		ctx := context.Background()
		n := 2 * copyAtLeast
		old := make([]*followup.Task, 0, n/4)
		for i := 0; i < n; i += 4 {
			o := followuptest.NewTask(workerDesk, i, at)
			if err := s.Followups().Create(ctx, o); err != nil {
				t.Fatal(err)
			}
			old = append(old, o)
		}
		var ts []*followup.Task
		for i := range n {
			x := followuptest.NewTask(workerDesk, i, at)
			x.Subject = "batch"
			ts = append(ts, x)
		}
		ts = append(ts, followuptest.NewTask(workerDesk, 1, at), followuptest.NewTask("", 9999, at))
		errs, err := tasks(ts)
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range errs {
			var want error
			switch {
			case i == n+1:
				want = followup.ErrInvalid
			case i == n || i%4 == 0:
				want = followup.ErrDuplicate
			}
			if (want == nil) != (e == nil) || (want != nil && !errors.Is(e, want)) {
				t.Errorf("entry %d: %v, want %v", i, e, want)
			}
			if i < n {
				got, gerr := s.Followups().Get(ctx, workerDesk, ts[i].ID)
				if gerr != nil || got.Version != 1 || (got.Subject == "batch") != (i%4 != 0) {
					t.Errorf("task %d: %+v, %v", i, got, gerr)
				}
			}
		}
	}
	t.Run("F1_pool", func(t *testing.T) {
		s, _ := openStore(t)
		run(t, s, func(ts []*followup.Task) ([]error, error) {
			return followup.CreateTasks(context.Background(), s.Followups(), ts)
		})
	})
	t.Run("F1_caller_transaction", func(t *testing.T) {
		s, _ := openStore(t)
		ctx := context.Background()
		run(t, s, func(ts []*followup.Task) (errs []error, err error) {
			err = pgx.BeginFunc(ctx, s.DB(), func(tx pgx.Tx) error {
				errs, err = followup.CreateTasks(ctx, s.WithTx(tx).Followups(), ts)
				if err != nil {
					return err
				}
				// The transaction is still usable after the batch.
				_, err = tx.Exec(ctx, "SELECT 1")
				return err
			})
			return errs, err
		})
	})
	t.Run("F1_other_db", func(t *testing.T) {
		s, _ := openStore(t)
		run(t, s, func(ts []*followup.Task) ([]error, error) {
			return followup.CreateTasks(context.Background(), New(plainDB{s.DB()}).Followups(), ts)
		})
	})
	t.Run("F1_two_imports_in_one_caller_transaction", func(t *testing.T) {
		// Each batch meets a stored task, so each is staged in the
		// temporary table: the second finds none left by the first (a
		// caller's transaction does not commit in between, so ON COMMIT
		// DROP alone would leave it).
		s, _ := openStore(t)
		ctx := context.Background()
		err := pgx.BeginFunc(ctx, s.DB(), func(tx pgx.Tx) error {
			st := s.WithTx(tx).Followups()
			for round := range 3 {
				first := round * 1000
				if err := st.Create(ctx, followuptest.NewTask(workerDesk, first, at)); err != nil {
					return err
				}
				var ts []*followup.Task
				for i := range 2 * copyAtLeast {
					ts = append(ts, followuptest.NewTask(workerDesk, first+i, at))
				}
				errs, err := followup.CreateTasks(ctx, st, ts)
				if err != nil {
					return fmt.Errorf("import %d: %w", round, err)
				}
				for i, e := range errs {
					if (i == 0) != errors.Is(e, followup.ErrDuplicate) || (i > 0 && e != nil) {
						t.Errorf("import %d, entry %d: %v", round, i, e)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.DB().QueryRow(ctx, `SELECT count(*) FROM desk_followups WHERE desk = $1`, workerDesk).Scan(&n); err != nil || n != 3*2*copyAtLeast {
			t.Fatalf("%d tasks stored, %v; want %d", n, err, 3*2*copyAtLeast)
		}
	})
	t.Run("F1_refused_tasks_skipped_by_the_copy", func(t *testing.T) {
		// Nothing stored yet: the COPY goes straight into the table and
		// leaves out the refused tasks and the second copy of a task.
		s, _ := openStore(t)
		ctx := context.Background()
		n := 2 * copyAtLeast
		var ts []*followup.Task
		for i := range n {
			x := followuptest.NewTask(workerDesk, i, at)
			if i%5 == 3 {
				x.Desk = ""
			}
			ts = append(ts, x)
		}
		ts = append(ts, followuptest.NewTask(workerDesk, 0, at))
		errs, err := followup.CreateTasks(ctx, s.Followups(), ts)
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range errs {
			var want error
			switch {
			case i == n:
				want = followup.ErrDuplicate
			case i%5 == 3:
				want = followup.ErrInvalid
			}
			if (want == nil) != (e == nil) || (want != nil && !errors.Is(e, want)) {
				t.Errorf("entry %d: %v, want %v", i, e, want)
			}
			if _, gerr := s.Followups().Get(ctx, workerDesk, ts[i].ID); i < n && (gerr == nil) != (want == nil) {
				t.Errorf("task %d: stored %v, want %v", i, gerr == nil, want == nil)
			}
		}
	})
	t.Run("F1_concurrent_batches_create_each_task_once", func(t *testing.T) {
		s, _ := openStore(t)
		ctx := context.Background()
		const n, racers = 4 * copyAtLeast, 4
		var wg sync.WaitGroup
		created := make([]int, n)
		var mu sync.Mutex
		for range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ts := make([]*followup.Task, n)
				for i := range ts {
					ts[i] = followuptest.NewTask(workerDesk, i, at)
				}
				errs, err := followup.CreateTasks(ctx, s.Followups(), ts)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				for i, e := range errs {
					switch {
					case e == nil:
						created[i]++
					case !errors.Is(e, followup.ErrDuplicate):
						t.Errorf("task %d: %v", i, e)
					}
				}
			}()
		}
		wg.Wait()
		for i, c := range created {
			if c != 1 {
				t.Errorf("task %d created %d times", i, c)
			}
		}
	})
}
