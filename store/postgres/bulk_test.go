package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

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
