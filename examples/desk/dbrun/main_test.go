package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSQLiteContinues runs the desk twice on one SQLite file: the second
// run starts after the first one's last change, picks up its open
// tickets, and adds to what is stored.
func TestSQLiteContinues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "desk.db")
	first := runReport(t, "-store", "sqlite:"+path, "-days", "1", "-format", "json")
	second := runReport(t, "-store", "sqlite:"+path, "-days", "1", "-format", "json")
	r1, r2 := decodeReport(t, first), decodeReport(t, second)
	if r2.Earlier != r1.Total || r2.Total <= r1.Total || !r2.From.After(r1.To) {
		t.Fatalf("second run: %d tickets (%d earlier) from %v; first had %d until %v", r2.Total, r2.Earlier, r2.From, r1.Total, r1.To)
	}
	if len(r2.Refused) != 0 {
		t.Fatalf("the continued run refused actions: %v %v", r2.Refused, r2.RefusedWhy)
	}
	if !strings.Contains(strings.Join(r2.Happened, "\n"), "continued from the store") {
		t.Fatalf("the second run does not say it continued: %v", r2.Happened)
	}
}

func TestStoreFlag(t *testing.T) {
	for _, bad := range []string{"mysql://x", "sqlite:", "elsewhere"} {
		var out, errb bytes.Buffer
		if err := run([]string{"-store", bad, "-days", "1"}, &out, &errb); err == nil {
			t.Errorf("-store %q accepted", bad)
		}
	}
}

// TestPostgresStore runs two days on PostgreSQL when CI provides one.
func TestPostgresStore(t *testing.T) {
	url := os.Getenv("DESK_TEST_POSTGRES")
	if url == "" {
		if os.Getenv("DESK_REQUIRE_POSTGRES") == "1" {
			t.Fatal("DESK_REQUIRE_POSTGRES=1 but DESK_TEST_POSTGRES is unset")
		}
		t.Skip("DESK_TEST_POSTGRES unset: the PostgreSQL run of the desk is checked in CI")
	}
	out := runReport(t, "-store", url, "-days", "2", "-seed", "99", "-format", "json")
	r := decodeReport(t, out)
	if r.Total == 0 || len(r.Refused) != 0 {
		t.Fatalf("postgres run: %d tickets, refused %v", r.Total, r.Refused)
	}
}

var soakSQLiteDays = flag.Int("soak-sqlite-days", 3, "days of simulated traffic in the SQLite soak test (30 for the month)")

// TestSoakSQLite is the soak test on the durable embedded store: short
// by default (every write is a synchronous SQLite commit, slow under the
// race detector), a month with -soak-sqlite-days 30.
func TestSoakSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped in -short mode")
	}
	cfg := Config{Seed: 12, Start: time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC), Days: *soakSQLiteDays}
	closeStore, err := openStore(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "soak.db"), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	soak(t, cfg)
}
