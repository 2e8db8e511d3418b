package webhook

import (
	"context"
	"sync"
	"time"
)

// SeenStore remembers the IDs a Verifier accepted. A store shared by
// several receiving processes (a table with the ID as key) makes replay
// protection hold across them.
type SeenStore interface {
	// Remember records id until the given time and reports whether it
	// was already recorded and not yet expired. It must be atomic: of two
	// concurrent calls with one ID, exactly one reports false.
	Remember(ctx context.Context, id string, until time.Time) (seen bool, err error)
	// Forget drops id; forgetting an unknown ID is not an error.
	Forget(ctx context.Context, id string) error
}

// MemSeen is the in-memory SeenStore: a map from ID to expiry, swept of
// expired IDs as it grows. It is safe for concurrent use.
type MemSeen struct {
	mu        sync.Mutex
	now       func() time.Time
	until     map[string]time.Time
	nextSweep int
}

var _ SeenStore = (*MemSeen)(nil)

// NewMemSeen returns an empty store on the given clock (nil: time.Now).
func NewMemSeen(now func() time.Time) *MemSeen {
	if now == nil {
		now = time.Now
	}
	return &MemSeen{now: now, until: map[string]time.Time{}, nextSweep: 1024}
}

// Remember implements SeenStore.
func (m *MemSeen) Remember(_ context.Context, id string, until time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if u, ok := m.until[id]; ok && now.Before(u) {
		return true, nil
	}
	m.until[id] = until
	if len(m.until) >= m.nextSweep {
		for k, u := range m.until {
			if !now.Before(u) {
				delete(m.until, k)
			}
		}
		// Sweep again when the live set has doubled: amortised O(1).
		m.nextSweep = max(1024, 2*len(m.until))
	}
	return false, nil
}

// Forget implements SeenStore.
func (m *MemSeen) Forget(_ context.Context, id string) error {
	m.mu.Lock()
	delete(m.until, id)
	m.mu.Unlock()
	return nil
}

// Len returns how many IDs are held, expired ones not yet swept included.
func (m *MemSeen) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.until)
}
