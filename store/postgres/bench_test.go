package postgres

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/store/sqlstore/sqlstoretest"
)

// seedBulk creates n pending tasks of the worker desk through the bulk
// path (followup.CreateTasks), for benchmarks that need many tasks
// quickly.
func seedBulk(tb testing.TB, s *Store, n int, notBefore time.Time) {
	tb.Helper()
	ts := make([]*followup.Task, n)
	for i := range ts {
		ts[i] = followuptest.NewTask(workerDesk, i, notBefore.Add(time.Duration(i)))
	}
	errs, err := followup.CreateTasks(context.Background(), s.Followups(), ts)
	if err == nil {
		err = errors.Join(errs...)
	}
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkFollowupThroughput: 8 workers claim and complete due tasks
// with the real clock and the server's default durability (fsync on,
// synchronous_commit on); one op is one task claimed and completed.
// "batch" claims up to 128 rows per SKIP LOCKED statement and completes
// them with CompleteBatch (one commit per batch, written before it is
// acknowledged); "single" claims one row and completes it with Complete
// (one commit per completion), the baseline. The tasks/s metric is the
// rate.
func BenchmarkFollowupThroughput(b *testing.B) {
	sqlstoretest.Throughput(b, func(b *testing.B, limit int) func() error {
		s, _ := openStore(b)
		seedBulk(b, s, b.N, time.Now().Add(-time.Hour))
		return func() error { return drain(s, 8, limit, b.N) }
	})
}

// drain runs workers until total tasks are done (sqlstoretest.Drain,
// on the real clock), and checks that each task was completed once.
func drain(s *Store, workers, batch, total int) error {
	ctx := context.Background()
	completed, err := sqlstoretest.Drain(ctx, s, workerDesk, workers, batch, total, time.Now)
	if err != nil {
		return err
	}
	var done int
	if err := s.DB().QueryRow(ctx, `SELECT count(*) FROM desk_followups WHERE status = 'done' AND version = 3`).Scan(&done); err != nil {
		return err
	}
	if done != total || completed != int64(total) {
		return fmt.Errorf("%d tasks done at version 3, %d completions; want %d", done, completed, total)
	}
	return nil
}

// TestThroughputDrain is the correctness side of the throughput
// benchmark, small enough for every run: 8 workers with batch claims and
// batch completions finish 3,000 tasks, each exactly once.
func TestThroughputDrain(t *testing.T) {
	s, _ := openStore(t)
	seedBulk(t, s, 3000, time.Now().Add(-time.Hour))
	if err := drain(s, 8, 128, 3000); err != nil {
		t.Fatal(err)
	}
}
