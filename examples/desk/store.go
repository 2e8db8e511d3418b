package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/servicedesk-go/desk/store/postgres"
	"github.com/servicedesk-go/desk/store/sqlite"
)

// openStore opens the -store the simulation runs on: "memory" (nil
// stores: the in-memory defaults), "sqlite:PATH" or a PostgreSQL URL.
// Durable stores are migrated first. close releases it.
func openStore(ctx context.Context, spec string, cfg *Config) (close func() error, err error) {
	switch {
	case spec == "" || spec == "memory":
		return func() error { return nil }, nil
	case strings.HasPrefix(spec, "sqlite:"):
		path := strings.TrimPrefix(spec, "sqlite:")
		if path == "" {
			return nil, fmt.Errorf("-store sqlite:PATH needs a file path")
		}
		st, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		if err := st.Migrate(ctx); err != nil {
			st.Close()
			return nil, err
		}
		cfg.Tickets, cfg.Followups, cfg.Rosters = st.Tickets(), st.Followups(), st.Rosters()
		return st.Close, nil
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		st, err := postgres.Open(ctx, spec)
		if err != nil {
			return nil, err
		}
		if err := st.Migrate(ctx); err != nil {
			st.Close()
			return nil, err
		}
		cfg.Tickets, cfg.Followups, cfg.Rosters = st.Tickets(), st.Followups(), st.Rosters()
		return func() error { st.Close(); return nil }, nil
	}
	return nil, fmt.Errorf("-store %q: give memory, sqlite:PATH or a postgres:// URL", spec)
}
