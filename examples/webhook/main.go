// Command webhook shows how a CRM forwards ticket events to a webhook
// with the webhook package: it runs a few tickets through a desk, starts
// a local receiver that verifies the Standard Webhooks signature and
// keeps each event once by its signed ID, and flushes the outbox to it.
//
//	go run ./examples/webhook
package main

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"sync"

	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/webhook"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "webhook:", err)
		os.Exit(1)
	}
}

// Receiver is a CRM's webhook endpoint: it keeps each authentic event
// once, by the signed webhook-id (never by an unsigned header).
type Receiver struct {
	mu     sync.Mutex
	byID   map[string]bool
	Events []ticket.Event
}

// Accept keeps one verified delivery; it is the accept function of
// webhook.Verifier.Handler.
func (r *Receiver) Accept(_ context.Context, d webhook.Delivery) error {
	e, err := ticket.UnmarshalEvent(d.Body)
	if err != nil {
		return fmt.Errorf("%w: %v", webhook.ErrUnacceptable, err)
	}
	if e.ID.String() != d.ID {
		return fmt.Errorf("%w: body is event %s, signed ID %s", webhook.ErrUnacceptable, e.ID, d.ID)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byID == nil {
		r.byID = map[string]bool{}
	}
	if !r.byID[d.ID] { // the store's own key: redeliveries after the verifier forgot the ID
		r.byID[d.ID] = true
		r.Events = append(r.Events, e)
	}
	return nil
}

// Kept returns how many distinct events the receiver holds.
func (r *Receiver) Kept() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.Events)
}

func run(out io.Writer) error {
	ctx := context.Background()
	store := ticket.NewMemStore()
	svc, err := ticket.New(store, ticket.Config{Desk: "harbour-view"})
	if err != nil {
		return err
	}
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	for _, item := range []string{"door lock", "water heater"} {
		tk, err := svc.Receive(ctx, li, ticket.Intake{Kind: ticket.Repair, Channel: ticket.Phone,
			Fields: map[string]string{"location": "3-201", "item": item}})
		if err != nil {
			return err
		}
		if _, err := svc.Dispatch(ctx, li, tk.Ref(), ticket.Assignment{Department: "engineering"}); err != nil {
			return err
		}
	}
	secret := webhook.NewSecret() // whsec_…, shared with the receiver once
	recv := &Receiver{}
	v, err := webhook.NewVerifier(webhook.VerifierConfig{Secrets: []string{secret}})
	if err != nil {
		return err
	}
	srv := httptest.NewServer(v.Handler(recv.Accept))
	defer srv.Close()
	s, err := webhook.New(store, webhook.Config{URL: srv.URL, Secrets: []string{secret}, Desk: "harbour-view"})
	if err != nil {
		return err
	}
	r, err := s.Flush(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "delivered %d events, parked %d\n", r.Delivered, r.Parked)
	for _, e := range recv.Events {
		fmt.Fprintf(out, "  %s %s → %s\n", e.Action, e.From, e.To)
	}
	return nil
}
