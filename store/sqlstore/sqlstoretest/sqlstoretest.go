// Package sqlstoretest holds what the SQL adapters (store/postgres,
// store/sqlite) test alike, written once for both: Run, the conformance
// suites and the checks of their adapter-specific paths, and Drain, the
// claim-and-complete worker loop of their throughput tests. Each adapter
// gives only its dialect: how to open a fresh database, dump its tables
// and begin a transaction of the caller's own.
package sqlstoretest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/roster/rostertest"
	"github.com/servicedesk-go/desk/store/sqlstore"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/ticket/tickettest"
)

// CompleteBatch is an adapter's batch completion.
type CompleteBatch func(ctx context.Context, items []followup.Completion, now time.Time) ([]error, error)

// Database is an adapter's Store as the shared checks use it: its three
// stores and its transactions over tickets and follow-ups (postgres.Store
// and sqlite.Store are Databases).
type Database interface {
	followuptest.Database
	Rosters() roster.Store
	CompleteBatch(ctx context.Context, items []followup.Completion, now time.Time) ([]error, error)
}

// Adapter is one SQL adapter's store on a fresh, migrated database for
// one test, with the little of its dialect the shared checks need.
type Adapter struct {
	DB Database
	// Dump returns every row of every table as text: what the erasure
	// checks search for erased values.
	Dump func(ctx context.Context) (string, error)
	// Begin starts a transaction of the caller's own and returns the
	// database bound to it and the transaction's rollback.
	Begin func(ctx context.Context) (bound followup.Stores, rollback func() error, err error)
}

// Opener opens an adapter on a fresh, migrated database for one test.
type Opener func(t *testing.T) Adapter

// Run runs, on an adapter, the conformance suites of its three stores
// (tickettest, followuptest, rostertest) unchanged, as the in-memory
// stores pass them, and the checks every SQL adapter owes beyond them:
// erasure over both stores in one transaction and in the caller's
// transaction (S1), and batch completion refusing bad text and keeping
// the stored role (F3). open must return a fresh, migrated database on
// each call.
func Run(t *testing.T, open Opener) {
	runConformance(t, open)
	runDatabase(t, open)
	t.Run("S1_erase_in_callers_transaction", func(t *testing.T) { eraseInCallersTx(t, open) })
	t.Run("batch_refuses_text_no_store_holds", func(t *testing.T) { completeBatchRefusesBadText(t, open) })
	t.Run("F3_complete_keeps_role", func(t *testing.T) { completeKeepsRole(t, open) })
}

// dumpedTickets, dumpedFollowups and dumpedDB show the conformance suites
// every table (tickettest.Dumper, followuptest.Dumper).
type dumpedTickets struct {
	ticket.Store
	dump func(ctx context.Context) (string, error)
}

func (d dumpedTickets) Dump(ctx context.Context) (string, error) { return d.dump(ctx) }

// dumpedBatchTickets is dumpedTickets of a store that is also a
// ticket.BatchCreator, which the suite then checks too.
type dumpedBatchTickets struct {
	dumpedTickets
	ticket.BatchCreator
}

// withDump is s shown with dump, a ticket.BatchCreator when s is one.
func withDump(s ticket.Store, dump func(ctx context.Context) (string, error)) ticket.Store {
	d := dumpedTickets{s, dump}
	if bc, ok := s.(ticket.BatchCreator); ok {
		return dumpedBatchTickets{d, bc}
	}
	return d
}

type dumpedFollowups struct {
	followup.Store
	dump func(ctx context.Context) (string, error)
}

func (d dumpedFollowups) Dump(ctx context.Context) (string, error) { return d.dump(ctx) }

type dumpedDB struct {
	Database
	dump func(ctx context.Context) (string, error)
}

func (d dumpedDB) Dump(ctx context.Context) (string, error) { return d.dump(ctx) }

// runConformance runs the conformance suites of the three stores
// (tickettest, followuptest, rostertest) on an adapter, unchanged: the
// adapters pass the same suites as the in-memory stores. The ticket and
// follow-up stores are shown with the adapter's Dump, so the suites'
// erasure cases search every table.
func runConformance(t *testing.T, open Opener) {
	t.Run("TicketStore", func(t *testing.T) {
		tickettest.RunStoreTests(t, func(t *testing.T) ticket.Store {
			a := open(t)
			return withDump(a.DB.Tickets(), a.Dump)
		})
	})
	t.Run("FollowupStore", func(t *testing.T) {
		followuptest.RunStoreTests(t, func(t *testing.T) followup.Store {
			a := open(t)
			return dumpedFollowups{a.DB.Followups(), a.Dump}
		})
	})
	t.Run("RosterStore", func(t *testing.T) {
		rostertest.RunStoreTests(t, func(t *testing.T) roster.Store { return open(t).DB.Rosters() })
	})
}

// runDatabase runs followuptest's cases over tickets and follow-ups in
// one database on an adapter: a customer is erased from both in one
// transaction, leaving none of their values in any table (S1).
func runDatabase(t *testing.T, open Opener) {
	followuptest.RunDatabaseTests(t, func(t *testing.T) followuptest.Database {
		a := open(t)
		return dumpedDB{a.DB, a.Dump}
	})
}

// eraseInCallersTx checks that an erasure bound to the caller's
// transaction commits or rolls back with it (S1).
func eraseInCallersTx(t *testing.T, open Opener) {
	t.Helper()
	ctx := context.Background()
	a := open(t)
	svc, err := ticket.New(a.DB.Tickets(), ticket.Config{Desk: "north"})
	if err != nil {
		t.Fatal(err)
	}
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	lead := ticket.Actor{ID: "zhou", Role: ticket.RoleShiftLead}
	if _, err := svc.Receive(ctx, agent, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone,
		Fields: map[string]string{"person": "王建国", "event": "fees"}, Customer: &ticket.Customer{ID: "crm-42", Name: "王建国"}}); err != nil {
		t.Fatal(err)
	}
	bound, rollback, err := a.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := followup.Erase(ctx, bound, svc, lead, "crm-42"); err != nil || n.Tickets != 1 {
		t.Fatalf("erase in the caller's transaction: %+v, %v", n, err)
	}
	if err := rollback(); err != nil {
		t.Fatal(err)
	}
	if out, err := a.Dump(ctx); err != nil || !strings.Contains(out, "王建国") {
		t.Fatalf("the caller rolled back, but the erasure stayed (dump: %v)", err)
	}
	if n, err := followup.Erase(ctx, a.DB, svc, lead, "crm-42"); err != nil || n.Tickets != 1 {
		t.Fatalf("erase: %+v, %v", n, err)
	}
	if out, err := a.Dump(ctx); err != nil || strings.Contains(out, "王建国") {
		t.Fatalf("the name is still stored after the erasure (dump: %v)", err)
	}
}

// completeBatchRefusesBadText checks that a batch entry with text no
// store can hold (NUL, invalid UTF-8) is refused with ErrInvalid like a
// single completion, and the task stays claimed.
func completeBatchRefusesBadText(t *testing.T, open Opener) {
	t.Helper()
	ctx := context.Background()
	db := open(t).DB
	f := db.Followups()
	task := followuptest.NewTask("d1", 1, followuptest.T0)
	if err := f.Create(ctx, task); err != nil {
		t.Fatal(err)
	}
	got, err := f.Claim(ctx, "d1", followup.Claim{Owner: "w", Token: uuid.New(), Now: followuptest.T0, For: time.Minute, Limit: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("claim: %d, %v", len(got), err)
	}
	for _, bad := range []string{"a\x00b", "a\xffb"} {
		done := got[0].Clone()
		done.Status = followup.Done
		done.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: "w", Role: ticket.RoleRepairLead}, Note: bad, At: followuptest.T0}
		errs, err := db.CompleteBatch(ctx, []followup.Completion{{Task: done, Held: got[0].Lease}}, followuptest.T0)
		if err != nil || len(errs) != 1 || !errors.Is(errs[0], followup.ErrInvalid) {
			t.Fatalf("batch with note %q: %v, %v; want ErrInvalid", bad, errs, err)
		}
		if cur, _ := f.Get(ctx, "d1", task.ID); cur.Status != followup.Claimed {
			t.Fatalf("task %s after a refused batch entry, want claimed", cur.Status)
		}
	}
}

// completeKeepsRole checks that a completion, one by one and in a batch,
// keeps the task's stored role although the caller changed it (F3 counts
// revisits by role).
func completeKeepsRole(t *testing.T, open Opener) {
	t.Helper()
	ctx := context.Background()
	db := open(t).DB
	fs := db.Followups()
	for i, viaBatch := range []bool{false, true} {
		task := followuptest.NewTask("d1", i, followuptest.T0)
		if err := fs.Create(ctx, task); err != nil {
			t.Fatal(err)
		}
		got, err := fs.Claim(ctx, "d1", followup.Claim{Owner: "w", Token: uuid.New(), Now: followuptest.T0, For: time.Minute})
		if err != nil || len(got) != 1 {
			t.Fatal(len(got), err)
		}
		done := got[0].Clone()
		done.Status, done.ClosedAt = followup.Done, followuptest.T0
		done.Role = ticket.RoleDirector // the caller changed it; the store keeps the stored one
		done.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: "w", Role: ticket.RoleRepairLead}, At: followuptest.T0}
		if viaBatch {
			errs, err := db.CompleteBatch(ctx, []followup.Completion{{Task: done, Held: got[0].Lease}}, followuptest.T0)
			if err != nil || errs[0] != nil {
				t.Fatal(err, errs)
			}
		} else if err := fs.Complete(ctx, done, got[0].Lease, followuptest.T0); err != nil {
			t.Fatal(err)
		}
		stored, err := fs.Get(ctx, "d1", task.ID)
		if err != nil || stored.Role != task.Role || stored.Status != followup.Done {
			t.Fatalf("batch=%v: stored %s %s, %v; want role %s kept", viaBatch, stored.Role, stored.Status, err, task.Role)
		}
	}
}

// Drain runs workers that claim up to limit due tasks of desk at a time
// and complete them, with Complete when limit is 1 and with the
// database's CompleteBatch otherwise, until total tasks are done. It
// returns how many completions were acknowledged; the caller checks the
// stored rows. now is each claim's clock.
func Drain(ctx context.Context, db Database, desk string, workers, limit, total int, now func() time.Time) (int64, error) {
	var completed atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	fs := db.Followups()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprint("w", w)
			for completed.Load() < int64(total) {
				at := now()
				got, err := fs.Claim(ctx, desk, followup.Claim{Owner: name, Token: uuid.New(), Now: at, For: time.Hour, Limit: limit})
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					time.Sleep(time.Millisecond)
					continue
				}
				items := make([]followup.Completion, len(got))
				for i, c := range got {
					d := c.Clone()
					d.Status, d.ClosedAt, d.UpdatedAt = followup.Done, at, at
					d.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: name, Role: c.Role}, At: at}
					items[i] = followup.Completion{Task: d, Held: c.Lease}
				}
				if limit == 1 {
					if err := fs.Complete(ctx, items[0].Task, items[0].Held, at); err != nil {
						errs <- err
						return
					}
					completed.Add(1)
					continue
				}
				res, err := db.CompleteBatch(ctx, items, at)
				if err == nil {
					err = errors.Join(res...)
				}
				if err != nil {
					errs <- err
					return
				}
				completed.Add(int64(len(items)))
			}
		}()
	}
	wg.Wait()
	close(errs)
	return completed.Load(), <-errs
}

// Column runs query on ex and returns its one text column, row by row
// (table names for the migration tests, for example).
func Column(t *testing.T, ex sqlstore.Executor, query string) []string {
	t.Helper()
	rows, err := ex.Query(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Throughput benchmarks claiming and completing tasks in two modes:
// "single" claims one task at a time and completes it with Complete (a
// commit per completion, the baseline), "batch" claims up to 128 and
// completes them with CompleteBatch (a commit per batch). For each mode,
// prepare stores b.N due tasks and returns the work to time, for
// example a Drain with 8 workers; one op is one task claimed and
// completed, and the tasks/s metric is the rate.
func Throughput(b *testing.B, prepare func(b *testing.B, limit int) (run func() error)) {
	for _, mode := range []struct {
		name  string
		limit int
	}{{"single", 1}, {"batch", 128}} {
		b.Run(mode.name, func(b *testing.B) {
			run := prepare(b, mode.limit)
			b.ResetTimer()
			start := time.Now()
			if err := run(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tasks/s")
		})
	}
}
