package runner_test

import (
	"context"
	"fmt"
	"time"

	"github.com/servicedesk-go/desk/runner"
	"github.com/servicedesk-go/desk/ticket"
)

// The escalation runner raises tickets whose SLA clocks passed; run it
// in every process of the desk, it escalates each clock once.
func ExampleEscalate() {
	now := time.Now()
	pol := ticket.GeneralDesk()
	desk, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "help", Policy: &pol,
		Authorizer: ticket.GeneralRoles(), Now: func() time.Time { return now }})
	tk, _ := desk.Receive(context.Background(), ticket.Actor{ID: "ann", Role: ticket.RoleAgent},
		ticket.Intake{Kind: ticket.Incident, Channel: ticket.Phone, Priority: ticket.PriorityUrgent})
	now = now.Add(2 * time.Hour) // the first response (1 h) has passed

	r, _ := runner.Escalate(runner.Config{Interval: 10 * time.Millisecond},
		ticket.Actor{ID: "escalation", Role: ticket.RoleSystem}, desk)
	ctx, stop := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer stop()
	_ = r.Run(ctx)

	tk, _ = desk.Get(context.Background(), tk.ID)
	fmt.Println("level", tk.Escalation.Level, "-", tk.Escalation.Reason[:len("first_response")])
	// Output: level 1 - first_response
}
