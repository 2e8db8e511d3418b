package followuptest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
)

func testCreateGet(t *testing.T, s followup.Store) {
	ctx := context.Background()
	task := NewTask("d1", 1, T0)
	if err := s.Create(ctx, task); err != nil {
		t.Fatal(err)
	}
	if task.Version != 1 {
		t.Errorf("Create set version %d, want 1", task.Version)
	}
	got, err := s.Get(ctx, "d1", task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject != task.Subject || got.Due != task.Due || got.Status != followup.Pending ||
		got.Version != 1 || len(got.Checklist) != 5 || got.Category != followup.Leak || got.Ticket != task.Ticket {
		t.Errorf("Get returned %+v, want the created task", got)
	}
	got.Checklist[0] = "changed"
	got.Subject = "changed"
	again, _ := s.Get(ctx, "d1", task.ID)
	if again.Checklist[0] == "changed" || again.Subject == "changed" {
		t.Error("changing a returned task changed the stored one")
	}
}

func testTenancy(t *testing.T, s followup.Store) {
	ctx := context.Background()
	task := NewTask("d1", 1, T0)
	mustCreate(t, s, task)
	if _, err := s.Get(ctx, "d2", task.ID); !errors.Is(err, followup.ErrNotFound) {
		t.Errorf("Get from another desk: %v, want ErrNotFound", err)
	}
	if _, err := s.Get(ctx, "d1", uuid.New()); !errors.Is(err, followup.ErrNotFound) {
		t.Errorf("Get unknown: %v, want ErrNotFound", err)
	}
	got, err := s.Claim(ctx, "d2", claim("w", 1, T0.Add(time.Hour), 10))
	if err != nil || len(got) != 0 {
		t.Errorf("Claim on another desk = %d tasks, %v; want none", len(got), err)
	}
	ls, err := s.List(ctx, "d2", followup.Filter{})
	if err != nil || len(ls) != 0 {
		t.Errorf("List on another desk = %d tasks, %v; want none", len(ls), err)
	}
	other := task.Clone()
	other.Desk = "d2"
	if err := s.Update(ctx, other); !errors.Is(err, followup.ErrNotFound) {
		t.Errorf("Update through another desk: %v, want ErrNotFound", err)
	}
}

func testCreateDuplicate(t *testing.T, s followup.Store) {
	ctx := context.Background()
	task := NewTask("d1", 1, T0)
	mustCreate(t, s, task)
	dup := NewTask("d1", 1, T0.Add(48*time.Hour))
	dup.Subject = "someone else"
	err := s.Create(ctx, dup)
	if !errors.Is(err, followup.ErrDuplicate) || !errors.Is(err, followup.ErrConflict) {
		t.Fatalf("second Create: %v, want ErrDuplicate and ErrConflict", err)
	}
	got, _ := s.Get(ctx, "d1", task.ID)
	if got.Subject != task.Subject || !got.NotBefore.Equal(T0) {
		t.Errorf("duplicate create changed the stored task: %+v", got)
	}
}

func testCreateInvalid(t *testing.T, s followup.Store) {
	ctx := context.Background()
	noDesk := NewTask("", 1, T0)
	noID := NewTask("d1", 2, T0)
	noID.ID = uuid.Nil
	claimed := NewTask("d1", 3, T0)
	claimed.Status = followup.Claimed
	for name, task := range map[string]*followup.Task{"no desk": noDesk, "no id": noID, "claimed": claimed} {
		if err := s.Create(ctx, task); !errors.Is(err, followup.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if ls, _ := s.List(ctx, "d1", followup.Filter{}); len(ls) != 0 {
		t.Errorf("invalid creates stored %d tasks", len(ls))
	}
}
