package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// TestFollowupSync: events written to the ticket store by another
// process (here, the desk's ticket service called directly) wait in the
// outbox until POST .../followups/sync derives them; deriving twice
// creates nothing twice.
func TestFollowupSync(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.srv.desks["north"].tickets
	by := ticket.Actor{ID: li, Role: ticket.RoleAgent}
	tk, err := svc.Receive(ctx, by, ticket.Intake{Kind: ticket.Repair, Category: followup.Safety, Channel: ticket.Phone,
		Fields: map[string]string{"location": "B2", "item": "fire door"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Dispatch(ctx, by, tk.Ref(), ticket.Assignment{Department: "security"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Resolve(ctx, ticket.Actor{ID: zhao, Role: ticket.RoleDepartment}, ticket.Ref{ID: tk.ID}, "door closer replaced"); err != nil {
		t.Fatal(err)
	}
	agent := f.as(li, ticket.RoleAgent)
	list := func() []taskOut {
		var l taskList
		agent.must(t, http.StatusOK, "GET", "/desks/north/followups?ticket="+tk.ID.String(), nil).decode(t, &l)
		return l.Tasks
	}
	if got := list(); len(got) != 0 {
		t.Fatalf("tasks before the sync: %+v", got)
	}
	var n struct{ Events int }
	agent.must(t, http.StatusOK, "POST", "/desks/north/followups/sync", nil).decode(t, &n)
	if n.Events != 3 {
		t.Errorf("sync handled %d events, want 3 (receive, dispatch, resolve)", n.Events)
	}
	tasks := list()
	var f2 *taskOut
	for i := range tasks {
		if tasks[i].Rule == "F2.safety" {
			f2 = &tasks[i]
		}
	}
	if f2 == nil || f2.Channel != followup.OnSite || len(f2.Checklist) != len(followup.RevisitChecklist()) {
		t.Fatalf("F2/F4: no on-site safety revisit with the checklist: %+v", tasks)
	}
	if limit := f.clock.Now().Add(2 * 24 * time.Hour); f2.Due.After(limit) {
		t.Errorf("F2: safety revisit due %v, after two days (%v)", f2.Due, limit)
	}
	agent.must(t, http.StatusOK, "POST", "/desks/north/followups/sync", nil).decode(t, &n)
	if again := list(); n.Events != 0 || len(again) != len(tasks) {
		t.Errorf("a second sync handled %d events and left %d tasks, had %d", n.Events, len(again), len(tasks))
	}
}

// TestLeaseExpiry: a worker who does not complete within the lease
// loses the task (409, nothing recorded) and it returns to the queue
// for the next claimer; a shift lead may claim for someone else.
func TestLeaseExpiry(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	tk := f.newRepair(t, "north")
	agent.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "engineering"})
	f.as(zhao, ticket.RoleDepartment).must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "resolve"), map[string]any{"summary": "ok"})

	var first taskList
	f.derive(t)
	agent.must(t, http.StatusOK, "POST", "/desks/north/followups/claim", map[string]any{"lease": "10m", "n": 1}).decode(t, &first)
	if len(first.Tasks) != 1 {
		t.Fatalf("claimed %+v", first.Tasks)
	}
	task := first.Tasks[0]
	var none taskList
	f.as("wang", ticket.RoleAgent).must(t, http.StatusOK, "POST", "/desks/north/followups/claim", map[string]any{"n": 5}).decode(t, &none)
	for _, o := range none.Tasks {
		if o.ID == task.ID {
			t.Fatal("a leased task was handed to a second worker")
		}
	}

	f.clock.Advance(11 * time.Minute)
	outcome := map[string]any{"token": task.Token, "result": "withdrawn", "note": "no longer needed"}
	agent.must(t, http.StatusConflict, "POST", "/desks/north/followups/"+task.ID.String()+"/complete", outcome)

	var again taskList
	f.as(zhou, ticket.RoleShiftLead).must(t, http.StatusOK, "POST", "/desks/north/followups/claim",
		map[string]any{"worker": "wang", "n": 5}).decode(t, &again)
	var back *taskOut
	for i := range again.Tasks {
		if again.Tasks[i].ID == task.ID {
			back = &again.Tasks[i]
		}
	}
	if back == nil || back.Worker != "wang" || back.Token == task.Token {
		t.Fatalf("the expired task did not return to the queue for wang: %+v", again.Tasks)
	}
	outcome["token"] = back.Token
	var done struct{ Task taskOut }
	f.as("wang", ticket.RoleAgent).must(t, http.StatusOK, "POST", "/desks/north/followups/"+task.ID.String()+"/complete", outcome).decode(t, &done)
	if done.Task.Status != followup.Cancelled || done.Task.Outcome == nil || done.Task.Outcome.By.ID != "wang" {
		t.Errorf("withdrawn outcome: %+v", done.Task)
	}
	// Completing twice records nothing more.
	f.as("wang", ticket.RoleAgent).must(t, http.StatusConflict, "POST", "/desks/north/followups/"+task.ID.String()+"/complete", outcome)
}

// TestClaimByRole: a worker can take only the tasks of their role (F3
// assigns each repair revisit to the director, an administrator or the
// repair lead).
func TestClaimByRole(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	for range 8 {
		tk := f.newRepair(t, "north")
		agent.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "engineering"})
		f.as(zhao, ticket.RoleDepartment).must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "resolve"), map[string]any{"summary": "ok"})
	}
	var all taskList
	f.derive(t)
	agent.must(t, http.StatusOK, "GET", "/desks/north/followups?status=pending", nil).decode(t, &all)
	want := 0
	for _, task := range all.Tasks {
		if task.Role == ticket.RoleRepairLead && !task.NotBefore.After(f.clock.Now()) {
			want++
		}
	}
	if want == 0 {
		t.Fatalf("F3: no ready repair-lead revisit among %d tasks; the test needs one", len(all.Tasks))
	}
	var got taskList
	f.as(chen, ticket.RoleRepairLead).must(t, http.StatusOK, "POST", "/desks/north/followups/claim",
		map[string]any{"n": 50, "role": "repair_lead"}).decode(t, &got)
	if len(got.Tasks) != want {
		t.Errorf("claimed %d, want the %d ready repair-lead tasks", len(got.Tasks), want)
	}
	for _, task := range got.Tasks {
		if task.Role != ticket.RoleRepairLead {
			t.Errorf("task %s of role %s handed to the repair lead", task.ID, task.Role)
		}
	}
}
