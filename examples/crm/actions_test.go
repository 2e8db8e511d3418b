package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/phrasebook"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// TestActions runs each action endpoint once to success and checks
// what the rule says it does to the ticket.
func TestActions(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	lead := f.as(zhou, ticket.RoleShiftLead)
	post := func(a as, tk *ticket.Ticket, action string, body any) *ticket.Ticket {
		t.Helper()
		return ticketOf(t, a.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, action), body))
	}

	t.Run("T3_resolve_on_the_spot", func(t *testing.T) {
		tk := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets",
			map[string]any{"kind": "inquiry", "channel": "in_person", "fields": map[string]string{"event": "parking fee"}}))
		tk = post(agent, tk, "resolve", map[string]any{"summary": "explained the fee table", "on_spot": true})
		if tk.State != ticket.Answered || tk.Resolution == nil || tk.Resolution.Resolver != li {
			t.Errorf("state %s resolution %+v", tk.State, tk.Resolution)
		}
	})
	t.Run("T8_reject_reopens", func(t *testing.T) {
		tk := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets",
			map[string]any{"kind": "inquiry", "channel": "phone"}))
		post(agent, tk, "resolve", map[string]any{"summary": "s", "on_spot": true})
		tk = post(agent, tk, "reject", map[string]any{"reason": "not what I asked"})
		if tk.State != ticket.Reopened || tk.Rejections != 1 {
			t.Errorf("state %s rejections %d", tk.State, tk.Rejections)
		}
	})
	t.Run("T8_accept_closes_without_revisit", func(t *testing.T) {
		tk := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets",
			map[string]any{"kind": "inquiry", "channel": "phone"}))
		post(agent, tk, "resolve", map[string]any{"summary": "s", "on_spot": true})
		if tk = post(agent, tk, "accept", nil); tk.State != ticket.Closed {
			t.Errorf("state %s", tk.State)
		}
	})
	t.Run("T6_escalate", func(t *testing.T) {
		tk := f.newRepair(t, "north")
		tk = post(agent, tk, "escalate", map[string]any{"reason": "cannot handle"})
		if tk.Escalation.Level != ticket.LevelShiftLead || tk.Escalation.Reason != "cannot handle" {
			t.Errorf("level 0 means one up: %+v", tk.Escalation)
		}
		tk = post(lead, tk, "escalate", map[string]any{"level": ticket.LevelOfficeHead, "reason": "major"})
		if tk.Escalation.Level != ticket.LevelOfficeHead {
			t.Errorf("%+v", tk.Escalation)
		}
	})
	t.Run("T16_major_complaint_goes_to_office_head", func(t *testing.T) {
		tk := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets", map[string]any{
			"kind": "complaint", "channel": "letter",
			"complaint": map[string]string{"class": "service", "severity": "major"},
			"fields":    map[string]string{"event": "rude guard"},
		}))
		if tk.Escalation.Level != ticket.LevelOfficeHead || tk.Complaint == nil || !tk.Revisit.Required {
			t.Errorf("escalation %+v complaint %+v revisit %+v", tk.Escalation, tk.Complaint, tk.Revisit)
		}
	})
	t.Run("T7b_promise", func(t *testing.T) {
		tk := f.newRepair(t, "north")
		at := f.clock.Now().Add(24 * time.Hour)
		tk = post(agent, tk, "promise", map[string]any{"reply_by": at.Format(time.RFC3339), "note": "by tomorrow"})
		if d, ok := tk.Deadline(ticket.DeadlineReply); !ok || !d.Due.Equal(at) || !tk.ReplyBy.Equal(at) {
			t.Errorf("reply clock %+v reply_by %v", d, tk.ReplyBy)
		}
	})
	t.Run("T11_cancel_out_of_scope", func(t *testing.T) {
		tk := f.newRepair(t, "north")
		tk = post(agent, tk, "cancel", map[string]any{"reason": "out_of_scope", "note": "explained: the city water company handles mains"})
		if tk.State != ticket.Cancelled || tk.CancelNote == "" || tk.ClosedAt.IsZero() {
			t.Errorf("state %s note %q closed %v", tk.State, tk.CancelNote, tk.ClosedAt)
		}
	})
	t.Run("T2_complete_then_dispatch", func(t *testing.T) {
		tk := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets",
			map[string]any{"kind": "repair", "channel": "online"}))
		e := agent.must(t, http.StatusUnprocessableEntity, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "x"}).err(t)
		if strings.Join(e.Missing, ",") != "location,item" {
			t.Fatalf("missing %v", e.Missing)
		}
		tk = post(agent, tk, "complete", map[string]any{"fields": map[string]string{"location": "5-502", "item": "window"}})
		if strings.Join(tk.Missing, ",") != "person,phone" {
			t.Errorf("still missing %v", tk.Missing)
		}
		if tk = post(agent, tk, "dispatch", map[string]any{"department": "x"}); tk.State != ticket.Dispatched {
			t.Errorf("state %s", tk.State)
		}
	})
	t.Run("T19_take_unowned", func(t *testing.T) {
		tk := ticketOf(t, f.as("webform", ticket.RoleSystem).must(t, http.StatusCreated, "POST", "/desks/north/tickets",
			map[string]any{"kind": "inquiry", "channel": "online"}))
		if tk.Owner != "" {
			t.Fatalf("a web form arrival has owner %q", tk.Owner)
		}
		if tk = post(agent, tk, "take", nil); tk.Owner != li {
			t.Errorf("owner %q after take", tk.Owner)
		}
	})
	t.Run("T4_dispatch_with_deadline_and_appointment", func(t *testing.T) {
		tk := f.newRepair(t, "north")
		due, appt := f.clock.Now().Add(48*time.Hour), f.clock.Now().Add(26*time.Hour)
		tk = post(agent, tk, "dispatch", map[string]any{"version": tk.Version, "department": "engineering",
			"due": due.Format(time.RFC3339), "appointment": appt.Format(time.RFC3339)})
		if d, ok := tk.Deadline(ticket.DeadlineWork); !ok || !d.Due.Equal(due) || !tk.Appointment.Equal(appt) {
			t.Errorf("work deadline %+v appointment %v", d, tk.Appointment)
		}
	})
}

// TestRevisitBeforeAcceptance: the revisit outcome may be recorded
// before the customer accepts; the ticket keeps it and closes as soon
// as the acceptance is written and the deriver runs (F2, T8).
func TestRevisitBeforeAcceptance(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	tk := f.newRepair(t, "north")
	p := func(a string) string { return ticketPath("north", tk.ID, a) }
	agent.must(t, http.StatusOK, "POST", p("dispatch"), map[string]any{"department": "engineering"})
	f.as(zhao, ticket.RoleDepartment).must(t, http.StatusOK, "POST", p("resolve"), map[string]any{"summary": "sealed"})
	var claimed taskList
	f.derive(t)
	f.as(chen, ticket.RoleRepairLead).must(t, http.StatusOK, "POST", "/desks/north/followups/claim", map[string]any{"n": 5}).decode(t, &claimed)
	var task *taskOut
	for i := range claimed.Tasks {
		if claimed.Tasks[i].Revisit {
			task = &claimed.Tasks[i]
		}
	}
	if task == nil {
		t.Fatalf("no revisit claimed: %+v", claimed.Tasks)
	}
	var done struct{ Task taskOut }
	f.as(chen, ticket.RoleRepairLead).must(t, http.StatusOK, "POST", "/desks/north/followups/"+task.ID.String()+"/complete",
		map[string]any{"token": task.Token, "result": "reached", "checked": followup.RevisitChecklist(), "signed_by": "sig-9"}).decode(t, &done)
	if done.Task.Synced {
		t.Error("the ticket does not wait for its revisit yet; the outcome cannot be on it")
	}
	if got := ticketOf(t, agent.must(t, http.StatusOK, "GET", p(""), nil)); got.State != ticket.Resolved || got.Revisit.Done {
		t.Fatalf("before acceptance: state %s revisit %+v", got.State, got.Revisit)
	}
	agent.must(t, http.StatusOK, "POST", p("answer"), nil)
	agent.must(t, http.StatusOK, "POST", p("accept"), nil)
	f.derive(t) // the runner records the kept outcome once the ticket waits for it
	if got := ticketOf(t, agent.must(t, http.StatusOK, "GET", p(""), nil)); got.State != ticket.Closed || !got.Revisit.Passed {
		t.Errorf("after acceptance: state %s revisit %+v", got.State, got.Revisit)
	}
}

// TestErrorFor maps every sentinel of the four packages, including
// those no endpoint can provoke today, so that a new endpoint inherits
// a checked mapping.
func TestErrorFor(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("context of the call: %w", err) }
	for _, c := range []struct {
		err     error
		status  int
		field   string
		missing []string
	}{
		{wrap(&ticket.InputError{Field: "kind", Reason: "x"}), 400, "kind", nil},
		{wrap(&ticket.MissingFieldsError{Step: ticket.ActDispatch, Fields: []string{"location"}}), 422, "", []string{"location"}},
		{wrap(ticket.ErrNotFound), 404, "", nil},
		{wrap(ticket.ErrForbidden), 403, "", nil},
		{wrap(ticket.ErrConflict), 409, "", nil},
		{wrap(&ticket.TransitionError{State: ticket.Closed, Action: ticket.ActDispatch}), 409, "", nil},
		{wrap(&followup.InputError{Field: "signature"}), 400, "signature", nil},
		{wrap(followup.ErrNotFound), 404, "", nil},
		{wrap(&followup.LeaseError{}), 409, "", nil},
		{wrap(&followup.DuplicateError{}), 409, "", nil},
		{wrap(&roster.InputError{Field: "shift.end"}), 400, "shift.end", nil},
		{wrap(roster.ErrNotFound), 404, "", nil},
		{wrap(roster.ErrForbidden), 403, "", nil},
		{wrap(&roster.ConflictError{Kind: "swap"}), 409, "", nil},
		{wrap(roster.ErrOverlap), 409, "", nil},
		{wrap(roster.ErrSwapState), 409, "", nil},
		{wrap(&roster.UnfilledError{}), 422, "", nil},
		{wrap(phrasebook.ErrNotFound), 404, "", nil},
		{wrap(&phrasebook.IncompleteError{Form: "5w1h", Missing: []string{"who"}}), 422, "", []string{"who"}},
		{wrap(&http.MaxBytesError{Limit: 1}), 413, "", nil},
		{wrap(context.Canceled), 503, "", nil},
		{errors.New("disk on fire"), 500, "", nil},
	} {
		got := errorFor(c.err)
		if got.Status != c.status || got.Field != c.field || strings.Join(got.Missing, ",") != strings.Join(c.missing, ",") {
			t.Errorf("%v: %+v, want %d field %q missing %v", c.err, got, c.status, c.field, c.missing)
		}
		if got.Status == 500 && got.Msg != "internal error" {
			t.Errorf("a 500 tells the client %q", got.Msg)
		}
	}
}

// TestRecover: a panic in a handler is a 500 in JSON and the process
// lives on. No input reaches it (TestErrorMapping and the fuzz targets
// check that); this checks the net itself.
func TestRecover(t *testing.T) {
	f := newFixture(t)
	h := f.srv.recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("bug") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"error":"internal error"`) {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(f.logs.String(), `"msg":"panic"`) {
		t.Error("the panic was not logged")
	}
}
