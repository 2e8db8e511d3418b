// Package followuptest is the conformance suite for followup.Store
// implementations. An adapter's test calls RunStoreTests with a function
// that returns an empty store; the suite checks the contracts documented
// on followup.Store: desk scoping and ErrNotFound, duplicate creates,
// claim order and leases, expiry, completing once, optimistic versions,
// List against Filter.Match, and concurrent claimers and creators.
package followuptest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// T0 is the suite's fixed "now".
var T0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// NewTask returns a pending task of desk with a fresh ID, ready at
// notBefore and due an hour later. Tests change fields as they need.
func NewTask(desk string, n int, notBefore time.Time) *followup.Task {
	key := fmt.Sprintf("suite:%d", n)
	return &followup.Task{
		ID: followup.TaskID(desk, key, "R"), Desk: desk, Rule: "R", Cites: "F2",
		Trigger: followup.TicketResolved, Key: key, Subject: fmt.Sprintf("customer-%d", n),
		Ticket: uuid.NewSHA1(uuid.NameSpaceOID, []byte(key)), TicketKind: ticket.Repair,
		Category: followup.Leak, Seq: 1, Channel: followup.OnSite, Role: ticket.RoleRepairLead,
		Checklist:   followup.RevisitChecklist(),
		TriggeredAt: notBefore, NotBefore: notBefore, Due: notBefore.Add(time.Hour),
		MaxAttempts: 3, RetryAfter: time.Hour, Status: followup.Pending,
		CreatedAt: T0, UpdatedAt: T0,
	}
}

func token(n int) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprint("token", n))) }

func claim(owner string, n int, now time.Time, limit int) followup.Claim {
	return followup.Claim{Owner: owner, Token: token(n), Now: now, For: 10 * time.Minute, Limit: limit}
}

// RunStoreTests runs the conformance suite. newStore must return an
// empty store each time it is called.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) followup.Store) {
	ctx := context.Background()
	t.Run("CreateGet", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("CompleteKeepsRole", func(t *testing.T) {
		// F3 counts revisits by the role the task was assigned; a
		// completion must not take a caller's change of it.
		s := newStore(t)
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
	})
	t.Run("Tenancy", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("CreateDuplicate", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("CreateInvalid", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("ClaimOrder", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("ClaimRole", func(t *testing.T) {
		s := newStore(t)
		lead := NewTask("d1", 1, T0.Add(-time.Hour))
		dir := NewTask("d1", 2, T0.Add(-2*time.Hour))
		dir.Role = ticket.RoleDirector
		mustCreate(t, s, lead)
		mustCreate(t, s, dir)
		got, _ := s.Claim(ctx, "d1", followup.Claim{Owner: "w", Token: token(1), Now: T0, For: time.Minute, Role: ticket.RoleRepairLead, Limit: 5})
		if ids(got) != fmt.Sprint([]uuid.UUID{lead.ID}) {
			t.Errorf("repair-lead claim %v, want %s only", ids(got), lead.ID)
		}
	})
	t.Run("ClaimInvalid", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("LeaseExpiry", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("CompleteOnce", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("CompleteRefusals", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("CompleteRetry", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("UpdateVersion", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("UpdateRequeues", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("ListMatchesFilter", func(t *testing.T) {
		s := newStore(t)
		rng := rand.New(rand.NewPCG(7, 11))
		var all []*followup.Task
		for i := range 60 {
			task := NewTask("d1", i, T0.Add(time.Duration(rng.IntN(96))*time.Hour))
			task.Due = task.NotBefore.Add(time.Duration(rng.IntN(48)) * time.Hour)
			task.Rule = []string{"A", "B", "C"}[rng.IntN(3)]
			task.Role = []ticket.Role{ticket.RoleAgent, ticket.RoleDirector}[rng.IntN(2)]
			task.Subject = fmt.Sprintf("c%d", rng.IntN(5))
			mustCreate(t, s, task)
			all = append(all, task)
		}
		mustCreate(t, s, NewTask("d2", 1000, T0))
		// Complete some, so statuses and close times vary.
		for i := range 5 {
			ts, _ := s.Claim(ctx, "d1", claim(fmt.Sprint("w", i), i, T0.Add(200*time.Hour), 4))
			for _, c := range ts {
				if err := s.Complete(ctx, finish(c, T0.Add(time.Duration(i)*time.Hour)), c.Lease, T0.Add(200*time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
		}
		stored, _ := s.List(ctx, "d1", followup.Filter{})
		if len(stored) != len(all) {
			t.Fatalf("List all = %d tasks, want %d", len(stored), len(all))
		}
		filters := []followup.Filter{
			{Rule: "A"},
			{Role: ticket.RoleDirector, Statuses: []followup.Status{followup.Pending}},
			{Statuses: []followup.Status{followup.Done}},
			{Subject: "c3"},
			{DueFrom: T0.Add(24 * time.Hour), DueBefore: T0.Add(72 * time.Hour)},
			{ClosedFrom: T0.Add(time.Hour), ClosedBefore: T0.Add(3 * time.Hour)},
			{Owner: "w2"},
			{Ticket: all[7].Ticket},
			{Rule: "B", Limit: 3},
		}
		for i, f := range filters {
			got, err := s.List(ctx, "d1", f)
			if err != nil {
				t.Fatal(err)
			}
			var want []*followup.Task
			for _, task := range stored {
				if f.Match(task) {
					want = append(want, task)
				}
			}
			followup.SortByDue(want)
			if f.Limit > 0 && len(want) > f.Limit {
				want = want[:f.Limit]
			}
			if ids(got) != ids(want) {
				t.Errorf("filter %d %+v: List %v, Match %v", i, f, ids(got), ids(want))
			}
		}
	})
	t.Run("ConcurrentClaimers", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("ConcurrentDuplicateCreates", func(t *testing.T) {
		s := newStore(t)
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
	})
	t.Run("ContextCancelled", func(t *testing.T) {
		s := newStore(t)
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
	})
	// S1: erasing a customer scrubs the follow-up tasks and outcomes
	// (with the tickets in memory; RunDatabaseTests erases both stores of
	// one database in one transaction).
	t.Run("EraseCustomer", func(t *testing.T) { eraseCase(t, newStore(t)) })
	t.Run("Inputs", func(t *testing.T) { testInputs(t, newStore(t)) })
}

func mustCreate(t *testing.T, s followup.Store, task *followup.Task) {
	t.Helper()
	if err := s.Create(context.Background(), task); err != nil {
		t.Fatalf("create %s: %v", task.ID, err)
	}
}

func claimOne(t *testing.T, s followup.Store, owner string, n int, now time.Time) *followup.Task {
	t.Helper()
	got, err := s.Claim(context.Background(), "d1", claim(owner, n, now, 1))
	if err != nil || len(got) != 1 {
		t.Fatalf("claim by %s at %s: %d tasks, %v", owner, now, len(got), err)
	}
	return got[0]
}

// finish returns the task done, as a queue would write it.
func finish(c *followup.Task, at time.Time) *followup.Task {
	d := c.Clone()
	d.Status = followup.Done
	d.Attempts++
	d.ClosedAt = at
	d.UpdatedAt = at
	d.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: c.Lease.Owner, Role: c.Role}, Note: "first", At: at}
	return d
}

func ids(ts []*followup.Task) string {
	out := make([]uuid.UUID, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return fmt.Sprint(out)
}
