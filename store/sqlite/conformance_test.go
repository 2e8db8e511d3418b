package sqlite

import (
	"context"
	"testing"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store/sqlstore/sqlstoretest"
)

// The adapter passes the same suites as the in-memory stores, unchanged,
// and the checks every SQL adapter owes (erasure in one transaction and
// in the caller's, batch completion), written once in sqlstoretest.
func TestConformance(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T) sqlstoretest.Adapter {
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
	})
}
