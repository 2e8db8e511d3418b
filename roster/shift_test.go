package roster

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // real zones with DST on any machine

	"github.com/servicedesk-go/desk/calendar"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestSeedShifts(t *testing.T) {
	t.Run("R2_abc_times_and_places", func(t *testing.T) {
		want := map[string]struct {
			start, end string
			where      Place
		}{"a": {"09:00", "17:00", OnSite}, "b": {"12:00", "20:00", OnSite}, "c": {"20:00", "22:00", Remote}}
		got := SeedShifts()
		if len(got) != 3 {
			t.Fatalf("%d shifts", len(got))
		}
		for _, s := range got {
			w := want[s.Name]
			if s.Start.String() != w.start || s.End.String() != w.end || s.Where != w.where {
				t.Errorf("shift %s = %s-%s %s, want %s-%s %s", s.Name, s.Start, s.End, s.Where, w.start, w.end, w.where)
			}
			if err := s.Validate(); err != nil {
				t.Error(err)
			}
		}
	})
	t.Run("R6_ten_minutes_early", func(t *testing.T) {
		for _, s := range SeedShifts() {
			if s.ReportEarly != 10*time.Minute {
				t.Errorf("shift %s reports %v early", s.Name, s.ReportEarly)
			}
		}
		a := NewAssignment(seqIDs()(), "d", "ann", SeedShifts()[0], D(2026, 5, 4), time.UTC)
		if got := a.ReportAt(); !got.Equal(time.Date(2026, 5, 4, 8, 50, 0, 0, time.UTC)) {
			t.Errorf("report at %v, want 08:50", got)
		}
	})
	t.Run("preset_returns_fresh_values", func(t *testing.T) {
		s := SeedShifts()
		s[0].Name = "changed"
		if SeedShifts()[0].Name != "a" {
			t.Fatal("SeedShifts shares state between calls")
		}
	})
}

func TestShiftOn(t *testing.T) {
	night := Shift{Name: "night", Start: At(22, 0), End: At(6, 0), Where: OnSite}
	early := Shift{Name: "early", Start: At(2, 30), End: At(7, 0)}
	late := Shift{Name: "late", Start: At(0, 0), End: At(2, 30)}
	ny, berlin := mustLoc(t, "America/New_York"), mustLoc(t, "Europe/Berlin")
	tests := []struct {
		name       string
		s          Shift
		d          Date
		loc        *time.Location
		start, end string // RFC 3339
		length     time.Duration
	}{
		{"ordinary_night", night, D(2026, 3, 1), ny, "2026-03-01T22:00:00-05:00", "2026-03-02T06:00:00-05:00", 8 * time.Hour},
		{"spring_forward_night_NY", night, D(2026, 3, 7), ny, "2026-03-07T22:00:00-05:00", "2026-03-08T06:00:00-04:00", 7 * time.Hour},
		{"fall_back_night_NY", night, D(2026, 10, 31), ny, "2026-10-31T22:00:00-04:00", "2026-11-01T06:00:00-05:00", 9 * time.Hour},
		{"spring_forward_night_Berlin", night, D(2026, 3, 28), berlin, "2026-03-28T22:00:00+01:00", "2026-03-29T06:00:00+02:00", 7 * time.Hour},
		{"fall_back_night_Berlin", night, D(2026, 10, 24), berlin, "2026-10-24T22:00:00+02:00", "2026-10-25T06:00:00+01:00", 9 * time.Hour},
		// 02:30 does not exist on 2026-03-08 in New York: read with the
		// offset before the gap (RFC 5545), it is 03:30 EDT.
		{"start_in_skipped_hour", early, D(2026, 3, 8), ny, "2026-03-08T03:30:00-04:00", "2026-03-08T07:00:00-04:00", 3*time.Hour + 30*time.Minute},
		{"end_in_skipped_hour", late, D(2026, 3, 8), ny, "2026-03-08T00:00:00-05:00", "2026-03-08T03:30:00-04:00", 2*time.Hour + 30*time.Minute},
		// 01:30 occurs twice on 2026-11-01 in New York: the first one.
		{"repeated_hour_first_occurrence", Shift{Name: "x", Start: At(1, 30), End: At(3, 0)}, D(2026, 11, 1), ny,
			"2026-11-01T01:30:00-04:00", "2026-11-01T03:00:00-05:00", 2*time.Hour + 30*time.Minute},
		{"shift_to_midnight", Shift{Name: "y", Start: At(20, 0), End: EndOfDay}, D(2026, 3, 7), ny,
			"2026-03-07T20:00:00-05:00", "2026-03-08T00:00:00-05:00", 4 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start, end := tc.s.On(tc.d, tc.loc)
			ws, _ := time.Parse(time.RFC3339, tc.start)
			we, _ := time.Parse(time.RFC3339, tc.end)
			if !start.Equal(ws) || !end.Equal(we) {
				t.Fatalf("On = %v .. %v, want %v .. %v", start, end, ws, we)
			}
			if got := end.Sub(start); got != tc.length {
				t.Fatalf("length %v, want %v", got, tc.length)
			}
		})
	}
}

func TestParseTimeOfDay(t *testing.T) {
	good := map[string]TimeOfDay{"00:00": 0, "09:00": At(9, 0), "23:59": At(23, 59), "24:00": EndOfDay}
	for in, want := range good {
		got, err := ParseTimeOfDay(in)
		if err != nil || got != want {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "9:00", "24:01", "12:60", "-1:00", "+1:00", "ab:cd", "12:5", "12-00", "25:00"} {
		if _, err := ParseTimeOfDay(in); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseTimeOfDay(%q) err = %v, want ErrInvalid", in, err)
		}
	}
}

func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"09:00", "24:00", "23:59", "x", "+9:00", "00:-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tod, err := ParseTimeOfDay(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if !tod.Valid() || tod.String() != s {
			t.Fatalf("%q parsed to %v which prints %q", s, int(tod), tod.String())
		}
	})
}

func TestShiftValidate(t *testing.T) {
	for name, s := range map[string]Shift{
		"no name":        {Start: At(9, 0), End: At(10, 0)},
		"zero length":    {Name: "x", Start: At(9, 0), End: At(9, 0)},
		"start 24:00":    {Name: "x", Start: EndOfDay, End: At(9, 0)},
		"end past 24:00": {Name: "x", Start: At(9, 0), End: EndOfDay + 1},
		"negative early": {Name: "x", Start: At(9, 0), End: At(10, 0), ReportEarly: -time.Minute},
		"unknown place":  {Name: "x", Start: At(9, 0), End: At(10, 0), Where: 7},
	} {
		var ie *InputError
		if err := s.Validate(); !errors.Is(err, ErrInvalid) || !errors.As(err, &ie) || ie.Field == "" {
			t.Errorf("%s: %v, want *InputError", name, err)
		}
	}
}

func chinaCalendar(t *testing.T) *calendar.Calendar {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skipf("tzdata: %v", err)
	}
	c, err := calendar.New(calendar.Config{Zone: loc, Schedule: calendar.China(),
		Hours: calendar.Daily(calendar.Span{Start: 9 * time.Hour, End: 24 * time.Hour})})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCalendar(t *testing.T) {
	t.Run("make_up_workday_on_a_sunday", func(t *testing.T) {
		// China, 中秋节 and 国庆节 2026 as the State Council published them
		// (shipped in calendar.China()): 25-27 September and 1-7 October
		// off, Sunday 20 September and Saturday 10 October worked.
		blocks, err := calendar.China().Blocks(2026)
		if err != nil {
			t.Fatal(err)
		}
		cal := &Holidays{}
		for _, b := range blocks {
			if b.Key != "mid_autumn" && b.Key != "national_day" {
				continue
			}
			for d := b.From; !b.To.Before(d); d = d.AddDays(1) {
				cal.AddHoliday(d, b.Name)
			}
			for _, w := range b.Workdays {
				cal.AddWorkday(w, b.Name+"调休上班")
			}
		}
		sunday := D(2026, 9, 20)
		if sunday.Weekday() != time.Sunday {
			t.Fatalf("%s is a %s", sunday, sunday.Weekday())
		}
		for _, c := range []Calendar{cal, chinaCalendar(t)} {
			for _, tc := range []struct {
				d    Date
				want DayKind
			}{
				{sunday, Workday},          // make-up Sunday
				{D(2026, 10, 10), Workday}, // make-up Saturday
				{D(2026, 9, 27), Holiday},  // 中秋节 Sunday
				{D(2026, 10, 3), Holiday},  // 国庆节 Saturday
				{D(2026, 10, 2), Holiday},  // 国庆节 Friday
				{D(2026, 9, 13), RestDay},  // ordinary Sunday
				{D(2026, 10, 9), Workday},  // ordinary Friday
			} {
				if k := c.Kind(tc.d); k != tc.want {
					t.Fatalf("%T: %s (%s) is %s, want %s", c, tc.d, tc.d.Weekday(), k, tc.want)
				}
			}
		}
		if cal.Name(sunday) != "国庆节调休上班" {
			t.Fatalf("name lost: %q", cal.Name(sunday))
		}
		// Service hours by kind: a desk open Mon-Fri also opens on the
		// make-up Sunday and is closed on holidays.
		var h ServiceHours
		for wd := time.Monday; wd <= time.Friday; wd++ {
			h.Weekly[wd] = []Window{{At(9, 0), At(17, 0)}}
		}
		h.Calendar = cal
		h.ByKind = map[DayKind][]Window{Workday: {{At(9, 0), At(17, 0)}}, Holiday: nil}
		if len(h.On(sunday)) != 1 || len(h.On(D(2026, 10, 2))) != 0 || len(h.On(D(2026, 9, 13))) != 0 {
			t.Fatalf("hours: make-up Sunday %v, holiday Friday %v, plain Sunday %v",
				h.On(sunday), h.On(D(2026, 10, 2)), h.On(D(2026, 9, 13)))
		}
	})
	t.Run("dates", func(t *testing.T) {
		if D(2026, 2, 28).AddDays(1) != D(2026, 3, 1) || D(2028, 2, 28).AddDays(1) != D(2028, 2, 29) {
			t.Fatal("AddDays across February")
		}
		if D(2026, 1, 1).DaysUntil(D(2027, 1, 1)) != 365 || D(2026, 3, 10).DaysUntil(D(2026, 3, 1)) != -9 {
			t.Fatal("DaysUntil")
		}
		if D(2026, 2, 29).Valid() || !D(2028, 2, 29).Valid() {
			t.Fatal("Valid")
		}
	})
}

// TestInstant checks the clock-change rule over every quarter hour of two
// years in zones with one-hour and half-hour (Lord Howe) shifts: a wall
// time that exists maps to itself, the first of two occurrences is taken,
// and a skipped one moves forward by the length of the gap.
func TestInstant(t *testing.T) {
	for _, name := range []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Shanghai"} {
		loc := mustLoc(t, name)
		checked, skipped := 0, 0
		for d := D(2026, 1, 1); d.Before(D(2028, 1, 1)); d = d.AddDays(1) {
			for tod := TimeOfDay(0); tod < EndOfDay; tod += 15 {
				got := Instant(d, tod, loc)
				wall := got.In(loc)
				checked++
				h, m := int(tod)/60, int(tod)%60
				if wall.Hour() == h && wall.Minute() == m && DateOf(got, loc) == d {
					// Exists: must be the first occurrence.
					if earlier := got.Add(-time.Hour); earlier.In(loc).Hour() == h && earlier.In(loc).Minute() == m && DateOf(earlier, loc) == d {
						t.Fatalf("%s %s %s: took the second occurrence", name, d, tod)
					}
					if earlier := got.Add(-30 * time.Minute); earlier.In(loc).Hour() == h && earlier.In(loc).Minute() == m && DateOf(earlier, loc) == d {
						t.Fatalf("%s %s %s: took the second occurrence", name, d, tod)
					}
					continue
				}
				// Skipped: the offset before the gap applies, so the result
				// is later than asked by exactly the gap.
				_, offBefore := got.Add(-3 * time.Hour).In(loc).Zone()
				_, offAfter := got.In(loc).Zone()
				gap := time.Duration(offAfter-offBefore) * time.Second
				want := time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, time.UTC).Add(-time.Duration(offBefore) * time.Second)
				if gap <= 0 || !got.Equal(want) {
					t.Fatalf("%s %s %s: got %v (gap %v)", name, d, tod, wall, gap)
				}
				skipped++
			}
		}
		// Two spring-forward nights in two years: 4 skipped quarters each
		// for a one-hour gap, 2 for Lord Howe's half hour, none in Shanghai.
		want := map[string]int{"America/New_York": 8, "Europe/Berlin": 8, "Australia/Lord_Howe": 4, "Asia/Shanghai": 0}[name]
		if checked != 730*96 || skipped != want {
			t.Fatalf("%s: %d checked, %d skipped; want %d, %d", name, checked, skipped, 730*96, want)
		}
	}
}
