// Command webhook shows how a CRM forwards ticket events to a webhook
// with the webhook package: it runs a few tickets through a desk, starts
// a local receiver that verifies the Standard Webhooks signature and
// keeps each event once by its signed ID, and flushes the outbox to it.
//
//	go run ./examples/webhook
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"sync"

	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/webhook"
)

func main() { os.Exit(command(os.Args[1:], os.Stdout, os.Stderr)) }

// command takes no flags but answers -h like every example: 0 for -h, 2
// for anything else on the command line (reported once), 1 for a failed
// run.
func command(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("webhook", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: webhook\n\nRuns a few tickets through a desk and delivers their events, signed, to a local receiver.")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "webhook: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if err := run(stdout); err != nil {
		fmt.Fprintln(stderr, "webhook:", err)
		return 1
	}
	return 0
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
