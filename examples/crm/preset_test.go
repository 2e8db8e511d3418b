package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// newGeneralFixture serves desk north with Config.Preset general.
func newGeneralFixture(t testing.TB) *fixture {
	t.Helper()
	c := &clock{t: start}
	logs := &lockedBuffer{}
	srv, err := newServer(Config{
		Desks: []string{"north"}, Location: shanghai, Preset: PresetGeneral,
		RosterStart: roster.D(2026, 3, 2), RosterCycles: 1,
		Now: c.Now, NewID: seqIDs(), Seed: 7, Auth: HeaderAuth{},
		Logger: slog.New(slog.NewJSONHandler(logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: srv, clock: c, logs: logs}
}

// TestPresetGeneral runs a general desk (ticket.GeneralDesk with
// ticket.GeneralRoles) through the API: SLA clocks by priority, subject
// and description erased for QA (S1, Policy.PersonalText), the clocks
// paused while the customer is waited for, and escalation by itself of
// a passed clock, once.
func TestPresetGeneral(t *testing.T) {
	f := newGeneralFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	tk := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets", map[string]any{
		"kind": "incident", "channel": "email", "subject": "VPN down", "description": "Wang at 3-201 cannot connect",
		"priority": "urgent", "tags": []string{"network"},
	}))
	fr, ok := tk.Deadline(ticket.DeadlineFirstResponse)
	if !ok || !fr.Due.After(tk.ReceivedAt) {
		t.Fatalf("an urgent ticket has no first-response clock: %+v", tk.Deadlines)
	}
	// A seed kind is not the general desk's.
	agent.must(t, http.StatusBadRequest, "POST", "/desks/north/tickets", map[string]any{"kind": "repair", "channel": "phone"})

	t.Run("S1_subject_erased_for_qa", func(t *testing.T) {
		qa := ticketOf(t, f.as("qa-1", ticket.RoleQA).must(t, http.StatusOK, "GET", ticketPath("north", tk.ID, ""), nil))
		if qa.Subject != ticket.Erased || qa.Description != ticket.Erased {
			t.Errorf("QA reads subject %q description %q, want both erased", qa.Subject, qa.Description)
		}
		sup := ticketOf(t, f.as("sun", ticket.RoleSupervisor).must(t, http.StatusOK, "GET", ticketPath("north", tk.ID, ""), nil))
		if sup.Subject != "VPN down" || sup.Description != "Wang at 3-201 cannot connect" {
			t.Errorf("a supervisor reads subject %q description %q", sup.Subject, sup.Description)
		}
		var page struct {
			Tickets []*ticket.Ticket `json:"tickets"`
		}
		f.as("qa-1", ticket.RoleQA).must(t, http.StatusOK, "GET", "/desks/north/tickets?tag=network", nil).decode(t, &page)
		if len(page.Tickets) != 1 || page.Tickets[0].Subject != ticket.Erased {
			t.Errorf("QA's list: %+v", page.Tickets)
		}
	})

	t.Run("wait_pauses_the_clocks", func(t *testing.T) {
		w := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets", map[string]any{
			"kind": "question", "channel": "phone", "priority": "normal"}))
		before, _ := w.Deadline(ticket.DeadlineResolution)
		w = ticketOf(t, agent.must(t, http.StatusOK, "POST", ticketPath("north", w.ID, "wait"), map[string]any{"note": "asked for a screenshot"}))
		if d, _ := w.Deadline(ticket.DeadlineResolution); d.Paused.IsZero() {
			t.Fatalf("resolution clock runs while waiting: %+v", d)
		}
		f.clock.Advance(time.Hour)
		w = ticketOf(t, agent.must(t, http.StatusOK, "POST", ticketPath("north", w.ID, "resume"), nil))
		after, _ := w.Deadline(ticket.DeadlineResolution)
		if after.PausedFor <= 0 || !after.Due.After(before.Due) || !after.Paused.IsZero() {
			t.Errorf("after the wait: paused for %v, due %v (was %v), paused %v", after.PausedFor, after.Due, before.Due, after.Paused)
		}
	})

	t.Run("passed_clock_escalates_once", func(t *testing.T) {
		d := f.srv.desks["north"]
		now := f.clock.Now()
		if !now.After(fr.Due) {
			f.clock.Advance(fr.Due.Sub(now) + time.Minute)
		}
		n, err := d.tickets.EscalateDue(context.Background(), escalator, 0)
		if err != nil || n < 1 {
			t.Fatalf("EscalateDue at %v, first response due %v: %d, %v", f.clock.Now(), fr.Due, n, err)
		}
		got := ticketOf(t, agent.must(t, http.StatusOK, "GET", ticketPath("north", tk.ID, ""), nil))
		c, _ := got.Deadline(ticket.DeadlineFirstResponse)
		if got.Escalation.Level != 1 || c.Escalated != 1 {
			t.Errorf("escalation %+v, first-response clock %+v", got.Escalation, c)
		}
		if n, err := d.tickets.EscalateDue(context.Background(), escalator, 0); err != nil || n != 0 {
			t.Errorf("second round escalated %d, %v; want 0", n, err)
		}
	})
}

func TestPresetUnknown(t *testing.T) {
	_, err := newServer(Config{Desks: []string{"north"}, Preset: "dealer-x"})
	if err == nil || !strings.Contains(err.Error(), "dealer-x") {
		t.Fatalf("unknown preset: %v", err)
	}
	if _, err := parseFlags([]string{"-preset", "general"}); err != nil {
		t.Fatal(err)
	}
}

// TestPresetGeneralRunner shows that the general desk's escalation
// runner (runner.Escalate, started by startRunners) raises a ticket
// whose first-response clock passed.
func TestPresetGeneralRunner(t *testing.T) {
	f := newGeneralFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	tk := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets", map[string]any{
		"kind": "incident", "channel": "email", "priority": "urgent"}))
	fr, _ := tk.Deadline(ticket.DeadlineFirstResponse)
	f.clock.Advance(fr.Due.Sub(f.clock.Now()) + time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	wait := startRunners(t, f.srv, ctx, RunnerConfig{Escalate: 10 * time.Millisecond})
	defer func() { cancel(); wait() }()
	for stop := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		got, err := f.srv.desks["north"].tickets.Get(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Escalation.Level == 1 {
			break
		}
		if time.Now().After(stop) {
			t.Fatalf("not escalated by the runner: %+v", got.Escalation)
		}
	}
}

// R5: on a general desk its supervisors and admins are the leads
// (LeadRoles): they grant leave and act for other staff, as shift
// leads and the director do on the property desk; its agents do
// neither, and a property lead role means nothing there.
func TestR5PresetGeneralLeads(t *testing.T) {
	f := newGeneralFixture(t)
	leave := map[string]any{"agent": "li", "from": "2026-03-03T09:00:00+08:00", "until": "2026-03-04T09:00:00+08:00"}
	for _, role := range []ticket.Role{ticket.RoleSupervisor, ticket.RoleAdmin} {
		lead := f.as("sun", role)
		lead.must(t, http.StatusCreated, "POST", "/desks/north/leave", leave)
		lead.must(t, http.StatusOK, "POST", "/desks/north/followups/claim", map[string]any{"worker": "li"})
		lead.must(t, http.StatusOK, "POST", "/desks/north/presence", map[string]any{"agent": "li", "online": false})
		lead.must(t, http.StatusOK, "POST", "/desks/north/presence", map[string]any{"agent": "li", "online": true})
	}
	for _, role := range []ticket.Role{ticket.RoleAgent, ticket.RoleShiftLead} {
		who := f.as("wu", role)
		who.must(t, http.StatusForbidden, "POST", "/desks/north/leave", leave)
		who.must(t, http.StatusForbidden, "POST", "/desks/north/followups/claim", map[string]any{"worker": "li"})
	}
}
