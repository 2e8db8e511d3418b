package followup_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// BenchmarkClaimComplete measures one claim and one completion with 10k
// and with 1M pending tasks in the store. Each iteration also creates a
// replacement task at a random place in the queue, so the number of
// pending tasks stays constant. The due queue is O(log n): the 1M figure
// should stay within 2x of the 10k figure (the 10k run is the baseline).
func BenchmarkClaimComplete(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			benchClaimComplete(b, n)
		})
	}
}

func benchTask(i int, rng *rand.Rand, base time.Time) *followup.Task {
	nb := base.Add(-time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))))
	return &followup.Task{
		ID: benchID(i), Desk: "d1",
		Rule: "F9.enquiry", Cites: "F9", Trigger: followup.Enquiry, Key: "k", Subject: "s",
		Channel: followup.Phone, Role: ticket.RoleAgent,
		NotBefore: nb, Due: nb.Add(24 * time.Hour), MaxAttempts: 1, Status: followup.Pending,
	}
}

func benchID(i int) uuid.UUID {
	var id uuid.UUID
	binary.BigEndian.PutUint64(id[8:], uint64(i)+1)
	return id
}

// queueFixture is a store with n pending tasks and a supply of
// replacements, for the claim-complete cycle.
type queueFixture struct {
	s    *followup.MemStore
	c    followup.Claim
	repl []*followup.Task
	next int
	base time.Time
}

func newQueueFixture(tb testing.TB, n int) *queueFixture {
	ctx := context.Background()
	f := &queueFixture{s: followup.NewMemStore(), base: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), next: n}
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	for i := range n {
		if err := f.s.Create(ctx, benchTask(i, rng, f.base)); err != nil {
			tb.Fatal(err)
		}
	}
	// Pre-build the replacements so the cycle measures the store only.
	f.repl = make([]*followup.Task, 1<<16)
	for i := range f.repl {
		f.repl[i] = benchTask(n+i, rng, f.base)
	}
	f.c = followup.Claim{Owner: "w", Token: uuid.New(), Now: f.base, For: time.Minute, Limit: 1}
	return f
}

// cycle claims the earliest task, completes it and creates a
// replacement at a random place in the queue.
func (f *queueFixture) cycle(tb testing.TB) {
	ctx := context.Background()
	ts, err := f.s.Claim(ctx, "d1", f.c)
	if err != nil || len(ts) != 1 {
		tb.Fatalf("claim: %d, %v", len(ts), err)
	}
	t := ts[0]
	held := t.Lease
	t.Status, t.ClosedAt = followup.Done, f.base
	if err := f.s.Complete(ctx, t, held, f.base); err != nil {
		tb.Fatal(err)
	}
	r := f.repl[f.next%len(f.repl)]
	binary.BigEndian.PutUint64(r.ID[8:], uint64(f.next)+1) // fresh ID, no allocation
	f.next++
	if err := f.s.Create(ctx, r); err != nil {
		tb.Fatal(err)
	}
}

func benchClaimComplete(b *testing.B, n int) {
	f := newQueueFixture(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		f.cycle(b)
	}
}

// BenchmarkClaimCompleteRatio runs the cycle on a 10k and a 1M store in
// alternating batches, so that both see the same machine load, and
// reports each one's time per cycle and their ratio (1M over the 10k
// baseline; the target is at most 2).
func BenchmarkClaimCompleteRatio(b *testing.B) {
	small, large := newQueueFixture(b, 10_000), newQueueFixture(b, 1_000_000)
	const batch = 512
	var ts, tl time.Duration
	rounds := 0
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		for range batch {
			small.cycle(b)
		}
		mid := time.Now()
		for range batch {
			large.cycle(b)
		}
		ts += mid.Sub(start)
		tl += time.Since(mid)
		rounds++
	}
	per := float64(rounds * batch)
	b.ReportMetric(float64(ts.Nanoseconds())/per, "ns/cycle-10k")
	b.ReportMetric(float64(tl.Nanoseconds())/per, "ns/cycle-1M")
	b.ReportMetric(float64(tl)/float64(ts), "ratio-1M/10k")
}

// BenchmarkQueueClaimComplete is the same cycle through the Queue API a
// worker uses: Claim, Complete with an outcome (checked against the
// task), and a replacement task derived by the Deriver.
func BenchmarkQueueClaimComplete(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			ctx := context.Background()
			s := followup.NewMemStore()
			rng := rand.New(rand.NewPCG(2, uint64(n)))
			base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
			for i := range n {
				if err := s.Create(ctx, benchTask(i, rng, base)); err != nil {
					b.Fatal(err)
				}
			}
			now := func() time.Time { return base }
			var tok uint64
			q, _ := followup.NewQueue(s, followup.QueueConfig{Desk: "d1", Calendar: followup.AnyTime{}, Now: now,
				NewID: func() uuid.UUID { tok++; return benchID(int(tok)) }})
			d, _ := followup.NewDeriver(s, followup.DeriverConfig{Desk: "d1", Rules: followup.DealerRules(1), Calendar: followup.AnyTime{}, Now: now})
			me := ticket.Actor{ID: "w", Role: ticket.RoleAgent}
			keys := make([]string, 1<<16)
			for i := range keys {
				keys[i] = fmt.Sprintf("enquiry-%d", i)
			}
			next := 0
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				ts, err := q.Claim(ctx, "w", "", 1)
				if err != nil || len(ts) != 1 {
					b.Fatalf("claim: %d, %v", len(ts), err)
				}
				if _, err := q.Complete(ctx, ts[0], followup.Outcome{Result: followup.Reached, By: me}); err != nil {
					b.Fatal(err)
				}
				tr := followup.Trigger{Kind: followup.Enquiry, Key: keys[next%len(keys)] + "/" + fmt.Sprint(next/len(keys)),
					At: base.Add(-time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))))}
				next++
				if _, err := d.Derive(ctx, tr); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMemoryPerPendingTask derives follow-ups the way TicketSync
// does (F2 revisits of resolved repairs, from ticket events) into a
// MemStore and reports the live heap per pending task after a garbage
// collection (target: at most 300 B).
func BenchmarkMemoryPerPendingTask(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	categories := []string{followup.Safety, followup.Leak, followup.General}
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()
		s := followup.NewMemStore()
		d, err := followup.NewDeriver(s, followup.DeriverConfig{Desk: "d1", Rules: followup.PropertyRules(1),
			Calendar: followup.AnyTime{}, Now: func() time.Time { return base }})
		if err != nil {
			b.Fatal(err)
		}
		for i := range n {
			ev := ticket.Event{ID: benchID(2*i + 1), Desk: "d1", Ticket: benchID(2*i + 2), Seq: 3,
				Action: ticket.ActResolve, Actor: "a1", Role: ticket.RoleRepairLead,
				At: base.Add(time.Duration(i) * time.Minute), From: ticket.Dispatched, To: ticket.Resolved,
				Kind: ticket.Repair, Category: categories[i%3]}
			for _, tr := range followup.TriggersFrom(ev) {
				if _, err := d.Derive(ctx, tr); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		pending, err := s.List(ctx, "d1", followup.Filter{Statuses: []followup.Status{followup.Pending}})
		if err != nil || len(pending) == 0 {
			b.Fatalf("%d pending, %v", len(pending), err)
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(pending)), "B/pending-task")
		b.ReportMetric(float64(len(pending)), "tasks")
		runtime.KeepAlive(d)
		b.StartTimer()
	}
}
