package followup_test

import (
	"context"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// TestRevisitNotReachedKeepsTicketWaiting: a revisit call that does not
// reach the customer is tried again later; it is no outcome for the
// ticket, which keeps waiting for its revisit (F2, F10) instead of being
// reopened as if the revisit had found a problem (T13). Tasks without a
// ticket complete without touching tickets.
func TestRevisitNotReachedKeepsTicketWaiting(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tickets, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "d1", Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	store := followup.NewMemStore()
	d, _ := followup.NewDeriver(store, followup.DeriverConfig{Desk: "d1", Rules: followup.PropertyRules(1), Calendar: followup.AnyTime{}, Now: clock})
	q, _ := followup.NewQueue(store, followup.QueueConfig{Desk: "d1", Tickets: tickets, Calendar: followup.AnyTime{}, Now: clock})
	sync, _ := followup.NewTicketSync(tickets, d, q, tickets)

	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	tk, err := tickets.Receive(ctx, li, ticket.Intake{Kind: ticket.Repair, Category: followup.Leak, Channel: ticket.Phone,
		Fields: map[string]string{"person": "w", "phone": "1", "location": "3-201", "item": "pipe"}})
	if err != nil {
		t.Fatal(err)
	}
	ref := ticket.Ref{ID: tk.ID}
	steps := []func() (*ticket.Ticket, error){
		func() (*ticket.Ticket, error) {
			return tickets.Dispatch(ctx, li, ref, ticket.Assignment{Department: "eng"})
		},
		func() (*ticket.Ticket, error) {
			return tickets.Resolve(ctx, ticket.Actor{ID: "z", Role: ticket.RoleDepartment}, ref, "fixed")
		},
		func() (*ticket.Ticket, error) { return tickets.Answer(ctx, li, ref, "") },
		func() (*ticket.Ticket, error) { return tickets.Accept(ctx, li, ref, "") },
	}
	for _, step := range steps {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sync.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	revisits, _ := q.List(ctx, followup.Filter{Ticket: tk.ID, Rule: "F2.leak"})
	if len(revisits) != 1 {
		t.Fatalf("%d F2.leak tasks", len(revisits))
	}
	role := revisits[0].Role
	now = now.Add(time.Hour)
	claimed, err := q.Claim(ctx, "w1", role, 10)
	if err != nil || len(claimed) == 0 {
		t.Fatalf("claim: %v, %d", err, len(claimed))
	}
	var task *followup.Task
	for _, c := range claimed {
		if c.ID == revisits[0].ID {
			task = c
		}
	}
	if task == nil {
		t.Fatal("revisit task not claimed")
	}
	by := ticket.Actor{ID: "w1", Role: role}
	after, err := q.Complete(ctx, task, followup.Outcome{Result: followup.NotReached, By: by, Note: "no answer"})
	if err != nil {
		t.Fatalf("not reached: %v", err)
	}
	if after.Status != followup.Pending {
		t.Fatalf("task after a first failed attempt is %s, want pending", after.Status)
	}
	got, _ := tickets.Get(ctx, tk.ID)
	if got.State != ticket.Revisit {
		t.Fatalf("ticket is %s after an unanswered call, want still waiting in revisit", got.State)
	}
	// Later the customer is reached and the revisit passes.
	now = now.Add(24 * time.Hour)
	again, err := q.Claim(ctx, "w1", role, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range again {
		if c.ID != task.ID {
			continue
		}
		if _, err := q.Complete(ctx, c, followup.Outcome{Result: followup.Reached, By: by, Checked: c.Checklist, SignedBy: "sig:1", Satisfaction: 5}); err != nil {
			t.Fatal(err)
		}
	}
	got, _ = tickets.Get(ctx, tk.ID)
	if got.State != ticket.Closed {
		t.Fatalf("ticket is %s after the revisit reached the customer, want closed", got.State)
	}
	// A task without a ticket, not reached, completes without touching tickets.
	tasks, err := d.Derive(ctx, followup.Trigger{Kind: followup.Birthday, Desk: "d1", Key: "bday:c1", Subject: "c1", At: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, bt := range tasks {
		cl, err := q.Claim(ctx, "w2", bt.Role, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cl {
			if c.ID == bt.ID {
				if _, err := q.Complete(ctx, c, followup.Outcome{Result: followup.NotReached, By: ticket.Actor{ID: "w2", Role: bt.Role}, Note: "no answer"}); err != nil {
					t.Fatalf("not reached on a task without a ticket: %v", err)
				}
			}
		}
	}
}
