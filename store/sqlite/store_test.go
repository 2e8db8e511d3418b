package sqlite

import (
	"context"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/store/sqlstore/sqlstoretest"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/ticket/tickettest"
)

// The adapter's own tests use the suite's ticket fixtures.
var (
	newTicket = tickettest.NewTicket
	next      = tickettest.Next
	testBase  = tickettest.T0
)

func tables(t *testing.T, s *Store) []string {
	t.Helper()
	return sqlstoretest.Column(t, executor{s.db}, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
}

func TestMigrations(t *testing.T) {
	files, err := fs.Glob(Migrations, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"001_tickets.down.sql", "001_tickets.up.sql", "002_followups.down.sql", "002_followups.up.sql",
		"003_rosters.down.sql", "003_rosters.up.sql", "004_ticket_general.down.sql", "004_ticket_general.up.sql",
		"005_ticket_indexes.down.sql", "005_ticket_indexes.up.sql", "006_ticket_tags.down.sql", "006_ticket_tags.up.sql"}
	if !slices.Equal(files, want) {
		t.Fatalf("exported files %v, want %v", files, want)
	}
	s, _ := openStore(t)
	ctx := context.Background()
	before := tables(t, s)
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if after := tables(t, s); !slices.Equal(before, after) {
		t.Fatalf("a second Migrate changed the tables: %v -> %v", before, after)
	}
	ms, err := ListMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(ms) {
		t.Fatalf("schema version %d (%v), want %d", v, err, len(ms))
	}
	if err := s.MigrateTo(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if got := tables(t, s); !slices.Equal(got, []string{"desk_schema_migrations"}) {
		t.Fatalf("after migrating down to 0: %v", got)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if got := tables(t, s); !slices.Equal(got, before) {
		t.Fatalf("after migrating up again: %v, want %v", got, before)
	}
}

// The point of the adapter: a single-process desk keeps its data across
// restarts (T14).
func TestDataSurvivesReopen(t *testing.T) {
	s, path := openStore(t)
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	tickettest.MustCreate(t, s.Tickets(), tk, ev)
	n, nev := next(tk, ticket.Dispatched, "to the plumber")
	if err := s.Tickets().Update(ctx, n, nev); err != nil {
		t.Fatal(err)
	}
	task := followuptest.NewTask("north", 1, testBase)
	if err := s.Followups().Create(ctx, task); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if err := again.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := again.Tickets().ByNumber(ctx, "north", 1)
	if err != nil || got.Version != 2 || got.State != ticket.Dispatched {
		t.Fatalf("after reopening: %+v, %v", got, err)
	}
	h, _ := again.Tickets().History(ctx, "north", tk.ID)
	if len(h) != 2 || h[1].Note != "to the plumber" {
		t.Fatalf("history after reopening: %+v", h)
	}
	if p, _ := again.Tickets().Pending(ctx, "deriver", "north", 10); len(p) != 2 {
		t.Fatalf("%d outbox events after reopening, want 2", len(p))
	}
	if ft, err := again.Followups().Get(ctx, "north", task.ID); err != nil || ft.Version != 1 {
		t.Fatalf("task after reopening: %v, %v", ft, err)
	}
	var mode string
	if err := again.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q (%v), want wal", mode, err)
	}
}

// A caller saves its own row and a ticket change in one transaction:
// both commit or neither, and refusals leave the transaction usable.
func TestWithTx(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	db := s.sqlDB
	if _, err := db.ExecContext(ctx, `CREATE TABLE crm_notes (ticket TEXT PRIMARY KEY, text TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, commit := range []bool{false, true} {
		tk, ev := newTicket("north", 1)
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO crm_notes VALUES (?, 'called back')`, tk.ID.String()); err != nil {
			t.Fatal(err)
		}
		in := s.WithTx(tx)
		tickettest.MustCreate(t, in.Tickets(), tk, ev)
		if err := in.Tickets().Create(ctx, tk, []ticket.Event{ev}); !errors.Is(err, ticket.ErrConflict) {
			t.Fatalf("duplicate create in tx: %v, want ErrConflict", err)
		}
		stale, sev := next(tk, ticket.Dispatched, "x")
		stale.Version, sev.Seq = 7, 7
		if err := in.Tickets().Update(ctx, stale, sev); !errors.Is(err, ticket.ErrConflict) {
			t.Fatalf("stale update in tx: %v, want ErrConflict", err)
		}
		if err := in.Followups().Create(ctx, followuptest.NewTask("north", 1, testBase)); err != nil && !errors.Is(err, followup.ErrDuplicate) {
			t.Fatal(err)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
		_, getErr := s.Tickets().Get(ctx, "north", tk.ID)
		var notes int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM crm_notes WHERE ticket = ?`, tk.ID.String()).Scan(&notes); err != nil {
			t.Fatal(err)
		}
		h, _ := s.Tickets().History(ctx, "north", tk.ID)
		if commit && (getErr != nil || notes != 1 || len(h) != 1) {
			t.Fatalf("after commit: ticket %v, %d notes, %d events; want all, once", getErr, notes, len(h))
		}
		if !commit && (!errors.Is(getErr, ticket.ErrNotFound) || notes != 0) {
			t.Fatalf("after rollback: ticket %v, %d notes; want none", getErr, notes)
		}
	}
}

// A transition cancelled at any moment leaves the old state or the new
// one with its history and outbox rows.
func TestCancelledTransitions(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	tickettest.MustCreate(t, s.Tickets(), tk, ev)
	cur := tk
	interrupted := 0
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 200 {
		n, nev := next(cur, ticket.Received, "step")
		wctx, cancel := context.WithTimeout(ctx, time.Duration(rng.IntN(3000))*time.Microsecond)
		err := s.Tickets().Update(wctx, n, nev)
		cancel()
		var version, events, outbox int64
		if err := s.db.QueryRowContext(ctx, `SELECT version,
			(SELECT count(*) FROM desk_ticket_events WHERE ticket_id = t.id),
			(SELECT count(*) FROM desk_ticket_outbox o JOIN desk_ticket_events e ON e.id = o.event_id WHERE e.ticket_id = t.id)
			FROM desk_tickets t WHERE id = ?`, tk.ID.String()).Scan(&version, &events, &outbox); err != nil {
			t.Fatal(err)
		}
		if events != version || outbox != version {
			t.Fatalf("step %d: half-written: version %d, %d events, %d outbox entries", i, version, events, outbox)
		}
		if err == nil && version != n.Version {
			t.Fatalf("step %d reported success at version %d", i, version)
		}
		if err != nil {
			interrupted++
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("step %d: %v, want a deadline error", i, err)
			}
		}
		if version == n.Version {
			cur = n
		}
	}
	if interrupted == 0 {
		t.Fatal("no transition was interrupted")
	}
	t.Logf("%d of 200 transitions interrupted; ticket at version %d", interrupted, cur.Version)
}

func TestOpenRefusesEmptyPath(t *testing.T) {
	if _, err := Open(context.Background(), ""); err == nil {
		t.Fatal("Open with an empty path succeeded")
	}
	if got := DSN(filepath.Join("a?b", "c.db")); got[:14] != "file:a%3fb/c.d" {
		t.Fatalf("DSN did not escape the path: %s", got)
	}
}

// TestOpenPathAsGiven: a path is a file name whatever it holds; # in
// it opened the file named by what came before it (a URI fragment), so
// desk#1.db and desk#2.db were one database, "desk".
func TestOpenPathAsGiven(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"desk#1.db", "desk#2.db", "a%20b.db", "q?x=1.db", "c d&e.db"} {
		st, err := Open(ctx, filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := st.Migrate(ctx); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		st.Close()
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: not created: %v", name, err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); n == "desk" || n == "a b.db" || n == "q" {
			t.Errorf("a file %q was created for a path that named another", n)
		}
	}
}

// TestOutboxLowWaterMark: acknowledgements of a prefix fold into the
// consumer's mark and their rows are pruned; out-of-order acks keep the
// unacknowledged events pending; an event committed later is delivered.
func TestOutboxLowWaterMark(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	var ids []uuid.UUID
	for i := range 10 {
		tk, ev := newTicket([]string{"north", "south"}[i%2], i)
		tickettest.MustCreate(t, s.Tickets(), tk, ev)
		ids = append(ids, ev.ID)
	}
	// North's events are 0, 2, 4, 6, 8. Acknowledge 0, 2 and 6.
	if err := s.Tickets().Ack(ctx, "d", "north", ids[0], ids[2], ids[6]); err != nil {
		t.Fatal(err)
	}
	var low, acks int64
	if err := s.db.QueryRowContext(ctx, `SELECT low, (SELECT count(*) FROM desk_ticket_acks) FROM desk_ticket_consumers`).Scan(&low, &acks); err != nil {
		t.Fatal(err)
	}
	if low != 5 || acks != 1 { // seq 5 is north's 4th event (ids[4]); only the ack of ids[6] is above it
		t.Fatalf("mark %d with %d ack rows, want 5 and 1", low, acks)
	}
	got, _ := s.Tickets().Pending(ctx, "d", "north", 10)
	if len(got) != 2 || got[0].ID != ids[4] || got[1].ID != ids[8] {
		t.Fatalf("pending %v, want events 4 and 8", got)
	}
	if err := s.Tickets().Ack(ctx, "d", "north", ids[4], ids[8]); err != nil {
		t.Fatal(err)
	}
	late, lev := newTicket("north", 11)
	tickettest.MustCreate(t, s.Tickets(), late, lev)
	got, _ = s.Tickets().Pending(ctx, "d", "north", 10)
	if len(got) != 1 || got[0].ID != lev.ID {
		t.Fatalf("pending after the mark passed everything: %v, want the new event", got)
	}
	if err := s.Tickets().Ack(ctx, "d", "north", ids[0]); err != nil {
		t.Fatalf("acknowledging an event behind the mark: %v", err)
	}
}
