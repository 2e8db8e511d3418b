package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/ticket"
)

// The scale benchmark's shape: 8 workers, and per round this many
// ticket transitions and follow-ups (create is seeded; claim + complete
// is timed) on each layout.
const (
	scaleWorkers    = 8
	scaleOps        = 800
	scalePartitions = 16
)

// BenchmarkDeskScale compares the partitioned layout (PARTITION BY HASH
// (desk), 16 partitions) with plain tables, on the public path: ticket
// transitions through Tickets.Update (one statement writing the ticket,
// its history row and its outbox row) and follow-ups claimed and
// completed through Followups.Claim and Complete, by 8 workers, with the
// work spread over 1, 100 and 1,000 desks. Each round runs both layouts
// one after the other, alternating which goes first, on schemas seeded
// alike. Metrics: plain- and part- transitions/s and followups/s.
func BenchmarkDeskScale(b *testing.B) {
	for _, desks := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("desks=%d", desks), func(b *testing.B) {
			layouts := []*scaleLayout{
				{name: "plain", s: openLayout(b, MigrateOptions{})},
				{name: "part", s: openLayout(b, MigrateOptions{Partitions: scalePartitions})},
			}
			for _, l := range layouts {
				l.seed(b, desks, b.N*(scaleOps+scaleWorkers))
			}
			b.ResetTimer()
			for round := range b.N {
				for i := range layouts {
					l := layouts[(i+round)%len(layouts)]
					l.transitions(b, desks)
					l.followups(b, desks)
				}
			}
			b.StopTimer()
			for _, l := range layouts {
				b.ReportMetric(float64(l.nTrans)/l.tTrans.Seconds(), l.name+"-transitions/s")
				b.ReportMetric(float64(l.nTasks)/l.tTasks.Seconds(), l.name+"-followups/s")
			}
		})
	}
}

// openLayout opens a store on a fresh schema migrated with o.
func openLayout(b *testing.B, o MigrateOptions) *Store {
	b.Helper()
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(freshSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns = scaleWorkers + 2
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	s := New(pool)
	s.pool = pool
	b.Cleanup(func() { s.Close() })
	if err := s.MigrateWith(ctx, o); err != nil {
		b.Fatal(err)
	}
	return s
}

type scaleLayout struct {
	name    string
	s       *Store
	tickets [][]*ticket.Ticket // per worker, the tickets it moves
	next    []int
	nTrans  int
	tTrans  time.Duration
	nTasks  int
	tTasks  time.Duration
	cursor  atomic.Int64 // the next desk a follow-up worker claims on
}

// seed creates max(desks, 64) tickets spread over the desks, and tasks
// due now spread over the desks.
func (l *scaleLayout) seed(b *testing.B, desks, tasks int) {
	b.Helper()
	ctx := context.Background()
	l.tickets = make([][]*ticket.Ticket, scaleWorkers)
	l.next = make([]int, scaleWorkers)
	for i := range max(desks, 64) {
		t, ev := newTicket(fmt.Sprintf("desk-%04d", i%desks), i)
		if err := l.s.Tickets().Create(ctx, t, []ticket.Event{ev}); err != nil {
			b.Fatal(err)
		}
		l.tickets[i%scaleWorkers] = append(l.tickets[i%scaleWorkers], t)
	}
	ts := make([]*followup.Task, tasks)
	due := time.Now().Add(-time.Hour)
	for i := range ts {
		ts[i] = followuptest.NewTask(fmt.Sprintf("desk-%04d", i%desks), i, due)
	}
	errs, err := followup.CreateTasks(ctx, l.s.Followups(), ts)
	if err == nil {
		err = errors.Join(errs...)
	}
	if err != nil {
		b.Fatal(err)
	}
	if _, err := l.s.DB().Exec(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
}

// transitions moves scaleOps tickets one version on, each worker its own
// tickets in turn.
func (l *scaleLayout) transitions(b *testing.B, desks int) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, scaleWorkers)
	start := time.Now()
	for w := range scaleWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := l.tickets[w]
			for range scaleOps / scaleWorkers {
				i := l.next[w] % len(mine)
				l.next[w]++
				n, ev := next(mine[i], ticket.Dispatched, "on it")
				if err := l.s.Tickets().Update(ctx, n, ev); err != nil {
					errs <- err
					return
				}
				mine[i] = n
			}
		}()
	}
	wg.Wait()
	l.tTrans += time.Since(start)
	l.nTrans += scaleOps / scaleWorkers * scaleWorkers
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
}

// followups claims and completes scaleOps tasks, one at a time, the
// workers going round the desks together (the tasks are spread over the
// desks in the same order).
func (l *scaleLayout) followups(b *testing.B, desks int) {
	ctx := context.Background()
	var done atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, scaleWorkers)
	start := time.Now()
	for w := range scaleWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("w%d", w)
			for done.Load() < scaleOps {
				desk := fmt.Sprintf("desk-%04d", (l.cursor.Add(1)-1)%int64(desks))
				now := time.Now()
				got, err := l.s.Followups().Claim(ctx, desk, followup.Claim{Owner: name, Token: uuid.New(), Now: now, For: time.Minute, Limit: 1})
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					continue
				}
				d := got[0].Clone()
				d.Status, d.ClosedAt, d.UpdatedAt = followup.Done, now, now
				d.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: name, Role: d.Role}, At: now}
				if err := l.s.Followups().Complete(ctx, d, got[0].Lease, time.Now()); err != nil {
					errs <- err
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	l.tTasks += time.Since(start)
	l.nTasks += int(done.Load())
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
}
