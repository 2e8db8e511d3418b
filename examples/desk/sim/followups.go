package sim

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// followups is the follow-up wiring (the recipe of package followup):
// a deriver with the desk's rule set, a queue that records revisit
// outcomes on tickets, the sync from the ticket outbox between them, and
// the workers who claim and complete the tasks.
type followups struct {
	sim     *Sim
	deriver *followup.Deriver
	queue   *followup.Queue
	sync    *followup.TicketSync
	// attempts counts the calls and visits made, by result; a task not
	// reached is tried again (F10), so attempts outnumber tasks.
	attempts map[followup.Result]int
	noticed  map[uuid.UUID]bool // reopened tickets whose rework notice is planned
	claims   map[claimKey]int   // how often each attempt of each task was worked
}

// claimKey is one attempt at one follow-up task.
type claimKey struct {
	task    uuid.UUID
	attempt int
}

func newFollowups(s *Sim) (*followups, error) {
	var rules followup.RuleSet
	switch {
	case s.cfg.Policies.Followups != nil:
		rules = *s.cfg.Policies.Followups
	case s.cfg.Kind == Dealer:
		rules = followup.DealerRules(s.cfg.Seed)
	default:
		rules = followup.PropertyRules(s.cfg.Seed)
	}
	st := s.cfg.Stores.Followups
	if st == nil {
		st = followup.NewMemStore()
	}
	cal := s.cal
	d, err := followup.NewDeriver(st, followup.DeriverConfig{Desk: s.cfg.Desk, Rules: rules, Calendar: cal, Now: s.clock.clock, Balance: true})
	if err != nil {
		return nil, err
	}
	q, err := followup.NewQueue(st, followup.QueueConfig{Desk: s.cfg.Desk, Tickets: s.tickets, Calendar: cal, Now: s.clock.clock, NewID: s.newID, Lease: 20 * time.Minute})
	if err != nil {
		return nil, err
	}
	sync, err := followup.NewTicketSync(s.tickets, d, q, s.tickets)
	if err != nil {
		return nil, err
	}
	return &followups{sim: s, deriver: d, queue: q, sync: sync,
		attempts: map[followup.Result]int{}, noticed: map[uuid.UUID]bool{}, claims: map[claimKey]int{}}, nil
}

// round: the outbox is drained into tasks, then every follow-up
// worker claims what is due for their role and makes the calls and
// visits.
func (f *followups) round(ctx context.Context) error {
	s := f.sim
	if _, err := f.sync.Drain(ctx); err != nil {
		return err
	}
	if err := f.reworkNotices(ctx); err != nil {
		return err
	}
	roles := []ticket.Role{ticket.RoleDirector, ticket.RoleAdministrator, ticket.RoleRepairLead, ticket.RoleShiftLead, ticket.RoleAgent}
	for _, role := range roles {
		people := s.staff.Revisit[role]
		if role == ticket.RoleShiftLead {
			people = []ticket.Actor{s.staff.Lead}
		}
		if role == ticket.RoleAgent && s.cfg.Kind != Dealer {
			on, err := s.work.onDuty(ctx, s.clock.now)
			if err != nil {
				return err
			}
			people = nil
			for _, a := range on {
				people = append(people, ticket.Actor{ID: a, Role: ticket.RoleAgent})
			}
		}
		for _, p := range people {
			tasks, err := f.queue.Claim(ctx, p.ID, role, 3)
			if err != nil {
				return err
			}
			for _, t := range tasks {
				if err := f.perform(ctx, p, t); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// perform makes the call or visit and records its outcome: mostly
// reached, some customers not reached (tried again, F10), some revisits
// find a problem (T13).
func (f *followups) perform(ctx context.Context, by ticket.Actor, t *followup.Task) error {
	s := f.sim
	o := followup.Outcome{By: by}
	switch x := s.rng.Float64(); {
	case x < 0.12:
		o.Result, o.Note = followup.NotReached, "no answer"
	case x < 0.17 && t.Revisit:
		o.Result, o.Note = followup.ProblemFound, "the repair failed again"
	default:
		o.Result = followup.Reached
		o.Checked = t.Checklist
		if t.Channel == followup.OnSite || len(t.Checklist) > 0 {
			o.SignedBy = "sig:" + t.ID.String()[:8]
		}
		o.Satisfaction = 3 + s.rng.IntN(3)
		if s.chance(0.1) {
			o.Satisfaction = 1 + s.rng.IntN(2)
		}
		if t.Grade {
			o.Grade = pick(s.rng, []string{"A", "A", "B", "B", "C"})
		}
	}
	s.talk.speak(s, by.ID, "callback", t.Ticket)
	f.claims[claimKey{t.ID, t.Attempts}]++
	if _, err := f.queue.Complete(ctx, t, o); err != nil {
		return err
	}
	f.attempts[o.Result]++
	return nil
}

// reworkNotices: the shift lead finds tickets reopened by a failed
// revisit and sends the written rework notice, usually within the day
// (T13).
func (f *followups) reworkNotices(ctx context.Context) error {
	s := f.sim
	reopened, err := s.tickets.List(ctx, ticket.Filter{States: []ticket.State{ticket.Reopened}})
	if err != nil {
		return err
	}
	for _, tk := range reopened {
		d, ok := tk.Deadline(ticket.DeadlineReworkNotice)
		if !ok || !d.Open() || f.noticed[tk.ID] {
			continue
		}
		f.noticed[tk.ID] = true
		ref, dept := ticket.Ref{ID: tk.ID}, deptOf(tk)
		s.clock.after(s.minutes(30, 12*60), func(ctx context.Context) error {
			delete(f.noticed, ref.ID)
			return s.dispatch(ctx, s.staff.Lead, ref, dept, true)
		})
	}
	return nil
}

// drawDealer draws a request at the dealer's service desk (seed 004).
func (s *Sim) drawDealer() request {
	five := map[string]string{"when": "today", "who": "owner", "where": "showroom", "why": "question", "what": "price", "how": "phone"}
	r := request{in: ticket.Intake{Fields: five, Channel: ticket.Phone, Customer: &ticket.Customer{ID: pick(s.rng, customers)}}}
	switch x := s.rng.Float64(); {
	case x < 0.4:
		r.in.Kind, r.dept = ticket.Repair, "workshop"
		r.in.Fields = map[string]string{"plate": "粤B·12345", "person": "owner", "item": "brakes", "location": "workshop 2", "situation": "squeaks"}
	case x < 0.75:
		r.in.Kind, r.dept, r.onSpot = ticket.Inquiry, "sales", s.chance(0.5)
	case x < 0.85:
		r.in.Kind, r.dept = ticket.Complaint, "workshop"
		r.in.Complaint = &ticket.ComplaintInfo{Class: "repair quality", Severity: pick(s.rng, []ticket.Severity{ticket.Minor, ticket.Normal, ticket.Major})}
	case x < 0.95:
		r.in.Kind, r.dept, r.onSpot = ticket.Query, "workshop", s.chance(0.6)
	default:
		r.in.Kind, r.dept = ticket.Suggestion, "sales"
	}
	if s.chance(0.1) {
		delete(r.in.Fields, "plate")
		delete(r.in.Fields, "what")
	}
	return r
}

// scheduleDealerTriggers: the dealer's day brings deliveries, service
// visits, new enquiries and lost sales, each a trigger of F9.
func (s *Sim) scheduleDealerTriggers(day time.Time) {
	kinds := []struct {
		kind followup.TriggerKind
		n    int
	}{{followup.VehicleDelivery, 2 + s.rng.IntN(3)}, {followup.ServiceVisit, 4 + s.rng.IntN(5)}, {followup.Enquiry, 3 + s.rng.IntN(4)}, {followup.LostSale, s.rng.IntN(2)}}
	for _, k := range kinds {
		for i := range k.n {
			at := day.Add(10*time.Hour + s.minutes(0, 8*60))
			tr := followup.Trigger{Kind: k.kind, Desk: s.cfg.Desk, Key: fmt.Sprintf("%s:%s:%d", k.kind, day.Format("20060102"), i),
				Subject: pick(s.rng, customers)}
			s.clock.at(at, func(ctx context.Context) error {
				tr.At = s.clock.now
				_, err := s.follow.deriver.Derive(ctx, tr)
				return err
			})
		}
	}
}
