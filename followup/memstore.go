package followup

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// MemStore is the in-memory Store: the embedded default, and the
// reference the conformance suite was written against. Open tasks sit in
// one heap per desk and role, keyed by ReadyAt, so Claim, Complete and
// Create are O(log n) in the number of open tasks; List scans.
type MemStore struct {
	mu     sync.Mutex
	tasks  map[uuid.UUID]*entry
	queues map[queueKey]*queue
	roles  map[string][]*queue // desk → its queues, for claims of any role
}

var _ Store = (*MemStore)(nil)

type queueKey struct {
	desk string
	role ticket.Role
}

// entry is a stored task. Its queue slot is found lazily: every push
// bumps gen, and a heap item whose gen is not its entry's is stale and
// skipped. Sifting therefore never writes to entries, which keeps a
// million-task heap from touching a cold cache line per level.
type entry struct {
	task *Task  // points at t
	q    *queue // the queue holding the live item; nil when final
	gen  uint64
	t    Task // the stored task, in the same allocation
}

// NewMemStore returns an empty in-memory store.
func NewMemStore() *MemStore {
	return &MemStore{
		tasks:  map[uuid.UUID]*entry{},
		queues: map[queueKey]*queue{},
		roles:  map[string][]*queue{},
	}
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

// get returns the desk's entry or nil.
func (m *MemStore) get(desk string, id uuid.UUID) *entry {
	e := m.tasks[id]
	if e == nil || e.task.Desk != desk {
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
	t.Version = 1
	e := &entry{t: *t.Clone()}
	e.task = &e.t
	m.tasks[t.ID] = e
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
	return e.task.Clone(), nil
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
	nowSec, nowNs := c.Now.Unix(), int32(c.Now.Nanosecond())
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
		for _, q := range qs {
			if !q.live() || q.items[0].readyAfter(nowSec, nowNs) {
				continue
			}
			if best == nil || q.items[0].less(&best.items[0]) {
				best = q
			}
		}
		if best == nil {
			break
		}
		e := best.pop()
		t := e.task
		t.Status = Claimed
		t.Lease = Lease{Owner: c.Owner, Token: c.Token, Expires: c.Now.Add(c.For)}
		t.Version++
		t.UpdatedAt = c.Now
		best.push(e) // keyed by the lease expiry now
		out = append(out, t.Clone())
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
	e := m.get(t.Desk, t.ID)
	if e == nil {
		return notFound(t.ID)
	}
	cur := e.task
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
	if e.task.Version != t.Version {
		return fmt.Errorf("%w: task %s is at version %d, not %d; reload it", ErrConflict, t.ID, e.task.Version, t.Version)
	}
	m.replace(e, t, func(next *Task) {
		next.Version++
		if next.Status != Claimed {
			next.Lease = Lease{}
		}
	})
	t.Version = e.task.Version
	return nil
}

// replace copies t over e's stored task, lets adjust fix the copy, and
// moves e in or out of the queues. The stored task is reused rather than
// reallocated: the store never hands it out, only clones of it.
func (m *MemStore) replace(e *entry, t *Task, adjust func(*Task)) {
	if e.q != nil {
		e.q.drop(e)
	}
	dst := e.task
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
	if dst.Open() {
		m.queue(dst.Desk, dst.Role).push(e)
	}
}

// List implements Store.
func (m *MemStore) List(ctx context.Context, desk string, f Filter) ([]*Task, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	var out []*Task
	for _, e := range m.tasks {
		if e.task.Desk == desk && f.Match(e.task) {
			out = append(out, e.task.Clone())
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
// Instants are kept as seconds and nanoseconds (exact for every year
// time.Time holds) in 40 bytes; the ID, the last tie-break, is read
// from the task only when ready and due times are equal.
type item struct {
	readySec, dueSec int64
	readyNs, dueNs   int32
	e                *entry
	gen              uint64
}

func (it *item) setKey(t *Task) {
	r := t.ReadyAt()
	it.readySec, it.readyNs = r.Unix(), int32(r.Nanosecond())
	it.dueSec, it.dueNs = t.Due.Unix(), int32(t.Due.Nanosecond())
}

// readyAfter reports whether the item is not ready at now.
func (it *item) readyAfter(sec int64, ns int32) bool {
	return it.readySec > sec || it.readySec == sec && it.readyNs > ns
}

// less orders the queue: ReadyAt, then Due, then ID.
func (it *item) less(b *item) bool {
	switch {
	case it.readySec != b.readySec:
		return it.readySec < b.readySec
	case it.readyNs != b.readyNs:
		return it.readyNs < b.readyNs
	case it.dueSec != b.dueSec:
		return it.dueSec < b.dueSec
	case it.dueNs != b.dueNs:
		return it.dueNs < b.dueNs
	}
	return compareIDs(it.e.t.ID, b.e.t.ID) < 0
}

// queue is a 4-ary min-heap of items; push and pop are O(log n). Four
// children per node make the tree half as deep as a binary heap. Items
// of entries that were completed, cancelled or moved are dropped
// lazily: skipped when they reach the top, and swept out when they
// outnumber the live ones (an O(n) rebuild every n/2 drops: O(1)
// amortized).
type queue struct {
	items []item
	stale int
}

const arity = 4

func (q *queue) push(e *entry) {
	e.gen++
	e.q = q
	it := item{e: e, gen: e.gen}
	it.setKey(e.task)
	q.items = append(q.items, it)
	q.up(len(q.items) - 1)
}

// drop makes e's item stale.
func (q *queue) drop(e *entry) {
	e.gen++
	e.q = nil
	q.stale++
	if q.stale > 64 && q.stale > len(q.items)/2 {
		q.sweep()
	}
}

// live discards stale items from the top and reports whether a live one
// is left there.
func (q *queue) live() bool {
	for len(q.items) > 0 && q.items[0].gen != q.items[0].e.gen {
		q.popTop()
		q.stale--
	}
	return len(q.items) > 0
}

// pop removes the live top item (call live first) and returns its entry.
func (q *queue) pop() *entry {
	e := q.items[0].e
	q.popTop()
	e.q = nil
	return e
}

func (q *queue) popTop() {
	last := len(q.items) - 1
	q.items[0] = q.items[last]
	q.items[last] = item{}
	q.items = q.items[:last]
	if last > 0 {
		q.down(0)
	}
}

// sweep removes the stale items and restores the heap.
func (q *queue) sweep() {
	kept := q.items[:0]
	for _, it := range q.items {
		if it.gen == it.e.gen {
			kept = append(kept, it)
		}
	}
	clear(q.items[len(kept):])
	q.items = kept
	q.stale = 0
	for i := (len(q.items) - 2) / arity; i >= 0; i-- {
		q.down(i)
	}
}

func (q *queue) up(i int) {
	it := q.items[i]
	for i > 0 {
		p := (i - 1) / arity
		if !it.less(&q.items[p]) {
			break
		}
		q.items[i] = q.items[p]
		i = p
	}
	q.items[i] = it
}

func (q *queue) down(i int) {
	n := len(q.items)
	it := q.items[i]
	for {
		first := arity*i + 1
		if first >= n {
			break
		}
		m := first
		for c := first + 1; c < first+arity && c < n; c++ {
			if q.items[c].less(&q.items[m]) {
				m = c
			}
		}
		if !q.items[m].less(&it) {
			break
		}
		q.items[i] = q.items[m]
		i = m
	}
	q.items[i] = it
}
