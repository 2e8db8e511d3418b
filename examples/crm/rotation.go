package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/servicedesk-go/desk/roster"
)

// rotationWeeks is the length of one generated cycle (R3: three weeks).
const rotationWeeks = 3

// rotationSpan is the period the rotation is to cover on day: from the
// Monday of day's week (never before RosterStart) through RosterCycles
// three-week cycles (R3).
func (s *server) rotationSpan(day roster.Date) (from, until roster.Date) {
	for day.Weekday() != time.Monday {
		day = day.AddDays(-1)
	}
	if day.Before(s.cfg.RosterStart) {
		day = s.cfg.RosterStart
	}
	return day, day.AddDays(7 * rotationWeeks * s.cfg.RosterCycles)
}

// extendRotation makes the store hold the desk's rotation from from up
// to the start of day until (R2 shifts, R3 three-week cycles) and
// returns the instant the held rotation reaches. It continues whatever
// the store holds (an earlier run's, another replica's): the next cycle
// starts the day after its last assignment and is generated with the
// three weeks before as Previous, so rest across the boundary holds. It
// publishes nothing the store already holds, so a replica restarted
// weeks later, or several replicas at once, extend the one rotation
// instead of promising one nobody published.
func (s *server) extendRotation(ctx context.Context, rs *roster.Service, from, until roster.Date) (time.Time, error) {
	s.rotationMu.Lock()
	defer s.rotationMu.Unlock()
	if s.cfg.RotationLock != nil {
		unlock, err := s.cfg.RotationLock(ctx, rs.Desk())
		if err != nil {
			return time.Time{}, fmt.Errorf("crm: desk %s rotation lock: %w", rs.Desk(), err)
		}
		defer unlock()
	}
	next, prev, err := s.rotationEnd(ctx, rs, from, until)
	if err != nil {
		return time.Time{}, fmt.Errorf("crm: desk %s rotation: %w", rs.Desk(), err)
	}
	for raced := 0; next.Before(until); {
		spec := roster.SeedSpec(rs.Desk(), next, s.cfg.Location, s.cfg.Agents...)
		spec.Weeks = rotationWeeks
		spec.Calendar = s.cfg.Calendar
		spec.Previous = prev
		spec.NewID = s.newID
		plan, err := roster.Generate(spec)
		if err != nil {
			return time.Time{}, fmt.Errorf("crm: desk %s rotation: %w", rs.Desk(), err)
		}
		if err := plan.Err(); err != nil {
			// Hard constraints are kept; a short slot is a staffing
			// matter the roster reports, not a reason not to serve.
			s.log.Warn("rotation leaves slots unfilled", "desk", rs.Desk(), "from", next.String(), "slots", len(plan.Unfilled))
		}
		err = rs.Publish(ctx, plan.Assignments)
		switch {
		case err == nil:
			prev, next = plan.Assignments, next.AddDays(7*rotationWeeks)
		case (errors.Is(err, roster.ErrOverlap) || errors.Is(err, roster.ErrConflict)) && raced < 3:
			// Another process without the lock published this cycle at
			// the same moment: read what it published and go on from there.
			raced++
			s.log.Info("rotation published by another process", "desk", rs.Desk(), "from", next.String())
			if next, prev, err = s.rotationEnd(ctx, rs, from, until); err != nil {
				return time.Time{}, fmt.Errorf("crm: desk %s rotation: %w", rs.Desk(), err)
			}
		default:
			return time.Time{}, fmt.Errorf("crm: desk %s rotation: %w", rs.Desk(), err)
		}
	}
	return roster.Instant(next, 0, s.cfg.Location), nil
}

// rotationEnd reads, in one view, where the held rotation ends: the day
// after its last assignment from from on (from when it holds none; one
// lying past until counts too, so a rotation published further ahead is
// not generated again), and the assignments of the three weeks before
// that day, the Previous of the cycle that continues it.
func (s *server) rotationEnd(ctx context.Context, rs *roster.Service, from, until roster.Date) (roster.Date, []roster.Assignment, error) {
	loc := s.cfg.Location
	held, err := rs.View(ctx, roster.Instant(from.AddDays(-7*rotationWeeks), 0, loc), roster.Instant(until.AddDays(7*rotationWeeks), 0, loc))
	if err != nil {
		return from, nil, err
	}
	next := from
	for _, a := range held.Assignments {
		if !a.Date.Before(next) {
			next = a.Date.AddDays(1)
		}
	}
	back := next.AddDays(-7 * rotationWeeks)
	var prev []roster.Assignment
	for _, a := range held.Assignments {
		if !a.Date.Before(back) && a.Date.Before(next) {
			prev = append(prev, a)
		}
	}
	return next, prev, nil
}

// extendDesk extends the desk's rotation to reach RosterCycles cycles
// past today and records where it now ends, for /duty.
func (s *server) extendDesk(ctx context.Context, d *desk) error {
	from, ahead := s.rotationSpan(roster.DateOf(s.now(), s.cfg.Location))
	until, err := s.extendRotation(ctx, d.roster, from, ahead)
	if err != nil {
		return err
	}
	d.rosterUntil.Store(&until)
	return nil
}
