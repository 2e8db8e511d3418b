// Package followuptest is the conformance suite for followup.Store
// implementations. An adapter's test calls RunStoreTests with a function
// that returns an empty store; the suite checks the contracts documented
// on followup.Store: desk scoping and ErrNotFound, duplicate creates,
// claim order and leases, expiry, completing once, optimistic versions,
// List against Filter.Match, and concurrent claimers and creators.
package followuptest

import (
	"testing"

	"github.com/servicedesk-go/desk/followup"
)

// RunStoreTests runs the conformance suite, one subtest per case, in
// parallel: newStore must return a fresh, empty store each time it is
// called, independent of the stores of other cases.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) followup.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s followup.Store)
	}{
		// crud.go
		{"CreateGet", testCreateGet},
		{"Tenancy", testTenancy},
		{"CreateDuplicate", testCreateDuplicate},
		{"CreateInvalid", testCreateInvalid},
		// leases.go
		{"ClaimOrder", testClaimOrder},
		{"ClaimRole", testClaimRole},
		{"ClaimInvalid", testClaimInvalid},
		{"LeaseExpiry", testLeaseExpiry},
		{"CompleteKeepsRole", testCompleteKeepsRole},
		{"CompleteOnce", testCompleteOnce},
		{"CompleteRefusals", testCompleteRefusals},
		{"CompleteRetry", testCompleteRetry},
		// versions.go
		{"UpdateVersion", testUpdateVersion},
		{"UpdateRequeues", testUpdateRequeues},
		// list.go
		{"ListMatchesFilter", testListMatchesFilter},
		// concurrency.go
		{"ConcurrentClaimers", testConcurrentClaimers},
		{"ConcurrentDuplicateCreates", testConcurrentDuplicateCreates},
		// cancel.go
		{"ContextCancelled", testContextCancelled},
		// erase.go. S1: erasing a customer scrubs the follow-up tasks and
		// outcomes (with the tickets in memory; RunDatabaseTests erases
		// both stores of one database in one transaction).
		{"EraseCustomer", eraseCase},
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
