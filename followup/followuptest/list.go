package followuptest

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

func testListMatchesFilter(t *testing.T, s followup.Store) {
	ctx := context.Background()
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
		byDue(want)
		if f.Limit > 0 && len(want) > f.Limit {
			want = want[:f.Limit]
		}
		if ids(got) != ids(want) {
			t.Errorf("filter %d %+v: List %v, Match %v", i, f, ids(got), ids(want))
		}
	}
}

// byDue orders tasks as followup.Store.List documents: earliest Due,
// then ID (bytewise).
func byDue(ts []*followup.Task) {
	slices.SortFunc(ts, func(a, b *followup.Task) int {
		return cmp.Or(a.Due.Compare(b.Due), bytes.Compare(a.ID[:], b.ID[:]))
	})
}
