package tickettest

import (
	"context"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// testServiceLifecycle drives a whole lifecycle through the service on
// the store, so adapters are checked with the values the service writes.
func testServiceLifecycle(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	now := T0
	svc := deskService(t, s, nil, &now)
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	tk, err := svc.Receive(ctx, agent, ticket.Intake{Kind: ticket.Repair, Category: "leak", Channel: ticket.Phone,
		Fields: map[string]string{"person": "Wang", "phone": "138", "location": "3-201", "item": "pipe"}})
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() (*ticket.Ticket, error){
		func() (*ticket.Ticket, error) {
			return svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: "zhao", Due: now.Add(time.Hour)})
		},
		func() (*ticket.Ticket, error) {
			return svc.Resolve(ctx, ticket.Actor{ID: "zhao", Role: ticket.RoleDepartment}, tk.Ref(), "pipe replaced")
		},
		func() (*ticket.Ticket, error) { return svc.Answer(ctx, agent, tk.Ref(), "told") },
		func() (*ticket.Ticket, error) { return svc.Accept(ctx, agent, tk.Ref(), "") },
		func() (*ticket.Ticket, error) {
			return svc.RecordRevisit(ctx, ticket.Actor{ID: "chen", Role: ticket.RoleRepairLead}, tk.Ref(), ticket.RevisitOutcome{Passed: true})
		},
	}
	want := []ticket.State{ticket.Dispatched, ticket.Resolved, ticket.Answered, ticket.Revisit, ticket.Closed}
	for i, step := range steps {
		now = now.Add(time.Minute)
		if tk, err = step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if tk.State != want[i] {
			t.Fatalf("step %d: state %s, want %s", i, tk.State, want[i])
		}
	}
	got, err := svc.Get(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 6 || got.State != ticket.Closed || got.Owner != "li" || got.Assignee != "zhao" ||
		got.Resolution == nil || got.Resolution.Resolver != "zhao" || !got.Revisit.Passed {
		t.Fatalf("stored ticket %+v", got)
	}
	for _, d := range got.Deadlines {
		if d.Open() {
			t.Errorf("deadline %s still open on a closed ticket", d.Name)
		}
	}
	h, _ := svc.History(ctx, tk.ID)
	if len(h) != 6 || h[5].To != ticket.Closed || h[2].Data["resolver"] != "zhao" {
		t.Fatalf("history %+v", h)
	}
}
