package roster

import (
	"time"

	"github.com/google/uuid"
)

// Assignment is one person on one shift on one calendar day: the concrete
// unit of a roster. Start and End are instants (resolved through Instant
// in the desk's location); ReportEarly keeps the R6 roll call, which
// starts before Start but is not coverage.
type Assignment struct {
	ID          uuid.UUID
	Desk        string
	Agent       string
	Shift       string
	Date        Date // calendar day the shift starts on
	Start, End  time.Time
	Where       Place
	ReportEarly time.Duration
}

// MaxAssignment is the longest assignment accepted. Views load the
// assignments and swaps of a period with this much look-back.
const MaxAssignment = 48 * time.Hour

// NewAssignment places shift s on day d in loc for agent, with the given ID.
func NewAssignment(id uuid.UUID, desk, agent string, s Shift, d Date, loc *time.Location) Assignment {
	start, end := s.On(d, loc)
	return Assignment{
		ID: id, Desk: desk, Agent: agent, Shift: s.Name, Date: d,
		Start: start, End: end, Where: s.Where, ReportEarly: s.ReportEarly,
	}
}

// ReportAt is when the person must be at their post for roll call (R6).
func (a Assignment) ReportAt() time.Time { return a.Start.Add(-a.ReportEarly) }

// Duration is the real length of the assignment (clock changes
// included); an assignment that ends at or before its start (see
// Shift.On) lasts zero, never a negative time.
func (a Assignment) Duration() time.Duration { return max(0, a.End.Sub(a.Start)) }

// Validate checks the fields an assignment needs before it is stored.
func (a Assignment) Validate() error {
	switch {
	case a.ID == uuid.Nil:
		return invalid("assignment.id", "nil uuid")
	case a.Desk == "":
		return invalid("assignment.desk", "empty desk for assignment %s", a.ID)
	case a.Agent == "":
		return invalid("assignment.agent", "empty agent for assignment %s", a.ID)
	case a.Shift == "":
		return invalid("assignment.shift", "empty shift name for assignment %s", a.ID)
	case !a.End.After(a.Start):
		return invalid("assignment.end", "assignment %s ends at or before it starts", a.ID)
	case a.End.Sub(a.Start) > MaxAssignment:
		return invalid("assignment.end", "assignment %s is longer than %s", a.ID, MaxAssignment)
	case a.ReportEarly < 0:
		return invalid("assignment.report_early", "negative for assignment %s", a.ID)
	}
	return storeBounds.assignment(&a)
}

func overlaps(aStart, aEnd, bStart, bEnd time.Time) bool {
	return aStart.Before(bEnd) && bStart.Before(aEnd)
}
