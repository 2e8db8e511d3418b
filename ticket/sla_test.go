package ticket_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/calendar"
	"github.com/servicedesk-go/desk/ticket"
)

// slaDesk is a general desk on a calendar, with a settable clock.
type slaDesk struct {
	t   *testing.T
	svc *ticket.Service
	now time.Time
}

func newSLADesk(t *testing.T, cal ticket.Calendar, start time.Time) *slaDesk {
	t.Helper()
	d := &slaDesk{t: t, now: start}
	p := ticket.GeneralDesk()
	p.Calendar = cal
	svc, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "help", Policy: &p, Authorizer: ticket.GeneralRoles(),
		Now: func() time.Time { return d.now }})
	if err != nil {
		t.Fatal(err)
	}
	d.svc = svc
	return d
}

var agentAnn = ticket.Actor{ID: "ann", Role: ticket.RoleAgent}

func (d *slaDesk) must(tk *ticket.Ticket, err error) *ticket.Ticket {
	d.t.Helper()
	if err != nil {
		d.t.Fatal(err)
	}
	return tk
}

func (d *slaDesk) due(tk *ticket.Ticket, name ticket.DeadlineName) time.Time {
	d.t.Helper()
	dl, ok := tk.Deadline(name)
	if !ok {
		d.t.Fatalf("ticket has no %s clock: %+v", name, tk.Deadlines)
	}
	return dl.Due
}

func berlinWeek(t *testing.T, holidays string) *calendar.Calendar {
	t.Helper()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	cfg := calendar.Config{Zone: berlin, Hours: calendar.Week{Workday: []calendar.Span{{Start: 9 * time.Hour, End: 17 * time.Hour}}}}
	if holidays != "" {
		s, err := calendar.LoadICal(strings.NewReader(holidays))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Schedule = s
	}
	cal, err := calendar.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// TestSLA/pause_moves_due_by_business_time: a wait for the customer
// that spans the closed night moves the first-response due time by the
// business time paused only (15 min on Monday, 2 h on Tuesday), which
// is the business time that was left when the wait began.
func TestSLA(t *testing.T) {
	ctx := context.Background()
	t.Run("pause_moves_due_by_business_time", func(t *testing.T) {
		cal := berlinWeek(t, "")
		loc := cal.Zone()
		d := newSLADesk(t, cal, time.Date(2026, 3, 2, 16, 30, 0, 0, loc)) // a Monday
		tk := d.must(d.svc.Receive(ctx, agentAnn, ticket.Intake{Kind: ticket.Incident, Channel: ticket.Email, Subject: "VPN down", Priority: ticket.PriorityUrgent}))
		if got, want := d.due(tk, ticket.DeadlineFirstResponse), time.Date(2026, 3, 3, 9, 30, 0, 0, loc); !got.Equal(want) {
			t.Fatalf("first response due %s, want %s (1 h of business time)", got, want)
		}
		d.now = time.Date(2026, 3, 2, 16, 45, 0, 0, loc)
		tk = d.must(d.svc.Wait(ctx, agentAnn, tk.Ref(), "asked for the error message"))
		if !tk.NextDue().IsZero() {
			t.Fatalf("a waiting ticket's clocks still run: next due %s", tk.NextDue())
		}
		d.now = time.Date(2026, 3, 3, 11, 0, 0, 0, loc)
		if late, _ := d.svc.Overdue(ctx, ticket.OverdueQuery{}); len(late) != 0 {
			t.Fatalf("a paused clock is overdue: %+v", late[0])
		}
		tk = d.must(d.svc.Resume(ctx, agentAnn, tk.Ref(), "customer sent the message"))
		if got, want := d.due(tk, ticket.DeadlineFirstResponse), time.Date(2026, 3, 3, 11, 45, 0, 0, loc); !got.Equal(want) {
			t.Errorf("first response due %s after the wait, want %s (moved by 2 h 15 min of business time)", got, want)
		}
		h, _ := d.svc.History(ctx, tk.ID)
		w, r := h[1], h[2]
		if w.Action != ticket.ActWait || w.Data["paused"] != "first_response,resolution" {
			t.Errorf("wait event: %s %v", w.Action, w.Data)
		}
		if r.Action != ticket.ActResume || r.Data["waited"] != "2h15m0s" || r.Data["due.first_response"] != "2026-03-03T10:45:00Z" {
			t.Errorf("resume event: %s %v", r.Action, r.Data)
		}
		d.now = time.Date(2026, 3, 3, 11, 40, 0, 0, loc)
		tk = d.must(d.svc.Respond(ctx, agentAnn, tk.Ref(), ticket.Email, "restart the client"))
		if dl, _ := tk.Deadline(ticket.DeadlineFirstResponse); dl.Open() || dl.Late(d.now) {
			t.Errorf("a reply within the moved due time: %+v, want met", dl)
		}
	})

	// Spring forward in Berlin (29 March 2026, 02:00 -> 03:00) on a
	// desk open around the clock: the night's wait is 23 hours of
	// business time, and the due time moves by exactly that.
	t.Run("pause_across_DST", func(t *testing.T) {
		berlin, _ := time.LoadLocation("Europe/Berlin")
		cal, err := calendar.New(calendar.Config{Zone: berlin, Weekend: []time.Weekday{}, Hours: calendar.Daily(calendar.Span{Start: 0, End: 24 * time.Hour})})
		if err != nil {
			t.Fatal(err)
		}
		d := newSLADesk(t, cal, time.Date(2026, 3, 28, 10, 0, 0, 0, berlin))
		tk := d.must(d.svc.Receive(ctx, agentAnn, ticket.Intake{Kind: ticket.Incident, Channel: ticket.Phone, Priority: ticket.PriorityUrgent}))
		if got, want := d.due(tk, ticket.DeadlineResolution), time.Date(2026, 3, 28, 14, 0, 0, 0, berlin); !got.Equal(want) {
			t.Fatalf("resolution due %s, want %s", got, want)
		}
		d.now = time.Date(2026, 3, 28, 12, 0, 0, 0, berlin)
		tk = d.must(d.svc.Wait(ctx, agentAnn, tk.Ref(), ""))
		d.now = time.Date(2026, 3, 29, 12, 0, 0, 0, berlin)
		tk = d.must(d.svc.Resume(ctx, agentAnn, tk.Ref(), ""))
		if got, want := d.due(tk, ticket.DeadlineResolution), time.Date(2026, 3, 29, 14, 0, 0, 0, berlin); !got.Equal(want) {
			t.Errorf("resolution due %s, want %s: two hours were left", got, want)
		}
		h, _ := d.svc.History(ctx, tk.ID)
		if got := h[len(h)-1].Data["waited"]; got != "23h0m0s" {
			t.Errorf("waited %s, want 23h0m0s (the night the clocks spring forward)", got)
		}
	})

	// Good Friday and Easter Monday are holidays: a wait from Thursday
	// to Tuesday counts one hour on Thursday and one on Tuesday.
	t.Run("pause_across_holidays", func(t *testing.T) {
		cal := berlinWeek(t, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260403\r\nSUMMARY:Karfreitag (Holiday)\r\nEND:VEVENT\r\n"+
			"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260406\r\nSUMMARY:Ostermontag (Holiday)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
		loc := cal.Zone()
		d := newSLADesk(t, cal, time.Date(2026, 4, 2, 15, 0, 0, 0, loc))
		tk := d.must(d.svc.Receive(ctx, agentAnn, ticket.Intake{Kind: ticket.Question, Channel: ticket.Email}))
		if tk.Priority != ticket.PriorityNormal {
			t.Fatalf("priority %q, want the default normal", tk.Priority)
		}
		if got, want := d.due(tk, ticket.DeadlineFirstResponse), time.Date(2026, 4, 7, 15, 0, 0, 0, loc); !got.Equal(want) {
			t.Fatalf("first response due %s, want %s (8 h over Easter)", got, want)
		}
		d.now = time.Date(2026, 4, 2, 16, 0, 0, 0, loc)
		tk = d.must(d.svc.Wait(ctx, agentAnn, tk.Ref(), ""))
		d.now = time.Date(2026, 4, 7, 10, 0, 0, 0, loc)
		tk = d.must(d.svc.Resume(ctx, agentAnn, tk.Ref(), ""))
		if got, want := d.due(tk, ticket.DeadlineFirstResponse), time.Date(2026, 4, 7, 17, 0, 0, 0, loc); !got.Equal(want) {
			t.Errorf("first response due %s, want %s (moved by 2 h)", got, want)
		}
		if dl, _ := tk.Deadline(ticket.DeadlineFirstResponse); dl.PausedFor != 2*time.Hour {
			t.Errorf("paused for %s, want 2h", dl.PausedFor)
		}
	})

	// A calendar that only adds (ticket.Hours) measures the paused time
	// by search, to the same result as calendar.Calendar's Between.
	t.Run("pause_on_a_calendar_without_Between", func(t *testing.T) {
		cal := berlinWeek(t, "")
		loc := cal.Zone()
		hours := ticket.Hours{Open: 9 * time.Hour, Close: 17 * time.Hour, Location: loc}
		start := time.Date(2026, 3, 3, 16, 30, 0, 0, loc) // Tuesday: Hours has no weekend, so stay within weekdays
		var dues []time.Time
		for _, c := range []ticket.Calendar{cal, hours} {
			d := newSLADesk(t, c, start)
			tk := d.must(d.svc.Receive(ctx, agentAnn, ticket.Intake{Kind: ticket.Request, Channel: ticket.Email, Priority: ticket.PriorityHigh}))
			d.now = start.Add(7 * time.Minute)
			tk = d.must(d.svc.Wait(ctx, agentAnn, tk.Ref(), ""))
			d.now = time.Date(2026, 3, 4, 10, 3, 0, 1000, loc)
			tk = d.must(d.svc.Resume(ctx, agentAnn, tk.Ref(), ""))
			dues = append(dues, d.due(tk, ticket.DeadlineFirstResponse))
		}
		if !dues[0].Equal(dues[1]) || !dues[0].Equal(time.Date(2026, 3, 4, 11, 56, 0, 1000, loc)) {
			t.Errorf("due after the wait: calendar %s, Hours %s, want 2026-03-04 11:56:00.000001 (1 h 53 min were left)", dues[0], dues[1])
		}
	})

	// A clock already late when the wait begins stays late: the wait
	// does not forgive what was missed before it.
	t.Run("late_clock_stays_late", func(t *testing.T) {
		cal := berlinWeek(t, "")
		loc := cal.Zone()
		d := newSLADesk(t, cal, time.Date(2026, 3, 2, 9, 0, 0, 0, loc))
		tk := d.must(d.svc.Receive(ctx, agentAnn, ticket.Intake{Kind: ticket.Incident, Channel: ticket.Phone, Priority: ticket.PriorityUrgent}))
		d.now = time.Date(2026, 3, 2, 11, 0, 0, 0, loc)
		tk = d.must(d.svc.Wait(ctx, agentAnn, tk.Ref(), ""))
		d.now = time.Date(2026, 3, 2, 15, 0, 0, 0, loc)
		tk = d.must(d.svc.Resume(ctx, agentAnn, tk.Ref(), ""))
		if got, want := d.due(tk, ticket.DeadlineFirstResponse), time.Date(2026, 3, 2, 10, 0, 0, 0, loc); !got.Equal(want) {
			t.Errorf("late first response moved to %s, want it kept at %s", got, want)
		}
		if got, want := d.due(tk, ticket.DeadlineResolution), time.Date(2026, 3, 2, 17, 0, 0, 0, loc); !got.Equal(want) {
			t.Errorf("resolution due %s, want %s (13:00 moved by 4 h)", got, want)
		}
	})

	// Raising the priority gives the open clocks the new targets from
	// receipt; resolving meets the resolution clock and ends the wait.
	t.Run("priority_change_and_resolution", func(t *testing.T) {
		cal := berlinWeek(t, "")
		loc := cal.Zone()
		d := newSLADesk(t, cal, time.Date(2026, 3, 2, 9, 0, 0, 0, loc))
		tk := d.must(d.svc.Receive(ctx, agentAnn, ticket.Intake{Kind: ticket.Incident, Channel: ticket.Email, Priority: ticket.PriorityLow}))
		d.now = d.now.Add(time.Hour)
		tk = d.must(d.svc.SetPriority(ctx, agentAnn, tk.Ref(), ticket.PriorityHigh, "whole floor affected"))
		if got, want := d.due(tk, ticket.DeadlineFirstResponse), time.Date(2026, 3, 2, 11, 0, 0, 0, loc); !got.Equal(want) {
			t.Errorf("first response due %s after raising to high, want %s", got, want)
		}
		if got, want := d.due(tk, ticket.DeadlineResolution), time.Date(2026, 3, 3, 17, 0, 0, 0, loc); !got.Equal(want) {
			t.Errorf("resolution due %s after raising to high, want %s (16 h)", got, want)
		}
		tk = d.must(d.svc.Dispatch(ctx, agentAnn, tk.Ref(), ticket.Assignment{Assignee: "bob"}))
		tk = d.must(d.svc.Wait(ctx, agentAnn, tk.Ref(), ""))
		d.now = d.now.Add(time.Hour)
		tk = d.must(d.svc.Resolve(ctx, agentAnn, tk.Ref(), "replaced the switch"))
		if !tk.Pending.IsZero() {
			t.Error("still waiting for the customer after the resolution")
		}
		if dl, _ := tk.Deadline(ticket.DeadlineResolution); dl.Open() || !dl.Paused.IsZero() {
			t.Errorf("resolution clock %+v, want met and not paused", dl)
		}
	})
}
