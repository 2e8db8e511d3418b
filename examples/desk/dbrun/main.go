// Command dbrun is the desk simulation on a database: the same flags and
// report as examples/desk, with -store sqlite:PATH or a postgres:// URL.
// A later run on the same store continues the desk. It is a command of
// its own so that the in-memory default compiles no database driver.
//
//	go run ./examples/desk/dbrun -store sqlite:desk.db -days 3
//	go run ./examples/desk/dbrun -store postgres://localhost/desk
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/servicedesk-go/desk/examples/desk/deskcmd"
	"github.com/servicedesk-go/desk/examples/desk/sim"
	"github.com/servicedesk-go/desk/store/postgres"
	"github.com/servicedesk-go/desk/store/sqlite"
)

func main() {
	os.Exit(deskcmd.Main("dbrun", os.Args[1:], os.Stdout, os.Stderr, openStore))
}

// openStore opens the -store the simulation runs on: "sqlite:PATH" or a
// PostgreSQL URL, migrated first.
func openStore(ctx context.Context, spec string) (sim.Stores, func() error, error) {
	switch {
	case strings.HasPrefix(spec, "sqlite:"):
		path := strings.TrimPrefix(spec, "sqlite:")
		if path == "" {
			return sim.Stores{}, nil, fmt.Errorf("-store sqlite:PATH needs a file path")
		}
		st, err := sqlite.Open(ctx, path)
		if err != nil {
			return sim.Stores{}, nil, err
		}
		if err := st.Migrate(ctx); err != nil {
			st.Close()
			return sim.Stores{}, nil, err
		}
		return sim.Stores{Tickets: st.Tickets(), Followups: st.Followups(), Rosters: st.Rosters()}, st.Close, nil
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		st, err := postgres.Open(ctx, spec)
		if err != nil {
			return sim.Stores{}, nil, err
		}
		if err := st.Migrate(ctx); err != nil {
			st.Close()
			return sim.Stores{}, nil, err
		}
		return sim.Stores{Tickets: st.Tickets(), Followups: st.Followups(), Rosters: st.Rosters()},
			func() error { st.Close(); return nil }, nil
	}
	return sim.Stores{}, nil, fmt.Errorf("-store %q: give memory, sqlite:PATH or a postgres:// URL", spec)
}
