// Package store holds what every store of the library has in common,
// whichever package it stores for (ticket.Store, followup.Store,
// roster.Store) and whichever adapter implements it: ErrUnavailable,
// the error of a store that cannot answer now.
//
// The in-memory stores (ticket.NewMemStore, followup.NewMemStore,
// roster.NewMemStore) never return it; the adapters (store/postgres,
// store/sqlite) wrap their drivers' connection and busy errors in it,
// so a service tells an outage (retry later: HTTP 503) from a bug (500)
// with errors.Is, whatever the adapter and without knowing its driver:
//
//	switch {
//	case errors.Is(err, store.ErrUnavailable):
//		// 503 with Retry-After
//	}
package store
