package ticket

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// EscalationPolicy raises a ticket by itself when one of its clocks
// passes (T6 made automatic): each named clock that passes raises the
// ticket one level, once, and the escalate event, published through the
// outbox, names the role to notify. The zero value escalates nothing.
type EscalationPolicy struct {
	// Deadlines names the clocks whose passing escalates, e.g. the SLA
	// clocks. nil switches automatic escalation off.
	Deadlines []DeadlineName
	// Steps says what each level means: Steps[0] is level 1. A ticket at
	// the last step (or at Bounds.Levels) is not raised further.
	Steps []EscalationStep
}

// EscalationStep is one level of automatic escalation.
type EscalationStep struct {
	// Notify is the role told of the escalation: the event's "notify"
	// data, for the consumer that sends the message.
	Notify Role
	// Assignee and Department, when set, take over the work (the
	// ticket is reassigned in the same event).
	Assignee   string
	Department string
}

func (e EscalationPolicy) clone() EscalationPolicy {
	e.Deadlines = slices.Clone(e.Deadlines)
	e.Steps = slices.Clone(e.Steps)
	return e
}

// check refuses steps beyond the desk's levels and texts no store holds.
func (e EscalationPolicy) check(b *Bounds) error {
	if len(e.Steps) > b.Levels {
		return invalid("policy escalation", "%d steps, but the desk has %d levels (Bounds.Levels)", len(e.Steps), b.Levels)
	}
	if len(e.Deadlines) > 0 && len(e.Steps) == 0 {
		return invalid("policy escalation", "deadlines escalate but no step says to what")
	}
	for i, st := range e.Steps {
		for _, x := range []struct{ name, v string }{{"notify", string(st.Notify)}, {"assignee", st.Assignee}, {"department", st.Department}} {
			if err := b.name(fmt.Sprintf("policy escalation step %d %s", i+1, x.name), x.v); err != nil {
				return err
			}
		}
	}
	return nil
}

// errNothingDue: the ticket has no passed clock left to escalate.
var errNothingDue = errors.New("nothing to escalate")

// EscalateDue escalates the desk's tickets whose clocks named in
// Policy.Escalation.Deadlines have passed, at most limit escalations
// (limit < 1 means 100), and returns how many it made. Each passed clock
// raises its ticket one level above the current one, once: the clock
// records the level it escalated to, and the write is conditional on the
// ticket's version, so any number of processes may call EscalateDue on
// one store at once and each (ticket, clock, level) is escalated exactly
// once. The actor (usually RoleSystem) needs the right to escalate.
//
// Event data: "level", "deadline", "due", "auto" ("true"), "notify"
// (the step's role), and "assignee" and "department" when the step
// reassigns.
func (s *Service) EscalateDue(ctx context.Context, by Actor, limit int) (int, error) {
	if err := s.bounds.actor(by); err != nil {
		return 0, err
	}
	esc := s.policy.Escalation
	if len(esc.Deadlines) == 0 {
		return 0, nil
	}
	if limit < 1 {
		limit = 100
	}
	open := []State{Received, Dispatched, Resolved, Answered, Revisit, Reopened}
	f := Filter{States: open, DueBefore: s.now(), Limit: 100}
	done := 0
	for done < limit {
		page, err := s.store.List(ctx, s.desk, f)
		if err != nil {
			return done, err
		}
		for _, t := range page {
			for done < limit && s.passed(t, s.now()) != nil {
				next, err := s.escalateOne(ctx, by, t)
				if errors.Is(err, errNothingDue) {
					break // another process was first, or the ticket moved on
				}
				if err != nil {
					return done, fmt.Errorf("escalate ticket %s: %w", t.ID, err)
				}
				done++
				t = next
			}
		}
		if len(page) < f.Limit {
			break
		}
		f.After = page[len(page)-1].Cursor(f.Order)
	}
	return done, nil
}

// passed returns the ticket's earliest running clock that has passed
// and still escalates, or nil.
func (s *Service) passed(t *Ticket, now time.Time) *Deadline {
	esc := s.policy.Escalation
	if t.Escalation.Level >= min(len(esc.Steps), s.bounds.Levels) {
		return nil
	}
	var first *Deadline
	for i := range t.Deadlines {
		d := &t.Deadlines[i]
		if d.Running() && d.Escalated == 0 && now.After(d.Due) && slices.Contains(esc.Deadlines, d.Name) &&
			(first == nil || d.Due.Before(first.Due)) {
			first = d
		}
	}
	return first
}

// escalateOne raises the ticket for its earliest passed clock. The
// change re-reads the ticket on a concurrent write, so a clock another
// process escalated meanwhile is errNothingDue.
func (s *Service) escalateOne(ctx context.Context, by Actor, t *Ticket) (*Ticket, error) {
	return s.apply(ctx, by, Ref{ID: t.ID}, ActEscalate, func(t *Ticket, e *Event, now time.Time) error {
		if t.State.Terminal() {
			return errNothingDue
		}
		d := s.passed(t, now)
		if d == nil {
			return errNothingDue
		}
		level := t.Escalation.Level + 1
		step := s.policy.Escalation.Steps[level-1]
		d.Escalated = level
		reason := fmt.Sprintf("%s due %s passed", d.Name, d.Due.UTC().Format(time.RFC3339))
		t.Escalation = Escalation{Level: level, Reason: reason}
		e.Note = reason
		e.Data = map[string]string{"level": fmt.Sprint(level), "deadline": string(d.Name),
			"due": d.Due.UTC().Format(time.RFC3339), "auto": "true", "notify": string(step.Notify)}
		if a, dep := strings.TrimSpace(step.Assignee), strings.TrimSpace(step.Department); a != "" || dep != "" {
			t.Assignee, t.Department = a, dep
			e.Data["assignee"], e.Data["department"] = a, dep
		}
		return nil
	})
}
