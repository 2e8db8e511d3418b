package sim

import (
	"context"
	"errors"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

func (s *Sim) scheduleArrivals(day time.Time) {
	hourly := s.cfg.Arrivals
	for h := range 24 {
		if hourly[h] == 0 {
			continue
		}
		t := day.Add(time.Duration(h) * time.Hour)
		end := t.Add(time.Hour)
		for {
			t = t.Add(time.Duration(s.rng.ExpFloat64() / hourly[h] * float64(time.Hour)))
			if !t.Before(end) {
				break
			}
			in := s.draw()
			s.log.arrivals[h]++
			s.clock.at(t, func(ctx context.Context) error { return s.arrive(ctx, in) })
		}
	}
	if s.cfg.Kind == Dealer {
		s.scheduleDealerTriggers(day)
	}
	if s.cfg.Kind == Generic {
		s.scheduleEscalations(day)
	}
}

// request is a simulated customer request.
type request struct {
	in         ticket.Intake
	outOfScope bool
	onSpot     bool
	dept       string
	handled    bool // the general desk's first reply is made
}

var customers = []string{"c-1001", "c-1002", "c-1003", "c-1004", "c-1005", "c-1006", "c-1007", "c-1008", "c-1009", "c-1010"}

func (s *Sim) draw() request {
	if s.cfg.Kind == Dealer {
		return s.drawDealer()
	}
	if s.cfg.Kind == Generic {
		return s.drawGeneric()
	}
	fields := map[string]string{"person": "resident", "phone": "138-0000-0000", "time": "now", "place": "block 3"}
	r := request{in: ticket.Intake{Fields: fields, Customer: &ticket.Customer{ID: pick(s.rng, customers)}}}
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

// arrive records the request. A phone call is answered by the agent on
// duty who is free first, after a wait when all are on a call (the
// service level of R8); a visitor is received at once. When nobody is
// on duty, or the request came online or by letter, it waits unowned
// until the first agent on duty takes it (T19).
func (s *Sim) arrive(ctx context.Context, r request) error {
	in := r.in
	offline := in.Channel == ticket.Online || in.Channel == ticket.Letter || in.Channel == ticket.Email
	on, err := s.work.onDuty(ctx, s.clock.now)
	if err != nil {
		return err
	}
	if offline || len(on) == 0 {
		if in.Channel == ticket.Phone {
			s.work.phone.offered(s.clock.now, s.loc, -1)
		}
		in.Unattended = true
		tk, err := s.tickets.Receive(ctx, webform, in)
		if err != nil {
			return err
		}
		at, owner, err := s.work.nextOnDuty(ctx, s.clock.now)
		if err != nil {
			return err
		}
		ref := ticket.Ref{ID: tk.ID}
		s.clock.at(at.Add(s.minutes(0, 2)), func(ctx context.Context) error {
			if _, err := s.tickets.Take(ctx, owner, ref); err != nil {
				return err
			}
			s.handle(owner, ref, r)
			return nil
		})
		return nil
	}
	by := ticket.Actor{ID: pick(s.rng, on), Role: ticket.RoleAgent}
	wait := time.Duration(0)
	if in.Channel == ticket.Phone {
		by.ID, wait = s.work.phone.answer(s.clock.now, on, s.handleTime())
		s.work.phone.offered(s.clock.now, s.loc, wait)
	}
	s.clock.after(wait, func(ctx context.Context) error {
		tk, err := s.tickets.Receive(ctx, by, in)
		if err != nil {
			return err
		}
		ref := ticket.Ref{ID: tk.ID}
		s.talk.speak(s, by.ID, "inbound", tk.ID)
		s.handle(by, ref, r)
		return nil
	})
	return nil
}

// handleTime draws a call's length: exponential around the policy's mean.
func (s *Sim) handleTime() time.Duration {
	return time.Duration(s.rng.ExpFloat64() * float64(s.cfg.Policies.HandleTime))
}

// handle schedules the owner's first step.
func (s *Sim) handle(owner ticket.Actor, ref ticket.Ref, r request) {
	if s.cfg.Kind == Generic && !r.handled {
		r.handled = true
		s.handleGeneric(owner, ref, r)
		return
	}
	switch {
	case r.outOfScope: // T11
		s.clock.after(s.minutes(1, 4), func(ctx context.Context) error {
			s.talk.speak(s, owner.ID, "refusal", ref.ID)
			_, err := s.tickets.Cancel(ctx, owner, ref, ticket.OutOfScope, "explained who handles it and gave their number")
			return err
		})
	case r.onSpot: // T3
		s.clock.after(s.minutes(1, 5), func(ctx context.Context) error {
			tk, err := s.tickets.ResolveOnSpot(ctx, owner, ref, "answered at once")
			if err != nil {
				return err
			}
			return s.customerReply(ctx, owner, ref, tk)
		})
	default: // T4, T5: most within three minutes, some not
		s.clock.after(s.minutes(0.5, 3.6), func(ctx context.Context) error { return s.dispatch(ctx, owner, ref, r.dept, false) })
	}
}

// dispatch routes the ticket (T4); a missing field is completed first
// (T2), which costs a call back to the customer.
func (s *Sim) dispatch(ctx context.Context, owner ticket.Actor, ref ticket.Ref, dept string, written bool) error {
	worker := s.staff.Workers[dept]
	tk, err := s.tickets.Dispatch(ctx, owner, ref, ticket.Assignment{Assignee: worker.ID, Department: dept, Written: written})
	var missing *ticket.MissingFieldsError
	if errors.As(err, &missing) {
		s.clock.after(s.minutes(5, 60), func(ctx context.Context) error {
			fill := map[string]string{"phone": "139-0000-0000"}
			for _, f := range missing.Fields {
				fill[f] = "given on call-back"
			}
			if _, err := s.tickets.Complete(ctx, owner, ref, fill); err != nil {
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
	if tk.Kind == ticket.Complaint && !written {
		promise := s.clock.now.Add(24 * time.Hour)
		if _, err := s.tickets.Promise(ctx, owner, ref, promise, "will call back tomorrow"); err != nil {
			return err
		}
		if work > 24*time.Hour {
			s.clock.at(promise.Add(s.minutes(-60, 90)), func(ctx context.Context) error {
				if t, err := s.tickets.Get(ctx, ref.ID); err != nil || t.State == ticket.Answered || t.State.Terminal() {
					return err
				}
				s.talk.speak(s, owner.ID, "apology", ref.ID)
				_, err := s.tickets.Progress(ctx, owner, ref, ticket.Progress{
					Note: "still checking, sorry for the wait", Apologize: true, NextReply: s.clock.now.Add(24 * time.Hour)})
				return err
			})
		}
	}
	s.clock.after(work, func(ctx context.Context) error {
		if _, err := s.tickets.Resolve(ctx, worker, ref, "done by "+dept); err != nil {
			return err
		}
		return s.answerLater(owner, ref)
	})
	return nil
}

// answerLater: the owner tells the customer the solution (T7a), mostly
// within hours; a few answers slip past 48 hours.
func (s *Sim) answerLater(owner ticket.Actor, ref ticket.Ref) error {
	delay := s.minutes(20, 8*60)
	if s.chance(0.05) {
		delay = s.minutes(4*24*60, 6*24*60)
	}
	s.clock.after(delay, func(ctx context.Context) error {
		s.talk.speak(s, owner.ID, "answer", ref.ID)
		tk, err := s.tickets.Answer(ctx, owner, ref, "told the customer")
		if err != nil {
			return err
		}
		return s.customerReply(ctx, owner, ref, tk)
	})
	return nil
}

// customerReply: the customer accepts or rejects (T8); twice rejected
// goes to the shift lead (T6). An accepted ticket with a revisit
// outstanding waits for the follow-up workers. cur is the ticket as the
// owner's last step (the answer) left it.
func (s *Sim) customerReply(ctx context.Context, owner ticket.Actor, ref ticket.Ref, cur *ticket.Ticket) error {
	if cur.Rejections < 2 && s.chance(0.12) {
		tk, err := s.tickets.Reject(ctx, owner, ref, "customer not satisfied")
		if err != nil {
			return err
		}
		if tk.Rejections >= 2 {
			if _, err := s.tickets.Escalate(ctx, owner, ref, 0, "rejected twice"); err != nil {
				return err
			}
		}
		s.clock.after(s.minutes(5, 60), func(ctx context.Context) error {
			return s.dispatch(ctx, owner, ref, deptOf(tk), false)
		})
		return nil
	}
	_, err := s.tickets.Accept(ctx, owner, ref, "")
	return err
}

func deptOf(tk *ticket.Ticket) string {
	if tk.Department != "" {
		return tk.Department
	}
	return "engineering"
}

// webform receives what arrives while nobody is on duty, and online.
var webform = ticket.Actor{ID: "webform", Role: ticket.RoleSystem}
