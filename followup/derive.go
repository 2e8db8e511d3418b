package followup

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// DeriverConfig configures a Deriver. Desk and Rules are required.
type DeriverConfig struct {
	// Desk is the tenant: every task the deriver creates belongs to it.
	Desk string
	// Rules is the desk's rule set, e.g. PropertyRules() or
	// DealerRules(); the deriver keeps its own copy.
	Rules RuleSet
	// Calendar places tasks in contact hours, e.g. the desk's
	// calendar.Calendar; nil means DefaultContactHours(Location). Use
	// AnyTime{} for none.
	Calendar Calendar
	// Location is the desk's zone, for the default contact hours; one of
	// Calendar and Location is required (no silent UTC).
	Location *time.Location
	// Now is the clock (CreatedAt); nil means time.Now.
	Now func() time.Time
	// OnAverage chooses F3 roles and F5 samples by the stateless hash of
	// the Salt and the trigger key alone. It is NOT guaranteed to meet
	// the shares in any one month: it meets them on average, and a month
	// may fall short by chance (4 of 95 complaints revisited has
	// happened). Two derivers agree on every choice and nothing is
	// counted. The default (false) balances instead: the deriver spreads
	// each month's F3 roles and F5 selections so that the month meets
	// the shares at every point (largest shortfall first, at least 10 %
	// of the complaints and at least 30 % of those on site by F5's
	// defaults). The counts are the deriver's own: a restarted deriver
	// starts the month afresh, and several derivers each balance their
	// own triggers, which only adds selections, so every month still
	// meets the shares. Plan is stateless either way.
	OnAverage bool
	// Bounds are the largest triggers the deriver accepts; a zero field
	// means its default (DefaultBounds).
	Bounds Bounds
	// Balance is the default and kept for callers that set it; it has
	// no effect. Set OnAverage for the stateless hash.
	//
	// Deprecated: balancing is the default.
	Balance bool
}

// Deriver turns triggers into tasks by the desk's rules. Deriving is
// idempotent: a task's ID is made from the desk, the trigger key and the
// rule (TaskID), and the store refuses a second task with the same ID, so
// the same trigger derived twice, or by two derivers at once, yields one
// task per rule. A Deriver is safe for concurrent use.
type Deriver struct {
	store  Store
	desk   string
	rules  RuleSet
	cal    Calendar
	now    func() time.Time
	bal    *balancer // nil: the stateless hash
	bounds Bounds
}

// NewDeriver returns a deriver for one desk.
func NewDeriver(store Store, cfg DeriverConfig) (*Deriver, error) {
	if store == nil {
		return nil, invalid("store", "a store is required; use NewMemStore for the in-memory default")
	}
	if cfg.Desk == "" {
		return nil, invalid("desk", "name the desk the deriver works for")
	}
	if err := cfg.Rules.Validate(); err != nil {
		return nil, err
	}
	bounds, err := cfg.Bounds.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := bounds.name("desk", cfg.Desk); err != nil {
		return nil, err
	}
	cal, err := deskCalendar(cfg.Calendar, cfg.Location)
	if err != nil {
		return nil, err
	}
	d := &Deriver{bounds: bounds, store: store, desk: cfg.Desk, rules: cfg.Rules.Clone(), cal: cal, now: cfg.Now}
	if d.now == nil {
		d.now = time.Now
	}
	if !cfg.OnAverage {
		d.bal = &balancer{}
	}
	return d, nil
}

// Desk returns the deriver's desk.
func (d *Deriver) Desk() string { return d.desk }

// Rules returns a copy of the deriver's rules.
func (d *Deriver) Rules() RuleSet { return d.rules.Clone() }

// Plan returns the tasks the rules derive from the trigger, without
// storing them: a pure function of the rules, the calendar, the trigger
// and now. A trigger without a desk is taken to be the deriver's.
func (d *Deriver) Plan(tr Trigger) ([]*Task, error) {
	ts, _, err := d.plan(tr, nil)
	return ts, err
}

// plan returns the tasks with the rule each came from; bal, when set,
// balances roles and samples (see DeriverConfig.OnAverage).
func (d *Deriver) plan(tr Trigger, bal *balancer) ([]*Task, []Rule, error) {
	if tr.Desk == "" {
		tr.Desk = d.desk
	}
	if tr.Desk != d.desk {
		return nil, nil, invalid("trigger desk", "trigger %q is of desk %q, not %q", tr.Key, tr.Desk, d.desk)
	}
	if err := d.bounds.trigger(&tr); err != nil {
		return nil, nil, err
	}
	if err := tr.check(); err != nil {
		return nil, nil, err
	}
	now := d.now()
	var out []*Task
	var rules []Rule
	for _, r := range d.rules.Match(tr) {
		t, err := plan(r, tr, d.cal, now, bal)
		if err != nil {
			return nil, nil, err
		}
		if t != nil {
			out = append(out, t)
			rules = append(rules, r)
		}
	}
	return out, rules, nil
}

// plan derives one rule's task from a trigger, or nil when the rule's
// sampling passes the trigger over (F5).
func plan(r Rule, tr Trigger, cal Calendar, now time.Time, bal *balancer) (*Task, error) {
	t := &Task{
		ID: TaskID(tr.Desk, tr.Key, r.ID), Desk: tr.Desk,
		Rule: r.ID, Cites: r.Cites, Trigger: tr.Kind, Key: tr.Key, Subject: tr.Subject,
		Ticket: tr.Ticket, TicketKind: tr.TicketKind, Category: tr.Category, Seq: 1,
		Channel: r.Channel, Role: r.Role, Checklist: slices.Clone(r.Checklist),
		Grade: r.Grade, Revisit: r.Revisit && tr.Ticket != [16]byte{},
		TriggeredAt: tr.At, MaxAttempts: max(1, r.Attempts), RetryAfter: r.RetryAfter,
		Repeat: r.Repeat, UntilClosed: r.UntilClosed,
		Status: Pending, CreatedAt: now, UpdatedAt: now,
	}
	if r.Sample != nil {
		selected, onSite := tr.RevisitRequired || r.Sample.Selected(tr.Key), r.Sample.OnSiteFor(tr.Key)
		if bal != nil {
			selected, onSite = bal.sample(r, tr)
		}
		if !selected {
			return nil, nil
		}
		t.Sampled = true
		if onSite {
			t.Channel = OnSite // F5: on site, with the customer's signature
			if !slices.Contains(t.Checklist, CheckSignature) {
				t.Checklist = append(t.Checklist, CheckSignature)
			}
		}
	}
	from, due := r.Window(tr.At)
	if err := t.place(from, due, cal, r.AnyTime); err != nil {
		return nil, fmt.Errorf("rule %s, trigger %q: %w", r.ID, tr.Key, err)
	}
	if r.Roles != nil {
		t.Role = r.Roles.Assign(tr.Key) // F3
		if bal != nil {
			t.Role = bal.role(r, t.Due) // balanced in the month the task is due, as reports count it
		}
	}
	return t, nil
}

// place sets the window: NotBefore moves to the next contact time; when
// that is after the due time (a call due at once at 23:30), the due time
// moves with it.
func (t *Task) place(from, due time.Time, cal Calendar, anyTime bool) error {
	if !anyTime {
		next := cal.Next(from)
		if next.IsZero() {
			return invalid("calendar", "no contact time within a year of %s", from.Format(time.RFC3339))
		}
		if next.Before(from) {
			return invalid("calendar", "calendar moved %s back to %s", from.Format(time.RFC3339), next.Format(time.RFC3339))
		}
		from = next
	}
	if due.Before(from) {
		due = from
	}
	t.NotBefore, t.Due = from, due
	return nil
}

// Derive plans the trigger's tasks and stores them. Tasks derived
// before (same desk, trigger key and rule) are not created again: the
// stored ones are returned instead. The result lists one task per
// matching rule, in rule order.
func (d *Deriver) Derive(ctx context.Context, tr Trigger) ([]*Task, error) {
	ts, rules, err := d.plan(tr, d.bal)
	if err != nil {
		return nil, err
	}
	undo := func(i int) {
		if d.bal != nil {
			d.bal.undo(rules[i], tr, ts[i])
		}
	}
	return createAll(ctx, d.store, ts, undo)
}

// createAll stores the tasks; a task stored before is returned as
// stored, and undo(i) is told about it.
func createAll(ctx context.Context, s Store, ts []*Task, undo func(i int)) ([]*Task, error) {
	out := make([]*Task, 0, len(ts))
	for i, t := range ts {
		err := s.Create(ctx, t)
		if errors.Is(err, ErrDuplicate) {
			if undo != nil {
				undo(i)
			}
			if t, err = s.Get(ctx, t.Desk, t.ID); err != nil {
				return out, err
			}
		} else if err != nil {
			return out, fmt.Errorf("create task %s of rule %s: %w", t.ID, t.Rule, err)
		}
		out = append(out, t)
	}
	return out, nil
}
