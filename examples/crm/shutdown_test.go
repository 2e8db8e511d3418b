package main

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestShutdownEndsStuckRequests: a SIGTERM while a request waits on the
// database (here for a table lock another session holds) ends within
// -shutdown-timeout: the requests still running then are cut off, their
// queries cancelled, and the store closes. Before, the request's
// context lived on after the timeout and closing the pool waited for
// its connection for as long as the lock was held.
func TestShutdownEndsStuckRequests(t *testing.T) {
	url := freshPostgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, options{addr: "127.0.0.1:0", desks: "north", tz: "Asia/Shanghai", store: url, dbConns: 4,
			shutdownTimeout: time.Nanosecond, insecureDevHeaders: true}, slog.New(slog.DiscardHandler), func(addr string) { addrc <- addr })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-errc:
		t.Fatal(err)
	}

	// Another session locks the tickets until the test ends.
	locker, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close(context.Background())
	tx, err := locker.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	if _, err := tx.Exec(context.Background(), "LOCK TABLE desk_tickets IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	go func() {
		req, _ := http.NewRequest("GET", "http://"+addr+"/desks/north/tickets", nil)
		req.Header.Set(headerActor, "li")
		req.Header.Set(headerRole, "agent")
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	// Wait until the request's query waits for the lock.
	for {
		var waiting int
		if err := locker.QueryRow(context.Background(),
			"SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'desk_tickets'::regclass").Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel() // SIGTERM
	select {
	case <-errc:
	case <-time.After(time.Minute):
		t.Fatal("the service did not stop a minute after SIGTERM, -shutdown-timeout 1ns: a request waiting on the database holds it")
	}
}
