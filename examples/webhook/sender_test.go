package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// flaky fails the first `fail` posts with 503, then passes them to the
// receiver; it counts every post it saw.
type flaky struct {
	mu    sync.Mutex
	fail  int
	down  bool
	posts int
	recv  *Receiver
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.posts++
	failing := f.down || f.fail > 0
	if f.fail > 0 {
		f.fail--
	}
	f.mu.Unlock()
	if failing {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	f.recv.ServeHTTP(w, r)
}

func desk(t *testing.T, n int) (*ticket.MemStore, *ticket.Service) {
	t.Helper()
	store := ticket.NewMemStore()
	svc, _ := ticket.New(store, ticket.Config{Desk: "north"})
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	for range n {
		tk, err := svc.Receive(context.Background(), li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Note(context.Background(), li, tk.Ref(), "called back"); err != nil {
			t.Fatal(err)
		}
	}
	return store, svc
}

func noSleep(context.Context, time.Duration) error { return nil }

func TestDeliveryThroughOutageAndRecovery(t *testing.T) {
	ctx := context.Background()
	store, _ := desk(t, 5) // 10 events
	secret := []byte("s3cr3t")
	f := &flaky{fail: 3, recv: &Receiver{Secret: secret}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	s := &Sender{Outbox: store, Consumer: "webhook", Desk: "north", URL: srv.URL, Secret: secret, Attempts: 4, Sleep: noSleep}

	// Three failures are absorbed by the retries of one event.
	n, err := s.Flush(ctx)
	if err != nil || n != 10 {
		t.Fatalf("flush: %d delivered, %v", n, err)
	}
	if len(f.recv.Events) != 10 || f.posts != 13 {
		t.Fatalf("receiver kept %d events from %d posts, want 10 from 13", len(f.recv.Events), f.posts)
	}

	// A long outage: the flush gives up, nothing is acknowledged that was
	// not delivered, and the next flush delivers it.
	svc2, _ := ticket.New(store, ticket.Config{Desk: "north"})
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	for range 3 {
		if _, err := svc2.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone}); err != nil {
			t.Fatal(err)
		}
	}
	f.mu.Lock()
	f.down = true
	f.mu.Unlock()
	n, err = s.Flush(ctx)
	if !errors.Is(err, ErrUndelivered) || n != 0 {
		t.Fatalf("flush during outage: %d, %v; want ErrUndelivered", n, err)
	}
	pend, _ := store.Pending(ctx, "webhook", "north", 10)
	if len(pend) != 3 {
		t.Fatalf("%d events pending after the outage, want 3", len(pend))
	}
	f.mu.Lock()
	f.down = false
	f.mu.Unlock()
	if n, err = s.Flush(ctx); err != nil || n != 3 {
		t.Fatalf("flush after recovery: %d, %v", n, err)
	}
	if len(f.recv.Events) != 13 {
		t.Fatalf("receiver has %d distinct events, want 13", len(f.recv.Events))
	}
}

// TestCrashBeforeAck: the receiver got an event but the sender died
// before acknowledging it; the event is sent again with the same
// idempotency key and kept once.
func TestCrashBeforeAck(t *testing.T) {
	ctx := context.Background()
	store, _ := desk(t, 1) // 2 events
	secret := []byte("k")
	recv := &Receiver{Secret: secret}
	srv := httptest.NewServer(recv)
	defer srv.Close()
	crashing := &crashOutbox{Outbox: store}
	s := &Sender{Outbox: crashing, Consumer: "webhook", Desk: "north", URL: srv.URL, Secret: secret, Sleep: noSleep}
	if _, err := s.Flush(ctx); !errors.Is(err, errCrash) {
		t.Fatalf("flush: %v, want the simulated crash", err)
	}
	s.Outbox = store // restarted
	if n, err := s.Flush(ctx); err != nil || n != 2 {
		t.Fatalf("flush after restart: %d, %v", n, err)
	}
	if recv.Posts != 3 || len(recv.Events) != 2 {
		t.Fatalf("%d posts, %d distinct events; want 3 and 2 (one repeat dropped)", recv.Posts, len(recv.Events))
	}
}

var errCrash = errors.New("crash before ack")

type crashOutbox struct{ ticket.Outbox }

func (c *crashOutbox) Ack(context.Context, string, string, ...uuid.UUID) error { return errCrash }

func TestSignature(t *testing.T) {
	body := []byte(`{"x":1}`)
	sig := Sign([]byte("a"), body)
	if !Verify([]byte("a"), body, sig) || Verify([]byte("b"), body, sig) || Verify([]byte("a"), []byte(`{"x":2}`), sig) {
		t.Fatal("signature check is wrong")
	}
	recv := &Receiver{Secret: []byte("a")}
	srv := httptest.NewServer(recv)
	defer srv.Close()
	resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned post answered %d", resp.StatusCode)
	}
}

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "delivered 4 events") {
		t.Fatalf("output %q", out.String())
	}
}
