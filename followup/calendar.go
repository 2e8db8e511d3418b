package followup

import (
	"strconv"
	"time"
)

// Calendar places follow-up calls in contact hours: nobody is called
// at 23:30 or on a day the desk is closed. The Deriver moves the start of
// every task's window through it (and the due time, when the window
// would otherwise close before it opens), unless the rule says AnyTime.
// A desk's one calendar.Calendar (contact hours by kind of day, the
// official holidays and make-up workdays, DST) is one; ContactHours is a
// plain one.
type Calendar interface {
	// Next returns the earliest contact time at or after t, or the zero
	// time when there is none within a year.
	Next(t time.Time) time.Time
}

// AnyTime is a Calendar that allows every instant.
type AnyTime struct{}

// Next implements Calendar.
func (AnyTime) Next(t time.Time) time.Time { return t }

// ContactHours is a Calendar of daily contact hours in one location:
// customers may be called from Open to Close (offsets from local
// midnight, wall clock, so a DST day keeps its 09:00) on every day that
// is not closed. Close may be 24h.
type ContactHours struct {
	Open, Close time.Duration
	Location    *time.Location // required: the desk's zone, never a silent UTC
	// ClosedWeekdays are days without calls, e.g. Sunday.
	ClosedWeekdays []time.Weekday
	// Closed reports further closed days (holidays); it is given local
	// midnight. Nil means none.
	Closed func(day time.Time) bool
}

// DefaultContactHours returns 09:00–20:00 every day in loc: the a and b
// shifts of R2 on site, leaving the remote c shift for inbound calls.
// A default, not a rule of the seeds: set your own.
func DefaultContactHours(loc *time.Location) ContactHours {
	return ContactHours{Open: 9 * time.Hour, Close: 20 * time.Hour, Location: loc}
}

// Validate reports hours that cannot place a call.
func (h ContactHours) Validate() error {
	if h.Location == nil {
		return invalid("contact hours", "no Location: contact hours are the desk's wall clock; set its zone")
	}
	if h.Open < 0 || h.Close > 24*time.Hour || h.Close <= h.Open {
		return invalid("contact hours", "open %s and close %s must satisfy 0 <= open < close <= 24h", h.Open, h.Close)
	}
	if len(h.ClosedWeekdays) >= 7 {
		closed := map[time.Weekday]bool{}
		for _, d := range h.ClosedWeekdays {
			closed[d] = true
		}
		if len(closed) == 7 {
			return invalid("contact hours", "every weekday is closed")
		}
	}
	return nil
}

// Next implements Calendar. Invalid hours (no Location among them) have
// no contact time: the zero time.
func (h ContactHours) Next(t time.Time) time.Time {
	if h.Validate() != nil {
		return time.Time{}
	}
	loc := h.Location
	local := t.In(loc)
	y, m, d := local.Date()
	for i := 0; i <= 366; i++ {
		day := time.Date(y, m, d+i, 0, 0, 0, 0, loc)
		if h.closed(day) {
			continue
		}
		dy, dm, dd := day.Date()
		open, closeAt := wall(dy, dm, dd, h.Open, loc), wall(dy, dm, dd, h.Close, loc)
		if local.Before(open) {
			return open
		}
		if local.Before(closeAt) {
			return local
		}
	}
	return time.Time{}
}

func (h ContactHours) closed(day time.Time) bool {
	for _, w := range h.ClosedWeekdays {
		if day.Weekday() == w {
			return true
		}
	}
	return h.Closed != nil && h.Closed(day)
}

// wall returns the wall-clock time off past midnight of the given day.
func wall(y int, m time.Month, d int, off time.Duration, loc *time.Location) time.Time {
	return time.Date(y, m, d, int(off/time.Hour), int(off%time.Hour/time.Minute), int(off%time.Minute/time.Second), int(off%time.Second), loc)
}

// Offset is a calendar-correct distance: months first (clamped to the
// end of a shorter month, so 31 January plus one month is the last day of
// February), then days (calendar days, wall clock), then Time. Negative
// values go back, for reminders ahead of a date.
type Offset struct {
	Months int
	Days   int
	Time   time.Duration
}

// Days returns an offset of n calendar days.
func Days(n int) Offset { return Offset{Days: n} }

// Months returns an offset of n calendar months.
func Months(n int) Offset { return Offset{Months: n} }

// Hours returns an offset of n hours.
func Hours(n int) Offset { return Offset{Time: time.Duration(n) * time.Hour} }

// From returns t moved by the offset.
func (o Offset) From(t time.Time) time.Time {
	return AddMonths(t, o.Months).AddDate(0, 0, o.Days).Add(o.Time)
}

// IsZero reports whether the offset moves nothing.
func (o Offset) IsZero() bool { return o == Offset{} }

// String writes the offset compactly, e.g. "1mo3d" or "24h0m0s".
func (o Offset) String() string {
	s := ""
	if o.Months != 0 {
		s += strconv.Itoa(o.Months) + "mo"
	}
	if o.Days != 0 {
		s += strconv.Itoa(o.Days) + "d"
	}
	if o.Time != 0 || s == "" {
		s += o.Time.String()
	}
	return s
}

// AddMonths adds n calendar months to t, keeping the wall clock and
// clamping the day to the end of the target month: AddMonths(Jan 31, 1)
// is Feb 28 (29 in a leap year), not March 3 as time.AddDate gives.
func AddMonths(t time.Time, n int) time.Time {
	if n == 0 {
		return t
	}
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := daysIn(first.Year(), first.Month())
	if d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, hh, mm, ss, t.Nanosecond(), t.Location())
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// deskCalendar resolves a configured calendar: the one given (checked
// when it can say it is unusable), else the default contact hours in the
// desk's zone. Without either there is no zone to call customers in.
func deskCalendar(cal Calendar, loc *time.Location) (Calendar, error) {
	if cal == nil {
		if loc == nil {
			return nil, invalid("calendar", "set Calendar (the desk's calendar) or Location (its zone): contact hours follow the desk's zone, never UTC")
		}
		return DefaultContactHours(loc), nil
	}
	if v, ok := cal.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return nil, err
		}
	}
	return cal, nil
}
