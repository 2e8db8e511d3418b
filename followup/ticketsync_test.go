package followup_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// TestRevisitCycle follows a repair from resolution to the recorded
// revisit through the outbox (F2, F4, F3, T13).
func TestRevisitCycle(t *testing.T) {
	ctx := context.Background()
	t.Run("F2_leak_revisit_closes_ticket", func(t *testing.T) {
		d := newDesk(t, "d1", followup.PropertyRules(1))
		tk := d.repair(t, followup.Leak)
		d.drain(t)
		task := onlyTask(t, d.queue, "F2.leak")
		if task.Ticket != tk.ID || task.Category != followup.Leak || task.Channel != followup.OnSite || !task.Revisit {
			t.Fatalf("F2 task %+v", task)
		}
		resolvedAt := tk.Resolution.At
		if !task.Due.Equal(resolvedAt.AddDate(0, 0, 3)) || !task.NotBefore.Equal(resolvedAt) {
			t.Errorf("F2 leak window %s..%s, want %s..%s", task.NotBefore, task.Due, resolvedAt, resolvedAt.AddDate(0, 0, 3))
		}
		tk = d.answerAndAccept(t, tk.ID)
		if tk.State != ticket.Revisit {
			t.Fatalf("repair accepted into %s, want revisit (the ticket waits for the outcome)", tk.State)
		}
		d.drain(t)
		d.clock.Advance(24 * time.Hour)
		c := claimTask(t, d.queue, "zhao", task.ID)
		done, err := d.queue.Complete(ctx, c, revisitDone(lead))
		if err != nil {
			t.Fatal(err)
		}
		if done.Status != followup.Done || !done.Synced || !done.OnTime() {
			t.Errorf("completed task: status %s synced %v on time %v", done.Status, done.Synced, done.OnTime())
		}
		tk, _ = d.tickets.Get(ctx, tk.ID)
		if tk.State != ticket.Closed || !tk.Revisit.Done || !tk.Revisit.Passed {
			t.Errorf("ticket after a passed revisit: %s %+v", tk.State, tk.Revisit)
		}
	})
	t.Run("T13_problem_found_reopens_with_written_notice_due_24h", func(t *testing.T) {
		d := newDesk(t, "d1", followup.PropertyRules(1))
		tk := d.repair(t, followup.Safety)
		d.answerAndAccept(t, tk.ID)
		d.drain(t)
		task := onlyTask(t, d.queue, "F2.safety")
		if !task.Due.Equal(tk.Resolution.At.AddDate(0, 0, 2)) {
			t.Errorf("F2 safety due %s, want two days after %s", task.Due, tk.Resolution.At)
		}
		c := claimTask(t, d.queue, "chen", task.ID)
		_, err := d.queue.Complete(ctx, c, followup.Outcome{Result: followup.ProblemFound, By: director, Note: "valve still drips"})
		if err != nil {
			t.Fatal(err)
		}
		now := d.clock.Now()
		tk, _ = d.tickets.Get(ctx, tk.ID)
		if tk.State != ticket.Reopened {
			t.Fatalf("ticket after a problem found: %s, want reopened", tk.State)
		}
		dl, ok := tk.Deadline(ticket.DeadlineReworkNotice)
		if !ok || !dl.Open() || !dl.Due.Equal(now.Add(24*time.Hour)) {
			t.Errorf("rework notice deadline %+v (found %v), want open and due %s", dl, ok, now.Add(24*time.Hour))
		}
		got, _ := d.queue.Get(ctx, task.ID)
		if got.Status != followup.Problem || !got.Synced {
			t.Errorf("task after problem: %s synced %v", got.Status, got.Synced)
		}
		// The rework is dispatched in writing, resolved again, and gets a
		// revisit of its own; the old outcome does not touch it.
		if _, err := d.tickets.Dispatch(ctx, agent, ticket.Ref{ID: tk.ID}, ticket.Assignment{Assignee: "zhao", Written: true}); err != nil {
			t.Fatal(err)
		}
		d.clock.Advance(time.Hour)
		if _, err := d.tickets.Resolve(ctx, lead, ticket.Ref{ID: tk.ID}, "valve replaced"); err != nil {
			t.Fatal(err)
		}
		d.drain(t)
		if n := len(tasksOf(t, d.queue, followup.Filter{Rule: "F2.safety"})); n != 2 {
			t.Errorf("%d F2 tasks after the rework was resolved, want 2", n)
		}
	})
	t.Run("F2_outcome_before_acceptance_waits_for_the_ticket", func(t *testing.T) {
		d := newDesk(t, "d1", followup.PropertyRules(1))
		tk := d.repair(t, followup.General)
		if _, err := d.tickets.Answer(ctx, agent, ticket.Ref{ID: tk.ID}, "told"); err != nil {
			t.Fatal(err)
		}
		d.drain(t)
		task := onlyTask(t, d.queue, "F2.general")
		if !task.Due.Equal(tk.Resolution.At.AddDate(0, 0, 7)) {
			t.Errorf("F2 general due %s, want seven days after resolution", task.Due)
		}
		c := claimTask(t, d.queue, "wang", task.ID)
		done, err := d.queue.Complete(ctx, c, revisitDone(ticket.Actor{ID: "wang", Role: ticket.RoleAdministrator}))
		if err != nil {
			t.Fatal(err)
		}
		if done.Synced {
			t.Fatal("outcome marked synced while the ticket is not waiting for it")
		}
		tk, _ = d.tickets.Get(ctx, tk.ID)
		if tk.State != ticket.Answered || tk.Revisit.Done {
			t.Fatalf("ticket changed before acceptance: %s %+v", tk.State, tk.Revisit)
		}
		if _, err := d.tickets.Accept(ctx, agent, ticket.Ref{ID: tk.ID}, "ok"); err != nil {
			t.Fatal(err)
		}
		tk, _ = d.tickets.Get(ctx, tk.ID)
		if tk.State != ticket.Revisit {
			t.Fatalf("accepted ticket is %s; it must wait for its revisit outcome", tk.State)
		}
		d.drain(t) // the await_revisit event records the kept outcome
		tk, _ = d.tickets.Get(ctx, tk.ID)
		if tk.State != ticket.Closed {
			t.Errorf("ticket after the sync: %s, want closed", tk.State)
		}
		if got, _ := d.queue.Get(ctx, task.ID); !got.Synced {
			t.Error("task not marked synced after the ticket took the outcome")
		}
	})
	t.Run("unreachable_revisit_keeps_the_ticket_waiting", func(t *testing.T) {
		d := newDesk(t, "d1", followup.PropertyRules(1))
		tk := d.repair(t, followup.Leak)
		d.answerAndAccept(t, tk.ID)
		d.drain(t)
		task := onlyTask(t, d.queue, "F2.leak")
		for range task.MaxAttempts {
			cur, _ := d.queue.Get(ctx, task.ID)
			d.clock.Set(cur.NotBefore)
			c := claimTask(t, d.queue, "zhao", task.ID)
			if _, err := d.queue.Complete(ctx, c, followup.Outcome{Result: followup.NotReached, By: lead}); err != nil {
				t.Fatal(err)
			}
		}
		got, _ := d.queue.Get(ctx, task.ID)
		tk, _ = d.tickets.Get(ctx, tk.ID)
		if got.Status != followup.Unreachable || tk.State != ticket.Revisit || tk.Revisit.Done {
			t.Fatalf("after %d failed attempts: task %s, ticket %s %+v", task.MaxAttempts, got.Status, tk.State, tk.Revisit)
		}
		from, to := followup.Month(d.clock.Now(), shanghai)
		r, _ := d.queue.Report(ctx, from, to, followup.ReportOptions{})
		if len(r.Waiting) != 1 || r.Waiting[0] != tk.ID {
			t.Errorf("report waiting list %v, want the ticket", r.Waiting)
		}
	})
	t.Run("F2_unknown_category_falls_back_to_general", func(t *testing.T) {
		d := newDesk(t, "d1", followup.PropertyRules(1))
		d.repair(t, "electrical")
		d.drain(t)
		onlyTask(t, d.queue, "F2.general")
		if n := len(tasksOf(t, d.queue, followup.Filter{Rule: "F2.leak"})); n != 0 {
			t.Errorf("%d leak tasks for an electrical repair", n)
		}
	})
}

// TestF1Chain checks that an open case is followed up at most every 48 h
// and that the chain ends with the case.
func TestF1Chain(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t, "d1", followup.PropertyRules(1))
	tk := d.repair(t, followup.Leak)
	d.drain(t)
	first := onlyTask(t, d.queue, "F1.open")
	dispatched := monday // dispatched at receipt
	if !first.NotBefore.Equal(dispatched.Add(24*time.Hour)) || !first.Due.Equal(dispatched.Add(48*time.Hour)) {
		t.Fatalf("F1 window %s..%s", first.NotBefore, first.Due)
	}
	d.clock.Set(first.NotBefore)
	c := claimTask(t, d.queue, "li", first.ID)
	out := followup.Outcome{Result: followup.Reached, By: agent, FollowAgain: true, Note: "parts ordered"}
	if _, err := d.queue.Complete(ctx, c, out); err != nil {
		t.Fatal(err)
	}
	chain := tasksOf(t, d.queue, followup.Filter{Rule: "F1.open", Statuses: []followup.Status{followup.Pending}})
	if len(chain) != 1 {
		t.Fatalf("%d pending follow-ups after FollowAgain, want 1", len(chain))
	}
	next := chain[0]
	if next.Seq != 2 || next.Due.After(d.clock.Now().Add(48*time.Hour)) {
		t.Errorf("next follow-up seq %d due %s, want seq 2 within 48 h of %s", next.Seq, next.Due, d.clock.Now())
	}
	// F1: the case closes; the open follow-up is cancelled.
	d.answerAndAccept(t, tk.ID)
	f2 := onlyTask(t, d.queue, "F2.leak")
	c2 := claimTask(t, d.queue, "zhao", f2.ID)
	if _, err := d.queue.Complete(ctx, c2, revisitDone(lead)); err != nil {
		t.Fatal(err)
	}
	d.drain(t)
	got, _ := d.queue.Get(ctx, next.ID)
	if got.Status != followup.Cancelled {
		t.Errorf("F1 follow-up after the case closed: %s, want cancelled", got.Status)
	}
}

// TestComplaintRevisit checks F6 timing by severity and F5 sampling.
func TestComplaintRevisit(t *testing.T) {
	ctx := context.Background()
	complaint := func(d *desk, sev ticket.Severity) *ticket.Ticket {
		t.Helper()
		tk, err := d.tickets.Receive(ctx, agent, ticket.Intake{
			Kind: ticket.Complaint, Channel: ticket.Phone,
			Complaint: &ticket.ComplaintInfo{Class: "noise", Severity: sev},
			Fields: map[string]string{ticket.FieldTime: "night", ticket.FieldPlace: "gate", ticket.FieldPerson: "r1",
				ticket.FieldEvent: "noise", ticket.FieldPhone: "ref:1"},
		})
		if err != nil {
			t.Fatal(err)
		}
		ref := ticket.Ref{ID: tk.ID}
		if _, err := d.tickets.Dispatch(ctx, agent, ref, ticket.Assignment{Department: "security"}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.tickets.Resolve(ctx, lead, ref, "guard moved"); err != nil {
			t.Fatal(err)
		}
		return d.answerAndAccept(t, tk.ID)
	}
	t.Run("F6_major_always_revisited_within_one_day", func(t *testing.T) {
		d := newDesk(t, "d1", followup.PropertyRules(1))
		tk := complaint(d, ticket.Major)
		if tk.State != ticket.Revisit {
			t.Fatalf("major complaint accepted into %s, want revisit", tk.State)
		}
		d.drain(t)
		task := onlyTask(t, d.queue, "F6.major")
		if task.Category != followup.SeverityMajor || !task.Sampled || task.Role != ticket.RoleShiftLead {
			t.Errorf("major complaint task %+v", task)
		}
		if !task.Due.Equal(d.clock.Now().AddDate(0, 0, 1)) {
			t.Errorf("F6 major due %s, want a day after %s", task.Due, d.clock.Now())
		}
		c := claimTask(t, d.queue, "zhou", task.ID)
		o := followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: "zhou", Role: ticket.RoleShiftLead},
			Checked: task.Checklist, SignedBy: "sig-9", Channel: task.Channel}
		if _, err := d.queue.Complete(ctx, c, o); err != nil {
			t.Fatal(err)
		}
		tk, _ = d.tickets.Get(ctx, tk.ID)
		if tk.State != ticket.Closed {
			t.Errorf("major complaint after the revisit: %s", tk.State)
		}
	})
	t.Run("F5_minor_complaints_sampled_reproducibly_on_average", func(t *testing.T) {
		d := newDesk(t, "d1", followup.PropertyRules(3))
		// The stateless hash (OnAverage) is reproducible from the keys.
		der, err := followup.NewDeriver(d.store, followup.DeriverConfig{Desk: "d1", Rules: followup.PropertyRules(3),
			Calendar: hours, Now: d.clock.Now, OnAverage: true})
		if err != nil {
			t.Fatal(err)
		}
		d.deriver = der
		if d.sync, err = followup.NewTicketSync(d.tickets, der, d.queue, d.tickets); err != nil {
			t.Fatal(err)
		}
		const n = 40
		for range n {
			complaint(d, ticket.Minor)
		}
		d.drain(t)
		got := tasksOf(t, d.queue, followup.Filter{Rule: "F6.minor"})
		// Count what the sampling says about the same keys.
		evs := 0
		s := followup.F5Sampling(3)
		tks, _ := d.tickets.List(ctx, ticket.Filter{Kinds: []ticket.Kind{ticket.Complaint}})
		for _, tk := range tks {
			h, _ := d.tickets.History(ctx, tk.ID)
			for _, ev := range h {
				for _, tr := range followup.TriggersFrom(ev) {
					if tr.Kind == followup.ComplaintClosed && s.Selected(tr.Key) {
						evs++
					}
				}
			}
		}
		if len(got) != evs {
			t.Errorf("%d minor complaint revisits derived, sampling selects %d", len(got), evs)
		}
		if len(got) == 0 || len(got) == n {
			t.Errorf("%d of %d minor complaints sampled: sampling does not sample", len(got), n)
		}
		for _, task := range got {
			if !task.Due.Equal(task.TriggeredAt.AddDate(0, 0, 7)) {
				t.Errorf("F6 minor due %s, want 7 days after %s", task.Due, task.TriggeredAt)
			}
		}
	})
}

// TestTicketSyncIdempotent: replays after a crash before Ack, and two
// syncs at once, create one task per trigger and rule.
func TestTicketSyncIdempotent(t *testing.T) {
	ctx := context.Background()
	t.Run("crash_before_ack_rederives_nothing", func(t *testing.T) {
		d := newDesk(t, "d1", followup.PropertyRules(1))
		d.repair(t, followup.Leak)
		crashy := &failingAck{Events: d.tickets, fail: 1}
		s, err := followup.NewTicketSync(crashy, d.deriver, d.queue, d.tickets)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Run(ctx, 100); err == nil {
			t.Fatal("the failing Ack was not reported")
		}
		before := len(tasksOf(t, d.queue, followup.Filter{}))
		if before != 2 {
			t.Fatalf("%d tasks after the first run, want 2 (F1.open, F2.leak)", before)
		}
		n, err := s.Drain(ctx)
		if err != nil || n == 0 {
			t.Fatalf("replay handled %d events: %v", n, err)
		}
		if after := len(tasksOf(t, d.queue, followup.Filter{})); after != before {
			t.Errorf("replay made %d tasks, want %d", after, before)
		}
		if left, _ := d.tickets.Pending(ctx, followup.Consumer, 10); len(left) != 0 {
			t.Errorf("%d events still pending after the replay", len(left))
		}
	})
	t.Run("concurrent_syncs", func(t *testing.T) {
		c := newClock(monday)
		g := &ids{}
		pol := ticket.PropertyDesk()
		ts, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "d1", Policy: &pol, Now: c.Now, NewID: g.New})
		store := followup.NewMemStore()
		a := wire(t, "d1", c, g, ts, store, followup.PropertyRules(1))
		// A second process: its own deriver and queue on the same stores,
		// reading the outbox under its own consumer name, so both see
		// every event.
		b := wire(t, "d1", c, g, ts, store, followup.PropertyRules(1))
		bsync := b.sync.WithConsumer("followup-2")
		for i := range 20 {
			a.repair(t, []string{followup.Safety, followup.Leak, followup.General}[i%3])
		}
		var wg sync.WaitGroup
		for _, s := range []*followup.TicketSync{a.sync, bsync, a.sync, bsync} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Drain(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n := len(tasksOf(t, a.queue, followup.Filter{})); n != 40 {
			t.Errorf("%d tasks, want 40 (one F1 and one F2 per repair)", n)
		}
	})
}

type failingAck struct {
	followup.Events
	mu   sync.Mutex
	fail int
}

func (f *failingAck) Ack(ctx context.Context, consumer string, ids ...uuid.UUID) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail > 0 {
		f.fail--
		return errors.New("process died before the acknowledgement")
	}
	return f.Events.Ack(ctx, consumer, ids...)
}

// TestTenancy: another desk's task is ErrNotFound and never claimed.
func TestTenancy(t *testing.T) {
	ctx := context.Background()
	d1 := newDesk(t, "d1", followup.PropertyRules(1))
	d1.repair(t, followup.Leak)
	d1.drain(t)
	task := onlyTask(t, d1.queue, "F2.leak")
	q2, _ := followup.NewQueue(d1.store, followup.QueueConfig{Desk: "d2", Location: time.UTC, Now: d1.clock.Now})
	if _, err := q2.Get(ctx, task.ID); !errors.Is(err, followup.ErrNotFound) {
		t.Errorf("Get from d2: %v, want ErrNotFound", err)
	}
	d1.clock.Advance(72 * time.Hour)
	if got, _ := q2.Claim(ctx, "w", "", 10); len(got) != 0 {
		t.Errorf("d2 claimed %d of d1's tasks", len(got))
	}
	if _, err := q2.Cancel(ctx, task.ID, agent, "not ours"); !errors.Is(err, followup.ErrNotFound) {
		t.Errorf("Cancel from d2: %v, want ErrNotFound", err)
	}
	other, _ := followup.NewDeriver(d1.store, followup.DeriverConfig{Desk: "d2", Rules: followup.PropertyRules(1), Location: time.UTC})
	if _, err := other.Derive(ctx, followup.Trigger{Kind: followup.MoveIn, Desk: "d1", Key: "x", At: monday}); !errors.Is(err, followup.ErrInvalid) {
		t.Errorf("deriving another desk's trigger: %v, want ErrInvalid", err)
	}
}

// flakyTickets fails the first RecordRevisit, as a process would that
// dies between the task write and the ticket write.
type flakyTickets struct {
	followup.Tickets
	mu   sync.Mutex
	fail int
}

func (f *flakyTickets) RecordRevisit(ctx context.Context, by ticket.Actor, ref ticket.Ref, o ticket.RevisitOutcome) (*ticket.Ticket, error) {
	f.mu.Lock()
	fail := f.fail > 0
	f.fail--
	f.mu.Unlock()
	if fail {
		return nil, errors.New("connection lost")
	}
	return f.Tickets.RecordRevisit(ctx, by, ref, o)
}

// TestSyncAll: an outcome whose ticket write failed is recorded later;
// the ticket's revisit is cleared by that outcome and nothing else.
func TestSyncAll(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t, "d1", followup.PropertyRules(1))
	flaky := &flakyTickets{Tickets: d.tickets, fail: 1}
	q, err := followup.NewQueue(d.store, followup.QueueConfig{Desk: "d1", Tickets: flaky, Calendar: hours, Now: d.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	tk := d.repair(t, followup.Leak)
	d.answerAndAccept(t, tk.ID)
	d.drain(t)
	task := onlyTask(t, q, "F2.leak")
	c := claimTask(t, q, "zhao", task.ID)
	done, err := q.Complete(ctx, c, revisitDone(lead))
	if err == nil || done == nil || done.Status != followup.Done || done.Synced {
		t.Fatalf("Complete with a failing ticket write: %v, task %+v", err, done)
	}
	if tk, _ = d.tickets.Get(ctx, tk.ID); tk.State != ticket.Revisit {
		t.Fatalf("ticket %s; the failed write must leave it waiting", tk.State)
	}
	n, err := q.SyncAll(ctx)
	if err != nil || n != 1 {
		t.Fatalf("SyncAll recorded %d: %v", n, err)
	}
	if tk, _ = d.tickets.Get(ctx, tk.ID); tk.State != ticket.Closed {
		t.Errorf("ticket after SyncAll: %s, want closed", tk.State)
	}
	if n, _ := q.SyncAll(ctx); n != 0 {
		t.Errorf("a second SyncAll recorded %d", n)
	}
}
