package ticket_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

var escalator = ticket.Actor{ID: "escalation", Role: ticket.RoleSystem}

// TestEscalateDue/T6_passed_SLA_escalates_once_per_clock_and_level: an
// urgent ticket whose first response passes is raised to level 1
// (supervisors notified, reassigned as the step says); when its
// resolution passes too, to level 2 (admins); calling again changes
// nothing; a paused clock does not escalate.
func TestEscalateDue(t *testing.T) {
	ctx := context.Background()
	t.Run("T6_passed_SLA_escalates_once_per_clock_and_level", func(t *testing.T) {
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		p := ticket.GeneralDesk()
		p.Escalation.Steps[0].Assignee = "sup-1"
		svc, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "help", Policy: &p, Authorizer: ticket.GeneralRoles(), Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		tk, _ := svc.Receive(ctx, agentAnn, ticket.Intake{Kind: ticket.Incident, Channel: ticket.Email, Priority: ticket.PriorityUrgent})
		waiting, _ := svc.Receive(ctx, agentAnn, ticket.Intake{Kind: ticket.Incident, Channel: ticket.Email, Priority: ticket.PriorityUrgent})
		if _, err := svc.Wait(ctx, agentAnn, waiting.Ref(), "need logs"); err != nil {
			t.Fatal(err)
		}
		if n, err := svc.EscalateDue(ctx, escalator, 0); err != nil || n != 0 {
			t.Fatalf("before any deadline: %d escalations, %v", n, err)
		}
		now = now.Add(90 * time.Minute) // first response (1 h) passed
		if n, err := svc.EscalateDue(ctx, escalator, 0); err != nil || n != 1 {
			t.Fatalf("after the first response passed: %d escalations, %v; want 1", n, err)
		}
		if n, _ := svc.EscalateDue(ctx, escalator, 0); n != 0 {
			t.Fatalf("called again: %d escalations, want 0", n)
		}
		got, _ := svc.Get(ctx, tk.ID)
		if got.Escalation.Level != 1 || got.Assignee != "sup-1" {
			t.Fatalf("level %d, assignee %q; want 1 and sup-1", got.Escalation.Level, got.Assignee)
		}
		now = now.Add(3 * time.Hour) // resolution (4 h) passed
		if n, _ := svc.EscalateDue(ctx, escalator, 0); n != 1 {
			t.Fatalf("after the resolution passed: %d escalations, want 1", n)
		}
		now = now.Add(24 * time.Hour)
		if n, _ := svc.EscalateDue(ctx, escalator, 0); n != 0 {
			t.Fatalf("at the last step: %d escalations, want 0", n)
		}
		h, _ := svc.History(ctx, tk.ID)
		var esc []map[string]string
		for _, e := range h {
			if e.Action == ticket.ActEscalate {
				esc = append(esc, e.Data)
			}
		}
		if len(esc) != 2 || esc[0]["deadline"] != "first_response" || esc[0]["level"] != "1" || esc[0]["notify"] != "supervisor" ||
			esc[0]["assignee"] != "sup-1" || esc[1]["deadline"] != "resolution" || esc[1]["level"] != "2" || esc[1]["notify"] != "admin" {
			t.Fatalf("escalate events %v", esc)
		}
		if w, _ := svc.Get(ctx, waiting.ID); w.Escalation.Level != 0 {
			t.Errorf("a ticket waiting for the customer escalated to %d", w.Escalation.Level)
		}
		events, _ := svc.Pending(ctx, "notifier", 100)
		notified := 0
		for _, e := range events {
			if e.Action == ticket.ActEscalate && e.Data["notify"] != "" {
				notified++
			}
		}
		if notified != 2 {
			t.Errorf("%d escalations in the outbox, want 2", notified)
		}
	})

	// Eight services (as eight processes would) escalate the same store
	// at once: every ticket is escalated exactly once per clock and level.
	t.Run("T6_concurrent_runners_never_escalate_twice", func(t *testing.T) {
		store := ticket.NewMemStore()
		start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		now := start
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		p := ticket.GeneralDesk()
		mk := func() *ticket.Service {
			s, err := ticket.New(store, ticket.Config{Desk: "help", Policy: &p, Authorizer: ticket.GeneralRoles(), Now: clock})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		seed := mk()
		const tickets = 60
		for i := range tickets {
			if _, err := seed.Receive(ctx, agentAnn, ticket.Intake{Kind: ticket.Incident, Channel: ticket.Email,
				Subject: fmt.Sprint("case ", i), Priority: ticket.PriorityUrgent}); err != nil {
				t.Fatal(err)
			}
		}
		mu.Lock()
		now = start.Add(5 * time.Hour) // both clocks passed
		mu.Unlock()
		var wg sync.WaitGroup
		counts := make([]int, 8)
		for w := range counts {
			s := mk()
			wg.Go(func() {
				for {
					n, err := s.EscalateDue(ctx, escalator, 7)
					if err != nil {
						t.Error(err)
						return
					}
					counts[w] += n
					if n == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		total := 0
		for _, n := range counts {
			total += n
		}
		if total != 2*tickets {
			t.Fatalf("%d escalations by %v, want %d (two clocks per ticket)", total, counts, 2*tickets)
		}
		list, _ := seed.List(ctx, ticket.Filter{})
		for _, tk := range list {
			h, _ := seed.History(ctx, tk.ID)
			seen := map[string]bool{}
			for _, e := range h {
				if e.Action != ticket.ActEscalate {
					continue
				}
				key := e.Data["deadline"] + "/" + e.Data["level"]
				if seen[key] {
					t.Fatalf("case %d escalated twice for %s", tk.Number, key)
				}
				seen[key] = true
			}
			if tk.Escalation.Level != 2 || len(seen) != 2 {
				t.Fatalf("case %d: level %d after %d escalations, want 2 and 2", tk.Number, tk.Escalation.Level, len(seen))
			}
		}
	})
}
