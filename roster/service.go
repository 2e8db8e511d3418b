package roster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Policy holds the desk's choices for swaps. The zero value is the seed:
// R4 asks for the colleague's consent with proof and for reporting in
// advance, not for the lead's approval.
type Policy struct {
	// RequireApproval: a consented swap comes into force only when the
	// shift lead approves it.
	RequireApproval bool
}

// Config configures a Service. Only Desk is required; the other fields
// default to the real clock, UUIDv7 IDs and the seed Policy, filled in by
// New.
type Config struct {
	// Desk is the tenant: every assignment, swap, absence and duty the
	// service records or reads belongs to it, as in ticket.Config and
	// followup.QueueConfig.
	Desk  string
	Now   func() time.Time
	NewID func() uuid.UUID
	// Policy is the desk's roster policy; nil means the seed policy (the
	// zero Policy), as in ticket.Config.
	Policy *Policy
	// Logger receives store failures that are not the caller's, with the
	// desk and operation only; nil means no logging.
	Logger *slog.Logger
	// Bounds are the longest texts accepted; zero fields take the
	// defaults of DefaultBounds. A negative bound is ErrInvalid from New.
	Bounds Bounds
}

// Service records and answers a desk's roster over a Store: publishing
// assignments, swaps (R4), leave and presence (R5), duty cover (R7), and
// views for on-duty, liability and coverage questions. Safe for
// concurrent use when the Store is.
type Service struct {
	desk   string
	store  Store
	log    *slog.Logger // nil: store is not wrapped for logging
	now    func() time.Time
	newID  func() uuid.UUID
	policy Policy
	bounds Bounds
}

// New returns a Service over store. A nil store is ErrInvalid.
func New(store Store, cfg Config) (*Service, error) {
	if store == nil {
		return nil, invalid("store", "a store is required; use NewMemStore for the in-memory default")
	}
	clock := cfg.Now
	if clock == nil {
		clock = time.Now
	}
	if cfg.Logger != nil {
		store = loggedStore{Store: store, log: cfg.Logger}
	}
	s := &Service{desk: cfg.Desk, store: store, log: cfg.Logger, newID: cfg.NewID}
	if cfg.Policy != nil {
		s.policy = *cfg.Policy
	}
	var err error
	if s.bounds, err = cfg.Bounds.withDefaults(); err != nil {
		return nil, err
	}
	if cfg.Desk == "" {
		return nil, invalid("desk", "name the desk the service works for")
	}
	if err := s.bounds.desk(cfg.Desk); err != nil {
		return nil, err
	}
	// Stored times are kept to the microsecond, what SQL timestamp
	// columns hold, so a record reads back exactly as it was written.
	s.now = func() time.Time { return clock().Round(0).Truncate(time.Microsecond) }
	if s.newID == nil {
		s.newID = defaultID
	}
	return s, nil
}

// WithStore returns a service over store with this service's policy,
// clock, IDs and logger: a shallow copy that shares them. Use it to act
// inside the caller's database transaction, with a store bound to it
// (for example postgres.Store.WithTx(tx).Rosters()): the roster writes
// then commit or roll back with the caller's own. A nil store is a
// programming error and panics.
func (s *Service) WithStore(store Store) *Service {
	if store == nil {
		panic("roster: WithStore of a nil store")
	}
	c := *s
	c.store = store
	if c.log != nil {
		c.store = loggedStore{Store: store, log: c.log}
	}
	return &c
}

// Desk returns the desk the service works for.
func (s *Service) Desk() string { return s.desk }

// ownDesk fills an empty desk field with the service's desk; a record of
// another desk is ErrInvalid.
func (s *Service) ownDesk(field string, desk *string) error {
	switch *desk {
	case "":
		*desk = s.desk
	case s.desk:
	default:
		return invalid(field, "desk %q is not the service's desk %q", *desk, s.desk)
	}
	return nil
}

// Publish stores assignments for the service's desk (a generated Plan's,
// or hand-made). Nil IDs and empty desks are filled in; an assignment of
// another desk is ErrInvalid. An assignment that overlaps another of the same
// person, in the batch or already stored, is ErrOverlap and nothing is
// stored.
func (s *Service) Publish(ctx context.Context, as []Assignment) error {
	if len(as) == 0 {
		return nil
	}
	batch := make([]Assignment, len(as))
	copy(batch, as)
	lo, hi := batch[0].ReportAt(), batch[0].End
	for i := range batch {
		if batch[i].ID == uuid.Nil {
			batch[i].ID = s.newID()
		}
		if err := s.ownDesk("assignment.desk", &batch[i].Desk); err != nil {
			return err
		}
		if err := batch[i].Validate(); err != nil {
			return err
		}
		if err := s.bounds.assignment(&batch[i]); err != nil {
			return err
		}
		lo, hi = minTime(lo, batch[i].ReportAt()), maxTime(hi, batch[i].End)
	}
	existing, err := s.store.Assignments(ctx, s.desk, lo, hi)
	if err != nil {
		return err
	}
	all := append(existing, batch...)
	for _, v := range Audit(all, Rules{MinDaysOff: 0}, batch[0].Date, nil) {
		if v.Reason == ReasonOverlap {
			return fmt.Errorf("agent %s, assignments %s and %s: %w", v.Agent, v.First, v.Next, ErrOverlap)
		}
	}
	return s.store.AddAssignments(ctx, s.desk, batch)
}

// SwapRequest asks to hand an assignment to a colleague (R4).
type SwapRequest struct {
	Assignment uuid.UUID
	From       string // the current holder, who asks
	To         string // the colleague who would take the shift
	Reason     string
}

// RequestSwap records a request. From must hold the assignment now; To
// must not hold an overlapping shift (the R6 roll call included); only one
// request per assignment may be open. Minimum rest is a planning rule of
// Generate and is not enforced here: the colleague agrees to the swap
// (R4), and Audit over the effective roster shows any short rest. The original assignment stands until consent (and approval,
// if the policy asks) is recorded.
func (s *Service) RequestSwap(ctx context.Context, req SwapRequest) (Swap, error) {
	if err := all(s.bounds.name("swap.from", req.From), s.bounds.name("swap.to", req.To),
		s.bounds.note("swap.reason", req.Reason)); err != nil {
		return Swap{}, err
	}
	if req.From == "" || req.To == "" || req.From == req.To {
		return Swap{}, invalid("swap.agents", "from %q and to %q must be two different people", req.From, req.To)
	}
	a, err := s.store.Assignment(ctx, s.desk, req.Assignment)
	if err != nil {
		return Swap{}, err
	}
	now := s.now()
	v, err := s.View(ctx, a.ReportAt(), a.End)
	if err != nil {
		return Swap{}, err
	}
	eff := v.Effective(now)
	for _, e := range eff {
		if e.ID == a.ID && e.Agent != req.From {
			return Swap{}, fmt.Errorf("assignment %s is held by %s, not %s: %w", a.ID, e.Agent, req.From, ErrForbidden)
		}
		if e.ID != a.ID && e.Agent == req.To && overlaps(e.ReportAt(), e.End, a.ReportAt(), a.End) {
			return Swap{}, fmt.Errorf("%s already holds assignment %s at that time: %w", req.To, e.ID, ErrOverlap)
		}
	}
	for _, sw := range v.Swaps {
		if sw.Assignment == a.ID && pending(sw) {
			return Swap{}, fmt.Errorf("assignment %s already has open swap %s: %w", a.ID, sw.ID, ErrSwapState)
		}
	}
	return s.store.SaveSwap(ctx, Swap{
		ID: s.newID(), Desk: s.desk, Assignment: a.ID, SlotStart: a.Start,
		From: req.From, To: req.To, Reason: req.Reason, RequestedAt: now,
		NeedsApproval: s.policy.RequireApproval, Status: SwapRequested,
	})
}

func pending(sw Swap) bool {
	return sw.Status == SwapRequested || (sw.Status == SwapConsented && sw.NeedsApproval)
}

// Consent records the colleague's agreement with its evidence (R4). Only
// the swap's To may consent; the evidence must name its kind and a
// reference.
func (s *Service) Consent(ctx context.Context, id uuid.UUID, by string, ev Evidence) (Swap, error) {
	if err := all(s.bounds.name("swap.consent_by", by), s.bounds.name("swap.evidence.kind", ev.Kind),
		s.bounds.note("swap.evidence.ref", ev.Ref)); err != nil {
		return Swap{}, err
	}
	sw, err := s.store.Swap(ctx, s.desk, id)
	if err != nil {
		return Swap{}, err
	}
	if by != sw.To {
		return Swap{}, fmt.Errorf("swap %s: %q may not consent for %q: %w", id, by, sw.To, ErrForbidden)
	}
	if sw.Status != SwapRequested {
		return Swap{}, fmt.Errorf("swap %s is %s: %w", id, sw.Status, ErrSwapState)
	}
	if ev.empty() {
		return Swap{}, invalid("swap.evidence", "swap %s: consent needs evidence with a kind and a reference (R4)", id)
	}
	sw.Status, sw.ConsentAt, sw.Evidence = SwapConsented, s.now(), ev
	return s.store.SaveSwap(ctx, sw)
}

// Approve records the lead's approval of a consented swap when the policy
// in force at the request required it. The caller authorises lead.
func (s *Service) Approve(ctx context.Context, id uuid.UUID, lead string) (Swap, error) {
	if err := all(s.bounds.name("swap.approved_by", lead)); err != nil {
		return Swap{}, err
	}
	if strings.TrimSpace(lead) == "" {
		return Swap{}, invalid("swap.approved_by", "empty lead for swap %s", id)
	}
	sw, err := s.store.Swap(ctx, s.desk, id)
	if err != nil {
		return Swap{}, err
	}
	if sw.Status != SwapConsented || !sw.NeedsApproval {
		return Swap{}, fmt.Errorf("swap %s is %s (approval needed: %t): %w", id, sw.Status, sw.NeedsApproval, ErrSwapState)
	}
	sw.Status, sw.ApprovedBy, sw.ApprovedAt = SwapApproved, lead, s.now()
	return s.store.SaveSwap(ctx, sw)
}

// Decline closes a swap that is not yet in force: refused by the
// colleague or the lead, or withdrawn by the requester. The caller
// authorises by.
func (s *Service) Decline(ctx context.Context, id uuid.UUID, by string) (Swap, error) {
	if err := all(s.bounds.name("swap.declined_by", by)); err != nil {
		return Swap{}, err
	}
	if strings.TrimSpace(by) == "" {
		return Swap{}, invalid("swap.declined_by", "empty person for swap %s", id)
	}
	sw, err := s.store.Swap(ctx, s.desk, id)
	if err != nil {
		return Swap{}, err
	}
	if !pending(sw) {
		return Swap{}, fmt.Errorf("swap %s is %s: %w", id, sw.Status, ErrSwapState)
	}
	sw.Status, sw.DeclinedBy, sw.DeclinedAt = SwapDeclined, by, s.now()
	return s.store.SaveSwap(ctx, sw)
}

// GrantLeave records leave for agent over [from, until).
func (s *Service) GrantLeave(ctx context.Context, agent string, from, until time.Time, note string) (Away, error) {
	if err := all(s.bounds.name("away.agent", agent), s.bounds.note("away.note", note)); err != nil {
		return Away{}, err
	}
	if until.IsZero() {
		return Away{}, invalid("away.until", "leave for %s needs an end", agent)
	}
	return s.store.SaveAway(ctx, Away{ID: s.newID(), Desk: s.desk, Agent: agent, Kind: OnLeave,
		From: from, Until: until, Note: note})
}

// MarkOffline records that agent went offline now (R5). If they are
// already marked offline the open record is returned unchanged.
func (s *Service) MarkOffline(ctx context.Context, agent, note string) (Away, error) {
	if err := all(s.bounds.name("away.agent", agent), s.bounds.note("away.note", note)); err != nil {
		return Away{}, err
	}
	if agent == "" {
		return Away{}, invalid("away.agent", "empty agent")
	}
	now := s.now()
	if open, err := s.openOffline(ctx, agent, now); err == nil {
		return open, nil
	} else if !errors.Is(err, ErrNotFound) {
		return Away{}, err
	}
	return s.store.SaveAway(ctx, Away{ID: s.newID(), Desk: s.desk, Agent: agent, Kind: Offline, From: now, Note: note})
}

// MarkOnline closes agent's open offline record at now. ErrNotFound if
// they are not marked offline; ErrConflict if someone changed the record
// meanwhile (retry).
func (s *Service) MarkOnline(ctx context.Context, agent string) (Away, error) {
	if err := all(s.bounds.name("away.agent", agent)); err != nil {
		return Away{}, err
	}
	now := s.now()
	open, err := s.openOffline(ctx, agent, now)
	if err != nil {
		return Away{}, err
	}
	open.Until = now
	if !open.Until.After(open.From) {
		open.Until = open.From.Add(time.Nanosecond)
	}
	return s.store.SaveAway(ctx, open)
}

func (s *Service) openOffline(ctx context.Context, agent string, now time.Time) (Away, error) {
	list, err := s.store.Aways(ctx, s.desk, now, now.Add(time.Nanosecond))
	if err != nil {
		return Away{}, err
	}
	for _, a := range list {
		if a.Agent == agent && a.Kind == Offline && a.Open() {
			return a, nil
		}
	}
	return Away{}, fmt.Errorf("agent %s is not marked offline: %w", agent, ErrNotFound)
}

// AddDuty records a duty cover (R7) for the service's desk; a nil ID and
// an empty desk are filled in, a duty of another desk is ErrInvalid.
func (s *Service) AddDuty(ctx context.Context, d Duty) (Duty, error) {
	if err := all(s.ownDesk("duty.desk", &d.Desk), s.bounds.duty(&d)); err != nil {
		return Duty{}, err
	}
	if d.ID == uuid.Nil {
		d.ID = s.newID()
	}
	if err := s.store.AddDuty(ctx, d); err != nil {
		return Duty{}, err
	}
	return d, nil
}

// View is everything recorded for a desk around a period, loaded once to
// answer several questions.
type View struct {
	Desk        string
	From, To    time.Time
	Assignments []Assignment // as published, before swaps
	Swaps       []Swap
	Away        []Away
	Duties      []Duty
}

// View loads the records relevant to [from, to): assignments and duties
// overlapping it, the swaps of those assignments, and leave and offline
// periods overlapping it.
func (s *Service) View(ctx context.Context, from, to time.Time) (*View, error) {
	if to.Before(from) {
		return nil, invalid("view.to", "period ends before it starts")
	}
	as, err := s.store.Assignments(ctx, s.desk, from, to)
	if err != nil {
		return nil, err
	}
	swaps, err := s.store.Swaps(ctx, s.desk, from.Add(-MaxAssignment), to)
	if err != nil {
		return nil, err
	}
	aw, err := s.store.Aways(ctx, s.desk, from.Add(-MaxAssignment), to.Add(MaxAssignment))
	if err != nil {
		return nil, err
	}
	duties, err := s.store.Duties(ctx, s.desk, from, to)
	if err != nil {
		return nil, err
	}
	return &View{Desk: s.desk, From: from, To: to, Assignments: as, Swaps: swaps, Away: aw, Duties: duties}, nil
}

// Effective returns the assignments with every swap in force at asOf
// applied.
func (v *View) Effective(asOf time.Time) []Assignment { return Apply(v.Assignments, v.Swaps, asOf) }

// OnDuty answers who is working at t, as agreed by t (see WhoIsOn for the
// order).
func (v *View) OnDuty(t time.Time) OnDutyList {
	return WhoIsOn(t, v.Effective(t), v.Duties, v.Away)
}

// Liable applies R4 to assignment id at instant t.
func (v *View) Liable(id uuid.UUID, t time.Time) (Liability, error) {
	for _, a := range v.Assignments {
		if a.ID == id {
			return Liable(a, v.Swaps, t), nil
		}
	}
	return Liability{}, fmt.Errorf("assignment %s: %w", id, ErrNotFound)
}

// Coverage checks service hours over days starting at from in loc, with
// swaps as agreed by asOf, and leave, presence and duty as recorded.
func (v *View) Coverage(loc *time.Location, hours ServiceHours, from Date, days int, asOf time.Time) (CoverageReport, error) {
	return CheckCoverage(CoverageInput{Location: loc, From: from, Days: days, Hours: hours,
		Assignments: v.Effective(asOf), Duties: v.Duties, Away: v.Away})
}

// OnDuty answers who is working at t on the desk (a convenience over View).
func (s *Service) OnDuty(ctx context.Context, t time.Time) (OnDutyList, error) {
	v, err := s.View(ctx, t, t.Add(time.Nanosecond))
	if err != nil {
		return nil, err
	}
	return v.OnDuty(t), nil
}

// Liable answers who is liable for assignment id at instant t (R4).
func (s *Service) Liable(ctx context.Context, id uuid.UUID, t time.Time) (Liability, error) {
	a, err := s.store.Assignment(ctx, s.desk, id)
	if err != nil {
		return Liability{}, err
	}
	swaps, err := s.store.Swaps(ctx, s.desk, a.Start, a.Start.Add(time.Nanosecond))
	if err != nil {
		return Liability{}, err
	}
	return Liable(a, swaps, t), nil
}

// Coverage checks the desk's service hours for days from day from in loc,
// with everything recorded up to now (R1).
func (s *Service) Coverage(ctx context.Context, loc *time.Location, hours ServiceHours, from Date, days int) (CoverageReport, error) {
	if loc == nil {
		loc = time.UTC
	}
	if days < 0 || days > maxCoverageDays || !from.Valid() {
		return CoverageReport{}, invalid("coverage", "from %v and %d days", from, days)
	}
	start := Instant(from, 0, loc)
	end := Instant(from.AddDays(days+1), 0, loc)
	v, err := s.View(ctx, start, end)
	if err != nil {
		return CoverageReport{}, err
	}
	return v.Coverage(loc, hours, from, days, s.now())
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
