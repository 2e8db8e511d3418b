package followup_test

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/servicedesk-go/desk/calendar"
	"github.com/servicedesk-go/desk/followup"
)

// TestDeskZone: contact hours follow the desk's zone, never a silent UTC;
// the desk's one calendar.Calendar places follow-ups around the official
// holidays.
func TestDeskZone(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("no_calendar_and_no_zone_is_an_error", func(t *testing.T) {
		if _, err := followup.NewDeriver(followup.NewMemStore(), followup.DeriverConfig{Desk: "d1", Rules: followup.PropertyRules(1)}); !errors.Is(err, followup.ErrInvalid) {
			t.Errorf("deriver: %v, want ErrInvalid", err)
		}
		if _, err := followup.NewQueue(followup.NewMemStore(), followup.QueueConfig{Desk: "d1"}); !errors.Is(err, followup.ErrInvalid) {
			t.Errorf("queue: %v, want ErrInvalid", err)
		}
		noZone := followup.ContactHours{Open: 9 * time.Hour, Close: 20 * time.Hour}
		if _, err := followup.NewDeriver(followup.NewMemStore(), followup.DeriverConfig{Desk: "d1", Rules: followup.PropertyRules(1), Calendar: noZone}); !errors.Is(err, followup.ErrInvalid) {
			t.Errorf("contact hours without a zone: %v, want ErrInvalid", err)
		}
	})
	t.Run("F7_default_hours_are_the_desks_zone", func(t *testing.T) {
		d, err := followup.NewDeriver(followup.NewMemStore(), followup.DeriverConfig{Desk: "d1", Rules: followup.PropertyRules(1), Location: shanghai})
		if err != nil {
			t.Fatal(err)
		}
		// 02:00 UTC is 10:00 in Shanghai: inside 09:00-20:00 there, not
		// moved to 09:00 UTC as a UTC default would.
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		tasks, err := d.Plan(followup.Trigger{Kind: followup.ServiceEnded, Desk: "d1", Key: "s1", At: at})
		if err != nil || len(tasks) == 0 {
			t.Fatalf("plan: %v %v", tasks, err)
		}
		if !tasks[0].NotBefore.Equal(at) {
			t.Errorf("F7 call placed at %s, want %s (10:00 in Shanghai)", tasks[0].NotBefore, at)
		}
	})
	t.Run("F7_waits_for_the_end_of_spring_festival", func(t *testing.T) {
		cal, err := calendar.New(calendar.Config{Zone: shanghai, Schedule: calendar.China(),
			Hours: calendar.Week{Workday: []calendar.Span{{Start: 9 * time.Hour, End: 20 * time.Hour}}}})
		if err != nil {
			t.Fatal(err)
		}
		d, err := followup.NewDeriver(followup.NewMemStore(), followup.DeriverConfig{Desk: "d1", Rules: followup.PropertyRules(1), Calendar: cal})
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 2, 16, 11, 0, 0, 0, shanghai) // 春节 2026: 15-23 February
		tasks, err := d.Plan(followup.Trigger{Kind: followup.ServiceEnded, Desk: "d1", Key: "s2", At: at})
		if err != nil || len(tasks) == 0 {
			t.Fatalf("plan: %v %v", tasks, err)
		}
		if want := time.Date(2026, 2, 24, 9, 0, 0, 0, shanghai); !tasks[0].NotBefore.Equal(want) {
			t.Errorf("F7 call placed at %s, want %s", tasks[0].NotBefore, want)
		}
	})
}
