package runner_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/runner"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/webhook"
)

// A CRM starts the desk's background work with its context and stops it
// by cancelling: derivation and delivery wake as soon as a ticket action
// lands, lease expiry polls every minute.
func Example() {
	logger := slog.New(slog.DiscardHandler) // the CRM's logger
	derived, delivered := runner.NewSignal(), runner.NewSignal()
	store, tasks := ticket.NewMemStore(), followup.NewMemStore()
	tickets, _ := ticket.New(store, ticket.Config{Desk: "north", Logger: logger,
		Observer: observe.Multi(derived, delivered)}) // add the otel module's Observer here
	queue, _ := followup.NewQueue(tasks, followup.QueueConfig{Desk: "north", Location: time.UTC, Tickets: tickets, Logger: logger})
	deriver, _ := followup.NewDeriver(tasks, followup.DeriverConfig{Desk: "north", Location: time.UTC, Rules: followup.PropertyRules(1)})
	fromOutbox, _ := followup.NewTicketSync(tickets, deriver, queue, tickets)

	secret := webhook.NewSecret()
	v, _ := webhook.NewVerifier(webhook.VerifierConfig{Secrets: []string{secret}})
	got := make(chan string, 8)
	crm := httptest.NewServer(v.Handler(func(_ context.Context, d webhook.Delivery) error { got <- d.ID; return nil }))
	defer crm.Close()
	sender, _ := webhook.New(store, webhook.Config{URL: crm.URL, Secrets: []string{secret}, Desk: "north", Logger: logger})

	derive, _ := runner.Derive(runner.Config{Wake: derived.C(), Logger: logger}, fromOutbox)
	expire, _ := runner.ExpireLeases(runner.Config{Interval: time.Minute, Logger: logger}, queue)
	deliver, _ := runner.Deliver(runner.Config{Wake: delivered.C(), Logger: logger}, sender)
	ctx, stop := context.WithCancel(context.Background()) // e.g. signal.NotifyContext
	var wg sync.WaitGroup
	for _, r := range []*runner.Runner{derive, expire, deliver} {
		wg.Go(func() { r.Run(ctx) })
	}

	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	tickets.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
	<-got // delivered to the CRM's endpoint
	stop()
	wg.Wait() // work in flight finished
	fmt.Println("stopped")
	// Output: stopped
}
