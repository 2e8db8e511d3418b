package webhook

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// DeadLetter is an event the receiver refused, with its answer.
type DeadLetter struct {
	Event    ticket.Event
	Status   int    // the HTTP status of the refusal
	Answer   string // the start of the answer's body, or the redirect not followed
	At       time.Time
	Attempts int
}

// DeadLetters keeps refused events. The sender parks an event before it
// acknowledges it in the outbox, so Park may see an event twice (after a
// crash between the two) and must keep it once.
type DeadLetters interface {
	Park(ctx context.Context, d DeadLetter) error
}

// MemDeadLetters is the in-memory dead-letter list. It is safe for
// concurrent use.
type MemDeadLetters struct {
	mu   sync.Mutex
	list []DeadLetter
	at   map[uuid.UUID]int
}

var _ DeadLetters = (*MemDeadLetters)(nil)

// NewMemDeadLetters returns an empty list.
func NewMemDeadLetters() *MemDeadLetters {
	return &MemDeadLetters{at: map[uuid.UUID]int{}}
}

// Park implements DeadLetters; parking an event again replaces its entry.
func (m *MemDeadLetters) Park(_ context.Context, d DeadLetter) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d.Event = d.Event.Clone()
	if i, ok := m.at[d.Event.ID]; ok {
		m.list[i] = d
		return nil
	}
	m.at[d.Event.ID] = len(m.list)
	m.list = append(m.list, d)
	return nil
}

// List returns the parked events of a desk ("" for every desk) in the
// order they were parked.
func (m *MemDeadLetters) List(desk string) []DeadLetter {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []DeadLetter
	for _, d := range m.list {
		if desk == "" || d.Event.Desk == desk {
			d.Event = d.Event.Clone()
			out = append(out, d)
		}
	}
	return out
}

// Remove drops a parked event (after it was handled by hand) and reports
// whether it was there.
func (m *MemDeadLetters) Remove(id uuid.UUID) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.at[id]
	if !ok {
		return false
	}
	m.list = slices.Delete(m.list, i, i+1)
	delete(m.at, id)
	for j := i; j < len(m.list); j++ {
		m.at[m.list[j].Event.ID] = j
	}
	return true
}
