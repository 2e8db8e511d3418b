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

// dueIndex holds tickets sorted by a time and their case number: a
// desk's tickets with a running deadline in ByDue order, and its open
// tickets in ByUpdated order. Sorted chunks of at most dueChunk entries,
// so that a change moves entries within one chunk and a page reads from
// its cursor on (the overdue pages).
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

// update moves case number n from time old (when was) to time now
// (when is).
func (x *dueIndex) update(n int64, was bool, old time.Time, is bool, now time.Time) {
	if was == is && (!was || old.Equal(now)) {
		return
	}
	if was {
		x.remove(dueEntry{old, n})
	}
	if is {
		x.insert(dueEntry{now, n})
	}
}

// after calls yield with the entries after from (every entry when from
// is nil) in order, until yield returns false.
func (x *dueIndex) after(from *dueEntry, yield func(dueEntry) bool) {
	ci, i := 0, 0
	if from != nil && len(x.chunks) > 0 {
		e := *from
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
