package ticket

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
)

// Import brings in a ticket from another system with its original
// timestamps, owner, assignee and history, validated like a live one: a
// known kind and channel, valid attributes and attachments, a history
// that starts with receive and moves only along the declared lifecycle,
// numbered 1, 2, ... and ending in the ticket's state, in time order.
// The ticket gets this desk's next case number (the original is kept in
// the import event's data as "source_number") and an import event at the
// end of its history; only that event goes to the outbox.
//
// A record whose ticket names no desk is adopted by this desk, events
// and all; one that names another desk is refused.
//
// Importing the same ticket again changes nothing and returns the stored
// ticket; a different ticket under an ID already stored is ErrConflict.
func (s *Service) Import(ctx context.Context, by Actor, rec Record) (*Ticket, error) {
	if err := s.bounds.actor(by); err != nil {
		return nil, err
	}
	if err := s.checkRecord(rec); err != nil {
		return nil, err
	}
	t := rec.Ticket.Clone()
	if t.Desk == "" {
		t.Desk = s.desk
	}
	if err := s.auth.Authorize(by, ActImport, t); err != nil {
		return nil, fmt.Errorf("%w: %s may not import: %v", ErrForbidden, by, err)
	}
	if existing, err := s.store.Get(ctx, s.desk, t.ID); err == nil {
		return s.sameImport(ctx, existing, rec)
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	hist := make([]Event, len(rec.History), len(rec.History)+1)
	for i, e := range rec.History {
		hist[i] = e.Clone()
		hist[i].Desk = s.desk
	}
	now := s.now()
	source := t.Number
	t.Version = int64(len(hist)) + 1
	ev := Event{
		ID: s.newID(), Desk: s.desk, Ticket: t.ID, Seq: t.Version,
		Action: ActImport, Actor: by.ID, Role: by.Role, At: now, From: t.State, To: t.State,
		Kind: t.Kind, Category: t.Category,
		Data: map[string]string{"source_number": fmt.Sprint(source), "events": fmt.Sprint(len(hist))},
	}
	hist = append(hist, ev)
	if err := s.store.Create(ctx, t, hist); err != nil {
		return nil, err
	}
	return t, nil
}

// sameImport decides a repeated import: the same history is a no-op,
// anything else a conflict.
func (s *Service) sameImport(ctx context.Context, existing *Ticket, rec Record) (*Ticket, error) {
	stored, err := s.store.History(ctx, s.desk, existing.ID)
	if err != nil {
		return nil, err
	}
	n := len(rec.History)
	if len(stored) <= n || stored[n].Action != ActImport {
		return nil, fmt.Errorf("%w: ticket %s exists and was not imported with this history", ErrConflict, existing.ID)
	}
	for i, e := range rec.History {
		if stored[i].ID != e.ID || stored[i].Action != e.Action || !stored[i].At.Equal(e.At) {
			return nil, fmt.Errorf("%w: ticket %s was imported with another history (event %d differs)", ErrConflict, existing.ID, i+1)
		}
	}
	return existing, nil
}

// checkRecord validates an imported ticket and its history.
func (s *Service) checkRecord(rec Record) error {
	t, h := rec.Ticket, rec.History
	if t == nil {
		return invalid("record", "no ticket")
	}
	if t.ID == uuid.Nil {
		return invalid("ticket id", "an imported ticket needs its ID")
	}
	if t.Desk != "" && t.Desk != s.desk {
		return invalid("desk", "ticket %s belongs to desk %q, not %q", t.ID, t.Desk, s.desk)
	}
	if err := s.bounds.record(rec); err != nil {
		return err
	}
	if err := s.checkIntake(Intake{Kind: t.Kind, Channel: t.Channel, Complaint: t.Complaint, Fields: t.Fields, Priority: t.Priority}); err != nil {
		return err
	}
	if tags, err := NormalizeTags(t.Tags); err != nil {
		return err
	} else if !slices.Equal(tags, t.Tags) {
		return invalid("tags", "ticket %s: tags %q are not normalized (lower case, sorted, no repeats)", t.ID, t.Tags)
	}
	if _, err := s.policy.checkAttrs(t.Attrs); err != nil {
		return err
	}
	for i := range t.Attachments {
		a := t.Attachments[i]
		if err := a.check(); err != nil {
			return err
		}
	}
	if !slices.Contains(States(), t.State) {
		return invalid("state", "%q is not a state", t.State)
	}
	if len(h) == 0 {
		return invalid("history", "ticket %s has no history", t.ID)
	}
	if h[0].Action != ActReceive || h[0].From != "" || h[0].To != Received {
		return invalid("history", "ticket %s: the first event must be receive into received", t.ID)
	}
	state := State("")
	ids := map[uuid.UUID]bool{}
	for i, e := range h {
		switch {
		case e.ID == uuid.Nil || ids[e.ID]:
			return invalid("history", "event %d: missing or repeated ID", i+1)
		case e.Ticket != t.ID || (t.Desk != "" && e.Desk != "" && e.Desk != t.Desk):
			return invalid("history", "event %d belongs to another ticket or desk", i+1)
		case e.Seq != int64(i+1):
			return invalid("history", "event %d has Seq %d", i+1, e.Seq)
		case e.Actor == "" || e.Role == "":
			return invalid("history", "event %d has no actor or role", i+1)
		case e.From != state:
			return invalid("history", "event %d starts in %q, the ticket was in %q", i+1, e.From, state)
		case i > 0 && e.At.Before(h[i-1].At):
			return invalid("history", "event %d is earlier than event %d", i+1, i)
		}
		ids[e.ID] = true
		if e.Action.IsLifecycle() {
			to, err := next(e.From, e.Action)
			if err != nil || to != e.To {
				return invalid("history", "event %d: %s from %s to %s is not in the lifecycle", i+1, e.Action, e.From, e.To)
			}
		} else if i > 0 && e.To != e.From {
			return invalid("history", "event %d: %s does not change the state", i+1, e.Action)
		}
		state = e.To
	}
	if state != t.State {
		return invalid("history", "history ends in %s, the ticket is %s", state, t.State)
	}
	return nil
}
