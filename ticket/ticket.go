package ticket

import (
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Kind is the kind of request (T2). The built-in kinds are the seeds';
// a desk adds its own through Policy.Kinds.
type Kind string

// The request kinds of the seeds (T2).
const (
	Repair     Kind = "repair"     // 报修
	Inquiry    Kind = "inquiry"    // 咨询
	Query      Kind = "query"      // 查询
	Complaint  Kind = "complaint"  // 投诉
	Suggestion Kind = "suggestion" // 建议
	Renovation Kind = "renovation" // 装修申请
)

// Channel is how a request arrived (T2).
type Channel string

// The channels of the seeds (T2).
const (
	InPerson Channel = "in_person" // 来访
	Phone    Channel = "phone"     // 来电
	Letter   Channel = "letter"    // 来信
	Online   Channel = "online"    // web form, chat, e-mail
	Patrol   Channel = "patrol"    // raised by staff on patrol (002 物业管家 4.0)
)

// Channels lists the built-in channels.
func Channels() []Channel { return []Channel{InPerson, Phone, Letter, Online, Patrol} }

// Severity grades a complaint (T16); it drives escalation (T6) through
// Policy.Severity.
type Severity string

// Complaint severities.
const (
	Minor  Severity = "minor"
	Normal Severity = "normal"
	Major  Severity = "major" // 重大投诉: goes to the office head (T6)
)

// ComplaintInfo is the class and severity of a complaint (T16).
type ComplaintInfo struct {
	Class    string   // e.g. "service", "repair quality", "fees", "noise"
	Severity Severity // drives escalation
}

// Escalation levels (T6). A desk may use higher levels of its own.
const (
	LevelNone        = 0 // handled by the agent
	LevelShiftLead   = 1 // 班长: hard cases, important events, emergencies
	LevelOfficeHead  = 2 // 管理处主任 / department head: major complaints
	LevelHeadquarter = 3 // reported to the company
)

// Escalation is the level a ticket has been raised to and why (T6).
type Escalation struct {
	Level  int
	Reason string
}

// Resolution is the signed-off solution (T9).
type Resolution struct {
	Summary  string
	Resolver string    // the person who actually resolved it and signed
	At       time.Time // when the solution was obtained: T7a starts here
}

// RevisitStatus tracks an outstanding revisit. A ticket whose revisit is
// Required and not Done cannot close on acceptance: it waits in state
// Revisit until the outcome is recorded.
type RevisitStatus struct {
	Required bool
	Reason   string
	Done     bool
	Passed   bool
}

// Ticket is one customer request and everything the desk did about it.
// Values returned by the service are copies; changing them changes
// nothing stored.
type Ticket struct {
	ID      uuid.UUID
	Desk    string
	Number  int64 // case number, unique per desk, read out on the phone
	Version int64 // optimistic concurrency: one more per recorded event

	Kind     Kind
	Category string // e.g. repair category for F2: "safety", "leak", "general"
	Channel  Channel
	State    State

	Owner      string // T1 first-contact owner; "" while unowned (T19)
	Assignee   string // T4: the person doing the work
	Department string // T4: the department responsible

	Fields  map[string]string // intake fields (T2)
	Missing []string          // intake fields still missing, sorted (T2)

	Complaint   *ComplaintInfo // T16, complaints only
	Escalation  Escalation     // T6
	Parent      uuid.UUID      // T17: the case this one was opened from
	Links       []uuid.UUID    // T17: cases opened from this one
	Revisit     RevisitStatus
	Resolution  *Resolution // T9
	Rejections  int         // T8: how often the customer rejected a solution
	ReplyBy     time.Time   // T7b: the reply time agreed with the customer
	Appointment time.Time   // T12: the agreed visit time
	CancelNote  string      // T11: why it ended without a solution

	Deadlines []Deadline // T5, T7a, T7b, T13

	ReceivedAt time.Time
	UpdatedAt  time.Time
	AnsweredAt time.Time
	ClosedAt   time.Time
}

// Ref points at a ticket. With Version zero an action applies to the
// current version (and retries on a concurrent change); with a Version
// it applies only if the ticket is still at that version, else
// ErrConflict.
type Ref struct {
	ID      uuid.UUID
	Version int64
}

// Ref returns a reference to this ticket at its version.
func (t *Ticket) Ref() Ref { return Ref{ID: t.ID, Version: t.Version} }

// Incomplete reports whether intake fields are missing (T2).
func (t *Ticket) Incomplete() bool { return len(t.Missing) > 0 }

// NextDue returns the earliest due time among open deadlines, or the
// zero time when none is open. Stores index it for the overdue query.
func (t *Ticket) NextDue() time.Time {
	var due time.Time
	for _, d := range t.Deadlines {
		if d.Done.IsZero() && (due.IsZero() || d.Due.Before(due)) {
			due = d.Due
		}
	}
	return due
}

// Clone returns a deep copy.
func (t *Ticket) Clone() *Ticket {
	if t == nil {
		return nil
	}
	c := *t
	c.Fields = maps.Clone(t.Fields)
	c.Missing = slices.Clone(t.Missing)
	c.Links = slices.Clone(t.Links)
	c.Deadlines = slices.Clone(t.Deadlines)
	if t.Complaint != nil {
		v := *t.Complaint
		c.Complaint = &v
	}
	if t.Resolution != nil {
		v := *t.Resolution
		c.Resolution = &v
	}
	return &c
}
