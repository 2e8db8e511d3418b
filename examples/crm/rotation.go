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

// rotationAhead is how far the rotation reaches past day: RosterCycles
// three-week cycles (R3) from the Monday of day's week, never before
// RosterStart.
func (s *server) rotationAhead(day roster.Date) roster.Date {
	for day.Weekday() != time.Monday {
		day = day.AddDays(-1)
	}
	if day.Before(s.cfg.RosterStart) {
		day = s.cfg.RosterStart
	}
	return day.AddDays(7 * rotationWeeks * s.cfg.RosterCycles)
}

// extendRotation makes the store hold the desk's rotation up to the
// start of day until (R2 shifts, R3 three-week cycles) and returns the
// instant the held rotation reaches. It continues whatever the store
// holds from RosterStart on (an earlier run's, another replica's): the
// next cycle starts the day after its last assignment and is generated
// with the three weeks before as Previous, so rest across the boundary
// holds. It publishes nothing the store already holds, so a replica
// restarted weeks later, or several replicas at once, extend the one
// rotation instead of promising one nobody published.
func (s *server) extendRotation(ctx context.Context, rs *roster.Service, until roster.Date) (time.Time, error) {
	loc := s.cfg.Location
	s.rotationMu.Lock()
	defer s.rotationMu.Unlock()
	if s.cfg.RotationLock != nil {
		unlock, err := s.cfg.RotationLock(ctx, rs.Desk())
		if err != nil {
			return time.Time{}, fmt.Errorf("crm: desk %s rotation lock: %w", rs.Desk(), err)
		}
		defer unlock()
	}
	for attempt := 0; ; attempt++ {
		next, prev, err := s.rotationEnd(ctx, rs, until)
		if err != nil {
			return time.Time{}, fmt.Errorf("crm: desk %s rotation: %w", rs.Desk(), err)
		}
		raced := false
		for next.Before(until) {
			spec := roster.SeedSpec(rs.Desk(), next, loc, s.cfg.Agents...)
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
			if err := rs.Publish(ctx, plan.Assignments); err != nil {
				if (errors.Is(err, roster.ErrOverlap) || errors.Is(err, roster.ErrConflict)) && attempt < 3 {
					// Another replica published this cycle at the same
					// moment: read what it published and go on from there.
					s.log.Info("rotation published by another process", "desk", rs.Desk(), "from", next.String())
					raced = true
					break
				}
				return time.Time{}, fmt.Errorf("crm: desk %s rotation: %w", rs.Desk(), err)
			}
			prev = plan.Assignments
			next = next.AddDays(7 * rotationWeeks)
		}
		if !raced {
			return roster.Instant(next, 0, loc), nil
		}
	}
}

// rotationEnd reads where the held rotation ends: the day after its
// last assignment from RosterStart up to until (RosterStart when it
// holds none), and the assignments of the three weeks before that day,
// the Previous of the cycle that continues it.
func (s *server) rotationEnd(ctx context.Context, rs *roster.Service, until roster.Date) (roster.Date, []roster.Assignment, error) {
	loc := s.cfg.Location
	next := s.cfg.RosterStart
	// Assignments lying past until are the end too: a rotation
	// published further ahead is not generated again.
	far := until.AddDays(7 * rotationWeeks)
	held, err := rs.View(ctx, roster.Instant(next, 0, loc), roster.Instant(far, 0, loc))
	if err != nil {
		return next, nil, err
	}
	for _, a := range held.Assignments {
		if !a.Date.Before(next) {
			next = a.Date.AddDays(1)
		}
	}
	back := next.AddDays(-7 * rotationWeeks)
	before, err := rs.View(ctx, roster.Instant(back, 0, loc), roster.Instant(next, 0, loc))
	if err != nil {
		return next, nil, err
	}
	return next, before.Assignments, nil
}

// extendDesk extends the desk's rotation to reach RosterCycles cycles
// past today and records where it now ends, for /duty.
func (s *server) extendDesk(ctx context.Context, d *desk) error {
	until, err := s.extendRotation(ctx, d.roster, s.rotationAhead(roster.DateOf(s.now(), s.cfg.Location)))
	if err != nil {
		return err
	}
	d.rosterUntil.Store(&until)
	return nil
}
