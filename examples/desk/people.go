package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// setupRoster generates the a/b/c rotation (R2, R3) for the whole run,
// one three-week cycle after another, and publishes it. On a store
// that already has a roster for the desk, it keeps what is published and
// generates only the days after it, continuing from its last days.
func (s *Sim) setupRoster(ctx context.Context) error {
	rs := s.cfg.Rosters
	if rs == nil {
		rs = roster.NewMemStore()
	}
	s.roster = roster.New(rs, roster.Config{Now: s.clock, NewID: s.newID, Policy: roster.Policy{RequireApproval: true}})
	first := roster.DateOf(s.cfg.Start, s.loc)
	need := first.AddDays(s.cfg.Days + 2) // the settling days after the run
	view, err := s.roster.View(ctx, s.desk, s.cfg.Start.AddDate(0, 0, -30), s.cfg.Start.AddDate(0, 0, s.cfg.Days+400))
	if err != nil {
		return err
	}
	s.assigns = view.Assignments
	start := first
	var prev []roster.Assignment
	for _, a := range view.Assignments {
		if !a.Date.Before(start) {
			start = a.Date.AddDays(1)
		}
	}
	for _, a := range view.Assignments {
		if start.AddDays(-2).Before(a.Date) {
			prev = append(prev, a)
		}
	}
	var fresh []roster.Assignment
	for day := start; day.Before(need); day = day.AddDays(21) {
		spec := roster.SeedSpec(s.desk, day, s.loc, s.agents...)
		spec.NewID = s.newID
		spec.Previous = prev
		plan, err := roster.Generate(spec)
		if err != nil {
			return err
		}
		s.unfilled += len(plan.Unfilled)
		fresh = append(fresh, plan.Assignments...)
		prev = plan.Assignments
	}
	s.assigns = append(s.assigns, fresh...)
	if len(fresh) == 0 {
		return nil
	}
	return s.roster.Publish(ctx, s.desk, fresh)
}

// onDuty returns the agents working at t, in the roster's stable order,
// after swaps, leave and presence (R4, R5).
func (s *Sim) onDuty(ctx context.Context, t time.Time) ([]string, error) {
	l, err := s.roster.OnDuty(ctx, s.desk, t)
	if err != nil {
		return nil, err
	}
	return l.Agents(), nil
}

// firstContact picks the agent who receives a request at t: somebody on
// duty, or nobody (the request then waits unowned, T19).
func (s *Sim) firstContact(ctx context.Context, t time.Time) (ticket.Actor, bool, error) {
	on, err := s.onDuty(ctx, t)
	if err != nil || len(on) == 0 {
		return ticket.Actor{}, false, err
	}
	return ticket.Actor{ID: pick(s.rng, on), Role: ticket.RoleAgent}, true, nil
}

// nextOnDuty finds the first moment after t when somebody is on duty, in
// ten-minute steps, and who.
func (s *Sim) nextOnDuty(ctx context.Context, t time.Time) (time.Time, ticket.Actor, error) {
	for step := range 24 * 6 {
		at := t.Add(time.Duration(step) * 10 * time.Minute)
		a, ok, err := s.firstContact(ctx, at)
		if err != nil {
			return time.Time{}, ticket.Actor{}, err
		}
		if ok {
			return at, a, nil
		}
	}
	return t, s.lead, nil // nobody rostered for a day: the shift lead takes it
}

// scheduleDay plans the roster events of one day: on the second day a
// swap with the colleague's recorded consent and the lead's approval
// (R4); on the fourth an agent goes on leave for two days and hands over
// first (T15).
func (s *Sim) scheduleDay(day time.Time, index int) {
	switch index {
	case 1:
		s.at(day.Add(10*time.Hour), s.swapShift)
	case 3:
		s.at(day.Add(8*time.Hour), func(ctx context.Context) error { return s.goOnLeave(ctx, "agent-he", 2) })
	}
}

// swapShift: the first agent with a shift tomorrow asks a colleague to
// take it, the colleague consents with proof, the lead approves.
func (s *Sim) swapShift(ctx context.Context) error {
	tomorrow := roster.DateOf(s.now, s.loc).AddDays(1)
	for _, a := range s.assigns {
		if a.Date != tomorrow {
			continue
		}
		to := ""
		for _, other := range s.agents {
			if other != a.Agent && !s.worksOn(other, tomorrow) {
				to = other
				break
			}
		}
		if to == "" {
			continue
		}
		sw, err := s.roster.RequestSwap(ctx, s.desk, roster.SwapRequest{Assignment: a.ID, From: a.Agent, To: to, Reason: "family matter"})
		if err != nil {
			return err
		}
		if _, err := s.roster.Consent(ctx, s.desk, sw.ID, to, roster.Evidence{Kind: "chat message", Ref: "wechat:msg/" + sw.ID.String()[:8]}); err != nil {
			return err
		}
		if _, err := s.roster.Approve(ctx, s.desk, sw.ID, s.lead.ID); err != nil {
			return err
		}
		s.note("R4 swap: %s's %s shift on %s taken by %s, consent recorded, approved by %s", a.Agent, a.Shift, tomorrow, to, s.lead.ID)
		return nil
	}
	return nil
}

func (s *Sim) worksOn(agent string, d roster.Date) bool {
	return slices.ContainsFunc(s.assigns, func(a roster.Assignment) bool { return a.Agent == agent && a.Date == d })
}

// goOnLeave grants leave and hands the agent's open tickets to a
// colleague on duty first (T15); follow-ups the agent holds go back to
// the queue when their leases end.
func (s *Sim) goOnLeave(ctx context.Context, agent string, days int) error {
	open := []ticket.State{ticket.Received, ticket.Dispatched, ticket.Resolved, ticket.Answered, ticket.Revisit, ticket.Reopened}
	mine, err := s.tickets.List(ctx, ticket.Filter{Owner: agent, States: open})
	if err != nil {
		return err
	}
	to := ""
	for _, a := range s.agents {
		if a != agent {
			to = a
			break
		}
	}
	by := ticket.Actor{ID: agent, Role: ticket.RoleAgent}
	for _, t := range mine {
		if _, err := s.tickets.Handover(ctx, by, ticket.Ref{ID: t.ID}, to, "on leave from today"); err != nil {
			return err
		}
	}
	s.handedOvr += len(mine)
	if _, err := s.roster.GrantLeave(ctx, s.desk, agent, s.now, s.now.AddDate(0, 0, days), "annual leave"); err != nil {
		return err
	}
	s.note("T15 leave: %s away for %d days; %d open tickets handed over to %s", agent, days, len(mine), to)
	return nil
}

// coverage checks the service hours (R1) against the roster as it
// stands after swaps and leave.
func (s *Sim) coverage(ctx context.Context) (roster.CoverageReport, error) {
	return s.roster.Coverage(ctx, s.desk, s.loc, roster.SeedServiceHours(), roster.DateOf(s.cfg.Start, s.loc), s.cfg.Days)
}

func describeGap(g roster.Gap, loc *time.Location) string {
	return fmt.Sprintf("%s %s–%s (%s)", g.Date, g.Start.In(loc).Format("15:04"), clock24(g.End.In(loc), g.Start.In(loc)), g.Length())
}

// clock24 prints an end time, as 24:00 when it is the next midnight.
func clock24(end, start time.Time) string {
	if end.Hour() == 0 && end.Minute() == 0 && end.After(start) {
		return "24:00"
	}
	return end.Format("15:04")
}
