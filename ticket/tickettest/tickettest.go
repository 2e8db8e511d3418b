// Package tickettest is the conformance suite for ticket.Store. An
// adapter author calls RunStoreTests with a factory of empty stores and
// learns whether the adapter keeps the contracts the service relies on:
// desk isolation, not-found mapping, version conflicts, history order,
// atomic outbox delivery, concurrent writers and cancelled contexts.
// One file per concern: crud, versions, history, list, outbox,
// concurrency, cancel, erase and inputs; fixtures.go holds the shared
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
		{"CreateGet", testCreateGet},
		{"NotFound", testNotFound},
		{"DeskIsolation", testDeskIsolation},
		{"CaseNumbersPerDesk", testCaseNumbers},
		{"StoredCopies", testStoredCopies},
		{"CustomerFields", testCustomerFields},
		// general.go
		{"GeneralFields", testGeneralFields},
		// versions.go
		{"VersionConflict", testVersionConflict},
		// history.go
		{"HistoryOrder", testHistoryOrder},
		{"CreateWithHistory", testCreateWithHistory},
		// list.go
		{"ListFilterAndPages", testList},
		{"ListOrders", testListOrders},
		{"ListMatchesFilterProperty", testListProperty},
		// outbox.go
		{"OutboxDelivery", testOutboxDelivery},
		{"OutboxCrashBeforeAck", testOutboxCrash},
		{"OutboxScopes", testOutboxScopes},
		// concurrency.go
		{"ConcurrentWriters", testConcurrentWriters},
		{"ConcurrentCreates", testConcurrentCreates},
		// cancel.go
		{"ContextCancelled", testCancelled},
		// lifecycle.go
		{"ServiceLifecycle", testServiceLifecycle},
		// erase.go
		{"Redact", testRedact},
		{"Erase", testErase},
		// inputs.go
		{"Inputs", testInputs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}
