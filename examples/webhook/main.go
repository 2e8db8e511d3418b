// Command webhook shows how a CRM forwards ticket events to a webhook:
// it runs a few tickets through a desk, starts a local receiver that
// verifies signatures and drops repeated deliveries, and flushes the
// outbox to it.
//
//	go run ./examples/webhook
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"

	"github.com/servicedesk-go/desk/ticket"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "webhook:", err)
		os.Exit(1)
	}
}

// Receiver is a webhook endpoint that checks the signature and keeps
// each event once, by its idempotency key.
type Receiver struct {
	Secret []byte
	mu     sync.Mutex
	seen   map[string]bool
	Events []ticket.Event
	Posts  int
}

func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil || !Verify(r.Secret, body, req.Header.Get("X-Desk-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	e, err := ticket.UnmarshalEvent(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Posts++
	key := req.Header.Get("Idempotency-Key")
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	if !r.seen[key] {
		r.seen[key] = true
		r.Events = append(r.Events, e)
	}
	w.WriteHeader(http.StatusNoContent)
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
	secret := []byte("shared-secret")
	recv := &Receiver{Secret: secret}
	srv := httptest.NewServer(recv)
	defer srv.Close()
	s := &Sender{Outbox: store, Consumer: "webhook", Desk: "harbour-view", URL: srv.URL, Secret: secret}
	n, err := s.Flush(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "delivered %d events\n", n)
	for _, e := range recv.Events {
		fmt.Fprintf(out, "  %s %s → %s\n", e.Action, e.From, e.To)
	}
	return nil
}
