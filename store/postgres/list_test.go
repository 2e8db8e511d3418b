package postgres

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

// TestListMatchesFilterProperty compares List with the reference
// semantics (Filter.Match, Order, Cursor.Beyond, Limit) on random
// tickets and random filters, fixed seed: the SQL translation of every
// filter field, order and cursor must agree with the Go definition,
// including ties in update time and nanosecond times.
func TestListMatchesFilterProperty(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(20260302, 8))
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	states := []ticket.State{ticket.Received, ticket.Dispatched, ticket.Resolved, ticket.Closed}
	kinds := []ticket.Kind{ticket.Repair, ticket.Complaint, ticket.Inquiry}
	people := []string{"", "li", "zhao", "chen"}
	classes := []string{"noise", "fees", "service"}
	sevs := []ticket.Severity{ticket.Minor, ticket.Normal, ticket.Major}
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
			State: states[pick(4)], Owner: people[pick(4)], Assignee: people[pick(4)], ReceivedAt: at(), UpdatedAt: at()}
		if pick(2) == 0 {
			tk.Customer = &ticket.Customer{ID: fmt.Sprint("c", pick(3))}
		}
		if tk.Kind == ticket.Complaint {
			tk.Complaint = &ticket.ComplaintInfo{Class: classes[pick(3)], Severity: sevs[pick(3)]}
		}
		if pick(2) == 0 {
			tk.Missing = []string{"phone"}
		}
		for range pick(3) {
			d := ticket.Deadline{Name: ticket.DeadlineDispatch, Start: tk.ReceivedAt, Due: at()}
			if pick(3) == 0 {
				d.Done = at()
			}
			tk.Deadlines = append(tk.Deadlines, d)
		}
		ev := ticket.Event{ID: uuid.New(), Desk: desk, Ticket: id, Seq: 1, Action: ticket.ActReceive, At: tk.ReceivedAt, To: tk.State}
		if err := s.Tickets().Create(ctx, tk, []ticket.Event{ev}); err != nil {
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
		f.Order = ticket.Order(pick(3))
		if pick(3) == 0 {
			f.Limit = 1 + pick(5)
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
		got, err := s.Tickets().List(ctx, "north", f)
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
