package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/examples/desk/deskcmd"
	"github.com/servicedesk-go/desk/examples/desk/sim"
)

func runReport(t *testing.T, args ...string) *sim.Report {
	t.Helper()
	var out, errb bytes.Buffer
	if code := deskcmd.Main("dbrun", args, &out, &errb, openStore); code != 0 {
		t.Fatalf("dbrun %v: exit %d: %s", args, code, errb.String())
	}
	var r sim.Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// TestSQLiteContinues runs the desk twice on one SQLite file: the second
// run starts after the first one's last change, picks up its open
// tickets, and adds to what is stored.
func TestSQLiteContinues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "desk.db")
	r1 := runReport(t, "-store", "sqlite:"+path, "-days", "1", "-format", "json")
	r2 := runReport(t, "-store", "sqlite:"+path, "-days", "1", "-format", "json")
	if r2.EarlierTickets != r1.Tickets.Total || r2.Tickets.Total <= r1.Tickets.Total || !r2.From.After(r1.To) {
		t.Fatalf("second run: %d tickets (%d earlier) from %v; first had %d until %v", r2.Tickets.Total, r2.EarlierTickets, r2.From, r1.Tickets.Total, r1.To)
	}
	if len(r2.Refused) != 0 {
		t.Fatalf("the continued run refused actions: %v %v", r2.Refused, r2.RefusedAt)
	}
	said := ""
	for _, n := range r2.Happened {
		said += n.Text + "\n"
	}
	if !strings.Contains(said, "continued from the store") {
		t.Fatalf("the second run does not say it continued: %v", r2.Happened)
	}
}

func TestStoreFlag(t *testing.T) {
	for _, bad := range []string{"mysql://x", "sqlite:", "elsewhere"} {
		var out, errb bytes.Buffer
		if code := deskcmd.Main("dbrun", []string{"-store", bad, "-days", "1"}, &out, &errb, openStore); code == 0 || strings.Count(errb.String(), "dbrun:") != 1 {
			t.Errorf("-store %q: exit %d, %q", bad, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := deskcmd.Main("dbrun", []string{"-h"}, &out, &errb, openStore); code != 0 || !strings.Contains(errb.String(), "sqlite:PATH") {
		t.Errorf("-h: exit %d, %q", code, errb.String())
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
	r := runReport(t, "-store", url, "-days", "2", "-seed", "99", "-format", "json")
	if r.Tickets.Total == 0 || len(r.Refused) != 0 {
		t.Fatalf("postgres run: %d tickets, refused %v", r.Tickets.Total, r.Refused)
	}
}

var soakSQLiteDays = flag.Int("soak-sqlite-days", 3, "days of simulated traffic in the SQLite soak test (30 for the month)")

// TestSoakSQLite is the soak on the durable embedded store: short by
// default (every write is a synchronous SQLite commit, slow under the
// race detector), a month with -soak-sqlite-days 30. The run must refuse
// nothing and its report must count every stored ticket.
func TestSoakSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped in -short mode")
	}
	ctx := context.Background()
	stores, closeStores, err := openStore(ctx, "sqlite:"+filepath.Join(t.TempDir(), "soak.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer closeStores()
	r, err := sim.Run(ctx, sim.Config{Seed: 12, Start: time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC), Days: *soakSQLiteDays, Stores: stores})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range r.Tickets.ByKind {
		n += k.Total
	}
	if len(r.Refused) != 0 || r.Tickets.Total < 20**soakSQLiteDays || n != r.Tickets.Total || r.Followups.Total == 0 {
		t.Fatalf("%d tickets (%d by kind), %d follow-ups, refused %v %v", r.Tickets.Total, n, r.Followups.Total, r.Refused, r.RefusedAt)
	}
}
