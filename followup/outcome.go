package followup

import (
	"slices"
	"strings"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// Result is what a follow-up came to.
type Result string

// Results.
const (
	// Reached: the customer was reached and the work checked (F4); for a
	// revisit task the ticket's revisit passes.
	Reached Result = "reached"
	// NotReached: nobody answered. The task is tried again after the
	// rule's pause until its attempts are used up, then it ends
	// Unreachable and appears on the next month's list (F10).
	NotReached Result = "not_reached"
	// ProblemFound: the revisit found a problem. A ticket's revisit
	// fails: it reopens and the written rework notice is due within the
	// ticket policy's limit, 24 h by default (T13).
	ProblemFound Result = "problem_found"
	// Withdrawn: the follow-up is no longer needed (say why in Note).
	Withdrawn Result = "withdrawn"
)

// Outcome is the record of one follow-up (F11).
type Outcome struct {
	Result Result       `json:"result"`
	By     ticket.Actor `json:"by"` // who made the call or visit (F3 counts by role)
	// Channel is how it was actually made; "" means the task's channel.
	Channel Channel `json:"channel"`
	// Checked lists the checklist items done (F4). A reached outcome must
	// cover the task's checklist.
	Checked []CheckItem `json:"checked,omitempty"`
	// SignedBy references the visited person's signature (F4 item 5,
	// F5): a document or signature-record ID, not a name (S1).
	SignedBy string `json:"signed_by,omitempty"`
	// Satisfaction is the customer's score, 1 to the queue's scale (5 by
	// default), 0 when not asked (K4).
	Satisfaction int `json:"satisfaction,omitempty"`
	// Grade is the customer's grade, asked in the dealer's 7-day call
	// (F9 客户等级评估), e.g. "A", "B", "C".
	Grade string `json:"grade,omitempty"`
	Note  string `json:"note,omitempty"`
	// FollowAgain says the case still needs following: a rule with
	// Repeat derives the next follow-up, due within Repeat (F1).
	FollowAgain bool `json:"follow_again,omitempty"`
	// At is when the outcome was recorded; the queue sets it.
	At time.Time `json:"at"`
}

func (o Outcome) clone() Outcome {
	o.Checked = slices.Clone(o.Checked)
	return o
}

// Signed reports whether the outcome was on site with a signature (F5).
func (o Outcome) Signed() bool { return o.Channel == OnSite && o.SignedBy != "" }

// check reports an outcome that does not fit the task.
func (o *Outcome) check(t *Task, scale int) error {
	if o.By.ID == "" || o.By.Role == "" {
		return invalid("outcome actor", "task %s: say who made the follow-up and in which role", t.ID)
	}
	if o.Satisfaction < 0 || o.Satisfaction > scale {
		return invalid("satisfaction", "task %s: score %d is outside 0..%d (K4)", t.ID, o.Satisfaction, scale)
	}
	if o.Channel == "" {
		o.Channel = t.Channel
	}
	if o.Channel != Phone && o.Channel != OnSite {
		return invalid("outcome channel", "task %s: channel %q is neither %s nor %s", t.ID, o.Channel, Phone, OnSite)
	}
	switch o.Result {
	case Reached:
		var missing []string
		for _, c := range t.Checklist {
			if !slices.Contains(o.Checked, c) {
				missing = append(missing, string(c))
			}
		}
		if len(missing) > 0 {
			return invalid("checklist", "task %s: items %s are not done (F4)", t.ID, strings.Join(missing, ", "))
		}
		if slices.Contains(t.Checklist, CheckInspect) && o.Channel != OnSite {
			return invalid("outcome channel", "task %s: the repair is inspected on site, not by %s (F4)", t.ID, o.Channel)
		}
		if slices.Contains(t.Checklist, CheckSignature) && strings.TrimSpace(o.SignedBy) == "" {
			return invalid("signature", "task %s: record the visited person's signature (F4)", t.ID)
		}
		if t.Grade && strings.TrimSpace(o.Grade) == "" {
			return invalid("grade", "task %s: assess the customer's grade in this call (F9)", t.ID)
		}
	case ProblemFound:
		if strings.TrimSpace(o.Note) == "" {
			return invalid("note", "task %s: describe the problem found (T13)", t.ID)
		}
	case Withdrawn:
		if strings.TrimSpace(o.Note) == "" {
			return invalid("note", "task %s: say why the follow-up is withdrawn", t.ID)
		}
	case NotReached:
	default:
		return invalid("result", "task %s: unknown result %q", t.ID, o.Result)
	}
	return nil
}

// status returns the task status the outcome leads to, given the
// attempts made including this one.
func (o *Outcome) status(t *Task) Status {
	switch o.Result {
	case Reached:
		return Done
	case ProblemFound:
		return Problem
	case Withdrawn:
		return Cancelled
	}
	if t.Attempts >= max(1, t.MaxAttempts) {
		return Unreachable
	}
	return Pending
}
