package followup

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// MemStore is the in-memory Store: the embedded default, and the
// reference the conformance suite was written against. Open tasks sit in
// heaps per desk and role — pending tasks by NotBefore, claimed tasks by
// lease expiry — so Claim, Complete and Create are O(log n) in the number
// of open tasks; List scans.
type MemStore struct {
	mu     sync.Mutex
	tasks  map[uuid.UUID]uint32 // entry index by task ID; no pointers for the collector to scan
	leased map[uuid.UUID]*entry // the claimed tasks: a small, warm map for Complete
	slabs  []*[slabSize]entry   // the entries, by index: heap items refer to them by index
	n      uint32               // the number of entries
	queues map[queueKey]*queue
	roles  map[string][]*queue // desk → its queues, for claims of any role
}

var _ Store = (*MemStore)(nil)

type queueKey struct {
	desk string
	role ticket.Role
}

// entry is a stored task and where it is queued. In the pending heap
// its item is found lazily: every push bumps gen, and an item whose gen
// is not its entry's is stale and skipped, so sifting a million pending
// tasks never writes to (cold) entries. In the small lease heap, whose
// entries were just claimed and are warm, at tracks the item's index
// for removal on completion.
type entry struct {
	q   *queue // the queue holding the entry's item; nil when final
	gen uint32
	idx uint32 // the entry's index in the store
	at  int    // index in q.leased, or -1 when pending
	t   Task
}

// Entries are allocated slabSize at a time: they are never freed, and a
// few large objects cost less to allocate and for the collector to mark
// than many small ones. With 256 entries a slab (about 134 KB), the slab
// table of a million tasks is 31 KB: it stays in cache, where a table
// eight times larger missed it on every claim.
const slabSize = 256

// entry returns the entry with index i. It adds the offset to the slab's
// address itself: indexing the array through its pointer would first
// nil-check the pointer by loading the slab's first entry, a cache miss
// of its own in a large store. Slabs are never nil.
func (m *MemStore) entry(i uint32) *entry {
	return (*entry)(unsafe.Add(unsafe.Pointer(m.slabs[i/slabSize]), uintptr(i%slabSize)*unsafe.Sizeof(entry{})))
}

// NewMemStore returns an empty in-memory store.
func NewMemStore() *MemStore {
	return &MemStore{
		tasks:  map[uuid.UUID]uint32{},
		leased: map[uuid.UUID]*entry{},
		queues: map[queueKey]*queue{},
		roles:  map[string][]*queue{},
	}
}

func (m *MemStore) queue(desk string, role ticket.Role) *queue {
	k := queueKey{desk, role}
	q := m.queues[k]
	if q == nil {
		q = &queue{st: m}
		m.queues[k] = q
		m.roles[desk] = append(m.roles[desk], q)
	}
	return q
}

// get returns the desk's entry or nil.
func (m *MemStore) get(desk string, id uuid.UUID) *entry {
	i, ok := m.tasks[id]
	if !ok {
		return nil
	}
	e := m.entry(i)
	if e.t.Desk != desk {
		return nil
	}
	return e
}

// Create implements Store.
func (m *MemStore) Create(ctx context.Context, t *Task) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := CheckNew(t); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.tasks[t.ID]; ok {
		return &DuplicateError{Task: t.ID}
	}
	if m.n == math.MaxUint32 {
		return fmt.Errorf("followup: the in-memory store is full (%d tasks); use a database adapter", m.n)
	}
	if m.n%slabSize == 0 {
		m.slabs = append(m.slabs, new([slabSize]entry))
	}
	t.Version = 1
	e := m.entry(m.n)
	*e = entry{t: *t, at: -1, idx: m.n}
	e.t.Checklist = slices.Clone(t.Checklist)
	if t.Outcome != nil {
		o := t.Outcome.clone()
		e.t.Outcome = &o
	}
	m.tasks[t.ID] = m.n
	m.n++
	m.queue(t.Desk, t.Role).push(e)
	return nil
}

// Get implements Store.
func (m *MemStore) Get(ctx context.Context, desk string, id uuid.UUID) (*Task, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.get(desk, id)
	if e == nil {
		return nil, notFound(id)
	}
	return e.t.Clone(), nil
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
	now := nanos(c.Now)
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
		var best *queue
		var bestItem *item
		for _, q := range qs {
			it := q.next(now, c.Now)
			if it != nil && (bestItem == nil || q.less(it, bestItem)) {
				best, bestItem = q, it
			}
		}
		if best == nil {
			break
		}
		e := best.take(bestItem)
		t := &e.t
		t.Status = Claimed
		t.Lease = Lease{Owner: c.Owner, Token: c.Token, Expires: c.Now.Add(c.For)}
		t.Version++
		t.UpdatedAt = c.Now
		best.lease(e)
		out = append(out, t.Clone())
	}
	for _, q := range qs {
		q.warm()
	}
	return out, nil
}

// Complete implements Store.
func (m *MemStore) Complete(ctx context.Context, t *Task, held Lease, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t == nil {
		return invalid("task", "nil task")
	}
	if t.Status == Claimed {
		return invalid("task status", "task %s: a completion leaves the task final or pending, not claimed", t.ID)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	// A task that can be completed is claimed: look it up among the
	// claimed ones first, which spares a cold probe of the big map.
	e := m.leased[t.ID]
	if e == nil || e.t.Desk != t.Desk {
		e = m.get(t.Desk, t.ID)
	}
	if e == nil {
		return notFound(t.ID)
	}
	cur := &e.t
	if err := LeaseCheck(cur, held, now); err != nil {
		return err
	}
	id, desk, role, version := cur.ID, cur.Desk, cur.Role, cur.Version+1
	m.replace(e, t, func(next *Task) {
		next.ID, next.Desk, next.Role = id, desk, role
		next.Version = version
		next.Lease = Lease{}
	})
	t.Version = version
	return nil
}

// LeaseCheck reports whether held is the live lease of the stored task
// cur at now, as a *LeaseError when it is not; adapters call it so that
// they refuse exactly what MemStore refuses.
func LeaseCheck(cur *Task, held Lease, now time.Time) error {
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
	if t == nil {
		return invalid("task", "nil task")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.get(t.Desk, t.ID)
	if e == nil {
		return notFound(t.ID)
	}
	if e.t.Version != t.Version {
		return fmt.Errorf("%w: task %s is at version %d, not %d; reload it", ErrConflict, t.ID, e.t.Version, t.Version)
	}
	m.replace(e, t, func(next *Task) {
		next.Version++
		if next.Status != Claimed {
			next.Lease = Lease{}
		}
	})
	t.Version = e.t.Version
	return nil
}

// replace copies t over e's stored task, lets adjust fix the copy, and
// moves e in or out of the queues. The stored task is reused rather than
// reallocated: the store never hands it out, only clones of it.
func (m *MemStore) replace(e *entry, t *Task, adjust func(*Task)) {
	if e.q != nil {
		e.q.drop(e)
	}
	dst := &e.t
	checklist, outcome := dst.Checklist, dst.Outcome
	*dst = *t
	dst.Checklist = append(checklist[:0], t.Checklist...)
	if t.Checklist == nil {
		dst.Checklist = nil
	}
	dst.Outcome = nil
	if t.Outcome != nil {
		if outcome == nil {
			outcome = new(Outcome)
		}
		*outcome = t.Outcome.clone()
		dst.Outcome = outcome
	}
	adjust(dst)
	switch dst.Status {
	case Pending:
		m.queue(dst.Desk, dst.Role).push(e)
	case Claimed:
		m.queue(dst.Desk, dst.Role).lease(e)
	}
}

// List implements Store.
func (m *MemStore) List(ctx context.Context, desk string, f Filter) ([]*Task, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	var out []*Task
	for i := range m.n {
		if e := m.entry(i); e.t.Desk == desk && f.Match(&e.t) {
			out = append(out, e.t.Clone())
		}
	}
	m.mu.Unlock()
	SortByDue(out)
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// SortByDue orders tasks as List returns them: earliest Due, then ID.
func SortByDue(ts []*Task) {
	slices.SortFunc(ts, func(a, b *Task) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return compareIDs(a.ID, b.ID)
	})
}

func compareIDs(a, b uuid.UUID) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// item is a heap slot: the task's order key, copied out of the task so
// that sifting compares contiguous memory instead of chasing pointers.
// It holds no pointer (the entry is named by index), so the garbage
// collector neither scans a million-item heap nor puts write barriers on
// sifting it. Instants are Unix nanoseconds; the rare instant outside
// 1678–2262 is clamped and, on a tie, compared exactly from the task, as
// is the ID, the last tie-break. gen is compared for equality only; it
// would take 2^32 pushes of one task while a stale item of it waits to
// confuse it.
type item struct {
	ready, due int64
	idx, gen   uint32
}

const (
	minNano = math.MinInt64
	maxNano = math.MaxInt64
)

// nanos returns t as Unix nanoseconds, clamped to the int64 range.
func nanos(t time.Time) int64 {
	sec := t.Unix()
	switch {
	case sec < minNano/int64(time.Second)+1:
		return minNano
	case sec > maxNano/int64(time.Second)-1:
		return maxNano
	}
	return sec*int64(time.Second) + int64(t.Nanosecond())
}

func keyOf(e *entry) item {
	return item{ready: nanos(e.t.ReadyAt()), due: nanos(e.t.Due), idx: e.idx, gen: e.gen}
}

// queue holds one desk's and role's open tasks in two 4-ary min-heaps
// (four children per node: half the depth of a binary heap):
//
//   - pending, keyed by NotBefore. Items of tasks that were cancelled,
//     moved or rescheduled while pending are dropped lazily: skipped
//     when they reach the top and swept out when they outnumber the live
//     ones (an O(n) rebuild every n/2 drops: O(1) amortized).
//   - leased, keyed by lease expiry, with eager removal: completions
//     take their task out at once, so it holds only outstanding claims.
//
// Both are O(log n) per operation.
type queue struct {
	st      *MemStore
	pending []item
	stale   int
	leased  []item
}

const arity = 4

func (q *queue) entry(it *item) *entry { return q.st.entry(it.idx) }

func (q *queue) live(it *item) bool { return it.gen == q.entry(it).gen }

// readyAfter reports whether the item is not ready at now.
func (q *queue) readyAfter(it *item, now int64, exact time.Time) bool {
	if it.ready == now && (now == minNano || now == maxNano) {
		return q.entry(it).t.ReadyAt().After(exact)
	}
	return it.ready > now
}

// less orders the queue: ReadyAt, then Due, then ID. Its common case
// is small enough to be inlined into the sifting loops; tie handles the
// rest.
func (q *queue) less(a, b *item) bool {
	if a.ready != b.ready {
		return a.ready < b.ready
	}
	return q.tie(a, b)
}

// tie is less for items whose ReadyAt clamps to the same instant.
func (q *queue) tie(a, b *item) bool {
	if a.ready == minNano || a.ready == maxNano {
		if c := q.entry(a).t.ReadyAt().Compare(q.entry(b).t.ReadyAt()); c != 0 {
			return c < 0
		}
	}
	if a.due != b.due {
		return a.due < b.due
	}
	if a.due == minNano || a.due == maxNano {
		if c := q.entry(a).t.Due.Compare(q.entry(b).t.Due); c != 0 {
			return c < 0
		}
	}
	return compareIDs(q.entry(a).t.ID, q.entry(b).t.ID) < 0
}

// push queues a pending task.
func (q *queue) push(e *entry) {
	e.gen++
	e.q, e.at = q, -1
	q.pending = append(q.pending, keyOf(e))
	q.up(q.pending, len(q.pending)-1, false)
}

// lease queues a claimed task by its lease expiry.
func (q *queue) lease(e *entry) {
	e.q, e.at = q, len(q.leased)
	q.st.leased[e.t.ID] = e
	q.leased = append(q.leased, keyOf(e))
	q.up(q.leased, e.at, true)
}

// drop takes e out of the queue.
func (q *queue) drop(e *entry) {
	if e.at >= 0 {
		q.leased = q.removeAt(q.leased, e.at, true)
		delete(q.st.leased, e.t.ID)
		e.q, e.at = nil, -1
		return
	}
	e.gen++
	e.q = nil
	q.stale++
	if q.stale > 64 && q.stale > len(q.pending)/2 {
		q.sweep()
	}
}

// next returns the earliest item ready at now (pending and due, or an
// expired lease), or nil.
func (q *queue) next(now int64, exact time.Time) *item {
	for len(q.pending) > 0 && !q.live(&q.pending[0]) {
		q.pending = q.removeAt(q.pending, 0, false)
		q.stale--
	}
	var best *item
	if len(q.pending) > 0 && !q.readyAfter(&q.pending[0], now, exact) {
		best = &q.pending[0]
	}
	if len(q.leased) > 0 && !q.readyAfter(&q.leased[0], now, exact) && (best == nil || q.less(&q.leased[0], best)) {
		best = &q.leased[0]
	}
	return best
}

// warm prefetches the entry of the earliest pending item, which the
// next claim is likely to take and copy out. In a large store that entry
// is in no cache, and the claim would stall on it; prefetched, it arrives
// while the caller completes the task it holds.
func (q *queue) warm() {
	if len(q.pending) > 0 {
		prefetch(unsafe.Pointer(q.entry(&q.pending[0])), unsafe.Sizeof(entry{}))
	}
}

// take removes the item next returned and returns its entry.
func (q *queue) take(it *item) *entry {
	e := q.entry(it)
	if len(q.leased) > 0 && it == &q.leased[0] {
		q.leased = q.removeAt(q.leased, 0, true)
		delete(q.st.leased, e.t.ID)
	} else {
		q.pending = q.removeAt(q.pending, 0, false)
	}
	e.q, e.at = nil, -1
	return e
}

// sweep removes the stale pending items and restores the heap.
func (q *queue) sweep() {
	kept := q.pending[:0]
	for _, it := range q.pending {
		if q.live(&it) {
			kept = append(kept, it)
		}
	}
	q.pending = kept
	q.stale = 0
	for i := (len(q.pending) - 2) / arity; i >= 0; i-- {
		q.down(q.pending, i, false)
	}
}

// removeAt removes h[i] and restores the heap; track keeps the entries'
// indexes current.
func (q *queue) removeAt(h []item, i int, track bool) []item {
	last := len(h) - 1
	if i != last {
		h[i] = h[last]
		if track {
			q.entry(&h[i]).at = i
		}
	}
	h = h[:last]
	if i < last {
		if !q.down(h, i, track) {
			q.up(h, i, track)
		}
	}
	return h
}

func (q *queue) up(h []item, i int, track bool) {
	it := h[i]
	for i > 0 {
		p := (i - 1) / arity
		if !q.less(&it, &h[p]) {
			break
		}
		h[i] = h[p]
		if track {
			q.entry(&h[i]).at = i
		}
		i = p
	}
	h[i] = it
	if track {
		q.entry(&h[i]).at = i
	}
}

// down sifts h[i] down and reports whether it moved.
func (q *queue) down(h []item, i int, track bool) bool {
	start := i
	n := len(h)
	it := h[i]
	for {
		first := arity*i + 1
		if first >= n {
			break
		}
		m := first
		for c := first + 1; c < first+arity && c < n; c++ {
			if q.less(&h[c], &h[m]) {
				m = c
			}
		}
		if !q.less(&h[m], &it) {
			break
		}
		h[i] = h[m]
		if track {
			q.entry(&h[i]).at = i
		}
		i = m
	}
	h[i] = it
	if track {
		q.entry(&h[i]).at = i
	}
	return i != start
}
