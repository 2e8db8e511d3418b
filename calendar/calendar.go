package calendar

import (
	"slices"
	"time"
)

// Span is a stretch of a day in wall-clock time: offsets from local
// midnight, 0 <= Start < End <= 24h. The wall clock keeps its reading on
// a clock-change day, so 09:00-18:00 is 09:00-18:00 in summer and winter.
type Span struct {
	Start, End time.Duration
}

// Week is a desk's hours by kind of day: one set of spans for workdays
// (make-up workdays included), one for weekly rest days and one for
// public holidays. A kind with no spans is closed all day.
type Week struct {
	Workday, RestDay, Holiday []Span
}

// Daily returns the same hours on every kind of day.
func Daily(spans ...Span) Week {
	return Week{Workday: spans, RestDay: slices.Clone(spans), Holiday: slices.Clone(spans)}
}

// Of returns the spans of one kind of day.
func (w Week) Of(k DayKind) []Span {
	switch k {
	case RestDay:
		return w.RestDay
	case Holiday:
		return w.Holiday
	}
	return w.Workday
}

func (w Week) validate(field string) error {
	open := false
	for k := Workday; k <= Holiday; k++ {
		spans := w.Of(k)
		for i, s := range spans {
			if s.Start < 0 || s.End > 24*time.Hour || s.End <= s.Start {
				return invalid(field, "%s span %s-%s: want 0 <= start < end <= 24h", k, s.Start, s.End)
			}
			if i > 0 && s.Start < spans[i-1].End {
				return invalid(field, "%s spans must be in order and not overlap (%s-%s after %s-%s)", k, s.Start, s.End, spans[i-1].Start, spans[i-1].End)
			}
			open = true
		}
	}
	if !open {
		return invalid(field, "closed on every kind of day: no working time can pass")
	}
	return nil
}

func (w Week) clone() Week {
	return Week{Workday: slices.Clone(w.Workday), RestDay: slices.Clone(w.RestDay), Holiday: slices.Clone(w.Holiday)}
}

// Config describes a desk's calendar. Zone is required; the zero value of
// every other field has a documented default.
type Config struct {
	// Zone is the desk's time zone. Required: there is no silent UTC.
	Zone *time.Location
	// Weekend lists the weekly rest days; nil means Saturday and Sunday.
	Weekend []time.Weekday
	// Hours are the opening hours: ticket deadlines run in them (T5, T7
	// in business hours) and roster coverage can follow them (R1).
	Hours Week
	// Contact are the hours customers may be called (follow-ups, F
	// rules); nil means Hours.
	Contact *Week
	// Schedule holds the public holidays and make-up workdays, e.g.
	// China(); nil means none (only the weekend).
	Schedule *Schedule
	// Greetings maps a holiday's key to the greeting phrase ID of the
	// phrasebook (P1); nil means DefaultGreetings. A holiday whose key is
	// missing is greeted with the "" key's phrase, if any.
	Greetings map[string]string
	// Named are greetings on fixed dates that are not days off, e.g.
	// {12, 25}: "greet.christmas" (P1 圣诞快乐). Holidays win over them.
	Named map[MonthDay]string
}

// DefaultGreetings greets 元旦 and 春节 with 新年快乐 and every other
// holiday with 节日快乐 (P1), as phrasebook IDs.
func DefaultGreetings() map[string]string {
	return map[string]string{
		"new_year":        "greet.new_year",
		"spring_festival": "greet.new_year",
		"":                "greet.festival",
	}
}

// Calendar is a desk's one calendar: its zone, its hours by kind of day,
// its public holidays and make-up workdays, and its named days. One value
// satisfies the small calendar interfaces of every package:
//
//   - ticket.Calendar (Add: deadlines in business hours),
//   - followup.Calendar (Next: the next contact time),
//   - roster.Calendar (Kind: workday, rest day or holiday),
//   - phrasebook.Holidays (Holiday: the greeting of a holiday).
//
// A Calendar is immutable and safe for concurrent use.
//
// Days of a year that the schedule does not cover are ordinary days
// (weekend or workday) for these interfaces, which cannot return an
// error; KindOf and Covers tell such days apart, and a desk that must not
// run on an unknown year checks Covers (or KindOf) when it starts.
type Calendar struct {
	zone      *time.Location
	weekend   [7]bool
	hours     Week
	contact   Week
	schedule  *Schedule
	greetings map[string]string
	named     map[MonthDay]string
}

// New checks cfg and returns the calendar. A nil Zone is ErrNoZone;
// spans out of order or outside the day, or hours closed on every kind
// of day, are ErrInvalid.
func New(cfg Config) (*Calendar, error) {
	if cfg.Zone == nil {
		return nil, ErrNoZone
	}
	if err := cfg.Hours.validate("hours"); err != nil {
		return nil, err
	}
	c := &Calendar{zone: cfg.Zone, hours: cfg.Hours.clone(), schedule: cfg.Schedule}
	c.contact = c.hours
	if cfg.Contact != nil {
		if err := cfg.Contact.validate("contact"); err != nil {
			return nil, err
		}
		c.contact = cfg.Contact.clone()
	}
	weekend := cfg.Weekend
	if weekend == nil {
		weekend = []time.Weekday{time.Saturday, time.Sunday}
	}
	for _, w := range weekend {
		if w < time.Sunday || w > time.Saturday {
			return nil, invalid("weekend", "%d is not a weekday", w)
		}
		c.weekend[w] = true
	}
	for _, wk := range []struct {
		field string
		week  Week
	}{{"hours", c.hours}, {"contact", c.contact}} {
		open := false
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			k := Workday
			if c.weekend[wd] {
				k = RestDay
			}
			open = open || len(wk.week.Of(k)) > 0
		}
		if !open {
			return nil, invalid(wk.field, "closed on every day of an ordinary week")
		}
	}
	c.greetings = DefaultGreetings()
	if cfg.Greetings != nil {
		c.greetings = make(map[string]string, len(cfg.Greetings))
		for k, v := range cfg.Greetings {
			c.greetings[k] = v
		}
	}
	c.named = make(map[MonthDay]string, len(cfg.Named))
	for md, id := range cfg.Named {
		if md.Month < time.January || md.Month > time.December || md.Day < 1 || md.Day > 31 {
			return nil, invalid("named", "%v is not a day of the year", md)
		}
		c.named[md] = id
	}
	return c, nil
}

// Zone returns the desk's time zone.
func (c *Calendar) Zone() *time.Location { return c.zone }

// Schedule returns the holiday schedule, or nil.
func (c *Calendar) Schedule() *Schedule { return c.schedule }

// Covers reports whether the schedule covers year (always true without a
// schedule: such a calendar has no holidays to miss).
func (c *Calendar) Covers(year int) bool { return c.schedule == nil || c.schedule.Covers(year) }

// KindOf returns the kind of d, or ErrNotCovered when the schedule does
// not cover d's year.
func (c *Calendar) KindOf(d Date) (DayKind, error) {
	if c.schedule != nil {
		day, ok, err := c.schedule.Lookup(d)
		if err != nil {
			return 0, err
		}
		if ok {
			return day.Kind, nil
		}
	}
	return c.weekly(d), nil
}

func (c *Calendar) weekly(d Date) DayKind {
	if c.weekend[d.Weekday()] {
		return RestDay
	}
	return Workday
}

// Kind returns the kind of d: a holiday or make-up workday of the
// schedule, else a rest day on the weekend and a workday otherwise. A
// year the schedule does not cover has only the weekend (see KindOf). It
// implements roster.Calendar.
func (c *Calendar) Kind(d Date) DayKind {
	if c.schedule != nil {
		if day, ok := c.schedule.days[d]; ok {
			return day.Kind
		}
	}
	return c.weekly(d)
}

// Name returns the name of the holiday or make-up workday on d ("春节"),
// or "".
func (c *Calendar) Name(d Date) string {
	if c.schedule != nil {
		return c.schedule.days[d].Name
	}
	return ""
}

// Week returns the opening hours by kind of day (a copy).
func (c *Calendar) Week() Week { return c.hours.clone() }

// Hours returns the opening hours of day d.
func (c *Calendar) Hours(d Date) []Span { return slices.Clone(c.hours.Of(c.Kind(d))) }

// Holiday returns the greeting phrase ID for the desk-local date of t:
// the holiday's greeting on a holiday, the named day's greeting on a
// named day, else ok false. It implements phrasebook.Holidays.
func (c *Calendar) Holiday(t time.Time) (phraseID string, ok bool) {
	d := DateOf(t, c.zone)
	if c.schedule != nil {
		if day, found := c.schedule.days[d]; found && day.Kind == Holiday {
			if id, ok := c.greetings[day.Key]; ok {
				return id, true
			}
			if id, ok := c.greetings[""]; ok {
				return id, true
			}
		}
	}
	id, ok := c.named[MonthDay{d.Month, d.Day}]
	return id, ok
}
