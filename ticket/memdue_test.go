package ticket

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestDueIndex compares the chunked due index with a sorted slice over
// random moves of enough tickets to split and empty chunks, and reads
// from random cursors.
func TestDueIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2))
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var x dueIndex
	due := map[int64]time.Time{} // the model: each ticket's due time, zero for none
	model := func() []dueEntry {
		var out []dueEntry
		for n, d := range due {
			if !d.IsZero() {
				out = append(out, dueEntry{d, n})
			}
		}
		slices.SortFunc(out, dueEntry.compare)
		return out
	}
	read := func(c *Cursor) []dueEntry {
		var out []dueEntry
		var from *dueEntry
		if c != nil {
			from = &dueEntry{c.Due, c.Number}
		}
		x.after(from, func(e dueEntry) bool { out = append(out, e); return true })
		return out
	}
	for round := range 20000 {
		n := int64(1 + rng.IntN(3000))
		var now time.Time
		if rng.IntN(4) > 0 { // few distinct times: ties broken by number
			now = base.Add(time.Duration(rng.IntN(200)) * time.Minute)
		}
		x.update(n, !due[n].IsZero(), due[n], !now.IsZero(), now)
		due[n] = now
		if round%2000 == 0 || round == 19999 {
			want := model()
			if got := read(nil); !slices.Equal(got, want) || x.n != len(want) {
				t.Fatalf("round %d: %d entries (count %d), want %d", round, len(got), x.n, len(want))
			}
			for _, c := range x.chunks {
				if len(c) == 0 || len(c) > dueChunk {
					t.Fatalf("round %d: a chunk of %d entries", round, len(c))
				}
			}
			for range 50 {
				at := want[rng.IntN(len(want))]
				c := &Cursor{Due: at.due, Number: at.n + int64(rng.IntN(3)) - 1}
				i := slices.IndexFunc(want, func(e dueEntry) bool { return e.compare(dueEntry{c.Due, c.Number}) > 0 })
				w := []dueEntry{}
				if i >= 0 {
					w = want[i:]
				}
				if got := read(c); !slices.Equal(append([]dueEntry{}, got...), w) {
					t.Fatalf("round %d: after %v/%d: %d entries, want %d", round, c.Due, c.Number, len(got), len(w))
				}
			}
		}
	}
	if len(x.chunks) < 3 {
		t.Fatalf("only %d chunks: the test did not split any", len(x.chunks))
	}
}
