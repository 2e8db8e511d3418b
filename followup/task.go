package followup

import (
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// Status is where a task stands.
type Status string

// Task statuses. Pending and Claimed are open; the others are final: a
// task is completed once.
const (
	Pending     Status = "pending"     // waiting to be due and claimed
	Claimed     Status = "claimed"     // leased to a worker
	Done        Status = "done"        // the customer was reached; outcome recorded
	Unreachable Status = "unreachable" // every attempt failed (F10)
	Problem     Status = "problem"     // the revisit found a problem; the ticket reopened (T13)
	Cancelled   Status = "cancelled"   // no longer needed
)

// Final reports whether the status ends the task.
func (s Status) Final() bool {
	return s == Done || s == Unreachable || s == Problem || s == Cancelled
}

// Lease is a worker's hold on a claimed task. Token changes with every
// claim, so a worker whose lease expired and was claimed again (even by
// itself) cannot complete with the old one.
type Lease struct {
	Owner   string
	Token   uuid.UUID
	Expires time.Time
}

// Task is one dated follow-up: call or visit this customer, in this
// window, in this way. Values returned by the store are copies.
type Task struct {
	ID      uuid.UUID // uuid.NewSHA1 of desk, trigger key and rule ID
	Desk    string
	Version int64 // one more with every stored change

	Rule    string // the rule ID, e.g. "F2.leak"
	Cites   string // the rule of RULES.md, e.g. "F2"
	Trigger TriggerKind
	Key     string // the trigger's key
	Subject string // the customer or case reference (S1: no personal data)
	// Ticket is the case, if the trigger came from one.
	Ticket     uuid.UUID
	TicketKind ticket.Kind
	Category   string
	Seq        int // 1 for the first task of a chain, 2 for the next (F1)

	Channel   Channel
	Role      ticket.Role
	Checklist []CheckItem
	Grade     bool // the outcome must grade the customer (F9)
	Revisit   bool // the outcome is the ticket's revisit outcome
	Sampled   bool // chosen by F5 sampling

	TriggeredAt time.Time // the trigger's time
	NotBefore   time.Time // the window opens: claimable from here
	Due         time.Time // the window closes: done by here is on time

	Attempts    int // contact attempts made
	MaxAttempts int
	RetryAfter  time.Duration
	Repeat      time.Duration
	UntilClosed bool

	Status  Status
	Lease   Lease    // while Claimed
	Outcome *Outcome // when final
	// Synced: the outcome has been recorded on the ticket (only for
	// revisit tasks; see TicketSync).
	Synced bool

	CreatedAt time.Time
	UpdatedAt time.Time
	ClosedAt  time.Time // when it became final
}

// Open reports whether the task still waits for an outcome.
func (t *Task) Open() bool { return !t.Status.Final() }

// ReadyAt is when the task can next be claimed: NotBefore while pending,
// the lease expiry while claimed (an expired lease returns the task to
// the queue). Final tasks are never ready: the zero time.
func (t *Task) ReadyAt() time.Time {
	switch t.Status {
	case Pending:
		return t.NotBefore
	case Claimed:
		return t.Lease.Expires
	}
	return time.Time{}
}

// OnTime reports whether the task ended (reached, problem or cancelled)
// by its due time.
func (t *Task) OnTime() bool {
	return t.Status.Final() && !t.ClosedAt.After(t.Due)
}

// Clone returns a deep copy.
func (t *Task) Clone() *Task {
	if t == nil {
		return nil
	}
	c := *t
	c.Checklist = slices.Clone(t.Checklist)
	if t.Outcome != nil {
		o := t.Outcome.clone()
		c.Outcome = &o
	}
	return &c
}

// TaskID returns the ID of the task a rule derives from a trigger: the
// same desk, trigger key and rule always give the same ID, so deriving
// twice stores one task.
func TaskID(desk, key, rule string) uuid.UUID {
	return uuid.NewSHA1(namespace, []byte(desk+"\n"+key+"\n"+rule))
}

// namespace is the UUID namespace of follow-up task IDs.
var namespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/servicedesk-go/desk/followup"))
