package ticket_test

import (
	"testing"

	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/ticket/tickettest"
)

func TestMemStore(t *testing.T) {
	tickettest.RunStoreTests(t, func(*testing.T) ticket.Store { return ticket.NewMemStore() })
}
