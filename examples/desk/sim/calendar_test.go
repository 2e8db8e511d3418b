package sim

import (
	"context"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/calendar"
)

// TestCalendar_one_value_drives_every_package: the calendar a test
// passes is the one the desk's ticket clocks count in (the follow-up
// wiring, the roster and the greetings take the same s.cal), and a week
// over National Day 2026 (a holiday block with make-up workdays from the
// shipped State Council schedule) runs on it.
func TestCalendar_one_value_drives_every_package(t *testing.T) {
	ctx := context.Background()
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	contact := calendar.Daily(calendar.Span{Start: 10 * time.Hour, End: 16 * time.Hour})
	cal, err := calendar.New(calendar.Config{
		Zone:     sh,
		Hours:    calendar.Daily(calendar.Span{Start: 9 * time.Hour, End: 24 * time.Hour}),
		Contact:  &contact,
		Schedule: calendar.China(),
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(ctx, Config{Seed: 2, Start: time.Date(2026, 9, 28, 0, 0, 0, 0, sh), Days: 7, Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.tickets.Policy().Calendar; got != cal {
		t.Fatalf("ticket policy calendar = %T %v, want the desk calendar", got, got)
	}
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if got := s.tickets.Policy().Calendar; got != cal {
		t.Fatalf("after the run the ticket policy calendar is %T, want the desk calendar", got)
	}
}
