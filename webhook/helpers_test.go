package webhook

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// desk returns a store whose outbox holds n events of desk "north".
func desk(t *testing.T, n int) *ticket.MemStore {
	t.Helper()
	store := ticket.NewMemStore()
	svc, err := ticket.New(store, ticket.Config{Desk: "north"})
	if err != nil {
		t.Fatal(err)
	}
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	for range n {
		if _, err := svc.Receive(context.Background(), li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone}); err != nil {
			t.Fatal(err)
		}
	}
	return store
}

// pending returns the events still unacknowledged by consumer "webhook".
func pending(t *testing.T, store *ticket.MemStore) []ticket.Event {
	t.Helper()
	p, err := store.Pending(context.Background(), "webhook", "north", 1000)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sleeps records the waits a sender asked for without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) Sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return nil
}

var (
	secretA = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"     // 24 bytes
	secretB = "whsec_" + "c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=" // "second-secret-for-rotation"
)
