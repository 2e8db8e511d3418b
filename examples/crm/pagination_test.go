package main

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// pageThrough follows next cursors from the first page, calling between
// after each page, and returns the case numbers seen in order.
func pageThrough(t *testing.T, a as, query string, between func(page int)) []int64 {
	t.Helper()
	var seen []int64
	after := ""
	for page := 0; ; page++ {
		if page > 100 {
			t.Fatal("pagination does not end")
		}
		q := query
		if after != "" {
			q += "&after=" + url.QueryEscape(after)
		}
		var lr listResponse
		a.must(t, http.StatusOK, "GET", "/desks/north/tickets?"+q, nil).decode(t, &lr)
		for _, tk := range lr.Tickets {
			seen = append(seen, tk.Number)
		}
		if lr.Next == "" {
			return seen
		}
		if len(lr.Tickets) == 0 {
			t.Fatal("an empty page with a next cursor")
		}
		after = lr.Next
		if between != nil {
			between(page)
		}
	}
}

func numbers(from, to int64) []int64 {
	var out []int64
	for n := from; n <= to; n++ {
		out = append(out, n)
	}
	return out
}

// TestPagination pages through tickets over HTTP while new ones arrive
// (T2 intake between pages): in case-number order every ticket, old and
// new, is seen exactly once and in order; newest first, the tickets
// that arrive after the first page come before it and are not repeated
// or mixed in.
func TestPagination(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	for range 7 {
		f.newRepair(t, "north")
	}

	t.Run("number_ascending_while_adding", func(t *testing.T) {
		added := 7
		seen := pageThrough(t, agent, "limit=3&order=number&kind=repair", func(page int) {
			if page < 2 {
				f.newRepair(t, "north")
				f.newRepair(t, "north")
				added += 2
			}
		})
		if want := numbers(1, int64(added)); !slices.Equal(seen, want) {
			t.Errorf("seen %v, want %v", seen, want)
		}
	})

	t.Run("number_descending_while_adding", func(t *testing.T) {
		var lr listResponse
		agent.must(t, http.StatusOK, "GET", "/desks/north/tickets?limit=1&order=number_desc", nil).decode(t, &lr)
		top := lr.Tickets[0].Number
		seen := pageThrough(t, agent, "limit=4&order=number_desc", func(int) { f.newRepair(t, "north") })
		if want := numbers(1, top); !slices.Equal(seen, reversed(want)) {
			t.Errorf("seen %v, want %v", seen, reversed(want))
		}
	})

	t.Run("updated_order_sees_each_change", func(t *testing.T) {
		// A ticket changed after it was seen comes again at its new
		// place; none is skipped.
		all := pageThrough(t, agent, "limit=200", nil)
		var changed int64
		seen := pageThrough(t, agent, "limit=5&order=updated", func(page int) {
			if page == 0 {
				f.clock.Advance(time.Minute)
				var lr listResponse
				agent.must(t, http.StatusOK, "GET", "/desks/north/tickets?limit=1&order=updated", nil).decode(t, &lr)
				first := lr.Tickets[0]
				changed = first.Number
				agent.must(t, http.StatusOK, "POST", ticketPath("north", first.ID, "escalate"), map[string]any{"reason": "waiting too long"})
			}
		})
		count := map[int64]int{}
		for _, n := range seen {
			count[n]++
		}
		for _, n := range all {
			want := 1
			if n == changed {
				want = 2
			}
			if count[n] != want {
				t.Errorf("ticket %d seen %d times, want %d (changed: %d)", n, count[n], want, changed)
			}
		}
	})

	t.Run("filters", func(t *testing.T) {
		tk := f.newRepair(t, "north")
		agent.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"assignee": zhao, "department": "engineering"})
		inc := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets",
			map[string]any{"kind": "inquiry", "channel": "online", "unattended": true,
				"customer": map[string]string{"id": "cust-42"}}))
		for _, c := range []struct {
			query string
			want  []int64
		}{
			{"state=dispatched", []int64{tk.Number}},
			{"state=dispatched,received&assignee=" + zhao, []int64{tk.Number}},
			{"kind=inquiry", []int64{inc.Number}},
			{"customer=cust-42", []int64{inc.Number}},
			{"incomplete=true&kind=inquiry", []int64{inc.Number}},
			{"owner=nobody", nil},
		} {
			got := pageThrough(t, agent, "limit=2&"+c.query, nil)
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.query, got, c.want)
			}
		}
	})
}

func reversed(s []int64) []int64 {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// TestCursorRoundTrip: next is opaque but decodes back to the position
// it was made at, for its own order only.
func TestCursorRoundTrip(t *testing.T) {
	for order := range orders {
		c := ticket.Cursor{Number: 41, Updated: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
		got, err := decodeCursor(order, encodeCursor(order, &c))
		if err != nil || got.Number != c.Number || !got.Updated.Equal(c.Updated) {
			t.Errorf("%s: %+v, %v", order, got, err)
		}
		for other := range orders {
			if other == order {
				continue
			}
			if _, err := decodeCursor(other, encodeCursor(order, &c)); err == nil {
				t.Errorf("a %s cursor accepted for order %s", order, other)
			}
		}
	}
	if _, err := decodeCursor("number", encodeCursor("number", &ticket.Cursor{Number: -1})); err == nil {
		t.Error("a negative cursor was accepted")
	}
}
