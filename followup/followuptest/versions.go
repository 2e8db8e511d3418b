package followuptest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

func testUpdateVersion(t *testing.T, s followup.Store) {
	ctx := context.Background()
	task := NewTask("d1", 1, T0)
	mustCreate(t, s, task)
	stale := task.Clone()
	task.Synced = true
	if err := s.Update(ctx, task); err != nil || task.Version != 2 {
		t.Fatalf("Update: %v, version %d", err, task.Version)
	}
	stale.Subject = "lost write"
	if err := s.Update(ctx, stale); !errors.Is(err, followup.ErrConflict) {
		t.Errorf("stale Update: %v, want ErrConflict", err)
	}
	got, _ := s.Get(ctx, "d1", task.ID)
	if !got.Synced || got.Subject == "lost write" {
		t.Errorf("stored after updates: %+v", got)
	}
	// Cancelling a claimed task ends its lease.
	c := claimOne(t, s, "w", 1, T0)
	c.Status = followup.Cancelled
	c.ClosedAt = T0
	if err := s.Update(ctx, c); err != nil {
		t.Fatal(err)
	}
	c2, _ := s.Get(ctx, "d1", c.ID)
	if c2.Lease.Owner != "" {
		t.Errorf("cancelled task keeps lease %+v", c2.Lease)
	}
	if err := s.Complete(ctx, finish(c, T0), c.Lease, T0); !errors.Is(err, followup.ErrLeaseLost) {
		t.Errorf("completing a cancelled task: %v, want ErrLeaseLost", err)
	}
	if more, _ := s.Claim(ctx, "d1", claim("w", 5, T0.Add(time.Hour), 5)); len(more) != 0 {
		t.Error("a cancelled task was claimed")
	}
}

func testUpdateRequeues(t *testing.T, s followup.Store) {
	ctx := context.Background()
	task := NewTask("d1", 1, T0.Add(5*time.Hour))
	mustCreate(t, s, task)
	task.NotBefore = T0.Add(-time.Hour)
	task.Role = ticket.RoleDirector
	if err := s.Update(ctx, task); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Claim(ctx, "d1", followup.Claim{Owner: "w", Token: token(1), Now: T0, For: time.Minute, Role: ticket.RoleDirector})
	if ids(got) != fmt.Sprint([]uuid.UUID{task.ID}) {
		t.Errorf("claim after moving the task earlier and to another role: %v", ids(got))
	}
}
