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
		{"create_get", testCreateGet},
		{"tenancy", testTenancy},
		{"create_duplicate", testCreateDuplicate},
		{"create_invalid", testCreateInvalid},
		// leases.go
		{"claim_order", testClaimOrder},
		{"claim_role", testClaimRole},
		{"claim_invalid", testClaimInvalid},
		{"lease_expiry", testLeaseExpiry},
		{"F3_complete_keeps_role", testCompleteKeepsRole},
		{"complete_once", testCompleteOnce},
		{"complete_refusals", testCompleteRefusals},
		{"complete_retry", testCompleteRetry},
		// versions.go
		{"update_version", testUpdateVersion},
		{"update_requeues", testUpdateRequeues},
		// list.go
		{"list_matches_filter", testListMatchesFilter},
		{"list_pages_by_cursor", testListPagesByCursor},
		// concurrency.go
		{"concurrent_claimers", testConcurrentClaimers},
		{"concurrent_duplicate_creates", testConcurrentDuplicateCreates},
		// cancel.go
		{"context_cancelled", testContextCancelled},
		// erase.go. S1: erasing a customer scrubs the follow-up tasks and
		// outcomes (with the tickets in memory; RunDatabaseTests erases
		// both stores of one database in one transaction).
		{"S1_erase_customer", eraseCase},
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
