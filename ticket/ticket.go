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
	Online   Channel = "online"    // web form, chat
	Patrol   Channel = "patrol"    // raised by staff on patrol (002 物业管家 4.0)
	Email    Channel = "email"     // an e-mail to the desk's address (a general desk)
)

// Channels lists the built-in channels.
func Channels() []Channel { return []Channel{InPerson, Phone, Letter, Online, Patrol, Email} }

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
	Class    string   `json:"class"`    // e.g. "service", "repair quality", "fees", "noise"
	Severity Severity `json:"severity"` // drives escalation
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
	Level  int    `json:"level"`
	Reason string `json:"reason,omitempty"`
}

// Resolution is the signed-off solution (T9).
type Resolution struct {
	Summary  string    `json:"summary"`
	Resolver string    `json:"resolver"` // the person who actually resolved it and signed
	At       time.Time `json:"at"`       // when the solution was obtained: T7a starts here
}

// RevisitStatus tracks an outstanding revisit. A ticket whose revisit is
// Required and not Done cannot close on acceptance: it waits in state
// Revisit until the outcome is recorded.
type RevisitStatus struct {
	Required bool   `json:"required"`
	Reason   string `json:"reason,omitempty"`
	Done     bool   `json:"done"`
	Passed   bool   `json:"passed"`
}

// Ticket is one customer request and everything the desk did about it.
// Values returned by the service are copies; changing them changes
// nothing stored. In its JSON, times not set yet (reply_by, appointment,
// answered_at, closed_at), a parent and a revisit status that are zero
// are left out, as their zero values decode.
type Ticket struct {
	ID      uuid.UUID `json:"id"`
	Desk    string    `json:"desk"`
	Number  int64     `json:"number"`  // case number, unique per desk, read out on the phone
	Version int64     `json:"version"` // optimistic concurrency: one more per recorded event

	Kind     Kind    `json:"kind"`
	Category string  `json:"category,omitempty"` // e.g. repair category for F2: "safety", "leak", "general"
	Channel  Channel `json:"channel"`
	State    State   `json:"state"`

	// Subject and Description are the request in the customer's words
	// (an e-mail's subject and body). Free text: erasure scrubs the
	// customer's values from them, and removes them whole when the policy
	// says they hold personal data (Policy.PersonalText, S1).
	Subject     string `json:"subject,omitempty"`
	Description string `json:"description,omitempty"`
	// Priority is one of the desk's ordered priorities (Policy.Priorities);
	// "" on a desk that gives none. SLA targets depend on it.
	Priority Priority `json:"priority,omitempty"`
	// Tags are the desk's free labels, lower case, sorted, without
	// repeats.
	Tags []string `json:"tags,omitempty"`
	// Pending is when the ticket began waiting for the customer, zero
	// while it does not wait. The clocks the policy pauses
	// (Policy.Pause) stop meanwhile.
	Pending time.Time `json:"pending,omitzero"`

	Owner      string `json:"owner,omitempty"`      // T1 first-contact owner; "" while unowned (T19)
	Assignee   string `json:"assignee,omitempty"`   // T4: the person doing the work
	Department string `json:"department,omitempty"` // T4: the department responsible

	Customer    *Customer         `json:"customer,omitempty"`    // S1: personal data, erasable
	Fields      map[string]string `json:"fields,omitempty"`      // intake fields (T2)
	Missing     []string          `json:"missing,omitempty"`     // intake fields still missing, in policy order (T2)
	Attrs       map[string]string `json:"attrs,omitempty"`       // custom attributes, typed by Policy.Attributes
	Attachments []Attachment      `json:"attachments,omitempty"` // references to photos, signatures, documents

	Complaint   *ComplaintInfo `json:"complaint,omitempty"` // T16, complaints only
	Escalation  Escalation     `json:"escalation"`          // T6
	Parent      uuid.UUID      `json:"parent,omitzero"`     // T17: the case this one was opened from
	Links       []uuid.UUID    `json:"links,omitempty"`     // T17: cases opened from this one
	Revisit     RevisitStatus  `json:"revisit,omitzero"`
	Resolution  *Resolution    `json:"resolution,omitempty"` // T9
	Rejections  int            `json:"rejections,omitempty"` // T8: how often the customer rejected a solution
	ReplyBy     time.Time      `json:"reply_by,omitzero"`    // T7b: the reply time agreed with the customer
	Appointment time.Time      `json:"appointment,omitzero"` // T12: the agreed visit time
	CancelNote  string         `json:"cancel_note,omitempty"`

	Deadlines []Deadline `json:"deadlines,omitempty"` // T4, T5, T7a, T7b, T13

	ReceivedAt time.Time `json:"received_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	ClosedAt   time.Time `json:"closed_at,omitzero"`
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

// NextDue returns the earliest due time among running deadlines (open
// and not paused), or the zero time when none runs. Stores index it for
// the overdue query.
func (t *Ticket) NextDue() time.Time {
	var due time.Time
	for _, d := range t.Deadlines {
		if d.Running() && (due.IsZero() || d.Due.Before(due)) {
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
	c.Attrs = maps.Clone(t.Attrs)
	c.Attachments = slices.Clone(t.Attachments)
	c.Tags = slices.Clone(t.Tags)
	if t.Customer != nil {
		v := *t.Customer
		c.Customer = &v
	}
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
