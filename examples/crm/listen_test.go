package main

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// Two replicas on one PostgreSQL schema: a write through A wakes B's
// derivation runner through LISTEN/NOTIFY, long before B's poll (an
// hour here), and B derives the follow-up (F2) of A's resolution.
func TestListenWakesOtherReplica(t *testing.T) {
	t.Run("F2_a_resolution_through_one_replica_derived_by_the_other_at_once", func(t *testing.T) {
		url := freshPostgres(t)
		ctx := context.Background()
		replica := func() (*server, func()) {
			c := &clock{t: start}
			cfg := Config{Desks: []string{"north"}, Location: shanghai, RosterStart: roster.D(2026, 3, 2),
				RosterCycles: 1, Now: c.Now, Seed: 7, Auth: HeaderAuth{}}
			closeStore, err := openStore(ctx, url, 4, true, &cfg)
			if err != nil {
				t.Fatal(err)
			}
			srv, err := newServer(cfg)
			if err != nil {
				closeStore()
				t.Fatal(err)
			}
			return srv, closeStore
		}
		a, closeA := replica()
		defer closeA()
		b, closeB := replica()
		defer closeB()
		if a.cfg.Listen == nil || a.cfg.Notify == nil {
			t.Fatal("a PostgreSQL store set no Listen or Notify")
		}
		runCtx, stop := context.WithCancel(ctx)
		waitB := startRunners(t, b, runCtx, RunnerConfig{Derive: time.Hour})
		defer func() { stop(); waitB() }()
		time.Sleep(200 * time.Millisecond) // B's first round (at start) is over

		fa := &fixture{srv: a}
		tk := fa.newRepair(t, "north")
		fa.as(li, ticket.RoleAgent).must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "engineering"})
		fa.as(zhao, ticket.RoleDepartment).must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "resolve"), map[string]any{"summary": "sealed"})
		fb := &fixture{srv: b}
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			var p taskPage
			fb.as(li, ticket.RoleAgent).must(t, http.StatusOK, "GET", "/desks/north/followups?ticket="+tk.ID.String(), nil).decode(t, &p)
			if len(p.Tasks) > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("B derived nothing in 10 s from A's writes: no wake-up reached it")
			}
		}
	})
}

// Wake-ups within the gap merge into one; one after the gap passes.
func TestGatherMergesWakeups(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in := make(chan struct{}, 1)
	out := gather(ctx, 200*time.Millisecond, in, nil)
	count := func(d time.Duration) int {
		n := 0
		end := time.After(d)
		for {
			select {
			case <-out:
				n++
			case <-end:
				return n
			}
		}
	}
	in <- struct{}{}
	if n := count(50 * time.Millisecond); n != 1 {
		t.Fatalf("the first wake-up: %d forwarded, want 1", n)
	}
	for range 20 {
		select {
		case in <- struct{}{}:
		default:
		}
		time.Sleep(time.Millisecond)
	}
	if n := count(100 * time.Millisecond); n != 0 {
		t.Errorf("wake-ups within the gap: %d forwarded before it passed", n)
	}
	if n := count(500 * time.Millisecond); n != 1 {
		t.Errorf("wake-ups within the gap: %d forwarded once it passed, want 1", n)
	}
}

// A replica whose LISTEN failed at start (the database away for that
// moment) tries again and, once it listens, is woken by the other
// replicas' writes; it used to poll for the rest of its life. Two
// replicas share memory stores here; B's Listen fails once, then
// listens on a channel the test fills in place of PostgreSQL.
func TestListenRetriedAfterFailure(t *testing.T) {
	t.Run("F2_a_replica_whose_first_listen_failed_is_woken_once_it_listens", func(t *testing.T) {
		tickets, tasks, rosters := ticket.NewMemStore(), followup.NewMemStore(), roster.NewMemStore()
		replica := func(listen func(context.Context) (<-chan struct{}, error)) *server {
			c := &clock{t: start}
			srv, err := newServer(Config{Desks: []string{"north"}, Location: shanghai, RosterStart: roster.D(2026, 3, 2),
				RosterCycles: 1, Now: c.Now, NewID: ticket.NewV7, Seed: 7, Auth: HeaderAuth{},
				Tickets: tickets, Followups: tasks, Rosters: rosters, Listen: listen})
			if err != nil {
				t.Fatal(err)
			}
			return srv
		}
		others := make(chan struct{}, 1)
		listening := make(chan struct{})
		var calls atomic.Int64
		a := replica(nil)
		b := replica(func(ctx context.Context) (<-chan struct{}, error) {
			if calls.Add(1) == 1 {
				return nil, errors.New("connection refused")
			}
			close(listening)
			return others, nil
		})
		runCtx, stop := context.WithCancel(context.Background())
		waitB := startRunners(t, b, runCtx, RunnerConfig{Derive: time.Hour})
		defer func() { stop(); waitB() }()
		select {
		case <-listening:
		case <-time.After(time.Minute):
			t.Fatalf("B called Listen %d times in a minute and never listened", calls.Load())
		}

		fa := &fixture{srv: a} // A runs no runner: only B derives
		tk := fa.newRepair(t, "north")
		fa.as(li, ticket.RoleAgent).must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "engineering"})
		fa.as(zhao, ticket.RoleDepartment).must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "resolve"), map[string]any{"summary": "sealed"})
		others <- struct{}{} // A's notification
		fb := &fixture{srv: b}
		waitFor(t, func() bool {
			var p taskPage
			fb.as(li, ticket.RoleAgent).must(t, http.StatusOK, "GET", "/desks/north/followups?ticket="+tk.ID.String(), nil).decode(t, &p)
			return len(p.Tasks) > 0
		})
	})
}
