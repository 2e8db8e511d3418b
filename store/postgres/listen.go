package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/servicedesk-go/desk/observe"
)

// NotifyChannel is the channel on which, once SetNotify turned it on,
// every transaction that adds ticket events to the outbox notifies, once
// per desk, with the desk as payload (migration 004).
const NotifyChannel = "desk_ticket_outbox"

// SetNotify turns the outbox notification on or off for the database
// (it persists; the migration leaves it off). With it on, Listen wakes
// runners as soon as events commit; with it off they find them at their
// next poll. It has a price: PostgreSQL serialises the commits of
// notifying transactions with a database-wide lock, so concurrent ticket
// writes queue behind one another's commit (measure it with
// BenchmarkNotify before turning it on for a busy desk).
func (s *Store) SetNotify(ctx context.Context, on bool) error {
	verb := "DISABLE"
	if on {
		verb = "ENABLE"
	}
	if _, err := s.db.Exec(ctx, "ALTER TABLE desk_ticket_outbox "+verb+" TRIGGER desk_ticket_outbox_notify"); err != nil {
		return fmt.Errorf("postgres: turning the outbox notification %s: %w", strings.ToLower(verb), err)
	}
	return nil
}

// Listen returns a channel that receives when a transaction that added
// ticket events of desk ("" for any desk) commits, for a runner's Wake;
// SetNotify must have turned the notification on.
// Notifications that arrive while one is pending merge. It holds one
// connection of the pool until ctx ends, then closes the channel; if the
// connection is lost it reconnects with backoff and sends once (events
// may have committed meanwhile). It needs a store made by Open.
func (s *Store) Listen(ctx context.Context, desk string) (<-chan struct{}, error) {
	if s.pool == nil {
		return nil, errors.New("postgres: Listen needs the pool of a store made by Open")
	}
	conn, err := s.listen(ctx)
	if err != nil {
		return nil, err
	}
	ch := make(chan struct{}, 1)
	wake := func() {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	go func() {
		defer close(ch)
		failures := 0
		for {
			n, err := conn.WaitForNotification(ctx)
			if err == nil {
				failures = 0
				if desk == "" || n.Payload == desk {
					wake()
				}
				continue
			}
			conn.Close(context.WithoutCancel(ctx))
			for {
				if ctx.Err() != nil {
					return
				}
				failures++
				d := min(100*time.Millisecond<<min(failures, 8), 30*time.Second)
				t := time.NewTimer(d - time.Duration(rand.Float64()*float64(d/2)))
				select {
				case <-ctx.Done():
					t.Stop()
					return
				case <-t.C:
				}
				if conn, err = s.listen(ctx); err == nil {
					wake()
					break
				}
			}
		}
	}()
	return ch, nil
}

// listen takes a connection out of the pool (it never returns: a
// listening connection must not serve other work) and listens on it.
func (s *Store) listen(ctx context.Context) (*pgx.Conn, error) {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	conn := c.Hijack()
	if _, err := conn.Exec(ctx, "LISTEN "+NotifyChannel); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return conn, nil
}

// Notifier is an observe.Observer that notifies NotifyChannel with the
// desk after each successful ticket action, from the writing process and
// outside its transaction: set it (with observe.Multi, among others) as
// the Observer of the ticket services that write, and runners elsewhere
// that Listen wake at once, without the commit-time lock of SetNotify.
// Notifications are coalesced per desk (one in flight, one queued) and
// sent by a goroutine per desk, so an action never waits for them; a
// process that dies between its commit and the notification leaves the
// event to the runners' next poll. Close stops the goroutines.
type Notifier struct {
	db     DB
	mu     sync.Mutex
	desks  map[string]chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Notifier returns a notifier on the store's connection.
func (s *Store) Notifier() *Notifier {
	ctx, cancel := context.WithCancel(context.Background())
	return &Notifier{db: s.db, desks: map[string]chan struct{}{}, ctx: ctx, cancel: cancel}
}

// Observe implements observe.Observer.
func (n *Notifier) Observe(_ context.Context, r observe.Report) {
	if r.Op != observe.Action || r.Outcome != observe.OK {
		return
	}
	n.mu.Lock()
	ch, ok := n.desks[r.Desk]
	if !ok {
		if n.ctx.Err() != nil {
			n.mu.Unlock()
			return
		}
		ch = make(chan struct{}, 1)
		n.desks[r.Desk] = ch
		n.wg.Add(1)
		go n.send(r.Desk, ch)
	}
	n.mu.Unlock()
	select {
	case ch <- struct{}{}:
	default: // one is queued already
	}
}

func (n *Notifier) send(desk string, ch chan struct{}) {
	defer n.wg.Done()
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-ch:
		}
		// A failed notification only delays the runners to their poll.
		_, _ = n.db.Exec(n.ctx, "SELECT pg_notify($1, $2)", NotifyChannel, desk)
	}
}

// Close stops sending; notifications still queued are dropped.
func (n *Notifier) Close() {
	n.mu.Lock()
	n.cancel()
	n.mu.Unlock()
	n.wg.Wait()
}
