package postgres

import (
	"testing"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/roster/rostertest"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/ticket/tickettest"
)

// The adapters pass the same suites as the in-memory stores, unchanged.

func TestTicketStore(t *testing.T) {
	testURL(t)
	tickettest.RunStoreTests(t, func(t *testing.T) ticket.Store {
		s, _ := openStore(t)
		return dumpedTickets{s.Tickets(), s.db}
	})
}

func TestFollowupStore(t *testing.T) {
	testURL(t)
	followuptest.RunStoreTests(t, func(t *testing.T) followup.Store {
		s, _ := openStore(t)
		return dumpedFollowups{s.Followups(), s.db}
	})
}

func TestRosterStore(t *testing.T) {
	testURL(t)
	rostertest.RunStoreTests(t, func(t *testing.T) roster.Store {
		s, _ := openStore(t)
		return s.Rosters()
	})
}
