package ticket

import (
	"time"
)

// DeadlineName names a clock that runs on a ticket.
type DeadlineName string

// The deadlines of the T rules.
const (
	DeadlineDispatch     DeadlineName = "dispatch"      // T5
	DeadlineAnswer       DeadlineName = "answer"        // T7a
	DeadlineReply        DeadlineName = "reply"         // T7b
	DeadlineReworkNotice DeadlineName = "rework_notice" // T13
	DeadlineWork         DeadlineName = "work"          // T4: the deadline given to the department
	DeadlineStagnant     DeadlineName = "stagnant"      // T10, computed, never stored
)

// Rule returns the rule ID the deadline comes from.
func (n DeadlineName) Rule() string {
	switch n {
	case DeadlineDispatch:
		return "T5"
	case DeadlineAnswer:
		return "T7a"
	case DeadlineReply:
		return "T7b"
	case DeadlineReworkNotice:
		return "T13"
	case DeadlineWork:
		return "T4"
	case DeadlineStagnant:
		return "T10"
	case DeadlineFirstResponse, DeadlineResolution:
		return "SLA"
	}
	return ""
}

// Deadline is one clock on a ticket: started at Start, due at Due, and
// Done when discharged (met, or superseded by a new agreed time). A
// Deadline stays on the ticket after it is done, so reports can tell
// on-time from late.
type Deadline struct {
	Name  DeadlineName `json:"name"`
	Start time.Time    `json:"start"`
	Due   time.Time    `json:"due"`
	Done  time.Time    `json:"done"` // zero while the clock runs
	// Paused is when the clock stopped while the ticket waits for the
	// customer (Policy.Pause); zero while it runs. A paused clock is
	// never overdue; on resumption Due moves by the paused business time.
	Paused time.Time `json:"paused,omitzero"`
	// PausedFor is the business time the clock has been paused in all;
	// Due already includes it.
	PausedFor time.Duration `json:"paused_for_ns,omitempty"`
	// Escalated is the level this clock's passing escalated the ticket
	// to (Policy.Escalation); 0 until it has. It makes automatic
	// escalation happen once per ticket, deadline and level.
	Escalated int `json:"escalated,omitempty"`
}

// Open reports whether the clock is not discharged (it may be paused).
func (d Deadline) Open() bool { return d.Done.IsZero() }

// Running reports whether the clock is open and not paused.
func (d Deadline) Running() bool { return d.Done.IsZero() && d.Paused.IsZero() }

// Late reports whether the deadline was (or, when open, is at now)
// past due.
func (d Deadline) Late(now time.Time) bool {
	if d.Done.IsZero() {
		if !d.Paused.IsZero() {
			return d.Paused.After(d.Due)
		}
		return now.After(d.Due)
	}
	return d.Done.After(d.Due)
}

// Overdue is a ticket past one of its deadlines, or stagnating (T10).
type Overdue struct {
	Ticket   *Ticket       `json:"ticket"`
	Deadline DeadlineName  `json:"deadline"`
	Rule     string        `json:"rule"`
	Due      time.Time     `json:"due"`
	By       time.Duration `json:"by_ns"` // how far past due at the time asked

	next OverdueCursor // the position after this entry's ticket
}

// start opens a new clock on t, unless the policy's limit is off.
func (t *Ticket) start(p *Policy, name DeadlineName, l Limit, at time.Time) {
	if !l.On {
		return
	}
	t.finish(name, at) // one clock of a name runs at a time
	t.Deadlines = append(t.Deadlines, Deadline{Name: name, Start: at, Due: p.due(at, l.Within)})
}

// startAt opens a clock with an explicit due time (an agreed reply, a
// department's deadline).
func (t *Ticket) startAt(name DeadlineName, at, due time.Time) {
	t.finish(name, at)
	t.Deadlines = append(t.Deadlines, Deadline{Name: name, Start: at, Due: due})
}

// finish discharges the running clock of that name, if any.
func (t *Ticket) finish(name DeadlineName, at time.Time) {
	for i := range t.Deadlines {
		if t.Deadlines[i].Name == name && t.Deadlines[i].Done.IsZero() {
			t.Deadlines[i].Done = at
		}
	}
}

// Deadline returns the latest clock of that name and whether there is
// one.
func (t *Ticket) Deadline(name DeadlineName) (Deadline, bool) {
	for i := len(t.Deadlines) - 1; i >= 0; i-- {
		if t.Deadlines[i].Name == name {
			return t.Deadlines[i], true
		}
	}
	return Deadline{}, false
}
