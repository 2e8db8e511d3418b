package main

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// Config sets up a simulation.
type Config struct {
	Seed  uint64
	Start time.Time // local midnight of the first day
	Days  int
}

// Sim is an event-driven desk: a clock, a queue of things that will
// happen, and the ticket service they happen to.
type Sim struct {
	cfg    Config
	rng    *rand.Rand
	now    time.Time
	end    time.Time
	queue  agenda
	seq    int
	svc    *ticket.Service
	ids    uint64
	agents []ticket.Actor
	lead   ticket.Actor
	hours  ticket.Hours

	refused map[string]int // refused actions by error kind, for the report
}

// The desk's people.
var (
	workers = map[string]ticket.Actor{
		"engineering": {ID: "eng-zhao", Role: ticket.RoleDepartment},
		"security":    {ID: "sec-qian", Role: ticket.RoleDepartment},
		"finance":     {ID: "fin-sun", Role: ticket.RoleDepartment},
		"cleaning":    {ID: "cln-zheng", Role: ticket.RoleDepartment},
	}
	repairLead = ticket.Actor{ID: "rl-chen", Role: ticket.RoleRepairLead}
	webform    = ticket.Actor{ID: "webform", Role: ticket.RoleSystem}
)

func newSim(cfg Config) (*Sim, error) {
	s := &Sim{
		cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x5eed)),
		now: cfg.Start, end: cfg.Start.AddDate(0, 0, cfg.Days),
		agents: []ticket.Actor{
			{ID: "agent-li", Role: ticket.RoleAgent}, {ID: "agent-wu", Role: ticket.RoleAgent},
			{ID: "agent-he", Role: ticket.RoleAgent}, {ID: "agent-ma", Role: ticket.RoleAgent},
		},
		lead: ticket.Actor{ID: "lead-zhou", Role: ticket.RoleShiftLead},
		// R1: the desk answers 09:00–24:00; deadlines count in those hours.
		hours:   ticket.Hours{Open: 9 * time.Hour, Close: 24 * time.Hour, Location: cfg.Start.Location()},
		refused: map[string]int{},
	}
	p := ticket.PropertyDesk()
	p.Calendar = s.hours
	svc, err := ticket.New(ticket.NewMemStore(), ticket.Config{
		Desk: "harbour-view", Policy: &p,
		Now: func() time.Time { return s.now },
		NewID: func() uuid.UUID {
			s.ids++
			return uuid.NewSHA1(uuid.NameSpaceURL, fmt.Appendf(nil, "sim/%d/%d", cfg.Seed, s.ids))
		},
	})
	if err != nil {
		return nil, err
	}
	s.svc = svc
	return s, nil
}

// at schedules fn at time t (clamped to now).
func (s *Sim) at(t time.Time, fn func(ctx context.Context) error) {
	if t.Before(s.now) {
		t = s.now
	}
	s.seq++
	heap.Push(&s.queue, &happening{at: t, seq: s.seq, fn: fn})
}

func (s *Sim) after(d time.Duration, fn func(ctx context.Context) error) { s.at(s.now.Add(d), fn) }

// minutes draws a duration uniformly between lo and hi minutes.
func (s *Sim) minutes(lo, hi float64) time.Duration {
	return time.Duration((lo + s.rng.Float64()*(hi-lo)) * float64(time.Minute))
}

func (s *Sim) chance(p float64) bool { return s.rng.Float64() < p }

// open reports whether the desk is staffed at t (R1).
func (s *Sim) open(t time.Time) bool {
	h := t.Hour()
	return h >= 9
}

// nextOpening returns t if the desk is open, else the next 09:00.
func (s *Sim) nextOpening(t time.Time) time.Time {
	if s.open(t) {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 9, 0, 0, 0, t.Location())
}

func (s *Sim) agentOnDuty() ticket.Actor { return s.agents[s.rng.IntN(len(s.agents))] }

// Run plays the simulation until the last day ends and then lets the
// work in progress settle for two more days (so the report shows a
// realistic tail), without new arrivals.
func (s *Sim) Run(ctx context.Context) error {
	for day := s.cfg.Start; day.Before(s.end); day = day.AddDate(0, 0, 1) {
		s.scheduleArrivals(day)
	}
	stop := s.end.Add(48 * time.Hour)
	for s.queue.Len() > 0 {
		h := heap.Pop(&s.queue).(*happening)
		if h.at.After(stop) {
			break
		}
		s.now = h.at
		if err := h.fn(ctx); err != nil {
			if isRefusal(err) {
				s.refused[refusalKind(err)]++
				continue
			}
			return err
		}
	}
	s.now = stop
	return nil
}

// hourly is the arrival rate per hour of the day, from 00:00 to 23:00.
var hourly = [24]float64{0.2, 0.1, 0.1, 0, 0, 0.1, 0.3, 0.8, 1.5, 3, 3.5, 3, 2, 2.5, 3, 3, 2.5, 2.5, 3, 3.5, 3, 2, 1.2, 0.6}

func (s *Sim) scheduleArrivals(day time.Time) {
	for h := range 24 {
		t := day.Add(time.Duration(h) * time.Hour)
		for t.Before(day.Add(time.Duration(h+1) * time.Hour)) {
			if hourly[h] == 0 {
				break
			}
			gap := time.Duration(s.rng.ExpFloat64() / hourly[h] * float64(time.Hour))
			t = t.Add(gap)
			if t.Hour() != h || !t.Before(day.AddDate(0, 0, 1)) {
				break
			}
			in := s.draw()
			s.at(t, func(ctx context.Context) error { return s.arrive(ctx, in) })
		}
	}
}

// request is a simulated customer request.
type request struct {
	in         ticket.Intake
	outOfScope bool
	onSpot     bool
	dept       string
}

func (s *Sim) draw() request {
	fields := map[string]string{
		"person": "resident", "phone": "138-0000-0000", "time": "now", "place": "block 3",
	}
	r := request{in: ticket.Intake{Channel: ticket.Phone, Fields: fields}}
	switch x := s.rng.Float64(); {
	case x < 0.35:
		r.in.Kind, r.dept = ticket.Repair, "engineering"
		r.in.Category = pick(s.rng, []string{"safety", "leak", "leak", "general", "general", "general"})
		fields["location"], fields["item"] = "3-201", "tap"
	case x < 0.55:
		r.in.Kind, r.dept, r.onSpot = ticket.Inquiry, "finance", s.chance(0.7)
		fields["event"] = "fee question"
	case x < 0.65:
		r.in.Kind, r.dept, r.onSpot = ticket.Query, "finance", s.chance(0.6)
		fields["event"] = "parcel"
	case x < 0.78:
		r.in.Kind, r.dept = ticket.Complaint, "security"
		fields["event"] = "noise at night"
		sev := pick(s.rng, []ticket.Severity{ticket.Minor, ticket.Minor, ticket.Normal, ticket.Normal, ticket.Major})
		r.in.Complaint = &ticket.ComplaintInfo{Class: pick(s.rng, []string{"noise", "service", "cleanliness", "fees"}), Severity: sev}
	case x < 0.86:
		r.in.Kind, r.dept = ticket.Suggestion, "cleaning"
		fields["event"] = "more bins"
	case x < 0.91:
		r.in.Kind, r.dept = ticket.Renovation, "engineering"
		fields["location"], fields["event"] = "5-1102", "kitchen works"
	default:
		r.in.Kind, r.outOfScope = ticket.Inquiry, true
		fields["event"] = "street lights outside the estate"
	}
	r.in.Channel = pick(s.rng, []ticket.Channel{ticket.Phone, ticket.Phone, ticket.Phone, ticket.InPerson, ticket.Online, ticket.Letter})
	if s.chance(0.1) { // T2: the caller would not say everything
		delete(fields, "location")
		delete(fields, "phone")
	}
	return r
}

func pick[T any](rng *rand.Rand, from []T) T { return from[rng.IntN(len(from))] }

// arrive records the request: received by the agent on duty, or, when
// the desk is closed or the request came online, unowned until the first
// agent takes it at the next opening (T19).
func (s *Sim) arrive(ctx context.Context, r request) error {
	by := s.agentOnDuty()
	if !s.open(s.now) || r.in.Channel == ticket.Online {
		r.in.Unattended = true
		by = webform
	}
	tk, err := s.svc.Receive(ctx, by, r.in)
	if err != nil {
		return err
	}
	ref := ticket.Ref{ID: tk.ID}
	if tk.Owner == "" {
		// Taken by the first agent at the next opening, who then works it.
		owner := s.agentOnDuty()
		s.at(s.nextOpening(s.now).Add(s.minutes(0, 2)), func(ctx context.Context) error {
			if _, err := s.svc.Take(ctx, owner, ref); err != nil {
				return err
			}
			s.work(owner, ref, r)
			return nil
		})
		return nil
	}
	s.work(by, ref, r)
	return nil
}

// work schedules the owner's first step.
func (s *Sim) work(owner ticket.Actor, ref ticket.Ref, r request) {
	switch {
	case r.outOfScope: // T11
		s.after(s.minutes(1, 4), func(ctx context.Context) error {
			_, err := s.svc.Cancel(ctx, owner, ref, ticket.OutOfScope, "explained the city maintains street lights, gave the number")
			return err
		})
	case r.onSpot: // T3
		s.after(s.minutes(1, 5), func(ctx context.Context) error {
			if _, err := s.svc.ResolveOnSpot(ctx, owner, ref, "answered at once"); err != nil {
				return err
			}
			return s.customerReply(ctx, owner, ref, 0)
		})
	default: // T4, T5: most within three minutes, some not
		s.after(s.minutes(0.5, 3.6), func(ctx context.Context) error { return s.dispatch(ctx, owner, ref, r.dept, false) })
	}
}

// dispatch routes the ticket (T4); a missing field is completed first
// (T2), which costs a call back to the customer.
func (s *Sim) dispatch(ctx context.Context, owner ticket.Actor, ref ticket.Ref, dept string, written bool) error {
	worker := workers[dept]
	_, err := s.svc.Dispatch(ctx, owner, ref, ticket.Assignment{Assignee: worker.ID, Department: dept, Written: written})
	var missing *ticket.MissingFieldsError
	if errors.As(err, &missing) {
		s.after(s.minutes(5, 60), func(ctx context.Context) error {
			fill := map[string]string{"phone": "139-0000-0000"}
			for _, f := range missing.Fields {
				fill[f] = "given on call-back"
			}
			if _, err := s.svc.Complete(ctx, owner, ref, fill); err != nil {
				return err
			}
			return s.dispatch(ctx, owner, ref, dept, written)
		})
		return nil
	}
	if err != nil {
		return err
	}
	// The department works on it; complaints get an agreed reply time (T7b).
	work := s.minutes(60, 30*60)
	tk, _ := s.svc.Get(ctx, ref.ID)
	if tk.Kind == ticket.Complaint {
		promise := s.now.Add(24 * time.Hour)
		if _, err := s.svc.Promise(ctx, owner, ref, promise, "will call back tomorrow"); err != nil {
			return err
		}
		if work > 24*time.Hour {
			s.at(promise.Add(s.minutes(-60, 90)), func(ctx context.Context) error {
				_, err := s.svc.Progress(ctx, owner, ref, ticket.Progress{
					Note: "security still checking the cameras", Apologize: true, NextReply: s.now.Add(24 * time.Hour)})
				return err
			})
		}
	}
	s.after(work, func(ctx context.Context) error {
		if _, err := s.svc.Resolve(ctx, worker, ref, "done by "+dept); err != nil {
			return err
		}
		// T7a: most answers come within hours; a few slip past 48 h.
		delay := s.minutes(20, 8*60)
		if s.chance(0.06) {
			delay = s.minutes(4*24*60, 6*24*60)
		}
		s.after(delay, func(ctx context.Context) error {
			if _, err := s.svc.Answer(ctx, owner, ref, "told the customer"); err != nil {
				return err
			}
			return s.customerReply(ctx, owner, ref, 0)
		})
		return nil
	})
	return nil
}

// customerReply: the customer accepts or rejects (T8); twice rejected
// goes to the shift lead (T6).
func (s *Sim) customerReply(ctx context.Context, owner ticket.Actor, ref ticket.Ref, round int) error {
	if s.chance(0.12) && round < 2 {
		tk, err := s.svc.Reject(ctx, owner, ref, "customer not satisfied")
		if err != nil {
			return err
		}
		if tk.Rejections >= 2 {
			if _, err := s.svc.Escalate(ctx, owner, ref, ticket.LevelShiftLead, "rejected twice"); err != nil {
				return err
			}
		}
		s.after(s.minutes(5, 60), func(ctx context.Context) error {
			return s.dispatch(ctx, owner, ref, deptOf(tk), false)
		})
		return nil
	}
	tk, err := s.svc.Accept(ctx, owner, ref, "")
	if err != nil {
		return err
	}
	if tk.State == ticket.Revisit {
		s.scheduleRevisit(tk)
	}
	return nil
}

func deptOf(tk *ticket.Ticket) string {
	if tk.Department != "" {
		return tk.Department
	}
	return "engineering"
}

// revisitWithin is F2: safety 2 days, leaks 3, other repairs 7.
var revisitWithin = map[string]time.Duration{"safety": 48 * time.Hour, "leak": 72 * time.Hour}

func (s *Sim) scheduleRevisit(tk *ticket.Ticket) {
	within, ok := revisitWithin[tk.Category]
	if !ok {
		within = 7 * 24 * time.Hour
	}
	ref := ticket.Ref{ID: tk.ID}
	s.after(time.Duration(s.rng.Float64()*float64(within)), func(ctx context.Context) error {
		if s.chance(0.9) {
			_, err := s.svc.RecordRevisit(ctx, repairLead, ref, ticket.RevisitOutcome{Passed: true, Note: "checked on site"})
			return err
		}
		if _, err := s.svc.RecordRevisit(ctx, repairLead, ref, ticket.RevisitOutcome{Note: "still dripping"}); err != nil {
			return err
		}
		// T13: the written rework notice, usually within the day.
		s.after(s.minutes(30, 20*60), func(ctx context.Context) error {
			return s.dispatch(ctx, s.lead, ref, deptOf(tk), true)
		})
		return nil
	})
}

func isRefusal(err error) bool {
	return errors.Is(err, ticket.ErrInvalidTransition) || errors.Is(err, ticket.ErrForbidden) ||
		errors.Is(err, ticket.ErrInvalid) || errors.Is(err, ticket.ErrIncomplete)
}

func refusalKind(err error) string {
	for _, e := range []error{ticket.ErrInvalidTransition, ticket.ErrForbidden, ticket.ErrInvalid, ticket.ErrIncomplete} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return "other"
}

// happening is one scheduled step; agenda orders them by time, then by
// scheduling order, so runs are deterministic.
type happening struct {
	at  time.Time
	seq int
	fn  func(ctx context.Context) error
}

type agenda []*happening

func (a agenda) Len() int { return len(a) }
func (a agenda) Less(i, j int) bool {
	if !a[i].at.Equal(a[j].at) {
		return a[i].at.Before(a[j].at)
	}
	return a[i].seq < a[j].seq
}
func (a agenda) Swap(i, j int) { a[i], a[j] = a[j], a[i] }
func (a *agenda) Push(x any)   { *a = append(*a, x.(*happening)) }
func (a *agenda) Pop() any {
	old := *a
	h := old[len(old)-1]
	*a = old[:len(old)-1]
	return h
}
