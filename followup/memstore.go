package followup

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// MemStore is the in-memory Store: the embedded default, and the
// reference the conformance suite was written against.
//
// Tasks are kept as records (see record) in creation order, never
// removed, and found by ID through a map. Open tasks sit in binary heaps
// per desk and role: pending tasks by NotBefore, claimed tasks by lease
// expiry. Claim, Complete, Create and Update are O(log n) in the number
// of open tasks. List answers a ticket's tasks through a per-ticket
// chain and open tasks through the heaps, both in proportion to the
// answer; other filters scan the records.
type MemStore struct {
	mu       sync.Mutex
	chunks   [][]record           // the records, chunkSize to a chunk: no record moves once stored
	n        uint32               // the number of records
	byID     map[uuid.UUID]uint32 // record index by task ID
	byTicket map[uuid.UUID]uint32 // 1 + the index of the ticket's latest task; see record.nextOfTicket
	// moved lists, by their new ticket, the tasks an Update moved to
	// another ticket (the chains hold the ticket a task was created for).
	moved  map[uuid.UUID][]uint32
	queues map[queueKey]*queue
	roles  map[string][]*queue // desk → its queues, for claims of any role
	strs   strTable
	locs   []*time.Location
}

var _ Store = (*MemStore)(nil)

// chunkSize is how many records share one allocation: growing the store
// never copies the records already stored, and the last chunk wastes at
// most this many.
const chunkSize = 1024

type queueKey struct {
	desk string
	role ticket.Role
}

// NewMemStore returns an empty in-memory store.
func NewMemStore() *MemStore {
	return &MemStore{
		byID:     map[uuid.UUID]uint32{},
		byTicket: map[uuid.UUID]uint32{},
		moved:    map[uuid.UUID][]uint32{},
		queues:   map[queueKey]*queue{},
		roles:    map[string][]*queue{},
	}
}

func (m *MemStore) rec(i uint32) *record { return &m.chunks[i/chunkSize][i%chunkSize] }

// add appends an empty record and returns its index.
func (m *MemStore) add() uint32 {
	last := len(m.chunks) - 1
	if last < 0 || len(m.chunks[last]) == chunkSize {
		m.chunks = append(m.chunks, make([]record, 0, 16))
		last++
	}
	c := m.chunks[last]
	if len(c) == cap(c) {
		c = append(make([]record, 0, min(2*cap(c), chunkSize)), c...)
	}
	m.chunks[last] = append(c, record{})
	m.n++
	return m.n - 1
}

func (m *MemStore) queue(desk string, role ticket.Role) *queue {
	k := queueKey{desk, role}
	q := m.queues[k]
	if q == nil {
		q = &queue{}
		m.queues[k] = q
		m.roles[desk] = append(m.roles[desk], q)
	}
	return q
}

// find returns the index of the desk's task, or false.
func (m *MemStore) find(desk string, id uuid.UUID) (uint32, bool) {
	i, ok := m.byID[id]
	if !ok || m.strs.get(m.rec(i).desk) != desk {
		return 0, false
	}
	return i, true
}

// Create implements Store.
func (m *MemStore) Create(ctx context.Context, t *Task) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkNew(t); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.byID[t.ID]; ok {
		return &DuplicateError{Task: t.ID}
	}
	if m.n == math.MaxUint32 {
		return fmt.Errorf("followup: the in-memory store is full (%d tasks); use a database adapter", m.n)
	}
	t.Version = 1
	i := m.add()
	r := m.rec(i)
	m.put(r, t)
	m.byID[t.ID] = i
	if t.Ticket != uuid.Nil {
		r.nextOfTicket = m.byTicket[t.Ticket]
		m.byTicket[t.Ticket] = i + 1
	}
	m.enqueue(i, t.Desk, t.Role)
	return nil
}

// Get implements Store.
func (m *MemStore) Get(ctx context.Context, desk string, id uuid.UUID) (*Task, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.find(desk, id)
	if !ok {
		return nil, notFound(id)
	}
	t := new(Task)
	m.task(m.rec(i), t, true)
	return t, nil
}

// Claim implements Store.
func (m *MemStore) Claim(ctx context.Context, desk string, c Claim) ([]*Task, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	limit := max(1, c.Limit)
	m.mu.Lock()
	defer m.mu.Unlock()
	var qs []*queue
	if c.Role != "" {
		if q := m.queues[queueKey{desk, c.Role}]; q != nil {
			qs = []*queue{q}
		}
	} else {
		qs = m.roles[desk]
	}
	out := make([]*Task, 0, min(limit, 16))
	for len(out) < limit {
		// The earliest ready item over the queues' two heaps.
		var best *taskHeap
		for _, q := range qs {
			for _, h := range [...]*taskHeap{&q.pending, &q.leased} {
				if m.ready(h, c.Now) && (best == nil || m.less(&h.items[0], &best.items[0])) {
					best = h
				}
			}
		}
		if best == nil {
			break
		}
		i := m.pop(best)
		t := new(Task)
		m.task(m.rec(i), t, true)
		t.Status = Claimed
		t.Lease = Lease{Owner: c.Owner, Token: c.Token, Expires: c.Now.Add(c.For)}
		t.Version++
		t.UpdatedAt = c.Now
		m.put(m.rec(i), t)
		m.enqueue(i, t.Desk, t.Role)
		out = append(out, t)
	}
	return out, nil
}

// Complete implements Store.
func (m *MemStore) Complete(ctx context.Context, t *Task, held Lease, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkTask(t); err != nil {
		return err
	}
	if t.Status == Claimed {
		return invalid("task status", "task %s: a completion leaves the task final or pending, not claimed", t.ID)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.find(t.Desk, t.ID)
	if !ok {
		return notFound(t.ID)
	}
	var cur Task
	m.task(m.rec(i), &cur, false)
	if err := checkLease(&cur, held, now); err != nil {
		return err
	}
	next := *t
	next.ID, next.Desk, next.Role = cur.ID, cur.Desk, cur.Role
	next.Version = cur.Version + 1
	next.Lease = Lease{}
	m.replace(i, &cur, &next)
	t.Version = next.Version
	return nil
}

// checkLease reports whether held is the live lease of the stored task
// cur at now, as a *LeaseError when it is not; the SQL adapters call it
// (as store/sqlstore.CheckLease) so that they refuse exactly what
// MemStore refuses.
func checkLease(cur *Task, held Lease, now time.Time) error {
	le := &LeaseError{Task: cur.ID, Owner: held.Owner, Status: cur.Status}
	if cur.Status != Claimed {
		return le
	}
	le.Holder = cur.Lease.Owner
	if cur.Lease.Owner != held.Owner || cur.Lease.Token != held.Token {
		return le
	}
	if !now.Before(cur.Lease.Expires) {
		le.Expired = cur.Lease.Expires
		return le
	}
	return nil
}

// Update implements Store.
func (m *MemStore) Update(ctx context.Context, t *Task) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkTask(t); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.find(t.Desk, t.ID)
	if !ok {
		return notFound(t.ID)
	}
	var cur Task
	m.task(m.rec(i), &cur, false)
	if cur.Version != t.Version {
		return fmt.Errorf("%w: task %s is at version %d, not %d; reload it", ErrConflict, t.ID, cur.Version, t.Version)
	}
	next := *t
	next.Version++
	if next.Status != Claimed {
		next.Lease = Lease{}
	}
	m.replace(i, &cur, &next)
	t.Version = next.Version
	return nil
}

// replace stores next over cur, the task of record i, and moves the
// record between the queues and the ticket index as next requires.
func (m *MemStore) replace(i uint32, cur, next *Task) {
	if cur.Open() {
		m.drop(i, cur)
	}
	if next.Ticket != cur.Ticket && next.Ticket != uuid.Nil {
		m.moved[next.Ticket] = append(m.moved[next.Ticket], i)
	}
	m.put(m.rec(i), next)
	m.enqueue(i, next.Desk, next.Role)
}

// List implements Store. A filter on the ticket, or on open statuses
// only, reads just the matching tasks; others read every task.
func (m *MemStore) List(ctx context.Context, desk string, f Filter) ([]*Task, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	var out []*Task
	var t Task
	consider := func(i uint32) {
		r := m.rec(i)
		if m.strs.get(r.desk) != desk {
			return
		}
		m.task(r, &t, false)
		if f.Match(&t) {
			c := new(Task)
			m.task(r, c, true)
			out = append(out, c)
		}
	}
	switch {
	case f.Ticket != uuid.Nil:
		seen := map[uint32]bool{}
		for next := m.byTicket[f.Ticket]; next != 0; next = m.rec(next - 1).nextOfTicket {
			seen[next-1] = true
			consider(next - 1)
		}
		for _, i := range m.moved[f.Ticket] {
			if !seen[i] {
				seen[i] = true
				consider(i)
			}
		}
	case len(f.Statuses) > 0 && !slices.ContainsFunc(f.Statuses, Status.Final):
		for _, q := range m.roles[desk] {
			for _, h := range [...]*taskHeap{&q.pending, &q.leased} {
				for _, it := range h.items {
					if m.live(&it) {
						consider(it.rec)
					}
				}
			}
		}
	default:
		for i := range m.n {
			consider(i)
		}
	}
	m.mu.Unlock()
	sortByDue(out)
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// sortByDue orders tasks as List returns them: earliest Due, then ID.
func sortByDue(ts []*Task) {
	slices.SortFunc(ts, func(a, b *Task) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return compareIDs(a.ID, b.ID)
	})
}

// queue holds one desk's and role's open tasks in two heaps: pending
// tasks by NotBefore and claimed tasks by lease expiry (an expired
// lease makes the task claimable again).
//
// A task leaves a heap lazily: its record's gen changes, and the item
// that still carries the old gen is stale. Stale items are skipped when
// they reach the top and swept out when they outnumber the live ones (an
// O(n) rebuild every n/2 removals: O(1) amortized), so a removal does
// not have to find its item.
type queue struct {
	pending, leased taskHeap
}

// taskHeap is a binary min-heap of items, earliest ReadyAt first, then
// earliest Due, then by ID.
type taskHeap struct {
	items []item
	stale int
}

// item is a heap slot: the task's ReadyAt and Due as Unix nanoseconds
// as they were when it was queued, its record and the record's gen then.
// The keys are copied so that a stale item keeps its place while its
// record changes; the ID, which never changes, breaks ties, and so do the
// exact instants in the rare case (before 1678, after 2262) of a value
// clamped to the int64 range. It holds no pointer, so the collector does
// not scan a million-item heap.
type item struct {
	ready, due int64
	rec, gen   uint32
}

// enqueue puts record i in the heap its status calls for, if open.
func (m *MemStore) enqueue(i uint32, desk string, role ticket.Role) {
	r := m.rec(i)
	var h *taskHeap
	switch r.status() {
	case Pending:
		h = &m.queue(desk, role).pending
	case Claimed:
		h = &m.queue(desk, role).leased
	default:
		return
	}
	r.gen++
	h.items = append(h.items, item{ready: clampNano(m.readyAt(r)), due: clampNano(m.dueOf(r)), rec: i, gen: r.gen})
	m.up(h, len(h.items)-1)
}

// drop marks record i's item stale; cur is its open task.
func (m *MemStore) drop(i uint32, cur *Task) {
	q := m.queue(cur.Desk, cur.Role)
	h := &q.pending
	if cur.Status == Claimed {
		h = &q.leased
	}
	m.rec(i).gen++
	h.stale++
	if h.stale > 64 && h.stale > len(h.items)/2 {
		m.sweep(h)
	}
}

func (m *MemStore) live(it *item) bool { return m.rec(it.rec).gen == it.gen }

// ready reports whether the heap's earliest live item is ready at now,
// dropping the stale items above it.
func (m *MemStore) ready(h *taskHeap, now time.Time) bool {
	for len(h.items) > 0 && !m.live(&h.items[0]) {
		m.pop(h)
		h.stale--
	}
	if len(h.items) == 0 {
		return false
	}
	it := &h.items[0]
	if n := clampNano(now); it.ready != n {
		return it.ready < n
	}
	return !m.readyAt(m.rec(it.rec)).After(now)
}

// less orders items: ReadyAt, then Due, then ID.
func (m *MemStore) less(a, b *item) bool {
	if a.ready != b.ready {
		return a.ready < b.ready
	}
	ra, rb := m.rec(a.rec), m.rec(b.rec)
	if clamped(a.ready) {
		if c := m.readyAt(ra).Compare(m.readyAt(rb)); c != 0 {
			return c < 0
		}
	}
	if a.due != b.due {
		return a.due < b.due
	}
	if clamped(a.due) {
		if c := m.dueOf(ra).Compare(m.dueOf(rb)); c != 0 {
			return c < 0
		}
	}
	return compareIDs(ra.id, rb.id) < 0
}

// pop removes the heap's top item and returns its record.
func (m *MemStore) pop(h *taskHeap) uint32 {
	top := h.items[0].rec
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	if last > 0 {
		m.down(h, 0)
	}
	return top
}

// sweep removes the stale items and restores the heap.
func (m *MemStore) sweep(h *taskHeap) {
	kept := h.items[:0]
	for _, it := range h.items {
		if m.live(&it) {
			kept = append(kept, it)
		}
	}
	h.items, h.stale = kept, 0
	for i := len(h.items)/2 - 1; i >= 0; i-- {
		m.down(h, i)
	}
}

func (m *MemStore) up(h *taskHeap, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !m.less(&h.items[i], &h.items[p]) {
			return
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (m *MemStore) down(h *taskHeap, i int) {
	n := len(h.items)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && m.less(&h.items[c+1], &h.items[c]) {
			c++
		}
		if !m.less(&h.items[c], &h.items[i]) {
			return
		}
		h.items[i], h.items[c] = h.items[c], h.items[i]
		i = c
	}
}

func clamped(n int64) bool { return n == math.MinInt64 || n == math.MaxInt64 }

// clampNano returns t as Unix nanoseconds, clamped to the int64 range.
func clampNano(t time.Time) int64 {
	switch sec := t.Unix(); {
	case sec < math.MinInt64/int64(time.Second)+1:
		return math.MinInt64
	case sec > math.MaxInt64/int64(time.Second)-1:
		return math.MaxInt64
	}
	return t.UnixNano()
}

func compareIDs(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }
