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
		{After: stored[len(stored)/2].Cursor()},
		{After: &followup.Cursor{Due: stored[10].Due}, Rule: "A"}, // due ties: only the IDs after the nil ID
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

// Paging with Filter.After from the last task of each page lists every
// task once, in List order, with due-time ties ordered by ID, also when
// a filter applies and when tasks are added behind and ahead of the
// cursor between pages.
func testListPagesByCursor(t *testing.T, s followup.Store) {
	ctx := context.Background()
	n := 0
	add := func(due time.Time) *followup.Task {
		n++
		task := NewTask("d1", n, T0)
		task.Due = due
		task.Rule = []string{"A", "B"}[n%2]
		mustCreate(t, s, task)
		return task
	}
	for i := range 30 {
		add(T0.Add(time.Duration(i/4) * time.Hour)) // four tasks share each due time
	}
	mustCreate(t, s, NewTask("d2", 999, T0))
	for _, f := range []followup.Filter{{Limit: 4}, {Limit: 7, Rule: "B"}, {Limit: 1}} {
		all, err := s.List(ctx, "d1", followup.Filter{Rule: f.Rule})
		if err != nil {
			t.Fatal(err)
		}
		var paged []*followup.Task
		for page := 0; ; page++ {
			if page > len(all)+1 {
				t.Fatalf("filter %+v: paging does not end", f)
			}
			got, err := s.List(ctx, "d1", f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) > f.Limit {
				t.Fatalf("filter %+v: a page of %d", f, len(got))
			}
			paged = append(paged, got...)
			if len(got) < f.Limit {
				break
			}
			f.After = got[len(got)-1].Cursor()
		}
		if ids(paged) != ids(all) {
			t.Errorf("filter rule %q limit %d: pages %v, List %v", f.Rule, f.Limit, ids(paged), ids(all))
		}
	}
	// Between two pages, a task is added before the cursor (it is not
	// listed: its place was passed) and one after it (it is listed).
	first, err := s.List(ctx, "d1", followup.Filter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	cur := first[len(first)-1].Cursor()
	behind := add(T0.Add(-time.Hour))
	ahead := add(T0.Add(100 * time.Hour))
	rest, err := s.List(ctx, "d1", followup.Filter{After: cur})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, task := range append(first, rest...) {
		if listed[task.ID.String()] {
			t.Errorf("task %s listed twice across the pages", task.ID)
		}
		listed[task.ID.String()] = true
	}
	if listed[behind.ID.String()] || !listed[ahead.ID.String()] {
		t.Errorf("added between pages: the one behind the cursor listed %v (want false), the one ahead %v (want true)",
			listed[behind.ID.String()], listed[ahead.ID.String()])
	}
	if len(listed) != 31 {
		t.Errorf("%d tasks across the two pages, want the 30 first ones and the one ahead", len(listed))
	}
}

// byDue orders tasks as followup.Store.List documents: earliest Due,
// then ID (bytewise).
func byDue(ts []*followup.Task) {
	slices.SortFunc(ts, func(a, b *followup.Task) int {
		return cmp.Or(a.Due.Compare(b.Due), bytes.Compare(a.ID[:], b.ID[:]))
	})
}
