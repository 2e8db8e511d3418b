package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store"
	"github.com/servicedesk-go/desk/ticket"
)

// The driver errors that say the database cannot serve now are
// store.ErrUnavailable; errors of the request itself are not.
func TestUnavailableClasses(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "08006"}, true},
		{&pgconn.PgError{Code: "53300"}, true}, // too many connections
		{&pgconn.PgError{Code: "57P01"}, true}, // admin shutdown
		{&pgconn.PgError{Code: "40001"}, true},
		{&pgconn.PgError{Code: "40P01"}, true},
		{&pgconn.PgError{Code: "23505"}, false}, // unique violation: the request's
		{&pgconn.PgError{Code: "42P01"}, false}, // undefined table: a bug
		{&net.OpError{Op: "read", Err: errors.New("connection reset by peer")}, true},
		{fmt.Errorf("acquire: %w", pgconn.ErrConnClosed), true},
		{errors.New("closed pool"), true},
		{context.Canceled, false},
		{context.DeadlineExceeded, false},
		{errors.New("some other failure"), false},
	} {
		if got := errors.Is(unavailable(c.err), store.ErrUnavailable); got != c.want {
			t.Errorf("%v: unavailable %v, want %v", c.err, got, c.want)
		}
	}
}

// A store that cannot reach its database answers store.ErrUnavailable
// from every package's store (here: a closed pool, and a server that
// does not listen), and the driver's error stays reachable.
func TestUnavailableStores(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	s.Close()
	_, terr := s.Tickets().Get(ctx, "north", uuid.New())
	_, ferr := s.Followups().List(ctx, "north", followup.Filter{})
	_, rerr := s.Rosters().Assignments(ctx, "north", time.Time{}, time.Now())
	for _, err := range []error{terr, ferr, rerr} {
		if !errors.Is(err, store.ErrUnavailable) {
			t.Errorf("closed store: %v, want store.ErrUnavailable", err)
		}
	}
	if errors.Is(terr, ticket.ErrNotFound) {
		t.Errorf("closed store: %v also reads as not found", terr)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	octx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err = Open(octx, "postgres://postgres@"+addr+"/postgres?sslmode=disable&connect_timeout=5")
	var ce *pgconn.ConnectError
	if !errors.Is(err, store.ErrUnavailable) || !errors.As(err, &ce) {
		t.Errorf("Open on a closed port: %v; want store.ErrUnavailable wrapping the driver's ConnectError", err)
	}
}

// The store's paths that need more of pgx than DB (a pipelined batch for
// a Queue's rounds, COPY for CreateBatch) still reach the pool or the
// caller's transaction through the classification.
func TestUnavailableKeepsFastPaths(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	for name, st := range map[string]*Store{"pool": s, "transaction": s.WithTx(tx)} {
		db := raw(st.followups.db)
		if _, ok := db.(batchSender); !ok {
			t.Errorf("%s: %T sends no pipelined batch: a Queue's round takes a transaction of its own", name, db)
		}
		if _, ok := db.(copyFrom); !ok {
			t.Errorf("%s: %T has no COPY: CreateBatch stages every batch", name, db)
		}
	}
}
