package main

import (
	"context"
	"log/slog"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
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
	stuckRequest(t, url, addr, "north")
	cancel() // SIGTERM
	select {
	case <-errc:
	case <-time.After(time.Minute):
		t.Fatal("the service did not stop a minute after SIGTERM, -shutdown-timeout 1ns: a request waiting on the database holds it")
	}
}

// TestSecondSignalEndsShutdown: while a shutdown waits for requests
// in flight, a second SIGTERM (or Ctrl-C) ends the process at once, as
// an operator who sends it expects; the first one's handler swallowed
// every later signal.
func TestSecondSignalEndsShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a crm process on PostgreSQL")
	}
	url := freshPostgres(t)
	bin := buildCommand(t)
	addr := freePort(t)
	logs := &lockedBuffer{}
	cmd := exec.Command(bin, "-addr", addr, "-store", url, "-desks", "north", "-insecure-dev-headers",
		"-shutdown-timeout", "1h", "-sync-every", "0", "-lease-every", "0", "-escalate-every", "0")
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() { _ = cmd.Process.Kill() }()
	waitFor(t, func() bool {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
		}
		return err == nil && res.StatusCode == http.StatusOK
	})
	stuckRequest(t, url, addr, "north")
	_ = cmd.Process.Signal(syscall.SIGTERM)
	waitFor(t, func() bool { return strings.Contains(logs.String(), "crm shutting down") })
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(time.Minute):
		t.Fatalf("a second SIGTERM did not end the shutdown in a minute:\n%s", logs)
	}
}

// stuckRequest sends a ticket list to the service at addr that waits
// on the database until the test ends: another session holds a lock on
// the tickets. It returns once the list's query waits for the lock.
func stuckRequest(t *testing.T, url, addr, desk string) {
	t.Helper()
	locker, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { locker.Close(context.Background()) })
	tx, err := locker.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback(context.Background()) })
	if _, err := tx.Exec(context.Background(), "LOCK TABLE desk_tickets IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	go func() {
		req, _ := http.NewRequest("GET", "http://"+addr+"/desks/"+desk+"/tickets", nil)
		req.Header.Set(headerActor, "li")
		req.Header.Set(headerRole, "agent")
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	waitFor(t, func() bool {
		var waiting int
		if err := tx.QueryRow(context.Background(),
			"SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'desk_tickets'::regclass").Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		return waiting > 0
	})
}

// waitFor polls ok until it holds, or fails the test after a minute.
func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("waited a minute in vain")
		}
	}
}
