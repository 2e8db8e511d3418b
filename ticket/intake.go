package ticket

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Intake is a request as it arrives (T2).
type Intake struct {
	Kind     Kind
	Category string // e.g. "safety", "leak", "general" for repairs (F2)
	Channel  Channel
	// Fields are the details obtained from the customer. Missing ones do
	// not refuse the request: it is recorded as incomplete (T2, T14).
	Fields map[string]string
	// Complaint is the class and severity of a complaint (T16).
	Complaint *ComplaintInfo
	// Unattended marks a request that arrived with nobody receiving it: a
	// web form, a voicemail, a call outside service hours (T19). It has
	// no owner until an agent takes it. Requests recorded by the system
	// role are always unattended.
	Unattended bool
	Note       string

	// Customer is the CRM's customer record (S1: personal data, erasable).
	Customer *Customer
	// Attrs are custom attributes declared in Policy.Attributes.
	Attrs map[string]string
	// Attachments are references to photos, recordings, documents.
	Attachments []Attachment

	// Subject and Description are the request in the customer's words,
	// e.g. an e-mail's subject and body (see Policy.PersonalText).
	Subject     string
	Description string
	// Priority is one of Policy.Priorities; "" means
	// Policy.DefaultPriority.
	Priority Priority
	// Tags are free labels (see NormalizeTags).
	Tags []string
}

// Receive records a new request (T2) and makes the receiving actor its
// first-contact owner (T1), unless it arrived unattended (T19). The
// request is recorded even when fields are missing; they are listed in
// Ticket.Missing. The dispatch clock starts now (T5); complaints are
// escalated by severity (T16, T6); kinds whose policy asks for a revisit
// get one planned.
//
// Event data: "channel", "owner" (when owned), "missing" (comma
// separated, when incomplete), "severity" and "class" for complaints,
// "priority" and "tags" (comma separated) when given. The subject and
// description stay out of the event (S1).
func (s *Service) Receive(ctx context.Context, by Actor, in Intake) (*Ticket, error) {
	return s.receive(ctx, by, in, uuid.Nil)
}

func (s *Service) receive(ctx context.Context, by Actor, in Intake, parent uuid.UUID) (_ *Ticket, err error) {
	if s.watch {
		defer s.observed(ctx, ActReceive, time.Now(), &err)
	}
	t, ev, err := s.intakeTicket(by, in, parent)
	if err != nil {
		return nil, err
	}
	if err := s.store.Create(ctx, t, []Event{ev}); err != nil {
		return nil, err
	}
	return t, nil
}

// A Receipt is one intake and the actor receiving it, for ReceiveBatch.
type Receipt struct {
	By     Actor
	Intake Intake
}

// ReceiveBatch receives several intakes at once, each as Receive does
// (T1, T2, T5, T16, T19): rs[i] is checked and authorised on its own,
// and errs[i] is its refusal (ErrInvalid, ErrForbidden), which affects
// no other receipt. tickets[i] is the ticket stored for rs[i].
//
// The accepted intakes are written together: on a store that is a
// BatchCreator (MemStore and the SQL adapters) in one atomic operation,
// with consecutive case numbers in receipt order; this is how a service
// taking many intakes at once commits them once (group commit) instead
// of once each. On any other store they are created one after another.
// A non-nil err is the store's failure: on a BatchCreator nothing of the
// batch was written; on another store the receipts before the failed
// one were (their tickets are set) and the rest were not. Either way
// tickets[i] is non-nil exactly for the intakes known to be stored.
// As for any write, a failure that is store.ErrUnavailable or the
// context's may come after the store committed: the failed write (the
// whole batch, on a BatchCreator) may then be stored all the same.
func (s *Service) ReceiveBatch(ctx context.Context, rs []Receipt) (tickets []*Ticket, errs []error, err error) {
	start := time.Now()
	tickets, errs = make([]*Ticket, len(rs)), make([]error, len(rs))
	var (
		ok    []int // the receipts accepted, in order
		ts    []*Ticket
		hists [][]Event
	)
	for i, r := range rs {
		t, ev, err := s.intakeTicket(r.By, r.Intake, uuid.Nil)
		if err != nil {
			errs[i] = err
			continue
		}
		ok, ts, hists = append(ok, i), append(ts, t), append(hists, []Event{ev})
	}
	if bc, batch := s.store.(BatchCreator); batch && len(ts) > 0 {
		if err = bc.CreateBatch(ctx, ts, hists); err == nil {
			for j, i := range ok {
				tickets[i] = ts[j]
			}
		}
	} else {
		for j, i := range ok {
			if err = s.store.Create(ctx, ts[j], hists[j]); err != nil {
				break
			}
			tickets[i] = ts[j]
		}
	}
	if s.watch {
		for i := range rs {
			e := errs[i]
			if e == nil && tickets[i] == nil {
				e = err
			}
			s.observed(ctx, ActReceive, start, &e)
		}
	}
	return tickets, errs, err
}

// intakeTicket is the ticket an intake opens and its receive event, or
// why the intake is refused; nothing is stored.
func (s *Service) intakeTicket(by Actor, in Intake, parent uuid.UUID) (*Ticket, Event, error) {
	if err := s.bounds.actor(by); err != nil {
		return nil, Event{}, err
	}
	if err := s.bounds.intake(&in); err != nil {
		return nil, Event{}, s.refuseIntake(by, in, parent, err)
	}
	if err := s.checkIntake(in); err != nil {
		return nil, Event{}, s.refuseIntake(by, in, parent, err)
	}
	if err := in.Customer.check(); err != nil {
		return nil, Event{}, s.refuseIntake(by, in, parent, err)
	}
	attrs, err := s.policy.checkAttrs(in.Attrs)
	if err != nil {
		return nil, Event{}, s.refuseIntake(by, in, parent, err)
	}
	tags, err := NormalizeTags(in.Tags)
	if err != nil {
		return nil, Event{}, s.refuseIntake(by, in, parent, err)
	}
	if in.Priority == "" {
		in.Priority = s.policy.DefaultPriority
	}
	now := s.now()
	atts := make([]Attachment, len(in.Attachments))
	for i, a := range in.Attachments {
		a.AddedBy, a.AddedAt = by.ID, now
		if err := a.check(); err != nil {
			return nil, Event{}, s.refuseIntake(by, in, parent, err)
		}
		atts[i] = a
	}
	t := &Ticket{
		ID: s.newID(), Desk: s.desk, Version: 1,
		Kind: in.Kind, Category: in.Category, Channel: in.Channel, State: Received,
		Fields: cleanFields(in.Fields), Parent: parent,
		Subject: strings.TrimSpace(in.Subject), Description: strings.TrimSpace(in.Description),
		Priority: in.Priority, Tags: tags,
		ReceivedAt: now, UpdatedAt: now,
	}
	if in.Customer != nil {
		c := *in.Customer
		t.Customer = &c
	}
	for k, v := range attrs {
		if v != "" {
			if t.Attrs == nil {
				t.Attrs = map[string]string{}
			}
			t.Attrs[k] = v
		}
	}
	if len(atts) > 0 {
		t.Attachments = atts
	}
	if by.Role != RoleSystem && !in.Unattended {
		t.Owner = by.ID // T1
	}
	if err := s.auth.Authorize(by, ActReceive, t); err != nil {
		return nil, Event{}, fmt.Errorf("%w: %s may not receive requests: %v", ErrForbidden, by, err)
	}
	ev := Event{
		ID: s.newID(), Desk: s.desk, Ticket: t.ID, Seq: 1,
		Action: ActReceive, Actor: by.ID, Role: by.Role, At: now, To: Received,
		Note: in.Note, Kind: t.Kind, Category: t.Category,
		Data: map[string]string{"channel": string(in.Channel)},
	}
	if t.Owner != "" {
		ev.Data["owner"] = t.Owner
	}
	if t.Customer != nil {
		ev.Data["customer"] = t.Customer.ID
	}
	if parent != uuid.Nil {
		ev.Data["parent"] = parent.String()
	}
	if t.Priority != "" {
		ev.Data["priority"] = string(t.Priority)
	}
	if len(t.Tags) > 0 {
		ev.Data["tags"] = strings.Join(t.Tags, TagSeparator)
	}
	kp := s.policy.Kinds[t.Kind]
	t.Missing = missing(kp.Fields, t.Fields)
	if len(t.Missing) > 0 {
		ev.Data["missing"] = strings.Join(t.Missing, ",")
	}
	if kp.Revisit {
		t.Revisit = RevisitStatus{Required: true, Reason: "policy for " + string(t.Kind)}
	}
	if in.Complaint != nil {
		c := *in.Complaint
		t.Complaint = &c
		s.applySeverity(t, &ev)
	}
	t.start(&s.policy, DeadlineDispatch, s.policy.Dispatch, now) // T5
	s.startSLA(t, now)
	return t, ev, nil
}

// refuseIntake is what receive returns when the intake is invalid
// (bad): an actor who may not receive such a request gets ErrForbidden
// instead, and so learns nothing about the body. The right is asked
// about the ticket the intake would open, as far as it can be built.
func (s *Service) refuseIntake(by Actor, in Intake, parent uuid.UUID, bad error) error {
	probe := &Ticket{Desk: s.desk, Kind: in.Kind, Category: in.Category, Channel: in.Channel,
		State: Received, Parent: parent, Priority: in.Priority}
	if by.Role != RoleSystem && !in.Unattended {
		probe.Owner = by.ID // T1, as receive sets it
	}
	if err := s.auth.Authorize(by, ActReceive, probe); err != nil {
		return fmt.Errorf("%w: %s may not receive requests: %v", ErrForbidden, by, err)
	}
	return bad
}

func (s *Service) checkIntake(in Intake) error {
	if in.Kind == "" {
		return invalid("kind", "name the kind of request")
	}
	if len(s.policy.Kinds) > 0 {
		if _, ok := s.policy.Kinds[in.Kind]; !ok {
			return invalid("kind", "%q is not a kind of this desk; add it to Policy.Kinds", in.Kind)
		}
	}
	if !slices.Contains(Channels(), in.Channel) {
		return invalid("channel", "%q is not one of %v", in.Channel, Channels())
	}
	if err := s.policy.checkPriority(in.Priority); err != nil {
		return err
	}
	if in.Complaint != nil {
		if in.Kind != Complaint {
			return invalid("complaint", "only complaints carry a class and severity")
		}
		if err := s.checkSeverity(in.Complaint.Severity); err != nil {
			return err
		}
	}
	for k := range in.Fields {
		if strings.TrimSpace(k) == "" {
			return invalid("fields", "a field has an empty name")
		}
	}
	return nil
}

func (s *Service) checkSeverity(sev Severity) error {
	if len(s.policy.Severity) == 0 {
		return nil
	}
	if _, ok := s.policy.Severity[sev]; !ok {
		return invalid("severity", "%q is not a severity of this desk", sev)
	}
	return nil
}

// applySeverity raises escalation and plans a revisit as the severity
// policy says (T16, T6).
func (s *Service) applySeverity(t *Ticket, ev *Event) {
	sp := s.policy.Severity[t.Complaint.Severity]
	if ev.Data == nil {
		ev.Data = map[string]string{}
	}
	ev.Data["severity"] = string(t.Complaint.Severity)
	ev.Data["class"] = t.Complaint.Class
	if sp.Escalate > t.Escalation.Level {
		t.Escalation = Escalation{Level: sp.Escalate, Reason: fmt.Sprintf("%s complaint (T16)", t.Complaint.Severity)}
		ev.Data["escalation"] = fmt.Sprint(sp.Escalate)
	}
	if sp.Revisit && !t.Revisit.Required {
		t.Revisit = RevisitStatus{Required: true, Reason: fmt.Sprintf("%s complaint", t.Complaint.Severity)}
	}
}

func cleanFields(in map[string]string) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if v != "" {
			out[k] = v
		}
	}
	return out
}

func missing(need []string, have map[string]string) []string {
	var out []string
	for _, f := range need {
		if have[f] == "" {
			out = append(out, f)
		}
	}
	return out
}

// Complete adds intake fields that were missing or corrects given ones
// (T2). Event data: the fields set, and "missing" with what is still
// missing.
func (s *Service) Complete(ctx context.Context, by Actor, ref Ref, fields map[string]string) (*Ticket, error) {
	if err := s.bounds.fields("field", fields); err != nil {
		return nil, s.refuse(ctx, by, ref, ActComplete, err)
	}
	add := cleanFields(fields)
	if len(add) == 0 {
		return nil, s.refuse(ctx, by, ref, ActComplete, invalid("fields", "give at least one non-empty field"))
	}
	return s.apply(ctx, by, ref, ActComplete, func(t *Ticket, e *Event, _ time.Time) error {
		if t.State.Terminal() {
			return &TransitionError{State: t.State, Action: ActComplete}
		}
		n := len(t.Fields)
		for k := range add {
			if _, ok := t.Fields[k]; !ok {
				n++
			}
		}
		if n > s.bounds.Fields {
			return invalid("fields", "ticket %s would hold %d fields, at most %d (Policy.Bounds)", t.ID, n, s.bounds.Fields)
		}
		e.Data = map[string]string{}
		for k, v := range add {
			t.Fields[k] = v
			e.Data[k] = v
		}
		t.Missing = missing(s.policy.Kinds[t.Kind].Fields, t.Fields)
		e.Data["missing"] = strings.Join(t.Missing, ",")
		return nil
	})
}

// Take makes the actor the owner of an unowned request (T19). A ticket
// that already has an owner is ErrForbidden: ownership moves only by
// referral (T18) or handover (T15).
func (s *Service) Take(ctx context.Context, by Actor, ref Ref) (*Ticket, error) {
	return s.apply(ctx, by, ref, ActTake, func(t *Ticket, e *Event, _ time.Time) error {
		if t.Owner != "" {
			return fmt.Errorf("%w: ticket %s is owned by %s; ownership moves only by referral or handover (T1)", ErrForbidden, t.ID, t.Owner)
		}
		if t.State.Terminal() {
			return &TransitionError{State: t.State, Action: ActTake}
		}
		t.Owner = by.ID
		e.Data = map[string]string{"owner": by.ID}
		return nil
	})
}

// Refer hands a customer at reception to the colleague responsible, who
// becomes the owner (T18). Only the owner (or a shift lead or director)
// refers, and only while the request is still at reception (received).
// Event data: "from", "to".
func (s *Service) Refer(ctx context.Context, by Actor, ref Ref, to, note string) (*Ticket, error) {
	return s.moveOwner(ctx, by, ref, ActRefer, to, note)
}

// Handover moves ownership, before leave, to a colleague (T15); the
// assignee moves too when it was the old owner. Only the owner (or a
// shift lead or director) hands over. Event data: "from", "to", and
// "assignee" when the assignee moved.
func (s *Service) Handover(ctx context.Context, by Actor, ref Ref, to, note string) (*Ticket, error) {
	return s.moveOwner(ctx, by, ref, ActHandover, to, note)
}

func (s *Service) moveOwner(ctx context.Context, by Actor, ref Ref, action Action, to, note string) (*Ticket, error) {
	if err := s.bounds.name("to", to); err != nil {
		return nil, s.refuse(ctx, by, ref, action, err)
	}
	if err := s.bounds.note("note", note); err != nil {
		return nil, s.refuse(ctx, by, ref, action, err)
	}
	to = strings.TrimSpace(to)
	if to == "" {
		return nil, s.refuse(ctx, by, ref, action, invalid("to", "name the colleague who takes over"))
	}
	return s.apply(ctx, by, ref, action, func(t *Ticket, e *Event, _ time.Time) error {
		if t.State.Terminal() || (action == ActRefer && t.State != Received) {
			return &TransitionError{State: t.State, Action: action}
		}
		if t.Owner != by.ID && by.Role != RoleShiftLead && by.Role != RoleDirector {
			return fmt.Errorf("%w: only the owner %q or a lead may %s ticket %s", ErrForbidden, t.Owner, action, t.ID)
		}
		if to == t.Owner {
			return invalid("to", "%s already owns ticket %s", to, t.ID)
		}
		e.Data = map[string]string{"from": t.Owner, "to": to}
		e.Note = note
		if action == ActHandover && t.Assignee != "" && t.Assignee == t.Owner {
			t.Assignee = to
			e.Data["assignee"] = to
		}
		t.Owner = to
		return nil
	})
}

// Link opens a new case from an existing one (T17): a need raised during
// a callback that cannot be answered at once. The new ticket names its
// parent and the parent records the link; an intake that names no
// customer is the parent's customer's. The new case is written first,
// so a failure in between leaves the new case (which names its parent)
// rather than a link to nothing.
func (s *Service) Link(ctx context.Context, by Actor, parent Ref, in Intake) (*Ticket, error) {
	if err := s.bounds.actor(by); err != nil {
		return nil, err
	}
	p, err := s.store.Get(ctx, s.desk, parent.ID)
	if err != nil {
		return nil, err
	}
	if err := s.auth.Authorize(by, ActLink, p); err != nil {
		return nil, fmt.Errorf("%w: %s on ticket %s: %v", ErrForbidden, by, p.ID, err)
	}
	if err := s.bounds.intake(&in); err != nil {
		return nil, err
	}
	if len(p.Links) >= s.bounds.Links {
		return nil, invalid("links", "ticket %s already has %d linked cases, at most %d (Policy.Bounds)", p.ID, len(p.Links), s.bounds.Links)
	}
	if in.Customer == nil && p.Customer != nil && !p.Customer.Erased {
		c := *p.Customer // the same customer's new need (T17), erased with it (S1)
		in.Customer = &c
	}
	child, err := s.receive(ctx, by, in, p.ID)
	if err != nil {
		return nil, err
	}
	_, err = s.apply(ctx, by, Ref{ID: p.ID}, ActLink, func(t *Ticket, e *Event, _ time.Time) error {
		t.Links = append(t.Links, child.ID)
		e.Data = map[string]string{"child": child.ID.String(), "number": fmt.Sprint(child.Number)}
		return nil
	})
	if err != nil {
		return child, fmt.Errorf("linked case %s created, but recording it on %s failed: %w", child.ID, p.ID, err)
	}
	return child, nil
}
