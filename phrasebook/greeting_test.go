package phrasebook

import (
	"errors"
	"testing"
	"time"
)

func TestGreeting_P1_P6(t *testing.T) {
	c, err := builtin(t).With(Overlay{Values: map[string]string{"company": "xx依维柯"}})
	if err != nil {
		t.Fatal(err)
	}
	shanghai := time.FixedZone("CST", 8*3600)
	day := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, shanghai) }
	springFestival := HolidayFunc(func(d time.Time) (string, bool) {
		if d.Year() == 2026 && d.Month() == time.February && d.Day() == 17 {
			return "greet.new_year", true
		}
		return "", false
	})
	tests := []struct {
		name string
		at   time.Time
		lang string
		p    GreetingPolicy
		want string
	}{
		{"P1_morning", day(3, 2, 9, 0), LangZH, GreetingPolicy{}, "早上好,这里是xx依维柯。"},
		{"P1_morning_starts_0500", day(3, 2, 5, 0), LangZH, GreetingPolicy{}, "早上好,这里是xx依维柯。"},
		{"P1_before_0500_is_evening", day(3, 2, 4, 59), LangZH, GreetingPolicy{}, "晚上好,这里是xx依维柯。"},
		{"P1_noon_is_afternoon", day(3, 2, 12, 0), LangZH, GreetingPolicy{}, "下午好,这里是xx依维柯。"},
		{"P1_evening_1800", day(3, 2, 18, 0), LangZH, GreetingPolicy{}, "晚上好,这里是xx依维柯。"},
		{"P1_english", day(3, 2, 15, 30), LangEN, GreetingPolicy{}, "Good afternoon, this is xx依维柯."},
		{"P1_new_year", day(1, 1, 9, 0), LangZH, GreetingPolicy{}, "新年快乐,这里是xx依维柯。"},
		{"P1_christmas", day(12, 25, 20, 0), LangEN, GreetingPolicy{}, "Merry Christmas, this is xx依维柯."},
		{"P1_no_holidays", day(1, 1, 9, 0), LangZH, GreetingPolicy{Holidays: NoHolidays}, "早上好,这里是xx依维柯。"},
		{"P1_lunar_new_year_by_interface", day(2, 17, 9, 0), LangZH, GreetingPolicy{Holidays: springFestival}, "新年快乐,这里是xx依维柯。"},
		{"P1_custom_day_parts", day(3, 2, 11, 0), LangZH, GreetingPolicy{DayParts: DayParts{Morning: 6 * time.Hour, Afternoon: 11 * time.Hour, Evening: 17 * time.Hour}}, "下午好,这里是xx依维柯。"},
		// 01:30 UTC is 09:30 in Shanghai: the desk's location decides.
		{"P1_desk_location", time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC), LangZH, GreetingPolicy{Location: shanghai}, "早上好,这里是xx依维柯。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Greeting(tt.at, tt.lang, tt.p, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGreeting_errors(t *testing.T) {
	c := builtin(t)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if _, err := c.Greeting(at, LangZH, GreetingPolicy{}, nil); !errors.Is(err, ErrMissingValue) {
		t.Errorf("no company: %v", err)
	}
	bad := GreetingPolicy{DayParts: DayParts{Morning: 12 * time.Hour, Afternoon: 11 * time.Hour, Evening: 18 * time.Hour}}
	if _, err := c.Greeting(at, LangZH, bad, map[string]string{"company": "x"}); !errors.Is(err, ErrInvalidPolicy) {
		t.Errorf("bad day parts: %v", err)
	}
	unknown := GreetingPolicy{Holidays: HolidayFunc(func(time.Time) (string, bool) { return "greet.nope", true })}
	if _, err := c.Greeting(at, LangZH, unknown, map[string]string{"company": "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown holiday phrase: %v", err)
	}
}
