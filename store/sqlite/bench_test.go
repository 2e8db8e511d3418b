package sqlite

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/ticket"
)

// BenchmarkTransition: one ticket transition (ticket row, history event,
// outbox entry, one durable commit) per op.
func BenchmarkTransition(b *testing.B) {
	s, _ := openStore(b)
	ctx := context.Background()
	cur, ev := newTicket("north", 1)
	if err := s.Tickets().Create(ctx, cur, []ticket.Event{ev}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		n, nev := next(cur, ticket.Received, "step")
		if err := s.Tickets().Update(ctx, n, nev); err != nil {
			b.Fatal(err)
		}
		cur = n
	}
}

// BenchmarkFollowupThroughput: 8 goroutines claim and complete due
// tasks; one op is one task claimed and completed. "single" claims one
// and completes it (a commit per completion); "batch" claims 128 and
// completes them with CompleteBatch (one commit per batch).
func BenchmarkFollowupThroughput(b *testing.B) {
	for _, mode := range []struct {
		name  string
		batch int
	}{{"single", 1}, {"batch", 128}} {
		b.Run(mode.name, func(b *testing.B) {
			s, _ := openStore(b)
			ctx := context.Background()
			err := s.atomic(ctx, func(db DB) error {
				in := &Store{db: db, tx: nil}
				in.bind()
				for i := range b.N {
					t := followuptest.NewTask("north", i, followuptest.T0.Add(time.Duration(i)))
					if err := in.Followups().Create(ctx, t); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			start := time.Now()
			var completed atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for w := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					name := fmt.Sprint("w", w)
					fs := s.followups
					now := followuptest.T0.Add(time.Hour)
					for completed.Load() < int64(b.N) {
						got, err := fs.Claim(ctx, "north", followup.Claim{Owner: name, Token: uuid.New(), Now: now, For: time.Hour, Limit: mode.batch})
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
							d.Status, d.ClosedAt = followup.Done, now
							d.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: name, Role: c.Role}, At: now}
							items[i] = Completion{Task: d, Held: c.Lease}
						}
						res, err := fs.CompleteBatch(ctx, items, now)
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
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tasks/s")
		})
	}
}
