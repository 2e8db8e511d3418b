package ticket

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Priority is how urgent a request is. A desk's priorities are an
// ordered set of its policy (Policy.Priorities); SLA targets depend on
// them.
type Priority string

// The default priorities, lowest first.
const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// DefaultPriorities returns low, normal, high and urgent: the order a
// policy without Priorities uses.
func DefaultPriorities() []Priority {
	return []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}
}

// PriorityOrder returns the desk's priorities, lowest first.
func (p *Policy) PriorityOrder() []Priority {
	if len(p.Priorities) > 0 {
		return slices.Clone(p.Priorities)
	}
	return DefaultPriorities()
}

// Rank returns the place of pr in the desk's order (0 is the lowest)
// and whether it is one of the desk's priorities.
func (p *Policy) Rank(pr Priority) (int, bool) {
	if len(p.Priorities) > 0 {
		i := slices.Index(p.Priorities, pr)
		return i, i >= 0
	}
	i := slices.Index(DefaultPriorities(), pr)
	return i, i >= 0
}

// checkPriorities refuses an order with an empty or repeated priority
// and a default outside the order.
func (p *Policy) checkPriorities() error {
	seen := map[Priority]bool{}
	for _, pr := range p.Priorities {
		if strings.TrimSpace(string(pr)) == "" || seen[pr] {
			return invalid("policy priorities", "%q is empty or repeated", pr)
		}
		seen[pr] = true
	}
	if p.DefaultPriority != "" {
		if _, ok := p.Rank(p.DefaultPriority); !ok {
			return invalid("policy default priority", "%q is not one of %v", p.DefaultPriority, p.PriorityOrder())
		}
	}
	return nil
}

// checkPriority refuses a priority that is not the desk's; "" is none.
func (p *Policy) checkPriority(pr Priority) error {
	if pr == "" {
		return nil
	}
	if _, ok := p.Rank(pr); !ok {
		return invalid("priority", "%q is not one of %v (Policy.Priorities)", pr, p.PriorityOrder())
	}
	return nil
}

// TagSeparator may not appear in a tag: stores keep a ticket's tags as
// one text, each tag between separators.
const TagSeparator = ","

// NormalizeTags returns tags trimmed, in lower case, sorted and without
// repeats; an empty tag, one holding TagSeparator, or invalid text is
// ErrInvalid. A filter's tags are normalized the same way.
func NormalizeTags(tags []string) ([]string, error) {
	if len(tags) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(tags))
	for _, tag := range tags {
		if err := CheckText("tag", tag); err != nil {
			return nil, err
		}
		tag = strings.ToLower(strings.TrimSpace(tag))
		if tag == "" {
			return nil, invalid("tag", "a tag is empty")
		}
		if strings.Contains(tag, TagSeparator) {
			return nil, invalid("tag", "%q holds %q", tag, TagSeparator)
		}
		out = append(out, tag)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// tags checks the count and length of tags.
func (b *Bounds) tags(field string, tags []string) error {
	if len(tags) > b.Fields {
		return invalid(field, "%d tags, at most %d (Policy.Bounds)", len(tags), b.Fields)
	}
	for _, tag := range tags {
		if err := b.name(field, tag); err != nil {
			return err
		}
	}
	return nil
}

// SetPriority changes the ticket's priority; the open SLA clocks take
// the new priority's targets (Policy.SLA), counted from receipt and
// moved by any paused time. Event data:
// "priority", "from".
func (s *Service) SetPriority(ctx context.Context, by Actor, ref Ref, pr Priority, reason string) (*Ticket, error) {
	if err := s.bounds.name("priority", string(pr)); err != nil {
		return nil, s.refuse(ctx, by, ref, ActPrioritize, err)
	}
	if err := s.bounds.note("reason", reason); err != nil {
		return nil, s.refuse(ctx, by, ref, ActPrioritize, err)
	}
	if pr == "" {
		return nil, s.refuse(ctx, by, ref, ActPrioritize, invalid("priority", "name the priority"))
	}
	if err := s.policy.checkPriority(pr); err != nil {
		return nil, s.refuse(ctx, by, ref, ActPrioritize, err)
	}
	return s.apply(ctx, by, ref, ActPrioritize, func(t *Ticket, e *Event, _ time.Time) error {
		if t.State.Terminal() {
			return &TransitionError{State: t.State, Action: ActPrioritize}
		}
		if t.Priority == pr {
			return invalid("priority", "ticket %s is already %s", t.ID, pr)
		}
		e.Data = map[string]string{"priority": string(pr), "from": string(t.Priority)}
		e.Note = reason
		t.Priority = pr
		s.retarget(t)
		return nil
	})
}

// Tag adds and removes tags (normalized as NormalizeTags does); a tag
// both added and removed is removed. Event data: "added", "removed",
// comma separated.
func (s *Service) Tag(ctx context.Context, by Actor, ref Ref, add, remove []string) (*Ticket, error) {
	if err := s.bounds.tags("tag", add); err != nil {
		return nil, s.refuse(ctx, by, ref, ActTag, err)
	}
	if err := s.bounds.tags("tag", remove); err != nil {
		return nil, s.refuse(ctx, by, ref, ActTag, err)
	}
	add, err := NormalizeTags(add)
	if err != nil {
		return nil, s.refuse(ctx, by, ref, ActTag, err)
	}
	remove, err = NormalizeTags(remove)
	if err != nil {
		return nil, s.refuse(ctx, by, ref, ActTag, err)
	}
	if len(add) == 0 && len(remove) == 0 {
		return nil, s.refuse(ctx, by, ref, ActTag, invalid("tag", "give a tag to add or remove"))
	}
	return s.apply(ctx, by, ref, ActTag, func(t *Ticket, e *Event, _ time.Time) error {
		tags := slices.Clone(t.Tags)
		var added, removed []string
		for _, tag := range add {
			if !slices.Contains(tags, tag) && !slices.Contains(remove, tag) {
				tags = append(tags, tag)
				added = append(added, tag)
			}
		}
		tags = slices.DeleteFunc(tags, func(tag string) bool {
			if slices.Contains(remove, tag) {
				removed = append(removed, tag)
				return true
			}
			return false
		})
		if len(tags) > s.bounds.Fields {
			return invalid("tag", "ticket %s would hold %d tags, at most %d (Policy.Bounds)", t.ID, len(tags), s.bounds.Fields)
		}
		slices.Sort(tags)
		if len(tags) == 0 {
			tags = nil
		}
		t.Tags = tags
		e.Data = map[string]string{"added": strings.Join(added, TagSeparator), "removed": strings.Join(removed, TagSeparator)}
		return nil
	})
}

// Describe sets the ticket's subject and description (the request in
// the customer's words); the event holds neither (S1), only which
// changed. Event data: "subject", "description": "changed" for each
// that changed.
func (s *Service) Describe(ctx context.Context, by Actor, ref Ref, subject, description string) (*Ticket, error) {
	if err := s.bounds.value("subject", subject); err != nil {
		return nil, s.refuse(ctx, by, ref, ActDescribe, err)
	}
	if err := s.bounds.note("description", description); err != nil {
		return nil, s.refuse(ctx, by, ref, ActDescribe, err)
	}
	subject, description = strings.TrimSpace(subject), strings.TrimSpace(description)
	return s.apply(ctx, by, ref, ActDescribe, func(t *Ticket, e *Event, _ time.Time) error {
		if t.State.Terminal() {
			return &TransitionError{State: t.State, Action: ActDescribe}
		}
		e.Data = map[string]string{}
		if t.Subject != subject {
			e.Data["subject"] = "changed"
		}
		if t.Description != description {
			e.Data["description"] = "changed"
		}
		if len(e.Data) == 0 {
			return invalid("subject", "ticket %s already reads so", t.ID)
		}
		t.Subject, t.Description = subject, description
		return nil
	})
}
