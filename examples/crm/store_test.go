package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/servicedesk-go/desk/store/sqlite"
)

// TestOpenStore: -store sqlite:PATH is migrated at start and ready;
// a schema at another version than the build expects is not ready; a
// malformed -store is refused.
func TestOpenStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crm.db")
	var cfg Config
	closeStore, err := openStore(ctx, "sqlite:"+path, 0, true, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Tickets == nil || cfg.Followups == nil || cfg.Rosters == nil || cfg.Ready == nil {
		t.Fatalf("stores not wired: %+v", cfg)
	}
	if err := cfg.Ready(ctx); err != nil {
		t.Errorf("a freshly migrated store is not ready: %v", err)
	}
	closeStore()

	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ms, _ := sqlite.ListMigrations()
	if err := st.MigrateTo(ctx, ms[0].Version); err != nil {
		t.Fatal(err)
	}
	err = schemaAt(st.SchemaVersion, ms[len(ms)-1].Version)(ctx)
	if len(ms) > 1 && (err == nil || !strings.Contains(err.Error(), "version")) {
		t.Errorf("a schema rolled back to version %d is ready: %v", ms[0].Version, err)
	}
	for _, bad := range []string{"sqlite:", "mysql://x", "postgres"} {
		if _, err := openStore(ctx, bad, 0, true, &Config{}); err == nil {
			t.Errorf("-store %q accepted", bad)
		}
	}
	if got := withPoolSize("postgres://h/db?sslmode=disable", 8); got != "postgres://h/db?sslmode=disable&pool_max_conns=8" {
		t.Errorf("pool size: %s", got)
	}
	if got := withPoolSize("postgres://h/db?pool_max_conns=3", 8); got != "postgres://h/db?pool_max_conns=3" {
		t.Errorf("a pool size in the URL was overridden: %s", got)
	}
}

// TestOpenStoreSQLitePath: -store sqlite:PATH opens the file PATH names,
// whatever it holds: the driver reads the path as a URI, so "crm#1.db"
// opened "crm" (and crm#2.db the same database) until sqlite.DSN
// escaped #.
func TestOpenStoreSQLitePath(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"crm#1.db", "c d.db", "e&f.db"} {
		t.Run(name, func(t *testing.T) {
			var cfg Config
			closeStore, err := openStore(ctx, "sqlite:"+filepath.Join(dir, name), 0, true, &cfg)
			if err != nil {
				t.Fatal(err)
			}
			closeStore()
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				entries, _ := os.ReadDir(dir)
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("sqlite:%s opened another file: %v; the directory holds %q", name, err, names)
			}
		})
	}
}
