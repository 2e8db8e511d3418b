package ticket

import "github.com/servicedesk-go/desk/internal/storecheck"

// The SQL adapters check their input as MemStore does, through
// store/sqlstore, which reads these checks from internal/storecheck.
func init() {
	storecheck.TicketHistory = checkHistory
	storecheck.TicketBatch = checkBatch
	storecheck.TicketEvent = checkEvent
}
