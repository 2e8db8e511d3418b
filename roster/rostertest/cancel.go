package rostertest

import (
	"context"
	"errors"
	"testing"

	"github.com/servicedesk-go/desk/roster"
)

func testCancelled(t *testing.T, s roster.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.AddAssignments(ctx, "d1", []roster.Assignment{assignment("d1", 1, "amy", 9, 8)}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled AddAssignments: %v", err)
	}
	if _, err := s.Assignment(context.Background(), "d1", id(1)); !errors.Is(err, roster.ErrNotFound) {
		t.Fatalf("cancelled call stored the assignment: %v", err)
	}
	if _, err := s.SaveSwap(ctx, swap("d1", 2)); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled SaveSwap: %v", err)
	}
}
