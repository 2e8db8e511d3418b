package bench

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

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

func newRiver(tb testing.TB) *riverSide {
	p := pool(tb, "river")
	m, err := rivermigrate.New(riverpgxv5.New(p), nil)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := m.Migrate(context.Background(), rivermigrate.DirectionUp, nil); err != nil {
		tb.Fatal(err)
	}
	return &riverSide{pool: p}
}

func (r *riverSide) client(tb testing.TB, want int) *river.Client[pgx.Tx] {
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
		tb.Fatal(err)
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

// work runs n jobs through river: the client started and idle first
// (its start-up is not timed, as building the Queue is not timed on the
// other side), then the jobs inserted; the time is from the insert's
// commit to the last job's end.
func (r *riverSide) work(tb testing.TB, n int) time.Duration {
	ctx := context.Background()
	c := r.client(tb, n)
	if err := c.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	js := jobs(n)
	if _, err := c.InsertMany(ctx, js); err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	select {
	case <-r.w.all:
	case <-time.After(5 * time.Minute):
		tb.Fatal("river did not finish")
	}
	d := time.Since(start)
	if err := c.Stop(ctx); err != nil {
		tb.Fatal(err)
	}
	return d
}

// BenchmarkQueueWorkers: 8 workers on followup.Queue against river with
// 8 workers, the same number of tasks, in alternating rounds; fsync is
// the server's (on). tasks/s is the Queue's rate, river-tasks/s river's.
func BenchmarkQueueWorkers(b *testing.B) {
	const n, rounds = 3000, 4
	s, _ := deskStore(b)
	r := newRiver(b)
	interleave(b, n, rounds, "river-tasks/s",
		func() time.Duration { return queueWork(b, s, n) },
		func() time.Duration { return r.work(b, n) })
}

// BenchmarkInsertMany: followup.CreateTasks (the adapter's CreateBatch)
// against river's InsertMany, 5,000 at a time, alternating.
func BenchmarkInsertMany(b *testing.B) {
	const n, rounds = 5000, 6
	ctx := context.Background()
	s, _ := deskStore(b)
	r := newRiver(b)
	c := r.client(b, 0)
	interleave(b, n, rounds, "river-tasks/s",
		func() time.Duration {
			ts := tasks(n)
			start := time.Now()
			create(b, s, ts)
			return time.Since(start)
		},
		func() time.Duration {
			js := jobs(n)
			start := time.Now()
			if _, err := c.InsertMany(ctx, js); err != nil {
				b.Fatal(err)
			}
			return time.Since(start)
		})
}
