package rostertest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/roster"
)

func testDeskIsolation(t *testing.T, s roster.Store) {
	ctx := context.Background()
	if err := s.AddAssignments(ctx, "d1", []roster.Assignment{assignment("d1", 1, "amy", 9, 8)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Assignment(ctx, "d2", id(1)); !errors.Is(err, roster.ErrNotFound) {
		t.Fatalf("other desk's assignment: err = %v, want ErrNotFound", err)
	}
	if list, _ := s.Assignments(ctx, "d2", base, base.Add(72*time.Hour)); len(list) != 0 {
		t.Fatalf("desk d2 lists %d assignments of d1", len(list))
	}
	sw, err := s.SaveSwap(ctx, swap("d1", 10))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Swap(ctx, "d2", sw.ID); !errors.Is(err, roster.ErrNotFound) {
		t.Fatalf("other desk's swap: err = %v", err)
	}
	sw.Desk = "d2"
	if _, err := s.SaveSwap(ctx, sw); !errors.Is(err, roster.ErrNotFound) {
		t.Fatalf("updating d1's swap through d2: err = %v, want ErrNotFound", err)
	}
	if list, _ := s.Swaps(ctx, "d2", base.Add(-time.Hour), base.Add(72*time.Hour)); len(list) != 0 {
		t.Fatalf("desk d2 lists %d swaps of d1", len(list))
	}
	aw, err := s.SaveAway(ctx, away("d1", 20, "amy", 0, 5))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Away(ctx, "d2", aw.ID); !errors.Is(err, roster.ErrNotFound) {
		t.Fatalf("other desk's away: err = %v", err)
	}
	if list, _ := s.Aways(ctx, "d2", base, base.Add(72*time.Hour)); len(list) != 0 {
		t.Fatalf("desk d2 lists %d aways of d1", len(list))
	}
	if err := s.AddDuty(ctx, duty("d1", 30, "amy", 12, 2)); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Duties(ctx, "d2", base, base.Add(72*time.Hour)); len(list) != 0 {
		t.Fatalf("desk d2 lists %d duties of d1", len(list))
	}
	// An assignment claiming another desk is refused.
	if err := s.AddAssignments(ctx, "d2", []roster.Assignment{assignment("d1", 2, "amy", 9, 8)}); !errors.Is(err, roster.ErrInvalid) {
		t.Fatalf("assignment of d1 added through d2: err = %v, want ErrInvalid", err)
	}
}

func testNotFound(t *testing.T, s roster.Store) {
	ctx := context.Background()
	if _, err := s.Assignment(ctx, "d1", id(99)); !errors.Is(err, roster.ErrNotFound) {
		t.Errorf("Assignment: %v", err)
	}
	if _, err := s.Swap(ctx, "d1", id(99)); !errors.Is(err, roster.ErrNotFound) {
		t.Errorf("Swap: %v", err)
	}
	if _, err := s.Away(ctx, "d1", id(99)); !errors.Is(err, roster.ErrNotFound) {
		t.Errorf("Away: %v", err)
	}
	sw := swap("d1", 99)
	sw.Version = 3
	if _, err := s.SaveSwap(ctx, sw); !errors.Is(err, roster.ErrNotFound) {
		t.Errorf("updating a missing swap: %v", err)
	}
	aw := away("d1", 98, "amy", 0, 1)
	aw.Version = 1
	if _, err := s.SaveAway(ctx, aw); !errors.Is(err, roster.ErrNotFound) {
		t.Errorf("updating a missing away: %v", err)
	}
	if list, err := s.Swaps(ctx, "nobody", base, base.Add(time.Hour)); err != nil || len(list) != 0 {
		t.Errorf("unknown desk lists: %v, %v (want empty, no error)", list, err)
	}
}

func testDuties(t *testing.T, s roster.Store) {
	ctx := context.Background()
	if err := s.AddDuty(ctx, duty("d1", 2, "bob", 12, 2)); err != nil {
		t.Fatal(err)
	}
	if err := s.AddDuty(ctx, duty("d1", 1, "amy", 12, 2)); err != nil {
		t.Fatal(err)
	}
	if err := s.AddDuty(ctx, duty("d1", 1, "amy", 12, 2)); !errors.Is(err, roster.ErrConflict) {
		t.Fatalf("duty twice: %v", err)
	}
	list, err := s.Duties(ctx, "d1", base.Add(13*time.Hour), base.Add(13*time.Hour+time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Agent != "amy" || list[1].ForwardTo == "" {
		t.Fatalf("duties = %+v", list)
	}
}
