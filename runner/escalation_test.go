package runner_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/runner"
	"github.com/servicedesk-go/desk/ticket"
)

// Two escalation runners on one store raise every ticket whose SLA
// clocks passed to level 2, each clock once, in batches (250 tickets,
// Batch 40), and stop writing when nothing is left.
func TestEscalateRunner(t *testing.T) {
	ctx := context.Background()
	store := ticket.NewMemStore()
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	pol := ticket.GeneralDesk()
	mk := func() *ticket.Service {
		s, err := ticket.New(store, ticket.Config{Desk: "help", Policy: &pol, Authorizer: ticket.GeneralRoles(), Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	seed := mk()
	const n = 250
	for range n {
		if _, err := seed.Receive(ctx, ticket.Actor{ID: "ann", Role: ticket.RoleAgent}, ticket.Intake{Kind: ticket.Incident,
			Channel: ticket.Phone, Priority: ticket.PriorityUrgent}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	now = now.Add(5 * time.Hour)
	mu.Unlock()
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	by := ticket.Actor{ID: "escalation", Role: ticket.RoleSystem}
	for range 2 {
		r, err := runner.Escalate(runner.Config{Interval: 5 * time.Millisecond, Batch: 40}, by, mk())
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { _ = r.Run(runCtx) })
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		l, err := seed.List(ctx, ticket.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, tk := range l {
			if tk.Escalation.Level == 2 {
				done++
			}
		}
		if done == n {
			break
		}
		if time.Now().After(deadline) {
			stop()
			wg.Wait()
			t.Fatalf("%d of %d tickets at level 2 after 30 s", done, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // rounds after the work is done must write nothing
	stop()
	wg.Wait()
	events, err := seed.Pending(ctx, "check", 10*n)
	if err != nil {
		t.Fatal(err)
	}
	escalations := 0
	for _, e := range events {
		if e.Action == ticket.ActEscalate {
			escalations++
		}
	}
	if escalations != 2*n {
		t.Fatalf("%d escalate events, want %d (two clocks per ticket, each once)", escalations, 2*n)
	}
	if _, err := runner.Escalate(runner.Config{}, by); err == nil {
		t.Error("a runner without a service was accepted")
	}
}
