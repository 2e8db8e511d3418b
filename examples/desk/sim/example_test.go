package sim_test

import (
	"context"
	"fmt"
	"time"

	"github.com/servicedesk-go/desk/examples/desk/sim"
	"github.com/servicedesk-go/desk/ticket"
)

// A CRM's test runs a week at its desk, with its policy, on its store,
// and asserts on the measures K1–K5.
func Example() {
	policy := ticket.PropertyDesk()
	policy.Dispatch = ticket.Within(10 * time.Minute) // our desk gives ten minutes (T5)
	store := ticket.NewMemStore()                     // or the CRM's own ticket.Store

	rep, err := sim.Run(context.Background(), sim.Config{
		Seed:     42,
		Start:    time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		Days:     7,
		Policies: sim.Policies{Tickets: &policy},
		Stores:   sim.Stores{Tickets: store},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := rep.Followups
	fmt.Println("K1 customers reached on most follow-ups:", f.Reached.Rate > 0.9)
	fmt.Println("K2 every agent reviewed:", target(rep, "K2").Status)
	fmt.Println("K3 one monthly summary:", len(rep.Monthly))
	fmt.Println("K4 satisfaction between 3 and 5:", f.Satisfaction >= 3 && f.Satisfaction <= 5)
	fmt.Println("K5 daily counts add up:", sum(rep.Daily) == rep.Tickets.Total)
	// Output:
	// K1 customers reached on most follow-ups: true
	// K2 every agent reviewed: met
	// K3 one monthly summary: 1
	// K4 satisfaction between 3 and 5: true
	// K5 daily counts add up: true
}

func target(r *sim.Report, rule string) sim.Target {
	for _, t := range r.Targets {
		if t.Rule == rule {
			return t
		}
	}
	return sim.Target{}
}

func sum(ps []sim.Period) (n int) {
	for _, p := range ps {
		n += p.Total
	}
	return n
}
