package tickettest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// testOverduePages drives Service.Overdue on the store: the whole answer
// holds exactly the overdue deadlines and stagnating tickets (T5, T4,
// T10), most overdue first with a ticket's entries together; pages of
// every size, their cursors passed through JSON as a service would,
// give the same entries in the same order, none over the limit unless a
// ticket alone is; a department's pages hold its tickets' entries.
func testOverduePages(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	now := T0
	svc := deskService(t, s, nil, &now)
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	for i := range 30 {
		now = now.Add(61 * time.Minute)
		tk, err := svc.Receive(ctx, agent, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case i%7 == 0: // left undispatched: T5 runs out
		case i%11 == 5: // closed: never overdue
			if _, err := svc.Cancel(ctx, agent, tk.Ref(), ticket.Duplicate, "recorded twice"); err != nil {
				t.Fatal(err)
			}
		default:
			dep := []string{"water", "power"}[i%2]
			a := ticket.Assignment{Assignee: fmt.Sprint("worker-", i%4), Department: dep, Due: now.Add(time.Duration(i%5+1) * 20 * time.Minute)}
			if _, err := svc.Dispatch(ctx, agent, tk.Ref(), a); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The first tickets were last touched more than a day ago (T10).
	now = now.Add(2 * time.Hour)
	all, err := svc.Overdue(ctx, ticket.OverdueQuery{})
	if err != nil {
		t.Fatal(err)
	}
	// The reference: every running deadline past due of an open
	// ticket, and every working ticket untouched for a day.
	tickets, err := svc.List(ctx, ticket.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	open := []ticket.State{ticket.Received, ticket.Dispatched, ticket.Resolved, ticket.Answered, ticket.Revisit, ticket.Reopened}
	var want []string
	stale := 0
	for _, tk := range tickets {
		if !slices.Contains(open, tk.State) {
			continue
		}
		for _, d := range tk.Deadlines {
			if d.Running() && now.After(d.Due) {
				want = append(want, fmt.Sprint(tk.Number, " ", d.Name))
			}
		}
		if tk.State != ticket.Revisit && now.After(tk.UpdatedAt.Add(24*time.Hour)) {
			want = append(want, fmt.Sprint(tk.Number, " ", ticket.DeadlineStagnant))
			stale++
		}
	}
	var got []string
	for _, o := range all {
		got = append(got, fmt.Sprint(o.Ticket.Number, " ", o.Deadline))
		if o.By != now.Sub(o.Due) || o.By <= 0 {
			t.Errorf("case %d %s: by %v, due %v at %v", o.Ticket.Number, o.Deadline, o.By, o.Due, now)
		}
	}
	slices.Sort(want)
	if sorted := slices.Sorted(slices.Values(got)); !slices.Equal(sorted, want) {
		t.Fatalf("overdue entries\n%v\nwant\n%v", sorted, want)
	}
	if stale == 0 || stale == len(want) {
		t.Fatalf("the fixture should mix stagnating and late tickets: %d of %d", stale, len(want))
	}
	// Most overdue first: the earliest due of each ticket's run of
	// entries never decreases.
	var last time.Time
	for i := 0; i < len(all); {
		j, first := i, all[i].Due
		for j < len(all) && all[j].Ticket.ID == all[i].Ticket.ID && (all[j].Deadline == ticket.DeadlineStagnant) == (all[i].Deadline == ticket.DeadlineStagnant) {
			first = minTime(first, all[j].Due)
			j++
		}
		if first.Before(last) {
			t.Fatalf("entry %d (case %d, due %v) comes after one due %v", i, all[i].Ticket.Number, first, last)
		}
		last, i = first, j
	}
	key := func(o ticket.Overdue) string {
		return fmt.Sprint(o.Ticket.Number, " ", o.Deadline, " ", o.Due.UnixNano())
	}
	page := func(q ticket.OverdueQuery) []string {
		t.Helper()
		var out []string
		for range 100 {
			p, err := svc.Overdue(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(p) == 0 {
				return out
			}
			if len(p) > q.Limit && slices.ContainsFunc(p, func(o ticket.Overdue) bool { return o.Ticket.ID != p[0].Ticket.ID }) {
				t.Fatalf("limit %d: a page of %d entries from several tickets", q.Limit, len(p))
			}
			for _, o := range p {
				out = append(out, key(o))
			}
			// Through JSON, as a service hands the cursor to its clients.
			b, err := json.Marshal(p[len(p)-1].Cursor())
			if err != nil {
				t.Fatal(err)
			}
			q.After = new(ticket.OverdueCursor)
			if err := json.Unmarshal(b, q.After); err != nil {
				t.Fatal(err)
			}
		}
		t.Fatalf("limit %d: more than 100 pages", q.Limit)
		return nil
	}
	var whole []string
	for _, o := range all {
		whole = append(whole, key(o))
	}
	for _, limit := range []int{1, 2, 3, 7} {
		if got := page(ticket.OverdueQuery{Limit: limit}); !slices.Equal(got, whole) {
			t.Errorf("pages of %d:\n%v\nwant\n%v", limit, got, whole)
		}
	}
	var water []string
	for _, o := range all {
		if o.Ticket.Department == "water" {
			water = append(water, key(o))
		}
	}
	if len(water) == 0 {
		t.Fatal("no overdue ticket of the water department in the fixture")
	}
	if got := page(ticket.OverdueQuery{Department: "water", Limit: 2}); !slices.Equal(got, water) {
		t.Errorf("the water department's pages:\n%v\nwant\n%v", got, water)
	}
	if _, err := svc.Overdue(ctx, ticket.OverdueQuery{Limit: -1}); !errors.Is(err, ticket.ErrInvalid) {
		t.Errorf("a negative limit: %v, want ErrInvalid", err)
	}
	if _, err := svc.List(ctx, ticket.Filter{Order: ticket.ByDue + 1}); !errors.Is(err, ticket.ErrInvalid) {
		t.Errorf("an unknown order: %v, want ErrInvalid", err)
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
