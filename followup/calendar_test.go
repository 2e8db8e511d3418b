package followup_test

import (
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

func TestAddMonths(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 15, 30, 0, 0, shanghai) }
	cases := []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"F9_jan31_plus_one_is_feb28", d(2026, 1, 31), 1, d(2026, 2, 28)},
		{"leap_year_feb29", d(2028, 1, 31), 1, d(2028, 2, 29)},
		{"mar31_minus_one", d(2026, 3, 31), -1, d(2026, 2, 28)},
		{"across_the_year", d(2026, 12, 31), 2, d(2027, 2, 28)},
		{"aug31_plus_one_is_sep30", d(2026, 8, 31), 1, d(2026, 9, 30)},
		{"plain", d(2026, 5, 15), 1, d(2026, 6, 15)},
		{"zero", d(2026, 5, 31), 0, d(2026, 5, 31)},
		{"twelve", d(2028, 2, 29), 12, d(2029, 2, 28)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := followup.AddMonths(c.from, c.n); !got.Equal(c.want) {
				t.Errorf("AddMonths(%s, %d) = %s, want %s", c.from, c.n, got, c.want)
			}
		})
	}
}

func TestContactHours(t *testing.T) {
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, shanghai) } // 2 March is a Monday
	closedDay := time.Date(2026, 3, 4, 0, 0, 0, 0, shanghai)
	cal := followup.ContactHours{
		Open: 9 * time.Hour, Close: 20 * time.Hour, Location: shanghai,
		ClosedWeekdays: []time.Weekday{time.Sunday},
		Closed:         func(day time.Time) bool { return day.Equal(closedDay) },
	}
	cases := []struct {
		name     string
		in, want time.Time
	}{
		{"inside_hours_unchanged", at(2, 10, 0), at(2, 10, 0)},
		{"not_at_2330", at(2, 23, 30), at(3, 9, 0)},
		{"early_morning", at(3, 6, 0), at(3, 9, 0)},
		{"at_close_moves_on", at(3, 20, 0), at(5, 9, 0)}, // the 4th is closed
		{"closed_day", at(4, 12, 0), at(5, 9, 0)},
		{"saturday_night_skips_sunday", at(7, 21, 0), at(9, 9, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := cal.Next(c.in); !got.Equal(c.want) {
				t.Errorf("Next(%s) = %s, want %s", c.in, got, c.want)
			}
		})
	}
	t.Run("dst_day_keeps_wall_clock", func(t *testing.T) {
		ny, err := time.LoadLocation("America/New_York")
		if err != nil {
			t.Skip("no tzdata:", err)
		}
		h := followup.ContactHours{Open: 9 * time.Hour, Close: 17 * time.Hour, Location: ny}
		in := time.Date(2026, 3, 8, 1, 0, 0, 0, ny) // spring forward at 02:00
		if got := h.Next(in); !got.Equal(time.Date(2026, 3, 8, 9, 0, 0, 0, ny)) {
			t.Errorf("Next on the DST day = %s, want 09:00 local", got)
		}
	})
	t.Run("invalid_hours_have_no_contact_time", func(t *testing.T) {
		bad := []followup.ContactHours{
			{Open: 20 * time.Hour, Close: 9 * time.Hour},
			{Open: 9 * time.Hour, Close: 25 * time.Hour},
			{Open: 9 * time.Hour, Close: 17 * time.Hour, ClosedWeekdays: []time.Weekday{0, 1, 2, 3, 4, 5, 6}},
			{Open: 9 * time.Hour, Close: 17 * time.Hour}, // no zone: not a silent UTC
		}
		for _, h := range bad {
			if err := h.Validate(); err == nil {
				t.Errorf("%+v validated", h)
			}
			if got := h.Next(at(2, 10, 0)); !got.IsZero() {
				t.Errorf("%+v: Next = %s, want zero", h, got)
			}
		}
	})
	t.Run("F7_call_at_once_moves_into_contact_hours", func(t *testing.T) {
		tr := followup.Trigger{Kind: followup.ServiceEnded, Desk: "d1", Key: "s1", At: at(2, 23, 30)}
		task := planOne(t, followup.PropertyRules(1), cal, tr, "F7.service")
		if !task.NotBefore.Equal(at(3, 9, 0)) || !task.Due.Equal(at(3, 9, 0)) {
			t.Errorf("F7 at 23:30 placed %s..%s, want 09:00 next day", task.NotBefore, task.Due)
		}
	})
	t.Run("rule_AnyTime_ignores_the_calendar", func(t *testing.T) {
		rules := followup.RuleSet{Rules: []followup.Rule{{ID: "alarm", Trigger: "alarm", Channel: followup.Phone, Role: ticket.RoleShiftLead, AnyTime: true}}}
		tr := followup.Trigger{Kind: "alarm", Desk: "d1", Key: "a1", At: at(2, 23, 30)}
		if task := planOne(t, rules, cal, tr, "alarm"); !task.NotBefore.Equal(at(2, 23, 30)) {
			t.Errorf("AnyTime rule placed at %s", task.NotBefore)
		}
	})
	t.Run("closed_calendar_is_an_error", func(t *testing.T) {
		closed := followup.ContactHours{Open: 9 * time.Hour, Close: 17 * time.Hour, Location: time.UTC, Closed: func(time.Time) bool { return true }}
		d, _ := followup.NewDeriver(followup.NewMemStore(), followup.DeriverConfig{Desk: "d1", Rules: followup.PropertyRules(1), Calendar: closed})
		if _, err := d.Plan(followup.Trigger{Kind: followup.MoveIn, Desk: "d1", Key: "m", At: at(2, 10, 0)}); err == nil {
			t.Error("a calendar without contact times derived a task")
		}
	})
}
