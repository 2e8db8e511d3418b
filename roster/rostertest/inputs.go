package rostertest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/roster"
)

func testInvalid(t *testing.T, s roster.Store) {
	ctx := context.Background()
	bad := assignment("d1", 1, "", 9, 8)
	if err := s.AddAssignments(ctx, "d1", []roster.Assignment{bad}); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("assignment without agent: %v", err)
	}
	if err := s.AddAssignments(ctx, "", []roster.Assignment{assignment("", 1, "amy", 9, 8)}); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("empty desk: %v", err)
	}
	sw := swap("d1", 2)
	sw.To = sw.From
	if _, err := s.SaveSwap(ctx, sw); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("swap to self: %v", err)
	}
	d := duty("d1", 3, "amy", 12, 2)
	d.ForwardTo = ""
	if err := s.AddDuty(ctx, d); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("duty without forwarding target: %v", err)
	}
	if _, err := s.Assignments(ctx, "", base, base.Add(time.Hour)); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("listing an empty desk: %v", err)
	}
	if list, _ := s.Assignments(ctx, "d1", base, base.Add(72*time.Hour)); len(list) != 0 {
		t.Errorf("invalid input stored %d assignments", len(list))
	}
}
