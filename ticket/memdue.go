package ticket

import (
	"cmp"
	"slices"
	"sort"
	"time"
)

// dueEntry is a ticket in the due index: its earliest running deadline
// and its case number.
type dueEntry struct {
	due time.Time
	n   int64
}

func (a dueEntry) compare(b dueEntry) int {
	if c := a.due.Compare(b.due); c != 0 {
		return c
	}
	return cmp.Compare(a.n, b.n)
}

// dueChunk is the most entries a chunk of the due index holds before it
// splits.
const dueChunk = 512

// dueIndex holds a desk's tickets with a running deadline in ByDue
// order: sorted chunks of at most dueChunk entries, so that a change
// moves entries within one chunk and a page reads from its cursor on
// (Filter.Order ByDue, the overdue query).
type dueIndex struct {
	chunks [][]dueEntry
	n      int // entries
}

// locate returns the chunk that holds e or would: the first whose last
// entry is not below e, or the last chunk.
func (x *dueIndex) locate(e dueEntry) int {
	ci := sort.Search(len(x.chunks), func(k int) bool {
		c := x.chunks[k]
		return c[len(c)-1].compare(e) >= 0
	})
	return min(ci, len(x.chunks)-1)
}

func (x *dueIndex) insert(e dueEntry) {
	x.n++
	if len(x.chunks) == 0 {
		x.chunks = [][]dueEntry{{e}}
		return
	}
	ci := x.locate(e)
	c := x.chunks[ci]
	i, _ := slices.BinarySearchFunc(c, e, dueEntry.compare)
	c = slices.Insert(c, i, e)
	if len(c) > dueChunk {
		half := len(c) / 2
		right := slices.Clone(c[half:])
		c = slices.Clip(c[:half])
		x.chunks = slices.Insert(x.chunks, ci+1, right)
	}
	x.chunks[ci] = c
}

func (x *dueIndex) remove(e dueEntry) {
	if len(x.chunks) == 0 {
		return
	}
	ci := x.locate(e)
	c := x.chunks[ci]
	i, found := slices.BinarySearchFunc(c, e, dueEntry.compare)
	if !found {
		return
	}
	x.n--
	c = slices.Delete(c, i, i+1)
	if len(c) == 0 {
		x.chunks = slices.Delete(x.chunks, ci, ci+1)
		return
	}
	x.chunks[ci] = c
}

// update moves case number n from due time old to due time now (zero:
// no running deadline).
func (x *dueIndex) update(n int64, old, now time.Time) {
	if old.Equal(now) {
		return
	}
	if !old.IsZero() {
		x.remove(dueEntry{old, n})
	}
	if !now.IsZero() {
		x.insert(dueEntry{now, n})
	}
}

// after calls yield with the entries after c (every entry when c is
// nil) in order, until yield returns false.
func (x *dueIndex) after(c *Cursor, yield func(dueEntry) bool) {
	ci, i := 0, 0
	if c != nil && len(x.chunks) > 0 {
		e := dueEntry{c.Due, c.Number}
		ci = x.locate(e)
		i = sort.Search(len(x.chunks[ci]), func(k int) bool { return x.chunks[ci][k].compare(e) > 0 })
	}
	for ; ci < len(x.chunks); ci, i = ci+1, 0 {
		for _, e := range x.chunks[ci][i:] {
			if !yield(e) {
				return
			}
		}
	}
}
