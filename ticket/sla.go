package ticket

import (
	"context"
	"slices"
	"strings"
	"time"
)

// SLA is a priority's service-level targets, in business time of the
// policy's Calendar (wall-clock time without one). A zero target starts
// no clock.
type SLA struct {
	// FirstResponse is the time from receipt to the first reply to the
	// customer (Respond, Answer or ResolveOnSpot).
	FirstResponse time.Duration
	// Resolution is the time from receipt to the solution (Resolve or
	// ResolveOnSpot).
	Resolution time.Duration
}

// The SLA clocks.
const (
	DeadlineFirstResponse DeadlineName = "first_response"
	DeadlineResolution    DeadlineName = "resolution"
)

// slaStop reports whether the action discharges the SLA clock: a reply
// to the customer meets the first response, a solution the resolution.
func slaStop(name DeadlineName, a Action) bool {
	switch name {
	case DeadlineFirstResponse:
		return a == ActRespond || a == ActAnswer || a == ActResolveOnSpot
	case DeadlineResolution:
		return a == ActResolve || a == ActResolveOnSpot
	}
	return false
}

// isSLA reports whether the clock is one of the SLA clocks.
func isSLA(name DeadlineName) bool {
	return name == DeadlineFirstResponse || name == DeadlineResolution
}

// target returns the SLA target of a clock for a priority.
func (p *Policy) target(pr Priority, name DeadlineName) (time.Duration, bool) {
	sla, ok := p.SLA[pr]
	if !ok {
		return 0, false
	}
	switch name {
	case DeadlineFirstResponse:
		return sla.FirstResponse, sla.FirstResponse > 0
	case DeadlineResolution:
		return sla.Resolution, sla.Resolution > 0
	}
	return 0, false
}

// checkSLA refuses targets for priorities the desk does not have, and
// negative targets.
func (p *Policy) checkSLA() error {
	for pr, sla := range p.SLA {
		if _, ok := p.Rank(pr); !ok {
			return invalid("policy sla", "%q is not one of the desk's priorities %v", pr, p.PriorityOrder())
		}
		if sla.FirstResponse < 0 || sla.Resolution < 0 {
			return invalid("policy sla", "a negative target for %s", pr)
		}
	}
	return nil
}

// startSLA opens the SLA clocks of the ticket's priority at its receipt.
func (s *Service) startSLA(t *Ticket, at time.Time) {
	for _, name := range []DeadlineName{DeadlineFirstResponse, DeadlineResolution} {
		if d, ok := s.policy.target(t.Priority, name); ok {
			t.startAt(name, at, s.policy.due(at, d))
		}
	}
}

// retarget gives the open SLA clocks the targets of the ticket's new
// priority, counted from their start and moved by the time they have
// been paused; a clock the new priority has no target for is removed.
func (s *Service) retarget(t *Ticket) {
	t.Deadlines = slices.DeleteFunc(t.Deadlines, func(d Deadline) bool {
		_, ok := s.policy.target(t.Priority, d.Name)
		return isSLA(d.Name) && d.Open() && !ok
	})
	for i := range t.Deadlines {
		d := &t.Deadlines[i]
		if !isSLA(d.Name) || !d.Open() {
			continue
		}
		target, _ := s.policy.target(t.Priority, d.Name)
		d.Due = s.policy.due(d.Start, target+d.PausedFor)
	}
}

// clocks discharges the SLA clocks the action stops, and ends a wait
// for the customer when the ticket moves on in its lifecycle.
func (s *Service) clocks(t *Ticket, action Action, e *Event, now time.Time) {
	for i := range t.Deadlines {
		d := &t.Deadlines[i]
		if d.Open() && slaStop(d.Name, action) {
			s.resumeClock(d, now) // a reply during a wait is measured against the moved due time
			d.Done = now
		}
	}
	if action.IsLifecycle() && !t.Pending.IsZero() {
		s.unpause(t, e, now)
	}
}

// resumeClock runs a paused clock again, its due time moved by the
// business time it was paused (a clock already late when paused stays
// as it was), and returns how long that was.
func (s *Service) resumeClock(d *Deadline, now time.Time) time.Duration {
	if d.Paused.IsZero() {
		return 0
	}
	paused := s.policy.between(d.Paused, now)
	if d.Paused.Before(d.Due) {
		d.Due = s.policy.due(d.Due, paused)
	}
	d.PausedFor += paused
	d.Paused = time.Time{}
	return paused
}

// pausable reports whether the policy pauses the clock while the ticket
// waits for the customer.
func (p *Policy) pausable(name DeadlineName) bool { return slices.Contains(p.Pause, name) }

// Wait records that the ticket waits for the customer (more details, a
// confirmation): the clocks named in Policy.Pause stop until Resume, or
// until the ticket moves on in its lifecycle. Event data: "paused", the
// names of the clocks stopped, comma separated.
func (s *Service) Wait(ctx context.Context, by Actor, ref Ref, note string) (*Ticket, error) {
	if err := s.bounds.note("note", note); err != nil {
		return nil, s.refuse(ctx, by, ref, ActWait, err)
	}
	return s.apply(ctx, by, ref, ActWait, func(t *Ticket, e *Event, now time.Time) error {
		if t.State.Terminal() {
			return &TransitionError{State: t.State, Action: ActWait}
		}
		if !t.Pending.IsZero() {
			return invalid("pending", "ticket %s already waits for the customer since %s", t.ID, t.Pending.Format(time.RFC3339))
		}
		t.Pending = now
		var paused []string
		for i := range t.Deadlines {
			d := &t.Deadlines[i]
			if d.Running() && s.policy.pausable(d.Name) {
				d.Paused = now
				paused = append(paused, string(d.Name))
			}
		}
		e.Note = note
		e.Data = map[string]string{"paused": strings.Join(paused, ",")}
		return nil
	})
}

// Resume records that the customer answered: the clocks stopped by Wait
// run again, each due time moved by the business time the clock was
// paused (a clock already late when paused stays as it was). Event
// data: "waited", the business time the ticket waited, and "due.NAME",
// the new due time of each clock moved.
func (s *Service) Resume(ctx context.Context, by Actor, ref Ref, note string) (*Ticket, error) {
	if err := s.bounds.note("note", note); err != nil {
		return nil, s.refuse(ctx, by, ref, ActResume, err)
	}
	return s.apply(ctx, by, ref, ActResume, func(t *Ticket, e *Event, now time.Time) error {
		if t.Pending.IsZero() {
			return invalid("pending", "ticket %s does not wait for the customer", t.ID)
		}
		e.Note = note
		s.unpause(t, e, now)
		return nil
	})
}

// unpause ends the wait: each paused clock's due time moves by the
// business time it was paused.
func (s *Service) unpause(t *Ticket, e *Event, now time.Time) {
	if e.Data == nil {
		e.Data = map[string]string{}
	}
	e.Data["waited"] = s.policy.between(t.Pending, now).String()
	for i := range t.Deadlines {
		d := &t.Deadlines[i]
		if d.Paused.IsZero() {
			continue
		}
		if !d.Open() {
			d.Paused = time.Time{} // discharged during the wait
			continue
		}
		s.resumeClock(d, now)
		e.Data["due."+string(d.Name)] = d.Due.UTC().Format(time.RFC3339)
	}
	t.Pending = time.Time{}
}

// Measurer is a Calendar that also measures the business time between
// two instants; calendar.Calendar is one. The service measures paused
// time with it, and searches with Add for a Calendar that is not one.
type Measurer interface {
	Between(a, b time.Time) time.Duration
}

// between returns the business time from a to b (zero when b is not
// after a).
func (p *Policy) between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	switch c := p.Calendar.(type) {
	case nil:
		return b.Sub(a)
	case Measurer:
		return c.Between(a, b)
	}
	// The largest d with Add(a, d) not after b: Add is monotone in d.
	lo, hi := time.Duration(0), b.Sub(a)
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if p.Calendar.Add(a, mid).After(b) {
			hi = mid - 1
		} else {
			lo = mid
		}
	}
	return lo
}

// Respond records a reply to the customer (an e-mail sent, a call
// made): it meets the first-response clock. Event data: "channel" when
// given.
func (s *Service) Respond(ctx context.Context, by Actor, ref Ref, channel Channel, note string) (*Ticket, error) {
	if err := s.bounds.note("note", note); err != nil {
		return nil, s.refuse(ctx, by, ref, ActRespond, err)
	}
	if channel != "" && !slices.Contains(Channels(), channel) {
		return nil, s.refuse(ctx, by, ref, ActRespond, invalid("channel", "%q is not one of %v", channel, Channels()))
	}
	if strings.TrimSpace(note) == "" {
		return nil, s.refuse(ctx, by, ref, ActRespond, invalid("note", "record what the customer was told"))
	}
	return s.apply(ctx, by, ref, ActRespond, func(t *Ticket, e *Event, _ time.Time) error {
		if t.State.Terminal() {
			return &TransitionError{State: t.State, Action: ActRespond}
		}
		e.Note = note
		if channel != "" {
			e.Data = map[string]string{"channel": string(channel)}
		}
		return nil
	})
}
