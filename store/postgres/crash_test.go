package postgres

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/ticket/tickettest"
)

// consistent checks that the ticket, its history and its outbox rows
// agree (T14: all of a change or none of it) and returns the version.
func consistent(t *testing.T, s *Store, desk string, id uuid.UUID) int64 {
	t.Helper()
	ctx := context.Background()
	// A statement whose client gave up may still commit on the server
	// between the two reads below; then both reads are taken again.
	for attempt := 0; ; attempt++ {
		var version, events, maxSeq, outbox int64
		err := s.DB().QueryRow(ctx, `SELECT t.version,
		(SELECT count(*) FROM desk_ticket_events e WHERE e.ticket_id = t.id),
		(SELECT coalesce(max(seq), 0) FROM desk_ticket_events e WHERE e.ticket_id = t.id),
		(SELECT count(*) FROM desk_ticket_outbox o JOIN desk_ticket_events e ON e.id = o.event_id WHERE e.ticket_id = t.id)
		FROM desk_tickets t WHERE t.id = $1 AND t.desk = $2`, id, desk).Scan(&version, &events, &maxSeq, &outbox)
		if err != nil {
			t.Fatal(err)
		}
		if events != version || maxSeq != version || outbox != version {
			t.Fatalf("ticket %s half-written: version %d, %d history events (max seq %d), %d outbox entries", id, version, events, maxSeq, outbox)
		}
		got, err := s.Tickets().Get(ctx, desk, id)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got.Version == version {
			return version
		}
		if attempt == 20 {
			t.Fatalf("Get: version %d, the tables say %d", got.Version, version)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitBlocked waits until backend pid waits on a lock.
func waitBlocked(t *testing.T, s *Store, pid uint32) {
	t.Helper()
	for range 500 {
		var waiting bool
		if err := s.DB().QueryRow(context.Background(),
			`SELECT coalesce(wait_event_type = 'Lock', false) FROM pg_stat_activity WHERE pid = $1`, int64(pid)).Scan(&waiting); err == nil && waiting {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("backend %d never blocked", pid)
}

// TestCrashMidTransition interrupts a redaction (a multi-statement
// write: ticket, new event, outbox entry, then the rewritten events)
// after its first statements ran and while it waits on a lock, once by
// dropping the connection and once by cancelling the context. The
// ticket keeps its old state with nothing of the change.
func TestCrashMidTransition(t *testing.T) {
	for _, how := range []string{"T14 connection dropped", "T14 context cancelled"} {
		t.Run(how, func(t *testing.T) {
			s, url := openStore(t)
			ctx := context.Background()
			tk, ev := newTicket("north", 1)
			ev.Note = "caller said: Wang, 13800000000"
			tickettest.MustCreate(t, s.Tickets(), tk, ev)
			// Hold a lock on the event to be redacted, so the redaction
			// stops after writing the ticket, its event and outbox entry.
			locker, err := s.DB().Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer locker.Rollback(ctx)
			if _, err := locker.Exec(ctx, `SELECT 1 FROM desk_ticket_events WHERE id = $1 FOR UPDATE`, ev.ID); err != nil {
				t.Fatal(err)
			}
			conn, err := pgx.Connect(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			pid := conn.PgConn().PID()
			wctx, cancel := context.WithCancel(ctx)
			defer cancel()
			red, rev := next(tk, tk.State, "personal data erased")
			redacted := ev
			redacted.Note = "[erased]"
			done := make(chan error, 1)
			go func() { done <- New(conn).Tickets().Redact(wctx, red, []ticket.Event{redacted}, rev) }()
			waitBlocked(t, s, pid)
			if how == "T14 connection dropped" {
				if _, err := s.DB().Exec(ctx, `SELECT pg_terminate_backend($1)`, int64(pid)); err != nil {
					t.Fatal(err)
				}
			} else {
				cancel()
			}
			if err := <-done; err == nil {
				t.Fatal("the interrupted redaction reported success")
			}
			if err := locker.Rollback(ctx); err != nil {
				t.Fatal(err)
			}
			if v := consistent(t, s, "north", tk.ID); v != 1 {
				t.Fatalf("after the interruption the ticket is at version %d, want the old 1", v)
			}
			h, _ := s.Tickets().History(ctx, "north", tk.ID)
			if h[0].Note != ev.Note {
				t.Fatalf("history changed by an interrupted redaction: %q", h[0].Note)
			}
		})
	}
}

// TestCrashBeforeCommit: a transition written inside the caller's
// transaction whose connection dies before commit leaves the old state.
func TestCrashBeforeCommit(t *testing.T) {
	s, url := openStore(t)
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	tickettest.MustCreate(t, s.Tickets(), tk, ev)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, nev := next(tk, ticket.Dispatched, "never committed")
	if err := New(tx).Tickets().Update(ctx, n, nev); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(ctx, `SELECT pg_terminate_backend($1)`, int64(conn.PgConn().PID())); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err == nil {
		t.Fatal("commit on a terminated connection succeeded")
	}
	if v := consistent(t, s, "north", tk.ID); v != 1 {
		t.Fatalf("version %d after a lost commit, want 1", v)
	}
}

// TestCancelledTransitions cancels transitions at random moments: each
// ends in the old state or the new one with its history and outbox
// rows, and a reported success is always stored.
func TestCancelledTransitions(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	tickettest.MustCreate(t, s.Tickets(), tk, ev)
	rng := rand.New(rand.NewPCG(1, 2))
	cur := tk
	cancelled := 0
	for i := range 150 {
		n, nev := next(cur, ticket.Received, "step")
		wctx, cancel := context.WithTimeout(ctx, time.Duration(rng.IntN(1500))*time.Microsecond)
		var err error
		if i%3 == 0 {
			err = s.Tickets().Redact(wctx, n, []ticket.Event{{ID: ev.ID, Note: "erased"}}, nev)
		} else {
			err = s.Tickets().Update(wctx, n, nev)
		}
		cancel()
		if err != nil {
			// A cancelled statement may still finish on the server after
			// the client gave up: wait for it before looking.
			quiesce(t, s)
		}
		v := consistent(t, s, "north", tk.ID)
		switch {
		case err == nil && v != n.Version:
			t.Fatalf("step %d reported success but the ticket is at version %d", i, v)
		case err != nil && v != n.Version && v != cur.Version:
			t.Fatalf("step %d: version %d is neither old %d nor new %d", i, v, cur.Version, n.Version)
		case err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(wctx.Err(), context.DeadlineExceeded):
			t.Fatalf("step %d: unexpected error %v", i, err)
		}
		if err != nil {
			cancelled++
		}
		if v == n.Version {
			cur = n
		}
	}
	if cancelled == 0 {
		t.Fatal("no transition was interrupted; the timeouts are too long to test anything")
	}
	t.Logf("%d of 150 transitions interrupted, ticket at version %d", cancelled, cur.Version)
}

// quiesce waits until no other session of this test (its sessions share
// the test schema's application_name) runs a query; sessions of other
// tests on a shared server are not waited for.
func quiesce(t *testing.T, s *Store) {
	t.Helper()
	idle := 0
	for range 200 {
		var busy int
		if err := s.DB().QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
			  AND application_name = current_setting('application_name') AND state <> 'idle'`).Scan(&busy); err != nil {
			t.Fatal(err)
		}
		// Idle three times running: a statement still on its way to the
		// server when the client gave up has had time to show up.
		if idle = idle + 1; busy != 0 {
			idle = 0
		}
		if idle == 3 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	rows, _ := s.DB().Query(context.Background(), `SELECT state, coalesce(wait_event_type, ''), left(query, 60) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
		  AND application_name = current_setting('application_name') AND state <> 'idle'`)
	for rows.Next() {
		var st, w, q string
		_ = rows.Scan(&st, &w, &q)
		t.Logf("busy: %s %s %s", st, w, q)
	}
	rows.Close()
	t.Fatal("other sessions stayed busy")
}
