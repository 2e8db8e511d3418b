package followup_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/ticket"
)

func TestMemStore(t *testing.T) {
	followuptest.RunStoreTests(t, func(*testing.T) followup.Store { return followup.NewMemStore() })
}

// TestMemStoreModel runs random operations against MemStore and against
// a plain model of the Store contract (sort everything on each claim):
// the heaps with lazy removal must claim the same tasks in the same
// order.
func TestMemStoreModel(t *testing.T) {
	for seed := range uint64(8) {
		t.Run(fmt.Sprint("seed_", seed), func(t *testing.T) { runModel(t, seed) })
	}
}

func runModel(t *testing.T, seed uint64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 99))
	s := followup.NewMemStore()
	model := map[uuid.UUID]*followup.Task{}
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	now := base
	roles := []ticket.Role{ticket.RoleAgent, ticket.RoleDirector, ticket.RoleRepairLead}
	var claimed []*followup.Task
	n := 0
	for step := range 1500 {
		switch op := rng.IntN(10); {
		case op < 4: // create
			n++
			task := followuptest.NewTask("d1", n, now.Add(time.Duration(rng.IntN(600)-300)*time.Minute))
			task.Due = task.NotBefore.Add(time.Duration(rng.IntN(3)) * time.Hour) // ties on Due happen
			task.Role = roles[rng.IntN(len(roles))]
			if err := s.Create(ctx, task); err != nil {
				t.Fatal(err)
			}
			model[task.ID] = task.Clone()
		case op < 7: // claim
			role := ticket.Role("")
			if rng.IntN(2) == 0 {
				role = roles[rng.IntN(len(roles))]
			}
			limit := 1 + rng.IntN(4)
			lease := time.Duration(1+rng.IntN(60)) * time.Minute
			got, err := s.Claim(ctx, "d1", followup.Claim{Owner: fmt.Sprint("w", step), Token: uuid.NewSHA1(uuid.NameSpaceOID, fmt.Append(nil, seed, step)), Now: now, For: lease, Role: role, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			want := modelClaim(model, now, role, limit)
			if idList(got) != idList(want) {
				t.Fatalf("step %d: claim(role %q, %d) at %s = %v, model %v", step, role, limit, now, idList(got), idList(want))
			}
			for i, w := range want {
				w.Status, w.Lease = followup.Claimed, got[i].Lease
			}
			claimed = append(claimed, got...)
		case op < 9 && len(claimed) > 0: // complete a claimed task, maybe as a retry
			i := rng.IntN(len(claimed))
			c := claimed[i]
			claimed = slices.Delete(claimed, i, i+1)
			next := c.Clone()
			if rng.IntN(3) == 0 {
				next.Status = followup.Pending
				next.NotBefore = now.Add(time.Duration(rng.IntN(120)) * time.Minute)
			} else {
				next.Status, next.ClosedAt = followup.Done, now
			}
			err := s.Complete(ctx, next, c.Lease, now)
			m := model[c.ID]
			live := m.Status == followup.Claimed && m.Lease.Token == c.Lease.Token && now.Before(m.Lease.Expires)
			if live != (err == nil) {
				t.Fatalf("step %d: complete %s: %v, model says live=%v", step, c.ID, err, live)
			}
			if err == nil {
				next.Lease = followup.Lease{}
				model[c.ID] = next
			}
		case op < 9: // cancel a random open task through Update
			var open []uuid.UUID
			for id, m := range model {
				if m.Open() {
					open = append(open, id)
				}
			}
			slices.SortFunc(open, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
			if len(open) > 0 {
				id := open[rng.IntN(len(open))]
				{
					cur, _ := s.Get(ctx, "d1", id)
					cur.Status, cur.ClosedAt = followup.Cancelled, now
					if err := s.Update(ctx, cur); err != nil {
						t.Fatal(err)
					}
					cur.Lease = followup.Lease{}
					model[id] = cur
				}
			}
		default: // time passes
			now = now.Add(time.Duration(rng.IntN(90)) * time.Minute)
		}
	}
}

// modelClaim is the Store contract written plainly: ready tasks of the
// role, by ReadyAt, Due, ID. It marks them claimed in the model.
func modelClaim(model map[uuid.UUID]*followup.Task, now time.Time, role ticket.Role, limit int) []*followup.Task {
	var ready []*followup.Task
	for _, t := range model {
		if t.Open() && !t.ReadyAt().After(now) && (role == "" || t.Role == role) {
			ready = append(ready, t)
		}
	}
	slices.SortFunc(ready, func(a, b *followup.Task) int {
		if c := a.ReadyAt().Compare(b.ReadyAt()); c != 0 {
			return c
		}
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return slices.Compare(a.ID[:], b.ID[:])
	})
	if len(ready) > limit {
		ready = ready[:limit]
	}
	return ready
}

func idList(ts []*followup.Task) string {
	out := make([]uuid.UUID, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return fmt.Sprint(out)
}

// TestMemStoreFarDates: instants outside the range of Unix nanoseconds
// (before 1678, after 2262) still order exactly.
func TestMemStoreFarDates(t *testing.T) {
	ctx := context.Background()
	s := followup.NewMemStore()
	far := []time.Time{
		time.Date(2400, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(2300, 6, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1400, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	var want []*followup.Task
	for i, at := range far {
		task := followuptest.NewTask("d1", i, at)
		if err := s.Create(ctx, task); err != nil {
			t.Fatal(err)
		}
		want = append(want, task)
	}
	slices.SortFunc(want, func(a, b *followup.Task) int { return a.NotBefore.Compare(b.NotBefore) })
	got, err := s.Claim(ctx, "d1", followup.Claim{Owner: "w", Token: uuid.New(), Now: time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC), For: time.Hour, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if idList(got) != idList(want) {
		t.Errorf("far dates claimed in order %v, want %v", idList(got), idList(want))
	}
	// Not ready before its time, even where nanoseconds are clamped.
	late := followuptest.NewTask("d1", 99, time.Date(2600, 1, 2, 0, 0, 0, 0, time.UTC))
	if err := s.Create(ctx, late); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Claim(ctx, "d1", followup.Claim{Owner: "w", Token: uuid.New(), Now: time.Date(2600, 1, 1, 0, 0, 0, 0, time.UTC), For: time.Hour, Limit: 10})
	if len(got) != len(far) { // the expired leases of 2500 come back
		t.Errorf("claimed %d on 2600-01-01, want the %d expired leases", len(got), len(far))
	}
	for _, g := range got {
		if g.ID == late.ID {
			t.Errorf("a task of 2600-01-02 was claimed on 2600-01-01")
		}
	}
	got, _ = s.Claim(ctx, "d1", followup.Claim{Owner: "w", Token: uuid.New(), Now: time.Date(2600, 1, 2, 0, 0, 0, 0, time.UTC), For: time.Hour, Limit: 10})
	// The leases of 2600-01-01 01:00 expired first, then the late task is due.
	if len(got) != len(far)+1 || got[len(got)-1].ID != late.ID {
		t.Errorf("claimed %v on 2600-01-02, want the %d expired leases, then the late task", idList(got), len(far))
	}
}
