package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/store/postgres"
	"github.com/servicedesk-go/desk/store/sqlite"
)

// openStore opens the -store the service runs on: "memory" (the
// in-memory stores: restart and they are gone), "sqlite:PATH" (one
// process) or a PostgreSQL URL (any number of replicas). A durable store
// is migrated to the schema this build expects before the service
// starts (the adapters serialise concurrent migrations, so replicas may
// start together); cfg.Ready then reports whether the database is
// reachable at that version. close releases the store. conns is the
// PostgreSQL connection pool size of this process.
func openStore(ctx context.Context, spec string, conns int, groupIntake bool, cfg *Config) (close func(), err error) {
	switch {
	case spec == "" || spec == "memory":
		return func() {}, nil
	case strings.HasPrefix(spec, "sqlite:"):
		path := strings.TrimPrefix(spec, "sqlite:")
		if path == "" {
			return nil, fmt.Errorf("-store sqlite:PATH needs a file path")
		}
		ms, err := sqlite.ListMigrations()
		if err != nil {
			return nil, err
		}
		st, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		if err := st.Migrate(ctx); err != nil {
			st.Close()
			return nil, fmt.Errorf("migrate %s: %w", path, err)
		}
		cfg.Tickets, cfg.Followups, cfg.Rosters = st.Tickets(), st.Followups(), st.Rosters()
		cfg.Ready = schemaAt(st.SchemaVersion, ms[len(ms)-1].Version)
		return func() { st.Close() }, nil
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		ms, err := postgres.ListMigrations()
		if err != nil {
			return nil, err
		}
		st, err := postgres.Open(ctx, withPoolSize(spec, conns))
		if err != nil {
			return nil, err
		}
		if err := st.Migrate(ctx); err != nil {
			st.Close()
			return nil, fmt.Errorf("migrate: %w", err)
		}
		cfg.Tickets, cfg.Followups, cfg.Rosters = st.Tickets(), st.Followups(), st.Rosters()
		cfg.Ready = schemaAt(st.SchemaVersion, ms[len(ms)-1].Version)
		cfg.Listen = func(ctx context.Context) (<-chan struct{}, error) { return st.Listen(ctx, "") }
		cfg.RotationLock = advisoryLock(st.DB().Config().ConnConfig)
		leader := &sessionLock{cc: st.DB().Config().ConnConfig, key: "crm webhook delivery"}
		cfg.DeliveryLeader = leader.held
		notifier := st.Notifier()
		cfg.Notify = throttledNotify(notifier, notifyGap)
		cfg.GroupIntake = groupIntake
		return func() { leader.close(); notifier.Close(); st.Close() }, nil
	}
	return nil, fmt.Errorf("-store %q: give memory, sqlite:PATH or a postgres:// URL", spec)
}

// withPoolSize sets pgxpool's pool_max_conns to conns unless the URL
// sets it: pgx's default (the larger of 4 and the CPUs) makes 48 callers
// queue for 4 connections while the database idles.
func withPoolSize(spec string, conns int) string {
	if conns <= 0 || strings.Contains(spec, "pool_max_conns=") {
		return spec
	}
	sep := "?"
	if strings.Contains(spec, "?") {
		sep = "&"
	}
	return spec + sep + "pool_max_conns=" + strconv.Itoa(conns)
}

// schemaAt is a readiness check: the database answers, and its schema is
// at the version this build was made for (not older: a replica of a
// newer build migrated it; not newer: this replica is outdated).
func schemaAt(version func(context.Context) (int, error), want int) func(context.Context) error {
	return func(ctx context.Context) error {
		v, err := version(ctx)
		if err != nil {
			return &notReady{public: "database unreachable", err: err}
		}
		if v != want {
			return &notReady{public: fmt.Sprintf("schema at version %d, this build expects %d", v, want)}
		}
		return nil
	}
}

// notReady is a readiness check's refusal. public is what /readyz may
// tell anyone who asks; the wrapped error goes to the log only, since a
// driver's message names the database's host, port, user and name.
type notReady struct {
	public string
	err    error
}

func (e *notReady) Error() string {
	if e.err == nil {
		return e.public
	}
	return e.public + ": " + e.err.Error()
}

func (e *notReady) Unwrap() error { return e.err }

// notifyGap is the least time between two notifications of one desk:
// under load, writes come faster than the runners can use wake-ups, so
// one every notifyGap wakes the other replicas as well as one per write
// would, at a bounded cost to the database.
const notifyGap = 50 * time.Millisecond

// throttledNotify returns a Notify that passes a desk's wake-up to the
// notifier (which sends pg_notify outside any transaction) at most once
// every gap; the wake-ups in between merge into the next. It never
// blocks the caller.
func throttledNotify(n *postgres.Notifier, gap time.Duration) func(desk string) {
	var mu sync.Mutex
	last := map[string]time.Time{}
	pending := map[string]bool{}
	return func(desk string) {
		mu.Lock()
		defer mu.Unlock()
		if pending[desk] {
			return
		}
		wait := gap - time.Since(last[desk])
		if wait <= 0 {
			last[desk] = time.Now()
			n.Observe(context.Background(), observe.Report{Op: observe.Action, Outcome: observe.OK, Desk: desk})
			return
		}
		pending[desk] = true
		time.AfterFunc(wait, func() {
			mu.Lock()
			defer mu.Unlock()
			pending[desk] = false
			last[desk] = time.Now()
			n.Observe(context.Background(), observe.Report{Op: observe.Action, Outcome: observe.OK, Desk: desk})
		})
	}
}

// advisoryLock returns Config.RotationLock on PostgreSQL: a session
// advisory lock keyed by the desk, taken on a connection of its own
// (not one of the pool, which the extension needs to publish: a pool of
// one would wait on itself). Closing the connection releases the lock,
// also when the process dies holding it.
func advisoryLock(cc *pgx.ConnConfig) func(ctx context.Context, desk string) (func(), error) {
	return func(ctx context.Context, desk string) (func(), error) {
		conn, err := pgx.ConnectConfig(ctx, cc.Copy())
		if err != nil {
			return nil, err
		}
		if _, err := advisory(ctx, conn, "crm rotation "+desk, true); err != nil {
			conn.Close(context.Background())
			return nil, err
		}
		return func() { conn.Close(context.Background()) }, nil
	}
}

// sessionLock is a PostgreSQL session advisory lock that one process
// takes and keeps while its connection lives: the delivering replica
// of Config.DeliveryLeader. When the holder stops or dies its session
// ends, the lock is free, and the next replica to ask takes it.
type sessionLock struct {
	cc  *pgx.ConnConfig
	key string

	mu   sync.Mutex
	conn *pgx.Conn // the lock's own connection, nil until first asked
	have bool      // this process holds the lock on conn
}

// held reports whether this process holds the lock, taking it if it is
// free. A holder checks its session is alive each time, and lets go if
// it is not.
func (l *sessionLock) held(ctx context.Context) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn != nil && l.have {
		if err := l.conn.Ping(ctx); err == nil {
			return true, nil
		}
		l.drop()
	}
	if l.conn == nil {
		conn, err := pgx.ConnectConfig(ctx, l.cc.Copy())
		if err != nil {
			return false, err
		}
		l.conn = conn
	}
	var err error
	if l.have, err = advisory(ctx, l.conn, l.key, false); err != nil {
		l.drop()
		return false, err
	}
	return l.have, nil
}

// drop closes the lock's connection, which releases the lock if held.
func (l *sessionLock) drop() {
	if l.conn != nil {
		l.conn.Close(context.Background())
	}
	l.conn, l.have = nil, false
}

// close lets go of the lock, for another replica to take.
func (l *sessionLock) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.drop()
}

// advisory takes the session advisory lock named key on conn, waiting
// for it when wait is set; it reports whether conn holds it.
func advisory(ctx context.Context, conn *pgx.Conn, key string, wait bool) (bool, error) {
	q := "SELECT pg_try_advisory_lock(hashtextextended($1, 0))"
	if wait {
		q = "SELECT true FROM pg_advisory_lock(hashtextextended($1, 0))"
	}
	var held bool
	err := conn.QueryRow(ctx, q, key).Scan(&held)
	return held, err
}
