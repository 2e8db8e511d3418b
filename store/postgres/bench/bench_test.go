package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store/postgres"
	"github.com/servicedesk-go/desk/ticket"
)

const (
	desk    = "bench"
	workers = 8 // on every side: 8 tasks in flight at most
)

// pool returns a pool on a fresh schema of DESK_TEST_POSTGRES (the
// benchmarks skip without it); the schema is dropped at the end.
func pool(tb testing.TB, name string) *pgxpool.Pool {
	tb.Helper()
	url := os.Getenv("DESK_TEST_POSTGRES")
	if url == "" {
		tb.Skip("DESK_TEST_POSTGRES is unset")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("desk_bench_%s_%d", name, os.Getpid())
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(ctx)
	id := pgx.Identifier{schema}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+id+" CASCADE; CREATE SCHEMA "+id); err != nil {
		tb.Fatal(err)
	}
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	cfg, err := pgxpool.ParseConfig(url + sep + "search_path=" + schema)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.MaxConns = 2 * workers
	p, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		p.Close()
		if c, err := pgx.Connect(ctx, url); err == nil {
			_, _ = c.Exec(ctx, "DROP SCHEMA "+id+" CASCADE")
			c.Close(ctx)
		}
	})
	return p
}

// deskStore is the adapter on its own schema, and its pool.
func deskStore(tb testing.TB) (*postgres.Store, *pgxpool.Pool) {
	p := pool(tb, "desk")
	s := postgres.New(p)
	if err := s.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return s, p
}

var taskSeq atomic.Int64

// tasks returns n follow-ups ready now: a phone call each, no checklist.
func tasks(n int) []*followup.Task {
	at := time.Now().Add(-time.Hour)
	ts := make([]*followup.Task, n)
	for i := range ts {
		key := fmt.Sprint("bench:", taskSeq.Add(1))
		ts[i] = &followup.Task{ID: followup.TaskID(desk, key, "F7.call"), Desk: desk, Rule: "F7.call", Cites: "F7",
			Trigger: followup.TicketAnswered, Key: key, Subject: "customer", Channel: followup.Phone,
			Role: ticket.RoleAgent, TriggeredAt: at, NotBefore: at, Due: at.Add(24 * time.Hour),
			MaxAttempts: 1, Status: followup.Pending, CreatedAt: at, UpdatedAt: at}
	}
	return ts
}

// create stores ts through the public bulk path (followup.CreateTasks).
func create(tb testing.TB, s *postgres.Store, ts []*followup.Task) {
	errs, err := followup.CreateTasks(context.Background(), s.Followups(), ts)
	if err != nil {
		tb.Fatal(err)
	}
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
}

// runWorkers runs step in 8 goroutines (worker w = 0..7) until n tasks
// are done, and returns the time it took. step reports how many tasks
// it finished; none means nothing was ready, and the worker pauses for a
// millisecond.
func runWorkers(tb testing.TB, n int, step func(w int) (int, error)) time.Duration {
	var done atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for done.Load() < int64(n) {
				k, err := step(w)
				if err != nil {
					errc <- err
					return
				}
				if k == 0 {
					time.Sleep(time.Millisecond)
				}
				done.Add(int64(k))
			}
		}()
	}
	wg.Wait()
	d := time.Since(start)
	close(errc)
	if err := <-errc; err != nil {
		tb.Fatal(err)
	}
	return d
}

// interleave runs ours and theirs rounds times per benchmark iteration,
// alternating which goes first, and reports n tasks per call of each as
// tasks/s (ours) and unit (theirs).
func interleave(b *testing.B, n, rounds int, unit string, ours, theirs func() time.Duration) {
	var tOurs, tTheirs time.Duration
	for b.Loop() {
		for round := range rounds {
			if round%2 == 0 {
				tOurs += ours()
				tTheirs += theirs()
			} else {
				tTheirs += theirs()
				tOurs += ours()
			}
		}
	}
	total := float64(b.N * rounds * n)
	b.ReportMetric(total/tOurs.Seconds(), "tasks/s")
	b.ReportMetric(total/tTheirs.Seconds(), unit)
}

// queueWork runs n follow-ups through followup.Queue, as a user's
// workers do: 8 workers, each holding one task at a time (river's 8
// workers hold one job each): a worker claims a task, then completes
// it and claims its next in one Queue.CompleteAndClaim (the checks, the
// write, the next lease) until all are done. Creating them is not timed.
func queueWork(tb testing.TB, s *postgres.Store, n int) time.Duration {
	ctx := context.Background()
	create(tb, s, tasks(n))
	q, err := followup.NewQueue(s.Followups(), followup.QueueConfig{Desk: desk, Calendar: followup.AnyTime{}})
	if err != nil {
		tb.Fatal(err)
	}
	held := make([][]*followup.Task, workers) // worker w's claimed task; only w touches held[w]
	return runWorkers(tb, n, func(w int) (int, error) {
		me := ticket.Actor{ID: fmt.Sprint("w", w), Role: ticket.RoleAgent}
		if len(held[w]) == 0 {
			ts, err := q.Claim(ctx, me.ID, "", 1)
			if err != nil || len(ts) == 0 {
				return 0, err
			}
			held[w] = ts
		}
		_, next, err := q.CompleteAndClaim(ctx, held[w][0], followup.Outcome{Result: followup.Reached, By: me}, me.ID, "", 1)
		held[w] = next
		if err != nil {
			return 0, err
		}
		return 1, nil
	})
}
