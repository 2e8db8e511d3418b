package ticket_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// A repair from the phone to the revisit: the receiver owns it, a
// plumber resolves it, the customer accepts, and the revisit closes it.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, err := ticket.New(ticket.NewMemStore(), ticket.Config{
		Desk: "harbour-view",
		Now:  func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	zhao := ticket.Actor{ID: "zhao", Role: ticket.RoleDepartment}
	chen := ticket.Actor{ID: "chen", Role: ticket.RoleRepairLead}

	tk, _ := svc.Receive(ctx, li, ticket.Intake{
		Kind: ticket.Repair, Category: "leak", Channel: ticket.Phone,
		Fields: map[string]string{"person": "Wang", "phone": "13800000000", "location": "3-201", "item": "kitchen pipe"},
	})
	fmt.Println("case", tk.Number, tk.State, "owner", tk.Owner)

	now = now.Add(2 * time.Minute)
	tk, _ = svc.Dispatch(ctx, li, tk.Ref(), ticket.Assignment{Assignee: "zhao", Department: "engineering"})
	tk, _ = svc.Resolve(ctx, zhao, tk.Ref(), "pipe joint replaced")
	tk, _ = svc.Answer(ctx, li, tk.Ref(), "told Mr Wang")
	tk, _ = svc.Accept(ctx, li, tk.Ref(), "")
	fmt.Println(tk.State, "owner", tk.Owner, "assignee", tk.Assignee)

	tk, _ = svc.RecordRevisit(ctx, chen, tk.Ref(), ticket.RevisitOutcome{Passed: true, Note: "dry"})
	fmt.Println(tk.State)

	history, _ := svc.History(ctx, tk.ID)
	for _, e := range history {
		fmt.Printf("%d %-13s %s → %s by %s\n", e.Seq, e.Action, e.From, e.To, e.Actor)
	}
	// Output:
	// case 1 received owner li
	// revisit owner li assignee zhao
	// closed
	// 1 receive        → received by li
	// 2 dispatch      received → dispatched by li
	// 3 resolve       dispatched → resolved by zhao
	// 4 answer        resolved → answered by li
	// 5 await_revisit answered → revisit by li
	// 6 revisit_pass  revisit → closed by chen
}

// Overdue lists tickets past their deadlines with the rule and how far,
// most overdue first, a page at a time: the Cursor of a page's last
// entry asks for the next page.
func ExampleService_Overdue() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "north", Now: func() time.Time { return now }})
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	for range 3 {
		svc.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
		now = now.Add(time.Minute)
	}

	now = now.Add(5 * time.Minute)
	q := ticket.OverdueQuery{Limit: 2}
	for {
		page, _ := svc.Overdue(ctx, q)
		if len(page) == 0 {
			break
		}
		fmt.Println("page:")
		for _, o := range page {
			fmt.Println(o.Ticket.Number, o.Rule, o.Deadline, "overdue by", o.By)
		}
		q.After = page[len(page)-1].Cursor()
	}
	// Output:
	// page:
	// 1 T5 dispatch overdue by 5m0s
	// 2 T5 dispatch overdue by 4m0s
	// page:
	// 3 T5 dispatch overdue by 3m0s
}

// A request missing what a step needs is recorded, and the step names
// what to complete (T2).
func ExampleMissingFieldsError() {
	ctx := context.Background()
	svc, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "north"})
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	tk, _ := svc.Receive(ctx, li, ticket.Intake{Kind: ticket.Repair, Channel: ticket.Phone,
		Fields: map[string]string{"item": "door lock"}})
	fmt.Println("recorded, missing:", tk.Missing)

	_, err := svc.Dispatch(ctx, li, tk.Ref(), ticket.Assignment{Department: "engineering"})
	fmt.Println(err)
	// Output:
	// recorded, missing: [person phone location]
	// ticket: dispatch needs fields location; complete the intake first
}

// The lifecycle diagram, drawn from the declaration the service runs.
func ExampleDiagram() {
	fmt.Print(ticket.Diagram())
	// Output:
	// stateDiagram-v2
	//     [*] --> received
	//     answered --> closed: accept
	//     answered --> revisit: await_revisit
	//     answered --> reopened: reject
	//     closed --> reopened: reopen
	//     dispatched --> cancelled: cancel
	//     dispatched --> resolved: resolve
	//     received --> cancelled: cancel
	//     received --> dispatched: dispatch
	//     received --> answered: resolve_on_spot
	//     reopened --> cancelled: cancel
	//     reopened --> dispatched: dispatch
	//     resolved --> answered: answer
	//     revisit --> reopened: revisit_fail
	//     revisit --> closed: revisit_pass
}

// A department sees what is assigned to it (T4): Filter.Department
// lists its tickets, read through an index in every store.
func ExampleFilter_department() {
	ctx := context.Background()
	svc, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "north"})
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	for i, dep := range []string{"engineering", "cleaning", "engineering"} {
		tk, _ := svc.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
		svc.Dispatch(ctx, li, tk.Ref(), ticket.Assignment{Assignee: fmt.Sprint("worker-", i), Department: dep})
	}
	mine, _ := svc.List(ctx, ticket.Filter{Department: "engineering"})
	for _, tk := range mine {
		fmt.Println(tk.Number, tk.Assignee, tk.Department)
	}
	// Output:
	// 1 worker-0 engineering
	// 3 worker-2 engineering
}

// ReceiveBatch receives intakes that arrive together (a web service
// gathering concurrent requests, an import of a morning's voicemail) in
// one write: on PostgreSQL one round trip and one commit for all of
// them. Each receipt is checked on its own; a refused one does not stop
// the others.
func ExampleService_ReceiveBatch() {
	ctx := context.Background()
	svc, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "harbour-view"})
	if err != nil {
		panic(err)
	}
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	voicemail := ticket.Actor{ID: "voicemail", Role: ticket.RoleSystem}
	leak := map[string]string{"person": "Wang", "phone": "13800000000", "location": "3-201", "item": "pipe"}
	tickets, errs, err := svc.ReceiveBatch(ctx, []ticket.Receipt{
		{By: li, Intake: ticket.Intake{Kind: ticket.Repair, Category: "leak", Channel: ticket.Phone, Fields: leak}},
		{By: li, Intake: ticket.Intake{Kind: "teleport", Channel: ticket.Phone}},
		{By: voicemail, Intake: ticket.Intake{Kind: ticket.Repair, Category: "leak", Channel: ticket.Phone, Fields: leak}},
	})
	if err != nil {
		panic(err) // the store failed: nothing of the batch was written
	}
	for i, tk := range tickets {
		if errs[i] != nil {
			fmt.Println(i, "refused:", errors.Is(errs[i], ticket.ErrInvalid))
			continue
		}
		fmt.Printf("%d case %d owner %q\n", i, tk.Number, tk.Owner)
	}
	// Output:
	// 0 case 1 owner "li"
	// 1 refused: true
	// 2 case 2 owner ""
}
