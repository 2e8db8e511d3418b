package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/examples/desk/sim"
	"github.com/servicedesk-go/desk/ticket"
)

// A week at a general support desk (ticket.GeneralDesk): requests by
// e-mail and phone with every priority, SLA clocks paused while
// tickets wait for the customer, and escalations made by the desk's
// automatic escalation (the system role, naming the role to notify)
// besides the agents' own (T6, rejected twice); the report measures the SLA
// clocks and none of the T rules the preset leaves off.
func TestGeneric_week(t *testing.T) {
	ctx := context.Background()
	s, err := sim.New(ctx, sim.Config{Kind: sim.Generic, Seed: 3, Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	svc := s.Tickets()
	all, err := svc.List(ctx, ticket.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	channels, priorities := map[ticket.Channel]int{}, map[ticket.Priority]int{}
	waits, resumes, auto := 0, 0, 0
	for _, tk := range all {
		channels[tk.Channel]++
		priorities[tk.Priority]++
		h, err := svc.History(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range h {
			switch {
			case e.Action == ticket.ActWait:
				waits++
			case e.Action == ticket.ActResume:
				resumes++
			case e.Action == ticket.ActEscalate && e.Data["auto"] == "true":
				auto++
				if e.Role != ticket.RoleSystem || e.Data["notify"] == "" || e.Data["deadline"] == "" {
					t.Errorf("case %d: automatic escalation by %s (%s), data %v", tk.Number, e.Actor, e.Role, e.Data)
				}
			}
		}
	}
	if channels[ticket.Email] == 0 || channels[ticket.Phone] == 0 || len(channels) != 2 {
		t.Errorf("channels %v, want e-mail and phone", channels)
	}
	if len(priorities) != 4 {
		t.Errorf("priorities %v, want all four", priorities)
	}
	if waits == 0 || resumes == 0 || auto == 0 {
		t.Errorf("%d waits, %d resumes, %d automatic escalations; want some of each", waits, resumes, auto)
	}
	rules := map[string]int{}
	for _, tg := range rep.Targets {
		rules[tg.Rule]++
	}
	if rules["SLA"] != 2 || rules["T5"] != 0 || rules["T7a"] != 0 || rules["T13"] != 0 {
		t.Errorf("targets by rule %v; want the two SLA clocks and no T5, T7a or T13", rules)
	}
	t.Logf("%d tickets, channels %v, priorities %v, %d waits, %d automatic escalations", len(all), channels, priorities, waits, auto)
}
