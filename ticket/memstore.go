package ticket

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"
)

// MemStore is the in-memory Store: the embedded default for tests,
// simulations and single-process desks that need no durability. It is
// safe for concurrent use. The zero value is not usable; call NewMemStore.
//
// Every event is kept once, shared by its ticket's history and the
// outbox. Each desk indexes its tickets by state, kind, owner, assignee,
// department, customer, complaint class and severity, priority and tag,
// and keeps the tickets with a running deadline in due order, so that
// List reads the smallest matching index entry instead of every ticket,
// and an overdue page (ByDue) reads from its cursor to its end.
type MemStore struct {
	mu        sync.RWMutex
	desks     map[string]*memDesk
	outbox    []*memEvent         // commit order
	events    map[uuid.UUID]int   // every stored event: its index in outbox, or -1 if it is only in a history
	consumers map[memKey]*memCons // per consumer and scope
}

type memDesk struct {
	tickets  map[uuid.UUID]*memRecord
	byNumber []*memRecord // index n-1 holds case number n
	index    map[indexKey]map[int64]struct{}
	due      dueIndex // the tickets with a running deadline, in ByDue order
	open     dueIndex // the tickets neither closed nor cancelled, in ByUpdated order
}

// memRecord is a stored ticket. Its maps are kept as sorted key-value
// slices, a fraction of a small map's size.
type memRecord struct {
	t             *Ticket // Fields and Attrs are nil: see fields and attrs
	fields, attrs pairs
	history       []*memEvent
}

// memEvent is a stored event; its Data is kept as sorted pairs.
type memEvent struct {
	ev   Event // Data is nil: see data
	data pairs
}

func newMemEvent(e Event) *memEvent {
	me := &memEvent{ev: e, data: toPairs(e.Data)}
	me.ev.Data = nil
	return me
}

// event returns a copy of the stored event.
func (e *memEvent) event() Event {
	ev := e.ev
	ev.Data = e.data.toMap()
	return ev
}

// pairs holds a map[string]string as key, value, key, value, ... in key
// order; nil stands for a nil map.
type pairs []string

func toPairs(m map[string]string) pairs {
	if m == nil {
		return nil
	}
	keys := make([]string, 0, 2*len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	p := keys[:2*len(m)]
	for i := len(m) - 1; i >= 0; i-- {
		p[2*i] = keys[i]
		p[2*i+1] = m[keys[i]]
	}
	return p
}

func (p pairs) toMap() map[string]string {
	if p == nil {
		return nil
	}
	m := make(map[string]string, len(p)/2)
	for i := 0; i < len(p); i += 2 {
		m[p[i]] = p[i+1]
	}
	return m
}

// holds reports whether p holds exactly m.
func (p pairs) holds(m map[string]string) bool {
	if (p == nil) != (m == nil) || len(p) != 2*len(m) {
		return false
	}
	for i := 0; i < len(p); i += 2 {
		if v, ok := m[p[i]]; !ok || v != p[i+1] {
			return false
		}
	}
	return true
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
		events:    make(map[uuid.UUID]int),
		consumers: make(map[memKey]*memCons),
	}
}

func (m *MemStore) desk(name string) *memDesk {
	d := m.desks[name]
	if d == nil {
		d = &memDesk{tickets: make(map[uuid.UUID]*memRecord), index: make(map[indexKey]map[int64]struct{})}
		m.desks[name] = d
	}
	return d
}

// store replaces r's ticket with a copy of t and updates the indexes.
func (d *memDesk) store(r *memRecord, t *Ticket) {
	var old indexKeys
	var oldDue, oldUpdated time.Time
	wasOpen := false
	if r.t != nil {
		old, oldDue, oldUpdated, wasOpen = keysOf(r.t), r.t.NextDue(), r.t.UpdatedAt, !final(r.t.State)
	}
	c := *t
	c.Fields, c.Attrs = nil, nil
	r.t = c.Clone()
	if !r.fields.holds(t.Fields) {
		r.fields = toPairs(t.Fields)
	}
	if !r.attrs.holds(t.Attrs) {
		r.attrs = toPairs(t.Attrs)
	}
	d.reindex(t.Number, old, keysOf(r.t))
	due := r.t.NextDue()
	d.due.update(t.Number, !oldDue.IsZero(), oldDue, !due.IsZero(), due)
	d.open.update(t.Number, wasOpen, oldUpdated, !final(r.t.State), r.t.UpdatedAt)
}

// final reports whether a state ends a ticket's life: such tickets are
// left out of the open index.
func final(s State) bool { return s == Closed || s == Cancelled }

// openOnly reports whether states name open states only, so that every
// ticket matching them is in the open index.
func openOnly(states []State) bool {
	return len(states) > 0 && !slices.ContainsFunc(states, final)
}

// ticket returns a copy of r's ticket.
func (r *memRecord) ticket() *Ticket {
	c := r.t.Clone()
	c.Fields, c.Attrs = r.fields.toMap(), r.attrs.toMap()
	return c
}

// Create implements Store.
func (m *MemStore) Create(ctx context.Context, t *Ticket, history []Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkHistory(t, history); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.desk(t.Desk)
	if err := m.taken(d, t, history); err != nil {
		return err
	}
	m.add(d, t, history)
	return nil
}

// taken is ErrConflict when t's ID or an ID of its history is stored
// already; m.mu is held.
func (m *MemStore) taken(d *memDesk, t *Ticket, history []Event) error {
	if _, ok := d.tickets[t.ID]; ok {
		return fmt.Errorf("%w: ticket %s already exists", ErrConflict, t.ID)
	}
	for _, e := range history {
		if _, ok := m.events[e.ID]; ok {
			return fmt.Errorf("%w: event %s already exists", ErrConflict, e.ID)
		}
	}
	return nil
}

// add stores a new ticket with the desk's next case number and puts its
// last event in the outbox; m.mu is held.
func (m *MemStore) add(d *memDesk, t *Ticket, history []Event) {
	t.Number = int64(len(d.byNumber)) + 1
	r := &memRecord{history: make([]*memEvent, len(history))}
	for i, e := range history {
		r.history[i] = newMemEvent(e)
		m.events[e.ID] = -1
	}
	d.store(r, t)
	d.tickets[t.ID] = r
	d.byNumber = append(d.byNumber, r)
	m.publish(r.history[len(r.history)-1])
}

// CreateBatch implements BatchCreator: every ticket is checked before
// any is stored.
func (m *MemStore) CreateBatch(ctx context.Context, ts []*Ticket, histories [][]Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkBatch(ts, histories); err != nil {
		return err
	}
	if len(ts) == 0 {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.desk(ts[0].Desk)
	for i, t := range ts {
		if err := m.taken(d, t, histories[i]); err != nil {
			return err
		}
	}
	for i, t := range ts {
		m.add(d, t, histories[i])
	}
	return nil
}

// checkBatch checks what BatchCreator.CreateBatch needs beyond each
// ticket's checkHistory: one history per ticket, one desk, and no
// ticket or event ID twice in the batch.
func checkBatch(ts []*Ticket, histories [][]Event) error {
	if len(ts) != len(histories) {
		return invalid("histories", "one history per ticket: %d tickets, %d histories", len(ts), len(histories))
	}
	tickets, events := make(map[uuid.UUID]bool), make(map[uuid.UUID]bool)
	for i, t := range ts {
		if err := checkHistory(t, histories[i]); err != nil {
			return fmt.Errorf("ticket %d of the batch: %w", i, err)
		}
		if t.Desk != ts[0].Desk {
			return invalid("desk", "a batch is of one desk: ticket %d is of %q, not %q", i, t.Desk, ts[0].Desk)
		}
		if tickets[t.ID] {
			return fmt.Errorf("%w: ticket %s is twice in the batch", ErrConflict, t.ID)
		}
		tickets[t.ID] = true
		for _, e := range histories[i] {
			if events[e.ID] {
				return fmt.Errorf("%w: event %s is twice in the batch", ErrConflict, e.ID)
			}
			events[e.ID] = true
		}
	}
	return nil
}

// checkHistory checks the shape Store.Create needs: a desk, and one
// event per version carrying the ticket's desk and ID with Seq 1, 2, ...
// Every Store refuses other input with it (the SQL adapters through
// store/sqlstore.CheckHistory), so adapters agree with MemStore.
func checkHistory(t *Ticket, history []Event) error {
	if t == nil || t.Desk == "" || len(history) == 0 || int64(len(history)) != t.Version {
		return invalid("ticket", "a ticket needs a desk and one event per version")
	}
	for i, e := range history {
		if e.Desk != t.Desk || e.Ticket != t.ID || e.Seq != int64(i+1) {
			return invalid("history", "event %d must carry the ticket's desk, ID and Seq %d", i, i+1)
		}
	}
	return checkStored(t, history)
}

// checkEvent checks the event Store.Update and Store.Redact append
// (for the SQL adapters, store/sqlstore.CheckEvent): it
// carries the ticket's desk and ID and its new version as Seq. Both
// checks also refuse text no store can hold alike (invalid UTF-8, NUL)
// and times beyond year 9999, so every store answers such input with
// the same ErrInvalid.
func checkEvent(t *Ticket, ev Event) error {
	if t == nil || ev.Seq != t.Version || ev.Desk != t.Desk || ev.Ticket != t.ID {
		return invalid("event", "event must carry the ticket's desk, ID and new version")
	}
	return checkStored(t, []Event{ev})
}

// Update implements Store.
func (m *MemStore) Update(ctx context.Context, t *Ticket, ev Event) error {
	return m.appendVersion(ctx, t, ev, nil)
}

// Redact implements Store.
func (m *MemStore) Redact(ctx context.Context, t *Ticket, history []Event, ev Event) error {
	return m.appendVersion(ctx, t, ev, func(r *memRecord) error {
		at := make(map[uuid.UUID]*memEvent, len(r.history))
		for _, e := range r.history {
			at[e.ev.ID] = e
		}
		for _, e := range history {
			if at[e.ID] == nil {
				return fmt.Errorf("%w: event %s of ticket %s", ErrNotFound, e.ID, t.ID)
			}
		}
		// The history and the outbox share the event: one change erases both.
		for _, e := range history {
			h := at[e.ID]
			h.ev.Note, h.ev.Category, h.data = e.Note, e.Category, toPairs(e.Data)
		}
		return nil
	})
}

// appendVersion stores t, the next version of a stored ticket, with its
// event ev, after change (if any) has changed the stored record; a
// change that fails leaves everything as it was.
func (m *MemStore) appendVersion(ctx context.Context, t *Ticket, ev Event, change func(r *memRecord) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkEvent(t, ev); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	d, r, err := m.record(t.Desk, t.ID)
	if err != nil {
		return err
	}
	if t.Version != r.t.Version+1 || t.Number != r.t.Number {
		return fmt.Errorf("%w: ticket %s is at version %d, not %d", ErrConflict, t.ID, r.t.Version, t.Version-1)
	}
	if _, ok := m.events[ev.ID]; ok {
		return fmt.Errorf("%w: event %s already exists", ErrConflict, ev.ID)
	}
	if change != nil {
		if err := change(r); err != nil {
			return err
		}
	}
	d.store(r, t)
	me := newMemEvent(ev)
	r.history = append(r.history, me)
	m.publish(me)
	return nil
}

func (m *MemStore) publish(e *memEvent) {
	m.events[e.ev.ID] = len(m.outbox)
	m.outbox = append(m.outbox, e)
}

func (m *MemStore) record(desk string, id uuid.UUID) (*memDesk, *memRecord, error) {
	if d := m.desks[desk]; d != nil {
		if r := d.tickets[id]; r != nil {
			return d, r, nil
		}
	}
	return nil, nil, fmt.Errorf("%w: ticket %s", ErrNotFound, id)
}

// Get implements Store.
func (m *MemStore) Get(ctx context.Context, desk string, id uuid.UUID) (*Ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, r, err := m.record(desk, id)
	if err != nil {
		return nil, err
	}
	return r.ticket(), nil
}

// ByNumber implements Store.
func (m *MemStore) ByNumber(ctx context.Context, desk string, number int64) (*Ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	d := m.desks[desk]
	if d == nil || number < 1 || number > int64(len(d.byNumber)) {
		return nil, fmt.Errorf("%w: case number %d", ErrNotFound, number)
	}
	return d.byNumber[number-1].ticket(), nil
}

// List implements Store. It reads the smallest index entry the filter
// names (or every ticket when it names none) in the order asked for, and
// stops at the limit where the order allows. In ByDue order it walks the
// due index from the cursor (unless another entry is smaller) and stops
// at DueBefore or the limit: an overdue page costs what it returns.
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
	// The smallest index entry is sized first and read only when no
	// walk in order serves the page better.
	keys, size, indexed := d.smallest(&f)
	var numbers []int64
	count := len(d.byNumber)
	candidates := func() {
		if indexed {
			numbers = d.numbers(keys, size)
			count = len(numbers)
		}
	}
	// at returns the k-th candidate in case-number order.
	at := func(k int) *memRecord {
		if indexed {
			return d.byNumber[numbers[k]-1]
		}
		return d.byNumber[k]
	}
	var out []*Ticket
	switch {
	case f.Order == ByDue && (!indexed || size >= d.due.n):
		var from *dueEntry
		if f.After != nil {
			from = &dueEntry{f.After.Due, f.After.Number}
		}
		d.due.after(from, func(e dueEntry) bool {
			if !f.DueBefore.IsZero() && !e.due.Before(f.DueBefore) {
				return false
			}
			if r := d.byNumber[e.n-1]; f.Match(r.t) {
				out = append(out, r.ticket())
			}
			return f.Limit <= 0 || len(out) < f.Limit
		})
	case f.Order == ByUpdated && openOnly(f.States) && f.Limit > 0 && 2*size >= d.open.n:
		// Open tickets in update order (the stagnation pages): from the
		// cursor to the page's end or UpdatedBefore.
		var from *dueEntry
		if f.After != nil {
			from = &dueEntry{f.After.Updated, f.After.Number}
		}
		d.open.after(from, func(e dueEntry) bool {
			if !f.UpdatedBefore.IsZero() && !e.due.Before(f.UpdatedBefore) {
				return false
			}
			if r := d.byNumber[e.n-1]; f.Match(r.t) {
				out = append(out, r.ticket())
			}
			return len(out) < f.Limit
		})
	case f.Order == ByNumber || f.Order == ByNumberDesc:
		candidates()
		// The candidates beyond the cursor are a prefix or a suffix.
		lo, hi := 0, count
		if f.After != nil {
			k := sort.Search(count, func(k int) bool { return at(k).t.Number > f.After.Number })
			if f.Order == ByNumber {
				lo = k
			} else {
				hi = sort.Search(count, func(k int) bool { return at(k).t.Number >= f.After.Number })
			}
		}
		for i := range hi - lo {
			k := lo + i
			if f.Order == ByNumberDesc {
				k = hi - 1 - i
			}
			r := at(k)
			if !f.Match(r.t) {
				continue
			}
			out = append(out, r.ticket())
			if f.Limit > 0 && len(out) == f.Limit {
				break
			}
		}
	default:
		candidates()
		var match []*memRecord
		for k := range count {
			if r := at(k); f.Match(r.t) && f.After.Beyond(f.Order, r.t) {
				match = append(match, r)
			}
		}
		slices.SortFunc(match, func(a, b *memRecord) int {
			switch {
			case f.Order.Less(a.t, b.t):
				return -1
			case f.Order.Less(b.t, a.t):
				return 1
			}
			return 0
		})
		if f.Limit > 0 && len(match) > f.Limit {
			match = match[:f.Limit]
		}
		out = make([]*Ticket, len(match))
		for i, r := range match {
			out[i] = r.ticket()
		}
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
	_, r, err := m.record(desk, id)
	if err != nil {
		return nil, err
	}
	out := make([]Event, len(r.history))
	for i, e := range r.history {
		out[i] = e.event()
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
	// Everything from the low-water mark on may be pending: size the
	// answer once instead of growing it event by event.
	var out []Event
	if n := min(limit, len(m.outbox)-c.low); n > 0 {
		out = make([]Event, 0, n)
	}
	for i := c.low; i < len(m.outbox) && len(out) < limit; i++ {
		e := m.outbox[i]
		if !inScope(desk, &e.ev) {
			continue
		}
		if _, done := c.acked[e.ev.ID]; done {
			continue
		}
		out = append(out, e.event())
	}
	if len(out) == 0 {
		return nil, nil
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
		i, ok := m.events[id]
		if !ok || i < 0 || !inScope(desk, &m.outbox[i].ev) {
			return fmt.Errorf("%w: event %s", ErrNotFound, id)
		}
	}
	c := m.consumer(consumer, desk)
	for _, id := range ids {
		if m.events[id] >= c.low {
			c.acked[id] = struct{}{}
		}
	}
	// Move the low-water mark over the acknowledged prefix, forgetting
	// the acknowledgements it passes, so the set stays small.
	for c.low < len(m.outbox) {
		e := &m.outbox[c.low].ev
		if _, done := c.acked[e.ID]; done {
			delete(c.acked, e.ID)
		} else if inScope(desk, e) {
			break
		}
		c.low++
	}
	return nil
}
