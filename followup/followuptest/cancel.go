package followuptest

import (
	"context"
	"errors"
	"testing"

	"github.com/servicedesk-go/desk/followup"
)

func testContextCancelled(t *testing.T, s followup.Store) {
	ctx := context.Background()
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Create(cctx, NewTask("d1", 1, T0)); !errors.Is(err, context.Canceled) {
		t.Errorf("Create with a cancelled context: %v", err)
	}
	if _, err := s.Claim(cctx, "d1", claim("w", 1, T0, 1)); !errors.Is(err, context.Canceled) {
		t.Errorf("Claim with a cancelled context: %v", err)
	}
	if ls, _ := s.List(ctx, "d1", followup.Filter{}); len(ls) != 0 {
		t.Error("a cancelled Create stored a task")
	}
}
