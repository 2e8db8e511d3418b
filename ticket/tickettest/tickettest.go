// Package tickettest is the conformance suite for ticket.Store. An
// adapter author calls RunStoreTests with a factory of empty stores and
// learns whether the adapter keeps the contracts the service relies on:
// desk isolation, not-found mapping, version conflicts, history order,
// atomic outbox delivery, concurrent writers and cancelled contexts.
// One file per concern: crud, versions, history, list, outbox,
// concurrency, batch, cancel, erase and inputs; fixtures.go holds the shared
// fixtures.
package tickettest

import (
	"testing"

	"github.com/servicedesk-go/desk/ticket"
)

// RunStoreTests runs the suite against stores made by newStore, one
// subtest per case, in parallel: each subtest gets a fresh, empty store,
// independent of the stores of other cases.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) ticket.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s ticket.Store)
	}{
		// crud.go
		{"create_get", testCreateGet},
		{"not_found", testNotFound},
		{"desk_isolation", testDeskIsolation},
		{"case_numbers_per_desk", testCaseNumbers},
		{"stored_copies", testStoredCopies},
		{"customer_fields", testCustomerFields},
		// general.go
		{"general_fields", testGeneralFields},
		// versions.go
		{"version_conflict", testVersionConflict},
		// history.go
		{"history_order", testHistoryOrder},
		{"create_with_history", testCreateWithHistory},
		// list.go
		{"list_filter_and_pages", testList},
		{"list_orders", testListOrders},
		{"list_matches_filter_property", testListProperty},
		// overdue.go
		{"T7_T10_overdue_pages_hold_late_and_stagnant_tickets", testOverduePages},
		// outbox.go
		{"outbox_delivery", testOutboxDelivery},
		{"outbox_crash_before_ack", testOutboxCrash},
		{"outbox_scopes", testOutboxScopes},
		// concurrency.go
		{"concurrent_writers", testConcurrentWriters},
		{"concurrent_creates", testConcurrentCreates},
		// batch.go (stores that are a ticket.BatchCreator)
		{"T2_batch_takes_consecutive_numbers", testBatchNumbers},
		{"T2_batch_all_or_nothing", testBatchAllOrNothing},
		{"T2_batches_and_creates_at_once_keep_numbers_gapless", testBatchConcurrent},
		// cancel.go
		{"context_cancelled", testCancelled},
		// lifecycle.go
		{"service_lifecycle", testServiceLifecycle},
		// erase.go
		{"S1_redact", testRedact},
		{"S1_erase", testErase},
		// inputs.go
		{"inputs", testInputs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}
