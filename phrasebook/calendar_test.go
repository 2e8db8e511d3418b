package phrasebook_test

import (
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/servicedesk-go/desk/calendar"
	"github.com/servicedesk-go/desk/phrasebook"
)

// TestGreetingByDeskCalendar/P1_*: the desk's one calendar.Calendar gives
// the holiday greeting of the official schedule, in the desk's zone.
func TestGreetingByDeskCalendar(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.New(calendar.Config{Zone: shanghai, Schedule: calendar.China(),
		Hours: calendar.Daily(calendar.Span{Start: 9 * time.Hour, End: 24 * time.Hour})})
	if err != nil {
		t.Fatal(err)
	}
	p := phrasebook.GreetingPolicy{Holidays: cal}
	for _, tc := range []struct {
		name string
		at   time.Time
		want string
	}{
		{"P1_spring_festival_new_year", time.Date(2026, 2, 18, 10, 0, 0, 0, shanghai), "greet.new_year"},
		{"P1_mid_autumn_festival", time.Date(2026, 9, 26, 10, 0, 0, 0, shanghai), "greet.festival"},
		{"P1_make_up_sunday_is_a_working_morning", time.Date(2026, 9, 20, 10, 0, 0, 0, shanghai), "greet.morning"},
		// 01:30 UTC is 09:30 in Shanghai: morning in the desk's zone.
		{"P1_day_part_in_the_desks_zone", time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC), "greet.morning"},
		// 17:00 UTC on 30 September is 01:00 on 1 October in Shanghai.
		{"P1_holiday_by_the_desks_date", time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC), "greet.festival"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, err := phrasebook.GreetingID(tc.at, p)
			if err != nil || id != tc.want {
				t.Fatalf("GreetingID(%s) = %q, %v; want %q", tc.at, id, err, tc.want)
			}
		})
	}
}
