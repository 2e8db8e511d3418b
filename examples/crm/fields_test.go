package main

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/servicedesk-go/desk/ticket"
)

// TestGeneralFields covers the general desk's ticket fields through the
// API (issue 17): subject, description, priority, tags and the email
// channel at intake; the priority and tag filters; and the actions
// prioritize, tag, describe, respond, wait and resume. Every request and
// answer is validated against openapi.json (checkContract).
func TestGeneralFields(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	post := func(tk *ticket.Ticket, action string, body any) *ticket.Ticket {
		t.Helper()
		return ticketOf(t, agent.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, action), body))
	}
	list := func(query string) []*ticket.Ticket {
		t.Helper()
		var page struct {
			Tickets []*ticket.Ticket `json:"tickets"`
		}
		agent.must(t, http.StatusOK, "GET", "/desks/north/tickets?"+query, nil).decode(t, &page)
		return page.Tickets
	}
	numbers := func(ts []*ticket.Ticket) []int64 {
		var out []int64
		for _, tk := range ts {
			out = append(out, tk.Number)
		}
		return out
	}

	mail := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets", map[string]any{
		"kind": "inquiry", "channel": "email",
		"subject": "  Invoice for March  ", "description": "The invoice shows the wrong flat.",
		"priority": "high", "tags": []string{"Billing", "vip"},
	}))
	if mail.Channel != ticket.Email || mail.Subject != "Invoice for March" || mail.Description != "The invoice shows the wrong flat." ||
		mail.Priority != ticket.PriorityHigh || !slices.Equal(mail.Tags, []string{"billing", "vip"}) {
		t.Fatalf("intake fields not kept: channel %q subject %q description %q priority %q tags %v",
			mail.Channel, mail.Subject, mail.Description, mail.Priority, mail.Tags)
	}
	call := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets", map[string]any{
		"kind": "inquiry", "channel": "phone", "priority": "low", "tags": []string{"billing"},
	}))
	plain := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets", map[string]any{
		"kind": "inquiry", "channel": "phone",
	}))

	t.Run("filter_by_priority_and_tag", func(t *testing.T) {
		for _, c := range []struct {
			query string
			want  []int64
		}{
			{"priority=high", []int64{mail.Number}},
			{"priority=low,high", []int64{mail.Number, call.Number}},
			{"priority=low&priority=high", []int64{mail.Number, call.Number}},
			{"tag=billing", []int64{mail.Number, call.Number}},
			{"tag=billing&tag=vip", []int64{mail.Number}},
			{"tag=VIP", []int64{mail.Number}}, // tags compare normalized
			{"priority=low&tag=vip", nil},
			{"tag=none", nil},
		} {
			if got := numbers(list(c.query)); !slices.Equal(got, c.want) {
				t.Errorf("?%s: tickets %v, want %v", c.query, got, c.want)
			}
		}
		if got := numbers(list("")); !slices.Contains(got, plain.Number) {
			t.Errorf("unfiltered list %v misses ticket %d", got, plain.Number)
		}
	})

	t.Run("bad_priority_is_400", func(t *testing.T) {
		e := agent.must(t, http.StatusBadRequest, "GET", "/desks/north/tickets?priority=high,"+url.QueryEscape("critical"), nil).err(t)
		if e.Field != "priority" {
			t.Errorf("field %q, want priority: %s", e.Field, e.Error)
		}
		e = agent.must(t, http.StatusBadRequest, "POST", "/desks/north/tickets",
			map[string]any{"kind": "inquiry", "channel": "email", "priority": "critical"}).err(t)
		if e.Field != "priority" {
			t.Errorf("intake: field %q, want priority: %s", e.Field, e.Error)
		}
		e = agent.must(t, http.StatusBadRequest, "POST", ticketPath("north", plain.ID, "prioritize"),
			map[string]any{"priority": "critical"}).err(t)
		if e.Field != "priority" {
			t.Errorf("prioritize: field %q, want priority: %s", e.Field, e.Error)
		}
		if got := numbers(list("priority=low,normal,high,urgent")); slices.Contains(got, plain.Number) {
			t.Errorf("the refused priority was recorded: %v", got)
		}
	})

	t.Run("prioritize", func(t *testing.T) {
		tk := post(plain, "prioritize", map[string]any{"priority": "urgent", "reason": "customer waits at the door"})
		if tk.Priority != ticket.PriorityUrgent || tk.Version != plain.Version+1 {
			t.Errorf("priority %q version %d", tk.Priority, tk.Version)
		}
		if got := numbers(list("priority=urgent")); !slices.Equal(got, []int64{plain.Number}) {
			t.Errorf("?priority=urgent: %v", got)
		}
		// The same priority again changes nothing: 400, not a new version.
		agent.must(t, http.StatusBadRequest, "POST", ticketPath("north", plain.ID, "prioritize"), map[string]any{"priority": "urgent"})
		// A stale version is 409 like every action's.
		agent.must(t, http.StatusConflict, "POST", ticketPath("north", plain.ID, "prioritize"),
			map[string]any{"priority": "low", "version": plain.Version})
	})

	t.Run("tag", func(t *testing.T) {
		tk := post(call, "tag", map[string]any{"add": []string{"Refund", "urgent-call"}, "remove": []string{"billing"}})
		if !slices.Equal(tk.Tags, []string{"refund", "urgent-call"}) {
			t.Errorf("tags %v", tk.Tags)
		}
		if got := numbers(list("tag=billing")); !slices.Equal(got, []int64{mail.Number}) {
			t.Errorf("?tag=billing after removal: %v", got)
		}
		e := agent.must(t, http.StatusBadRequest, "POST", ticketPath("north", call.ID, "tag"), map[string]any{}).err(t)
		if e.Field != "tag" {
			t.Errorf("empty tag action: field %q: %s", e.Field, e.Error)
		}
	})

	t.Run("describe", func(t *testing.T) {
		tk := post(call, "describe", map[string]any{"subject": "Refund", "description": "Paid twice in March."})
		if tk.Subject != "Refund" || tk.Description != "Paid twice in March." {
			t.Errorf("subject %q description %q", tk.Subject, tk.Description)
		}
		agent.must(t, http.StatusBadRequest, "POST", ticketPath("north", call.ID, "describe"),
			map[string]any{"subject": "Refund", "description": "Paid twice in March."})
	})

	t.Run("respond", func(t *testing.T) {
		tk := post(mail, "respond", map[string]any{"channel": "email", "note": "we are checking the invoice"})
		if tk.Version != mail.Version+1 {
			t.Errorf("version %d, want %d", tk.Version, mail.Version+1)
		}
		e := agent.must(t, http.StatusBadRequest, "POST", ticketPath("north", mail.ID, "respond"),
			map[string]any{"channel": "pigeon", "note": "n"}).err(t)
		if e.Field != "channel" {
			t.Errorf("field %q: %s", e.Field, e.Error)
		}
		if e = agent.must(t, http.StatusBadRequest, "POST", ticketPath("north", mail.ID, "respond"), map[string]any{}).err(t); e.Field != "note" {
			t.Errorf("field %q: %s", e.Field, e.Error)
		}
	})

	t.Run("wait_and_resume", func(t *testing.T) {
		tk := post(mail, "wait", map[string]any{"note": "asked for the invoice number"})
		if !tk.Pending.Equal(f.clock.Now()) {
			t.Errorf("pending %v, want %v", tk.Pending, f.clock.Now())
		}
		agent.must(t, http.StatusBadRequest, "POST", ticketPath("north", mail.ID, "wait"), nil)
		f.clock.Advance(3600e9)
		tk = post(mail, "resume", map[string]any{"note": "number received"})
		if !tk.Pending.IsZero() {
			t.Errorf("still pending since %v", tk.Pending)
		}
		e := agent.must(t, http.StatusBadRequest, "POST", ticketPath("north", mail.ID, "resume"), nil).err(t)
		if e.Field != "pending" {
			t.Errorf("field %q: %s", e.Field, e.Error)
		}
	})

	t.Run("terminal_ticket_is_409", func(t *testing.T) {
		tk := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets", map[string]any{"kind": "inquiry", "channel": "email"}))
		post(tk, "resolve", map[string]any{"summary": "s", "on_spot": true})
		post(tk, "accept", nil)
		for action, body := range map[string]any{
			"prioritize": map[string]any{"priority": "high"},
			"describe":   map[string]any{"subject": "late"},
			"wait":       nil,
			"respond":    map[string]any{"note": "n"},
		} {
			agent.must(t, http.StatusConflict, "POST", ticketPath("north", tk.ID, action), body)
		}
	})

	t.Run("S1_qa_reads_subject_erased_under_personal_text", func(t *testing.T) {
		qa := Principal{Actor: ticket.Actor{ID: "qa", Role: ticket.RoleQA}}
		staff := Principal{Actor: ticket.Actor{ID: li, Role: ticket.RoleAgent}}
		pol := ticket.PropertyDesk()
		if got := f.srv.readable(qa, pol, mail); got.Subject != mail.Subject {
			t.Errorf("without PersonalText QA reads subject %q, want %q", got.Subject, mail.Subject)
		}
		pol.PersonalText = true
		got := f.srv.readable(qa, pol, mail)
		if got.Subject != ticket.Erased || got.Description != ticket.Erased {
			t.Errorf("QA reads subject %q description %q, want both erased", got.Subject, got.Description)
		}
		if mail.Subject == ticket.Erased {
			t.Error("readable changed the ticket it was given")
		}
		if got := f.srv.readable(staff, pol, mail); got.Subject != mail.Subject || got.Description != mail.Description {
			t.Errorf("an agent reads subject %q description %q", got.Subject, got.Description)
		}
		if got := f.srv.readable(qa, pol, plain); got.Subject != "" {
			t.Errorf("an empty subject reads %q, want empty", got.Subject)
		}
	})
}
