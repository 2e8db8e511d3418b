package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/roster/rostertest"
	"github.com/servicedesk-go/desk/store/sqlstore"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/ticket/tickettest"
)

// legacyDesks are the desks filled under the schema before 007_desk_keys;
// the suites use other desk names, so these rows are bystanders.
var legacyDesks = []string{"legacy-east", "legacy-west"}

// legacy is what fillLegacy wrote, to be found again after the migration.
type legacy struct {
	tickets   []*ticket.Ticket
	unacked   map[string][]uuid.UUID // per desk: events the desk consumer has not acknowledged
	allUnack  int                    // events the every-desk consumer has not acknowledged
	tasks     []*followup.Task
	claimedID uuid.UUID
	duty      roster.Duty
}

// openLegacy migrates a fresh schema to version 6 (the keys on id alone),
// fills it through the adapter (tickets with history, follow-ups one of
// them claimed, a roster record) and with the acknowledgements of a desk
// consumer and of an every-desk consumer as version 6 wrote them, then
// migrates up in the tests' layout.
func openLegacy(t *testing.T) (*Store, *legacy) {
	t.Helper()
	ctx := context.Background()
	s := openAtVersion(t, freshSchema(t), deskKeysVersion-1)
	l := fillLegacy(t, s)
	// The ticket suite's consumer of every desk ("sys") expects to see
	// the suite's events only: it acknowledged the legacy desks' events
	// before the migration, and they stay acknowledged after it.
	if _, err := s.db.Exec(ctx, `INSERT INTO desk_ticket_acks (consumer, scope, event_id)
SELECT 'sys', '', event_id FROM desk_ticket_outbox`); err != nil {
		t.Fatal(err)
	}
	if err := s.MigrateWith(ctx, testLayout(t)); err != nil {
		t.Fatalf("migrating a filled schema up: %v", err)
	}
	checkLegacy(t, s, l)
	return s, l
}

func fillLegacy(t *testing.T, s *Store) *legacy {
	t.Helper()
	ctx := context.Background()
	l := &legacy{unacked: map[string][]uuid.UUID{}}
	for i, desk := range legacyDesks {
		for n := range 3 {
			tk, ev := newTicket(desk, 10*i+n)
			up, uev := next(tk, ticket.Dispatched, "to the plumber")
			up.Department = "water works"
			up.Tags = []string{"legacy", fmt.Sprint("batch-", n)}
			legacyTicket(t, s, up, ev, uev)
			l.tickets = append(l.tickets, up)
			// The desk consumer acknowledges the receive event only; the
			// every-desk consumer acknowledges the first ticket's events.
			legacyAck(t, s, "deriver", desk, ev.ID)
			l.unacked[desk] = append(l.unacked[desk], uev.ID)
			if i == 0 && n == 0 {
				legacyAck(t, s, "audit", "", ev.ID, uev.ID)
			} else {
				l.allUnack += 2
			}
		}
	}
	fs := s.Followups()
	at := testBase
	for i, desk := range legacyDesks {
		task := followuptest.NewTask(desk, 100+i, at)
		if err := fs.Create(ctx, task); err != nil {
			t.Fatal(err)
		}
		l.tasks = append(l.tasks, task)
	}
	got, err := fs.Claim(ctx, legacyDesks[0], followup.Claim{Owner: "w1", Token: uuid.New(), Now: at, For: time.Hour, Limit: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("claim under the old schema: %d tasks, %v", len(got), err)
	}
	l.claimedID = got[0].ID
	l.duty = roster.Duty{ID: uuid.New(), Desk: legacyDesks[1], Agent: "amy", Kind: roster.HolidayDuty,
		Start: at, End: at.Add(8 * time.Hour), ForwardTo: "front desk"}
	if err := s.Rosters().AddDuty(ctx, l.duty); err != nil {
		t.Fatal(err)
	}
	return l
}

// legacyTicket writes a ticket with its history (both events in the
// outbox) as the adapter of schema version 6 did: the columns of that
// version only, so later steps must fill theirs from the body.
func legacyTicket(t *testing.T, s *Store, tk *ticket.Ticket, history ...ticket.Event) {
	t.Helper()
	ctx := context.Background()
	body, err := json.Marshal(tk)
	if err != nil {
		t.Fatal(err)
	}
	k := sqlstore.KeysOf(tk)
	if err := s.db.QueryRow(ctx, `INSERT INTO desk_ticket_numbers AS c (desk, last) VALUES ($1, 1)
ON CONFLICT (desk) DO UPDATE SET last = c.last + 1 RETURNING last`, tk.Desk).Scan(&tk.Number); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO desk_tickets (id, desk, number, version, state, kind, owner, assignee, customer,
    complaint_class, complaint_severity, incomplete, next_due, received_at, updated_at, body, priority, tags)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		tk.ID, tk.Desk, tk.Number, tk.Version, k.State, k.Kind, k.Owner, k.Assignee, k.Customer, k.Class, k.Severity,
		k.Incomplete, k.NextDue, k.Received, k.Updated, body, k.Priority, k.Tags); err != nil {
		t.Fatalf("writing a ticket under the old schema: %v", err)
	}
	for _, e := range history {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.Exec(ctx, `INSERT INTO desk_ticket_events (id, desk, ticket_id, seq, body) VALUES ($1, $2, $3, $4, $5)`,
			e.ID, e.Desk, e.Ticket, e.Seq, b); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.Exec(ctx, `INSERT INTO desk_ticket_outbox (desk, event_id) VALUES ($1, $2)`, e.Desk, e.ID); err != nil {
			t.Fatal(err)
		}
	}
}

// legacyAck acknowledges events as the adapter of schema version 6 did
// (its acknowledgement rows had no desk; the adapter of today writes
// one).
func legacyAck(t *testing.T, s *Store, consumer, scope string, ids ...uuid.UUID) {
	t.Helper()
	tag, err := s.db.Exec(context.Background(), `INSERT INTO desk_ticket_acks (consumer, scope, event_id)
SELECT $1, $2, event_id FROM desk_ticket_outbox WHERE event_id = ANY($3::uuid[]) AND ($2 = '' OR desk = $2)`, consumer, scope, ids)
	if err != nil || tag.RowsAffected() != int64(len(ids)) {
		t.Fatalf("acknowledging under the old schema: %d rows, %v", tag.RowsAffected(), err)
	}
}

// checkLegacy finds every row of fillLegacy again, and the consumers'
// progress: nothing acknowledged comes back, nothing unacknowledged is
// lost.
func checkLegacy(t *testing.T, s *Store, l *legacy) {
	t.Helper()
	ctx := context.Background()
	ts := s.Tickets()
	for _, want := range l.tickets {
		got, err := ts.Get(ctx, want.Desk, want.ID)
		if err != nil || got.Version != want.Version || got.Number != want.Number || got.State != want.State {
			t.Fatalf("ticket %s after the migration: %+v, %v", want.ID, got, err)
		}
		// The department key (008) and the tag rows (010) are filled
		// from the body.
		if in, err := ts.List(ctx, want.Desk, ticket.Filter{Department: want.Department}); err != nil || !slices.ContainsFunc(in, func(x *ticket.Ticket) bool { return x.ID == want.ID }) {
			t.Fatalf("ticket %s is not in its department's list after the migration (%v)", want.ID, err)
		}
		if in, err := ts.List(ctx, want.Desk, ticket.Filter{Tags: want.Tags}); err != nil || len(in) != 1 || in[0].ID != want.ID {
			t.Fatalf("tags %v after the migration: %d tickets, %v; want ticket %s alone", want.Tags, len(in), err, want.ID)
		}
		if h, err := ts.History(ctx, want.Desk, want.ID); err != nil || len(h) != 2 {
			t.Fatalf("history of %s after the migration: %d events, %v", want.ID, len(h), err)
		}
	}
	for desk, want := range l.unacked {
		got, err := ts.Pending(ctx, "deriver", desk, 100)
		if err != nil {
			t.Fatal(err)
		}
		var ids []uuid.UUID
		for _, e := range got {
			ids = append(ids, e.ID)
		}
		if !slices.Equal(ids, want) {
			t.Fatalf("desk %s: pending after the migration %v, want %v", desk, ids, want)
		}
	}
	if all, err := ts.Pending(ctx, "audit", "", 100); err != nil || len(all) != l.allUnack {
		t.Fatalf("every-desk consumer: %d pending after the migration (%v), want %d", len(all), err, l.allUnack)
	}
	for _, want := range l.tasks {
		got, err := s.Followups().Get(ctx, want.Desk, want.ID)
		if err != nil {
			t.Fatalf("task %s after the migration: %v", want.ID, err)
		}
		if claimed := got.ID == l.claimedID; claimed != (got.Status == followup.Claimed) {
			t.Fatalf("task %s after the migration is %s", got.ID, got.Status)
		}
	}
	if d, err := s.Rosters().Duties(ctx, l.duty.Desk, l.duty.Start, l.duty.End); err != nil || len(d) != 1 || d[0].ID != l.duty.ID {
		t.Fatalf("duty after the migration: %v, %v", d, err)
	}
}

// openAtVersion opens a store on url migrated to version.
func openAtVersion(t *testing.T, url string, version int) *Store {
	t.Helper()
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.MigrateTo(context.Background(), version); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestDeskKeys shows the layout of 007_desk_keys: every primary key,
// unique constraint, foreign key and index of the adapter's tables
// leads with the desk, except the outbox's xid index, which serves the
// consumer of every desk (the one reader that spans desks).
func TestDeskKeys(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	rows, err := s.db.Query(ctx, `
SELECT i.indexrelid::regclass::text, a.attname
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
WHERE c.relname LIKE 'desk\_%' AND c.relname <> 'desk_schema_migrations' AND NOT c.relispartition
UNION ALL
SELECT f.conname, a.attname
FROM pg_constraint f
JOIN pg_class c ON c.oid = f.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = f.conkey[1]
WHERE f.contype = 'f' AND c.relname LIKE 'desk\_%' AND NOT c.relispartition`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var name, first string
		if err := rows.Scan(&name, &first); err != nil {
			t.Fatal(err)
		}
		seen++
		switch {
		case name == "desk_ticket_outbox_xid":
		case name == "desk_ticket_consumers_pkey" && first == "scope": // the scope is the desk
		case first != "desk":
			t.Errorf("%s leads with %s, not desk", name, first)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if seen < 15 {
		t.Fatalf("found %d keys and indexes; the query missed the tables", seen)
	}
	parts, err := s.Partitioned(ctx)
	if err != nil || parts != testLayout(t).Partitions {
		t.Fatalf("%d partitions (%v), want %d", parts, err, testLayout(t).Partitions)
	}
}

// TestMigrateFilledSchema: a schema filled under version 6 migrates to
// the desk keys (in the tests' layout) without losing a row or a
// consumer's progress, and back down and up again.
func TestMigrateFilledSchema(t *testing.T) {
	s, l := openLegacy(t)
	ctx := context.Background()
	before := rowCounts(t, s)
	if err := s.MigrateTo(ctx, deskKeysVersion-1); err != nil {
		t.Fatalf("down to %d: %v", deskKeysVersion-1, err)
	}
	if parts, err := s.Partitioned(ctx); err != nil || parts != 0 {
		t.Fatalf("after going down: %d partitions, %v", parts, err)
	}
	if after := rowCounts(t, s); !slices.Equal(before, after) {
		t.Fatalf("rows per table %v before going down, %v after", before, after)
	}
	if err := s.MigrateWith(ctx, testLayout(t)); err != nil {
		t.Fatal(err)
	}
	checkLegacy(t, s, l)
	// The outbox keeps numbering after the rows it had.
	tk, ev := newTicket("legacy-east", 99)
	tickettest.MustCreate(t, s.Tickets(), tk, ev)
	got, err := s.Tickets().Pending(ctx, "deriver", "legacy-east", 100)
	if err != nil || len(got) != len(l.unacked["legacy-east"])+1 || got[len(got)-1].ID != ev.ID {
		t.Fatalf("pending after a new ticket: %d events, %v; want the new one last", len(got), err)
	}
}

// The three suites on a schema filled under version 6 and migrated up.

func TestTicketStoreMigrated(t *testing.T) {
	testURL(t)
	tickettest.RunStoreTests(t, func(t *testing.T) ticket.Store {
		s, _ := openLegacy(t)
		return s.Tickets()
	})
}

func TestFollowupStoreMigrated(t *testing.T) {
	testURL(t)
	followuptest.RunStoreTests(t, func(t *testing.T) followup.Store {
		s, _ := openLegacy(t)
		return s.Followups()
	})
}

func TestRosterStoreMigrated(t *testing.T) {
	testURL(t)
	rostertest.RunStoreTests(t, func(t *testing.T) roster.Store {
		s, _ := openLegacy(t)
		return s.Rosters()
	})
}

// rowCounts counts the rows of each table of the adapter.
func rowCounts(t *testing.T, s *Store) []int {
	t.Helper()
	var out []int
	for _, table := range []string{"desk_tickets", "desk_ticket_numbers", "desk_ticket_events", "desk_ticket_outbox",
		"desk_ticket_acks", "desk_ticket_consumers", "desk_followups", "desk_roster"} {
		var n int
		if err := s.db.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}
