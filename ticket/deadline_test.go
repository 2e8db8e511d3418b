package ticket_test

import (
	"errors"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// overdue returns the desk's overdue entries as deadline names, sorted.
func (d *desk) overdue() map[ticket.DeadlineName]time.Duration {
	d.t.Helper()
	list, err := d.svc.Overdue(ctx, ticket.OverdueQuery{})
	if err != nil {
		d.t.Fatal(err)
	}
	out := map[ticket.DeadlineName]time.Duration{}
	for _, o := range list {
		if o.Rule != o.Deadline.Rule() || o.Rule == "" {
			d.t.Fatalf("overdue entry %+v has rule %q", o, o.Rule)
		}
		out[o.Deadline] = o.By
	}
	return out
}

func TestDeadlines(t *testing.T) {
	t.Run("T5_dispatch_within_three_minutes", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, repairIntake())
		dl, ok := tk.Deadline(ticket.DeadlineDispatch)
		if !ok || !dl.Due.Equal(t0.Add(3*time.Minute)) {
			t.Fatalf("dispatch deadline %+v", dl)
		}
		d.wait(3 * time.Minute)
		if got := d.overdue(); len(got) != 0 {
			t.Fatalf("overdue at exactly three minutes: %v", got)
		}
		d.wait(90 * time.Second)
		if got := d.overdue(); got[ticket.DeadlineDispatch] != 90*time.Second {
			t.Fatalf("overdue %v, want dispatch by 1m30s", got)
		}
		tk = d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: plumber.ID}))
		dl, _ = tk.Deadline(ticket.DeadlineDispatch)
		if dl.Open() || !dl.Late(d.now) {
			t.Fatalf("late dispatch not recorded as late: %+v", dl)
		}
		if got := d.overdue(); len(got) != 0 {
			t.Fatalf("overdue after dispatch: %v", got)
		}
	})
	t.Run("T7a_answer_within_48h_of_the_solution", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, repairIntake())
		tk = d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: plumber.ID}))
		d.wait(30 * time.Hour) // the clock starts at the solution, not at receipt
		tk = d.must(d.svc.Resolve(ctx, plumber, tk.Ref(), "fixed"))
		dl, _ := tk.Deadline(ticket.DeadlineAnswer)
		if !dl.Due.Equal(d.now.Add(48 * time.Hour)) {
			t.Fatalf("answer due %v, want 48h after the solution", dl.Due)
		}
		d.wait(49 * time.Hour)
		got := d.overdue()
		if got[ticket.DeadlineAnswer] != time.Hour {
			t.Fatalf("overdue %v, want answer by 1h", got)
		}
		tk = d.must(d.svc.Answer(ctx, agent, tk.Ref(), ""))
		if dl, _ := tk.Deadline(ticket.DeadlineAnswer); dl.Open() || !dl.Late(d.now) {
			t.Fatalf("answer deadline %+v", dl)
		}
	})
	t.Run("T7b_reply_time_at_most_48h_ahead", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, inquiryIntake())
		if _, err := d.svc.Promise(ctx, agent, tk.Ref(), d.now.Add(49*time.Hour), ""); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("reply 49h ahead: %v, want ErrInvalid", err)
		}
		if _, err := d.svc.Promise(ctx, agent, tk.Ref(), d.now.Add(-time.Minute), ""); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("reply in the past: %v, want ErrInvalid", err)
		}
		d.unchanged(tk.ID, 1)
		tk = d.must(d.svc.Promise(ctx, agent, tk.Ref(), d.now.Add(48*time.Hour), "call back Wednesday"))
		if !tk.ReplyBy.Equal(t0.Add(48 * time.Hour)) {
			t.Fatalf("reply by %v", tk.ReplyBy)
		}
	})
	t.Run("T7b_missed_reply_progress_apology_new_time", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, inquiryIntake())
		if _, err := d.svc.Progress(ctx, agent, tk.Ref(), ticket.Progress{Note: "x", Apologize: true, NextReply: d.now.Add(time.Hour)}); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("progress without an agreed time: %v", err)
		}
		tk = d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Department: "finance"}))
		tk = d.must(d.svc.Promise(ctx, agent, tk.Ref(), d.now.Add(24*time.Hour), ""))
		d.wait(25 * time.Hour)
		if got := d.overdue(); got[ticket.DeadlineReply] != time.Hour {
			t.Fatalf("overdue %v, want reply by 1h", got)
		}
		if _, err := d.svc.Progress(ctx, agent, tk.Ref(), ticket.Progress{Note: "waiting for finance", NextReply: d.now.Add(time.Hour)}); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("progress without apology: %v", err)
		}
		tk = d.must(d.svc.Progress(ctx, agent, tk.Ref(), ticket.Progress{Note: "waiting for finance", Apologize: true, NextReply: d.now.Add(24 * time.Hour)}))
		h, _ := d.svc.History(ctx, tk.ID)
		if last := h[len(h)-1]; last.Action != ticket.ActProgress || last.Data["late"] != "1h0m0s" {
			t.Fatalf("progress event %+v", last)
		}
		if got := d.overdue(); len(got) != 0 {
			t.Fatalf("overdue after a new time: %v", got)
		}
		var replies int
		for _, dl := range tk.Deadlines {
			if dl.Name == ticket.DeadlineReply {
				replies++
			}
		}
		if replies != 2 {
			t.Fatalf("%d reply clocks, want the missed one and the new one", replies)
		}
	})
	t.Run("T13_rework_notice_overdue_after_24h", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.toAnswered()
		tk = d.must(d.svc.Accept(ctx, agent, tk.Ref(), ""))
		d.must(d.svc.RecordRevisit(ctx, rlead, tk.Ref(), ticket.RevisitOutcome{Note: "cracked tile"}))
		d.wait(25 * time.Hour)
		if got := d.overdue(); got[ticket.DeadlineReworkNotice] != time.Hour {
			t.Fatalf("overdue %v, want rework notice by 1h", got)
		}
	})
	t.Run("T4_department_deadline", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, repairIntake())
		tk = d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Department: "engineering", Due: d.now.Add(4 * time.Hour)}))
		if _, err := d.svc.Reassign(ctx, agent, tk.Ref(), ticket.Assignment{Department: "x", Due: d.now.Add(-time.Hour)}); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("deadline in the past: %v", err)
		}
		d.wait(5 * time.Hour)
		if got := d.overdue(); got[ticket.DeadlineWork] != time.Hour {
			t.Fatalf("overdue %v, want work by 1h", got)
		}
	})
	t.Run("T10_stagnating_tickets", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, inquiryIntake())
		tk = d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Department: "finance"}))
		d.wait(23 * time.Hour)
		if got := d.overdue(); len(got) != 0 {
			t.Fatalf("overdue before 24h: %v", got)
		}
		d.wait(2 * time.Hour)
		if got := d.overdue(); got[ticket.DeadlineStagnant] != time.Hour {
			t.Fatalf("overdue %v, want stagnant by 1h", got)
		}
		d.must(d.svc.Note(ctx, lead, tk.Ref(), "chased finance"))
		if got := d.overdue(); len(got) != 0 {
			t.Fatalf("a touched ticket still stagnates: %v", got)
		}
	})
	t.Run("zero_means_zero", func(t *testing.T) {
		p := ticket.PropertyDesk()
		p.Dispatch = ticket.Within(0)
		d := newDesk(t, &p)
		tk := d.receive(agent, repairIntake())
		if dl, _ := tk.Deadline(ticket.DeadlineDispatch); !dl.Due.Equal(t0) {
			t.Fatalf("zero dispatch limit gives due %v, want at once", dl.Due)
		}
		d.wait(time.Second)
		if got := d.overdue(); got[ticket.DeadlineDispatch] != time.Second {
			t.Fatalf("overdue %v", got)
		}
	})
	t.Run("rules_switched_off", func(t *testing.T) {
		p := ticket.PropertyDesk()
		p.Dispatch.On, p.Stagnant.On, p.ReplyAhead.On = false, false, false
		d := newDesk(t, &p)
		tk := d.receive(agent, repairIntake())
		if _, ok := tk.Deadline(ticket.DeadlineDispatch); ok {
			t.Fatal("dispatch clock runs although switched off")
		}
		d.must(d.svc.Promise(ctx, agent, tk.Ref(), d.now.Add(30*24*time.Hour), "a month is fine here"))
		d.wait(100 * time.Hour)
		for name := range d.overdue() {
			if name != ticket.DeadlineReply {
				t.Fatalf("switched-off rule %s reported", name)
			}
		}
	})
	t.Run("business_hours_calendar", func(t *testing.T) {
		p := ticket.PropertyDesk()
		p.Calendar = ticket.Hours{Open: 9 * time.Hour, Close: 22 * time.Hour, Location: time.UTC}
		d := newDesk(t, &p)
		d.now = time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)
		tk := d.receive(webform, repairIntake())
		dl, _ := tk.Deadline(ticket.DeadlineDispatch)
		if want := time.Date(2026, 3, 3, 9, 3, 0, 0, time.UTC); !dl.Due.Equal(want) {
			t.Fatalf("after-hours arrival due %v, want %v", dl.Due, want)
		}
	})
}

func TestHoursCalendar(t *testing.T) {
	h := ticket.Hours{Open: 9 * time.Hour, Close: 22 * time.Hour}
	day := func(hh, mm int) time.Time { return time.Date(2026, 3, 2, hh, mm, 0, 0, time.UTC) }
	cases := []struct {
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{day(10, 0), time.Hour, day(11, 0)},
		{day(8, 0), 3 * time.Minute, day(9, 3)},
		{day(21, 0), 2 * time.Hour, day(9, 0).AddDate(0, 0, 1).Add(time.Hour)},
		{day(22, 0), 0, day(9, 0).AddDate(0, 0, 1)},
		{day(10, 0), 48 * time.Hour, day(10, 0).AddDate(0, 0, 3).Add(9 * time.Hour)}, // 12h+13h+13h+10h
	}
	for _, c := range cases {
		if got := h.Add(c.from, c.d); !got.Equal(c.want) {
			t.Errorf("Add(%v, %v) = %v, want %v", c.from, c.d, got, c.want)
		}
	}
	// A window that cannot work falls back to the wall clock.
	bad := ticket.Hours{Open: 10 * time.Hour, Close: 9 * time.Hour}
	if got := bad.Add(day(10, 0), time.Hour); !got.Equal(day(11, 0)) {
		t.Errorf("unusable window: %v", got)
	}
}
