package calendar_test

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // zones with DST on any machine

	"github.com/servicedesk-go/desk/calendar"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("tzdata for %s: %v", name, err)
	}
	return loc
}

func h(hh, mm int) time.Duration { return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute }

// refOpen is the reference rule written out plainly: an instant is open
// when its wall-clock reading in the zone falls in a span of its day's
// kind. Kinds come from the calendar's own Kind (checked separately
// against the dataset).
func refOpen(c *calendar.Calendar, w calendar.Week, t time.Time) bool {
	local := t.In(c.Zone())
	d := calendar.DateOf(local, nil)
	wall := time.Duration(local.Hour())*time.Hour + time.Duration(local.Minute())*time.Minute
	for _, s := range w.Of(c.Kind(d)) {
		if wall >= s.Start && wall < s.End {
			return true
		}
	}
	return false
}

// refAdd walks minute by minute from a minute-aligned instant.
func refAdd(c *calendar.Calendar, w calendar.Week, from time.Time, d time.Duration) time.Time {
	t := from
	if d == 0 {
		for !refOpen(c, w, t) {
			t = t.Add(time.Minute)
		}
		return t
	}
	for left := d; ; t = t.Add(time.Minute) {
		if refOpen(c, w, t) {
			left -= time.Minute
			if left == 0 {
				return t.Add(time.Minute)
			}
		}
	}
}

func refNext(c *calendar.Calendar, w calendar.Week, from time.Time) time.Time {
	for t := from; ; t = t.Add(time.Minute) {
		if refOpen(c, w, t) {
			return t
		}
	}
}

type fixture struct {
	name  string
	cal   *calendar.Calendar
	hours calendar.Week
	cont  calendar.Week
	from  time.Time // around the interesting days
}

func fixtures(t *testing.T) []fixture {
	shanghai := mustZone(t, "Asia/Shanghai")
	berlin := mustZone(t, "Europe/Berlin")
	ny := mustZone(t, "America/New_York")
	lordHowe := mustZone(t, "Australia/Lord_Howe") // half-hour DST
	office := calendar.Week{
		Workday: []calendar.Span{{Start: h(9, 0), End: h(12, 0)}, {Start: h(13, 30), End: h(18, 0)}},
		RestDay: nil,
		Holiday: nil,
	}
	night := calendar.Week{ // spans across the clock-change hours
		Workday: []calendar.Span{{Start: h(0, 0), End: h(3, 30)}, {Start: h(22, 0), End: h(24, 0)}},
		RestDay: []calendar.Span{{Start: h(1, 30), End: h(2, 45)}},
		Holiday: []calendar.Span{{Start: h(10, 0), End: h(11, 0)}},
	}
	contact := calendar.Week{Workday: []calendar.Span{{Start: h(9, 0), End: h(20, 0)}}, RestDay: []calendar.Span{{Start: h(10, 0), End: h(16, 0)}}}
	mk := func(name string, cfg calendar.Config, from time.Time) fixture {
		c, err := calendar.New(cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cont := cfg.Hours
		if cfg.Contact != nil {
			cont = *cfg.Contact
		}
		return fixture{name, c, cfg.Hours, cont, from}
	}
	return []fixture{
		// 春节 2026 with its make-up Saturdays (14 and 28 February).
		mk("shanghai_spring_festival", calendar.Config{Zone: shanghai, Hours: office, Contact: &contact, Schedule: calendar.China()},
			time.Date(2026, 2, 10, 0, 0, 0, 0, shanghai)),
		// 国庆 2026: make-up Sunday 20 September, 中秋 25-27 September.
		mk("shanghai_national_day", calendar.Config{Zone: shanghai, Hours: office, Schedule: calendar.China()},
			time.Date(2026, 9, 18, 0, 0, 0, 0, shanghai)),
		mk("berlin_spring_forward", calendar.Config{Zone: berlin, Hours: night, Contact: &contact},
			time.Date(2026, 3, 26, 0, 0, 0, 0, berlin)),
		mk("berlin_fall_back", calendar.Config{Zone: berlin, Hours: night},
			time.Date(2026, 10, 22, 0, 0, 0, 0, berlin)),
		mk("new_york_both", calendar.Config{Zone: ny, Hours: night, Weekend: []time.Weekday{time.Sunday}},
			time.Date(2026, 3, 6, 0, 0, 0, 0, ny)),
		mk("lord_howe_half_hour", calendar.Config{Zone: lordHowe, Hours: night},
			time.Date(2026, 4, 1, 0, 0, 0, 0, lordHowe)),
	}
}

// TestBusinessHours/property_*: Add, Next and Between agree with the
// minute-by-minute reference from random starts and durations, across
// weekends, holidays, make-up workdays and clock changes.
func TestBusinessHours(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run("property_"+f.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(len(f.name))))
			for i := 0; i < 120; i++ {
				from := f.from.Add(time.Duration(rng.IntN(14*24*60)) * time.Minute)
				d := time.Duration(rng.IntN(30*60)) * time.Minute
				if i%10 == 0 {
					d = 0
				}
				got, want := f.cal.Add(from, d), refAdd(f.cal, f.hours, from, d)
				if !got.Equal(want) {
					t.Fatalf("Add(%s, %s) = %s, reference %s", from, d, got, want)
				}
				if n, want := f.cal.Next(from), refNext(f.cal, f.cont, from); !n.Equal(want) {
					t.Fatalf("Next(%s) = %s, reference %s", from, n, want)
				}
				if d > 0 {
					if b := f.cal.Between(from, got); b != d {
						t.Fatalf("Between(%s, %s) = %s, want %s", from, got, b, d)
					}
				}
			}
		})
	}
}

func TestBusinessHoursCases(t *testing.T) {
	shanghai := mustZone(t, "Asia/Shanghai")
	berlin := mustZone(t, "Europe/Berlin")
	office := calendar.Week{Workday: []calendar.Span{{Start: h(9, 0), End: h(18, 0)}}}
	cn, err := calendar.New(calendar.Config{Zone: shanghai, Hours: office, Schedule: calendar.China()})
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, hh, mm int, loc *time.Location) time.Time {
		return time.Date(y, m, d, hh, mm, 0, 0, loc)
	}
	t.Run("T7_48h_over_national_day_waits_for_the_holiday", func(t *testing.T) {
		// Friday 30 September 2026 17:00: one hour left that day; 国庆 runs
		// 1-7 October; Saturday 10 October is a make-up workday.
		got := cn.Add(at(2026, 9, 30, 17, 0, shanghai), 10*time.Hour)
		if want := at(2026, 10, 8, 18, 0, shanghai); !got.Equal(want) {
			t.Fatalf("got %s, want %s", got, want)
		}
		got = cn.Add(at(2026, 9, 30, 17, 0, shanghai), 28*time.Hour)
		if want := at(2026, 10, 10, 18, 0, shanghai); !got.Equal(want) {
			t.Fatalf("make-up Saturday 10 October counts: got %s, want %s", got, want)
		}
	})
	t.Run("make_up_sunday_is_a_workday", func(t *testing.T) {
		if k := cn.Kind(calendar.D(2026, 9, 20)); k != calendar.Workday {
			t.Fatalf("2026-09-20 is %v", k)
		}
		if k := cn.Kind(calendar.D(2026, 9, 27)); k != calendar.Holiday {
			t.Fatalf("2026-09-27 is %v", k)
		}
		got := cn.Add(at(2026, 9, 19, 12, 0, shanghai), time.Hour)
		if want := at(2026, 9, 20, 10, 0, shanghai); !got.Equal(want) {
			t.Fatalf("got %s, want %s", got, want)
		}
	})
	t.Run("spring_forward_hour_does_not_count", func(t *testing.T) {
		c, _ := calendar.New(calendar.Config{Zone: berlin, Hours: calendar.Daily(calendar.Span{Start: 0, End: 24 * time.Hour})})
		from := at(2026, 3, 29, 1, 0, berlin)
		got := c.Add(from, 2*time.Hour)
		if want := at(2026, 3, 29, 4, 0, berlin); !got.Equal(want) || got.Sub(from) != 2*time.Hour {
			t.Fatalf("got %s, want %s", got, want)
		}
		nine, _ := calendar.New(calendar.Config{Zone: berlin, Hours: calendar.Daily(calendar.Span{Start: h(9, 0), End: h(17, 0)})})
		if got := nine.Next(at(2026, 3, 29, 0, 30, berlin)); got.Hour() != 9 || got.Minute() != 0 {
			t.Fatalf("09:00 keeps its wall time on a DST day: %s", got)
		}
	})
	t.Run("uncovered_year_is_refused_not_guessed", func(t *testing.T) {
		last := calendar.China().Years()[len(calendar.China().Years())-1]
		_, err := cn.KindOf(calendar.D(last+1, 10, 1))
		var nc *calendar.NotCoveredError
		if !errors.Is(err, calendar.ErrNotCovered) || !errors.As(err, &nc) || nc.Year != last+1 || nc.Last != last {
			t.Fatalf("KindOf beyond the covered years: %v", err)
		}
		if cn.Covers(last+1) || !cn.Covers(last) {
			t.Fatalf("Covers(%d)=%v Covers(%d)=%v", last, cn.Covers(last), last+1, cn.Covers(last+1))
		}
	})
}

func TestNew(t *testing.T) {
	shanghai := mustZone(t, "Asia/Shanghai")
	office := calendar.Week{Workday: []calendar.Span{{Start: h(9, 0), End: h(18, 0)}}}
	if _, err := calendar.New(calendar.Config{Hours: office}); !errors.Is(err, calendar.ErrNoZone) {
		t.Fatalf("no zone: %v", err)
	}
	bad := []calendar.Config{
		{Zone: shanghai},
		{Zone: shanghai, Hours: calendar.Week{Workday: []calendar.Span{{Start: h(18, 0), End: h(9, 0)}}}},
		{Zone: shanghai, Hours: calendar.Week{Workday: []calendar.Span{{Start: h(9, 0), End: h(25, 0)}}}},
		{Zone: shanghai, Hours: calendar.Week{Workday: []calendar.Span{{Start: h(9, 0), End: h(12, 0)}, {Start: h(11, 0), End: h(13, 0)}}}},
		{Zone: shanghai, Hours: calendar.Week{Holiday: []calendar.Span{{Start: h(9, 0), End: h(12, 0)}}}},
		{Zone: shanghai, Hours: office, Contact: &calendar.Week{}},
		{Zone: shanghai, Hours: office, Weekend: []time.Weekday{9}},
		{Zone: shanghai, Hours: office, Named: map[calendar.MonthDay]string{{Month: 13, Day: 1}: "x"}},
	}
	for i, cfg := range bad {
		if _, err := calendar.New(cfg); !errors.Is(err, calendar.ErrInvalid) {
			t.Errorf("case %d: %v, want ErrInvalid", i, err)
		}
	}
}

func TestGreetingOfHolidays(t *testing.T) {
	shanghai := mustZone(t, "Asia/Shanghai")
	c, err := calendar.New(calendar.Config{Zone: shanghai, Hours: calendar.Daily(calendar.Span{Start: h(9, 0), End: h(24, 0)}),
		Schedule: calendar.China(), Named: map[calendar.MonthDay]string{{Month: 12, Day: 25}: "greet.christmas"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 2, 17, 10, 0, 0, 0, shanghai), "greet.new_year"},   // 春节
		{time.Date(2026, 10, 3, 10, 0, 0, 0, shanghai), "greet.festival"},   // 国庆节
		{time.Date(2026, 12, 25, 10, 0, 0, 0, shanghai), "greet.christmas"}, // named day
		{time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC), "greet.festival"},   // 01:00 on 1 October in Shanghai
		{time.Date(2026, 9, 20, 10, 0, 0, 0, shanghai), ""},                 // make-up workday
		{time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai), ""},                  // ordinary Monday
	} {
		id, ok := c.Holiday(tc.at)
		if id != tc.want || ok != (tc.want != "") {
			t.Errorf("Holiday(%s) = %q, %v; want %q", tc.at, id, ok, tc.want)
		}
	}
}
