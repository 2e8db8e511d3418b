package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/webhook"
)

// Each test below is an attack or a fault the example's first sender
// and receiver (an unsigned Idempotency-Key, a body-only HMAC, every
// non-2xx retried in place, the client's default redirects) got wrong.

func desk(t *testing.T, n int) *ticket.MemStore {
	t.Helper()
	store := ticket.NewMemStore()
	svc, _ := ticket.New(store, ticket.Config{Desk: "north"})
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	for range n {
		if _, err := svc.Receive(context.Background(), li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone}); err != nil {
			t.Fatal(err)
		}
	}
	return store
}

// capture is an endpoint in front of the receiver that records every
// request the sender made, as an eavesdropper on the wire would.
type capture struct {
	mu   sync.Mutex
	reqs []*http.Request
	body [][]byte
	next http.Handler
	// refuse answers 400 to the event with this ID instead of passing it on.
	refuse string
}

func (c *capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.reqs = append(c.reqs, r.Clone(context.Background()))
	c.body = append(c.body, b)
	refuse := c.refuse != "" && r.Header.Get(webhook.HeaderID) == c.refuse
	c.mu.Unlock()
	if refuse {
		http.Error(w, "unknown property code", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	c.next.ServeHTTP(w, r)
}

func endpoint(t *testing.T, secrets ...string) (*Receiver, *capture, *httptest.Server) {
	t.Helper()
	recv := &Receiver{}
	v, err := webhook.NewVerifier(webhook.VerifierConfig{Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	c := &capture{next: v.Handler(recv.Accept)}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return recv, c, srv
}

func flush(t *testing.T, store ticket.Outbox, url string, secrets ...string) (*webhook.Sender, webhook.Result, error) {
	t.Helper()
	s, err := webhook.New(store, webhook.Config{URL: url, Secrets: secrets, Desk: "north",
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Flush(context.Background())
	return s, r, err
}

func replay(t *testing.T, url string, h http.Header, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header = h
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A captured event replayed with fresh unsigned headers is not kept
// again: the receiver dedupes by the signed ID only.
func TestReplayWithFreshKeyNotStoredAgain(t *testing.T) {
	secret := webhook.NewSecret()
	recv, c, srv := endpoint(t, secret)
	if _, r, err := flush(t, desk(t, 1), srv.URL, secret); err != nil || r.Delivered != 1 {
		t.Fatalf("flush: %+v, %v", r, err)
	}
	h := c.reqs[0].Header.Clone()
	h.Set("Idempotency-Key", "fresh-key-1")
	replay(t, srv.URL, h, c.body[0])
	h = h.Clone()
	h.Set(webhook.HeaderID, "fresh-id-2")
	if code := replay(t, srv.URL, h, c.body[0]); code != http.StatusUnauthorized {
		t.Fatalf("replay under a fresh ID answered %d, want 401", code)
	}
	if recv.Kept() != 1 {
		t.Fatalf("receiver kept %d events after replays, want 1", recv.Kept())
	}
}

// A forged key naming a real event's ID does not make the receiver drop
// the real event when it arrives.
func TestForgedKeyDoesNotDropRealEvent(t *testing.T) {
	secret := webhook.NewSecret()
	recv, c, srv := endpoint(t, secret)
	store := desk(t, 2)
	evs, _ := store.Pending(context.Background(), "webhook", "north", 2)
	next := evs[1].ID.String()
	// Deliver the first event only, capture it.
	if _, r, err := flush(t, &limitOutbox{store, 1}, srv.URL, secret); err != nil || r.Delivered != 1 {
		t.Fatalf("flush: %+v, %v", r, err)
	}
	forged := c.reqs[0].Header.Clone()
	forged.Set("Idempotency-Key", next)
	forged.Set(webhook.HeaderID, next)
	replay(t, srv.URL, forged, c.body[0])
	if _, r, err := flush(t, store, srv.URL, secret); err != nil || r.Delivered != 1 {
		t.Fatalf("flush of the real event: %+v, %v", r, err)
	}
	if recv.Kept() != 2 || recv.Events[1].ID.String() != next {
		t.Fatalf("receiver kept %d events; the real %s must be among them", recv.Kept(), next)
	}
}

// A refused event (4xx) is parked with the answer and is not retried;
// the events after it are delivered.
func TestRefusedEventParkedOthersDelivered(t *testing.T) {
	secret := webhook.NewSecret()
	recv, c, srv := endpoint(t, secret)
	store := desk(t, 3)
	evs, _ := store.Pending(context.Background(), "webhook", "north", 3)
	c.refuse = evs[0].ID.String()
	s, r, err := flush(t, store, srv.URL, secret)
	if err != nil || r.Delivered != 2 || r.Parked != 1 {
		t.Fatalf("flush: %+v, %v; want 2 delivered and 1 parked", r, err)
	}
	if len(c.reqs) != 3 || recv.Kept() != 2 {
		t.Fatalf("%d posts, %d kept; the refusal must not be retried", len(c.reqs), recv.Kept())
	}
	dead := s.DeadLetters().(*webhook.MemDeadLetters).List("north")
	if len(dead) != 1 || dead[0].Event.ID != evs[0].ID || dead[0].Status != 400 || !strings.Contains(dead[0].Answer, "unknown property code") {
		t.Fatalf("dead letters %+v", dead)
	}
}

// A redirect to another host is not followed: the signed event never
// reaches it.
func TestRedirectToAnotherHostNotFollowed(t *testing.T) {
	secret := webhook.NewSecret()
	_, thief, thiefSrv := endpoint(t, secret)
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, thiefSrv.URL, http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	_, r, err := flush(t, desk(t, 1), redirect.URL, secret)
	if err != nil || r.Parked != 1 {
		t.Fatalf("flush: %+v, %v; want the event parked", r, err)
	}
	if len(thief.reqs) != 0 {
		t.Fatalf("the other host received %d requests", len(thief.reqs))
	}
}

// An empty secret is refused on both sides.
func TestEmptySecretRefused(t *testing.T) {
	if _, err := webhook.New(desk(t, 0), webhook.Config{URL: "http://127.0.0.1:1", Secrets: []string{""}}); !errors.Is(err, webhook.ErrEmptySecret) {
		t.Fatalf("sender with an empty secret: %v", err)
	}
	if _, err := webhook.NewVerifier(webhook.VerifierConfig{}); !errors.Is(err, webhook.ErrEmptySecret) {
		t.Fatalf("receiver without a secret: %v", err)
	}
}

// Rotation: the sender signs with the old and the new secret, so the
// receiver can switch at its own time.
func TestSecretRotation(t *testing.T) {
	oldS, newS := webhook.NewSecret(), webhook.NewSecret()
	for _, receiverHas := range []string{oldS, newS} {
		recv, _, srv := endpoint(t, receiverHas)
		if _, r, err := flush(t, desk(t, 2), srv.URL, oldS, newS); err != nil || r.Delivered != 2 || recv.Kept() != 2 {
			t.Fatalf("flush: %+v, %v, kept %d", r, err, recv.Kept())
		}
	}
}

// limitOutbox hands out n events in all, then none.
type limitOutbox struct {
	*ticket.MemStore
	n int
}

func (l *limitOutbox) Pending(ctx context.Context, consumer, desk string, limit int) ([]ticket.Event, error) {
	if l.n == 0 {
		return nil, nil
	}
	evs, err := l.MemStore.Pending(ctx, consumer, desk, min(limit, l.n))
	l.n -= len(evs)
	return evs, err
}

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "delivered 4 events, parked 0") {
		t.Fatalf("output %q", out.String())
	}
}

// TestFlags: -h exits 0 with the usage; anything else on the command
// line is reported once and exits 2.
func TestFlags(t *testing.T) {
	var out, errb bytes.Buffer
	if code := command([]string{"-h"}, &out, &errb); code != 0 || !strings.Contains(errb.String(), "usage: webhook") || out.Len() != 0 {
		t.Errorf("-h: exit %d, %q", code, errb.String())
	}
	errb.Reset()
	if code := command([]string{"-x"}, &out, &errb); code != 2 || strings.Count(errb.String(), "flag provided but not defined: -x") != 1 {
		t.Errorf("-x: exit %d, %q", code, errb.String())
	}
}
