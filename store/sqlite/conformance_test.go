package sqlite

import (
	"testing"

	"github.com/servicedesk-go/desk/store/sqlstore/sqlstoretest"
)

// The adapter passes the same suites as the in-memory stores, unchanged,
// and the checks every SQL adapter owes (erasure in one transaction and
// in the caller's, batch completion), written once in sqlstoretest.
func TestConformance(t *testing.T) {
	sqlstoretest.Run(t, testAdapter)
}
