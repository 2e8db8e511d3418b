package webhook

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// endpoint is a receiver whose answer per request is scripted; it
// verifies every request it is asked to accept and keeps events by their
// signed ID.
type endpoint struct {
	t      *testing.T
	v      *Verifier
	mu     sync.Mutex
	answer func(n int, e ticket.Event) int // status for the n-th post (1-based); 0 accepts
	posts  int
	kept   map[string]ticket.Event
	order  []string
}

func newEndpoint(t *testing.T, c *clock, secrets ...string) (*endpoint, *httptest.Server) {
	v, err := NewVerifier(VerifierConfig{Secrets: secrets, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	ep := &endpoint{t: t, v: v, kept: map[string]ticket.Event{}}
	h := v.Handler(func(_ context.Context, d Delivery) error {
		e, err := ticket.UnmarshalEvent(d.Body)
		if err != nil {
			return errors.Join(ErrUnacceptable, err)
		}
		ep.mu.Lock()
		defer ep.mu.Unlock()
		if _, ok := ep.kept[d.ID]; !ok {
			ep.order = append(ep.order, d.ID)
		}
		ep.kept[d.ID] = e
		return nil
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ep.mu.Lock()
		ep.posts++
		n := ep.posts
		answer := ep.answer
		ep.mu.Unlock()
		if answer != nil {
			body, _ := io.ReadAll(r.Body)
			e, _ := ticket.UnmarshalEvent(body)
			if code := answer(n, e); code != 0 {
				http.Error(w, "scripted "+http.StatusText(code), code)
				return
			}
			r.Body = io.NopCloser(strings.NewReader(string(body)))
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return ep, srv
}

func (ep *endpoint) count() (posts, kept int) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	return ep.posts, len(ep.kept)
}

func newSender(t *testing.T, store ticket.Outbox, c *clock, sl *sleeps, url string, mod func(*Config)) *Sender {
	t.Helper()
	cfg := Config{URL: url, Secrets: []string{secretA}, Desk: "north", Now: c.Now, Sleep: sl.Sleep, Rand: func() float64 { return 0.5 }}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(store, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSender(t *testing.T) {
	ctx := context.Background()

	t.Run("delivers_in_order_signed", func(t *testing.T) {
		c, sl := newClock(), &sleeps{}
		store := desk(t, 3)
		want := pending(t, store)
		ep, srv := newEndpoint(t, c, secretA)
		s := newSender(t, store, c, sl, srv.URL, nil)
		r, err := s.Flush(ctx)
		if err != nil || r.Delivered != 3 || r.Parked != 0 {
			t.Fatalf("flush: %+v, %v", r, err)
		}
		for i, e := range want {
			if ep.order[i] != e.ID.String() || ep.kept[e.ID.String()].ID != e.ID {
				t.Fatalf("event %d: kept %v, want %s", i, ep.order, e.ID)
			}
		}
		if len(pending(t, store)) != 0 {
			t.Fatal("delivered events still pending")
		}
	})

	t.Run("refused_4xx_parked_with_answer_and_delivery_goes_on", func(t *testing.T) {
		c, sl := newClock(), &sleeps{}
		store := desk(t, 4)
		evs := pending(t, store)
		refused := evs[1].ID
		ep, srv := newEndpoint(t, c, secretA)
		ep.answer = func(_ int, e ticket.Event) int {
			if e.ID == refused {
				return http.StatusBadRequest
			}
			return 0
		}
		s := newSender(t, store, c, sl, srv.URL, nil)
		r, err := s.Flush(ctx)
		if err != nil || r.Delivered != 3 || r.Parked != 1 {
			t.Fatalf("flush: %+v, %v; want 3 delivered, 1 parked", r, err)
		}
		if posts, kept := ep.count(); posts != 4 || kept != 3 {
			t.Fatalf("%d posts, %d kept; a refusal must not be retried", posts, kept)
		}
		dead := s.DeadLetters().(*MemDeadLetters).List("north")
		if len(dead) != 1 || dead[0].Event.ID != refused || dead[0].Status != 400 || !strings.Contains(dead[0].Answer, "scripted Bad Request") {
			t.Fatalf("dead letters %+v", dead)
		}
		if len(pending(t, store)) != 0 || len(sl.d) != 0 {
			t.Fatalf("pending %d, waits %v", len(pending(t, store)), sl.d)
		}
	})

	t.Run("5xx_408_429_retried_with_exponential_backoff_and_jitter", func(t *testing.T) {
		c, sl := newClock(), &sleeps{}
		store := desk(t, 1)
		ep, srv := newEndpoint(t, c, secretA)
		ep.answer = func(n int, _ ticket.Event) int {
			return map[int]int{1: 503, 2: 500, 3: 429, 4: 408}[n]
		}
		s := newSender(t, store, c, sl, srv.URL, func(cfg *Config) { cfg.Attempts = 5; cfg.MinBackoff = time.Second; cfg.MaxBackoff = 6 * time.Second })
		r, err := s.Flush(ctx)
		if err != nil || r.Delivered != 1 {
			t.Fatalf("flush: %+v, %v", r, err)
		}
		// 1 s, 2 s, 4 s, 6 s (capped), each less a quarter (jitter 0.5 of half).
		want := []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second, 4500 * time.Millisecond}
		if len(sl.d) != len(want) {
			t.Fatalf("waits %v, want %v", sl.d, want)
		}
		for i := range want {
			if sl.d[i] != want[i] {
				t.Fatalf("waits %v, want %v", sl.d, want)
			}
		}
	})

	t.Run("jitter_spreads_the_waits", func(t *testing.T) {
		c := newClock()
		var got []time.Duration
		for _, x := range []float64{0, 0.5, 0.999} {
			s := newSender(t, desk(t, 0), c, &sleeps{}, "http://x", func(cfg *Config) { cfg.Rand = func() float64 { return x }; cfg.MinBackoff = time.Second })
			got = append(got, s.backoff(3))
		}
		if got[0] != 4*time.Second || got[1] != 3*time.Second || got[2] <= 2*time.Second || got[2] >= 2100*time.Millisecond {
			t.Fatalf("waits for retry 3 at jitter 0, .5, .999: %v", got)
		}
	})

	t.Run("outage_leaves_events_pending_then_delivers", func(t *testing.T) {
		c, sl := newClock(), &sleeps{}
		store := desk(t, 3)
		ep, srv := newEndpoint(t, c, secretA)
		down := true
		ep.answer = func(int, ticket.Event) int {
			if down {
				return 503
			}
			return 0
		}
		s := newSender(t, store, c, sl, srv.URL, func(cfg *Config) { cfg.Attempts = 3 })
		r, err := s.Flush(ctx)
		if !errors.Is(err, ErrUndelivered) || r.Delivered != 0 || len(pending(t, store)) != 3 {
			t.Fatalf("flush in outage: %+v, %v, %d pending", r, err, len(pending(t, store)))
		}
		if posts, _ := ep.count(); posts != 3 {
			t.Fatalf("%d posts, want 3 attempts of the first event only", posts)
		}
		ep.mu.Lock()
		down = false
		ep.mu.Unlock()
		if r, err = s.Flush(ctx); err != nil || r.Delivered != 3 {
			t.Fatalf("flush after: %+v, %v", r, err)
		}
	})

	t.Run("timeout_retried", func(t *testing.T) {
		c, sl := newClock(), &sleeps{}
		store := desk(t, 1)
		ep, srv := newEndpoint(t, c, secretA)
		block := make(chan struct{})
		t.Cleanup(func() { close(block) })
		ep.answer = func(n int, _ ticket.Event) int {
			if n == 1 {
				<-block // outlives the client's timeout
			}
			return 0
		}
		s := newSender(t, store, c, sl, srv.URL, func(cfg *Config) { cfg.Client = &http.Client{Timeout: 100 * time.Millisecond} })
		r, err := s.Flush(ctx)
		if err != nil || r.Delivered != 1 || len(sl.d) != 1 {
			t.Fatalf("flush: %+v, %v, waits %v; want one retry after the timeout", r, err, sl.d)
		}
	})

	t.Run("redirect_to_another_host_not_followed", func(t *testing.T) {
		c, sl := newClock(), &sleeps{}
		store := desk(t, 2)
		other, otherSrv := newEndpoint(t, c, secretA)
		for _, code := range []int{http.StatusTemporaryRedirect, http.StatusFound} {
			redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, otherSrv.URL+"/stolen", code)
			}))
			t.Cleanup(redirector.Close)
			s := newSender(t, store, c, sl, redirector.URL, nil)
			r, err := s.Flush(ctx)
			if err != nil || r.Parked != 2 {
				t.Fatalf("%d: flush %+v, %v; want both parked", code, r, err)
			}
			if posts, _ := other.count(); posts != 0 {
				t.Fatalf("%d: the other host got %d requests", code, posts)
			}
			dead := s.DeadLetters().(*MemDeadLetters).List("")
			if len(dead) != 2 || dead[0].Status != code || !strings.Contains(dead[0].Answer, "/stolen not followed") {
				t.Fatalf("%d: dead letters %+v", code, dead)
			}
			store = desk(t, 2)
		}
	})

	t.Run("redirect_on_same_host_followed_with_body", func(t *testing.T) {
		c, sl := newClock(), &sleeps{}
		store := desk(t, 1)
		ep, _ := newEndpoint(t, c, secretA)
		mux := http.NewServeMux()
		mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/new", http.StatusPermanentRedirect)
		})
		mux.Handle("/new", ep.v.Handler(func(_ context.Context, d Delivery) error {
			ep.mu.Lock()
			ep.kept[d.ID] = ticket.Event{}
			ep.mu.Unlock()
			return nil
		}))
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		s := newSender(t, store, c, sl, srv.URL+"/old", nil)
		if r, err := s.Flush(ctx); err != nil || r.Delivered != 1 {
			t.Fatalf("flush: %+v, %v", r, err)
		}
		if _, kept := ep.count(); kept != 1 {
			t.Fatal("the 308 target did not verify the event")
		}
	})

	t.Run("rotation_two_secrets", func(t *testing.T) {
		c, sl := newClock(), &sleeps{}
		store := desk(t, 2)
		// The receiver already moved to B; the sender signs with A and B.
		ep, srv := newEndpoint(t, c, secretB)
		s := newSender(t, store, c, sl, srv.URL, func(cfg *Config) { cfg.Secrets = []string{secretA, secretB} })
		if r, err := s.Flush(ctx); err != nil || r.Delivered != 2 {
			t.Fatalf("flush: %+v, %v", r, err)
		}
		if _, kept := ep.count(); kept != 2 {
			t.Fatalf("the receiver on the new secret kept %d of 2", kept)
		}
		// A receiver still on A only refuses B alone.
		store = desk(t, 1)
		_, srvA := newEndpoint(t, c, secretA)
		s = newSender(t, store, c, sl, srvA.URL, func(cfg *Config) { cfg.Secrets = []string{secretB} })
		if r, err := s.Flush(ctx); err != nil || r.Parked != 1 || s.DeadLetters().(*MemDeadLetters).List("")[0].Status != 401 {
			t.Fatalf("flush with the wrong secret: %+v, %v", r, err)
		}
	})

	t.Run("crash_before_ack_redelivers_same_id_kept_once", func(t *testing.T) {
		c, sl := newClock(), &sleeps{}
		store := desk(t, 2)
		ep, srv := newEndpoint(t, c, secretA)
		s := newSender(t, crashOutbox{store}, c, sl, srv.URL, nil)
		if _, err := s.Flush(ctx); !errors.Is(err, errCrash) {
			t.Fatalf("flush: %v, want the crash", err)
		}
		c.Add(30 * time.Second)
		s = newSender(t, store, c, sl, srv.URL, nil)
		if r, err := s.Flush(ctx); err != nil || r.Delivered != 2 {
			t.Fatalf("flush after restart: %+v, %v", r, err)
		}
		if posts, kept := ep.count(); posts != 3 || kept != 2 {
			t.Fatalf("%d posts, %d kept; want 3 and 2", posts, kept)
		}
	})

	t.Run("bad_config", func(t *testing.T) {
		for _, cfg := range []Config{
			{URL: "", Secrets: []string{secretA}},
			{URL: "ftp://x", Secrets: []string{secretA}},
			{URL: "/relative", Secrets: []string{secretA}},
			{URL: "http://x", Secrets: []string{secretA}, Attempts: -1},
		} {
			if _, err := New(desk(t, 0), cfg); !errors.Is(err, ErrInvalid) {
				t.Errorf("New(%+v): %v, want ErrInvalid", cfg, err)
			}
		}
		if _, err := New(nil, Config{URL: "http://x", Secrets: []string{secretA}}); !errors.Is(err, ErrInvalid) {
			t.Errorf("New(nil): %v", err)
		}
	})
}

var errCrash = errors.New("crash before ack")

type crashOutbox struct{ *ticket.MemStore }

func (crashOutbox) Ack(context.Context, string, string, ...uuid.UUID) error { return errCrash }

// TestSend: Send settles at most one batch and leaves the rest pending.
func TestSend(t *testing.T) {
	c, sl := newClock(), &sleeps{}
	store := desk(t, 5)
	ep, srv := newEndpoint(t, c, secretA)
	s := newSender(t, store, c, sl, srv.URL, nil)
	r, err := s.Send(context.Background(), 2)
	if err != nil || r.Delivered != 2 || len(pending(t, store)) != 3 {
		t.Fatalf("send: %+v, %v, %d pending; want 2 delivered and 3 pending", r, err, len(pending(t, store)))
	}
	if _, kept := ep.count(); kept != 2 {
		t.Fatalf("receiver kept %d", kept)
	}
}

// TestSenderHidesURLSecrets: a delivery that fails on the network names
// the endpoint by scheme and host in its error and in the log; the
// path, query and user information, where receivers put tokens, were
// in both.
func TestSenderHidesURLSecrets(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there: every attempt fails at once
	var logs bytes.Buffer
	c, sl := newClock(), &sleeps{}
	store := desk(t, 1)
	s := newSender(t, store, c, sl, "http://user:pw@"+addr+"/hooks/TOKEN123?key=KEY456", func(cfg *Config) {
		cfg.Attempts = 2
		cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	_, err = s.Flush(context.Background())
	if err == nil {
		t.Fatal("a delivery to a closed port succeeded")
	}
	for _, secret := range []string{"TOKEN123", "KEY456", "pw@", "user"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error shows %q: %v", secret, err)
		}
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log shows %q: %s", secret, logs.String())
		}
	}
	if !strings.Contains(err.Error(), "http://"+addr+"/...") {
		t.Errorf("the error does not name the endpoint's host: %v", err)
	}
}
