package postgres

import (
	"context"
	"io/fs"
	"slices"
	"sync"
	"testing"

	"github.com/servicedesk-go/desk/store/sqlstore/sqlstoretest"
)

func TestMigrations(t *testing.T) {
	ms, err := ListMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 12 {
		t.Fatalf("%d migrations, want 12 (tickets, followups, rosters, notify, ticket_general, ticket_indexes, desk_keys, ticket_department, followup_body, ticket_tags, ticket_overdue, ticket_body)", len(ms))
	}
	files, err := fs.Glob(Migrations, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"001_tickets.down.sql", "001_tickets.up.sql", "002_followups.down.sql", "002_followups.up.sql",
		"003_rosters.down.sql", "003_rosters.up.sql", "004_notify.down.sql", "004_notify.up.sql",
		"005_ticket_general.down.sql", "005_ticket_general.up.sql", "006_ticket_indexes.down.sql", "006_ticket_indexes.up.sql",
		"007_desk_keys.down.sql", "007_desk_keys.up.sql", "008_ticket_department.down.sql", "008_ticket_department.up.sql",
		"009_followup_body.down.sql", "009_followup_body.up.sql", "010_ticket_tags.down.sql", "010_ticket_tags.up.sql",
		"011_ticket_overdue.down.sql", "011_ticket_overdue.up.sql", "012_ticket_body.down.sql", "012_ticket_body.up.sql"}
	if !slices.Equal(files, want) {
		t.Fatalf("exported files %v, want %v", files, want)
	}
}

func tables(t *testing.T, s *Store) []string {
	t.Helper()
	return sqlstoretest.Column(t, executor{s.db}, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`)
}

func TestMigrateTwiceIsNoop(t *testing.T) {
	s, _ := openStore(t) // migrated once
	ctx := context.Background()
	before := tables(t, s)
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if after := tables(t, s); !slices.Equal(before, after) {
		t.Fatalf("tables changed by a second Migrate: %v -> %v", before, after)
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM desk_schema_migrations`).Scan(&n); err != nil || n != latestVersion(t) {
		t.Fatalf("desk_schema_migrations has %d rows (%v), want %d", n, err, latestVersion(t))
	}
}

func TestMigrateDownAndUp(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	if err := s.MigrateTo(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if got := tables(t, s); !slices.Equal(got, []string{"desk_schema_migrations"}) {
		t.Fatalf("after migrating down to 0 the tables are %v", got)
	}
	if err := s.MigrateTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.SchemaVersion(ctx); v != 1 {
		t.Fatalf("schema version %d, want 1", v)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.SchemaVersion(ctx); v != latestVersion(t) {
		t.Fatalf("schema version %d, want %d", v, latestVersion(t))
	}
	if err := s.MigrateTo(ctx, latestVersion(t)+1); err == nil {
		t.Fatal("MigrateTo beyond the latest version succeeded")
	}
}

// Several processes starting at once all call Migrate; the advisory lock
// makes each step run once.
func TestMigrateConcurrently(t *testing.T) {
	url := freshSchema(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(ctx, url)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			errs <- s.Migrate(ctx)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent Migrate: %v", err)
		}
	}
	s := openAt(t, url)
	if v, err := s.SchemaVersion(ctx); err != nil || v != latestVersion(t) {
		t.Fatalf("schema version %d (%v), want %d", v, err, latestVersion(t))
	}
}

// latestVersion is the number of embedded migrations.
func latestVersion(t *testing.T) int {
	t.Helper()
	ms, err := ListMigrations()
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}
