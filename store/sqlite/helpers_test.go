package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store/sqlstore/sqlstoretest"
)

// openStore opens a migrated store on a new file in the test's temp dir.
func openStore(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "desk.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, path
}

// testAdapter opens the store on a fresh database for sqlstoretest, with
// SQLite's dump of every table and a transaction of the caller's own.
func testAdapter(t *testing.T) sqlstoretest.Adapter {
	s, _ := openStore(t)
	return sqlstoretest.Adapter{
		Begin: func(ctx context.Context) (followup.Stores, func() error, error) {
			tx, err := s.DB().BeginTx(ctx, nil)
			if err != nil {
				return nil, nil, err
			}
			return s.WithTx(tx), tx.Rollback, nil
		},
		DB:   s,
		Dump: func(ctx context.Context) (string, error) { return dumpDB(ctx, s.DB()) },
	}
}
