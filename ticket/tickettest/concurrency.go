package tickettest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/servicedesk-go/desk/ticket"
)

// testConcurrentWriters: many writers race on one ticket from the same
// version; exactly one wins per version, the rest get ErrConflict, and
// the history has no gap and no duplicate.
func testConcurrentWriters(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := NewTicket("north", 1)
	MustCreate(t, s, tk, ev)
	const writers, rounds = 20, 5
	var mu sync.Mutex
	wins := map[int64]int{}
	for range rounds {
		cur, err := s.Get(ctx, "north", tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, e := Next(cur, ticket.Received, fmt.Sprint(w))
				err := s.Update(ctx, n, e)
				switch {
				case err == nil:
					mu.Lock()
					wins[n.Version]++
					mu.Unlock()
				case errors.Is(err, ticket.ErrConflict):
				default:
					t.Errorf("writer %d: %v", w, err)
				}
			}()
		}
		wg.Wait()
	}
	for v := int64(2); v <= rounds+1; v++ {
		if wins[v] != 1 {
			t.Errorf("version %d won %d times, want exactly once", v, wins[v])
		}
	}
	h, _ := s.History(ctx, "north", tk.ID)
	if len(h) != rounds+1 {
		t.Fatalf("history length %d, want %d", len(h), rounds+1)
	}
	for i, e := range h {
		if e.Seq != int64(i+1) {
			t.Fatalf("history Seq %d at %d", e.Seq, i)
		}
	}
}

func testConcurrentCreates(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	const n = 50
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, ev := NewTicket("north", i)
			if err := s.Create(ctx, tk, []ticket.Event{ev}); err != nil {
				t.Errorf("create %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	list, err := s.List(ctx, "north", ticket.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != n {
		t.Fatalf("%d tickets after %d concurrent creates", len(list), n)
	}
	for i, tk := range list {
		if tk.Number != int64(i+1) {
			t.Fatalf("case numbers not 1..%d without gaps: position %d has %d", n, i, tk.Number)
		}
	}
}
