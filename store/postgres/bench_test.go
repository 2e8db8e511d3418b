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

// The adapter benchmarks run each operation twice in the same run:
// through the adapter, and as the same statements issued by hand with
// raw pgx (the baseline). The target is adapter throughput of at least
// 70 % of raw, i.e. ns/op(raw) / ns/op(adapter) >= 0.7.
//
// BenchmarkTransition and BenchmarkClaim run the two sides one after
// the other, each on a fresh schema; they show B/op and allocs/op per
// side, but their times drift with the server (checkpoints, other load
// on the machine). BenchmarkTransitionShare and BenchmarkClaimShare
// alternate the sides op by op on the same data and report the ratio
// ("share"); read the target from those.

// BenchmarkTransition: one ticket transition (ticket row, history event,
// outbox entry) per op.
// Each side gets its own schema, so neither inherits the other's dead rows.
func BenchmarkTransition(b *testing.B) {
	ctx := context.Background()
	setup := func(b *testing.B) (*Store, *ticket.Ticket) {
		s, _ := openStore(b)
		tk, ev := newTicket("north", 1)
		if err := s.Tickets().Create(ctx, tk, []ticket.Event{ev}); err != nil {
			b.Fatal(err)
		}
		return s, tk
	}
	b.Run("raw", func(b *testing.B) {
		s, cur := setup(b)
		pool := s.DB()
		for b.Loop() {
			n, nev := next(cur, ticket.Received, "step")
			body, _ := json.Marshal(n)
			evBody, _ := json.Marshal(nev)
			k := sqlstore.KeysOf(n)
			tag, err := pool.Exec(ctx, updateTicketSQL, n.ID, n.Desk, n.Version, k.State, k.Kind, k.Owner, k.Assignee,
				k.Customer, k.Class, k.Severity, k.Incomplete, k.NextDue, k.Received, k.Updated, body,
				n.Number, nev.ID, evBody)
			if err != nil || tag.RowsAffected() != 1 {
				b.Fatal(err, tag)
			}
			cur = n
		}
	})
	b.Run("adapter", func(b *testing.B) {
		s, cur := setup(b)
		ts := s.Tickets()
		for b.Loop() {
			n, nev := next(cur, ticket.Received, "step")
			if err := ts.Update(ctx, n, nev); err != nil {
				b.Fatal(err)
			}
			cur = n
		}
	})
}

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
		c := colsOf(t)
		rows[i] = []any{t.ID, t.Desk, int64(1), c.status, c.role, c.ready, c.due, c.ticket, c.rule, c.subject, c.owner,
			c.closed, c.updated, c.leaseOwner, c.leaseToken, c.leaseExpires, body}
	}
	_, err := s.DB().CopyFrom(context.Background(), pgx.Identifier{"desk_followups"},
		[]string{"id", "desk", "version", "status", "role", "ready_at", "due", "ticket_id", "rule", "subject", "owner",
			"closed_at", "updated_at", "lease_owner", "lease_token", "lease_expires", "body"}, pgx.CopyFromRows(rows))
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkClaim: one claim of one task per op. The 1,000 tasks cycle:
// each op claims at a later time, so earlier leases have expired and
// their tasks are ready again.
func BenchmarkClaim(b *testing.B) {
	ctx := context.Background()
	const lease = time.Minute
	setup := func(b *testing.B) (*Store, time.Time) {
		s, _ := openStore(b)
		seedBulk(b, s, 1000, followuptest.T0)
		return s, followuptest.T0.Add(time.Hour)
	}
	b.Run("raw", func(b *testing.B) {
		s, now := setup(b)
		pool := s.DB()
		for b.Loop() {
			now = now.Add(lease)
			rows, err := pool.Query(ctx, claimSQL, workerDesk, nanos(now), "", 1, "bench", uuid.New(), nanos(now.Add(lease)))
			if err != nil {
				b.Fatal(err)
			}
			got := 0
			for rows.Next() {
				var ready, due int64
				var r rowRest
				if err := rows.Scan(&ready, &due, &r.version, &r.status, &r.updated, &r.leaseOwner, &r.token, &r.expires, &r.body); err != nil {
					b.Fatal(err)
				}
				var t followup.Task
				if err := json.Unmarshal(r.body, &t); err != nil {
					b.Fatal(err)
				}
				got++
			}
			rows.Close()
			if got != 1 {
				b.Fatalf("claimed %d", got)
			}
		}
	})
	b.Run("adapter", func(b *testing.B) {
		s, now := setup(b)
		fs := s.followups
		for b.Loop() {
			now = now.Add(lease)
			got, err := fs.Claim(ctx, workerDesk, followup.Claim{Owner: "bench", Token: uuid.New(), Now: now, For: lease, Limit: 1})
			if err != nil || len(got) != 1 {
				b.Fatal(len(got), err)
			}
		}
	})
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

// pair alternates a raw op and an adapter op on the same data, so both
// see the same table and server state (checkpoints, other load), and
// reports each one's mean time and the adapter's share of raw
// throughput: raw ns/op divided by adapter ns/op (target >= 0.70).
func pair(b *testing.B, raw, adapter func() error) {
	var rawT, adT time.Duration
	var rawN, adN int
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		var err error
		if i%2 == 0 {
			err = raw()
			rawT += time.Since(start)
			rawN++
		} else {
			err = adapter()
			adT += time.Since(start)
			adN++
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	if rawN == 0 || adN == 0 {
		return
	}
	r, a := float64(rawT)/float64(rawN), float64(adT)/float64(adN)
	b.ReportMetric(r, "raw-ns/op")
	b.ReportMetric(a, "adapter-ns/op")
	b.ReportMetric(r/a, "share")
}

// BenchmarkTransitionShare: ticket transitions, raw and adapter
// alternating on one ticket.
func BenchmarkTransitionShare(b *testing.B) {
	s, _ := openStore(b)
	ctx := context.Background()
	cur, ev := newTicket("north", 1)
	if err := s.Tickets().Create(ctx, cur, []ticket.Event{ev}); err != nil {
		b.Fatal(err)
	}
	pool, ts := s.DB(), s.Tickets()
	pair(b, func() error {
		n, nev := next(cur, ticket.Received, "step")
		body, _ := json.Marshal(n)
		evBody, _ := json.Marshal(nev)
		k := sqlstore.KeysOf(n)
		tag, err := pool.Exec(ctx, updateTicketSQL, n.ID, n.Desk, n.Version, k.State, k.Kind, k.Owner, k.Assignee,
			k.Customer, k.Class, k.Severity, k.Incomplete, k.NextDue, k.Received, k.Updated, body,
			n.Number, nev.ID, evBody)
		if err == nil && tag.RowsAffected() != 1 {
			err = errors.New("raw transition wrote nothing")
		}
		cur = n
		return err
	}, func() error {
		n, nev := next(cur, ticket.Received, "step")
		cur = n
		return ts.Update(ctx, n, nev)
	})
}

// BenchmarkClaimShare: claims of one task, raw and adapter alternating
// on the same 1,000 cycling tasks.
func BenchmarkClaimShare(b *testing.B) {
	s, _ := openStore(b)
	ctx := context.Background()
	seedBulk(b, s, 1000, followuptest.T0)
	now := followuptest.T0.Add(time.Hour)
	const lease = time.Minute
	pool, fs := s.DB(), s.Followups()
	pair(b, func() error {
		now = now.Add(lease)
		rows, err := pool.Query(ctx, claimSQL, workerDesk, nanos(now), "", 1, "bench", uuid.New(), nanos(now.Add(lease)))
		if err != nil {
			return err
		}
		defer rows.Close()
		got := 0
		for rows.Next() {
			var ready, due int64
			var r rowRest
			if err := rows.Scan(&ready, &due, &r.version, &r.status, &r.updated, &r.leaseOwner, &r.token, &r.expires, &r.body); err != nil {
				return err
			}
			var t followup.Task
			if err := json.Unmarshal(r.body, &t); err != nil {
				return err
			}
			got++
		}
		if got != 1 {
			return fmt.Errorf("raw claim took %d tasks", got)
		}
		return rows.Err()
	}, func() error {
		now = now.Add(lease)
		got, err := fs.Claim(ctx, workerDesk, followup.Claim{Owner: "bench", Token: uuid.New(), Now: now, For: lease, Limit: 1})
		if err == nil && len(got) != 1 {
			err = fmt.Errorf("adapter claim took %d tasks", len(got))
		}
		return err
	})
}
