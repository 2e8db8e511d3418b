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

type entry struct {
	task *Task
	q    *queue // nil when final
	at   int    // index in q.items
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
	if err := checkNew(t); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.tasks[t.ID]; ok {
		return &DuplicateError{Task: t.ID}
	}
	t.Version = 1
	e := &entry{task: t.Clone()}
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
			if len(q.items) == 0 || q.items[0].task.ReadyAt().After(c.Now) {
				continue
			}
			if best == nil || less(q.items[0], best.items[0]) {
				best = q
			}
		}
		if best == nil {
			break
		}
		e := best.items[0]
		t := e.task
		t.Status = Claimed
		t.Lease = Lease{Owner: c.Owner, Token: c.Token, Expires: c.Now.Add(c.For)}
		t.Version++
		t.UpdatedAt = c.Now
		best.fix(0)
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
	if err := leaseCheck(cur, held, now); err != nil {
		return err
	}
	next := t.Clone()
	next.ID, next.Desk, next.Role = cur.ID, cur.Desk, cur.Role
	next.Version = cur.Version + 1
	next.Lease = Lease{}
	m.replace(e, next)
	t.Version = next.Version
	return nil
}

// LeaseCheck reports whether held is the live lease of the stored task
// cur at now; adapters call it so that they refuse exactly what MemStore
// refuses.
func LeaseCheck(cur *Task, held Lease, now time.Time) error { return leaseCheck(cur, held, now) }

func leaseCheck(cur *Task, held Lease, now time.Time) error {
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
	next := t.Clone()
	next.Version++
	if next.Status != Claimed {
		next.Lease = Lease{}
	}
	m.replace(e, next)
	t.Version = next.Version
	return nil
}

// replace stores next in e and moves e in or out of the queues.
func (m *MemStore) replace(e *entry, next *Task) {
	if e.q != nil {
		e.q.remove(e)
	}
	e.task = next
	if next.Open() {
		m.queue(next.Desk, next.Role).push(e)
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

// less orders the queue: ReadyAt, then Due, then ID.
func less(a, b *entry) bool {
	ta, tb := a.task, b.task
	if c := ta.ReadyAt().Compare(tb.ReadyAt()); c != 0 {
		return c < 0
	}
	if c := ta.Due.Compare(tb.Due); c != 0 {
		return c < 0
	}
	return compareIDs(ta.ID, tb.ID) < 0
}

// queue is a 4-ary min-heap of entries that know their index: push,
// remove and fix are O(log n). Four children per node make the tree
// half as deep as a binary heap, which keeps a million tasks close to
// ten thousand in cost per operation.
type queue struct{ items []*entry }

const arity = 4

func (q *queue) push(e *entry) {
	e.q = q
	e.at = len(q.items)
	q.items = append(q.items, e)
	q.up(e.at)
}

func (q *queue) remove(e *entry) {
	i := e.at
	last := len(q.items) - 1
	if i != last {
		q.swap(i, last)
	}
	q.items[last] = nil
	q.items = q.items[:last]
	e.q, e.at = nil, -1
	if i != last {
		q.fix(i)
	}
}

func (q *queue) fix(i int) {
	if !q.down(i) {
		q.up(i)
	}
}

func (q *queue) swap(i, j int) {
	q.items[i], q.items[j] = q.items[j], q.items[i]
	q.items[i].at = i
	q.items[j].at = j
}

func (q *queue) up(i int) {
	for i > 0 {
		p := (i - 1) / arity
		if !less(q.items[i], q.items[p]) {
			return
		}
		q.swap(i, p)
		i = p
	}
}

// down sifts i down and reports whether it moved.
func (q *queue) down(i int) bool {
	start := i
	n := len(q.items)
	for {
		first := arity*i + 1
		if first >= n {
			break
		}
		m := first
		for c := first + 1; c < first+arity && c < n; c++ {
			if less(q.items[c], q.items[m]) {
				m = c
			}
		}
		if !less(q.items[m], q.items[i]) {
			break
		}
		q.swap(i, m)
		i = m
	}
	return i != start
}
