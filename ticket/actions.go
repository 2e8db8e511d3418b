package ticket

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Assignment routes work to a person or department (T4).
type Assignment struct {
	Assignee   string
	Department string
	// Due is the deadline given to the department (T4 "限期解决"); zero
	// for none.
	Due time.Time
	// Appointment is the visit time agreed with the customer (T12).
	Appointment time.Time
	// External marks another organisation (T11): explain, apologise,
	// contact them, and tell the customer the result.
	External bool
	// Written marks a written notice; after a failed revisit the rework
	// must be notified in writing (T13).
	Written bool
	Note    string
}

func (a Assignment) check(b *Bounds, now time.Time) error {
	if err := b.name("assignee", a.Assignee); err != nil {
		return err
	}
	if err := b.name("department", a.Department); err != nil {
		return err
	}
	if err := b.note("note", a.Note); err != nil {
		return err
	}
	if err := b.when("due", a.Due); err != nil {
		return err
	}
	if err := b.when("appointment", a.Appointment); err != nil {
		return err
	}
	if strings.TrimSpace(a.Assignee) == "" && strings.TrimSpace(a.Department) == "" {
		return invalid("assignment", "name an assignee or a department")
	}
	if !a.Due.IsZero() && !a.Due.After(now) {
		return invalid("due", "the department's deadline %s is not in the future", a.Due.Format(time.RFC3339))
	}
	if !a.Appointment.IsZero() && !a.Appointment.After(now) {
		return invalid("appointment", "the appointment %s is not in the future", a.Appointment.Format(time.RFC3339))
	}
	return nil
}

func (a Assignment) apply(t *Ticket, e *Event, now time.Time) {
	t.Assignee, t.Department = strings.TrimSpace(a.Assignee), strings.TrimSpace(a.Department)
	e.Note = a.Note
	e.Data = map[string]string{"assignee": t.Assignee, "department": t.Department}
	if a.External {
		e.Data["external"] = "true"
	}
	if a.Written {
		e.Data["written"] = "true"
	}
	if !a.Due.IsZero() {
		t.startAt(DeadlineWork, now, a.Due)
		e.Data["due"] = a.Due.Format(time.RFC3339)
	}
	if !a.Appointment.IsZero() {
		t.Appointment = a.Appointment
		e.Data["appointment"] = a.Appointment.Format(time.RFC3339)
	}
}

// Dispatch routes the ticket to an assignee or department (T4); the owner
// stays the owner (T1). It meets the three-minute clock (T5). From
// reopened after a failed revisit it is the rework notice and must be
// written (T13). Fields the policy requires first must be present (T2).
// Event data: "assignee", "department", "due", "appointment",
// "external", "written".
func (s *Service) Dispatch(ctx context.Context, by Actor, ref Ref, a Assignment) (*Ticket, error) {
	return s.apply(ctx, by, ref, ActDispatch, func(t *Ticket, e *Event, now time.Time) error {
		if err := a.check(&s.bounds, now); err != nil {
			return err
		}
		if d, ok := t.Deadline(DeadlineReworkNotice); ok && d.Open() {
			if !a.Written {
				return invalid("written", "rework after a failed revisit must be notified in writing (T13)")
			}
			t.finish(DeadlineReworkNotice, now)
		}
		t.finish(DeadlineDispatch, now)
		a.apply(t, e, now)
		return nil
	})
}

// Reassign routes dispatched work to another assignee or department (T4).
func (s *Service) Reassign(ctx context.Context, by Actor, ref Ref, a Assignment) (*Ticket, error) {
	return s.apply(ctx, by, ref, ActReassign, func(t *Ticket, e *Event, now time.Time) error {
		if t.State != Dispatched {
			return &TransitionError{State: t.State, Action: ActReassign}
		}
		if err := a.check(&s.bounds, now); err != nil {
			return err
		}
		a.apply(t, e, now)
		return nil
	})
}

// Resolve records the solution, signed off by the actor who resolved it
// (T9). The 48-hour clock to answer the customer starts now (T7a).
func (s *Service) Resolve(ctx context.Context, by Actor, ref Ref, summary string) (*Ticket, error) {
	return s.resolve(ctx, by, ref, ActResolve, summary)
}

// ResolveOnSpot resolves a request at reception and answers the
// customer at once (T3): received → answered.
func (s *Service) ResolveOnSpot(ctx context.Context, by Actor, ref Ref, summary string) (*Ticket, error) {
	return s.resolve(ctx, by, ref, ActResolveOnSpot, summary)
}

func (s *Service) resolve(ctx context.Context, by Actor, ref Ref, action Action, summary string) (*Ticket, error) {
	if err := s.bounds.note("summary", summary); err != nil {
		return nil, s.refuse(ctx, by, ref, action, err)
	}
	summary = strings.TrimSpace(summary)
	if summary == "" {
		return nil, s.refuse(ctx, by, ref, action, invalid("summary", "record the solution; the resolver signs it off (T9)"))
	}
	return s.apply(ctx, by, ref, action, func(t *Ticket, e *Event, now time.Time) error {
		t.Resolution = &Resolution{Summary: summary, Resolver: by.ID, At: now}
		e.Note = summary
		e.Data = map[string]string{"resolver": by.ID}
		t.finish(DeadlineWork, now)
		if action == ActResolveOnSpot {
			t.finish(DeadlineDispatch, now)
			t.finish(DeadlineReply, now)
			t.AnsweredAt = now
			return nil
		}
		t.start(&s.policy, DeadlineAnswer, s.policy.Answer, now) // T7a
		return nil
	})
}

// Answer records that the customer has been told the solution (T7a).
func (s *Service) Answer(ctx context.Context, by Actor, ref Ref, note string) (*Ticket, error) {
	if err := s.bounds.note("note", note); err != nil {
		return nil, s.refuse(ctx, by, ref, ActAnswer, err)
	}
	return s.apply(ctx, by, ref, ActAnswer, func(t *Ticket, e *Event, now time.Time) error {
		t.finish(DeadlineAnswer, now)
		t.finish(DeadlineReply, now)
		t.AnsweredAt = now
		e.Note = note
		return nil
	})
}

// Accept records the customer's acceptance (T8). Without an outstanding
// revisit the ticket closes; with one it waits in state revisit for the
// outcome (action await_revisit).
func (s *Service) Accept(ctx context.Context, by Actor, ref Ref, note string) (*Ticket, error) {
	if err := s.bounds.note("note", note); err != nil {
		return nil, s.refuse(ctx, by, ref, ActAccept, err)
	}
	return s.apply(ctx, by, ref, ActAccept, func(_ *Ticket, e *Event, _ time.Time) error {
		e.Note = note
		return nil
	})
}

// Reject records that the customer rejected the solution (T8); the
// ticket goes back to work. Escalate it if it stays unresolved.
func (s *Service) Reject(ctx context.Context, by Actor, ref Ref, reason string) (*Ticket, error) {
	if err := s.bounds.note("reason", reason); err != nil {
		return nil, s.refuse(ctx, by, ref, ActReject, err)
	}
	if strings.TrimSpace(reason) == "" {
		return nil, s.refuse(ctx, by, ref, ActReject, invalid("reason", "record why the customer rejected the solution (T8)"))
	}
	return s.apply(ctx, by, ref, ActReject, func(t *Ticket, e *Event, _ time.Time) error {
		t.Rejections++
		e.Note = reason
		e.Data = map[string]string{"rejections": fmt.Sprint(t.Rejections)}
		return nil
	})
}

// RequireRevisit plans a revisit (a follow-up's decision, or a sampled
// complaint, F5): the ticket cannot close on acceptance until the
// outcome is recorded.
func (s *Service) RequireRevisit(ctx context.Context, by Actor, ref Ref, reason string) (*Ticket, error) {
	if err := s.bounds.note("reason", reason); err != nil {
		return nil, s.refuse(ctx, by, ref, ActRequireRevisit, err)
	}
	return s.apply(ctx, by, ref, ActRequireRevisit, func(t *Ticket, e *Event, _ time.Time) error {
		if t.State.Terminal() || t.State == Revisit {
			return &TransitionError{State: t.State, Action: ActRequireRevisit}
		}
		t.Revisit = RevisitStatus{Required: true, Reason: reason}
		e.Note = reason
		return nil
	})
}

// RevisitOutcome is what a revisit found.
type RevisitOutcome struct {
	// Passed: the work is fine and the ticket closes. Otherwise the
	// ticket goes back to work and a written rework notice is due within
	// the policy's limit (T13).
	Passed bool
	Note   string
}

// RecordRevisit records the outcome of the outstanding revisit.
func (s *Service) RecordRevisit(ctx context.Context, by Actor, ref Ref, o RevisitOutcome) (*Ticket, error) {
	action := ActRevisitPass
	if !o.Passed {
		action = ActRevisitFail
	}
	if err := s.bounds.note("note", o.Note); err != nil {
		return nil, s.refuse(ctx, by, ref, action, err)
	}
	if !o.Passed {
		if strings.TrimSpace(o.Note) == "" {
			return nil, s.refuse(ctx, by, ref, action, invalid("note", "describe the problem the revisit found (T13)"))
		}
	}
	return s.apply(ctx, by, ref, action, func(t *Ticket, e *Event, now time.Time) error {
		e.Note = o.Note
		if o.Passed {
			t.Revisit.Done, t.Revisit.Passed = true, true
			return nil
		}
		// The rework is revisited again before the ticket may close.
		t.Revisit = RevisitStatus{Required: true, Reason: "rework after a failed revisit (T13)"}
		t.start(&s.policy, DeadlineReworkNotice, s.policy.ReworkNotice, now)
		return nil
	})
}

// Reopen sends a closed ticket back to work.
func (s *Service) Reopen(ctx context.Context, by Actor, ref Ref, reason string) (*Ticket, error) {
	if err := s.bounds.note("reason", reason); err != nil {
		return nil, s.refuse(ctx, by, ref, ActReopen, err)
	}
	if strings.TrimSpace(reason) == "" {
		return nil, s.refuse(ctx, by, ref, ActReopen, invalid("reason", "say why the ticket is reopened"))
	}
	return s.apply(ctx, by, ref, ActReopen, func(_ *Ticket, e *Event, _ time.Time) error {
		e.Note = reason
		return nil
	})
}

// CancelReason says why a ticket ends without a solution (T11).
type CancelReason string

// Cancel reasons.
const (
	OutOfScope CancelReason = "out_of_scope" // explained and ended politely (T11)
	Withdrawn  CancelReason = "withdrawn"    // the customer withdrew the request
	Duplicate  CancelReason = "duplicate"    // already recorded as another case
)

// Cancel ends the ticket without a solution (T11). The note says what
// the customer was told; every running clock stops.
func (s *Service) Cancel(ctx context.Context, by Actor, ref Ref, reason CancelReason, note string) (*Ticket, error) {
	if err := s.bounds.note("note", note); err != nil {
		return nil, s.refuse(ctx, by, ref, ActCancel, err)
	}
	switch reason {
	case OutOfScope, Withdrawn, Duplicate:
	default:
		return nil, s.refuse(ctx, by, ref, ActCancel, invalid("reason", "%q is not a cancel reason", reason))
	}
	if strings.TrimSpace(note) == "" {
		return nil, s.refuse(ctx, by, ref, ActCancel, invalid("note", "record what the customer was told (T11)"))
	}
	return s.apply(ctx, by, ref, ActCancel, func(t *Ticket, e *Event, now time.Time) error {
		for _, d := range t.Deadlines {
			t.finish(d.Name, now)
		}
		t.CancelNote = note
		e.Note = note
		e.Data = map[string]string{"reason": string(reason)}
		return nil
	})
}

// Escalate raises the ticket to level (T6); level 0 means one above the
// current level. Event data: "level".
func (s *Service) Escalate(ctx context.Context, by Actor, ref Ref, level int, reason string) (*Ticket, error) {
	if err := s.bounds.note("reason", reason); err != nil {
		return nil, s.refuse(ctx, by, ref, ActEscalate, err)
	}
	if strings.TrimSpace(reason) == "" {
		return nil, s.refuse(ctx, by, ref, ActEscalate, invalid("reason", "say why the ticket is escalated (T6)"))
	}
	if level < 0 || level > s.bounds.Levels {
		return nil, s.refuse(ctx, by, ref, ActEscalate, invalid("level", "%d is outside 0 to %d, the desk's escalation levels (Policy.Bounds.Levels, T6)", level, s.bounds.Levels))
	}
	return s.apply(ctx, by, ref, ActEscalate, func(t *Ticket, e *Event, _ time.Time) error {
		if t.State.Terminal() {
			return &TransitionError{State: t.State, Action: ActEscalate}
		}
		if level == 0 {
			level = t.Escalation.Level + 1
			if level > s.bounds.Levels {
				return invalid("level", "ticket %s is at the highest level %d (Policy.Bounds.Levels, T6)", t.ID, t.Escalation.Level)
			}
		}
		if level <= t.Escalation.Level {
			return invalid("level", "ticket %s is already at level %d", t.ID, t.Escalation.Level)
		}
		t.Escalation = Escalation{Level: level, Reason: reason}
		e.Note = reason
		e.Data = map[string]string{"level": fmt.Sprint(level)}
		return nil
	})
}

// Classify sets a complaint's class and severity (T16); the severity
// policy may escalate it (T6) and plan a revisit.
func (s *Service) Classify(ctx context.Context, by Actor, ref Ref, c ComplaintInfo) (*Ticket, error) {
	if err := s.bounds.name("complaint class", c.Class); err != nil {
		return nil, s.refuse(ctx, by, ref, ActClassify, err)
	}
	if err := s.bounds.name("severity", string(c.Severity)); err != nil {
		return nil, s.refuse(ctx, by, ref, ActClassify, err)
	}
	if err := s.checkSeverity(c.Severity); err != nil {
		return nil, s.refuse(ctx, by, ref, ActClassify, err)
	}
	return s.apply(ctx, by, ref, ActClassify, func(t *Ticket, e *Event, _ time.Time) error {
		if t.Kind != Complaint {
			return invalid("kind", "ticket %s is a %s, not a complaint", t.ID, t.Kind)
		}
		if t.State.Terminal() {
			return &TransitionError{State: t.State, Action: ActClassify}
		}
		t.Complaint = &c
		s.applySeverity(t, e)
		return nil
	})
}

// checkReplyTime enforces T7b: a reply time in the future and at most
// the policy's limit ahead.
func (s *Service) checkReplyTime(at, now time.Time) error {
	if err := s.bounds.when("reply time", at); err != nil {
		return err
	}
	if !at.After(now) {
		return invalid("reply time", "%s is not in the future", at.Format(time.RFC3339))
	}
	if l := s.policy.ReplyAhead; l.On {
		if limit := s.policy.due(now, l.Within); at.After(limit) {
			return invalid("reply time", "%s is more than %s ahead; agree an earlier time (T7b)", at.Format(time.RFC3339), l.Within)
		}
	}
	return nil
}

// Promise records a reply time agreed with the customer (T7b); its clock
// runs until the customer is answered. Event data: "reply_by".
func (s *Service) Promise(ctx context.Context, by Actor, ref Ref, replyBy time.Time, note string) (*Ticket, error) {
	if err := s.bounds.note("note", note); err != nil {
		return nil, s.refuse(ctx, by, ref, ActPromise, err)
	}
	return s.apply(ctx, by, ref, ActPromise, func(t *Ticket, e *Event, now time.Time) error {
		if t.State.Terminal() || t.State == Answered || t.State == Revisit {
			return &TransitionError{State: t.State, Action: ActPromise}
		}
		if err := s.checkReplyTime(replyBy, now); err != nil {
			return err
		}
		t.ReplyBy = replyBy
		t.startAt(DeadlineReply, now, replyBy)
		e.Note = note
		e.Data = map[string]string{"reply_by": replyBy.Format(time.RFC3339)}
		return nil
	})
}

// Progress is what the customer is told when an agreed reply time
// passes without a result (T7b).
type Progress struct {
	Note      string    // the progress so far
	Apologize bool      // the apology was made; T7b requires it
	NextReply time.Time // the new agreed time
}

// Progress records a progress report with an apology and a new reply
// time (T7b). It needs an agreed reply time; the old clock is closed
// (late if it had passed) and a new one starts. Event data: "reply_by",
// "late" when the old time had passed.
func (s *Service) Progress(ctx context.Context, by Actor, ref Ref, p Progress) (*Ticket, error) {
	if err := s.bounds.note("note", p.Note); err != nil {
		return nil, s.refuse(ctx, by, ref, ActProgress, err)
	}
	if strings.TrimSpace(p.Note) == "" {
		return nil, s.refuse(ctx, by, ref, ActProgress, invalid("note", "tell the customer the progress (T7b)"))
	}
	if !p.Apologize {
		return nil, s.refuse(ctx, by, ref, ActProgress, invalid("apology", "apologise to the customer with the progress report (T7b)"))
	}
	return s.apply(ctx, by, ref, ActProgress, func(t *Ticket, e *Event, now time.Time) error {
		d, ok := t.Deadline(DeadlineReply)
		if !ok || !d.Open() {
			return invalid("reply time", "ticket %s has no agreed reply time; use Promise", t.ID)
		}
		if err := s.checkReplyTime(p.NextReply, now); err != nil {
			return err
		}
		e.Data = map[string]string{"reply_by": p.NextReply.Format(time.RFC3339)}
		if now.After(d.Due) {
			e.Data["late"] = now.Sub(d.Due).String()
		}
		t.ReplyBy = p.NextReply
		t.startAt(DeadlineReply, now, p.NextReply)
		e.Note = p.Note
		return nil
	})
}

// Notice is how the customer was told of a change.
type Notice string

// Notices (T12: "书面或电话").
const (
	PhoneNotice   Notice = "phone"
	WrittenNotice Notice = "written"
)

// Reschedule records a missed or moved appointment (T12): the customer
// was told by phone or in writing and a new time was agreed. Event
// data: "appointment", "notice", "missed" when the old time had passed.
func (s *Service) Reschedule(ctx context.Context, by Actor, ref Ref, at time.Time, notice Notice, note string) (*Ticket, error) {
	if err := s.bounds.note("note", note); err != nil {
		return nil, s.refuse(ctx, by, ref, ActReschedule, err)
	}
	if notice != PhoneNotice && notice != WrittenNotice {
		return nil, s.refuse(ctx, by, ref, ActReschedule, invalid("notice", "tell the customer by phone or in writing (T12), not %q", notice))
	}
	return s.apply(ctx, by, ref, ActReschedule, func(t *Ticket, e *Event, now time.Time) error {
		if t.State.Terminal() {
			return &TransitionError{State: t.State, Action: ActReschedule}
		}
		if err := s.bounds.when("appointment", at); err != nil {
			return err
		}
		if !at.After(now) {
			return invalid("appointment", "%s is not in the future", at.Format(time.RFC3339))
		}
		e.Data = map[string]string{"appointment": at.Format(time.RFC3339), "notice": string(notice)}
		if !t.Appointment.IsZero() && now.After(t.Appointment) {
			e.Data["missed"] = t.Appointment.Format(time.RFC3339)
		}
		t.Appointment = at
		e.Note = note
		return nil
	})
}

// Note adds a note to the history without changing anything else.
func (s *Service) Note(ctx context.Context, by Actor, ref Ref, note string) (*Ticket, error) {
	if err := s.bounds.note("note", note); err != nil {
		return nil, s.refuse(ctx, by, ref, ActNote, err)
	}
	if strings.TrimSpace(note) == "" {
		return nil, s.refuse(ctx, by, ref, ActNote, invalid("note", "the note is empty"))
	}
	return s.apply(ctx, by, ref, ActNote, func(_ *Ticket, e *Event, _ time.Time) error {
		e.Note = note
		return nil
	})
}
