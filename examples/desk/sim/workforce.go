package sim

import (
	"context"
	"slices"
	"time"

	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// workforce is the people on the roster: the a/b/c rotation for the
// whole run (R2, R3), who is on duty when (R5), swaps and leave (R4,
// T15), and the phone line they answer (R8).
type workforce struct {
	sim      *Sim
	roster   *roster.Service
	assigns  []roster.Assignment
	unfilled int
	phone    phoneLine
}

func newWorkforce(ctx context.Context, s *Sim) (*workforce, error) {
	w := &workforce{sim: s, phone: phoneLine{free: map[string]time.Time{}, within: s.cfg.Policies.Service.AnswerWithin}}
	if err := w.setup(ctx); err != nil {
		return nil, err
	}
	return w, nil
}

// setupRoster generates the a/b/c rotation (R2, R3) for the whole run,
// one three-week cycle after another, and publishes it. On a store
// that already has a roster for the desk, it keeps what is published and
// generates only the days after it, continuing from its last days.
func (w *workforce) setup(ctx context.Context) error {
	s := w.sim
	rs := s.cfg.Stores.Rosters
	if rs == nil {
		rs = roster.NewMemStore()
	}
	var err error
	w.roster, err = roster.New(rs, roster.Config{Desk: s.cfg.Desk, Now: s.clock.clock, NewID: s.newID, Policy: &roster.Policy{RequireApproval: true}})
	if err != nil {
		return err
	}
	first := roster.DateOf(s.cfg.Start, s.loc)
	need := first.AddDays(s.cfg.Days + 2) // the settling days after the run
	view, err := w.roster.View(ctx, s.cfg.Start.AddDate(0, 0, -30), s.cfg.Start.AddDate(0, 0, s.cfg.Days+400))
	if err != nil {
		return err
	}
	w.assigns = view.Assignments
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
		spec := roster.SeedSpec(s.cfg.Desk, day, s.loc, s.staff.Agents...)
		spec.Calendar = s.cal
		spec.NewID = s.newID
		spec.Previous = prev
		plan, err := roster.Generate(spec)
		if err != nil {
			return err
		}
		w.unfilled += len(plan.Unfilled)
		fresh = append(fresh, plan.Assignments...)
		prev = plan.Assignments
	}
	w.assigns = append(w.assigns, fresh...)
	if len(fresh) == 0 {
		return nil
	}
	return w.roster.Publish(ctx, fresh)
}

// onDuty returns the agents working at t, in the roster's stable order,
// after swaps, leave and presence (R4, R5).
func (w *workforce) onDuty(ctx context.Context, t time.Time) ([]string, error) {
	l, err := w.roster.OnDuty(ctx, t)
	if err != nil {
		return nil, err
	}
	return l.Agents(), nil
}

// nextOnDuty finds the first moment after t when somebody is on duty, in
// ten-minute steps over the next day, and who receives the request
// there (T19). The day's roster is read once: who is on at each step is
// answered from that view (roster.View.OnDuty), as roster.Service.OnDuty
// would answer at that instant.
func (w *workforce) nextOnDuty(ctx context.Context, t time.Time) (time.Time, ticket.Actor, error) {
	const step, steps = 10 * time.Minute, 24 * 6
	view, err := w.roster.View(ctx, t, t.Add(steps*step))
	if err != nil {
		return time.Time{}, ticket.Actor{}, err
	}
	for i := range steps {
		at := t.Add(time.Duration(i) * step)
		if on := view.OnDuty(at).Agents(); len(on) > 0 {
			return at, ticket.Actor{ID: pick(w.sim.rng, on), Role: ticket.RoleAgent}, nil
		}
	}
	return t, w.sim.staff.Lead, nil // nobody rostered for a day: the shift lead takes it
}

// scheduleDay plans the roster events of one day: on the second day a
// swap with the colleague's recorded consent and the lead's approval
// (R4); on the fourth an agent goes on leave for two days and hands over
// first (T15).
func (w *workforce) scheduleDay(day time.Time, index int) {
	s := w.sim
	switch index {
	case 1:
		s.clock.at(day.Add(10*time.Hour), w.swapShift)
	case 3:
		s.clock.at(day.Add(8*time.Hour), func(ctx context.Context) error {
			return w.goOnLeave(ctx, s.staff.Agents[min(2, len(s.staff.Agents)-1)], 2)
		})
	}
}

// swapShift: the first agent with a shift tomorrow asks a colleague to
// take it, the colleague consents with proof, the lead approves.
func (w *workforce) swapShift(ctx context.Context) error {
	s := w.sim
	tomorrow := roster.DateOf(s.clock.now, s.loc).AddDays(1)
	for _, a := range w.assigns {
		if a.Date != tomorrow {
			continue
		}
		to := ""
		for _, other := range s.staff.Agents {
			if other != a.Agent && !w.worksOn(other, tomorrow) {
				to = other
				break
			}
		}
		if to == "" {
			continue
		}
		sw, err := w.roster.RequestSwap(ctx, roster.SwapRequest{Assignment: a.ID, From: a.Agent, To: to, Reason: "family matter"})
		if err != nil {
			return err
		}
		if _, err := w.roster.Consent(ctx, sw.ID, to, roster.Evidence{Kind: "chat message", Ref: "wechat:msg/" + sw.ID.String()[:8]}); err != nil {
			return err
		}
		if _, err := w.roster.Approve(ctx, sw.ID, s.staff.Lead.ID); err != nil {
			return err
		}
		s.note("R4", "swap: %s's %s shift on %s taken by %s, consent recorded, approved by %s", a.Agent, a.Shift, tomorrow, to, s.staff.Lead.ID)
		return nil
	}
	return nil
}

func (w *workforce) worksOn(agent string, d roster.Date) bool {
	return slices.ContainsFunc(w.assigns, func(a roster.Assignment) bool { return a.Agent == agent && a.Date == d })
}

// goOnLeave grants leave and hands the agent's open tickets to a
// colleague on duty first (T15); follow-ups the agent holds go back to
// the queue when their leases end.
func (w *workforce) goOnLeave(ctx context.Context, agent string, days int) error {
	s := w.sim
	open := []ticket.State{ticket.Received, ticket.Dispatched, ticket.Resolved, ticket.Answered, ticket.Revisit, ticket.Reopened}
	mine, err := s.tickets.List(ctx, ticket.Filter{Owner: agent, States: open})
	if err != nil {
		return err
	}
	to := ""
	for _, a := range s.staff.Agents {
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
	s.log.handedOver += len(mine)
	if _, err := w.roster.GrantLeave(ctx, agent, s.clock.now, s.clock.now.AddDate(0, 0, days), "annual leave"); err != nil {
		return err
	}
	s.note("T15", "leave: %s away for %d days; %d open tickets handed over to %s", agent, days, len(mine), to)
	return nil
}

// coverage checks the service hours (R1) against the roster as it
// stands after swaps and leave.
func (w *workforce) coverage(ctx context.Context) (roster.CoverageReport, error) {
	s := w.sim
	return w.roster.Coverage(ctx, s.loc, roster.ServiceHoursOf(s.cal), roster.DateOf(s.cfg.Start, s.loc), s.cfg.Days)
}
