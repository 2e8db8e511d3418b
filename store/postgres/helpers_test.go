package postgres

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store/sqlstore/sqlstoretest"
	"github.com/servicedesk-go/desk/ticket/tickettest"
)

// long selects the long versions of the proofs: go test -desk.long.
var long = flag.Bool("desk.long", false, "run the long versions of the multi-process and outbox proofs")

// The tests read the server's address from DESK_TEST_POSTGRES (a
// PostgreSQL URL). Without it they skip, unless DESK_REQUIRE_POSTGRES=1
// (set by .ci/postgres), in which case they fail.
func testURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("DESK_TEST_POSTGRES")
	required := os.Getenv("DESK_REQUIRE_POSTGRES") == "1"
	if url == "" {
		if required {
			t.Fatal("DESK_REQUIRE_POSTGRES=1 but DESK_TEST_POSTGRES is unset; source .ci/postgres or set the URL")
		}
		t.Skip("DESK_TEST_POSTGRES is unset: set it to a PostgreSQL URL (see .ci/postgres) to run the PostgreSQL tests")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		if required {
			t.Fatalf("DESK_TEST_POSTGRES=%s is unreachable: %v", url, err)
		}
		t.Skipf("DESK_TEST_POSTGRES is unreachable (%v); skipping", err)
	}
	conn.Close(ctx)
	return url
}

var schemaSeq atomic.Int64

// testLayout is the schema layout the tests migrate to: plain tables, or
// with DESK_TEST_PARTITIONS=n tables PARTITION BY HASH (desk) into n
// partitions (CI runs the suites, the process-kill and the outbox tests
// in both layouts).
func testLayout(t testing.TB) MigrateOptions {
	t.Helper()
	v := os.Getenv("DESK_TEST_PARTITIONS")
	if v == "" {
		return MigrateOptions{}
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("DESK_TEST_PARTITIONS=%q: want a positive number of partitions", v)
	}
	return MigrateOptions{Partitions: n}
}

// freshSchema creates an empty schema and returns a connection string
// whose search_path is that schema, so each test has its own tables. The
// schema is dropped when the test ends.
func freshSchema(t testing.TB) string {
	t.Helper()
	url := testURL(t)
	ctx := context.Background()
	name := fmt.Sprintf("desk_test_%d_%d", os.Getpid(), schemaSeq.Add(1))
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		_, _ = c.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{name}.Sanitize()+" CASCADE")
	})
	return withSearchPath(url, name)
}

func withSearchPath(url, schema string) string {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	// The schema also names the sessions (application_name), so a test
	// can tell its own sessions from those of other tests sharing the
	// server.
	return url + sep + "search_path=" + schema + "&application_name=" + schema
}

// openStore opens a migrated store on a fresh schema.
func openStore(t testing.TB) (*Store, string) {
	t.Helper()
	url := freshSchema(t)
	return openAt(t, url), url
}

func openAt(t testing.TB, url string) *Store {
	t.Helper()
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 12
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := New(pool)
	s.pool = pool
	if err := s.MigrateWith(ctx, testLayout(t)); err != nil {
		pool.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The adapter's own tests use the suite's ticket fixtures.
var (
	newTicket = tickettest.NewTicket
	next      = tickettest.Next
	testBase  = tickettest.T0
)

// testAdapter opens the store on a fresh database for sqlstoretest, with
// PostgreSQL's dump of every table and a transaction of the caller's own.
func testAdapter(t *testing.T) sqlstoretest.Adapter {
	s, _ := openStore(t)
	return sqlstoretest.Adapter{
		Begin: func(ctx context.Context) (followup.Stores, func() error, error) {
			tx, err := s.DB().Begin(ctx)
			if err != nil {
				return nil, nil, err
			}
			return s.WithTx(tx), func() error { return tx.Rollback(ctx) }, nil
		},
		DB:   s,
		Dump: func(ctx context.Context) (string, error) { return dumpDB(ctx, s.db) },
	}
}
