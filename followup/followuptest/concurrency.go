package followuptest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
)

func testConcurrentClaimers(t *testing.T, s followup.Store) {
	ctx := context.Background()
	const tasks, workers = 300, 8
	for i := range tasks {
		mustCreate(t, s, NewTask("d1", i, T0.Add(-time.Duration(i%17)*time.Minute)))
	}
	var mu sync.Mutex
	seen := map[uuid.UUID]int{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				ts, err := s.Claim(ctx, "d1", claim(fmt.Sprint("w", w), w*10000+n, T0, 1+n%4))
				if err != nil {
					t.Error(err)
					return
				}
				if len(ts) == 0 {
					return
				}
				for _, c := range ts {
					mu.Lock()
					seen[c.ID]++
					mu.Unlock()
					if err := s.Complete(ctx, finish(c, T0), c.Lease, T0.Add(time.Second)); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != tasks {
		t.Errorf("%d tasks claimed, want %d", len(seen), tasks)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("task %s claimed %d times", id, n)
		}
	}
	done, _ := s.List(ctx, "d1", followup.Filter{Statuses: []followup.Status{followup.Done}})
	if len(done) != tasks {
		t.Errorf("%d tasks done, want %d", len(done), tasks)
	}
}

func testConcurrentDuplicateCreates(t *testing.T, s followup.Store) {
	ctx := context.Background()
	const tasks, creators = 50, 6
	var mu sync.Mutex
	created := map[uuid.UUID]int{}
	var wg sync.WaitGroup
	for range creators {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range tasks {
				err := s.Create(ctx, NewTask("d1", i, T0))
				switch {
				case err == nil:
					mu.Lock()
					created[NewTask("d1", i, T0).ID]++
					mu.Unlock()
				case !errors.Is(err, followup.ErrDuplicate):
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if len(created) != tasks {
		t.Errorf("%d distinct tasks created, want %d", len(created), tasks)
	}
	for id, n := range created {
		if n != 1 {
			t.Errorf("task %s created %d times", id, n)
		}
	}
}
