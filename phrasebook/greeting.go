package phrasebook

import (
	"fmt"
	"time"
)

// DayParts are the local times of day at which the greeting changes (P1:
// 早上好 / 下午好 / 晚上好), as offsets from local midnight. Before Morning
// counts as evening: a call at 02:00 is greeted 晚上好.
type DayParts struct {
	Morning   time.Duration // default 05:00
	Afternoon time.Duration // default 12:00
	Evening   time.Duration // default 18:00
}

// DefaultDayParts returns the documented defaults: morning from 05:00,
// afternoon from 12:00, evening from 18:00.
func DefaultDayParts() DayParts {
	return DayParts{Morning: 5 * time.Hour, Afternoon: 12 * time.Hour, Evening: 18 * time.Hour}
}

func (d DayParts) orDefault() (DayParts, error) {
	if d == (DayParts{}) {
		return DefaultDayParts(), nil
	}
	if d.Morning < 0 || d.Morning >= d.Afternoon || d.Afternoon >= d.Evening || d.Evening >= 24*time.Hour {
		return d, fmt.Errorf("phrasebook: day parts %v/%v/%v: want 0 <= morning < afternoon < evening < 24h: %w", d.Morning, d.Afternoon, d.Evening, ErrInvalidPolicy)
	}
	return d, nil
}

// Holidays tells whether a local date is a holiday and which greeting
// phrase (a catalogue ID such as "greet.new_year") it gets. Chinese
// lunar holidays (春节, 中秋) need a calendar: the desk's one
// calendar.Calendar is one (with calendar.China(), the official
// holidays), or implement this interface or use HolidayFunc.
type Holidays interface {
	Holiday(date time.Time) (phraseID string, ok bool)
}

// HolidayFunc adapts a function to Holidays.
type HolidayFunc func(date time.Time) (string, bool)

// Holiday calls f.
func (f HolidayFunc) Holiday(date time.Time) (string, bool) { return f(date) }

// MonthDay is a fixed Gregorian date.
type MonthDay struct {
	Month time.Month
	Day   int
}

// FixedHolidays greets on fixed Gregorian dates.
type FixedHolidays map[MonthDay]string

// Holiday looks the date up.
func (h FixedHolidays) Holiday(date time.Time) (string, bool) {
	id, ok := h[MonthDay{date.Month(), date.Day()}]
	return id, ok
}

// SeedHolidays are the fixed-date greetings of P1: 新年快乐 on 1 January
// and 圣诞快乐 on 25 December. (节日快乐, "greet.festival", is there for a
// desk's own Holidays to return.)
func SeedHolidays() FixedHolidays {
	return FixedHolidays{
		{time.January, 1}:   "greet.new_year",
		{time.December, 25}: "greet.christmas",
	}
}

// NoHolidays never reports a holiday.
var NoHolidays Holidays = FixedHolidays{}

// GreetingPolicy configures Greeting. The zero value uses
// DefaultDayParts, SeedHolidays and the location of the time given.
type GreetingPolicy struct {
	DayParts DayParts
	Holidays Holidays       // nil: SeedHolidays; NoHolidays to switch off
	Location *time.Location // nil: the zone of Holidays if it has one (a calendar.Calendar), else the time's own
}

// GreetingID returns the catalogue ID of the greeting word for t: the
// holiday's greeting when t's local date is a holiday, else greet.morning,
// greet.afternoon or greet.evening by the local time of day.
func GreetingID(t time.Time, p GreetingPolicy) (string, error) {
	parts, err := p.DayParts.orDefault()
	if err != nil {
		return "", err
	}
	if p.Location != nil {
		t = t.In(p.Location)
	} else if z, ok := p.Holidays.(interface{ Zone() *time.Location }); ok && z.Zone() != nil {
		t = t.In(z.Zone()) // the desk's zone, never the caller's UTC
	}
	hol := p.Holidays
	if hol == nil {
		hol = SeedHolidays()
	}
	if id, ok := hol.Holiday(t); ok {
		return id, nil
	}
	// Wall-clock offset from midnight; on DST days this is the clock
	// reading, which is what a greeting should follow.
	h, m, s := t.Clock()
	since := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second
	switch {
	case since < parts.Morning || since >= parts.Evening:
		return "greet.evening", nil
	case since < parts.Afternoon:
		return "greet.morning", nil
	default:
		return "greet.afternoon", nil
	}
}

// Greeting is the first sentence of an inbound call (P1, P6: "您好,这里是
// xx依维柯"): the greeting for t followed by the company name, rendered
// from greet.with_company. The company comes from the catalogue's values
// or from values; values may carry any other placeholder a desk's own
// greet.with_company uses.
func (c *Catalogue) Greeting(t time.Time, lang string, p GreetingPolicy, values map[string]string) (string, error) {
	id, err := GreetingID(t, p)
	if err != nil {
		return "", err
	}
	word, err := c.Render(id, lang, nil)
	if err != nil {
		return "", err
	}
	v := make(map[string]string, len(values)+1)
	for k, x := range values {
		v[k] = x
	}
	v["greeting"] = word
	return c.Render("greet.with_company", lang, v)
}
