package followup_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// Month arithmetic clamps to the end of a shorter month.
func ExampleAddMonths() {
	jan31 := time.Date(2026, 1, 31, 10, 0, 0, 0, time.UTC)
	fmt.Println(followup.AddMonths(jan31, 1).Format("2006-01-02"))
	fmt.Println(followup.AddMonths(jan31, 3).Format("2006-01-02"))
	// Output:
	// 2026-02-28
	// 2026-04-30
}

// A car delivered on 31 January: the F9 cadence derives a 7-day call
// that grades the customer and a call one calendar month later.
func ExampleDeriver_Derive() {
	cst := time.FixedZone("CST", 8*3600)
	store := followup.NewMemStore()
	d, _ := followup.NewDeriver(store, followup.DeriverConfig{
		Desk:     "dealer",
		Rules:    followup.DealerRules(1),
		Calendar: followup.DefaultContactHours(cst),
	})
	tasks, _ := d.Derive(context.Background(), followup.Trigger{
		Kind: followup.VehicleDelivery, Key: "delivery:VIN0001", Subject: "customer:88",
		At: time.Date(2026, 1, 31, 16, 0, 0, 0, cst),
	})
	for _, t := range tasks {
		fmt.Printf("%s %s from %s due %s grade=%v\n", t.Rule, t.Channel,
			t.NotBefore.Format("01-02 15:04"), t.Due.Format("01-02 15:04"), t.Grade)
	}
	// Deriving again changes nothing.
	again, _ := d.Derive(context.Background(), followup.Trigger{
		Kind: followup.VehicleDelivery, Key: "delivery:VIN0001", Subject: "customer:88",
		At: time.Date(2026, 1, 31, 16, 0, 0, 0, cst),
	})
	all, _ := store.List(context.Background(), "dealer", followup.Filter{})
	fmt.Println(len(again), "tasks returned,", len(all), "stored")
	// Output:
	// F9.delivery_7d phone from 02-07 16:00 due 02-08 16:00 grade=true
	// F9.delivery_1m phone from 02-28 16:00 due 03-03 16:00 grade=false
	// 2 tasks returned, 2 stored
}

// The recipe for wiring tickets to follow-ups: a leak repair is resolved,
// the revisit task appears through the outbox, the resident accepts, the
// repair lead visits, and the outcome closes the ticket.
func ExampleTicketSync() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	pol := ticket.PropertyDesk()
	tickets, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "d1", Policy: &pol, Now: clock})

	store := followup.NewMemStore()
	hours := followup.DefaultContactHours(time.UTC)
	d, _ := followup.NewDeriver(store, followup.DeriverConfig{Desk: "d1", Rules: followup.PropertyRules(1), Calendar: hours, Now: clock})
	q, _ := followup.NewQueue(store, followup.QueueConfig{Desk: "d1", Tickets: tickets, Calendar: hours, Now: clock})
	sync, _ := followup.NewTicketSync(tickets, d, q, tickets)

	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	lead := ticket.Actor{ID: "zhao", Role: ticket.RoleRepairLead}
	tk, _ := tickets.Receive(ctx, agent, ticket.Intake{Kind: ticket.Repair, Category: followup.Leak, Channel: ticket.Phone,
		Fields: map[string]string{ticket.FieldPerson: "r-201", ticket.FieldPhone: "ref:201", ticket.FieldLocation: "3-201", ticket.FieldItem: "pipe"}})
	ref := ticket.Ref{ID: tk.ID}
	tickets.Dispatch(ctx, agent, ref, ticket.Assignment{Assignee: "zhao"})
	tickets.Resolve(ctx, lead, ref, "pipe replaced")
	tickets.Answer(ctx, agent, ref, "told the resident")
	tk, _ = tickets.Accept(ctx, agent, ref, "accepted")
	fmt.Println("ticket:", tk.State)

	sync.Drain(ctx) // derive from the outbox, then acknowledge
	claimed, _ := q.Claim(ctx, "zhao", ticket.RoleRepairLead, 10)
	claimed = append(claimed, must(q.Claim(ctx, "chen", ticket.RoleDirector, 10))...)
	claimed = append(claimed, must(q.Claim(ctx, "wang", ticket.RoleAdministrator, 10))...)
	for _, t := range claimed {
		if t.Rule != "F2.leak" {
			continue
		}
		fmt.Println("task:", t.Rule, t.Channel, "due", t.Due.Format("01-02 15:04"))
		done, err := q.Complete(ctx, t, followup.Outcome{
			Result: followup.Reached, By: ticket.Actor{ID: t.Lease.Owner, Role: t.Role}, Channel: followup.OnSite,
			Checked: followup.RevisitChecklist(), SignedBy: "sig-201", Satisfaction: 5,
		})
		fmt.Println("outcome:", done.Status, err)
	}
	tk, _ = tickets.Get(ctx, tk.ID)
	fmt.Println("ticket:", tk.State)
	// Output:
	// ticket: revisit
	// task: F2.leak on_site due 03-05 10:00
	// outcome: done <nil>
	// ticket: closed
}

func must[T any](v T, _ error) T { return v }

// Choosing complaint revisits for a month (F5) and checking the result.
func ExampleSampling_Plan() {
	s := followup.F5Sampling(2026)
	var complaints []string
	for i := range 45 {
		complaints = append(complaints, fmt.Sprintf("complaint-%02d", i))
	}
	revisit, onSite := s.Plan(complaints)
	fmt.Println(len(revisit), "revisits,", len(onSite), "on site with a signature")
	fmt.Println(s.Check(len(complaints), len(revisit), len(onSite)))
	// Output:
	// 5 revisits, 2 on site with a signature
	// F5 complaints 45, revisited 5 (11.1%), on site signed 2 (40.0%), met true
}

// A month's report as a text table (F11, K1, K3).
func ExampleReport_Text() {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	due := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	tasks := []*followup.Task{{
		Desk: "d1", Rule: "F9.enquiry", Cites: "F9", Trigger: followup.Enquiry, Subject: "customer:7",
		Status: followup.Done, Due: due, ClosedAt: due.Add(-time.Hour),
		Outcome: &followup.Outcome{Result: followup.Reached, Satisfaction: 4},
	}}
	r := followup.BuildReport("d1", from, from.AddDate(0, 1, 0), tasks, tasks, followup.ReportOptions{})
	r.Text(os.Stdout)
	// Output:
	// follow-up report                 d1  2026-03-01 .. 2026-04-01
	// due                              1
	// revisit rate (K1)                1/1 100.0%
	// on time (K1, F11)                1/1 100.0%
	// complaint feedback on time (K1)  -
	// effective contact (F12)          1/1 100.0%  target 60%, met true
	// satisfaction (K4)                4.00        from 1 scores
	// F3 repairs 0, revisited 0, office_director 0 (0.0% of min 10%), property_administrator 0 (0.0% of min 30%), repair_lead 0 (0.0% of min 60%), met true
	// F5 complaints 0, revisited 0 (0.0%), on site signed 0 (0.0%), met true
	//
	// category  due  reached  problem  unreachable  cancelled  open  on time  satisfaction
	// enquiry   1    1        0        0            0          0     1        4.00 (1)
	//
	// rule        due  reached  problem  unreachable  cancelled  open  on time  satisfaction
	// F9.enquiry  1    1        0        0            0          0     1        4.00 (1)
	//
	// unreachable (F10)  0
}

// A customer asks to be forgotten (S1): one call erases their tickets
// and every follow-up about them. On PostgreSQL or SQLite pass the
// adapter's Store (followup.Stores) and it runs in one transaction.
func ExampleErase() {
	ctx := context.Background()
	tickets, tasks := ticket.NewMemStore(), followup.NewMemStore()
	svc, _ := ticket.New(tickets, ticket.Config{Desk: "north"})
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	lead := ticket.Actor{ID: "zhou", Role: ticket.RoleShiftLead}
	tk, _ := svc.Receive(ctx, agent, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone,
		Fields:   map[string]string{"person": "Wang", "phone": "13912345678", "event": "parking"},
		Customer: &ticket.Customer{ID: "crm-42", Name: "Wang", Phone: "13912345678"},
		Note:     "Wang asked about parking"})

	n, err := followup.Erase(ctx, followup.MemStores(tickets, tasks), svc, lead, "crm-42")
	fmt.Println(n.Tickets, err)
	h, _ := svc.History(ctx, tk.ID)
	fmt.Println(h[0].Note)
	fmt.Println(h[len(h)-1].Action, h[len(h)-1].Data["customer"])
	// Output:
	// 1 <nil>
	// [erased] asked about parking
	// erase crm-42
}

// A follow-up list read page by page: each page continues after the
// last task of the previous one (Filter.After), in due order.
func ExampleFilter_after() {
	cst := time.FixedZone("CST", 8*3600)
	store := followup.NewMemStore()
	d, _ := followup.NewDeriver(store, followup.DeriverConfig{
		Desk:     "dealer",
		Rules:    followup.DealerRules(1),
		Calendar: followup.DefaultContactHours(cst),
	})
	for i := range 3 {
		_, _ = d.Derive(context.Background(), followup.Trigger{
			Kind: followup.VehicleDelivery, Key: fmt.Sprintf("delivery:VIN%04d", i), Subject: "customer:88",
			At: time.Date(2026, 1, 10+i, 16, 0, 0, 0, cst),
		})
	}
	f := followup.Filter{Limit: 4}
	for page := 1; ; page++ {
		tasks, _ := store.List(context.Background(), "dealer", f)
		for _, t := range tasks {
			fmt.Printf("page %d: %s due %s\n", page, t.Rule, t.Due.Format("01-02"))
		}
		if len(tasks) < f.Limit {
			break
		}
		f.After = tasks[len(tasks)-1].Cursor()
	}
	// Output:
	// page 1: F9.delivery_7d due 01-18
	// page 1: F9.delivery_7d due 01-19
	// page 1: F9.delivery_7d due 01-20
	// page 1: F9.delivery_1m due 02-13
	// page 2: F9.delivery_1m due 02-14
	// page 2: F9.delivery_1m due 02-15
}

// An import of follow-up tasks (here from another system's call list)
// goes in with CreateTasks: one round trip on a store that creates in
// batches (the SQL adapters), one Create after another on others. An
// import run twice creates nothing twice: each task already stored is
// its own ErrDuplicate, and the others are created.
func ExampleCreateTasks() {
	ctx := context.Background()
	store := followup.NewMemStore()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	call := func(customer string) *followup.Task {
		key := "import:" + customer
		return &followup.Task{ID: followup.TaskID("north", key, "F13.care"), Desk: "north", Rule: "F13.care", Cites: "F13",
			Trigger: followup.CareCall, Key: key, Subject: "customer:" + customer, Channel: followup.Phone,
			Role: ticket.RoleAgent, NotBefore: at, Due: at.Add(72 * time.Hour), MaxAttempts: 3, Status: followup.Pending}
	}
	for _, list := range [][]string{{"c1", "c2"}, {"c2", "c3"}} {
		var ts []*followup.Task
		for _, c := range list {
			ts = append(ts, call(c))
		}
		errs, err := followup.CreateTasks(ctx, store, ts)
		if err != nil {
			fmt.Println(err)
			return
		}
		for i, e := range errs {
			fmt.Printf("%s: duplicate %v\n", list[i], errors.Is(e, followup.ErrDuplicate))
		}
	}
	stored, _ := store.List(ctx, "north", followup.Filter{})
	fmt.Println(len(stored), "tasks stored")
	// Output:
	// c1: duplicate false
	// c2: duplicate false
	// c2: duplicate true
	// c3: duplicate false
	// 3 tasks stored
}

// A worker that goes on working completes a task and claims its next in
// one call (on PostgreSQL: one transaction, one commit).
func ExampleQueue_CompleteAndClaim() {
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	store := followup.NewMemStore()
	for i, key := range []string{"ticket:1", "ticket:2"} {
		_ = store.Create(ctx, &followup.Task{ID: followup.TaskID("desk", key, "F7.call"), Desk: "desk", Rule: "F7.call",
			Cites: "F7", Trigger: followup.TicketAnswered, Key: key, Subject: "customer", Channel: followup.Phone,
			Role: ticket.RoleAgent, NotBefore: at, Due: at.Add(time.Duration(i+1) * time.Hour), MaxAttempts: 1,
			Status: followup.Pending})
	}
	q, _ := followup.NewQueue(store, followup.QueueConfig{Desk: "desk", Calendar: followup.AnyTime{},
		Now: func() time.Time { return at }})
	me := ticket.Actor{ID: "ana", Role: ticket.RoleAgent}
	ts, _ := q.Claim(ctx, me.ID, "", 1)
	for len(ts) > 0 {
		done, next, err := q.CompleteAndClaim(ctx, ts[0], followup.Outcome{Result: followup.Reached, By: me}, me.ID, "", 1)
		if err != nil {
			fmt.Println(err) // this task only; next still holds the claimed ones
		} else {
			fmt.Println(done.Key, done.Status)
		}
		ts = next
	}
	// Output:
	// ticket:1 done
	// ticket:2 done
}
