package ticket_test

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/servicedesk-go/desk/calendar"
	"github.com/servicedesk-go/desk/ticket"
)

// TestDeskCalendar: the desk's one calendar.Calendar measures the
// deadlines (T5 three minutes, in business hours) across the official
// holidays; a calendar without a zone is refused, not read as UTC.
func TestDeskCalendar(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("T5_dispatch_clock_waits_for_the_end_of_national_day", func(t *testing.T) {
		cal, err := calendar.New(calendar.Config{Zone: shanghai, Schedule: calendar.China(),
			Hours: calendar.Week{Workday: []calendar.Span{{Start: 9 * time.Hour, End: 18 * time.Hour}}}})
		if err != nil {
			t.Fatal(err)
		}
		p := ticket.PropertyDesk()
		p.Calendar = cal
		d := newDesk(t, &p)
		d.now = time.Date(2026, 10, 3, 10, 0, 0, 0, shanghai) // 国庆节: closed until Thursday 8 October
		tk := d.receive(webform, repairIntake())
		dl, _ := tk.Deadline(ticket.DeadlineDispatch)
		if want := time.Date(2026, 10, 8, 9, 3, 0, 0, shanghai); !dl.Due.Equal(want) {
			t.Fatalf("dispatch due %v, want %v", dl.Due, want)
		}
	})
	t.Run("hours_without_zone_refused", func(t *testing.T) {
		p := ticket.PropertyDesk()
		p.Calendar = ticket.Hours{Open: 9 * time.Hour, Close: 22 * time.Hour}
		if _, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "north", Policy: &p}); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("Hours without Location: %v, want ErrInvalid", err)
		}
	})
}
