package calendar

import (
	"fmt"
	"math"
	"time"
)

// Date is a calendar day without a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in loc (t's own location when loc
// is nil).
func DateOf(t time.Time, loc *time.Location) Date {
	if loc != nil {
		t = t.In(loc)
	}
	y, m, d := t.Date()
	return Date{y, m, d}
}

// D is shorthand for Date{year, month, day}.
func D(year int, month time.Month, day int) Date { return Date{year, month, day} }

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, invalid("date", "%q is not a YYYY-MM-DD date", s)
	}
	return DateOf(t, time.UTC), nil
}

func (d Date) noonUTC() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

// AddDays returns the day n days later (earlier for negative n),
// normalising out-of-range fields.
func (d Date) AddDays(n int) Date {
	y, m, dd := d.noonUTC().AddDate(0, 0, n).Date()
	return Date{y, m, dd}
}

// Weekday of the day.
func (d Date) Weekday() time.Weekday { return d.noonUTC().Weekday() }

// DaysUntil is the number of days from d to e (negative if e is earlier).
func (d Date) DaysUntil(e Date) int {
	return int(math.Round(e.noonUTC().Sub(d.noonUTC()).Hours() / 24))
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// Valid reports whether the fields name a real day.
func (d Date) Valid() bool {
	return d.Month >= time.January && d.Month <= time.December && d.Day >= 1 &&
		d.AddDays(0) == d
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// DayKind classifies a calendar day.
type DayKind uint8

const (
	// Workday: an ordinary working day, including a make-up workday (调休
	// 上班) that falls on a weekend.
	Workday DayKind = iota
	// RestDay: a weekly rest day (a weekend).
	RestDay
	// Holiday: a public holiday, including the weekend days that a
	// holiday block joins (与周末连休); R7 asks for holiday duty.
	Holiday
)

func (k DayKind) String() string {
	switch k {
	case Workday:
		return "workday"
	case RestDay:
		return "rest day"
	case Holiday:
		return "holiday"
	}
	return fmt.Sprintf("DayKind(%d)", uint8(k))
}

// MonthDay is a fixed Gregorian date in every year (25 December).
type MonthDay struct {
	Month time.Month
	Day   int
}
