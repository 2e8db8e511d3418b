package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/store/sqlstore"
	"github.com/servicedesk-go/desk/ticket"
)

// seedBulk inserts n pending tasks of the worker desk with COPY, for
// benchmarks that need many tasks quickly.
func seedBulk(tb testing.TB, s *Store, n int, notBefore time.Time) {
	tb.Helper()
	rows := make([][]any, n)
	for i := range n {
		t := followuptest.NewTask(workerDesk, i, notBefore.Add(time.Duration(i)))
		t.Version = 1
		body, err := json.Marshal(t)
		if err != nil {
			tb.Fatal(err)
		}
		c := sqlstore.TaskColumnsOf(t)
		rows[i] = []any{t.ID, t.Desk, int64(1), c.Status, c.Role, c.Ready, c.Due, c.Ticket, c.Rule, c.Subject, c.Owner,
			c.Closed, c.Updated, c.LeaseOwner, c.LeaseToken, c.LeaseExpires, body}
	}
	_, err := s.DB().CopyFrom(context.Background(), pgx.Identifier{"desk_followups"},
		[]string{"id", "desk", "version", "status", "role", "ready_at", "due", "ticket_id", "rule", "subject", "owner",
			"closed_at", "updated_at", "lease_owner", "lease_token", "lease_expires", "body"}, pgx.CopyFromRows(rows))
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
	for _, mode := range []struct {
		name  string
		batch int
	}{{"single", 1}, {"batch", 128}} {
		b.Run(mode.name, func(b *testing.B) {
			s, _ := openStore(b)
			seedBulk(b, s, b.N, time.Now().Add(-time.Hour))
			b.ResetTimer()
			start := time.Now()
			if err := drain(s, 8, mode.batch, b.N); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tasks/s")
		})
	}
}

// drain runs workers until total tasks are done, and checks that each
// task was completed once.
func drain(s *Store, workers, batch, total int) error {
	ctx := context.Background()
	var completed atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("w%d", w)
			fs := s.followups
			for completed.Load() < int64(total) {
				now := time.Now()
				got, err := fs.Claim(ctx, workerDesk, followup.Claim{Owner: name, Token: uuid.New(), Now: now, For: time.Minute, Limit: batch})
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					time.Sleep(time.Millisecond)
					continue
				}
				items := make([]Completion, len(got))
				for i, c := range got {
					d := c.Clone()
					d.Status, d.ClosedAt, d.UpdatedAt = followup.Done, now, now
					d.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: name, Role: c.Role}, At: now}
					items[i] = Completion{Task: d, Held: c.Lease}
				}
				if batch == 1 {
					if err := fs.Complete(ctx, items[0].Task, items[0].Held, time.Now()); err != nil {
						errs <- err
						return
					}
					completed.Add(1)
					continue
				}
				res, err := fs.CompleteBatch(ctx, items, time.Now())
				if err != nil {
					errs <- err
					return
				}
				for _, e := range res {
					if e != nil {
						errs <- e
						return
					}
				}
				completed.Add(int64(len(items)))
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	var done int
	if err := s.DB().QueryRow(ctx, `SELECT count(*) FROM desk_followups WHERE status = 'done' AND version = 3`).Scan(&done); err != nil {
		return err
	}
	if done != total || completed.Load() != int64(total) {
		return errors.New(fmt.Sprint(done, " tasks done at version 3, ", completed.Load(), " completions; want ", total))
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
