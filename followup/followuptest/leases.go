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

func testCompleteKeepsRole(t *testing.T, s followup.Store) {
	ctx := context.Background()
	// F3 counts revisits by the role the task was assigned; a
	// completion must not take a caller's change of it.
	task := NewTask("d1", 1, T0)
	mustCreate(t, s, task)
	c := claimOne(t, s, "w1", 1, T0)
	done := finish(c, T0.Add(time.Minute))
	done.Role = ticket.RoleDirector
	if task.Role == ticket.RoleDirector {
		done.Role = ticket.RoleAgent
	}
	if err := s.Complete(ctx, done, c.Lease, T0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, "d1", task.ID)
	if got.Role != task.Role {
		t.Errorf("completion changed the role to %s, want the stored %s (F3 counts by role)", got.Role, task.Role)
	}
}

func testClaimOrder(t *testing.T, s followup.Store) {
	ctx := context.Background()
	// ready at T0-3h, T0-1h (two, different due), T0-2h; one in the future.
	a := NewTask("d1", 1, T0.Add(-1*time.Hour))
	a.Due = T0.Add(5 * time.Hour)
	b := NewTask("d1", 2, T0.Add(-1*time.Hour))
	b.Due = T0.Add(2 * time.Hour)
	c := NewTask("d1", 3, T0.Add(-3*time.Hour))
	d := NewTask("d1", 4, T0.Add(-2*time.Hour))
	d.Role = ticket.RoleDirector
	future := NewTask("d1", 5, T0.Add(time.Minute))
	for _, task := range []*followup.Task{a, b, c, d, future} {
		mustCreate(t, s, task)
	}
	got, err := s.Claim(ctx, "d1", claim("w1", 1, T0, 3))
	if err != nil {
		t.Fatal(err)
	}
	want := []uuid.UUID{c.ID, d.ID, b.ID}
	if ids(got) != fmt.Sprint(want) {
		t.Fatalf("claimed %v, want %v (ReadyAt, then Due)", ids(got), want)
	}
	for _, g := range got {
		if g.Status != followup.Claimed || g.Lease.Owner != "w1" || g.Lease.Token != token(1) ||
			!g.Lease.Expires.Equal(T0.Add(10*time.Minute)) || g.Version != 2 {
			t.Errorf("claimed task %s: status %s lease %+v version %d", g.ID, g.Status, g.Lease, g.Version)
		}
	}
	// Role filter: only the director's task is left of that role, and it is claimed.
	got, _ = s.Claim(ctx, "d1", followup.Claim{Owner: "w2", Token: token(2), Now: T0, For: time.Minute, Role: ticket.RoleDirector, Limit: 5})
	if len(got) != 0 {
		t.Errorf("role claim returned %v; the director's task is already leased", ids(got))
	}
	got, _ = s.Claim(ctx, "d1", claim("w2", 2, T0, 5))
	if ids(got) != fmt.Sprint([]uuid.UUID{a.ID}) {
		t.Errorf("second claim %v, want only %s (the future task is not ready)", ids(got), a.ID)
	}
	got, _ = s.Claim(ctx, "d1", claim("w3", 3, T0.Add(time.Minute), 5))
	if ids(got) != fmt.Sprint([]uuid.UUID{future.ID}) {
		t.Errorf("claim at NotBefore %v, want %s", ids(got), future.ID)
	}
}

func testClaimRole(t *testing.T, s followup.Store) {
	ctx := context.Background()
	lead := NewTask("d1", 1, T0.Add(-time.Hour))
	dir := NewTask("d1", 2, T0.Add(-2*time.Hour))
	dir.Role = ticket.RoleDirector
	mustCreate(t, s, lead)
	mustCreate(t, s, dir)
	got, _ := s.Claim(ctx, "d1", followup.Claim{Owner: "w", Token: token(1), Now: T0, For: time.Minute, Role: ticket.RoleRepairLead, Limit: 5})
	if ids(got) != fmt.Sprint([]uuid.UUID{lead.ID}) {
		t.Errorf("repair-lead claim %v, want %s only", ids(got), lead.ID)
	}
}

func testClaimInvalid(t *testing.T, s followup.Store) {
	ctx := context.Background()
	mustCreate(t, s, NewTask("d1", 1, T0))
	for name, c := range map[string]followup.Claim{
		"no owner": {Token: token(1), Now: T0, For: time.Minute},
		"no token": {Owner: "w", Now: T0, For: time.Minute},
		"no lease": {Owner: "w", Token: token(1), Now: T0},
		"no time":  {Owner: "w", Token: token(1), For: time.Minute},
	} {
		if _, err := s.Claim(ctx, "d1", c); !errors.Is(err, followup.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if got, _ := s.Claim(ctx, "d1", claim("w", 1, T0, 1)); len(got) != 1 {
		t.Error("an invalid claim leased the task")
	}
}

func testLeaseExpiry(t *testing.T, s followup.Store) {
	ctx := context.Background()
	task := NewTask("d1", 1, T0)
	mustCreate(t, s, task)
	first := claimOne(t, s, "w1", 1, T0)
	if got, _ := s.Claim(ctx, "d1", claim("w2", 2, T0.Add(9*time.Minute), 1)); len(got) != 0 {
		t.Fatal("a live lease was claimed again")
	}
	second := claimOne(t, s, "w2", 2, T0.Add(10*time.Minute)) // expired exactly now
	if second.Lease.Owner != "w2" {
		t.Fatalf("reclaimed lease %+v", second.Lease)
	}
	done := finish(first, T0.Add(11*time.Minute))
	err := s.Complete(ctx, done, first.Lease, T0.Add(11*time.Minute))
	var le *followup.LeaseError
	if !errors.Is(err, followup.ErrLeaseLost) || !errors.As(err, &le) || le.Holder != "w2" {
		t.Fatalf("stolen lease completion: %v, want ErrLeaseLost held by w2", err)
	}
	got, _ := s.Get(ctx, "d1", task.ID)
	if got.Status != followup.Claimed || got.Lease.Owner != "w2" {
		t.Errorf("refused completion changed the task: %s %+v", got.Status, got.Lease)
	}
	if err := s.Complete(ctx, finish(second, T0.Add(12*time.Minute)), second.Lease, T0.Add(12*time.Minute)); err != nil {
		t.Fatalf("lease holder's completion: %v", err)
	}
}

func testCompleteOnce(t *testing.T, s followup.Store) {
	ctx := context.Background()
	mustCreate(t, s, NewTask("d1", 1, T0))
	c := claimOne(t, s, "w1", 1, T0)
	done := finish(c, T0.Add(time.Minute))
	if err := s.Complete(ctx, done, c.Lease, T0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if done.Version != 3 {
		t.Errorf("version after claim and complete %d, want 3", done.Version)
	}
	again := finish(c, T0.Add(2*time.Minute))
	again.Outcome.Note = "second"
	if err := s.Complete(ctx, again, c.Lease, T0.Add(2*time.Minute)); !errors.Is(err, followup.ErrLeaseLost) {
		t.Fatalf("second completion: %v, want ErrLeaseLost", err)
	}
	got, _ := s.Get(ctx, "d1", c.ID)
	if got.Status != followup.Done || got.Outcome == nil || got.Outcome.Note != "first" || got.Lease.Owner != "" {
		t.Errorf("stored task after a refused second completion: %s %+v lease %+v", got.Status, got.Outcome, got.Lease)
	}
	if more, _ := s.Claim(ctx, "d1", claim("w2", 2, T0.Add(time.Hour), 5)); len(more) != 0 {
		t.Error("a completed task was claimed")
	}
}

func testCompleteRefusals(t *testing.T, s followup.Store) {
	ctx := context.Background()
	mustCreate(t, s, NewTask("d1", 1, T0))
	pending := NewTask("d1", 1, T0)
	if err := s.Complete(ctx, finish(pending, T0), followup.Lease{Owner: "w", Token: token(1)}, T0); !errors.Is(err, followup.ErrLeaseLost) {
		t.Errorf("completing an unclaimed task: %v, want ErrLeaseLost", err)
	}
	c := claimOne(t, s, "w1", 1, T0)
	wrong := c.Lease
	wrong.Token = token(99)
	if err := s.Complete(ctx, finish(c, T0), wrong, T0); !errors.Is(err, followup.ErrLeaseLost) {
		t.Errorf("wrong token: %v, want ErrLeaseLost", err)
	}
	if err := s.Complete(ctx, finish(c, c.Lease.Expires), c.Lease, c.Lease.Expires); !errors.Is(err, followup.ErrLeaseLost) {
		t.Errorf("at expiry: %v, want ErrLeaseLost", err)
	}
	unknown := finish(NewTask("d1", 42, T0), T0)
	if err := s.Complete(ctx, unknown, c.Lease, T0); !errors.Is(err, followup.ErrNotFound) {
		t.Errorf("unknown task: %v, want ErrNotFound", err)
	}
	got, _ := s.Get(ctx, "d1", c.ID)
	if got.Status != followup.Claimed || got.Outcome != nil {
		t.Errorf("refused completions changed the task: %s", got.Status)
	}
}

func testCompleteRetry(t *testing.T, s followup.Store) {
	ctx := context.Background()
	mustCreate(t, s, NewTask("d1", 1, T0))
	c := claimOne(t, s, "w1", 1, T0)
	retry := c.Clone()
	retry.Status = followup.Pending
	retry.Attempts = 1
	retry.NotBefore = T0.Add(2 * time.Hour)
	retry.Due = T0.Add(3 * time.Hour)
	if err := s.Complete(ctx, retry, c.Lease, T0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Claim(ctx, "d1", claim("w2", 2, T0.Add(time.Hour), 1)); len(got) != 0 {
		t.Error("a retry was claimable before its new NotBefore")
	}
	got := claimOne(t, s, "w2", 3, T0.Add(2*time.Hour))
	if got.Attempts != 1 || got.Lease.Owner != "w2" {
		t.Errorf("retried task %+v", got)
	}
}
