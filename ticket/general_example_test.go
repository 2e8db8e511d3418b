package ticket_test

import (
	"context"
	"fmt"
	"time"

	"github.com/servicedesk-go/desk/calendar"
	"github.com/servicedesk-go/desk/ticket"
)

// A general support desk: priorities with SLA targets in the business
// hours of the desk's calendar, and clocks that pause while the ticket
// waits for the customer.
func ExampleGeneralDesk() {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	cal, _ := calendar.New(calendar.Config{Zone: berlin,
		Hours: calendar.Week{Workday: []calendar.Span{{Start: 9 * time.Hour, End: 17 * time.Hour}}}})
	pol := ticket.GeneralDesk()
	pol.Calendar = cal                                // SLA targets in business hours
	now := time.Date(2026, 3, 2, 16, 0, 0, 0, berlin) // Monday 16:00
	desk, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "help", Policy: &pol,
		Authorizer: ticket.GeneralRoles(), Now: func() time.Time { return now }})
	ctx, ann := context.Background(), ticket.Actor{ID: "ann", Role: ticket.RoleAgent}

	tk, _ := desk.Receive(ctx, ann, ticket.Intake{Kind: ticket.Incident, Channel: ticket.Email,
		Subject: "Cannot log in", Description: "Since this morning the portal refuses my password.",
		Priority: ticket.PriorityHigh, Tags: []string{"portal"}})
	first, _ := tk.Deadline(ticket.DeadlineFirstResponse)
	fmt.Println("first response due:", first.Due.Format("Mon 15:04"))

	now = now.Add(30 * time.Minute)
	tk, _ = desk.Wait(ctx, ann, tk.Ref(), "asked for the user name") // the clocks stop
	now = time.Date(2026, 3, 3, 10, 0, 0, 0, berlin)
	tk, _ = desk.Resume(ctx, ann, tk.Ref(), "customer replied") // 1 h 30 min of business time later
	first, _ = tk.Deadline(ticket.DeadlineFirstResponse)
	fmt.Println("after the wait:", first.Due.Format("Mon 15:04"))
	// Output:
	// first response due: Tue 10:00
	// after the wait: Tue 11:30
}

// A deadline that passes escalates by itself: EscalateDue (run in the
// background by runner.Escalate) raises the ticket one level per passed
// clock, once, and the escalate event in the outbox names the role to
// notify.
func ExampleService_EscalateDue() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	pol := ticket.GeneralDesk() // no calendar: wall-clock targets
	desk, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "help", Policy: &pol,
		Authorizer: ticket.GeneralRoles(), Now: func() time.Time { return now }})
	ctx := context.Background()
	tk, _ := desk.Receive(ctx, ticket.Actor{ID: "ann", Role: ticket.RoleAgent}, ticket.Intake{
		Kind: ticket.Incident, Channel: ticket.Phone, Priority: ticket.PriorityUrgent})

	now = now.Add(2 * time.Hour) // the 1-hour first response passed
	system := ticket.Actor{ID: "escalation", Role: ticket.RoleSystem}
	n, _ := desk.EscalateDue(ctx, system, 100)
	again, _ := desk.EscalateDue(ctx, system, 100)
	tk, _ = desk.Get(ctx, tk.ID)
	events, _ := desk.Pending(ctx, "notifier", 10)
	last := events[len(events)-1]
	fmt.Println(n, again, tk.Escalation.Level, last.Action, last.Data["deadline"], last.Data["notify"])
	// Output: 1 0 1 escalate first_response supervisor
}

// Priorities and tags: change them as the work goes, and list by them.
func ExampleService_Tag() {
	pol := ticket.GeneralDesk()
	desk, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "help", Policy: &pol, Authorizer: ticket.GeneralRoles()})
	ctx, ann := context.Background(), ticket.Actor{ID: "ann", Role: ticket.RoleAgent}
	tk, _ := desk.Receive(ctx, ann, ticket.Intake{Kind: ticket.Request, Channel: ticket.Email,
		Subject: "New laptop", Tags: []string{"Hardware"}})
	tk, _ = desk.Tag(ctx, ann, tk.Ref(), []string{"onboarding"}, nil)
	tk, _ = desk.SetPriority(ctx, ann, tk.Ref(), ticket.PriorityHigh, "starts on Monday")
	found, _ := desk.List(ctx, ticket.Filter{Priorities: []ticket.Priority{ticket.PriorityHigh}, Tags: []string{"hardware"}})
	fmt.Println(tk.Priority, tk.Tags, len(found))
	// Output: high [hardware onboarding] 1
}
