package ticket

import "slices"

// indexKey names the tickets with one value of one field: the entries
// of a desk's index.
type indexKey struct {
	field indexField
	value string
}

type indexField uint8

const (
	byState indexField = iota
	byKind
	byOwner // "" is the unowned tickets (T19)
	byAssignee
	byCustomer
	byClass
	bySeverity
	byDeadline // value "": the tickets with an open deadline (Filter.DueBefore)
	byPriority
	byDepartment
	byTag
)

// indexKeys are a ticket's index entries: at most ten, plus one per tag
// (the tags beyond what the array holds go to more).
type indexKeys struct {
	n    int
	keys [10]indexKey
	more []indexKey
}

func (ks *indexKeys) add(f indexField, v string) {
	if ks.n == len(ks.keys) {
		ks.more = append(ks.more, indexKey{f, v})
		return
	}
	ks.keys[ks.n] = indexKey{f, v}
	ks.n++
}

func (ks *indexKeys) list() []indexKey {
	if ks.more == nil {
		return ks.keys[:ks.n]
	}
	return append(ks.keys[:ks.n:ks.n], ks.more...)
}

func keysOf(t *Ticket) indexKeys {
	var ks indexKeys
	ks.add(byState, string(t.State))
	ks.add(byKind, string(t.Kind))
	ks.add(byOwner, t.Owner)
	if t.Assignee != "" {
		ks.add(byAssignee, t.Assignee)
	}
	if t.Department != "" {
		ks.add(byDepartment, t.Department)
	}
	if t.Customer != nil && t.Customer.ID != "" {
		ks.add(byCustomer, t.Customer.ID)
	}
	if t.Complaint != nil {
		ks.add(byClass, t.Complaint.Class)
		ks.add(bySeverity, string(t.Complaint.Severity))
	}
	if !t.NextDue().IsZero() {
		ks.add(byDeadline, "")
	}
	ks.add(byPriority, string(t.Priority))
	for _, tag := range t.Tags {
		ks.add(byTag, tag)
	}
	return ks
}

// reindex moves case number n from the entries old to the entries now.
// An entry that empties is kept for the next ticket with that value.
func (d *memDesk) reindex(n int64, old, now indexKeys) {
	was, is := old.list(), now.list()
	for _, k := range was {
		if !slices.Contains(is, k) {
			delete(d.index[k], n)
		}
	}
	for _, k := range is {
		if !slices.Contains(was, k) {
			set := d.index[k]
			if set == nil {
				set = make(map[int64]struct{})
				d.index[k] = set
			}
			set[n] = struct{}{}
		}
	}
}

// smallest returns the smallest index entry (or union of entries) that
// every ticket matching f is in, with its size, and false when f names
// no indexed field. Nothing is read but the entries' sizes.
func (d *memDesk) smallest(f *Filter) ([]indexKey, int, bool) {
	var best []indexKey
	size := -1
	consider := func(keys []indexKey) {
		n := 0
		for _, k := range keys {
			n += len(d.index[k])
		}
		if size < 0 || n < size {
			best, size = keys, n
		}
	}
	if len(f.States) > 0 {
		consider(keysFor(byState, f.States))
	}
	if len(f.Kinds) > 0 {
		consider(keysFor(byKind, f.Kinds))
	}
	if f.Owner != "" {
		consider([]indexKey{{byOwner, f.Owner}})
	}
	if f.Unowned {
		consider([]indexKey{{byOwner, ""}})
	}
	if f.Assignee != "" {
		consider([]indexKey{{byAssignee, f.Assignee}})
	}
	if f.Department != "" {
		consider([]indexKey{{byDepartment, f.Department}})
	}
	if f.Customer != "" {
		consider([]indexKey{{byCustomer, f.Customer}})
	}
	if len(f.Classes) > 0 {
		consider(keysFor(byClass, f.Classes))
	}
	if len(f.Severities) > 0 {
		consider(keysFor(bySeverity, f.Severities))
	}
	if !f.DueBefore.IsZero() {
		consider([]indexKey{{byDeadline, ""}})
	}
	if len(f.Priorities) > 0 {
		consider(keysFor(byPriority, f.Priorities))
	}
	for _, tag := range f.Tags {
		consider([]indexKey{{byTag, tag}})
	}
	return best, size, size >= 0
}

// numbers returns, in ascending order, the case numbers of the entries
// (size of them, counting repeats).
func (d *memDesk) numbers(keys []indexKey, size int) []int64 {
	out := make([]int64, 0, size)
	for _, k := range keys {
		for n := range d.index[k] {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func keysFor[T ~string](f indexField, values []T) []indexKey {
	keys := make([]indexKey, 0, len(values))
	for _, v := range values {
		keys = append(keys, indexKey{f, string(v)})
	}
	return keys
}
