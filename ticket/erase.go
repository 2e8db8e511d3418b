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
// searches for inside notes. Shorter values are removed from the fields
// that hold them but not searched for in free text, where a single
// character would match everywhere.
const minErasable = 2

// Erase removes a customer's personal data from every ticket of the desk
// (S1): the customer's name, phone and address, the intake fields and
// attributes the policy marks personal, personal attachments, and every
// occurrence of those values in notes and event data, in the history and
// in the outbox alike. The trail stays: who did what, when, from which
// state to which. Each ticket records the erasure as an erase event, so
// the erasure itself is on the record. It returns the number of tickets
// erased; erasing again finds nothing left and erases nothing.
func (s *Service) Erase(ctx context.Context, by Actor, customerID string) (int, error) {
	if err := checkActor(by); err != nil {
		return 0, err
	}
	list, err := s.ByCustomer(ctx, customerID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range list {
		done, err := s.eraseTicket(ctx, by, t.ID)
		if err != nil {
			return n, fmt.Errorf("erase ticket %s: %w", t.ID, err)
		}
		if done {
			n++
		}
	}
	return n, nil
}

func (s *Service) eraseTicket(ctx context.Context, by Actor, id uuid.UUID) (bool, error) {
	for attempt := 0; ; attempt++ {
		cur, err := s.store.Get(ctx, s.desk, id)
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
		t, changed, ev := s.scrub(by, cur, hist)
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

// scrub returns the erased ticket, the past events whose note or data
// changed, and the erase event.
func (s *Service) scrub(by Actor, cur *Ticket, hist []Event) (*Ticket, []Event, Event) {
	t := cur
	personal := map[string]bool{}
	for _, f := range s.policy.PersonalFields {
		personal[f] = true
	}
	var values []string
	values = append(values, t.Customer.personal()...)
	fields := 0
	for k, v := range t.Fields {
		if personal[k] {
			values = append(values, v)
			delete(t.Fields, k)
			fields++
		}
	}
	for k, v := range t.Attrs {
		if s.policy.Attributes[k].Personal {
			values = append(values, v)
			delete(t.Attrs, k)
			fields++
		}
	}
	t.Attachments = slices.DeleteFunc(t.Attachments, func(a Attachment) bool {
		if a.Personal {
			values = append(values, a.URI, a.Name)
			fields++
		}
		return a.Personal
	})
	values = slices.DeleteFunc(values, func(v string) bool { return utf8.RuneCountInString(v) < minErasable })
	// Longest first, so that a value containing another is replaced whole.
	slices.SortFunc(values, func(a, b string) int { return len(b) - len(a) })
	clean := func(s string) string {
		for _, v := range values {
			s = strings.ReplaceAll(s, v, Erased)
		}
		return s
	}
	if t.Customer != nil {
		t.Customer = &Customer{ID: t.Customer.ID, Grade: t.Customer.Grade, Erased: true}
	}
	t.CancelNote = clean(t.CancelNote)
	t.Escalation.Reason = clean(t.Escalation.Reason)
	t.Revisit.Reason = clean(t.Revisit.Reason)
	if t.Resolution != nil {
		t.Resolution.Summary = clean(t.Resolution.Summary)
	}
	for k, v := range t.Fields {
		t.Fields[k] = clean(v)
	}
	var changed []Event
	for _, e := range hist {
		note := clean(e.Note)
		data := maps.Clone(e.Data)
		for k, v := range data {
			if personal[k] || s.policy.Attributes[k].Personal {
				data[k] = Erased
			} else {
				data[k] = clean(v)
			}
		}
		if note != e.Note || !maps.Equal(data, e.Data) {
			e.Note, e.Data = note, data
			changed = append(changed, e)
		}
	}
	now := s.now()
	t.Version++
	t.UpdatedAt = now
	ev := Event{
		ID: s.newID(), Desk: s.desk, Ticket: t.ID, Seq: t.Version,
		Action: ActErase, Actor: by.ID, Role: by.Role, At: now, From: t.State, To: t.State,
		Kind: t.Kind, Category: t.Category,
		Data: map[string]string{"customer": t.Customer.ID, "fields": fmt.Sprint(fields), "events": fmt.Sprint(len(changed))},
	}
	return t, changed, ev
}
