package ticket

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Erased replaces erased personal values wherever they stood.
const Erased = "[erased]"

// minErasable is the shortest value (in characters) that erasure
// searches for inside other text. Shorter values are removed from the
// fields that hold them but not searched for in free text, where a
// single character would match everywhere.
const minErasable = 2

// Erasure is one customer's erasure (S1): the customer's tickets, the
// cases linked from them (T17), and the personal values to remove
// wherever they stand. PlanErasure makes one and ApplyErasure carries it
// out; Erase does both. Another package that keeps text about the
// customer (follow-up outcomes) reads the plan to scrub its own records
// with Scrub, and may Add values of its own (an outcome note copied
// into a revisit event) before the plan is applied.
type Erasure struct {
	// Customer is the CRM's customer ID; it stays on the tickets so that
	// the trail still shows that work was done.
	Customer string
	// Tickets are the customer's tickets and the cases linked from them,
	// erased before or not (ApplyErasure skips those erased before).
	Tickets []uuid.UUID
	values  []string // longest first
}

// Add adds values to remove wherever they stand. Values shorter than two
// characters are ignored.
func (e *Erasure) Add(values ...string) {
	for _, v := range values {
		if utf8.RuneCountInString(v) >= minErasable && v != Erased && !slices.Contains(e.values, v) {
			e.values = append(e.values, v)
		}
	}
	// Longest first, so that a value containing another is replaced whole.
	slices.SortStableFunc(e.values, func(a, b string) int { return len(b) - len(a) })
}

// Values returns the values the erasure removes, longest first.
func (e *Erasure) Values() []string { return slices.Clone(e.values) }

// Scrub returns s with every value of the erasure replaced by Erased.
func (e *Erasure) Scrub(s string) string {
	for _, v := range e.values {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Erased)
		}
	}
	return s
}

// Erase removes a customer's personal data from every ticket of the desk
// (S1) and reports how many tickets it erased; erasing again finds
// nothing left and erases nothing. It is PlanErasure followed by
// ApplyErasure; see ApplyErasure for what is removed and what stays.
//
// Erase reaches the ticket store only. A desk with follow-ups erases a
// customer with followup.Erase, which erases the tickets and the
// follow-up tasks and outcomes in one transaction of the database.
func (s *Service) Erase(ctx context.Context, by Actor, customerID string) (int, error) {
	e, err := s.PlanErasure(ctx, by, customerID)
	if err != nil {
		return 0, err
	}
	return s.ApplyErasure(ctx, by, e)
}

// PlanErasure finds what erasing the customer means, writing nothing:
// the customer's tickets that are not erased yet, every case linked from
// them (T17) that names no other customer, and the personal values they
// hold: the customer's name, phone and address, the intake fields the
// policy marks personal, personal attributes, and the names and URIs of
// personal attachments. The actor must be allowed to erase each ticket.
func (s *Service) PlanErasure(ctx context.Context, by Actor, customerID string) (*Erasure, error) {
	if err := s.bounds.actor(by); err != nil {
		return nil, err
	}
	list, err := s.ByCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	probe := &Ticket{Desk: s.desk, Customer: &Customer{ID: customerID}}
	if err := s.auth.Authorize(by, ActErase, probe); err != nil {
		return nil, fmt.Errorf("%w: %s may not erase customer %s: %v", ErrForbidden, by, customerID, err)
	}
	e := &Erasure{Customer: customerID}
	seen := map[uuid.UUID]bool{}
	var walk func(t *Ticket) error
	walk = func(t *Ticket) error {
		if seen[t.ID] {
			return nil
		}
		seen[t.ID] = true
		if err := s.auth.Authorize(by, ActErase, t); err != nil {
			return fmt.Errorf("%w: %s on ticket %s: %v", ErrForbidden, by, t.ID, err)
		}
		e.Tickets = append(e.Tickets, t.ID)
		e.Add(s.personal(t)...)
		for _, id := range t.Links {
			c, err := s.store.Get(ctx, s.desk, id)
			if errors.Is(err, ErrNotFound) {
				continue // a link whose case was never written (see Link)
			}
			if err != nil {
				return err
			}
			if c.Customer != nil && c.Customer.ID != customerID {
				continue // another customer's case
			}
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	for _, t := range list {
		if err := walk(t); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// personal returns the ticket's personal values.
func (s *Service) personal(t *Ticket) []string {
	values := t.Customer.personal()
	for _, f := range s.policy.PersonalFields {
		if v, ok := t.Fields[f]; ok {
			values = append(values, v)
		}
	}
	for k, v := range t.Attrs {
		if s.policy.Attributes[k].Personal {
			values = append(values, v)
		}
	}
	for _, a := range t.Attachments {
		if a.Personal {
			values = append(values, a.URI, a.Name)
		}
	}
	return values
}

// ApplyErasure erases the planned tickets. From each it removes the
// customer's name, phone and address (the customer's ID and grade stay,
// marked erased), the personal intake fields, attributes and
// attachments, and every occurrence of the plan's values in every other
// text the ticket holds or published: subject and description (removed
// whole under Policy.PersonalText), category, complaint class,
// department, the other fields, attributes and attachment names and
// URIs, the resolution, reasons and notes, and in every history event
// and outbox entry its note, data and category. A linked case that named
// no customer is marked as the erased customer's, so that a second
// erasure finds it done. The trail stays: who did what, when, from which
// state to which. Each ticket records the erasure as an erase event
// whose data names the customer's ID and the counts, never a value. It
// returns the number of tickets erased.
//
// Each ticket is written by one Store.Redact; run the erasure in a
// transaction of the database (followup.Erase does) for all or nothing.
func (s *Service) ApplyErasure(ctx context.Context, by Actor, e *Erasure) (int, error) {
	if err := s.bounds.actor(by); err != nil {
		return 0, err
	}
	if e == nil || e.Customer == "" {
		return 0, invalid("erasure", "plan the erasure with PlanErasure")
	}
	n := 0
	for _, id := range e.Tickets {
		done, err := s.eraseTicket(ctx, by, e, id)
		if err != nil {
			return n, fmt.Errorf("erase ticket %s: %w", id, err)
		}
		if done {
			n++
		}
	}
	return n, nil
}

func (s *Service) eraseTicket(ctx context.Context, by Actor, e *Erasure, id uuid.UUID) (bool, error) {
	for attempt := 0; ; attempt++ {
		cur, err := s.store.Get(ctx, s.desk, id)
		if errors.Is(err, ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if err := s.auth.Authorize(by, ActErase, cur); err != nil {
			return false, fmt.Errorf("%w: %s on ticket %s: %v", ErrForbidden, by, cur.ID, err)
		}
		if cur.Customer != nil && cur.Customer.Erased {
			return false, nil
		}
		hist, err := s.store.History(ctx, s.desk, id)
		if err != nil {
			return false, err
		}
		// Values added since the plan (a field completed meanwhile) go too.
		vals := &Erasure{Customer: e.Customer, values: slices.Clone(e.values)}
		vals.Add(s.personal(cur)...)
		t, changed, ev := s.scrub(by, vals, cur, hist)
		err = s.store.Redact(ctx, t, changed, ev)
		if errors.Is(err, ErrConflict) && s.again(attempt) {
			if err := backoff(ctx, attempt); err != nil {
				return false, err
			}
			continue
		}
		return err == nil, err
	}
}

// scrub returns the erased ticket, the past events whose note, data or
// category changed, and the erase event.
func (s *Service) scrub(by Actor, e *Erasure, cur *Ticket, hist []Event) (*Ticket, []Event, Event) {
	t := cur
	personal := map[string]bool{}
	for _, f := range s.policy.PersonalFields {
		personal[f] = true
	}
	clean := e.Scrub
	fields := 0
	for k := range t.Fields {
		if personal[k] {
			delete(t.Fields, k)
			fields++
		}
	}
	for k := range t.Attrs {
		if s.policy.Attributes[k].Personal {
			delete(t.Attrs, k)
			fields++
		}
	}
	t.Attachments = slices.DeleteFunc(t.Attachments, func(a Attachment) bool {
		if a.Personal {
			fields++
		}
		return a.Personal
	})
	for i := range t.Attachments {
		a := &t.Attachments[i]
		a.Name, a.URI, a.Kind = clean(a.Name), clean(a.URI), clean(a.Kind)
	}
	grade := ""
	if t.Customer != nil {
		grade = t.Customer.Grade
	}
	t.Customer = &Customer{ID: e.Customer, Grade: grade, Erased: true}
	t.Category = clean(t.Category)
	t.Department = clean(t.Department)
	if t.Complaint != nil {
		t.Complaint.Class = clean(t.Complaint.Class)
	}
	t.CancelNote = clean(t.CancelNote)
	if s.policy.PersonalText {
		if t.Subject != "" {
			t.Subject = Erased
		}
		if t.Description != "" {
			t.Description = Erased
		}
	} else {
		t.Subject, t.Description = clean(t.Subject), clean(t.Description)
	}
	t.Escalation.Reason = clean(t.Escalation.Reason)
	t.Revisit.Reason = clean(t.Revisit.Reason)
	if t.Resolution != nil {
		t.Resolution.Summary = clean(t.Resolution.Summary)
	}
	for k, v := range t.Fields {
		t.Fields[k] = clean(v)
	}
	for k, v := range t.Attrs {
		t.Attrs[k] = clean(v)
	}
	var changed []Event
	for _, ev := range hist {
		note, category := clean(ev.Note), clean(ev.Category)
		data := maps.Clone(ev.Data)
		for k, v := range data {
			if personal[k] || s.policy.Attributes[k].Personal {
				data[k] = Erased
			} else {
				data[k] = clean(v)
			}
		}
		if note != ev.Note || category != ev.Category || !maps.Equal(data, ev.Data) {
			ev.Note, ev.Category, ev.Data = note, category, data
			changed = append(changed, ev)
		}
	}
	now := s.now()
	t.Version++
	t.UpdatedAt = now
	ev := Event{
		ID: s.newID(), Desk: s.desk, Ticket: t.ID, Seq: t.Version,
		Action: ActErase, Actor: by.ID, Role: by.Role, At: now, From: t.State, To: t.State,
		Kind: t.Kind, Category: t.Category, // scrubbed: the erase event republishes nothing
		Data: map[string]string{"customer": t.Customer.ID, "fields": fmt.Sprint(fields), "events": fmt.Sprint(len(changed))},
	}
	return t, changed, ev
}
