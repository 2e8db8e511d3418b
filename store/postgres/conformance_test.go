package postgres

import (
	"testing"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/store/sqlstore/sqlstoretest"
	"github.com/servicedesk-go/desk/ticket"
)

// The adapter passes the same suites as the in-memory stores, unchanged;
// the ticket and follow-up stores are wrapped so that the suites'
// erasure cases can dump every table.
func TestConformance(t *testing.T) {
	sqlstoretest.RunConformance(t, func(t *testing.T) (ticket.Store, followup.Store, roster.Store) {
		s, _ := openStore(t)
		return dumpedTickets{s.Tickets(), s.db}, dumpedFollowups{s.Followups(), s.db}, s.Rosters()
	})
}
