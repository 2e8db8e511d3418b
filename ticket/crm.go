package ticket

import (
	"context"
	"fmt"
	"time"
)

// SetAttrs sets custom attributes (Policy.Attributes); an empty value
// removes one. Every value is checked against its declared type and
// stored in canonical form. Event data: the attributes set.
func (s *Service) SetAttrs(ctx context.Context, by Actor, ref Ref, attrs map[string]string) (*Ticket, error) {
	if len(attrs) == 0 {
		return nil, s.refuse(ctx, by, ref, ActSetAttrs, invalid("attrs", "give at least one attribute"))
	}
	if err := s.bounds.fields("attribute", attrs); err != nil {
		return nil, s.refuse(ctx, by, ref, ActSetAttrs, err)
	}
	canon, err := s.policy.checkAttrs(attrs)
	if err != nil {
		return nil, s.refuse(ctx, by, ref, ActSetAttrs, err)
	}
	return s.apply(ctx, by, ref, ActSetAttrs, func(t *Ticket, e *Event, _ time.Time) error {
		if t.Attrs == nil {
			t.Attrs = map[string]string{}
		}
		n := len(t.Attrs)
		for k, v := range canon {
			if _, ok := t.Attrs[k]; !ok && v != "" {
				n++
			}
		}
		if n > s.bounds.Fields {
			return invalid("attrs", "ticket %s would hold %d attributes, at most %d (Policy.Bounds)", t.ID, n, s.bounds.Fields)
		}
		e.Data = map[string]string{}
		for k, v := range canon {
			if v == "" {
				delete(t.Attrs, k)
			} else {
				t.Attrs[k] = v
			}
			e.Data[k] = v
		}
		return nil
	})
}

// Attach adds a reference to a file: a photo of the repair, the visited
// person's signature (F4, F5). The reference is validated (absolute URI,
// media type, SHA-256); the bytes stay where they are. Event data:
// "name", "kind", "sha256".
func (s *Service) Attach(ctx context.Context, by Actor, ref Ref, a Attachment) (*Ticket, error) {
	if err := s.bounds.attachment(&a); err != nil {
		return nil, s.refuse(ctx, by, ref, ActAttach, err)
	}
	return s.apply(ctx, by, ref, ActAttach, func(t *Ticket, e *Event, now time.Time) error {
		a.AddedBy, a.AddedAt = by.ID, now
		if err := a.check(); err != nil {
			return err
		}
		for _, x := range t.Attachments {
			if x.SHA256 == a.SHA256 && x.URI == a.URI {
				return invalid("attachment", "%s is already attached to ticket %s", a.Name, t.ID)
			}
		}
		if len(t.Attachments) >= s.bounds.Fields {
			return invalid("attachments", "ticket %s already has %d attachments, at most %d (Policy.Bounds)", t.ID, len(t.Attachments), s.bounds.Fields)
		}
		t.Attachments = append(t.Attachments, a)
		e.Data = map[string]string{"name": a.Name, "kind": a.Kind, "sha256": a.SHA256}
		if a.Personal {
			e.Data["personal"] = "true"
		}
		return nil
	})
}

// ByCustomer returns the desk's tickets for a customer, in case-number
// order.
func (s *Service) ByCustomer(ctx context.Context, customerID string) ([]*Ticket, error) {
	if customerID == "" {
		return nil, invalid("customer", "give the customer's ID")
	}
	if err := s.bounds.name("customer", customerID); err != nil {
		return nil, err
	}
	return s.store.List(ctx, s.desk, Filter{Customer: customerID})
}

// Record is a ticket with its whole history: the unit of export and
// import.
type Record struct {
	Ticket  *Ticket `json:"ticket"`
	History []Event `json:"history"`
}

// Export returns every ticket of the customer with its history, for a
// customer's request to see their data (S1).
func (s *Service) Export(ctx context.Context, customerID string) ([]Record, error) {
	list, err := s.ByCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	out := make([]Record, 0, len(list))
	for _, t := range list {
		h, err := s.store.History(ctx, s.desk, t.ID)
		if err != nil {
			return nil, fmt.Errorf("export ticket %s: %w", t.ID, err)
		}
		out = append(out, Record{Ticket: t, History: h})
	}
	return out, nil
}
