package tickettest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

func testList(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	var all []*ticket.Ticket
	for i := 1; i <= 9; i++ {
		tk, ev := NewTicket("north", i)
		if i%3 == 0 {
			tk.Kind = ticket.Inquiry
			tk.Owner = ""
		}
		MustCreate(t, s, tk, ev)
		if i%4 == 0 {
			n, e := Next(tk, ticket.Dispatched, "go")
			n.Assignee = "plumber"
			n.Department = "water"
			n.Deadlines[0].Done = n.UpdatedAt
			if err := s.Update(ctx, n, e); err != nil {
				t.Fatal(err)
			}
			tk = n
		}
		all = append(all, tk)
	}
	other, oev := NewTicket("south", 1)
	MustCreate(t, s, other, oev)

	filters := map[string]ticket.Filter{
		"all":                  {},
		"states":               {States: []ticket.State{ticket.Dispatched}},
		"kinds":                {Kinds: []ticket.Kind{ticket.Inquiry}},
		"owner":                {Owner: "agent-1"},
		"assignee":             {Assignee: "plumber"},
		"department":           {Department: "water"},
		"department_and_state": {Department: "water", States: []ticket.State{ticket.Dispatched}},
		"unowned":              {Unowned: true},
		"incomplete":           {Incomplete: true},
		"due":                  {DueBefore: T0.Add(6 * time.Minute)},
		"updated":              {UpdatedBefore: T0.Add(5 * time.Minute)},
		"combined":             {States: []ticket.State{ticket.Received}, Incomplete: true, Kinds: []ticket.Kind{ticket.Repair}},
	}
	for name, f := range filters {
		got, err := s.List(ctx, "north", f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var want []int64
		for _, tk := range all {
			if f.Match(tk) {
				want = append(want, tk.Number)
			}
		}
		if len(got) != len(want) {
			t.Errorf("List %s: %d tickets, want %d", name, len(got), len(want))
			continue
		}
		for i := range got {
			if got[i].Number != want[i] {
				t.Errorf("List %s: item %d is case %d, want %d", name, i, got[i].Number, want[i])
			}
		}
	}
	// Pages of two, while a new ticket arrives between pages.
	var seen []int64
	f := ticket.Filter{Limit: 2}
	for page := 0; page < 10; page++ {
		got, err := s.List(ctx, "north", f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			break
		}
		for _, tk := range got {
			seen = append(seen, tk.Number)
		}
		f.After = got[len(got)-1].Cursor(f.Order)
		if page == 1 {
			tk, ev := NewTicket("north", 10)
			MustCreate(t, s, tk, ev)
		}
	}
	if len(seen) != 10 {
		t.Fatalf("paging saw %v, want cases 1..10 once each", seen)
	}
	for i, n := range seen {
		if n != int64(i+1) {
			t.Fatalf("paging saw %v, want cases 1..10 in order", seen)
		}
	}
}

// testListOrders: the three orders with keyset cursors.
func testListOrders(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	var all []*ticket.Ticket
	for i := 1; i <= 7; i++ {
		tk, ev := NewTicket("north", i)
		MustCreate(t, s, tk, ev)
		all = append(all, tk)
	}
	// Change 2 and 5: they move to the end of update order, 5 last.
	for _, i := range []int{1, 4} {
		n, e := Next(all[i], ticket.Received, "touch")
		n.UpdatedAt = T0.Add(time.Hour + time.Duration(i)*time.Minute)
		if err := s.Update(ctx, n, e); err != nil {
			t.Fatal(err)
		}
		all[i] = n
	}
	// Same update time for 6 and 7 (tie broken by number).
	want := map[ticket.Order][]int64{
		ticket.ByNumber:     {1, 2, 3, 4, 5, 6, 7},
		ticket.ByNumberDesc: {7, 6, 5, 4, 3, 2, 1},
		ticket.ByUpdated:    {1, 3, 4, 6, 7, 2, 5},
	}
	for o, w := range want {
		var got []int64
		f := ticket.Filter{Order: o, Limit: 3}
		for range 10 {
			page, err := s.List(ctx, "north", f)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, tk := range page {
				got = append(got, tk.Number)
			}
			f.After = page[len(page)-1].Cursor(o)
		}
		if fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("order %d pages: %v, want %v", o, got, w)
		}
	}
}

// testListProperty compares List with the reference semantics
// (Filter.Match, Order, Cursor.Beyond, Limit) on random tickets and
// random filters, fixed seed: an adapter's translation of every filter
// field, order and cursor must agree with the Go definition, including
// ties in update time and nanosecond times.
func testListProperty(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(20260302, 8))
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	states := []ticket.State{ticket.Received, ticket.Dispatched, ticket.Resolved, ticket.Closed}
	kinds := []ticket.Kind{ticket.Repair, ticket.Complaint, ticket.Inquiry}
	people := []string{"", "li", "zhao", "chen"}
	depts := []string{"", "water", "power"}
	classes := []string{"noise", "fees", "service"}
	sevs := []ticket.Severity{ticket.Minor, ticket.Normal, ticket.Major}
	prios := []ticket.Priority{"", ticket.PriorityLow, ticket.PriorityNormal, ticket.PriorityUrgent}
	// Tags with LIKE's special characters and a tag that begins another:
	// an adapter must match whole tags exactly.
	tagSet := []string{"bill", "billing", "v_p", "vip", "50%", "a\\b"}
	pick := func(n int) int { return rng.IntN(n) }
	at := func() time.Time { // few distinct values, so ties happen; some with nanoseconds
		return base.Add(time.Duration(pick(12))*time.Minute + time.Duration(pick(3))*time.Nanosecond)
	}
	var all []*ticket.Ticket
	for i := range 60 {
		desk := "north"
		if i%7 == 6 {
			desk = "south"
		}
		id := uuid.New()
		tk := &ticket.Ticket{ID: id, Desk: desk, Version: 1, Kind: kinds[pick(3)], Channel: ticket.Phone,
			State: states[pick(4)], Owner: people[pick(4)], Assignee: people[pick(4)], Department: depts[pick(3)],
			ReceivedAt: at(), UpdatedAt: at()}
		if pick(2) == 0 {
			tk.Customer = &ticket.Customer{ID: fmt.Sprint("c", pick(3))}
		}
		if tk.Kind == ticket.Complaint {
			tk.Complaint = &ticket.ComplaintInfo{Class: classes[pick(3)], Severity: sevs[pick(3)]}
		}
		if pick(2) == 0 {
			tk.Missing = []string{"phone"}
		}
		tk.Priority = prios[pick(len(prios))]
		for i := range tagSet {
			if pick(3) == 0 {
				tk.Tags = append(tk.Tags, tagSet[i])
			}
		}
		slices.Sort(tk.Tags)
		for range pick(3) {
			d := ticket.Deadline{Name: ticket.DeadlineDispatch, Start: tk.ReceivedAt, Due: at()}
			if pick(3) == 0 {
				d.Done = at()
			}
			tk.Deadlines = append(tk.Deadlines, d)
		}
		ev := ticket.Event{ID: uuid.New(), Desk: desk, Ticket: id, Seq: 1, Action: ticket.ActReceive, At: tk.ReceivedAt, To: tk.State}
		if err := s.Create(ctx, tk, []ticket.Event{ev}); err != nil {
			t.Fatal(err)
		}
		if desk == "north" {
			all = append(all, tk)
		}
	}
	some := func(n int) []int {
		var out []int
		for i := range n {
			if pick(2) == 0 {
				out = append(out, i)
			}
		}
		return out
	}
	for round := range 400 {
		var f ticket.Filter
		if pick(3) == 0 {
			for _, i := range some(4) {
				f.States = append(f.States, states[i])
			}
		}
		if pick(3) == 0 {
			for _, i := range some(3) {
				f.Kinds = append(f.Kinds, kinds[i])
			}
		}
		if pick(4) == 0 {
			f.Owner = people[1+pick(3)]
		}
		if pick(4) == 0 {
			f.Assignee = people[1+pick(3)]
		}
		if pick(4) == 0 {
			f.Department = depts[1+pick(2)]
		}
		if pick(5) == 0 {
			f.Customer = fmt.Sprint("c", pick(3))
		}
		if pick(5) == 0 {
			for _, i := range some(3) {
				f.Classes = append(f.Classes, classes[i])
			}
		}
		if pick(5) == 0 {
			for _, i := range some(3) {
				f.Severities = append(f.Severities, sevs[i])
			}
		}
		if pick(4) == 0 {
			for _, i := range some(len(prios)) {
				f.Priorities = append(f.Priorities, prios[i])
			}
		}
		if pick(3) == 0 {
			f.Tags = []string{tagSet[pick(len(tagSet))]}
			if pick(3) == 0 {
				f.Tags = append(f.Tags, tagSet[pick(len(tagSet))])
			}
		}
		f.Unowned = pick(6) == 0
		f.Incomplete = pick(4) == 0
		if pick(3) == 0 {
			f.DueBefore = at()
		}
		if pick(4) == 0 {
			f.ReceivedFrom = at()
		}
		if pick(4) == 0 {
			f.ReceivedBefore = at()
		}
		if pick(4) == 0 {
			f.UpdatedFrom = at()
		}
		if pick(4) == 0 {
			f.UpdatedBefore = at()
		}
		f.Order = ticket.Order(pick(4)) // ByNumber, ByNumberDesc, ByUpdated, ByDue
		if pick(3) == 0 {
			f.Limit = 1 + pick(5)
		}
		if round%5 == 0 {
			// The stagnation pages: open states in update order, a page
			// at a time (a store may walk its open tickets in order).
			f.States, f.Order, f.Limit = states[:1+pick(3)], ticket.ByUpdated, 1+pick(5)
		}
		if pick(2) == 0 {
			ref := all[pick(len(all))]
			f.After = ref.Cursor(f.Order)
		}
		var want []*ticket.Ticket
		for _, tk := range all {
			if f.Match(tk) && f.After.Beyond(f.Order, tk) {
				want = append(want, tk)
			}
		}
		slices.SortStableFunc(want, func(a, b *ticket.Ticket) int {
			switch {
			case f.Order.Less(a, b):
				return -1
			case f.Order.Less(b, a):
				return 1
			}
			return 0
		})
		if f.Limit > 0 && len(want) > f.Limit {
			want = want[:f.Limit]
		}
		got, err := s.List(ctx, "north", f)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: filter %+v: %d tickets, want %d", round, f, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Fatalf("round %d: filter %+v: item %d is case %d, want case %d", round, f, i, got[i].Number, want[i].Number)
			}
		}
	}
}
