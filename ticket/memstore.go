package ticket

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"sync"

	"github.com/google/uuid"
)

// MemStore is the in-memory Store: the embedded default for tests,
// simulations and single-process desks that need no durability. It is
// safe for concurrent use. The zero value is not usable; call NewMemStore.
type MemStore struct {
	mu        sync.RWMutex
	desks     map[string]*memDesk
	outbox    []Event             // commit order
	outboxAt  map[uuid.UUID]int   // event ID → index in outbox
	eventIDs  map[uuid.UUID]bool  // every stored event, published or not
	consumers map[memKey]*memCons // per consumer and scope
}

type memDesk struct {
	tickets map[uuid.UUID]*memRecord
	numbers []uuid.UUID // index n-1 holds case number n
}

type memRecord struct {
	t       *Ticket
	history []Event
}

type memKey struct{ consumer, desk string }

type memCons struct {
	low   int // every outbox entry before low is acknowledged or out of scope
	acked map[uuid.UUID]struct{}
}

var _ Store = (*MemStore)(nil)

// NewMemStore returns an empty in-memory store.
func NewMemStore() *MemStore {
	return &MemStore{
		desks:     make(map[string]*memDesk),
		outboxAt:  make(map[uuid.UUID]int),
		eventIDs:  make(map[uuid.UUID]bool),
		consumers: make(map[memKey]*memCons),
	}
}

func (m *MemStore) desk(name string) *memDesk {
	d := m.desks[name]
	if d == nil {
		d = &memDesk{tickets: make(map[uuid.UUID]*memRecord)}
		m.desks[name] = d
	}
	return d
}

// Create implements Store.
func (m *MemStore) Create(ctx context.Context, t *Ticket, history []Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := CheckHistory(t, history); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.desk(t.Desk)
	if _, ok := d.tickets[t.ID]; ok {
		return fmt.Errorf("%w: ticket %s already exists", ErrConflict, t.ID)
	}
	for _, e := range history {
		if _, ok := m.outboxAt[e.ID]; ok || m.eventIDs[e.ID] {
			return fmt.Errorf("%w: event %s already exists", ErrConflict, e.ID)
		}
	}
	t.Number = int64(len(d.numbers)) + 1
	d.numbers = append(d.numbers, t.ID)
	r := &memRecord{t: t.Clone(), history: make([]Event, len(history))}
	for i, e := range history {
		r.history[i] = e.Clone()
		m.eventIDs[e.ID] = true
	}
	d.tickets[t.ID] = r
	m.publish(history[len(history)-1])
	return nil
}

// CheckHistory checks the shape Store.Create needs: a desk, and one
// event per version carrying the ticket's desk and ID with Seq 1, 2, ...
// Every Store refuses other input with it, so adapters agree with
// MemStore.
func CheckHistory(t *Ticket, history []Event) error {
	if t == nil || t.Desk == "" || len(history) == 0 || int64(len(history)) != t.Version {
		return invalid("ticket", "a ticket needs a desk and one event per version")
	}
	for i, e := range history {
		if e.Desk != t.Desk || e.Ticket != t.ID || e.Seq != int64(i+1) {
			return invalid("history", "event %d must carry the ticket's desk, ID and Seq %d", i, i+1)
		}
	}
	return nil
}

// CheckEvent checks the event Store.Update and Store.Redact append: it
// carries the ticket's desk and ID and its new version as Seq.
func CheckEvent(t *Ticket, ev Event) error {
	if t == nil || ev.Seq != t.Version || ev.Desk != t.Desk || ev.Ticket != t.ID {
		return invalid("event", "event must carry the ticket's desk, ID and new version")
	}
	return nil
}

// Update implements Store.
func (m *MemStore) Update(ctx context.Context, t *Ticket, ev Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := CheckEvent(t, ev); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.desks[t.Desk]
	if d == nil || d.tickets[t.ID] == nil {
		return fmt.Errorf("%w: ticket %s", ErrNotFound, t.ID)
	}
	r := d.tickets[t.ID]
	if t.Version != r.t.Version+1 || t.Number != r.t.Number {
		return fmt.Errorf("%w: ticket %s is at version %d, not %d", ErrConflict, t.ID, r.t.Version, t.Version-1)
	}
	if m.eventIDs[ev.ID] {
		return fmt.Errorf("%w: event %s already exists", ErrConflict, ev.ID)
	}
	r.t = t.Clone()
	r.history = append(r.history, ev.Clone())
	m.eventIDs[ev.ID] = true
	m.publish(ev)
	return nil
}

// Redact implements Store.
func (m *MemStore) Redact(ctx context.Context, t *Ticket, history []Event, ev Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := CheckEvent(t, ev); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.record(t.Desk, t.ID)
	if err != nil {
		return err
	}
	if t.Version != r.t.Version+1 || t.Number != r.t.Number {
		return fmt.Errorf("%w: ticket %s is at version %d, not %d", ErrConflict, t.ID, r.t.Version, t.Version-1)
	}
	if m.eventIDs[ev.ID] {
		return fmt.Errorf("%w: event %s already exists", ErrConflict, ev.ID)
	}
	at := make(map[uuid.UUID]int, len(r.history))
	for i, e := range r.history {
		at[e.ID] = i
	}
	for _, e := range history {
		if _, ok := at[e.ID]; !ok {
			return fmt.Errorf("%w: event %s of ticket %s", ErrNotFound, e.ID, t.ID)
		}
	}
	for _, e := range history {
		h := &r.history[at[e.ID]]
		h.Note, h.Data = e.Note, maps.Clone(e.Data)
		if i, ok := m.outboxAt[e.ID]; ok {
			o := &m.outbox[i]
			o.Note, o.Data = e.Note, maps.Clone(e.Data)
		}
	}
	r.t = t.Clone()
	r.history = append(r.history, ev.Clone())
	m.eventIDs[ev.ID] = true
	m.publish(ev)
	return nil
}

func (m *MemStore) publish(ev Event) {
	m.outboxAt[ev.ID] = len(m.outbox)
	m.outbox = append(m.outbox, ev.Clone())
}

func (m *MemStore) record(desk string, id uuid.UUID) (*memRecord, error) {
	if d := m.desks[desk]; d != nil {
		if r := d.tickets[id]; r != nil {
			return r, nil
		}
	}
	return nil, fmt.Errorf("%w: ticket %s", ErrNotFound, id)
}

// Get implements Store.
func (m *MemStore) Get(ctx context.Context, desk string, id uuid.UUID) (*Ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, err := m.record(desk, id)
	if err != nil {
		return nil, err
	}
	return r.t.Clone(), nil
}

// ByNumber implements Store.
func (m *MemStore) ByNumber(ctx context.Context, desk string, number int64) (*Ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	d := m.desks[desk]
	if d == nil || number < 1 || number > int64(len(d.numbers)) {
		return nil, fmt.Errorf("%w: case number %d", ErrNotFound, number)
	}
	return d.tickets[d.numbers[number-1]].t.Clone(), nil
}

// List implements Store.
func (m *MemStore) List(ctx context.Context, desk string, f Filter) ([]*Ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	d := m.desks[desk]
	if d == nil {
		return nil, nil
	}
	if f.Order == ByNumber {
		// Case numbers are the slice index: start at the cursor.
		start := int64(0)
		if f.After != nil {
			start = max(f.After.Number, 0)
		}
		var out []*Ticket
		for n := start; n < int64(len(d.numbers)); n++ {
			t := d.tickets[d.numbers[n]].t
			if !f.Match(t) {
				continue
			}
			out = append(out, t.Clone())
			if f.Limit > 0 && len(out) == f.Limit {
				break
			}
		}
		return out, nil
	}
	var match []*Ticket
	for _, id := range d.numbers {
		t := d.tickets[id].t
		if f.Match(t) && f.After.Beyond(f.Order, t) {
			match = append(match, t)
		}
	}
	sort.Slice(match, func(i, j int) bool { return f.Order.Less(match[i], match[j]) })
	if f.Limit > 0 && len(match) > f.Limit {
		match = match[:f.Limit]
	}
	out := make([]*Ticket, len(match))
	for i, t := range match {
		out[i] = t.Clone()
	}
	return out, nil
}

// History implements Store.
func (m *MemStore) History(ctx context.Context, desk string, id uuid.UUID) ([]Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, err := m.record(desk, id)
	if err != nil {
		return nil, err
	}
	out := make([]Event, len(r.history))
	for i, e := range r.history {
		out[i] = e.Clone()
	}
	return out, nil
}

func (m *MemStore) consumer(name, desk string) *memCons {
	k := memKey{name, desk}
	c := m.consumers[k]
	if c == nil {
		c = &memCons{acked: make(map[uuid.UUID]struct{})}
		m.consumers[k] = c
	}
	return c
}

// inScope reports whether an outbox entry belongs to the consumer's scope.
func inScope(desk string, e *Event) bool { return desk == "" || e.Desk == desk }

// Pending implements Outbox.
func (m *MemStore) Pending(ctx context.Context, consumer, desk string, limit int) ([]Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if consumer == "" {
		return nil, invalid("consumer", "name the consumer")
	}
	limit = max(limit, 1)
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.consumer(consumer, desk)
	var out []Event
	for i := c.low; i < len(m.outbox) && len(out) < limit; i++ {
		e := &m.outbox[i]
		if !inScope(desk, e) {
			continue
		}
		if _, done := c.acked[e.ID]; done {
			continue
		}
		out = append(out, e.Clone())
	}
	return out, nil
}

// Ack implements Outbox.
func (m *MemStore) Ack(ctx context.Context, consumer, desk string, ids ...uuid.UUID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if consumer == "" {
		return invalid("consumer", "name the consumer")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		i, ok := m.outboxAt[id]
		if !ok || !inScope(desk, &m.outbox[i]) {
			return fmt.Errorf("%w: event %s", ErrNotFound, id)
		}
	}
	c := m.consumer(consumer, desk)
	for _, id := range ids {
		if m.outboxAt[id] >= c.low {
			c.acked[id] = struct{}{}
		}
	}
	// Move the low-water mark over the acknowledged prefix, forgetting
	// the acknowledgements it passes, so the set stays small.
	for c.low < len(m.outbox) {
		e := &m.outbox[c.low]
		if _, done := c.acked[e.ID]; done {
			delete(c.acked, e.ID)
		} else if inScope(desk, e) {
			break
		}
		c.low++
	}
	return nil
}
