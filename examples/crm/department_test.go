package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// countingStore counts the store's List and Get queries.
type countingStore struct {
	ticket.Store
	lists, gets atomic.Int64
}

func (c *countingStore) Get(ctx context.Context, desk string, id uuid.UUID) (*ticket.Ticket, error) {
	c.gets.Add(1)
	return c.Store.Get(ctx, desk, id)
}

func (c *countingStore) List(ctx context.Context, desk string, f ticket.Filter) ([]*ticket.Ticket, error) {
	c.lists.Add(1)
	return c.Store.List(ctx, desk, f)
}

// T4: a department's staff page through what is dispatched to their
// department, assigned to them or received by them (T1) with full
// pages, in every order, at most three store queries a page
// (ticket.Filter.Department, Assignee and Owner), however many tickets
// of other departments lie between.
func TestDepartmentListPages(t *testing.T) {
	t.Run("T4_department_pages_hold_what_is_dispatched_assigned_or_received", func(t *testing.T) {
		f, st := countingFixture(t)
		srv, c := f.srv, f.clock
		agent := f.as(li, ticket.RoleAgent)
		var want []uuid.UUID
		eng := as{h: srv, actor: zhao, role: "department", extra: map[string]string{"X-Department": "engineering"}}
		for i := range 40 {
			var tk *ticket.Ticket
			if i%13 == 5 { // received by zhao, who owns it (T1)
				tk = ticketOf(t, eng.must(t, http.StatusCreated, "POST", "/desks/north/tickets", repairIntake()))
			} else {
				tk = f.newRepair(t, "north")
			}
			body := map[string]any{"department": "cleaning"}
			switch {
			case i%13 == 5:
				want = append(want, tk.ID)
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
		for _, order := range []string{"number", "number_desc", "updated"} {
			var got []uuid.UUID
			before := st.lists.Load()
			eng.pages(t, "/desks/north/tickets?limit=4&order="+order, len(want), func(page int, r reply) string {
				if n := st.lists.Load() - before; n > 3 {
					t.Errorf("order %s page %d: %d store queries, want at most 3", order, page, n)
				}
				var lr listResponse
				r.decode(t, &lr)
				for _, tk := range lr.Tickets {
					got = append(got, tk.ID)
				}
				if lr.Next != "" && len(lr.Tickets) != 4 {
					t.Errorf("order %s page %d: %d tickets and a next page", order, page, len(lr.Tickets))
				}
				before = st.lists.Load()
				return lr.Next
			})
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

// T4: a department's staff read and act only on what is dispatched to
// their department or assigned to them, on every endpoint: an action
// on another department's ticket is 404 and changes nothing (the
// answer would carry the ticket, the customer's phone with it); the
// follow-up list, page by page, and the handover's follow-ups hold
// only the tasks of their own tickets; a claim takes only tasks for
// their own role.
func TestDepartmentSeesOnlyItsOwn(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	eng := f.as(zhao, ticket.RoleDepartment)
	var mine, others []uuid.UUID
	for i := range 6 {
		tk := f.newRepair(t, "north")
		dept := "cleaning"
		if i%3 == 1 {
			dept = engineering
			mine = append(mine, tk.ID)
		} else {
			others = append(others, tk.ID)
		}
		agent.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": dept})
	}
	f.derive(t)

	t.Run("T4_actions_on_another_department's_ticket_are_404", func(t *testing.T) {
		other := others[0]
		before := agent.must(t, http.StatusOK, "GET", ticketPath("north", other, ""), nil).Body
		for name, body := range map[string]any{
			"wait": map[string]any{}, "resolve": map[string]any{"summary": "done"}, "describe": map[string]any{"subject": "x"},
			"tag": map[string]any{"add": []string{"x"}}, "escalate": map[string]any{"reason": "late"},
			"respond": map[string]any{"channel": "phone", "note": "called"}, "complete": map[string]any{"fields": map[string]string{"item": "tap"}},
		} {
			if r := eng.do(t, "POST", ticketPath("north", other, name), body); r.Status != http.StatusNotFound {
				t.Errorf("%s on another department's ticket: %d, want 404: %s", name, r.Status, r.Body)
			}
		}
		if after := agent.must(t, http.StatusOK, "GET", ticketPath("north", other, ""), nil).Body; string(after) != string(before) {
			t.Errorf("another department's ticket changed:\n%s\n%s", before, after)
		}
		eng.must(t, http.StatusOK, "POST", ticketPath("north", mine[0], "wait"), map[string]any{"note": "parts ordered"})
	})

	t.Run("T4_another_department's_ticket_answers_as_one_that_does_not_exist", func(t *testing.T) {
		none := uuid.New()
		for _, c := range []struct{ method, rest string }{{"GET", ""}, {"GET", "history"}, {"POST", "wait"}, {"POST", "resolve"}} {
			var body any
			switch c.rest {
			case "wait":
				body = map[string]any{"note": "parts ordered"}
			case "resolve":
				body = map[string]any{"summary": "done"}
			}
			hidden := eng.must(t, http.StatusNotFound, c.method, ticketPath("north", others[0], c.rest), body)
			missing := eng.must(t, http.StatusNotFound, c.method, ticketPath("north", none, c.rest), body)
			if a, b := strings.ReplaceAll(string(hidden.Body), others[0].String(), "ID"), strings.ReplaceAll(string(missing.Body), none.String(), "ID"); a != b {
				t.Errorf("%s %s: another department's ticket answers %s, a missing one %s", c.method, c.rest, a, b)
			}
		}
	})

	readable := func(ts []taskOut) []string {
		var out []string
		for _, tk := range ts {
			id, err := uuid.Parse(tk.Ticket)
			if err != nil || !slices.Contains(mine, id) {
				out = append(out, tk.Ticket)
			}
		}
		return out
	}
	t.Run("T4_the_follow-up_list_holds_only_its_tickets'_tasks", func(t *testing.T) {
		// Store pages of two, so that a page of the department's reads
		// on across store pages of other departments' tasks.
		f.srv.cfg.MaxPage = 2
		defer func() { f.srv.cfg.MaxPage = 200 }()
		var all []taskOut
		eng.pages(t, "/desks/north/followups?limit=1", 10, func(_ int, r reply) string {
			var tp taskPage
			r.decode(t, &tp)
			all = append(all, tp.Tasks...)
			return tp.Next
		})
		if bad := readable(all); len(bad) > 0 {
			t.Errorf("the department lists tasks of tickets %v, not its own", bad)
		}
		if len(all) != len(mine) {
			t.Errorf("the department lists %d tasks, want one per ticket of its own (%d)", len(all), len(mine))
		}
	})

	f.clock.Advance(26 * time.Hour) // the F1 tasks are due
	t.Run("T4_a_claim_takes_only_tasks_for_its_own_role", func(t *testing.T) {
		if r := eng.do(t, "POST", "/desks/north/followups/claim", map[string]any{"n": 10, "role": "agent"}); r.Status != http.StatusForbidden {
			t.Errorf("a department claims the agents' tasks: %d, want 403: %s", r.Status, r.Body)
		}
		var got struct{ Tasks []taskOut }
		eng.must(t, http.StatusOK, "POST", "/desks/north/followups/claim", map[string]any{"n": 10}).decode(t, &got)
		for _, tk := range got.Tasks {
			if tk.Role != ticket.RoleDepartment {
				t.Errorf("the department claimed a task for %s on ticket %s", tk.Role, tk.Ticket)
			}
		}
	})

	t.Run("T4_the_handover_lists_only_its_tickets'_tasks", func(t *testing.T) {
		var got struct{ Tasks []taskOut }
		agent.must(t, http.StatusOK, "POST", "/desks/north/followups/claim", map[string]any{"n": 10}).decode(t, &got)
		if len(got.Tasks) != len(mine)+len(others) {
			t.Fatalf("li claimed %d tasks, want %d", len(got.Tasks), len(mine)+len(others))
		}
		var ho handoverResponse
		eng.must(t, http.StatusOK, "GET", "/desks/north/handover?agent="+li, nil).decode(t, &ho)
		if bad := readable(ho.Followups); len(bad) > 0 {
			t.Errorf("the department's handover view lists tasks of tickets %v, not its own", bad)
		}
		if len(ho.Followups) != len(mine) {
			t.Errorf("the department's handover view lists %d tasks, want %d", len(ho.Followups), len(mine))
		}
	})
}

// T4, T10: a department's overdue page reads the desk's overdue entries
// in pages of MaxPage, not of its own limit, and about MaxPage of them
// at most before it ends, short or empty, with a next cursor: among 40
// overdue tickets of another department a page of 1 cost a store query
// per ticket. It still lists every overdue ticket of its own and no
// other, across store pages of MaxPage too.
func TestT4DepartmentOverduePages(t *testing.T) {
	f, st := countingFixture(t)
	srv, c := f.srv, f.clock
	mine := f.dispatchMany(t, 44, 11)
	c.Advance(30 * 24 * time.Hour) // every one stagnates (T10)
	slices.Sort(mine)
	eng := f.as(zhao, ticket.RoleDepartment)
	for _, maxPage := range []int{200, 3} {
		srv.cfg.MaxPage = maxPage
		var got []string
		before := st.lists.Load()
		eng.pages(t, "/desks/north/overdue?limit=1", 44, func(page int, r reply) string {
			if n := st.lists.Load() - before; n > 6 {
				t.Errorf("MaxPage %d, page %d: %d store queries for a page of 1, want at most 6", maxPage, page, n)
			}
			var od overdueResponse
			r.decode(t, &od)
			for _, o := range od.Overdue {
				if id := o.Ticket.ID.String(); !slices.Contains(got, id) {
					got = append(got, id)
				}
			}
			before = st.lists.Load()
			return od.Next
		})
		slices.Sort(got)
		if fmt.Sprint(got) != fmt.Sprint(mine) {
			t.Errorf("MaxPage %d: the department's overdue pages hold tickets %v, want its own %v", maxPage, got, mine)
		}
	}
}

// T1: a department's staff may record a request (the library's table
// lets them receive), and whoever records it owns it and sees it
// through: they read their own ticket, find it in their list, act on
// it and read its history, and still do once it is dispatched to
// another department. The 201 named a Location that answered 404.
func TestT1DepartmentReadsWhatItReceived(t *testing.T) {
	f := newFixture(t)
	eng := f.as(zhao, ticket.RoleDepartment)
	r := eng.must(t, http.StatusCreated, "POST", "/desks/north/tickets", repairIntake())
	own := ticketOf(t, r)
	if own.Owner != zhao {
		t.Fatalf("owner %q, want %s (T1)", own.Owner, zhao)
	}
	eng.must(t, http.StatusOK, "GET", r.Header.Get("Location"), nil)
	f.as(li, ticket.RoleAgent).must(t, http.StatusOK, "POST", ticketPath("north", own.ID, "dispatch"), map[string]any{"department": "cleaning"})
	eng.must(t, http.StatusOK, "GET", ticketPath("north", own.ID, "history"), nil)
	var lr listResponse
	eng.must(t, http.StatusOK, "GET", "/desks/north/tickets", nil).decode(t, &lr)
	if len(lr.Tickets) != 1 || lr.Tickets[0].ID != own.ID {
		t.Errorf("the department's list holds %d tickets, want the one it received", len(lr.Tickets))
	}
	eng.must(t, http.StatusOK, "POST", ticketPath("north", own.ID, "resolve"), map[string]any{"summary": "valve closed"})
}

// T4: a department's follow-up page reads the tickets of at most about
// MaxPage tasks to find the ones it may read; when they run out first
// the page ends there, short or empty, with the next cursor. Among 60
// tasks of other departments' tickets a page of 1 read all 60 tickets.
// Paging on still lists every task of its own tickets, once.
func TestT4DepartmentFollowupPagesAreBounded(t *testing.T) {
	f, st := countingFixture(t)
	srv := f.srv
	srv.cfg.MaxPage = 10
	mine := f.dispatchMany(t, 64, 16)
	f.derive(t)
	eng := f.as(zhao, ticket.RoleDepartment)
	var got []string
	before := st.gets.Load()
	eng.pages(t, "/desks/north/followups?limit=1", 64, func(page int, r reply) string {
		if n := st.gets.Load() - before; n > 2*10 {
			t.Errorf("page %d read %d tickets, want at most 2 MaxPage (20)", page, n)
		}
		var tp taskPage
		r.decode(t, &tp)
		for _, task := range tp.Tasks {
			got = append(got, task.Ticket)
		}
		before = st.gets.Load()
		return tp.Next
	})
	slices.Sort(got)
	slices.Sort(mine)
	if fmt.Sprint(got) != fmt.Sprint(mine) {
		t.Errorf("the department's follow-up pages hold tasks of tickets %v, want one of each of its own %v", got, mine)
	}
}

// countingFixture is desk north on a ticket store that counts its
// queries, so a test sees what a page costs.
func countingFixture(t *testing.T) (*fixture, *countingStore) {
	t.Helper()
	st := &countingStore{Store: ticket.NewMemStore()}
	c := &clock{t: start}
	srv, err := newServer(Config{Desks: []string{"north"}, Location: shanghai, RosterStart: roster.D(2026, 3, 2),
		RosterCycles: 1, Now: c.Now, NewID: seqIDs(), Auth: HeaderAuth{}, Tickets: st, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: srv, clock: c}, st
}

// dispatchMany records n repairs on desk north a moment apart and
// dispatches every one to cleaning but each every-th, dispatched to
// engineering; it returns the IDs of those.
func (f *fixture) dispatchMany(t *testing.T, n, every int) []string {
	t.Helper()
	agent := f.as(li, ticket.RoleAgent)
	var mine []string
	for i := range n {
		tk := f.newRepair(t, "north")
		dept := "cleaning"
		if i%every == every-1 {
			dept = engineering
			mine = append(mine, tk.ID.String())
		}
		agent.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": dept})
		f.clock.Advance(1)
	}
	return mine
}
