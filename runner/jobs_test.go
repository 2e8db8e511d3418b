package runner_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/runner"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/webhook"
)

// reports collects observer reports.
type reports struct {
	mu sync.Mutex
	r  []observe.Report
	ch chan observe.Report
}

func newReports() *reports { return &reports{ch: make(chan observe.Report, 1000)} }

func (r *reports) Observe(_ context.Context, rep observe.Report) {
	r.mu.Lock()
	r.r = append(r.r, rep)
	r.mu.Unlock()
	r.ch <- rep
}

// until waits for a report of op matching ok.
func (r *reports) until(t *testing.T, op observe.Op, ok func(observe.Report) bool) observe.Report {
	t.Helper()
	for {
		rep := wait(t, r.ch, "a "+string(op)+" report")
		if rep.Op == op && ok(rep) {
			return rep
		}
	}
}

func TestJobs(t *testing.T) {
	ctx := context.Background()
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	zhao := ticket.Actor{ID: "zhao", Role: ticket.RoleRepairLead}

	t.Run("derive_wakes_on_a_ticket_action", func(t *testing.T) {
		sig := runner.NewSignal()
		rep := newReports()
		tickets, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "north", Observer: observe.Multi(sig, rep)})
		if err != nil {
			t.Fatal(err)
		}
		store := followup.NewMemStore()
		d, _ := followup.NewDeriver(store, followup.DeriverConfig{Desk: "north", Location: time.UTC, Rules: followup.PropertyRules(1)})
		q, _ := followup.NewQueue(store, followup.QueueConfig{Desk: "north", Location: time.UTC, Tickets: tickets})
		sync, err := followup.NewTicketSync(tickets, d, q, tickets)
		if err != nil {
			t.Fatal(err)
		}
		r, err := runner.Derive(runner.Config{Interval: time.Hour, Wake: sig.C(), Observer: rep}, sync)
		if err != nil {
			t.Fatal(err)
		}
		stop := start(t, r)
		defer stop()
		tk, err := tickets.Receive(ctx, li, ticket.Intake{Kind: ticket.Repair, Category: followup.Leak, Channel: ticket.Phone,
			Fields: map[string]string{ticket.FieldPerson: "p", ticket.FieldPhone: "x", ticket.FieldLocation: "3-201", ticket.FieldItem: "pipe"}})
		if err != nil {
			t.Fatal(err)
		}
		tk, _ = tickets.Dispatch(ctx, li, tk.Ref(), ticket.Assignment{Assignee: "zhao"})
		if _, err := tickets.Resolve(ctx, zhao, tk.Ref(), "pipe replaced"); err != nil {
			t.Fatal(err)
		}
		// The interval is an hour: only the signal can have started the
		// rounds that handled all three events.
		total := 0
		for total < 3 {
			total += rep.until(t, observe.Derive, func(r observe.Report) bool { return r.Outcome == observe.OK }).Count
		}
		tasks, _ := q.List(ctx, followup.Filter{Ticket: tk.ID})
		leak := 0
		for _, task := range tasks {
			if task.Rule == "F2.leak" {
				leak++
			}
		}
		if leak != 1 {
			t.Fatalf("derived %d F2.leak revisits of %d tasks, want 1", leak, len(tasks))
		}
	})

	t.Run("expire_leases_releases_expired_claims", func(t *testing.T) {
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		rep := newReports()
		store := followup.NewMemStore()
		q, _ := followup.NewQueue(store, followup.QueueConfig{Desk: "north", Location: time.UTC, Now: clock, Lease: time.Minute, Observer: rep})
		for i := range 3 {
			tk := &followup.Task{ID: ticket.NewV7(), Desk: "north", Rule: "test", Status: followup.Pending,
				NotBefore: now.Add(-time.Hour), Due: now.Add(time.Duration(i+1) * time.Hour), Role: ticket.RoleAgent,
				Channel: followup.Phone, Attempts: 0, MaxAttempts: 3, CreatedAt: now, UpdatedAt: now}
			if err := store.Create(ctx, tk); err != nil {
				t.Fatal(err)
			}
		}
		claimed, err := q.Claim(ctx, "li", "", 3)
		if err != nil || len(claimed) != 3 {
			t.Fatalf("claim: %d, %v", len(claimed), err)
		}
		mu.Lock()
		now = now.Add(2 * time.Minute)
		mu.Unlock()
		wake := make(chan struct{}, 1)
		r, _ := runner.ExpireLeases(runner.Config{Interval: time.Hour, Wake: wake}, q)
		stop := start(t, r)
		defer stop()
		got := rep.until(t, observe.Expire, func(r observe.Report) bool { return r.Count > 0 })
		if got.Count != 3 || got.Outcome != observe.OK || got.Desk != "north" {
			t.Fatalf("expire report %+v", got)
		}
		open, _ := q.List(ctx, followup.Filter{Statuses: []followup.Status{followup.Pending}})
		if len(open) != 3 {
			t.Fatalf("%d tasks pending after expiry, want 3", len(open))
		}
		if _, err := q.Complete(ctx, claimed[0], followup.Outcome{Result: followup.Withdrawn, By: li, Note: "not needed"}); !errors.Is(err, followup.ErrLeaseLost) {
			t.Fatalf("completing under a released lease: %v, want ErrLeaseLost", err)
		}
	})

	t.Run("deliver_flushes_the_outbox", func(t *testing.T) {
		sig := runner.NewSignal()
		store := ticket.NewMemStore()
		tickets, _ := ticket.New(store, ticket.Config{Desk: "north", Observer: sig})
		secret := webhook.NewSecret()
		v, _ := webhook.NewVerifier(webhook.VerifierConfig{Secrets: []string{secret}})
		got := make(chan string, 10)
		srv := httptest.NewServer(v.Handler(func(_ context.Context, d webhook.Delivery) error { got <- d.ID; return nil }))
		defer srv.Close()
		s, err := webhook.New(store, webhook.Config{URL: srv.URL, Secrets: []string{secret}, Desk: "north"})
		if err != nil {
			t.Fatal(err)
		}
		r, _ := runner.Deliver(runner.Config{Interval: time.Hour, Wake: sig.C()}, s)
		stop := start(t, r)
		defer stop()
		tk, _ := tickets.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
		if id := wait(t, got, "the delivery"); id == "" {
			t.Fatal("empty id")
		}
		evs, _ := tickets.History(ctx, tk.ID)
		if len(evs) != 1 {
			t.Fatalf("history %d", len(evs))
		}
	})
}
