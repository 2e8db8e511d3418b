package rostertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/roster"
)

func testConcurrentWriters(t *testing.T, s roster.Store) {
	ctx := context.Background()
	first, err := s.SaveAway(ctx, away("d1", 1, "amy", 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	const writers = 16
	var wg sync.WaitGroup
	errs := make(chan error, writers*2)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			// Read-modify-write with retry: each writer extends the period
			// by one hour exactly once.
			for {
				cur, err := s.Away(ctx, "d1", first.ID)
				if err != nil {
					errs <- err
					return
				}
				cur.Until = cur.Until.Add(time.Hour)
				cur.Note += fmt.Sprintf("w%d;", w)
				_, err = s.SaveAway(ctx, cur)
				if err == nil {
					return
				}
				if !errors.Is(err, roster.ErrConflict) {
					errs <- err
					return
				}
			}
		}(w)
		// Concurrent creators of distinct records in another desk.
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			if err := s.AddAssignments(ctx, "d2", []roster.Assignment{assignment("d2", 100+w, "amy", 9+w, 1)}); err != nil {
				errs <- err
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := s.Away(ctx, "d1", first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != writers+1 || got.Until.Sub(got.From) != (writers+1)*time.Hour {
		t.Fatalf("after %d writers: version %d, length %v: an update was lost", writers, got.Version, got.Until.Sub(got.From))
	}
	list, _ := s.Assignments(ctx, "d2", base, base.Add(100*time.Hour))
	if len(list) != writers {
		t.Fatalf("concurrent inserts: %d stored, want %d", len(list), writers)
	}
}
