package roster

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// MemStore is the in-memory Store, safe for concurrent use. The zero
// value is ready to use.
type MemStore struct {
	mu          sync.RWMutex
	ids         map[uuid.UUID]string // every ID ever stored -> its desk
	assignments map[string]map[uuid.UUID]Assignment
	byStart     map[string][]Assignment // per desk, ordered by Start, Agent, ID
	swaps       map[string]map[uuid.UUID]Swap
	aways       map[string]map[uuid.UUID]Away
	duties      map[string]map[uuid.UUID]Duty
}

var _ Store = (*MemStore)(nil)

// NewMemStore returns an empty store.
func NewMemStore() *MemStore { return &MemStore{} }

func (m *MemStore) init() {
	if m.ids == nil {
		m.ids = map[uuid.UUID]string{}
		m.assignments = map[string]map[uuid.UUID]Assignment{}
		m.byStart = map[string][]Assignment{}
		m.swaps = map[string]map[uuid.UUID]Swap{}
		m.aways = map[string]map[uuid.UUID]Away{}
		m.duties = map[string]map[uuid.UUID]Duty{}
	}
}

func begin(ctx context.Context, desk string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if desk == "" {
		return invalid("desk", "empty desk")
	}
	return nil
}

// beginRead also refuses a desk that no store can hold (NUL, invalid
// UTF-8), so a read answers alike on every store (issue 12); a write
// names the record's own field through its Validate.
func beginRead(ctx context.Context, desk string) error {
	if err := begin(ctx, desk); err != nil {
		return err
	}
	return CheckText("desk", desk)
}

func bucket[T any](m map[string]map[uuid.UUID]T, desk string) map[uuid.UUID]T {
	b := m[desk]
	if b == nil {
		b = map[uuid.UUID]T{}
		m[desk] = b
	}
	return b
}

// AddAssignments implements Store.
func (m *MemStore) AddAssignments(ctx context.Context, desk string, as []Assignment) error {
	if err := begin(ctx, desk); err != nil {
		return err
	}
	seen := make(map[uuid.UUID]bool, len(as))
	for _, a := range as {
		if err := a.Validate(); err != nil {
			return err
		}
		if a.Desk != desk {
			return invalid("assignment.desk", "assignment %s belongs to desk %q, not %q", a.ID, a.Desk, desk)
		}
		if seen[a.ID] {
			return fmt.Errorf("assignment %s twice in one call: %w", a.ID, ErrConflict)
		}
		seen[a.ID] = true
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	for _, a := range as {
		if _, ok := m.ids[a.ID]; ok {
			return fmt.Errorf("assignment %s already stored: %w", a.ID, ErrConflict)
		}
	}
	b := bucket(m.assignments, desk)
	for _, a := range as {
		m.ids[a.ID] = desk
		b[a.ID] = a
	}
	batch := slices.Clone(as)
	slices.SortFunc(batch, compareAssignments)
	m.byStart[desk] = mergeSorted(m.byStart[desk], batch)
	return nil
}

// mergeSorted merges two lists ordered by compareAssignments.
func mergeSorted(a, b []Assignment) []Assignment {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	if compareAssignments(a[len(a)-1], b[0]) < 0 {
		return append(a, b...) // the common case: a later period
	}
	out := make([]Assignment, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if compareAssignments(a[i], b[j]) <= 0 {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(append(out, a[i:]...), b[j:]...)
	return out
}

func compareAssignments(a, b Assignment) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	if c := strings.Compare(a.Agent, b.Agent); c != 0 {
		return c
	}
	return bytes.Compare(a.ID[:], b.ID[:])
}

// Assignment implements Store.
func (m *MemStore) Assignment(ctx context.Context, desk string, id uuid.UUID) (Assignment, error) {
	if err := beginRead(ctx, desk); err != nil {
		return Assignment{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	a, ok := m.assignments[desk][id]
	if !ok {
		return Assignment{}, fmt.Errorf("assignment %s: %w", id, ErrNotFound)
	}
	return a, nil
}

// Assignments implements Store.
func (m *MemStore) Assignments(ctx context.Context, desk string, from, to time.Time) ([]Assignment, error) {
	if err := beginRead(ctx, desk); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	// No assignment is longer than MaxAssignment, so every one overlapping
	// [from, to) starts in [from-MaxAssignment, to).
	list := m.byStart[desk]
	lo := sort.Search(len(list), func(i int) bool { return !list[i].Start.Before(from.Add(-MaxAssignment)) })
	var out []Assignment
	for _, a := range list[lo:] {
		if !a.Start.Before(to) {
			break
		}
		if a.End.After(from) {
			out = append(out, a)
		}
	}
	return out, nil
}

func lessTAI(t1 time.Time, a1 string, id1 uuid.UUID, t2 time.Time, a2 string, id2 uuid.UUID) bool {
	if !t1.Equal(t2) {
		return t1.Before(t2)
	}
	if a1 != a2 {
		return a1 < a2
	}
	return bytes.Compare(id1[:], id2[:]) < 0
}

// save applies the versioning contract shared by swaps and aways.
func save[T any](m *MemStore, ctx context.Context, kind, desk string, id uuid.UUID, version int64,
	rec T, setVersion func(*T, int64), getVersion func(T) int64, table map[string]map[uuid.UUID]T) (T, error) {
	var zero T
	if err := begin(ctx, desk); err != nil {
		return zero, err
	}
	if version < 0 {
		return zero, invalid(kind+".version", "negative version %d", version)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	b := bucket(table, desk)
	old, exists := b[id]
	switch {
	case version == 0 && exists:
		return zero, &ConflictError{Kind: kind, ID: id.String(), Want: 0, Have: getVersion(old)}
	case version == 0:
		if _, taken := m.ids[id]; taken {
			return zero, &ConflictError{Kind: kind, ID: id.String(), Want: 0}
		}
	case !exists:
		return zero, fmt.Errorf("%s %s: %w", kind, id, ErrNotFound)
	case getVersion(old) != version:
		return zero, &ConflictError{Kind: kind, ID: id.String(), Want: version, Have: getVersion(old)}
	}
	setVersion(&rec, version+1)
	m.ids[id] = desk
	b[id] = rec
	return rec, nil
}

// SaveSwap implements Store.
func (m *MemStore) SaveSwap(ctx context.Context, s Swap) (Swap, error) {
	if err := s.Validate(); err != nil {
		return Swap{}, err
	}
	return save(m, ctx, "swap", s.Desk, s.ID, s.Version, s,
		func(r *Swap, v int64) { r.Version = v }, func(r Swap) int64 { return r.Version }, m.swapTable())
}

// SaveAway implements Store.
func (m *MemStore) SaveAway(ctx context.Context, a Away) (Away, error) {
	if err := a.Validate(); err != nil {
		return Away{}, err
	}
	return save(m, ctx, "away", a.Desk, a.ID, a.Version, a,
		func(r *Away, v int64) { r.Version = v }, func(r Away) int64 { return r.Version }, m.awayTable())
}

func (m *MemStore) swapTable() map[string]map[uuid.UUID]Swap {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	return m.swaps
}

func (m *MemStore) awayTable() map[string]map[uuid.UUID]Away {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	return m.aways
}

// Swap implements Store.
func (m *MemStore) Swap(ctx context.Context, desk string, id uuid.UUID) (Swap, error) {
	if err := beginRead(ctx, desk); err != nil {
		return Swap{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	s, ok := m.swaps[desk][id]
	if !ok {
		return Swap{}, fmt.Errorf("swap %s: %w", id, ErrNotFound)
	}
	return s, nil
}

// Swaps implements Store.
func (m *MemStore) Swaps(ctx context.Context, desk string, from, to time.Time) ([]Swap, error) {
	if err := beginRead(ctx, desk); err != nil {
		return nil, err
	}
	m.mu.RLock()
	var out []Swap
	for _, s := range m.swaps[desk] {
		if !s.SlotStart.Before(from) && s.SlotStart.Before(to) {
			out = append(out, s)
		}
	}
	m.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.SlotStart.Equal(b.SlotStart) {
			return a.SlotStart.Before(b.SlotStart)
		}
		if !a.RequestedAt.Equal(b.RequestedAt) {
			return a.RequestedAt.Before(b.RequestedAt)
		}
		return bytes.Compare(a.ID[:], b.ID[:]) < 0
	})
	return out, nil
}

// Away implements Store.
func (m *MemStore) Away(ctx context.Context, desk string, id uuid.UUID) (Away, error) {
	if err := beginRead(ctx, desk); err != nil {
		return Away{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	a, ok := m.aways[desk][id]
	if !ok {
		return Away{}, fmt.Errorf("away %s: %w", id, ErrNotFound)
	}
	return a, nil
}

// Aways implements Store.
func (m *MemStore) Aways(ctx context.Context, desk string, from, to time.Time) ([]Away, error) {
	if err := beginRead(ctx, desk); err != nil {
		return nil, err
	}
	m.mu.RLock()
	var out []Away
	for _, a := range m.aways[desk] {
		if a.Overlaps(from, to) {
			out = append(out, a)
		}
	}
	m.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		return lessTAI(out[i].From, out[i].Agent, out[i].ID, out[j].From, out[j].Agent, out[j].ID)
	})
	return out, nil
}

// AddDuty implements Store.
func (m *MemStore) AddDuty(ctx context.Context, d Duty) error {
	if err := begin(ctx, d.Desk); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	if _, ok := m.ids[d.ID]; ok {
		return fmt.Errorf("duty %s already stored: %w", d.ID, ErrConflict)
	}
	m.ids[d.ID] = d.Desk
	bucket(m.duties, d.Desk)[d.ID] = d
	return nil
}

// Duties implements Store.
func (m *MemStore) Duties(ctx context.Context, desk string, from, to time.Time) ([]Duty, error) {
	if err := beginRead(ctx, desk); err != nil {
		return nil, err
	}
	m.mu.RLock()
	var out []Duty
	for _, d := range m.duties[desk] {
		if overlaps(d.Start, d.End, from, to) {
			out = append(out, d)
		}
	}
	m.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		return lessTAI(out[i].Start, out[i].Agent, out[i].ID, out[j].Start, out[j].Agent, out[j].ID)
	})
	return out, nil
}
