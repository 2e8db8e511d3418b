package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/webhook"
)

// TestT14WebhookOncePerEvent: two replicas on one PostgreSQL schema, both
// running the webhook runner, send each ticket event once between them;
// each replica sent every event before (once per replica). When the
// delivering replica stops, the other takes over. The receiver counts
// the deliveries by webhook-id before any replay check.
func TestT14WebhookOncePerEvent(t *testing.T) {
	dsn := freshPostgres(t)
	secret := webhook.NewSecret()
	var mu sync.Mutex
	sent := map[string]int{}
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sent[r.Header.Get("webhook-id")]++
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer recv.Close()

	var replicas []*server
	var closers []func()
	for range 2 {
		c := &clock{t: start}
		cfg := Config{Desks: []string{"north"}, Location: shanghai, Now: c.Now, NewID: uuid.New,
			Auth: HeaderAuth{}, Logger: slog.New(slog.DiscardHandler)}
		closeStore, err := openStore(context.Background(), dsn, 4, false, &cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(closeStore)
		closers = append(closers, closeStore)
		srv, err := newServer(cfg)
		if err != nil {
			t.Fatal(err)
		}
		replicas = append(replicas, srv)
	}
	// Replica 0 delivers first, so that stopping it shows the takeover.
	if lead, err := replicas[0].cfg.DeliveryLeader(context.Background()); err != nil || !lead {
		t.Fatalf("replica 0 did not take the delivery: %v, %v", lead, err)
	}
	var stops []func()
	for _, srv := range replicas {
		ctx, cancel := context.WithCancel(context.Background())
		wait := startRunners(t, srv, ctx, RunnerConfig{Webhook: WebhookConfig{URL: recv.URL, Secrets: []string{secret}, Every: time.Millisecond}})
		stops = append(stops, sync.OnceFunc(func() { cancel(); wait() }))
	}
	defer func() {
		for _, stop := range stops {
			stop()
		}
	}()

	// Tickets written through the replicas while they deliver, and all
	// their events delivered.
	var ids []string
	write := func(through ...*server) {
		for i := range 20 {
			a := as{h: through[i%len(through)], actor: li, role: string(ticket.RoleAgent)}
			tk := ticketOf(t, a.must(t, http.StatusCreated, "POST", "/desks/north/tickets", repairIntake()))
			a.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "engineering"})
			var h historyResponse
			a.must(t, http.StatusOK, "GET", ticketPath("north", tk.ID, "history"), nil).decode(t, &h)
			for _, e := range h.Events {
				ids = append(ids, e.ID.String())
			}
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			mu.Lock()
			n := 0
			for _, id := range ids {
				if sent[id] > 0 {
					n++
				}
			}
			mu.Unlock()
			if n == len(ids) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d events delivered in 20 s", n, len(ids))
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	write(replicas...)
	// The delivering replica stops (its runners, then its store and the
	// lock's connection); the other takes over.
	stops[0]()
	closers[0]()
	write(replicas[1])
	for _, stop := range stops {
		stop() // no round in flight while the counts are read
	}
	mu.Lock()
	defer mu.Unlock()
	for _, id := range ids {
		if sent[id] != 1 {
			t.Errorf("event %s delivered %d times, want once", id, sent[id])
		}
	}
}
