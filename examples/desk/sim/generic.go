package sim

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// genericRoles is the general desk's authorizer (agent, supervisor,
// admin) joined with the staff roles the simulation's departments,
// lead and follow-up workers act in.
func genericRoles() ticket.RoleTable {
	rt := ticket.GeneralRoles()
	for a, roles := range ticket.DefaultRoles() {
		for _, r := range roles {
			if !slices.Contains(rt[a], r) {
				rt[a] = append(rt[a], r)
			}
		}
	}
	return rt
}

// escalator runs the general desk's automatic escalation.
var escalator = ticket.Actor{ID: "escalation", Role: ticket.RoleSystem}

// drawGeneric is a general support desk's request: a question,
// incident, request or complaint by e-mail or phone, with a priority.
func (s *Sim) drawGeneric() request {
	r := request{in: ticket.Intake{Customer: &ticket.Customer{ID: pick(s.rng, customers)}}}
	switch x := s.rng.Float64(); {
	case x < 0.4:
		r.in.Kind, r.dept, r.onSpot = ticket.Question, "finance", s.chance(0.5)
		r.in.Subject = pick(s.rng, []string{"How do I change my plan?", "Where is my invoice?", "Opening hours"})
	case x < 0.7:
		r.in.Kind, r.dept = ticket.Incident, "engineering"
		r.in.Subject = pick(s.rng, []string{"Cannot log in", "Portal is slow", "Payment failed"})
		r.in.Tags = []string{"outage"}
	case x < 0.9:
		r.in.Kind, r.dept = ticket.Request, "engineering"
		r.in.Subject = pick(s.rng, []string{"New user account", "Change of address", "Replacement card"})
	default:
		r.in.Kind, r.dept = ticket.Complaint, "security"
		r.in.Subject = "Unhappy with the last visit"
		r.in.Complaint = &ticket.ComplaintInfo{Class: pick(s.rng, []string{"service", "fees"}), Severity: ticket.Minor}
	}
	r.in.Description = "Customer's words: " + r.in.Subject
	r.in.Priority = pick(s.rng, []ticket.Priority{ticket.PriorityLow, ticket.PriorityNormal, ticket.PriorityNormal,
		ticket.PriorityNormal, ticket.PriorityHigh, ticket.PriorityUrgent})
	r.in.Channel = pick(s.rng, []ticket.Channel{ticket.Email, ticket.Email, ticket.Phone})
	return r
}

// handleGeneric: the owner replies first (the first-response SLA);
// a third of the requests need more from the customer, and the ticket
// waits (its SLA clocks pause) until the customer answers; then the
// work goes on as on every desk.
func (s *Sim) handleGeneric(owner ticket.Actor, ref ticket.Ref, r request) {
	if r.onSpot {
		s.handle(owner, ref, r)
		return
	}
	s.clock.after(s.minutes(5, 6*60), func(ctx context.Context) error {
		if _, err := s.tickets.Respond(ctx, owner, ref, ticket.Email, "thanks, we are on it"); err != nil {
			return err
		}
		if !s.chance(1.0 / 3) {
			s.handle(owner, ref, r)
			return nil
		}
		if _, err := s.tickets.Wait(ctx, owner, ref, "asked the customer for details"); err != nil {
			return err
		}
		s.clock.after(s.minutes(30, 2*24*60), func(ctx context.Context) error {
			if _, err := s.tickets.Resume(ctx, owner, ref, "the customer answered"); err != nil {
				return err
			}
			s.handle(owner, ref, r)
			return nil
		})
		return nil
	})
}

// scheduleEscalations runs the general desk's automatic escalation
// every quarter of an hour of the day, as runner.Escalate would.
func (s *Sim) scheduleEscalations(day time.Time) {
	for t := day; t.Before(day.Add(24 * time.Hour)); t = t.Add(15 * time.Minute) {
		s.clock.at(t, func(ctx context.Context) error {
			if _, err := s.tickets.EscalateDue(ctx, escalator, 0); err != nil {
				return fmt.Errorf("automatic escalation: %w", err)
			}
			return nil
		})
	}
}
