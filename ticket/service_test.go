package ticket_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

var (
	ctx     = context.Background()
	t0      = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday
	agent   = ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	agent2  = ticket.Actor{ID: "wu", Role: ticket.RoleAgent}
	lead    = ticket.Actor{ID: "zhou", Role: ticket.RoleShiftLead}
	plumber = ticket.Actor{ID: "zhao", Role: ticket.RoleDepartment}
	rlead   = ticket.Actor{ID: "chen", Role: ticket.RoleRepairLead}
	webform = ticket.Actor{ID: "webform", Role: ticket.RoleSystem}
)

// desk is a test desk with a clock the test moves.
type desk struct {
	t     *testing.T
	store *ticket.MemStore
	svc   *ticket.Service
	now   time.Time
}

func newDesk(t *testing.T, p *ticket.Policy) *desk {
	t.Helper()
	d := &desk{t: t, store: ticket.NewMemStore(), now: t0}
	var n atomic.Uint64
	svc, err := ticket.New(d.store, ticket.Config{
		Desk: "north", Policy: p,
		Now: func() time.Time { return d.now },
		NewID: func() uuid.UUID {
			return uuid.NewSHA1(uuid.NameSpaceOID, fmt.Append(nil, n.Add(1)))
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	d.svc = svc
	return d
}

func (d *desk) wait(dur time.Duration) { d.now = d.now.Add(dur) }

func repairIntake() ticket.Intake {
	return ticket.Intake{Kind: ticket.Repair, Category: "leak", Channel: ticket.Phone,
		Fields: map[string]string{"person": "Wang", "phone": "13800000000", "location": "3-201", "item": "kitchen pipe"}}
}

func inquiryIntake() ticket.Intake {
	return ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.InPerson,
		Fields: map[string]string{"person": "Wang", "phone": "13800000000", "event": "parking fee"}}
}

func (d *desk) receive(by ticket.Actor, in ticket.Intake) *ticket.Ticket {
	d.t.Helper()
	tk, err := d.svc.Receive(ctx, by, in)
	if err != nil {
		d.t.Fatalf("Receive: %v", err)
	}
	return tk
}

func (d *desk) must(tk *ticket.Ticket, err error) *ticket.Ticket {
	d.t.Helper()
	if err != nil {
		d.t.Fatal(err)
	}
	return tk
}

// unchanged fails unless the ticket is still at version v with n events.
func (d *desk) unchanged(id uuid.UUID, v int64) {
	d.t.Helper()
	got, err := d.svc.Get(ctx, id)
	if err != nil {
		d.t.Fatal(err)
	}
	h, _ := d.svc.History(ctx, id)
	if got.Version != v || int64(len(h)) != v {
		d.t.Fatalf("refused action changed the ticket: version %d, %d events; want %d", got.Version, len(h), v)
	}
}

// toAnswered takes a repair through dispatch, resolve and answer.
func (d *desk) toAnswered() *ticket.Ticket {
	d.t.Helper()
	tk := d.receive(agent, repairIntake())
	d.wait(time.Minute)
	tk = d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: plumber.ID}))
	d.wait(time.Hour)
	tk = d.must(d.svc.Resolve(ctx, plumber, tk.Ref(), "pipe replaced"))
	d.wait(time.Hour)
	return d.must(d.svc.Answer(ctx, agent, tk.Ref(), "told the customer"))
}

func TestOwnership(t *testing.T) {
	t.Run("T1_receiver_is_owner_and_dispatch_keeps_it", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, repairIntake())
		if tk.Owner != agent.ID {
			t.Fatalf("owner %q, want the receiver %q", tk.Owner, agent.ID)
		}
		tk = d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: plumber.ID, Department: "engineering"}))
		if tk.Owner != agent.ID || tk.Assignee != plumber.ID || tk.Department != "engineering" {
			t.Fatalf("after dispatch owner %q assignee %q dept %q", tk.Owner, tk.Assignee, tk.Department)
		}
		tk = d.must(d.svc.Reassign(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: "qian"}))
		if tk.Owner != agent.ID || tk.Assignee != "qian" {
			t.Fatalf("after reassign owner %q assignee %q", tk.Owner, tk.Assignee)
		}
	})
	t.Run("T18_referral_at_reception_moves_owner", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, inquiryIntake())
		if _, err := d.svc.Refer(ctx, agent2, tk.Ref(), "sun", ""); !errors.Is(err, ticket.ErrForbidden) {
			t.Fatalf("a non-owner referring: %v, want ErrForbidden", err)
		}
		tk = d.must(d.svc.Refer(ctx, agent, tk.Ref(), agent2.ID, "fees are wu's"))
		if tk.Owner != agent2.ID {
			t.Fatalf("owner after referral %q", tk.Owner)
		}
		h, _ := d.svc.History(ctx, tk.ID)
		last := h[len(h)-1]
		if last.Action != ticket.ActRefer || last.Data["from"] != agent.ID || last.Data["to"] != agent2.ID {
			t.Fatalf("referral not recorded: %+v", last)
		}
		tk = d.must(d.svc.Dispatch(ctx, agent2, tk.Ref(), ticket.Assignment{Department: "finance"}))
		if _, err := d.svc.Refer(ctx, agent2, tk.Ref(), agent.ID, ""); !errors.Is(err, ticket.ErrInvalidTransition) {
			t.Fatalf("referral after reception: %v, want ErrInvalidTransition", err)
		}
	})
	t.Run("T15_handover_moves_owner_and_own_assignments", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, inquiryIntake())
		tk = d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: agent.ID}))
		tk = d.must(d.svc.Handover(ctx, agent, tk.Ref(), agent2.ID, "on leave from tomorrow"))
		if tk.Owner != agent2.ID || tk.Assignee != agent2.ID {
			t.Fatalf("after handover owner %q assignee %q, want both %q", tk.Owner, tk.Assignee, agent2.ID)
		}
		// A lead may hand over for an absent owner.
		tk = d.must(d.svc.Handover(ctx, lead, tk.Ref(), agent.ID, "wu is ill"))
		if tk.Owner != agent.ID {
			t.Fatalf("lead handover: owner %q", tk.Owner)
		}
	})
	t.Run("T19_unattended_arrival_is_unowned_until_taken", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(webform, repairIntake())
		if tk.Owner != "" {
			t.Fatalf("web form request owned by %q", tk.Owner)
		}
		voicemail := repairIntake()
		voicemail.Unattended = true
		vm := d.receive(agent, voicemail)
		if vm.Owner != "" {
			t.Fatalf("unattended request owned by %q", vm.Owner)
		}
		unowned, _ := d.svc.List(ctx, ticket.Filter{Unowned: true})
		if len(unowned) != 2 {
			t.Fatalf("%d unowned tickets listed, want 2", len(unowned))
		}
		tk = d.must(d.svc.Take(ctx, agent2, tk.Ref()))
		if tk.Owner != agent2.ID {
			t.Fatalf("taker is not owner: %q", tk.Owner)
		}
		if _, err := d.svc.Take(ctx, agent, tk.Ref()); !errors.Is(err, ticket.ErrForbidden) {
			t.Fatalf("taking an owned ticket: %v, want ErrForbidden", err)
		}
		d.unchanged(tk.ID, tk.Version)
		if _, err := d.svc.Take(ctx, webform, vm.Ref()); !errors.Is(err, ticket.ErrForbidden) {
			t.Fatalf("the system taking a ticket: %v, want ErrForbidden", err)
		}
	})
}

func TestIntake(t *testing.T) {
	t.Run("T2_missing_fields_recorded_as_incomplete", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, ticket.Intake{Kind: ticket.Repair, Channel: ticket.Phone,
			Fields: map[string]string{"person": "  ", "item": "door"}})
		if !tk.Incomplete() || strings.Join(tk.Missing, ",") != "person,phone,location" {
			t.Fatalf("missing %v, want person,phone,location", tk.Missing)
		}
		h, _ := d.svc.History(ctx, tk.ID)
		if h[0].Data["missing"] != "person,phone,location" {
			t.Fatalf("receive event data %v", h[0].Data)
		}
		inc, _ := d.svc.List(ctx, ticket.Filter{Incomplete: true})
		if len(inc) != 1 {
			t.Fatalf("incomplete list has %d", len(inc))
		}
	})
	t.Run("T2_repair_not_dispatched_without_location", func(t *testing.T) {
		d := newDesk(t, nil)
		in := repairIntake()
		delete(in.Fields, "location")
		tk := d.receive(agent, in)
		_, err := d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: plumber.ID})
		var mf *ticket.MissingFieldsError
		if !errors.As(err, &mf) || !errors.Is(err, ticket.ErrIncomplete) || mf.Step != ticket.ActDispatch ||
			strings.Join(mf.Fields, ",") != "location" {
			t.Fatalf("dispatch without location: %v", err)
		}
		d.unchanged(tk.ID, 1)
		tk = d.must(d.svc.Complete(ctx, agent, tk.Ref(), map[string]string{"location": "3-201"}))
		if tk.Incomplete() {
			t.Fatalf("still incomplete: %v", tk.Missing)
		}
		d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: plumber.ID}))
	})
	t.Run("T2_channels_and_kinds", func(t *testing.T) {
		d := newDesk(t, nil)
		for _, ch := range ticket.Channels() {
			in := inquiryIntake()
			in.Channel = ch
			if tk := d.receive(agent, in); tk.Channel != ch {
				t.Fatalf("channel %s recorded as %s", ch, tk.Channel)
			}
		}
		for _, k := range []ticket.Kind{ticket.Repair, ticket.Inquiry, ticket.Query, ticket.Complaint, ticket.Suggestion, ticket.Renovation} {
			in := inquiryIntake()
			in.Kind = k
			d.receive(agent, in)
		}
	})
	t.Run("T2_user_defined_kind", func(t *testing.T) {
		p := ticket.PropertyDesk()
		p.Kinds["move_out"] = ticket.KindPolicy{Fields: []string{"person", "date"}}
		d := newDesk(t, &p)
		tk := d.receive(agent, ticket.Intake{Kind: "move_out", Channel: ticket.InPerson, Fields: map[string]string{"person": "Lin"}})
		if strings.Join(tk.Missing, ",") != "date" {
			t.Fatalf("missing %v", tk.Missing)
		}
	})
	bad := map[string]struct {
		by ticket.Actor
		in ticket.Intake
	}{
		"unknown_kind":       {agent, ticket.Intake{Kind: "teleport", Channel: ticket.Phone}},
		"empty_kind":         {agent, ticket.Intake{Channel: ticket.Phone}},
		"unknown_channel":    {agent, ticket.Intake{Kind: ticket.Inquiry, Channel: "pigeon"}},
		"empty_field_name":   {agent, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone, Fields: map[string]string{" ": "x"}}},
		"severity_on_repair": {agent, ticket.Intake{Kind: ticket.Repair, Channel: ticket.Phone, Complaint: &ticket.ComplaintInfo{Severity: ticket.Major}}},
		"unknown_severity":   {agent, ticket.Intake{Kind: ticket.Complaint, Channel: ticket.Phone, Complaint: &ticket.ComplaintInfo{Severity: "apocalyptic"}}},
		"actor_without_id":   {ticket.Actor{Role: ticket.RoleAgent}, inquiryIntake()},
		"actor_without_role": {ticket.Actor{ID: "x"}, inquiryIntake()},
	}
	for name, tc := range bad {
		t.Run("refused_"+name, func(t *testing.T) {
			d := newDesk(t, nil)
			_, err := d.svc.Receive(ctx, tc.by, tc.in)
			var ie *ticket.InputError
			if !errors.Is(err, ticket.ErrInvalid) || !errors.As(err, &ie) || ie.Field == "" {
				t.Fatalf("err = %v, want an InputError naming the field", err)
			}
			if all, _ := d.svc.List(ctx, ticket.Filter{}); len(all) != 0 {
				t.Fatalf("a refused intake stored %d tickets", len(all))
			}
		})
	}
}

func TestLifecycle(t *testing.T) {
	t.Run("T3_resolve_on_the_spot", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, inquiryIntake())
		tk = d.must(d.svc.ResolveOnSpot(ctx, agent, tk.Ref(), "fee explained"))
		if tk.State != ticket.Answered || tk.Resolution == nil || tk.AnsweredAt.IsZero() {
			t.Fatalf("state %s resolution %v", tk.State, tk.Resolution)
		}
		if dl, _ := tk.Deadline(ticket.DeadlineDispatch); dl.Open() {
			t.Fatal("dispatch clock still runs after resolving on the spot")
		}
		tk = d.must(d.svc.Accept(ctx, agent, tk.Ref(), ""))
		if tk.State != ticket.Closed || tk.ClosedAt.IsZero() {
			t.Fatalf("inquiry accepted: state %s", tk.State)
		}
	})
	t.Run("T8_accept_closes_without_revisit", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, inquiryIntake())
		tk = d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Department: "finance"}))
		tk = d.must(d.svc.Resolve(ctx, plumber, tk.Ref(), "refund approved"))
		tk = d.must(d.svc.Answer(ctx, agent, tk.Ref(), ""))
		tk = d.must(d.svc.Accept(ctx, agent, tk.Ref(), "thanks"))
		if tk.State != ticket.Closed {
			t.Fatalf("state %s", tk.State)
		}
	})
	t.Run("T8_reject_sends_back_to_work", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.toAnswered()
		if _, err := d.svc.Reject(ctx, agent, tk.Ref(), ""); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("reject without reason: %v", err)
		}
		tk = d.must(d.svc.Reject(ctx, agent, tk.Ref(), "still dripping"))
		if tk.State != ticket.Reopened || tk.Rejections != 1 {
			t.Fatalf("state %s rejections %d", tk.State, tk.Rejections)
		}
		tk = d.must(d.svc.Escalate(ctx, agent, tk.Ref(), 0, "customer rejected twice"))
		if tk.Escalation.Level != ticket.LevelShiftLead {
			t.Fatalf("escalation %+v", tk.Escalation)
		}
		d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: plumber.ID}))
	})
	t.Run("T9_resolver_signs_off", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.toAnswered()
		if tk.Resolution.Resolver != plumber.ID || tk.Resolution.Summary != "pipe replaced" {
			t.Fatalf("resolution %+v", tk.Resolution)
		}
		d2 := newDesk(t, nil)
		tk2 := d2.receive(agent, inquiryIntake())
		tk2 = d2.must(d2.svc.Dispatch(ctx, agent, tk2.Ref(), ticket.Assignment{Department: "x"}))
		if _, err := d2.svc.Resolve(ctx, plumber, tk2.Ref(), "  "); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("resolve without a signed summary: %v", err)
		}
	})
	t.Run("revisit_outstanding_blocks_close", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.toAnswered() // repairs have a revisit planned by the property preset (F2)
		tk = d.must(d.svc.Accept(ctx, agent, tk.Ref(), ""))
		if tk.State != ticket.Revisit {
			t.Fatalf("accepted repair is %s, want revisit", tk.State)
		}
		h, _ := d.svc.History(ctx, tk.ID)
		if h[len(h)-1].Action != ticket.ActAwaitRevisit {
			t.Fatalf("recorded as %s", h[len(h)-1].Action)
		}
		tk = d.must(d.svc.RecordRevisit(ctx, rlead, tk.Ref(), ticket.RevisitOutcome{Passed: true, Note: "dry"}))
		if tk.State != ticket.Closed || !tk.Revisit.Done {
			t.Fatalf("after revisit: %s %+v", tk.State, tk.Revisit)
		}
	})
	t.Run("required_revisit_for_sampled_ticket", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, inquiryIntake())
		tk = d.must(d.svc.RequireRevisit(ctx, webform, tk.Ref(), "sampled"))
		tk = d.must(d.svc.ResolveOnSpot(ctx, agent, tk.Ref(), "done"))
		tk = d.must(d.svc.Accept(ctx, agent, tk.Ref(), ""))
		if tk.State != ticket.Revisit {
			t.Fatalf("state %s, want revisit", tk.State)
		}
	})
	t.Run("T11_out_of_scope_cancelled_politely", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, inquiryIntake())
		if _, err := d.svc.Cancel(ctx, agent, tk.Ref(), ticket.OutOfScope, ""); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("cancel without telling the customer: %v", err)
		}
		if _, err := d.svc.Cancel(ctx, agent, tk.Ref(), "bored", "x"); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("unknown reason: %v", err)
		}
		tk = d.must(d.svc.Cancel(ctx, agent, tk.Ref(), ticket.OutOfScope, "explained that the city handles street lights"))
		if tk.State != ticket.Cancelled || tk.NextDue() != (time.Time{}) {
			t.Fatalf("state %s next due %v", tk.State, tk.NextDue())
		}
	})
	t.Run("T11_other_organisation_dispatched_external", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, ticket.Intake{Kind: ticket.Complaint, Channel: ticket.Phone,
			Fields: map[string]string{"event": "water cut", "person": "Ma"}})
		tk = d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Department: "water company", External: true, Note: "apologised, contacted them"}))
		h, _ := d.svc.History(ctx, tk.ID)
		if h[1].Data["external"] != "true" || h[1].Data["department"] != "water company" {
			t.Fatalf("dispatch data %v", h[1].Data)
		}
	})
	t.Run("T12_missed_appointment_rescheduled", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, repairIntake())
		tk = d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: plumber.ID, Appointment: t0.Add(2 * time.Hour)}))
		d.wait(3 * time.Hour)
		if _, err := d.svc.Reschedule(ctx, agent, tk.Ref(), d.now.Add(time.Hour), "smoke signal", ""); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("notice must be phone or written: %v", err)
		}
		tk = d.must(d.svc.Reschedule(ctx, agent, tk.Ref(), d.now.Add(24*time.Hour), ticket.PhoneNotice, "plumber ill"))
		h, _ := d.svc.History(ctx, tk.ID)
		last := h[len(h)-1]
		if last.Data["missed"] == "" || last.Data["notice"] != "phone" || !tk.Appointment.Equal(d.now.Add(24*time.Hour)) {
			t.Fatalf("reschedule %+v appointment %v", last.Data, tk.Appointment)
		}
	})
	t.Run("T13_failed_revisit_needs_written_rework_notice", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.toAnswered()
		tk = d.must(d.svc.Accept(ctx, agent, tk.Ref(), ""))
		if _, err := d.svc.RecordRevisit(ctx, rlead, tk.Ref(), ticket.RevisitOutcome{}); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("failed revisit without a note: %v", err)
		}
		tk = d.must(d.svc.RecordRevisit(ctx, rlead, tk.Ref(), ticket.RevisitOutcome{Note: "leaks again"}))
		if tk.State != ticket.Reopened {
			t.Fatalf("state %s", tk.State)
		}
		dl, ok := tk.Deadline(ticket.DeadlineReworkNotice)
		if !ok || !dl.Due.Equal(d.now.Add(24*time.Hour)) {
			t.Fatalf("rework notice deadline %+v", dl)
		}
		if _, err := d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: plumber.ID}); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("rework dispatched without a written notice: %v", err)
		}
		d.wait(2 * time.Hour)
		tk = d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: plumber.ID, Written: true}))
		if dl, _ := tk.Deadline(ticket.DeadlineReworkNotice); dl.Open() || dl.Late(d.now) {
			t.Fatalf("rework notice deadline after written dispatch: %+v", dl)
		}
		// The rework is revisited again before it may close.
		tk = d.must(d.svc.Resolve(ctx, plumber, tk.Ref(), "pipe re-sealed"))
		tk = d.must(d.svc.Answer(ctx, agent, tk.Ref(), ""))
		tk = d.must(d.svc.Accept(ctx, agent, tk.Ref(), ""))
		if tk.State != ticket.Revisit {
			t.Fatalf("rework closed without a new revisit: %s", tk.State)
		}
	})
	t.Run("T16_major_complaint_escalated_to_office_head", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, ticket.Intake{Kind: ticket.Complaint, Channel: ticket.InPerson,
			Fields:    map[string]string{"event": "rude guard"},
			Complaint: &ticket.ComplaintInfo{Class: "service", Severity: ticket.Major}})
		if tk.Escalation.Level != ticket.LevelOfficeHead || !tk.Revisit.Required {
			t.Fatalf("major complaint: escalation %+v revisit %+v", tk.Escalation, tk.Revisit)
		}
		minor := d.receive(agent, ticket.Intake{Kind: ticket.Complaint, Channel: ticket.Phone,
			Complaint: &ticket.ComplaintInfo{Class: "noise", Severity: ticket.Minor}})
		if minor.Escalation.Level != ticket.LevelNone {
			t.Fatalf("minor complaint escalated to %d", minor.Escalation.Level)
		}
		minor = d.must(d.svc.Classify(ctx, agent, minor.Ref(), ticket.ComplaintInfo{Class: "noise", Severity: ticket.Major}))
		if minor.Escalation.Level != ticket.LevelOfficeHead {
			t.Fatalf("reclassified major complaint at level %d", minor.Escalation.Level)
		}
		repair := d.receive(agent, repairIntake())
		if _, err := d.svc.Classify(ctx, agent, repair.Ref(), ticket.ComplaintInfo{Severity: ticket.Minor}); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("classifying a repair: %v", err)
		}
	})
	t.Run("T6_escalation_only_goes_up", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, inquiryIntake())
		tk = d.must(d.svc.Escalate(ctx, agent, tk.Ref(), ticket.LevelOfficeHead, "emergency"))
		if _, err := d.svc.Escalate(ctx, agent, tk.Ref(), ticket.LevelShiftLead, "down"); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("lowering escalation: %v", err)
		}
		if _, err := d.svc.Escalate(ctx, agent, tk.Ref(), 0, ""); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("escalation without reason: %v", err)
		}
	})
	t.Run("T17_linked_case", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.toAnswered()
		child, err := d.svc.Link(ctx, agent, tk.Ref(), inquiryIntake())
		if err != nil {
			t.Fatal(err)
		}
		parent, _ := d.svc.Get(ctx, tk.ID)
		if child.Parent != tk.ID || len(parent.Links) != 1 || parent.Links[0] != child.ID || child.Number != 2 {
			t.Fatalf("child parent %s, parent links %v", child.Parent, parent.Links)
		}
	})
	t.Run("reopen_only_by_leads", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, inquiryIntake())
		tk = d.must(d.svc.ResolveOnSpot(ctx, agent, tk.Ref(), "ok"))
		tk = d.must(d.svc.Accept(ctx, agent, tk.Ref(), ""))
		if _, err := d.svc.Reopen(ctx, agent, tk.Ref(), "again"); !errors.Is(err, ticket.ErrForbidden) {
			t.Fatalf("agent reopening: %v, want ErrForbidden", err)
		}
		d.unchanged(tk.ID, tk.Version)
		tk = d.must(d.svc.Reopen(ctx, lead, tk.Ref(), "customer called back"))
		if tk.State != ticket.Reopened {
			t.Fatalf("state %s", tk.State)
		}
	})
}

// TestInvalidTransitions checks that every lifecycle action outside its
// declared sources is ErrInvalidTransition, names state and action, and
// changes nothing.
func TestInvalidTransitions(t *testing.T) {
	d := newDesk(t, nil)
	tk := d.receive(agent, inquiryIntake())
	cases := []struct {
		name string
		do   func() (*ticket.Ticket, error)
	}{
		{"resolve", func() (*ticket.Ticket, error) { return d.svc.Resolve(ctx, plumber, tk.Ref(), "x") }},
		{"answer", func() (*ticket.Ticket, error) { return d.svc.Answer(ctx, agent, tk.Ref(), "") }},
		{"accept", func() (*ticket.Ticket, error) { return d.svc.Accept(ctx, agent, tk.Ref(), "") }},
		{"reject", func() (*ticket.Ticket, error) { return d.svc.Reject(ctx, agent, tk.Ref(), "no") }},
		{"revisit_pass", func() (*ticket.Ticket, error) {
			return d.svc.RecordRevisit(ctx, rlead, tk.Ref(), ticket.RevisitOutcome{Passed: true})
		}},
		{"reopen", func() (*ticket.Ticket, error) { return d.svc.Reopen(ctx, lead, tk.Ref(), "x") }},
		{"reassign", func() (*ticket.Ticket, error) {
			return d.svc.Reassign(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: "x"})
		}},
	}
	for _, c := range cases {
		_, err := c.do()
		var te *ticket.TransitionError
		if !errors.Is(err, ticket.ErrInvalidTransition) || !errors.As(err, &te) || te.State != ticket.Received {
			t.Errorf("%s on a received ticket: %v", c.name, err)
			continue
		}
		if !strings.Contains(err.Error(), "received") {
			t.Errorf("%s: message %q does not name the state", c.name, err)
		}
	}
	d.unchanged(tk.ID, 1)
	for _, s := range ticket.States() {
		if ticket.Can(s, ticket.ActNote) {
			t.Errorf("note is not a lifecycle action, yet Can(%s, note)", s)
		}
	}
	if !ticket.Can(ticket.Received, ticket.ActDispatch) || ticket.Can(ticket.Closed, ticket.ActDispatch) {
		t.Error("Can disagrees with the declared lifecycle")
	}
}

func TestTenancy(t *testing.T) {
	store := ticket.NewMemStore()
	north, _ := ticket.New(store, ticket.Config{Desk: "north"})
	south, _ := ticket.New(store, ticket.Config{Desk: "south"})
	tk, err := north.Receive(ctx, agent, inquiryIntake())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := south.Get(ctx, tk.ID); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("another desk's Get: %v", err)
	}
	if _, err := south.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: "x"}); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("another desk's Dispatch: %v", err)
	}
	if _, err := south.ByNumber(ctx, tk.Number); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("another desk's case number: %v", err)
	}
	other, _ := south.Receive(ctx, agent, inquiryIntake())
	if other.Number != 1 {
		t.Fatalf("case numbers are per desk: south's first is %d", other.Number)
	}
	if _, err := ticket.New(store, ticket.Config{}); !errors.Is(err, ticket.ErrInvalid) {
		t.Fatalf("service without desk: %v", err)
	}
	if _, err := ticket.New(nil, ticket.Config{Desk: "x"}); !errors.Is(err, ticket.ErrInvalid) {
		t.Fatalf("service without store: %v", err)
	}
}

func TestAuthorizer(t *testing.T) {
	custom := ticket.RoleTable{ticket.ActReceive: {ticket.RoleAgent}}
	store := ticket.NewMemStore()
	svc, _ := ticket.New(store, ticket.Config{Desk: "north", Authorizer: custom})
	if _, err := svc.Receive(ctx, lead, inquiryIntake()); !errors.Is(err, ticket.ErrForbidden) {
		t.Fatalf("role missing from the table: %v", err)
	}
	tk, err := svc.Receive(ctx, agent, inquiryIntake())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Note(ctx, agent, tk.Ref(), "hello"); !errors.Is(err, ticket.ErrForbidden) {
		t.Fatalf("action missing from the table: %v", err)
	}
}

func TestVersions(t *testing.T) {
	d := newDesk(t, nil)
	tk := d.receive(agent, inquiryIntake())
	stale := tk.Ref()
	d.must(d.svc.Note(ctx, agent, tk.Ref(), "first"))
	if _, err := d.svc.Note(ctx, agent, stale, "second"); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("write at a stale version: %v, want ErrConflict", err)
	}
	if _, err := d.svc.Note(ctx, agent, ticket.Ref{ID: tk.ID}, "latest"); err != nil {
		t.Fatalf("write at the current version: %v", err)
	}
	d.unchanged(tk.ID, 3)
	if _, err := d.svc.Note(ctx, agent, ticket.Ref{ID: uuid.New()}, "x"); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("unknown ticket: %v", err)
	}
}
