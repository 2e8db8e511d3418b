package sqlite

import (
	"testing"

	"github.com/servicedesk-go/desk/store/sqlstore/sqlstoretest"
)

func TestCompleteKeepsRole(t *testing.T) {
	s, _ := openStore(t)
	sqlstoretest.CompleteKeepsRole(t, s.Followups(), s.CompleteBatch)
}
