package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// countingStore counts the store's List queries.
type countingStore struct {
	ticket.Store
	lists atomic.Int64
}

func (c *countingStore) List(ctx context.Context, desk string, f ticket.Filter) ([]*ticket.Ticket, error) {
	c.lists.Add(1)
	return c.Store.List(ctx, desk, f)
}

// T4: a department's staff page through what is dispatched to their
// department or assigned to them with full pages, in every order, at
// most two store queries a page (ticket.Filter.Department and
// Assignee), however many tickets of other departments lie between.
func TestDepartmentListPages(t *testing.T) {
	t.Run("T4_department_pages_hold_what_is_dispatched_or_assigned_to_it", func(t *testing.T) {
		st := &countingStore{Store: ticket.NewMemStore()}
		c := &clock{t: start}
		srv, err := newServer(Config{Desks: []string{"north"}, Location: shanghai, RosterStart: roster.D(2026, 3, 2),
			RosterCycles: 1, Now: c.Now, NewID: seqIDs(), Auth: HeaderAuth{}, Tickets: st, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		f := &fixture{srv: srv, clock: c}
		agent := f.as(li, ticket.RoleAgent)
		var want []uuid.UUID
		for i := range 40 {
			tk := f.newRepair(t, "north")
			body := map[string]any{"department": "cleaning"}
			switch {
			case i%4 == 0:
				body = map[string]any{"department": "engineering"}
				want = append(want, tk.ID)
			case i%9 == 1:
				body = map[string]any{"assignee": zhao} // to zhao in person, no department
				want = append(want, tk.ID)
			}
			agent.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), body)
			c.Advance(1)
		}
		eng := as{h: srv, actor: zhao, role: "department", extra: map[string]string{"X-Department": "engineering"}}
		for _, order := range []string{"number", "number_desc", "updated"} {
			var got []uuid.UUID
			after := ""
			for page := 0; ; page++ {
				if page > len(want) {
					t.Fatalf("order %s: paging does not end", order)
				}
				q := "/desks/north/tickets?limit=4&order=" + order
				if after != "" {
					q += "&after=" + url.QueryEscape(after)
				}
				before := st.lists.Load()
				var lr listResponse
				eng.must(t, http.StatusOK, "GET", q, nil).decode(t, &lr)
				if n := st.lists.Load() - before; n > 2 {
					t.Errorf("order %s page %d: %d store queries, want at most 2", order, page, n)
				}
				for _, tk := range lr.Tickets {
					got = append(got, tk.ID)
				}
				if lr.Next == "" {
					break
				}
				if len(lr.Tickets) != 4 {
					t.Errorf("order %s page %d: %d tickets and a next page", order, page, len(lr.Tickets))
				}
				after = lr.Next
			}
			w := slices.Clone(want)
			if order == "number_desc" {
				slices.Reverse(w)
			}
			if fmt.Sprint(got) != fmt.Sprint(w) {
				t.Errorf("order %s: listed %d tickets %v, want %d %v", order, len(got), got, len(w), w)
			}
		}
	})
}
