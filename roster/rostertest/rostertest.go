// Package rostertest is the conformance suite for roster.Store
// implementations. An adapter's test calls RunStoreTests with a factory
// returning a fresh, empty store; the in-memory roster.MemStore passes it.
package rostertest

import (
	"testing"

	"github.com/servicedesk-go/desk/roster"
)

// RunStoreTests checks the contract documented on roster.Store: desk
// isolation, not-found mapping, validation, create/update conflicts with
// versions, concurrent writers and list ordering. The cases run in
// parallel: newStore must return a fresh, empty store for each call,
// independent of the stores of other cases.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) roster.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s roster.Store)
	}{
		// assignments.go
		{"assignments_roundtrip_and_order", testAssignmentsOrder},
		{"assignments_all_or_nothing", testAssignmentsAtomic},
		// crud.go
		{"desk_isolation", testDeskIsolation},
		{"not_found", testNotFound},
		{"duties", testDuties},
		// inputs.go
		{"invalid_input", testInvalid},
		{"Inputs", testInputs},
		// versions.go
		{"swap_versions", testSwapVersions},
		{"away_versions_and_open_periods", testAwayVersions},
		// concurrency.go
		{"concurrent_writers", testConcurrentWriters},
		// cancel.go
		{"context_cancelled", testCancelled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}
