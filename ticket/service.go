package ticket

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/observe"
)

// Config configures a Service. Only Desk is required.
type Config struct {
	// Desk is the tenant: every ticket the service creates or reads
	// belongs to it.
	Desk string
	// Policy is the desk's rules; nil means PropertyDesk(). The service
	// keeps its own copy.
	Policy *Policy
	// Authorizer decides who may do what; nil means DefaultRoles().
	Authorizer Authorizer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// NewID makes ticket and event IDs; nil means UUIDv7.
	NewID func() uuid.UUID
	// Retries caps how often an action on a Ref without a version is
	// retried after a concurrent change. 0 means no cap: such an action
	// is retried, with growing randomised pauses, until it lands or ctx
	// ends, because a caller that gave no version asked for the change to
	// be made, not for optimistic concurrency.
	Retries int
	// Logger receives failures that are not the caller's (a store
	// error), with IDs and action names only (S1); nil means no logging.
	Logger *slog.Logger
	// Observer receives a report of every action; nil means none, and
	// no cost.
	Observer observe.Observer
}

// Service runs one desk's tickets through their lifecycle and records
// every change. It is safe for concurrent use; several services (several
// processes) may share one Store, and the store's versions keep them
// consistent.
type Service struct {
	store   Store
	desk    string
	policy  Policy
	auth    Authorizer
	now     func() time.Time
	newID   func() uuid.UUID
	retries int
	log     *slog.Logger
	obs     observe.Observer
	watch   bool   // obs or log set: actions are reported
	bounds  Bounds // the policy's, defaults filled in
}

// New returns a service for one desk on the given store.
func New(store Store, cfg Config) (*Service, error) {
	if store == nil {
		return nil, invalid("store", "a store is required; use NewMemStore for the in-memory default")
	}
	if cfg.Desk == "" {
		return nil, invalid("desk", "name the desk the service works for")
	}
	s := &Service{store: store, desk: cfg.Desk, auth: cfg.Authorizer, now: cfg.Now, newID: cfg.NewID, retries: cfg.Retries,
		log: cfg.Logger, obs: cfg.Observer, watch: cfg.Logger != nil || cfg.Observer != nil}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if cfg.Policy != nil {
		s.policy = cfg.Policy.Clone()
	} else {
		s.policy = PropertyDesk()
	}
	if err := checkCalendar(s.policy.Calendar); err != nil {
		return nil, err
	}
	if err := s.policy.checkPriorities(); err != nil {
		return nil, err
	}
	if err := s.policy.checkSLA(); err != nil {
		return nil, err
	}
	s.bounds = s.policy.Bounds.withDefaults()
	if err := s.bounds.check(); err != nil {
		return nil, err
	}
	if err := s.bounds.name("desk", cfg.Desk); err != nil {
		return nil, err
	}
	if err := s.policy.Escalation.check(&s.bounds); err != nil {
		return nil, err
	}
	for sev, sp := range s.policy.Severity {
		if sp.Escalate < 0 || sp.Escalate > s.bounds.Levels {
			return nil, invalid("policy severity", "%s complaints escalate to level %d, outside 0 to %d (Bounds.Levels)", sev, sp.Escalate, s.bounds.Levels)
		}
	}
	if s.auth == nil {
		s.auth = DefaultRoles()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = NewV7
	}
	if s.retries < 0 {
		return nil, invalid("retries", "%d is below zero; 0 retries until the context ends", s.retries)
	}
	return s, nil
}

// WithStore returns a service that acts on store with this service's
// desk, policy, authorizer, clock, IDs, logger and observer: a shallow
// copy that shares them (none is changed after New), made without
// checking or cloning anything again. Use it to act inside the caller's
// database transaction, with a store bound to it (for example
// postgres.Store.WithTx(tx).Tickets() or sqlite.Store.WithTx(tx).Tickets()):
// the writes then commit or roll back with the caller's own. The
// returned service is as safe for concurrent use as store is. A nil
// store is a programming error and panics (acting outside the caller's
// transaction instead would be worse).
func (s *Service) WithStore(store Store) *Service {
	if store == nil {
		panic("ticket: WithStore of a nil store")
	}
	c := *s
	c.store = store
	return &c
}

// NewV7 returns a time-ordered UUIDv7, falling back to a random UUIDv4
// if the system's randomness fails.
func NewV7() uuid.UUID {
	if id, err := uuid.NewV7(); err == nil {
		return id
	}
	return uuid.New()
}

// Desk returns the desk the service works for.
func (s *Service) Desk() string { return s.desk }

// Policy returns a copy of the service's policy.
func (s *Service) Policy() Policy { return s.policy.Clone() }

// change mutates a copy of the ticket for one action. It may fill the
// event's note and data, and returns an error to refuse the action.
type change func(t *Ticket, e *Event, now time.Time) error

// apply loads the ticket, checks the actor's right and the lifecycle,
// runs the change on a copy and writes the copy with its event in one
// store operation. Nothing is written when any step fails.
func (s *Service) apply(ctx context.Context, by Actor, ref Ref, action Action, fn change) (_ *Ticket, err error) {
	if s.watch {
		defer s.observed(ctx, action, time.Now(), &err)
	}
	if err := s.bounds.actor(by); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		cur, err := s.store.Get(ctx, s.desk, ref.ID)
		if err != nil {
			return nil, err
		}
		if ref.Version != 0 && cur.Version != ref.Version {
			return nil, fmt.Errorf("%w: ticket %s is at version %d, not %d", ErrConflict, ref.ID, cur.Version, ref.Version)
		}
		t, ev, err := s.prepare(by, cur, action, fn)
		if err != nil {
			return nil, err
		}
		err = s.store.Update(ctx, t, ev)
		if errors.Is(err, ErrConflict) && ref.Version == 0 && s.again(attempt) {
			if err := backoff(ctx, attempt); err != nil {
				return nil, fmt.Errorf("%w: ticket %s kept changing until the context ended: %w", ErrConflict, ref.ID, err)
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		return t, nil
	}
}

// again reports whether a write refused after attempt attempts (counted
// from 0) is tried again.
func (s *Service) again(attempt int) bool { return s.retries == 0 || attempt < s.retries }

// backoff pauses before retry attempt+1: a random time in [d/2, d) with d
// doubling from 50µs up to 20ms, so writers that collided spread out.
// It returns ctx's error when ctx ends first.
func backoff(ctx context.Context, attempt int) error {
	d := 50 * time.Microsecond << min(attempt, 9)
	d = min(d, 20*time.Millisecond)
	d = d/2 + rand.N(d/2)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// authorize asks the authorizer whether by may perform action on cur,
// as apply would perform it: ErrForbidden with the authorizer's reason.
func (s *Service) authorize(by Actor, cur *Ticket, action Action) (Action, error) {
	if action == ActAccept && cur.Revisit.Required && !cur.Revisit.Done {
		action = ActAwaitRevisit // T8 + revisit: close waits for the revisit outcome
	}
	if err := s.auth.Authorize(by, action, cur); err != nil {
		return action, fmt.Errorf("%w: %s on ticket %s: %v", ErrForbidden, by, cur.ID, err)
	}
	return action, nil
}

// refuse is what an action returns when its input is invalid (bad): an
// actor who may not perform the action on the ticket gets ErrForbidden
// instead, and so learns nothing about the input from the refusal. The
// right is checked first; the input error stands for an actor who has
// it, or when the ticket cannot be read. Nothing is written either way.
func (s *Service) refuse(ctx context.Context, by Actor, ref Ref, action Action, bad error) error {
	if err := s.bounds.actor(by); err != nil {
		return err
	}
	cur, err := s.store.Get(ctx, s.desk, ref.ID)
	if err != nil {
		return bad
	}
	if _, err := s.authorize(by, cur, action); err != nil {
		return err
	}
	return bad
}

func (s *Service) prepare(by Actor, cur *Ticket, action Action, fn change) (*Ticket, Event, error) {
	action, err := s.authorize(by, cur, action)
	if err != nil {
		return nil, Event{}, err
	}
	to := cur.State
	if action.IsLifecycle() {
		if to, err = next(cur.State, action); err != nil {
			return nil, Event{}, err
		}
	}
	if err := s.requireFields(cur, action); err != nil {
		return nil, Event{}, err
	}
	now := s.now()
	t := cur // the store handed out a copy of its own; change it in place
	ev := Event{
		ID: s.newID(), Desk: s.desk, Ticket: t.ID,
		Action: action, Actor: by.ID, Role: by.Role, At: now,
		From: t.State, Kind: t.Kind, Category: t.Category,
	}
	if fn != nil {
		if err := fn(t, &ev, now); err != nil {
			return nil, Event{}, err
		}
	}
	s.clocks(t, action, &ev, now) // SLA clocks met; a wait for the customer ends
	t.State = to
	t.Version++
	t.UpdatedAt = now
	if to == Closed || to == Cancelled {
		t.ClosedAt = now
	}
	ev.To = to
	ev.Seq = t.Version
	return t, ev, nil
}

// requireFields enforces the policy's fields-before-action rule (T2).
func (s *Service) requireFields(t *Ticket, action Action) error {
	need := s.policy.Kinds[t.Kind].Before[action]
	var missing []string
	for _, f := range need {
		if t.Fields[f] == "" {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return &MissingFieldsError{Step: action, Fields: missing}
	}
	return nil
}

func checkActor(by Actor) error {
	if by.ID == "" {
		return invalid("actor", "the actor needs an ID")
	}
	if by.Role == "" {
		return invalid("actor", "actor %s needs a role", by.ID)
	}
	return nil
}

// Authorize reports, writing nothing, whether by may perform action on
// the ticket as it stands: ErrForbidden (with the authorizer's reason)
// when not, ErrNotFound for an unknown ticket. Other packages ask it
// before they commit to something the ticket would refuse later (a
// follow-up checks that its worker may record the revisit outcome).
func (s *Service) Authorize(ctx context.Context, by Actor, action Action, id uuid.UUID) error {
	if err := s.bounds.actor(by); err != nil {
		return err
	}
	t, err := s.store.Get(ctx, s.desk, id)
	if err != nil {
		return err
	}
	if err := s.auth.Authorize(by, action, t); err != nil {
		return fmt.Errorf("%w: %s may not %s ticket %s: %v", ErrForbidden, by, action, id, err)
	}
	return nil
}

// Get returns a ticket of the desk, or ErrNotFound.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*Ticket, error) {
	return s.store.Get(ctx, s.desk, id)
}

// ByNumber returns the ticket with the case number, or ErrNotFound.
func (s *Service) ByNumber(ctx context.Context, number int64) (*Ticket, error) {
	return s.store.ByNumber(ctx, s.desk, number)
}

// History returns the ticket's events in order (T14).
func (s *Service) History(ctx context.Context, id uuid.UUID) ([]Event, error) {
	return s.store.History(ctx, s.desk, id)
}

// List returns the desk's tickets matching f, in f.Order (case-number
// order by default), from f.After on, at most f.Limit of them. A filter
// value that no store could hold (see Bounds) is ErrInvalid.
func (s *Service) List(ctx context.Context, f Filter) ([]*Ticket, error) {
	if err := s.bounds.filter(&f); err != nil {
		return nil, err
	}
	tags, err := NormalizeTags(f.Tags)
	if err != nil {
		return nil, err
	}
	f.Tags = tags
	return s.store.List(ctx, s.desk, f)
}

// Pending returns up to limit events of this desk that the named
// consumer has not acknowledged, oldest first (at-least-once delivery).
func (s *Service) Pending(ctx context.Context, consumer string, limit int) ([]Event, error) {
	if err := s.bounds.name("consumer", consumer); err != nil {
		return nil, err
	}
	return s.store.Pending(ctx, consumer, s.desk, limit)
}

// Ack acknowledges events of this desk for the named consumer.
func (s *Service) Ack(ctx context.Context, consumer string, ids ...uuid.UUID) error {
	if err := s.bounds.name("consumer", consumer); err != nil {
		return err
	}
	return s.store.Ack(ctx, consumer, s.desk, ids...)
}
