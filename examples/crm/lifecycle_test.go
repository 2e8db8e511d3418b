package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// wire is a caller over a real HTTP connection.
type wire struct {
	t           *testing.T
	base        string
	actor, role string
}

func (w wire) call(want int, method, path string, body any) reply {
	w.t.Helper()
	var rd io.Reader
	if body != nil {
		js, err := json.Marshal(body)
		if err != nil {
			w.t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, w.base+path, rd)
	if err != nil {
		w.t.Fatal(err)
	}
	req.Header.Set(headerActor, w.actor)
	req.Header.Set(headerRole, w.role)
	if w.role == string(ticket.RoleDepartment) {
		req.Header.Set("X-Department", engineering)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	if res.StatusCode != want {
		w.t.Fatalf("%s %s as %s/%s: status %d, want %d: %s", method, path, w.actor, w.role, res.StatusCode, want, b)
	}
	return reply{Status: res.StatusCode, Header: res.Header, Body: b}
}

type taskList struct {
	Tasks []taskOut `json:"tasks"`
}

// TestLifecycle runs a leak repair through its whole life over HTTP:
// intake by the first-contact agent (T1, T2), dispatch that keeps the
// owner (T4), resolution signed by the department (T9), answer (T7a),
// acceptance that waits for the revisit (T8), the F2 leak revisit
// derived from the ticket outbox, claimed and completed with the F4
// checklist, which closes the ticket, and the history of it all (T14).
func TestLifecycle(t *testing.T) {
	f := newFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	agent := wire{t, ts.URL, li, string(ticket.RoleAgent)}
	dept := wire{t, ts.URL, zhao, string(ticket.RoleDepartment)}
	lead := wire{t, ts.URL, chen, string(ticket.RoleRepairLead)}

	r := agent.call(http.StatusCreated, "POST", "/desks/north/tickets", repairIntake())
	tk := ticketOf(t, r)
	if got, want := r.Header.Get("Location"), ticketPath("north", tk.ID, ""); got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
	if tk.State != ticket.Received || tk.Owner != li || tk.Number != 1 || tk.Incomplete() {
		t.Fatalf("T1/T2 intake: state %s owner %q number %d missing %v", tk.State, tk.Owner, tk.Number, tk.Missing)
	}
	if !tk.Revisit.Required {
		t.Fatal("F2: a repair must have its revisit planned at intake")
	}

	f.clock.Advance(time.Minute)
	tk = ticketOf(t, agent.call(http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"),
		map[string]any{"version": tk.Version, "assignee": zhao, "department": "engineering"}))
	if tk.State != ticket.Dispatched || tk.Owner != li || tk.Assignee != zhao {
		t.Fatalf("T1/T4 dispatch: state %s owner %q assignee %q", tk.State, tk.Owner, tk.Assignee)
	}
	if d, ok := tk.Deadline(ticket.DeadlineDispatch); !ok || d.Open() || d.Late(f.clock.Now()) {
		t.Errorf("T5: the dispatch clock should be met after one minute: %+v", d)
	}

	f.clock.Advance(2 * time.Hour)
	tk = ticketOf(t, dept.call(http.StatusOK, "POST", ticketPath("north", tk.ID, "resolve"),
		map[string]any{"summary": "pipe joint replaced"}))
	if tk.State != ticket.Resolved || tk.Resolution == nil || tk.Resolution.Resolver != zhao {
		t.Fatalf("T9 resolve: state %s resolution %+v", tk.State, tk.Resolution)
	}

	f.clock.Advance(30 * time.Minute)
	tk = ticketOf(t, agent.call(http.StatusOK, "POST", ticketPath("north", tk.ID, "answer"),
		map[string]any{"note": "told by phone"}))
	if tk.State != ticket.Answered {
		t.Fatalf("T7a answer: state %s", tk.State)
	}
	tk = ticketOf(t, agent.call(http.StatusOK, "POST", ticketPath("north", tk.ID, "accept"),
		map[string]any{"version": tk.Version}))
	if tk.State != ticket.Revisit {
		t.Fatalf("T8: acceptance with a revisit outstanding waits in revisit, got %s", tk.State)
	}

	// The deriver ran after each write: the F2 leak revisit waits.
	var open taskList
	f.derive(t)
	agent.call(http.StatusOK, "GET", "/desks/north/followups?status=pending&ticket="+tk.ID.String(), nil).decode(t, &open)
	var revisit *taskOut
	for i := range open.Tasks {
		if open.Tasks[i].Rule == "F2.leak" {
			revisit = &open.Tasks[i]
		}
	}
	if revisit == nil {
		t.Fatalf("F2: no leak revisit derived from the ticket outbox: %+v", open.Tasks)
	}
	if limit := tk.Resolution.At.Add(3 * 24 * time.Hour); revisit.Due.After(limit) {
		t.Errorf("F2: leak revisit due %v, later than three days after the repair (%v)", revisit.Due, limit)
	}

	var claimed taskList
	f.derive(t)
	lead.call(http.StatusOK, "POST", "/desks/north/followups/claim", map[string]any{"n": 5, "lease": "30m"}).decode(t, &claimed)
	var got *taskOut
	for i := range claimed.Tasks {
		if claimed.Tasks[i].ID == revisit.ID {
			got = &claimed.Tasks[i]
		}
	}
	if got == nil || got.Token == "" || got.Worker != chen || got.Status != followup.Claimed {
		t.Fatalf("claim did not lease the revisit to %s with a token: %+v", chen, claimed.Tasks)
	}
	if want := f.clock.Now().Add(30 * time.Minute); got.Expires == nil || !got.Expires.Equal(want) {
		t.Errorf("lease expires %v, want %v (the asked 30m)", got.Expires, want)
	}

	var done struct {
		Task       taskOut `json:"task"`
		TicketSync string  `json:"ticket_sync"`
	}
	lead.call(http.StatusOK, "POST", "/desks/north/followups/"+got.ID.String()+"/complete", map[string]any{
		"token": got.Token, "result": "reached", "channel": "on_site",
		"checked":   followup.RevisitChecklist(),
		"signed_by": "signature-0001", "satisfaction": 5,
	}).decode(t, &done)
	if done.Task.Status != followup.Done || !done.Task.Synced || done.TicketSync != "" {
		t.Fatalf("complete: %+v", done)
	}

	tk = ticketOf(t, agent.call(http.StatusOK, "GET", ticketPath("north", tk.ID, ""), nil))
	if tk.State != ticket.Closed || !tk.Revisit.Done || !tk.Revisit.Passed {
		t.Fatalf("a passed revisit closes the ticket: state %s revisit %+v", tk.State, tk.Revisit)
	}

	var h historyResponse
	agent.call(http.StatusOK, "GET", ticketPath("north", tk.ID, "history"), nil).decode(t, &h)
	var acts []ticket.Action
	for _, e := range h.Events {
		acts = append(acts, e.Action)
	}
	want := []ticket.Action{ticket.ActReceive, ticket.ActDispatch, ticket.ActResolve, ticket.ActAnswer,
		ticket.ActAwaitRevisit, ticket.ActRevisitPass}
	if !slices.Equal(acts, want) {
		t.Errorf("T14 history %v, want %v", acts, want)
	}
	for i, e := range h.Events {
		if e.Seq != int64(i+1) || e.Desk != "north" || e.Ticket != tk.ID {
			t.Errorf("event %d: seq %d desk %q ticket %s", i, e.Seq, e.Desk, e.Ticket)
		}
	}

	// F1: the chained follow-up of the dispatched case ends with the case.
	var left taskList
	f.derive(t)
	agent.call(http.StatusOK, "GET", "/desks/north/followups?status=pending,claimed&ticket="+tk.ID.String(), nil).decode(t, &left)
	if len(left.Tasks) != 0 {
		t.Errorf("open follow-ups left after the case closed: %+v", left.Tasks)
	}
}

// TestRevisitProblem: a revisit that finds a problem reopens the ticket
// and starts the written rework notice clock (T13); the rework must be
// dispatched in writing.
func TestRevisitProblem(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	tk := f.newRepair(t, "north")
	p := func(a string) string { return ticketPath("north", tk.ID, a) }
	agent.must(t, http.StatusOK, "POST", p("dispatch"), map[string]any{"department": "engineering"})
	f.as(zhao, ticket.RoleDepartment).must(t, http.StatusOK, "POST", p("resolve"), map[string]any{"summary": "sealed"})
	agent.must(t, http.StatusOK, "POST", p("answer"), nil)
	agent.must(t, http.StatusOK, "POST", p("accept"), nil)

	var claimed taskList
	f.derive(t)
	agent.must(t, http.StatusOK, "POST", "/desks/north/followups/claim", map[string]any{"n": 10}).decode(t, &claimed)
	var task *taskOut
	for i := range claimed.Tasks {
		if claimed.Tasks[i].Revisit && claimed.Tasks[i].Ticket == tk.ID.String() {
			task = &claimed.Tasks[i]
		}
	}
	if task == nil {
		t.Fatalf("no revisit task claimed: %+v", claimed.Tasks)
	}
	agent.must(t, http.StatusOK, "POST", "/desks/north/followups/"+task.ID.String()+"/complete",
		map[string]any{"token": task.Token, "result": "problem_found", "note": "still dripping"})

	tk = ticketOf(t, agent.must(t, http.StatusOK, "GET", p(""), nil))
	d, ok := tk.Deadline(ticket.DeadlineReworkNotice)
	if tk.State != ticket.Reopened || !ok || !d.Open() || !d.Due.Equal(f.clock.Now().Add(24*time.Hour)) {
		t.Fatalf("T13: state %s, rework notice %+v (ok %v)", tk.State, d, ok)
	}
	e := agent.must(t, http.StatusBadRequest, "POST", p("dispatch"), map[string]any{"department": "engineering"}).err(t)
	if e.Field != "written" {
		t.Errorf("T13: an unwritten rework notice names field %q, want written", e.Field)
	}
	tk = ticketOf(t, agent.must(t, http.StatusOK, "POST", p("dispatch"), map[string]any{"department": "engineering", "written": true}))
	if d, _ := tk.Deadline(ticket.DeadlineReworkNotice); tk.State != ticket.Dispatched || d.Open() {
		t.Errorf("T13: written rework dispatch: state %s notice %+v", tk.State, d)
	}
}
