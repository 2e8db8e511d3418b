package webhook_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/webhook"
)

// A desk's outbox delivered to a receiver that verifies every request.
func Example() {
	ctx := context.Background()
	store := ticket.NewMemStore()
	svc, _ := ticket.New(store, ticket.Config{Desk: "harbour-view"})
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	svc.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})

	secret := webhook.NewSecret() // share it with the receiver once
	v, _ := webhook.NewVerifier(webhook.VerifierConfig{Secrets: []string{secret}})
	srv := httptest.NewServer(v.Handler(func(_ context.Context, d webhook.Delivery) error {
		e, err := ticket.UnmarshalEvent(d.Body)
		if err != nil {
			return fmt.Errorf("%w: %v", webhook.ErrUnacceptable, err)
		}
		fmt.Println("received", e.Action, "to", e.To, "id matches:", d.ID == e.ID.String())
		return nil
	}))
	defer srv.Close()

	s, _ := webhook.New(store, webhook.Config{URL: srv.URL, Secrets: []string{secret}, Desk: "harbour-view"})
	r, err := s.Flush(ctx)
	fmt.Println(r.Delivered, "delivered,", r.Parked, "parked,", err)
	// Output:
	// received receive to received id matches: true
	// 1 delivered, 0 parked, <nil>
}

// A secret is never empty; rotate by signing with two for a while.
func ExampleNewSigner() {
	_, err := webhook.NewSigner("")
	fmt.Println(err)
	_, err = webhook.NewSigner(webhook.NewSecret(), webhook.NewSecret())
	fmt.Println(err)
	// Output:
	// secrets[0]: webhook: empty secret; generate one with NewSecret
	// <nil>
}
