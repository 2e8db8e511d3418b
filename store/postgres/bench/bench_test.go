package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store/postgres"
	"github.com/servicedesk-go/desk/ticket"
)

const (
	desk    = "bench"
	workers = 8 // on both sides: 8 tasks in flight at most
)

// pool returns a pool on a fresh schema of DESK_TEST_POSTGRES (the
// benchmarks skip without it); the schema is dropped at the end.
func pool(b *testing.B, name string) *pgxpool.Pool {
	b.Helper()
	url := os.Getenv("DESK_TEST_POSTGRES")
	if url == "" {
		b.Skip("DESK_TEST_POSTGRES is unset")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("desk_bench_%s_%d", name, os.Getpid())
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	id := pgx.Identifier{schema}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+id+" CASCADE; CREATE SCHEMA "+id); err != nil {
		b.Fatal(err)
	}
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	cfg, err := pgxpool.ParseConfig(url + sep + "search_path=" + schema)
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns = 2 * workers
	p, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		p.Close()
		if c, err := pgx.Connect(ctx, url); err == nil {
			_, _ = c.Exec(ctx, "DROP SCHEMA "+id+" CASCADE")
			c.Close(ctx)
		}
	})
	return p
}

// deskStore is the adapter on its own schema, and its pool.
func deskStore(b *testing.B) (*postgres.Store, *pgxpool.Pool) {
	p := pool(b, "desk")
	s := postgres.New(p)
	if err := s.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	return s, p
}

// noop is river's job: the work is nothing, as for the follow-ups, so
// both sides measure the queue.
type noop struct {
	N int `json:"n"`
}

func (noop) Kind() string { return "noop" }

type noopWorker struct {
	river.WorkerDefaults[noop]
	done atomic.Int64
	all  chan struct{}
	want int64
}

func (w *noopWorker) Work(ctx context.Context, job *river.Job[noop]) error {
	if w.done.Add(1) == w.want {
		close(w.all)
	}
	return nil
}

// riverSide is a river client on its own schema, with 8 workers on one
// queue and the shortest fetch intervals river allows, so it is not
// slowed by polling.
type riverSide struct {
	pool *pgxpool.Pool
	w    *noopWorker
}

func newRiver(b *testing.B) *riverSide {
	p := pool(b, "river")
	m, err := rivermigrate.New(riverpgxv5.New(p), nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := m.Migrate(context.Background(), rivermigrate.DirectionUp, nil); err != nil {
		b.Fatal(err)
	}
	return &riverSide{pool: p}
}

func (r *riverSide) client(b *testing.B, want int) *river.Client[pgx.Tx] {
	r.w = &noopWorker{all: make(chan struct{}), want: int64(want)}
	ws := river.NewWorkers()
	river.AddWorker(ws, r.w)
	c, err := river.NewClient(riverpgxv5.New(r.pool), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: workers}},
		Workers:           ws,
		FetchCooldown:     river.FetchCooldownMin,
		FetchPollInterval: 10 * time.Millisecond,
		Logger:            slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func jobs(n int) []river.InsertManyParams {
	ps := make([]river.InsertManyParams, n)
	for i := range ps {
		ps[i] = river.InsertManyParams{Args: noop{N: i}}
	}
	return ps
}

// work runs n jobs through river: inserted first, then the client
// started; the time is from the start to the last job's end.
func (r *riverSide) work(b *testing.B, n int) time.Duration {
	ctx := context.Background()
	c := r.client(b, n)
	if _, err := c.InsertMany(ctx, jobs(n)); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := c.Start(ctx); err != nil {
		b.Fatal(err)
	}
	select {
	case <-r.w.all:
	case <-time.After(5 * time.Minute):
		b.Fatal("river did not finish")
	}
	d := time.Since(start)
	if err := c.Stop(ctx); err != nil {
		b.Fatal(err)
	}
	return d
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

func create(b *testing.B, s *postgres.Store, ts []*followup.Task) {
	errs, err := followup.CreateTasks(context.Background(), s.Followups(), ts)
	if err != nil {
		b.Fatal(err)
	}
	if err := errors.Join(errs...); err != nil {
		b.Fatal(err)
	}
}

// work runs n follow-ups through followup.Queue, as a user's workers do:
// 8 workers, each claiming one task and completing it (Get, checks,
// write), until all are done.
func queueWork(b *testing.B, s *postgres.Store, n int) time.Duration {
	ctx := context.Background()
	create(b, s, tasks(n))
	q, err := followup.NewQueue(s.Followups(), followup.QueueConfig{Desk: desk, Calendar: followup.AnyTime{}})
	if err != nil {
		b.Fatal(err)
	}
	var done atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			me := ticket.Actor{ID: fmt.Sprint("w", w), Role: ticket.RoleAgent}
			for done.Load() < int64(n) {
				ts, err := q.Claim(ctx, me.ID, "", 1)
				if err != nil {
					errc <- err
					return
				}
				if len(ts) == 0 {
					time.Sleep(time.Millisecond)
					continue
				}
				if _, err := q.Complete(ctx, ts[0], followup.Outcome{Result: followup.Reached, By: me}); err != nil {
					errc <- err
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	d := time.Since(start)
	close(errc)
	if err := <-errc; err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkQueueWorkers: 8 workers on followup.Queue against river with
// 8 workers, the same number of tasks, in alternating rounds; fsync is
// the server's (on). tasks/s is the Queue's rate, river-tasks/s river's.
func BenchmarkQueueWorkers(b *testing.B) {
	const n, rounds = 3000, 2
	s, _ := deskStore(b)
	r := newRiver(b)
	var ours, theirs time.Duration
	for b.Loop() {
		for round := range rounds {
			if round%2 == 0 {
				ours += queueWork(b, s, n)
				theirs += r.work(b, n)
			} else {
				theirs += r.work(b, n)
				ours += queueWork(b, s, n)
			}
		}
	}
	total := float64(b.N * rounds * n)
	b.ReportMetric(total/ours.Seconds(), "tasks/s")
	b.ReportMetric(total/theirs.Seconds(), "river-tasks/s")
}

// BenchmarkInsertMany: followup.CreateTasks (the adapter's one-statement
// CreateBatch) against river's InsertMany, 5,000 at a time, alternating.
func BenchmarkInsertMany(b *testing.B) {
	const n, rounds = 5000, 4
	ctx := context.Background()
	s, _ := deskStore(b)
	r := newRiver(b)
	c := r.client(b, 0)
	var ours, theirs time.Duration
	for b.Loop() {
		for round := range rounds {
			ts, js := tasks(n), jobs(n)
			t0 := time.Now()
			if round%2 == 0 {
				create(b, s, ts)
			} else if _, err := c.InsertMany(ctx, js); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			if round%2 == 0 {
				if _, err := c.InsertMany(ctx, js); err != nil {
					b.Fatal(err)
				}
			} else {
				create(b, s, ts)
			}
			t2 := time.Now()
			if round%2 == 0 {
				ours, theirs = ours+t1.Sub(t0), theirs+t2.Sub(t1)
			} else {
				theirs, ours = theirs+t1.Sub(t0), ours+t2.Sub(t1)
			}
		}
	}
	total := float64(b.N * rounds * n)
	b.ReportMetric(total/ours.Seconds(), "tasks/s")
	b.ReportMetric(total/theirs.Seconds(), "river-tasks/s")
}

// sqlWork is the best hand-written SQL for the effect of queueWork on
// the adapter's table, written here without the adapter's statements: 8
// workers, each claiming the earliest ready task with one UPDATE over a
// FOR UPDATE SKIP LOCKED subquery, then marking it done with one UPDATE
// that checks the lease token. It keeps the rows' columns right but
// writes no outcome into the body (less work than the adapter does).
func sqlWork(b *testing.B, s *postgres.Store, p *pgxpool.Pool, n int) time.Duration {
	ctx := context.Background()
	create(b, s, tasks(n))
	var done atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := fmt.Sprint("w", w)
			for done.Load() < int64(n) {
				now := time.Now().UnixNano()
				token := uuid.New()
				var id uuid.UUID
				err := p.QueryRow(ctx, `
UPDATE desk_followups SET status = 'claimed', version = version + 1, lease_owner = $3, lease_token = $4,
    lease_expires = $5, ready_at = $5, owner = $3, updated_at = $2
WHERE id = (SELECT id FROM desk_followups WHERE desk = $1 AND ready_at IS NOT NULL AND ready_at <= $2
            ORDER BY ready_at, due, id LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING id`, desk, now, owner, token, now+int64(15*time.Minute)).Scan(&id)
				if errors.Is(err, pgx.ErrNoRows) {
					time.Sleep(time.Millisecond)
					continue
				}
				if err != nil {
					errc <- err
					return
				}
				tag, err := p.Exec(ctx, `
UPDATE desk_followups SET status = 'done', version = version + 1, ready_at = NULL, closed_at = $3, updated_at = $3,
    lease_owner = '', lease_token = NULL
WHERE id = $1 AND status = 'claimed' AND lease_token = $2 AND lease_expires > $3`, id, token, time.Now().UnixNano())
				if err != nil || tag.RowsAffected() != 1 {
					errc <- fmt.Errorf("complete %s: %d rows, %v", id, tag.RowsAffected(), err)
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	d := time.Since(start)
	close(errc)
	if err := <-errc; err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkClaimSQL: followup.Queue workers against the hand-written
// SQL of sqlWork, the same number of tasks, alternating rounds.
// tasks/s is the Queue's rate, sql-tasks/s the hand-written one's.
func BenchmarkClaimSQL(b *testing.B) {
	const n, rounds = 3000, 2
	s, p := deskStore(b)
	var ours, theirs time.Duration
	for b.Loop() {
		for round := range rounds {
			if round%2 == 0 {
				ours += queueWork(b, s, n)
				theirs += sqlWork(b, s, p, n)
			} else {
				theirs += sqlWork(b, s, p, n)
				ours += queueWork(b, s, n)
			}
		}
	}
	total := float64(b.N * rounds * n)
	b.ReportMetric(total/ours.Seconds(), "tasks/s")
	b.ReportMetric(total/theirs.Seconds(), "sql-tasks/s")
}
